/* test_parse.c: the parser reads the whole language and recovers from
 * syntax errors one mistake at a time. */
#include <string.h>

#include "support.h"

#define HEAD "rollout r { version \"1\" }\ngroup g { c1, c2 }\n" \
	"wave w { in g }\n"

static void
the_spec_example_parses_into_its_declarations(void **state)
{
	struct result *r = run_text(
	    "rollout weekly-train {\n"
	    "  version \"2026.48.1\"  # tag\n"
	    "  registry \"gcr.io/acme\"\n"
	    "  namespace argo\n"
	    "  notify \"#deploy-train\"\n"
	    "  deploy-template deploy-service\n"
	    "}\n"
	    "group us { us-central1-a, us-central1-b }\n"
	    "group edges {\n  edge-iad, edge-sjc\n  edge-fra, edge-sin\n}\n"
	    "service storage { in us, edges }\n"
	    "service ingest {\n  in us, edges\n  needs storage\n"
	    "  version \"2026.48.2\"\n  image \"gcr.io/acme/ingest-server\"\n}\n"
	    "wave canary { in us-central1-a; parallel 1; soak 15m; approve }\n"
	    "wave us { in us; parallel 2; soak 10m }\n"
	    "wave edges { in edges; parallel 2; on-failure continue }\n");

	(void)state;
	assert_int_equal(r->nerrors, 0);
	assert_int_equal(r->file->ndecls, 8);
	assert_int_equal(r->file->decls[2]->nmembers, 4);
	assert_int_equal(r->rollout->nwaves, 3);
	assert_int_equal(r->rollout->waves[0]->soak, 900);
	assert_int_equal(r->rollout->waves[2]->on_failure, FAIL_CONTINUE);
	assert_string_equal(r->rollout->deploy_template, "deploy-service");
	assert_string_equal(r->rollout->services[1]->image,
	    "gcr.io/acme/ingest-server");
	result_free(r);
}

static void
keywords_are_names_where_a_name_is_expected(void **state)
{
	struct result *r = run_text(HEAD
	    "service wave { in g }\n"
	    "service approve { in g; needs wave }\n"
	    "service in { in g; needs approve, wave }\n");

	(void)state;
	assert_int_equal(r->nerrors, 0);
	assert_string_equal(r->rollout->services[2]->name, "in");
	assert_int_equal(r->rollout->services[2]->nneeds, 2);
	result_free(r);
}

static void
declarations_need_no_newline_between_them(void **state)
{
	struct result *r = run_text("rollout r { version \"1\" } group g "
	    "{ c } service a { in g } service b { in g; needs a } "
	    "wave w { in g }");

	(void)state;
	assert_int_equal(r->nerrors, 0);
	assert_int_equal(r->rollout->nservices, 2);
	result_free(r);
}

static void
a_group_may_end_with_a_comma_and_span_lines(void **state)
{
	struct result *r = run_text("rollout r { version \"1\" }\n"
	    "group g {\n  c1,\n  c2\n  c3,\n}\nservice a { in g }\n"
	    "wave w { in g }\n");

	(void)state;
	assert_int_equal(r->nerrors, 0);
	assert_int_equal(r->rollout->groups[0]->nclusters, 3);
	result_free(r);
}

static void
a_needs_list_goes_on_after_a_comma_but_may_not_end_with_one(void **state)
{
	struct result *ok = run_text(HEAD "service a { in g }\n"
	    "service b { in g }\nservice c {\n  in g\n  needs a,\n    b\n}\n");
	struct result *bad = run_text(HEAD "service a { in g }\n"
	    "service c { in g; needs a, }\n");

	(void)state;
	assert_int_equal(ok->nerrors, 0);
	assert_int_equal(ok->rollout->services[2]->nneeds, 2);
	assert_int_equal(bad->nerrors, 1);
	assert_contains(bad->diags, "test.dsl:5:28: error: expected a name "
	    "after ',', found '}'");
	result_free(ok);
	result_free(bad);
}

