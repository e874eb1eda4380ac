#!/usr/bin/python3
"""argosim: a discrete-event simulator of the Argo Workflows controller.

Walks a Workflow (YAML stream: one Workflow plus any WorkflowTemplates) the way
workflow/controller/operator.go schedules it, so that what a Workflow written by
`planner` does on a real controller -- above all on failure -- can be tested
without a cluster.

Every scheduling rule below names the controller function it was taken from
(argoproj/argo-workflows at v4.1.2, f016ad89; the same rules hold in v3.6.19).
The simulation is idealised where the controller depends on the outside world:
the pod informer is always up to date, a created pod runs at once (Pending only
when it cannot start: a missing Secret), the executor's task result arrives with
the pod's end, and `argo resume` of an approval happens after --approve-after.

Time is in seconds from the submission.  Usage: see `argosim.py --help`.
"""

import argparse
import heapq
import json
import re
import sys
import zlib

import yaml

SUCC, FAIL, ERR, RUN, PEND, SKIP, OMIT = (
    "Succeeded", "Failed", "Error", "Running", "Pending", "Skipped", "Omitted")

POD_TYPES = ("container", "containerSet", "script", "resource", "data")
TEMPLATE_TYPES = ("container", "containerSet", "steps", "script", "resource",
                  "dag", "suspend", "data", "http", "plugin")


class ArgoError(Exception):
    """An error the controller turns into an Error node (argoerrors.*)."""


class _Sentinel(Exception):
    pass


class ParallelismReached(_Sentinel):
    """ErrParallelismReached (operator.go)."""


class Requeue(_Sentinel):
    """ErrRequeue: a `steps.`/`tasks.` reference is not resolvable yet."""


PARALLELISM = ParallelismReached("parallelism reached")


# --------------------------------------------------------------------------
# small helpers

_DUR_UNITS = {"ns": 1e-9, "us": 1e-6, "\u00b5s": 1e-6, "ms": 1e-3,
              "s": 1.0, "m": 60.0, "h": 3600.0}
_DUR_RE = re.compile(r"([0-9]*\.?[0-9]+)(ns|us|\u00b5s|ms|s|m|h)")


def parse_duration(v):
    """wfv1.ParseStringToDuration: an integer is seconds, else Go's
    time.ParseDuration (no `d` unit: "2d" is an error)."""
    if isinstance(v, bool):
        raise ArgoError("invalid duration %r" % (v,))
    if isinstance(v, (int, float)):
        return float(v)
    s = str(v).strip()
    if re.fullmatch(r"-?\d+", s):
        return float(int(s))
    sign = 1.0
    if s[:1] in "+-":
        sign = -1.0 if s[0] == "-" else 1.0
        s = s[1:]
    if s == "0":
        return 0.0
    pos, total = 0, 0.0
    if not s:
        raise ArgoError('time: invalid duration "%s"' % v)
    while pos < len(s):
        m = _DUR_RE.match(s, pos)
        if not m:
            raise ArgoError('time: invalid duration "%s"' % v)
        total += float(m.group(1)) * _DUR_UNITS[m.group(2)]
        pos = m.end()
    return sign * total


def as_str(v):
    """wfv1.AnyString: parameter values are strings."""
    if v is None:
        return None
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, (dict, list)):
        return json.dumps(v, separators=(",", ":"))
    return str(v)


def as_int(v, what):
    if v is None:
        return None
    try:
        return int(str(v).strip())
    except ValueError:
        raise ArgoError("%s: %r is not an integer" % (what, v))


def tmpl_type(t):
    """Template.GetType (workflow_types.go)."""
    for k in TEMPLATE_TYPES:
        if t.get(k) is not None:
            return k
    return None


def is_pod_type(t):
    """Template.IsPodType (workflow_types.go)."""
    return tmpl_type(t) in POD_TYPES


_TAG_RE = re.compile(r"\{\{(.*?)\}\}", re.S)


def subst(obj, m, strict_prefixes=None):
    """util/template Replace / ReplaceStrictAny: replace `{{ key }}` by m[key],
    leaving unknown tags as they are (allowUnresolved); with strict_prefixes,
    an unknown tag under `steps.`/`tasks.` raises Requeue (IsMissingVariableErr
    -> woc.requeue in resolveReferences / resolveDependencyReferences)."""
    if isinstance(obj, str):
        if "{{" not in obj:
            return obj

        def rep(mo):
            key = mo.group(1).strip()
            if key in m:
                return m[key]
            if strict_prefixes and key.split(".", 1)[0] in strict_prefixes \
                    and not key.startswith("="):
                raise Requeue(key)
            return mo.group(0)
        return _TAG_RE.sub(rep, obj)
    if isinstance(obj, dict):
        return {k: subst(v, m, strict_prefixes) for k, v in obj.items()}
    if isinstance(obj, list):
        return [subst(v, m, strict_prefixes) for v in obj]
    return obj


def tags_in(obj):
    return set(k.strip() for k in _TAG_RE.findall(json.dumps(obj, default=str)))


def go_quote(s):
    """strconv.Quote, close enough for ASCII."""
    return json.dumps(s)


def fmt_time(t):
    if t is None:
        return None
    return int(t) if float(t).is_integer() else round(t, 3)


# --------------------------------------------------------------------------
# expressions

_TOK_RE = re.compile(r"""
    (?P<ws>\s+)
  | (?P<num>\d+(?:\.\d+)?(?![A-Za-z_]))
  | (?P<str>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')
  | (?P<op>==|!=|>=|<=|=~|!~|&&|\|\||\?\?|[!<>()+\-*/%,?:])
  | (?P<ident>[A-Za-z_][A-Za-z0-9_.]*)
""", re.X)


def _tokenize(s):
    pos, out = 0, []
    while pos < len(s):
        m = _TOK_RE.match(s, pos)
        if not m:
            raise ArgoError("Invalid token: '%s'" % s[pos:])
        pos = m.end()
        kind = m.lastgroup
        if kind == "ws":
            continue
        val = m.group(kind)
        if kind == "num":
            out.append(("num", float(val)))
        elif kind == "str":
            out.append(("str", bytes(val[1:-1], "utf-8").decode("unicode_escape")))
        elif kind == "op":
            out.append(("op", val))
        else:
            out.append(("ident", val))
    return out


class _Parser:
    """Precedence climbing over: || , && , comparators (== != < > <= >= =~ !~ in),
    + -, * / %, prefix ! -.  Used in two modes:
      govaluate ('when', shouldExecute in steps.go): an identifier is a string,
        true/false are booleans, `x in (a, b)` is membership;
      expr ('depends', evaluateDependsLogic in dag.go via argoexpr.EvalBool):
        `task.Result` looks up the TaskResults scope, and/or/not are keywords."""

    def __init__(self, toks, mode, scope=None):
        self.t, self.i, self.mode, self.scope = toks, 0, mode, scope or {}

    def peek(self):
        return self.t[self.i] if self.i < len(self.t) else (None, None)

    def take(self):
        tok = self.peek()
        self.i += 1
        return tok

    def is_op(self, *ops):
        k, v = self.peek()
        if k == "op" and v in ops:
            return v
        if k == "ident" and self.mode == "expr" and v in ("and", "or", "not") \
                and {"and": "&&", "or": "||", "not": "!"}[v] in ops:
            return {"and": "&&", "or": "||", "not": "!"}[v]
        if k == "ident" and v in ("in", "IN") and "in" in ops:
            return "in"
        return None

    def parse(self):
        v = self.ternary()
        if self.i != len(self.t):
            raise ArgoError("unexpected token %r" % (self.peek()[1],))
        return v

    def ternary(self):
        c = self.lor()
        if self.is_op("?"):
            self.take()
            a = self.ternary()
            if not self.is_op(":"):
                raise ArgoError("expected ':'")
            self.take()
            b = self.ternary()
            return a if _bool(c) else b
        return c

    def lor(self):
        v = self.land()
        while self.is_op("||"):
            self.take()
            r = self.land()
            v = _bool(v) or _bool(r)
        return v

    def land(self):
        v = self.cmp()
        while self.is_op("&&"):
            self.take()
            r = self.cmp()
            v = _bool(v) and _bool(r)
        return v

    def cmp(self):
        v = self.add()
        while True:
            op = self.is_op("==", "!=", "<", ">", "<=", ">=", "=~", "!~", "in")
            if not op:
                return v
            self.take()
            r = self.add()
            v = _compare(op, v, r)

    def add(self):
        v = self.mul()
        while True:
            op = self.is_op("+", "-")
            if not op:
                return v
            self.take()
            r = self.mul()
            if op == "+" and isinstance(v, str) and isinstance(r, str):
                v = v + r
            else:
                v = _num(v, op) + (_num(r, op) if op == "+" else -_num(r, op))

    def mul(self):
        v = self.prefix()
        while True:
            op = self.is_op("*", "/", "%")
            if not op:
                return v
            self.take()
            r = self.prefix()
            a, b = _num(v, op), _num(r, op)
            v = a * b if op == "*" else (a / b if op == "/" else a % b)

    def prefix(self):
        if self.is_op("!"):
            self.take()
            return not _bool(self.prefix())
        if self.is_op("-"):
            self.take()
            return -_num(self.prefix(), "-")
        return self.primary()

    def primary(self):
        k, v = self.take()
        if k == "op" and v == "(":
            vals = [self.ternary()]
            while self.is_op(","):
                self.take()
                vals.append(self.ternary())
            if not self.is_op(")"):
                raise ArgoError("unbalanced parenthesis")
            self.take()
            return vals[0] if len(vals) == 1 else tuple(vals)
        if k in ("num", "str"):
            return v
        if k == "ident":
            if v in ("true", "false"):
                return v == "true"
            if self.mode == "govaluate":
                return v  # VARIABLE tokens become STRING (shouldExecute)
            name, _, field = v.partition(".")
            if name not in self.scope:
                raise ArgoError("unknown name %s" % v)
            res = self.scope[name]
            if not field:
                return res
            if field not in res:
                raise ArgoError("unknown field %s" % v)
            return res[field]
        raise ArgoError("unexpected token %r" % (v,))


def _bool(v):
    if not isinstance(v, bool):
        raise ArgoError("Value '%s' cannot be used with a logical operator" % (v,))
    return v


def _num(v, op):
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise ArgoError("Value '%s' cannot be used with the modifier '%s', it is not a number" % (v, op))
    return v


def _compare(op, a, b):
    if op == "==":
        return type(a) == type(b) and a == b  # reflect.DeepEqual
    if op == "!=":
        return not (type(a) == type(b) and a == b)
    if op == "in":
        if not isinstance(b, tuple):
            b = (b,)
        return any(type(a) == type(x) and a == x for x in b)
    if op in ("=~", "!~"):
        if not isinstance(a, str) or not isinstance(b, str):
            raise ArgoError("regex comparators need strings")
        r = re.search(b, a) is not None
        return r if op == "=~" else not r
    if isinstance(a, str) and isinstance(b, str) or \
            all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in (a, b)):
        return {"<": a < b, ">": a > b, "<=": a <= b, ">=": a >= b}[op]
    raise ArgoError("cannot compare %r %s %r" % (a, op, b))


