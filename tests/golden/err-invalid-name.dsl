# invalid name: a DNS-1123 label may not end in '-'; caret under the word 'storage-' (line 6)
rollout golden { version "2026.48.1" }

group us { us-central1-a }

service storage- { in us }
service auth { in us }

wave us { in us }
