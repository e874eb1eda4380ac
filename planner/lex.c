/*
 * lex.c: the scanner.  It turns a source into tokens: words (names,
 * numbers and durations alike; the parser decides which by where they
 * stand), strings with their escapes decoded, punctuation, newlines
 * (collapsed, since only their presence matters) and comments, which the
 * parser skips and fmt keeps.  Every token knows its place.
 */
#include <stdlib.h>
#include <string.h>

#include "syntax.h"

struct lexer {
	struct arena *arena;
	struct diag *diag;
	struct source *src;
	const char *p;		/* the next character */
	int line;
	const char *line_start;	/* where the current line begins */
	int last_token_line;	/* the line of the last token made */
	struct token *toks;
	size_t n, cap;
};

const char *
token_kind_name(enum token_kind k)
{
	switch (k) {
	case TOK_EOF: return "end of file";
	case TOK_NL: return "newline";
	case TOK_WORD: return "word";
	case TOK_STRING: return "string";
	case TOK_LBRACE: return "'{'";
	case TOK_RBRACE: return "'}'";
	case TOK_COMMA: return "','";
	case TOK_SEMI: return "';'";
	case TOK_COMMENT: return "comment";
	}
	return "token";
}

static struct loc
here(struct lexer *l, const char *start, const char *end)
{
	struct loc loc;

	loc.src = l->src;
	loc.line = l->line;
	loc.col = (int)(start - l->line_start) + 1;
	loc.len = (int)(end - start);
	return loc;
}

static struct token *
add(struct lexer *l, enum token_kind kind, const char *start, const char *end)
{
	struct token *t;

	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 256;
		l->toks = xrealloc_array(l->toks, l->cap, sizeof(*l->toks));
	}
	t = &l->toks[l->n++];
	t->kind = kind;
	t->loc = here(l, start, end);
	t->line_start = l->last_token_line != l->line;
	t->bad = false;
	t->text = start;
	t->textlen = (size_t)(end - start);
	l->last_token_line = l->line;
	return t;
}

/* Letters of any case, digits, '-', '_', '.' and any non-ASCII byte: a
 * word that is not a valid name is then reported once, as a whole. */
static bool
is_word_char(char ch)
{
	unsigned char c = (unsigned char)ch;

	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' ||
	    c >= 0x80;
}

/* string = '"' { char | escape } '"' on one line */
static void
lex_string(struct lexer *l)
{
	const char *start = l->p;
	struct buf b = { 0 };
	struct token *t;
	bool bad = false;

	for (l->p++; *l->p != '"'; l->p++) {
		if (*l->p == '\n' || l->p >= l->src->text + l->src->len) {
			const char *end = l->p;

			if (end > start && end[-1] == '\r')
				end--;
			diag_error(l->diag, here(l, start, end),
			    "unterminated string");
			diag_help(l->diag, "a string ends with '\"' on the "
			    "line where it starts");
			bad = true;
			break;
		}
		if (*l->p != '\\') {
			buf_putc(&b, *l->p);
			continue;
		}
		/* a backslash that ends the line leaves it unterminated */
		if (l->p[1] == '\n' || l->p[1] == '\0' || l->p[1] == '\r')
			continue;
		switch (l->p[1]) {
		case '"': buf_putc(&b, '"'); break;
		case '\\': buf_putc(&b, '\\'); break;
		case 'n': buf_putc(&b, '\n'); break;
		case 't': buf_putc(&b, '\t'); break;
		default:
			diag_error(l->diag, here(l, l->p, l->p + 1),
			    "invalid escape in string");
			diag_help(l->diag, "the escapes are \\\", \\\\, \\n "
			    "and \\t");
			buf_putc(&b, l->p[1]);
			break;
		}
		l->p++;
	}
	t = add(l, TOK_STRING, start, *l->p == '"' ? l->p + 1 : l->p);
	if (!bad && b.len > MAX_STRING) {
		diag_error(l->diag, t->loc, "string is longer than %d bytes",
		    MAX_STRING);
		diag_help(l->diag, "no version, image, path or template "
		    "needs so long a string");
		bad = true;
	}
	t->bad = bad;
	t->text = arena_strndup(l->arena, b.data ? b.data : "", b.len);
	t->textlen = b.len;
	buf_free(&b);
	if (*l->p == '"')
		l->p++;
}

