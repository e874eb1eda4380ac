/*
 * select.c: the selection, between check and plan.  From the checked
 * rollout and the options (--only, --with-needs, --with-dependents,
 * --from-wave, --clusters) and the live state, it decides which deploys
 * to plan: those of the services selected, in the clusters kept, not
 * already at their version.  It then copies the model narrowed to them:
 * each service keeps the clusters where it deploys, its needs on services
 * kept; each wave keeps its clusters with deploys, and a wave left with
 * none is dropped.  plan.c plans the copy as any rollout, so a deploy left
 * out counts as done: its needs are met, and it orders nothing (plan.c
 * orders a deploy only after the deploys of its direct needs in its
 * cluster, never through another).  Every pass is linear in services,
 * needs, clusters (with the groups' lists) and deploys.
 */
#include <stdlib.h>
#include <string.h>

#include "select.h"

struct selector {
	struct arena *a;
	const struct rollout *r;
	const struct selection *sel;
	struct selection_report *rep;
	const char *why;
};

/* A name from the command line, safe to show in a message. */
static const char *
shown(struct arena *a, const char *name)
{
	char *clean = clean_text(name);
	const char *s = arena_strndup(a, clean, strlen(clean));

	free(clean);
	return s;
}

/* The name among names[0..n) nearest to name, the first among equals;
 * NULL when none is close (as the checker's suggestions: one edit for a
 * name shorter than 4, else two). */
static const char *
nearest(const char *name, const char *const *names, size_t n,
    const char *const *more, size_t nmore)
{
	int limit = strlen(name) < 4 ? 1 : 2, best = limit + 1, d;
	const char *found = NULL;
	size_t i;

	for (i = 0; i < n + nmore; i++) {
		const char *cand = i < n ? names[i] : more[i - n];

		d = edit_distance(name, cand, best - 1 < 0 ? 0 : best - 1);
		if (d < best) {
			best = d;
			found = cand;
		}
	}
	return best <= limit ? found : NULL;
}

/* Sets x->why to "unknown WHAT 'name' in OPTION", with a suggestion. */
static void
unknown(struct selector *x, const char *what, const char *name,
    const char *option, const char *const *names, size_t n,
    const char *const *more, size_t nmore)
{
	const char *near = nearest(name, names, n, more, nmore);

	x->why = arena_printf(x->a, "unknown %s '%s' in %s%s%s%s", what,
	    shown(x->a, name), option, near ? "; did you mean '" : "",
	    near ? near : "", near ? "'?" : "");
}

/* The names of args[0..n), each NAME[,NAME...], in order, into the arena;
 * NULL with x->why set when one is empty. */
static const char **
split_names(struct selector *x, const char *const *args, size_t n,
    const char *what, const char *option, size_t *count)
{
	struct vec v = { 0 };
	const char **names;
	size_t i;

	for (i = 0; i < n; i++) {
		const char *s = args[i];

		for (;;) {
			size_t len = strcspn(s, ",");

			if (len == 0) {
				x->why = arena_printf(x->a, "empty %s name in "
				    "%s '%s'", what, option,
				    shown(x->a, args[i]));
				vec_free(&v);
				return NULL;
			}
			vec_push(&v, arena_strndup(x->a, s, len));
			if (!s[len])
				break;
			s += len + 1;
		}
	}
	*count = v.n;
	names = (const char **)vec_to_arena(&v, x->a);
	return names;
}

/* The names of n things whose name is at offset off of each, for
 * nearest. */
static const char **
names_of(struct arena *a, void *const *things, size_t n, size_t off)
{
	const char **names = arena_array(a, n, sizeof(*names));
	size_t i;

	for (i = 0; i < n; i++)
		memcpy(&names[i], (const char *)things[i] + off,
		    sizeof(names[i]));
	return names;
}

#define NAMES(a, arr, n, type) \
	names_of((a), (void *const *)(arr), (n), offsetof(type, name))

