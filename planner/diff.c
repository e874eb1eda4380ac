/*
 * diff.c: planner diff, what changes from one plan to another.  It reads
 * two plans (and their checked models) and lists the changes: the
 * rollout's attributes, services, clusters and waves added or removed, the
 * order and policies of waves, clusters that moved to another wave,
 * deploys added or removed, needs inside clusters added or removed,
 * versions (downgrades flagged) and images.  Names are matched, never
 * positions, so declaration order, comments and layout are not changes.
 * The deploys of an added or removed service or cluster are counted
 * there, not listed again; the needs of an added or removed deploy
 * likewise.  Then writes them as text, Markdown (a pull-request comment)
 * or JSON (docs/diff-format.md).  Linear in deploys plus needs: hash maps
 * by name.
 */
#include <assert.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "diff.h"

/* Deploys grouped by a key (a service, or a service and a need). */
struct dgroup {
	const char *subject, *field;
	struct vec clusters;
};

struct differ {
	struct arena *a;
	const struct plan *op, *np;
	struct map osvc, nsvc, oclu, nclu, owave, nwave;
	struct map odeploy, ndeploy;	/* "svc@cluster" */
	struct map oneed, nneed;	/* "svc@cluster>need" */
	struct vec changes;		/* struct change *, in order found */
};

static struct change *
add(struct differ *df, enum change_kind kind, const char *subject)
{
	struct change *c = arena_alloc(df->a, sizeof(*c));

	memset(c, 0, sizeof(*c));
	c->kind = kind;
	c->subject = subject;
	vec_push(&df->changes, c);
	return c;
}

static const char *
deploy_key(struct arena *a, const struct deploy *d)
{
	return arena_printf(a, "%s@%s", d->service->name, d->cluster->name);
}

static void
index_plan(struct differ *df, const struct plan *p, struct map *svc,
    struct map *clu, struct map *wave, struct map *dep, struct map *need)
{
	const struct rollout *r = p->rollout;
	size_t i, j;

	for (i = 0; i < r->nservices; i++)
		map_put(svc, r->services[i]->name, r->services[i]);
	for (i = 0; i < p->nclusters; i++)
		map_put(clu, p->clusters[i].cluster->name, &p->clusters[i]);
	for (i = 0; i < r->nwaves; i++)
		map_put(wave, r->waves[i]->name, r->waves[i]);
	for (i = 0; i < p->ndeploys; i++) {
		const struct deploy *d = &p->deploys[i];
		const char *k = deploy_key(df->a, d);

		map_put(dep, k, (void *)d);
		for (j = 0; j < d->nneeds; j++)
			map_put(need, arena_printf(df->a, "%s>%s", k,
			    d->needs[j]->service->name), (void *)d);
	}
}

/* A rollout attribute that changed (NULL: not given). */
static void
attr(struct differ *df, const char *name, const char *o, const char *n)
{
	struct change *c;

	if ((!o && !n) || (o && n && strcmp(o, n) == 0))
		return;
	c = add(df, CH_ROLLOUT, name);
	c->old = o;
	c->new = n;
	c->downgrade = strcmp(name, "version") == 0 && o && n &&
	    diff_version_cmp(n, o) == -1;
}

static const char *
seconds_text(struct arena *a, long s)
{
	return s ? go_duration(a, s) : NULL;
}

static void
compare_rollout(struct differ *df)
{
	const struct rollout *o = df->op->rollout, *n = df->np->rollout;

	attr(df, "name", o->name, n->name);
	attr(df, "version", o->version, n->version);
	attr(df, "registry", o->registry, n->registry);
	attr(df, "namespace", o->namespace, n->namespace);
	attr(df, "notify", o->notify, n->notify);
	attr(df, "deploy-template", o->deploy_template, n->deploy_template);
	attr(df, "deploy-timeout", seconds_text(df->a, o->deploy_timeout),
	    seconds_text(df->a, n->deploy_timeout));
	attr(df, "service-account", o->service_account, n->service_account);
}

