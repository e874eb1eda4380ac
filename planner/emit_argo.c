/*
 * emit_argo.c: the plan as an Argo Workflow, written with libyaml's emitter.
 *
 * The Workflow runs the waves one after another as the steps of one
 * template, so waves meet at a single node and never need N x M edges:
 *
 *   rollout (steps)           start, then for each wave: the wave, its
 *   |                         notice, its rollback, its soak, its approval
 *   +- wave-W (dag)           one task per cluster, parallelism = parallel
 *   |  +- wave-W-part-K       only for a wave of more than 200 clusters
 *   |     +- cluster-S (dag)  one task per deploy, shared by every cluster
 *   |        |                of shape S, parameterized by `cluster`
 *   |        +- cluster-S-part-K  only for a shape of more than 200 deploys
 *   |           +- deploy     built-in kubectl container, or a templateRef
 *   +- rollback-W, undo-S     the same trees with every edge reversed and
 *   |                         `action: rollback`, run when wave W failed
 *   +- soak-D, approve-W, fail, notify, exit-handler
 *
 * Names are made unique per Workflow and shortened by argo_name().  When the
 * Workflow passes Argo's limits (200 templates, about 1 MB), --split waves
 * writes one Workflow per wave instead; when its tasks alone surely pass
 * them, the whole Workflow is not even written first.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <yaml.h>

#include "plan.h"

/* The largest document we write: etcd keeps objects under about 1 MB (the
 * YAML is a little larger than the JSON the API server stores). */
#define ARGO_MAX_BYTES 1000000
/* Kubernetes adds 5 characters to a generateName of at most 58. */
#define GENERATE_NAME_MAX 57

#define DEPLOY_IMAGE "alpine/k8s:1.31.4"
#define NOTIFY_IMAGE "curlimages/curl:8.11.1"
#define FAIL_IMAGE "alpine:3.20"
#define KUBECONFIG_DIR "/etc/planner/kubeconfig"

/* Deploy forward, or undo in reverse dependency order. */
enum mode { MODE_DEPLOY, MODE_UNDO };

/* How building one document ended. */
enum doc_result { DOC_OK, DOC_TOO_BIG, DOC_ERROR };

/* What the Workflow needs to know about one shape. */
struct shape_info {
	const char **task;	/* the DAG task name of each deploy position */
	size_t **rdeps;		/* positions of the deploys that need it */
	size_t *nrdeps;
	size_t **rchunk;	/* the chunks that wait for each chunk */
	size_t *nrchunk;
	bool used[2];		/* by mode, in the document at hand */
	const char *tmpl[2];
	const char **part[2];	/* chunk templates, when split */
};

/* The names one wave gives its templates and steps. */
struct wave_info {
	const char *tmpl[2];	/* wave-W and rollback-W, or NULL */
	const char **part[2];	/* their parts, for a very wide wave */
	size_t nparts, part_size;
	bool chained;		/* parts run one after another */
	const char *soak_tmpl, *approve;
	const char *step, *notify_step, *undo_step, *fail_step, *soak_step;
};

struct argo {
	const struct plan *p;
	struct arena a;
	yaml_emitter_t em;
	bool failed;
	const char *why;
	size_t *pos;		/* deploy index -> position in its cluster */
	struct shape_info *shapes;
	struct wave_info *waves;
	size_t from, to;	/* the waves of the document at hand */
	bool several;		/* it is one of several documents */
	struct map tnames, snames;	/* template and step names in use */
	struct map soaks;	/* Go duration -> its soak template */
	size_t ntemplates;	/* templates of the document at hand */
	size_t size;		/* its bytes, once written */
	bool deploys, rollback, noop;	/* it needs deploy, fail, noop */
	const char *wait;	/* the gate before a wave's own Workflow */
};

/* The reason for the last failure; it must outlive the arena. */
static char why_buf[512];

/* Records why the Workflow cannot be written. */
static void fail(struct argo *g, const char *fmt, ...) PRINTF_LIKE(2, 3);

static void
fail(struct argo *g, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why_buf, sizeof(why_buf), fmt, ap);
	va_end(ap);
	g->why = why_buf;
	g->failed = true;
}

/* ---- YAML events -------------------------------------------------------- */

/* Hands one event to the emitter, remembering the first failure. */
static void
put(struct argo *g, yaml_event_t *ev, int made)
{
	if (g->failed) {
		if (made)
			yaml_event_delete(ev);
		return;
	}
	if (!made)
		fail(g, "libyaml could not build an event (a string that is "
		    "not UTF-8, or no memory)");
	else if (!yaml_emitter_emit(&g->em, ev))
		fail(g, "libyaml: %s", g->em.problem ? g->em.problem :
		    "emitter error");
}

/* A scalar of n bytes in the given style. */
static void
scalar_n(struct argo *g, const char *s, size_t n, yaml_scalar_style_t style)
{
	yaml_event_t ev;
	int made;

	made = yaml_scalar_event_initialize(&ev, NULL, NULL,
	    (yaml_char_t *)s, (int)n, 1, 1, style);
	put(g, &ev, made);
}

/* A scalar in the given style. */
static void
scalar(struct argo *g, const char *s, yaml_scalar_style_t style)
{
	scalar_n(g, s, strlen(s), style);
}

/* True for the characters a plain string may hold. */
static bool
plain_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '/' ||
	    c == '_';
}

/* True when s, of n letters, is a word YAML 1.1 reads as a boolean or
 * null: y, n, yes, no, on, off, true, false or null, in any case. */
static bool
yaml_word(const char *s, size_t n)
{
	static const char *const words[] = { "y", "n", "yes", "no", "on",
		"off", "true", "false", "null" };
	size_t i;

	/* most strings are longer, or start with another letter */
	if (n == 0 || n > 5 || !strchr("ynotfYNOTF", s[0]))
		return false;
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strlen(words[i]) == n && strncasecmp(s, words[i], n) == 0)
			return true;
	return false;
}

/* True when s, written plain, reads back as the same string; *n is set
 * to its length either way. */
static bool
plain_is_string(const char *s, size_t *n)
{
	bool plain = (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z');
	size_t i;

	for (i = 0; s[i]; i++)
		plain = plain && plain_char(s[i]);
	*n = i;
	return plain && !yaml_word(s, i);
}

/* A string: plain when that is safe, else double-quoted. */
static void
str(struct argo *g, const char *s)
{
	size_t n;
	bool plain = plain_is_string(s, &n);

	scalar_n(g, s, n, plain ? YAML_PLAIN_SCALAR_STYLE :
	    YAML_DOUBLE_QUOTED_SCALAR_STYLE);
}

/* Starts a mapping, in block or flow style. */
static void
begin_map(struct argo *g, bool flow)
{
	yaml_event_t ev;

	put(g, &ev, yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1,
	    flow ? YAML_FLOW_MAPPING_STYLE : YAML_BLOCK_MAPPING_STYLE));
}

/* Ends a mapping. */
static void
end_map(struct argo *g)
{
	yaml_event_t ev;

	put(g, &ev, yaml_mapping_end_event_initialize(&ev));
}

/* Starts a sequence, in block or flow style. */
static void
begin_seq(struct argo *g, bool flow)
{
	yaml_event_t ev;

	put(g, &ev, yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1,
	    flow ? YAML_FLOW_SEQUENCE_STYLE : YAML_BLOCK_SEQUENCE_STYLE));
}

/* Ends a sequence. */
static void
end_seq(struct argo *g)
{
	yaml_event_t ev;

	put(g, &ev, yaml_sequence_end_event_initialize(&ev));
}

