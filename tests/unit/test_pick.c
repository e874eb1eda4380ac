/* test_pick.c: the interactive picker's parts that need no terminal: the
 * keys decoded from a terminal's bytes, the state machine (keys in, the
 * question and the selection out), a frame of the screen, and the command
 * line that repeats a pick. */
#include <string.h>

#include "support.h"

/* Two groups of two clusters, a third group that is part of them, three
 * waves; api needs db, web needs api, and jobs runs in part of us. */
static const char fleet[] =
    "rollout shop { version \"1\" }\n"
    "group us { us-a, us-b }\ngroup eu { eu-a, eu-b }\n"
    "group batch { us-b, eu-b }\n"
    "service db { in us, eu }\n"
    "service api { in us, eu; needs db }\n"
    "service web { in us, eu; needs api }\n"
    "service jobs { in us-b }\n"
    "service mail-api { in eu }\n"
    "wave canary { in us-a }\nwave us { in us }\nwave eu { in eu }\n";

static struct pick_key
key(enum pick_key_kind kind)
{
	struct pick_key k = { kind, 0 };

	return k;
}

/* Types each character of s, as keys: a space is the toggle key. */
static void
type(struct pick *p, const char *s)
{
	for (; *s; s++) {
		struct pick_key k = { PICK_KEY_CHAR, *s };

		if (*s == ' ')
			k.kind = PICK_KEY_TOGGLE;
		pick_key(p, k);
	}
}

static enum pick_step
enter(struct pick *p)
{
	return pick_key(p, key(PICK_KEY_ENTER));
}

/* The name under the cursor. */
static const char *
cursor(const struct pick *p)
{
	const struct pick_list *l = &p->list;

	assert_true(l->nshown > 0);
	return l->names[l->shown[l->cursor]];
}

static struct result *
start(struct pick *p, const char *text)
{
	struct result *r = run_text(text);

	assert_non_null(r->rollout);
	pick_start(p, &r->arena, r->rollout, NULL);
	assert_int_equal(p->step, PICK_SERVICES);
	return r;
}

/* Keys */

static size_t
decode(const char *bytes, bool more, struct pick_key *k)
{
	return pick_decode((const unsigned char *)bytes, strlen(bytes), more,
	    k);
}

static void
arrows_and_control_keys_move_and_enter_takes(void **state)
{
	struct pick_key k;

	(void)state;
	assert_int_equal(decode("\033[A", true, &k), 3);
	assert_int_equal(k.kind, PICK_KEY_UP);
	assert_int_equal(decode("\033[Bx", true, &k), 3);
	assert_int_equal(k.kind, PICK_KEY_DOWN);
	assert_int_equal(decode("\033OA", true, &k), 3);	/* SS3 mode */
	assert_int_equal(k.kind, PICK_KEY_UP);
	assert_int_equal(decode("\016", true, &k), 1);		/* Ctrl-N */
	assert_int_equal(k.kind, PICK_KEY_DOWN);
	assert_int_equal(decode("\020", true, &k), 1);		/* Ctrl-P */
	assert_int_equal(k.kind, PICK_KEY_UP);
	assert_int_equal(decode("\033[6~", true, &k), 4);
	assert_int_equal(k.kind, PICK_KEY_PAGE_DOWN);
	assert_int_equal(decode("\033[1;5H", true, &k), 6);
	assert_int_equal(k.kind, PICK_KEY_HOME);
	assert_int_equal(decode("\r", true, &k), 1);
	assert_int_equal(k.kind, PICK_KEY_ENTER);
	assert_int_equal(decode("\177", true, &k), 1);
	assert_int_equal(k.kind, PICK_KEY_BACKSPACE);
	assert_int_equal(decode(" ", true, &k), 1);
	assert_int_equal(k.kind, PICK_KEY_TOGGLE);
	assert_int_equal(decode("Q", true, &k), 1);
	assert_int_equal(k.kind, PICK_KEY_CHAR);
	assert_int_equal(k.ch, 'Q');
}

