/* test_select.c: the selection (select.c): --only and its closures,
 * --from-wave, --clusters and live state narrow the plan; a deploy left out
 * counts as done and orders nothing; the readable and JSON plans say what
 * was kept and why.  The last test holds random rollouts and selections
 * against a computation of its own, by brute force. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "support.h"

/* The train of docs/language.md, with a chain c <- b <- a in us. */
static const char train[] =
    "rollout r { version \"2\" }\n"
    "group us { u1, u2 }\ngroup eu { e1, e2 }\ngroup edges { x1 }\n"
    "service storage { in us, eu, edges }\n"
    "service auth { in us, eu }\n"
    "service api { in us, eu; needs storage, auth }\n"
    "service web { in us, eu; needs api }\n"
    "service ingest { in us, eu, edges; needs storage; version \"3\" }\n"
    "wave canary { in u1; soak 15m; approve }\n"
    "wave us { in us; soak 10m }\n"
    "wave eu { in eu; approve }\n"
    "wave edges { in edges }\n";

/* A selection of a whole rollout: its plan, or the message refusing it. */
struct picked {
	struct result *whole;
	struct plan *plan;
	const char *why;
	struct state *state;
	char *text;		/* the readable plan */
};

/* Plans sel of text; state_json, when not NULL, is the --state file. */
static struct picked
pick_of(const char *text, struct selection sel, const char *state_json)
{
	struct picked p = { 0 };

	p.whole = run_text(text);
	if (!p.whole->rollout)
		print_error("%s\n%s", text, p.whole->diags);
	assert_non_null(p.whole->rollout);
	if (state_json) {
		char path[] = "/tmp/test_select-XXXXXX";
		int fd = mkstemp(path);
		FILE *f;

		assert_true(fd >= 0);
		f = fdopen(fd, "w");
		fputs(state_json, f);
		fclose(f);
		p.state = state_read_file(&p.whole->arena, path);
		unlink(path);
		assert_non_null(p.state);
		sel.state = p.state;
	}
	p.plan = select_plan(&p.whole->arena, p.whole->rollout, &sel, &p.why);
	if (p.plan) {
		size_t len;
		FILE *f = open_memstream(&p.text, &len);

		emit_text(f, p.plan, false, NULL, NULL);
		fclose(f);
	}
	return p;
}

static void
picked_free(struct picked *p)
{
	free(p->text);
	result_free(p->whole);
}

/* The steps of service in cluster, 0 when it is not planned there. */
static int
step_of(struct plan *p, const char *service, const char *cluster)
{
	struct deploy *d = find_deploy(p, service, cluster);

	return d ? d->step : 0;
}

static void
only_plans_the_named_services_and_their_needs_count_as_met(void **state)
{
	const char *only[] = { "api" };
	struct selection sel = { .only = only, .nonly = 1 };
	struct picked p = pick_of(train, sel, NULL);

	(void)state;
	assert_non_null(p.plan);
	/* api runs in four clusters; storage and auth are not planned, so
	 * api waits for nothing */
	assert_int_equal(p.plan->ndeploys, 4);
	assert_int_equal(find_deploy(p.plan, "api", "u1")->nneeds, 0);
	assert_int_equal(step_of(p.plan, "api", "u1"), 1);
	assert_int_equal(step_of(p.plan, "storage", "u1"), 0);
	/* the edges wave has nothing left: it is gone, gates and all */
	assert_int_equal(p.plan->nwaves, 3);
	assert_string_equal(p.plan->waves[2].wave->name, "eu");
	assert_contains(p.text, "rollout r: 1 of 5 services, 4 of 5 "
	    "clusters, 3 of 4 waves, 4 of 22 deploys\n");
	assert_contains(p.text, "selected: api (--only)\n");
	assert_contains(p.text, "waves dropped: edges (nothing left to "
	    "deploy)\n");
	assert_null(strstr(p.text, "wave edges"));
	picked_free(&p);
}