/* A mapping key. */
static void
key(struct argo *g, const char *k)
{
	scalar(g, k, YAML_PLAIN_SCALAR_STYLE);
}

/* key: value, the value plain when safe. */
static void
pair(struct argo *g, const char *k, const char *v)
{
	key(g, k);
	str(g, v);
}

/* key: "value", always double-quoted. */
static void
pair_quoted(struct argo *g, const char *k, const char *v)
{
	key(g, k);
	scalar(g, v, YAML_DOUBLE_QUOTED_SCALAR_STYLE);
}

/* key: a whole number or a boolean, written plain. */
static void
pair_raw(struct argo *g, const char *k, const char *v)
{
	key(g, k);
	scalar(g, v, YAML_PLAIN_SCALAR_STYLE);
}

/* key: { name: value }, one flow mapping of one pair. */
static void
pair_map(struct argo *g, const char *k, const char *name, const char *v)
{
	key(g, k);
	begin_map(g, true);
	pair(g, name, v);
	end_map(g);
}

/* One parameter given a value: {name: N, value: "V"}. */
static void
param(struct argo *g, const char *name, const char *value)
{
	begin_map(g, true);
	pair(g, "name", name);
	pair_quoted(g, "value", value);
	end_map(g);
}

/* arguments: parameters: [ name: value ], one argument. */
static void
one_argument(struct argo *g, const char *name, const char *value)
{
	key(g, "arguments");
	begin_map(g, false);
	key(g, "parameters");
	begin_seq(g, false);
	param(g, name, value);
	end_seq(g);
	end_map(g);
}

/* inputs: parameters: the names given, none with a default. */
static void
inputs(struct argo *g, const char *const *names, size_t n)
{
	size_t i;

	key(g, "inputs");
	begin_map(g, false);
	key(g, "parameters");
	begin_seq(g, false);
	for (i = 0; i < n; i++) {
		begin_map(g, false);
		pair(g, "name", names[i]);
		end_map(g);
	}
	end_seq(g);
	end_map(g);
}

/* dependencies: [ names ], the names picked by index from task. */
static void
dependencies(struct argo *g, const char *const *task, const size_t *idx,
    size_t n)
{
	size_t i;

	if (!n)
		return;
	key(g, "dependencies");
	begin_seq(g, true);
	for (i = 0; i < n; i++)
		str(g, task[idx[i]]);
	end_seq(g);
}

/* "{{inputs.parameters.NAME}}" */
static const char *
input_ref(struct argo *g, const char *name)
{
	return arena_printf(&g->a, "{{inputs.parameters.%s}}", name);
}

/* ---- Names -------------------------------------------------------------- */

/* Takes a name in a namespace, adding -2, -3... if it is taken already. */
static const char *
claim(struct argo *g, struct map *used, const char *name)
{
	const char *n = name;
	int i;

	for (i = 2; map_get(used, n); i++)
		n = argo_name(&g->a, MAX_NAME, name,
		    arena_printf(&g->a, "%d", i), NULL);
	map_put(used, n, (void *)n);
	return n;
}

/* A template name of up to three parts, unique in the Workflow. */
static const char *
tmpl_name(struct argo *g, const char *a, const char *b, const char *c)
{
	g->ntemplates++;
	return claim(g, &g->tnames, argo_name(&g->a, MAX_NAME, a, b, c, NULL));
}

/* A step name of the entrypoint, unique there. */
static const char *
step_name(struct argo *g, const char *prefix, const char *wave)
{
	return claim(g, &g->snames,
	    argo_name(&g->a, MAX_NAME, prefix, wave, NULL));
}

/* "1", "2"...: the number of part k. */
static const char *
part_no(struct argo *g, size_t k)
{
	return arena_printf(&g->a, "%zu", k + 1);
}

/* The shape's DAG task names: the service's name, prefixed when it starts
 * with a digit (Argo refuses those in a DAG with dependencies). */
static void
name_tasks(struct argo *g, const struct plan_cluster *pc,
    struct shape_info *si)
{
	struct map used = { 0 };
	size_t i;

	si->task = arena_array(&g->a, pc->ndeploys, sizeof(*si->task));
	for (i = 0; i < pc->ndeploys; i++) {
		const char *s = pc->deploys[i]->service->name;

		if (s[0] >= 'a' && s[0] <= 'z')
			si->task[i] = claim(g, &used, s);
	}
	for (i = 0; i < pc->ndeploys; i++)
		if (!si->task[i])
			si->task[i] = claim(g, &used, argo_name(&g->a, MAX_NAME,
			    "svc", pc->deploys[i]->service->name, NULL));
	map_free(&used);
}

/* ---- What a shape needs, found once -------------------------------------- */

/* For each deploy position, the positions of the deploys that need it. */
static void
reverse_needs(struct argo *g, const struct plan_cluster *pc,
    struct shape_info *si)
{
	size_t n = pc->ndeploys, i, j;

	si->rdeps = arena_array(&g->a, n, sizeof(*si->rdeps));
	si->nrdeps = arena_array(&g->a, n, sizeof(*si->nrdeps));
	for (i = 0; i < n; i++)
		for (j = 0; j < pc->deploys[i]->nneeds; j++)
			si->nrdeps[g->pos[pc->deploys[i]->needs[j]->index]]++;
	for (i = 0; i < n; i++) {
		si->rdeps[i] = arena_array(&g->a, si->nrdeps[i],
		    sizeof(**si->rdeps));
		si->nrdeps[i] = 0;
	}
	for (i = 0; i < n; i++)
		for (j = 0; j < pc->deploys[i]->nneeds; j++) {
			size_t b = g->pos[pc->deploys[i]->needs[j]->index];

			si->rdeps[b][si->nrdeps[b]++] = i;
		}
}

/* For each chunk, the later chunks that wait for it. */
static void
reverse_chunks(struct argo *g, const struct shape *sh, struct shape_info *si)
{
	size_t n = sh->nchunks, c, j;

	si->rchunk = arena_array(&g->a, n, sizeof(*si->rchunk));
	si->nrchunk = arena_array(&g->a, n, sizeof(*si->nrchunk));
	for (c = 0; c < n; c++)
		for (j = 0; j < sh->chunks[c].ndeps; j++)
			si->nrchunk[sh->chunks[c].deps[j]]++;
	for (c = 0; c < n; c++) {
		si->rchunk[c] = arena_array(&g->a, si->nrchunk[c],
		    sizeof(**si->rchunk));
		si->nrchunk[c] = 0;
	}
	for (c = 0; c < n; c++)
		for (j = 0; j < sh->chunks[c].ndeps; j++) {
			size_t d = sh->chunks[c].deps[j];

			si->rchunk[d][si->nrchunk[d]++] = c;
		}
}

/* Positions of every deploy, and each shape's task names and reversed
 * edges; false when a shape cannot be split into few enough DAGs. */
static bool
prepare(struct argo *g)
{
	const struct plan *p = g->p;
	size_t i, j;

	g->pos = arena_array(&g->a, p->ndeploys + 1, sizeof(*g->pos));
	for (i = 0; i < p->nclusters; i++)
		for (j = 0; j < p->clusters[i].ndeploys; j++)
			g->pos[p->clusters[i].deploys[j]->index] = j;
	g->shapes = arena_array(&g->a, p->nshapes + 1, sizeof(*g->shapes));
	for (i = 0; i < p->nshapes; i++) {
		const struct shape *sh = p->shapes[i];

		if (sh->nchunks > ARGO_MAX_TASKS) {
			fail(g, "cluster '%s' has %zu deploys: even split into "
			    "DAGs of %d it needs %zu parts, more than the %d "
			    "tasks Argo allows in one DAG",
			    sh->first->cluster->name, sh->first->ndeploys,
			    ARGO_MAX_TASKS, sh->nchunks, ARGO_MAX_TASKS);
			return false;
		}
		name_tasks(g, sh->first, &g->shapes[i]);
		reverse_needs(g, sh->first, &g->shapes[i]);
		reverse_chunks(g, sh, &g->shapes[i]);
	}
	return true;
}

