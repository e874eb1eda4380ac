# rollout declared in an imported file; caret under the 'rollout' keyword in inc/with-rollout.dsl (line 2)
rollout golden { version "2026.48.1" }

import "inc/with-rollout.dsl"

group us { us-central1-a }

service auth { in us; needs storage }

wave us { in us }
