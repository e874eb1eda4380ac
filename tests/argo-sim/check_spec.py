#!/usr/bin/python3
"""check_spec: an oracle for what a planner Workflow did when it ran.

Reads the JSON plan that `planner plan FILE --json PLAN` writes, the failure
that was injected into the run, and the trace that argosim.py wrote for the
run, and checks the trace against the product's specification
(shared/spec/argo-output.md, sections 4-7, and rollout-language.md, "The
plan").  Its model of what must happen is computed from the plan alone, never
from the Workflow, so that a Workflow that reads right and runs wrong is
caught.

    check_spec.py PLAN.json TRACE.json [--fail SVC@CLUSTER | --error SVC@CLUSTER]
                  [--fail-notify] [--missing-secret NAME] [--never-approve]
                  [--baseline TRACE0.json] [--workflow W.yaml] [--quiet]

--fail / --error   the deploy that was made to fail (exit 1) or error (its
                   pod evicted: its first attempt ends Error)
--fail-notify, --missing-secret
                   notifications were made to fail / a Secret was missing:
                   these must change nothing, so the trace is checked like a
                   run without them and, with --baseline, compared with the
                   trace of that run (deploys run, their phases, the phase)
--never-approve    approvals were never given: the run may stop at the first
                   approval (phase Running)
--workflow W.yaml  also check the Workflow's size limits (Scale: 1/2 MiB per
                   document, 200 templates, 200 DAG tasks)

Prints one violation per line; exit status 0 when there is none, 1 when
there are violations, 2 on a usage error or unreadable input.

Ties: times are compared with the failure's moment strictly (a deploy that
starts at the very instant another deploy of the same cluster ends may have
been started by that other deploy's end); run-scenarios gives the failing
deploy an odd duration so that such ties do not hide anything.
"""

import argparse
import json
import sys

EPS = 1e-6
INF = float("inf")
SUCC, FAIL, ERR, RUN = "Succeeded", "Failed", "Error", "Running"
MAX_DOC_BYTES = 512 * 1024
MAX_TEMPLATES = 200
MAX_TASKS = 200


def fmt(t):
    if t is None:
        return "never"
    if t == INF:
        return "inf"
    return ("%d" % t) if float(t).is_integer() else ("%.3f" % t)


def key_str(k):
    return "%s@%s" % k


# ---------------------------------------------------------------------------
# the model, from the JSON plan only


class Plan:
    def __init__(self, j):
        if j.get("format") != 1:
            raise ValueError("plan format %r, want 1" % j.get("format"))
        ro = j["rollout"]
        self.name = ro["name"]
        self.notify = ro.get("notify")
        self.waves = j["waves"]
        self.wave_index = {w["name"]: i for i, w in enumerate(self.waves)}
        self.services = {s["name"]: s for s in j["services"]}
        self.service_order = {s["name"]: i for i, s in enumerate(j["services"])}
        self.cluster_wave = {}
        self.cluster_order = {}      # cluster -> services in plan order (step, declaration)
        self.cluster_pos = {}
        self.deploys = set()
        self.order = []              # every deploy in plan order
        for i, c in enumerate(j["clusters"]):
            name = c["name"]
            self.cluster_pos[name] = i
            self.cluster_wave[name] = self.wave_index[c["wave"]]
            svcs = [s for step in c["deploys"] for s in step]
            self.cluster_order[name] = svcs
            for s in svcs:
                self.deploys.add((s, name))
        for w in self.waves:
            for c in w["clusters"]:
                for s in self.cluster_order.get(c, []):
                    self.order.append((s, c))
        # order of waves then clusters as the plan lists them
        self.wave_clusters = [list(w["clusters"]) for w in self.waves]
        self.needs_in, self.needs_cross = {}, {}
        for (s, c) in self.deploys:
            needs = self.services[s]["needs"]
            self.needs_in[(s, c)] = [n for n in needs if (n, c) in self.deploys]
            self.needs_cross[(s, c)] = [n for n in needs if (n, c) not in self.deploys]
        self.of_service = {}
        for s, svc in self.services.items():
            self.of_service[s] = [(s, c) for c in svc["clusters"] if (s, c) in self.deploys]

    def wave_of(self, key):
        return self.cluster_wave[key[1]]

    def wname(self, i):
        return self.waves[i]["name"]


