# duplicate group; caret under the second 'us' (line 5), with a note at the first (line 4)
rollout golden { version "2026.48.1" }

group us { us-central1-a, us-east1-b }
group us { us-east4-a }

service auth { in us }

wave us { in us }
