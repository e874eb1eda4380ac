/* test_read.c: what planner accepts as text, and the columns it shows. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "support.h"

static size_t
char_length(const char *s)
{
	return utf8_char_length((const unsigned char *)s, strlen(s));
}

static void
utf8_lengths_follow_the_standard(void **state)
{
	(void)state;
	assert_int_equal(char_length("a"), 1);
	assert_int_equal(char_length("\xc3\xa9"), 2);		/* é */
	assert_int_equal(char_length("\xe2\x82\xac"), 3);	/* € */
	assert_int_equal(char_length("\xf0\x9f\x9a\x80"), 4);	/* rocket */
	/* Latin-1 é, a stray continuation byte, a truncated sequence */
	assert_int_equal(char_length("\xe9t"), 0);
	assert_int_equal(char_length("\x80"), 0);
	assert_int_equal(char_length("\xe2\x82"), 0);
	/* overlong forms, a surrogate, past U+10FFFF */
	assert_int_equal(char_length("\xc0\x80"), 0);
	assert_int_equal(char_length("\xe0\x80\x80"), 0);
	assert_int_equal(char_length("\xed\xa0\x80"), 0);
	assert_int_equal(char_length("\xf4\x90\x80\x80"), 0);
}

/* The line and column source_find_binary gives for text of n bytes. */
static const char *
find_binary(struct arena *a, const char *text, size_t n, struct loc *at,
    char what[BINARY_WHAT])
{
	return source_find_binary(source_new(a, "t.dsl", text, n), at, what);
}

static void
binary_bytes_are_found_where_they_are(void **state)
{
	struct arena a = { 0 };
	char what[BINARY_WHAT];
	struct loc at;

	(void)state;
	assert_null(find_binary(&a, "rollout r\n# caf\xc3\xa9\n", 18, &at,
	    what));
	assert_non_null(find_binary(&a, "rollout r\nservice a {\0}\n", 24,
	    &at, what));
	assert_string_equal(what, "a NUL byte");
	assert_int_equal(at.line, 2);
	assert_int_equal(at.col, 12);
	assert_non_null(find_binary(&a, "a\r\nb\r\n# caf\xe9\n", 12, &at,
	    what));
	assert_string_equal(what, "invalid UTF-8 (byte 0xe9)");
	assert_int_equal(at.line, 3);
	assert_int_equal(at.col, 6);
	arena_free(&a);
}

static void
a_byte_order_mark_is_dropped_and_remembered(void **state)
{
	struct arena a = { 0 };
	struct source *s = source_new(&a, "t.dsl", "\xef\xbb\xbfrollout r\n",
	    13);
	struct source *plain = source_new(&a, "t.dsl", "rollout r\n", 10);

	(void)state;
	assert_true(s->bom);
	assert_int_equal(s->len, 10);
	assert_memory_equal(s->text, "rollout r\n", 10);
	assert_false(plain->bom);
	arena_free(&a);
}

/* What the sink prints for an error at byte column col, len bytes long,
 * of line 1 of text; free it. */
static char *
error_at(const char *text, int col, int len, bool json)
{
	struct arena a = { 0 };
	char *out = NULL;
	size_t outlen = 0;
	FILE *mem = open_memstream(&out, &outlen);
	struct diag d;
	struct loc loc;

	diag_init(&d, mem, false, json);
	loc.src = source_new(&a, "t.dsl", text, strlen(text));
	loc.line = 1;
	loc.col = col;
	loc.len = len;
	diag_error(&d, loc, "here");
	diag_finish(&d);
	fclose(mem);
	arena_free(&a);
	return out;
}

static void
columns_count_tabs_to_eight_and_characters_once(void **state)
{
	char *out;

	(void)state;
	/* "\tneeds\tx": x is byte 8, shown at column 17 */
	out = error_at("\tneeds\tx", 8, 1, false);
	assert_contains(out, "t.dsl:1:17: error: here\n");
	assert_contains(out, "    1 |         needs   x\n");
	assert_contains(out, "      |                 ^\n");
	free(out);
	/* "é€ ab": ab is byte 7, shown at column 4, two columns wide */
	out = error_at("\xc3\xa9\xe2\x82\xac ab", 7, 2, false);
	assert_contains(out, "t.dsl:1:4: error: here\n");
	assert_contains(out, "      |    ^~\n");
	free(out);
	out = error_at("\tx", 2, 1, true);
	assert_contains(out, "\"column\": 9,");
	assert_contains(out, "\"end_column\": 10,");
	free(out);
}

