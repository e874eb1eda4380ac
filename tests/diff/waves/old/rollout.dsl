rollout shop { version "1.10.0"; registry "r.example" }
group us { us-a, us-b }
group eu { eu-a, eu-b }
service db { in us, eu }
service cache { in us, eu }
service api { in us, eu; needs db, cache }
service old-worker { in us-a }
wave canary { in us-a; approve }
wave us { in us-b; parallel 2 }
wave eu { in eu; on-failure rollback }
