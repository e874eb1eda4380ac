# an unterminated import path is one error: the import is skipped and the services it would declare are not also unknown; caret from the quote to the end of line 3
rollout weekly-train { version "2026.48.1" }
import "teams/storage.dsl
group us { us-central1-a }
service auth { in us; needs storage }
wave us { in us }
