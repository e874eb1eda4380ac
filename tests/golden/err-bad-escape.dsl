# invalid string escape '\#'; caret under its backslash (line 4, column 11)
rollout golden {
  version "2026.48.1"
  notify "\#deploy-train"
}

group us { us-central1-a }

service auth { in us }

wave us { in us }
