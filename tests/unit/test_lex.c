/* test_lex.c: the scanner turns text into placed tokens. */
#include <stdlib.h>
#include <string.h>

#include "support.h"

struct lexed {
	struct arena arena;
	struct token *toks;
	size_t n;
	char *diags;
	int nerrors, nwarnings;
};

static struct lexed *
lex(const char *text)
{
	struct lexed *l = calloc(1, sizeof(*l));
	size_t len = 0;
	FILE *mem = open_memstream(&l->diags, &len);
	struct diag d;

	diag_init(&d, mem, false, false);
	l->toks = lex_source(&l->arena, &d, source_new(&l->arena, "t.dsl",
	    text, strlen(text)), &l->n);
	diag_finish(&d);
	fclose(mem);
	l->nerrors = d.nerrors;
	l->nwarnings = d.nwarnings;
	return l;
}

static void
lexed_free(struct lexed *l)
{
	arena_free(&l->arena);
	free(l->toks);
	free(l->diags);
	free(l);
}

static void
names_numbers_and_durations_are_all_words(void **state)
{
	struct lexed *l = lex("query-api 12 1h30m");

	(void)state;
	assert_int_equal(l->n, 4);
	assert_int_equal(l->toks[0].kind, TOK_WORD);
	assert_int_equal(l->toks[1].kind, TOK_WORD);
	assert_int_equal(l->toks[2].kind, TOK_WORD);
	assert_int_equal(l->toks[2].textlen, 5);
	assert_int_equal(l->toks[3].kind, TOK_EOF);
	lexed_free(l);
}

static void
every_token_knows_its_line_column_and_length(void **state)
{
	struct lexed *l = lex("service a {\n  in us, eu\n}\n");

	(void)state;
	/* service a { NL in us , eu NL } NL EOF */
	assert_int_equal(l->toks[4].kind, TOK_WORD);
	assert_int_equal(l->toks[4].loc.line, 2);
	assert_int_equal(l->toks[4].loc.col, 3);
	assert_int_equal(l->toks[4].loc.len, 2);
	assert_int_equal(l->toks[6].kind, TOK_COMMA);
	assert_int_equal(l->toks[6].loc.col, 8);
	assert_true(l->toks[4].line_start);
	assert_false(l->toks[5].line_start);
	lexed_free(l);
}

static void
strings_decode_their_escapes(void **state)
{
	struct lexed *l = lex("\"a\\\"b\\\\c\\nd\\te\"");

	(void)state;
	assert_int_equal(l->toks[0].kind, TOK_STRING);
	assert_string_equal(l->toks[0].text, "a\"b\\c\nd\te");
	assert_int_equal(l->nerrors, 0);
	lexed_free(l);
}

static void
an_invalid_escape_is_reported_at_its_backslash(void **state)
{
	struct lexed *l = lex("version \"v\\q1\"");

	(void)state;
	assert_int_equal(l->nerrors, 1);
	assert_contains(l->diags, "t.dsl:1:11: error: invalid escape in "
	    "string");
	assert_contains(l->diags, "      |           ^\n");
	lexed_free(l);
}

static void
a_string_must_end_on_its_line(void **state)
{
	struct lexed *l = lex("notify \"#deploy\nservice a");

	(void)state;
	assert_int_equal(l->nerrors, 1);
	assert_contains(l->diags, "t.dsl:1:8: error: unterminated string");
	lexed_free(l);
}

static void
blank_lines_collapse_into_one_newline(void **state)
{
	struct lexed *l = lex("a\n\n\n\nb");

	(void)state;
	assert_int_equal(l->n, 4);
	assert_int_equal(l->toks[1].kind, TOK_NL);
	assert_int_equal(l->toks[2].loc.line, 5);
	lexed_free(l);
}

static void
comments_are_kept_as_tokens_for_fmt(void **state)
{
	struct lexed *l = lex("a # the note\nb");

	(void)state;
	assert_int_equal(l->toks[1].kind, TOK_COMMENT);
	assert_int_equal(l->toks[1].loc.col, 3);
	assert_int_equal(l->toks[1].textlen, 10);
	lexed_free(l);
}

static void
end_of_file_sits_at_the_end_of_the_last_line(void **state)
{
	struct lexed *l = lex("service a {\n  in us\n");

	(void)state;
	assert_int_equal(l->toks[l->n - 1].kind, TOK_EOF);
	assert_int_equal(l->toks[l->n - 1].loc.line, 2);
	assert_int_equal(l->toks[l->n - 1].loc.col, 8);
	lexed_free(l);
}

static void
a_run_of_stray_characters_is_one_error(void **state)
{
	struct lexed *l = lex("service a @@@ {");

	(void)state;
	assert_int_equal(l->nerrors, 1);
	assert_contains(l->diags, "t.dsl:1:11: error: unexpected character "
	    "'@'");
	assert_contains(l->diags, "^~~");
	lexed_free(l);
}

/* Found by the fuzzer: the scanner stopped at a NUL byte without moving
 * past it and looped forever.  The loader refuses such files, but the
 * scanner takes a length and must get to it. */
static void
a_nul_byte_is_a_stray_character(void **state)
{
	static const char text[] = "a \0\0 b";
	struct lexed *l = calloc(1, sizeof(*l));
	size_t len = 0;
	FILE *mem = open_memstream(&l->diags, &len);
	struct diag d;

	(void)state;
	diag_init(&d, mem, false, false);
	l->toks = lex_source(&l->arena, &d, source_new(&l->arena, "t.dsl",
	    text, sizeof(text) - 1), &l->n);
	diag_finish(&d);
	fclose(mem);
	assert_int_equal(d.nerrors, 1);
	assert_contains(l->diags, "t.dsl:1:3: error: unexpected character");
	assert_int_equal(l->n, 3);
	assert_int_equal(l->toks[0].kind, TOK_WORD);
	assert_int_equal(l->toks[1].kind, TOK_WORD);
	assert_int_equal(l->toks[1].loc.col, 6);
	assert_int_equal(l->toks[2].kind, TOK_EOF);
	lexed_free(l);
}

