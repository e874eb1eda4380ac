# an unclosed block (line 6) meets a misspelt declaration (line 8): two mistakes, two errors; 'storage' is read and known where 'db' needs it
rollout golden { version "2026.48.1" }

group us { us-central1-a, us-east1-b }

service api {
  in us
servce storage { in us }
service db { in us; needs storage }

wave us { in us }
