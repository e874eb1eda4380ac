# a stray '}' before a declaration on the same line (line 6): one syntax error; the skipped 'storage' is not then unknown (line 7)
rollout golden { version "2026.48.1" }

group us { us-central1-a }

} service storage { in us }
service api { in us; needs storage }

wave us { in us }