def should_execute(when):
    """shouldExecute (steps.go): govaluate with variables turned into strings."""
    if when is None or when == "":
        return True
    v = _Parser(_tokenize(str(when)), "govaluate").parse()
    if not isinstance(v, bool):
        raise ArgoError("Expected boolean evaluation for '%s'. Got %v" % (when, v))
    return v


def eval_depends(logic, scope):
    """argoexpr.EvalBool as called by evaluateDependsLogic (dag.go)."""
    v = _Parser(_tokenize(logic), "expr", scope).parse()
    if not isinstance(v, bool):
        raise ArgoError("unable to evaluate expression '%s'" % logic)
    return v


def match_selector(selector, obj):
    """labels.Parse + Requirement.Matches over gjson paths, as WaitResource /
    matchConditions (workflow/executor/resource.go) read a created resource."""
    reqs = []
    s = selector.strip()
    for part in re.findall(r"(?:[^,(]|\([^)]*\))+", s):
        part = part.strip()
        m = re.fullmatch(r"(\S+)\s+(in|notin)\s+\(([^)]*)\)", part)
        if m:
            reqs.append((m.group(1), m.group(2), [x.strip() for x in m.group(3).split(",")]))
            continue
        m = re.fullmatch(r"(\S+?)\s*(==|!=|=|>|<)\s*(\S+)", part)
        if m:
            reqs.append((m.group(1), m.group(2), [m.group(3)]))
            continue
        if part.startswith("!"):
            reqs.append((part[1:], "!", []))
        else:
            reqs.append((part, "exists", []))

    def lookup(path):
        cur = obj
        for p in path.split("."):
            if not isinstance(cur, dict) or p not in cur or cur[p] in (None, ""):
                return False, None
            cur = cur[p]
        return True, str(cur)
    results = []
    for key, op, vals in reqs:
        has, val = lookup(key)
        if op in ("=", "==", "in"):
            results.append(has and val in vals)
        elif op in ("!=", "notin"):
            results.append(not has or val not in vals)
        elif op == "exists":
            results.append(has)
        elif op == "!":
            results.append(not has)
        else:
            try:
                results.append(has and (int(val) > int(vals[0]) if op == ">" else int(val) < int(vals[0])))
            except ValueError:
                results.append(False)
    return results


# --------------------------------------------------------------------------
# model

class Node:
    """wfv1.NodeStatus, keyed by name (the controller keys by a hash of it)."""

    def __init__(self, wf, name, display, ntype, phase, boundary, template_name, now,
                 hooked=False, retried=False, synced=None):
        self.wf, self.name, self.display, self.type = wf, name, display, ntype
        self.phase, self.boundary, self.template_name = phase, boundary, template_name
        self.started, self.finished, self.message = now, None, ""
        self.children, self.outbound = [], []
        self.hooked, self.retried, self.synced = hooked, retried, synced
        self.tmpl = None
        self.pod = None
        self.inputs = {}

    def fulfilled(self):
        """NodeStatus.Fulfilled / NodePhase.Fulfilled (workflow_types.go)."""
        if self.synced is False:
            return False
        return self.phase in (SUCC, FAIL, ERR, SKIP, OMIT)

    def completed(self):
        """NodeStatus.Completed: Succeeded/Failed/Error and synced."""
        return self.phase in (SUCC, FAIL, ERR) and self.synced is not False

    def failed_or_error(self):
        return self.phase in (FAIL, ERR)


class TemplateCtx:
    """templateresolution.TemplateContext: where `template:` names resolve."""

    def __init__(self, sim, templates, label):
        self.sim, self.label = sim, label
        self.templates = {t.get("name"): t for t in (templates or [])}

    def resolve(self, org):
        """TemplateContext.ResolveTemplate.  A templateRef to a WorkflowTemplate
        that is not in the YAML stream becomes an opaque leaf pod (by request;
        the controller would Error the node)."""
        ref = org.get("templateRef")
        if ref:
            wt = self.sim.wftemplates.get(ref.get("name"))
            if wt is None:
                return self, self.sim.opaque_template(ref, org.get("arguments") or {})
            t = wt.templates.get(ref.get("template"))
            if t is None:
                raise ArgoError("template %s not found in workflow template %s"
                                % (ref.get("template"), ref.get("name")))
            return wt, t
        if org.get("inline"):
            return self, org["inline"]
        name = org.get("template")
        t = self.templates.get(name)
        if t is None:
            raise ArgoError("template %s not found" % name)
        return self, t


class Opts:
    """executeTemplateOpts."""

    def __init__(self, boundary_id="", on_exit=False, hooked=False, retried=False):
        self.boundary_id, self.on_exit, self.hooked, self.retried = boundary_id, on_exit, hooked, retried

    def copy(self, **kw):
        o = Opts(self.boundary_id, self.on_exit, self.hooked, self.retried)
        for k, v in kw.items():
            setattr(o, k, v)
        return o


class Workflow:
    def __init__(self, sim, name, spec, ctx, meta, parent=None, template_name="",
                 setup_error=None):
        self.sim, self.name, self.spec, self.ctx, self.meta = sim, name, spec, ctx, meta
        self.parent, self.template_name, self.setup_error = parent, template_name, setup_error
        self.nodes, self.phase, self.message = {}, "", ""
        self.started, self.finished, self.completed = None, None, False
        self.failures_json = None
        self.proc_cache = {}

    def base_globals(self):
        """setGlobalParameters / setGlobalRuntimeParameters (operator.go)."""
        g = {"workflow.name": self.name,
             "workflow.namespace": self.meta.get("namespace") or "argo",
             "workflow.uid": "uid-" + self.name,
             "workflow.mainEntrypoint": self.spec.get("entrypoint") or "",
             "workflow.serviceAccountName": self.spec.get("serviceAccountName") or "",
             "workflow.creationTimestamp": "2026-01-01T00:00:00Z",
             "workflow.status": self.phase,
             "workflow.duration": "%f" % ((self.sim.now - self.started) if self.started is not None else 0)}
        params = (self.spec.get("arguments") or {}).get("parameters") or []
        g["workflow.parameters"] = json.dumps(params)
        for p in params:
            v = p.get("value", p.get("default"))
            if v is not None:
                g["workflow.parameters." + p["name"]] = as_str(v)
        for k, v in (self.meta.get("labels") or {}).items():
            g["workflow.labels." + k] = as_str(v)
        for k, v in (self.meta.get("annotations") or {}).items():
            g["workflow.annotations." + k] = as_str(v)
        return g


# --------------------------------------------------------------------------
# one reconciliation pass of one Workflow: wfOperationCtx

