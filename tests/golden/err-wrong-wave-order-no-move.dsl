# a need the waves order the wrong way round where moving waves cannot fix it: db runs in wave us too, which holds clusters of api without db; one error listing both failing clusters, a note at each wave that deploys db, and a help that only adds clusters (line 11)
rollout golden { version "2026.48.1" }

group us { us-central1-a, us-central1-b, us-east1-b }
group eu { europe-west1-b, europe-west4-a }

service db { in eu, us-east1-b }
service api {
  in us
  needs db
}

wave canary { in us-central1-a }
wave us     { in us }
wave eu     { in eu }
