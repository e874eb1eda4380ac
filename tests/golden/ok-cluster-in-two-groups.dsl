# valid: us-east1-b is in two groups; a service named in both gets one deploy there, and its wave is the first that includes it; no diagnostics
rollout golden { version "2026.48.1" }

group us        { us-central1-a, us-east1-b }
group eu        { europe-west1-b }
group ingestion { us-east1-b, europe-west1-b }

service auth   { in us, eu }
service ingest { in us, ingestion; needs auth }

wave us { in us }
wave eu { in eu, ingestion }