static void
control_characters_are_shown_as_replacements(void **state)
{
	char *out = error_at("a\x01" "b\x1b[31mc", 3, 1, false);

	(void)state;
	assert_contains(out, "    1 | a\xef\xbf\xbd" "b\xef\xbf\xbd[31mc\n");
	assert_null(strchr(out, '\x1b'));
	free(out);
	/* U+009B is a C1 control, CSI: as dangerous as ESC [ */
	out = error_at("a\xc2\x9b" "31mb", 1, 1, false);
	assert_contains(out, "    1 | a\xef\xbf\xbd" "31mb\n");
	free(out);
}

static void
a_long_line_is_shown_around_the_caret(void **state)
{
	char line[1001];
	char *out, *quoted;

	(void)state;
	memset(line, 'a', 1000);
	line[1000] = '\0';
	line[600] = 'X';
	out = error_at(line, 601, 1, false);
	assert_contains(out, "t.dsl:1:601: error: here\n");
	quoted = strstr(out, "    1 | ...");
	assert_non_null(quoted);
	/* 160 columns around the caret: 80 before it */
	assert_int_equal(strchr(quoted, 'X') - (quoted + 11), 80);
	assert_contains(out, "      |    " "                    "
	    "                                                            "
	    "^\n");
	free(out);
}

static void
durations_too_large_saturate(void **state)
{
	long seconds;

	(void)state;
	assert_true(parse_duration("1d2h", 4, &seconds));
	assert_int_equal(seconds, 93600);
	assert_true(parse_duration("999999999d", 10, &seconds));
	assert_int_equal(seconds, 999999999L * 86400);
	assert_true(parse_duration("1000000000d", 11, &seconds));
	assert_int_equal(seconds, LONG_MAX);
	assert_true(parse_duration("99999999999999999999999h1s", 26,
	    &seconds));
	assert_int_equal(seconds, LONG_MAX);
}

static void
lines_and_strings_over_the_limits_are_errors(void **state)
{
	size_t n = MAX_LINE + 40;
	char *text = malloc(n + 1);
	struct result *r;

	(void)state;
	memset(text, ' ', n);
	memcpy(text, "rollout r # ", 12);
	text[n] = '\0';
	r = run_text(text);
	assert_contains(r->diags, "test.dsl:1:16385: error: line is longer "
	    "than 16384 bytes");
	result_free(r);

	memset(text, 'x', n);
	memcpy(text, "rollout r { version \"", 21);
	memcpy(text + 21 + MAX_STRING + 1, "\" }", 4);
	r = run_text(text);
	assert_contains(r->diags, "test.dsl:1:21: error: string is longer "
	    "than 4096 bytes");
	result_free(r);
	free(text);
}

static void
numbers_over_the_limit_are_errors(void **state)
{
	struct result *r = run_text("rollout r\ngroup g { c }\n"
	    "service a { in g }\n"
	    "wave w { in g; parallel 1000000000 }\n");

	(void)state;
	assert_contains(r->diags, "test.dsl:4:25: error: number '1000000000' "
	    "is out of range");
	result_free(r);
	r = run_text("rollout r\ngroup g { c }\nservice a { in g }\n"
	    "wave w { in g; parallel 999999999 }\n");
	assert_int_equal(r->nerrors, 0);
	result_free(r);
}

static void
file_names_are_cleaned_as_diagnostics_are(void **state)
{
	char *out = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&out, &len);
	char *c;

	(void)state;
	/* an OSC that sets the title, a CSI that clears the screen, a C1
	 * CSI, a byte that is not UTF-8; 'é' stays */
	c = clean_text("x\033]0;t\007\033[2J\xc2\x9b" "1m\xff\xc3\xa9.dsl");
	assert_string_equal(c, "x\xef\xbf\xbd]0;t\xef\xbf\xbd\xef\xbf\xbd"
	    "[2J\xef\xbf\xbd" "1m\xef\xbf\xbd\xc3\xa9.dsl");
	fputs_clean("a\033b", mem);
	fclose(mem);
	assert_string_equal(out, "a\xef\xbf\xbd" "b");
	free(out);
	free(c);
}

/* What the sink prints for n warnings on line 1 of text; free it. */
static char *
warnings(int n, bool json, int *counted)
{
	struct arena a = { 0 };
	char *out = NULL;
	size_t outlen = 0;
	FILE *mem = open_memstream(&out, &outlen);
	struct diag d;
	struct loc loc;
	int i;

	diag_init(&d, mem, false, json);
	loc.src = source_new(&a, "t.dsl", "group g { c }", 13);
	loc.line = 1;
	loc.col = 7;
	loc.len = 1;
	for (i = 0; i < n; i++) {
		diag_warning(&d, loc, "warning %d", i + 1);
		diag_help(&d, "help %d", i + 1);
	}
	diag_finish(&d);
	fclose(mem);
	arena_free(&a);
	*counted = d.nwarnings;
	return out;
}

