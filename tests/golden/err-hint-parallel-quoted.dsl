# a number in quotes (line 7): one error, the help writes it without them
rollout golden { version "2026.48.1" }

group us { us-central1-a, us-east1-b }
service storage { in us }

wave us { in us; parallel "2" }