/* Services and clusters of 'from' that the other plan has not: added
 * (from is the new plan) or removed. */
static void
compare_names(struct differ *df, const struct plan *from, struct map *to_svc,
    struct map *to_clu, bool added)
{
	const struct rollout *r = from->rollout;
	size_t i;

	for (i = 0; i < r->nservices; i++)
		if (!map_get(to_svc, r->services[i]->name))
			add(df, added ? CH_SERVICE_ADDED : CH_SERVICE_REMOVED,
			    r->services[i]->name)->count =
			    r->services[i]->nclusters;
	for (i = 0; i < from->nclusters; i++) {
		const struct plan_cluster *pc = &from->clusters[i];
		struct change *c;

		if (map_get(to_clu, pc->cluster->name))
			continue;
		c = add(df, added ? CH_CLUSTER_ADDED : CH_CLUSTER_REMOVED,
		    pc->cluster->name);
		c->wave = pc->wave->name;
		c->count = pc->ndeploys;
	}
}

static const char *
parallel_text(struct arena *a, long n)
{
	return n ? arena_printf(a, "%ld", n) : "all";
}

static void
policy(struct differ *df, const struct wave *w, const char *field,
    const char *o, const char *n)
{
	struct change *c;

	if (strcmp(o, n) == 0)
		return;
	c = add(df, CH_WAVE_POLICY, w->name);
	c->field = field;
	c->old = o;
	c->new = n;
}

static void
compare_waves(struct differ *df)
{
	const struct rollout *o = df->op->rollout, *n = df->np->rollout;
	struct buf ob = { 0 }, nb = { 0 };
	size_t i;

	for (i = 0; i < n->nwaves; i++)
		if (!map_get(&df->owave, n->waves[i]->name))
			add(df, CH_WAVE_ADDED, n->waves[i]->name);
	for (i = 0; i < o->nwaves; i++)
		if (!map_get(&df->nwave, o->waves[i]->name))
			add(df, CH_WAVE_REMOVED, o->waves[i]->name);
	/* the order of the waves both have */
	for (i = 0; i < o->nwaves; i++)
		if (map_get(&df->nwave, o->waves[i]->name))
			buf_printf(&ob, "%s%s", ob.len ? ", " : "",
			    o->waves[i]->name);
	for (i = 0; i < n->nwaves; i++)
		if (map_get(&df->owave, n->waves[i]->name))
			buf_printf(&nb, "%s%s", nb.len ? ", " : "",
			    n->waves[i]->name);
	if (ob.len != nb.len || (ob.len && memcmp(ob.data, nb.data,
	    ob.len) != 0)) {
		struct change *c = add(df, CH_WAVE_ORDER, NULL);

		c->old = arena_strndup(df->a, ob.data, ob.len);
		c->new = arena_strndup(df->a, nb.data, nb.len);
	}
	buf_free(&ob);
	buf_free(&nb);
	for (i = 0; i < n->nwaves; i++) {
		const struct wave *nw = n->waves[i];
		const struct wave *ow = map_get(&df->owave, nw->name);

		if (!ow)
			continue;
		policy(df, nw, "parallel", parallel_text(df->a, ow->parallel),
		    parallel_text(df->a, nw->parallel));
		policy(df, nw, "soak", ow->soak ? go_duration(df->a, ow->soak) :
		    "none", nw->soak ? go_duration(df->a, nw->soak) : "none");
		policy(df, nw, "approve", ow->approve ? "yes" : "no",
		    nw->approve ? "yes" : "no");
		policy(df, nw, "on-failure", policy_words[ow->on_failure],
		    policy_words[nw->on_failure]);
	}
}

static void
compare_clusters(struct differ *df)
{
	size_t i;

	for (i = 0; i < df->np->nclusters; i++) {
		const struct plan_cluster *pc = &df->np->clusters[i];
		const struct plan_cluster *oc = map_get(&df->oclu,
		    pc->cluster->name);
		struct change *c;

		if (!oc || strcmp(oc->wave->name, pc->wave->name) == 0)
			continue;
		c = add(df, CH_CLUSTER_MOVED, pc->cluster->name);
		c->old = oc->wave->name;
		c->new = pc->wave->name;
	}
}

