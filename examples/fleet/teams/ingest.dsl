# teams/ingest.dsl: the ingestion pipeline.  The front of it runs in the
# edge clusters and in the three regional ingestion clusters; the back of it
# only in the regional ones.

# Front: what the edge clusters accept.
service geoip-lookup {
  in us, eu, edges
  needs config-store
}
service ingest-validator {
  in ingestion, edges
  needs schema-registry
}
service ingest-buffer {
  in ingestion, edges
  needs message-bus
}
service ingest-metrics {
  in ingestion, edges
  needs metrics-collector
}
service ingest-throttle {
  in ingestion, edges
  needs rate-limiter, feature-flags
}

service ingest-router {
  in ingestion, edges
  needs ingest-throttle, ingest-validator, ingest-buffer, api-keys
}

service ingest-server {
  in ingestion, edges
  needs ingest-router, geoip-lookup, token-verifier
  version "2026.48.2"
  image "gcr.io/acme/ingest-server"
}

service webhook-receiver {
  in ingestion, edges
  needs ingest-router
}
service event-normalizer {
  in ingestion, edges
  needs ingest-buffer, schema-registry
}
service edge-collector {
  in edges
  needs edge-proxy, token-verifier, rate-limiter
}

# Back: partition, deduplicate, enrich, store.
service stream-partitioner {
  in ingestion
  needs ingest-buffer, message-bus
}
service dedup-worker {
  in ingestion
  needs stream-partitioner, kv-cache
}
service enrichment-worker {
  in ingestion
  needs stream-partitioner, geoip-lookup, user-directory
}
service ingest-sink {
  in ingestion
  needs dedup-worker, enrichment-worker, event-normalizer, object-store
}
service ingest-api {
  in ingestion
  needs ingest-router, auth
}

# Batch loads and backfills.
service batch-loader {
  in batch
  needs object-store, schema-registry
}
service backfill-runner {
  in batch
  needs batch-loader, job-scheduler
}
