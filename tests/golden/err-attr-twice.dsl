# a non-list attribute given twice in one block; caret under the second 'version' keyword (line 9), with a note at the first (line 8)
rollout golden { version "2026.48.1" }

group us { us-central1-a }

service auth {
  in us
  version "2026.48.1"
  version "2026.48.2"
}

wave us { in us }
