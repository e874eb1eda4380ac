/* test_fmt.c: 'planner fmt' writes one canonical layout, keeps every
 * comment, changes no declaration, and leaves its own output alone. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "planner.h"

/* One parse of a string: its arena and its file. */
struct parsed {
	struct arena arena;
	struct file *file;
};

/* Parses text as "test.dsl" into p, failing the test on any error. */
static void
parse_text(struct parsed *p, const char *text)
{
	struct diag d;
	char *diags = NULL;
	size_t len = 0, n = strlen(text);
	FILE *mem = open_memstream(&diags, &len);

	memset(p, 0, sizeof(*p));
	diag_init(&d, mem, false, false);
	p->file = parse_source(&p->arena, &d, source_new(&p->arena,
	    "test.dsl", arena_strndup(&p->arena, text, n), n));
	diag_finish(&d);
	fclose(mem);
	if (d.nerrors)
		print_error("%s\nwhile parsing:\n%s\n", diags, text);
	free(diags);
	assert_int_equal(d.nerrors, 0);
}

/* The canonical form of text, on the heap. */
static char *
format(const char *text)
{
	struct parsed p;
	struct buf out = { 0 };
	char *s;

	parse_text(&p, text);
	fmt_file(&out, p.file);
	s = strdup(out.data);
	buf_free(&out);
	arena_free(&p.arena);
	return s;
}

/* Asserts that text formats to want, and that want formats to itself. */
static void
assert_fmt(const char *text, const char *want)
{
	char *got = format(text);
	char *again;

	assert_string_equal(got, want);
	again = format(got);
	assert_string_equal(again, got);
	free(again);
	free(got);
}

static void
single_attribute_block_goes_on_one_line(void **state)
{
	(void)state;
	assert_fmt("service auth {\n\tin   us ,eu\n}\n",
	    "service auth { in us, eu }\n");
	assert_fmt("rollout r {\n  version \"1\"\n}\n",
	    "rollout r { version \"1\" }\n");
}

static void
several_attributes_go_one_per_line_indented_two_spaces(void **state)
{
	(void)state;
	assert_fmt("wave canary {\n  in us-central1-a; parallel 1\n"
	    "  soak 15m; approve }\n",
	    "wave canary {\n"
	    "  in us-central1-a\n"
	    "  parallel 1\n"
	    "  soak 15m\n"
	    "  approve\n"
	    "}\n");
	assert_fmt("service c {\n ; in us, eu ;; needs a, b ; }",
	    "service c {\n  in us, eu\n  needs a, b\n}\n");
}

static void
block_written_on_one_line_stays_on_one_line_when_it_fits(void **state)
{
	(void)state;
	assert_fmt("wave canary { in us-central1-a; parallel 1; soak 15m; "
	    "approve }\n",
	    "wave canary { in us-central1-a; parallel 1; soak 15m; "
	    "approve }\n");
	assert_fmt("service x {in us;needs db;;}\n",
	    "service x { in us; needs db }\n");
	assert_fmt("service c { ; in us, eu ;; needs a, b ; }",
	    "service c { in us, eu; needs a, b }\n");
	/* two declarations on one line: each on its own, each one line */
	assert_fmt("service a { in x } service b { in x; needs a }\n",
	    "service a { in x }\nservice b { in x; needs a }\n");
}

static void
block_written_on_one_line_breaks_when_it_does_not_fit(void **state)
{
	(void)state;
	/* 80 columns exactly fit; 81 do not */
	assert_fmt("service s { in aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa; "
	    "needs bbbbbbbbbbbbbbb }\n",
	    "service s { in aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa; "
	    "needs bbbbbbbbbbbbbbb }\n");
	assert_fmt("service s { in aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa; "
	    "needs bbbbbbbbbbbbbbbb }\n",
	    "service s {\n  in aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n"
	    "  needs bbbbbbbbbbbbbbbb\n}\n");
	/* a comment inside keeps it over several lines */
	assert_fmt("service a { in x; needs y  # both\n}\n",
	    "service a {\n  in x\n  needs y  # both\n}\n");
}

