# numbers and durations too large: parallel over 999999999 (line 6); a soak part too large (line 7)
rollout golden { version "2026.48.1" }

group us { us-central1-a, us-east1-b }
service api { in us }
wave one { in us-central1-a; parallel 1000000000 }
wave two { in us-east1-b; soak 99999999999999999999h }