static size_t
occurrences(const char *s, const char *what)
{
	size_t n = 0;

	while ((s = strstr(s, what))) {
		n++;
		s += strlen(what);
	}
	return n;
}

static void
warnings_stop_after_a_hundred_and_say_how_many_more(void **state)
{
	int counted;
	char *out = warnings(MAX_WARNINGS + 50, false, &counted);

	(void)state;
	assert_int_equal(MAX_WARNINGS, 100);
	assert_int_equal(occurrences(out, ": warning: "), 100);
	assert_contains(out, "t.dsl:1:7: warning: warning 100\n");
	assert_null(strstr(out, "warning 101"));
	assert_null(strstr(out, "help 101"));
	assert_contains(out, "planner: ... and 50 more warnings, not shown "
	    "(only the first 100 are)\n");
	/* counted all the same: --werror sees them */
	assert_int_equal(counted, 150);
	free(out);

	out = warnings(MAX_WARNINGS + 1, true, &counted);
	assert_int_equal(occurrences(out, "\"severity\": \"warning\""), 100);
	assert_contains(out, "\"message\": \"... and 1 more warning, not "
	    "shown (only the first 100 are)\"");
	free(out);

	out = warnings(MAX_WARNINGS, false, &counted);
	assert_null(strstr(out, "more warning"));
	free(out);
}

static void
json_places_give_utf16_columns_and_byte_offsets(void **state)
{
	char *out;

	(void)state;
	/* "\t😀x é": x is byte 6; the emoji is 2 UTF-16 units, the tab 1 */
	out = error_at("\t\xf0\x9f\x98\x80x \xc3\xa9", 6, 1, true);
	assert_contains(out, "\"column\": 10,");
	assert_contains(out, "\"end_column\": 11,");
	assert_contains(out, "\"column_utf16\": 4,");
	assert_contains(out, "\"end_column_utf16\": 5,");
	assert_contains(out, "\"offset\": 5,");
	assert_contains(out, "\"end_offset\": 6,");
	free(out);
	/* é, two bytes, is one UTF-16 unit */
	out = error_at("\t\xf0\x9f\x98\x80x \xc3\xa9", 8, 2, true);
	assert_contains(out, "\"column_utf16\": 6,");
	assert_contains(out, "\"end_column_utf16\": 7,");
	assert_contains(out, "\"end_offset\": 9,");
	free(out);
	/* a byte order mark is no column, but is a byte of the file */
	out = error_at("\xef\xbb\xbf" "ab", 2, 1, true);
	assert_contains(out, "\"column\": 2,");
	assert_contains(out, "\"column_utf16\": 2,");
	assert_contains(out, "\"offset\": 4,");
	assert_contains(out, "\"end_offset\": 5,");
	free(out);
	/* just after the end of the file: an offset there, no byte past it */
	out = error_at("ab", 3, 1, true);
	assert_contains(out, "\"offset\": 2,");
	assert_contains(out, "\"end_offset\": 2,");
	free(out);
}

/* What the sink prints for n errors on line 1, in JSON; free it. */
static char *
json_errors(int n)
{
	struct arena a = { 0 };
	char *out = NULL;
	size_t outlen = 0;
	FILE *mem = open_memstream(&out, &outlen);
	struct diag d;
	struct loc loc;
	int i;

	diag_init(&d, mem, false, true);
	loc.src = source_new(&a, "t.dsl", "group g { c }", 13);
	loc.line = 1;
	loc.col = 7;
	loc.len = 1;
	for (i = 0; i < n; i++) {
		diag_error(&d, loc, "error %d", i + 1);
		diag_help(&d, "help %d", i + 1);
	}
	diag_finish(&d);
	fclose(mem);
	arena_free(&a);
	return out;
}

static void
json_says_when_it_stopped_at_twenty_errors(void **state)
{
	char *out = json_errors(21);

	(void)state;
	assert_int_equal(occurrences(out, "\"severity\": \"error\""), 20);
	/* the 20th error's last help, after its own */
	assert_contains(out, "\"message\": \"help 20\"\n      },\n      {\n"
	    "        \"severity\": \"help\",\n        \"message\": \"too many "
	    "errors (20), stopping\"\n      }\n    ]");
	free(out);
	out = json_errors(20);
	assert_null(strstr(out, "too many errors"));
	free(out);
}

