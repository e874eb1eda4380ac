# a need the waves order the wrong way round on a cluster a later wave names in vain: web in us-central1-b (wave us) needs db, deployed in wave eu, which also names us-central1-b; the error (line 9) has a note at that name; the warning for it comes first
rollout golden { version "2026.48.1" }

group us { us-central1-a, us-central1-b }
group eu { europe-west1-b, europe-west4-a }

service db  { in eu }
service api { in us }
service web { in us-central1-b; needs db }

wave us { in us }
wave eu { in eu, us-central1-b }