static void
an_unclosed_brace_ends_at_the_next_declaration_line(void **state)
{
	struct result *r = run_text(HEAD "service a {\n  in g\n"
	    "service b { in g; needs a }\n");

	(void)state;
	assert_int_equal(r->nerrors, 1);
	assert_contains(r->diags, "test.dsl:6:1: error: expected '}' to "
	    "close '{' at line 4, found 'service'");
	/* b was parsed after the recovery, and a is no unknown name */
	assert_int_equal(r->file->ndecls, 5);
	result_free(r);
}

static void
one_mistake_gives_one_error(void **state)
{
	struct result *r = run_text(HEAD "service a { in g; version }\n"
	    "service b { in g; needs a }\nservice c { in g; needs x }\n");

	(void)state;
	assert_int_equal(r->nerrors, 2);
	assert_contains(r->diags, "test.dsl:4:27: error: expected a string "
	    "after 'version', found '}'");
	assert_contains(r->diags, "unknown service 'x' in needs");
	result_free(r);
}

static void
durations_are_parts_largest_unit_first(void **state)
{
	long s = 0;

	(void)state;
	assert_true(parse_duration("45s", 3, &s));
	assert_int_equal(s, 45);
	assert_true(parse_duration("1h30m", 5, &s));
	assert_int_equal(s, 5400);
	assert_true(parse_duration("2d", 2, &s));
	assert_int_equal(s, 172800);
	assert_true(parse_duration("1d2h3m4s", 8, &s));
	assert_int_equal(s, 93784);
	assert_false(parse_duration("10m1h", 5, &s));
	assert_false(parse_duration("1h1h", 4, &s));
	assert_false(parse_duration("5x", 2, &s));
	assert_false(parse_duration("01m", 3, &s));
	assert_false(parse_duration("m", 1, &s));
	assert_false(parse_duration("10", 2, &s));
}

static void
names_are_dns_labels(void **state)
{
	char long_name[65];

	(void)state;
	memset(long_name, 'a', 64);
	long_name[64] = '\0';
	assert_true(is_name("query-api", 9));
	assert_true(is_name("0day", 4));
	assert_true(is_name(long_name, 63));
	assert_false(is_name(long_name, 64));
	assert_false(is_name("Query", 5));
	assert_false(is_name("db_1", 4));
	assert_false(is_name("api-", 4));
}

static void
an_invalid_word_is_reported_where_it_stands(void **state)
{
	struct result *r = run_text(HEAD "service Storage { in g }\n"
	    "wave v { in g; parallel 01; soak 10m1h }\n");

	(void)state;
	assert_int_equal(r->nerrors, 3);
	assert_contains(r->diags, "test.dsl:4:9: error: invalid name "
	    "'Storage'");
	assert_contains(r->diags, "test.dsl:5:25: error: invalid number "
	    "'01'");
	assert_contains(r->diags, "test.dsl:5:34: error: invalid duration "
	    "'10m1h'");
	result_free(r);
}

static void
the_rollout_attributes_of_1_1_reach_the_model(void **state)
{
	struct result *r = run_text("rollout r {\n  version \"1\"\n"
	    "  deploy-timeout 1h30m\n  service-account ci-deployer\n}\n"
	    "group g { c1, c2 }\nwave w { in g }\nservice a { in g }\n");
	struct result *none = run_text(HEAD "service a { in g }\n");

	(void)state;
	assert_int_equal(r->nerrors, 0);
	assert_int_equal(r->rollout->deploy_timeout, 5400);
	assert_string_equal(r->rollout->deploy_timeout_text, "1h30m");
	assert_string_equal(r->rollout->service_account, "ci-deployer");
	/* not given: 0 (the emitter's default, 30m) and NULL */
	assert_int_equal(none->nerrors, 0);
	assert_int_equal(none->rollout->deploy_timeout, 0);
	assert_null(none->rollout->deploy_timeout_text);
	assert_null(none->rollout->service_account);
	result_free(r);
	result_free(none);
}

