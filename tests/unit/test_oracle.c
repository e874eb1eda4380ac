/*
 * test_oracle.c: the JSON plan and the readable plan read back and held
 * against the checked model.  The oracle below works from the model alone,
 * apart from plan.c: where each service runs, what each deploy waits for in
 * its cluster, and its step (1 + the largest step of those, by a memoized
 * longest path).  Each output must say exactly that, so a change that drops
 * a need or shifts a step fails here even after the golden files have been
 * regenerated to match it.
 *
 * Rollouts: every example, every valid golden case, a few corners written
 * here, and fleets made by a small generator with fixed seeds.
 */
#include <glob.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "support.h"

static const char *case_name;	/* the rollout under test, for messages */

/* Fails the test, naming the rollout and what differs. */
static void mismatch(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

static void
mismatch(const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	print_error("%s: %s\n", case_name, msg);
	fail();
}

/* What the plan must hold, from the checked model only. */
struct oracle {
	const struct rollout *r;
	size_t nclusters;
	bool *runs;		/* [service * nclusters + cluster], by index */
	int *step;		/* the same; 0 where it does not run */
	int *nsteps;		/* per cluster: its most steps; 0: no deploys */
	size_t ndeploys;
	size_t nbusy;		/* clusters with deploys */
	int longest;		/* the most steps of any cluster */
	const struct cluster *longest_in;	/* the first, in plan order */
	struct map services;	/* name -> struct service */
	struct map clusters;	/* name -> struct cluster */
	size_t cap;		/* room in got, want and block */
	const char **got, **want;	/* lists being compared */
	const struct cluster **block;	/* the clusters of one text line */
};

static size_t
cell(const struct oracle *o, const struct service *s, const struct cluster *c)
{
	return s->index * o->nclusters + c->index;
}

static bool
runs(const struct oracle *o, const struct service *s, const struct cluster *c)
{
	return o->runs[cell(o, s, c)];
}

/* 1 + the largest step of the needs of s that run in c; 1 without any. */
static int
oracle_step(struct oracle *o, const struct service *s, const struct cluster *c)
{
	int *step = &o->step[cell(o, s, c)];
	int most = 0;
	size_t i;

	if (*step)
		return *step;
	for (i = 0; i < s->nneeds; i++) {
		if (runs(o, s->needs[i], c)) {
			int k = oracle_step(o, s->needs[i], c);

			if (k > most)
				most = k;
		}
	}
	*step = most + 1;
	return *step;
}

/* The clusters of a wave that have deploys, in order, into out. */
static size_t
busy_clusters(const struct oracle *o, const struct wave *w, const char **out)
{
	size_t i, n = 0;

	for (i = 0; i < w->nclusters; i++)
		if (o->nsteps[w->clusters[i]->index])
			out[n++] = w->clusters[i]->name;
	return n;
}

/* Counts, and the cluster the longest chain must be in. */
static void
oracle_count(struct oracle *o)
{
	size_t i, j;

	for (i = 0; i < o->r->nwaves; i++) {
		const struct wave *w = o->r->waves[i];

		for (j = 0; j < w->nclusters; j++) {
			int n = o->nsteps[w->clusters[j]->index];

			o->nbusy += n > 0;
			if (n > o->longest) {
				o->longest = n;
				o->longest_in = w->clusters[j];
			}
		}
	}
}

static void
oracle_init(struct oracle *o, const struct rollout *r)
{
	size_t i, j;

	memset(o, 0, sizeof(*o));
	o->r = r;
	o->nclusters = r->nclusters;
	o->runs = calloc(r->nservices * r->nclusters + 1, sizeof(*o->runs));
	o->step = calloc(r->nservices * r->nclusters + 1, sizeof(*o->step));
	o->nsteps = calloc(r->nclusters + 1, sizeof(*o->nsteps));
	o->cap = (r->nservices > r->nclusters ? r->nservices :
	    r->nclusters) + 1;
	o->got = calloc(o->cap, sizeof(*o->got));
	o->want = calloc(o->cap, sizeof(*o->want));
	o->block = calloc(o->cap, sizeof(*o->block));
	for (i = 0; i < r->nclusters; i++) {
		assert_int_equal(r->clusters[i]->index, i);
		map_put(&o->clusters, r->clusters[i]->name, r->clusters[i]);
	}
	for (i = 0; i < r->nservices; i++) {
		assert_int_equal(r->services[i]->index, i);
		map_put(&o->services, r->services[i]->name, r->services[i]);
		for (j = 0; j < r->services[i]->nclusters; j++)
			o->runs[cell(o, r->services[i],
			    r->services[i]->clusters[j])] = true;
	}
	for (i = 0; i < r->nservices; i++) {
		for (j = 0; j < r->services[i]->nclusters; j++) {
			const struct cluster *c = r->services[i]->clusters[j];
			int k = oracle_step(o, r->services[i], c);

			if (k > o->nsteps[c->index])
				o->nsteps[c->index] = k;
			o->ndeploys++;
		}
	}
	oracle_count(o);
}

static void
oracle_free(struct oracle *o)
{
	free(o->runs);
	free(o->step);
	free(o->nsteps);
	free(o->got);
	free(o->want);
	free(o->block);
	map_free(&o->services);
	map_free(&o->clusters);
}

/* The services whose deploy in c is at step k, in declaration order. */
static size_t
services_at_step(const struct oracle *o, const struct cluster *c, int k,
    const char **out)
{
	size_t i, n = 0;

	for (i = 0; i < o->r->nservices; i++)
		if (o->step[cell(o, o->r->services[i], c)] == k)
			out[n++] = o->r->services[i]->name;
	return n;
}

/* The needs of s that run in c: what its deploy there waits for. */
static size_t
needs_in_cluster(const struct oracle *o, const struct service *s,
    const struct cluster *c, const char **out)
{
	size_t i, n = 0;

	for (i = 0; i < s->nneeds; i++)
		if (runs(o, s->needs[i], c))
			out[n++] = s->needs[i]->name;
	return n;
}

static bool
listed(const char *const *names, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return true;
	return false;
}

/* The names an output gives against the model's: what is missing, what
 * is extra, what is twice, then what is out of order. */
static void
check_names(const char *const *got, size_t ngot, const char *const *want,
    size_t nwant, const char *what)
{
	size_t i;

	for (i = 0; i < nwant; i++)
		if (!listed(got, ngot, want[i]))
			mismatch("%s: '%s' is missing", what, want[i]);
	for (i = 0; i < ngot; i++)
		if (!listed(want, nwant, got[i]))
			mismatch("%s: '%s' is extra", what, got[i]);
	for (i = 0; i < ngot; i++)
		if (listed(got, i, got[i]))
			mismatch("%s: '%s' is listed twice", what, got[i]);
	for (i = 0; i < ngot; i++)
		if (strcmp(got[i], want[i]) != 0)
			mismatch("%s: '%s' comes where the model puts '%s'",
			    what, got[i], want[i]);
}

/* The JSON plan */

/* A JSON value as a message shows it. */
static const char *
show(const json_t *v)
{
	static char text[80];

	if (json_is_string(v))
		snprintf(text, sizeof(text), "\"%s\"", json_string_value(v));
	else if (json_is_integer(v))
		snprintf(text, sizeof(text), "%lld",
		    (long long)json_integer_value(v));
	else if (json_is_boolean(v))
		return json_is_true(v) ? "true" : "false";
	else if (json_is_null(v))
		return "null";
	else
		return "an array or object";
	return text;
}

/* The value of key in object o, which must be there. */
static json_t *
field(const json_t *o, const char *key, const char *of)
{
	json_t *v = json_is_object(o) ? json_object_get(o, key) : NULL;

	if (!v)
		mismatch("%s has no '%s'", of, key);
	return v;
}

/* A string, or null when want is NULL. */
static void
check_string(const json_t *o, const char *key, const char *want,
    const char *of)
{
	const json_t *v = field(o, key, of);

	if (want ? !json_is_string(v) || strcmp(json_string_value(v), want)
	    : !json_is_null(v))
		mismatch("%s: '%s' is %s, the model gives %s%s%s", of, key,
		    show(v), want ? "\"" : "", want ? want : "null",
		    want ? "\"" : "");
}

static void
check_integer(const json_t *o, const char *key, long long want,
    const char *of)
{
	const json_t *v = field(o, key, of);

	if (!json_is_integer(v) || json_integer_value(v) != want)
		mismatch("%s: '%s' is %s, the model gives %lld", of, key,
		    show(v), want);
}

static void
check_boolean(const json_t *o, const char *key, bool want, const char *of)
{
	const json_t *v = field(o, key, of);

	if (!json_is_boolean(v) || json_is_true(v) != want)
		mismatch("%s: '%s' is %s, the model gives %s", of, key,
		    show(v), want ? "true" : "false");
}

/* The strings of array a into out, which holds every name there is. */
static size_t
strings(const struct oracle *o, const json_t *a, const char **out,
    const char *what)
{
	size_t i;

	if (!json_is_array(a))
		mismatch("%s: %s, not an array", what, show(a));
	if (json_array_size(a) > o->cap)
		mismatch("%s: %zu names, more than the rollout has", what,
		    json_array_size(a));
	for (i = 0; i < json_array_size(a); i++) {
		out[i] = json_string_value(json_array_get(a, i));
		if (!out[i])
			mismatch("%s: item %zu is %s, not a name", what,
			    i + 1, show(json_array_get(a, i)));
	}
	return i;
}

/* An array of objects of the document, each checked by its index. */
static const json_t *
section(const json_t *doc, const char *key, size_t want)
{
	const json_t *a = field(doc, key, "the JSON plan");

	if (!json_is_array(a) || json_array_size(a) != want)
		mismatch("the JSON plan's '%s' has %zu items, the model "
		    "gives %zu", key, json_array_size(a), want);
	return a;
}

/* The JSON plan, as emit_json writes it, parsed back. */
static json_t *
json_plan(const struct plan *p)
{
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);
	const char *why = NULL;
	json_error_t err;
	json_t *doc;

	assert_true(emit_json(mem, p, &why));
	fclose(mem);
	doc = json_loadb(text, len, 0, &err);
	if (!doc)
		mismatch("the JSON plan does not parse: %s at line %d",
		    err.text, err.line);
	free(text);
	check_integer(doc, "format", 1, "the JSON plan");
	return doc;
}

