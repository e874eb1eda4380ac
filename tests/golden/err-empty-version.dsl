# an empty version would deploy the image with no tag; caret under the string (line 4)
rollout weekly-train { version "2026.48.1" }
group us { us-central1-a }
service auth { in us; version "" }
wave us { in us }
