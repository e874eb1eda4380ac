#!/usr/bin/python3
"""Tests for argosim.py: one small hand-written Workflow per controller rule.
Each test names the argo-workflows function (workflow/controller/...) it pins.

Run:  /usr/bin/python3 -m unittest test_argosim      (from this directory)
  or  /usr/bin/python3 tests/argo-sim/test_argosim.py
"""

import json
import os
import subprocess
import sys
import tempfile
import textwrap
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import argosim  # noqa: E402

DEPLOY = """
  - name: deploy
    inputs:
      parameters: [{name: service}, {name: cluster}, {name: action, default: deploy}]
    container: {image: deployer}
"""


def call(svc, cl="x", tmpl="deploy"):
    """Arguments of one deploy call (flow style)."""
    return ("template: %s, arguments: {parameters: [{name: service, value: %s}, {name: cluster, value: %s}]}"
            % (tmpl, svc, cl))


def wf(templates, entry="main", extra="", docs=""):
    text = textwrap.dedent("""\
        apiVersion: argoproj.io/v1alpha1
        kind: Workflow
        metadata: {generateName: t-}
        spec:
          entrypoint: %s
        %s
          templates:
        """) % (entry, textwrap.indent(textwrap.dedent(extra), "  ") if extra else "")
    text += textwrap.indent(textwrap.dedent(templates), "  ") + textwrap.indent(textwrap.dedent(DEPLOY), "  ")
    if docs:
        text += "---\n" + textwrap.dedent(docs)
    return text


def run(text, **kw):
    return argosim.simulate_text(text, argosim.Options(**kw), with_nodes=True)


def deploys(r, svc=None):
    return [d for d in r["deploys"] if svc is None or d["service"] == svc]


def node(r, suffix, wfname="root"):
    hits = [n for n in r["nodes"] if n["workflow"] == wfname and n["name"].endswith(suffix)]
    assert len(hits) == 1, (suffix, [n["name"] for n in hits])
    return hits[0]