/* Splits a wave of more than ARGO_MAX_TASKS clusters into even parts;
 * false when even the parts do not fit in one DAG. */
static bool
prepare_wave(struct argo *g, size_t i)
{
	const struct plan_wave *pw = &g->p->waves[i];
	struct wave_info *wi = &g->waves[i];
	size_t n = pw->nclusters;

	if (n <= ARGO_MAX_TASKS)
		return true;
	wi->nparts = (n + ARGO_MAX_TASKS - 1) / ARGO_MAX_TASKS;
	wi->part_size = (n + wi->nparts - 1) / wi->nparts;
	/* parallel bounds the whole wave: parts then run one at a time */
	wi->chained = pw->wave->parallel > 0 && (size_t)pw->wave->parallel < n;
	if (wi->nparts <= ARGO_MAX_TASKS)
		return true;
	fail(g, "wave '%s' has %zu clusters: even split into DAGs of %d it "
	    "needs %zu parts, more than the %d tasks Argo allows in one DAG",
	    pw->wave->name, n, ARGO_MAX_TASKS, wi->nparts, ARGO_MAX_TASKS);
	return false;
}

/* ---- Naming the templates of one document ------------------------------ */

/* Names a shape's templates for one mode (cluster-S or undo-S, and their
 * parts) when the document uses it. */
static void
name_shape(struct argo *g, const struct shape *sh, enum mode m)
{
	struct shape_info *si = &g->shapes[sh->index];
	const char *prefix = m == MODE_DEPLOY ? "cluster" : "undo";
	const char *base = sh->first->cluster->name;
	size_t k;

	if (!si->used[m])
		return;
	si->tmpl[m] = tmpl_name(g, prefix, base, NULL);
	if (sh->nchunks <= 1)
		return;
	si->part[m] = arena_array(&g->a, sh->nchunks, sizeof(*si->part[m]));
	for (k = 0; k < sh->nchunks; k++)
		si->part[m][k] = tmpl_name(g, si->tmpl[m], "part",
		    part_no(g, k));
}

/* Names the fan-out template of wave i for one mode, and its parts. */
static void
name_fanout(struct argo *g, size_t i, enum mode m)
{
	struct wave_info *wi = &g->waves[i];
	const char *name = g->p->waves[i].wave->name;
	size_t k;

	wi->tmpl[m] = tmpl_name(g, m == MODE_DEPLOY ? "wave" : "rollback",
	    name, NULL);
	if (!wi->nparts)
		return;
	wi->part[m] = arena_array(&g->a, wi->nparts, sizeof(*wi->part[m]));
	for (k = 0; k < wi->nparts; k++)
		wi->part[m][k] = tmpl_name(g, wi->tmpl[m], "part",
		    part_no(g, k));
}

/* The soak template of a duration, one per distinct duration. */
static const char *
soak_template(struct argo *g, long seconds)
{
	const char *d = go_duration(&g->a, seconds);
	const char *t = map_get(&g->soaks, d);

	if (!t) {
		t = tmpl_name(g, "soak", d, NULL);
		map_put(&g->soaks, d, (void *)t);
	}
	return t;
}

/* Names the templates and entrypoint steps of wave i, and marks the
 * shapes its clusters use. */
static void
name_wave(struct argo *g, size_t i)
{
	const struct plan_wave *pw = &g->p->waves[i];
	const struct wave *w = pw->wave;
	struct wave_info *wi = &g->waves[i];
	bool undo = w->on_failure == FAIL_ROLLBACK && pw->nclusters;
	size_t j;

	for (j = 0; j < pw->nclusters; j++) {
		g->shapes[pw->clusters[j]->shape->index].used[MODE_DEPLOY] =
		    true;
		g->shapes[pw->clusters[j]->shape->index].used[MODE_UNDO] |=
		    undo;
	}
	if (pw->nclusters) {
		name_fanout(g, i, MODE_DEPLOY);
		wi->step = step_name(g, "wave", w->name);
	}
	if (g->p->rollout->notify)
		wi->notify_step = step_name(g, "notify", w->name);
	if (undo) {
		name_fanout(g, i, MODE_UNDO);
		wi->undo_step = step_name(g, "rollback", w->name);
		wi->fail_step = step_name(g, "fail", w->name);
	}
	if (w->soak) {
		wi->soak_tmpl = soak_template(g, w->soak);
		wi->soak_step = step_name(g, "soak", w->name);
	}
}

/* Forgets the names of the previous document. */
static void
reset_names(struct argo *g)
{
	size_t i;

	map_free(&g->tnames);
	map_free(&g->snames);
	map_free(&g->soaks);
	g->ntemplates = 0;
	g->wait = NULL;
	for (i = 0; i < g->p->nshapes; i++) {
		struct shape_info *si = &g->shapes[i];

		si->used[0] = si->used[1] = false;
		si->tmpl[0] = si->tmpl[1] = NULL;
		si->part[0] = si->part[1] = NULL;
	}
	for (i = 0; i < g->p->nwaves; i++) {
		struct wave_info *wi = &g->waves[i];
		size_t nparts = wi->nparts, size = wi->part_size;
		bool chained = wi->chained;

		memset(wi, 0, sizeof(*wi));
		wi->nparts = nparts;
		wi->part_size = size;
		wi->chained = chained;
	}
}

/* What waves [from, to) hold: deploys (so the deploy template), a
 * rollback (so the fail template), and any step at all. */
static void
scan_waves(struct argo *g)
{
	size_t i;

	g->deploys = g->rollback = g->noop = false;
	for (i = g->from; i < g->to; i++) {
		const struct plan_wave *pw = &g->p->waves[i];

		g->deploys |= pw->nclusters > 0;
		g->rollback |= pw->nclusters && pw->wave->on_failure ==
		    FAIL_ROLLBACK;
		g->noop |= pw->wave->soak || pw->wave->approve;
	}
	/* with nothing to do, the entrypoint still needs one step */
	g->noop = !g->noop && !g->deploys && !g->p->rollout->notify &&
	    !(g->several && g->from);
}

/* The templates whose names are fixed, when the document needs them. */
static void
name_fixed(struct argo *g)
{
	const struct rollout *r = g->p->rollout;

	tmpl_name(g, "rollout", NULL, NULL);
	if (g->deploys && !r->deploy_template)
		tmpl_name(g, "deploy", NULL, NULL);
	if (r->notify) {
		tmpl_name(g, "notify", NULL, NULL);
		tmpl_name(g, "exit-handler", NULL, NULL);
	}
	if (g->rollback)
		tmpl_name(g, "fail", NULL, NULL);
	if (g->noop)
		tmpl_name(g, "noop", NULL, NULL);
	claim(g, &g->snames, "start");
	claim(g, &g->snames, "noop");
}

/* The gates people resume by name, each a template and a step of the
 * same name: the wait for the previous wave's Workflow, the approvals. */
static void
name_gates(struct argo *g)
{
	const char *n;
	size_t i;

	if (g->several && g->from) {
		n = argo_name(&g->a, MAX_NAME, "wait-for",
		    g->p->waves[g->from - 1].wave->name, NULL);
		g->wait = tmpl_name(g, n, NULL, NULL);
		claim(g, &g->snames, n);
	}
	for (i = g->from; i < g->to; i++)
		if (g->p->waves[i].wave->approve) {
			n = approve_name(&g->a, g->p->waves[i].wave);
			g->waves[i].approve = tmpl_name(g, n, NULL, NULL);
			claim(g, &g->snames, n);
		}
}

