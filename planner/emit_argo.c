/*
 * emit_argo.c: the plan as Argo documents, written with libyaml's emitter.
 *
 * What a Workflow does on a real controller when a deploy fails is the
 * product (docs/argo.md, ../shared/spec/argo-output.md v2), so the layout
 * follows what workflow/controller/operator.go checks before it starts a
 * child (checkParallelism): a template's `failFast` and `parallelism`,
 * counting the failed children and the running *pods* of that template.
 * Hence one rule: a failFast template's children are pods, or nested
 * nodes whose race does not matter.
 *
 *   rollout (steps)         start notice; per wave: the wave, its notice,
 *   |                       its rollback and stop (rollback waves), its
 *   |                       soak, its approval; at the end, a failing step
 *   |                       when a `continue` wave had a failure
 *   +- wave-W (steps)       one group, a step per cluster in plan order;
 *   |  |                    parallelism = parallel; failFast unless continue
 *   |  +- cluster-S (dag)   inline: the shape's deploys as tasks, failFast
 *   |  |  +- deploy         (halt) or not (continue); parts when > 200
 *   |  +- child             or a resource step creating the cluster's own
 *   |                       Workflow from a WorkflowTemplate (below)
 *   +- rollback-W (steps)   every deploy of the wave undone, dependents
 *                           first, `action: rollback`
 *
 * A cluster runs as a child Workflow (a "workflow of workflows") when its
 * wave rolls back with clusters in parallel (a failFast wave of nested
 * DAGs is marked Failed while its other clusters still deploy, so the
 * rollback would race them; resource steps are pods, so the wave waits).
 * When one Workflow would pass Argo's limits (200 templates, 200 tasks in
 * a DAG, a document of at most half the 1 MiB object limit and at most
 * 1000 pods, leaving the rest for the status that grows as it runs),
 * every wave and every cluster runs as a child: the parent keeps the
 * order, the notices, soaks, approvals and stops, and creates each wave's
 * Workflow, which creates its clusters'.  A shape of more than 200
 * deploys in a child Workflow runs its parts as grandchildren, for the
 * same reason.  The WorkflowTemplates come first in the stream (`argo
 * submit` skips them; `kubectl apply -l planner/templates=HASH` takes
 * them), named after a hash of the plan, so that a new plan never changes
 * the templates a running train creates its children from.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <yaml.h>

#include "plan.h"

/* A document we write: half of etcd's 1 MiB object limit, the other half
 * left for the status a running Workflow adds (workflow/packer). */
#define ARGO_DOC_BUDGET (512 * 1024)
/* Pods one Workflow may run before its status alone could pass that. */
#define ARGO_MAX_PODS 1000
/* Kubernetes adds 5 characters to a generateName of at most 58. */
#define GENERATE_NAME_MAX 57
/* The deadline of a deploy pod when the rollout sets no deploy-timeout. */
#define DEFAULT_DEPLOY_TIMEOUT (30 * 60)
/* The deadline of a notice, and of the step that fails the Workflow. */
#define NOTIFY_TIMEOUT 120
#define FAIL_TIMEOUT 60
/* What a child Workflow may take beyond its deploys' own deadlines. */
#define CHILD_SLACK (10 * 60)

#define DEPLOY_IMAGE "alpine/k8s:1.31.4"
#define NOTIFY_IMAGE "curlimages/curl:8.11.1"
#define FAIL_IMAGE "alpine:3.20"
#define KUBECONFIG_DIR "/etc/planner/kubeconfig"

/* Labels: a train is found with `argo list -l planner/rollout=NAME`. */
#define LABEL_ROLLOUT "planner/rollout"
#define LABEL_VERSION "planner/version"
#define LABEL_PLAN "planner/plan"
#define LABEL_TEMPLATES "planner/templates"

/* A cluster DAG deploys (halt and rollback waves stop at the first
 * failure, continue waves go on) or undoes. */
enum variant { V_HALT, V_CONTINUE, V_UNDO, NVARIANTS };

/* Where a wave's clusters run: as DAGs in the Workflow, or as Workflows. */
enum placement { INLINE, CHILD };

/* What the Workflow needs to know about one shape. */
struct shape_info {
	const char **task;	/* the DAG task name of each deploy position */
	size_t **rdeps;		/* positions of the deploys that need it */
	size_t *nrdeps;
	size_t **rchunk;	/* the chunks that wait for each chunk */
	size_t *nrchunk;
	size_t **held;		/* per position: `continue` waves it waits on */
	size_t *nheld;
	size_t *waves;		/* the union of held, ascending */
	size_t nwaves;
	long deadline;		/* of one cluster's child Workflow */
	/* by placement and variant: used, template or WorkflowTemplate name,
	 * the names of its parts */
	bool used[2][NVARIANTS];
	const char *name[2][NVARIANTS];
	const char **part[2][NVARIANTS];
};

/* The names one wave gives its templates and steps. */
struct wave_info {
	enum placement placement;
	const char *tmpl, *undo_tmpl;
	const char *soak_tmpl, *approve;
	const char *step, *notify_step, *undo_step, *stop_step, *soak_step;
	size_t *held;		/* the `continue` waves its clusters wait on */
	size_t nheld;
	long deadline;		/* of the wave as a child Workflow */
};

struct argo {
	const struct plan *p;
	struct arena a;
	yaml_emitter_t *em;	/* the one writing now */
	bool failed;
	const char *why;
	size_t *pos;		/* deploy index -> position in its cluster */
	size_t *wave_of;	/* service index -> its last wave, + 1 */
	struct shape_info *shapes;
	struct wave_info *waves;
	bool all_children;	/* the workflow of workflows */
	const char *hash;	/* names this plan's WorkflowTemplates */
	struct map tnames, snames;	/* template and step names in use */
	struct map soaks;	/* Go duration -> its soak template */
	size_t ntemplates;	/* templates of the Workflow */
	size_t npods;		/* pods the Workflow itself runs, at most */
	size_t nworkflow_templates;
	size_t ndocs;		/* documents begun in the stream */
	bool builtin, child, fail;	/* templates it needs */
	long deploy_timeout;
};

/* The reason for the last failure; it must outlive the arena. */
static char why_buf[512];

/* Records why the documents cannot be written. */
static void fail(struct argo *g, const char *fmt, ...) PRINTF_LIKE(2, 3);

