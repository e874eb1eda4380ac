# unclosed '{' of service auth; caret under 'service' at line 9 (found where an attribute or '}' was expected); recovery starts at that line, so 'needs auth' is not also reported
rollout golden { version "2026.48.1" }

group us { us-central1-a, us-east1-b }

service auth {
  in us

service query-api { in us; needs auth }

wave us { in us }
