# tabs: columns as an editor shows them, a tab to the next multiple of 8;
# the caret is under 'storge' at column 25 (line 9)
rollout golden { version "2026.48.1" }

group us { us-central1-a, us-east1-b }
service storage { in us }
service api {
	in us
	needs	auth,	storge
}
service auth { in us }
wave all { in us }
