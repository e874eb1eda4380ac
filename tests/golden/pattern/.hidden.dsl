# Not imported by "pattern/*.dsl": a name starting with '.' (an editor's
# file) matches only a pattern that starts with '.' too.  If it were
# read, this would be an error.
rollout not-imported
