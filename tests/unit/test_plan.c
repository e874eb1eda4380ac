/* test_plan.c: the plan rules: deploys, needs inside a cluster, waves,
 * steps, shapes, splits and the longest chain. */
#include <string.h>

#include "support.h"

static void
every_service_deploys_once_to_each_of_its_clusters(void **state)
{
	struct result *r = run_text("rollout r { version \"1\" }\n"
	    "group us { u1, u2 }\ngroup eu { e1 }\n"
	    "service a { in us, u1, eu }\nservice b { in e1 }\n"
	    "wave w { in us, eu }\n");

	(void)state;
	assert_non_null(r->plan);
	assert_int_equal(r->plan->ndeploys, 4);
	assert_non_null(find_deploy(r->plan, "a", "u1"));
	assert_non_null(find_deploy(r->plan, "a", "u2"));
	assert_non_null(find_deploy(r->plan, "a", "e1"));
	assert_non_null(find_deploy(r->plan, "b", "e1"));
	result_free(r);
}

static void
needs_order_deploys_only_inside_their_cluster(void **state)
{
	struct result *r = run_text("rollout r { version \"1\" }\n"
	    "group us { u1 }\n"
	    "service api { in us; needs db, cache }\n"
	    "service db { in us }\nservice cache { in us }\n"
	    "service web { in us }\nwave w { in us }\n");
	struct deploy *api;

	(void)state;
	api = find_deploy(r->plan, "api", "u1");
	assert_int_equal(api->nneeds, 2);
	assert_string_equal(api->needs[0]->service->name, "db");
	assert_string_equal(api->needs[1]->service->name, "cache");
	assert_int_equal(api->step, 2);
	assert_int_equal(find_deploy(r->plan, "web", "u1")->nneeds, 0);
	assert_int_equal(find_deploy(r->plan, "web", "u1")->step, 1);
	result_free(r);
}

static void
a_need_from_an_earlier_wave_adds_no_edge_in_the_cluster(void **state)
{
	struct result *r = run_text("rollout r { version \"1\" }\n"
	    "group us { u1 }\ngroup edges { e1 }\n"
	    "service db { in us }\nservice ingest { in us, edges; needs db }\n"
	    "wave us { in us }\nwave edges { in edges }\n");
	struct deploy *edge;

	(void)state;
	edge = find_deploy(r->plan, "ingest", "e1");
	assert_int_equal(edge->nneeds, 0);
	assert_int_equal(edge->step, 1);
	assert_int_equal(find_deploy(r->plan, "ingest", "u1")->step, 2);
	result_free(r);
}

static void
a_cluster_belongs_to_the_first_wave_that_names_it(void **state)
{
	struct result *r = run_text("rollout r { version \"1\" }\n"
	    "group us { u1, u2, u3 }\nservice a { in us }\n"
	    "wave canary { in u2 }\nwave us { in us }\n");
	struct plan *p;

	(void)state;
	p = r->plan;
	assert_int_equal(p->waves[0].nclusters, 1);
	assert_string_equal(p->waves[0].clusters[0]->cluster->name, "u2");
	assert_int_equal(p->waves[1].nclusters, 2);
	assert_string_equal(p->waves[1].clusters[0]->cluster->name, "u1");
	assert_string_equal(p->waves[1].clusters[1]->cluster->name, "u3");
	result_free(r);
}

static void
steps_follow_the_longest_need_path(void **state)
{
	/* d needs b and c; b needs a; c needs nothing */
	struct result *r = run_text("rollout r { version \"1\" }\n"
	    "group g { k }\nservice d { in g; needs b, c }\n"
	    "service c { in g }\nservice b { in g; needs a }\n"
	    "service a { in g }\nwave w { in g }\n");
	struct plan *p;

	(void)state;
	p = r->plan;
	assert_int_equal(find_deploy(p, "a", "k")->step, 1);
	assert_int_equal(find_deploy(p, "c", "k")->step, 1);
	assert_int_equal(find_deploy(p, "b", "k")->step, 2);
	assert_int_equal(find_deploy(p, "d", "k")->step, 3);
	assert_int_equal(p->nchain, 3);
	assert_string_equal(p->chain[0]->service->name, "a");
	assert_string_equal(p->chain[1]->service->name, "b");
	assert_string_equal(p->chain[2]->service->name, "d");
	result_free(r);
}