/* Names every template and step of waves [from, to) and counts the
 * templates: fixed names first, then the gates (people type their
 * names), then the rest in the order they are written. */
static void
name_document(struct argo *g)
{
	size_t i;

	reset_names(g);
	scan_waves(g);
	name_fixed(g);
	name_gates(g);
	for (i = g->from; i < g->to; i++)
		name_wave(g, i);
	for (i = 0; i < g->p->nshapes; i++)
		name_shape(g, g->p->shapes[i], MODE_DEPLOY);
	for (i = 0; i < g->p->nshapes; i++)
		name_shape(g, g->p->shapes[i], MODE_UNDO);
}

/* ---- The entrypoint ----------------------------------------------------- */

/* Opens a step in a group of its own: "- - name: N, template: T". */
static void
step_begin(struct argo *g, const char *name, const char *tmpl)
{
	begin_seq(g, false);
	begin_map(g, false);
	pair(g, "name", name);
	pair(g, "template", tmpl);
}

/* Closes a step opened by step_begin. */
static void
step_end(struct argo *g)
{
	end_map(g);
	end_seq(g);
}

/* continueOn: failed (and error): later steps run whatever happened. */
static void
continue_on(struct argo *g, bool error)
{
	key(g, "continueOn");
	begin_map(g, true);
	pair_raw(g, "failed", "true");
	if (error)
		pair_raw(g, "error", "true");
	end_map(g);
}

/* A step posting a message to Slack; a notice that cannot be sent does
 * not stop the rollout. */
static void
notify_step(struct argo *g, const char *name, const char *message)
{
	step_begin(g, name, "notify");
	one_argument(g, "message", message);
	continue_on(g, true);
	step_end(g);
}

/* What the notice at the start says. */
static const char *
start_message(struct argo *g)
{
	const char *r = g->p->rollout->name;

	if (g->several)
		return arena_printf(&g->a, "rollout %s, wave %s: started "
		    "({{workflow.name}})", r, g->p->waves[g->from].wave->name);
	return arena_printf(&g->a, "rollout %s: started ({{workflow.name}})",
	    r);
}

/* What the notice after wave i says: how it went, and how to approve
 * the next step when the wave waits for a person. */
static const char *
wave_message(struct argo *g, size_t i)
{
	const struct wave *w = g->p->waves[i].wave;
	const struct wave_info *wi = &g->waves[i];
	const char *ns = g->p->rollout->namespace;
	const char *m;

	m = wi->step ? arena_printf(&g->a, "rollout %s: wave %s "
	    "{{steps.%s.status}}", g->p->rollout->name, w->name, wi->step) :
	    arena_printf(&g->a, "rollout %s: wave %s has nothing to deploy",
	    g->p->rollout->name, w->name);
	if (!w->approve)
		return m;
	return arena_printf(&g->a, "%s; %sapprove with: argo resume "
	    "{{workflow.name}}%s%s --node-field-selector displayName=%s", m,
	    w->soak ? "after the soak, " : "", ns ? " -n " : "", ns ? ns : "",
	    wi->approve);
}

/* The rollback of wave i, then the step that fails the Workflow; both run
 * only when the wave did not succeed. */
static void
undo_steps(struct argo *g, size_t i)
{
	const struct wave_info *wi = &g->waves[i];
	const char *when = arena_printf(&g->a, "{{steps.%s.status}} != "
	    "Succeeded", wi->step);

	step_begin(g, wi->undo_step, wi->tmpl[MODE_UNDO]);
	pair_quoted(g, "when", when);
	step_end(g);
	step_begin(g, wi->fail_step, "fail");
	pair_quoted(g, "when", when);
	one_argument(g, "message", arena_printf(&g->a, "wave %s failed and "
	    "was rolled back", g->p->waves[i].wave->name));
	step_end(g);
}

/*
 * The steps of wave i: its deploys, the notice, the rollback on failure,
 * the soak and the approval.  continue and rollback let the step fail
 * without ending the Workflow; rollback also catches errors (a pod that
 * could not run), since those leave deploys half done too.
 */
static void
wave_steps(struct argo *g, size_t i)
{
	const struct wave *w = g->p->waves[i].wave;
	const struct wave_info *wi = &g->waves[i];

	if (wi->step) {
		step_begin(g, wi->step, wi->tmpl[MODE_DEPLOY]);
		if (w->on_failure != FAIL_HALT)
			continue_on(g, w->on_failure == FAIL_ROLLBACK);
		step_end(g);
	}
	if (wi->notify_step)
		notify_step(g, wi->notify_step, wave_message(g, i));
	if (wi->undo_step)
		undo_steps(g, i);
	if (wi->soak_step) {
		step_begin(g, wi->soak_step, wi->soak_tmpl);
		step_end(g);
	}
	if (wi->approve) {
		step_begin(g, wi->approve, wi->approve);
		step_end(g);
	}
}

/*
 * The entrypoint: a notice, then the waves one after another.  The
 * Workflow of a wave after the first starts suspended, so that submitting
 * every document at once cannot run two waves together: a person resumes
 * it once the previous wave's Workflow has succeeded.
 */
static void
emit_entry(struct argo *g)
{
	size_t i;

	begin_map(g, false);
	pair(g, "name", "rollout");
	key(g, "steps");
	begin_seq(g, false);
	if (g->wait) {
		step_begin(g, g->wait, g->wait);
		step_end(g);
	}
	if (g->p->rollout->notify)
		notify_step(g, "start", start_message(g));
	for (i = g->from; i < g->to; i++)
		wave_steps(g, i);
	if (g->noop) {
		step_begin(g, "noop", "noop");
		step_end(g);
	}
	end_seq(g);
	end_map(g);
}

/* ---- Waves -------------------------------------------------------------- */

/* True where every cluster should be tried though one failed: a wave that
 * continues on failure, and every rollback. */
static bool
try_all(struct argo *g, size_t i, enum mode m)
{
	return m == MODE_UNDO ||
	    g->p->waves[i].wave->on_failure == FAIL_CONTINUE;
}

/* failFast: false where every cluster should be tried. */
static void
fail_fast(struct argo *g, size_t i, enum mode m)
{
	if (try_all(g, i, m))
		pair_raw(g, "failFast", "false");
}

/* A cluster's task: its shape's template, given the cluster's name. */
static void
cluster_task(struct argo *g, const struct plan_cluster *pc, enum mode m)
{
	begin_map(g, false);
	pair(g, "name", pc->cluster->name);
	pair(g, "template", g->shapes[pc->shape->index].tmpl[m]);
	one_argument(g, "cluster", pc->cluster->name);
	end_map(g);
}

/* parallelism and a DAG of clusters [lo, hi) of wave i: the template
 * whose children are the wave's clusters. */
static void
clusters_body(struct argo *g, size_t i, enum mode m, size_t lo, size_t hi)
{
	const struct plan_wave *pw = &g->p->waves[i];
	size_t j;

	if (pw->wave->parallel > 0)
		pair_raw(g, "parallelism", arena_printf(&g->a, "%ld",
		    pw->wave->parallel));
	key(g, "dag");
	begin_map(g, false);
	fail_fast(g, i, m);
	key(g, "tasks");
	begin_seq(g, false);
	for (j = lo; j < hi; j++)
		cluster_task(g, pw->clusters[j], m);
	end_seq(g);
	end_map(g);
}

