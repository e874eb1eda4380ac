/* test_dot.c: what reaches Graphviz is valid UTF-8 it can read, and the
 * diagram keeps its title; the detail view's columns are steps, the
 * critical path is bold, and the overview folds identical clusters. */
#include <stdlib.h>
#include <string.h>

#include "support.h"

#define REPLACEMENT "\xef\xbf\xbd"

/* The diagram of r's plan in fmt, NUL-terminated (free it); NULL when
 * emit_diagram fails. */
static char *
diagram_view(struct result *r, enum graph_format fmt, enum graph_view view)
{
	char *out = NULL;
	size_t len = 0;
	const char *why = NULL;
	FILE *mem = open_memstream(&out, &len);
	bool ok;

	assert_non_null(r->plan);
	ok = emit_diagram(mem, r->plan, fmt, view, &why);
	fclose(mem);
	if (!ok) {
		print_error("emit_diagram: %s\n", why ? why : "?");
		free(out);
		return NULL;
	}
	return out;
}

/* The detail view, which the tests below were written for. */
static char *
diagram(struct result *r, enum graph_format fmt)
{
	return diagram_view(r, fmt, GRAPH_DETAIL);
}

/* Graphviz's XML parser refuses U+FFFF in an HTML-like label: the title
 * was dropped and planner said nothing.  Noncharacters are U+FFFD. */
static void
a_noncharacter_reaches_graphviz_as_a_replacement(void **state)
{
	struct result *r = run_text("rollout r { version \"1\xef\xbf\xbf\" }\n"
	    "group g { c1 }\nwave w { in g }\nservice a { in g }\n"
	    "service b { in g; needs a; version \"2\xef\xb7\x90" "x\" }\n");
	char *dot, *svg;

	(void)state;
	assert_int_equal(r->nerrors, 0);
	dot = diagram(r, GRAPH_DOT);
	assert_non_null(dot);
	assert_contains(dot, "<b>r</b> 1" REPLACEMENT "</font>");
	assert_contains(dot, "label=\"b\\n2" REPLACEMENT "x\"");
	assert_null(strstr(dot, "\xef\xbf\xbf"));
	assert_null(strstr(dot, "\xef\xb7\x90"));
	svg = diagram(r, GRAPH_SVG);
	assert_non_null(svg);
	/* the title is drawn: name, then version */
	assert_contains(svg, ">r</text>");
	assert_contains(svg, "> 1" REPLACEMENT "</text>");
	free(dot);
	free(svg);
	result_free(r);
}

/* A file name is bytes: one that is not UTF-8 names a team in the title. */
static void
a_file_name_that_is_not_utf8_reaches_graphviz_as_a_replacement(void **state)
{
	static const char text[] = "rollout r { version \"1\" }\n"
	    "group g { c1 }\nwave w { in g }\nservice a { in g }\n";
	struct result *r = calloc(1, sizeof(*r));
	struct diag d;
	struct program prog;
	char *dot, *svg;

	(void)state;
	diag_init(&d, stderr, false, false);
	r->file = parse_source(&r->arena, &d, source_new(&r->arena,
	    "dir/t\xff" "eam\x1b.dsl", arena_strndup(&r->arena, text,
	    sizeof(text) - 1), sizeof(text) - 1));
	prog.files = &r->file;
	prog.nfiles = 1;
	r->rollout = check_program(&r->arena, &d, &prog);
	diag_finish(&d);
	assert_non_null(r->rollout);
	r->plan = plan_build(&r->arena, r->rollout);
	dot = diagram(r, GRAPH_DOT);
	assert_non_null(dot);
	assert_contains(dot, ">t" REPLACEMENT "eam .dsl</td>");
	svg = diagram(r, GRAPH_SVG);
	assert_non_null(svg);
	assert_contains(svg, ">t" REPLACEMENT "eam .dsl</text>");
	free(dot);
	free(svg);
	result_free(r);
}

/* Names and escapes are as they were: only what Graphviz cannot take is
 * replaced. */
static void
text_graphviz_takes_is_left_as_it_is(void **state)
{
	struct result *r = run_text("rollout r { version \"1\" }\n"
	    "group g { c1 }\nwave w { in g }\nservice a { in g; version "
	    "\"gr\xc3\xb6\xc3\x9f" "e \\\\ <&>\" }\n");
	char *dot;

	(void)state;
	dot = diagram(r, GRAPH_DOT);
	assert_non_null(dot);
	assert_contains(dot, "label=\"a\\ngr\xc3\xb6\xc3\x9f" "e \\\\ <&>\"");
	free(dot);
	result_free(r);
}

/* The text of the subgraph that starts with head in dot, up to its
 * closing brace (subgraphs of steps hold no subgraph), NUL-terminated (free
 * it); fails when there is none. */
