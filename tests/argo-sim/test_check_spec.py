#!/usr/bin/python3
"""Tests for check_spec.py on hand-made traces: each rule of the oracle
accepts a trace that keeps it and rejects one that breaks it.

Run:  /usr/bin/python3 tests/argo-sim/test_check_spec.py
"""

import copy
import os
import subprocess
import sys
import tempfile
import json
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import check_spec  # noqa: E402

D = 30  # every deploy takes 30 s in these traces


def plan(on_failure="halt", notify=None):
    """Wave one: a1, a2 one at a time (schema, db, cache; api needs db and
    schema; web needs api).  Wave two: b1, b2, b3 two at a time, soak 60 and
    approve (db, api: api needs db, and schema across waves)."""
    a = [["schema", "db", "cache"], ["api"], ["web"]]
    b = [["db"], ["api"]]
    return {
        "format": 1,
        "rollout": {"name": "t", "version": "1", "registry": None, "namespace": None,
                    "notify": notify, "deploy_template": None},
        "summary": {},
        "waves": [
            {"name": "one", "parallel": 1, "soak": 0, "soak_text": None, "approve": False,
             "on_failure": on_failure, "clusters": ["a1", "a2"]},
            {"name": "two", "parallel": 2, "soak": 60, "soak_text": "1m", "approve": True,
             "on_failure": on_failure, "clusters": ["b1", "b2", "b3"]},
        ],
        "clusters": [{"name": c, "wave": "one", "steps": 3, "deploys": a} for c in ("a1", "a2")] +
                    [{"name": c, "wave": "two", "steps": 2, "deploys": b} for c in ("b1", "b2", "b3")],
        "services": [
            {"name": "schema", "image": "schema", "version": "1", "needs": [], "clusters": ["a1", "a2"]},
            {"name": "db", "image": "db", "version": "1", "needs": [], "clusters": ["a1", "a2", "b1", "b2", "b3"]},
            {"name": "cache", "image": "cache", "version": "1", "needs": [], "clusters": ["a1", "a2"]},
            {"name": "api", "image": "api", "version": "1", "needs": ["db", "schema"],
             "clusters": ["a1", "a2", "b1", "b2", "b3"]},
            {"name": "web", "image": "web", "version": "1", "needs": ["api"], "clusters": ["a1", "a2"]},
        ],
        "chain": [],
    }


def rec(s, c, start, end, phase="Succeeded", action="deploy"):
    return {"service": s, "cluster": c, "action": action, "start": start, "end": end,
            "phase": phase, "workflow": "root"}


def cluster_run(p, c, t0, skip=(), fail=None, fail_end=None):
    """The deploys of cluster c, step after step from t0; returns (recs, end)."""
    cl = [x for x in p["clusters"] if x["name"] == c][0]
    out, t = [], t0
    for step in cl["deploys"]:
        ran = False
        for s in step:
            if (s, c) in skip:
                continue
            if (s, c) == fail:
                out.append(rec(s, c, t, fail_end or t + D, "Failed"))
            else:
                out.append(rec(s, c, t, t + D))
            ran = True
        if ran:
            t += D
    return out, max([r["end"] for r in out] + [t0])


def good_run(p):
    """No failure: a1 then a2, soakless wave one; b1, b2 then b3; soak, approval."""
    recs, sus, notes = [], [], []
    notes.append({"message": "started", "start": 0, "phase": "Succeeded"})
    r, t = cluster_run(p, "a1", 30)
    recs += r
    r, t = cluster_run(p, "a2", t)
    recs += r
    notes.append({"message": "wave one", "start": t, "phase": "Succeeded"})
    t += 30
    r1, e1 = cluster_run(p, "b1", t)
    r2, e2 = cluster_run(p, "b2", t)
    r3, e3 = cluster_run(p, "b3", max(e1, e2))
    recs += r1 + r2 + r3
    t = e3
    notes.append({"message": "wave two", "start": t, "phase": "Succeeded"})
    sus.append({"name": "soak-two", "start": t, "end": t + 60, "approval": False})
    sus.append({"name": "approve-two", "start": t + 60, "end": t + 120, "approval": True})
    t += 120
    notes.append({"message": "t: Succeeded", "start": t, "phase": "Succeeded"})
    return {"phase": "Succeeded", "end": t + 30, "deploys": recs, "pods": [], "suspends": sus,
            "children": [], "notifications": notes}


def check(p, t, **kw):
    """check_spec.check; the traces here all post notices, which a rollout
    without notify must not: drop them then."""
    if not p["rollout"]["notify"]:
        t = dict(t, notifications=[])
    return check_spec.check(p, t, **kw)


