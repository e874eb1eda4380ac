# a needs list ending with ',' runs on into the next line, so 'version' is read as a name; one error, under the string (line 10), and 'version' is not also an unknown service
rollout weekly-train { version "2026.48.1" }

group us { us-central1-a, us-east1-b }

service storage { in us }
service auth {
  in us
  needs storage,
  version "2026.48.2"
}
wave us { in us }
