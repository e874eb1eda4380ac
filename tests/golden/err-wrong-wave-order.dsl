# a need that the waves order the wrong way round: ingest in edges needs config-api, which runs only in us, rolled out after edges; caret under 'config-api' in ingest's needs (line 10); one error, not one per cluster
rollout golden { version "2026.48.1" }

group us    { us-central1-a, us-east1-b }
group edges { edge-iad, edge-fra }

service config-api { in us }
service ingest {
  in us, edges
  needs config-api
}

wave edges { in edges }
wave us    { in us }