class NoFailure(unittest.TestCase):

    def setUp(self):
        self.p = plan()
        self.t = good_run(self.p)

    def test_good_run_passes(self):
        self.assertEqual(check(self.p, self.t), [])

    def test_missing_deploy(self):
        self.t["deploys"] = [r for r in self.t["deploys"] if (r["service"], r["cluster"]) != ("web", "a2")]
        v = check(self.p, self.t)
        self.assertTrue(any("never ran: web@a2" in x for x in v), v)

    def test_twice(self):
        r = [r for r in self.t["deploys"] if r["service"] == "web"][0]
        self.t["deploys"].append(dict(r, start=r["end"], end=r["end"] + D))
        v = check(self.p, self.t)
        self.assertTrue(any("ran 2 times" in x for x in v), v)

    def test_failed_deploy_without_injection(self):
        self.t["deploys"][0]["phase"] = "Failed"
        v = check(self.p, self.t)
        self.assertTrue(any("want Succeeded" in x for x in v), v)

    def test_needs_order(self):
        for r in self.t["deploys"]:
            if (r["service"], r["cluster"]) == ("api", "a1"):
                r["start"] -= 10
        v = check(self.p, self.t)
        self.assertTrue(any(x.startswith("needs order: api@a1") for x in v), v)

    def test_cross_wave_need_order(self):
        # api@b1 needs every schema; pretend schema@a2 ended late
        for r in self.t["deploys"]:
            if (r["service"], r["cluster"]) == ("schema", "a2"):
                r["end"] = 10000
        v = check(self.p, self.t)
        self.assertTrue(any("needs order: api@b1" in x and "schema@a2" in x for x in v), v)

    def test_wave_overlap(self):
        for r in self.t["deploys"]:
            if (r["service"], r["cluster"]) == ("db", "b1"):
                r["start"] -= 100
        v = check(self.p, self.t)
        self.assertTrue(any(x.startswith("wave order: db@b1") for x in v), v)

    def test_parallel(self):
        # b3 together with b1 and b2: 3 clusters of a parallel-2 wave
        b1 = [r for r in self.t["deploys"] if r["cluster"] == "b1"]
        t0 = min(r["start"] for r in b1)
        for r in self.t["deploys"]:
            if r["cluster"] == "b3":
                shift = r["start"] - t0 - (0 if r["service"] == "db" else D)
                r["start"] -= shift
                r["end"] -= shift
        v = check(self.p, self.t)
        self.assertTrue(any("parallel 2): 3 clusters" in x for x in v), v)
        # wave one is parallel 1: a2 overlapping a1
        self.t = good_run(self.p)
        for r in self.t["deploys"]:
            if r["cluster"] == "a2":
                r["start"] -= 60
                r["end"] -= 60
        v = check(self.p, self.t)
        self.assertTrue(any("wave one (parallel 1)" in x for x in v), v)

    def test_parallel_back_to_back_is_fine(self):
        # a cluster that starts the moment another ends does not overlap it
        self.assertEqual(check(self.p, self.t), [])

    def test_soak_too_short(self):
        self.t["suspends"][0]["end"] -= 1
        self.t["suspends"][1]["start"] -= 1
        v = check(self.p, self.t)
        self.assertTrue(any("no soak of 60s" in x for x in v), v)

    def test_soak_before_the_wave_ended(self):
        for s in self.t["suspends"]:
            s["start"] -= 200
            s["end"] -= 200
        v = check(self.p, self.t)
        self.assertTrue(any("no soak" in x for x in v), v)

    def test_missing_approval(self):
        del self.t["suspends"][1]
        v = check(self.p, self.t)
        self.assertTrue(any("no approval" in x for x in v), v)

    def test_approval_name(self):
        self.t["suspends"][1]["name"] = "gate"
        v = check(self.p, self.t)
        self.assertTrue(any("named 'gate'" in x for x in v), v)

    def test_stuck(self):
        self.t["phase"] = "Running"
        v = check(self.p, self.t)
        self.assertTrue(any("stuck" in x for x in v), v)

    def test_never_approve_may_stop_at_the_approval(self):
        self.t["phase"] = "Running"
        self.t["suspends"][1]["end"] = None
        self.assertEqual(check(self.p, self.t, never_approve=True), [])

    def test_rollback_without_failure(self):
        self.t["deploys"].append(rec("db", "b1", 5000, 5030, action="rollback"))
        v = check(self.p, self.t)
        self.assertTrue(any("rollback" in x for x in v), v)

    def test_unknown_deploy(self):
        self.t["deploys"].append(rec("web", "b1", 10, 40))
        v = check(self.p, self.t)
        self.assertTrue(any("does not have" in x for x in v), v)

    def test_wrong_image(self):
        self.t["pods"] = [{"template": "deploy", "params": {"service": "db", "cluster": "a1", "image": "x",
                                                            "version": "1"}}]
        v = check(self.p, self.t)
        self.assertTrue(any("image='x'" in x for x in v), v)

    def test_notifications(self):
        p = plan(notify="#c")
        t = good_run(p)
        self.assertEqual(check(p, t), [])
        t2 = copy.deepcopy(t)
        del t2["notifications"][2]  # after wave two
        v = check(p, t2)
        self.assertTrue(any("no notification after wave two" in x for x in v), v)
        t3 = copy.deepcopy(t)
        del t3["notifications"][0]
        v = check(p, t3)
        self.assertTrue(any("at the start" in x for x in v), v)

    def test_notices_without_notify(self):
        v = check_spec.check(self.p, self.t)
        self.assertTrue(any("has no notify, yet 4 notification(s)" in x for x in v), v)

    def test_baseline(self):
        t2 = copy.deepcopy(self.t)
        t2["phase"] = "Failed"
        v = check(self.p, t2, fail_notify=True, baseline_json=self.t)
        self.assertTrue(any("changed the outcome" in x for x in v), v)
        self.assertEqual(check(self.p, copy.deepcopy(self.t), fail_notify=True, baseline_json=self.t), [])


