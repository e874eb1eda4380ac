# warning, exit status 0: group spare is used by no service and no wave; caret under its name 'spare' (line 6)
rollout golden { version "2026.48.1" }

group us    { us-central1-a, us-east1-b }
group eu    { europe-west1-b }
group spare { us-east4-a }

service auth { in us, eu }

wave us { in us }
wave eu { in eu }