static void
several_lines_stay_so_unless_one_attribute(void **state)
{
	(void)state;
	assert_fmt("service x {\n  in us; needs db\n}\n",
	    "service x {\n  in us\n  needs db\n}\n");
	assert_fmt("service x { in us\n  needs db }\n",
	    "service x {\n  in us\n  needs db\n}\n");
	/* one attribute: on one line when it fits, however written */
	assert_fmt("service x {\n  in us\n}\n", "service x { in us }\n");
}

static void
list_attributes_given_twice_stay_two_attributes(void **state)
{
	(void)state;
	assert_fmt("service a { in us; in eu }\n",
	    "service a { in us; in eu }\n");
	assert_fmt("service a {\n  in us; in eu\n}\n",
	    "service a {\n  in us\n  in eu\n}\n");
}

static void
empty_block_stays_empty_and_bare_rollout_stays_bare(void **state)
{
	(void)state;
	assert_fmt("rollout r {\n\n}\nrollout s\n",
	    "rollout r {}\nrollout s\n");
	assert_fmt("service x { ; }\n", "service x {}\n");
}

static void
values_are_written_as_the_language_spells_them(void **state)
{
	(void)state;
	assert_fmt("wave w { on-failure rollback; soak 1h30m; parallel 12 }\n"
	    "rollout r { namespace argo; deploy-template deploy-service }\n",
	    "wave w { on-failure rollback; soak 1h30m; parallel 12 }\n"
	    "rollout r { namespace argo; deploy-template deploy-service }\n");
}

static void
strings_are_re_escaped(void **state)
{
	(void)state;
	assert_fmt("rollout r { notify \"a\\\"b\\\\c\\nd\\te #x\" }\n"
	    "import \"dir\\\\a \\\"b\\\".dsl\"\n",
	    "rollout r { notify \"a\\\"b\\\\c\\nd\\te #x\" }\n"
	    "import \"dir\\\\a \\\"b\\\".dsl\"\n");
}

static void
keywords_used_as_names_are_written_as_names(void **state)
{
	(void)state;
	assert_fmt("rollout rollout { namespace namespace }\n"
	    "group group { in, soak }\n"
	    "service wave { in group\n needs approve, in }\n",
	    "rollout rollout { namespace namespace }\n"
	    "group group { in, soak }\n"
	    "service wave {\n  in group\n  needs approve, in\n}\n");
}

static void
one_blank_line_is_kept_between_declarations_and_none_added(void **state)
{
	(void)state;
	assert_fmt("\n\nrollout r\n\n\n\ngroup g { a }\ngroup h { b } "
	    "group i { c }\n\n\n",
	    "rollout r\n\ngroup g { a }\ngroup h { b }\ngroup i { c }\n");
}

static void
file_ends_with_one_newline_and_empty_file_stays_empty(void **state)
{
	(void)state;
	assert_fmt("rollout r", "rollout r\n");
	assert_fmt("", "");
	assert_fmt("\n\n\n", "");
}

static void
group_goes_on_one_line_when_it_fits(void **state)
{
	(void)state;
	assert_fmt("group edges {\n  edge-iad, edge-sjc\n  edge-fra\n"
	    "  edge-sin,\n}\n",
	    "group edges { edge-iad, edge-sjc, edge-fra, edge-sin }\n");
	assert_fmt("group us { a, b, }\n", "group us { a, b }\n");
}

static void
group_too_long_for_one_line_gets_one_member_per_line(void **state)
{
	(void)state;
	/* 80 columns exactly fit; 81 do not */
	assert_fmt("group g { aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaaaa, bbbbbb }\n",
	    "group g { aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaa, bbbbbb }\n");
	assert_fmt("group g { aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaaaa, bbbbbbb }\n",
	    "group g {\n"
	    "  aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa,\n"
	    "  bbbbbbb,\n"
	    "}\n");
}

static void
long_list_wraps_after_a_comma_indented_four_spaces(void **state)
{
	(void)state;
	assert_fmt("service s {\n  in cluster-00, cluster-01, cluster-02, "
	    "cluster-03, cluster-04, cluster-05, cluster-06, cluster-07, "
	    "cluster-08\n  needs a\n}\n",
	    "service s {\n"
	    "  in cluster-00, cluster-01, cluster-02, cluster-03, cluster-04, "
	    "cluster-05,\n"
	    "    cluster-06, cluster-07, cluster-08\n"
	    "  needs a\n"
	    "}\n");
}

