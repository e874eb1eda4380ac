/*
 * drift.c: what runs now (the state) against what the rollout says should
 * run (the checked model), without planning.  Four findings per service:
 * a version other than the rollout's target in a cluster, a version not
 * known (digest-pinned), missing from a cluster the rollout places it in,
 * running in a cluster where the rollout does not place it; and one per
 * group: the service's versions differ between the group's clusters ("eu
 * is out of sync").  Only services the rollout declares are checked; the
 * other names of the state (coredns and the like) are counted.
 *
 * The readable report (drift_write_text) folds what reads alike: the
 * findings of one service in several clusters become one line, and
 * services with the same line become one line that names them, so a
 * cluster left behind by a whole train is one line, not a hundred.  The
 * JSON report (drift_write_json, docs/drift-format.md) lists every
 * finding on its own.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "state.h"

/* Names a folded line lists before "and N more". */
#define DRIFT_NAMES_SHOWN 8

/* A finding while they are gathered, with the position of its group. */
struct found {
	struct drift_finding f;
	size_t group_pos;
};

struct finder {
	struct arena *a;
	const struct rollout *r;
	const struct state *s;
	struct found *found;
	size_t n, cap;
	const struct group **home;	/* by cluster index */
	size_t *home_pos;
};

size_t
drift_clusters(struct arena *a, const struct rollout *r, const char ***names)
{
	bool *placed = xmalloc_array(r->nclusters + 1, sizeof(*placed));
	size_t i, j, n = 0;

	memset(placed, 0, (r->nclusters + 1) * sizeof(*placed));
	for (i = 0; i < r->nservices; i++)
		for (j = 0; j < r->services[i]->nclusters; j++)
			placed[r->services[i]->clusters[j]->index] = true;
	*names = arena_array(a, r->nclusters, sizeof(**names));
	for (i = 0; i < r->nclusters; i++)
		if (placed[r->clusters[i]->index])
			(*names)[n++] = r->clusters[i]->name;
	free(placed);
	return n;
}

static struct drift_finding *
add(struct finder *fi, enum drift_kind kind, const struct group *g,
    size_t group_pos, const struct service *svc, const struct cluster *c)
{
	struct found *x;

	if (fi->n == fi->cap) {
		fi->cap = fi->cap ? fi->cap * 2 : 64;
		fi->found = xrealloc_array(fi->found, fi->cap,
		    sizeof(*fi->found));
	}
	x = &fi->found[fi->n++];
	memset(x, 0, sizeof(*x));
	x->f.kind = kind;
	x->f.group = g;
	x->f.service = svc;
	x->f.cluster = c;
	x->group_pos = group_pos;
	return &x->f;
}

/* The service's finding in one cluster, if any. */
static void
check_deploy(struct finder *fi, struct drift *d, const struct service *svc,
    const struct cluster *c, bool placed)
{
	const char *v = state_version(fi->s, c->name, svc->name, NULL);
	const struct group *g = fi->home[c->index];
	size_t gp = fi->home_pos[c->index];
	struct drift_finding *f = NULL;

	if (!state_has(fi->s, c->name, svc->name)) {
		if (placed)
			f = add(fi, DRIFT_MISSING, g, gp, svc, c);
	} else if (!placed) {
		f = add(fi, DRIFT_UNPLACED, g, gp, svc, c);
	} else if (!v) {
		f = add(fi, DRIFT_UNKNOWN_VERSION, g, gp, svc, c);
	} else if (strcmp(v, svc->version) != 0) {
		f = add(fi, DRIFT_OTHER_VERSION, g, gp, svc, c);
	}
	if (f) {
		f->version = v;
		d->counts[f->kind]++;
	}
}

/* Each cluster checked: its placed services, then the other names its
 * state lists.  The services placed in each cluster come from one pass
 * over the services (a counting sort by cluster). */
