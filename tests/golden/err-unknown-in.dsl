# a misspelt cluster in an in list is an unknown name, not a new cluster; caret under 'europe-west1' in auth's in list (line 8), did you mean 'europe-west1-b'
rollout golden { version "2026.48.1" }

group us { us-central1-a }
group eu { europe-west1-b, europe-west4-a }

service storage { in us, eu }
service auth    { in us, europe-west1; needs storage }

wave us { in us }
wave eu { in eu }