/* Adds s to the report's selected list unless it is there already. */
static void
pick(struct selection_report *rep, unsigned char *chosen,
    const struct service *s, enum selected_why why,
    const struct service *via)
{
	struct selected *e;

	if (chosen[s->index])
		return;
	chosen[s->index] = 1;
	e = &rep->selected[rep->nselected++];
	e->service = s;
	e->why = why;
	e->via = via;
}

/*
 * --only's services, then, breadth first, what they need (--with-needs)
 * and what needs them (--with-dependents), each reached from the services
 * named: the closure of needs does not take dependents, nor the other
 * way.  chosen[] marks them.
 */
static bool
choose_services(struct selector *x, unsigned char *chosen)
{
	const struct rollout *r = x->r;
	const struct selection *sel = x->sel;
	struct selection_report *rep = x->rep;
	size_t nnames, i, j, n = r->nservices, named, *start, *queue;
	const char **names;
	const struct service **dependents;
	struct map by_name = { 0 };

	if (!(names = split_names(x, sel->only, sel->nonly, "service",
	    "--only", &nnames)))
		return false;
	for (i = 0; i < n; i++)
		map_put(&by_name, r->services[i]->name, r->services[i]);
	rep->selected = arena_array(x->a, n, sizeof(*rep->selected));
	for (i = 0; i < nnames; i++) {
		struct service *s = map_get(&by_name, names[i]);

		if (!s) {
			unknown(x, "service", names[i], "--only",
			    NAMES(x->a, r->services, n, struct service), n,
			    NULL, 0);
			map_free(&by_name);
			return false;
		}
		pick(rep, chosen, s, SELECTED_ONLY, NULL);
	}
	map_free(&by_name);
	named = rep->nselected;
	/* the queue of the needs' closure is the list itself */
	for (i = 0; sel->with_needs && i < rep->nselected; i++)
		for (j = 0; j < rep->selected[i].service->nneeds; j++)
			pick(rep, chosen, rep->selected[i].service->needs[j],
			    SELECTED_NEEDED, rep->selected[i].service);
	if (!sel->with_dependents)
		return true;
	/* who needs each service, by counting sort */
	start = xmalloc_array(n + 2, sizeof(*start));
	memset(start, 0, (n + 2) * sizeof(*start));
	for (i = 0; i < n; i++)
		for (j = 0; j < r->services[i]->nneeds; j++)
			start[r->services[i]->needs[j]->index + 2]++;
	for (i = 2; i < n + 2; i++)
		start[i] += start[i - 1];
	dependents = xmalloc_array(start[n + 1] + 1, sizeof(*dependents));
	for (i = 0; i < n; i++)
		for (j = 0; j < r->services[i]->nneeds; j++)
			dependents[start[r->services[i]->needs[j]->index +
			    1]++] = r->services[i];
	/* start[k] .. start[k + 1] are now k's dependents */
	queue = xmalloc_array(n + 1, sizeof(*queue));
	for (i = 0; i < named; i++)
		queue[i] = i;
	for (i = 0; i < named; i++) {
		const struct service *s = rep->selected[queue[i]].service;

		for (j = start[s->index]; j < start[s->index + 1]; j++) {
			size_t before = rep->nselected;

			pick(rep, chosen, dependents[j], SELECTED_DEPENDENT, s);
			if (rep->nselected > before)
				queue[named++] = before;
		}
	}
	free(start);
	free(dependents);
	free(queue);
	return true;
}

/* The clusters --clusters names (groups stand for theirs): in[] marks them,
 * and the report lists them in declaration order. */