static void
check_clusters(struct finder *fi, struct drift *d, const char *const *names,
    size_t nnames)
{
	const struct rollout *r = fi->r;
	size_t *stamp = xmalloc_array(r->nservices + 1, sizeof(*stamp));
	size_t *first = xmalloc_array(r->nclusters + 2, sizeof(*first));
	const struct service **placed;
	struct map by_name = { 0 }, clusters = { 0 };
	size_t i, j, k, ndeploys = 0;

	memset(first, 0, (r->nclusters + 2) * sizeof(*first));
	for (i = 0; i < r->nservices; i++) {
		const struct service *svc = r->services[i];

		stamp[svc->index] = (size_t)-1;
		map_put(&by_name, svc->name, r->services[i]);
		for (j = 0; j < svc->nclusters; j++)
			first[svc->clusters[j]->index + 2]++;
		ndeploys += svc->nclusters;
	}
	for (i = 2; i < r->nclusters + 2; i++)
		first[i] += first[i - 1];
	placed = xmalloc_array(ndeploys + 1, sizeof(*placed));
	for (i = 0; i < r->nservices; i++)
		for (j = 0; j < r->services[i]->nclusters; j++)
			placed[first[r->services[i]->clusters[j]->index +
			    1]++] = r->services[i];
	for (i = 0; i < r->nclusters; i++)
		map_put(&clusters, r->clusters[i]->name, r->clusters[i]);
	d->undeclared = arena_array(fi->a, r->nclusters + 1,
	    sizeof(*d->undeclared));
	for (k = 0; k < nnames; k++) {
		const struct cluster *c = map_get(&clusters, names[k]);
		const char **listed;
		size_t n;

		d->nclusters++;
		/* first[c + 1] now ends c's services, first[c] starts them */
		for (i = first[c->index]; i < first[c->index + 1]; i++) {
			stamp[placed[i]->index] = c->index;
			d->ndeploys++;
			check_deploy(fi, d, placed[i], c, true);
		}
		n = state_services(fi->s, c->name, &listed);
		for (i = 0; i < n; i++) {
			const struct service *svc = map_get(&by_name,
			    listed[i]);

			if (!svc) {
				d->undeclared[c->index]++;
				d->nundeclared++;
			} else if (stamp[svc->index] != c->index) {
				check_deploy(fi, d, svc, c, false);
			}
		}
	}
	map_free(&by_name);
	map_free(&clusters);
	free(placed);
	free(first);
	free(stamp);
}

/* A service whose known versions differ between the clusters of g. */
static void
check_group(struct finder *fi, struct drift *d, const struct group *g,
    size_t gp, const struct service *svc)
{
	const struct cluster **cs = xmalloc_array(g->nclusters,
	    sizeof(*cs));
	const char **vs = xmalloc_array(g->nclusters, sizeof(*vs));
	struct drift_finding *f;
	size_t i, n = 0;
	bool differ = false;

	for (i = 0; i < g->nclusters; i++) {
		const char *v = state_version(fi->s, g->clusters[i]->name,
		    svc->name, NULL);

		if (!v)
			continue;
		differ = differ || (n && strcmp(v, vs[0]) != 0);
		cs[n] = g->clusters[i];
		vs[n++] = v;
	}
	if (differ) {
		f = add(fi, DRIFT_OUT_OF_SYNC, g, gp, svc, NULL);
		f->nclusters = n;
		f->clusters = arena_array(fi->a, n, sizeof(*f->clusters));
		f->versions = arena_array(fi->a, n, sizeof(*f->versions));
		memcpy(f->clusters, cs, n * sizeof(*cs));
		memcpy(f->versions, vs, n * sizeof(*vs));
		d->counts[DRIFT_OUT_OF_SYNC]++;
	}
	free(cs);
	free(vs);
}

static int
found_cmp(const void *x, const void *y)
{
	const struct found *a = x, *b = y;
	size_t ka[4] = { a->group_pos, a->f.service->index, a->f.kind,
	    a->f.cluster ? a->f.cluster->index : 0 };
	size_t kb[4] = { b->group_pos, b->f.service->index, b->f.kind,
	    b->f.cluster ? b->f.cluster->index : 0 };
	int i;

	for (i = 0; i < 4; i++)
		if (ka[i] != kb[i])
			return ka[i] < kb[i] ? -1 : 1;
	return 0;
}

