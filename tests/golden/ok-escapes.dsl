# valid: every string escape (\" \\ \n \t) in one string; no diagnostics
rollout golden {
  version "2026.48.1"
  notify "#deploy-train \"weekly\"\tC:\\trains\nsecond line"
}

group us { us-central1-a }

service auth { in us; image "gcr.io/acme/auth" }

wave us { in us }
