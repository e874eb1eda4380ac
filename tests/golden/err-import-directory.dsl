# import of a directory (exit status 1); caret under the path string "inc" (line 4)
rollout golden { version "2026.48.1" }

import "inc"

group us { us-central1-a }

service auth { in us }

wave us { in us }
