# warning, exit status 0: wave eu names us-central1-b, which wave us already took; caret under 'us-central1-b' in eu's 'in' (line 10), naming both waves
rollout golden { version "2026.48.1" }

group us { us-central1-a, us-central1-b }
group eu { europe-west1-b, europe-west4-a }

service api { in us, eu }

wave us { in us }
wave eu { in eu, us-central1-b }
