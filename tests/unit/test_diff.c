/* test_diff.c: planner diff (diff.c): versions compared part by part as
 * numbers, so a downgrade is flagged and 1.10 is newer than 1.9; a plan
 * compared with itself, or with its own text laid out otherwise, has no
 * change; a need that moves is one need removed and one added, in the
 * clusters where the deploys stay, and moves the critical path; the diff
 * diagram colours the right rows: added green, removed red, changed
 * amber, the rest grey. */
#include <stdlib.h>
#include <string.h>

#include "support.h"
#include "diff.h"

static void
versions_compare_part_by_part_as_numbers(void **state)
{
	(void)state;
	assert_int_equal(diff_version_cmp("1.9.3", "1.10.0"), -1);
	assert_int_equal(diff_version_cmp("1.10.0", "1.9.3"), 1);
	assert_int_equal(diff_version_cmp("2026.48.2", "2026.48.1"), 1);
	assert_int_equal(diff_version_cmp("1.2", "1.2.0"), 0);
	assert_int_equal(diff_version_cmp("1.2.0", "1.2"), 0);
	assert_int_equal(diff_version_cmp("1.2", "1.2.1"), -1);
	assert_int_equal(diff_version_cmp("latest", "1.0"), 2);
	assert_int_equal(diff_version_cmp("1.0-rc1", "1.0"), 2);
	assert_int_equal(diff_version_cmp("1.", "1.0"), 2);
}

static const char base[] =
    "rollout r { version \"2\" }\n"
    "group us { u1, u2 }\n"
    "service db { in us }\n"
    "service cache { in us }\n"
    "service api { in us; needs db }\n"
    "wave one { in u1 }\nwave two { in u2 }\n";

/* The changes of new against old, as text. */
static char *
changes(const char *old, const char *new, size_t *n)
{
	struct result *o = run_text(old), *w = run_text(new);
	struct diff_side os = { "old", NULL }, ns = { "new", NULL };
	struct arena a = { 0 };
	struct plan_diff *d;
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	assert_non_null(o->plan);
	assert_non_null(w->plan);
	os.plan = o->plan;
	ns.plan = w->plan;
	d = diff_plans(&a, &os, &ns);
	*n = d->nchanges;
	f = open_memstream(&text, &len);
	diff_write_text(f, d, DIFF_TEXT);
	fclose(f);
	arena_free(&a);
	result_free(o);
	result_free(w);
	return text;
}

static void
a_plan_against_itself_or_relaid_has_no_change(void **state)
{
	size_t n;
	char *t;

	(void)state;
	t = changes(base, base, &n);
	assert_int_equal(n, 0);
	assert_contains(t, "the plans are the same");
	free(t);
	t = changes(base, "# laid out otherwise\n"
	    "rollout r {\n  version \"2\"\n}\n"
	    "group us { u1, u2 }\n"
	    "service api {\n  in us\n  needs db\n}\n"
	    "service cache { in us }\nservice db { in us }\n"
	    "wave one { in u1 }\nwave two { in u2 }\n", &n);
	assert_int_equal(n, 0);
	free(t);
}

static void
a_moved_need_is_one_removed_and_one_added(void **state)
{
	size_t n;
	char *t;

	(void)state;
	t = changes(base, "rollout r { version \"2\" }\n"
	    "group us { u1, u2 }\n"
	    "service db { in us }\n"
	    "service cache { in us }\n"
	    "service api { in us; needs cache; version \"1.9\" }\n"
	    "wave one { in u1 }\nwave two { in u2 }\n", &n);
	/* and the critical path, through cache now */
	assert_int_equal(n, 4);
	assert_contains(t, "Critical path:\n  was: db@u1, api@u1, ");
	assert_contains(t, "  now: cache@u1, api@u1, ");
	assert_contains(t, "Needs added:\n  api needs cache in u1, u2\n");
	assert_contains(t, "Needs removed:\n  api needs db in u1, u2\n");
	assert_contains(t, "  api 2 -> 1.9 (downgrade)\n");
	free(t);
}

/* The DOT of the diff diagram of new against old. */
static char *
diagram(const char *old, const char *new)
{
	struct result *o = run_text(old), *w = run_text(new);
	struct diff_side os = { "old", NULL }, ns = { "new", NULL };
	struct arena a = { 0 };
	const char *why = NULL;
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	assert_non_null(o->plan);
	assert_non_null(w->plan);
	os.plan = o->plan;
	ns.plan = w->plan;
	f = open_memstream(&text, &len);
	assert_true(diff_write_diagram(f, diff_plans(&a, &os, &ns), GRAPH_DOT,
	    &why));
	fclose(f);
	arena_free(&a);
	result_free(o);
	result_free(w);
	return text;
}

/* The row of a cluster (or service) in the given fill and ink. */
#define GREEN "bgcolor=\"#dcf5e0\"><font color=\"#1a7f37\"><b>"
#define RED "bgcolor=\"#fde2e1\"><font color=\"#b42318\"><b><s>"
#define AMBER "bgcolor=\"#fff1c2\"><font color=\"#9a6700\"><b>"

static void
the_diagram_colours_what_changed(void **state)
{
	char *t;

	(void)state;
	t = diagram(base, "rollout r { version \"2\" }\n"
	    "group us { u1, u2, u3 }\n"
	    "service db { in us }\n"
	    "service cache { in u1, u3 }\n"
	    "service api { in us; needs db; version \"1.9\" }\n"
	    "wave one { in u1 }\nwave two { in u2, u3 }\n");
	/* u3 added, u2 lost cache, u1 the same; api downgraded */
	assert_contains(t, GREEN "u3</b>");
	assert_contains(t, AMBER "u2</b>");
	assert_contains(t, "<font color=\"#b42318\"><s>\xe2\x88\x92" "cache</s>");
	assert_contains(t, "1 unchanged: u1<");
	assert_null(strstr(t, GREEN "u1<"));
	assert_null(strstr(t, AMBER "u1<"));
	assert_contains(t, AMBER "api 2 \xe2\x86\x92 1.9 (downgrade)");
	free(t);
	/* the old plan's wave two and cluster u2 gone: struck red */
	t = diagram(base, "rollout r { version \"2\" }\n"
	    "group us { u1 }\n"
	    "service db { in us }\n"
	    "service cache { in us }\n"
	    "service api { in us; needs db }\n"
	    "wave one { in u1 }\n");
	assert_contains(t, RED "u2</s></b>");
	assert_contains(t, "<font color=\"#b42318\"><b><s>wave </s></b>");
	assert_null(strstr(t, AMBER "u1<"));
	free(t);
	/* nothing changed: no colour but grey */
	t = diagram(base, base);
	assert_contains(t, "the plans are the same");
	assert_contains(t, "1 unchanged: u1<");
	assert_null(strstr(t, "><font color=\"#1a7f37\"><b>u"));
	assert_null(strstr(t, AMBER "u"));
	free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(versions_compare_part_by_part_as_numbers),
		cmocka_unit_test(a_plan_against_itself_or_relaid_has_no_change),
		cmocka_unit_test(a_moved_need_is_one_removed_and_one_added),
		cmocka_unit_test(the_diagram_colours_what_changed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