/* One cluster: its wave, its steps, and at each step exactly the services
 * whose computed step that is, in declaration order. */
static void
check_json_cluster(const struct oracle *o, const json_t *jc,
    const struct cluster *c)
{
	const json_t *steps;
	char of[160], what[200];
	int k;

	snprintf(of, sizeof(of), "cluster %s", c->name);
	check_string(jc, "wave", c->wave->name, of);
	check_integer(jc, "steps", o->nsteps[c->index], of);
	steps = field(jc, "deploys", of);
	if (!json_is_array(steps) ||
	    json_array_size(steps) != (size_t)o->nsteps[c->index])
		mismatch("%s: 'deploys' has %zu steps, the model gives %d", of,
		    json_array_size(steps), o->nsteps[c->index]);
	for (k = 1; k <= o->nsteps[c->index]; k++) {
		snprintf(what, sizeof(what), "step %d of cluster %s", k,
		    c->name);
		check_names(o->got, strings(o, json_array_get(steps, k - 1),
		    o->got, what), o->want, services_at_step(o, c, k, o->want),
		    what);
	}
}

/* Every cluster with deploys once, in plan order (by wave, then by
 * declaration), holding exactly its deploys; and nothing else. */
static void
check_json_deploys(const struct oracle *o, const struct plan *p)
{
	json_t *doc = json_plan(p);
	const json_t *a = section(doc, "clusters", o->nbusy);
	size_t i, j, n = 0;

	for (i = 0; i < o->r->nwaves; i++) {
		const struct wave *w = o->r->waves[i];

		for (j = 0; j < w->nclusters; j++) {
			const struct cluster *c = w->clusters[j];

			if (!o->nsteps[c->index])
				continue;
			check_string(json_array_get(a, n), "name", c->name,
			    "the clusters, in plan order");
			check_json_cluster(o, json_array_get(a, n++), c);
		}
	}
	json_decref(doc);
}

