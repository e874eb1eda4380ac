# Imported by err-rollout-in-import.dsl: a team file that wrongly declares a rollout.
rollout storage-train { version "2026.48.1" }

service storage { in us }
