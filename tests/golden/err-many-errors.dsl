# three mistakes, three errors: syntax error under 'eu' (line 8), unknown service 'auht' (line 9), parallel '0' (line 11)
rollout golden { version "2026.48.1" }

group us { us-central1-a, us-east1-b }
group eu { europe-west1-b }

service auth { in us, eu }
service api  { in us eu }
service web  { in us, eu; needs auht, api }

wave us { in us; parallel 0 }
wave eu { in eu }