/* The group of subject (and field), made when new. */
static struct dgroup *
group_of(struct differ *df, struct map *index, struct vec *groups,
    const char *subject, const char *field)
{
	const char *key = field ? arena_printf(df->a, "%s>%s", subject,
	    field) : subject;
	struct dgroup *g = map_get(index, key);

	if (!g) {
		g = arena_alloc(df->a, sizeof(*g));
		memset(g, 0, sizeof(*g));
		g->subject = subject;
		g->field = field;
		map_put(index, key, g);
		vec_push(groups, g);
	}
	return g;
}

static void
flush_groups(struct differ *df, struct vec *groups, enum change_kind kind)
{
	size_t i;

	for (i = 0; i < groups->n; i++) {
		struct dgroup *g = groups->items[i];
		struct change *c = add(df, kind, g->subject);

		c->field = g->field;
		c->nclusters = g->clusters.n;
		c->clusters = (const char **)vec_to_arena(&g->clusters, df->a);
	}
	vec_free(groups);
}

/*
 * The deploys of p that the other plan has not, when it has their service
 * and cluster (dep_other); and the needs of p's deploys that the other
 * plan has too, missing there (need_other).  Grouped by service (and
 * need), the clusters in plan order.
 */
static void
compare_deploys(struct differ *df, const struct plan *p, struct map *svc,
    struct map *clu, struct map *dep_other, struct map *need_other,
    bool added)
{
	struct map dindex = { 0 }, nindex = { 0 };
	struct vec dgroups = { 0 }, ngroups = { 0 };
	size_t i, j;

	for (i = 0; i < p->ndeploys; i++) {
		const struct deploy *d = &p->deploys[i];
		const char *k;

		if (!map_get(svc, d->service->name) ||
		    !map_get(clu, d->cluster->name))
			continue;
		k = deploy_key(df->a, d);
		if (!map_get(dep_other, k)) {
			vec_push(&group_of(df, &dindex, &dgroups,
			    d->service->name, NULL)->clusters,
			    (void *)d->cluster->name);
			continue;
		}
		for (j = 0; j < d->nneeds; j++) {
			const char *need = d->needs[j]->service->name;

			if (map_get(need_other, arena_printf(df->a, "%s>%s", k,
			    need)))
				continue;
			vec_push(&group_of(df, &nindex, &ngroups,
			    d->service->name, need)->clusters,
			    (void *)d->cluster->name);
		}
	}
	flush_groups(df, &dgroups, added ? CH_DEPLOYS_ADDED :
	    CH_DEPLOYS_REMOVED);
	flush_groups(df, &ngroups, added ? CH_NEED_ADDED : CH_NEED_REMOVED);
	map_free(&dindex);
	map_free(&nindex);
}

int
diff_version_cmp(const char *a, const char *b)
{
	while (*a || *b) {
		char *ea, *eb;
		unsigned long long x, y;

		if (!isdigit((unsigned char)*a) || !isdigit((unsigned char)*b))
			return 2;
		x = strtoull(a, &ea, 10);
		y = strtoull(b, &eb, 10);
		if ((*ea && *ea != '.') || (*eb && *eb != '.'))
			return 2;
		if (x != y)
			return x < y ? -1 : 1;
		a = *ea ? ea + 1 : ea;
		b = *eb ? eb + 1 : eb;
		if (*ea && !*a)
			return 2;	/* "1." */
		if (*eb && !*b)
			return 2;
		/* "1.2" and "1.2.0" are the same version */
		if (!*a && *b)
			a = "0";
		else if (*a && !*b)
			b = "0";
	}
	return 0;
}

/* Whether s's image is the rollout's registry and its name. */
static bool
follows_registry(const struct service *s, const struct rollout *r)
{
	size_t n = strlen(r->registry);

	return strncmp(s->image, r->registry, n) == 0 && s->image[n] == '/' &&
	    strcmp(s->image + n + 1, s->name) == 0;
}

