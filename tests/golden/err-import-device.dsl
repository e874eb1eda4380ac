# imports must be rollout files: /dev is never read (line 5), and a directory is an error (line 6), each at its path string
rollout golden { version "2026.48.1" }

group us { us-central1-a, us-east1-b }
import "/dev/null"
import "inc"
service api { in us }
wave all { in us }