/* Marks the services a JSON cluster deploys, by service index. */
static void
mark_deploys(const struct oracle *o, const json_t *steps, bool *here,
    bool on)
{
	size_t k, i;

	for (k = 0; k < json_array_size(steps); k++) {
		const json_t *step = json_array_get(steps, k);

		for (i = 0; i < json_array_size(step); i++) {
			const char *name = json_string_value(
			    json_array_get(step, i));
			const struct service *s = name ?
			    map_get(&o->services, name) : NULL;

			if (!s)
				mismatch("a deploy of %s, which is no service",
				    show(json_array_get(step, i)));
			here[s->index] = on;
		}
	}
}

/* What deploy (s, c) waits for, rebuilt from the JSON plan as its format
 * says: the needs of s in 'services' that c deploys too. */
static size_t
json_deploy_needs(const struct oracle *o, const json_t *needs,
    const bool *here, const char **out, const char *what)
{
	size_t i, n = 0, all = strings(o, needs, out, what);

	for (i = 0; i < all; i++) {
		const struct service *t = map_get(&o->services, out[i]);

		if (!t)
			mismatch("%s: '%s' is no service", what, out[i]);
		if (here[t->index])
			out[n++] = out[i];
	}
	return n;
}

/* The needs of the deploys of one JSON cluster against the model's. */
static void
check_cluster_needs(const struct oracle *o, const json_t *jc,
    const struct map *needs, bool *here)
{
	const json_t *steps = field(jc, "deploys", "a cluster");
	const struct cluster *c = map_get(&o->clusters,
	    json_string_value(field(jc, "name", "a cluster")));
	size_t k, i;
	char what[200];

	if (!c)
		mismatch("cluster %s is no cluster of the rollout",
		    show(json_object_get(jc, "name")));
	mark_deploys(o, steps, here, true);
	for (k = 0; k < json_array_size(steps); k++) {
		const json_t *step = json_array_get(steps, k);

		for (i = 0; i < json_array_size(step); i++) {
			const char *name = json_string_value(
			    json_array_get(step, i));
			const struct service *s = map_get(&o->services, name);

			snprintf(what, sizeof(what), "needs of deploy %s@%s",
			    name, c->name);
			check_names(o->got, json_deploy_needs(o,
			    map_get(needs, name), here, o->got, what),
			    o->want, needs_in_cluster(o, s, c, o->want), what);
		}
	}
	mark_deploys(o, steps, here, false);
}

/* Every need of every deploy kept, and no other: for S needing T, the
 * deploy of S in each cluster where both run waits for T there. */
static void
check_json_needs(const struct oracle *o, const struct plan *p)
{
	json_t *doc = json_plan(p);
	const json_t *services = section(doc, "services", o->r->nservices);
	const json_t *clusters = section(doc, "clusters", o->nbusy);
	bool *here = calloc(o->r->nservices + 1, sizeof(*here));
	struct map needs = { 0 };	/* service name -> its JSON needs */
	size_t i;

	for (i = 0; i < json_array_size(services); i++) {
		const json_t *js = json_array_get(services, i);

		check_string(js, "name", o->r->services[i]->name,
		    "the services, in declaration order");
		map_put(&needs, o->r->services[i]->name,
		    field(js, "needs", o->r->services[i]->name));
	}
	for (i = 0; i < json_array_size(clusters); i++)
		check_cluster_needs(o, json_array_get(clusters, i), &needs,
		    here);
	map_free(&needs);
	free(here);
	json_decref(doc);
}

static void
check_json_rollout(const struct rollout *r, const json_t *doc)
{
	const json_t *jr = field(doc, "rollout", "the JSON plan");

	check_string(jr, "name", r->name, "rollout");
	check_string(jr, "version", r->version, "rollout");
	check_string(jr, "registry", r->registry, "rollout");
	check_string(jr, "namespace", r->namespace, "rollout");
	check_string(jr, "notify", r->notify, "rollout");
	check_string(jr, "deploy_template", r->deploy_template, "rollout");
}

/* A wave's policy and the clusters it deploys, in declaration order. */
static void
check_json_wave(const struct oracle *o, const json_t *jw, const struct wave *w)
{
	static const char *const failure[] = { "halt", "continue", "rollback" };
	char of[160];

	snprintf(of, sizeof(of), "wave %s", w->name);
	check_string(jw, "name", w->name, "the waves, in order");
	if (w->parallel)
		check_integer(jw, "parallel", w->parallel, of);
	else
		check_string(jw, "parallel", NULL, of);
	check_integer(jw, "soak", w->soak, of);
	check_string(jw, "soak_text", w->soak ? w->soak_text : NULL, of);
	check_boolean(jw, "approve", w->approve, of);
	check_string(jw, "on_failure", failure[w->on_failure], of);
	snprintf(of, sizeof(of), "clusters of wave %s", w->name);
	check_names(o->got, strings(o, field(jw, "clusters", of), o->got, of),
	    o->want, busy_clusters(o, w, o->want), of);
}

/* A service: its image, version, needs in the order written, clusters. */
static void
check_json_service(const struct oracle *o, const json_t *js,
    const struct service *s)
{
	char of[160];
	size_t i;

	snprintf(of, sizeof(of), "service %s", s->name);
	check_string(js, "image", s->image, of);
	check_string(js, "version", s->version, of);
	snprintf(of, sizeof(of), "needs of service %s", s->name);
	for (i = 0; i < s->nneeds; i++)
		o->want[i] = s->needs[i]->name;
	check_names(o->got, strings(o, field(js, "needs", of), o->got, of),
	    o->want, s->nneeds, of);
	snprintf(of, sizeof(of), "clusters of service %s", s->name);
	for (i = 0; i < s->nclusters; i++)
		o->want[i] = s->clusters[i]->name;
	check_names(o->got, strings(o, field(js, "clusters", of), o->got, of),
	    o->want, s->nclusters, of);
}