/* Versions and images of the services both plans have.  A service that
 * follows the rollout's version on both sides is not listed: the
 * rollout's version change counts it; its registry likewise. */
static void
compare_services(struct differ *df, struct change *version,
    struct change *registry)
{
	const struct rollout *r = df->np->rollout, *o = df->op->rollout;
	size_t i;

	for (i = 0; i < r->nservices; i++) {
		const struct service *s = r->services[i];
		const struct service *os = map_get(&df->osvc, s->name);
		struct change *c;

		if (!os)
			continue;
		if (version && o->version && r->version &&
		    strcmp(os->version, o->version) == 0 &&
		    strcmp(s->version, r->version) == 0)
			version->count++;
		else if (strcmp(os->version, s->version) != 0) {
			c = add(df, CH_VERSION, s->name);
			c->old = os->version;
			c->new = s->version;
			c->downgrade = diff_version_cmp(s->version,
			    os->version) == -1;
		}
		if (registry && o->registry && r->registry &&
		    follows_registry(os, o) && follows_registry(s, r))
			registry->count++;
		else if (strcmp(os->image, s->image) != 0) {
			c = add(df, CH_IMAGE, s->name);
			c->old = os->image;
			c->new = s->image;
		}
	}
}

/* The estimate of the release and of each wave both plans have. */
static void
compare_estimates(struct differ *df)
{
	const struct plan *o = df->op, *n = df->np;
	struct map owaves = { 0 };
	struct change *c;
	size_t i;

	if (o->estimate != n->estimate) {
		c = add(df, CH_ESTIMATE, NULL);
		c->old = go_duration(df->a, o->estimate);
		c->new = go_duration(df->a, n->estimate);
		c->old_seconds = o->estimate;
		c->new_seconds = n->estimate;
		c->downgrade = n->estimate < o->estimate;
		c->count = (size_t)labs(n->estimate - o->estimate);
		c->field = arena_printf(df->a, "%s%s", c->downgrade ? "-" :
		    "+", go_duration(df->a, (long)c->count));
	}
	for (i = 0; i < o->nwaves; i++)
		map_put(&owaves, o->waves[i].wave->name, &o->waves[i]);
	for (i = 0; i < n->nwaves; i++) {
		const struct plan_wave *nw = &n->waves[i];
		const struct plan_wave *ow = map_get(&owaves, nw->wave->name);

		if (!ow || ow->estimate == nw->estimate)
			continue;
		c = add(df, CH_ESTIMATE, nw->wave->name);
		c->old = go_duration(df->a, ow->estimate);
		c->new = go_duration(df->a, nw->estimate);
		c->old_seconds = ow->estimate;
		c->new_seconds = nw->estimate;
		c->downgrade = nw->estimate < ow->estimate;
		c->count = (size_t)labs(nw->estimate - ow->estimate);
		c->field = arena_printf(df->a, "%s%s", c->downgrade ? "-" :
		    "+", go_duration(df->a, (long)c->count));
	}
	map_free(&owaves);
}

/* A critical path as "auth@us-a, soak canary (15m), approve canary". */
static const char *
critical_text(struct arena *a, const struct plan *p)
{
	struct buf b = { 0 };
	const char *s;
	size_t i;

	for (i = 0; i < p->ncritical; i++) {
		const struct plan_step *st = &p->critical[i];

		if (i)
			buf_puts(&b, ", ");
		switch (st->kind) {
		case PLAN_STEP_DEPLOY:
			buf_printf(&b, "%s@%s", st->deploy->service->name,
			    st->deploy->cluster->name);
			break;
		case PLAN_STEP_SOAK:
			buf_printf(&b, "soak %s (%s)", st->wave->wave->name,
			    go_duration(a, st->seconds));
			break;
		case PLAN_STEP_APPROVE:
			buf_printf(&b, "approve %s", st->wave->wave->name);
			break;
		}
	}
	s = arena_strndup(a, b.len ? b.data : "", b.len);
	buf_free(&b);
	return s;
}

