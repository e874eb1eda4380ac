/*
 * parse.c: a recursive-descent parser from tokens to declarations.  Each
 * function parses one rule of grammar/rollout.ebnf, quoted above it.
 * Keywords are contextual: a word is a keyword only where the grammar
 * expects one.  On a syntax error the declaration is marked broken and the
 * parser skips to the next declaration keyword that starts a line, so one
 * mistake gives one error and parsing goes on.  A slip with a plain fix (a
 * misspelt keyword, soak "30m", version 2026.49.2) is one error whose help
 * is the fix, and the parser reads on as if it were made (mistake()).
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "syntax.h"

struct parser {
	struct arena *arena;
	struct diag *diag;
	struct source *src;
	struct token **toks;	/* without comments */
	size_t ntoks, pos;
	struct token *tok;	/* the current token */
	struct token *prev;	/* the last token consumed */
	bool failed;		/* a syntax error in this declaration */
	bool quiet;		/* one is reported in this declaration: any
				 * other only breaks it */
	struct vec *decls;	/* the file's declarations so far */
};

#define LENGTH(a) (sizeof(a) / sizeof(*(a)))

/* The kinds of block, indexes of blocks[] below. */
enum { BLOCK_ROLLOUT, BLOCK_SERVICE, BLOCK_WAVE };

/* Which attributes each declaration's block takes. */
static const struct {
	enum decl_kind kind;
	unsigned attrs;
} blocks[] = {
	{ DECL_ROLLOUT, 1u << ATTR_VERSION | 1u << ATTR_REGISTRY |
	    1u << ATTR_NAMESPACE | 1u << ATTR_NOTIFY |
	    1u << ATTR_DEPLOY_TEMPLATE | 1u << ATTR_DEPLOY_TIMEOUT |
	    1u << ATTR_SERVICE_ACCOUNT | 1u << ATTR_TAKES },
	{ DECL_SERVICE, 1u << ATTR_IN | 1u << ATTR_NEEDS |
	    1u << ATTR_VERSION | 1u << ATTR_IMAGE | 1u << ATTR_TAKES },
	{ DECL_WAVE, 1u << ATTR_IN | 1u << ATTR_PARALLEL |
	    1u << ATTR_SOAK | 1u << ATTR_APPROVE | 1u << ATTR_ON_FAILURE },
};

unsigned
block_attrs(enum decl_kind kind)
{
	size_t i;

	for (i = 0; i < LENGTH(blocks); i++)
		if (blocks[i].kind == kind)
			return blocks[i].attrs;
	return 0;
}

bool
is_name(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > MAX_NAME || s[n - 1] == '-' || s[0] == '-')
		return false;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return false;
	return true;
}

/* number = "0" | [1-9][0-9]* ; of any length: is_in_range says if it fits */
static bool
is_number(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || (s[0] == '0' && n > 1))
		return false;
	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* True when a number of n digits is at most MAX_NUMBER (9 nines). */
static bool
is_in_range(size_t n)
{
	return n <= 9;
}

/* duration = part { part } ; part = number unit ; units s m h d, largest
 * first, each once.  A part too large for a number makes the whole
 * LONG_MAX seconds, longer than any duration check allows. */
bool
parse_duration(const char *s, size_t n, long *seconds)
{
	static const char units[] = "dhms";
	static const long scale[] = { 86400, 3600, 60, 1 };
	size_t i = 0, next_unit = 0;
	long total = 0;

	if (n == 0)
		return false;
	while (i < n) {
		size_t start = i;
		const char *u;

		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i == n || !is_number(s + start, i - start))
			return false;
		u = strchr(units, s[i]);
		if (!s[i] || !u || (size_t)(u - units) < next_unit)
			return false;
		next_unit = (size_t)(u - units) + 1;
		/* saturating: never a wrapped-around number */
		if (!is_in_range(i - start))
			total = LONG_MAX;
		else if (total != LONG_MAX) {
			long v = strtol(s + start, NULL, 10);

			if (v > (LONG_MAX - total) / scale[u - units])
				total = LONG_MAX;
			else
				total += v * scale[u - units];
		}
		i++;
	}
	*seconds = total;
	return true;
}

