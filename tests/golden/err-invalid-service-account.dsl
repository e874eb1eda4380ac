# invalid name as service-account: a DNS-1123 label has no upper case; caret under the word 'CI-Deployer' (line 4)
rollout golden {
  version "2026.48.1"
  service-account CI-Deployer
}

group us { us-central1-a }

service auth { in us }

wave us { in us }
