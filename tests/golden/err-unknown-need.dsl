# unknown service in needs, with a did-you-mean for 'storage'; caret under 'storge' in query-api's needs list (line 10)
rollout golden { version "2026.48.1" }

group us { us-central1-a, us-east1-b }

service storage { in us }
service auth    { in us }
service query-api {
  in us
  needs storge, auth
}

wave us { in us }