static void
advance(struct parser *p)
{
	p->prev = p->tok;
	if (p->pos + 1 < p->ntoks)
		p->pos++;
	p->tok = p->toks[p->pos];
}

static bool
at(struct parser *p, enum token_kind k)
{
	return p->tok->kind == k;
}

static bool
at_word(struct parser *p, const char *word)
{
	return at(p, TOK_WORD) && strlen(word) == p->tok->textlen &&
	    memcmp(p->tok->text, word, p->tok->textlen) == 0;
}

/*
 * The first character of word t that a reader may take for another or not
 * see, and where: "U+0430 CYRILLIC SMALL LETTER A (looks like 'a') at
 * column 9"; NULL when it has none.  The column is the one diagnostics
 * show.
 */
static const char *
suspect_in(struct parser *p, const struct token *t)
{
	struct suspect s;
	struct loc where = t->loc;
	size_t at, len;
	const char *place;

	if (t->kind != TOK_WORD ||
	    !find_suspect(t->text, t->textlen, &at, &len, &s))
		return NULL;
	where.col += (int)at;
	where.len = (int)len;
	place = loc_str(p->arena, where);
	return arena_printf(p->arena, "%s at column %s",
	    describe_suspect(p->arena, &s), strrchr(place, ':') + 1);
}

/* Word t as a message quotes it, with what is odd in it after a ": ". */
static const char *
quote_word(struct parser *p, const struct token *t)
{
	const char *odd = suspect_in(p, t);

	return arena_printf(p->arena, "'%s'%s%s", show_word(p->arena,
	    t->text, t->textlen), odd ? ": " : "", odd ? odd : "");
}

static const char *
describe(struct parser *p, struct token *t)
{
	switch (t->kind) {
	case TOK_WORD:
		return arena_printf(p->arena, "'%s'", show_word(p->arena,
		    t->text, t->textlen));
	case TOK_STRING:
		return "a string";
	default:
		return token_kind_name(t->kind);
	}
}

/* Reports "expected X, found Y" at the current token, unless this
 * declaration has had its syntax error; true when it was reported. */
static bool
report_syntax(struct parser *p, const char *expected)
{
	const char *odd;

	if (p->failed || p->quiet)
		return false;
	p->quiet = true;
	diag_error(p->diag, p->tok->loc, "expected %s, found %s", expected,
	    describe(p, p->tok));
	if ((odd = suspect_in(p, p->tok)))
		diag_help(p->diag, "it holds %s", odd);
	return true;
}

/* Reports a syntax error at the current token, once per declaration, and
 * stops reading the declaration. */
static void
syntax_error(struct parser *p, const char *expected)
{
	report_syntax(p, expected);
	p->failed = true;
}

/*
 * A mistake whose fix is plain (a misspelt keyword, a duration in quotes):
 * the syntax error, with the fix as its help, and the parser reads on as
 * if it were fixed, so the declaration is whole and the rest of the checks
 * see what the fix gives.  One error: a later syntax error in the same
 * declaration only breaks it.
 */
static void
mistake(struct parser *p, const char *expected, const char *fix)
{
	if (report_syntax(p, expected))
		diag_help(p->diag, "%s", fix);
}

/* The word at the current token, as a message quotes it. */
static const char *
word_shown(struct parser *p)
{
	return show_word(p->arena, p->tok->text, p->tok->textlen);
}

static bool
expect(struct parser *p, enum token_kind k, const char *context)
{
	if (p->failed)
		return false;
	if (!at(p, k)) {
		syntax_error(p, arena_printf(p->arena, "%s %s",
		    token_kind_name(k), context));
		return false;
	}
	advance(p);
	return true;
}

/* The '}' that closes the '{' at open. */
static bool
expect_close(struct parser *p, struct loc open)
{
	if (!p->failed && at(p, TOK_RBRACE)) {
		advance(p);
		return true;
	}
	return expect(p, TOK_RBRACE, arena_printf(p->arena,
	    "to close '{' at line %d", open.line));
}

