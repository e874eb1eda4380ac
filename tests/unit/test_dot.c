/* test_dot.c: what reaches Graphviz is valid UTF-8 it can read, and the
 * diagram keeps its title. */
#include <stdlib.h>
#include <string.h>

#include "support.h"

#define REPLACEMENT "\xef\xbf\xbd"

/* The diagram of r's plan in fmt, NUL-terminated (free it); NULL when
 * emit_diagram fails. */
static char *
diagram(struct result *r, enum graph_format fmt)
{
	char *out = NULL;
	size_t len = 0;
	const char *why = NULL;
	FILE *mem = open_memstream(&out, &len);
	bool ok;

	assert_non_null(r->plan);
	ok = emit_diagram(mem, r->plan, fmt, &why);
	fclose(mem);
	if (!ok) {
		print_error("emit_diagram: %s\n", why ? why : "?");
		free(out);
		return NULL;
	}
	return out;
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    a_noncharacter_reaches_graphviz_as_a_replacement),
		cmocka_unit_test(
		  a_file_name_that_is_not_utf8_reaches_graphviz_as_a_replacement),
		cmocka_unit_test(text_graphviz_takes_is_left_as_it_is),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
