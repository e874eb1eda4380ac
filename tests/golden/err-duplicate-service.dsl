# duplicate service; caret under the second 'auth' (line 9), with a note at the first (line 6)
rollout golden { version "2026.48.1" }

group us { us-central1-a, us-east1-b }

service auth { in us }
service storage { in us }

service auth {
  in us
  needs storage
}

wave us { in us }