/* Says which clusters the rollout places services in and the state says
 * nothing of; false when there is one. */
static bool
state_covers(const struct state *s, const char *const *names,
    size_t n)
{
	struct buf b = { 0 };
	size_t i, missing = 0;

	for (i = 0; i < n; i++) {
		bool known;

		state_version(s, names[i], "", &known);
		if (known)
			continue;
		if (missing)
			buf_puts(&b, ", ");
		buf_printf(&b, "'%s'", names[i]);
		missing++;
	}
	if (missing)
		say("%s: no state for cluster%s %s (the rollout places "
		    "services there)", state_origin(s), missing > 1 ? "s" : "",
		    b.data);
	buf_free(&b);
	return missing == 0;
}

struct drift *
drift_find(struct arena *a, const struct rollout *r, const struct state *s)
{
	struct drift *d;
	struct finder fi = { a, r, s, NULL, 0, 0, NULL, NULL };
	const char **names;
	size_t nnames = drift_clusters(a, r, &names), i, j;

	if (!state_covers(s, names, nnames))
		return NULL;
	d = arena_alloc(a, sizeof(*d));
	d->rollout = r;
	fi.home = xmalloc_array(r->nclusters + 1, sizeof(*fi.home));
	fi.home_pos = xmalloc_array(r->nclusters + 1, sizeof(*fi.home_pos));
	memset(fi.home, 0, (r->nclusters + 1) * sizeof(*fi.home));
	/* a cluster's findings go under the first group that names it */
	for (i = r->ngroups; i-- > 0;)
		for (j = 0; j < r->groups[i]->nclusters; j++) {
			fi.home[r->groups[i]->clusters[j]->index] = r->groups[i];
			fi.home_pos[r->groups[i]->clusters[j]->index] = i;
		}
	check_clusters(&fi, d, names, nnames);
	for (i = 0; i < r->ngroups; i++)
		if (r->groups[i]->nclusters > 1)
			for (j = 0; j < r->nservices; j++)
				check_group(&fi, d, r->groups[i], i,
				    r->services[j]);
	if (fi.n)
		qsort(fi.found, fi.n, sizeof(*fi.found), found_cmp);
	d->findings = arena_array(a, fi.n, sizeof(*d->findings));
	for (i = 0; i < fi.n; i++)
		d->findings[i] = fi.found[i].f;
	d->nfindings = fi.n;
	free(fi.found);
	free(fi.home);
	free(fi.home_pos);
	return d;
}

/* The readable report */

/* One line of the report: findings alike, of one or more services. */
struct line {
	const struct drift_finding *f;	/* the first; its kind, version */
	const struct cluster **clusters;	/* per-cluster kinds */
	size_t nclusters;
	const struct service **services;
	size_t nservices;
	size_t cap;
};

/* "a", "a and b", "a, b and c"; past shown names, "and N more". */
static void
put_list(struct buf *b, const char *const *names, size_t n, size_t shown)
{
	size_t i, last = n > shown ? shown : n;

	for (i = 0; i < last; i++)
		buf_printf(b, "%s%s", i == 0 ? "" : i + 1 == last &&
		    n <= shown ? " and " : ", ", names[i]);
	if (n > shown)
		buf_printf(b, " and %zu more", n - shown);
}

static void
put_clusters(struct buf *b, const struct cluster *const *cs, size_t n)
{
	const char **names = xmalloc_array(n, sizeof(*names));
	size_t i;

	for (i = 0; i < n; i++)
		names[i] = cs[i]->name;
	put_list(b, names, n, n);
	free(names);
}

/* "2026.48.2 in europe-west1-b but 2026.48.1 in europe-west4-a": each
 * version with its clusters, the version of the most clusters last. */
