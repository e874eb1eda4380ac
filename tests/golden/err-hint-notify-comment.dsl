# a Slack channel without quotes (line 4): '#' starts a comment; the caret is under the comment, the help quotes it
rollout golden {
  version "2026.48.1"
  notify #deploy-train
}

group us { us-central1-a, us-east1-b }
service storage { in us }

wave us { in us }
