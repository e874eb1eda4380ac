# a keyword of another tool's making (line 5): 'cluster-group' holds 'group', and the group it declares is known where it is used
rollout golden { version "2026.48.1" }

group us { us-central1-a, us-east1-b }
cluster-group edges { edge-iad, edge-sjc }

service storage { in us, edges }

wave us { in us }
wave edges { in edges }