static void
the_new_keywords_are_names_where_a_name_is_expected(void **state)
{
	struct result *r = run_text("rollout r { version \"1\"; "
	    "service-account deploy-timeout }\ngroup g { service-account }\n"
	    "wave w { in g }\nservice deploy-timeout { in service-account }\n"
	    "service service-account { in g; needs deploy-timeout }\n");

	(void)state;
	assert_int_equal(r->nerrors, 0);
	assert_string_equal(r->rollout->service_account, "deploy-timeout");
	assert_string_equal(r->rollout->services[1]->name, "service-account");
	assert_int_equal(r->rollout->services[1]->nneeds, 1);
	result_free(r);
}

static void
the_new_attributes_belong_to_the_rollout_block_only(void **state)
{
	struct result *wave = run_text(HEAD "service a { in g }\n"
	    "wave v { deploy-timeout 5m }\n");
	struct result *roll = run_text("rollout r { parallel 2 }\n");

	(void)state;
	assert_int_equal(wave->nerrors, 1);
	assert_contains(wave->diags, "test.dsl:5:10: error: expected a wave "
	    "attribute (in, parallel, soak, approve or on-failure) or '}', "
	    "found 'deploy-timeout'");
	assert_int_equal(roll->nerrors, 1);
	assert_contains(roll->diags, "test.dsl:1:13: error: expected a "
	    "rollout attribute (version, registry, namespace, notify, "
	    "deploy-template, deploy-timeout, service-account or takes) or "
	    "'}', found 'parallel'");
	result_free(wave);
	result_free(roll);
}

static void
a_bad_deploy_timeout_or_service_account_is_reported_at_its_word(
    void **state)
{
	struct result *r = run_text("rollout r { deploy-timeout 90 }\n"
	    "rollout s { service-account Deployer }\n"
	    "rollout t { deploy-timeout }\n");

	(void)state;
	assert_contains(r->diags, "test.dsl:1:28: error: invalid duration "
	    "'90'");
	assert_contains(r->diags, "test.dsl:2:29: error: invalid name "
	    "'Deployer'");
	assert_contains(r->diags, "test.dsl:3:28: error: expected a duration "
	    "after 'deploy-timeout', found '}'");
	result_free(r);
}

/* Recovery goes on at a declaration keyword that starts a line; one
 * passed over after a stray token on its line is kept as a broken stub,
 * so its name is not then unknown. */
static void
a_stray_brace_before_a_service_on_its_line_gives_one_error(void **state)
{
	struct result *r = run_text(HEAD "} service s { in g }\n"
	    "service t { in g; needs s }\n");

	(void)state;
	assert_int_equal(r->nerrors, 1);
	assert_contains(r->diags, "test.dsl:4:1: error: expected a "
	    "declaration (rollout, import, group, service or wave), found "
	    "'}'\n");
	/* rollout, group, wave, the stub of s, t */
	assert_int_equal(r->file->ndecls, 5);
	assert_int_equal(r->file->decls[3]->kind, DECL_SERVICE);
	assert_true(r->file->decls[3]->broken);
	assert_string_equal(r->file->decls[3]->name.text, "s");
	assert_int_equal(r->file->decls[3]->nattrs, 0);
	assert_false(r->file->decls[4]->broken);
	result_free(r);
}

static void
a_stray_string_before_a_wave_on_its_line_gives_one_error(void **state)
{
	struct result *r = run_text("rollout r { version \"1\" }\n"
	    "group g { c1, c2 }\nservice a { in g }\n"
	    "\"stray\" wave w { in g }\n");

	(void)state;
	assert_int_equal(r->nerrors, 1);
	assert_contains(r->diags, "test.dsl:4:1: error: expected a "
	    "declaration (rollout, import, group, service or wave), found a "
	    "string\n");
	/* not "cluster 'c1' is in no wave" */
	assert_int_equal(r->file->ndecls, 4);
	assert_int_equal(r->file->decls[3]->kind, DECL_WAVE);
	assert_true(r->file->decls[3]->broken);
	result_free(r);
}

static void
only_a_keyword_with_a_name_and_a_brace_is_a_skipped_declaration(void **state)
{
	/* after the error at x, 'service' is a name in a list, and
	 * 'wave w' has no '{': neither is a declaration */
	struct result *r = run_text(HEAD "service a { in g x needs service, "
	    "wave w }\nservice b { in g; needs a }\n");

	(void)state;
	assert_int_equal(r->nerrors, 1);
	assert_int_equal(r->file->ndecls, 5);
	result_free(r);
}

