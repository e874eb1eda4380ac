# a needs list may not end with ','; caret under the '}' at line 11 (found where a name was expected)
rollout golden { version "2026.48.1" }

group us { us-central1-a }

service storage { in us }
service auth    { in us }
service query-api {
  in us
  needs storage, auth,
}

wave us { in us }