class FailFast(unittest.TestCase):

    def test_template_failfast_stops_starting_children(self):
        """checkParallelism (operator.go): template-level failFast: true, a
        Failed child -> no new child; the DAG is Failed once its own pods ended."""
        r = run(wf("""
            - name: main
              failFast: true
              dag:
                tasks:
                - {name: a, %s}
                - {name: b, %s}
                - {name: c, dependencies: [b], %s}
            """ % (call("a"), call("b"), call("c"))), fail=["a@x"], durations={"a@x": 10})
        self.assertEqual(deploys(r, "c"), [])
        self.assertEqual(r["phase"], "Failed")
        self.assertEqual(r["end"], 30)
        self.assertEqual(node(r, "t-00000")["end"], 30)

    def test_template_failfast_is_opt_in(self):
        """Template.IsFailFast (workflow_types.go): nil means false, so without
        `failFast: true` the same DAG starts c after b (assessDAGPhase decides)."""
        r = run(wf("""
            - name: main
              dag:
                tasks:
                - {name: a, %s}
                - {name: b, %s}
                - {name: c, dependencies: [b], %s}
            """ % (call("a"), call("b"), call("c"))), fail=["a@x"], durations={"a@x": 10})
        self.assertEqual([d["start"] for d in deploys(r, "c")], [30])
        self.assertEqual(r["phase"], "Failed")
        self.assertEqual(r["end"], 60)

    def test_dag_level_failfast_does_not_stop_siblings(self):
        """assessDAGPhase (dag.go): dag.failFast (default true) is read only
        when assessing; executeDAG runs executeDAGTask for every target first,
        so an independent branch still starts after a failure (issues 5223, 10312)."""
        r = run(wf("""
            - name: main
              dag:
                failFast: true
                tasks:
                - {name: a, %s}
                - {name: b, %s}
                - {name: c, dependencies: [b], %s}
                - {name: d, dependencies: [a], %s}
            """ % (call("a"), call("b"), call("c"), call("d"))), fail=["a@x"], durations={"a@x": 10})
        self.assertEqual([d["start"] for d in deploys(r, "c")], [30])
        self.assertEqual(deploys(r, "d"), [])
        self.assertEqual(node(r, ".d")["phase"], "Omitted")
        self.assertEqual(r["phase"], "Failed")

    def test_failfast_with_nested_dags_fails_while_children_run(self):
        """checkParallelism (operator.go): a failFast template whose children are
        nested DAGs has no pods of its own, so it is marked Failed as soon as
        one child DAG failed; the other child DAG is never executed again (its
        running pod ends, its next task never starts).  markWorkflowPhase waits
        for the running pod's task result before the Workflow ends."""
        r = run(wf("""
            - name: main
              steps:
              - - {name: wave, template: wave}
            - name: wave
              failFast: true
              dag:
                tasks:
                - {name: c1, template: c1}
                - {name: c2, template: c2}
            - name: c1
              dag:
                tasks:
                - {name: p1, %s}
            - name: c2
              dag:
                tasks:
                - {name: p2, %s}
                - {name: p3, dependencies: [p2], %s}
            """ % (call("a", "c1"), call("b", "c2"), call("c", "c2"))),
            fail=["a@c1"], durations={"a@c1": 10})
        self.assertEqual(node(r, "].wave")["phase"], "Failed")
        self.assertEqual(node(r, "].wave")["end"], 10)
        self.assertEqual(node(r, ".wave.c2")["phase"], "Running")
        self.assertEqual(deploys(r, "b")[0]["end"], 30)
        self.assertEqual(deploys(r, "c"), [])
        self.assertEqual((r["phase"], r["end"]), ("Failed", 30))

    def test_failfast_nested_under_a_dag_never_ends(self):
        """assessDAGPhase (dag.go) walks every node reachable from the DAG's
        children; the abandoned nested DAG stays Running, so a DAG above the
        failFast template never completes: the Workflow is stuck."""
        r = run(wf("""
            - name: main
              dag:
                tasks:
                - {name: wave, template: wave}
            - name: wave
              failFast: true
              dag:
                tasks:
                - {name: c1, template: c1}
                - {name: c2, template: c2}
            - name: c1
              dag:
                tasks:
                - {name: p1, %s}
            - name: c2
              dag:
                tasks:
                - {name: p2, %s}
                - {name: p3, dependencies: [p2], %s}
            """ % (call("a", "c1"), call("b", "c2"), call("c", "c2"))),
            fail=["a@c1"], durations={"a@c1": 10})
        self.assertEqual(r["phase"], "Running")
        self.assertEqual(deploys(r, "c"), [])


