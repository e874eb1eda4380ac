# CRLF line endings: carets land where they do with LF; the syntax error is under the newline right after "needs" (line 6, column 8)
rollout weekly-train { version "2026.48.1" }
group us { us-central1-a }
service auth { in us }
service web {
  needs
}
wave us { in us }
