# rollout.dsl: Acme's weekly release train across the whole fleet.
#
# Each team keeps its services in teams/<team>.dsl; this file holds the
# rollout itself, the cluster groups and the waves.  No deploy-template is
# named, so the Workflow uses planner's built-in deploy template.

rollout weekly-train {
  version "2026.48.1"  # the tag every service ships unless it overrides it
  registry "gcr.io/acme"
  namespace argo
  notify "#deploy-train"
}

# Clusters exist by being named in a group.
group us { us-central1-a, us-central1-b, us-east1-b, us-east4-a }
group eu { europe-west1-b, europe-west3-a, europe-west4-a }
group edges {
  edge-iad,
  edge-sjc,  # North America
  edge-fra,  # Europe
  edge-sin,
  edge-nrt,  # Asia
}

# Subsets of the regions above, reused by services that do not run everywhere.
group ingestion { us-central1-a, us-east1-b, europe-west1-b }
group batch { us-east4-a, europe-west3-a }

import "teams/platform.dsl"
import "teams/observability.dsl"
import "teams/storage.dsl"
import "teams/identity.dsl"
import "teams/ingest.dsl"
import "teams/query.dsl"
import "teams/billing.dsl"

# The train: one canary cluster, then the rest of the US, then the EU, then
# the edge clusters.  A cluster belongs to the first wave that names it, so
# the us wave skips us-central1-a.
wave canary {
  in us-central1-a
  parallel 1
  soak 15m
  approve
}
wave us {
  in us
  parallel 2
  soak 10m
}
wave eu {
  in eu
  soak 10m
  approve
}
wave edges {
  in edges
  parallel 2
  on-failure continue
}
