# deploy-timeout is a rollout attribute, not a wave's; caret under 'deploy-timeout' (line 8)
rollout golden { version "2026.48.1" }

group us { us-central1-a }

service auth { in us }

wave us { in us; deploy-timeout 10m }