static void
a_lookalike_in_a_name_is_named_with_its_column(void **state)
{
	/* Cyrillic 'а' (U+0430) for 'a', after a tab: column 9 */
	struct result *r = run_text(HEAD "service\t\xd0\xb0pi { in g }\n");

	(void)state;
	assert_int_equal(r->nerrors, 1);
	assert_contains(r->diags, "test.dsl:4:9: error: invalid name "
	    "'\xd0\xb0pi': U+0430 CYRILLIC SMALL LETTER A (looks like 'a') at "
	    "column 9\n");
	result_free(r);
}

static void
an_invisible_character_in_a_name_is_shown_by_number(void **state)
{
	struct result *r = run_text(HEAD "service api\xe2\x80\x8b { in g }\n"
	    "service b\xc2\xa0" "c { in g }\n");

	(void)state;
	assert_int_equal(r->nerrors, 2);
	assert_contains(r->diags, "test.dsl:4:9: error: invalid name "
	    "'api<U+200B>': U+200B ZERO WIDTH SPACE (invisible) at column "
	    "12\n");
	assert_contains(r->diags, "test.dsl:5:9: error: invalid name "
	    "'b<U+00A0>c': U+00A0 NO-BREAK SPACE (looks like a space) at "
	    "column 10\n");
	result_free(r);
}

static void
a_lookalike_in_a_keyword_is_named_in_a_help(void **state)
{
	struct result *r = run_text(HEAD "s\xd0\xb5rvice a { in g }\n"
	    "service b { \xd1\x96n g }\n");

	(void)state;
	assert_int_equal(r->nerrors, 2);
	assert_contains(r->diags, "found 's\xd0\xb5rvice'\n");
	assert_contains(r->diags, "      = help: it holds U+0435 CYRILLIC "
	    "SMALL LETTER IE (looks like 'e') at column 2\n");
	assert_contains(r->diags, "      = help: it holds U+0456 CYRILLIC "
	    "SMALL LETTER BYELORUSSIAN-UKRAINIAN I (looks like 'i') at column "
	    "13\n");
	result_free(r);
}

static void
keywords_are_near_their_slips(void **state)
{
	(void)state;
	assert_int_equal(word_nearness("grop", 4, "group"), 1);
	assert_int_equal(word_nearness("approval", 8, "approve"), 2);
	assert_int_equal(word_nearness("on-fail", 7, "on-failure"), 3);
	assert_int_equal(word_nearness("cluster-group", 13, "group"), 4);
	assert_int_equal(word_nearness("timeout", 7, "deploy-timeout"), 4);
	assert_int_equal(word_nearness("group", 5, "group"), 0);
	assert_int_equal(word_nearness("deploy", 6, "wave"), 0);
	/* a part of fewer than 4 letters is no hint: 'log-in' is not 'in' */
	assert_int_equal(word_nearness("log-in", 6, "in"), 0);
	assert_string_equal(word_nearest("servce", 6, decl_words, NDECLS,
	    ~0u), "service");
	assert_null(word_nearest("frobnicate", 10, decl_words, NDECLS, ~0u));
	/* only the words of the mask: 'need' is no wave attribute */
	assert_null(word_nearest("need", 4, attr_words, NATTRS,
	    1u << ATTR_PARALLEL | 1u << ATTR_SOAK));
}

static void
a_misspelt_declaration_keyword_is_one_error_and_declares_its_name(void **state)
{
	struct result *r = run_text(HEAD "grop g2 { c3 }\n"
	    "service a { in g, g2 }\nwave w2 { in g2 }\n");

	(void)state;
	assert_int_equal(r->nerrors, 1);
	assert_contains(r->diags, "test.dsl:4:1: error: expected a "
	    "declaration (rollout, import, group, service or wave), found "
	    "'grop'\n");
	assert_contains(r->diags, "      = help: did you mean 'group'?\n");
	assert_int_equal(r->file->decls[3]->kind, DECL_GROUP);
	assert_string_equal(r->file->decls[3]->name.text, "g2");
	assert_false(r->file->decls[3]->broken);
	assert_int_equal(r->file->decls[3]->nmembers, 1);
	result_free(r);
}