static void
deploys_are_ordered_by_wave_cluster_step_then_service(void **state)
{
	struct result *r = run_text("rollout r { version \"1\" }\n"
	    "group g { k1, k2 }\nservice z { in g; needs y }\n"
	    "service y { in g }\nservice x { in g }\n"
	    "wave first { in k2 }\nwave second { in k1 }\n");
	static const char *const want[][2] = {
		{ "y", "k2" }, { "x", "k2" }, { "z", "k2" },
		{ "y", "k1" }, { "x", "k1" }, { "z", "k1" },
	};
	size_t i;

	(void)state;
	assert_int_equal(r->plan->ndeploys, 6);
	for (i = 0; i < 6; i++) {
		assert_string_equal(r->plan->deploys[i].service->name,
		    want[i][0]);
		assert_string_equal(r->plan->deploys[i].cluster->name,
		    want[i][1]);
		assert_int_equal(r->plan->deploys[i].index, i);
	}
	result_free(r);
}

static void
clusters_running_the_same_services_share_a_shape(void **state)
{
	struct result *r = run_text("rollout r { version \"1\" }\n"
	    "group us { u1, u2 }\ngroup eu { e1 }\n"
	    "service a { in us, eu }\nservice b { in us }\n"
	    "wave w { in us, eu }\n");
	struct plan *p;

	(void)state;
	p = r->plan;
	assert_int_equal(p->nshapes, 2);
	assert_ptr_equal(p->clusters[0].shape, p->clusters[1].shape);
	assert_ptr_not_equal(p->clusters[0].shape, p->clusters[2].shape);
	assert_int_equal(p->clusters[0].shape->nclusters, 2);
	result_free(r);
}

/* n services in one cluster; service i needs service i - 1 when chain. */
static struct result *
big_cluster(int n, bool chain)
{
	struct buf b = { 0 };
	struct result *r;
	int i;

	buf_puts(&b, "rollout r { version \"1\" }\ngroup g { k }\n"
	    "wave w { in g }\n");
	for (i = 0; i < n; i++) {
		buf_printf(&b, "service s%d { in g", i);
		if (chain && i > 0)
			buf_printf(&b, "; needs s%d", i - 1);
		buf_puts(&b, " }\n");
	}
	r = run_text(b.data);
	buf_free(&b);
	return r;
}

static void
a_cluster_within_argo_limits_is_not_split(void **state)
{
	struct result *r = big_cluster(ARGO_MAX_TASKS, false);

	(void)state;
	assert_int_equal(r->plan->shapes[0]->nchunks, 0);
	assert_int_equal(r->plan->split_steps, 1);
	result_free(r);
}

static void
independent_deploys_split_into_chunks_that_run_together(void **state)
{
	struct result *r = big_cluster(450, false);
	struct shape *sh;

	(void)state;
	sh = r->plan->shapes[0];
	assert_int_equal(sh->nchunks, 3);
	assert_int_equal(sh->chunks[2].count, 50);
	assert_int_equal(sh->chunks[1].ndeps, 0);
	assert_int_equal(sh->split_steps, 1);
	assert_int_equal(r->plan->deploys[449].chunk, 2);
	result_free(r);
}

static void
a_split_chain_keeps_its_order_and_its_length(void **state)
{
	struct result *r = big_cluster(450, true);
	struct shape *sh;

	(void)state;
	sh = r->plan->shapes[0];
	assert_int_equal(sh->nchunks, 3);
	assert_int_equal(sh->chunks[1].ndeps, 1);
	assert_int_equal(sh->chunks[1].deps[0], 0);
	assert_int_equal(sh->chunks[2].deps[0], 1);
	assert_int_equal(sh->nsteps, 450);
	assert_int_equal(sh->split_steps, 450);
	result_free(r);
}

