/* test_check.c: the checker finds every error and warning of the spec and
 * puts the caret where the spec says. */
#include <string.h>

#include "support.h"

#define HEAD "rollout r { version \"1\" }\ngroup g { c1, c2 }\n" \
	"wave w { in g }\n"

static void
an_unknown_need_suggests_the_close_name(void **state)
{
	struct result *r = run_text(HEAD "service storage { in g }\n"
	    "service api { in g; needs storge }\n");

	(void)state;
	assert_int_equal(r->nerrors, 1);
	assert_contains(r->diags,
	    "test.dsl:5:27: error: unknown service 'storge' in needs\n"
	    "    5 | service api { in g; needs storge }\n"
	    "      |                           ^~~~~~\n"
	    "      = help: did you mean 'storage'? (declared at "
	    "test.dsl:4:9)\n");
	result_free(r);
}

static void
an_unknown_cluster_is_never_a_new_cluster(void **state)
{
	struct result *r = run_text(HEAD "service a { in g, c3 }\n");

	(void)state;
	assert_int_equal(r->nerrors, 1);
	assert_contains(r->diags, "test.dsl:4:19: error: unknown cluster or "
	    "group 'c3'");
	assert_contains(r->diags, "did you mean 'c1'?");
	result_free(r);
}

static void
a_duplicate_points_at_the_second_with_a_note_at_the_first(void **state)
{
	struct result *r = run_text(HEAD "service a { in g }\n"
	    "service a { in g }\n");

	(void)state;
	assert_int_equal(r->nerrors, 1);
	assert_contains(r->diags, "test.dsl:5:9: error: duplicate service "
	    "'a'");
	assert_contains(r->diags, "test.dsl:4:9: note: 'a' is first "
	    "declared here");
	result_free(r);
}

static void
a_name_both_group_and_cluster_is_reported_where_declared_later(void **state)
{
	struct result *r = run_text(HEAD "group c2 { c3 }\n"
	    "service a { in g }\n");

	(void)state;
	assert_int_equal(r->nerrors, 1);
	assert_contains(r->diags, "test.dsl:4:7: error: 'c2' is both a group "
	    "and a cluster");
	result_free(r);
}

static void
a_cycle_is_printed_whole_with_each_needs_location(void **state)
{
	struct result *r = run_text(HEAD
	    "service a { in g; needs b }\n"
	    "service b { in g; needs c }\n"
	    "service c { in g; needs a }\n");

	(void)state;
	assert_int_equal(r->nerrors, 1);
	assert_contains(r->diags, "test.dsl:4:25: error: cycle of needs: "
	    "a -> b -> c -> a");
	assert_contains(r->diags, "test.dsl:5:25: note: 'b' needs 'c' here");
	assert_contains(r->diags, "test.dsl:6:25: note: 'c' needs 'a' here");
	result_free(r);
}

static void
a_service_that_needs_itself_is_an_error(void **state)
{
	struct result *r = run_text(HEAD "service a { in g; needs a }\n");

	(void)state;
	assert_int_equal(r->nerrors, 1);
	assert_contains(r->diags, "test.dsl:4:25: error: service 'a' needs "
	    "itself");
	result_free(r);
}

static void
a_cluster_in_no_wave_is_reported_at_the_group_that_brings_it(void **state)
{
	struct result *r = run_text("rollout r { version \"1\" }\n"
	    "group g { c1 }\ngroup h { c2 }\nwave w { in g }\n"
	    "service a { in g, h }\nservice b { in h }\n");

	(void)state;
	assert_int_equal(r->nerrors, 1);
	assert_contains(r->diags, "test.dsl:5:19: error: cluster 'c2' of "
	    "group 'h' is in no wave");
	result_free(r);
}

static void
a_need_the_waves_order_the_wrong_way_says_what_to_change(void **state)
{
	struct result *r = run_text("rollout r { version \"1\" }\n"
	    "group us { u1 }\ngroup edges { e1 }\n"
	    "wave edges { in edges }\nwave us { in us }\n"
	    "service db { in us }\nservice api { in edges; needs db }\n");

	(void)state;
	assert_int_equal(r->nerrors, 1);
	assert_contains(r->diags, "test.dsl:7:31: error: 'api' needs 'db', "
	    "which does not run in cluster 'e1' and is not rolled out before "
	    "wave 'edges'");
	assert_contains(r->diags, "help: add 'e1' to the 'in' of 'db', or "
	    "move wave 'us'");
	result_free(r);
}

