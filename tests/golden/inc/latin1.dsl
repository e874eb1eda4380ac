# Imported by err-import-not-utf8.dsl: this file is Latin-1, not UTF-8: café
service cafe { in us }