static void
with_needs_adds_what_they_need_transitively_and_says_why(void **state)
{
	const char *only[] = { "web" };
	struct selection sel = { .only = only, .nonly = 1,
		.with_needs = true };
	struct picked p = pick_of(train, sel, NULL);
	const struct selection_report *rep;

	(void)state;
	rep = p.plan->selection;
	assert_int_equal(rep->nselected, 4);
	assert_string_equal(rep->selected[0].service->name, "web");
	assert_int_equal(rep->selected[0].why, SELECTED_ONLY);
	assert_string_equal(rep->selected[1].service->name, "api");
	assert_string_equal(rep->selected[1].via->name, "web");
	assert_string_equal(rep->selected[2].service->name, "storage");
	assert_string_equal(rep->selected[3].service->name, "auth");
	assert_string_equal(rep->selected[3].via->name, "api");
	/* the order inside a cluster is the whole plan's */
	assert_int_equal(step_of(p.plan, "storage", "e2"), 1);
	assert_int_equal(step_of(p.plan, "api", "e2"), 2);
	assert_int_equal(step_of(p.plan, "web", "e2"), 3);
	/* storage runs in the edges too: a need is a service, all of it */
	assert_int_equal(step_of(p.plan, "storage", "x1"), 1);
	assert_null(find_deploy(p.plan, "ingest", "u1"));
	assert_contains(p.text, "selected: web (--only), api (needed by web), "
	    "storage, auth (needed by api)\n");
	picked_free(&p);
}

static void
with_dependents_adds_what_needs_them_transitively(void **state)
{
	const char *only[] = { "auth" };
	struct selection sel = { .only = only, .nonly = 1,
		.with_dependents = true };
	struct picked p = pick_of(train, sel, NULL);

	(void)state;
	assert_int_equal(p.plan->selection->nselected, 3);
	assert_int_equal(step_of(p.plan, "auth", "u2"), 1);
	assert_int_equal(step_of(p.plan, "api", "u2"), 2);
	assert_int_equal(step_of(p.plan, "web", "u2"), 3);
	/* api needs storage too, but dependents do not bring needs */
	assert_null(find_deploy(p.plan, "storage", "u2"));
	assert_contains(p.text, "selected: auth (--only), api (needs auth), "
	    "web (needs api)\n");
	picked_free(&p);
}

static void
there_is_no_order_through_a_deploy_left_out(void **state)
{
	/* web needs api needs storage: without api, web does not wait for
	 * storage */
	const char *only[] = { "web,storage" };
	struct selection sel = { .only = only, .nonly = 1 };
	struct picked p = pick_of(train, sel, NULL);

	(void)state;
	assert_int_equal(step_of(p.plan, "web", "u1"), 1);
	assert_int_equal(step_of(p.plan, "storage", "u1"), 1);
	assert_int_equal(find_deploy(p.plan, "web", "u1")->nneeds, 0);
	assert_int_equal(p.plan->nchain, 1);
	picked_free(&p);
}

static void
from_wave_drops_the_waves_before_it_and_keeps_later_gates(void **state)
{
	struct selection sel = { .from_wave = "eu" };
	struct picked p = pick_of(train, sel, NULL);

	(void)state;
	assert_int_equal(p.plan->nwaves, 2);
	assert_string_equal(p.plan->waves[0].wave->name, "eu");
	assert_true(p.plan->waves[0].wave->approve);
	assert_null(find_deploy(p.plan, "api", "u1"));
	assert_null(find_deploy(p.plan, "api", "u2"));
	assert_int_equal(step_of(p.plan, "api", "e1"), 2);
	assert_contains(p.text, "waves dropped: canary, us (before eu, "
	    "--from-wave)\n");
	assert_null(strstr(p.text, "soak 15m"));
	assert_contains(p.text, "displayName=approve-eu");
	picked_free(&p);
}

static void
clusters_keeps_those_named_and_a_group_stands_for_its_clusters(void **state)
{
	const char *clusters[] = { "edges", "u2" };
	struct selection sel = { .clusters = clusters, .nclusters = 2 };
	struct picked p = pick_of(train, sel, NULL);

	(void)state;
	assert_int_equal(p.plan->nclusters, 2);
	assert_int_equal(p.plan->ndeploys, 5 + 2);
	assert_string_equal(p.plan->waves[0].wave->name, "us");
	assert_contains(p.text, "clusters: u2, x1 (--clusters)\n");
	assert_contains(p.text, "waves dropped: canary, eu (nothing left to "
	    "deploy)\n");
	picked_free(&p);
}

