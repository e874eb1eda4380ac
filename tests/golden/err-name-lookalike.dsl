# look-alike and invisible characters in words: the error names the character (U+XXXX and its name) and its column
rollout golden { version "2026.48.1" }

group us { us-central1-a, us-east1-b }

service stоrage { in us }
service api​ { in us }
service web ui { in us }
service q‮uery { in us }
wavе us { in us }
service query { іn us }
wave all { in us; parallel ２ }
