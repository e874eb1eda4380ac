# 'approval' for 'approve' (line 7): one error; the wave is read whole, the soak after it too
rollout golden { version "2026.48.1" }

group us { us-central1-a, us-east1-b }
service storage { in us }

wave canary { in us-central1-a; approval; soak 10m }
wave us { in us }
