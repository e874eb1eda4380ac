# teams/platform.dsl: the platform team.  Everything else builds on these,
# so most of them run in every cluster, the edge clusters included.

# Bootstrap: certificates, secrets, configuration, discovery.
service cert-manager { in us, eu, edges }
service dns-cache { in us, eu, edges }
service kv-cache { in us, eu, edges }
service secrets-broker { in us, eu, edges }
service config-store {
  in us, eu, edges
  needs secrets-broker
}
service service-registry {
  in us, eu, edges
  needs dns-cache, config-store
}

service mesh-controller {
  in us, eu, edges
  needs cert-manager, service-registry
}

service feature-flags {
  in us, eu, edges
  needs config-store, kv-cache
}

service rate-limiter {
  in us, eu, edges
  needs kv-cache, config-store
}

# Messaging.
service message-bus {
  in us, eu, edges
  needs secrets-broker, service-registry
  version "2026.47.3"  # held back: 2026.48 needs a broker migration first
}

service schema-registry {
  in us, eu, edges
  needs message-bus, config-store
}

service notification-relay {
  in us, eu
  needs message-bus, secrets-broker
}

# Scheduling.
service job-scheduler {
  in us, eu
  needs message-bus, config-store
}
service cron-runner {
  in batch
  needs job-scheduler
}
service cache-warmer {
  in batch
  needs kv-cache, feature-flags
}

# Traffic in and out.
service edge-proxy {
  in edges
  needs rate-limiter, mesh-controller, service-registry
  image "gcr.io/acme/envoy-edge"
}

service api-gateway {
  in us, eu
  needs rate-limiter, mesh-controller, token-verifier
}