class WfOp:
    def __init__(self, sim, wf):
        self.sim, self.wf = sim, wf
        self.active_pods = 0
        self.globals = wf.base_globals()

    # ---- node bookkeeping -------------------------------------------------

    def init_node(self, name, ntype, tmpl, org, boundary, phase, hooked=False, retried=False,
                  synced=None, message=""):
        """initializeNode / initializeExecutableNode (operator.go); the display
        name trims the boundary node's name and `^(\\[\\d+\\])?\\.`."""
        wf = self.wf
        if name in wf.nodes:
            raise RuntimeError("node %s already initialized" % name)
        b = wf.nodes.get(boundary)
        if b is not None:
            display = name[len(b.name):] if name.startswith(b.name) else name
            display = re.sub(r"^(\[\d+\])?\.", "", display)
        else:
            display = name
        tname = ""
        if org is not None:
            tname = org.get("template") or (org.get("templateRef") or {}).get("template") or ""
        n = Node(wf, name, display, ntype, phase, boundary, tname, self.sim.now,
                 hooked=hooked, retried=retried, synced=synced)
        n.message = message
        n.tmpl = tmpl
        if tmpl is not None:
            n.inputs = {p["name"]: p.get("value") for p in ((tmpl.get("inputs") or {}).get("parameters") or [])}
        n.seq = self.sim.next_seq()
        wf.nodes[name] = n
        self.sim.changed()
        if n.fulfilled():
            n.finished = self.sim.now
        return n

    def mark_phase(self, name, phase, message=None):
        """markNodePhase (operator.go): may overwrite a fulfilled node's phase."""
        n = self.wf.nodes.get(name)
        if n is None:
            n = self.init_node(name, "Skipped", None, None, "", phase)
        if n.phase != RUN and phase in (FAIL, ERR) and n.synced is not None:
            if n.synced is False:
                n.synced = True
                self.sim.changed()
        if n.phase != phase:
            n.phase = phase
            self.sim.changed()
            if n.pod is not None and phase in (FAIL, ERR, SUCC):
                self.sim.pod_marked(n)
        if message is not None and message != n.message:
            n.message = message
            self.sim.changed()
        if n.fulfilled() and n.finished is None:
            n.finished = self.sim.now
            self.sim.changed()
        return n

    def mark_error(self, name, err):
        """markNodeError."""
        return self.mark_phase(name, ERR, str(err))

    def init_or_mark_error(self, node, name, org, opts, err):
        """initializeNodeOrMarkError."""
        if node is not None:
            return self.mark_error(name, err)
        return self.init_node(name, "Skipped", None, org, opts.boundary_id, ERR,
                              hooked=opts.hooked, message=str(err))

    def add_child(self, parent, child):
        """addChildNode: records the edge even before the child exists."""
        p = self.wf.nodes[parent]
        if child not in p.children:
            p.children.append(child)
            self.sim.changed()

    def outbound_nodes(self, name):
        """getOutboundNodes (operator.go)."""
        n = self.wf.nodes.get(name)
        if n is None:
            return []
        if n.type in ("Skipped", "Suspend", "Pod", "HTTP", "Plugin"):
            return [n.name]
        if n.type == "TaskGroup":
            if not n.children:
                return [n.name]
            out = []
            for c in n.children:
                out.extend(self.outbound_nodes(c))
            return out
        if n.type == "Retry" and n.children:
            return [n.children[-1]]
        out = []
        for o in n.outbound:
            out.extend(self.outbound_nodes(o))
        return out

    def children_fulfilled(self, node, cache=None):
        """childrenFulfilled / childrenFulfilledHelper."""
        cache = {} if cache is None else cache
        if node.name in cache:
            return cache[node.name]
        if not node.children:
            cache[node.name] = node.fulfilled()
            return cache[node.name]
        cache[node.name] = True  # cycles cannot occur, but be safe
        for c in node.children:
            cn = self.wf.nodes.get(c)
            if cn is None:
                continue
            if not self.children_fulfilled(cn, cache):
                cache[node.name] = False
                return False
        return True

    # ---- counters: node_counters.go --------------------------------------

    def count_active_pods(self, boundary):
        """getActivePods: Pod nodes Pending/Running with this BoundaryID (all
        when boundary is ""), i.e. only the template's *own* pods."""
        return sum(1 for n in self.wf.nodes.values()
                   if n.type == "Pod" and (boundary == "" or n.boundary == boundary)
                   and n.phase in (PEND, RUN))

    def count_active_children(self, boundary):
        """getActiveChildren: Pod, Steps or DAG children Pending/Running."""
        return sum(1 for n in self.wf.nodes.values()
                   if n.boundary == boundary and n.type in ("Pod", "Steps", "DAG")
                   and n.phase in (PEND, RUN))

    def count_unsuccessful_children(self, boundary):
        """getUnsuccessfulChildren: Pod, Steps or DAG children Failed/Error
        (a failed retry attempt counts; the Retry node itself does not)."""
        return sum(1 for n in self.wf.nodes.values()
                   if n.boundary == boundary and n.type in ("Pod", "Steps", "DAG")
                   and n.phase in (FAIL, ERR))

    def leaf_step_group(self, boundary):
        """findLeafNodeWithType(boundaryID, StepGroup): the last StepGroup in DFS."""
        found = [None]

        def dfs(name, seen):
            n = self.wf.nodes.get(name)
            if n is None or name in seen:
                return
            seen.add(name)
            if n.type == "StepGroup":
                found[0] = n
            for c in n.children:
                dfs(c, seen)
        dfs(boundary, set())
        return found[0]

    # ---- checkParallelism (operator.go) -----------------------------------

    def check_parallelism(self, tmpl, node, boundary_id):
        """checkParallelism (operator.go), run by executeTemplate before a
        template's node is (re-)executed or a child is started:
        1. spec.parallelism against all active pods;
        2. for an existing DAG/Steps node: template-level failFast (opt-in:
           Template.IsFailFast is `FailFast != nil && *FailFast`) with a Failed/
           Error child -> the node is marked Failed as soon as it has no active
           pods *of its own* (nested DAG/steps children may still run, and are
           never executed again), and is not executed; then template
           parallelism against its own active pods;
        3. for a new child (or a finished one) of a boundary: the boundary
           template's failFast (same marking) and its parallelism against
           active Pod/Steps/DAG children."""
        par = self.wf.spec.get("parallelism")
        if par is not None and self.active_pods >= int(par):
            return PARALLELISM
        ttype = tmpl_type(tmpl)
        if node is not None and ttype in ("dag", "steps"):
            if tmpl.get("failFast") is True and self.count_unsuccessful_children(node.name) > 0:
                if self.count_active_pods(node.name) == 0:
                    if ttype == "steps":
                        sg = self.leaf_step_group(node.name)
                        if sg is not None:
                            self.mark_phase(sg.name, FAIL, "template has failed or errored children and failFast enabled")
                    self.mark_phase(node.name, FAIL, "template has failed or errored children and failFast enabled")
                return PARALLELISM
            p = tmpl.get("parallelism")
            if p is not None and int(p) > 0 and self.count_active_pods(node.name) >= int(p):
                return PARALLELISM
        if boundary_id and (node is None or node.phase not in (PEND, RUN)):
            bnode = self.wf.nodes[boundary_id]
            btmpl = bnode.tmpl or {}
            if btmpl.get("failFast") is True and self.count_unsuccessful_children(boundary_id) > 0:
                if self.count_active_pods(boundary_id) == 0:
                    if tmpl_type(btmpl) == "steps":
                        sg = self.leaf_step_group(boundary_id)
                        if sg is not None:
                            self.mark_phase(sg.name, FAIL, "template has failed or errored children and failFast enabled")
                    self.mark_phase(bnode.name, FAIL, "template has failed or errored children and failFast enabled")
                return PARALLELISM
            p = btmpl.get("parallelism")
            if p is not None and int(p) > 0 and self.count_active_children(boundary_id) >= int(p):
                return PARALLELISM
        return None

    # ---- template processing ---------------------------------------------

    def merged_defaults(self, tmpl):
        """mergedTemplateDefaultsInto: spec.templateDefaults under the template."""
        d = self.wf.spec.get("templateDefaults")
        if not d:
            return tmpl

        def merge(base, over):
            if isinstance(base, dict) and isinstance(over, dict):
                out = dict(base)
                for k, v in over.items():
                    out[k] = merge(base.get(k), v) if k in base else v
                return out
            return over
        key = ("defaults", id(tmpl))
        c = self.wf.proc_cache.get(key)
        if c is None or c[0] is not tmpl:
            c = (tmpl, merge(d, tmpl))
            self.wf.proc_cache[key] = c
        return c[1]

    def process_args(self, tmpl, args, locals_):
        """common.ProcessArgs + SubstituteParams (workflow/common/util.go):
        inputs take their default, then the argument; one missing is an error
        ("inputs.parameters.X was not supplied"); globals and locals are
        substituted first, then inputs; unknown tags are left as they are."""
        m = dict(self.globals)
        m.update(locals_)
        tags = self.wf.proc_cache.get(("tags", id(tmpl)))
        if tags is None or tags[0] is not tmpl:
            tags = (tmpl, tags_in(tmpl))
            self.wf.proc_cache[("tags", id(tmpl))] = tags
        argp = (args or {}).get("parameters") or []
        key = ("proc", id(tmpl), json.dumps(argp, sort_keys=True, default=str),
               tuple(sorted((k, m[k]) for k in tags[1] if k in m)))
        hit = self.wf.proc_cache.get(key)
        if hit is not None and hit[0] is tmpl:
            if isinstance(hit[1], ArgoError):
                raise hit[1]
            return hit[1]
        try:
            res = self._process_args(tmpl, argp, m)
        except ArgoError as e:
            self.wf.proc_cache[key] = (tmpl, e)
            raise
        self.wf.proc_cache[key] = (tmpl, res)
        return res

    def _process_args(self, tmpl, argp, m):
        argmap = {}
        for a in argp:
            if isinstance(a, dict) and "name" in a:
                argmap[a["name"]] = a
        new = dict(tmpl)
        inputs = dict(tmpl.get("inputs") or {})
        params = []
        for p in inputs.get("parameters") or []:
            p = dict(p)
            val = p.get("value")
            if val is None and p.get("default") is not None:
                val = p["default"]
            a = argmap.get(p.get("name"))
            if a is not None and a.get("value") is not None:
                val = a["value"]
            if val is None and not p.get("valueFrom"):
                raise ArgoError("inputs.parameters.%s was not supplied" % p.get("name"))
            if val is not None:
                p["value"] = as_str(val)
            params.append(p)
        if params:
            inputs["parameters"] = params
            new["inputs"] = inputs
        new = subst(new, m)
        im = {}
        for p in (new.get("inputs") or {}).get("parameters") or []:
            if p.get("value") is not None:
                im["inputs.parameters." + p["name"]] = p["value"]
        im["inputs.parameters"] = json.dumps((new.get("inputs") or {}).get("parameters") or [])
        return subst(new, im)

    def retry_strategy(self, tmpl):
        """woc.retryStrategy: the template's, else spec.retryStrategy."""
        return tmpl.get("retryStrategy") or self.wf.spec.get("retryStrategy")

    def retry_children(self, node):
        """getChildNodeIdsAndLastRetriedNode: children flagged Retried."""
        ids = [c for c in node.children if c in self.wf.nodes and self.wf.nodes[c].retried]
        return ids, (self.wf.nodes[ids[-1]] if ids else None)

    # ---- executeTemplate (operator.go) ------------------------------------

    def execute_template(self, node_name, org, ctx, args, opts):
        """executeTemplate (operator.go): resolve, ProcessArgs, return a
        fulfilled node as it is (handleNodeFulfilled), checkParallelism, record
        synchronization, the retry node (processNodeRetries), then dispatch on
        the template type.  Returns (node, err) like the Go function."""
        wf = self.wf
        node = wf.nodes.get(node_name)
        try:
            new_ctx, rtmpl = ctx.resolve(org)
        except ArgoError as e:
            return self.init_or_mark_error(node, node_name, org, opts, e), e
        rtmpl = self.merged_defaults(rtmpl)
        locals_ = {"node.name": node_name}
        if is_pod_type(rtmpl) and self.retry_strategy(rtmpl) is None:
            locals_["pod.name"] = self.sim.pod_name(wf, node_name, rtmpl.get("name", ""))
        if opts_is_task(org):
            locals_["tasks.name"] = org.get("name", "")
        elif org.get("name"):
            locals_["steps.name"] = org.get("name", "")
        try:
            ptmpl = self.process_args(rtmpl, args, locals_)
        except ArgoError as e:
            return self.init_or_mark_error(node, node_name, org, opts, e), e
        # handleNodeFulfilled
        if node is not None and node.fulfilled():
            return node, None
        err = self.check_parallelism(ptmpl, node, opts.boundary_id)
        if err is not None:
            return node, err
        if ptmpl.get("synchronization"):
            self.sim.record_mutex(wf, node_name, ptmpl["synchronization"])
        retry_node_name = ""
        org_opts = opts
        rs = self.retry_strategy(ptmpl)
        if rs is not None:
            retry_node_name = node_name
            rparent = node
            if rparent is None:
                rparent = self.init_node(node_name, "Retry", ptmpl, org, opts.boundary_id, RUN,
                                         hooked=opts.hooked, retried=opts.retried)
            opts = opts.copy(retried=True)
            rparent, cont, rerr = self.process_node_retries(rparent, rs)
            if rerr is not None:
                return self.mark_error(retry_node_name, rerr), rerr
            if not cont:
                return rparent, None
            ids, last = self.retry_children(rparent)
            if rparent.fulfilled() and self.children_fulfilled(rparent):
                return rparent, None
            if last is not None and not last.fulfilled():
                node_name, node, retry_num = last.name, last, len(ids) - 1
            else:
                retry_num = len(ids)
                node_name = "%s(%d)" % (retry_node_name, retry_num)
                self.add_child(retry_node_name, node_name)
                node = None
            rl = {"retries": str(retry_num),
                  "retries.lastStatus": last.phase if last else "",
                  "retries.lastMessage": last.message if last else "",
                  "retries.lastExitCode": "0",
                  "retries.lastDuration": "%g" % ((last.finished - last.started) if last and last.finished is not None else 0)}
            if is_pod_type(ptmpl):
                rl["pod.name"] = self.sim.pod_name(wf, node_name, ptmpl.get("name", ""))
            m = dict(self.globals)
            m.update(rl)
            ptmpl = subst(ptmpl, m)
        ttype = tmpl_type(ptmpl)
        err = None
        try:
            if ttype in POD_TYPES or ttype in ("http", "plugin"):
                node = self.execute_pod(node_name, ptmpl, org, opts, ttype)
            elif ttype == "steps":
                node, err = self.execute_steps(node_name, new_ctx, ptmpl, org, opts)
            elif ttype == "dag":
                node, err = self.execute_dag(node_name, new_ctx, ptmpl, org, opts)
            elif ttype == "suspend":
                node = self.execute_suspend(node_name, ptmpl, org, opts)
            else:
                e = ArgoError("Template '%s' missing specification" % ptmpl.get("name"))
                return self.init_node(node_name, "Skipped", None, org, opts.boundary_id, ERR,
                                      hooked=opts.hooked, message=str(e)), e
        except ArgoError as e:
            err = e
        if err is not None:
            node = self.mark_error(node_name, err)
            policy = (rs or {}).get("retryPolicy") or ("OnFailure" if not (rs or {}).get("expression") else "Always")
            if rs is None or policy not in ("Always", "OnError", "OnTransientError"):
                return node, err
        node = wf.nodes[node.name]
        if retry_node_name:
            rnode = wf.nodes[retry_node_name]
            if not rnode.fulfilled() and node.fulfilled():
                rnode, err2 = self.execute_template(retry_node_name, org, ctx, args, org_opts)
                if err2 is not None:
                    return self.mark_error(node.name, err2), err2
            node = rnode
        return node, None

    def process_node_retries(self, node, rs):
        """processNodeRetries (operator.go): the last attempt decides; backoff
        (duration * factor^(n-1), cap, maxDuration) waits before the next one;
        retryPolicy OnFailure (default) / OnError / Always / OnTransientError;
        `limit` counts retries after the first attempt (no limit: unbounded)."""
        if node.fulfilled():
            return node, True, None
        ids, last = self.retry_children(node)
        if not ids or last is None:
            return node, True, None
        if not last.fulfilled():
            return node, True, None
        if not last.failed_or_error():
            return self.mark_phase(node.name, SUCC), True, None
        limit = as_int(rs.get("limit"), "retryStrategy.limit")
        backoff = rs.get("backoff")
        try:
            if backoff:
                max_deadline = None
                if backoff.get("maxDuration"):
                    md = parse_duration(backoff["maxDuration"])
                    max_deadline = self.wf.nodes[ids[0]].started + md
                    if self.sim.now > max_deadline:
                        return self.mark_phase(node.name, last.phase, "Max duration limit exceeded"), True, None
                if not backoff.get("duration"):
                    return None, False, ArgoError("no base duration specified for retryStrategy")
                base = parse_duration(backoff["duration"])
                wait = base
                factor = as_int(backoff.get("factor"), "backoff.factor")
                if factor is not None and factor > 0:
                    wait = base * factor ** (len(ids) - 1)
                if backoff.get("cap"):
                    wait = min(wait, parse_duration(backoff["cap"]))
                deadline = last.finished + wait
                if max_deadline is not None and deadline > max_deadline:
                    return self.mark_phase(node.name, last.phase, "Backoff would exceed max duration limit"), True, None
                if self.sim.now < deadline and limit is not None and len(ids) <= limit:
                    self.sim.wake(self.wf, deadline)
                    return self.mark_phase(node.name, node.phase, "Backoff for %gs" % wait), False, None
                self.mark_phase(node.name, node.phase, "")
        except ArgoError as e:
            return None, False, e
        policy = rs.get("retryPolicy") or ("OnFailure" if not rs.get("expression") else "Always")
        if policy == "Always":
            on_failed, on_error = True, True
        elif policy == "OnError":
            on_failed, on_error = False, True
        elif policy == "OnFailure":
            on_failed, on_error = True, False
        elif policy == "OnTransientError":
            t = bool(re.search(r"connection reset|connection refused|i/o timeout|"
                               r"TLS handshake timeout|etcdserver|too many requests|"
                               r"the object has been modified", last.message or ""))
            on_failed = on_error = t
        else:
            return None, False, ArgoError("%s is not a valid RetryPolicy" % policy)
        if (last.phase == FAIL and not on_failed) or (last.phase == ERR and not on_error):
            return self.mark_phase(node.name, last.phase, last.message), True, None
        if limit is not None and len(ids) > limit:
            return self.mark_phase(node.name, last.phase, "No more retries left"), True, None
        # retryStrategy.expression is not evaluated (treated as true).
        return node, True, None

    # ---- leaves -----------------------------------------------------------

    def execute_pod(self, node_name, tmpl, org, opts, ttype):
        """executeContainer / executeScript / executeResource / executeData:
        a Pod node created Pending, then createWorkflowPod (once); a resource
        node is not touched again once it has left Pending."""
        node = self.wf.nodes.get(node_name)
        if node is None:
            node = self.init_node(node_name, "Pod", tmpl, org, opts.boundary_id, PEND,
                                  hooked=opts.hooked, retried=opts.retried, synced=True)
            self.sim.start_pod(self.wf, node, tmpl, org, ttype)
            self.active_pods += 1  # woc.activePods++ (workflowpod_deps.go)
        return node

    def execute_suspend(self, node_name, tmpl, org, opts):
        """executeSuspend (operator.go): a Suspend node; with `duration` it
        succeeds once StartedAt+duration has passed, else it waits for
        `argo resume` (here: --approve-after, or never)."""
        node = self.wf.nodes.get(node_name)
        if node is None:
            node = self.init_node(node_name, "Suspend", tmpl, org, opts.boundary_id, PEND,
                                  hooked=opts.hooked, retried=opts.retried)
            self.sim.start_suspend(self.wf, node, tmpl)
        dur = (tmpl.get("suspend") or {}).get("duration")
        if dur not in (None, ""):
            deadline = node.started + parse_duration(dur)
            if self.sim.now >= deadline:
                self.mark_phase(node_name, SUCC)
                return node
            self.sim.wake(self.wf, deadline)
        if node.phase == PEND:
            self.mark_phase(node_name, RUN)
        return node

    # ---- exit handlers: exit_handler.go -----------------------------------

    def exit_hook(self, holder):
        """WorkflowStep/DAGTask.GetExitHook: `onExit: tmpl` (with the
        Workflow's arguments) or `hooks: {exit: {...}}`."""
        if holder.get("onExit"):
            return {"template": holder["onExit"], "arguments": self.wf.spec.get("arguments") or {}}
        h = (holder.get("hooks") or {}).get("exit")
        return h or None

    def run_on_exit_node(self, hook, parent, boundary_id, ctx, scope):
        """runOnExitNode (exit_handler.go): `<parent>.onExit`, in the parent's
        boundary (so it counts for that template's failFast/parallelism)."""
        if not hook:
            return False, None, None
        name = parent.name + ".onExit"
        args = hook.get("arguments") or {}
        if args:
            args = subst(args, dict(self.globals, **scope))
        org = {"template": hook.get("template"), "templateRef": hook.get("templateRef")}
        node, err = self.execute_template(name, org, ctx, args,
                                          Opts(boundary_id=boundary_id, on_exit=True, hooked=True))
        if name in self.wf.nodes:
            self.add_child(parent.name, name)
        if isinstance(err, ArgoError):
            return True, node, err
        return True, node, None

    def hooks_fulfilled(self, node):
        """common.CheckAllHooksFullfilled: hook children of a node fulfilled."""
        for c in node.children:
            cn = self.wf.nodes.get(c)
            if cn is not None and cn.hooked and not cn.fulfilled():
                return False
        return True

    # ---- steps: steps.go ---------------------------------------------------

    def node_scope(self, prefix, name, node, scope):
        """buildLocalScope: steps.X.* / tasks.X.* (last attempt of a retry)."""
        if node.type == "Retry":
            ids, last = self.retry_children(node)
            if last is not None:
                node = last
        scope["%s.%s.id" % (prefix, name)] = node.name
        scope["%s.%s.startedAt" % (prefix, name)] = str(fmt_time(node.started))
        if node.finished is not None:
            scope["%s.%s.finishedAt" % (prefix, name)] = str(fmt_time(node.finished))
        if node.phase:
            scope["%s.%s.status" % (prefix, name)] = node.phase

    def execute_steps(self, node_name, ctx, tmpl, org, opts):
        """executeSteps (steps.go): step groups in order; a group not yet
        fulfilled ends the pass; a Failed/Error group fails the Steps node."""
        wf = self.wf
        node = wf.nodes.get(node_name)
        if node is None:
            node = self.init_node(node_name, "Steps", tmpl, org, opts.boundary_id, RUN,
                                  hooked=opts.hooked, retried=opts.retried)
        scope = {}
        groups = tmpl.get("steps") or []
        for i, group in enumerate(groups):
            sg_name = "%s[%d]" % (node_name, i)
            sg = wf.nodes.get(sg_name)
            if sg is None:
                self.init_node(sg_name, "StepGroup", None, {}, node.name, RUN)
            elif not sg.fulfilled():
                self.mark_phase(sg_name, RUN)
            if i == 0:
                self.add_child(node_name, sg_name)
            else:
                prev = wf.nodes["%s[%d]" % (node_name, i - 1)]
                if not prev.children:
                    self.add_child(prev.name, sg_name)
                else:
                    for c in list(prev.children):
                        for o in self.outbound_nodes(c):
                            self.add_child(o, sg_name)
            steps = group if isinstance(group, list) else (group or {}).get("steps", group)
            sg = self.execute_step_group(steps or [], sg_name, node, ctx, scope, opts)
            if not sg.fulfilled():
                return node, None
            if sg.failed_or_error():
                self.update_outbound_steps(node_name, tmpl)
                return self.mark_phase(node_name, FAIL, sg.message), None
            for step in steps or []:
                child = wf.nodes.get("%s.%s" % (sg_name, step.get("name")))
                if child is None:
                    self.node_scope("steps", step.get("name"), sg, scope)
                else:
                    self.node_scope("steps", step.get("name"), child, scope)
        self.update_outbound_steps(node_name, tmpl)
        return self.mark_phase(node_name, SUCC), None

    def update_outbound_steps(self, node_name, tmpl):
        """updateOutboundNodes (steps.go): outbound of the last initialized group."""
        last = None
        for i in range(len(tmpl.get("steps") or []) - 1, -1, -1):
            last = self.wf.nodes.get("%s[%d]" % (node_name, i))
            if last is not None:
                break
        if last is None:
            return
        out = []
        for c in last.children:
            out.extend(self.outbound_nodes(c))
        self.wf.nodes[node_name].outbound = out

    def resolve_references(self, steps, scope):
        """resolveReferences (steps.go): `when` first (strict for steps./tasks.:
        unresolvable -> requeue), a false `when` leaves the rest unresolved."""
        m = dict(self.globals)
        m.update(scope)
        out = []
        for step in steps:
            step = dict(step)
            hooks = step.pop("hooks", None)
            on_exit = step.pop("onExit", None)
            if step.get("when"):
                w = subst(step["when"], m, ("steps", "tasks"))
                try:
                    proceed = should_execute(w)
                except ArgoError:
                    if not should_expand(step):
                        raise
                    proceed = True
                if not proceed:
                    step["when"] = w
                    if hooks is not None:
                        step["hooks"] = hooks
                    if on_exit is not None:
                        step["onExit"] = on_exit
                    out.append(step)
                    continue
            step = subst(step, m, ("steps", "tasks"))
            if hooks is not None:
                step["hooks"] = hooks
            if on_exit is not None:
                step["onExit"] = on_exit
            out.append(step)
        return out

    def expand_step_group(self, sg_name, steps, boundary):
        """expandStepGroup / expandStep / processItem: withItems, withParam,
        withSequence -> `name(i:desc)` with {{item}} substituted."""
        out = []
        for step in steps:
            if not should_expand(step):
                out.append(step)
                continue
            items = expand_items(step)
            if not items:
                cname = "%s.%s" % (sg_name, step.get("name"))
                if cname not in self.wf.nodes:
                    self.init_node(cname, "Skipped", None, step, boundary, SKIP, message="Skipped, empty params")
                    self.add_child(sg_name, cname)
            for i, item in enumerate(items):
                out.append(expand_one(step, i, item, self.globals))
        return out

    def execute_step_group(self, steps, sg_name, steps_node, ctx, scope, opts):
        """executeStepGroup (steps.go): start every step of the group (each
        through executeTemplate, so checkParallelism applies); the group is
        done when every child (and its onExit) is fulfilled; it fails when a
        child Failed/Errored without a matching `continueOn`."""
        wf = self.wf
        node = wf.nodes[sg_name]
        if node.fulfilled() and self.children_fulfilled(node):
            return node
        try:
            steps = self.resolve_references(steps, scope)
        except Requeue:
            return node
        except ArgoError as e:
            return self.mark_error(sg_name, e)
        try:
            steps = self.expand_step_group(sg_name, steps, steps_node.name)
        except ArgoError as e:
            return self.mark_error(sg_name, e)
        node_steps = {}
        for step in steps:
            cname = "%s.%s" % (sg_name, step.get("name"))
            try:
                proceed = should_execute(step.get("when"))
            except ArgoError as e:
                if cname not in wf.nodes:
                    self.init_node(cname, "Skipped", None, step, steps_node.name, ERR, message=str(e))
                self.add_child(sg_name, cname)
                self.mark_error(cname, e)
                return self.mark_error(sg_name, e)
            if not proceed:
                if cname not in wf.nodes:
                    self.init_node(cname, "Skipped", None, step, steps_node.name, SKIP,
                                   message="when '%s' evaluated false" % step.get("when"))
                    self.add_child(sg_name, cname)
                continue
            child, err = self.execute_template(cname, step, ctx, step.get("arguments") or {},
                                               Opts(boundary_id=steps_node.name, on_exit=opts.on_exit))
            if err is not None and not isinstance(err, ParallelismReached):
                self.add_child(sg_name, cname)
                return self.mark_error(sg_name, "step group deemed errored due to child %s error: %s" % (cname, err))
            if child is not None:
                node_steps[cname] = step
                self.add_child(sg_name, cname)
        node = wf.nodes[sg_name]
        completed = True
        for c in list(node.children):
            cn = wf.nodes.get(c)
            if cn is None:
                raise ArgoError("was unable to obtain childNode for %s" % c)
            step = node_steps.get(cn.name, {})
            if not cn.fulfilled():
                completed = False
            elif cn.completed():
                lscope = dict(scope)
                lscope["steps.%s.status" % cn.display] = cn.phase
                has, ex, err = self.run_on_exit_node(self.exit_hook(step), cn, steps_node.name, ctx, lscope)
                if err is not None:
                    raise err
                if has and (ex is None or not ex.fulfilled()):
                    completed = False
        if not completed:
            if node.fulfilled():
                return self.mark_phase(sg_name, RUN)
            return node
        for c in node.children:
            cn = wf.nodes[c]
            step = node_steps.get(cn.name, {})
            if cn.failed_or_error() and not continues_on(step.get("continueOn"), cn.phase):
                return self.mark_phase(sg_name, FAIL, "child '%s' failed" % c)
        return self.mark_phase(sg_name, SUCC)

    # ---- DAG: dag.go --------------------------------------------------------

    def execute_dag(self, node_name, ctx, tmpl, org, opts):
        """executeDAG (dag.go): executeDAGTask for every target task (all tasks
        nobody depends on, sorted by name, unless dag.target), which recurses
        into dependencies first; then assessDAGPhase."""
        wf = self.wf
        node = wf.nodes.get(node_name)
        if node is None:
            node = self.init_node(node_name, "DAG", tmpl, org, opts.boundary_id, RUN,
                                  hooked=opts.hooked, retried=opts.retried)
        d = DagCtx(self, node, tmpl, ctx, opts.on_exit)
        target = (tmpl.get("dag") or {}).get("target")
        targets = target.split(" ") if target else d.leaf_task_names()
        for t in targets:
            self.execute_dag_task(d, t)
        phase = self.assess_dag_phase(d, targets)
        if phase == RUN:
            return node, None
        self.update_outbound_targets(d, targets, node_name)
        return self.mark_phase(node_name, phase), None

    def update_outbound_targets(self, d, targets, node_name):
        """updateOutboundNodesForTargetTasks (dag.go)."""
        out = []
        for t in targets:
            tn = d.task_node(t)
            if tn is not None:
                out.extend(self.outbound_nodes(tn.name))
        self.wf.nodes[node_name].outbound = out

    def assess_dag_phase(self, d, targets):
        """assessDAGPhase (dag.go): BFS over every node reachable from the DAG
        node's children (nested DAGs' insides and dependents included); any
        unfulfilled one -> Running.  An Omitted task inherits its branch's
        phase.  DAG-level failFast (default true) is read only here: it decides
        whether a not-yet-created target stops the scan; it never stops a task
        from starting (executeDAGTask ran for every target before this)."""
        wf = self.wf
        tphase = {d.task_node_name(t): "" for t in targets}
        queue = [(c, SUCC) for c in wf.nodes[d.boundary].children]
        seen = set()
        uq = []
        for item in queue:
            if item not in seen:
                seen.add(item)
                uq.append(item)
        i = 0
        while i < len(uq):
            nid, branch = uq[i]
            i += 1
            n = wf.nodes.get(nid)
            if n is None:
                return RUN
            if not n.fulfilled():
                gp = self.completable_task_group(n)
                if gp is None:
                    return RUN
                d.groups_to_complete[n.name] = gp
                branch = gp
            elif n.completed():
                branch = n.phase
            if n.name in tphase and tphase[n.name] not in (FAIL, ERR):
                tphase[n.name] = branch
            if n.type == "Retry":
                kids = []
                for c in reversed(n.children):
                    cn = wf.nodes.get(c)
                    if cn is None:
                        continue
                    if cn.hooked:
                        kids.append(cn.name)
                    elif cn.children:
                        kids.extend(cn.children)
            else:
                kids = n.children
            for c in kids:
                if (c, branch) not in seen:
                    seen.add((c, branch))
                    uq.append((c, branch))
        for name, ph in d.groups_to_complete.items():
            self.mark_phase(name, ph)
        fail_fast = (d.tmpl.get("dag") or {}).get("failFast")
        fail_fast = fail_fast is None or fail_fast is True
        result = SUCC
        for t in targets:
            bp = tphase[d.task_node_name(t)]
            if bp == "":
                result = RUN
                if not fail_fast:
                    break
            elif bp in (FAIL, ERR):
                if continues_on(d.task(t).get("continueOn"), bp):
                    continue
                result = bp
                if fail_fast:
                    break
        return result

    def completable_task_group(self, n):
        """completableTaskGroupPhase (dag.go)."""
        if n.type != "TaskGroup" or not n.children:
            return None
        ph = SUCC
        for c in n.children:
            cn = self.wf.nodes.get(c)
            if cn is None or not cn.fulfilled():
                return None
            if cn.failed_or_error():
                ph = cn.phase
        return ph

    def task_scope(self, d, task_name):
        """buildLocalScopeFromTask: tasks.X.* of the task's ancestors."""
        scope = {}
        for a in d.ancestry(task_name):
            an = d.task_node(a)
            if an is None:
                raise ArgoError("Ancestor task node %s not found" % a)
            self.node_scope("tasks", a, an, scope)
        return scope

    def execute_dag_task(self, d, task_name):
        """executeDAGTask (dag.go): a fulfilled task runs its onExit; else its
        dependencies are executed first, the `depends` logic (or
        `dependencies`, expanded to (X.Succeeded || X.Skipped || X.Daemoned
        [|| X.Failed/Errored with continueOn])) decides: not all fulfilled ->
        wait; false -> Omitted; then `when` (false -> Skipped), withItems, and
        executeTemplate (checkParallelism of the DAG applies)."""
        wf = self.wf
        if task_name in d.visited:
            return
        d.visited.add(task_name)
        node = d.task_node(task_name)
        task = d.task(task_name)
        if node is not None and node.fulfilled():
            if node.completed():
                scope = self.task_scope(d, task_name)
                scope["tasks.%s.status" % task_name] = node.phase
                self.run_on_exit_node(self.exit_hook(task), node, d.boundary, d.ctx, scope)
            return
        node_name = d.task_node_name(task_name)
        deps = d.dependencies(task_name)
        group = wf.nodes.get(node_name)
        if group is not None and group.type != "TaskGroup":
            group = None

        def connect(tnode_name):
            if not deps or group is not None:
                self.add_child(group.name if group is not None else d.boundary, tnode_name)
            else:
                for dep in deps:
                    dn = d.task_node(dep)
                    for o in self.outbound_nodes(dn.name):
                        self.add_child(o, tnode_name)

        if d.depends_logic(task_name) != "":
            for dep in deps:
                self.execute_dag_task(d, dep)
            try:
                execute, proceed = d.evaluate_depends(task_name)
            except ArgoError as e:
                self.init_node(node_name, "Skipped", None, task, d.boundary, ERR, message=str(e))
                connect(node_name)
                return
            if not proceed:
                return
            if not execute:
                self.init_node(node_name, "Skipped", None, task, d.boundary, OMIT,
                               message="omitted: depends condition not met")
                connect(node_name)
                return
        try:
            new_task = self.resolve_dependency_references(d, task)
        except Requeue:
            return
        except ArgoError as e:
            self.init_node(node_name, "Skipped", None, task, d.boundary, ERR, message=str(e))
            connect(node_name)
            return
        try:
            if should_expand(new_task):
                expanded = [expand_one(new_task, i, it, self.globals)
                            for i, it in enumerate(expand_items(new_task))]
            else:
                expanded = [new_task]
        except ArgoError as e:
            self.init_node(node_name, "Skipped", None, task, d.boundary, ERR, message=str(e))
            connect(node_name)
            return
        if should_expand(task):
            if not expanded:
                self.init_node(node_name, "Skipped", None, task, d.boundary, SKIP, message="Skipped, empty params")
                connect(node_name)
            elif group is None:
                connect(node_name)
                group = self.init_node(node_name, "TaskGroup", None, task, d.boundary, RUN)
        for t in expanded:
            tname = d.task_node_name(t["name"])
            node = wf.nodes.get(tname)
            if node is None:
                connect(tname)
                try:
                    proceed = should_execute(t.get("when"))
                except ArgoError as e:
                    self.init_node(tname, "Skipped", None, task, d.boundary, ERR, message=str(e))
                    continue
                if not proceed:
                    self.init_node(tname, "Skipped", None, task, d.boundary, SKIP,
                                   message="when '%s' evaluated false" % t.get("when"))
                    continue
            t = dict(t)
            t["__task__"] = True
            node, err = self.execute_template(tname, t, d.ctx, t.get("arguments") or {},
                                              Opts(boundary_id=d.boundary, on_exit=d.on_exit))
            if err is not None and not isinstance(err, ParallelismReached):
                self.mark_error(tname, "task '%s' errored: %s" % (tname, err))
                return
            if node is None:
                return
            if node.completed():
                scope = self.task_scope(d, task_name)
                scope["tasks.%s.status" % task_name] = node.phase
                has, ex, err = self.run_on_exit_node(self.exit_hook(task), node, d.boundary, d.ctx, scope)
                if has and (ex is None or not ex.fulfilled() or err is not None):
                    return
        if group is not None:
            gp = SUCC
            for t in expanded:
                n = d.task_node(t["name"])
                if n is None or not n.fulfilled():
                    return
                if n.failed_or_error():
                    gp = n.phase
            self.mark_phase(group.name, gp)

    def resolve_dependency_references(self, d, task):
        """resolveDependencyReferences (dag.go): `when` first; strict for
        tasks./steps. references."""
        scope = self.task_scope(d, task["name"])
        m = dict(self.globals)
        m.update(scope)
        t = dict(task)
        hooks = t.pop("hooks", None)
        on_exit = t.pop("onExit", None)
        if t.get("when"):
            w = subst(t["when"], m, ("tasks", "steps"))
            try:
                proceed = should_execute(w)
            except ArgoError:
                if not should_expand(t):
                    raise
                proceed = True
            if not proceed:
                t["when"] = w
                if hooks is not None:
                    t["hooks"] = hooks
                if on_exit is not None:
                    t["onExit"] = on_exit
                return t
        t = subst(t, m, ("tasks", "steps"))
        if hooks is not None:
            t["hooks"] = hooks
        if on_exit is not None:
            t["onExit"] = on_exit
        return t

    # ---- operate (operator.go) --------------------------------------------

    def operate(self):
        """operate (operator.go): execute the entrypoint; `workflow.status` and
        `workflow.failures` are set from the entry node; once it is fulfilled
        the onExit handler runs; the Workflow phase follows the entry node, and
        a Succeeded one becomes Failed/Error when the onExit node failed.
        markWorkflowPhase defers completion while a pod's task result is
        outstanding (checkTaskResultsInProgress), i.e. while any pod runs."""
        wf = self.wf
        if wf.completed:
            return
        if wf.phase == "":
            if wf.setup_error:
                self.mark_wf_phase(ERR, wf.setup_error)
                return
            self.mark_wf_phase(RUN, "")
            self.globals["workflow.status"] = RUN
        if wf.spec.get("synchronization"):
            self.sim.record_mutex(wf, wf.name, wf.spec["synchronization"])
        if wf.spec.get("parallelism") is not None:
            self.active_pods = self.count_active_pods("")
        node, err = self.execute_template(wf.name, {"template": wf.spec.get("entrypoint")}, wf.ctx,
                                          wf.spec.get("arguments") or {}, Opts())
        if err is not None:
            if isinstance(err, ParallelismReached):
                return
            self.mark_wf_phase(ERR, "error in entry template execution: %s" % err)
            return
        if node is None:
            return
        status = {PEND: PEND, RUN: RUN, SUCC: SUCC, SKIP: SUCC, FAIL: FAIL,
                  ERR: ERR, OMIT: SUCC}[node.phase]
        self.globals["workflow.status"] = status
        failures = []
        for n in sorted(wf.nodes.values(), key=lambda n: n.seq):
            if n.phase in (FAIL, ERR):
                failures.append({"displayName": n.display, "message": n.message,
                                 "templateName": n.template_name, "phase": n.phase,
                                 "podName": self.sim.pod_name(wf, n.name, n.template_name),
                                 "finishedAt": fmt_time(n.finished)})
        self.globals["workflow.failures"] = go_quote(json.dumps(failures, separators=(",", ":")))
        if not node.fulfilled():
            return
        on_exit_node = None
        hook = None
        if wf.spec.get("onExit"):
            hook = {"template": wf.spec["onExit"], "arguments": wf.spec.get("arguments") or {}}
        elif (wf.spec.get("hooks") or {}).get("exit"):
            hook = dict(wf.spec["hooks"]["exit"])
            hook["arguments"] = wf.spec.get("arguments") or {}
        if hook:
            org = {"template": hook.get("template"), "templateRef": hook.get("templateRef")}
            on_exit_node, err = self.execute_template(wf.name + ".onExit", org, wf.ctx,
                                                      hook.get("arguments") or {},
                                                      Opts(on_exit=True, hooked=True))
            if err is not None:
                if not isinstance(err, ParallelismReached):
                    self.mark_wf_phase(ERR, "error in exit template execution : %s" % err)
                return
            if on_exit_node is None or not on_exit_node.fulfilled():
                return
        if status == SUCC:
            if on_exit_node is not None and on_exit_node.failed_or_error():
                self.mark_wf_phase(FAIL if on_exit_node.phase == FAIL else ERR, on_exit_node.message)
            else:
                self.mark_wf_phase(SUCC, "")
        elif status in (FAIL, ERR):
            self.mark_wf_phase(status, node.message)

    def mark_wf_phase(self, phase, message):
        """markWorkflowPhase (operator.go)."""
        wf = self.wf
        if phase in (SUCC, FAIL, ERR) and any(n.synced is False for n in wf.nodes.values()):
            return
        if wf.phase != phase:
            wf.phase = phase
            self.sim.changed()
            if wf.started is None:
                wf.started = self.sim.now
            if phase == ERR and wf.name in wf.nodes and wf.nodes[wf.name].phase == RUN:
                wf.nodes[wf.name].phase = ERR
            wf.message = message
            if phase in (SUCC, FAIL, ERR):
                wf.finished = self.sim.now
                wf.completed = True
            self.sim.wf_phase_changed(wf)