static void
a_split_that_adds_order_says_how_much(void **state)
{
	/* 201 independent services: s200 lands in the second chunk, which
	 * waits for the whole first one because t needs s0 and s200. */
	struct buf b = { 0 };
	struct result *r;
	int i;

	(void)state;
	buf_puts(&b, "rollout r { version \"1\" }\ngroup g { k }\n"
	    "wave w { in g }\n");
	for (i = 0; i < 201; i++)
		buf_printf(&b, "service s%d { in g }\n", i);
	buf_puts(&b, "service t { in g; needs s0, s200 }\n");
	r = run_text(b.data);
	assert_int_equal(r->plan->shapes[0]->nsteps, 2);
	assert_int_equal(r->plan->shapes[0]->nchunks, 2);
	assert_int_equal(r->plan->shapes[0]->split_steps, 3);
	assert_int_equal(r->plan->split_steps, 3);
	buf_free(&b);
	result_free(r);
}

static void
a_cluster_takes_its_longest_chain_of_takes(void **state)
{
	/* db 10m then api 2m (12m) outlasts web (11m) and cache (1m) */
	struct result *r = run_text("rollout r { version \"1\"; takes 1m }\n"
	    "group g { c1 }\n"
	    "service db { in g; takes 10m }\nservice cache { in g }\n"
	    "service api { in g; needs db, cache; takes 2m }\n"
	    "service web { in g; takes 11m }\nwave w { in g }\n");
	struct plan *p;

	(void)state;
	p = r->plan;
	assert_int_equal(find_deploy(p, "cache", "c1")->finish, 60);
	assert_int_equal(find_deploy(p, "api", "c1")->finish, 720);
	assert_int_equal(p->clusters[0].takes, 720);
	assert_string_equal(p->clusters[0].last->service->name, "api");
	assert_int_equal(p->waves[0].estimate, 720);
	assert_int_equal(p->estimate, 720);
	assert_int_equal(p->ncritical, 2);
	assert_int_equal(p->critical[0].kind, PLAN_STEP_DEPLOY);
	assert_string_equal(p->critical[0].deploy->service->name, "db");
	assert_int_equal(p->critical[0].start, 0);
	assert_int_equal(p->critical[0].seconds, 600);
	assert_string_equal(p->critical[1].deploy->service->name, "api");
	assert_int_equal(p->critical[1].start, 600);
	assert_int_equal(p->critical[1].seconds, 120);
	result_free(r);
}

/* Clusters of 30m (c1), 10m (c2), 40m (c3) and 10m (c4), in one wave
 * with the policy given. */
static struct result *
four_clusters(const char *policy)
{
	struct buf b = { 0 };
	struct result *r;

	buf_printf(&b, "rollout r { version \"1\" }\n"
	    "group g { c1, c2, c3, c4 }\n"
	    "service a { in g; takes 10m }\n"
	    "service b { in c1; needs a; takes 20m }\n"
	    "service c { in c3; takes 40m }\n"
	    "wave w { in g%s }\n", policy);
	r = run_text(b.data);
	buf_free(&b);
	return r;
}

