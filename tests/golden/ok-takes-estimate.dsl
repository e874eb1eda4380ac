# valid: takes on the rollout and on services; the estimate with parallel 2 (a cluster waits for a slot), a soak and an approval; versions older, newer and not numeric, and an image of its own in the head; no diagnostics
rollout golden {
  version "2026.48.1"
  registry "gcr.io/acme"
  takes 2m
}

group us { us-a, us-b, us-c }
group eu { eu-a }

service db { in us, eu; takes 10m }
service api {
  in us, eu
  needs db
  version "2026.47.9"
}
service batch { in us-b; takes 1h }
service ui { in us; version "2026.48.10"; image "gcr.io/acme/web-ui" }
service edge { in eu; version "v3-rc1"; takes 45s }

wave us { in us; parallel 2; soak 15m; approve }
wave eu { in eu }
