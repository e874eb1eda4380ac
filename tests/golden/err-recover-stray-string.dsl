# a stray string before a declaration on the same line (line 8): one syntax error; no cluster is then in no wave
rollout golden { version "2026.48.1" }

group us { us-central1-a, us-east1-b }

service api { in us }

"canary" wave us { in us }
