# a duration in two parts (line 7): the error is at the second part, where a separator was expected; the help joins them
rollout golden { version "2026.48.1" }

group us { us-central1-a, us-east1-b }
service storage { in us }

wave us { in us; soak 1h 30m; approve }
