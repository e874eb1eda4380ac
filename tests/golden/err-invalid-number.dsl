# invalid number: no leading zeros; caret under the word '01' (line 8)
rollout golden { version "2026.48.1" }

group us { us-central1-a, us-east1-b }

service auth { in us }

wave canary { in us-central1-a; parallel 01 }
wave us     { in us }
