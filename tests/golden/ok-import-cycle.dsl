# valid: inc/cycle-a.dsl and inc/cycle-b.dsl import each other, and cycle-b is imported twice; each file is read once; no diagnostics
rollout golden { version "2026.48.1" }

import "inc/cycle-a.dsl"
import "inc/cycle-b.dsl"

group us { us-central1-a, us-east1-b }

service query-api { in us; needs storage, auth }

wave us { in us }
