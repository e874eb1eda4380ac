# Two waves: three clusters one at a time, then four clusters two at a time.
# Every cluster runs a chain of three (db -> api -> web) beside a service
# that needs nothing (cache), so a failure early or late in a chain differs.
rollout chain-p1 {
  version "1.2.3"
  registry "registry.example.com/acme"
  notify "#releases"
}

group first  { a1, a2, a3 }
group second { b1, b2, b3, b4 }

service db    { in first, second }
service cache { in first, second }
service api   { in first, second; needs db }
service web   { in first, second; needs api, cache }

wave one { in first; parallel 1; soak 5m; on-failure halt }
wave two { in second; parallel 2; soak 2m; approve; on-failure halt }