static void
a_service_selected_with_nothing_left_is_named(void **state)
{
	const char *only[] = { "auth,ingest" }, *clusters[] = { "x1" };
	struct selection sel = { .only = only, .nonly = 1,
		.clusters = clusters, .nclusters = 1 };
	struct picked p = pick_of(train, sel, NULL);

	(void)state;
	assert_int_equal(p.plan->ndeploys, 1);
	assert_int_equal(p.plan->selection->selected[0].ndeploys, 0);
	assert_contains(p.text, "selected: auth, ingest (--only)\n"
	    "nothing left to deploy of: auth\n");
	picked_free(&p);
}

static void
unknown_names_are_refused_with_the_nearest(void **state)
{
	static const struct {
		const char *only, *clusters, *from_wave, *why;
	} cases[] = {
		{ "api,storge", NULL, NULL, "unknown service 'storge' in "
		    "--only; did you mean 'storage'?" },
		{ "zzzzzz", NULL, NULL, "unknown service 'zzzzzz' in --only" },
		{ "api,", NULL, NULL, "empty service name in --only 'api,'" },
		{ NULL, "u3", NULL, "unknown cluster 'u3' in --clusters; did "
		    "you mean 'u1'?" },
		{ NULL, "edge", NULL, "unknown cluster 'edge' in --clusters; "
		    "did you mean 'edges'?" },
		{ NULL, NULL, "canery", "unknown wave 'canery' in --from-wave; "
		    "did you mean 'canary'?" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct selection sel = { .only = &cases[i].only,
			.nonly = cases[i].only != NULL,
			.clusters = &cases[i].clusters,
			.nclusters = cases[i].clusters != NULL,
			.from_wave = cases[i].from_wave };
		struct picked p = pick_of(train, sel, NULL);

		assert_null(p.plan);
		assert_string_equal(p.why, cases[i].why);
		picked_free(&p);
	}
}

static void
no_selection_plans_the_whole_rollout_as_before(void **state)
{
	struct selection sel = { 0 };
	struct picked p = pick_of(train, sel, NULL);

	(void)state;
	assert_null(p.plan->selection);
	assert_int_equal(p.plan->ndeploys, p.whole->plan->ndeploys);
	assert_contains(p.text, "rollout r: 5 services, 5 clusters, 4 waves, "
	    "22 deploys\n");
	picked_free(&p);
}

/* u1 and e1 run everything at its version; u2 runs older ones, and
 * storage there at an unknown version; e2 lacks auth; x1 is unknown. */
static const char state_json[] =
    "{\"format\": 1, \"clusters\": {"
    "\"u1\": {\"storage\": \"2\", \"auth\": \"2\", \"api\": \"2\", "
    "\"web\": \"2\", \"ingest\": \"3\"},"
    "\"e1\": {\"storage\": \"2\", \"auth\": \"2\", \"api\": \"2\", "
    "\"web\": \"2\", \"ingest\": \"3\"},"
    "\"u2\": {\"storage\": null, \"auth\": \"1\", \"api\": \"1\", "
    "\"web\": \"1\", \"ingest\": \"2\"},"
    "\"e2\": {\"storage\": \"1\", \"api\": \"1\", \"web\": \"1\", "
    "\"ingest\": \"2\"}}}";

static void
state_leaves_out_what_is_current_and_shows_from_to(void **state)
{
	struct selection sel = { 0 };
	struct picked p = pick_of(train, sel, state_json);
	const struct selection_report *rep;

	(void)state;
	rep = p.plan->selection;
	assert_int_equal(rep->ncurrent, 10);
	assert_int_equal(p.plan->ndeploys, 22 - 10);
	assert_null(find_deploy(p.plan, "api", "u1"));
	/* current api in u1: the canary wave is gone */
	assert_string_equal(p.plan->waves[0].wave->name, "us");
	assert_string_equal(find_deploy(p.plan, "api", "u2")->from, "1");
	assert_null(find_deploy(p.plan, "storage", "u2")->from);
	assert_true(find_deploy(p.plan, "storage", "u2")->running);
	assert_false(find_deploy(p.plan, "auth", "e2")->running);
	assert_int_equal(rep->nstateless, 1);
	assert_string_equal(rep->stateless[0]->name, "x1");
	assert_contains(p.text, "skipped 10 deploys already at their "
	    "version\n");
	assert_contains(p.text, "  u2\n    step 1  storage unknown -> 2, "
	    "auth 1 -> 2\n    step 2  api 1 -> 2, ingest 2 -> 3\n");
	assert_contains(p.text, "  e2\n    step 1  storage 1 -> 2, "
	    "auth new -> 2\n");
	assert_contains(p.text, "  x1\n    step 1  storage new -> 2\n");
	assert_contains(p.text, "no state for: x1 (every deploy there is "
	    "new)\n");
	assert_contains(p.text, "waves dropped: canary (nothing left to "
	    "deploy)\n");
	picked_free(&p);
}

static void
clusters_fold_only_when_they_change_the_same_versions(void **state)
{
	static const char two[] = "{\"format\": 1, \"clusters\": {"
	    "\"e1\": {\"storage\": \"1\"}, \"e2\": {\"storage\": \"0\"},"
	    "\"u1\": {\"storage\": \"1\"}, \"u2\": {\"storage\": \"1\"}}}";
	const char *only[] = { "storage" };
	struct selection sel = { .only = only, .nonly = 1,
		.from_wave = "us" };
	struct picked p = pick_of(train, sel, two);

	(void)state;
	assert_contains(p.text, "  u2\n    step 1  storage 1 -> 2\n");
	assert_contains(p.text, "  e1\n    step 1  storage 1 -> 2\n"
	    "  e2\n    step 1  storage 0 -> 2\n");
	picked_free(&p);
}

static void
the_json_plan_gives_each_deploy_its_from(void **state)
{
	struct selection sel = { 0 };
	struct picked p = pick_of(train, sel, state_json);
	char *out = NULL;
	size_t len;
	FILE *f = open_memstream(&out, &len);
	const char *why;
	json_t *doc, *c;
	json_error_t err;

	(void)state;
	assert_true(emit_json(f, p.plan, &why));
	fclose(f);
	doc = json_loads(out, 0, &err);
	assert_non_null(doc);
	/* us-wave u2: storage (unknown), auth, ingest at step 1 */
	c = json_array_get(json_object_get(doc, "clusters"), 0);
	assert_string_equal(json_string_value(json_object_get(c, "name")),
	    "u2");
	assert_string_equal(json_string_value(json_array_get(json_array_get(
	    json_object_get(c, "from"), 0), 0)), "");
	assert_string_equal(json_string_value(json_array_get(json_array_get(
	    json_object_get(c, "from"), 0), 1)), "1");
	c = json_array_get(json_object_get(doc, "clusters"), 1);
	assert_true(json_is_null(json_array_get(json_array_get(
	    json_object_get(c, "from"), 0), 1)));
	c = json_object_get(doc, "selection");
	assert_int_equal(json_integer_value(json_object_get(c,
	    "skipped_current")), 10);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(
	    c, "whole"), "deploys")), 22);
	json_decref(doc);
	free(out);
	picked_free(&p);
}

