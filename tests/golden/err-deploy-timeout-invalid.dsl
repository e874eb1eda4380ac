# invalid duration in deploy-timeout: a part without a unit; caret under the word '30' (line 4)
rollout golden {
  version "2026.48.1"
  deploy-timeout 30
}

group us { us-central1-a }

service auth { in us }

wave us { in us }