static void
check_json_summary(const struct oracle *o, const json_t *doc)
{
	const json_t *js = field(doc, "summary", "the JSON plan");

	check_integer(js, "services", (long long)o->r->nservices, "summary");
	check_integer(js, "clusters", (long long)o->nbusy, "summary");
	check_integer(js, "waves", (long long)o->r->nwaves, "summary");
	check_integer(js, "deploys", (long long)o->ndeploys, "summary");
	check_integer(js, "longest_chain", o->longest, "summary");
}

static bool
needs(const struct service *s, const struct service *t)
{
	size_t i;

	for (i = 0; i < s->nneeds; i++)
		if (s->needs[i] == t)
			return true;
	return false;
}

/* The longest chain: in the first cluster with the most steps, one deploy
 * per step, each waiting for the one before. */
static void
check_json_chain(const struct oracle *o, const json_t *doc)
{
	const json_t *a = section(doc, "chain", (size_t)o->longest);
	const struct service *prev = NULL;
	size_t i;

	for (i = 0; i < json_array_size(a); i++) {
		const json_t *link = json_array_get(a, i);
		const char *name = json_string_value(field(link, "service",
		    "a link of the chain"));
		const struct service *s = name ?
		    map_get(&o->services, name) : NULL;

		check_string(link, "cluster", o->longest_in->name, "chain");
		if (!s || o->step[cell(o, s, o->longest_in)] != (int)i + 1)
			mismatch("chain: link %zu is %s, not a deploy at step "
			    "%zu of %s", i + 1, name ? name : "no service",
			    i + 1, o->longest_in->name);
		if (prev && !needs(s, prev))
			mismatch("chain: %s follows %s, which it does not need",
			    s->name, prev->name);
		prev = s;
	}
}

/* Everything else of the document: the rollout, the waves in order with
 * their policies, the services, the counts and the longest chain. */
static void
check_json_model(const struct oracle *o, const struct plan *p)
{
	json_t *doc = json_plan(p);
	const json_t *waves = section(doc, "waves", o->r->nwaves);
	const json_t *services = section(doc, "services", o->r->nservices);
	size_t i;

	check_json_rollout(o->r, doc);
	for (i = 0; i < o->r->nwaves; i++)
		check_json_wave(o, json_array_get(waves, i), o->r->waves[i]);
	for (i = 0; i < o->r->nservices; i++)
		check_json_service(o, json_array_get(services, i),
		    o->r->services[i]);
	check_json_summary(o, doc);
	check_json_chain(o, doc);
	json_decref(doc);
}

/* The readable plan */

/* The lines of the readable plan, read one after another. */
struct reader {
	char *text;
	char **lines;
	size_t n, at;
};

static void
reader_init(struct reader *rd, const struct plan *p)
{
	size_t len = 0, cap = 64;
	FILE *mem = open_memstream(&rd->text, &len);
	char *s, *nl;

	emit_text(mem, p, false, NULL, NULL);
	fclose(mem);
	rd->lines = malloc(cap * sizeof(*rd->lines));
	rd->n = rd->at = 0;
	for (s = rd->text; *s; s = nl + 1) {
		nl = strchr(s, '\n');
		if (!nl)
			mismatch("the readable plan does not end in a newline");
		*nl = '\0';
		if (rd->n == cap)
			rd->lines = realloc(rd->lines,
			    (cap *= 2) * sizeof(*rd->lines));
		rd->lines[rd->n++] = s;
	}
}

static void
reader_free(struct reader *rd)
{
	free(rd->lines);
	free(rd->text);
}

/* The next line; the plan must not end before what is expected. */
static char *
reader_next(struct reader *rd, const char *expected)
{
	if (rd->at == rd->n)
		mismatch("the readable plan ends where %s should be",
		    expected);
	return rd->lines[rd->at++];
}

static const char *
reader_peek(const struct reader *rd)
{
	return rd->at < rd->n ? rd->lines[rd->at] : "";
}

static void
expect_line(struct reader *rd, const char *want)
{
	const char *got = reader_next(rd, want);

	if (strcmp(got, want) != 0)
		mismatch("line %zu of the readable plan is\n  '%s'\nwhere "
		    "the model gives\n  '%s'", rd->at, got, want);
}

/*
 * Reads "a, b, c" from s, and the lines after it while a line ends in a
 * comma (a list wrapped before column 80), into out.
 */
static size_t
read_list(const struct oracle *o, struct reader *rd, char *s,
    const char **out)
{
	size_t n = 0;

	for (;;) {
		size_t len = strlen(s);
		bool more = len && s[len - 1] == ',';
		char *save, *word;

		for (word = strtok_r(s, ", ", &save); word;
		    word = strtok_r(NULL, ", ", &save)) {
			if (n == o->cap)
				mismatch("line %zu of the readable plan lists "
				    "more names than the rollout has", rd->at);
			out[n++] = word;
		}
		if (!more)
			return n;
		s = reader_next(rd, "the rest of a list");
	}
}

static const char *
plural(size_t n)
{
	return n == 1 ? "" : "s";
}

/* "rollout NAME: counts", then the longest chain or "no deploys". */
static void
check_text_heading(const struct oracle *o, struct reader *rd)
{
	const struct rollout *r = o->r;
	char want[512];
	const char *got;

	snprintf(want, sizeof(want), "rollout %s: %zu service%s, %zu "
	    "cluster%s, %zu wave%s, %zu deploy%s", r->name, r->nservices,
	    plural(r->nservices), o->nbusy, plural(o->nbusy), r->nwaves,
	    plural(r->nwaves), o->ndeploys, plural(o->ndeploys));
	expect_line(rd, want);
	/* what ships, the estimate and the critical path (test_plan and the
	 * golden cases pin them) come before the longest chain */
	while (rd->at < rd->n && strcmp(reader_peek(rd), "no deploys") != 0 &&
	    strncmp(reader_peek(rd), "longest chain: ", 15) != 0)
		rd->at++;
	if (!o->longest) {
		expect_line(rd, "no deploys");
		return;
	}
	snprintf(want, sizeof(want), "longest chain: %d step%s in %s:",
	    o->longest, plural((size_t)o->longest), o->longest_in->name);
	got = reader_next(rd, want);
	if (strncmp(got, want, strlen(want)) != 0)
		mismatch("the readable plan says '%s', the model '%s ...'",
		    got, want);
	while (reader_peek(rd)[0] == ' ')
		rd->at++;	/* the chain, wrapped */
}

