rollout shop { version "2.0" }
group all { a1, b1 }
service web { in all; version "2.0.1" }
service worker { in all; image "other.example/worker" }
wave a { in a1; parallel 1 }
wave b { in b1; approve }
