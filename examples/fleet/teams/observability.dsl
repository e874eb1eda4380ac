# teams/observability.dsl: logs, metrics, traces and the tools on top.

# Collectors run next to every workload, the edge clusters included.
service log-shipper {
  in us, eu, edges
  needs service-registry
}
service metrics-collector {
  in us, eu, edges
  needs service-registry
}
service trace-collector {
  in us, eu, edges
  needs service-registry, message-bus
}
service uptime-probe {
  in us, eu, edges
  needs metrics-collector
}
service synthetic-checks {
  in edges
  needs uptime-probe, edge-proxy
}

# Stores.
service log-indexer {
  in us, eu
  needs log-shipper, object-store
}
service metrics-store {
  in us, eu
  needs metrics-collector, block-store
}
service trace-store {
  in us, eu
  needs trace-collector, object-store
}
service audit-log {
  in us, eu
  needs message-bus, object-store
}
service log-archiver {
  in batch
  needs log-indexer, object-store
}

# What people look at.
service alert-manager {
  in us, eu
  needs metrics-store, notification-relay
}
service slo-tracker {
  in us, eu
  needs metrics-store, alert-manager
}
service incident-bot {
  in us
  needs alert-manager, notification-relay
}
service status-page {
  in us, eu
  needs slo-tracker, uptime-probe
}
service profiler {
  in us, eu
  needs trace-store
}
service dashboard-api {
  in us, eu
  needs metrics-store, log-indexer, trace-store, token-service
}