/* A DAG of the parts of a very wide wave: all at once, or one after
 * another when the wave's parallel must bound them all together (then,
 * where every cluster should be tried, a failed part does not stop the
 * next). */
static void
parts_body(struct argo *g, size_t i, enum mode m)
{
	const struct wave_info *wi = &g->waves[i];
	const char **names = arena_array(&g->a, wi->nparts, sizeof(*names));
	size_t k, prev;

	key(g, "dag");
	begin_map(g, false);
	fail_fast(g, i, m);
	key(g, "tasks");
	begin_seq(g, false);
	for (k = 0; k < wi->nparts; k++) {
		names[k] = arena_printf(&g->a, "part-%zu", k + 1);
		begin_map(g, false);
		pair(g, "name", names[k]);
		pair(g, "template", wi->part[m][k]);
		prev = k - 1;
		if (wi->chained && k > 0)
			dependencies(g, names, &prev, 1);
		if (wi->chained && k + 1 < wi->nparts && try_all(g, i, m))
			continue_on(g, false);
		end_map(g);
	}
	end_seq(g);
	end_map(g);
}

/* The template of wave i (or of its rollback), then its parts. */
static void
emit_wave(struct argo *g, size_t i, enum mode m)
{
	const struct wave_info *wi = &g->waves[i];
	size_t n = g->p->waves[i].nclusters, k, lo;

	if (!wi->tmpl[m])
		return;
	begin_map(g, false);
	pair(g, "name", wi->tmpl[m]);
	if (wi->nparts)
		parts_body(g, i, m);
	else
		clusters_body(g, i, m, 0, n);
	end_map(g);
	for (k = 0; k < wi->nparts; k++) {
		lo = k * wi->part_size;
		begin_map(g, false);
		pair(g, "name", wi->part[m][k]);
		clusters_body(g, i, m, lo, lo + wi->part_size < n ?
		    lo + wi->part_size : n);
		end_map(g);
	}
}

/* ---- Clusters ----------------------------------------------------------- */

/* The deploy template: the built-in one, or the rollout's templateRef. */
static void
deploy_ref(struct argo *g)
{
	const char *ref = g->p->rollout->deploy_template;

	if (!ref) {
		pair(g, "template", "deploy");
		return;
	}
	key(g, "templateRef");
	begin_map(g, true);
	pair(g, "name", ref);
	pair(g, "template", "deploy");
	end_map(g);
}

/* The parameters of one deploy, each a quoted string. */
static void
deploy_args(struct argo *g, const struct deploy *d, enum mode m)
{
	key(g, "arguments");
	begin_map(g, false);
	key(g, "parameters");
	begin_seq(g, false);
	param(g, "service", d->service->name);
	param(g, "cluster", "{{inputs.parameters.cluster}}");
	param(g, "image", d->service->image);
	param(g, "version", d->service->version);
	if (m == MODE_UNDO)
		param(g, "action", "rollback");
	end_seq(g);
	end_map(g);
}

/* The positions among [lo, hi) that the deploy at position i waits for
 * (or, undoing, that wait for it), into wait; returns how many.  Whatever
 * lies outside is waited for by the chunk's own dependencies. */
static size_t
task_waits(const struct argo *g, const struct shape *sh, enum mode m,
    size_t i, size_t lo, size_t hi, size_t *wait)
{
	const struct deploy *d = sh->first->deploys[i];
	const struct shape_info *si = &g->shapes[sh->index];
	size_t n = m == MODE_DEPLOY ? d->nneeds : si->nrdeps[i], j, k, nwait;

	for (j = nwait = 0; j < n; j++) {
		k = m == MODE_DEPLOY ? g->pos[d->needs[j]->index] :
		    si->rdeps[i][j];
		if (k >= lo && k < hi)
			wait[nwait++] = k;
	}
	return nwait;
}

/* How many positions task_waits may return for the deploy at i. */
static size_t
task_max_waits(const struct argo *g, const struct shape *sh, enum mode m,
    size_t i)
{
	return m == MODE_DEPLOY ? sh->first->deploys[i]->nneeds :
	    g->shapes[sh->index].nrdeps[i];
}

/* The task of the deploy at position i, in the chunk [lo, hi). */
static void
deploy_task(struct argo *g, const struct shape *sh, enum mode m, size_t i,
    size_t lo, size_t hi)
{
	const struct shape_info *si = &g->shapes[sh->index];
	size_t *wait = arena_array(&g->a, task_max_waits(g, sh, m, i) + 1,
	    sizeof(*wait));
	size_t nwait = task_waits(g, sh, m, i, lo, hi, wait);

	begin_map(g, false);
	pair(g, "name", si->task[i]);
	deploy_ref(g);
	dependencies(g, si->task, wait, nwait);
	deploy_args(g, sh->first->deploys[i], m);
	end_map(g);
}

/* Opens a template that takes a cluster and holds a DAG: name, inputs,
 * dag, tasks.  A rollback tries every branch even when one fails. */
static void
dag_begin(struct argo *g, const char *name, enum mode m)
{
	static const char *const in[] = { "cluster" };

	begin_map(g, false);
	pair(g, "name", name);
	inputs(g, in, 1);
	key(g, "dag");
	begin_map(g, false);
	if (m == MODE_UNDO)
		pair_raw(g, "failFast", "false");
	key(g, "tasks");
	begin_seq(g, false);
}

/* Closes a template opened by dag_begin. */
static void
dag_end(struct argo *g)
{
	end_seq(g);
	end_map(g);
	end_map(g);
}

/* One task per chunk of a split shape, waiting for the chunks its deploys
 * need (or, undoing, for the chunks whose deploys need it). */
static void
chunk_tasks(struct argo *g, const struct shape *sh, enum mode m)
{
	const struct shape_info *si = &g->shapes[sh->index];
	const char **names = arena_array(&g->a, sh->nchunks, sizeof(*names));
	size_t k;

	for (k = 0; k < sh->nchunks; k++)
		names[k] = arena_printf(&g->a, "part-%zu", k + 1);
	for (k = 0; k < sh->nchunks; k++) {
		begin_map(g, false);
		pair(g, "name", names[k]);
		pair(g, "template", si->part[m][k]);
		if (m == MODE_DEPLOY)
			dependencies(g, names, sh->chunks[k].deps,
			    sh->chunks[k].ndeps);
		else
			dependencies(g, names, si->rchunk[k], si->nrchunk[k]);
		one_argument(g, "cluster", "{{inputs.parameters.cluster}}");
		end_map(g);
	}
}

/* The template of a shape (or of its undoing): a DAG of its deploys, or
 * of its chunks followed by one template per chunk. */
static void
emit_shape(struct argo *g, const struct shape *sh, enum mode m)
{
	const struct shape_info *si = &g->shapes[sh->index];
	size_t k, j;

	if (!si->used[m])
		return;
	dag_begin(g, si->tmpl[m], m);
	if (sh->nchunks > 1)
		chunk_tasks(g, sh, m);
	else
		for (j = 0; j < sh->first->ndeploys; j++)
			deploy_task(g, sh, m, j, 0, sh->first->ndeploys);
	dag_end(g);
	for (k = 0; sh->nchunks > 1 && k < sh->nchunks; k++) {
		const struct chunk *c = &sh->chunks[k];

		dag_begin(g, si->part[m][k], m);
		for (j = c->start; j < c->start + c->count; j++)
			deploy_task(g, sh, m, j, c->start,
			    c->start + c->count);
		dag_end(g);
	}
}

/* ---- Containers and gates ----------------------------------------------- */

