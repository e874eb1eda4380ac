# import paths collapse dir/.. as cd does: the error names 'inc/billing.dsl' (line 5); the second import reads inc/comments.dsl once more, which is not an error
rollout golden { version "2026.48.1" }

import "inc/comments.dsl"
import "teams/../inc/./billing.dsl"
import "inc/../inc/comments.dsl"

group us { us-central1-a }

service auth { in us }

wave us { in us }