def opts_is_task(org):
    return bool(org.get("__task__"))


def continues_on(c, phase):
    """continues (workflow_types.go)."""
    if not c:
        return False
    return (c.get("error") is True and phase == ERR) or (c.get("failed") is True and phase == FAIL)


def should_expand(step):
    return bool(step.get("withItems") or step.get("withParam") or step.get("withSequence"))


def expand_items(step):
    if step.get("withItems"):
        return list(step["withItems"])
    if step.get("withParam"):
        try:
            v = json.loads(step["withParam"]) if isinstance(step["withParam"], str) else step["withParam"]
        except ValueError as e:
            raise ArgoError("withParam value could not be parsed as a JSON list: %s: %s" % (step["withParam"], e))
        if not isinstance(v, list):
            raise ArgoError("withParam value could not be parsed as a JSON list: %s" % step["withParam"])
        return v
    seq = step.get("withSequence") or {}
    start = int(seq.get("start", 0))
    if seq.get("count") is not None:
        end = start + int(seq["count"]) - 1
    else:
        end = int(seq.get("end", 0))
    step_ = 1 if end >= start else -1
    return list(range(start, end + step_, step_))


def expand_one(step, i, item, globals_):
    """processItem / generateNodeName (operator.go)."""
    m = dict(globals_)
    if isinstance(item, dict):
        vals = sorted("%s:%s" % (k, as_str(v)) for k, v in item.items())
        for k, v in item.items():
            m["item." + k] = as_str(v)
        m["item"] = json.dumps(item, separators=(",", ":"))
        desc = ",".join(vals)
    elif isinstance(item, list):
        m["item"] = json.dumps(item, separators=(",", ":"))
        desc = "[" + " ".join(as_str(x) for x in item) + "]"
    else:
        m["item"] = as_str(item)
        desc = as_str(item)
    s = dict(step)
    for k in ("withItems", "withParam", "withSequence"):
        s.pop(k, None)
    s = subst(s, m)
    s["name"] = "%s(%d:%s)" % (step.get("name"), i, desc.replace("(", "").replace(")", ""))
    return s