/* command: [sh, -c] and args: [script], the script as a literal block. */
static void
shell(struct argo *g, const char *script)
{
	key(g, "command");
	begin_seq(g, true);
	str(g, "sh");
	str(g, "-c");
	end_seq(g);
	key(g, "args");
	begin_seq(g, false);
	scalar(g, script, YAML_LITERAL_SCALAR_STYLE);
	end_seq(g);
}

/* Sets a deployment's image and waits for it; with action rollback, undoes
 * it, but only where this rollout's image is the one running. */
static const char deploy_script[] =
    "set -eu\n"
    "target=\"$IMAGE:$VERSION\"\n"
    "k() { kubectl --context \"$CLUSTER\" \"$@\"; }\n"
    "if [ \"$ACTION\" = rollback ]; then\n"
    "  current=$(k get \"deployment/$SERVICE\" -o \"jsonpath={.spec"
    ".template.spec.containers[?(@.name==\\\"$SERVICE\\\")].image}\")\n"
    "  if [ \"$current\" != \"$target\" ]; then\n"
    "    echo \"$SERVICE in $CLUSTER runs '$current', not $target:"
    " nothing to roll back\"\n"
    "    exit 0\n"
    "  fi\n"
    "  k rollout undo \"deployment/$SERVICE\"\n"
    "else\n"
    "  k set image \"deployment/$SERVICE\" \"$SERVICE=$target\"\n"
    "fi\n"
    "k rollout status \"deployment/$SERVICE\" --timeout=10m\n";

/* The inputs of the built-in deploy: the four of every deploy, and
 * action, deploy unless a rollback says otherwise. */
static void
deploy_inputs(struct argo *g)
{
	static const char *const in[] = { "service", "cluster", "image",
		"version" };
	size_t i;

	key(g, "inputs");
	begin_map(g, false);
	key(g, "parameters");
	begin_seq(g, false);
	for (i = 0; i < 4; i++) {
		begin_map(g, false);
		pair(g, "name", in[i]);
		end_map(g);
	}
	begin_map(g, false);
	pair(g, "name", "action");
	pair_quoted(g, "default", "deploy");
	key(g, "enum");
	begin_seq(g, true);
	str(g, "deploy");
	str(g, "rollback");
	end_seq(g);
	end_map(g);
	end_seq(g);
	end_map(g);
}

/* The container of the built-in deploy: kubectl, with the parameters in
 * its environment (never in the script) and the kubeconfig mounted. */
static void
deploy_container(struct argo *g)
{
	static const char *const vars[][2] = { { "SERVICE", "service" },
		{ "CLUSTER", "cluster" }, { "IMAGE", "image" },
		{ "VERSION", "version" }, { "ACTION", "action" } };
	size_t i;

	key(g, "container");
	begin_map(g, false);
	pair(g, "image", DEPLOY_IMAGE);
	shell(g, deploy_script);
	key(g, "env");
	begin_seq(g, false);
	for (i = 0; i < sizeof(vars) / sizeof(vars[0]); i++)
		param(g, vars[i][0], input_ref(g, vars[i][1]));
	param(g, "KUBECONFIG", KUBECONFIG_DIR "/config");
	end_seq(g);
	key(g, "volumeMounts");
	begin_seq(g, false);
	begin_map(g, true);
	pair(g, "name", "kubeconfig");
	pair(g, "mountPath", KUBECONFIG_DIR);
	pair_raw(g, "readOnly", "true");
	end_map(g);
	end_seq(g);
	end_map(g);
}

/* The built-in deploy template, when the rollout names none: kubectl
 * against the context named after the cluster, from the Secret
 * kubeconfig (key config). */
static void
emit_deploy(struct argo *g)
{
	if (g->p->rollout->deploy_template || !g->deploys)
		return;
	begin_map(g, false);
	pair(g, "name", "deploy");
	deploy_inputs(g);
	deploy_container(g);
	key(g, "volumes");
	begin_seq(g, false);
	begin_map(g, false);
	pair(g, "name", "kubeconfig");
	pair_map(g, "secret", "secretName", "kubeconfig");
	end_map(g);
	end_seq(g);
	end_map(g);
}

/* Posts {"channel": ..., "text": ...} to the webhook, escaped for JSON. */
static const char notify_script[] =
    "set -eu\n"
    "esc() { printf '%s' \"$1\" | tr '\\n\\t' '  ' |"
    " sed 's/\\\\/\\\\\\\\/g; s/\"/\\\\\"/g'; }\n"
    "body=$(printf '{\"channel\": \"%s\", \"text\": \"%s\"}'"
    " \"$(esc \"$CHANNEL\")\" \"$(esc \"$MESSAGE\")\")\n"
    "curl -sS --fail --retry 3 -H 'Content-Type: application/json'"
    " -d \"$body\" \"$SLACK_WEBHOOK_URL\"\n";

/* The notify template: curl to the webhook read from the Secret
 * slack-webhook (key url), never written in the file. */
static void
emit_notify(struct argo *g)
{
	static const char *const in[] = { "message" };

	if (!g->p->rollout->notify)
		return;
	begin_map(g, false);
	pair(g, "name", "notify");
	inputs(g, in, 1);
	key(g, "container");
	begin_map(g, false);
	pair(g, "image", NOTIFY_IMAGE);
	shell(g, notify_script);
	key(g, "env");
	begin_seq(g, false);
	begin_map(g, false);
	pair(g, "name", "SLACK_WEBHOOK_URL");
	key(g, "valueFrom");
	begin_map(g, false);
	key(g, "secretKeyRef");
	begin_map(g, true);
	pair(g, "name", "slack-webhook");
	pair(g, "key", "url");
	end_map(g);
	end_map(g);
	end_map(g);
	param(g, "CHANNEL", g->p->rollout->notify);
	param(g, "MESSAGE", input_ref(g, "message"));
	end_seq(g);
	end_map(g);
	end_map(g);
}

/* The onExit handler: one notice with the Workflow's final status. */
static void
emit_exit_handler(struct argo *g)
{
	if (!g->p->rollout->notify)
		return;
	begin_map(g, false);
	pair(g, "name", "exit-handler");
	key(g, "steps");
	begin_seq(g, false);
	step_begin(g, "notify", "notify");
	one_argument(g, "message", arena_printf(&g->a, "rollout %s "
	    "({{workflow.name}}): {{workflow.status}}",
	    g->p->rollout->name));
	step_end(g);
	end_seq(g);
	end_map(g);
}

/* A suspend template: for a duration, or until resumed when d is NULL. */
static void
suspend(struct argo *g, const char *name, const char *d)
{
	begin_map(g, false);
	pair(g, "name", name);
	key(g, "suspend");
	begin_map(g, true);
	if (d)
		pair_quoted(g, "duration", d);
	end_map(g);
	end_map(g);
}

/* The soak templates, one per distinct duration, and the approval gates. */
static void
emit_gates(struct argo *g)
{
	size_t i, j;

	for (i = g->from; i < g->to; i++) {
		const struct wave_info *wi = &g->waves[i];

		for (j = g->from; j < i; j++)
			if (g->waves[j].soak_tmpl == wi->soak_tmpl)
				break;
		if (wi->soak_tmpl && j == i)
			suspend(g, wi->soak_tmpl, go_duration(&g->a,
			    g->p->waves[i].wave->soak));
	}
	for (i = g->from; i < g->to; i++)
		if (g->waves[i].approve)
			suspend(g, g->waves[i].approve, NULL);
	if (g->wait)
		suspend(g, g->wait, NULL);
	if (g->noop)
		suspend(g, "noop", "0s");
}

