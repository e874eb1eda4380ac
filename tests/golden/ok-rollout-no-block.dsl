# valid: a rollout with no block (no registry, so each image is the service name; each service gives its version); no diagnostics
rollout bare

group local { kind-local }

service db  { in local; version "16.4" }
service api { in local; needs db; version "1.0.0" }

wave all { in local }