class DagCtx:
    """dagContext (dag.go)."""

    def __init__(self, op, node, tmpl, ctx, on_exit):
        self.op, self.boundary, self.tmpl, self.ctx, self.on_exit = op, node.name, tmpl, ctx, on_exit
        self.tasks = (tmpl.get("dag") or {}).get("tasks") or []
        self.by_name = {t["name"]: t for t in self.tasks}
        self.visited = set()
        self._deps, self._logic = {}, {}
        self.groups_to_complete = {}

    def task(self, name):
        if name not in self.by_name:
            raise ArgoError("target %s does not exist" % name)
        return self.by_name[name]

    def task_node_name(self, name):
        return "%s.%s" % (self.boundary, name)

    def task_node(self, name):
        return self.op.wf.nodes.get(self.task_node_name(name))

    _NAME_RE = re.compile(r"([a-zA-Z0-9][-a-zA-Z0-9]*?\.[A-Z][a-zA-Z]+)|([a-zA-Z0-9][-a-zA-Z0-9]*)")

    def _resolve(self, name):
        """common.GetTaskDependencies / getTaskDependsLogic / expandDependency
        (workflow/common/ancestry.go).  Dependencies are visited in the order
        they are written (the controller iterates a Go map: random order)."""
        task = self.task(name)
        if task.get("depends"):
            depends = str(task["depends"])
        else:
            depends = " && ".join(expand_dependency(dep, self.task(dep)) for dep in task.get("dependencies") or [])
        deps, bare = [], []
        for m in self._NAME_RE.finditer(depends):
            if m.group(1):
                dep = m.group(1).split(".")[0]
            else:
                dep = m.group(2)
                bare.append((m.start(2), m.end(2), dep))
            if dep not in deps:
                deps.append(dep)
        for s, e, dep in sorted(bare, reverse=True):
            depends = depends[:s] + expand_dependency(dep, self.task(dep)) + depends[e:]
        self._deps[name], self._logic[name] = deps, depends

    def dependencies(self, name):
        if name not in self._deps:
            self._resolve(name)
        return self._deps[name]

    def depends_logic(self, name):
        if name not in self._logic:
            self._resolve(name)
        return self._logic[name]

    def leaf_task_names(self):
        """findLeafTaskNames: tasks nobody depends on, sorted."""
        leaf = {t["name"]: True for t in self.tasks}
        for t in self.tasks:
            for dep in self.dependencies(t["name"]):
                leaf[dep] = False
        return sorted(n for n, v in leaf.items() if v)

    def ancestry(self, name):
        """common.GetTaskAncestry."""
        seen, out = set(), []

        def walk(n):
            if n in seen:
                return
            seen.add(n)
            for dep in self.dependencies(n):
                walk(dep)
            if n != name:
                out.append(n)
        walk(name)
        return out

    def evaluate_depends(self, name):
        """evaluateDependsLogic (dag.go): (execute, proceed)."""
        wf = self.op.wf
        if self.task_node(name) is not None:
            return True, True
        scope = {}
        for dep in self.dependencies(name):
            dn = self.task_node(dep)
            if dn is None or not dn.fulfilled() or not self.op.hooks_fulfilled(dn):
                return False, False
            key = dep.replace("-", "_")
            any_s, all_f = False, False
            if dn.type == "TaskGroup":
                all_f = len(dn.children) > 0
                for c in dn.children:
                    cn = wf.nodes.get(c)
                    if cn is None:
                        all_f = False
                        continue
                    any_s = any_s or cn.phase == SUCC
                    all_f = all_f and cn.phase == FAIL
            scope[key] = {"Succeeded": dn.phase == SUCC, "Failed": dn.phase == FAIL,
                          "Errored": dn.phase == ERR, "Skipped": dn.phase == SKIP,
                          "Omitted": dn.phase == OMIT, "Daemoned": False,
                          "AnySucceeded": any_s, "AllFailed": all_f}
        logic = self.depends_logic(name).replace("-", "_")
        try:
            return eval_depends(logic, scope), True
        except ArgoError as e:
            raise ArgoError("unable to evaluate expression '%s': %s" % (logic, e))


