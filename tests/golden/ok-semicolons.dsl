# valid: ';' separates attributes, several declarations share a line, and blocks may start and end with separators; no diagnostics
rollout golden { version "2026.48.1"; registry "gcr.io/acme"; namespace argo }
group us { us-central1-a, us-east1-b } group eu { europe-west1-b }
service a { in us } service b { in us; needs a } service c { ; in us, eu ;; needs a, b ; }
service a2 {
  in us; in eu; needs c;
}
wave us { in us; parallel 1; soak 30s; approve } wave eu { ; in eu ; }
