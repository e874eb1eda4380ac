# One wave of four clusters, two at a time, a team's own deploy
# WorkflowTemplate, no notifications.
rollout custom {
  version "3.1.4"
  registry "quay.io/pi"
  deploy-template team-deploy
}

group all { k1, k2, k3, k4 }

service base   { in all }
service worker { in all; needs base }
service edge   { in k2, k4; needs worker }
service side   { in k1, k3 }

wave all { in all; parallel 2; soak 30s; on-failure halt }