/* A small random generator, the same every run. */
static unsigned long rng_state = 12345;

static unsigned
rnd(unsigned n)
{
	rng_state = rng_state * 6364136223846793005UL + 1442695040888963407UL;
	return (unsigned)((rng_state >> 33) % n);
}

#define MAXS 10
#define MAXK 8
#define MAXW 4

/* A random rollout that checks clean: a service's clusters are among those
 * of each of its needs, so no need is left to an earlier wave. */
struct gen {
	int ns, nk, nw, ng;
	bool needs[MAXS][MAXS];
	bool in[MAXS][MAXK];
	int version[MAXS];
	int group_of[MAXK];	/* groups partition the clusters */
	bool wave_in[MAXW][MAXK];
	int state[MAXS][MAXK];	/* 0 absent, 1 current, 2 other, 3 null */
	bool known[MAXK];	/* the state has the cluster */
};

static char *
gen_text(struct gen *g)
{
	struct buf b = { 0 };
	int i, j, k, n;

	g->ns = 1 + (int)rnd(MAXS);
	g->nk = 1 + (int)rnd(MAXK);
	g->nw = 1 + (int)rnd(MAXW);
	g->ng = 1 + (int)rnd(3);
	buf_puts(&b, "rollout r { version \"1\" }\n");
	for (k = 0; k < g->nk; k++)
		g->group_of[k] = k < g->ng ? k : (int)rnd((unsigned)g->ng);
	for (i = 0; i < g->ng && i < g->nk; i++) {
		buf_printf(&b, "group g%d {", i);
		for (k = 0, n = 0; k < g->nk; k++)
			if (g->group_of[k] == i)
				buf_printf(&b, "%s k%d", n++ ? "," : "", k);
		buf_puts(&b, " }\n");
	}
	for (i = 0; i < g->ns; i++) {
		bool can[MAXK];

		for (k = 0; k < g->nk; k++)
			can[k] = true;
		for (j = 0; j < i; j++) {
			g->needs[i][j] = rnd(3) == 0;
			for (k = 0, n = 0; g->needs[i][j] && k < g->nk; k++)
				n += can[k] && g->in[j][k];
			if (!n)
				g->needs[i][j] = false;
			for (k = 0; g->needs[i][j] && k < g->nk; k++)
				can[k] = can[k] && g->in[j][k];
		}
		for (k = 0, n = 0; k < g->nk; k++)
			n += g->in[i][k] = can[k] && rnd(3) != 0;
		for (k = 0; !n && k < g->nk; k++)
			if (can[k])
				n = g->in[i][k] = true;
		g->version[i] = 1 + (int)rnd(2);
		buf_printf(&b, "service s%d { in", i);
		for (k = 0, n = 0; k < g->nk; k++)
			if (g->in[i][k])
				buf_printf(&b, "%s k%d", n++ ? "," : "", k);
		for (j = 0, n = 0; j < i; j++)
			if (g->needs[i][j])
				buf_printf(&b, "%s s%d", n++ ? "," : "; needs",
				    j);
		buf_printf(&b, "; version \"%d\" }\n", g->version[i]);
		for (k = 0; k < g->nk; k++)
			g->state[i][k] = (int)rnd(4);
	}
	for (i = 0; i < g->nw; i++) {
		buf_printf(&b, "wave w%d { in", i);
		for (k = 0, n = 0; k < g->nk; k++)
			n += g->wave_in[i][k] = i == g->nw - 1 || rnd(3) == 0;
		if (!n)
			g->wave_in[i][rnd((unsigned)g->nk)] = true;
		for (k = 0, n = 0; k < g->nk; k++)
			if (g->wave_in[i][k])
				buf_printf(&b, "%s k%d", n++ ? "," : "", k);
		buf_printf(&b, "%s }\n", i % 2 ? "; soak 1m" : "; approve");
	}
	buf_putc(&b, '\0');
	return b.data;
}