static void
a_need_rolled_out_in_an_earlier_wave_is_fine(void **state)
{
	struct result *r = run_text("rollout r { version \"1\" }\n"
	    "group us { u1 }\ngroup edges { e1 }\n"
	    "wave us { in us }\nwave edges { in edges }\n"
	    "service db { in us }\nservice api { in edges; needs db }\n");

	(void)state;
	assert_int_equal(r->nerrors, 0);
	result_free(r);
}

static void
an_attribute_given_twice_points_at_the_second(void **state)
{
	struct result *r = run_text(HEAD "service a { in g; version \"1\"; "
	    "version \"2\" }\nwave v { in g; in g }\n");

	(void)state;
	assert_int_equal(r->nerrors, 1);
	assert_contains(r->diags, "test.dsl:4:32: error: 'version' is given "
	    "twice");
	assert_contains(r->diags, "test.dsl:4:19: note: first given here");
	result_free(r);
}

static void
deploy_timeout_and_service_account_given_twice_are_errors(void **state)
{
	struct result *r = run_text("rollout r {\n  deploy-timeout 10m\n"
	    "  service-account a\n  deploy-timeout 20m\n"
	    "  service-account b\n}\ngroup g { c1 }\nwave w { in g }\n"
	    "service s { in g; version \"1\" }\n");

	(void)state;
	assert_int_equal(r->nerrors, 2);
	assert_contains(r->diags, "test.dsl:4:3: error: 'deploy-timeout' is "
	    "given twice");
	assert_contains(r->diags, "test.dsl:2:3: note: first given here");
	assert_contains(r->diags, "test.dsl:5:3: error: 'service-account' is "
	    "given twice");
	assert_contains(r->diags, "test.dsl:3:3: note: first given here");
	result_free(r);
}

static void
deploy_timeout_zero_points_at_the_duration_with_help(void **state)
{
	struct result *r = run_text("rollout r { version \"1\"; "
	    "deploy-timeout 0h0m }\ngroup g { c1 }\nwave w { in g }\n"
	    "service s { in g }\n");

	(void)state;
	assert_int_equal(r->nerrors, 1);
	assert_null(r->rollout);
	assert_contains(r->diags, "test.dsl:1:41: error: 'deploy-timeout "
	    "0h0m' would fail every deploy\n"
	    "    1 | rollout r { version \"1\"; deploy-timeout 0h0m }\n"
	    "      |                                         ^~~~\n"
	    "      = help: give at least 1s, or leave 'deploy-timeout' out "
	    "for the default, 30m\n");
	result_free(r);
}

static void
deploy_timeout_holds_from_one_second_to_the_longest_go_duration(
    void **state)
{
	struct result *one = run_text("rollout r { version \"1\"; "
	    "deploy-timeout 1s }\ngroup g { c1 }\nwave w { in g }\n"
	    "service s { in g }\n");
	struct result *most = run_text("rollout r { version \"1\"; "
	    "deploy-timeout 2562047h }\ngroup g { c1 }\nwave w { in g }\n"
	    "service s { in g }\n");
	struct result *over = run_text("rollout r { version \"1\"; "
	    "deploy-timeout 106752d }\ngroup g { c1 }\nwave w { in g }\n"
	    "service s { in g }\n");

	(void)state;
	assert_int_equal(one->nerrors, 0);
	assert_int_equal(one->rollout->deploy_timeout, 1);
	assert_int_equal(most->nerrors, 0);
	assert_int_equal(most->rollout->deploy_timeout, 2562047L * 3600);
	assert_int_equal(over->nerrors, 1);
	assert_contains(over->diags, "test.dsl:1:41: error: deploy-timeout "
	    "'106752d' is longer than Argo can wait");
	result_free(one);
	result_free(most);
	result_free(over);
}

static void
takes_given_twice_or_zero_is_an_error_like_deploy_timeout(void **state)
{
	struct result *r = run_text("rollout r {\n  takes 2m\n"
	    "  takes 3m\n}\ngroup g { c1 }\nwave w { in g }\n"
	    "service s { in g; version \"1\"; takes 0s }\n");

	(void)state;
	assert_int_equal(r->nerrors, 2);
	assert_contains(r->diags, "test.dsl:3:3: error: 'takes' is given "
	    "twice");
	assert_contains(r->diags, "test.dsl:2:3: note: first given here");
	assert_contains(r->diags, "test.dsl:7:38: error: 'takes 0s' would "
	    "estimate a deploy at no time\n");
	assert_contains(r->diags, "= help: give at least 1s, or leave "
	    "'takes' out for the default, 5m\n");
	result_free(r);
}

