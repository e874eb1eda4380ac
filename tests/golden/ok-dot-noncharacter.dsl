# noncharacters in strings (U+FFFF, U+FDD0), which Graphviz's XML parser refuses, are U+FFFD in the diagram: the title and the label of api
rollout golden { version "2026.48.1￿" }

group us { us-central1-a }

service auth { in us }
service api { in us; needs auth; version "2﷐x\\y" }

wave us { in us }
