/*
 * emit_json.c: the plan as data, written with jansson in the format that
 * docs/plan-format.md describes ("format": 1).  Deploys are not objects of
 * their own: each cluster lists the names of its services step by step, so
 * a plan of 100,000 deploys stays a few thousand objects.  Every deploy can
 * still be rebuilt from that: its wave from its cluster, its step from its
 * position, its image and version from its service, and its needs in the
 * cluster from the service's needs that run there too.
 *
 * Each service and cluster name is one jansson string, shared by every
 * array that lists it (jansson counts references), so a big plan costs a
 * few allocations per name instead of one per deploy.  Keys keep the order
 * they are set in, so the same plan always gives the same bytes.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "plan.h"

/* The strings shared across the document, by service and cluster index. */
struct names {
	json_t **services;
	json_t **clusters;
};

/* A JSON string, or null when there is none. */
static json_t *
jstr(const char *s)
{
	json_t *j = s ? json_string(s) : NULL;

	/* Sources are checked to be UTF-8, so json_string cannot refuse. */
	return j ? j : json_null();
}

/* A JSON number from a count. */
static json_t *
count(size_t n)
{
	return json_integer((json_int_t)n);
}

/* Makes the shared name strings (names are DNS labels: plain ASCII). */
static void
names_init(struct names *nm, const struct rollout *r)
{
	size_t i;

	nm->services = xmalloc_array(r->nservices + 1, sizeof(*nm->services));
	nm->clusters = xmalloc_array(r->nclusters + 1, sizeof(*nm->clusters));
	for (i = 0; i < r->nservices; i++)
		nm->services[r->services[i]->index] = json_stringn_nocheck(
		    r->services[i]->name, strlen(r->services[i]->name));
	for (i = 0; i < r->nclusters; i++)
		nm->clusters[r->clusters[i]->index] = json_stringn_nocheck(
		    r->clusters[i]->name, strlen(r->clusters[i]->name));
}

/* Drops this file's references to the shared names. */
static void
names_free(struct names *nm, const struct rollout *r)
{
	size_t i;

	for (i = 0; i < r->nservices; i++)
		json_decref(nm->services[i]);
	for (i = 0; i < r->nclusters; i++)
		json_decref(nm->clusters[i]);
	free(nm->services);
	free(nm->clusters);
}

/* The rollout's own attributes; null for those not given. */
static json_t *
rollout_json(const struct rollout *r)
{
	json_t *o = json_object();

	json_object_set_new(o, "name", jstr(r->name));
	json_object_set_new(o, "version", jstr(r->version));
	json_object_set_new(o, "registry", jstr(r->registry));
	json_object_set_new(o, "namespace", jstr(r->namespace));
	json_object_set_new(o, "notify", jstr(r->notify));
	json_object_set_new(o, "deploy_template", jstr(r->deploy_template));
	json_object_set_new(o, "takes_seconds", json_integer(r->takes));
	return o;
}

/* The counts the readable plan starts with. */
static json_t *
summary_json(const struct plan *p)
{
	json_t *o = json_object();

	json_object_set_new(o, "services", count(p->rollout->nservices));
	json_object_set_new(o, "clusters", count(p->nclusters));
	json_object_set_new(o, "waves", count(p->nwaves));
	json_object_set_new(o, "deploys", count(p->ndeploys));
	json_object_set_new(o, "longest_chain", count(p->nchain));
	json_object_set_new(o, "estimate_seconds", json_integer(p->estimate));
	json_object_set_new(o, "approvals", count(p->napprovals));
	return o;
}

/* One wave: its policy and the names of its clusters, in order. */
static json_t *
wave_json(const struct names *nm, const struct plan_wave *pw)
{
	const struct wave *w = pw->wave;
	json_t *o = json_object(), *clusters = json_array();
	size_t i;

	json_object_set_new(o, "name", jstr(w->name));
	json_object_set_new(o, "parallel", w->parallel ?
	    json_integer(w->parallel) : json_null());
	json_object_set_new(o, "soak", json_integer(w->soak));
	json_object_set_new(o, "soak_text", jstr(w->soak ? w->soak_text :
	    NULL));
	json_object_set_new(o, "approve", json_boolean(w->approve));
	json_object_set_new(o, "on_failure", jstr(policy_words[w->on_failure]));
	json_object_set_new(o, "deploying_seconds",
	    json_integer(pw->deploying));
	json_object_set_new(o, "estimate_seconds", json_integer(pw->estimate));
	for (i = 0; i < pw->nclusters; i++)
		json_array_append(clusters,
		    nm->clusters[pw->clusters[i]->cluster->index]);
	json_object_set_new(o, "clusters", clusters);
	return o;
}

