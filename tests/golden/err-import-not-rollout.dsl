# imports of files that are not rollout source (exit status 1): a key file (line 6), a file with NUL bytes as /proc/self/environ has (line 7) and a script whose first word after its comments is not a declaration (line 8); each is one error at its path string, and no byte of the file is shown
rollout golden { version "2026.48.1" }

group us { us-central1-a }

import "inc/fake-key.pem"
import "inc/environ.bin"
import "inc/script.sh"

service auth { in us }

wave us { in us }
