# teams/storage.dsl: the storage team's services
service storage {
  in us, eu, edges
  image "gcr.io/acme/storage-v2"
}
