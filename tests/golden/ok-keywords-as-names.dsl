# valid: keywords are contextual, so every keyword below also serves as a name (list continuation lines start with 'wave' and 'in'); no diagnostics
rollout rollout {
  version "2026.48.1"
  namespace namespace
  deploy-template deploy-template
}

group group { in, soak }
group import {
  image,
  registry
}

service wave     { in group, import }
service approve  { in group, import; needs wave }
service needs    { in in, soak, image, registry; needs approve }
service version {
  in group
  in import
  needs needs,
    wave
}
service continue   { in group, import }
service halt       { in group, import; needs version }
service on-failure { in group, import; needs halt, continue }
service rollback   { in import; needs continue }
service service    {
  in import,
    in
  needs approve
}

wave parallel { in in; parallel 1; soak 1m; approve }
wave group    { in group; on-failure continue }
wave import   { in import; on-failure rollback }