static void
compare_critical(struct differ *df)
{
	const char *o = critical_text(df->a, df->op);
	const char *n = critical_text(df->a, df->np);
	struct change *c;

	if (strcmp(o, n) == 0)
		return;
	c = add(df, CH_CRITICAL, NULL);
	c->old = o;
	c->new = n;
}

struct plan_diff *
diff_plans(struct arena *a, const struct diff_side *old,
    const struct diff_side *new)
{
	struct differ df = { 0 };
	struct change *version = NULL, *registry = NULL;
	struct plan_diff *d = arena_alloc(a, sizeof(*d));
	size_t i, n = 0, start[NCHANGE_KINDS + 1] = { 0 };

	df.a = a;
	df.op = old->plan;
	df.np = new->plan;
	index_plan(&df, df.op, &df.osvc, &df.oclu, &df.owave, &df.odeploy,
	    &df.oneed);
	index_plan(&df, df.np, &df.nsvc, &df.nclu, &df.nwave, &df.ndeploy,
	    &df.nneed);
	compare_rollout(&df);
	/* the rollout's version and registry changes, if any */
	for (i = 0; i < df.changes.n; i++) {
		struct change *c = df.changes.items[i];

		if (strcmp(c->subject, "version") == 0)
			version = c;
		else if (strcmp(c->subject, "registry") == 0)
			registry = c;
	}
	compare_names(&df, df.np, &df.osvc, &df.oclu, true);
	compare_names(&df, df.op, &df.nsvc, &df.nclu, false);
	compare_waves(&df);
	compare_clusters(&df);
	compare_deploys(&df, df.np, &df.osvc, &df.oclu, &df.odeploy,
	    &df.oneed, true);
	compare_deploys(&df, df.op, &df.nsvc, &df.nclu, &df.ndeploy,
	    &df.nneed, false);
	compare_services(&df, version, registry);
	compare_estimates(&df);
	compare_critical(&df);
	d->old = *old;
	d->new = *new;
	d->nchanges = df.changes.n;
	d->changes = arena_array(a, df.changes.n + 1, sizeof(*d->changes));
	/* by kind, in the order found within one: a counting sort */
	for (i = 0; i < df.changes.n; i++)
		start[((struct change *)df.changes.items[i])->kind + 1]++;
	for (i = 1; i <= NCHANGE_KINDS; i++)
		start[i] += start[i - 1];
	for (i = 0; i < df.changes.n; i++) {
		const struct change *c = df.changes.items[i];

		d->changes[start[c->kind]++] = *c;
		n++;
	}
	assert(n == d->nchanges);
	vec_free(&df.changes);
	map_free(&df.osvc);
	map_free(&df.nsvc);
	map_free(&df.oclu);
	map_free(&df.nclu);
	map_free(&df.owave);
	map_free(&df.nwave);
	map_free(&df.odeploy);
	map_free(&df.ndeploy);
	map_free(&df.oneed);
	map_free(&df.nneed);
	return d;
}

/* Writing */

static const char *const kind_titles[NCHANGE_KINDS] = {
	[CH_ROLLOUT] = "Rollout",
	[CH_SERVICE_ADDED] = "Services added",
	[CH_SERVICE_REMOVED] = "Services removed",
	[CH_CLUSTER_ADDED] = "Clusters added",
	[CH_CLUSTER_REMOVED] = "Clusters removed",
	[CH_WAVE_ADDED] = "Waves added",
	[CH_WAVE_REMOVED] = "Waves removed",
	[CH_WAVE_ORDER] = "Wave order",
	[CH_WAVE_POLICY] = "Wave policies",
	[CH_CLUSTER_MOVED] = "Clusters moved to another wave",
	[CH_DEPLOYS_ADDED] = "Deploys added",
	[CH_DEPLOYS_REMOVED] = "Deploys removed",
	[CH_NEED_ADDED] = "Needs added",
	[CH_NEED_REMOVED] = "Needs removed",
	[CH_VERSION] = "Versions",
	[CH_IMAGE] = "Images",
	[CH_ESTIMATE] = "Estimated duration",
	[CH_CRITICAL] = "Critical path",
};