static void
one_attribute_block_too_long_for_one_line_is_split(void **state)
{
	(void)state;
	assert_fmt("service s { in aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaa, bbbbbbbbbbbb }\n",
	    "service s {\n  in aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaa, bbbbbbbbbbbb\n}\n");
}

static void
own_line_comments_stay_before_the_item_that_follows(void **state)
{
	(void)state;
	assert_fmt("# head\n\n   # about r\nrollout r {\n"
	    "      # before version\n  version \"1\"\n}\n",
	    "# head\n\n# about r\nrollout r {\n"
	    "  # before version\n  version \"1\"\n}\n");
}

static void
end_of_line_comments_follow_their_item_after_two_spaces(void **state)
{
	(void)state;
	assert_fmt("rollout r {\n  version \"1\"        # tag   \n"
	    "  registry \"x\"\n}\nimport \"a.dsl\"# why\n",
	    "rollout r {\n  version \"1\"  # tag\n  registry \"x\"\n}\n"
	    "import \"a.dsl\"  # why\n");
}

static void
comment_after_a_closing_brace_stays_after_it(void **state)
{
	(void)state;
	assert_fmt("service a { in x } # one line\n"
	    "wave w { in x; soak 1m } # after the wave\n"
	    "wave v {\n  in x; soak 1m } # after the wave\n",
	    "service a { in x }  # one line\n"
	    "wave w { in x; soak 1m }  # after the wave\n"
	    "wave v {\n  in x\n  soak 1m\n}  # after the wave\n");
}

static void
comment_after_the_last_attribute_goes_before_the_brace(void **state)
{
	(void)state;
	assert_fmt("service a {\n  in x\n# last\n}\n",
	    "service a {\n  in x\n  # last\n}\n");
	assert_fmt("rollout r {\n  # only a comment\n}\n",
	    "rollout r {\n  # only a comment\n}\n");
}

static void
block_with_a_comment_inside_is_never_on_one_line(void **state)
{
	(void)state;
	assert_fmt("service a { in x # why\n}\n",
	    "service a {\n  in x  # why\n}\n");
	assert_fmt("group g { a # why\n}\n", "group g {\n  a,  # why\n}\n");
}

static void
comment_after_an_opening_brace_stays_after_it(void **state)
{
	(void)state;
	assert_fmt("rollout r { # settings\n  version \"1\"\n}\n"
	    "group us { # after\n a, b\n}\n",
	    "rollout r {  # settings\n  version \"1\"\n}\n"
	    "group us {  # after\n  a,\n  b,\n}\n");
}

static void
comment_inside_a_list_breaks_the_list_there(void **state)
{
	(void)state;
	assert_fmt("service q {\n  in us\n  needs storage,   # first\n"
	    "        # a line of its own\n        auth, cache\n}\n",
	    "service q {\n  in us\n  needs storage,  # first\n"
	    "    # a line of its own\n    auth, cache\n}\n");
}

static void
comment_on_a_line_of_several_items_follows_the_last(void **state)
{
	(void)state;
	assert_fmt("group edges {\n  edge-iad, edge-sjc  # America\n"
	    "  edge-fra  # Europe\n}\n"
	    "service a {\n  in x; needs y  # both\n}\n",
	    "group edges {\n  edge-iad,\n  edge-sjc,  # America\n"
	    "  edge-fra,  # Europe\n}\n"
	    "service a {\n  in x\n  needs y  # both\n}\n");
}

static void
comments_at_the_end_of_the_file_are_kept(void **state)
{
	(void)state;
	assert_fmt("rollout r\n\n# the end\n# really\n\n\n",
	    "rollout r\n\n# the end\n# really\n");
	assert_fmt("# nothing but a comment\n", "# nothing but a comment\n");
}

static void
carriage_returns_do_not_end_up_in_the_output(void **state)
{
	(void)state;
	assert_fmt("rollout r {\r\n  version \"1\" # tag\r\n}\r\n",
	    "rollout r {\n  version \"1\"  # tag\n}\n");
}

/* Asserts that two files have the same declarations, attribute by
 * attribute and name by name. */