static void
the_parts_of_a_run_print_one_json_array(void **state)
{
	struct arena a = { 0 };
	char *out = NULL;
	size_t outlen = 0;
	FILE *mem = open_memstream(&out, &outlen);
	struct diag whole, part;
	struct loc loc;
	int i;

	(void)state;
	diag_init(&whole, mem, false, true);
	loc.src = source_new(&a, "t.dsl", "group g { c }", 13);
	loc.line = 1;
	loc.col = 7;
	loc.len = 1;
	for (i = 0; i < 2; i++) {
		diag_init_part(&part, &whole);
		diag_error(&part, loc, "error in part %d", i + 1);
		diag_finish(&part);
		/* each part counts its own */
		assert_int_equal(part.nerrors, 1);
	}
	assert_int_equal(whole.nparts, 2);
	diag_finish(&whole);
	fclose(mem);
	arena_free(&a);
	assert_int_equal(out[0], '[');
	assert_int_equal(occurrences(out, "\n["), 0);
	assert_int_equal(occurrences(out, "\n]"), 1);
	assert_contains(out, "error in part 1");
	assert_contains(out, "error in part 2");
	free(out);
}

/* Writes text into dir/name. */
static void
write_file(const char *dir, const char *name, const char *text, size_t n)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, n, f), n);
	fclose(f);
}

/* The diagnostics of loading dir/root/r.dsl (imports under import_root,
 * or the default); free them. */
static char *
load_diags(const char *dir, const char *import_root, size_t *nfiles)
{
	struct arena a = { 0 };
	char *out = NULL, path[512];
	size_t outlen = 0;
	FILE *mem = open_memstream(&out, &outlen);
	struct program *prog;
	struct diag d;

	snprintf(path, sizeof(path), "%s/root/r.dsl", dir);
	diag_init(&d, mem, false, false);
	prog = load_program_within(&a, &d, path, import_root);
	*nfiles = prog ? prog->nfiles : 0;
	diag_finish(&d);
	fclose(mem);
	arena_free(&a);
	return out;
}

static void
imports_read_rollouts_only(void **state)
{
	char dir[] = "/tmp/test_read.XXXXXX", sub[600], *out;
	static const char key[] = "-----BEGIN TEST KEY-----\nkey-secret\n";
	static const char nul[] = "service s { in g }\0secret-after-nul\n";
	static const char root[] = "rollout r\nimport \"key\"\n"
	    "import \"nul.dsl\"\nimport \"../beside/s.dsl\"\n"
	    "import \"/proc/self/environ\"\nimport \"ok.dsl\"\n";
	size_t nfiles;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(sub, sizeof(sub), "%s/root", dir);
	assert_int_equal(mkdir(sub, 0700), 0);
	snprintf(sub, sizeof(sub), "%s/beside", dir);
	assert_int_equal(mkdir(sub, 0700), 0);
	write_file(dir, "beside/s.dsl", "service t { in g }\n", 19);
	/* a comment first: still rollout source */
	write_file(dir, "root/key", key, sizeof(key) - 1);
	write_file(dir, "root/nul.dsl", nul, sizeof(nul) - 1);
	write_file(dir, "root/ok.dsl", "# a comment\n\nservice u { in g }\n",
	    32);
	write_file(dir, "root/r.dsl", root, sizeof(root) - 1);

	out = load_diags(dir, NULL, &nfiles);
	assert_contains(out, "r.dsl:2:8: error: cannot import '");
	assert_contains(out, "/root/key': it does not start like rollout "
	    "source\n");
	assert_contains(out, "/root/nul.dsl': it is not UTF-8 text\n");
	assert_contains(out, "/beside/s.dsl': it is outside the rollout's "
	    "directory\n");
	assert_contains(out, "cannot import '/proc/self/environ': planner "
	    "never reads /proc, /sys or /dev\n");
	assert_null(strstr(out, "secret"));
	assert_null(strstr(out, "BEGIN"));
	/* the root and ok.dsl, which starts with comments */
	assert_int_equal(nfiles, 2);
	free(out);

	/* the import root widened to dir: beside/s.dsl is read */
	out = load_diags(dir, dir, &nfiles);
	assert_null(strstr(out, "outside"));
	assert_int_equal(nfiles, 3);
	free(out);

	snprintf(sub, sizeof(sub), "rm -rf '%s'", dir);
	assert_int_equal(system(sub), 0);
}

/* The diagnostics of loading dir/root/r.dsl, and the names of its files
 * in the order they were read, "|"-separated; free both. */