static void
takes_defaults_from_the_service_then_the_rollout_then_five_minutes(
    void **state)
{
	struct result *none = run_text("rollout r { version \"1\" }\n"
	    "group g { c1 }\nwave w { in g }\nservice s { in g }\n"
	    "service t { in g; takes 1h30m }\n");
	struct result *roll = run_text("rollout r { version \"1\"; "
	    "takes 90s }\ngroup g { c1 }\nwave w { in g }\n"
	    "service s { in g }\nservice t { in g; takes 2m }\n");

	(void)state;
	assert_int_equal(none->nerrors, 0);
	assert_int_equal(none->rollout->takes, 300);
	assert_null(none->rollout->takes_text);
	assert_int_equal(none->rollout->services[0]->takes, 300);
	assert_null(none->rollout->services[0]->takes_text);
	assert_int_equal(none->rollout->services[1]->takes, 5400);
	assert_string_equal(none->rollout->services[1]->takes_text, "1h30m");
	assert_int_equal(roll->nerrors, 0);
	assert_int_equal(roll->rollout->takes, 90);
	assert_string_equal(roll->rollout->takes_text, "90s");
	assert_int_equal(roll->rollout->services[0]->takes, 90);
	assert_int_equal(roll->rollout->services[1]->takes, 120);
	result_free(none);
	result_free(roll);
}

static void
parallel_zero_points_at_the_zero(void **state)
{
	struct result *r = run_text(HEAD "service a { in g }\n"
	    "wave v { in g; parallel 0 }\n");

	(void)state;
	assert_int_equal(r->nerrors, 1);
	assert_contains(r->diags, "test.dsl:5:25: error: 'parallel 0'");
	result_free(r);
}

static void
a_service_with_no_in_is_reported_at_its_name(void **state)
{
	struct result *r = run_text(HEAD "service a { version \"2\" }\n");

	(void)state;
	assert_int_equal(r->nerrors, 1);
	assert_contains(r->diags, "test.dsl:4:9: error: service 'a' has no "
	    "'in'");
	result_free(r);
}

static void
a_missing_rollout_is_reported_at_the_top_of_the_file(void **state)
{
	struct result *r = run_text("\ngroup g { c }\nservice a { in g }\n"
	    "wave w { in g }\n");

	(void)state;
	assert_int_equal(r->nerrors, 1);
	assert_contains(r->diags, "test.dsl:1:1: error: no rollout "
	    "declaration");
	result_free(r);
}

static void
a_second_rollout_is_an_error(void **state)
{
	struct result *r = run_text(HEAD "service a { in g }\nrollout s\n");

	(void)state;
	assert_int_equal(r->nerrors, 1);
	assert_contains(r->diags, "test.dsl:5:1: error: a second rollout");
	result_free(r);
}

static void
unused_groups_empty_waves_and_missing_versions_are_warnings(void **state)
{
	struct result *r = run_text("rollout r\ngroup g { c1 }\n"
	    "group spare { c2 }\nwave w { in g }\nwave late { in c1 }\n"
	    "service a { in g }\nservice b { in g; version \"2\" }\n");

	(void)state;
	assert_int_equal(r->nerrors, 0);
	assert_int_equal(r->nwarnings, 3);
	assert_contains(r->diags, "test.dsl:1:9: warning: 1 service has no "
	    "version and deploys 'latest': 'a'");
	assert_contains(r->diags, "test.dsl:5:6: warning: wave 'late' has no "
	    "clusters");
	assert_contains(r->diags, "test.dsl:3:7: warning: group 'spare' is "
	    "not used");
	assert_non_null(r->plan);
	assert_string_equal(r->rollout->services[0]->version, "latest");
	result_free(r);
}

static void
reporting_stops_after_twenty_errors(void **state)
{
	struct buf b = { 0 };
	struct result *r;
	int i;

	(void)state;
	buf_puts(&b, HEAD);
	for (i = 0; i < 30; i++)
		buf_printf(&b, "service s%d { in g; needs sx%d }\n", i, i);
	r = run_text(b.data);
	assert_int_equal(r->nerrors, 20);
	assert_contains(r->diags, "too many errors (20), stopping");
	/* said last: after the 20th error's help, not before it */
	assert_true(strlen(r->diags) > 40);
	assert_string_equal(r->diags + strlen(r->diags) - 40,
	    "planner: too many errors (20), stopping\n");
	buf_free(&b);
	result_free(r);
}