static char *
gen_state(struct gen *g)
{
	struct buf b = { 0 };
	int i, k, n, m = 0;
	static const char *const other[] = { "1", "2" };

	buf_puts(&b, "{\"format\": 1, \"clusters\": {");
	for (k = 0; k < g->nk; k++) {
		if (!(g->known[k] = rnd(5) != 0))
			continue;	/* a cluster the state does not know */
		buf_printf(&b, "%s\"k%d\": {", m++ ? ", " : "", k);
		for (i = 0, n = 0; i < g->ns; i++) {
			const char *v = g->state[i][k] == 1 ?
			    other[g->version[i] - 1] : g->state[i][k] == 2 ?
			    other[2 - g->version[i]] : NULL;

			if (g->state[i][k] == 0)
				continue;
			buf_printf(&b, "%s\"s%d\": ", n++ ? ", " : "", i);
			if (v)
				buf_printf(&b, "\"%s\"", v);
			else
				buf_puts(&b, "null");
		}
		buf_puts(&b, "}");
	}
	buf_puts(&b, "}}");
	buf_putc(&b, '\0');
	return b.data;
}

static struct service *
service_named(const struct rollout *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->nservices; i++)
		if (strcmp(r->services[i]->name, name) == 0)
			return r->services[i];
	return NULL;
}

