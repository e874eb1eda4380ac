# valid: the file does not end with a newline; no diagnostics
rollout golden { version "2026.48.1" }

group us { us-central1-a }

service auth { in us }

wave us { in us }