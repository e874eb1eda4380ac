# invalid duration: units must come largest first; caret under the word '10m1h' (line 8)
rollout golden { version "2026.48.1" }

group us { us-central1-a, us-east1-b }

service auth { in us }

wave canary { in us-central1-a; soak 10m1h }
wave us     { in us }