def halted(p, fail=("db", "a1"), fail_end=67, extra=()):
    """db@a1 fails at 67: a1 stops (schema and cache ran), a2 never starts."""
    recs, _ = cluster_run(p, "a1", 30, skip={("api", "a1"), ("web", "a1")}, fail=fail, fail_end=fail_end)
    recs += list(extra)
    return {"phase": "Failed", "end": 100, "deploys": recs, "pods": [], "suspends": [],
            "children": [], "notifications": [{"message": "start", "start": 0, "phase": "Succeeded"},
                                              {"message": "Failed: a1", "start": 90, "phase": "Succeeded"}]}


class Halt(unittest.TestCase):

    def setUp(self):
        self.p = plan("halt")

    def test_good(self):
        self.assertEqual(check(self.p, halted(self.p), fail="db@a1"), [])

    def test_phase(self):
        t = halted(self.p)
        t["phase"] = "Succeeded"
        v = check(self.p, t, fail="db@a1")
        self.assertTrue(any("want Failed" in x for x in v), v)

    def test_injection_did_not_happen(self):
        t = halted(self.p)
        t["deploys"] = [r for r in t["deploys"] if r["service"] != "db"]
        v = check(self.p, t, fail="db@a1")
        self.assertTrue(any("never ran" in x for x in v), v)

    def test_deploy_after_failure_in_cluster(self):
        # a deploy of a1 that needs nothing that failed, started after 67
        t = halted(self.p)
        for r in t["deploys"]:
            if r["service"] == "cache":
                r["start"], r["end"] = 70, 100
        v = check(self.p, t, fail="db@a1")
        self.assertTrue(any("cache@a1 started at 70, after the failure" in x for x in v), v)

    def test_start_at_failure_instant(self):
        t = halted(self.p)
        for r in t["deploys"]:
            if r["service"] == "cache":
                r["start"], r["end"] = 67, 97
        v = check(self.p, t, fail="db@a1")
        self.assertTrue(any("cache@a1 started at 67" in x for x in v), v)
        # ... unless another deploy of a1 ended at that instant too
        for r in t["deploys"]:
            if r["service"] == "schema":
                r["end"] = 67
        v = check(self.p, t, fail="db@a1")
        self.assertFalse(any("cache@a1 started" in x for x in v), v)

    def test_next_cluster_starts_after_failure(self):
        r, _ = cluster_run(self.p, "a2", 67)
        v = check(self.p, halted(self.p, extra=r), fail="db@a1")
        self.assertTrue(any("cluster a2 of the wave started at 67" in x for x in v), v)

    def test_later_wave(self):
        t = halted(self.p, extra=[rec("db", "b1", 200, 230)])
        v = check(self.p, t, fail="db@a1")
        self.assertTrue(any("wave two must not start" in x for x in v), v)

    def test_dependent_of_failed(self):
        t = halted(self.p, extra=[rec("api", "a1", 50, 80)])
        v = check(self.p, t, fail="db@a1")
        self.assertTrue(any(x.startswith("needs order: api@a1") for x in v), v)

    def test_error_and_retry(self):
        t = halted(self.p)
        for r in t["deploys"]:
            if r["service"] == "db":
                r["phase"] = "Error"
        self.assertEqual(check(self.p, t, error="db@a1"), [])
        t["deploys"].append(rec("db", "a1", 77, 107))
        v = check(self.p, t, error="db@a1")
        self.assertTrue(any("db@a1 started at 77, after the failure" in x for x in v), v)

    def test_rollback_under_halt(self):
        t = halted(self.p, extra=[rec("schema", "a1", 70, 100, action="rollback")])
        v = check(self.p, t, fail="db@a1")
        self.assertTrue(any("rollback invocation(s) under halt" in x for x in v), v)

    def test_final_notice_names_failure(self):
        p = plan("halt", notify="#c")
        self.assertEqual(check(p, halted(p), fail="db@a1"), [])
        t = halted(p)
        t["notifications"][-1]["message"] = "t: Failed"
        v = check(p, t, fail="db@a1")
        self.assertTrue(any("names the service or the cluster" in x for x in v), v)
        # a child Workflow's own notice, after the failure, may name it
        t["notifications"].insert(-1, dict(t["notifications"][-1],
                                           message="wave: failed: a1"))
        self.assertEqual(check(p, t, fail="db@a1"), [])


