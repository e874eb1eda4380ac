# valid: names of exactly 63 characters; generated Argo names built from them must be shortened, never invalid; no diagnostics
rollout weekly-release-train-for-the-europe-west4-production-fleet-2026 { version "2026.48.1" }

group europe-west4-a-production-tenant-isolated-gpu-cluster-group-001 {
  europe-west4-a-production-tenant-isolated-gpu-cluster-number-01
}

service auth { in europe-west4-a-production-tenant-isolated-gpu-cluster-group-001 }
service customer-notification-preferences-synchronizer-for-eu-west-4abc {
  in europe-west4-a-production-tenant-isolated-gpu-cluster-group-001
  needs auth
}

wave europe-west4-a-production-tenant-isolated-gpu-rollout-wave-0001 { in europe-west4-a-production-tenant-isolated-gpu-cluster-group-001; soak 5m; approve }