class StepsAndContinueOn(unittest.TestCase):

    STEPS = """
        - name: main
          steps:
          - - {name: a, %s %s}
          - - {name: b, %s}
        """

    def test_continue_on_failed_makes_group_succeed(self):
        """executeStepGroup (steps.go): a Failed child with continueOn.failed
        does not fail the group; the Steps node and the Workflow succeed."""
        r = run(wf(self.STEPS % (call("a"), ", continueOn: {failed: true}", call("b"))), fail=["a@x"])
        self.assertEqual(r["phase"], "Succeeded")
        self.assertEqual([d["start"] for d in deploys(r, "b")], [30])

    def test_without_continue_on_the_steps_fail(self):
        """executeSteps (steps.go): a Failed group fails the Steps node; no later group."""
        r = run(wf(self.STEPS % (call("a"), "", call("b"))), fail=["a@x"])
        self.assertEqual(r["phase"], "Failed")
        self.assertEqual(deploys(r, "b"), [])

    def test_continue_on_failed_does_not_cover_error(self):
        """continues (workflow_types.go): Error needs continueOn.error."""
        r = run(wf(self.STEPS % (call("a"), ", continueOn: {failed: true}", call("b"))), error=["a@x"])
        self.assertEqual(r["phase"], "Failed")
        self.assertEqual(deploys(r, "a")[0]["phase"], "Error")

    def test_when_on_step_status(self):
        """resolveReferences + shouldExecute (steps.go): `{{steps.X.status}}`
        substituted, then govaluate with bare words as strings; `in`."""
        r = run(wf("""
            - name: main
              steps:
              - - {name: a, %s, continueOn: {failed: true}}
              - - {name: b, when: "{{steps.a.status}} == Failed", %s}
                - {name: c, when: "{{steps.a.status}} == Succeeded", %s}
                - {name: d, when: "{{steps.a.status}} in (Failed, Error) && {{workflow.status}} != Succeeded", %s}
            """ % (call("a"), call("b"), call("c"), call("d"))), fail=["a@x"])
        self.assertEqual(len(deploys(r, "b")), 1)
        self.assertEqual(deploys(r, "c"), [])
        self.assertEqual(node(r, ".c")["phase"], "Skipped")
        self.assertEqual(len(deploys(r, "d")), 1)

    def test_with_items(self):
        """expandStepGroup / processItem (steps.go, operator.go): one child per item."""
        r = run(wf("""
            - name: main
              steps:
              - - name: a
                  template: deploy
                  withItems: [x, y]
                  arguments: {parameters: [{name: service, value: a}, {name: cluster, value: "{{item}}"}]}
            """))
        self.assertEqual(sorted((d["cluster"], d["start"]) for d in deploys(r)), [("x", 0), ("y", 0)])
        self.assertTrue(any(p["path"].endswith(".a(1:y)") for p in r["pods"]))

    def test_step_on_exit_runs_before_next_group(self):
        """executeStepGroup + runOnExitNode (steps.go, exit_handler.go): the
        group completes only when the step's onExit node is fulfilled."""
        r = run(wf("""
            - name: main
              steps:
              - - {name: a, %s, onExit: cleanup}
              - - {name: b, %s}
            - name: cleanup
              steps:
              - - {name: c, %s}
            """ % (call("a"), call("b"), call("c"))))
        self.assertEqual([d["start"] for d in deploys(r, "c")], [30])
        self.assertEqual([d["start"] for d in deploys(r, "b")], [60])


class ExitHandler(unittest.TestCase):

    def exit_wf(self, continue_on):
        return wf("""
            - name: main
              steps:
              - - {name: a, %s}
            - name: exit-handler
              steps:
              - - name: notify
                  template: notify
                  arguments: {parameters: [{name: message, value: "{{workflow.status}} {{workflow.failures}}"}]}
                  %s
            - name: notify
              inputs: {parameters: [{name: message}]}
              container: {image: curl}
            """ % (call("a"), continue_on), extra="onExit: exit-handler")

    def test_failed_exit_handler_fails_a_succeeded_workflow(self):
        """operate (operator.go): Succeeded main + Failed onExit node -> markWorkflowFailed."""
        r = run(self.exit_wf(""), fail_notify=True)
        self.assertEqual((r["phase"], r["end"]), ("Failed", 60))
        self.assertEqual(deploys(r, "a")[0]["phase"], "Succeeded")

    def test_exit_handler_with_continue_on_does_not(self):
        """operate + executeStepGroup: continueOn inside the handler keeps it Succeeded."""
        r = run(self.exit_wf("continueOn: {failed: true, error: true}"), fail_notify=True)
        self.assertEqual(r["phase"], "Succeeded")

    def test_workflow_status_and_failures_in_exit_handler(self):
        """operate (operator.go): workflow.status / workflow.failures are set from
        the entry node before the onExit template is executed."""
        r = run(self.exit_wf(""), fail=["a@x"])
        msg = r["notifications"][0]["message"]
        self.assertTrue(msg.startswith("Failed "), msg)
        failures = json.loads(json.loads(msg[len("Failed "):]))
        self.assertIn("a", [f["displayName"] for f in failures])
        self.assertEqual(r["phase"], "Failed")


