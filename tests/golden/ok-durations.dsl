# valid: durations of one or more parts, largest unit first (2d becomes 48h in the Workflow); no diagnostics
rollout golden { version "2026.48.1" }

group all { c-one, c-two, c-three, c-four, c-five }

service auth { in all }

wave one   { in c-one; soak 45s }
wave two   { in c-two; soak 90m }
wave three { in c-three; soak 1h30m }
wave four  { in c-four; soak 2d; approve }
wave five  { in c-five; soak 1d12h30m15s }
