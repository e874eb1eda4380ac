# issue 14's own example: the real name (europe-west4-a) is nowhere, so
# the warning names the part to check, not a whole name to write
rollout r { version "1" }
group us { us-central1-a, us-central1-b }
group eu { europe-west1-b, europe-wset4-a }
service api { in us, eu }
wave us { in us }
wave eu { in eu }