# ---------------------------------------------------------------------------
# the trace


def num(t):
    return None if t is None else float(t)


class Trace:
    def __init__(self, j):
        self.phase = j.get("phase")
        self.end = num(j.get("end"))
        self.recs = []
        for r in j.get("deploys", []):
            r = dict(r)
            r["start"], r["end"] = num(r.get("start")), num(r.get("end"))
            self.recs.append(r)
        self.recs.sort(key=lambda r: (r["start"], r["service"], r["cluster"]))
        self.deploy = [r for r in self.recs if r.get("action", "deploy") == "deploy"]
        self.rollback = [r for r in self.recs if r.get("action") == "rollback"]
        self.other = [r for r in self.recs if r.get("action", "deploy") not in ("deploy", "rollback")]
        self.by_key, self.rb_by_key = {}, {}
        for r in self.deploy:
            self.by_key.setdefault((r["service"], r["cluster"]), []).append(r)
        for r in self.rollback:
            self.rb_by_key.setdefault((r["service"], r["cluster"]), []).append(r)
        self.pods = j.get("pods", [])
        self.suspends = []
        for s in j.get("suspends", []):
            s = dict(s)
            s["start"], s["end"] = num(s.get("start")), num(s.get("end"))
            self.suspends.append(s)
        self.suspends.sort(key=lambda s: s["start"])
        self.notes = []
        for n in j.get("notifications", []):
            n = dict(n)
            n["start"] = num(n.get("start"))
            self.notes.append(n)
        self.notes.sort(key=lambda n: n["start"])

    def ended_ok(self, key):
        """The deploy ran and its last attempt Succeeded."""
        rs = self.by_key.get(key)
        return bool(rs) and rs[-1].get("phase") == SUCC

    def end_of(self, r):
        return INF if r["end"] is None else r["end"]


# ---------------------------------------------------------------------------
# the checks


