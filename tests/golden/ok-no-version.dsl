# valid: the rollout gives no version but every service gives its own, so there is no version warning; no diagnostics
rollout golden {
  registry "gcr.io/acme"
}

group us { us-central1-a, us-east1-b }

service auth      { in us; version "3.2.0" }
service storage   { in us; version "2026.48.1" }
service query-api { in us; needs auth, storage; version "2026.48.1-rc.2" }

wave us { in us }
