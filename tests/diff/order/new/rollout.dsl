rollout shop { version "2.0" }
group all { a1, b1 }
service web { in all; version "2.0" }
service worker { in all; image "other.example/worker2" }
service jobs { in a1; needs worker }
wave b { in b1; approve; parallel 1 }
wave a { in a1 }