/* "policy: ..." as the model gives it. */
static void
check_text_policy(struct reader *rd, const struct wave *w)
{
	static const char *const failure[] = { "halt on failure",
		"continue on failure", "roll back on failure" };
	char want[256];
	int n;

	if (w->parallel)
		n = snprintf(want, sizeof(want), "  policy: parallel %ld",
		    w->parallel);
	else
		n = snprintf(want, sizeof(want), "  policy: all clusters at "
		    "once");
	if (w->soak)
		n += snprintf(want + n, sizeof(want) - n, ", soak %s",
		    w->soak_text);
	if (w->approve)
		n += snprintf(want + n, sizeof(want) - n, ", approval");
	snprintf(want + n, sizeof(want) - n, ", %s", failure[w->on_failure]);
	expect_line(rd, want);
}

/* A step line, "    step K  a, b, c": its step, or 0 when it is not one. */
static int
step_line(const char *line, size_t *names)
{
	int k, len = 0;

	*names = 0;
	if (strncmp(line, "    step ", 9) != 0 ||
	    sscanf(line + 9, "%d%n", &k, &len) != 1 ||
	    strncmp(line + 9 + len, "  ", 2) != 0)
		return 0;
	*names = 9 + (size_t)len + 2;
	return k;
}

/* The clusters named on one line of wave w: each a cluster of w with
 * deploys, not listed before.  Returns how many. */
static size_t
read_clusters(const struct oracle *o, struct reader *rd, char *line,
    const struct wave *w, bool *seen)
{
	size_t i, n = read_list(o, rd, line, o->got);

	for (i = 0; i < n; i++) {
		const struct cluster *c = map_get(&o->clusters, o->got[i]);

		if (!c || !o->nsteps[c->index] || c->wave != w)
			mismatch("wave %s of the readable plan lists %s, which "
			    "is not a cluster it deploys", w->name, o->got[i]);
		if (seen[c->index])
			mismatch("cluster %s is listed twice", c->name);
		seen[c->index] = true;
		o->block[i] = c;
	}
	return n;
}

/* "    met by earlier waves: a (w), b (w)", wrapped: skipped (test_plan and
 * the golden cases pin it). */
static void
skip_met(struct reader *rd)
{
	const char *line;
	size_t len;

	if (strncmp(reader_peek(rd), "    met by earlier waves: ", 26) != 0)
		return;
	do {
		line = reader_next(rd, "the rest of a list");
		len = strlen(line);
	} while (len && line[len - 1] == ',');
}

/*
 * Clusters shown as the wave's reference plus and minus some services,
 * "a, b: as REF, plus x (step 4), y (step 5), minus z", wrapped: their
 * steps, rebuilt from REF's (as the model gives them, which its own lines
 * were checked against) with each plus-service at its step and each
 * minus-service gone, must be their computed steps.
 */
static void
check_text_near(const struct oracle *o, struct reader *rd, char *line,
    const struct wave *w, bool *seen)
{
	size_t cap = strlen(line) + 2, len, n = 0, i, j;
	char *all = malloc(cap), *item, *next, *as;
	const struct cluster *ref = NULL;
	int *rebuilt = calloc(o->r->nservices + 1, sizeof(*rebuilt));
	enum { NAMES, PLUS, MINUS } mode = NAMES;

	strcpy(all, line);
	while ((len = strlen(all)) && all[len - 1] == ',') {
		line = reader_next(rd, "the rest of a list");
		line += strspn(line, " ");
		cap += strlen(line) + 2;
		all = realloc(all, cap);
		strcat(all, " ");
		strcat(all, line);
	}
	for (item = all; item; item = next) {
		const struct service *s;
		int k = 0, end = 0;

		next = strstr(item, ", ");
		if (next) {
			*next = '\0';
			next += 2;
		}
		if (mode == NAMES) {
			as = strstr(item, ": as ");
			if (as) {
				*as = '\0';
				ref = map_get(&o->clusters, as + 5);
				if (!ref || ref->wave != w || !seen[ref->index])
					mismatch("'%s' is shown as %s, not a "
					    "cluster of wave %s shown before",
					    item, as + 5, w->name);
				mode = PLUS;
			}
			if (n == o->cap)
				mismatch("too many clusters on one line");
			o->got[n++] = item;
			continue;
		}
		if (strncmp(item, "plus ", 5) == 0 && mode == PLUS)
			item += 5;
		else if (strncmp(item, "minus ", 6) == 0) {
			item += 6;
			mode = MINUS;
		}
		if (mode == PLUS) {
			char *paren = strstr(item, " (step ");

			if (!paren || sscanf(paren, " (step %d)%n", &k,
			    &end) != 1 || paren[end])
				mismatch("'%s' is added to %s without its step",
				    item, ref->name);
			*paren = '\0';
		}
		s = map_get(&o->services, item);
		if (!s)
			mismatch("'%s' is not a service", item);
		if (mode == PLUS && o->step[cell(o, s, ref)])
			mismatch("%s is added to %s, which has it", item,
			    ref->name);
		if (mode == MINUS && !o->step[cell(o, s, ref)])
			mismatch("%s is taken from %s, which lacks it", item,
			    ref->name);
		rebuilt[s->index] = mode == PLUS ? k : -1;
	}
	if (mode == NAMES)
		mismatch("no 'as' in '%s'", all ? all : "");
	for (i = 0; i < n; i++) {
		const struct cluster *c = map_get(&o->clusters, o->got[i]);

		if (!c || !o->nsteps[c->index] || c->wave != w)
			mismatch("wave %s of the readable plan lists %s, which "
			    "is not a cluster it deploys", w->name, o->got[i]);
		if (seen[c->index])
			mismatch("cluster %s is listed twice", c->name);
		seen[c->index] = true;
		for (j = 0; j < o->r->nservices; j++) {
			const struct service *s = o->r->services[j];
			int want = o->step[cell(o, s, c)];
			int got = rebuilt[j] > 0 ? rebuilt[j] : rebuilt[j] ?
			    0 : o->step[cell(o, s, ref)];

			if (got != want)
				mismatch("%s, as %s plus and minus what the "
				    "readable plan lists, has %s at step %d; "
				    "the model at step %d", c->name, ref->name,
				    s->name, got, want);
		}
	}
	free(rebuilt);
	free(all);
}

