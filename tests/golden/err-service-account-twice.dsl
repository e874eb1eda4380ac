# service-account given twice in the rollout block; caret under the second 'service-account' keyword (line 4), with a note at the first (line 3)
rollout golden {
  service-account deployer; version "2026.48.1"
  service-account ci-deployer
}

group us { us-central1-a }

service auth { in us }

wave us { in us }