static void
assert_same_decls(const struct file *a, const struct file *b)
{
	size_t i, j, k;

	assert_int_equal(a->ndecls, b->ndecls);
	for (i = 0; i < a->ndecls; i++) {
		const struct decl *x = a->decls[i], *y = b->decls[i];

		assert_int_equal(x->kind, y->kind);
		assert_string_equal(x->name.text, y->name.text);
		assert_int_equal(x->nmembers, y->nmembers);
		for (j = 0; j < x->nmembers; j++)
			assert_string_equal(x->members[j].text,
			    y->members[j].text);
		assert_int_equal(x->nattrs, y->nattrs);
		for (j = 0; j < x->nattrs; j++) {
			const struct attr *p = x->attrs[j], *q = y->attrs[j];

			assert_int_equal(p->kind, q->kind);
			assert_int_equal(p->num, q->num);
			assert_true((!p->str && !q->str) ||
			    strcmp(p->str, q->str) == 0);
			assert_int_equal(p->nnames, q->nnames);
			for (k = 0; k < p->nnames; k++)
				assert_string_equal(p->names[k].text,
				    q->names[k].text);
		}
	}
}

static const char spec_example[] =
    "# rollout.dsl: the weekly release train\n"
    "rollout weekly-train {\n"
    "  version \"2026.48.1\"             # image tag\n"
    "  registry \"gcr.io/acme\"          # image = registry/service\n"
    "  namespace argo                  # where the Workflow is submitted\n"
    "  notify \"#deploy-train\"          # Slack channel\n"
    "  deploy-template deploy-service  # WorkflowTemplate\n"
    "}\n"
    "\n"
    "import \"teams/storage.dsl\"    # paths are relative\n"
    "\n"
    "group us    { us-central1-a, us-central1-b }\n"
    "group eu    { europe-west1-b, europe-west4-a }\n"
    "group edges {\n"
    "  edge-iad, edge-sjc\n"
    "  edge-fra, edge-sin\n"
    "}\n"
    "\n"
    "service auth      { in us, eu }\n"
    "service query-api {\n"
    "  in us, eu\n"
    "  needs storage, auth\n"
    "}\n"
    "service ingest {\n"
    "  in us, eu, edges\n"
    "  needs storage\n"
    "  version \"2026.48.2\"\n"
    "  image \"gcr.io/acme/ingest-server\"\n"
    "}\n"
    "\n"
    "wave canary { in us-central1-a; parallel 1; soak 15m; approve }\n"
    "wave us     { in us; parallel 2; soak 10m }\n"
    "wave eu     { in eu; soak 10m; approve }\n"
    "wave edges  { in edges; parallel 2; on-failure continue }\n";

static void
the_spec_example_formats_canonically(void **state)
{
	(void)state;
	assert_fmt(spec_example,
	    "# rollout.dsl: the weekly release train\n"
	    "rollout weekly-train {\n"
	    "  version \"2026.48.1\"  # image tag\n"
	    "  registry \"gcr.io/acme\"  # image = registry/service\n"
	    "  namespace argo  # where the Workflow is submitted\n"
	    "  notify \"#deploy-train\"  # Slack channel\n"
	    "  deploy-template deploy-service  # WorkflowTemplate\n"
	    "}\n"
	    "\n"
	    "import \"teams/storage.dsl\"  # paths are relative\n"
	    "\n"
	    "group us { us-central1-a, us-central1-b }\n"
	    "group eu { europe-west1-b, europe-west4-a }\n"
	    "group edges { edge-iad, edge-sjc, edge-fra, edge-sin }\n"
	    "\n"
	    "service auth { in us, eu }\n"
	    "service query-api {\n  in us, eu\n  needs storage, auth\n}\n"
	    "service ingest {\n  in us, eu, edges\n  needs storage\n"
	    "  version \"2026.48.2\"\n  image \"gcr.io/acme/ingest-server\"\n"
	    "}\n"
	    "\n"
	    "wave canary { in us-central1-a; parallel 1; soak 15m; approve }\n"
	    "wave us { in us; parallel 2; soak 10m }\n"
	    "wave eu { in eu; soak 10m; approve }\n"
	    "wave edges { in edges; parallel 2; on-failure continue }\n");
}

static void
formatted_file_has_the_same_declarations_and_comments(void **state)
{
	struct parsed before, after;
	char *text = format(spec_example);

	(void)state;
	parse_text(&before, spec_example);
	parse_text(&after, text);
	assert_same_decls(before.file, after.file);
	assert_int_equal(before.file->ncomments, after.file->ncomments);
	arena_free(&before.arena);
	arena_free(&after.arena);
	free(text);
}