/* Reports the line that ends at end when it is longer than MAX_LINE. */
static void
check_line_length(struct lexer *l, const char *end)
{
	if (end > l->line_start && end[-1] == '\r')
		end--;
	const char *at = l->line_start + MAX_LINE;

	if (end - l->line_start <= MAX_LINE)
		return;
	/* the caret under the character that holds the first byte too many */
	while (at > l->line_start && ((unsigned char)*at & 0xc0) == 0x80)
		at--;
	diag_error(l->diag, here(l, at, at + 1), "line is longer than %d bytes",
	    MAX_LINE);
	diag_help(l->diag, "a list may go on over several lines, after a ','");
}

static void
lex_newline(struct lexer *l)
{
	/* in a CRLF file the newline starts at the '\r' */
	const char *at = l->p > l->line_start && l->p[-1] == '\r' ?
	    l->p - 1 : l->p;

	check_line_length(l, l->p);
	if (l->n && l->toks[l->n - 1].kind != TOK_NL)
		add(l, TOK_NL, at, at + 1);
	l->p++;
	l->line++;
	l->line_start = l->p;
}

/* Reports a run of characters that start no token as one error. */
static void
lex_garbage(struct lexer *l)
{
	const char *start = l->p, *end = l->src->text + l->src->len;
	unsigned char c = (unsigned char)*l->p;

	/* A NUL byte is garbage too, not the end: stopping at it would leave
	 * the scanner where it was, forever. */
	while (l->p < end && !is_word_char(*l->p) && (*l->p == '\0' ||
	    !strchr(" \t\r\n#\"{},;", *l->p)))
		l->p++;
	if (c >= 0x20 && c < 0x7f)
		diag_error(l->diag, here(l, start, l->p),
		    "unexpected character '%c'", c);
	else
		diag_error(l->diag, here(l, start, l->p),
		    "unexpected character");
}

static void
lex_end(struct lexer *l)
{
	struct source *s = l->src;
	int len = 0;
	struct token *t;

	check_line_length(l, l->p);
	source_line(s, s->nlines, &len);
	t = add(l, TOK_EOF, l->p, l->p);
	t->loc.line = s->nlines;
	t->loc.col = len + 1;
	t->loc.len = 1;
	t->line_start = true;
}

struct token *
lex_source(struct arena *a, struct diag *d, struct source *src,
    size_t *ntokens)
{
	struct lexer l = { a, d, src, src->text, 1, src->text, 0, NULL, 0, 0 };
	const char *end = src->text + src->len;

	/* a guess from the length; add() grows the array if it is short */
	l.cap = src->len / 4 + 64;
	l.toks = xmalloc_large(array_size(l.cap, sizeof(*l.toks)));

	while (l.p < end) {
		const char *start = l.p;

		switch (*l.p) {
		case ' ': case '\t': case '\r':
			l.p++;
			break;
		case '\n':
			lex_newline(&l);
			break;
		case '#':
			while (l.p < end && *l.p != '\n')
				l.p++;
			add(&l, TOK_COMMENT, start, l.p);
			break;
		case '"':
			lex_string(&l);
			break;
		case '{': add(&l, TOK_LBRACE, l.p, l.p + 1); l.p++; break;
		case '}': add(&l, TOK_RBRACE, l.p, l.p + 1); l.p++; break;
		case ',': add(&l, TOK_COMMA, l.p, l.p + 1); l.p++; break;
		case ';': add(&l, TOK_SEMI, l.p, l.p + 1); l.p++; break;
		default:
			if (!is_word_char(*l.p)) {
				lex_garbage(&l);
				break;
			}
			while (l.p < end && is_word_char(*l.p))
				l.p++;
			add(&l, TOK_WORD, start, l.p);
			break;
		}
	}
	lex_end(&l);
	*ntokens = l.n;
	return l.toks;
}
