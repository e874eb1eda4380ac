# warning, exit status 0: wave us-east is left with no clusters, because wave us already took us-east1-b; caret under the wave's name 'us-east' (line 10)
rollout golden { version "2026.48.1" }

group us { us-central1-a, us-east1-b }

service auth { in us }

wave canary  { in us-central1-a; approve }
wave us      { in us }
wave us-east { in us-east1-b }