class Rollback(unittest.TestCase):

    def setUp(self):
        self.p = plan("rollback")

    def run_(self, rbs):
        return halted(self.p, extra=rbs)

    def test_good(self):
        rbs = [rec("schema", "a1", 67, 97, action="rollback"), rec("cache", "a1", 67, 97, action="rollback"),
               rec("db", "a1", 67, 97, action="rollback"),        # the failed one may be undone too
               rec("web", "a1", 67, 97, action="rollback")]       # never ran: allowed
        self.assertEqual(check(self.p, self.run_(rbs), fail="db@a1"), [])

    def test_missing(self):
        rbs = [rec("schema", "a1", 67, 97, action="rollback")]
        v = check(self.p, self.run_(rbs), fail="db@a1")
        self.assertTrue(any("never rolled back: cache@a1" in x for x in v), v)

    def test_twice(self):
        rbs = [rec("schema", "a1", 67, 97, action="rollback"), rec("cache", "a1", 67, 97, action="rollback"),
               rec("cache", "a1", 97, 127, action="rollback")]
        v = check(self.p, self.run_(rbs), fail="db@a1")
        self.assertTrue(any("rolled back 2 times" in x for x in v), v)

    def test_while_deploying(self):
        t = halted(self.p, fail_end=90)
        t["deploys"] += [rec("schema", "a1", 70, 100, action="rollback"), rec("cache", "a1", 70, 100, action="rollback")]
        v = check(self.p, t, fail="db@a1")
        self.assertTrue(any("still ran in a1" in x for x in v), v)

    def test_order(self):
        # a2 finished before the failure?  Use a run where a1 deployed db,
        # schema, cache and api, then web failed: api must be undone before db
        t, _ = cluster_run(self.p, "a1", 30, fail=("web", "a1"))
        fend = max(r["end"] for r in t)
        rbs = [rec("db", "a1", fend, fend + D, action="rollback"),
               rec("schema", "a1", fend, fend + D, action="rollback"),
               rec("cache", "a1", fend, fend + D, action="rollback"),
               rec("api", "a1", fend, fend + D, action="rollback")]
        tr = {"phase": "Failed", "end": fend + 100, "deploys": t + rbs, "pods": [], "suspends": [],
              "children": [], "notifications": []}
        v = check(self.p, tr, fail="web@a1")
        self.assertTrue(any("rollback order: db@a1 (needed by api)" in x for x in v), v)
        rbs[0]["start"], rbs[0]["end"] = fend + D, fend + 2 * D
        rbs[1]["start"], rbs[1]["end"] = fend + D, fend + 2 * D
        self.assertEqual(check(self.p, tr, fail="web@a1"), [])

    def test_other_wave_rolled_back(self):
        rbs = [rec("schema", "a1", 67, 97, action="rollback"), rec("cache", "a1", 67, 97, action="rollback"),
               rec("db", "b1", 67, 97, action="rollback")]
        v = check(self.p, self.run_(rbs), fail="db@a1")
        self.assertTrue(any("not a deploy of wave one" in x for x in v), v)