class Checker:
    def __init__(self, plan, trace, fail=None, kind=None, never_approve=False):
        self.p, self.t = plan, trace
        self.fail, self.kind = fail, kind        # (svc, cluster), "fail" | "error"
        self.never_approve = never_approve
        self.v = []
        self.w = None          # wave index of the failure
        self.policy = None
        self.tf = None         # the failure's moment
        self.retried_ok = False

    def bad(self, msg):
        self.v.append(msg)

    # -- helpers ------------------------------------------------------------

    def wave_recs(self, k, recs=None):
        recs = self.t.deploy if recs is None else recs
        return [r for r in recs if self.p.cluster_wave.get(r["cluster"]) == k]

    def check_once_ok(self, keys, label):
        """Each deploy ran exactly once, action deploy, and Succeeded."""
        missing = []
        for key in keys:
            rs = self.t.by_key.get(key, [])
            if not rs:
                missing.append(key)
            elif len(rs) > 1:
                self.bad("%s: deploy %s ran %d times (at %s), want once"
                         % (label, key_str(key), len(rs), ", ".join(fmt(r["start"]) for r in rs)))
            elif rs[0].get("phase") != SUCC:
                self.bad("%s: deploy %s ended %s, want Succeeded" % (label, key_str(key), rs[0].get("phase")))
        if missing:
            self.bad("%s: %d deploy(s) never ran: %s%s" % (
                label, len(missing), ", ".join(key_str(k) for k in missing[:5]),
                " ..." if len(missing) > 5 else ""))

    def check_none_ran(self, keys, label, recs=None):
        recs = self.t.deploy if recs is None else recs
        keys = set(keys)
        ran = [r for r in recs if (r["service"], r["cluster"]) in keys]
        if ran:
            r = ran[0]
            self.bad("%s: %d invocation(s) ran that must not, first %s (%s) at %s"
                     % (label, len(ran), key_str((r["service"], r["cluster"])),
                        r.get("action", "deploy"), fmt(r["start"])))

    # -- generic ----------------------------------------------------------------

    def check_generic(self):
        p, t = self.p, self.t
        for r in t.other:
            self.bad("deploy template invoked with action %r for %s" % (r.get("action"), key_str((r["service"], r["cluster"]))))
        unknown = sorted({(r["service"], r["cluster"]) for r in t.recs} - p.deploys)
        if unknown:
            self.bad("%d invocation(s) of the deploy template for deploys the plan does not have, e.g. %s"
                     % (len(unknown), key_str(unknown[0])))
        if t.phase == RUN and not self.never_approve:
            self.bad("the Workflow is stuck (phase Running at t=%s) though every approval was given" % fmt(t.end))
        if t.phase not in (SUCC, FAIL, ERR, RUN):
            self.bad("trace phase %r is none of Succeeded, Failed, Error, Running" % t.phase)
        if t.phase != RUN:
            unended = [r for r in t.recs if r["end"] is None]
            if unended:
                r = unended[0]
                self.bad("%d deploy-template invocation(s) never ended, e.g. %s (%s) started at %s"
                         % (len(unended), key_str((r["service"], r["cluster"])), r.get("action", "deploy"), fmt(r["start"])))
        # section 3: parameters service, cluster, image, version as the plan says
        seen_bad = 0
        for pod in t.pods:
            par = pod.get("params") or {}
            if "service" not in par or "cluster" not in par:
                continue
            key = (par["service"], par["cluster"])
            svc = p.services.get(key[0])
            if svc is None or key not in p.deploys:
                continue
            for name in ("image", "version"):
                if par.get(name) != svc[name]:
                    if seen_bad < 3:
                        self.bad("deploy %s invoked with %s=%r, the plan says %r"
                                 % (key_str(key), name, par.get(name), svc[name]))
                    seen_bad += 1
        if seen_bad > 3:
            self.bad("... and %d more invocations with a wrong image or version" % (seen_bad - 3))

    def check_needs_order(self):
        """A deploy starts only once what it needs has succeeded: (B, c) where
        B runs in c, else every deploy of B (in earlier waves)."""
        t, p = self.t, self.p
        count = 0
        for r in t.deploy:
            key = (r["service"], r["cluster"])
            if key not in p.deploys:
                continue
            for b in p.needs_in[key]:
                okb = [x for x in t.by_key.get((b, key[1]), [])
                       if x.get("phase") == SUCC and x["end"] is not None and x["end"] <= r["start"] + EPS]
                if not okb:
                    count += 1
                    if count <= 5:
                        bs = t.by_key.get((b, key[1]), [])
                        why = ("never ran" if not bs else
                               "ended %s at %s" % (bs[-1].get("phase"), fmt(bs[-1]["end"])))
                        self.bad("needs order: %s started at %s, but what it needs, %s, %s"
                                 % (key_str(key), fmt(r["start"]), key_str((b, key[1])), why))
            for b in p.needs_cross[key]:
                for bk in p.of_service.get(b, []):
                    okb = [x for x in t.by_key.get(bk, [])
                           if x.get("phase") == SUCC and x["end"] is not None and x["end"] <= r["start"] + EPS]
                    if not okb:
                        count += 1
                        if count <= 5:
                            bs = t.by_key.get(bk, [])
                            why = ("never ran" if not bs else
                                   "ended %s at %s" % (bs[-1].get("phase"), fmt(bs[-1]["end"])))
                            self.bad("needs order: %s started at %s, but %s (it needs %s, which does not run in %s) %s"
                                     % (key_str(key), fmt(r["start"]), key_str(bk), b, key[1], why))
                        break
        if count > 5:
            self.bad("needs order: ... and %d more" % (count - 5))

    def check_parallel(self, recs, what):
        for k, w in enumerate(self.p.waves):
            par = w.get("parallel")
            if par is None:
                continue
            span = {}
            for r in self.wave_recs(k, recs):
                s, e = r["start"], self.t.end_of(r)
                a = span.get(r["cluster"])
                span[r["cluster"]] = (s, e) if a is None else (min(a[0], s), max(a[1], e))
            ev = []
            for c, (s, e) in span.items():
                ev.append((e, 0, c))
                ev.append((s, 1, c))
            ev.sort()
            cur = set()
            for tm, kind, c in ev:
                if kind == 0:
                    cur.discard(c)
                else:
                    cur.add(c)
                    if len(cur) > par:
                        self.bad("wave %s (parallel %d): %d clusters %s at once at t=%s: %s"
                                 % (w["name"], par, len(cur), what, fmt(tm), ", ".join(sorted(cur))))
                        break

    def check_gates(self, upto):
        """Waves in sequence: each deploy of wave k starts after every deploy of
        the waves before it ended, and after their soak (a suspend of at least
        the soak) and approval.  Gates are required for waves < upto."""
        p, t = self.p, self.t
        used_s = set()
        gate, gate_why = 0.0, "the start"
        for k, w in enumerate(p.waves):
            recs = self.wave_recs(k)
            early = [r for r in recs if r["start"] < gate - EPS]
            if early:
                r = min(early, key=lambda r: r["start"])
                self.bad("wave order: %s (wave %s) started at %s, before %s at %s"
                         % (key_str((r["service"], r["cluster"])), w["name"], fmt(r["start"]), gate_why, fmt(gate)))
            if k >= upto:
                return
            ends = [t.end_of(r) for r in recs]
            done = max(ends + [gate])
            gate, gate_why = done, "wave %s ended" % w["name"]
            if w.get("soak"):
                cand = [i for i, s in enumerate(t.suspends)
                        if i not in used_s and not s.get("approval") and s["start"] >= done - EPS
                        and (INF if s["end"] is None else s["end"]) - s["start"] >= w["soak"] - EPS]
                if not cand:
                    self.bad("wave %s: no soak of %ss (a suspend of at least that long) after its last deploy ended at %s"
                             % (w["name"], w["soak"], fmt(done)))
                else:
                    i = cand[0]
                    used_s.add(i)
                    s = t.suspends[i]
                    gate, gate_why = (INF if s["end"] is None else s["end"]), "the soak of wave %s ended" % w["name"]
            if w.get("approve"):
                cand = [i for i, s in enumerate(t.suspends)
                        if i not in used_s and s.get("approval") and s["start"] >= gate - EPS]
                if not cand:
                    self.bad("wave %s: no approval (suspend: {}) after %s at %s" % (w["name"], gate_why, fmt(gate)))
                else:
                    i = cand[0]
                    used_s.add(i)
                    s = t.suspends[i]
                    want = "approve-" + w["name"]
                    if len(want) <= 63 and s.get("name") != want:
                        self.bad("wave %s: its approval is named %r, want %r" % (w["name"], s.get("name"), want))
                    gate = INF if s["end"] is None else s["end"]
                    gate_why = "the approval of wave %s" % w["name"]

    def check_notifications(self, upto, failed_key=None):
        """Section 6: with notify, a notice at the start, after each wave that
        went on, and a final one (the exit handler) naming what failed."""
        p, t = self.p, self.t
        if not p.notify:
            if t.notes:
                self.bad("the rollout has no notify, yet %d notification(s) were posted" % len(t.notes))
            return
        if t.phase == RUN:
            return
        notes = list(t.notes)
        if not notes:
            self.bad("the rollout has notify %r, but no notification was posted" % p.notify)
            return
        final = notes[-1]
        if failed_key is not None:
            # a parent Workflow sees a failed child Workflow, not the deploy
            # in it: naming the cluster (or the service) is enough, in the
            # final notice or in the failure notice of the child Workflow
            # that ran the deploy, posted after the failure
            def names(n):
                msg = str(n.get("message"))
                return failed_key[0] in msg or failed_key[1] in msg
            tf = self.tf if self.tf is not None else -INF
            if not names(final) and not any(
                    names(n) and n["start"] >= tf - EPS for n in notes):
                self.bad("no notification after the failure names the service or the cluster that failed (%s); the final one: %r"
                         % (key_str(failed_key), str(final.get("message"))[:300]))
        rest = notes[:-1]
        if t.deploy:
            first = min(r["start"] for r in t.deploy)
            if not rest or rest[0]["start"] > first + EPS:
                self.bad("no notification at the start (before the first deploy at %s)" % fmt(first))
            else:
                rest = rest[1:]
        used = set()
        for k, w in enumerate(p.waves[:upto]):
            recs = self.wave_recs(k)
            if not recs:
                continue
            done = max(t.end_of(r) for r in recs)
            later = [r["start"] for r in t.deploy if p.cluster_wave.get(r["cluster"], -1) > k]
            nxt = min(later) if later else INF
            cand = [i for i, n in enumerate(rest) if i not in used and done - EPS <= n["start"] <= nxt + EPS]
            if not cand:
                self.bad("no notification after wave %s (between its end at %s and the next wave at %s)"
                         % (w["name"], fmt(done), fmt(nxt)))
            else:
                used.add(cand[0])

    # -- scenarios --------------------------------------------------------------

    def run(self):
        p, t = self.p, self.t
        self.check_generic()
        self.check_needs_order()
        self.check_parallel(t.deploy, "deploying")
        self.check_parallel(t.rollback, "rolling back")
        if self.fail is None:
            self.no_failure()
        else:
            self.failure()
        return self.v

    def no_failure(self):
        p, t = self.p, self.t
        limit = len(p.waves)
        if self.never_approve:
            for k, w in enumerate(p.waves):
                if w.get("approve"):
                    limit = k + 1
                    break
        keys = [k for k in p.order if p.wave_of(k) < limit]
        self.check_once_ok(keys, "no failure")
        self.check_none_ran([k for k in p.order if p.wave_of(k) >= limit],
                            "waves after the first approval, never given")
        if t.rollback:
            r = t.rollback[0]
            self.bad("no failure, yet %d rollback invocation(s), first %s at %s"
                     % (len(t.rollback), key_str((r["service"], r["cluster"])), fmt(r["start"])))
        want = RUN if limit < len(p.waves) else SUCC
        if self.never_approve and limit == len(p.waves) and p.waves and p.waves[-1].get("approve"):
            want = RUN
        if t.phase != want:
            self.bad("phase %s, want %s" % (t.phase, want))
        self.check_gates(limit)
        self.check_notifications(limit)

    def failure(self):
        p, t = self.p, self.t
        fk = self.fail
        if fk not in p.deploys:
            self.bad("the injected failure %s is not a deploy of the plan" % key_str(fk))
            return
        self.w = w = p.wave_of(fk)
        self.policy = pol = p.waves[w]["on_failure"]
        label = "%s %s (wave %s, on-failure %s)" % (self.kind, key_str(fk), p.wname(w), pol)
        rs = t.by_key.get(fk, [])
        want_phase = FAIL if self.kind == "fail" else ERR
        if not rs:
            self.bad("%s: the failing deploy never ran" % label)
            # nothing failed: the run must then be a plain success
            self.fail = None
            self.no_failure()
            return
        if rs[0].get("phase") != want_phase:
            self.bad("%s: its first attempt ended %s, want %s" % (label, rs[0].get("phase"), want_phase))
        self.tf = tf = t.end_of(rs[0])
        self.retried_ok = len(rs) > 1 and rs[-1].get("phase") == SUCC
        # waves before the failure: as with no failure
        self.check_once_ok([k for k in p.order if p.wave_of(k) < w], label + ", earlier waves")
        # every other deploy that ran: at most once, Succeeded
        for key, recs in t.by_key.items():
            if key == fk or key not in p.deploys:
                continue
            if len(recs) > 1 and p.wave_of(key) >= w:
                self.bad("%s: deploy %s ran %d times" % (label, key_str(key), len(recs)))
            for r in recs:
                if r.get("phase") not in (SUCC, None) and p.wave_of(key) >= w:
                    self.bad("%s: deploy %s ended %s at %s though it was not made to fail (killed?)"
                             % (label, key_str(key), r.get("phase"), fmt(r["end"])))
        if pol in ("halt", "rollback"):
            self.halt(label, w, fk, tf)
            if pol == "rollback":
                self.rollback(label, w, tf)
            elif t.rollback:
                r = t.rollback[0]
                self.bad("%s: %d rollback invocation(s) under halt, first %s at %s"
                         % (label, len(t.rollback), key_str((r["service"], r["cluster"])), fmt(r["start"])))
            if t.phase != FAIL:
                self.bad("%s: phase %s, want Failed" % (label, t.phase))
            self.check_gates(w)
            self.check_notifications(w, fk)
        else:
            self.cont(label, w, fk)
            if t.rollback:
                r = t.rollback[0]
                self.bad("%s: %d rollback invocation(s) under continue, first %s at %s"
                         % (label, len(t.rollback), key_str((r["service"], r["cluster"])), fmt(r["start"])))
            if self.retried_ok:
                if t.phase not in (FAIL, SUCC):
                    self.bad("%s: phase %s, want Failed (or Succeeded: the errored deploy was retried and succeeded)"
                             % (label, t.phase))
            elif t.phase != FAIL and t.phase != RUN:
                self.bad("%s: phase %s, want Failed" % (label, t.phase))
            upto = len(p.waves)
            if self.never_approve:
                for k, wv in enumerate(p.waves):
                    if wv.get("approve"):
                        upto = k + 1
                        break
            self.check_gates(upto)
            self.check_notifications(upto, None if self.retried_ok else fk)

    def halt(self, label, w, fk, tf):
        p, t = self.p, self.t
        c = fk[1]
        # nothing of a later wave
        for k in range(w + 1, len(p.waves)):
            self.check_none_ran([x for x in p.order if p.wave_of(x) == k],
                                "%s: wave %s must not start" % (label, p.wname(k)), t.recs)
        # in c, no deploy starts after the failure
        in_c = [r for r in t.deploy if r["cluster"] == c]
        first = t.by_key[fk][0]
        ends_at = lambda recs, tm: any(r is not first and r["end"] is not None and abs(r["end"] - tm) <= EPS
                                       for r in recs)
        for r in in_c:
            if r is first:
                continue
            if r["start"] > tf + EPS or (abs(r["start"] - tf) <= EPS and not ends_at(in_c, tf)):
                self.bad("%s: %s started at %s, after the failure in its cluster at %s"
                         % (label, key_str((r["service"], r["cluster"])), fmt(r["start"]), fmt(tf)))
        # no cluster of the wave starts once c's running deploys have ended
        running = [t.end_of(r) for r in in_c if r["start"] <= tf + EPS]
        tc = max(running + [tf])
        wrecs = self.wave_recs(w)
        spans = {}
        for r in wrecs:
            a = spans.get(r["cluster"])
            s, e = r["start"], t.end_of(r)
            spans[r["cluster"]] = (s, e) if a is None else (min(a[0], s), max(a[1], e))
        for c2, (s, e) in spans.items():
            if c2 == c:
                continue
            tie = abs(s - tc) <= EPS and any(abs(e3 - tc) <= EPS for c3, (s3, e3) in spans.items() if c3 not in (c, c2))
            if s > tc + EPS or (abs(s - tc) <= EPS and not tie):
                self.bad("%s: cluster %s of the wave started at %s, after %s had failed (at %s) and its running deploys had ended (at %s)"
                         % (label, c2, fmt(s), c, fmt(tf), fmt(tc)))

    def rollback(self, label, w, tf):
        p, t = self.p, self.t
        wkeys = [k for k in p.order if p.wave_of(k) == w]
        wset = set(wkeys)
        for key, rbs in t.rb_by_key.items():
            if key not in wset:
                self.bad("%s: %s rolled back, but it is not a deploy of wave %s" % (label, key_str(key), p.wname(w)))
            elif len(rbs) > 1:
                self.bad("%s: %s rolled back %d times, want once" % (label, key_str(key), len(rbs)))
        missing = [k for k in wkeys if t.ended_ok(k) and k not in t.rb_by_key]
        if missing:
            self.bad("%s: %d deploy(s) of the wave succeeded and were never rolled back: %s%s"
                     % (label, len(missing), ", ".join(key_str(k) for k in missing[:5]),
                        " ..." if len(missing) > 5 else ""))
        dend = {}
        for r in self.wave_recs(w):
            dend[r["cluster"]] = max(dend.get(r["cluster"], 0.0), t.end_of(r))
        for r in t.rollback:
            key = (r["service"], r["cluster"])
            if key not in wset:
                continue
            if r.get("phase") not in (SUCC, None):
                self.bad("%s: the rollback of %s ended %s" % (label, key_str(key), r.get("phase")))
            if r["start"] < tf - EPS:
                self.bad("%s: %s rolled back at %s, before the failure at %s" % (label, key_str(key), fmt(r["start"]), fmt(tf)))
            if r["start"] < dend.get(r["cluster"], 0.0) - EPS:
                self.bad("%s: the rollback of %s started at %s while a deploy of the wave still ran in %s (until %s)"
                         % (label, key_str(key), fmt(r["start"]), r["cluster"], fmt(dend[r["cluster"]])))
            for b in p.needs_in[key]:
                for rb in t.rb_by_key.get((b, key[1]), []):
                    if t.end_of(r) > rb["start"] + EPS:
                        self.bad("%s: rollback order: %s (needed by %s) rolled back at %s, before the rollback of %s ended at %s"
                                 % (label, key_str((b, key[1])), key[0], fmt(rb["start"]), key_str(key), fmt(r["end"])))

    def cont(self, label, w, fk):
        p, t = self.p, self.t
        failed_waves = set()
        for r in t.deploy:
            if r.get("phase") in (FAIL, ERR) and (r["service"], r["cluster"]) in p.deploys:
                if not t.ended_ok((r["service"], r["cluster"])):
                    failed_waves.add(p.cluster_wave[r["cluster"]])
        cont_waves = {k for k, wv in enumerate(p.waves) if wv["on_failure"] == "continue"}
        upto = len(p.waves)
        if self.never_approve:
            for k, wv in enumerate(p.waves):
                if wv.get("approve"):
                    upto = k + 1
                    break
        held = []
        for key in p.order:
            if p.wave_of(key) >= upto:
                continue
            met = all(t.ended_ok((b, key[1])) for b in p.needs_in[key])
            met = met and all(t.ended_ok(bk) for b in p.needs_cross[key] for bk in p.of_service.get(b, []))
            if not met or key in t.by_key:
                continue
            excused = False
            for b in p.needs_cross[key]:
                for bk in p.of_service.get(b, []):
                    k2 = p.wave_of(bk)
                    if k2 < p.wave_of(key) and k2 in cont_waves and k2 in failed_waves:
                        excused = True
            if not excused:
                held.append(key)
        if held:
            self.bad("%s: %d deploy(s) never ran though everything they need succeeded: %s%s"
                     % (label, len(held), ", ".join(key_str(k) for k in held[:5]), " ..." if len(held) > 5 else ""))


