# imports must be regular files: a device (line 5) and a directory (line 6) are errors at their path strings
rollout golden { version "2026.48.1" }

group us { us-central1-a, us-east1-b }
import "/dev/null"
import "inc"
service api { in us }
wave all { in us }
