# valid: comments on their own lines and at line ends everywhere a newline may stand; no diagnostics
# A second comment line before anything else.

rollout golden { # after '{'
  # before the first attribute
  version "2026.48.1"   # after a string
  notify "#deploy-train # not a comment"
  # before '}'
} # after '}'

import "inc/comments.dsl" # after an import

group us { # after '{'
  us-central1-a, # after a ','
  # between members
  us-east1-b     # after the last member
  # before '}'
}

service auth {
  in us # after a list
}
service query-api {
  in us
  needs storage,   # after a ',' in a needs list
        # a whole comment line inside the list
        auth
}

# before a wave
wave us { in us; soak 10m } # after a wave
# last line
