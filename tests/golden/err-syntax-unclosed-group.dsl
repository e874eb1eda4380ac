# an unclosed group ends at the next declaration line; caret under 'service' (line 8); 'auth' is still parsed, so nothing else is reported
rollout weekly-train { version "2026.48.1" }

group us {
  us-central1-a,
  us-east1-b

service auth { in us }
wave us { in us }
