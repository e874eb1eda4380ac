# deploy-timeout without its duration; caret under the '}' found instead (line 2)
rollout golden { version "2026.48.1"; deploy-timeout }

group us { us-central1-a }

service auth { in us }

wave us { in us }
