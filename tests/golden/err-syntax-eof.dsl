# the file ends inside a block; caret at the end of the last line, just after 'auth' (line 10)
rollout golden { version "2026.48.1" }

group us { us-central1-a }

service auth { in us }

wave us { in us; soak 10m }

service audit-log { in us; needs auth