static void
skip_newlines(struct parser *p)
{
	while (at(p, TOK_NL))
		advance(p);
}

static void
invalid_name(struct parser *p, struct token *t)
{
	const char *why = "a name is lower-case letters, digits and '-'";

	if (t->textlen > MAX_NAME)
		why = arena_printf(p->arena, "a name is at most %d characters",
		    MAX_NAME);
	else if (t->text[t->textlen - 1] == '-')
		why = "a name may not end with '-'";
	diag_error(p->diag, t->loc, "invalid name %s", quote_word(p, t));
	diag_help(p->diag, "%s (a Kubernetes DNS-1123 label)", why);
}

/* name = word that is a DNS-1123 label.  An invalid name is reported and
 * read as NULL, so it is not reported again as unknown. */
static struct word
parse_name(struct parser *p, const char *after)
{
	struct word w = { NULL, p->tok->loc };

	if (p->failed)
		return w;
	if (!at(p, TOK_WORD)) {
		syntax_error(p, arena_printf(p->arena, "a name after '%s'",
		    after));
		return w;
	}
	if (is_name(p->tok->text, p->tok->textlen))
		w.text = arena_strndup(p->arena, p->tok->text,
		    p->tok->textlen);
	else
		invalid_name(p, p->tok);
	advance(p);
	return w;
}

/* names = name { "," { nl } name } */
static void
parse_names(struct parser *p, struct attr *a, const char *after)
{
	struct word *w = NULL;
	size_t n = 0, cap = 0;

	for (;;) {
		struct word one = parse_name(p, after);

		if (p->failed)
			break;
		if (n == cap) {
			cap = cap ? cap * 2 : 4;
			w = xrealloc_array(w, cap, sizeof(*w));
		}
		w[n++] = one;
		if (!at(p, TOK_COMMA))
			break;
		advance(p);
		skip_newlines(p);
		after = ",";
	}
	a->names = arena_array(p->arena, n, sizeof(*w));
	if (n)
		memcpy(a->names, w, n * sizeof(*w));
	a->nnames = n;
	free(w);
}

/* A string after the keyword kw ("a path string after 'import'"), decoded,
 * into *w; false after a syntax error or a string the lexer reported. */
static bool
parse_string(struct parser *p, const char *what, const char *kw,
    struct word *w)
{
	if (!at(p, TOK_STRING)) {
		syntax_error(p, arena_printf(p->arena, "%s after '%s'", what,
		    kw));
		return false;
	}
	if (p->tok->bad) {
		p->failed = true;	/* reported by the lexer */
		return false;
	}
	w->text = p->tok->text;
	w->loc = p->tok->loc;
	advance(p);
	return true;
}

/*
 * The comment that starts on the line of the last token read, after it
 * ("notify #deploy-train": '#' starts a comment), without the blanks at its
 * end; false when there is none.
 */
static bool
comment_after(struct parser *p, struct loc *at, const char **text)
{
	int len, i = p->prev->loc.col - 1 + p->prev->loc.len, end;
	const char *line = source_line(p->src, p->prev->loc.line, &len);

	while (i < len && (line[i] == ' ' || line[i] == '\t'))
		i++;
	if (i >= len || line[i] != '#')
		return false;
	for (end = len; end > i && (line[end - 1] == ' ' ||
	    line[end - 1] == '\t'); end--)
		;
	*at = p->prev->loc;
	at->col = i + 1;
	at->len = end - i;
	*text = arena_strndup(p->arena, line + i, (size_t)(end - i));
	return true;
}

/* string value; a word there ("version 2026.49.2") is read as the string
 * it should be, and so is a comment ("notify #deploy-train") */