# ---------------------------------------------------------------------------
# comparison with the run without the notify failure / missing Secret


def outcome(t):
    return sorted((r["service"], r["cluster"], r.get("action", "deploy"), r.get("phase")) for r in t.recs)


def compare(base, t, what):
    v = []
    if base.phase != t.phase:
        v.append("%s changed the outcome: phase %s, without it %s" % (what, t.phase, base.phase))
    a, b = outcome(base), outcome(t)
    if a != b:
        sa, sb = set(a), set(b)
        extra, gone = sorted(sb - sa), sorted(sa - sb)
        d = []
        if gone:
            d.append("missing %s %s@%s %s" % (gone[0][2], gone[0][0], gone[0][1], gone[0][3]))
        if extra:
            d.append("extra %s %s@%s %s" % (extra[0][2], extra[0][0], extra[0][1], extra[0][3]))
        if not d:
            d.append("a different number of invocations (%d vs %d)" % (len(b), len(a)))
        v.append("%s changed which deploys ran: %s (%d vs %d invocations)" % (what, "; ".join(d), len(b), len(a)))
    if base.end is not None and t.end is not None and t.end > base.end + 300:
        v.append("%s delayed the rollout by %ss (ends at %s, without it at %s)"
                 % (what, fmt(t.end - base.end), fmt(t.end), fmt(base.end)))
    return v


