# a version without quotes (line 3): one error, the help quotes it
rollout golden {
  version 2026.49.2
  registry "gcr.io/acme"
}

group us { us-central1-a, us-east1-b }
service storage { in us }

wave us { in us }
