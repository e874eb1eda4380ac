# valid: a group's list may end with ',' (one-line and multi-line), and may mix ',' and newlines; no diagnostics
rollout golden { version "2026.48.1" }

group us { us-central1-a, us-east1-b, }
group eu {
  europe-west1-b,
  europe-west4-a,
}
group edges {
  edge-iad, edge-sjc,
  edge-fra
  edge-sin,
}

service auth   { in us, eu }
service ingest { in us, eu, edges; needs auth }
service cdn    { in edges }

wave us    { in us }
wave eu    { in eu }
wave edges { in edges; parallel 2 }