/* The template that fails the Workflow after a rollback, saying why. */
static void
emit_fail(struct argo *g)
{
	static const char *const in[] = { "message" };

	if (!g->rollback)
		return;
	begin_map(g, false);
	pair(g, "name", "fail");
	inputs(g, in, 1);
	key(g, "container");
	begin_map(g, false);
	pair(g, "image", FAIL_IMAGE);
	shell(g, "echo \"$MESSAGE\" >&2\nexit 1\n");
	key(g, "env");
	begin_seq(g, false);
	param(g, "MESSAGE", input_ref(g, "message"));
	end_seq(g);
	end_map(g);
	end_map(g);
}

/* ---- The document ------------------------------------------------------- */

/* annotations: which wave of how many this Workflow runs, and when to
 * let it go on. */
static void
describe_wave(struct argo *g)
{
	const struct plan *p = g->p;
	const char *d;

	d = arena_printf(&g->a, "rollout %s, wave %zu of %zu: %s",
	    p->rollout->name, g->from + 1, p->nwaves,
	    p->waves[g->from].wave->name);
	if (g->wait)
		d = arena_printf(&g->a, "%s; resume %s once the Workflow of "
		    "wave %s has succeeded", d, g->wait,
		    p->waves[g->from - 1].wave->name);
	key(g, "annotations");
	begin_map(g, false);
	pair_quoted(g, "workflows.argoproj.io/description", d);
	end_map(g);
}

/* metadata: generateName, and the namespace when the rollout names one;
 * in one of several Workflows, what it is. */
static void
emit_metadata(struct argo *g)
{
	const struct rollout *r = g->p->rollout;
	const char *name = argo_name(&g->a, GENERATE_NAME_MAX, r->name,
	    NULL);

	if (g->several)
		name = argo_name(&g->a, GENERATE_NAME_MAX, r->name,
		    g->p->waves[g->from].wave->name, NULL);
	key(g, "metadata");
	begin_map(g, false);
	pair(g, "generateName", arena_printf(&g->a, "%s-", name));
	if (r->namespace)
		pair(g, "namespace", r->namespace);
	if (g->several)
		describe_wave(g);
	end_map(g);
}

/* Every template of the document, in reading order. */
static void
emit_templates(struct argo *g)
{
	size_t i;

	emit_entry(g);
	emit_exit_handler(g);
	for (i = g->from; i < g->to; i++) {
		emit_wave(g, i, MODE_DEPLOY);
		emit_wave(g, i, MODE_UNDO);
	}
	for (i = 0; i < g->p->nshapes; i++)
		emit_shape(g, g->p->shapes[i], MODE_DEPLOY);
	for (i = 0; i < g->p->nshapes; i++)
		emit_shape(g, g->p->shapes[i], MODE_UNDO);
	emit_deploy(g);
	emit_notify(g);
	emit_gates(g);
	emit_fail(g);
}

/* The Workflow of waves [from, to) as one document. */
static void
emit_workflow(struct argo *g)
{
	yaml_event_t ev;

	put(g, &ev, yaml_document_start_event_initialize(&ev, NULL, NULL,
	    NULL, !g->several));
	begin_map(g, false);
	pair(g, "apiVersion", "argoproj.io/v1alpha1");
	pair(g, "kind", "Workflow");
	emit_metadata(g);
	key(g, "spec");
	begin_map(g, false);
	pair(g, "entrypoint", "rollout");
	if (g->p->rollout->notify)
		pair(g, "onExit", "exit-handler");
	key(g, "templates");
	begin_seq(g, false);
	emit_templates(g);
	end_seq(g);
	end_map(g);
	end_map(g);
	put(g, &ev, yaml_document_end_event_initialize(&ev, 1));
}

/* Collects what the emitter writes. */
static int
write_buf(void *data, unsigned char *bytes, size_t size)
{
	buf_add(data, (const char *)bytes, size);
	return 1;
}

/* Runs the emitter over the document at hand, appending to b. */
static bool
write_doc(struct argo *g, struct buf *b)
{
	yaml_event_t ev;

	if (!yaml_emitter_initialize(&g->em)) {
		fail(g, "libyaml could not start an emitter");
		return false;
	}
	yaml_emitter_set_output(&g->em, write_buf, b);
	yaml_emitter_set_unicode(&g->em, 1);
	yaml_emitter_set_indent(&g->em, 2);
	yaml_emitter_set_width(&g->em, -1);
	put(g, &ev, yaml_stream_start_event_initialize(&ev,
	    YAML_UTF8_ENCODING));
	emit_workflow(g);
	put(g, &ev, yaml_stream_end_event_initialize(&ev));
	if (!g->failed && !yaml_emitter_flush(&g->em))
		fail(g, "libyaml: %s", g->em.problem ? g->em.problem :
		    "cannot flush the emitter");
	yaml_emitter_delete(&g->em);
	return !g->failed;
}

/* ---- Fitting Argo's limits ---------------------------------------------- */

/*
 * The tasks that large Workflows are mostly made of, as libyaml lays them
 * out at the depth of a DAG's tasks, their strings left out: the bytes
 * each takes beside them (only their sizes are used, hence macros).  First
 * a cluster's task in a wave.
 */
#define CLUSTER_TASK_TEXT \
    "      - name: \n" \
    "        template: \n" \
    "        arguments:\n" \
    "          parameters:\n" \
    "          - {name: cluster, value: \"\"}\n"
/* A deploy task. */
#define DEPLOY_TASK_TEXT \
    "      - name: \n" \
    "        arguments:\n" \
    "          parameters:\n" \
    "          - {name: service, value: \"\"}\n" \
    "          - {name: cluster, value: \"{{inputs.parameters.cluster}}\"}\n" \
    "          - {name: image, value: \"\"}\n" \
    "          - {name: version, value: \"\"}\n"
/* One of these: the built-in deploy template, or the rollout's. */
#define TASK_TEMPLATE_TEXT \
    "        template: deploy\n"
#define TASK_REF_TEXT \
    "        templateRef: {name: , template: deploy}\n"
/* When the task waits for others (and ", " between their names). */
#define TASK_DEPS_TEXT \
    "        dependencies: []\n"
/* When it undoes the deploy. */
#define TASK_UNDO_TEXT \
    "          - {name: action, value: \"rollback\"}\n"

/* The bytes s takes at least in the document, plain or quoted: one for
 * each ASCII character (escapes only lengthen those; a line separator,
 * three bytes, is written as \L). */
static size_t
min_bytes(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += (unsigned char)*s < 0x80;
	return n;
}

/* The bytes the task of the deploy at position i, in the chunk [lo, hi),
 * takes at least; wait is room for the positions it waits for. */
static size_t
task_min_bytes(const struct argo *g, const struct shape *sh, enum mode m,
    size_t i, size_t lo, size_t hi, size_t *wait)
{
	const struct service *s = sh->first->deploys[i]->service;
	const char *const *task = g->shapes[sh->index].task;
	const char *ref = g->p->rollout->deploy_template;
	size_t n = sizeof(DEPLOY_TASK_TEXT) - 1, nwait, j;

	n += ref ? sizeof(TASK_REF_TEXT) - 1 + min_bytes(ref) :
	    sizeof(TASK_TEMPLATE_TEXT) - 1;
	n += min_bytes(task[i]) + min_bytes(s->name) + min_bytes(s->image) +
	    min_bytes(s->version);
	if (m == MODE_UNDO)
		n += sizeof(TASK_UNDO_TEXT) - 1;
	nwait = task_waits(g, sh, m, i, lo, hi, wait);
	if (nwait)
		n += sizeof(TASK_DEPS_TEXT) - 1 + 2 * (nwait - 1);
	for (j = 0; j < nwait; j++)
		n += min_bytes(task[wait[j]]);
	return n;
}

