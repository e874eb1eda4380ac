# teams/query.dsl: search, queries and reports.

service query-planner {
  in us, eu
  needs metadata-db
}
service query-executor {
  in us, eu
  needs query-planner, object-store, chunk-server
}
service result-cache {
  in us, eu
  needs kv-cache
}
service index-builder {
  in us, eu
  needs blob-index, schema-registry
}
service search-service {
  in us, eu
  needs index-builder, permissions
}

service query-api {
  in us, eu
  needs query-executor, result-cache, auth, rate-limiter
}

service aggregation-engine {
  in us, eu
  needs query-executor
}
service saved-queries {
  in us, eu
  needs metadata-db, permissions
}
service report-builder {
  in us, eu
  needs aggregation-engine, saved-queries
}

service export-service {
  in us, eu
  needs query-api, object-store
}
service notebook-api {
  in us, eu
  needs query-api, saved-queries
}
service sql-gateway {
  in us, eu
  needs query-api, api-keys
}
service autocomplete {
  in us, eu
  needs search-service, result-cache
}
service query-history {
  in us, eu
  needs query-api, audit-log
}

service dashboard-renderer {
  in us, eu
  needs report-builder, notebook-api
  image "gcr.io/acme/query/renderer"
}

service query-scheduler {
  in batch
  needs saved-queries, job-scheduler, query-api
}
