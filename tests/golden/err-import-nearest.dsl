# an import of a file that is not there gets the nearest file there is as the path to write: a misspelt name (line 5), a misspelt directory (line 6), ".dsl" left out (line 7); nothing near, no help (line 8); an imported file that writes its path as if from the rollout's directory gets the path from its own (inc/beside-root.dsl, line 4)
rollout golden { version "2026.48.1" }

import "inc/beside-root.dsl"
import "inc/coments.dsl"
import "icn/comments.dsl"
import "inc/comments"
import "inc/nothing-like-it.dsl"

group us { us-central1-a }

wave us { in us }