static void
parse_string_value(struct parser *p, struct attr *a, const char *kw)
{
	const char *expected = arena_printf(p->arena, "a string after '%s'",
	    kw), *text;
	struct word w;
	struct loc where;

	if (at(p, TOK_WORD)) {
		mistake(p, expected, arena_printf(p->arena, "write it in double "
		    "quotes: %s \"%s\"", kw, word_shown(p)));
		a->str = arena_strndup(p->arena, p->tok->text, p->tok->textlen);
		a->val = p->tok->loc;
		advance(p);
		return;
	}
	if ((at(p, TOK_NL) || at(p, TOK_EOF)) && !p->failed && !p->quiet &&
	    comment_after(p, &where, &text)) {
		p->quiet = true;
		diag_error(p->diag, where, "expected %s, found a comment",
		    expected);
		diag_help(p->diag, "'#' starts a comment: write it in double "
		    "quotes: %s \"%s\"", kw, text);
		a->str = text;
		a->val = where;
		return;
	}
	if (parse_string(p, "a string", kw, &w)) {
		a->str = w.text;
		a->val = w.loc;
	}
}

static void
parse_number_value(struct parser *p, struct attr *a, const char *kw)
{
	struct token *t = p->tok;

	/* parallel "2" */
	if (at(p, TOK_STRING) && !t->bad && is_number(t->text, t->textlen) &&
	    is_in_range(t->textlen)) {
		mistake(p, arena_printf(p->arena, "a number after '%s'", kw),
		    arena_printf(p->arena, "write it without quotes: %s %s",
		    kw, t->text));
		a->val = t->loc;
		a->num = strtol(t->text, NULL, 10);
		advance(p);
		return;
	}
	if (!at(p, TOK_WORD)) {
		syntax_error(p, arena_printf(p->arena, "a number after '%s'",
		    kw));
		return;
	}
	a->val = t->loc;
	if (is_number(t->text, t->textlen) && is_in_range(t->textlen)) {
		a->num = strtol(t->text, NULL, 10);
	} else if (is_number(t->text, t->textlen)) {
		diag_error(p->diag, t->loc, "number '%.*s' is out of range",
		    (int)t->textlen, t->text);
		diag_help(p->diag, "a number is at most %d", MAX_NUMBER);
		a->num = -1;
	} else {
		diag_error(p->diag, t->loc, "invalid number %s",
		    quote_word(p, t));
		diag_help(p->diag, "a number is a whole decimal number "
		    "without sign or leading zeros");
		a->num = -1;
	}
	advance(p);
}

/*
 * A duration written in parts with blanks between them ("1h 30m", "30 m"):
 * how many words from the current token make one when joined (at least
 * 2), the longest such run; 0 when none does.  The joined text in *joined.
 */
static size_t
spaced_duration(struct parser *p, const char **joined)
{
	struct buf b = { 0 };
	size_t i, best = 0;
	long seconds;

	for (i = 0; i < 4 && p->pos + i < p->ntoks &&
	    p->toks[p->pos + i]->kind == TOK_WORD; i++) {
		buf_add(&b, p->toks[p->pos + i]->text,
		    p->toks[p->pos + i]->textlen);
		if (i > 0 && parse_duration(b.data, b.len, &seconds)) {
			best = i + 1;
			*joined = arena_strndup(p->arena, b.data, b.len);
		}
	}
	buf_free(&b);
	return best;
}

/* duration value; also in quotes (soak "30m") and in parts with blanks
 * between them (soak 1h 30m), each an error whose help is the fix */