static void
put_versions(struct buf *b, const struct drift_finding *f)
{
	const char **v = xmalloc_array(f->nclusters, sizeof(*v));
	size_t *count = xmalloc_array(f->nclusters, sizeof(*count));
	size_t *order = xmalloc_array(f->nclusters, sizeof(*order));
	const struct cluster **cs = xmalloc_array(f->nclusters, sizeof(*cs));
	size_t nv = 0, i, j, k, most = 0;

	for (i = 0; i < f->nclusters; i++) {
		for (j = 0; j < nv && strcmp(v[j], f->versions[i]) != 0; j++)
			;
		if (j == nv) {
			v[nv] = f->versions[i];
			count[nv++] = 0;
		}
		if (++count[j] > most)
			most = count[j];
	}
	/* fewest clusters first; as they come among equals */
	for (k = 0, i = 1; i <= most; i++)
		for (j = 0; j < nv; j++)
			if (count[j] == i)
				order[k++] = j;
	for (k = 0; k < nv; k++) {
		size_t n = 0;

		for (i = 0; i < f->nclusters; i++)
			if (strcmp(f->versions[i], v[order[k]]) == 0)
				cs[n++] = f->clusters[i];
		buf_printf(b, "%s%s in ", k == 0 ? "" : k + 1 == nv ? " but " :
		    ", ", v[order[k]]);
		put_clusters(b, cs, n);
	}
	free(v);
	free(count);
	free(order);
	free(cs);
}

static void
put_line(FILE *f, const struct line *l)
{
	const struct drift_finding *x = l->f;
	const char **names = xmalloc_array(l->nservices, sizeof(*names));
	bool one = l->nservices == 1;
	struct buf b = { 0 };
	size_t i;

	for (i = 0; i < l->nservices; i++)
		names[i] = l->services[i]->name;
	if (x->kind == DRIFT_OUT_OF_SYNC)
		buf_printf(&b, "%s is out of sync: ", x->group->name);
	if (one)
		buf_printf(&b, "%s %s ", names[0], x->kind == DRIFT_MISSING ?
		    "is" : "runs");
	else
		buf_printf(&b, "%zu services %s ", l->nservices,
		    x->kind == DRIFT_MISSING ? "are" : "run");
	switch (x->kind) {
	case DRIFT_OUT_OF_SYNC:
		put_versions(&b, x);
		break;
	case DRIFT_MISSING:
		buf_puts(&b, "missing in ");
		put_clusters(&b, l->clusters, l->nclusters);
		break;
	default:
		buf_printf(&b, "%s in ", x->version ? x->version :
		    "an unknown version");
		put_clusters(&b, l->clusters, l->nclusters);
		if (x->kind == DRIFT_OTHER_VERSION)
			buf_printf(&b, ", not %s", x->service->version);
		else if (x->kind == DRIFT_UNPLACED)
			buf_printf(&b, ", where the rollout does not place "
			    "%s", one ? "it" : "them");
		break;
	}
	if (!one) {
		buf_puts(&b, ": ");
		put_list(&b, names, l->nservices, DRIFT_NAMES_SHOWN);
	}
	fputs("  ", f);
	/* versions come from the state: no control character gets out */
	fputs_clean(b.data, f);
	fputc('\n', f);
	buf_free(&b);
	free(names);
}

