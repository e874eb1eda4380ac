# Imported by ok-import-pattern.dsl through "pattern/*.dsl", before
# b-query.dsl (sorted order).
service storage { in us }