/*
 * One line of clusters and the steps below it.  Identical clusters are
 * folded into one line, so the steps must be those of each of them.
 */
static void
check_text_clusters(const struct oracle *o, struct reader *rd, char *line,
    const struct wave *w, bool *seen)
{
	size_t n, i, at;
	int k, nsteps;
	char what[200];
	size_t len = strlen(line), at_line = rd->at;
	bool near = strstr(line, ": as ") != NULL;

	/* a list of names wrapped: the "as" may be on a later line */
	while (!near && len && line[len - 1] == ',' && at_line < rd->n) {
		near = strstr(rd->lines[at_line], ": as ") != NULL;
		len = strlen(rd->lines[at_line++]);
	}
	if (near) {
		check_text_near(o, rd, line, w, seen);
		skip_met(rd);
		return;
	}
	n = read_clusters(o, rd, line, w, seen);
	nsteps = o->nsteps[o->block[0]->index];

	for (k = 1; k <= nsteps; k++) {
		line = reader_next(rd, "a step");
		if (step_line(line, &at) != k)
			mismatch("line %zu of the readable plan is '%s' where "
			    "step %d of %s should be", rd->at, line, k,
			    o->block[0]->name);
		at = read_list(o, rd, line + at, o->got);
		for (i = 0; i < n; i++) {
			snprintf(what, sizeof(what), "step %d of cluster %s "
			    "in the readable plan", k, o->block[i]->name);
			check_names(o->got, at, o->want, services_at_step(o,
			    o->block[i], k, o->want), what);
		}
	}
	if (step_line(reader_peek(rd), &at))
		mismatch("cluster %s has a step %d in the readable plan; the "
		    "model gives %d steps", o->block[0]->name, k, nsteps);
	for (i = 1; i < n; i++)
		if (o->nsteps[o->block[i]->index] != nsteps)
			mismatch("%s and %s are folded into one line but take "
			    "%d and %d steps", o->block[0]->name,
			    o->block[i]->name, nsteps,
			    o->nsteps[o->block[i]->index]);
	skip_met(rd);
}

/* A line naming clusters: two spaces, then a name (a gate is "then ",
 * which a list would write "then," or alone). */
static bool
clusters_line(const char *line)
{
	return strncmp(line, "  ", 2) == 0 && line[2] && line[2] != ' ' &&
	    strncmp(line, "  then ", 7) != 0;
}

/* A wave: heading, policy, each cluster with deploys once under it with
 * its steps, then its gates. */
static void
check_text_wave(const struct oracle *o, struct reader *rd,
    const struct wave *w, bool *seen)
{
	size_t nbusy = busy_clusters(o, w, o->want), deploys = 0, i, j;
	char want[256];

	for (i = 0; i < o->r->nservices; i++)
		for (j = 0; j < w->nclusters; j++)
			deploys += runs(o, o->r->services[i], w->clusters[j]);
	expect_line(rd, "");
	snprintf(want, sizeof(want), "wave %s (%zu cluster%s, %zu deploy%s)",
	    w->name, nbusy, plural(nbusy), deploys, plural(deploys));
	expect_line(rd, want);
	check_text_policy(rd, w);
	if (!nbusy)
		expect_line(rd, "  nothing to deploy");
	while (clusters_line(reader_peek(rd)))
		check_text_clusters(o, rd, reader_next(rd, "clusters") + 2, w,
		    seen);
	for (i = 0; i < w->nclusters; i++)
		if (o->nsteps[w->clusters[i]->index] &&
		    !seen[w->clusters[i]->index])
			mismatch("wave %s of the readable plan does not list "
			    "cluster %s", w->name, w->clusters[i]->name);
	if (w->soak) {
		snprintf(want, sizeof(want), "  then soak %s", w->soak_text);
		expect_line(rd, want);
	}
	if (w->approve) {
		expect_line(rd, "  then wait for approval; resume with");
		if (strncmp(reader_next(rd, "argo resume"),
		    "    argo resume WORKFLOW", 24) != 0)
			mismatch("wave %s: no 'argo resume' line", w->name);
	}
}

/* The readable plan: heading, then every wave in order; what may follow
 * is only the notes on split DAGs, then how to run the Argo documents. */
static void
check_text(const struct oracle *o, const struct plan *p)
{
	struct reader rd;
	bool *seen = calloc(o->r->nclusters + 1, sizeof(*seen));
	size_t i;

	reader_init(&rd, p);
	check_text_heading(o, &rd);
	for (i = 0; i < o->r->nwaves; i++)
		check_text_wave(o, &rd, o->r->waves[i], seen);
	for (; rd.at < rd.n; rd.at++) {
		/* the last section: how to run the Argo documents */
		if (strncmp(rd.lines[rd.at], "Argo", 4) == 0)
			break;
		if (rd.lines[rd.at][0] && strncmp(rd.lines[rd.at], "note: ", 6))
			mismatch("line %zu of the readable plan, '%s', is "
			    "after the last wave", rd.at + 1,
			    rd.lines[rd.at]);
	}
	reader_free(&rd);
	free(seen);
}

/* The rollouts */

