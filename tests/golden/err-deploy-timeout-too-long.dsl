# a deploy-timeout longer than a Go duration can hold (2562047h); caret under the duration (line 2)
rollout golden { version "2026.48.1"; deploy-timeout 2562048h }

group us { us-central1-a }

service auth { in us }

wave us { in us }