def expand_dependency(dep, task):
    """expandDependency (ancestry.go)."""
    r = ["%s.Succeeded" % dep, "%s.Skipped" % dep, "%s.Daemoned" % dep]
    c = task.get("continueOn") or {}
    if c.get("error") is True:
        r.append("%s.Errored" % dep)
    if c.get("failed") is True:
        r.append("%s.Failed" % dep)
    return "(" + " || ".join(r) + ")"


# --------------------------------------------------------------------------
# the simulator: clock, events, pods and records

class Options:
    def __init__(self, pod_seconds=30.0, fail=(), error=(), error_attempts=1, fail_notify=False,
                 fail_templates=(), durations=None, approve_after=60.0, never_approve=False,
                 missing_secrets=(), exit_heuristic=True, max_time=30 * 86400.0,
                 max_passes=500):
        self.pod_seconds = float(pod_seconds)
        self.fail, self.error = set(fail), set(error)
        self.error_attempts = int(error_attempts)
        self.fail_notify = fail_notify
        self.fail_templates = set(fail_templates)
        self.durations = dict(durations or {})
        self.approve_after = float(approve_after)
        self.never_approve = never_approve
        self.missing_secrets = set(missing_secrets)
        self.exit_heuristic = exit_heuristic
        self.max_time = float(max_time)
        self.max_passes = max_passes