/* Corners the golden cases do not take apart. */
static const struct {
	const char *name, *text;
} corners[] = {
	{ "needs-do-not-chain-through-a-service-absent-from-the-cluster",
	    /* in k2, a needs b, which is not there: a waits for nothing,
	     * not for c, which b needs */
	    "rollout r { version \"1\" }\n"
	    "group one { k1 }\ngroup two { k2 }\n"
	    "service a { in one, two; needs b }\n"
	    "service b { in one; needs c }\n"
	    "service c { in one, two }\n"
	    "wave w1 { in one }\nwave w2 { in two }\n" },
	{ "a-diamond-of-needs-in-several-lists",
	    "rollout r { version \"1\"; registry \"gcr.io/acme\"; "
	    "namespace argo; notify \"#x\"; deploy-template deploy }\n"
	    "group g { k }\n"
	    "service top { in g; needs left; needs right, base }\n"
	    "service left { in g; needs base }\n"
	    "service right { in g; needs mid }\n"
	    "service mid { in g; needs base }\n"
	    "service base { in g; image \"other/base\"; version \"9\" }\n"
	    "wave w { in g; parallel 3; soak 1h30m; approve; "
	    "on-failure rollback }\n" },
	{ "identical-clusters-fold-around-a-different-one",
	    "rollout r { version \"1\" }\n"
	    "group all { cluster-number-one-in-the-east, "
	    "cluster-number-two-in-the-east, odd, "
	    "cluster-number-three-in-the-east, "
	    "cluster-number-four-in-the-west }\n"
	    "group oddg { odd }\n"
	    "service a { in all }\nservice b { in all; needs a }\n"
	    "service c { in oddg; needs b }\n"
	    "wave w { in all }\n" },
};

/* The generated fleet: clusters k0..k5 in groups ga { k0, k1 },
 * gb { k1, k2, k3 } and gc { k4, k5 }; wave wN takes group N, so k1, in
 * two groups, goes out in the first wave. */
#define GEN_CLUSTERS 6
#define GEN_GROUPS 3
#define GEN_MAX_NEEDS 3
static const unsigned gen_group_clusters[GEN_GROUPS] = { 0x03, 0x0e, 0x30 };
static const int gen_wave_of[GEN_CLUSTERS] = { 0, 0, 1, 1, 2, 2 };

struct gen_service {
	unsigned groups;	/* bit g: in group g */
	int cluster;		/* a cluster named alone too, or -1 */
	unsigned where;		/* the clusters it runs in */
	int needs[GEN_MAX_NEEDS];
	int nneeds;
};

/* xorshift32: the same fleet from the same seed everywhere. */
static unsigned
gen_random(unsigned *state, unsigned n)
{
	*state ^= *state << 13;
	*state ^= *state >> 17;
	*state ^= *state << 5;
	return *state % n;
}

/* Whether t may need u: in every cluster of t, u runs too or is wholly
 * out in an earlier wave (check.c refuses anything else). */
static bool
gen_may_need(const struct gen_service *t, const struct gen_service *u)
{
	int c, last = 0;

	for (c = 0; c < GEN_CLUSTERS; c++)
		if (u->where >> c & 1 && gen_wave_of[c] > last)
			last = gen_wave_of[c];
	for (c = 0; c < GEN_CLUSTERS; c++)
		if (t->where >> c & 1 && !(u->where >> c & 1) &&
		    last >= gen_wave_of[c])
			return false;
	return true;
}

/* Places service i and picks its needs among services 0 .. i-1, half of
 * them among the ten before it, so that chains grow long. */
static void
gen_place(struct gen_service *sv, int i, unsigned *st)
{
	struct gen_service *t = &sv[i];
	int g, tries, j;

	t->groups = 1 + gen_random(st, 7);
	t->cluster = gen_random(st, 8) ? -1 : (int)gen_random(st, 6);
	t->where = t->cluster < 0 ? 0 : 1u << t->cluster;
	for (g = 0; g < GEN_GROUPS; g++)
		if (t->groups >> g & 1)
			t->where |= gen_group_clusters[g];
	for (tries = 0; i && tries < 6 && t->nneeds < GEN_MAX_NEEDS; tries++) {
		int u = gen_random(st, 2) ? (int)gen_random(st, (unsigned)i) :
		    i - 1 - (int)gen_random(st, i < 10 ? (unsigned)i : 10);

		for (j = 0; j < t->nneeds && t->needs[j] != u; j++)
			;
		if (j == t->nneeds && gen_may_need(t, &sv[u]))
			t->needs[t->nneeds++] = u;
	}
}

static void
gen_write_service(struct buf *b, const struct gen_service *t, int i,
    unsigned *st)
{
	const char *sep = "";
	int g, j;

	buf_printf(b, "service s%d { in", i);
	for (g = 0; g < GEN_GROUPS; g++) {
		if (t->groups >> g & 1) {
			buf_printf(b, "%s g%c", sep, 'a' + g);
			sep = ",";
		}
	}
	if (t->cluster >= 0)
		buf_printf(b, ", k%d", t->cluster);
	for (j = 0; j < t->nneeds; j++)
		buf_printf(b, "%ss%d", j == 0 ? "; needs " :
		    gen_random(st, 3) ? ", " : "; needs ", t->needs[j]);
	if (i % 10 == 3)
		buf_printf(b, "; version \"2.%d\"", i);
	if (i % 15 == 7)
		buf_printf(b, "; image \"mirror.example/s%d\"", i);
	buf_puts(b, " }\n");
}

static void
gen_write_wave(struct buf *b, int w, unsigned *st)
{
	static const char *const soaks[] = { "15m", "1h30m", "45s" };
	static const char *const failures[] = { "halt", "continue",
		"rollback" };
	unsigned parallel = gen_random(st, 4), soak = gen_random(st, 4);

	buf_printf(b, "wave w%d { in g%c", w, 'a' + w);
	if (parallel)
		buf_printf(b, "; parallel %u", parallel);
	if (soak)
		buf_printf(b, "; soak %s", soaks[soak - 1]);
	if (gen_random(st, 2))
		buf_puts(b, "; approve");
	buf_printf(b, "; on-failure %s }\n", failures[gen_random(st, 3)]);
}

/* A rollout of n services declared in a shuffled order, with random
 * acyclic needs (service i needs only services below i). */