/* Argo evaluates '{{' in the Workflow, and these strings go there as
 * written: the caret under the '{{' as written. */
static void
a_string_argo_would_evaluate_is_an_error_at_its_braces(void **state)
{
	struct result *r = run_text("rollout r {\n"
	    "  version \"{{inputs.parameters.cluster}}\"\n"
	    "  registry \"r/{{workflow.name}}\"; notify \"#{{x}}\"\n}\n"
	    "group g { c1, c2 }\nwave w { in g }\n"
	    "service a { in g; image \"x\\\"{{=sprig.env('HOME')}}\" }\n"
	    "service b { in g; version \"{x} }} {\\t{\" }\n");

	(void)state;
	assert_int_equal(r->nerrors, 4);
	assert_contains(r->diags, "test.dsl:2:12: error: '{{' in version: "
	    "Argo would evaluate '{{...}}' as an expression\n"
	    "    2 |   version \"{{inputs.parameters.cluster}}\"\n"
	    "      |            ^~\n");
	assert_contains(r->diags, "test.dsl:3:15: error: '{{' in registry");
	assert_contains(r->diags, "test.dsl:3:44: error: '{{' in notify");
	/* after an escaped quote: the column of the braces as written */
	assert_contains(r->diags, "test.dsl:7:29: error: '{{' in image");
	assert_contains(r->diags, "= help: the string goes into the Workflow "
	    "as written, where '{{' starts an expression");
	result_free(r);
}

/* The bounded search still gives what the whole search gave: the least
 * distance, and among equals the name declared first, whatever their
 * lengths. */
static void
a_suggestion_is_the_first_declared_of_the_closest_names(void **state)
{
	struct result *r = run_text(HEAD "service abcdx { in g }\n"
	    "service abce { in g }\nservice abxy { in g }\n"
	    "service z { in g; needs abcd }\n");
	struct result *s = run_text(HEAD "service abxy { in g }\n"
	    "service abcdef { in g }\nservice abcf { in g }\n"
	    "service z { in g; needs abcd }\n");

	(void)state;
	assert_contains(r->diags, "did you mean 'abcdx'?");
	assert_contains(s->diags, "did you mean 'abcf'?");
	result_free(r);
	result_free(s);
}

/* 25,000 names of the unknown name's length, none close: the search stops
 * after 20,000 of them (SUGGEST_LOOKS), so a close name declared after
 * them is missed, and one declared before them is found. */
static void
the_suggestion_search_looks_at_a_bounded_number_of_names(void **state)
{
	struct buf many = { 0 }, late = { 0 }, early = { 0 };
	struct result *r, *s;
	int i;

	(void)state;
	for (i = 0; i < 25000; i++)
		buf_printf(&many, "service svc-%05d { in g }\n", i);
	buf_printf(&late, "%s%sservice abc-zzzzy { in g }\n"
	    "service z { in g; needs abc-zzzzz }\n", HEAD, many.data);
	buf_printf(&early, "%sservice abc-zzzzy { in g }\n%s"
	    "service z { in g; needs abc-zzzzz }\n", HEAD, many.data);
	r = run_text(late.data);
	s = run_text(early.data);
	assert_int_equal(r->nerrors, 1);
	assert_contains(r->diags, "unknown service 'abc-zzzzz' in needs\n");
	assert_null(strstr(r->diags, "did you mean"));
	assert_contains(s->diags, "did you mean 'abc-zzzzy'?");
	result_free(r);
	result_free(s);
	buf_free(&many);
	buf_free(&late);
	buf_free(&early);
}

/* The number of warnings a rollout of one group of the given clusters,
 * all in one wave and one service, gives. */
static int
typo_warnings(const char *clusters)
{
	struct buf b = { 0 };
	struct result *r;
	int n;

	buf_printf(&b, "rollout r { version \"1\" }\ngroup g { %s }\n"
	    "service a { in g }\nwave w { in g }\n", clusters);
	r = run_text(b.data);
	n = r->nwarnings;
	assert_int_equal(r->nerrors, 0);
	result_free(r);
	buf_free(&b);
	return n;
}