/*
 * Random rollouts and selections, each plan held against a brute-force
 * reading of the rules: the deploys are those of the services selected
 * (closures by fixpoint), in the clusters kept, not current, each once;
 * a deploy waits for exactly its direct needs planned in its cluster; the
 * plan's waves are those with deploys, in order.
 */
static void
random_selections_agree_with_brute_force(void **state)
{
	int round, needs = 0, current = 0, cut = 0, added = 0;

	(void)state;
	for (round = 0; round < 300; round++) {
		struct gen g = { 0 };
		char *text = gen_text(&g), *sj = NULL;
		const char *onlyv[MAXS], *clv[MAXK + 1], *fromw = NULL;
		char names[MAXS + MAXK + 1][16];
		bool sel[MAXS] = { 0 }, keep[MAXK], planned[MAXS][MAXK];
		bool byneeds[MAXS] = { 0 }, bydeps[MAXS] = { 0 };
		bool use_state = rnd(2), seen[MAXS][MAXK] = { { 0 } };
		struct selection s = { 0 };
		struct picked p;
		struct rollout *r;
		int i, j, k, w, nonly = 0, ncl = 0, nplanned = 0, from = 0;
		int ncurrent = 0, changed;

		if (rnd(3) != 0) {
			for (i = 0; i < g.ns; i++)
				if (rnd(3) == 0 || (i == g.ns - 1 && !nonly)) {
					snprintf(names[nonly], 16, "s%d", i);
					onlyv[nonly] = names[nonly];
					nonly++;
					sel[i] = byneeds[i] = bydeps[i] = true;
				}
			s.with_needs = rnd(2);
			s.with_dependents = rnd(2);
		} else {
			for (i = 0; i < g.ns; i++)
				sel[i] = true;
		}
		s.only = onlyv;
		s.nonly = (size_t)nonly;
		if (rnd(2)) {
			from = (int)rnd((unsigned)g.nw);
			snprintf(names[MAXS + MAXK], 16, "w%d", from);
			fromw = s.from_wave = names[MAXS + MAXK];
		}
		for (k = 0; k < g.nk; k++)
			keep[k] = true;
		if (rnd(2)) {
			for (k = 0; k < g.nk; k++)
				keep[k] = false;
			for (k = 0; k < g.nk; k++)
				if (rnd(3) == 0 || (k == g.nk - 1 && !ncl)) {
					/* a group, or a cluster */
					if (k < g.ng && rnd(2))
						snprintf(names[MAXS + ncl], 16,
						    "g%d", k);
					else
						snprintf(names[MAXS + ncl], 16,
						    "k%d", k);
					clv[ncl] = names[MAXS + ncl];
					ncl++;
				}
			s.clusters = clv;
			s.nclusters = (size_t)ncl;
			for (i = 0; i < ncl; i++) {
				int n = atoi(clv[i] + 1);

				for (k = 0; k < g.nk; k++)
					if (clv[i][0] == 'k' ? k == n :
					    g.group_of[k] == n)
						keep[k] = true;
			}
		}
		if (use_state)
			sj = gen_state(&g);
		p = pick_of(text, s, sj);
		assert_non_null(p.plan);
		r = p.whole->rollout;
		/* the closures, by fixpoint */
		do {
			changed = 0;
			for (i = 0; i < g.ns; i++)
				for (j = 0; j < g.ns; j++) {
					if (s.with_needs && byneeds[i] &&
					    g.needs[i][j] && !byneeds[j])
						changed = byneeds[j] = true;
					if (s.with_dependents && bydeps[j] &&
					    g.needs[i][j] && !bydeps[i])
						changed = bydeps[i] = true;
				}
		} while (changed);
		for (i = 0; nonly && i < g.ns; i++)
			sel[i] = byneeds[i] || bydeps[i];
		/* a cluster's wave: the first that takes it */
		for (k = 0; k < g.nk; k++) {
			for (w = 0; !g.wave_in[w][k]; w++)
				;
			if (w < from)
				keep[k] = false;
		}
		for (i = 0; i < g.ns; i++)
			for (k = 0; k < g.nk; k++) {
				planned[i][k] = sel[i] && keep[k] && g.in[i][k];
				if (planned[i][k] && sj && g.known[k] &&
				    g.state[i][k] == 1) {
					planned[i][k] = false;
					ncurrent++;
				}
				nplanned += planned[i][k];
			}
		/* every planned deploy once, nothing else */
		assert_int_equal(p.plan->ndeploys, nplanned);
		for (j = 0; j < (int)p.plan->ndeploys; j++) {
			struct deploy *d = &p.plan->deploys[j];
			int si = atoi(d->service->name + 1);
			int ki = atoi(d->cluster->name + 1), n = 0, step = 1;

			assert_true(planned[si][ki]);
			assert_false(seen[si][ki]);
			seen[si][ki] = true;
			/* exactly its direct needs planned in its cluster */
			for (i = 0; i < g.ns; i++) {
				n += g.needs[si][i] && planned[i][ki];
				cut += g.needs[si][i] && g.in[i][ki] &&
				    !planned[i][ki];
			}
			assert_int_equal(d->nneeds, n);
			needs += n;
			for (i = 0; i < (int)d->nneeds; i++) {
				int b = atoi(d->needs[i]->service->name + 1);

				assert_true(g.needs[si][b] && planned[b][ki]);
				assert_ptr_equal(d->needs[i]->cluster,
				    d->cluster);
				if (d->needs[i]->step + 1 > step)
					step = d->needs[i]->step + 1;
			}
			assert_int_equal(d->step, step);
			assert_non_null(service_named(r, d->service->name));
			if (p.state && g.known[ki] && g.state[si][ki] == 2) {
				assert_non_null(d->from);
				assert_true(d->running);
			}
			if (p.state && (!g.known[ki] || g.state[si][ki] == 0))
				assert_false(d->running);
		}
		/* the waves with deploys, in order, and no others */
		for (w = 0, j = 0; w < g.nw; w++) {
			int n = 0;

			for (k = 0; k < g.nk; k++) {
				int first;

				for (first = 0; !g.wave_in[first][k]; first++)
					;
				for (i = 0; first == w && i < g.ns; i++)
					n += planned[i][k];
			}
			/* the whole rollout keeps its empty waves */
			if (!n && p.plan->selection)
				continue;
			assert_true(j < (int)p.plan->nwaves);
			if (atoi(p.plan->waves[j].wave->name + 1) != w)
				print_error("%s\nfrom %d\n%s", text, from, p.text);
			assert_int_equal(atoi(p.plan->waves[j].wave->name + 1),
			    w);
			assert_int_equal(p.plan->waves[j].ndeploys, n);
			j++;
		}
		assert_int_equal(p.plan->nwaves, j);
		if (p.plan->selection && p.state)
			assert_int_equal(p.plan->selection->ncurrent,
			    ncurrent);
		current += ncurrent;
		if (p.plan->selection)
			added += (int)p.plan->selection->nselected - nonly;
		(void)fromw;
		picked_free(&p);
		free(text);
		free(sj);
	}
	/* the rounds met every case: needs kept and cut, deploys current,
	 * services the closures added */
	assert_true(needs > 100 && cut > 100 && current > 100 && added > 50);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    only_plans_the_named_services_and_their_needs_count_as_met),
		cmocka_unit_test(
		    with_needs_adds_what_they_need_transitively_and_says_why),
		cmocka_unit_test(
		    with_dependents_adds_what_needs_them_transitively),
		cmocka_unit_test(there_is_no_order_through_a_deploy_left_out),
		cmocka_unit_test(
		    from_wave_drops_the_waves_before_it_and_keeps_later_gates),
		cmocka_unit_test(
		    clusters_keeps_those_named_and_a_group_stands_for_its_clusters),
		cmocka_unit_test(a_service_selected_with_nothing_left_is_named),
		cmocka_unit_test(unknown_names_are_refused_with_the_nearest),
		cmocka_unit_test(
		    no_selection_plans_the_whole_rollout_as_before),
		cmocka_unit_test(
		    state_leaves_out_what_is_current_and_shows_from_to),
		cmocka_unit_test(
		    clusters_fold_only_when_they_change_the_same_versions),
		cmocka_unit_test(the_json_plan_gives_each_deploy_its_from),
		cmocka_unit_test(random_selections_agree_with_brute_force),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