# ---------------------------------------------------------------------------
# static limits of the Workflow (Scale)


def check_workflow(path):
    import yaml
    v = []
    with open(path, encoding="utf-8") as f:
        docs = [d for d in yaml.safe_load_all(f) if d is not None]
    for d in docs:
        if not isinstance(d, dict):
            continue
        name = "%s %s" % (d.get("kind"), (d.get("metadata") or {}).get("name")
                          or (d.get("metadata") or {}).get("generateName"))
        size = len(json.dumps(d, separators=(",", ":"), default=str))
        if size > MAX_DOC_BYTES:
            v.append("%s is %d bytes, more than half of Argo's 1 MiB workflow size (%d)" % (name, size, MAX_DOC_BYTES))
        tmpls = (d.get("spec") or {}).get("templates") or []
        if len(tmpls) > MAX_TEMPLATES:
            v.append("%s has %d templates, more than the CRD's %d" % (name, len(tmpls), MAX_TEMPLATES))
        for tm in tmpls:
            tasks = ((tm or {}).get("dag") or {}).get("tasks") or []
            if len(tasks) > MAX_TASKS:
                v.append("%s: DAG %s has %d tasks, more than the CRD's %d" % (name, tm.get("name"), len(tasks), MAX_TASKS))
    return v


# ---------------------------------------------------------------------------


