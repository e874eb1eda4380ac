# service with no in; caret under the service's name 'audit-log' (line 7)
rollout golden { version "2026.48.1" }

group us { us-central1-a }

service auth { in us }
service audit-log {
  needs auth
}

wave us { in us }