static void
a_cluster_one_letter_from_another_is_a_likely_typo(void **state)
{
	(void)state;
	/* swapped, inserted, deleted, changed, in a part not the last */
	assert_int_equal(typo_warnings("europe-west4-a, europe-wset4-a"), 1);
	assert_int_equal(typo_warnings("europe-west4-a, europe-wesst4-a"), 1);
	assert_int_equal(typo_warnings("europe-west4-a, europe-wst4-a"), 1);
	assert_int_equal(typo_warnings("europe-west4-a, europe-wast4-a"), 1);
	assert_int_equal(typo_warnings("edge-iad, edgw-iad"), 1);
	/* digits, the last part, short parts and two slips never count */
	assert_int_equal(typo_warnings("europe-west1-b, europe-west4-b"), 0);
	assert_int_equal(typo_warnings("europe-west1-b, europe-wes1t-b"), 0);
	assert_int_equal(typo_warnings("us-central1-a, us-central1-b"), 0);
	assert_int_equal(typo_warnings("edge-iad, edge-sjc, c0, c1"), 0);
	assert_int_equal(typo_warnings("eu-wst1-b, eu-wts1-b"), 0);
	assert_int_equal(typo_warnings("europe-west4-a, europe-wsat4-a"), 0);
	assert_int_equal(typo_warnings("europe-west4-a, asia-west4-a"), 0);
}

static void
a_typo_is_reported_once_at_the_name_named_less(void **state)
{
	struct result *r = run_text("rollout r { version \"1\" }\n"
	    "group us { us-cetnral1-a, us-east1-b }\n"
	    "group in { us-central1-a }\n"
	    "service a { in us, in }\n"
	    "wave canary { in us-central1-a }\nwave us { in us }\n");

	(void)state;
	assert_int_equal(r->nwarnings, 1);
	assert_contains(r->diags, "test.dsl:2:12: warning: cluster "
	    "'us-cetnral1-a' looks like a misspelling of 'us-central1-a'\n");
	assert_contains(r->diags, "test.dsl:3:12: note: 'us-central1-a' is "
	    "declared here\n");
	result_free(r);
}

static void
a_typo_in_no_wave_is_one_error_that_never_says_add_it(void **state)
{
	struct result *r = run_text("rollout r { version \"1\" }\n"
	    "group us { us-central1-a }\ngroup in { us-centrl1-a }\n"
	    "service a { in us, in }\nwave us { in us }\n");

	(void)state;
	assert_int_equal(r->nerrors, 1);
	assert_int_equal(r->nwarnings, 0);
	assert_contains(r->diags, "help: 'us-centrl1-a' is one letter from "
	    "'us-central1-a' (declared at test.dsl:2:12), which wave 'us' "
	    "deploys: if they are one cluster, spell them alike\n");
	assert_null(strstr(r->diags, "to the 'in' of a wave"));
	result_free(r);
}

static void
a_cluster_an_earlier_wave_took_is_a_warning_naming_both_waves(void **state)
{
	struct result *r = run_text("rollout r { version \"1\" }\n"
	    "group us { u1, u2 }\ngroup eu { e1 }\n"
	    "service a { in us, eu }\n"
	    "wave us { in us }\nwave eu { in eu, u2 }\n");

	(void)state;
	assert_int_equal(r->nerrors, 0);
	assert_int_equal(r->nwarnings, 1);
	assert_contains(r->diags, "test.dsl:6:18: warning: 'u2' is already in "
	    "wave 'us' (a cluster belongs to the first wave that names it): "
	    "wave 'eu' will not deploy it\n");
	result_free(r);
}

static void
a_wrong_wave_order_lists_every_cluster_and_each_wave_of_the_need(
    void **state)
{
	struct result *r = run_text("rollout r { version \"1\" }\n"
	    "group us { u1, u2 }\ngroup edges { e1, e2 }\n"
	    "service db { in us }\nservice api { in us, edges; needs db }\n"
	    "wave edges { in edges }\nwave canary { in u1 }\n"
	    "wave us { in us }\n");

	(void)state;
	assert_int_equal(r->nerrors, 1);
	assert_contains(r->diags, "test.dsl:5:35: error: 'api' needs 'db', "
	    "which does not run in clusters 'e1' and 'e2' and is not rolled "
	    "out before wave 'edges'\n");
	assert_contains(r->diags, "test.dsl:7:6: note: wave 'canary' deploys "
	    "'db' to 'u1'\n");
	assert_contains(r->diags, "test.dsl:8:6: note: wave 'us' deploys "
	    "'db' to 'u2'\n");
	/* moving us before edges would not do: us names u1, which canary
	 * owns; moved, us would own it */
	assert_contains(r->diags, "help: add 'edges' to the 'in' of 'db'\n");
	result_free(r);
}