static void
parse_duration_value(struct parser *p, struct attr *a, const char *kw)
{
	struct token *t = p->tok;
	const char *joined = NULL;
	size_t n;

	if (at(p, TOK_STRING) && !t->bad &&
	    parse_duration(t->text, t->textlen, &a->num)) {
		mistake(p, arena_printf(p->arena, "a duration after '%s'", kw),
		    arena_printf(p->arena, "write it without quotes: %s %s",
		    kw, t->text));
		a->val = t->loc;
		a->str = t->text;
		advance(p);
		return;
	}
	if (!at(p, TOK_WORD)) {
		syntax_error(p, arena_printf(p->arena, "a duration after '%s'",
		    kw));
		return;
	}
	if ((n = spaced_duration(p, &joined))) {
		struct token *last = p->toks[p->pos + n - 1];
		const char *fix = arena_printf(p->arena, "write it without "
		    "spaces: %s %s", kw, joined);

		a->val = t->loc;
		a->val.len = last->loc.col + last->loc.len - t->loc.col;
		a->str = joined;
		parse_duration(joined, strlen(joined), &a->num);
		if (parse_duration(t->text, t->textlen, &(long){ 0 })) {
			/* "1h" is a duration: the error is at "30m" */
			advance(p);
			mistake(p, "';', a newline or '}'", fix);
		} else if (!p->failed) {
			diag_error(p->diag, t->loc, "invalid duration %s",
			    quote_word(p, t));
			diag_help(p->diag, "%s", fix);
		}
		while (p->tok != last)
			advance(p);
		advance(p);
		return;
	}
	a->val = t->loc;
	a->str = arena_strndup(p->arena, t->text, t->textlen);
	if (!parse_duration(t->text, t->textlen, &a->num)) {
		diag_error(p->diag, t->loc, "invalid duration %s",
		    quote_word(p, t));
		diag_help(p->diag, "a duration is parts like 45s, 15m, 1h30m "
		    "or 2d: units d, h, m, s, largest first, each once");
		a->num = -1;
	}
	advance(p);
}

/* on-failure ( halt | continue | rollback ) */
static void
parse_failure_value(struct parser *p, struct attr *a)
{
	const char *expected, *near;
	size_t i;

	a->val = p->tok->loc;
	for (i = 0; i < NPOLICIES; i++)
		if (at_word(p, policy_words[i])) {
			a->num = (long)i;
			advance(p);
			return;
		}
	expected = arena_printf(p->arena, "%s after '%s'",
	    word_list(p->arena, policy_words, NPOLICIES, ~0u),
	    attr_words[ATTR_ON_FAILURE]);
	near = at(p, TOK_WORD) ? word_nearest(p->tok->text, p->tok->textlen,
	    policy_words, NPOLICIES, ~0u) : NULL;
	if (!near) {
		syntax_error(p, expected);
		return;
	}
	mistake(p, expected, arena_printf(p->arena, "did you mean '%s'?",
	    near));
	for (i = 0; i < NPOLICIES; i++)
		if (policy_words[i] == near)
			a->num = (long)i;
	advance(p);
}

/* attr = keyword value, as the table of the declaration allows */
static struct attr *
parse_attr(struct parser *p, size_t block)
{
	struct attr *a = arena_alloc(p->arena, sizeof(*a));
	const char *kw, *expected, *near;
	size_t i;

	for (i = 0; i < NATTRS; i++)
		if ((blocks[block].attrs >> i & 1) &&
		    at_word(p, attr_words[i]))
			break;
	if (i == NATTRS) {
		/* need, approval, on-fail: read as the attribute meant */
		expected = arena_printf(p->arena, "a %s attribute (%s) or '}'",
		    decl_words[blocks[block].kind], word_list(p->arena,
		    attr_words, NATTRS, blocks[block].attrs));
		near = at(p, TOK_WORD) ? word_nearest(p->tok->text,
		    p->tok->textlen, attr_words, NATTRS,
		    blocks[block].attrs) : NULL;
		if (!near) {
			syntax_error(p, expected);
			return NULL;
		}
		mistake(p, expected, arena_printf(p->arena, "did you mean "
		    "'%s'?", near));
		for (i = 0; attr_words[i] != near; i++)
			;
	}
	kw = attr_words[i];
	a->kind = (enum attr_kind)i;
	a->loc = p->tok->loc;
	advance(p);
	switch (a->kind) {
	case ATTR_IN:
	case ATTR_NEEDS:
		parse_names(p, a, kw);
		break;
	case ATTR_NAMESPACE:
	case ATTR_DEPLOY_TEMPLATE:
	case ATTR_SERVICE_ACCOUNT:
		a->names = arena_alloc(p->arena, sizeof(*a->names));
		a->names[0] = parse_name(p, kw);
		a->nnames = 1;
		a->val = a->names[0].loc;
		break;
	case ATTR_PARALLEL: parse_number_value(p, a, kw); break;
	case ATTR_SOAK:
	case ATTR_DEPLOY_TIMEOUT:
	case ATTR_TAKES:
		parse_duration_value(p, a, kw);
		break;
	case ATTR_ON_FAILURE: parse_failure_value(p, a); break;
	case ATTR_APPROVE: break;
	default: parse_string_value(p, a, kw); break;
	}
	a->end_line = p->prev->loc.line;
	return p->failed ? NULL : a;
}

