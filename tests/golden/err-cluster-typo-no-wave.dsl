# a misspelt cluster in a group no wave takes: one error, at the group in ingest's 'in' (line 9); its help names the cluster meant, never "add it to a wave"; no typo warning besides
rollout golden { version "2026.48.1" }

group us        { us-central1-a, us-east1-b }
group eu        { europe-west1-b, europe-west4-a }
group ingestion { us-central1-a, europe-wset1-b }

service api    { in us, eu }
service ingest { in ingestion }

wave us { in us }
wave eu { in eu }