static void
esc_alone_cancels_once_nothing_follows_it(void **state)
{
	struct pick_key k;

	(void)state;
	/* the start of an arrow, maybe: wait for the rest */
	assert_int_equal(decode("\033", true, &k), 0);
	assert_int_equal(decode("\033[", true, &k), 0);
	assert_int_equal(decode("\033", false, &k), 1);
	assert_int_equal(k.kind, PICK_KEY_CANCEL);
	assert_int_equal(decode("\033\033[A", true, &k), 1);
	assert_int_equal(k.kind, PICK_KEY_CANCEL);
	assert_int_equal(decode("\003", true, &k), 1);		/* Ctrl-C */
	assert_int_equal(k.kind, PICK_KEY_CANCEL);
	/* a sequence cut short is dropped whole, not typed */
	assert_int_equal(decode("\033[1", false, &k), 3);
	assert_int_equal(k.kind, PICK_KEY_NONE);
	/* Alt-x and a byte of UTF-8 type nothing */
	assert_int_equal(decode("\033x", true, &k), 2);
	assert_int_equal(k.kind, PICK_KEY_NONE);
	assert_int_equal(decode("\303\251", true, &k), 1);
	assert_int_equal(k.kind, PICK_KEY_NONE);
}

/* The services */

static void
each_service_shows_its_groups_or_clusters(void **state)
{
	struct pick p;
	struct result *r = start(&p, fleet);
	size_t i;

	(void)state;
	assert_int_equal(p.list.n, 5);
	assert_true(p.list.multi);
	for (i = 0; i < p.list.n; i++) {
		const char *name = p.list.names[i], *note = p.list.notes[i];

		/* a whole group by its name; batch adds nothing to us, eu */
		if (strcmp(name, "api") == 0)
			assert_string_equal(note, "us, eu");
		if (strcmp(name, "jobs") == 0)
			assert_string_equal(note, "us-b");
		if (strcmp(name, "mail-api") == 0)
			assert_string_equal(note, "eu");
	}
	result_free(r);
}

static void
typing_filters_by_substring_ignoring_case(void **state)
{
	struct pick p;
	struct result *r = start(&p, fleet);

	(void)state;
	type(&p, "API");
	assert_string_equal(p.list.filter, "API");
	assert_int_equal(p.list.nshown, 2);
	assert_string_equal(cursor(&p), "api");
	pick_key(&p, key(PICK_KEY_DOWN));
	assert_string_equal(cursor(&p), "mail-api");
	pick_key(&p, key(PICK_KEY_BACKSPACE));
	pick_key(&p, key(PICK_KEY_BACKSPACE));
	assert_int_equal(p.list.nshown, 2);	/* "A": api, mail-api */
	pick_key(&p, key(PICK_KEY_CLEAR));
	assert_int_equal(p.list.nshown, 5);
	/* the cursor stays on its service as the filter widens */
	assert_string_equal(cursor(&p), "mail-api");
	result_free(r);
}

static void
enter_takes_the_services_the_filter_shows_when_none_is_marked(void **state)
{
	struct pick p;
	struct result *r = start(&p, fleet);

	(void)state;
	type(&p, "api");
	assert_int_equal(enter(&p), PICK_CLOSURE);
	assert_int_equal(p.sel.nonly, 1);
	assert_string_equal(p.sel.only[0], "api,mail-api");
	result_free(r);
}

static void
enter_takes_the_services_marked_whatever_the_filter_shows(void **state)
{
	struct pick p;
	struct result *r = start(&p, fleet);

	(void)state;
	type(&p, "we ");	/* web, marked */
	pick_key(&p, key(PICK_KEY_CLEAR));
	assert_string_equal(cursor(&p), "web");	/* stays on its service */
	pick_key(&p, key(PICK_KEY_HOME));
	type(&p, " ");		/* db: in declaration order, first */
	type(&p, "job");	/* shows jobs only, marked or not */
	assert_int_equal(p.list.nmarked, 2);
	assert_int_equal(enter(&p), PICK_CLOSURE);
	assert_string_equal(p.sel.only[0], "db,web");
	result_free(r);
}

