# valid: the rollout attributes of language 1.1, deploy-timeout (a duration) and service-account (a name), beside those of 1; a service named like the new keywords; no diagnostics
rollout golden {
  version "2026.48.1"
  namespace argo
  deploy-template deploy-service
  deploy-timeout 1h30m
  service-account deploy-timeout
}

group us { us-central1-a, us-east1-b }

service service-account { in us }
service deploy-timeout  { in us; needs service-account }

wave canary { in us-central1-a; soak 15m; approve }
wave us     { in us }
