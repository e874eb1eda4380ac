# an attribute of another kind of declaration ('parallel' belongs to waves); caret under 'parallel' (line 8)
rollout golden { version "2026.48.1" }

group us { us-central1-a, us-east1-b }

service auth {
  in us
  parallel 2
}

wave us { in us }