/* What a deploy changes, with live state: the version running now, null
 * when the service does not run there, "" when its version is unknown. */
static json_t *
from_json(const struct deploy *d)
{
	return d->from ? json_string(d->from) : d->running ? json_string("") :
	    json_null();
}

/* One cluster: its wave, and its services as one array per step; with
 * live state, what each deploy changes (from), in the same arrays. */
static json_t *
cluster_json(const struct names *nm, const struct plan_cluster *pc,
    bool state)
{
	json_t *o = json_object(), *steps = json_array(), *step = NULL;
	json_t *from = state ? json_array() : NULL, *from_step = NULL;
	size_t i;
	int n = 0;

	json_object_set(o, "name", nm->clusters[pc->cluster->index]);
	json_object_set_new(o, "wave", jstr(pc->wave->name));
	json_object_set_new(o, "steps", json_integer(pc->nsteps));
	json_object_set_new(o, "start_seconds", json_integer(pc->start));
	json_object_set_new(o, "estimate_seconds", json_integer(pc->takes));
	for (i = 0; i < pc->ndeploys; i++) {
		const struct deploy *d = pc->deploys[i];

		/* Deploys come by step, and no step up to nsteps is empty. */
		while (n < d->step) {
			step = json_array();
			json_array_append_new(steps, step);
			if (from) {
				from_step = json_array();
				json_array_append_new(from, from_step);
			}
			n++;
		}
		json_array_append(step, nm->services[d->service->index]);
		if (from)
			json_array_append_new(from_step, from_json(d));
	}
	json_object_set_new(o, "deploys", steps);
	if (from)
		json_object_set_new(o, "from", from);
	return o;
}

/* One service: what it deploys, what it needs, and where it runs. */
static json_t *
service_json(const struct names *nm, const struct service *s)
{
	json_t *o = json_object(), *needs = json_array(),
	    *clusters = json_array();
	size_t i;

	json_object_set(o, "name", nm->services[s->index]);
	json_object_set_new(o, "image", jstr(s->image));
	json_object_set_new(o, "version", jstr(s->version));
	json_object_set_new(o, "takes_seconds", json_integer(s->takes));
	for (i = 0; i < s->nneeds; i++)
		json_array_append(needs, nm->services[s->needs[i]->index]);
	json_object_set_new(o, "needs", needs);
	for (i = 0; i < s->nclusters; i++)
		json_array_append(clusters,
		    nm->clusters[s->clusters[i]->index]);
	json_object_set_new(o, "clusters", clusters);
	return o;
}

/* The longest chain of deploys, first to last. */
static json_t *
chain_json(const struct names *nm, const struct plan *p)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < p->nchain; i++) {
		const struct deploy *d = p->chain[i];
		json_t *o = json_object();

		json_object_set(o, "service", nm->services[d->service->index]);
		json_object_set(o, "cluster", nm->clusters[d->cluster->index]);
		json_array_append_new(a, o);
	}
	return a;
}

/* The critical path: deploys, soaks and approvals, in time order. */
static json_t *
critical_json(const struct names *nm, const struct plan *p)
{
	static const char *const kinds[] = { "deploy", "soak", "approve" };
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < p->ncritical; i++) {
		const struct plan_step *st = &p->critical[i];
		json_t *o = json_object();

		json_object_set_new(o, "kind", jstr(kinds[st->kind]));
		json_object_set_new(o, "wave", jstr(st->wave->wave->name));
		if (st->deploy) {
			json_object_set(o, "service",
			    nm->services[st->deploy->service->index]);
			json_object_set(o, "cluster",
			    nm->clusters[st->deploy->cluster->index]);
		} else {
			json_object_set_new(o, "service", json_null());
			json_object_set_new(o, "cluster", json_null());
		}
		json_object_set_new(o, "start_seconds",
		    json_integer(st->start));
		json_object_set_new(o, "seconds", json_integer(st->seconds));
		json_array_append_new(a, o);
	}
	return a;
}

/* Names as a JSON array. */
static json_t *
name_array(const void *const *things, size_t n, size_t off)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < n; i++) {
		const char *name;

		memcpy(&name, (const char *)things[i] + off, sizeof(name));
		json_array_append_new(a, jstr(name));
	}
	return a;
}

/* The counts of the whole rollout a selection was made from. */
static json_t *
whole_json(const struct selection_report *sel)
{
	json_t *o = json_object();

	json_object_set_new(o, "services", count(sel->whole->nservices));
	json_object_set_new(o, "clusters", count(sel->whole_clusters));
	json_object_set_new(o, "waves", count(sel->whole->nwaves));
	json_object_set_new(o, "deploys", count(sel->whole_deploys));
	return o;
}