static bool
at_decl_keyword(struct parser *p)
{
	size_t k;

	for (k = 0; k < NDECLS; k++)
		if (at_word(p, decl_words[k]))
			return true;
	return false;
}

static bool
at_sep(struct parser *p)
{
	return at(p, TOK_SEMI) || at(p, TOK_NL);
}

static void
skip_seps(struct parser *p)
{
	while (at_sep(p))
		advance(p);
}

static size_t misspelt_decl(struct parser *p);

/* True at an attribute keyword the block takes. */
static bool
at_attr(struct parser *p, size_t block)
{
	size_t i;

	for (i = 0; i < NATTRS; i++)
		if ((blocks[block].attrs >> i & 1) && at_word(p, attr_words[i]))
			return true;
	return false;
}

/* block = "{" { sep } [ attr { sep { sep } attr } { sep } ] "}" */
static void
parse_block(struct parser *p, struct decl *d, size_t block)
{
	struct vec attrs = { 0 };
	struct loc open = p->tok->loc;

	if (!at(p, TOK_LBRACE)) {
		syntax_error(p, arena_printf(p->arena, "'{' after the %s name",
		    decl_words[blocks[block].kind]));
		return;
	}
	advance(p);
	skip_seps(p);
	while (!p->failed && !at(p, TOK_RBRACE)) {
		struct attr *a;

		/* An unclosed block meets the next declaration, its keyword
		 * misspelt too (not an attribute of the block's) */
		if (p->tok->line_start && (at_decl_keyword(p) ||
		    (!at_attr(p, block) && misspelt_decl(p) < NDECLS))) {
			expect_close(p, open);
			break;
		}
		a = parse_attr(p, block);

		if (!a)
			break;
		vec_push(&attrs, a);
		if (at(p, TOK_RBRACE))
			break;
		if (!at_sep(p)) {
			/* where the attribute really ended is unsure: a
			 * list may have run on into the next one */
			syntax_error(p, "';', a newline or '}'");
			attrs.n--;
			break;
		}
		skip_seps(p);
	}
	d->nattrs = attrs.n;
	d->attrs = (struct attr **)vec_to_arena(&attrs, p->arena);
	d->end_line = p->tok->loc.line;
	expect_close(p, open);
}

/*
 * True at a line that starts a declaration: a declaration keyword first on
 * its line, followed by a path string (import) or by a name and '{'.  In a
 * group, where keywords are also cluster names, this tells a member named
 * 'service' from the next declaration.
 */
static bool
starts_declaration(struct parser *p)
{
	struct token **next = p->toks + p->pos + 1;
	size_t left = p->ntoks - p->pos - 1;

	if (!p->tok->line_start || !at_decl_keyword(p) || left < 1)
		return false;
	if (at_word(p, decl_words[DECL_IMPORT]))
		return next[0]->kind == TOK_STRING;
	return left >= 2 && next[0]->kind == TOK_WORD &&
	    next[1]->kind == TOK_LBRACE;
}

/* group = "group" name "{" { nl } names-block { nl } "}"
 * names-block = name { ( "," | nl ) { nl } name } [ "," ] */
