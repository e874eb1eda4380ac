# valid: the shortest deploy-timeout, 1s, and a service-account on one line with it; no diagnostics
rollout golden { version "2026.48.1"; deploy-timeout 1s; service-account ci-deployer }

group us { us-central1-a }

service auth { in us }

wave us { in us }