static void
space_toggles_the_service_under_the_cursor(void **state)
{
	struct pick p;
	struct result *r = start(&p, fleet);

	(void)state;
	pick_key(&p, key(PICK_KEY_DOWN));
	type(&p, " ");
	assert_true(p.list.marked[1]);
	type(&p, " ");
	assert_false(p.list.marked[1]);
	assert_int_equal(p.list.nmarked, 0);
	/* the cursor stops at the ends */
	pick_key(&p, key(PICK_KEY_PAGE_DOWN));
	assert_string_equal(cursor(&p), "mail-api");
	pick_key(&p, key(PICK_KEY_DOWN));
	assert_string_equal(cursor(&p), "mail-api");
	pick_key(&p, key(PICK_KEY_HOME));
	pick_key(&p, key(PICK_KEY_UP));
	assert_string_equal(cursor(&p), "db");
	result_free(r);
}

static void
enter_on_a_filter_that_shows_nothing_stays_and_says_so(void **state)
{
	struct pick p;
	struct result *r = start(&p, fleet);

	(void)state;
	type(&p, "nope");
	assert_int_equal(p.list.nshown, 0);
	assert_int_equal(enter(&p), PICK_SERVICES);
	assert_string_equal(p.note, "nothing matches 'nope'");
	/* the next key clears the note */
	pick_key(&p, key(PICK_KEY_BACKSPACE));
	assert_null(p.note);
	result_free(r);
}

static void
every_service_taken_is_no_only_and_skips_needs(void **state)
{
	struct pick p;
	struct result *r = start(&p, fleet);

	(void)state;
	/* an empty filter shows them all: the whole rollout, and nothing to
	 * add to it */
	assert_int_equal(enter(&p), PICK_WAVE);
	assert_int_equal(p.sel.nonly, 0);
	assert_null(p.sel.only);
	result_free(r);
}

/* Needs and dependents */

static void
needs_defaults_to_neither_and_counts_each_choice(void **state)
{
	struct pick p;
	struct result *r = start(&p, fleet);

	(void)state;
	type(&p, "ap");
	pick_key(&p, key(PICK_KEY_HOME));
	type(&p, " ");		/* api, not mail-api */
	assert_int_equal(enter(&p), PICK_CLOSURE);
	assert_string_equal(p.sel.only[0], "api");
	assert_false(p.list.multi);
	assert_string_equal(cursor(&p), "neither");
	assert_string_equal(p.list.notes[0], "1 service, 4 deploys");
	assert_string_equal(p.list.notes[1], "2 services, 8 deploys");
	assert_string_equal(p.list.notes[2], "2 services, 8 deploys");
	assert_string_equal(p.list.notes[3], "3 services, 12 deploys");
	assert_int_equal(enter(&p), PICK_WAVE);
	assert_false(p.sel.with_needs);
	assert_false(p.sel.with_dependents);
	result_free(r);
}

static void
j_and_k_move_where_nothing_is_typed(void **state)
{
	struct pick p;
	struct result *r = start(&p, fleet);

	(void)state;
	type(&p, "jk");		/* filters the services: no name holds it */
	assert_string_equal(p.list.filter, "jk");
	pick_key(&p, key(PICK_KEY_CLEAR));
	type(&p, "api");
	enter(&p);
	type(&p, "jjjk");	/* neither, needs, dependents, both, back */
	assert_string_equal(cursor(&p), "dependents");
	assert_int_equal(enter(&p), PICK_WAVE);
	assert_false(p.sel.with_needs);
	assert_true(p.sel.with_dependents);
	result_free(r);
}

/* Waves and clusters */

static void
waves_default_to_the_first_with_deploys(void **state)
{
	struct pick p;
	struct result *r = start(&p, fleet);

	(void)state;
	type(&p, "job");	/* us-b only: wave us */
	assert_int_equal(enter(&p), PICK_CLOSURE);
	/* one wave, one cluster: the questions are skipped */
	assert_int_equal(enter(&p), PICK_CONFIRM);
	assert_null(p.sel.from_wave);
	assert_int_equal(p.sel.nclusters, 0);
	result_free(r);

	r = start(&p, fleet);
	type(&p, "db");
	enter(&p);
	assert_int_equal(enter(&p), PICK_WAVE);
	assert_int_equal(p.list.n, 3);
	assert_string_equal(p.list.names[1], "us");
	assert_string_equal(p.list.notes[1], "1 cluster, 1 deploy");
	assert_int_equal(enter(&p), PICK_CLUSTERS);
	assert_null(p.sel.from_wave);
	result_free(r);
}

