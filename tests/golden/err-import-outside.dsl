# imports stay under the directory of the rollout named on the command line (here tests/golden): a file beside it (line 7) and an absolute path (line 8) are outside; so is a missing file there (line 9), not "No such file", which would tell what exists; /proc, /sys and /dev are never read (line 10)
rollout golden { version "2026.48.1" }

group us { us-central1-a }
service auth { in us }

import "../run-golden"
import "/etc/passwd"
import "../no-such-directory/x.dsl"
import "/proc/self/environ"

wave us { in us }