/* The kinds of the JSON, docs/diff-format.md. */
static const char *const kind_names[NCHANGE_KINDS] = {
	[CH_ROLLOUT] = "rollout",
	[CH_SERVICE_ADDED] = "service-added",
	[CH_SERVICE_REMOVED] = "service-removed",
	[CH_CLUSTER_ADDED] = "cluster-added",
	[CH_CLUSTER_REMOVED] = "cluster-removed",
	[CH_WAVE_ADDED] = "wave-added",
	[CH_WAVE_REMOVED] = "wave-removed",
	[CH_WAVE_ORDER] = "wave-order",
	[CH_WAVE_POLICY] = "wave-policy",
	[CH_CLUSTER_MOVED] = "cluster-moved",
	[CH_DEPLOYS_ADDED] = "deploys-added",
	[CH_DEPLOYS_REMOVED] = "deploys-removed",
	[CH_NEED_ADDED] = "need-added",
	[CH_NEED_REMOVED] = "need-removed",
	[CH_VERSION] = "version",
	[CH_IMAGE] = "image",
	[CH_ESTIMATE] = "estimate",
	[CH_CRITICAL] = "critical-path",
};

/* A name or value; in Markdown a code span, so nothing in it is markup
 * (the checker allows no backquote in names and strings of a plan that
 * could reach here: names are DNS labels). */
static void
name(FILE *out, const char *s, bool md)
{
	if (md)
		fputc('`', out);
	fputs_clean(s, out);
	if (md)
		fputc('`', out);
}

/* At most six clusters; more as "a, b, c, d, e and 7 more". */
static void
cluster_list(FILE *out, const struct change *c, bool md)
{
	size_t i, shown = c->nclusters > 6 ? 5 : c->nclusters;

	for (i = 0; i < shown; i++) {
		fputs(i ? ", " : "", out);
		name(out, c->clusters[i], md);
	}
	if (shown < c->nclusters)
		fprintf(out, " and %zu more", c->nclusters - shown);
}

static void
from_to(FILE *out, const char *o, const char *n, bool md)
{
	if (o)
		name(out, o, md);
	else
		fputs("(none)", out);
	fputs(md ? " → " : " -> ", out);
	if (n)
		name(out, n, md);
	else
		fputs("(none)", out);
}

static void
write_change(FILE *out, const struct change *c, bool md)
{
	switch (c->kind) {
	case CH_ROLLOUT:
		fprintf(out, "%s ", c->subject);
		from_to(out, c->old, c->new, md);
		if (c->downgrade)
			fputs(md ? " **downgrade**" : " (downgrade)", out);
		if (c->count)
			fprintf(out, ", for the %zu service%s that follow%s it",
			    c->count, c->count == 1 ? "" : "s",
			    c->count == 1 ? "s" : "");
		break;
	case CH_SERVICE_ADDED:
	case CH_SERVICE_REMOVED:
		name(out, c->subject, md);
		fprintf(out, " (%s %zu cluster%s)", c->kind ==
		    CH_SERVICE_ADDED ? "in" : "was in", c->count,
		    c->count == 1 ? "" : "s");
		break;
	case CH_CLUSTER_ADDED:
	case CH_CLUSTER_REMOVED:
		name(out, c->subject, md);
		fputs(" (wave ", out);
		name(out, c->wave, md);
		fprintf(out, ", %zu deploy%s)", c->count,
		    c->count == 1 ? "" : "s");
		break;
	case CH_WAVE_ADDED:
	case CH_WAVE_REMOVED:
		name(out, c->subject, md);
		break;
	case CH_WAVE_ORDER:
		from_to(out, c->old, c->new, false);
		break;
	case CH_WAVE_POLICY:
		name(out, c->subject, md);
		fprintf(out, ": %s ", c->field);
		from_to(out, c->old, c->new, md);
		break;
	case CH_CLUSTER_MOVED:
		name(out, c->subject, md);
		fputs(": wave ", out);
		from_to(out, c->old, c->new, md);
		break;
	case CH_DEPLOYS_ADDED:
	case CH_DEPLOYS_REMOVED:
		name(out, c->subject, md);
		fputs(" in ", out);
		cluster_list(out, c, md);
		break;
	case CH_NEED_ADDED:
	case CH_NEED_REMOVED:
		name(out, c->subject, md);
		fputs(" needs ", out);
		name(out, c->field, md);
		fputs(" in ", out);
		cluster_list(out, c, md);
		break;
	case CH_ESTIMATE:
		if (c->subject) {
			fputs("wave ", out);
			name(out, c->subject, md);
		} else {
			fputs(md ? "**the release**" : "the release", out);
		}
		fputs(": ", out);
		from_to(out, c->old, c->new, md);
		fprintf(out, " (%s)", c->field);
		break;
	case CH_CRITICAL:
		fputs("was: ", out);
		fputs_clean(c->old, out);
		fputs(md ? "\n- now: " : "\n  now: ", out);
		fputs_clean(c->new, out);
		break;
	case CH_VERSION:
	case CH_IMAGE:
		name(out, c->subject, md);
		fputc(' ', out);
		from_to(out, c->old, c->new, md);
		if (c->downgrade)
			fputs(md ? " **downgrade**" : " (downgrade)", out);
		break;
	}
}

