/* test_lex.c: the scanner turns text into placed tokens. */
#include <stdlib.h>
#include <string.h>

#include "support.h"

struct lexed {
	struct arena arena;
	struct token *toks;
	size_t n;
	char *diags;
	int nerrors;
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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