class Parallelism(unittest.TestCase):

    def test_dag_parallelism(self):
        """checkParallelism (operator.go): active Pod/Steps/DAG children of the boundary."""
        r = run(wf("""
            - name: main
              parallelism: 2
              dag:
                tasks:
                - {name: a, %s}
                - {name: b, %s}
                - {name: c, %s}
                - {name: d, %s}
            """ % (call("a"), call("b"), call("c"), call("d"))))
        self.assertEqual(sorted(d["start"] for d in deploys(r)), [0, 0, 30, 30])

    def test_parallelism_counts_nested_dag_children(self):
        """checkParallelism / getActiveChildren (node_counters.go): a running
        nested DAG counts against its parent's parallelism."""
        r = run(wf("""
            - name: main
              parallelism: 1
              dag:
                tasks:
                - {name: c1, template: cl, arguments: {parameters: [{name: cluster, value: c1}]}}
                - {name: c2, template: cl, arguments: {parameters: [{name: cluster, value: c2}]}}
            - name: cl
              inputs: {parameters: [{name: cluster}]}
              dag:
                tasks:
                - {name: s, template: deploy, arguments: {parameters: [{name: service, value: s}, {name: cluster, value: "{{inputs.parameters.cluster}}"}]}}
                - {name: t, dependencies: [s], template: deploy, arguments: {parameters: [{name: service, value: t}, {name: cluster, value: "{{inputs.parameters.cluster}}"}]}}
            """))
        self.assertEqual([(d["service"], d["cluster"], d["start"]) for d in deploys(r)],
                         [("s", "c1", 0), ("t", "c1", 30), ("s", "c2", 60), ("t", "c2", 90)])

    def test_workflow_parallelism(self):
        """checkParallelism (operator.go): spec.parallelism against all active pods."""
        r = run(wf("""
            - name: main
              steps:
              - - {name: a, %s}
                - {name: b, %s}
            """ % (call("a"), call("b")), extra="parallelism: 1"))
        self.assertEqual(sorted(d["start"] for d in deploys(r)), [0, 30])


class Dag(unittest.TestCase):

    def test_enhanced_depends(self):
        """evaluateDependsLogic / GetTaskDependencies (dag.go, ancestry.go)."""
        r = run(wf("""
            - name: main
              dag:
                tasks:
                - {name: a, %s}
                - {name: b, depends: "a.Failed", %s}
                - {name: c, depends: "a", %s}
                - {name: d, depends: "a.Succeeded || a.Errored || a.Failed", %s}
                - {name: e, depends: "!a.Succeeded && (b.Succeeded || b.Skipped)", %s}
            """ % (call("a"), call("b"), call("c"), call("d"), call("e"))), fail=["a@x"])
        # targets (c, d, e: tasks nobody depends on) are walked in name order,
        # and e reaches b through its dependencies: so d is created before b
        self.assertEqual([(d["service"], d["start"]) for d in deploys(r)],
                         [("a", 0), ("d", 30), ("b", 30), ("e", 60)])
        self.assertEqual(node(r, ".c")["phase"], "Omitted")
        self.assertEqual(r["phase"], "Failed")

    def test_continue_on_in_dag(self):
        """expandDependency (ancestry.go) + assessDAGPhase (dag.go): a task with
        continueOn.failed lets its dependents run and does not fail the DAG."""
        r = run(wf("""
            - name: main
              dag:
                tasks:
                - {name: a, continueOn: {failed: true}, %s}
                - {name: b, dependencies: [a], %s}
            """ % (call("a"), call("b"))), fail=["a@x"])
        self.assertEqual([d["start"] for d in deploys(r, "b")], [30])
        self.assertEqual(r["phase"], "Succeeded")

    def test_when_on_task_status(self):
        """resolveDependencyReferences (dag.go): `{{tasks.X.status}}` of an ancestor."""
        r = run(wf("""
            - name: main
              dag:
                tasks:
                - {name: a, continueOn: {failed: true}, %s}
                - {name: b, depends: "a", when: "{{tasks.a.status}} != Succeeded", %s}
            """ % (call("a"), call("b"))), fail=["a@x"])
        self.assertEqual(len(deploys(r, "b")), 1)


