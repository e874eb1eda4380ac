rollout shop { version "1.9.3"; registry "r2.example" }
group us { us-a, us-b }
group eu { eu-a, eu-b, eu-c }
service db { in us, eu }
service cache { in us, eu-a }
service api { in us, eu; needs db; version "1.10.0" }
wave canary { in us-a; approve; soak 10m }
wave eu { in eu, us-b; on-failure continue }
