# a number and its unit apart (line 9): an invalid duration '30', the help joins them
rollout golden { version "2026.48.1" }

group us { us-central1-a, us-east1-b }
service storage { in us }

wave us {
  in us
  soak 30 m
}