class Sim:
    def __init__(self, docs, opts=None):
        self.opts = opts or Options()
        self.now = 0.0
        self._seq = 0
        self._changes = 0
        self.events = []
        self.wftemplates = {}
        self.workflows = []
        self.pods, self.suspends, self.children, self.mutexes = [], [], [], []
        self.warnings = []
        self._wakes = set()
        self._opaque = {}
        self._child_count = 0
        root = None
        for d in docs:
            if not isinstance(d, dict):
                continue
            kind = d.get("kind")
            if kind in ("WorkflowTemplate", "ClusterWorkflowTemplate"):
                name = (d.get("metadata") or {}).get("name")
                ctx = TemplateCtx(self, (d.get("spec") or {}).get("templates"), "wftmpl/" + str(name))
                ctx.spec = d.get("spec") or {}
                self.wftemplates[name] = ctx
            elif kind == "Workflow" and root is None:
                root = d
        if root is None:
            raise SystemExit("argosim: no kind: Workflow document in the input")
        self.root = self.create_workflow(root, parent=None)

    # ---- plumbing -----------------------------------------------------------

    def next_seq(self):
        self._seq += 1
        return self._seq

    def changed(self):
        self._changes += 1

    def push(self, t, kind, *payload):
        heapq.heappush(self.events, (t, self.next_seq(), kind, payload))

    def wake(self, wf, t):
        """woc.requeueAfter: a timer event that only triggers a reconcile."""
        key = (id(wf), t)
        if key not in self._wakes:
            self._wakes.add(key)
            self.push(t, "wake", wf)

    def pod_name(self, wf, node_name, template):
        """util.GeneratePodName, with a stable hash (zlib.crc32, not FNV)."""
        return "%s-%s-%d" % (wf.name, template or "pod", zlib.crc32(node_name.encode()))

    def opaque_template(self, ref, args):
        names = tuple(p.get("name") for p in (args.get("parameters") or []))
        key = (ref.get("name"), ref.get("template"), names)
        t = self._opaque.get(key)
        if t is None:
            t = {"name": ref.get("template"), "container": {"image": "opaque"},
                 "inputs": {"parameters": [{"name": n} for n in names]},
                 "__opaque__": "%s/%s" % (ref.get("name"), ref.get("template"))}
            self._opaque[key] = t
        return t

    def record_mutex(self, wf, node, sync):
        names = []
        for m in (sync.get("mutexes") or []) + ([sync["mutex"]] if sync.get("mutex") else []):
            names.append(m.get("name"))
        for s in (sync.get("semaphores") or []) + ([sync["semaphore"]] if sync.get("semaphore") else []):
            names.append("semaphore:" + json.dumps(s, sort_keys=True))
        for n in names:
            rec = {"workflow": self.wf_label(wf), "node": node, "name": n}
            if rec not in self.mutexes:
                self.mutexes.append(rec)

    def wf_label(self, wf):
        return "root" if wf is self.root else wf.name

    # ---- workflows ----------------------------------------------------------

    def create_workflow(self, doc, parent):
        """A Workflow object; with spec.workflowTemplateRef its spec is the
        WorkflowTemplate's, the Workflow's own fields and arguments on top
        (setExecWorkflow / JoinWorkflowSpec)."""
        meta = dict(doc.get("metadata") or {})
        spec = dict(doc.get("spec") or {})
        if meta.get("name"):
            name = meta["name"]
        else:
            k = self._child_count
            self._child_count += 1
            name = (meta.get("generateName") or "workflow-") + "%05d" % k
        setup_error = None
        tname = ""
        ctx = TemplateCtx(self, spec.get("templates"), "wf/" + name)
        ref = spec.get("workflowTemplateRef")
        if ref:
            tname = ref.get("name")
            wt = self.wftemplates.get(tname)
            if wt is None:
                setup_error = 'workflowtemplates.argoproj.io "%s" not found' % tname
            else:
                merged = dict(wt.spec)
                for k, v in spec.items():
                    if k not in ("workflowTemplateRef", "arguments"):
                        merged[k] = v
                params = {p["name"]: dict(p) for p in ((wt.spec.get("arguments") or {}).get("parameters") or [])}
                order = list(params)
                for p in (spec.get("arguments") or {}).get("parameters") or []:
                    if p["name"] not in params:
                        order.append(p["name"])
                    params[p["name"]] = dict(params.get(p["name"], {}), **p)
                if params:
                    merged["arguments"] = {"parameters": [params[n] for n in order]}
                spec = merged
                ctx = wt
        if not setup_error and not spec.get("entrypoint"):
            setup_error = "spec.entrypoint is required"
        wf = Workflow(self, name, spec, ctx, meta, parent=parent, template_name=tname,
                      setup_error=setup_error)
        self.workflows.append(wf)
        if parent is not None:
            self.children.append({"name": name, "template": tname, "wf": wf})
        return wf

    def wf_phase_changed(self, wf):
        """A child Workflow's status.phase changed: the resource pod that
        created it re-checks its conditions (WaitResource, resource.go)."""
        if wf.parent is not None:
            pwf, pnode = wf.parent
            self.check_resource_pod(pwf, pnode, wf)

    def check_resource_pod(self, pwf, node, child):
        """matchConditions (resource.go): failureCondition first, then all of
        successCondition; neither -> keep polling.  Without conditions the
        resource pod does not wait."""
        if node.phase not in (PEND, RUN) or node.pod.get("decided"):
            return
        res = node.tmpl.get("resource") or {}
        obj = {"metadata": {"name": child.name}, "status": {"phase": child.phase}}
        fc, sc = res.get("failureCondition"), res.get("successCondition")
        if fc and any(match_selector(fc, obj)):
            node.pod["decided"] = True
            self.push(self.now, "pod_end", pwf, node.name, FAIL,
                      "failure condition '%s' evaluated true" % fc)
            return
        if sc is None or all(match_selector(sc, obj)):
            if sc is None and fc is None:
                return
            node.pod["decided"] = True
            self.push(self.now, "pod_end", pwf, node.name, SUCC, "")

    # ---- pods ---------------------------------------------------------------

    def start_pod(self, wf, node, tmpl, org, ttype):
        """createWorkflowPod and what the kubelet then does: a pod runs
        --pod-seconds (or --duration for a deploy), ends as injected; a
        missing Secret (env secretKeyRef, envFrom, secret volume, unless
        optional) keeps it Pending; activeDeadlineSeconds kills it (Failed:
        the pod has a status message, inferFailedReason)."""
        o = self.opts
        params = {k: v for k, v in node.inputs.items() if v is not None}
        opaque = tmpl.get("__opaque__")
        tname = tmpl.get("name") or ""
        rec = {"template": tname, "params": params, "start": self.now, "end": None,
               "phase": None, "path": node.name, "workflow": self.wf_label(wf), "node": node}
        if opaque:
            rec["templateRef"] = opaque
        dur = o.pod_seconds
        phase, msg = SUCC, ""
        if "service" in params and "cluster" in params:
            key = "%s@%s" % (params["service"], params["cluster"])
            action = params.get("action", "deploy")
            attempt = sum(1 for p in self.pods if p.get("deploy") == (self.wf_label(wf), key, action))
            rec["deploy"] = (self.wf_label(wf), key, action)
            if key in o.durations:
                dur = float(o.durations[key])
            if action == "deploy":
                if key in o.fail:
                    phase, msg = FAIL, "main: Error (exit code 1)"
                elif key in o.error and attempt < o.error_attempts:
                    phase, msg = ERR, "pod deleted"
        if "notify" in tname:
            rec["notify"] = True
            if o.fail_notify:
                phase, msg = FAIL, "main: Error (exit code 22)"
        if tname in o.fail_templates:
            phase, msg = FAIL, "main: Error (exit code 1)"
        if o.exit_heuristic and ttype in ("container", "script") and script_exits_nonzero(tmpl):
            phase, msg = FAIL, "main: Error (exit code 1)"
        pending = ttype in ("container", "script") and blocked_by_secret(tmpl, o.missing_secrets)
        ads = tmpl.get("activeDeadlineSeconds")
        ads = None if ads is None else float(as_int(ads, "activeDeadlineSeconds"))
        self.pods.append(rec)
        node.pod = rec
        node.synced = False  # the executor's task result is outstanding
        if pending:
            node.phase = PEND
            node.message = "CreateContainerConfigError: secret not found"
            if ads is not None:
                self.push(self.now + ads, "pod_end", wf, node.name, FAIL,
                          "Pod was active on the node longer than the specified deadline")
            return
        node.phase = RUN
        if ttype == "resource":
            res = tmpl.get("resource") or {}
            manifest = res.get("manifest")
            doc = yaml.safe_load(manifest) if isinstance(manifest, str) else manifest
            if res.get("action") == "create" and isinstance(doc, dict) and doc.get("kind") == "Workflow":
                child = self.create_workflow(doc, parent=(wf, node))
                rec["child"] = child.name
                if res.get("successCondition") or res.get("failureCondition"):
                    # the pod polls the child until a condition holds
                    if ads is not None:
                        self.push(self.now + ads, "pod_end", wf, node.name, FAIL,
                                  "Pod was active on the node longer than the specified deadline")
                    self.check_resource_pod(wf, node, child)
                    return
        if ads is not None and dur > ads:
            self.push(self.now + ads, "pod_end", wf, node.name, FAIL,
                      "Pod was active on the node longer than the specified deadline")
        else:
            self.push(self.now + dur, "pod_end", wf, node.name, phase, msg)

    def pod_marked(self, node):
        rec = node.pod
        if rec is not None and rec["end"] is None and node.phase in (SUCC, FAIL, ERR):
            rec["end"], rec["phase"] = self.now, node.phase

    def start_suspend(self, wf, node, tmpl):
        dur = (tmpl.get("suspend") or {}).get("duration")
        approval = dur in (None, "")
        rec = {"name": node.display, "start": self.now, "end": None, "approval": approval,
               "workflow": self.wf_label(wf), "node": node}
        self.suspends.append(rec)
        if approval and not self.opts.never_approve:
            self.push(self.now + self.opts.approve_after, "approve", wf, node.name)

    # ---- the loop -----------------------------------------------------------

    def reconcile(self):
        """Re-run `operate` on every unfinished Workflow until a pass changes
        nothing (each status update requeues the Workflow)."""
        for _ in range(self.opts.max_passes):
            before = self._changes
            for wf in list(self.workflows):
                if not wf.completed:
                    WfOp(self, wf).operate()
            if self._changes == before:
                return
        self.warnings.append("no fixpoint after %d passes at t=%s" % (self.opts.max_passes, fmt_time(self.now)))

    def apply(self, kind, payload):
        if kind == "pod_end":
            wf, name, phase, msg = payload
            n = wf.nodes.get(name)
            # podReconciliation -> assessNodeStatus; the task result arrives
            # with the pod's end (taskResultReconciliation).
            if n is not None and n.phase in (PEND, RUN):
                n.phase, n.message, n.finished, n.synced = phase, msg, self.now, True
                self.pod_marked(n)
                self.changed()
            elif n is not None and n.synced is False:
                n.synced = True
                self.pod_marked(n)
                self.changed()
        elif kind == "approve":
            wf, name = payload
            n = wf.nodes.get(name)
            # `argo resume --node-field-selector displayName=...` (util.ResumeWorkflow)
            if n is not None and n.type == "Suspend" and n.phase in (PEND, RUN):
                n.phase, n.finished = SUCC, self.now
                self.changed()

    def run(self):
        self.reconcile()
        while self.events:
            t, _, kind, payload = heapq.heappop(self.events)
            if t > self.opts.max_time:
                self.warnings.append("stopped at --max-time %s" % fmt_time(self.opts.max_time))
                break
            self.now = max(self.now, t)
            self.apply(kind, payload)
            self.reconcile()
        return self.result()

    # ---- output -------------------------------------------------------------

    def result(self, with_nodes=False):
        root = self.root
        phase = root.phase if root.completed else RUN
        end = root.finished if root.completed else self.now
        deploys, pods, notes = [], [], []
        for p in self.pods:
            node = p["node"]
            if p["end"] is None and node.phase in (SUCC, FAIL, ERR) and node.synced is not False:
                p["end"], p["phase"] = node.finished, node.phase
            ph = p["phase"] or node.phase
            pods.append({k: v for k, v in (("template", p["template"]), ("templateRef", p.get("templateRef")),
                                           ("params", p["params"]), ("start", fmt_time(p["start"])),
                                           ("end", fmt_time(p["end"])), ("phase", ph), ("path", p["path"]),
                                           ("workflow", p["workflow"])) if v is not None or k == "end"})
            if p.get("deploy"):
                deploys.append({"service": p["params"]["service"], "cluster": p["params"]["cluster"],
                                "action": p["params"].get("action", "deploy"),
                                "start": fmt_time(p["start"]), "end": fmt_time(p["end"]),
                                "phase": ph, "workflow": p["workflow"]})
            if p.get("notify"):
                params = p["params"]
                msg = params.get("message")
                if msg is None:
                    msg = " ".join("%s=%s" % kv for kv in sorted(params.items()))
                notes.append({"message": msg, "start": fmt_time(p["start"]), "phase": ph,
                              "workflow": p["workflow"]})
        suspends = []
        for s in self.suspends:
            n = s["node"]
            suspends.append({"name": s["name"], "start": fmt_time(s["start"]),
                             "end": fmt_time(n.finished if n.phase == SUCC else s["end"]),
                             "approval": s["approval"], "workflow": s["workflow"]})
        children = []
        for c in self.children:
            wf = c["wf"]
            children.append({"name": c["name"], "template": c["template"], "start": fmt_time(wf.started),
                             "end": fmt_time(wf.finished), "phase": wf.phase if wf.completed else (wf.phase or PEND)})
        out = {"phase": phase, "end": fmt_time(end), "message": root.message,
               "deploys": deploys, "pods": pods, "suspends": suspends,
               "children": children, "notifications": notes, "mutexes": self.mutexes}
        if self.warnings:
            out["warnings"] = self.warnings
        if with_nodes:
            out["nodes"] = []
            for wf in self.workflows:
                for n in sorted(wf.nodes.values(), key=lambda n: n.seq):
                    out["nodes"].append({"workflow": self.wf_label(wf), "name": n.name, "type": n.type,
                                         "phase": n.phase, "start": fmt_time(n.started),
                                         "end": fmt_time(n.finished), "message": n.message})
        return out


