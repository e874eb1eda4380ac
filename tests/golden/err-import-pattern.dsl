# imports with '*': nothing matching is an error that says what the directory holds (line 5); a directory outside the rollout's is not listed (line 6); '*' in two parts of a path (line 7); a missing directory (line 8); each caret under the path string
rollout golden { version "2026.48.1" }

import "pattern/*.dsl"
import "pattern/*.dls"
import "../*.dsl"
import "pattern/*/x*.dsl"
import "patterns/*.dsl"

group us { us-central1-a }

wave us { in us }
