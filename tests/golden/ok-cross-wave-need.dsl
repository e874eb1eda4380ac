# valid: edge-router in edges needs config-api, which runs only in us but is fully rolled out in waves before edges; no diagnostics
rollout golden { version "2026.48.1" }

group us    { us-central1-a, us-east1-b }
group edges { edge-iad, edge-fra }

service config-api { in us }
service edge-router {
  in us, edges
  needs config-api
}

wave canary { in us-central1-a; approve }
wave us     { in us; soak 10m }
wave edges  { in edges; parallel 1 }