static void
parse_group(struct parser *p, struct decl *d)
{
	struct vec members = { 0 };
	struct loc open = p->tok->loc;

	if (!expect(p, TOK_LBRACE, "after the group name"))
		return;
	skip_newlines(p);
	for (;;) {
		struct word *w;

		/* An unclosed group meets the next declaration. */
		if (members.n && starts_declaration(p)) {
			expect_close(p, open);
			break;
		}
		w = arena_alloc(p->arena, sizeof(*w));

		*w = parse_name(p, members.n ? "," : "{");
		if (p->failed)
			break;
		vec_push(&members, w);
		if (!at(p, TOK_COMMA) && !at(p, TOK_NL))
			break;
		if (at(p, TOK_COMMA))
			advance(p);
		skip_newlines(p);
		if (at(p, TOK_RBRACE))
			break;
	}
	d->nmembers = members.n;
	d->members = arena_array(p->arena, members.n, sizeof(*d->members));
	for (size_t i = 0; i < members.n; i++)
		d->members[i] = *(struct word *)members.items[i];
	vec_free(&members);
	d->end_line = p->tok->loc.line;
	expect_close(p, open);
}

/* import = "import" string */
static void
parse_import(struct parser *p, struct decl *d)
{
	parse_string(p, "a path string", decl_words[DECL_IMPORT], &d->name);
}

/* decl    = rollout | import | group | service | wave
 * rollout = "rollout" name [ block ]
 * service = "service" name block
 * wave    = "wave" name block */
static struct decl *
parse_decl(struct parser *p, size_t k)
{
	struct decl *d = arena_alloc(p->arena, sizeof(*d));

	d->kind = (enum decl_kind)k;
	d->loc = p->tok->loc;
	d->src = p->src;
	advance(p);
	if (d->kind == DECL_IMPORT) {
		parse_import(p, d);
		d->end_line = p->prev->loc.line;
		return d;
	}
	d->name = parse_name(p, decl_words[k]);
	if (!d->name.text && !p->failed)
		d->broken = true;	/* invalid name, reported */
	switch (d->kind) {
	case DECL_ROLLOUT:
		d->end_line = p->prev->loc.line;
		if (at(p, TOK_LBRACE)) {
			d->has_block = true;
			parse_block(p, d, BLOCK_ROLLOUT);
		}
		break;
	case DECL_GROUP: parse_group(p, d); break;
	case DECL_SERVICE: parse_block(p, d, BLOCK_SERVICE); break;
	case DECL_WAVE: parse_block(p, d, BLOCK_WAVE); break;
	default: break;
	}
	return d;
}

/* The declaration keyword at the current token: its kind, or NDECLS. */
static size_t
decl_keyword(struct parser *p)
{
	size_t k;

	for (k = 0; k < NDECLS; k++)
		if (at_word(p, decl_words[k]))
			break;
	return k;
}

/* True when what follows the current token is the rest of a declaration
 * of kind k: a path string (import), or a name and '{' (rollout: or a
 * name that ends the line). */
static bool
decl_follows(struct parser *p, size_t k)
{
	struct token **next = p->toks + p->pos + 1;
	size_t left = p->ntoks - p->pos - 1;

	if (left < 1)
		return false;
	if (k == DECL_IMPORT)
		return next[0]->kind == TOK_STRING;
	return next[0]->kind == TOK_WORD && left >= 2 &&
	    (next[1]->kind == TOK_LBRACE || (k == DECL_ROLLOUT &&
	    (next[1]->kind == TOK_NL || next[1]->kind == TOK_EOF)));
}

/* A misspelt declaration keyword at the current token ("grop", "servce",
 * "cluster-group") followed by the rest of a declaration: the kind meant,
 * or NDECLS. */
static size_t
misspelt_decl(struct parser *p)
{
	const char *near;
	size_t k;

	if (!at(p, TOK_WORD) || !(near = word_nearest(p->tok->text,
	    p->tok->textlen, decl_words, NDECLS, ~0u)))
		return NDECLS;
	for (k = 0; decl_words[k] != near; k++)
		;
	return decl_follows(p, k) ? k : NDECLS;
}

/*
 * The declaration skipped at the current token, a keyword that does not
 * start its line, as a broken stub: its kind and name, nothing else.  A
 * declaration is a keyword followed by a path string (import), or by a
 * name and '{' (rollout: or by a name that ends the line).  NULL when the
 * token does not start one.
 */