static char *
subgraph(const char *dot, const char *head)
{
	const char *start = strstr(dot, head), *end;
	char *copy;

	assert_non_null(start);
	end = strchr(start, '}');
	assert_non_null(end);
	copy = calloc(1, (size_t)(end - start) + 1);
	assert_non_null(copy);
	memcpy(copy, start, (size_t)(end - start));
	return copy;
}

/* In the detail view a deploy stands in its step's column: d, of step 1,
 * was drawn beside e, in the column of step 3, next to c. */
static void
the_deploys_of_a_step_share_a_column(void **state)
{
	struct result *r = run_text("rollout r { version \"1\" }\n"
	    "group g { c1 }\nwave w { in g }\nservice a { in g }\n"
	    "service b { in g; needs a }\nservice c { in g; needs b }\n"
	    "service d { in g }\nservice e { in g; needs c, d }\n");
	char *dot, *step1, *step3;

	(void)state;
	assert_int_equal(r->nerrors, 0);
	dot = diagram(r, GRAPH_DOT);
	assert_non_null(dot);
	step1 = subgraph(dot, "subgraph \"w/c1/step 1\" {");
	assert_contains(step1, "rank=same");
	assert_contains(step1, "\"w/c1/a\"");
	assert_contains(step1, "\"w/c1/d\"");
	assert_null(strstr(step1, "\"w/c1/b\""));
	step3 = subgraph(dot, "subgraph \"w/c1/step 3\" {");
	assert_contains(step3, "\"w/c1/c\"");
	assert_null(strstr(step3, "\"w/c1/d\""));
	free(step1);
	free(step3);
	free(dot);
	result_free(r);
}

/* The critical path is bold and near black, told in a legend: red could
 * be taken for the team file filled with the palette's red. */
static void
the_critical_path_is_bold_with_a_legend_not_a_colour(void **state)
{
	struct result *r = run_text("rollout r { version \"1\" }\n"
	    "group g { c1 }\nwave w { in g }\nservice a { in g }\n"
	    "service b { in g; needs a }\nservice c { in g }\n");
	char *dot, *overview;

	(void)state;
	assert_int_equal(r->nerrors, 0);
	dot = diagram(r, GRAPH_DOT);
	assert_non_null(dot);
	assert_contains(dot, "<b>bold: the critical path</b>");
	/* the need on the path, a to b, bold; c is not on it */
	assert_contains(dot, "\"w/c1/a\" -> \"w/c1/b\"\t[arrowsize=0.7,\n"
	    "\t\tcolor=\"#1a1a1a\",\n\t\tpenwidth=2.4];");
	assert_contains(dot, "\"w/c1/a\"\t[color=\"#1a1a1a\",");
	assert_null(strstr(dot, "\"w/c1/c\"\t[color=\"#1a1a1a\""));
	assert_null(strstr(dot, "#c0392b"));
	overview = diagram_view(r, GRAPH_DOT, GRAPH_OVERVIEW);
	assert_non_null(overview);
	assert_contains(overview, "<b>bold: the critical path</b>");
	assert_contains(overview, "<b>a \xe2\x86\x92 b</b>");
	assert_null(strstr(overview, "#c0392b"));
	free(dot);
	free(overview);
	result_free(r);
}

/* The overview draws clusters that run the same services once, named by
 * the first two and how many more, beside the one that differs. */
static void
the_overview_folds_identical_clusters(void **state)
{
	struct result *r = run_text("rollout r { version \"1\" }\n"
	    "group g { c1, c2, c3, c4, c5 }\nwave w { in g }\n"
	    "service a { in g }\nservice b { in c5; needs a }\n");
	char *dot, *svg;

	(void)state;
	assert_int_equal(r->nerrors, 0);
	dot = diagram_view(r, GRAPH_DOT, GRAPH_OVERVIEW);
	assert_non_null(dot);
	assert_contains(dot, ">c1, c2 (+2) <font color=\"#555555\">each 1 "
	    "deploy in 1 step</font>");
	assert_contains(dot, ">c5 <font color=\"#555555\">2 deploys in 2 "
	    "steps</font>");
	assert_null(strstr(dot, "c3"));
	/* no node per deploy */
	assert_null(strstr(dot, "\"w/c1/a\""));
	svg = diagram_view(r, GRAPH_SVG, GRAPH_OVERVIEW);
	assert_non_null(svg);
	assert_contains(svg, ">c1, c2 (+2) </text>");
	free(dot);
	free(svg);
	result_free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    a_noncharacter_reaches_graphviz_as_a_replacement),
		cmocka_unit_test(
		  a_file_name_that_is_not_utf8_reaches_graphviz_as_a_replacement),
		cmocka_unit_test(text_graphviz_takes_is_left_as_it_is),
		cmocka_unit_test(the_deploys_of_a_step_share_a_column),
		cmocka_unit_test(
		    the_critical_path_is_bold_with_a_legend_not_a_colour),
		cmocka_unit_test(the_overview_folds_identical_clusters),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
