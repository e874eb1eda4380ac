# invalid duration: 'x' is not a unit (s, m, h, d); caret under the word '5x' (line 8)
rollout golden { version "2026.48.1" }

group us { us-central1-a, us-east1-b }

service auth { in us }

wave canary { in us-central1-a; soak 5x }
wave us     { in us }
