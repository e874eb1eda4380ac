# Imported by ok-import-cycle.dsl; imports cycle-b.dsl, which imports this file back.
import "cycle-b.dsl"

service storage { in us }
