# a byte order mark is accepted: line 1 starts after it; caret under 'storge' (line 5, column 28)
rollout golden { version "2026.48.1" }

group us { us-central1-a, us-east1-b }
service api { in us; needs storge }
service storage { in us }
wave all { in us }
