rollout shop { version "1.2.0" }
group us { us-a, us-b }
service db { in us }
service api { in us; needs db }
wave one { in us-a; approve }
wave two { in us-b; parallel 1; soak 5m }
