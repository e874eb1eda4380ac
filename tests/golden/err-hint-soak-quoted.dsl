# a duration in quotes (line 7): one error, whose help writes it without them; the wave is read on
rollout golden { version "2026.48.1" }

group us { us-central1-a, us-east1-b }
service storage { in us }

wave us { in us; soak "30m"; parallel 1 }
