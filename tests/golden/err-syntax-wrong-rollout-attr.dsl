# an attribute of another kind of declaration in the rollout block ('soak' belongs to waves); the message lists every rollout attribute; caret under 'soak' (line 4)
rollout golden {
  version "2026.48.1"
  soak 10m
}

group us { us-central1-a }

service auth { in us }

wave us { in us }