static void
side_summary(FILE *out, const struct diff_side *s, bool md)
{
	const struct plan *p = s->plan;

	name(out, s->label, md);
	fprintf(out, ": %zu wave%s, %zu cluster%s, %zu deploy%s",
	    p->rollout->nwaves, p->rollout->nwaves == 1 ? "" : "s",
	    p->nclusters, p->nclusters == 1 ? "" : "s",
	    p->ndeploys, p->ndeploys == 1 ? "" : "s");
}

void
diff_write_text(FILE *out, const struct plan_diff *d, enum diff_format fmt)
{
	bool md = fmt == DIFF_MARKDOWN;
	size_t i;
	int kind = -1;

	fputs(md ? "### Plan diff: " : "plan diff: ", out);
	name(out, d->new.plan->rollout->name, md);
	fputs(md ? "\n\n- old " : "\n  old ", out);
	side_summary(out, &d->old, md);
	fputs(md ? "\n- new " : "\n  new ", out);
	side_summary(out, &d->new, md);
	fputc('\n', out);
	if (!d->nchanges) {
		fputs(md ? "\nThe plans are the same.\n" :
		    "\nthe plans are the same\n", out);
		return;
	}
	for (i = 0; i < d->nchanges; i++) {
		const struct change *c = &d->changes[i];

		if ((int)c->kind != kind) {
			kind = (int)c->kind;
			fprintf(out, md ? "\n**%s**\n\n" : "\n%s:\n",
			    kind_titles[kind]);
		}
		fputs(md ? "- " : "  ", out);
		write_change(out, c, md);
		fputc('\n', out);
	}
}

static json_t *
jstr(const char *s)
{
	json_t *j = s ? json_string(s) : NULL;

	return j ? j : json_null();
}

static json_t *
side_json(const struct diff_side *s)
{
	const struct plan *p = s->plan;

	return json_pack("{s:o, s:o, s:I, s:I, s:I}", "label", jstr(s->label),
	    "rollout", jstr(p->rollout->name),
	    "waves", (json_int_t)p->rollout->nwaves,
	    "clusters", (json_int_t)p->nclusters,
	    "deploys", (json_int_t)p->ndeploys);
}

/* The list "a, b, c" as an array. */
static json_t *
split_list(const char *s)
{
	json_t *arr = json_array();

	while (*s) {
		size_t n = strcspn(s, ",");

		json_array_append_new(arr, json_stringn(s, n));
		s += n;
		if (*s)
			s += 2;
	}
	return arr;
}

