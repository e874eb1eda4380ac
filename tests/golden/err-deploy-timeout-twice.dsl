# deploy-timeout given twice in the rollout block; caret under the second 'deploy-timeout' keyword (line 5), with a note at the first (line 4)
rollout golden {
  version "2026.48.1"
  deploy-timeout 30m
  deploy-timeout 45m
}

group us { us-central1-a }

service auth { in us }

wave us { in us }
