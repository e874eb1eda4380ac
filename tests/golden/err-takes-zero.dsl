# takes of zero would estimate a deploy at no time; caret under the duration '0s' (line 9), with help
rollout golden {
  version "2026.48.1"
  takes 3m
}

group us { us-central1-a }

service auth { in us; takes 0s }

wave us { in us }
