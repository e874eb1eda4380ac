# deploy-timeout of zero would fail every deploy; caret under the duration '0m' (line 4), with help
rollout golden {
  version "2026.48.1"
  deploy-timeout 0m
}

group us { us-central1-a }

service auth { in us }

wave us { in us }
