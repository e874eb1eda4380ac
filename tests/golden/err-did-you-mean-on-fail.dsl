# 'on-fail' for 'on-failure' (line 7), the start of the keyword: one error
rollout golden { version "2026.48.1" }

group us { us-central1-a, us-east1-b }
service storage { in us }

wave us { in us; on-fail rollback }