static void
a_later_wave_is_from_wave(void **state)
{
	struct pick p;
	struct result *r = start(&p, fleet);

	(void)state;
	type(&p, "db");
	enter(&p);
	enter(&p);
	pick_key(&p, key(PICK_KEY_DOWN));
	assert_int_equal(enter(&p), PICK_CLUSTERS);
	assert_string_equal(p.sel.from_wave, "us");
	/* the clusters of us and eu, with their groups first */
	assert_string_equal(p.list.names[0], "us");
	assert_string_equal(p.list.notes[0], "us-b");
	assert_string_equal(p.list.names[3], "us-b");
	assert_string_equal(p.list.notes[3], "wave us; in us, batch");
	result_free(r);
}

static void
clusters_default_to_all_and_a_group_names_its_clusters(void **state)
{
	struct pick p;
	struct result *r = start(&p, fleet);

	(void)state;
	type(&p, "db");
	enter(&p);
	enter(&p);
	enter(&p);
	assert_int_equal(p.step, PICK_CLUSTERS);
	assert_int_equal(enter(&p), PICK_CONFIRM);
	assert_int_equal(p.sel.nclusters, 0);	/* all */
	result_free(r);

	/* "eu" shows the group eu and its clusters: the group says them */
	r = start(&p, fleet);
	type(&p, "db");
	enter(&p);
	enter(&p);
	enter(&p);
	type(&p, "eu");
	assert_int_equal(enter(&p), PICK_CONFIRM);
	assert_int_equal(p.sel.nclusters, 1);
	assert_string_equal(p.sel.clusters[0], "eu");
	result_free(r);

	/* marked: batch and us-a */
	r = start(&p, fleet);
	type(&p, "db");
	enter(&p);
	enter(&p);
	enter(&p);
	type(&p, "batch ");
	pick_key(&p, key(PICK_KEY_CLEAR));
	type(&p, "us-a ");
	assert_int_equal(enter(&p), PICK_CONFIRM);
	assert_string_equal(p.sel.clusters[0], "batch,us-a");
	result_free(r);
}

/* The end */

static void
the_summary_is_the_readable_plans_heading_and_waves(void **state)
{
	struct pick p;
	struct result *r = start(&p, fleet);
	size_t i;
	bool waves = false;

	(void)state;
	type(&p, "web");
	enter(&p);
	pick_key(&p, key(PICK_KEY_DOWN));	/* needs */
	enter(&p);
	enter(&p);
	assert_int_equal(enter(&p), PICK_CONFIRM);
	assert_true(p.nsummary >= 4);
	assert_string_equal(p.summary[0], "rollout shop: 3 of 5 services, "
	    "4 of 4 clusters, 3 of 3 waves, 12 of 15 deploys");
	assert_contains(p.summary[1], "selected: web (--only)");
	for (i = 0; i < p.nsummary; i++)
		waves |= strcmp(p.summary[i],
		    "wave eu (2 clusters, 6 deploys)") == 0;
	assert_true(waves);
	assert_int_equal(enter(&p), PICK_DONE);
	assert_true(p.sel.with_needs);
	/* done is done */
	assert_int_equal(pick_key(&p, key(PICK_KEY_CANCEL)), PICK_DONE);
	result_free(r);
}

static void
y_confirms_n_and_esc_cancel(void **state)
{
	struct pick p;
	struct result *r = start(&p, fleet);

	(void)state;
	type(&p, "job");
	enter(&p);
	enter(&p);
	type(&p, "x");		/* neither yes nor no */
	assert_int_equal(p.step, PICK_CONFIRM);
	type(&p, "Y");
	assert_int_equal(p.step, PICK_DONE);
	result_free(r);

	r = start(&p, fleet);
	type(&p, "job");
	enter(&p);
	enter(&p);
	type(&p, "n");
	assert_int_equal(p.step, PICK_CANCELLED);
	result_free(r);

	r = start(&p, fleet);
	type(&p, "db");
	enter(&p);
	assert_int_equal(pick_key(&p, key(PICK_KEY_CANCEL)), PICK_CANCELLED);
	result_free(r);
}

