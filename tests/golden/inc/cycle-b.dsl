# Imported by ok-import-cycle.dsl and by cycle-a.dsl; imports cycle-a.dsl back.
import "cycle-a.dsl"

service auth { in us; needs storage }