static json_t *
change_json(const struct change *c)
{
	json_t *o = json_object();
	size_t i;

	json_object_set_new(o, "kind", json_string(kind_names[c->kind]));
	switch (c->kind) {
	case CH_ROLLOUT:
		json_object_set_new(o, "attribute", jstr(c->subject));
		break;
	case CH_CLUSTER_ADDED: case CH_CLUSTER_REMOVED:
	case CH_CLUSTER_MOVED:
		json_object_set_new(o, "cluster", jstr(c->subject));
		break;
	case CH_WAVE_ADDED: case CH_WAVE_REMOVED: case CH_WAVE_POLICY:
		json_object_set_new(o, "wave", jstr(c->subject));
		break;
	case CH_WAVE_ORDER:
	case CH_CRITICAL:
		break;
	case CH_ESTIMATE:
		json_object_set_new(o, "wave", jstr(c->subject));
		break;
	default:
		json_object_set_new(o, "service", jstr(c->subject));
		break;
	}
	if (c->kind == CH_WAVE_POLICY)
		json_object_set_new(o, "policy", jstr(c->field));
	if (c->kind == CH_NEED_ADDED || c->kind == CH_NEED_REMOVED)
		json_object_set_new(o, "needs", jstr(c->field));
	if (c->kind == CH_CLUSTER_ADDED || c->kind == CH_CLUSTER_REMOVED) {
		json_object_set_new(o, "wave", jstr(c->wave));
		json_object_set_new(o, "deploys",
		    json_integer((json_int_t)c->count));
	}
	if (c->kind == CH_SERVICE_ADDED || c->kind == CH_SERVICE_REMOVED)
		json_object_set_new(o, "in_clusters",
		    json_integer((json_int_t)c->count));
	if (c->kind == CH_WAVE_ORDER || c->kind == CH_CRITICAL) {
		json_object_set_new(o, "old", split_list(c->old));
		json_object_set_new(o, "new", split_list(c->new));
	} else if (c->kind == CH_ESTIMATE) {
		json_object_set_new(o, "old_seconds",
		    json_integer((json_int_t)c->old_seconds));
		json_object_set_new(o, "new_seconds",
		    json_integer((json_int_t)c->new_seconds));
	} else if (c->kind == CH_ROLLOUT || c->kind == CH_WAVE_POLICY ||
	    c->kind == CH_CLUSTER_MOVED || c->kind == CH_VERSION ||
	    c->kind == CH_IMAGE) {
		json_object_set_new(o, "old", jstr(c->old));
		json_object_set_new(o, "new", jstr(c->new));
	}
	if (c->kind == CH_VERSION || (c->kind == CH_ROLLOUT &&
	    strcmp(c->subject, "version") == 0))
		json_object_set_new(o, "downgrade", json_boolean(c->downgrade));
	if (c->kind == CH_ROLLOUT && (strcmp(c->subject, "version") == 0 ||
	    strcmp(c->subject, "registry") == 0))
		json_object_set_new(o, "services_following",
		    json_integer((json_int_t)c->count));
	if (c->clusters) {
		json_t *arr = json_array();

		for (i = 0; i < c->nclusters; i++)
			json_array_append_new(arr, jstr(c->clusters[i]));
		json_object_set_new(o, "clusters", arr);
	}
	return o;
}

bool
diff_write_json(FILE *out, const struct plan_diff *d, const char **why)
{
	json_t *doc, *changes = json_array();
	size_t i;
	int rc;

	for (i = 0; i < d->nchanges; i++)
		json_array_append_new(changes, change_json(&d->changes[i]));
	doc = json_pack("{s:i, s:b, s:o, s:o, s:o}", "format", 1,
	    "equal", d->nchanges == 0, "old", side_json(&d->old),
	    "new", side_json(&d->new), "changes", changes);
	if (!doc) {
		*why = "out of memory";
		return false;
	}
	rc = json_dumpf(doc, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(doc);
	if (rc != 0 || fputc('\n', out) == EOF) {
		*why = "cannot write the JSON diff";
		return false;
	}
	return true;
}
