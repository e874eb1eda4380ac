# warning, exit status 0: 'us-cetnral1-a' in group us is a likely misspelling of 'us-central1-a' (named twice: group ingestion and wave canary); caret under the misspelt name (line 4), a note at the other; names that differ only in their last part or in digits do not warn
rollout golden { version "2026.48.1" }

group us        { us-cetnral1-a, us-central1-b, us-east1-b, us-east4-a }
group eu        { europe-west1-b, europe-west4-b }
group edges     { edge-iad, edge-sjc }
group lab       { c0, c1 }
group ingestion { us-central1-a, europe-west1-b }

service api    { in us, eu, edges, lab }
service ingest { in ingestion }

wave canary { in us-central1-a }
wave us     { in us }
wave rest   { in eu, edges, lab }
