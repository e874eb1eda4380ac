# string not closed on its line (the spec's caret table is silent); caret from the opening quote to the end of line 3
rollout golden {
  version "2026.48.1
  registry "gcr.io/acme"
}

group us { us-central1-a }

service auth { in us }

wave us { in us }
