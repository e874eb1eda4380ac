# an import that cannot be read is one error: the services it would have declared are not also unknown; caret under the path (line 3)
rollout weekly-train { version "2026.48.1" }
import "teams/billing.dsl"
group us { us-central1-a }
service invoice-api { in us; needs billing-db, ledger }
wave us { in us }
