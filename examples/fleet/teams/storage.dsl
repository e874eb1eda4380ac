# teams/storage.dsl: the storage team.  Nothing here runs at the edge.

service metadata-db {
  in us, eu
  needs secrets-broker
  image "gcr.io/acme/storage/metadata-db"
}

service chunk-server {
  in us, eu
  needs metadata-db
}
service volume-manager {
  in us, eu
  needs metadata-db
}
service block-store {
  in us, eu
  needs volume-manager
}
service erasure-coder {
  in us, eu
  needs metadata-db
}

service object-store {
  in us, eu
  needs chunk-server, metadata-db, erasure-coder
}

service blob-index {
  in us, eu
  needs object-store, metadata-db
}
service replication-worker {
  in us, eu
  needs object-store, message-bus
}
service quota-service {
  in us, eu
  needs metadata-db, kv-cache
}
service backup-agent {
  in us, eu
  needs object-store, block-store
}

service storage-api {
  in us, eu
  needs object-store, quota-service, token-service
}

# Housekeeping runs only in the batch clusters.
service compaction-worker {
  in batch
  needs object-store
}
service tiering-worker {
  in batch
  needs object-store, erasure-coder
}
service gc-sweeper {
  in batch
  needs object-store, quota-service
}
service snapshot-scheduler {
  in batch
  needs backup-agent, job-scheduler
}
