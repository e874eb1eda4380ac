# cycle of needs api -> cache -> db -> api; caret under 'cache' in api's needs (line 7), notes at 'db' (line 8) and 'api' (line 9)
rollout golden { version "2026.48.1" }

group us { us-central1-a, us-east1-b }

service secrets { in us }
service api   { in us; needs secrets, cache }
service cache { in us; needs db }
service db    { in us; needs secrets, api }

wave us { in us }