static char *
gen_rollout(unsigned seed, int n)
{
	struct gen_service *sv = calloc((size_t)n, sizeof(*sv));
	int *order = malloc((size_t)n * sizeof(*order)), i, g;
	unsigned st = seed;
	struct buf b = { 0 };

	for (i = 0; i < n; i++) {
		int j = (int)gen_random(&st, (unsigned)i + 1);

		gen_place(sv, i, &st);
		order[i] = order[j];	/* inside-out Fisher-Yates */
		order[j] = i;
	}
	buf_printf(&b, "rollout gen-%u { version \"1.%u\"%s }\n", seed, seed,
	    seed % 2 ? "; registry \"gcr.io/gen\"" : "");
	for (g = 0; g < GEN_GROUPS; g++) {
		int c, sep = '{';

		buf_printf(&b, "group g%c ", 'a' + g);
		for (c = 0; c < GEN_CLUSTERS; c++) {
			if (gen_group_clusters[g] >> c & 1) {
				buf_printf(&b, "%c k%d", sep, c);
				sep = ',';
			}
		}
		buf_puts(&b, " }\n");
	}
	for (i = 0; i < n; i++)
		gen_write_service(&b, &sv[order[i]], order[i], &st);
	for (g = 0; g < GEN_GROUPS; g++)
		gen_write_wave(&b, g, &st);
	free(sv);
	free(order);
	return b.data;
}

/* Loads path with its imports, checks and plans it, as the command line
 * does. */
static struct result *
run_file(const char *path)
{
	struct result *r = calloc(1, sizeof(*r));
	struct program *prog;
	struct diag d;
	size_t len = 0;
	FILE *mem = open_memstream(&r->diags, &len);

	diag_init(&d, mem, false, false);
	prog = load_program(&r->arena, &d, path);
	if (prog && prog->nfiles)
		r->rollout = check_program(&r->arena, &d, prog);
	diag_finish(&d);
	fclose(mem);
	r->nerrors = d.nerrors;
	r->nwarnings = d.nwarnings;
	if (r->rollout)
		r->plan = plan_build(&r->arena, r->rollout);
	return r;
}

static void
check_rollout(struct result *r,
    void (*check)(const struct oracle *, const struct plan *))
{
	struct oracle o;

	if (!r->plan)
		mismatch("does not plan:\n%s", r->diags);
	oracle_init(&o, r->rollout);
	check(&o, r->plan);
	oracle_free(&o);
	result_free(r);
}

/* Every file that matches pattern (under the source tree). */
static size_t
check_files(const char *pattern,
    void (*check)(const struct oracle *, const struct plan *))
{
	glob_t g;
	size_t i;
	int rc = glob(pattern, 0, NULL, &g);

	if (rc != 0)
		fail_msg("no file matches %s", pattern);
	for (i = 0; i < g.gl_pathc; i++) {
		case_name = g.gl_pathv[i];
		check_rollout(run_file(g.gl_pathv[i]), check);
	}
	globfree(&g);
	return i;
}

/* Runs check on every rollout of the suite. */
static void
check_every_rollout(
    void (*check)(const struct oracle *, const struct plan *))
{
	static const unsigned seeds[] = { 1, 2, 3, 2026 };
	char name[64];
	size_t i;

	assert_true(check_files(SOURCE_ROOT "/examples/*/rollout.dsl", check)
	    >= 3);
	assert_true(check_files(SOURCE_ROOT "/tests/golden/ok-*.dsl", check)
	    >= 10);
	check_files(SOURCE_ROOT "/tests/golden/warn-*.dsl", check);
	for (i = 0; i < sizeof(corners) / sizeof(corners[0]); i++) {
		case_name = corners[i].name;
		check_rollout(run_text(corners[i].text), check);
	}
	for (i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++) {
		char *text = gen_rollout(seeds[i], 300);

		snprintf(name, sizeof(name), "a fleet generated from seed %u",
		    seeds[i]);
		case_name = name;
		check_rollout(run_text(text), check);
		free(text);
	}
}

/* The tests */

static void
json_plan_puts_each_deploy_in_its_cluster_and_step(
    void **state)
{
	(void)state;
	check_every_rollout(check_json_deploys);
}

static void
json_plan_keeps_every_need_of_every_deploy_only(void **state)
{
	(void)state;
	check_every_rollout(check_json_needs);
}

static void
json_plan_gives_the_models_waves_services_counts(
    void **state)
{
	(void)state;
	check_every_rollout(check_json_model);
}

static void
readable_plan_lists_each_cluster_once_with_steps(
    void **state)
{
	(void)state;
	check_every_rollout(check_text);
}

/* The generator must make what the suite claims to test: a fleet that
 * checks clean, with long chains, clusters too big for one Argo DAG, and
 * needs met by earlier waves rather than in the cluster. */
static void
generated_fleet_is_big_deep_and_needs_across_waves(void **state)
{
	char *text = gen_rollout(1, 300);
	struct result *r = run_text(text);
	struct oracle o;
	size_t i, j, across = 0;
	const char *at;

	(void)state;
	case_name = "a fleet generated from seed 1";
	/* clean but for the warnings of continue waves that later waves
	 * need from (their policies are random, and they are real) */
	assert_int_equal(r->nerrors, 0);
	for (i = 0, at = r->diags; (at = strstr(at, ": warning: ")); at++)
		i += strncmp(at, ": warning: the Workflow holds back ", 35) == 0;
	assert_int_equal(r->nwarnings, (int)i);
	oracle_init(&o, r->rollout);
	assert_int_equal(r->rollout->nservices, 300);
	assert_int_equal(o.nbusy, 6);
	assert_true(o.longest >= 8);
	for (i = 0; i < r->rollout->nservices; i++)
		for (j = 0; j < r->rollout->services[i]->nneeds; j++)
			across += !runs(&o, r->rollout->services[i]->needs[j],
			    r->rollout->services[i]->clusters[0]);
	assert_true(across >= 10);
	assert_true(r->plan->nshapes > 1);
	for (i = 0; i < r->plan->nshapes && r->plan->shapes[i]->nchunks < 2;
	    i++)
		;
	assert_true(i < r->plan->nshapes);
	oracle_free(&o);
	result_free(r);
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    json_plan_puts_each_deploy_in_its_cluster_and_step),
		cmocka_unit_test(
		    json_plan_keeps_every_need_of_every_deploy_only),
		cmocka_unit_test(
		    json_plan_gives_the_models_waves_services_counts),
		cmocka_unit_test(
		    readable_plan_lists_each_cluster_once_with_steps),
		cmocka_unit_test(
		    generated_fleet_is_big_deep_and_needs_across_waves),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
