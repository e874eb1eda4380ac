# takes given twice in a service block; caret under the second 'takes' keyword (line 9), with a note at the first (line 8)
rollout golden { version "2026.48.1" }

group us { us-central1-a }

service auth {
  in us
  takes 5m
  takes 10m
}

wave us { in us }
