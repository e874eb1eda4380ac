# a name with a non-ASCII letter is one invalid name, not several tokens; caret under the whole word (line 4)
rollout weekly-train { version "2026.48.1" }
group us { us-central1-a }
service café-api { in us }
service web { in us; needs auth }
service auth { in us }
wave us { in us }
