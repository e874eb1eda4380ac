# warning, exit status 0: a soak longer than a week (8d, meant 8h?); caret under the duration (line 7); 7d does not warn
rollout golden { version "2026.48.1" }

group us { us-central1-a, us-east1-b }
service api { in us }
wave canary { in us-central1-a; soak 7d }
wave us     { in us; soak 8d }
