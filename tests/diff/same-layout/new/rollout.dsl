# the same rollout, laid out by hand
rollout shop {
  version "1.2.0"   # what ships
}

group us { us-a, us-b }

service api {
  in us
  needs db  # the schema first
}
service db { in us }

wave one { in us-a; approve }
wave two {
  in us-b
  parallel 1
  soak 300s
}
