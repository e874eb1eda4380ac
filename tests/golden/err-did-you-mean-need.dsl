# 'need' for 'needs' (line 8): one error, and the list is read as needs, so the rest of the block is checked as the fix gives it
rollout golden { version "2026.48.1" }

group us { us-central1-a, us-east1-b }
service storage { in us }
service api {
  in us
  need storage
  version "2026.48.2"
}

wave us { in us }
