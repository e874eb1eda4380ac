# a misspelt failure policy (line 7): "did you mean 'rollback'?"
rollout golden { version "2026.48.1" }

group us { us-central1-a, us-east1-b }
service storage { in us }

wave us { in us; on-failure rolback }
