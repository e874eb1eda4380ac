# parallel 0; caret under the '0' (line 8)
rollout golden { version "2026.48.1" }

group us { us-central1-a, us-east1-b }

service auth { in us }

wave canary { in us-central1-a; parallel 0; soak 10m }
wave us     { in us }