static bool
same_version(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

/* What makes two lines of one group the same line but for the service:
 * a key that cannot be ambiguous (each part length-prefixed). */
static const char *
line_key(struct arena *a, const struct line *l)
{
	const struct drift_finding *x = l->f;
	struct buf b = { 0 };
	const char *key;
	size_t i, n = x->kind == DRIFT_OUT_OF_SYNC ? x->nclusters :
	    l->nclusters;

	buf_printf(&b, "%d|", (int)x->kind);
	if (x->kind == DRIFT_OTHER_VERSION)
		buf_printf(&b, "%zu:%s", strlen(x->service->version),
		    x->service->version);
	if (x->kind == DRIFT_OTHER_VERSION || x->kind == DRIFT_UNPLACED)
		buf_printf(&b, "|%zu:%s", x->version ? strlen(x->version) :
		    0, x->version ? x->version : "");
	for (i = 0; i < n; i++) {
		const char *c = x->kind == DRIFT_OUT_OF_SYNC ?
		    x->clusters[i]->name : l->clusters[i]->name;

		buf_printf(&b, "|%s", c);
		if (x->kind == DRIFT_OUT_OF_SYNC)
			buf_printf(&b, "=%zu:%s", strlen(x->versions[i]),
			    x->versions[i]);
	}
	key = arena_strndup(a, b.data, b.len);
	buf_free(&b);
	return key;
}

static void
line_add_service(struct line *l, const struct service *svc)
{
	if (l->nservices == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 4;
		l->services = xrealloc_array(l->services, l->cap,
		    sizeof(*l->services));
	}
	l->services[l->nservices++] = svc;
}

/*
 * The lines of one group, findings[start, end): per service and kind, the
 * clusters of each version together; then lines alike folded into the
 * first, which keeps its place.  Returns how many lines.
 */
static size_t
group_lines(struct arena *a, const struct drift *d, size_t start, size_t end,
    struct line *lines)
{
	struct map seen = { 0 };
	size_t i, j, n = 0, nl = 0;
	const struct cluster **cs = xmalloc_array(end - start + 1, sizeof(*cs));
	bool *used = xmalloc_array(end - start + 1, sizeof(*used));

	memset(used, 0, (end - start + 1) * sizeof(*used));
	for (i = start; i < end; i++) {
		const struct drift_finding *x = &d->findings[i];
		struct line l = { x, NULL, 0, NULL, 0, 0 };
		struct line *to;
		const char *key;

		if (used[i - start])
			continue;
		/* the same service, kind and version in other clusters */
		for (n = 0, j = i; j < end && d->findings[j].service ==
		    x->service && d->findings[j].kind == x->kind; j++)
			if (x->kind != DRIFT_OUT_OF_SYNC && !used[j - start] &&
			    same_version(d->findings[j].version, x->version)) {
				used[j - start] = true;
				cs[n++] = d->findings[j].cluster;
			}
		l.clusters = arena_array(a, n, sizeof(*l.clusters));
		memcpy(l.clusters, cs, n * sizeof(*cs));
		l.nclusters = n;
		key = line_key(a, &l);
		if ((to = map_get(&seen, key))) {
			line_add_service(to, x->service);
			continue;
		}
		lines[nl] = l;
		line_add_service(&lines[nl], x->service);
		map_put(&seen, key, &lines[nl]);
		nl++;
	}
	map_free(&seen);
	free(cs);
	free(used);
	return nl;
}

/* "3 problems in 2 of 8 clusters, 1 group out of sync" */
static void
put_heading(FILE *f, const struct drift *d)
{
	bool *hit = xmalloc_array(d->rollout->nclusters + 1, sizeof(*hit));
	const struct group *last = NULL;
	size_t i, problems = 0, clusters = 0, groups = 0;

	memset(hit, 0, (d->rollout->nclusters + 1) * sizeof(*hit));
	for (i = 0; i < d->nfindings; i++) {
		const struct drift_finding *x = &d->findings[i];

		if (x->kind != DRIFT_OUT_OF_SYNC) {
			problems++;
			clusters += !hit[x->cluster->index];
			hit[x->cluster->index] = true;
		} else if (x->group != last) {
			groups++;
			last = x->group;
		}
	}
	fprintf(f, "%s has drifted:", d->rollout->name);
	if (problems)
		fprintf(f, " %zu problem%s in %zu of %zu cluster%s%s", problems,
		    problems == 1 ? "" : "s", clusters, d->nclusters,
		    d->nclusters == 1 ? "" : "s", groups ? "," : "");
	if (groups)
		fprintf(f, " %zu group%s out of sync", groups,
		    groups == 1 ? "" : "s");
	fputc('\n', f);
	free(hit);
}

void
drift_write_text(FILE *f, const struct drift *d)
{
	struct arena a = { 0 };
	struct line *lines;
	size_t i, j, start, n, clusters = 0;

	if (!d->nfindings)
		return;
	put_heading(f, d);
	lines = xmalloc_array(d->nfindings, sizeof(*lines));
	for (start = 0; start < d->nfindings; start = i) {
		const struct group *g = d->findings[start].group;

		for (i = start; i < d->nfindings && d->findings[i].group == g;
		    i++)
			;
		fprintf(f, "\ngroup %s\n", g->name);
		n = group_lines(&a, d, start, i, lines);
		for (j = 0; j < n; j++) {
			put_line(f, &lines[j]);
			free(lines[j].services);
		}
	}
	free(lines);
	arena_free(&a);
	for (i = 0; i < d->rollout->nclusters; i++)
		clusters += d->undeclared[d->rollout->clusters[i]->index] > 0;
	if (d->nundeclared)
		fprintf(f, "\nignored: %zu service%s the rollout does not "
		    "declare, in %zu cluster%s\n", d->nundeclared,
		    d->nundeclared == 1 ? "" : "s", clusters,
		    clusters == 1 ? "" : "s");
}

/* The JSON report */

static json_t *
jstr(const char *s)
{
	json_t *j = s ? json_string(s) : NULL;

	/* names are DNS labels, versions were read as JSON: always UTF-8 */
	return j ? j : json_null();
}

static const char *const kind_names[NDRIFT_KINDS] = {
	[DRIFT_OUT_OF_SYNC] = "out_of_sync",
	[DRIFT_OTHER_VERSION] = "other_version",
	[DRIFT_UNKNOWN_VERSION] = "unknown_version",
	[DRIFT_MISSING] = "missing",
	[DRIFT_UNPLACED] = "unplaced",
};

static json_t *
finding_json(const struct drift_finding *x)
{
	json_t *o = json_object(), *versions;
	size_t i;

	json_object_set_new(o, "kind", json_string(kind_names[x->kind]));
	json_object_set_new(o, "group", jstr(x->group->name));
	json_object_set_new(o, "service", jstr(x->service->name));
	if (x->kind == DRIFT_OUT_OF_SYNC) {
		json_object_set_new(o, "target", jstr(x->service->version));
		versions = json_object();
		for (i = 0; i < x->nclusters; i++)
			json_object_set_new(versions, x->clusters[i]->name,
			    jstr(x->versions[i]));
		json_object_set_new(o, "versions", versions);
		return o;
	}
	json_object_set_new(o, "cluster", jstr(x->cluster->name));
	json_object_set_new(o, "version", jstr(x->version));
	json_object_set_new(o, "target", jstr(x->kind == DRIFT_UNPLACED ?
	    NULL : x->service->version));
	return o;
}

static json_t *
drift_json(const struct drift *d)
{
	json_t *doc = json_object(), *summary = json_object();
	json_t *findings = json_array(), *undeclared = json_object();
	const struct rollout *r = d->rollout;
	size_t i;

	json_object_set_new(doc, "format", json_integer(1));
	json_object_set_new(doc, "rollout", jstr(r->name));
	json_object_set_new(doc, "in_sync", json_boolean(!d->nfindings));
	json_object_set_new(summary, "clusters",
	    json_integer((json_int_t)d->nclusters));
	json_object_set_new(summary, "deploys",
	    json_integer((json_int_t)d->ndeploys));
	for (i = 0; i < NDRIFT_KINDS; i++)
		json_object_set_new(summary, kind_names[i],
		    json_integer((json_int_t)d->counts[i]));
	json_object_set_new(summary, "undeclared",
	    json_integer((json_int_t)d->nundeclared));
	json_object_set_new(doc, "summary", summary);
	for (i = 0; i < d->nfindings; i++)
		json_array_append_new(findings, finding_json(&d->findings[i]));
	json_object_set_new(doc, "findings", findings);
	for (i = 0; i < r->nclusters; i++)
		if (d->undeclared[r->clusters[i]->index])
			json_object_set_new(undeclared, r->clusters[i]->name,
			    json_integer((json_int_t)
			    d->undeclared[r->clusters[i]->index]));
	json_object_set_new(doc, "undeclared", undeclared);
	return doc;
}

bool
drift_write_json(FILE *f, const struct drift *d, const char **why)
{
	json_t *doc = drift_json(d);
	int rc = json_dumpf(doc, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER);

	json_decref(doc);
	if (rc != 0 || fputc('\n', f) == EOF) {
		*why = "cannot write JSON";
		return false;
	}
	return true;
}
