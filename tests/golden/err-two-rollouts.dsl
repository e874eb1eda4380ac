# two rollout declarations (the spec's caret table is silent); caret under the second 'rollout' keyword (line 4), with a note at the first (line 2)
rollout weekly-train { version "2026.48.1" }

rollout hotfix-train { version "2026.48.2" }

group us { us-central1-a }

service auth { in us }

wave us { in us }