static bool
choose_clusters(struct selector *x, unsigned char *in)
{
	const struct rollout *r = x->r;
	struct selection_report *rep = x->rep;
	size_t nnames, i, j, n = 0;
	const char **names;
	struct map clusters = { 0 }, groups = { 0 };
	bool ok = true;

	if (!(names = split_names(x, x->sel->clusters, x->sel->nclusters,
	    "cluster", "--clusters", &nnames)))
		return false;
	for (i = 0; i < r->nclusters; i++)
		map_put(&clusters, r->clusters[i]->name, r->clusters[i]);
	for (i = 0; i < r->ngroups; i++)
		map_put(&groups, r->groups[i]->name, r->groups[i]);
	for (i = 0; i < nnames && ok; i++) {
		struct cluster *k = map_get(&clusters, names[i]);
		struct group *g = k ? NULL : map_get(&groups, names[i]);

		if (k)
			in[k->index] = 1;
		else if (g)
			for (j = 0; j < g->nclusters; j++)
				in[g->clusters[j]->index] = 1;
		else {
			unknown(x, "cluster", names[i], "--clusters",
			    NAMES(x->a, r->clusters, r->nclusters,
			    struct cluster), r->nclusters,
			    NAMES(x->a, r->groups, r->ngroups, struct group),
			    r->ngroups);
			ok = false;
		}
	}
	map_free(&clusters);
	map_free(&groups);
	if (!ok)
		return false;
	for (i = 0; i < r->nclusters; i++)
		n += in[i];
	rep->clusters = arena_array(x->a, n, sizeof(*rep->clusters));
	for (i = 0; i < r->nclusters; i++)
		if (in[i])
			rep->clusters[rep->nclusters++] = r->clusters[i];
	return true;
}

/* --from-wave's wave, into the report. */
static bool
choose_wave(struct selector *x)
{
	const struct rollout *r = x->r;
	size_t i;

	for (i = 0; i < r->nwaves; i++)
		if (strcmp(r->waves[i]->name, x->sel->from_wave) == 0) {
			x->rep->from_wave = r->waves[i];
			return true;
		}
	if (!*x->sel->from_wave)
		x->why = "--from-wave needs a wave's name";
	else
		unknown(x, "wave", x->sel->from_wave, "--from-wave",
		    NAMES(x->a, r->waves, r->nwaves, struct wave), r->nwaves,
		    NULL, 0);
	return false;
}

/* What the deploys decided: which of each service's clusters it deploys
 * to (planned, by service, then cluster, from first[service]), and how
 * many deploys each service and cluster keeps. */
struct kept {
	unsigned char *planned;
	size_t *first;
	size_t *of_service;
	size_t *of_cluster;
	unsigned char *known;	/* by cluster: the state has it */
};

/* Decides every deploy of the whole rollout. */
static void
decide(struct selector *x, const unsigned char *chosen,
    const unsigned char *keep, struct kept *k)
{
	const struct rollout *r = x->r;
	const struct state *state = x->sel->state;
	size_t i, j, total = 0, with = 0;
	unsigned char *any = xmalloc(r->nclusters + 1);

	memset(any, 0, r->nclusters + 1);
	k->first = xmalloc_array(r->nservices + 1, sizeof(*k->first));
	for (i = 0; i < r->nservices; i++) {
		k->first[i] = total;
		total += r->services[i]->nclusters;
	}
	x->rep->whole_deploys = total;
	k->planned = xmalloc(total + 1);
	for (i = 0; i < r->nservices; i++) {
		const struct service *s = r->services[i];

		for (j = 0; j < s->nclusters; j++) {
			const struct cluster *c = s->clusters[j];
			bool p = (!chosen || chosen[i]) && keep[c->index];

			any[c->index] = 1;
			if (p && state) {
				bool known = false;
				const char *v = state_version(state, c->name,
				    s->name, &known);

				k->known[c->index] |= known;
				if (v && strcmp(v, s->version) == 0) {
					p = false;
					x->rep->ncurrent++;
				}
			}
			k->planned[k->first[i] + j] = p;
			k->of_service[i] += p;
			k->of_cluster[c->index] += p;
		}
	}
	for (i = 0; i < r->nclusters; i++)
		with += any[i];
	x->rep->whole_clusters = with;
	free(any);
}

