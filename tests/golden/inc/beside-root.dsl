# Imported by err-import-nearest.dsl.  Its import is written as if from
# the rollout's directory: it names inc/inc/cycle-b.dsl.
import "inc/cycle-b.dsl"