def check(plan_json, trace_json, fail=None, error=None, fail_notify=False, missing_secret=(),
          never_approve=False, baseline_json=None):
    """Library entry point: returns the list of violations."""
    plan, trace = Plan(plan_json), Trace(trace_json)
    if fail and error:
        raise ValueError("--fail and --error are exclusive")
    fk = fail or error
    if fk is not None and not isinstance(fk, tuple):
        s, _, c = fk.partition("@")
        fk = (s, c)
    ch = Checker(plan, trace, fk, "fail" if fail else ("error" if error else None), never_approve)
    v = ch.run()
    if baseline_json is not None:
        what = " and ".join(x for x in (["failing notifications"] if fail_notify else []) +
                            ["the missing Secret %s" % m for m in missing_secret]) or "the injection"
        v += compare(Trace(baseline_json), trace, what)
    return v


def main(argv=None):
    ap = argparse.ArgumentParser(prog="check_spec.py",
                                 description="Check an argosim trace of a planner Workflow against the spec.")
    ap.add_argument("plan", help="the JSON plan (planner plan FILE --json PLAN)")
    ap.add_argument("trace", help="the argosim trace (--trace OUT)")
    g = ap.add_mutually_exclusive_group()
    g.add_argument("--fail", metavar="SVC@CLUSTER", help="the deploy made to fail")
    g.add_argument("--error", metavar="SVC@CLUSTER", help="the deploy whose first attempt errored")
    ap.add_argument("--fail-notify", action="store_true", help="notifications were made to fail")
    ap.add_argument("--missing-secret", action="append", default=[], metavar="NAME")
    ap.add_argument("--never-approve", action="store_true")
    ap.add_argument("--baseline", metavar="TRACE0", help="the trace of the run without --fail-notify/--missing-secret")
    ap.add_argument("--workflow", metavar="W.yaml", help="also check the Workflow's size limits")
    ap.add_argument("--quiet", action="store_true", help="print nothing, only set the exit status")
    a = ap.parse_args(argv)
    for x in (a.fail, a.error):
        if x is not None and "@" not in x:
            ap.error("want SVC@CLUSTER, not %r" % x)
    try:
        with open(a.plan, encoding="utf-8") as f:
            pj = json.load(f)
        with open(a.trace, encoding="utf-8") as f:
            tj = json.load(f)
        bj = None
        if a.baseline:
            with open(a.baseline, encoding="utf-8") as f:
                bj = json.load(f)
        v = check(pj, tj, a.fail, a.error, a.fail_notify, a.missing_secret, a.never_approve, bj)
        if a.workflow:
            v += check_workflow(a.workflow)
    except (OSError, ValueError, KeyError) as e:
        print("check_spec.py: %s" % (e,), file=sys.stderr)
        return 2
    if not a.quiet:
        for x in v:
            print(x)
    return 1 if v else 0


if __name__ == "__main__":
    sys.exit(main())
