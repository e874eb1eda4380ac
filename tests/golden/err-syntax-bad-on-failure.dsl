# on-failure takes halt, continue or rollback; caret under 'abort' (line 8)
rollout golden { version "2026.48.1" }

group us { us-central1-a, us-east1-b }

service auth { in us }

wave canary { in us-central1-a; on-failure abort }
wave us     { in us }
