# a service that needs itself; caret under 'auth' in auth's own needs list (line 7, column 44)
rollout golden { version "2026.48.1" }

group us { us-central1-a }

service token-service { in us }
service auth { in us; needs token-service, auth }

wave us { in us }
