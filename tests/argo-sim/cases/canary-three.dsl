# Three waves: a canary cluster, then two at a time, then all at once; the
# clusters do not all run the same services, and one runs a chain of three.
rollout canary-three {
  version "2026.1.0"
  registry "gcr.io/acme"
  notify "#train"
}

group us  { us-1, us-2, us-3, us-4 }
group eu  { eu-1, eu-2, eu-3 }
group big { us-2, eu-2 }

service auth    { in us, eu }
service ledger  { in big; needs auth }
service reports { in big; needs ledger }
service search  { in us, eu; needs auth }
service mail    { in us-3, eu-3 }

wave canary { in us-1; parallel 1; soak 10m; approve; on-failure halt }
wave us     { in us; parallel 2; soak 5m; on-failure halt }
wave eu     { in eu; on-failure halt }
