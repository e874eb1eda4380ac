# valid: 'in' and 'needs' may be given several times in a block and the lists add up; no diagnostics
rollout golden { version "2026.48.1" }

group us { us-central1-a, us-east1-b }
group eu { europe-west1-b }

service auth    { in us; in eu }
service storage { in us; in eu }
service query-api {
  in us
  in eu
  needs auth
  needs storage
}

wave us {
  in us-central1-a
  in us
}
wave eu { in eu }