/* The screen and the command line */

static void
a_frame_fits_the_terminal_and_shows_marks_and_cursor(void **state)
{
	struct pick p;
	struct result *r = start(&p, fleet);
	struct buf b = { 0 };
	const char *line;
	int lines = 1;

	(void)state;
	type(&p, "b");		/* db, web, jobs */
	pick_key(&p, key(PICK_KEY_DOWN));
	pick_key(&p, key(PICK_KEY_DOWN));
	type(&p, " ");
	pick_draw(&p, &b, 8, 20);
	buf_putc(&b, '\0');
	/* each line cut to 19 columns, with what was there cleared */
	assert_contains(b.data, "\033[H\033[1mshop: which service\033[0m"
	    "\033[K\r\n");
	assert_contains(b.data, "\r\nfilter: b_   (3 of \033[K\r\n");
	assert_contains(b.data, "\r\n  [ ] db        us,\033[K\r\n");
	assert_contains(b.data, "\r\n\033[7m> [x] jobs      us-\033[0m");
	/* rows lines, and no line feed after the last, which would
	 * scroll */
	for (line = b.data; (line = strstr(line, "\r\n")); line += 2)
		lines++;
	assert_int_equal(lines, 8);
	assert_int_equal(b.data[b.len - 2], 'J');
	buf_free(&b);
	result_free(r);
}

static void
the_command_line_repeats_the_pick_shell_quoted(void **state)
{
	const char *only[] = { "api,web" }, *clusters[] = { "eu" };
	struct selection sel = { only, 1, true, false, "us", clusters, 1,
	    NULL };
	struct buf b = { 0 };

	(void)state;
	pick_command(&b, &sel);
	buf_putc(&b, '\0');
	assert_string_equal(b.data, " --only api,web --with-needs "
	    "--from-wave us --clusters eu");
	b.len = 0;
	pick_shell_word(&b, "my rollout's.dsl");
	buf_putc(&b, '\0');
	assert_string_equal(b.data, "'my rollout'\\''s.dsl'");
	b.len = 0;
	pick_shell_word(&b, "");
	buf_putc(&b, '\0');
	assert_string_equal(b.data, "''");
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(arrows_and_control_keys_move_and_enter_takes),
		cmocka_unit_test(esc_alone_cancels_once_nothing_follows_it),
		cmocka_unit_test(each_service_shows_its_groups_or_clusters),
		cmocka_unit_test(typing_filters_by_substring_ignoring_case),
		cmocka_unit_test(
		    enter_takes_the_services_the_filter_shows_when_none_is_marked),
		cmocka_unit_test(
		    enter_takes_the_services_marked_whatever_the_filter_shows),
		cmocka_unit_test(space_toggles_the_service_under_the_cursor),
		cmocka_unit_test(
		    enter_on_a_filter_that_shows_nothing_stays_and_says_so),
		cmocka_unit_test(every_service_taken_is_no_only_and_skips_needs),
		cmocka_unit_test(
		    needs_defaults_to_neither_and_counts_each_choice),
		cmocka_unit_test(j_and_k_move_where_nothing_is_typed),
		cmocka_unit_test(waves_default_to_the_first_with_deploys),
		cmocka_unit_test(a_later_wave_is_from_wave),
		cmocka_unit_test(
		    clusters_default_to_all_and_a_group_names_its_clusters),
		cmocka_unit_test(
		    the_summary_is_the_readable_plans_heading_and_waves),
		cmocka_unit_test(y_confirms_n_and_esc_cancel),
		cmocka_unit_test(
		    a_frame_fits_the_terminal_and_shows_marks_and_cursor),
		cmocka_unit_test(the_command_line_repeats_the_pick_shell_quoted),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
