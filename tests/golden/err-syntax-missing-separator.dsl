# two attributes with no ';' or newline between them; caret under 'parallel' (line 8)
rollout golden { version "2026.48.1" }

group us { us-central1-a, us-east1-b }

service auth { in us }

wave canary { in us-central1-a parallel 1 }
wave us     { in us; parallel 2 }
