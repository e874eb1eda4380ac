# import of a file that is not UTF-8 text (exit status 1): one error at the path string "inc/latin1.dsl" (line 4), and no byte of the file quoted
rollout golden { version "2026.48.1" }

import "inc/latin1.dsl"

group us { us-central1-a }

service auth { in us }

wave us { in us }
