# invalid name: '_' is not allowed; caret under the word 'db_1' (line 7)
rollout golden { version "2026.48.1" }

group us { us-central1-a }

service auth { in us }
service db_1 { in us }

wave us { in us }