static void
a_keyword_is_guessed_only_before_a_declaration(void **state)
{
	/* 'grop' before a string, and a word far from every keyword: the
	 * syntax error alone, and the line is skipped as before */
	struct result *r = run_text(HEAD "grop \"x\"\n");

	(void)state;
	assert_int_equal(r->nerrors, 1);
	assert_contains(r->diags, "found 'grop'\n");
	assert_null(strstr(r->diags, "did you mean"));
	assert_int_equal(r->file->ndecls, 3);
	result_free(r);
	r = run_text(HEAD "frobnicate g2 { c3 }\n");
	assert_int_equal(r->nerrors, 1);
	assert_null(strstr(r->diags, "did you mean"));
	assert_int_equal(r->file->ndecls, 3);
	result_free(r);
}

static void
a_second_syntax_error_after_a_slip_only_breaks_the_declaration(void **state)
{
	struct result *r = run_text(HEAD "grop g2 { c3 c4 }\n"
	    "service a { in g2 }\nwave w2 { in g2 }\n");

	(void)state;
	assert_int_equal(r->nerrors, 1);
	assert_contains(r->diags, "did you mean 'group'?");
	assert_true(r->file->decls[3]->broken);
	/* broken, its name is still known: 'in g2' is not unknown */
	assert_null(strstr(r->diags, "unknown"));
	result_free(r);
}

static void
misspelt_attribute_keywords_are_read_as_the_ones_meant(void **state)
{
	struct result *r = run_text(HEAD "service a { in g }\n"
	    "service b { in g; need a }\n"
	    "wave w2 { approval; on-fail rollback }\n");
	struct decl *b, *w2;

	(void)state;
	/* one error per declaration: the second slip in w2 is read too,
	 * and said once the first is fixed */
	assert_int_equal(r->nerrors, 2);
	assert_contains(r->diags, "test.dsl:5:19: error: expected a service "
	    "attribute (in, needs, version, image or takes) or '}', found "
	    "'need'\n");
	assert_contains(r->diags, "= help: did you mean 'needs'?\n");
	assert_contains(r->diags, "test.dsl:6:11: error: expected a wave "
	    "attribute (in, parallel, soak, approve or on-failure) or '}', "
	    "found 'approval'\n");
	assert_contains(r->diags, "= help: did you mean 'approve'?\n");
	b = r->file->decls[4];
	w2 = r->file->decls[5];
	assert_false(b->broken);
	assert_int_equal(b->attrs[1]->kind, ATTR_NEEDS);
	assert_string_equal(b->attrs[1]->names[0].text, "a");
	assert_false(w2->broken);
	assert_int_equal(w2->nattrs, 2);
	assert_int_equal(w2->attrs[0]->kind, ATTR_APPROVE);
	assert_int_equal(w2->attrs[1]->kind, ATTR_ON_FAILURE);
	assert_int_equal(w2->attrs[1]->num, FAIL_ROLLBACK);
	result_free(r);
}

/* The value of the first attribute of the last declaration of text, which
 * has one error, whose help is help. */
static struct attr *
read_as_meant(struct result *r, const char *help)
{
	assert_int_equal(r->nerrors, 1);
	assert_contains(r->diags, help);
	assert_false(r->file->decls[r->file->ndecls - 1]->broken);
	return r->file->decls[r->file->ndecls - 1]->attrs[0];
}

