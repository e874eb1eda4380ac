# warning, exit status 0: wave first continues on failure, but api in wave second needs db from it; caret under 'continue' (line 10); solo needs nothing and web needs api in its own cluster, so only api is named
rollout golden { version "2026.48.1" }

group a { a1, a2 }
group b { b1 }
service db    { in a }
service api   { in b; needs db }
service web   { in b; needs api }
service solo  { in b }
wave first  { in a; on-failure continue }
wave second { in b; on-failure continue }