/* The narrowed copy, from the decisions. */
static struct rollout *
narrow(struct selector *x, const struct kept *k)
{
	const struct rollout *r = x->r;
	struct selection_report *rep = x->rep;
	struct arena *a = x->a;
	struct rollout *nr = arena_alloc(a, sizeof(*nr));
	struct cluster **nk = arena_array(a, r->nclusters, sizeof(*nk));
	struct wave **nw = arena_array(a, r->nwaves, sizeof(*nw));
	struct service **ns = arena_array(a, r->nservices, sizeof(*ns));
	size_t i, j, n, from = rep->from_wave ? rep->from_wave->index : 0;

	*nr = *r;
	/* clusters with deploys left */
	for (i = 0, n = 0; i < r->nclusters; i++)
		n += k->of_cluster[i] > 0;
	nr->clusters = arena_array(a, n, sizeof(*nr->clusters));
	nr->nclusters = 0;
	for (i = 0; i < r->nclusters; i++) {
		struct cluster *c;

		if (!k->of_cluster[i])
			continue;
		c = arena_alloc(a, sizeof(*c));
		*c = *r->clusters[i];
		c->index = nr->nclusters;
		nr->clusters[nr->nclusters++] = nk[i] = c;
	}
	/* waves with clusters left; each cluster to its wave's copy */
	rep->dropped = arena_array(a, r->nwaves, sizeof(*rep->dropped));
	nr->waves = arena_array(a, r->nwaves, sizeof(*nr->waves));
	nr->nwaves = 0;
	for (i = 0; i < r->nwaves; i++) {
		const struct wave *w = r->waves[i];
		struct wave *c;

		for (j = 0, n = 0; j < w->nclusters; j++)
			n += nk[w->clusters[j]->index] != NULL;
		if (i < from || !n) {
			rep->dropped[rep->ndropped].wave = w;
			rep->dropped[rep->ndropped++].why = i < from ?
			    DROPPED_BEFORE : DROPPED_EMPTY;
			continue;
		}
		c = nw[i] = arena_alloc(a, sizeof(*c));
		*c = *w;
		c->index = nr->nwaves;
		c->clusters = arena_array(a, n, sizeof(*c->clusters));
		c->nclusters = 0;
		for (j = 0; j < w->nclusters; j++)
			if (nk[w->clusters[j]->index])
				c->clusters[c->nclusters++] =
				    nk[w->clusters[j]->index];
		nr->waves[nr->nwaves++] = c;
	}
	for (i = 0; i < nr->nclusters; i++)
		nr->clusters[i]->wave = nw[nr->clusters[i]->wave->index];
	/* services with deploys left, and their clusters */
	for (i = 0, n = 0; i < r->nservices; i++)
		n += k->of_service[i] > 0;
	nr->services = arena_array(a, n, sizeof(*nr->services));
	nr->nservices = 0;
	for (i = 0; i < r->nservices; i++) {
		const struct service *s = r->services[i];
		struct service *c;

		if (!k->of_service[i])
			continue;
		c = ns[i] = arena_alloc(a, sizeof(*c));
		*c = *s;
		c->index = nr->nservices;
		c->clusters = arena_array(a, k->of_service[i],
		    sizeof(*c->clusters));
		c->nclusters = 0;
		for (j = 0; j < s->nclusters; j++)
			if (k->planned[k->first[i] + j])
				c->clusters[c->nclusters++] =
				    nk[s->clusters[j]->index];
		nr->services[nr->nservices++] = c;
	}
	/* needs on services kept; where each was written is check.c's */
	for (i = 0; i < nr->nservices; i++) {
		struct service *c = nr->services[i];
		struct service **needs = c->needs;
		size_t nneeds = c->nneeds;

		c->needs = arena_array(a, nneeds, sizeof(*c->needs));
		c->nneeds = 0;
		c->need_words = NULL;
		for (j = 0; j < nneeds; j++)
			if (ns[needs[j]->index])
				c->needs[c->nneeds++] = ns[needs[j]->index];
	}
	/* groups, with their clusters kept */
	nr->groups = arena_array(a, r->ngroups, sizeof(*nr->groups));
	nr->ngroups = 0;
	for (i = 0; i < r->ngroups; i++) {
		const struct group *g = r->groups[i];
		struct group *c;

		for (j = 0, n = 0; j < g->nclusters; j++)
			n += nk[g->clusters[j]->index] != NULL;
		if (!n)
			continue;
		c = arena_alloc(a, sizeof(*c));
		*c = *g;
		c->clusters = arena_array(a, n, sizeof(*c->clusters));
		c->nclusters = 0;
		for (j = 0; j < g->nclusters; j++)
			if (nk[g->clusters[j]->index])
				c->clusters[c->nclusters++] =
				    nk[g->clusters[j]->index];
		nr->groups[nr->ngroups++] = c;
	}
	/* the report's counts, and the clusters the state does not know */
	for (i = 0; i < rep->nselected; i++)
		rep->selected[i].ndeploys =
		    k->of_service[rep->selected[i].service->index];
	if (rep->state) {
		rep->stateless = arena_array(a, nr->nclusters,
		    sizeof(*rep->stateless));
		for (i = 0; i < r->nclusters; i++)
			if (k->of_cluster[i] && !k->known[i])
				rep->stateless[rep->nstateless++] =
				    r->clusters[i];
	}
	return nr;
}