class Retry(unittest.TestCase):

    RETRY = """
            - name: rdeploy
              inputs:
                parameters: [{name: service}, {name: cluster}]
              retryStrategy: {limit: 2, retryPolicy: OnError, backoff: {duration: 10s, factor: 2}}
              container: {image: deployer}
            """

    def test_retry_on_error(self):
        """processNodeRetries (operator.go): an Error attempt is retried after the backoff."""
        r = run(wf("""
            - name: main
              steps:
              - - {name: a, %s}
            """ % call("a", tmpl="rdeploy") + self.RETRY), error=["a@x"])
        self.assertEqual([(d["start"], d["end"], d["phase"]) for d in deploys(r)],
                         [(0, 30, "Error"), (40, 70, "Succeeded")])
        self.assertEqual(r["phase"], "Succeeded")

    def test_on_error_does_not_retry_a_failure(self):
        """processNodeRetries: retryPolicy OnError leaves a Failed attempt alone."""
        r = run(wf("""
            - name: main
              steps:
              - - {name: a, %s}
            """ % call("a", tmpl="rdeploy") + self.RETRY), fail=["a@x"])
        self.assertEqual(len(deploys(r)), 1)
        self.assertEqual(r["phase"], "Failed")

    def test_limit(self):
        """processNodeRetries: `limit` retries, backoff duration*factor^n."""
        r = run(wf("""
            - name: main
              steps:
              - - {name: a, %s}
            """ % call("a", tmpl="rdeploy") + self.RETRY), error=["a@x"], error_attempts=9)
        self.assertEqual([d["start"] for d in deploys(r)], [0, 40, 90])
        self.assertEqual(node(r, "].a")["phase"], "Error")   # the Retry node takes the last attempt's phase
        self.assertEqual(r["phase"], "Failed")               # executeSteps: a failed group fails the Steps node

    def test_template_failfast_defeats_retry(self):
        """checkParallelism + getUnsuccessfulChildren (operator.go,
        node_counters.go): the errored first attempt is a Failed/Error Pod child
        of the failFast DAG, which is marked Failed, so the retry never starts."""
        r = run(wf("""
            - name: main
              failFast: true
              dag:
                tasks:
                - {name: a, %s}
                - {name: b, %s}
            """ % (call("a", tmpl="rdeploy"), call("b")) + self.RETRY),
            error=["a@x"], durations={"b@x": 100})
        self.assertEqual(len(deploys(r, "a")), 1)
        self.assertEqual((r["phase"], r["end"]), ("Failed", 100))


class Suspend(unittest.TestCase):

    SUSPEND = """
        - name: main
          steps:
          - - {name: soak, template: soak}
          - - {name: approve, template: approve}
          - - {name: a, %s}
        - name: soak
          suspend: {duration: "%s"}
        - name: approve
          suspend: {}
        """

    def test_duration_and_approval(self):
        """executeSuspend (operator.go): a duration expires; `suspend: {}` waits for resume."""
        r = run(wf(self.SUSPEND % (call("a"), "15m")), approve_after=120)
        self.assertEqual([(s["name"], s["start"], s["end"], s["approval"]) for s in r["suspends"]],
                         [("soak", 0, 900, False), ("approve", 900, 1020, True)])
        self.assertEqual(deploys(r)[0]["start"], 1020)

    def test_never_approved(self):
        """executeSuspend: without `argo resume` the Workflow waits for ever."""
        r = run(wf(self.SUSPEND % (call("a"), "1m")), never_approve=True)
        self.assertEqual(r["phase"], "Running")
        self.assertEqual(deploys(r), [])

    def test_go_duration_has_no_days(self):
        """executeSuspend / ParseStringToDuration: "2d" is not a Go duration -> Error node."""
        r = run(wf(self.SUSPEND % (call("a"), "2d")))
        self.assertEqual(node(r, ".soak")["phase"], "Error")
        self.assertEqual(r["phase"], "Failed")


