# duplicate wave; caret under the second 'us' (line 11), with a note at the first (line 9)
rollout golden { version "2026.48.1" }

group us { us-central1-a, us-east1-b }
group eu { europe-west1-b }

service auth { in us, eu }

wave us { in us; parallel 1 }
wave eu { in eu }
wave us { in us; soak 10m }
