# valid: the three failure policies, written out (halt is also the default); no diagnostics
rollout golden { version "2026.48.1"; notify "#deploy-train" }

group us    { us-central1-a, us-east1-b }
group eu    { europe-west1-b, europe-west4-a }
group edges { edge-iad }

service storage   { in us, eu, edges }
service auth      { in us, eu, edges; needs storage }
service query-api { in us, eu, edges; needs storage, auth }

wave us    { in us; on-failure halt }
wave eu    { in eu; parallel 1; on-failure rollback }
wave edges { in edges; on-failure continue }