static void
clusters_start_in_plan_order_when_a_parallel_slot_frees(void **state)
{
	struct result *one = four_clusters("; parallel 1");
	struct result *two = four_clusters("; parallel 2");
	struct result *three = four_clusters("; parallel 3");
	struct result *all = four_clusters("");
	const struct plan_wave *w;

	(void)state;
	/* one at a time: 30 + 10 + 40 + 10 */
	assert_int_equal(one->plan->waves[0].estimate, 90 * 60);
	assert_int_equal(one->plan->clusters[3].start, 80 * 60);
	/* c1 0-30, c2 0-10, c3 10-50 (c2's slot), c4 30-40 (c1's) */
	w = &two->plan->waves[0];
	assert_int_equal(w->clusters[2]->start, 10 * 60);
	assert_int_equal(w->clusters[3]->start, 30 * 60);
	assert_int_equal(w->estimate, 50 * 60);
	assert_string_equal(w->slowest->cluster->name, "c3");
	assert_int_equal(two->plan->ncritical, 1);
	assert_string_equal(two->plan->critical[0].deploy->service->name,
	    "c");
	assert_int_equal(two->plan->critical[0].start, 10 * 60);
	/* c4 takes c2's slot at 10m and ends at 20m, before c3 */
	assert_int_equal(three->plan->clusters[3].start, 10 * 60);
	assert_int_equal(three->plan->waves[0].estimate, 40 * 60);
	/* all at once: the slowest cluster */
	assert_int_equal(all->plan->waves[0].deploying, 40 * 60);
	assert_int_equal(all->plan->estimate, 40 * 60);
	result_free(one);
	result_free(two);
	result_free(three);
	result_free(all);
}

static void
soaks_add_up_and_approvals_count_as_zero_but_are_listed(void **state)
{
	struct result *r = run_text("rollout r { version \"1\" }\n"
	    "group g { c1, c2 }\nservice s { in g }\n"
	    "wave a { in c1; parallel 1; soak 15m; approve }\n"
	    "wave b { in c2; soak 10m; approve }\n");
	struct plan *p;

	(void)state;
	p = r->plan;
	assert_int_equal(p->waves[0].deploying, 300);
	assert_int_equal(p->waves[0].estimate, 1200);
	assert_int_equal(p->waves[1].start, 1200);
	assert_int_equal(p->waves[1].estimate, 900);
	assert_int_equal(p->estimate, 2100);
	assert_int_equal(p->napprovals, 2);
	assert_int_equal(p->ncritical, 6);
	assert_int_equal(p->critical[1].kind, PLAN_STEP_SOAK);
	assert_int_equal(p->critical[1].start, 300);
	assert_int_equal(p->critical[1].seconds, 900);
	assert_int_equal(p->critical[2].kind, PLAN_STEP_APPROVE);
	assert_int_equal(p->critical[2].start, 1200);
	assert_int_equal(p->critical[2].seconds, 0);
	assert_int_equal(p->critical[3].kind, PLAN_STEP_DEPLOY);
	assert_string_equal(p->critical[3].deploy->cluster->name, "c2");
	assert_int_equal(p->critical[3].start, 1200);
	assert_int_equal(p->critical[5].kind, PLAN_STEP_APPROVE);
	assert_int_equal(p->critical[5].start, 2100);
	result_free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    every_service_deploys_once_to_each_of_its_clusters),
		cmocka_unit_test(needs_order_deploys_only_inside_their_cluster),
		cmocka_unit_test(
		    a_need_from_an_earlier_wave_adds_no_edge_in_the_cluster),
		cmocka_unit_test(
		    a_cluster_belongs_to_the_first_wave_that_names_it),
		cmocka_unit_test(steps_follow_the_longest_need_path),
		cmocka_unit_test(
		    deploys_are_ordered_by_wave_cluster_step_then_service),
		cmocka_unit_test(
		    clusters_running_the_same_services_share_a_shape),
		cmocka_unit_test(a_cluster_within_argo_limits_is_not_split),
		cmocka_unit_test(
		    independent_deploys_split_into_chunks_that_run_together),
		cmocka_unit_test(a_split_chain_keeps_its_order_and_its_length),
		cmocka_unit_test(a_split_that_adds_order_says_how_much),
		cmocka_unit_test(a_cluster_takes_its_longest_chain_of_takes),
		cmocka_unit_test(
		    clusters_start_in_plan_order_when_a_parallel_slot_frees),
		cmocka_unit_test(
		    soaks_add_up_and_approvals_count_as_zero_but_are_listed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
