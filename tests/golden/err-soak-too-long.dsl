# a soak longer than a Go duration can hold (2562047h); caret under the duration (line 6)
rollout weekly-train { version "2026.48.1" }
group us { us-central1-a }
service auth { in us }
wave us {
  in us; soak 99999999d
}
