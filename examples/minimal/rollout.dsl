# The smallest useful rollout: one cluster, three services, one wave.
rollout hello {
  version "1.0.0"
  registry "ghcr.io/example"
}

group local { kind-local }

service db { in local }
service api {
  in local
  needs db
}
service web {
  in local
  needs api
}

wave all { in local }
