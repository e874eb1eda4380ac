# valid: "pattern/*.dsl" imports pattern/a-storage.dsl then pattern/b-query.dsl, in sorted order; pattern/.hidden.dsl (a name starting with '.') and pattern/notes.txt are not matched; "pattern/b-*" matches b-query.dsl again, which is read once; no diagnostics
rollout golden { version "2026.48.1" }

import "pattern/*.dsl"
import "pattern/b-*"

group us { us-central1-a }

wave us { in us }
