# a cluster that a service runs in but no wave includes; caret under 'eu' in auth's in list (line 7), the group that brings europe-west1-b
rollout golden { version "2026.48.1" }

group us { us-central1-a, us-east1-b }
group eu { europe-west1-b }

service auth    { in us, eu }
service storage { in us, eu }

wave canary { in us-central1-a; approve }
wave us     { in us }
