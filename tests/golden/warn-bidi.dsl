# bidirectional controls in comments and strings: a warning at the first of each (the "Trojan Source" attack); the plan is made
rollout golden {
  version "2026.48.1"  # ‮ } ;tset-ton⁦ x ⁩
  notify "#deploy‏-train"
}

# ؜an Arabic letter mark
group us { us-central1-a }

service auth { in us }

wave us { in us }
