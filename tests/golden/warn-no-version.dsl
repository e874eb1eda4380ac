# warning, exit status 0: one warning listing auth and storage, which deploy 'latest' (the caret table is silent; the rollout's name, line 2, is where a version would go)
rollout golden { registry "gcr.io/acme" }

group us { us-central1-a }

service auth      { in us }
service storage   { in us }
service query-api { in us; needs auth, storage; version "2026.48.1" }

wave us { in us }
