# Imported by ok-import-pattern.dsl through "pattern/*.dsl", after
# a-storage.dsl (sorted order).
service query { in us; needs storage }
