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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
