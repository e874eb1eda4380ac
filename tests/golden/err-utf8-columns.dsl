# columns count characters, not bytes: the caret under 'storge' is at column 47 (line 5)
rollout golden { version "2026.48.1" }

group us { us-central1-a, us-east1-b }
service api { version "größe-€"; in us; needs storge }
service storage { in us }
wave all { in us }