static void
deploy_timeout_and_service_account_are_written_as_given(void **state)
{
	struct parsed before, after;
	char *text;

	(void)state;
	assert_fmt("rollout r{deploy-timeout 1h30m;service-account "
	    "ci-deployer;;}\n",
	    "rollout r { deploy-timeout 1h30m; service-account "
	    "ci-deployer }\n");
	assert_fmt("rollout r{\ndeploy-timeout 1h30m;service-account "
	    "ci-deployer;;}\n",
	    "rollout r {\n  deploy-timeout 1h30m\n"
	    "  service-account ci-deployer\n}\n");
	assert_fmt("rollout r {\n  deploy-timeout   90m  # per pod\n}\n",
	    "rollout r {\n  deploy-timeout 90m  # per pod\n}\n");
	assert_fmt("rollout r {\n service-account deploy-timeout\n}\n",
	    "rollout r { service-account deploy-timeout }\n");
	assert_fmt("rollout r{takes   1h30m}\nservice s{in g;takes 45s;;}\n",
	    "rollout r { takes 1h30m }\nservice s { in g; takes 45s }\n");
	/* the round trip keeps the values, seconds and text alike */
	text = format("rollout r { version \"1\"; deploy-timeout 1d2h; "
	    "service-account sa }\n");
	parse_text(&before, "rollout r { version \"1\"; deploy-timeout "
	    "1d2h; service-account sa }\n");
	parse_text(&after, text);
	assert_same_decls(before.file, after.file);
	assert_int_equal(after.file->decls[0]->attrs[1]->num, 93600);
	arena_free(&before.arena);
	arena_free(&after.arena);
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(single_attribute_block_goes_on_one_line),
		cmocka_unit_test(
		    several_attributes_go_one_per_line_indented_two_spaces),
		cmocka_unit_test(
		    block_written_on_one_line_stays_on_one_line_when_it_fits),
		cmocka_unit_test(
		    block_written_on_one_line_breaks_when_it_does_not_fit),
		cmocka_unit_test(
		    several_lines_stay_so_unless_one_attribute),
		cmocka_unit_test(
		    list_attributes_given_twice_stay_two_attributes),
		cmocka_unit_test(
		    empty_block_stays_empty_and_bare_rollout_stays_bare),
		cmocka_unit_test(
		    values_are_written_as_the_language_spells_them),
		cmocka_unit_test(strings_are_re_escaped),
		cmocka_unit_test(keywords_used_as_names_are_written_as_names),
		cmocka_unit_test(
		    one_blank_line_is_kept_between_declarations_and_none_added),
		cmocka_unit_test(
		    file_ends_with_one_newline_and_empty_file_stays_empty),
		cmocka_unit_test(group_goes_on_one_line_when_it_fits),
		cmocka_unit_test(
		    group_too_long_for_one_line_gets_one_member_per_line),
		cmocka_unit_test(
		    long_list_wraps_after_a_comma_indented_four_spaces),
		cmocka_unit_test(
		    one_attribute_block_too_long_for_one_line_is_split),
		cmocka_unit_test(
		    own_line_comments_stay_before_the_item_that_follows),
		cmocka_unit_test(
		    end_of_line_comments_follow_their_item_after_two_spaces),
		cmocka_unit_test(comment_after_a_closing_brace_stays_after_it),
		cmocka_unit_test(
		    comment_after_the_last_attribute_goes_before_the_brace),
		cmocka_unit_test(
		    block_with_a_comment_inside_is_never_on_one_line),
		cmocka_unit_test(comment_after_an_opening_brace_stays_after_it),
		cmocka_unit_test(comment_inside_a_list_breaks_the_list_there),
		cmocka_unit_test(
		    comment_on_a_line_of_several_items_follows_the_last),
		cmocka_unit_test(comments_at_the_end_of_the_file_are_kept),
		cmocka_unit_test(carriage_returns_do_not_end_up_in_the_output),
		cmocka_unit_test(the_spec_example_formats_canonically),
		cmocka_unit_test(
		    formatted_file_has_the_same_declarations_and_comments),
		cmocka_unit_test(
		    deploy_timeout_and_service_account_are_written_as_given),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
