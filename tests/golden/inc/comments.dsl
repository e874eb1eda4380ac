# Imported by ok-comments-everywhere.dsl.  A file of comments and one service.

# storage
service storage { in us }  # trailing

# end
