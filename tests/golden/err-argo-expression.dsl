# '{{' in a string that goes into the Workflow: Argo would evaluate it; caret under the '{{' (lines 3, 4, 5, 11, 12)
rollout golden {
  version "{{inputs.parameters.cluster}}"
  registry "gcr.io/{{workflow.name}}"
  notify "#deploy {{workflow.status}}"
}

group us { us-central1-a }

service auth { in us }
service api { in us; image "x{{=sprig.env('HOME')}}" }
service web { in us; version "2026.48.1 \"{{x}}\"" }
service ok { in us; version "2026.48.1 {x} }}" }

wave us { in us }