/* The bytes the deploy tasks of positions [lo, hi), one DAG, take at
 * least; wait is room for the positions each waits for. */
static size_t
dag_min_bytes(const struct argo *g, const struct shape *sh, enum mode m,
    size_t lo, size_t hi, size_t *wait)
{
	size_t bytes = 0, j;

	for (j = lo; j < hi; j++)
		bytes += task_min_bytes(g, sh, m, j, lo, hi, wait);
	return bytes;
}

/* The bytes the deploy tasks of a shape take at least, in one mode: in
 * one DAG, or in one DAG per chunk. */
static size_t
shape_min_bytes(struct argo *g, const struct shape *sh, enum mode m)
{
	size_t n = sh->first->ndeploys, bytes = 0, k;
	size_t *wait = arena_array(&g->a, n + 1, sizeof(*wait));
	const struct chunk *c;

	if (sh->nchunks <= 1)
		return dag_min_bytes(g, sh, m, 0, n, wait);
	for (k = 0; k < sh->nchunks; k++) {
		c = &sh->chunks[k];
		bytes += dag_min_bytes(g, sh, m, c->start, c->start + c->count,
		    wait);
	}
	return bytes;
}

/* The bytes the cluster tasks of wave i take at least, in one mode. */
static size_t
wave_min_bytes(const struct argo *g, size_t i, enum mode m)
{
	const struct plan_wave *pw = &g->p->waves[i];
	const struct plan_cluster *pc;
	size_t bytes = 0, j;

	if (!g->waves[i].tmpl[m])
		return 0;
	for (j = 0; j < pw->nclusters; j++) {
		pc = pw->clusters[j];
		bytes += sizeof(CLUSTER_TASK_TEXT) - 1 +
		    2 * min_bytes(pc->cluster->name) +
		    min_bytes(g->shapes[pc->shape->index].tmpl[m]);
	}
	return bytes;
}

/* The bytes the document at hand takes at least: its cluster and deploy
 * tasks, found without writing it. */
static size_t
doc_min_bytes(struct argo *g)
{
	size_t bytes = 0, i;
	int m;

	for (m = MODE_DEPLOY; m <= MODE_UNDO; m++) {
		for (i = g->from; i < g->to; i++)
			bytes += wave_min_bytes(g, i, (enum mode)m);
		for (i = 0; i < g->p->nshapes; i++)
			if (g->shapes[i].used[m])
				bytes += shape_min_bytes(g, g->p->shapes[i],
				    (enum mode)m);
	}
	return bytes;
}

/* Names every template of the Workflow of waves [from, to); DOC_TOO_BIG
 * when they are more than Argo allows. */
static enum doc_result
name_doc(struct argo *g, size_t from, size_t to, bool several)
{
	g->from = from;
	g->to = to;
	g->several = several;
	g->size = 0;
	name_document(g);
	return g->ntemplates > ARGO_MAX_TEMPLATES ? DOC_TOO_BIG : DOC_OK;
}

/* Writes the document named by name_doc to b, and says whether it fits in
 * Argo's limits; g->size is what it took. */
static enum doc_result
write_named(struct argo *g, struct buf *b)
{
	size_t before = b->len;

	if (!write_doc(g, b))
		return DOC_ERROR;
	g->size = b->len - before;
	return g->size > ARGO_MAX_BYTES ? DOC_TOO_BIG : DOC_OK;
}

/* Writes the Workflow of waves [from, to) to b, and says whether it fits
 * in Argo's limits. */
static enum doc_result
build_doc(struct argo *g, size_t from, size_t to, bool several,
    struct buf *b)
{
	enum doc_result r = name_doc(g, from, to, several);

	return r == DOC_OK ? write_named(g, b) : r;
}

/* Why the document at hand does not fit: too many templates, or too many
 * bytes. */
static const char *
too_big(struct argo *g)
{
	if (g->ntemplates > ARGO_MAX_TEMPLATES)
		return arena_printf(&g->a, "needs %zu templates, more than "
		    "Argo's %d", g->ntemplates, ARGO_MAX_TEMPLATES);
	return arena_printf(&g->a, "would take %.2f MB, more than fits in "
	    "one Kubernetes object (about 1 MB)", g->size / 1e6);
}

/* Why wave i does not fit even alone, and what to do about it. */
static void
too_big_wave(struct argo *g, size_t i)
{
	const struct plan_wave *pw = &g->p->waves[i];

	if (pw->nclusters > 1)
		fail(g, "the Workflow of wave '%s' alone %s; move some of its "
		    "clusters to another wave", pw->wave->name, too_big(g));
	else
		fail(g, "the Workflow of wave '%s' alone %s: its one cluster "
		    "'%s' has %zu deploys, too many for one Workflow",
		    pw->wave->name, too_big(g), pw->clusters[0]->cluster->name,
		    pw->clusters[0]->ndeploys);
}

/* One Workflow per wave, each a document of its own, into b. */
static bool
build_split(struct argo *g, struct buf *b)
{
	size_t i;
	enum doc_result r;

	for (i = 0; i < g->p->nwaves; i++) {
		r = build_doc(g, i, i + 1, true, b);
		if (r == DOC_TOO_BIG)
			too_big_wave(g, i);
		if (r != DOC_OK)
			return false;
	}
	return true;
}

/* The whole rollout as one Workflow; when it does not fit, one per wave
 * if allowed, else the reason and the way out. */
static bool
build_all(struct argo *g, bool split_waves, struct buf *b)
{
	bool split = split_waves && g->p->nwaves > 1;
	enum doc_result r = name_doc(g, 0, g->p->nwaves, false);

	/* when it may be split, a Workflow whose tasks alone surely take too
	 * many bytes is not written: only a refusal says how many */
	if (r == DOC_OK && split && doc_min_bytes(g) > ARGO_MAX_BYTES)
		r = DOC_TOO_BIG;
	if (r == DOC_OK)
		r = write_named(g, b);
	if (r != DOC_TOO_BIG)
		return r == DOC_OK;
	if (split) {
		b->len = 0;
		return build_split(g, b);
	}
	if (g->p->nwaves > 1)
		fail(g, "the Workflow %s; use --split waves to write one "
		    "Workflow per wave", too_big(g));
	else
		fail(g, "the Workflow %s; spread the clusters over several "
		    "waves and use --split waves to write one Workflow per "
		    "wave", too_big(g));
	return false;
}

/* Task names, reversed edges and wave parts, found once for all
 * documents; false when something cannot be split small enough. */
static bool
prepare_all(struct argo *g)
{
	size_t i;

	g->waves = arena_array(&g->a, g->p->nwaves + 1, sizeof(*g->waves));
	if (!prepare(g))
		return false;
	for (i = 0; i < g->p->nwaves; i++)
		if (!prepare_wave(g, i))
			return false;
	return true;
}

/* Writes the Workflow (or, split by wave, the Workflows) to out. */
bool
emit_argo(FILE *out, const struct plan *p, bool split_waves,
    const char **why)
{
	struct argo g = { 0 };
	struct buf b = { 0 };
	bool ok;

	g.p = p;
	ok = prepare_all(&g) && build_all(&g, split_waves, &b);
	if (ok && b.len && fwrite(b.data, 1, b.len, out) != b.len) {
		fail(&g, "%s", strerror(errno));
		ok = false;
	}
	if (!ok)
		*why = g.why;
	map_free(&g.tnames);
	map_free(&g.snames);
	map_free(&g.soaks);
	buf_free(&b);
	arena_free(&g.a);
	return ok;
}
