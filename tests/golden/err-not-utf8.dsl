# Latin-1, not UTF-8: one located error at the byte 0xe9 (line 4, column 31)
rollout golden { version "2026.48.1" }

service storage { version "café"; in us }