static void
values_in_a_common_wrong_shape_are_read_as_meant(void **state)
{
	struct result *r;

	(void)state;
	r = run_text(HEAD "wave w2 { soak \"30m\"; approve }\n");
	assert_int_equal(read_as_meant(r, "test.dsl:4:16: error: expected a "
	    "duration after 'soak', found a string\n")->num, 1800);
	assert_contains(r->diags, "= help: write it without quotes: soak "
	    "30m\n");
	result_free(r);
	r = run_text(HEAD "wave w2 { soak 1h 30m; approve }\n");
	assert_int_equal(read_as_meant(r, "test.dsl:4:19: error: expected "
	    "';', a newline or '}', found '30m'\n")->num, 5400);
	assert_contains(r->diags, "= help: write it without spaces: soak "
	    "1h30m\n");
	result_free(r);
	r = run_text(HEAD "wave w2 { soak 30 m }\n");
	assert_int_equal(read_as_meant(r, "error: invalid duration '30'\n")->num,
	    1800);
	result_free(r);
	r = run_text(HEAD "wave w2 { parallel \"2\" }\n");
	assert_int_equal(read_as_meant(r, "= help: write it without quotes: "
	    "parallel 2\n")->num, 2);
	result_free(r);
	r = run_text(HEAD "service a { version 2026.49.2; in g }\n");
	assert_string_equal(read_as_meant(r, "= help: write it in double "
	    "quotes: version \"2026.49.2\"\n")->str, "2026.49.2");
	result_free(r);
	r = run_text("rollout r {\n  notify #deploy-train  \n  version \"1\"\n"
	    "}\ngroup g { c }\nservice a { in g }\nwave w { in g }\n");
	assert_int_equal(r->nerrors, 1);
	assert_contains(r->diags, "test.dsl:2:10: error: expected a string "
	    "after 'notify', found a comment\n");
	assert_false(r->file->decls[0]->broken);
	assert_int_equal(r->file->decls[0]->nattrs, 2);
	assert_string_equal(r->file->decls[0]->attrs[0]->str, "#deploy-train");
	assert_contains(r->diags, "      |          ^~~~~~~~~~~~~\n");
	result_free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_spec_example_parses_into_its_declarations),
		cmocka_unit_test(keywords_are_names_where_a_name_is_expected),
		cmocka_unit_test(declarations_need_no_newline_between_them),
		cmocka_unit_test(a_group_may_end_with_a_comma_and_span_lines),
		cmocka_unit_test(
		    a_needs_list_goes_on_after_a_comma_but_may_not_end_with_one),
		cmocka_unit_test(
		    an_unclosed_brace_ends_at_the_next_declaration_line),
		cmocka_unit_test(one_mistake_gives_one_error),
		cmocka_unit_test(durations_are_parts_largest_unit_first),
		cmocka_unit_test(names_are_dns_labels),
		cmocka_unit_test(an_invalid_word_is_reported_where_it_stands),
		cmocka_unit_test(the_rollout_attributes_of_1_1_reach_the_model),
		cmocka_unit_test(
		    the_new_keywords_are_names_where_a_name_is_expected),
		cmocka_unit_test(
		    the_new_attributes_belong_to_the_rollout_block_only),
		cmocka_unit_test(
		    a_bad_deploy_timeout_or_service_account_is_reported_at_its_word),
		cmocka_unit_test(
		    a_stray_brace_before_a_service_on_its_line_gives_one_error),
		cmocka_unit_test(
		    a_stray_string_before_a_wave_on_its_line_gives_one_error),
		cmocka_unit_test(
		  only_a_keyword_with_a_name_and_a_brace_is_a_skipped_declaration),
		cmocka_unit_test(a_lookalike_in_a_name_is_named_with_its_column),
		cmocka_unit_test(
		    an_invisible_character_in_a_name_is_shown_by_number),
		cmocka_unit_test(a_lookalike_in_a_keyword_is_named_in_a_help),
		cmocka_unit_test(keywords_are_near_their_slips),
		cmocka_unit_test(
		  a_misspelt_declaration_keyword_is_one_error_and_declares_its_name),
		cmocka_unit_test(a_keyword_is_guessed_only_before_a_declaration),
		cmocka_unit_test(
		    a_second_syntax_error_after_a_slip_only_breaks_the_declaration),
		cmocka_unit_test(
		    misspelt_attribute_keywords_are_read_as_the_ones_meant),
		cmocka_unit_test(values_in_a_common_wrong_shape_are_read_as_meant),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