def continued(p, fail, skip, hold=()):
    """Everything runs as in good_run but `fail` fails and `skip` never runs."""
    t = good_run(p)
    out = []
    for r in t["deploys"]:
        k = (r["service"], r["cluster"])
        if k in skip or k in hold:
            continue
        if k == fail:
            r["phase"] = "Failed"
        out.append(r)
    t["deploys"] = out
    t["phase"] = "Failed"
    t["notifications"][-1]["message"] = "t: Failed %s %s" % fail
    return t


class Continue(unittest.TestCase):

    def setUp(self):
        self.p = plan("continue")

    def test_good(self):
        t = continued(self.p, ("db", "a1"), {("api", "a1"), ("web", "a1")})
        self.assertEqual(check(self.p, t, fail="db@a1"), [])

    def test_cross_wave_need_blocks(self):
        # schema@a1 failed: api needs every schema, so api@b* must not run
        t = continued(self.p, ("schema", "a1"), {("api", "a1"), ("web", "a1")})
        v = check(self.p, t, fail="schema@a1")
        self.assertTrue(any("needs order: api@b1" in x and "schema@a1" in x for x in v), v)
        t = continued(self.p, ("schema", "a1"), {("api", "a1"), ("web", "a1"),
                                                ("api", "b1"), ("api", "b2"), ("api", "b3")})
        self.assertEqual(check(self.p, t, fail="schema@a1"), [])

    def test_held_back_needlessly(self):
        t = continued(self.p, ("db", "a1"), {("api", "a1"), ("web", "a1"), ("cache", "a2")})
        v = check(self.p, t, fail="db@a1")
        self.assertTrue(any("never ran though everything they need succeeded: cache@a2" in x for x in v), v)

    def test_conservative_across_waves_is_allowed(self):
        # cache@a1 failed (nothing needs it); holding back api@b* (it needs
        # schema, of the wave that had a failure) is allowed ...
        t = continued(self.p, ("cache", "a1"), set(), hold={("api", "b1"), ("api", "b2"), ("api", "b3")})
        self.assertEqual(check(self.p, t, fail="cache@a1"), [])
        # ... holding back db@b1 (no cross-wave need) is not
        t = continued(self.p, ("cache", "a1"), set(), hold={("db", "b1"), ("api", "b1")})
        v = check(self.p, t, fail="cache@a1")
        self.assertTrue(any("never ran though everything they need succeeded: db@b1" in x for x in v), v)

    def test_phase(self):
        t = continued(self.p, ("db", "a1"), {("api", "a1"), ("web", "a1")})
        t["phase"] = "Succeeded"
        v = check(self.p, t, fail="db@a1")
        self.assertTrue(any("want Failed" in x for x in v), v)

    def test_later_wave_gates_still_hold(self):
        t = continued(self.p, ("db", "a1"), {("api", "a1"), ("web", "a1")})
        t["suspends"] = []
        v = check(self.p, t, fail="db@a1")
        self.assertTrue(any("no soak" in x for x in v), v)


class Workflow(unittest.TestCase):

    def test_limits(self):
        with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as f:
            f.write("apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata: {generateName: x-}\n"
                    "spec:\n  entrypoint: a\n  templates:\n")
            for i in range(201):
                f.write("  - {name: t%d, suspend: {}}\n" % i)
            f.write("  - name: d\n    dag:\n      tasks:\n")
            for i in range(201):
                f.write("      - {name: k%d, template: t0}\n" % i)
        try:
            v = check_spec.check_workflow(f.name)
        finally:
            os.unlink(f.name)
        self.assertTrue(any("202 templates" in x for x in v), v)
        self.assertTrue(any("201 tasks" in x for x in v), v)


class Cli(unittest.TestCase):

    def test_exit_status(self):
        p = plan(notify="#c")
        d = tempfile.mkdtemp()
        pj, tj = os.path.join(d, "p.json"), os.path.join(d, "t.json")
        with open(pj, "w") as f:
            json.dump(p, f)
        with open(tj, "w") as f:
            json.dump(good_run(p), f)
        r = subprocess.run([sys.executable, os.path.join(HERE, "check_spec.py"), pj, tj],
                           stdout=subprocess.PIPE, universal_newlines=True)
        self.assertEqual((r.returncode, r.stdout), (0, ""))
        r = subprocess.run([sys.executable, os.path.join(HERE, "check_spec.py"), pj, tj, "--fail", "db@a1"],
                           stdout=subprocess.PIPE, universal_newlines=True)
        self.assertEqual(r.returncode, 1)
        self.assertIn("db@a1", r.stdout)
        r = subprocess.run([sys.executable, os.path.join(HERE, "check_spec.py"), pj, os.path.join(d, "nope")],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
        self.assertEqual(r.returncode, 2)


if __name__ == "__main__":
    unittest.main()