bool
selection_active(const struct selection *sel)
{
	return sel && (sel->nonly || sel->from_wave || sel->nclusters ||
	    sel->state);
}

struct rollout *
rollout_select(struct arena *a, const struct rollout *r,
    const struct selection *sel, struct selection_report **report,
    const char **why)
{
	struct selector x = { a, r, sel, NULL, NULL };
	struct selection_report *rep = arena_alloc(a, sizeof(*rep));
	size_t nc = r->nclusters, i;
	unsigned char *chosen = NULL, *in = NULL, *keep;
	struct kept k = { 0 };
	struct rollout *nr = NULL;

	x.rep = rep;
	rep->whole = r;
	rep->only = sel->nonly > 0;
	rep->with_needs = rep->only && sel->with_needs;
	rep->with_dependents = rep->only && sel->with_dependents;
	rep->state = sel->state != NULL;
	keep = xmalloc(nc + 1);
	if (rep->only) {
		chosen = xmalloc(r->nservices + 1);
		memset(chosen, 0, r->nservices + 1);
		if (!choose_services(&x, chosen))
			goto out;
	}
	if (sel->nclusters) {
		in = xmalloc(nc + 1);
		memset(in, 0, nc + 1);
		if (!choose_clusters(&x, in))
			goto out;
	}
	if (sel->from_wave && !choose_wave(&x))
		goto out;
	/* a cluster is kept when its wave is and --clusters names it */
	for (i = 0; i < nc; i++) {
		const struct cluster *c = r->clusters[i];

		keep[i] = c->wave && (!rep->from_wave ||
		    c->wave->index >= rep->from_wave->index) &&
		    (!in || in[i]);
	}
	k.of_service = xmalloc_array(r->nservices + 1, sizeof(size_t));
	memset(k.of_service, 0, (r->nservices + 1) * sizeof(size_t));
	k.of_cluster = xmalloc_array(nc + 1, sizeof(size_t));
	memset(k.of_cluster, 0, (nc + 1) * sizeof(size_t));
	k.known = xmalloc(nc + 1);
	memset(k.known, 0, nc + 1);
	decide(&x, chosen, keep, &k);
	nr = narrow(&x, &k);
out:
	free(chosen);
	free(in);
	free(keep);
	free(k.planned);
	free(k.first);
	free(k.of_service);
	free(k.of_cluster);
	free(k.known);
	*report = rep;
	*why = x.why;
	return nr;
}

struct plan *
select_plan(struct arena *a, struct rollout *r,
    const struct selection *sel, const char **why)
{
	struct selection_report *rep;
	struct rollout *nr;
	struct plan *p;
	size_t i;

	*why = NULL;
	if (!selection_active(sel))
		return plan_build(a, r);
	if (!(nr = rollout_select(a, r, sel, &rep, why)))
		return NULL;
	p = plan_build(a, nr);
	p->selection = rep;
	for (i = 0; sel->state && i < p->ndeploys; i++) {
		struct deploy *d = &p->deploys[i];
		bool known = false;

		d->from = state_version(sel->state, d->cluster->name,
		    d->service->name, &known);
		d->running = d->from || state_has(sel->state,
		    d->cluster->name, d->service->name);
	}
	return p;
}