static char *
load_files(const char *dir, char **order)
{
	struct arena a = { 0 };
	char *out = NULL, path[512];
	size_t outlen = 0, i;
	FILE *mem = open_memstream(&out, &outlen);
	struct program *prog;
	struct buf names = { 0 };
	struct diag d;

	snprintf(path, sizeof(path), "%s/root/r.dsl", dir);
	diag_init(&d, mem, false, false);
	prog = load_program_within(&a, &d, path, NULL);
	diag_finish(&d);
	fclose(mem);
	buf_add(&names, "", 0);
	for (i = 0; prog && i < prog->nfiles; i++)
		buf_printf(&names, "%s%s", i ? "|" : "",
		    strrchr(prog->files[i]->src->path, '/') + 1);
	*order = strdup(names.data);
	buf_free(&names);
	arena_free(&a);
	return out;
}

static void
import_patterns_read_matches_in_order_help_finds_files(void **state)
{
	char dir[] = "/tmp/test_read.XXXXXX", sub[600], *out, *order;
	static const char root[] = "rollout r\nimport \"teams/*.dsl\"\n"
	    "import \"teams/b-*\"\nimport \"teams/b-qury.dsl\"\n"
	    "import \"../*.dsl\"\nimport \"../beside/secret-nam.dsl\"\n"
	    "import \"teams/*.dls\"\n";

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(sub, sizeof(sub), "%s/root", dir);
	assert_int_equal(mkdir(sub, 0700), 0);
	snprintf(sub, sizeof(sub), "%s/root/teams", dir);
	assert_int_equal(mkdir(sub, 0700), 0);
	snprintf(sub, sizeof(sub), "%s/root/teams/d.dsl", dir);
	/* a directory: no match */
	assert_int_equal(mkdir(sub, 0700), 0);
	snprintf(sub, sizeof(sub), "%s/beside", dir);
	assert_int_equal(mkdir(sub, 0700), 0);
	write_file(dir, "beside/secret-name.dsl", "service t { in g }\n", 19);
	write_file(dir, "root/teams/c.dsl", "service c { in g }\n", 19);
	write_file(dir, "root/teams/a.dsl", "service a { in g }\n", 19);
	write_file(dir, "root/teams/b-query.dsl", "service b { in g }\n", 19);
	write_file(dir, "root/teams/.#a.dsl", "not rollout source\n", 19);
	write_file(dir, "root/r.dsl", root, sizeof(root) - 1);

	out = load_files(dir, &order);
	/* sorted, each once; the hidden file and the directory left out */
	assert_string_equal(order, "r.dsl|a.dsl|b-query.dsl|c.dsl");
	assert_contains(out, "/teams/b-qury.dsl': No such file or directory\n");
	assert_contains(out, "= help: did you mean \"teams/b-query.dsl\"?\n");
	/* outside the root: not listed, not looked for, nothing near */
	assert_contains(out, "cannot import '");
	assert_contains(out, "/*.dsl': it is outside the rollout's "
	    "directory\n");
	assert_contains(out, "/beside/secret-nam.dsl': it is outside the "
	    "rollout's directory\n");
	assert_null(strstr(out, "secret-name"));
	assert_contains(out, "/teams/*.dls': no file matches\n");
	assert_contains(out, "holds a.dsl, b-query.dsl and 2 more\n");
	free(out);
	free(order);

	snprintf(sub, sizeof(sub), "rm -rf '%s'", dir);
	assert_int_equal(system(sub), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(utf8_lengths_follow_the_standard),
		cmocka_unit_test(binary_bytes_are_found_where_they_are),
		cmocka_unit_test(a_byte_order_mark_is_dropped_and_remembered),
		cmocka_unit_test(columns_count_tabs_to_eight_and_characters_once),
		cmocka_unit_test(control_characters_are_shown_as_replacements),
		cmocka_unit_test(a_long_line_is_shown_around_the_caret),
		cmocka_unit_test(durations_too_large_saturate),
		cmocka_unit_test(lines_and_strings_over_the_limits_are_errors),
		cmocka_unit_test(numbers_over_the_limit_are_errors),
		cmocka_unit_test(file_names_are_cleaned_as_diagnostics_are),
		cmocka_unit_test(warnings_stop_after_a_hundred_and_say_how_many_more),
		cmocka_unit_test(json_places_give_utf16_columns_and_byte_offsets),
		cmocka_unit_test(json_says_when_it_stopped_at_twenty_errors),
		cmocka_unit_test(the_parts_of_a_run_print_one_json_array),
		cmocka_unit_test(imports_read_rollouts_only),
		cmocka_unit_test(
		    import_patterns_read_matches_in_order_help_finds_files),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