static struct decl *
skipped_decl(struct parser *p)
{
	size_t k = decl_keyword(p);
	struct token **next = p->toks + p->pos + 1;
	struct decl *d;

	if (k == NDECLS || !decl_follows(p, k))
		return NULL;
	d = arena_alloc(p->arena, sizeof(*d));
	d->kind = (enum decl_kind)k;
	d->loc = p->tok->loc;
	d->src = p->src;
	d->broken = true;
	d->end_line = d->loc.line;
	d->name.loc = next[0]->loc;
	if (k != DECL_IMPORT && is_name(next[0]->text, next[0]->textlen))
		d->name.text = arena_strndup(p->arena, next[0]->text,
		    next[0]->textlen);
	return d;
}

/*
 * After a syntax error: on to the next declaration keyword that starts a
 * line, which may be the token where the error was found.  A declaration
 * passed over on the way (`} service s {` on one line) is kept as a broken
 * stub, so that one mistake gives one error: its name is then not unknown
 * where it is used, nor are its clusters in no wave.
 */
static void
recover(struct parser *p)
{
	struct decl *d;

	while (!at(p, TOK_EOF) && !(p->tok->line_start &&
	    (at_decl_keyword(p) || misspelt_decl(p) < NDECLS))) {
		if ((d = skipped_decl(p)))
			vec_push(p->decls, d);
		advance(p);
	}
	p->failed = false;
}

/* Copies the comment tokens into the arena for fmt; the rest of the
 * tokens die with the parse, since the tree keeps what it needs. */
static void
keep_comments(struct arena *a, struct file *f, struct vec *comments)
{
	struct token *kept = arena_array(a, comments->n, sizeof(*kept));
	size_t i;

	f->ncomments = comments->n;
	f->comments = arena_array(a, comments->n, sizeof(*f->comments));
	for (i = 0; i < comments->n; i++) {
		kept[i] = *(struct token *)comments->items[i];
		f->comments[i] = &kept[i];
	}
	vec_free(comments);
}

/* file = { nl | decl } EOF */
struct file *
parse_source(struct arena *a, struct diag *d, struct source *src)
{
	struct parser p = { a, d, src, NULL, 0, 0, NULL, NULL, false, false,
	    NULL };
	struct file *f = arena_alloc(a, sizeof(*f));
	struct vec decls = { 0 }, comments = { 0 }, toks = { 0 };
	struct token *all;
	size_t n, i, k;

	all = lex_source(a, d, src, &n);
	for (i = 0; i < n; i++)
		vec_push(all[i].kind == TOK_COMMENT ? &comments : &toks,
		    &all[i]);
	p.ntoks = toks.n;
	p.toks = (struct token **)toks.items;
	p.tok = p.toks[0];
	p.prev = p.tok;
	p.decls = &decls;
	while (!at(&p, TOK_EOF) && !diag_full(d)) {
		struct decl *decl;

		if (at(&p, TOK_NL)) {
			advance(&p);
			continue;
		}
		p.quiet = false;
		if ((k = decl_keyword(&p)) == NDECLS) {
			const char *expected = arena_printf(a, "a declaration "
			    "(%s)", word_list(a, decl_words, NDECLS, ~0u));

			if ((k = misspelt_decl(&p)) == NDECLS) {
				syntax_error(&p, expected);
				advance(&p);
				recover(&p);
				continue;
			}
			/* grop edges {: read as the group it is, so that
			 * its name is known where it is used */
			mistake(&p, expected, arena_printf(a, "did you mean "
			    "'%s'?", decl_words[k]));
		}
		decl = parse_decl(&p, k);
		vec_push(&decls, decl);
		if (p.failed) {
			decl->broken = true;
			recover(&p);
		}
	}
	vec_free(&toks);
	f->src = src;
	f->ndecls = decls.n;
	f->decls = (struct decl **)vec_to_arena(&decls, a);
	keep_comments(a, f, &comments);
	free(all);
	return f;
}
