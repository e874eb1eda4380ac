# a name that is both group and cluster (a group cannot contain a group); caret under 'us' in group canary's list (line 5), the later of the two places
rollout golden { version "2026.48.1" }

group us { us-central1-a, us-east1-b }
group canary { us }

service auth { in us }

wave canary { in canary; approve }
wave us { in us }