class PodsAndSecrets(unittest.TestCase):

    SECRET = """
        - name: main
          steps:
          - - {name: a, template: s}
        - name: s
          %s
          container:
            image: x
            env:
            - name: URL
              valueFrom:
                secretKeyRef: {name: hook, key: url%s}
        """

    def test_deadline_fails_a_pending_pod(self):
        """activeDeadlineSeconds on the pod (kubelet) -> PodFailed with a message ->
        inferFailedReason (operator.go) gives Failed."""
        r = run(wf(self.SECRET % ("activeDeadlineSeconds: 50", "")), missing_secrets=["hook"])
        self.assertEqual((r["pods"][0]["phase"], r["pods"][0]["end"]), ("Failed", 50))
        self.assertEqual(r["phase"], "Failed")

    def test_optional_secret_runs(self):
        r = run(wf(self.SECRET % ("activeDeadlineSeconds: 50", ", optional: true")), missing_secrets=["hook"])
        self.assertEqual((r["phase"], r["end"]), ("Succeeded", 30))

    def test_no_deadline_hangs(self):
        """A pod that cannot start and has no deadline keeps the Workflow Running."""
        r = run(wf(self.SECRET % ("", "")), missing_secrets=["hook"])
        self.assertEqual(r["phase"], "Running")

    def test_deadline_kills_a_long_pod(self):
        r = run(wf("""
            - name: main
              steps:
              - - {name: a, template: d2, arguments: {parameters: [{name: service, value: a}, {name: cluster, value: x}]}}
            - name: d2
              activeDeadlineSeconds: 60
              inputs: {parameters: [{name: service}, {name: cluster}]}
              container: {image: x}
            """), durations={"a@x": 600})
        self.assertEqual((deploys(r)[0]["end"], deploys(r)[0]["phase"]), (60, "Failed"))

    def test_missing_input_is_an_error(self):
        """ProcessArgs (workflow/common/util.go): inputs.parameters.X was not supplied."""
        r = run(wf("""
            - name: main
              steps:
              - - {name: a, template: deploy, arguments: {parameters: [{name: service, value: a}]}}
            """))
        self.assertEqual(node(r, ".a")["phase"], "Error")
        self.assertEqual(r["phase"], "Failed")

    def test_script_exit_heuristic_and_mutex(self):
        """A container whose script ends in `exit 1` fails; synchronization is recorded."""
        r = run(wf("""
            - name: main
              steps:
              - - {name: f, template: fail}
            - name: fail
              container: {image: alpine, command: [sh, -c], args: ["echo no\\nexit 1\\n"]}
            """, extra="synchronization: {mutexes: [{name: train}]}"))
        self.assertEqual(r["phase"], "Failed")
        self.assertEqual(r["mutexes"][0]["name"], "train")


