# invalid name: upper-case letters are not allowed; caret under the word 'Storage' (line 7)
rollout golden { version "2026.48.1" }

group us { us-central1-a }

service auth { in us }
service Storage { in us }

wave us { in us }
