# rollout.dsl: the weekly release train
rollout weekly-train {
  version "2026.49.0"  # image tag for every service, unless it says otherwise
  registry "gcr.io/acme"  # image = registry/service, unless it says otherwise
  namespace argo  # where the Workflow is submitted
  notify "#deploy-train"  # Slack channel told of every wave and of failure
  deploy-template deploy-service  # WorkflowTemplate that performs one deploy
}

import "teams/storage.dsl"  # paths are relative to the importing file

group us { us-central1-a, us-central1-b }
group eu { europe-west1-b, europe-west4-a }
group edges { edge-iad, edge-sjc, edge-fra, edge-sin, edge-ams }

service auth { in us, eu, edges }
service billing {
  in us
  needs auth
}
service query-api {
  in us, eu
  needs storage, auth, ingest
}
service ingest {
  in us, eu, edges
  needs storage
  version "2026.48.0"
  image "gcr.io/acme/ingest-server"
}

wave canary { in us-central1-a; parallel 1; soak 15m; approve }
wave us { in us; parallel 1; soak 30m }
wave eu { in eu; soak 10m; approve }
wave edges { in edges; parallel 2; on-failure continue }