class TemplatesAndChildren(unittest.TestCase):

    WT = """
        apiVersion: argoproj.io/v1alpha1
        kind: WorkflowTemplate
        metadata: {name: child-wt}
        spec:
          entrypoint: run
          arguments: {parameters: [{name: svc, value: none}]}
          templates:
          - name: run
            dag:
              tasks:
              - name: one
                templateRef: {name: child-wt, template: leaf}
                arguments: {parameters: [{name: service, value: "{{workflow.parameters.svc}}"}, {name: cluster, value: x}]}
          - name: leaf
            inputs: {parameters: [{name: service}, {name: cluster}]}
            container: {image: deployer}
        """

    def parent(self, svc, conds=True):
        sc = "successCondition: status.phase == Succeeded" if conds else "setOwnerReference: false"
        fc = "failureCondition: status.phase in (Failed, Error)" if conds else "flags: []"
        return wf("""
            - name: main
              steps:
              - - {name: mk, template: mk}
              - - {name: after, %s}
            - name: mk
              resource:
                action: create
                %s
                %s
                manifest: |
                  apiVersion: argoproj.io/v1alpha1
                  kind: Workflow
                  metadata: {generateName: child-}
                  spec:
                    workflowTemplateRef: {name: child-wt}
                    arguments: {parameters: [{name: svc, value: %s}]}
            """ % (call("after"), sc, fc, svc), docs=self.WT)

    def test_resource_step_waits_for_child(self):
        """executeResource (operator.go) + WaitResource/matchConditions
        (executor/resource.go): the pod polls the child's status.phase."""
        r = run(self.parent("a"), durations={"a@x": 100})
        self.assertEqual([(c["template"], c["start"], c["end"], c["phase"]) for c in r["children"]],
                         [("child-wt", 0, 100, "Succeeded")])
        self.assertEqual(deploys(r, "a")[0]["workflow"], r["children"][0]["name"])
        self.assertEqual(deploys(r, "after")[0]["start"], 100)
        self.assertEqual(r["phase"], "Succeeded")

    def test_failed_child_fails_the_resource_step(self):
        r = run(self.parent("a"), fail=["a@x"])
        self.assertEqual(r["children"][0]["phase"], "Failed")
        self.assertEqual(deploys(r, "after"), [])
        self.assertEqual(r["phase"], "Failed")

    def test_resource_without_conditions_does_not_wait(self):
        """WaitResource: no conditions -> the pod does not wait for the child."""
        r = run(self.parent("a", conds=False), durations={"a@x": 100})
        self.assertEqual(deploys(r, "after")[0]["start"], 30)

    def test_failfast_wave_of_resource_steps_waits_for_running_children(self):
        """checkParallelism: resource pods are the wave's own pods, so a failFast
        wave is only marked Failed when every running child has ended."""
        r = run(wf("""
            - name: main
              failFast: true
              dag:
                tasks:
                - {name: c1, template: mk, arguments: {parameters: [{name: svc, value: a}]}}
                - {name: c2, template: mk, arguments: {parameters: [{name: svc, value: b}]}}
            - name: mk
              inputs: {parameters: [{name: svc}]}
              resource:
                action: create
                successCondition: status.phase == Succeeded
                failureCondition: status.phase in (Failed, Error)
                manifest: |
                  apiVersion: argoproj.io/v1alpha1
                  kind: Workflow
                  metadata: {generateName: child-}
                  spec:
                    workflowTemplateRef: {name: child-wt}
                    arguments: {parameters: [{name: svc, value: "{{inputs.parameters.svc}}"}]}
            """, docs=self.WT), fail=["a@x"], durations={"a@x": 10, "b@x": 100})
        self.assertEqual((r["phase"], r["end"]), ("Failed", 100))
        self.assertEqual(node(r, "t-00000")["end"], 100)

    def test_unknown_template_ref_is_an_opaque_pod(self):
        """ResolveTemplate: a WorkflowTemplate not in the stream -> a leaf pod
        with the call's arguments (a simulator convention)."""
        r = run(wf("""
            - name: main
              steps:
              - - name: a
                  templateRef: {name: deploy-service, template: deploy}
                  arguments: {parameters: [{name: service, value: a}, {name: cluster, value: x}, {name: image, value: i}]}
            """))
        self.assertEqual(r["pods"][0]["templateRef"], "deploy-service/deploy")
        self.assertEqual(r["pods"][0]["params"]["image"], "i")
        self.assertEqual(r["phase"], "Succeeded")


class Cli(unittest.TestCase):

    def test_cli_writes_trace(self):
        text = wf("""
            - name: main
              steps:
              - - {name: a, %s}
            """ % call("a"))
        with tempfile.TemporaryDirectory() as d:
            src, out = os.path.join(d, "w.yaml"), os.path.join(d, "t.json")
            with open(src, "w") as f:
                f.write(text)
            p = subprocess.run([sys.executable, os.path.join(HERE, "argosim.py"), src, "--fail", "a@x",
                                "--trace", out], capture_output=True, text=True)
            self.assertEqual(p.returncode, 0, p.stderr)
            with open(out) as f:
                r = json.load(f)
        self.assertEqual(r["phase"], "Failed")
        self.assertEqual(set(r), {"phase", "end", "message", "deploys", "pods", "suspends",
                                  "children", "notifications", "mutexes"})


if __name__ == "__main__":
    unittest.main()
