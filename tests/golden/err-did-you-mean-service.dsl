# a misspelt 'service' (line 6): one error; 'storage' is still known where 'api' needs it, and its clusters are in a wave
rollout golden { version "2026.48.1" }

group us { us-central1-a, us-east1-b }

servce storage { in us }
service api { in us; needs storage }

wave us { in us }
