# no rollout declaration; caret at line 1, column 1 (the '#' of this comment)
group us { us-central1-a }

service auth { in us; version "2026.48.1" }

wave us { in us }
