# A cross-wave need: the schema migration runs only in the core clusters
# (wave core); the api runs everywhere and needs it, so in the edge
# clusters (wave edge) it needs every deploy of schema, in the wave before.
rollout cross-wave {
  version "7.0.0"
  registry "registry.example.com/x"
  notify "#x-deploys"
}

group core { core-1, core-2, core-3 }
group edge { edge-1, edge-2, edge-3, edge-4 }

service schema { in core }
service store  { in core, edge }
service api    { in core, edge; needs schema, store }
service front  { in edge; needs api }

wave core { in core; parallel 2; soak 1m; on-failure halt }
wave edge { in edge; parallel 2; on-failure halt }
