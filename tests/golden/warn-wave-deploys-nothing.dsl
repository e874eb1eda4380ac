# warning, exit status 0: wave idle owns a cluster, but no service runs there; caret under 'idle' (line 7)
rollout weekly-train { version "2026.48.1" }
group us { us-central1-a }
group spare { us-east1-b }
service auth { in us }
wave us { in us }
wave idle { in spare }