static void
fail(struct argo *g, const char *fmt, ...)
{
	va_list ap;

	if (g->failed)
		return;
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
	else if (!yaml_emitter_emit(g->em, ev))
		fail(g, "libyaml: %s", g->em->problem ? g->em->problem :
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

/* The name of a WorkflowTemplate: the rollout, the plan's hash (a new plan
 * never changes the templates a running train creates its children
 * from), then what it runs. */
static const char *
workflow_template_name(struct argo *g, const char *what, const char *part)
{
	g->nworkflow_templates++;
	return claim(g, &g->tnames, argo_name(&g->a, MAX_NAME,
	    g->p->rollout->name, g->hash, what, part, NULL));
}

/* "1", "2"...: the number of part k. */
static const char *
part_no(struct argo *g, size_t k)
{
	return arena_printf(&g->a, "%zu", k + 1);
}

/* The parameter that carries the outcome of `continue` wave i. */
static const char *
held_param(struct argo *g, size_t i)
{
	return arena_printf(&g->a, "ok-%s", g->p->waves[i].wave->name);
}

/* ---- What a shape needs, found once -------------------------------------- */

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

/* The deadline of a child Workflow that runs n things one after another,
 * each within each seconds, with some slack; at most a year (a Go
 * duration and Kubernetes' int64 are far larger, a train is not). */
static long
deadline_of(long n, long each)
{
	const long most = 365L * 24 * 3600;

	if (n <= 0 || each <= 0 || n > (most - CHILD_SLACK) / each)
		return n <= 0 || each <= 0 ? CHILD_SLACK : most;
	return n * each + CHILD_SLACK;
}

/* Adds wave w to the ascending set (list, *n), once. */
static size_t *
add_wave(struct argo *g, size_t *list, size_t *n, size_t w)
{
	size_t i, *l;

	for (i = 0; i < *n; i++)
		if (list[i] == w)
			return list;
	l = arena_array(&g->a, *n + 1, sizeof(*l));
	for (i = 0; i < *n && list[i] < w; i++)
		l[i] = list[i];
	l[i] = w;
	for (; i < *n; i++)
		l[i + 1] = list[i];
	(*n)++;
	return l;
}

/*
 * The `continue` waves each deploy of a shape waits on: A needs B, B does
 * not run in A's cluster, so every deploy of B came in earlier waves; the
 * later Workflow sees how each wave went, not each deploy, so A is held
 * back when a `continue` wave that deploys B had any failure.  (A `halt`
 * or `rollback` wave that failed never lets a later wave start.)
 */
static void
find_held(struct argo *g, const struct shape *sh, struct shape_info *si,
    const size_t *const *service_waves, const size_t *nservice_waves,
    unsigned *mark, unsigned stamp)
{
	const struct plan_cluster *pc = sh->first;
	const struct wave *const *ws = (const struct wave *const *)
	    g->p->rollout->waves;
	size_t i, j, k;

	si->held = arena_array(&g->a, pc->ndeploys, sizeof(*si->held));
	si->nheld = arena_array(&g->a, pc->ndeploys, sizeof(*si->nheld));
	for (i = 0; i < pc->ndeploys; i++)
		mark[pc->deploys[i]->service->index] = stamp;
	for (i = 0; i < pc->ndeploys; i++) {
		const struct service *s = pc->deploys[i]->service;

		for (j = 0; j < s->nneeds; j++) {
			size_t b = s->needs[j]->index;

			if (mark[b] == stamp)
				continue;	/* it runs here: a DAG edge */
			for (k = 0; k < nservice_waves[b]; k++) {
				size_t w = service_waves[b][k];

				if (ws[w]->on_failure != FAIL_CONTINUE)
					continue;
				si->held[i] = add_wave(g, si->held[i],
				    &si->nheld[i], w);
				si->waves = add_wave(g, si->waves,
				    &si->nwaves, w);
			}
		}
	}
}

/* The waves each service is deployed in, ascending: the plan lists
 * deploys wave by wave, so a wave is new when it is not the last one. */
static void
service_waves(struct argo *g, size_t ***waves, size_t **nwaves)
{
	const struct plan *p = g->p;
	size_t ns = p->rollout->nservices + 1, i, s, *last;

	*waves = arena_array(&g->a, ns, sizeof(**waves));
	*nwaves = arena_array(&g->a, ns, sizeof(**nwaves));
	last = arena_array(&g->a, ns, sizeof(*last));
	for (i = 0; i < p->ndeploys; i++) {
		s = p->deploys[i].service->index;
		if (last[s] != p->deploys[i].cluster->wave->index + 1) {
			last[s] = p->deploys[i].cluster->wave->index + 1;
			(*nwaves)[s]++;
		}
	}
	for (s = 0; s < ns; s++) {
		(*waves)[s] = arena_array(&g->a, (*nwaves)[s],
		    sizeof(***waves));
		(*nwaves)[s] = 0;
		last[s] = 0;
	}
	for (i = 0; i < p->ndeploys; i++) {
		size_t w = p->deploys[i].cluster->wave->index + 1;

		s = p->deploys[i].service->index;
		if (last[s] != w) {
			last[s] = w;
			(*waves)[s][(*nwaves)[s]++] = w - 1;
		}
	}
}

/* Positions of every deploy, and each shape's task names, reversed edges
 * and waits; false when a shape cannot be split into few enough DAGs. */
static bool
prepare(struct argo *g)
{
	const struct plan *p = g->p;
	size_t i, j, **sw, *nsw;
	unsigned *mark;

	g->pos = arena_array(&g->a, p->ndeploys + 1, sizeof(*g->pos));
	for (i = 0; i < p->nclusters; i++)
		for (j = 0; j < p->clusters[i].ndeploys; j++)
			g->pos[p->clusters[i].deploys[j]->index] = j;
	service_waves(g, &sw, &nsw);
	mark = arena_array(&g->a, p->rollout->nservices + 1, sizeof(*mark));
	g->shapes = arena_array(&g->a, p->nshapes + 1, sizeof(*g->shapes));
	for (i = 0; i < p->nshapes; i++) {
		const struct shape *sh = p->shapes[i];
		struct shape_info *si = &g->shapes[i];

		if (sh->nchunks > ARGO_MAX_TASKS) {
			fail(g, "cluster '%s' has %zu deploys: even split into "
			    "DAGs of %d it needs %zu parts, more than the %d "
			    "tasks Argo allows in one DAG",
			    sh->first->cluster->name, sh->first->ndeploys,
			    ARGO_MAX_TASKS, sh->nchunks, ARGO_MAX_TASKS);
			return false;
		}
		name_tasks(g, sh->first, si);
		reverse_needs(g, sh->first, si);
		reverse_chunks(g, sh, si);
		find_held(g, sh, si, (const size_t *const *)sw, nsw, mark,
		    (unsigned)i + 1);
		si->deadline = deadline_of(sh->split_steps > 0 ?
		    sh->split_steps : 1, g->deploy_timeout);
	}
	return true;
}

/* A short hash of everything the WorkflowTemplates hold, for their
 * names: what the plan deploys, how, and as whom. */
static const char *
plan_hash(struct argo *g)
{
	const struct plan *p = g->p;
	const char *text[] = { p->rollout->deploy_template,
		p->rollout->service_account, p->rollout->notify,
		p->rollout->namespace, p->rollout->version };
	uint64_t h = hash_bytes(p->rollout->name, strlen(p->rollout->name), 0);
	size_t i, j;

	for (i = 0; i < p->ndeploys; i++) {
		const struct deploy *d = &p->deploys[i];
		const struct service *s = d->service;

		h = hash_bytes(s->name, strlen(s->name) + 1, h);
		h = hash_bytes(d->cluster->name, strlen(d->cluster->name) + 1,
		    h);
		h = hash_bytes(s->image, strlen(s->image) + 1, h);
		h = hash_bytes(s->version, strlen(s->version) + 1, h);
		for (j = 0; j < d->nneeds; j++)
			h = hash_bytes(&d->needs[j]->index,
			    sizeof(d->needs[j]->index), h);
	}
	for (i = 0; i < p->nwaves; i++) {
		const struct wave *w = p->waves[i].wave;
		long v[3] = { w->parallel, (long)w->on_failure, w->soak };

		h = hash_bytes(w->name, strlen(w->name) + 1, h);
		h = hash_bytes(v, sizeof(v), h);
	}
	h = hash_bytes(&g->deploy_timeout, sizeof(g->deploy_timeout), h);
	for (i = 0; i < sizeof(text) / sizeof(text[0]); i++)
		if (text[i])
			h = hash_bytes(text[i], strlen(text[i]) + 1, h);
		else
			h = hash_bytes("", 1, h);
	return arena_printf(&g->a, "%08x", (unsigned)(h ^ (h >> 32)));
}

/* inputs: parameters: names[0..n), then `ok-W` for each held wave, each
 * given the value Succeeded when nothing is passed. */
static void
inputs_held(struct argo *g, const char *const *names, size_t n,
    const size_t *held, size_t nheld)
{
	size_t i;

	if (!n && !nheld)
		return;
	key(g, "inputs");
	begin_map(g, false);
	key(g, "parameters");
	begin_seq(g, false);
	for (i = 0; i < n; i++) {
		begin_map(g, false);
		pair(g, "name", names[i]);
		end_map(g);
	}
	for (i = 0; i < nheld; i++) {
		begin_map(g, false);
		pair(g, "name", held_param(g, held[i]));
		pair_quoted(g, "value", "Succeeded");
		end_map(g);
	}
	end_seq(g);
	end_map(g);
}

/* The held waves' parameters, passed on from the caller's inputs. */
static void
pass_held(struct argo *g, const size_t *held, size_t nheld)
{
	size_t i;

	for (i = 0; i < nheld; i++)
		param(g, held_param(g, held[i]),
		    input_ref(g, held_param(g, held[i])));
}

/* key: N, a whole number. */
static void
pair_long(struct argo *g, const char *k, long v)
{
	pair_raw(g, k, arena_printf(&g->a, "%ld", v));
}

/* continueOn: failed and error: what follows runs whatever happened (an
 * evicted pod is an error, not a failure: steps.go's continueOn tells
 * them apart). */
static void
continue_on(struct argo *g)
{
	key(g, "continueOn");
	begin_map(g, true);
	pair_raw(g, "failed", "true");
	pair_raw(g, "error", "true");
	end_map(g);
}

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

/* ---- A cluster's deploys -------------------------------------------------- */

/* The deploy template a task invokes: the rollout's, or the built-in. */
static void
deploy_ref(struct argo *g)
{
	const char *ref = g->p->rollout->deploy_template;

	if (!ref) {
		pair(g, "template", "deploy");
		g->builtin = true;
		return;
	}
	key(g, "templateRef");
	begin_map(g, true);
	pair(g, "name", ref);
	pair(g, "template", "deploy");
	end_map(g);
}

/* The four parameters of every deploy, and action for an undo. */
static void
deploy_args(struct argo *g, const struct deploy *d, enum variant v)
{
	const struct service *s = d->service;

	key(g, "arguments");
	begin_map(g, false);
	key(g, "parameters");
	begin_seq(g, false);
	param(g, "service", s->name);
	param(g, "cluster", input_ref(g, "cluster"));
	param(g, "image", s->image);
	param(g, "version", s->version);
	if (v == V_UNDO)
		param(g, "action", "rollback");
	end_seq(g);
	end_map(g);
}

/* The positions in [lo, hi) the task at position i waits for: what it
 * needs, or for an undo, what needs it.  Returns how many, into wait. */
static size_t
task_waits(const struct argo *g, const struct shape *sh, enum variant v,
    size_t i, size_t lo, size_t hi, size_t *wait)
{
	const struct shape_info *si = &g->shapes[sh->index];
	const struct deploy *d = sh->first->deploys[i];
	size_t n = 0, j, b;

	if (v == V_UNDO) {
		for (j = 0; j < si->nrdeps[i]; j++)
			if (si->rdeps[i][j] >= lo && si->rdeps[i][j] < hi)
				wait[n++] = si->rdeps[i][j];
		return n;
	}
	for (j = 0; j < d->nneeds; j++) {
		b = g->pos[d->needs[j]->index];
		if (b >= lo && b < hi)
			wait[n++] = b;
	}
	return n;
}

/*
 * What a task waits for.  `dependencies` lets a task run after one that
 * was skipped (ancestry.go reads it as Succeeded || Skipped || Daemoned);
 * a DAG with held tasks (a `when` that can skip them) says `depends` with
 * .Succeeded instead, so what needs a held deploy is held too.
 */
static void
task_wait_list(struct argo *g, const char *const *task, const size_t *wait,
    size_t n, bool depends)
{
	struct buf b = { 0 };
	size_t j;

	if (!n)
		return;
	if (!depends) {
		key(g, "dependencies");
		begin_seq(g, true);
		for (j = 0; j < n; j++)
			str(g, task[wait[j]]);
		end_seq(g);
		return;
	}
	for (j = 0; j < n; j++)
		buf_printf(&b, "%s%s.Succeeded", j ? " && " : "",
		    task[wait[j]]);
	key(g, "depends");
	scalar_n(g, b.data, b.len, YAML_DOUBLE_QUOTED_SCALAR_STYLE);
	buf_free(&b);
}

/* when: every `continue` wave the deploy waits on succeeded. */
static void
held_when(struct argo *g, const size_t *held, size_t n)
{
	struct buf b = { 0 };
	size_t j;

	if (!n)
		return;
	for (j = 0; j < n; j++)
		buf_printf(&b, "%s%s == Succeeded", j ? " && " : "",
		    input_ref(g, held_param(g, held[j])));
	key(g, "when");
	scalar_n(g, b.data, b.len, YAML_DOUBLE_QUOTED_SCALAR_STYLE);
	buf_free(&b);
}

/* The DAG task of the deploy at position i, in a DAG of [lo, hi). */
static void
deploy_task(struct argo *g, const struct shape *sh, enum variant v,
    size_t i, size_t lo, size_t hi, size_t *wait)
{
	const struct shape_info *si = &g->shapes[sh->index];
	bool depends = v != V_UNDO && si->nwaves > 0;

	begin_map(g, false);
	pair(g, "name", si->task[i]);
	deploy_ref(g);
	task_wait_list(g, si->task, wait,
	    task_waits(g, sh, v, i, lo, hi, wait), depends);
	if (v != V_UNDO)
		held_when(g, si->held[i], si->nheld[i]);
	else
		continue_on(g);	/* undo the rest whatever one undo did */
	deploy_args(g, sh->first->deploys[i], v);
	end_map(g);
}

/*
 * Opens a DAG template.  A halting one has the template-level failFast,
 * which checkParallelism (operator.go) reads before it starts any child:
 * after a failure no task starts, and the node fails once its running
 * pods end.  The DAG-level failFast is read only when assessDAGPhase
 * (dag.go) decides the outcome, so it is turned off where the DAG must go
 * on: it would end a `continue` cluster at the first moment nothing runs.
 */
static void
dag_begin(struct argo *g, const char *name, const struct shape_info *si,
    enum variant v)
{
	static const char *const in[] = { "cluster" };

	begin_map(g, false);
	pair(g, "name", name);
	inputs_held(g, in, 1, si->waves, v == V_UNDO ? 0 : si->nwaves);
	if (v == V_HALT)
		pair_raw(g, "failFast", "true");
	key(g, "dag");
	begin_map(g, false);
	if (v != V_HALT)
		pair_raw(g, "failFast", "false");
	key(g, "tasks");
	begin_seq(g, false);
}

/* Closes a DAG template opened by dag_begin. */
static void
dag_end(struct argo *g)
{
	end_seq(g);
	end_map(g);
	end_map(g);
}

/* A template whose DAG deploys (or undoes) positions [lo, hi). */
static void
emit_body(struct argo *g, const char *name, const struct shape *sh,
    enum variant v, size_t lo, size_t hi)
{
	size_t *wait = arena_array(&g->a, sh->first->ndeploys + 1,
	    sizeof(*wait));
	size_t i;

	dag_begin(g, name, &g->shapes[sh->index], v);
	for (i = lo; i < hi; i++)
		deploy_task(g, sh, v, i, lo, hi, wait);
	dag_end(g);
}

/* The arguments of a step or task that runs a child Workflow from the
 * WorkflowTemplate wt: part names the child, cluster is what it deploys
 * to; held waves passed on from the caller's inputs, or read from the
 * entrypoint's steps. */
static void
child_args(struct argo *g, const char *wt, const char *part,
    const char *cluster, long deadline, const size_t *held, size_t nheld,
    bool pass)
{
	size_t i;

	key(g, "arguments");
	begin_map(g, false);
	key(g, "parameters");
	begin_seq(g, false);
	param(g, "workflow-template", wt);
	param(g, "part", part);
	param(g, "cluster", cluster);
	param(g, "deadline", arena_printf(&g->a, "%ld", deadline));
	for (i = 0; i < nheld; i++)
		param(g, held_param(g, held[i]), pass ?
		    input_ref(g, held_param(g, held[i])) :
		    arena_printf(&g->a, "{{steps.%s.status}}",
		    g->waves[held[i]].step));
	end_seq(g);
	end_map(g);
	g->child = true;
}

/* The arguments of a cluster body run inline: the cluster, and the held
 * waves passed on from the caller's inputs. */
static void
body_args(struct argo *g, const char *cluster, const size_t *held,
    size_t nheld)
{
	key(g, "arguments");
	begin_map(g, false);
	key(g, "parameters");
	begin_seq(g, false);
	param(g, "cluster", cluster);
	pass_held(g, held, nheld);
	end_seq(g);
	end_map(g);
}

/*
 * A template whose DAG runs the parts of a split shape, each waiting for
 * the parts it needs (for an undo, the parts that need it): inline as
 * nested DAGs, or as child Workflows, one per part.  A part that failed
 * holds back the parts after it; in a `continue` wave that is more than
 * the needs demand (docs/argo.md says so).
 */
static void
emit_parts(struct argo *g, const char *name, const struct shape *sh,
    enum variant v, enum placement pl)
{
	const struct shape_info *si = &g->shapes[sh->index];
	const char *const *part = si->part[pl][v];
	size_t nheld = v == V_UNDO ? 0 : si->nwaves, k, j;
	const char **task = arena_array(&g->a, sh->nchunks, sizeof(*task));
	size_t *wait = arena_array(&g->a, sh->nchunks + 1, sizeof(*wait));

	for (k = 0; k < sh->nchunks; k++)
		task[k] = arena_printf(&g->a, "part-%s", part_no(g, k));
	dag_begin(g, name, si, v);
	for (k = 0; k < sh->nchunks; k++) {
		const struct chunk *c = &sh->chunks[k];
		size_t n = 0;

		begin_map(g, false);
		pair(g, "name", task[k]);
		pair(g, "template", pl == CHILD ? "child" : part[k]);
		if (v == V_UNDO)
			for (j = 0; j < si->nrchunk[k]; j++)
				wait[n++] = si->rchunk[k][j];
		else
			for (j = 0; j < c->ndeps; j++)
				wait[n++] = c->deps[j];
		task_wait_list(g, task, wait, n, false);
		if (v == V_UNDO)
			continue_on(g);
		if (pl == CHILD)
			child_args(g, part[k], arena_printf(&g->a,
			    "{{inputs.parameters.cluster}}-%s", task[k]),
			    input_ref(g, "cluster"), si->deadline, si->waves,
			    nheld, true);
		else
			body_args(g, input_ref(g, "cluster"), si->waves,
			    nheld);
		end_map(g);
	}
	dag_end(g);
}

/* Every template of one shape's variant placed inline: its body, or its
 * parts and their bodies. */
static void
emit_inline_shape(struct argo *g, const struct shape *sh, enum variant v)
{
	const struct shape_info *si = &g->shapes[sh->index];
	size_t k;

	if (sh->nchunks <= 1) {
		emit_body(g, si->name[INLINE][v], sh, v, 0,
		    sh->first->ndeploys);
		return;
	}
	emit_parts(g, si->name[INLINE][v], sh, v, INLINE);
	for (k = 0; k < sh->nchunks; k++)
		emit_body(g, si->part[INLINE][v][k], sh, v,
		    sh->chunks[k].start,
		    sh->chunks[k].start + sh->chunks[k].count);
}

/* ---- Waves ---------------------------------------------------------------- */

/* The variant a wave's clusters deploy with. */
static enum variant
wave_variant(const struct wave *w)
{
	return w->on_failure == FAIL_CONTINUE ? V_CONTINUE : V_HALT;
}

/* The step of one cluster in a wave (or its rollback). */
static void
cluster_step(struct argo *g, size_t i, const struct plan_cluster *pc,
    enum variant v)
{
	const struct wave_info *wi = &g->waves[i];
	const struct shape_info *si = &g->shapes[pc->shape->index];
	size_t nheld = v == V_UNDO ? 0 : si->nwaves;
	const char *name = si->name[wi->placement][v];

	begin_map(g, false);
	pair(g, "name", pc->cluster->name);
	if (wi->placement == CHILD) {
		pair(g, "template", "child");
		child_args(g, name, pc->cluster->name, pc->cluster->name,
		    si->deadline, si->waves, nheld, true);
	} else {
		pair(g, "template", name);
		body_args(g, pc->cluster->name, si->waves, nheld);
	}
	end_map(g);
}

/*
 * The template of wave i (or of its rollback): one group of steps, a
 * cluster each, in plan order, so that with `parallelism` clusters start
 * in the order the plan gives (a DAG's would start in name order).  A
 * halting wave has the template-level failFast: once a cluster failed and
 * the wave's running pods ended, checkParallelism starts no other cluster.
 */
static void
emit_wave(struct argo *g, const char *name, size_t i, enum variant v)
{
	const struct plan_wave *pw = &g->p->waves[i];
	const struct wave_info *wi = &g->waves[i];
	size_t j;

	begin_map(g, false);
	pair(g, "name", name);
	inputs_held(g, NULL, 0, wi->held, v == V_UNDO ? 0 : wi->nheld);
	if (pw->wave->parallel)
		pair_long(g, "parallelism", pw->wave->parallel);
	if (v == V_HALT)
		pair_raw(g, "failFast", "true");
	key(g, "steps");
	begin_seq(g, false);
	begin_seq(g, false);
	for (j = 0; j < pw->nclusters; j++)
		cluster_step(g, i, pw->clusters[j], v);
	end_seq(g);
	end_seq(g);
	end_map(g);
}

/* ---- The entrypoint ------------------------------------------------------- */

/* A step posting a message to Slack: a notice never decides the outcome. */
static void
notify_step(struct argo *g, const char *name, const char *message)
{
	step_begin(g, name, "notify");
	one_argument(g, "message", message);
	continue_on(g);
	step_end(g);
}

/* A step that fails the Workflow when `when` holds, saying why. */
static void
fail_step(struct argo *g, const char *name, const char *when,
    const char *message)
{
	step_begin(g, name, "fail");
	key(g, "when");
	scalar(g, when, YAML_DOUBLE_QUOTED_SCALAR_STYLE);
	one_argument(g, "message", message);
	step_end(g);
	g->fail = true;
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

/* The arguments of wave i's step: how each `continue` wave its clusters
 * wait on went. */
static void
wave_args(struct argo *g, const struct wave_info *wi)
{
	size_t k;

	key(g, "arguments");
	begin_map(g, false);
	key(g, "parameters");
	begin_seq(g, false);
	for (k = 0; k < wi->nheld; k++)
		param(g, held_param(g, wi->held[k]), arena_printf(&g->a,
		    "{{steps.%s.status}}", g->waves[wi->held[k]].step));
	end_seq(g);
	end_map(g);
}

/* The steps of wave i: the wave, its notice; for a rollback wave that
 * failed, the rollback and the stop; then the soak and the approval. */
static void
wave_steps(struct argo *g, size_t i)
{
	const struct wave *w = g->p->waves[i].wave;
	const struct wave_info *wi = &g->waves[i];
	const char *failed;

	if (wi->step) {
		step_begin(g, wi->step, g->all_children ? "child" : wi->tmpl);
		if (g->all_children)
			child_args(g, wi->tmpl, w->name, "", wi->deadline,
			    wi->held, wi->nheld, false);
		else if (wi->nheld)
			wave_args(g, wi);
		/* a halt wave that failed fails the entrypoint here; the
		 * others go on to their notice, rollback and stop */
		if (w->on_failure != FAIL_HALT)
			continue_on(g);
		step_end(g);
	}
	if (g->p->rollout->notify)
		notify_step(g, wi->notify_step, wave_message(g, i));
	if (wi->undo_step) {
		failed = arena_printf(&g->a, "{{steps.%s.status}} != "
		    "Succeeded", wi->step);
		step_begin(g, wi->undo_step, g->all_children ? "child" :
		    wi->undo_tmpl);
		if (g->all_children)
			child_args(g, wi->undo_tmpl, arena_printf(&g->a,
			    "rollback-%s", w->name), "", wi->deadline, NULL,
			    0, false);
		key(g, "when");
		scalar(g, failed, YAML_DOUBLE_QUOTED_SCALAR_STYLE);
		continue_on(g);
		step_end(g);
		fail_step(g, wi->stop_step, failed, arena_printf(&g->a,
		    "wave %s failed and was rolled back", w->name));
	}
	if (wi->soak_step) {
		step_begin(g, wi->soak_step, wi->soak_tmpl);
		step_end(g);
	}
	if (wi->approve) {
		step_begin(g, wi->approve, "approve");
		step_end(g);
	}
}

/* The last step: a release with a failed deploy in a `continue` wave is
 * not a success (steps.go counts a continued failure as one). */
static void
continued_step(struct argo *g)
{
	struct buf when = { 0 }, names = { 0 };
	size_t i;

	for (i = 0; i < g->p->nwaves; i++) {
		const struct wave_info *wi = &g->waves[i];

		if (g->p->waves[i].wave->on_failure != FAIL_CONTINUE ||
		    !wi->step)
			continue;
		buf_printf(&when, "%s{{steps.%s.status}} != Succeeded",
		    when.len ? " || " : "", wi->step);
		buf_printf(&names, "%s%s", names.len ? ", " : "",
		    g->p->waves[i].wave->name);
	}
	if (when.len)
		fail_step(g, step_name(g, "failed", NULL), when.data,
		    arena_printf(&g->a, "deploys failed in wave(s) %s; "
		    "see the Workflow's failed nodes", names.data));
	buf_free(&when);
	buf_free(&names);
}

/* The entrypoint: waves, notices and gates in sequence, one group each,
 * so waves meet at a single node and never need N x M edges. */
static void
emit_entry(struct argo *g)
{
	size_t i;

	begin_map(g, false);
	pair(g, "name", "rollout");
	key(g, "steps");
	begin_seq(g, false);
	if (g->p->rollout->notify)
		notify_step(g, "start", arena_printf(&g->a, "rollout %s: "
		    "started ({{workflow.name}})", g->p->rollout->name));
	for (i = 0; i < g->p->nwaves; i++)
		wave_steps(g, i);
	continued_step(g);
	end_seq(g);
	end_map(g);
}

/* ---- The leaves ------------------------------------------------------------ */

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

/*
 * Sets a deployment's image and waits for it; with action rollback, undoes
 * it, but only where this rollout's image is the one running, so undoing a
 * deploy that never ran changes nothing.  Calls that only read or set
 * state are retried when the API server cannot be reached (a bounded
 * loop: Argo's own retries would come too late under failFast); a rollout
 * that fails is not retried.  No kubeconfig fails the deploy at once.
 */
static const char deploy_script[] =
    "set -eu\n"
    "target=\"$IMAGE:$VERSION\"\n"
    "if [ ! -s \"$KUBECONFIG\" ]; then\n"
    "  echo \"no kubeconfig: create the Secret 'kubeconfig' (key config)"
    " with a context named $CLUSTER\" >&2\n"
    "  exit 1\n"
    "fi\n"
    "k() { kubectl --context \"$CLUSTER\" --request-timeout=60s \"$@\"; }\n"
    "try() {\n"
    "  n=1\n"
    "  until k \"$@\"; do\n"
    "    [ \"$n\" -lt 4 ] || return 1\n"
    "    echo \"kubectl $1 failed, attempt $n of 4; retrying\" >&2\n"
    "    sleep $((n * 10)); n=$((n + 1))\n"
    "  done\n"
    "}\n"
    "if [ \"$ACTION\" = rollback ]; then\n"
    "  current=$(try get \"deployment/$SERVICE\" -o \"jsonpath={.spec"
    ".template.spec.containers[?(@.name==\\\"$SERVICE\\\")].image}\")\n"
    "  if [ \"$current\" != \"$target\" ]; then\n"
    "    echo \"$SERVICE in $CLUSTER runs '$current', not $target:"
    " nothing to roll back\"\n"
    "    exit 0\n"
    "  fi\n"
    "  try rollout undo \"deployment/$SERVICE\"\n"
    "else\n"
    "  try set image \"deployment/$SERVICE\" \"$SERVICE=$target\"\n"
    "fi\n"
    "k rollout status \"deployment/$SERVICE\" --timeout=\"${TIMEOUT}s\"\n";

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
	/* the rollout's wait ends before the pod's deadline */
	param(g, "TIMEOUT", arena_printf(&g->a, "%ld",
	    g->deploy_timeout > 120 ? g->deploy_timeout - 60 :
	    g->deploy_timeout));
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
 * kubeconfig (key config), optional so that a missing Secret fails the
 * deploy instead of leaving its pod Pending for ever. */
static void
emit_deploy(struct argo *g)
{
	begin_map(g, false);
	pair(g, "name", "deploy");
	deploy_inputs(g);
	pair_long(g, "activeDeadlineSeconds", g->deploy_timeout);
	deploy_container(g);
	key(g, "volumes");
	begin_seq(g, false);
	begin_map(g, false);
	pair(g, "name", "kubeconfig");
	key(g, "secret");
	begin_map(g, true);
	pair(g, "secretName", "kubeconfig");
	pair_raw(g, "optional", "true");
	end_map(g);
	end_map(g);
	end_seq(g);
	end_map(g);
}

/* Posts {"channel": ..., "text": ...} to the webhook, escaped for JSON;
 * without the Secret it says so in its log and posts nothing. */
static const char notify_script[] =
    "set -eu\n"
    "if [ -z \"${SLACK_WEBHOOK_URL:-}\" ]; then\n"
    "  echo \"no Secret slack-webhook (key url): not posting: $MESSAGE\"\n"
    "  exit 0\n"
    "fi\n"
    "esc() { printf '%s' \"$1\" | tr '\\n\\t' '  ' |"
    " sed 's/\\\\/\\\\\\\\/g; s/\"/\\\\\"/g'; }\n"
    "body=$(printf '{\"channel\": \"%s\", \"text\": \"%s\"}'"
    " \"$(esc \"$CHANNEL\")\" \"$(esc \"$MESSAGE\")\")\n"
    "curl -sS --fail --max-time 20 --retry 3 -H 'Content-Type: "
    "application/json' -d \"$body\" \"$SLACK_WEBHOOK_URL\"\n";

/* The notify template: curl to the webhook read from the Secret
 * slack-webhook (key url, optional), never written in the file. */
static void
emit_notify(struct argo *g)
{
	static const char *const in[] = { "message" };

	begin_map(g, false);
	pair(g, "name", "notify");
	inputs_held(g, in, 1, NULL, 0);
	pair_long(g, "activeDeadlineSeconds", NOTIFY_TIMEOUT);
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
	pair_raw(g, "optional", "true");
	end_map(g);
	end_map(g);
	end_map(g);
	param(g, "CHANNEL", g->p->rollout->notify);
	param(g, "MESSAGE", input_ref(g, "message"));
	end_seq(g);
	end_map(g);
	end_map(g);
}

/* The onExit handler: one notice with the final status and what failed;
 * a notice that fails leaves the outcome as it was (operator.go fails a
 * Succeeded Workflow whose exit handler failed). */
static void
emit_exit_handler(struct argo *g)
{
	begin_map(g, false);
	pair(g, "name", "exit-handler");
	key(g, "steps");
	begin_seq(g, false);
	notify_step(g, "notify", arena_printf(&g->a, "rollout %s "
	    "({{workflow.name}}): {{workflow.status}}; failed: "
	    "{{workflow.failures}}", g->p->rollout->name));
	end_seq(g);
	end_map(g);
}

/*
 * The onExit handler of a wave's child Workflow: when it failed, a notice
 * naming the clusters that failed (the parent sees only that its child
 * failed).  It delays nothing that matters: the wave has ended, every
 * running cluster with it.
 */
static void
emit_wave_exit_handler(struct argo *g, const struct wave *w)
{
	begin_map(g, false);
	pair(g, "name", "exit-handler");
	key(g, "steps");
	begin_seq(g, false);
	step_begin(g, "notify", "notify");
	key(g, "when");
	scalar(g, "{{workflow.status}} != Succeeded",
	    YAML_DOUBLE_QUOTED_SCALAR_STYLE);
	one_argument(g, "message", arena_printf(&g->a, "rollout %s, wave %s "
	    "({{workflow.name}}): {{workflow.status}}; failed: "
	    "{{workflow.failures}}", g->p->rollout->name, w->name));
	continue_on(g);
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

/* The soak templates, one per distinct duration, and the approvals. */
static void
emit_gates(struct argo *g)
{
	size_t i, j;

	for (i = 0; i < g->p->nwaves; i++) {
		const struct wave_info *wi = &g->waves[i];

		for (j = 0; j < i; j++)
			if (g->waves[j].soak_tmpl == wi->soak_tmpl)
				break;
		if (wi->soak_tmpl && j == i)
			suspend(g, wi->soak_tmpl, go_duration(&g->a,
			    g->p->waves[i].wave->soak));
	}
	/* one template for every approval: `argo resume` selects the step
	 * by its name, approve-W */
	for (i = 0; i < g->p->nwaves; i++)
		if (g->waves[i].approve) {
			suspend(g, "approve", NULL);
			break;
		}
}

/* The template that fails the Workflow, saying why. */
static void
emit_fail(struct argo *g)
{
	static const char *const in[] = { "message" };

	begin_map(g, false);
	pair(g, "name", "fail");
	inputs_held(g, in, 1, NULL, 0);
	pair_long(g, "activeDeadlineSeconds", FAIL_TIMEOUT);
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

/* ---- Child Workflows --------------------------------------------------------- */

/* Collects what the emitter writes. */
static int
write_buf(void *data, unsigned char *bytes, size_t size)
{
	buf_add(data, (const char *)bytes, size);
	return 1;
}

/* Starts an emitter writing into b, as every document is written. */
static bool
emitter_begin(struct argo *g, yaml_emitter_t *em, struct buf *b)
{
	if (!yaml_emitter_initialize(em)) {
		fail(g, "libyaml could not start an emitter");
		return false;
	}
	yaml_emitter_set_output(em, write_buf, b);
	yaml_emitter_set_unicode(em, 1);
	yaml_emitter_set_indent(em, 2);
	yaml_emitter_set_width(em, -1);
	return true;
}

/* The Workflow a child step creates, as YAML text (the manifest of a
 * resource template is a string), written by an emitter of its own. */
static const char *
child_manifest(struct argo *g, const size_t *held, size_t nheld)
{
	yaml_emitter_t em, *outer = g->em;
	yaml_event_t ev;
	struct buf b = { 0 };
	const char *text;

	if (!emitter_begin(g, &em, &b))
		return "";
	g->em = &em;
	put(g, &ev, yaml_stream_start_event_initialize(&ev,
	    YAML_UTF8_ENCODING));
	put(g, &ev, yaml_document_start_event_initialize(&ev, NULL, NULL,
	    NULL, 1));
	begin_map(g, false);
	pair(g, "apiVersion", "argoproj.io/v1alpha1");
	pair(g, "kind", "Workflow");
	key(g, "metadata");
	begin_map(g, false);
	pair_quoted(g, "generateName",
	    "{{workflow.name}}-{{inputs.parameters.part}}-");
	key(g, "labels");
	begin_map(g, false);
	pair(g, LABEL_ROLLOUT, g->p->rollout->name);
	pair_quoted(g, "planner/parent", "{{workflow.name}}");
	end_map(g);
	end_map(g);
	key(g, "spec");
	begin_map(g, false);
	key(g, "workflowTemplateRef");
	begin_map(g, true);
	pair_quoted(g, "name", input_ref(g, "workflow-template"));
	end_map(g);
	key(g, "arguments");
	begin_map(g, false);
	key(g, "parameters");
	begin_seq(g, false);
	param(g, "cluster", input_ref(g, "cluster"));
	pass_held(g, held, nheld);
	end_seq(g);
	end_map(g);
	end_map(g);
	end_map(g);
	put(g, &ev, yaml_document_end_event_initialize(&ev, 1));
	put(g, &ev, yaml_stream_end_event_initialize(&ev));
	if (!g->failed && !yaml_emitter_flush(&em))
		fail(g, "libyaml: cannot flush the emitter");
	yaml_emitter_delete(&em);
	g->em = outer;
	text = arena_strndup(&g->a, b.data ? b.data : "", b.len);
	buf_free(&b);
	return text;
}

/*
 * The template that runs a child Workflow from a WorkflowTemplate and
 * waits for it (executor/resource.go polls the conditions).  Its pod
 * counts as an active pod of the wave, so a failFast wave ends only when
 * every running child has ended.  The child is owned by its parent:
 * deleting the parent deletes it.
 */
static void
emit_child(struct argo *g, const size_t *held, size_t nheld)
{
	static const char *const in[] = { "workflow-template", "part",
		"cluster", "deadline" };

	begin_map(g, false);
	pair(g, "name", "child");
	inputs_held(g, in, 4, held, nheld);
	pair_quoted(g, "activeDeadlineSeconds", input_ref(g, "deadline"));
	key(g, "resource");
	begin_map(g, false);
	pair(g, "action", "create");
	pair_raw(g, "setOwnerReference", "true");
	pair(g, "successCondition", "status.phase == Succeeded");
	pair(g, "failureCondition", "status.phase in (Failed, Error)");
	key(g, "manifest");
	scalar(g, child_manifest(g, held, nheld), YAML_LITERAL_SCALAR_STYLE);
	end_map(g);
	end_map(g);
}

/* ---- Documents ---------------------------------------------------------------- */

/* True when v is a valid label value (at most 63 characters of letters,
 * digits, '-', '_' and '.', beginning and ending with a letter or digit). */
static bool
label_value(const char *v)
{
	size_t n = strlen(v), i;

	if (n == 0 || n > MAX_NAME)
		return false;
	for (i = 0; i < n; i++) {
		char c = v[i];
		bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9');

		if (!alnum && ((i == 0 || i == n - 1) ||
		    !(c == '-' || c == '_' || c == '.')))
			return false;
	}
	return true;
}

/* The fields of a spec that every Workflow of the rollout shares. */
static void
common_spec(struct argo *g)
{
	const struct rollout *r = g->p->rollout;

	if (r->service_account)
		pair(g, "serviceAccountName", r->service_account);
	key(g, "podGC");
	begin_map(g, true);
	pair(g, "strategy", "OnPodSuccess");
	end_map(g);
}

/* Starts a document: apiVersion, kind, metadata. */
static void
doc_begin(struct argo *g, const char *kind, const char *name,
    bool generate)
{
	const struct rollout *r = g->p->rollout;
	yaml_event_t ev;

	/* "---" between documents, not before the first */
	put(g, &ev, yaml_document_start_event_initialize(&ev, NULL, NULL,
	    NULL, g->ndocs++ == 0));
	begin_map(g, false);
	pair(g, "apiVersion", "argoproj.io/v1alpha1");
	pair(g, "kind", kind);
	key(g, "metadata");
	begin_map(g, false);
	pair(g, generate ? "generateName" : "name", name);
	if (r->namespace)
		pair(g, "namespace", r->namespace);
	key(g, "labels");
	begin_map(g, false);
	pair(g, LABEL_ROLLOUT, r->name);
	if (generate) {
		if (r->version && label_value(r->version))
			pair_quoted(g, LABEL_VERSION, r->version);
		pair_quoted(g, LABEL_PLAN, g->hash);
	} else {
		pair_quoted(g, LABEL_TEMPLATES, g->hash);
	}
	end_map(g);
	end_map(g);
	key(g, "spec");
	begin_map(g, false);
}

/* Ends a document begun by doc_begin. */
static void
doc_end(struct argo *g)
{
	yaml_event_t ev;

	end_map(g);
	end_map(g);
	put(g, &ev, yaml_document_end_event_initialize(&ev, 1));
}

/* A WorkflowTemplate's arguments: the cluster (with cluster), and the
 * held waves' outcomes, Succeeded unless the creator says otherwise. */
static void
template_arguments(struct argo *g, bool cluster, const size_t *held,
    size_t nheld)
{
	size_t i;

	if (!cluster && !nheld)
		return;
	key(g, "arguments");
	begin_map(g, false);
	key(g, "parameters");
	begin_seq(g, false);
	if (cluster) {
		begin_map(g, false);
		pair(g, "name", "cluster");
		end_map(g);
	}
	for (i = 0; i < nheld; i++) {
		begin_map(g, false);
		pair(g, "name", held_param(g, held[i]));
		pair_quoted(g, "value", "Succeeded");
		end_map(g);
	}
	end_seq(g);
	end_map(g);
}

/* One WorkflowTemplate: a cluster's DAG (or one part of it) as the
 * entrypoint `run`, or the DAG of its parts as child Workflows. */
static void
emit_workflow_template(struct argo *g, const char *name,
    const struct shape *sh, enum variant v, long part)
{
	const struct shape_info *si = &g->shapes[sh->index];
	size_t nheld = v == V_UNDO ? 0 : si->nwaves;
	bool parts = part < 0 && sh->nchunks > 1;

	doc_begin(g, "WorkflowTemplate", name, false);
	pair(g, "entrypoint", "run");
	template_arguments(g, true, si->waves, nheld);
	common_spec(g);
	key(g, "templates");
	begin_seq(g, false);
	if (parts) {
		emit_parts(g, "run", sh, v, CHILD);
		emit_child(g, si->waves, nheld);
	} else {
		size_t lo = part < 0 ? 0 : sh->chunks[part].start;
		size_t hi = part < 0 ? sh->first->ndeploys :
		    lo + sh->chunks[part].count;

		g->builtin = false;
		emit_body(g, "run", sh, v, lo, hi);
		if (g->builtin)
			emit_deploy(g);
	}
	end_seq(g);
	doc_end(g);
}

/* A wave (or its rollback) as a WorkflowTemplate, in the workflow of
 * workflows: its steps create each cluster's child Workflow. */
static void
emit_wave_template(struct argo *g, const char *name, size_t i,
    enum variant v)
{
	const struct wave_info *wi = &g->waves[i];
	size_t nheld = v == V_UNDO ? 0 : wi->nheld;

	doc_begin(g, "WorkflowTemplate", name, false);
	pair(g, "entrypoint", "run");
	if (v != V_UNDO && g->p->rollout->notify)
		pair(g, "onExit", "exit-handler");
	template_arguments(g, false, wi->held, nheld);
	common_spec(g);
	key(g, "templates");
	begin_seq(g, false);
	emit_wave(g, "run", i, v);
	emit_child(g, wi->held, nheld);
	if (v != V_UNDO && g->p->rollout->notify) {
		emit_wave_exit_handler(g, g->p->waves[i].wave);
		emit_notify(g);
	}
	end_seq(g);
	doc_end(g);
}

/* Fails when the WorkflowTemplate just written into b, from byte start,
 * takes more than a document may: its child Workflow stores it whole. */
static void
check_template_size(struct argo *g, struct buf *b, size_t start,
    const char *name)
{
	if (g->failed || !yaml_emitter_flush(g->em))
		return;
	if (b->len - start > ARGO_DOC_BUDGET)
		fail(g, "the WorkflowTemplate %s would take %zu KiB, more than "
		    "the %d KiB a Workflow created from it may take; shorten "
		    "the rollout's long strings (images, versions)", name,
		    (b->len - start) / 1024, ARGO_DOC_BUDGET / 1024);
}

/* Every WorkflowTemplate the child Workflows are created from, into b,
 * each within the budget of a document. */
static void
emit_workflow_templates(struct argo *g, struct buf *b)
{
	size_t i, k, start;
	int v;

	for (i = 0; i < g->p->nwaves && g->all_children; i++) {
		if (g->waves[i].tmpl) {
			start = b->len;
			emit_wave_template(g, g->waves[i].tmpl, i,
			    wave_variant(g->p->waves[i].wave));
			check_template_size(g, b, start, g->waves[i].tmpl);
		}
		if (g->waves[i].undo_tmpl) {
			start = b->len;
			emit_wave_template(g, g->waves[i].undo_tmpl, i, V_UNDO);
			check_template_size(g, b, start,
			    g->waves[i].undo_tmpl);
		}
	}

	for (i = 0; i < g->p->nshapes && !g->failed; i++) {
		const struct shape *sh = g->p->shapes[i];
		const struct shape_info *si = &g->shapes[i];

		for (v = 0; v < NVARIANTS; v++) {
			if (!si->used[CHILD][v])
				continue;
			start = b->len;
			emit_workflow_template(g, si->name[CHILD][v], sh,
			    (enum variant)v, -1);
			check_template_size(g, b, start, si->name[CHILD][v]);
			for (k = 0; sh->nchunks > 1 && k < sh->nchunks; k++) {
				start = b->len;
				emit_workflow_template(g, si->part[CHILD][v][k],
				    sh, (enum variant)v, (long)k);
				check_template_size(g, b, start,
				    si->part[CHILD][v][k]);
			}
		}
	}
}

/* The held waves of every wave that runs a child from the Workflow. */
static void
child_held(struct argo *g, size_t **held, size_t *nheld)
{
	size_t i, j;

	*held = NULL;
	*nheld = 0;
	for (i = 0; i < g->p->nwaves; i++)
		if (g->waves[i].placement == CHILD)
			for (j = 0; j < g->waves[i].nheld; j++)
				*held = add_wave(g, *held, nheld,
				    g->waves[i].held[j]);
}

/* Every template of the Workflow, the entrypoint first. */
static void
emit_templates(struct argo *g)
{
	size_t i, *held, nheld;
	int v;

	emit_entry(g);
	if (g->p->rollout->notify)
		emit_exit_handler(g);
	for (i = 0; i < g->p->nwaves && !g->all_children; i++) {
		if (g->waves[i].tmpl)
			emit_wave(g, g->waves[i].tmpl, i,
			    wave_variant(g->p->waves[i].wave));
		if (g->waves[i].undo_tmpl)
			emit_wave(g, g->waves[i].undo_tmpl, i, V_UNDO);
	}
	for (i = 0; i < g->p->nshapes; i++)
		for (v = 0; v < NVARIANTS; v++)
			if (g->shapes[i].used[INLINE][v])
				emit_inline_shape(g, g->p->shapes[i],
				    (enum variant)v);
	if (g->child) {
		child_held(g, &held, &nheld);
		emit_child(g, held, nheld);
	}
	if (g->builtin)
		emit_deploy(g);
	if (g->p->rollout->notify)
		emit_notify(g);
	emit_gates(g);
	if (g->fail)
		emit_fail(g);
}

/*
 * The Workflow.  Labels find a train (`argo list -l planner/rollout=N`);
 * the mutex named after the rollout keeps two trains of it from running
 * at once; podGC removes the pods that succeeded and keeps the failed
 * ones for their logs.
 */
static void
emit_workflow(struct argo *g)
{
	const struct rollout *r = g->p->rollout;

	doc_begin(g, "Workflow", arena_printf(&g->a, "%.*s-",
	    GENERATE_NAME_MAX, r->name), true);
	pair(g, "entrypoint", "rollout");
	if (r->notify)
		pair(g, "onExit", "exit-handler");
	common_spec(g);
	key(g, "synchronization");
	begin_map(g, false);
	key(g, "mutexes");
	begin_seq(g, false);
	begin_map(g, true);
	pair(g, "name", r->name);
	end_map(g);
	end_seq(g);
	end_map(g);
	key(g, "templates");
	begin_seq(g, false);
	emit_templates(g);
	end_seq(g);
	doc_end(g);
}

/* ---- Naming and placing ------------------------------------------------------- */

/* True when wave i must run its clusters as child Workflows whatever the
 * size: a rollback wave whose clusters deploy in parallel, or whose
 * clusters are split into parts (either way a failFast template over
 * nested DAGs, which checkParallelism marks Failed while they still run,
 * and the rollback would race them). */
static bool
wave_needs_children(const struct argo *g, size_t i)
{
	const struct plan_wave *pw = &g->p->waves[i];
	const struct wave *w = pw->wave;
	size_t j;

	if (w->on_failure != FAIL_ROLLBACK || !pw->nclusters)
		return false;
	if (pw->nclusters > 1 && w->parallel != 1)
		return true;
	for (j = 0; j < pw->nclusters; j++)
		if (pw->clusters[j]->shape->nchunks > 1)
			return true;
	return false;
}

/* Forgets every name, for another try at the layout. */
static void
reset_names(struct argo *g)
{
	size_t i;

	map_free(&g->tnames);
	map_free(&g->snames);
	map_free(&g->soaks);
	g->ntemplates = g->npods = g->nworkflow_templates = 0;
	g->builtin = g->child = g->fail = false;
	for (i = 0; i < g->p->nshapes; i++) {
		memset(g->shapes[i].used, 0, sizeof(g->shapes[i].used));
		memset(g->shapes[i].name, 0, sizeof(g->shapes[i].name));
		memset(g->shapes[i].part, 0, sizeof(g->shapes[i].part));
	}
	memset(g->waves, 0, g->p->nwaves * sizeof(*g->waves));
}

/* Marks the shapes wave i uses, and counts the pods it adds. */
static void
use_shapes(struct argo *g, size_t i)
{
	const struct plan_wave *pw = &g->p->waves[i];
	struct wave_info *wi = &g->waves[i];
	enum variant v = wave_variant(pw->wave);
	size_t j, k;
	long longest = 0, rounds;

	for (j = 0; j < pw->nclusters; j++) {
		struct shape_info *si = &g->shapes[pw->clusters[j]->shape->index];
		size_t pods = g->all_children ? 0 : wi->placement == CHILD ? 1 :
		    pw->clusters[j]->ndeploys;

		si->used[wi->placement][v] = true;
		g->npods += pods;
		if (pw->wave->on_failure == FAIL_ROLLBACK) {
			si->used[wi->placement][V_UNDO] = true;
			g->npods += pods;
		}
		for (k = 0; k < si->nwaves; k++)
			wi->held = add_wave(g, wi->held, &wi->nheld,
			    si->waves[k]);
		if (si->deadline > longest)
			longest = si->deadline;
	}
	/* as a child, the wave may take its clusters' deadlines, `parallel`
	 * at a time */
	rounds = pw->wave->parallel ? ((long)pw->nclusters +
	    pw->wave->parallel - 1) / pw->wave->parallel : 1;
	wi->deadline = deadline_of(rounds, longest);
	if (g->all_children && pw->nclusters)
		g->npods += pw->wave->on_failure == FAIL_ROLLBACK ? 2 : 1;
}

/* Names the templates of one shape's variant: inline, a template and its
 * parts; as a child, a WorkflowTemplate and one per part. */
static void
name_shape(struct argo *g, const struct shape *sh, enum placement pl,
    enum variant v)
{
	static const char *const what[NVARIANTS] = { "cluster",
		"cluster-continue", "undo" };
	struct shape_info *si = &g->shapes[sh->index];
	const char *base = sh->first->cluster->name;
	size_t k;

	si->name[pl][v] = pl == INLINE ? tmpl_name(g, what[v], base, NULL) :
	    workflow_template_name(g, what[v], base);
	if (sh->nchunks <= 1)
		return;
	si->part[pl][v] = arena_array(&g->a, sh->nchunks,
	    sizeof(*si->part[pl][v]));
	for (k = 0; k < sh->nchunks; k++)
		si->part[pl][v][k] = pl == INLINE ?
		    tmpl_name(g, what[v], base, part_no(g, k)) :
		    workflow_template_name(g, arena_printf(&g->a, "%s-%s",
		    what[v], base), part_no(g, k));
}

/* Names the steps and templates of wave i. */
static void
name_wave(struct argo *g, size_t i)
{
	const struct wave *w = g->p->waves[i].wave;
	struct wave_info *wi = &g->waves[i];
	const char *d;

	if (g->p->waves[i].nclusters) {
		wi->tmpl = g->all_children ?
		    workflow_template_name(g, "wave", w->name) :
		    tmpl_name(g, "wave", w->name, NULL);
		wi->step = step_name(g, "wave", w->name);
		if (w->on_failure == FAIL_ROLLBACK) {
			wi->undo_tmpl = g->all_children ?
			    workflow_template_name(g, "rollback", w->name) :
			    tmpl_name(g, "rollback", w->name, NULL);
			wi->undo_step = step_name(g, "rollback", w->name);
			wi->stop_step = step_name(g, "stop", w->name);
		}
		g->npods += w->on_failure == FAIL_ROLLBACK;	/* the stop */
	}
	if (g->p->rollout->notify) {
		wi->notify_step = step_name(g, "notify", w->name);
		g->npods++;
	}
	if (w->soak) {
		d = go_duration(&g->a, w->soak);
		wi->soak_tmpl = map_get(&g->soaks, d);
		if (!wi->soak_tmpl) {
			wi->soak_tmpl = tmpl_name(g, "soak", d, NULL);
			map_put(&g->soaks, d, (void *)wi->soak_tmpl);
		}
		wi->soak_step = step_name(g, "soak", w->name);
	}
}

/* Names everything, the gates first (people type their names). */
static void
name_all(struct argo *g)
{
	size_t i;
	int pl, v;

	reset_names(g);
	tmpl_name(g, "rollout", NULL, NULL);
	claim(g, &g->snames, "start");
	if (g->p->rollout->notify)
		tmpl_name(g, "exit-handler", NULL, NULL);
	tmpl_name(g, "notify", NULL, NULL);
	tmpl_name(g, "deploy", NULL, NULL);
	tmpl_name(g, "fail", NULL, NULL);
	tmpl_name(g, "child", NULL, NULL);
	tmpl_name(g, "approve", NULL, NULL);
	for (i = 0; i < g->p->nwaves; i++)
		if (g->p->waves[i].wave->approve)
			g->waves[i].approve = claim(g, &g->snames,
			    approve_name(&g->a, g->p->waves[i].wave));
	for (i = 0; i < g->p->nwaves; i++) {
		g->waves[i].placement = g->all_children ||
		    wave_needs_children(g, i) ? CHILD : INLINE;
		name_wave(g, i);
		use_shapes(g, i);
	}
	for (i = 0; i < g->p->nshapes; i++)
		for (pl = INLINE; pl <= CHILD; pl++)
			for (v = 0; v < NVARIANTS; v++)
				if (g->shapes[i].used[pl][v])
					name_shape(g, g->p->shapes[i],
					    (enum placement)pl, (enum variant)v);
}

/* ---- Writing ---------------------------------------------------------------- */

/* Writes the WorkflowTemplates (when any) and the Workflow into b. */
static bool
write_docs(struct argo *g, struct buf *b, bool templates, size_t *wf_bytes)
{
	yaml_emitter_t em;
	yaml_event_t ev;
	size_t before;

	if (!emitter_begin(g, &em, b))
		return false;
	g->em = &em;
	g->ndocs = 0;
	put(g, &ev, yaml_stream_start_event_initialize(&ev,
	    YAML_UTF8_ENCODING));
	if (templates)
		emit_workflow_templates(g, b);
	if (!g->failed && !yaml_emitter_flush(&em))
		fail(g, "libyaml: cannot flush the emitter");
	before = b->len;
	g->builtin = g->child = g->fail = false;
	emit_workflow(g);
	put(g, &ev, yaml_stream_end_event_initialize(&ev));
	if (!g->failed && !yaml_emitter_flush(&em))
		fail(g, "libyaml: %s", em.problem ? em.problem :
		    "cannot flush the emitter");
	yaml_emitter_delete(&em);
	g->em = NULL;
	*wf_bytes = b->len - before;
	return !g->failed;
}

/* Why the Workflow does not fit in Argo's limits, or NULL. */
static const char *
too_big(struct argo *g, size_t bytes)
{
	if (g->ntemplates > ARGO_MAX_TEMPLATES)
		return arena_printf(&g->a, "needs %zu templates, more than "
		    "Argo's %d", g->ntemplates, ARGO_MAX_TEMPLATES);
	if (bytes > ARGO_DOC_BUDGET)
		return arena_printf(&g->a, "would take %zu KiB, more than "
		    "the %d KiB a Workflow may take (half of etcd's 1 MiB: "
		    "its status grows as it runs)", bytes / 1024,
		    ARGO_DOC_BUDGET / 1024);
	if (g->npods > ARGO_MAX_PODS)
		return arena_printf(&g->a, "runs %zu pods, more than the %d "
		    "whose status fits beside it", g->npods, ARGO_MAX_PODS);
	return NULL;
}

/*
 * Chooses the layout: the whole rollout in one Workflow when it fits,
 * else the workflow of workflows.  The first try is written (into b) only
 * when its pods are few enough for it to fit at all.
 */
static bool
choose_layout(struct argo *g, struct buf *b)
{
	size_t bytes;

	g->all_children = false;
	name_all(g);
	if (g->npods <= ARGO_MAX_PODS && g->ntemplates <= ARGO_MAX_TEMPLATES) {
		if (!write_docs(g, b, g->nworkflow_templates > 0, &bytes))
			return false;
		if (!too_big(g, bytes))
			return true;
	}
	b->len = 0;
	g->all_children = true;
	name_all(g);
	return true;
}

/* Prepares a plan for writing: names, and the layout that fits. */
static bool
argo_prepare(struct argo *g, const struct plan *p, struct buf *b)
{
	g->p = p;
	g->deploy_timeout = p->rollout->deploy_timeout ?
	    p->rollout->deploy_timeout : DEFAULT_DEPLOY_TIMEOUT;
	g->waves = arena_array(&g->a, p->nwaves + 1, sizeof(*g->waves));
	if (!prepare(g))
		return false;
	g->hash = plan_hash(g);
	return choose_layout(g, b);
}

/* Releases what argo_prepare made. */
static void
argo_free(struct argo *g)
{
	map_free(&g->tnames);
	map_free(&g->snames);
	map_free(&g->soaks);
	arena_free(&g->a);
}

bool
emit_argo(FILE *out, const struct plan *p, struct argo_layout *layout,
    const char **why)
{
	struct argo g = { 0 };
	struct buf b = { 0 };
	size_t bytes;
	const char *big;
	bool ok = argo_prepare(&g, p, &b);

	if (ok && !b.len) {	/* the workflow of workflows, not yet written */
		/* its parent's pods and templates are known before writing */
		big = too_big(&g, 0);
		if (!big) {
			ok = write_docs(&g, &b, true, &bytes);
			big = ok ? too_big(&g, bytes) : NULL;
		}
		if (big) {
			fail(&g, "even as a workflow of workflows, the parent "
			    "Workflow %s; spread the clusters over fewer "
			    "waves", big);
			ok = false;
		}
	}
	if (ok && b.len && fwrite(b.data, 1, b.len, out) != b.len) {
		fail(&g, "%s", strerror(errno));
		ok = false;
	}
	if (ok && layout) {
		layout->known = true;
		layout->children = g.all_children;
		layout->workflow_templates = g.nworkflow_templates;
		snprintf(layout->label, sizeof(layout->label), "%s=%s",
		    LABEL_TEMPLATES, g.hash);
	}
	if (!ok)
		*why = g.why;
	buf_free(&b);
	argo_free(&g);
	return ok;
}