static void
a_moved_wave_is_suggested_only_when_it_fixes_the_need(void **state)
{
	struct result *r = run_text("rollout r { version \"1\" }\n"
	    "group us { u1, u2 }\ngroup eu { e1 }\ngroup edges { x1 }\n"
	    "service db { in us, eu }\nservice api { in edges; needs db }\n"
	    "wave us { in us }\nwave edges { in edges }\nwave eu { in eu }\n");

	(void)state;
	assert_int_equal(r->nerrors, 1);
	assert_contains(r->diags, "help: add 'x1' to the 'in' of 'db', or "
	    "move wave 'eu' before wave 'edges'\n");
	result_free(r);
}

static void
a_soak_over_a_week_and_a_continue_wave_others_need_are_warnings(
    void **state)
{
	struct result *r = run_text("rollout r { version \"1\" }\n"
	    "group a { a1 }\ngroup b { b1 }\n"
	    "service db { in a }\nservice api { in b; needs db }\n"
	    "wave first { in a; soak 7d1s; on-failure continue }\n"
	    "wave second { in b; soak 7d }\n");

	(void)state;
	assert_int_equal(r->nerrors, 0);
	assert_int_equal(r->nwarnings, 2);
	assert_contains(r->diags, "test.dsl:6:25: warning: 'soak 7d1s' is "
	    "longer than a week\n");
	assert_contains(r->diags, "test.dsl:6:42: warning: the Workflow holds "
	    "back 'api' in later waves when wave 'first' has any failure\n");
	result_free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(an_unknown_need_suggests_the_close_name),
		cmocka_unit_test(an_unknown_cluster_is_never_a_new_cluster),
		cmocka_unit_test(
		    a_duplicate_points_at_the_second_with_a_note_at_the_first),
		cmocka_unit_test(
		    a_name_both_group_and_cluster_is_reported_where_declared_later),
		cmocka_unit_test(
		    a_cycle_is_printed_whole_with_each_needs_location),
		cmocka_unit_test(a_service_that_needs_itself_is_an_error),
		cmocka_unit_test(
		    a_cluster_in_no_wave_is_reported_at_the_group_that_brings_it),
		cmocka_unit_test(
		    a_need_the_waves_order_the_wrong_way_says_what_to_change),
		cmocka_unit_test(a_need_rolled_out_in_an_earlier_wave_is_fine),
		cmocka_unit_test(an_attribute_given_twice_points_at_the_second),
		cmocka_unit_test(
		    deploy_timeout_and_service_account_given_twice_are_errors),
		cmocka_unit_test(
		    takes_given_twice_or_zero_is_an_error_like_deploy_timeout),
		cmocka_unit_test(
		    takes_defaults_from_the_service_then_the_rollout_then_five_minutes),
		cmocka_unit_test(
		    deploy_timeout_zero_points_at_the_duration_with_help),
		cmocka_unit_test(
		    deploy_timeout_holds_from_one_second_to_the_longest_go_duration),
		cmocka_unit_test(parallel_zero_points_at_the_zero),
		cmocka_unit_test(a_service_with_no_in_is_reported_at_its_name),
		cmocka_unit_test(
		    a_missing_rollout_is_reported_at_the_top_of_the_file),
		cmocka_unit_test(a_second_rollout_is_an_error),
		cmocka_unit_test(
		    unused_groups_empty_waves_and_missing_versions_are_warnings),
		cmocka_unit_test(reporting_stops_after_twenty_errors),
		cmocka_unit_test(
		    a_string_argo_would_evaluate_is_an_error_at_its_braces),
		cmocka_unit_test(
		    a_suggestion_is_the_first_declared_of_the_closest_names),
		cmocka_unit_test(
		    the_suggestion_search_looks_at_a_bounded_number_of_names),
		cmocka_unit_test(
		    a_cluster_one_letter_from_another_is_a_likely_typo),
		cmocka_unit_test(a_typo_is_reported_once_at_the_name_named_less),
		cmocka_unit_test(
		    a_typo_in_no_wave_is_one_error_that_never_says_add_it),
		cmocka_unit_test(
		    a_cluster_an_earlier_wave_took_is_a_warning_naming_both_waves),
		cmocka_unit_test(
		    a_wrong_wave_order_lists_every_cluster_and_each_wave_of_the_need),
		cmocka_unit_test(
		    a_moved_wave_is_suggested_only_when_it_fixes_the_need),
		cmocka_unit_test(
		    a_soak_over_a_week_and_a_continue_wave_others_need_are_warnings),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