/* What a selection kept and why (select.c's report). */
static json_t *
selection_json(const struct selection_report *sel)
{
	static const char *const why[] = { "only", "needed", "dependent" };
	static const char *const dropped[] = { "before", "empty" };
	json_t *o = json_object(), *a = json_array(), *d = json_array();
	size_t i;

	for (i = 0; i < sel->nselected; i++) {
		const struct selected *e = &sel->selected[i];
		json_t *s = json_object();

		json_object_set_new(s, "name", jstr(e->service->name));
		json_object_set_new(s, "why", jstr(why[e->why]));
		json_object_set_new(s, "via", jstr(e->via ? e->via->name :
		    NULL));
		json_object_set_new(s, "deploys", count(e->ndeploys));
		json_array_append_new(a, s);
	}
	json_object_set_new(o, "services", sel->only ? a : json_null());
	if (!sel->only)
		json_decref(a);
	json_object_set_new(o, "with_needs", json_boolean(sel->with_needs));
	json_object_set_new(o, "with_dependents",
	    json_boolean(sel->with_dependents));
	json_object_set_new(o, "from_wave", jstr(sel->from_wave ?
	    sel->from_wave->name : NULL));
	json_object_set_new(o, "clusters", sel->clusters ?
	    name_array((const void *const *)sel->clusters, sel->nclusters,
	    offsetof(struct cluster, name)) : json_null());
	for (i = 0; i < sel->ndropped; i++) {
		json_t *w = json_object();

		json_object_set_new(w, "name", jstr(sel->dropped[i].wave->name));
		json_object_set_new(w, "why", jstr(dropped[sel->dropped[i].why]));
		json_array_append_new(d, w);
	}
	json_object_set_new(o, "dropped_waves", d);
	json_object_set_new(o, "skipped_current", sel->state ?
	    count(sel->ncurrent) : json_null());
	json_object_set_new(o, "stateless_clusters", sel->state ?
	    name_array((const void *const *)sel->stateless, sel->nstateless,
	    offsetof(struct cluster, name)) : json_null());
	json_object_set_new(o, "whole", whole_json(sel));
	return o;
}

/* The whole document, its sections in the documented order. */
static json_t *
plan_json(const struct names *nm, const struct plan *p)
{
	const struct rollout *r = p->rollout;
	json_t *o = json_object(), *waves = json_array(),
	    *clusters = json_array(), *services = json_array();
	size_t i, j;

	json_object_set_new(o, "format", json_integer(1));
	json_object_set_new(o, "rollout", rollout_json(r));
	json_object_set_new(o, "summary", summary_json(p));
	for (i = 0; i < p->nwaves; i++) {
		json_array_append_new(waves, wave_json(nm, &p->waves[i]));
		for (j = 0; j < p->waves[i].nclusters; j++)
			json_array_append_new(clusters,
			    cluster_json(nm, p->waves[i].clusters[j],
			    p->selection && p->selection->state));
	}
	json_object_set_new(o, "waves", waves);
	json_object_set_new(o, "clusters", clusters);
	for (i = 0; i < r->nservices; i++)
		json_array_append_new(services,
		    service_json(nm, r->services[i]));
	json_object_set_new(o, "services", services);
	json_object_set_new(o, "chain", chain_json(nm, p));
	json_object_set_new(o, "critical_path", critical_json(nm, p));
	if (p->selection)
		json_object_set_new(o, "selection",
		    selection_json(p->selection));
	return o;
}

/* Hands jansson's output to the stream, which emit_json holds locked. */
static int
write_chunk(const char *buf, size_t n, void *out)
{
	return fwrite_unlocked(buf, 1, n, out) == n ? 0 : -1;
}

/* Writes the plan as JSON, indented by two spaces, ending in a newline. */
bool
emit_json(FILE *out, const struct plan *p, const char **why)
{
	struct names nm;
	json_t *doc;
	int rc;

	names_init(&nm, p->rollout);
	doc = plan_json(&nm, p);
	flockfile(out);
	rc = json_dump_callback(doc, write_chunk, out, JSON_INDENT(2) |
	    JSON_PRESERVE_ORDER);
	funlockfile(out);
	json_decref(doc);
	names_free(&nm, p->rollout);
	if (rc != 0 || fputc('\n', out) == EOF) {
		*why = "cannot write JSON";
		return false;
	}
	return true;
}
