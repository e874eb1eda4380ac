# import of a file that does not exist (exit status 1, not 2); caret under the path string "teams/billing.dsl" (line 4)
rollout golden { version "2026.48.1" }

import "teams/billing.dsl"

group us { us-central1-a }

service auth { in us }

wave us { in us }
