# a misspelt declaration keyword (line 7): one error, "did you mean 'group'?", and the group is read, so 'edges' is known where a service and a wave use it
rollout golden { version "2026.48.1" }

group us { us-central1-a, us-east1-b }
service storage { in us, edges }

grop edges { edge-iad, edge-sjc }

wave us { in us }
wave edges { in edges; parallel 1 }