def script_exits_nonzero(tmpl):
    """A container whose script's last line is `exit N` (N != 0) fails, like
    planner's `fail` template."""
    c = tmpl.get("container") or tmpl.get("script") or {}
    text = []
    for k in ("command", "args"):
        v = c.get(k)
        if isinstance(v, list):
            text.extend(str(x) for x in v)
        elif v:
            text.append(str(v))
    if c.get("source"):
        text.append(str(c["source"]))
    if not text:
        return False
    lines = [ln.strip() for ln in text[-1].splitlines() if ln.strip()]
    return bool(lines) and re.fullmatch(r"exit\s+[1-9]\d*", lines[-1]) is not None


def blocked_by_secret(tmpl, missing):
    """A Secret the pod needs and cannot have: the kubelet leaves it Pending
    (CreateContainerConfigError / FailedMount) unless the reference is optional."""
    if not missing:
        return False
    c = tmpl.get("container") or tmpl.get("script") or {}
    for e in c.get("env") or []:
        ref = ((e or {}).get("valueFrom") or {}).get("secretKeyRef")
        if ref and ref.get("name") in missing and ref.get("optional") is not True:
            return True
    for e in c.get("envFrom") or []:
        ref = (e or {}).get("secretRef")
        if ref and ref.get("name") in missing and ref.get("optional") is not True:
            return True
    mounts = {m.get("name") for m in c.get("volumeMounts") or []}
    for v in tmpl.get("volumes") or []:
        s = (v or {}).get("secret")
        if s and v.get("name") in mounts and s.get("secretName") in missing and s.get("optional") is not True:
            return True
    return False


# --------------------------------------------------------------------------
# CLI

def parse_args(argv):
    ap = argparse.ArgumentParser(
        prog="argosim.py",
        description="Simulate how the Argo Workflows controller runs a Workflow (YAML stream).")
    ap.add_argument("workflow", help="YAML file (one Workflow, any WorkflowTemplates), or - for stdin")
    ap.add_argument("--pod-seconds", type=float, default=30.0, help="run time of a pod (default 30)")
    ap.add_argument("--fail", action="append", default=[], metavar="SVC@CLUSTER",
                    help="that deploy (action deploy) ends Failed, every attempt")
    ap.add_argument("--error", action="append", default=[], metavar="SVC@CLUSTER",
                    help="that deploy ends Error (a pod deleted/evicted) for its first --error-attempts attempts")
    ap.add_argument("--error-attempts", type=int, default=1, help="attempts that --error hits (default 1)")
    ap.add_argument("--fail-notify", action="store_true", help="every pod of a template named *notify* fails")
    ap.add_argument("--fail-template", action="append", default=[], metavar="NAME",
                    help="every pod of template NAME fails")
    ap.add_argument("--duration", action="append", default=[], metavar="SVC@CLUSTER=SECONDS",
                    help="run time of that deploy")
    ap.add_argument("--approve-after", type=float, default=60.0,
                    help="seconds after which an approval (suspend: {}) is resumed (default 60)")
    ap.add_argument("--never-approve", action="store_true", help="approvals are never resumed")
    ap.add_argument("--missing-secret", action="append", default=[], metavar="NAME",
                    help="Secret NAME does not exist: pods needing it stay Pending (optional refs run)")
    ap.add_argument("--no-exit-heuristic", action="store_true",
                    help="do not fail containers whose script ends with `exit N`")
    ap.add_argument("--max-time", type=float, default=30 * 86400.0, help="stop the clock there (default 30 days)")
    ap.add_argument("--nodes", action="store_true", help="add every node of every Workflow to the trace")
    ap.add_argument("--trace", metavar="FILE", help="write the JSON trace there instead of stdout")
    a = ap.parse_args(argv)
    durations = {}
    for d in a.duration:
        k, sep, v = d.rpartition("=")
        if not sep or "@" not in k:
            ap.error("--duration wants SVC@CLUSTER=SECONDS, not %r" % d)
        durations[k] = float(v)
    for f in a.fail + a.error:
        if "@" not in f:
            ap.error("want SVC@CLUSTER, not %r" % f)
    return a, durations


def simulate_text(text, opts, with_nodes=False):
    docs = [d for d in yaml.safe_load_all(text) if d is not None]
    sim = Sim(docs, opts)
    sim.run()
    return sim.result(with_nodes=with_nodes)


def main(argv=None):
    a, durations = parse_args(sys.argv[1:] if argv is None else argv)
    text = sys.stdin.read() if a.workflow == "-" else open(a.workflow, encoding="utf-8").read()
    opts = Options(pod_seconds=a.pod_seconds, fail=a.fail, error=a.error, error_attempts=a.error_attempts,
                   fail_notify=a.fail_notify, fail_templates=a.fail_template, durations=durations,
                   approve_after=a.approve_after, never_approve=a.never_approve,
                   missing_secrets=a.missing_secret, exit_heuristic=not a.no_exit_heuristic,
                   max_time=a.max_time)
    res = simulate_text(text, opts, with_nodes=a.nodes)
    out = json.dumps(res, indent=1)
    if a.trace:
        with open(a.trace, "w", encoding="utf-8") as f:
            f.write(out + "\n")
    else:
        print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