/* "Trojan Source": a bidirectional control in a comment can make a
 * review show a line in another order than planner reads it. */
static void
a_bidi_control_in_a_comment_is_a_warning_at_the_character(void **state)
{
	/* U+202E RIGHT-TO-LEFT OVERRIDE after "# é " (é is one column) */
	struct lexed *l = lex("service a # \xc3\xa9 \xe2\x80\xae x "
	    "\xe2\x81\xa6\n");

	(void)state;
	assert_int_equal(l->nerrors, 0);
	assert_int_equal(l->nwarnings, 1);
	assert_contains(l->diags, "t.dsl:1:15: warning: bidirectional "
	    "control U+202E RIGHT-TO-LEFT OVERRIDE in a comment (and 1 "
	    "more)\n");
	assert_contains(l->diags, "\"Trojan Source\"");
	/* the comment is still one token, whole, for fmt */
	assert_int_equal(l->toks[2].kind, TOK_COMMENT);
	lexed_free(l);
}

static void
a_bidi_control_in_a_string_is_a_warning_and_stays_in_it(void **state)
{
	struct lexed *l = lex("version \"v\xe2\x80\x8f" "1\" \"\xd8\x9c\"");

	(void)state;
	assert_int_equal(l->nerrors, 0);
	assert_int_equal(l->nwarnings, 2);
	assert_contains(l->diags, "t.dsl:1:11: warning: bidirectional "
	    "control U+200F RIGHT-TO-LEFT MARK in a string\n");
	assert_contains(l->diags, "t.dsl:1:16: warning: bidirectional "
	    "control U+061C ARABIC LETTER MARK in a string\n");
	assert_int_equal(l->toks[1].textlen, 5);
	lexed_free(l);
}

static void
other_characters_outside_ascii_are_no_warning(void **state)
{
	/* é, €, a Cyrillic letter and a zero-width space: only names must
	 * be ASCII, and the parser reports those */
	struct lexed *l = lex("# caf\xc3\xa9 \xe2\x82\xac \xd0\xb0 "
	    "\xe2\x80\x8b\nversion \"gr\xc3\xb6\xc3\x9f" "e\"\n");

	(void)state;
	assert_int_equal(l->nerrors, 0);
	assert_int_equal(l->nwarnings, 0);
	lexed_free(l);
}

static void
a_suspect_character_is_found_named_and_hidden_when_invisible(void **state)
{
	struct arena a = { 0 };
	struct suspect s;
	size_t at = 0, len = 0;

	(void)state;
	assert_true(find_suspect("st\xd0\xbe" "rage", 8, &at, &len, &s));
	assert_int_equal(at, 2);
	assert_int_equal(len, 2);
	assert_string_equal(describe_suspect(&a, &s),
	    "U+043E CYRILLIC SMALL LETTER O (looks like 'o')");
	assert_true(find_suspect("x\xe2\x80\x8b" "y", 5, &at, &len, &s));
	assert_string_equal(describe_suspect(&a, &s),
	    "U+200B ZERO WIDTH SPACE (invisible)");
	assert_true(find_suspect("\xef\xbd\x81", 3, &at, &len, &s));
	assert_string_equal(describe_suspect(&a, &s),
	    "U+FF41 FULLWIDTH LATIN SMALL LETTER A (looks like 'a')");
	assert_true(find_suspect("\xf3\xa0\x81\xa1", 4, &at, &len, &s));
	assert_string_equal(s.name, "TAG LATIN SMALL LETTER A");
	assert_false(find_suspect("caf\xc3\xa9-\xe2\x82\xac", 9, &at, &len,
	    &s));
	/* a byte that is not UTF-8 is the loader's to report */
	assert_false(find_suspect("a\xff\xe2\x80", 4, &at, &len, &s));
	/* invisible characters, spaces and controls are shown by number,
	 * look-alikes as they are (the message names them) */
	assert_string_equal(show_word(&a, "a\xe2\x80\xae" "b\xc2\xa0"
	    "c\xd0\xb0", 10), "a<U+202E>b<U+00A0>c\xd0\xb0");
	arena_free(&a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(names_numbers_and_durations_are_all_words),
		cmocka_unit_test(every_token_knows_its_line_column_and_length),
		cmocka_unit_test(strings_decode_their_escapes),
		cmocka_unit_test(an_invalid_escape_is_reported_at_its_backslash),
		cmocka_unit_test(a_string_must_end_on_its_line),
		cmocka_unit_test(blank_lines_collapse_into_one_newline),
		cmocka_unit_test(comments_are_kept_as_tokens_for_fmt),
		cmocka_unit_test(end_of_file_sits_at_the_end_of_the_last_line),
		cmocka_unit_test(a_run_of_stray_characters_is_one_error),
		cmocka_unit_test(a_nul_byte_is_a_stray_character),
		cmocka_unit_test(
		    a_bidi_control_in_a_comment_is_a_warning_at_the_character),
		cmocka_unit_test(
		    a_bidi_control_in_a_string_is_a_warning_and_stays_in_it),
		cmocka_unit_test(other_characters_outside_ascii_are_no_warning),
		cmocka_unit_test(
		  a_suspect_character_is_found_named_and_hidden_when_invisible),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
