/*
 * lex.c: the scanner.  It turns a source into tokens: words (names,
 * numbers and durations alike; the parser decides which by where they
 * stand), strings with their escapes decoded, punctuation, newlines
 * (collapsed, since only their presence matters) and comments, which the
 * parser skips and fmt keeps.  Every token knows its place.
 */
#include <stdio.h>
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

/*
 * The suspect characters (see syntax.h) by code point, for a binary
 * search: look-alikes of lower-case letters, digits, '-' and space,
 * invisible characters, and the bidirectional controls.  A small table,
 * not all of Unicode: ranges of fullwidth forms, variation selectors and
 * tags are in find_suspect.
 */
enum { SUSPECT_PLAIN, SUSPECT_BIDI };

static const struct {
	unsigned short cp;
	char looks_like;	/* ' ', '-', a letter, or 0: invisible */
	unsigned char kind;
	const char *name;
} suspects[] = {
	{ 0x00a0, ' ', 0, "NO-BREAK SPACE" },
	{ 0x00ad, 0, 0, "SOFT HYPHEN" },
	{ 0x0131, 'i', 0, "LATIN SMALL LETTER DOTLESS I" },
	{ 0x0251, 'a', 0, "LATIN SMALL LETTER ALPHA" },
	{ 0x0261, 'g', 0, "LATIN SMALL LETTER SCRIPT G" },
	{ 0x034f, 0, 0, "COMBINING GRAPHEME JOINER" },
	{ 0x03b1, 'a', 0, "GREEK SMALL LETTER ALPHA" },
	{ 0x03b9, 'i', 0, "GREEK SMALL LETTER IOTA" },
	{ 0x03ba, 'k', 0, "GREEK SMALL LETTER KAPPA" },
	{ 0x03bd, 'v', 0, "GREEK SMALL LETTER NU" },
	{ 0x03bf, 'o', 0, "GREEK SMALL LETTER OMICRON" },
	{ 0x03c1, 'p', 0, "GREEK SMALL LETTER RHO" },
	{ 0x03c5, 'u', 0, "GREEK SMALL LETTER UPSILON" },
	{ 0x0430, 'a', 0, "CYRILLIC SMALL LETTER A" },
	{ 0x0435, 'e', 0, "CYRILLIC SMALL LETTER IE" },
	{ 0x043e, 'o', 0, "CYRILLIC SMALL LETTER O" },
	{ 0x0440, 'p', 0, "CYRILLIC SMALL LETTER ER" },
	{ 0x0441, 'c', 0, "CYRILLIC SMALL LETTER ES" },
	{ 0x0443, 'y', 0, "CYRILLIC SMALL LETTER U" },
	{ 0x0445, 'x', 0, "CYRILLIC SMALL LETTER HA" },
	{ 0x0455, 's', 0, "CYRILLIC SMALL LETTER DZE" },
	{ 0x0456, 'i', 0, "CYRILLIC SMALL LETTER BYELORUSSIAN-UKRAINIAN I" },
	{ 0x0458, 'j', 0, "CYRILLIC SMALL LETTER JE" },
	{ 0x04bb, 'h', 0, "CYRILLIC SMALL LETTER SHHA" },
	{ 0x04cf, 'l', 0, "CYRILLIC SMALL LETTER PALOCHKA" },
	{ 0x0501, 'd', 0, "CYRILLIC SMALL LETTER KOMI DE" },
	{ 0x051b, 'q', 0, "CYRILLIC SMALL LETTER QA" },
	{ 0x051d, 'w', 0, "CYRILLIC SMALL LETTER WE" },
	{ 0x061c, 0, SUSPECT_BIDI, "ARABIC LETTER MARK" },
	{ 0x115f, 0, 0, "HANGUL CHOSEONG FILLER" },
	{ 0x1160, 0, 0, "HANGUL JUNGSEONG FILLER" },
	{ 0x1680, ' ', 0, "OGHAM SPACE MARK" },
	{ 0x180e, 0, 0, "MONGOLIAN VOWEL SEPARATOR" },
	{ 0x2000, ' ', 0, "EN QUAD" },
	{ 0x2001, ' ', 0, "EM QUAD" },
	{ 0x2002, ' ', 0, "EN SPACE" },
	{ 0x2003, ' ', 0, "EM SPACE" },
	{ 0x2004, ' ', 0, "THREE-PER-EM SPACE" },
	{ 0x2005, ' ', 0, "FOUR-PER-EM SPACE" },
	{ 0x2006, ' ', 0, "SIX-PER-EM SPACE" },
	{ 0x2007, ' ', 0, "FIGURE SPACE" },
	{ 0x2008, ' ', 0, "PUNCTUATION SPACE" },
	{ 0x2009, ' ', 0, "THIN SPACE" },
	{ 0x200a, ' ', 0, "HAIR SPACE" },
	{ 0x200b, 0, 0, "ZERO WIDTH SPACE" },
	{ 0x200c, 0, 0, "ZERO WIDTH NON-JOINER" },
	{ 0x200d, 0, 0, "ZERO WIDTH JOINER" },
	{ 0x200e, 0, SUSPECT_BIDI, "LEFT-TO-RIGHT MARK" },
	{ 0x200f, 0, SUSPECT_BIDI, "RIGHT-TO-LEFT MARK" },
	{ 0x2010, '-', 0, "HYPHEN" },
	{ 0x2011, '-', 0, "NON-BREAKING HYPHEN" },
	{ 0x2012, '-', 0, "FIGURE DASH" },
	{ 0x2013, '-', 0, "EN DASH" },
	{ 0x2014, '-', 0, "EM DASH" },
	{ 0x2015, '-', 0, "HORIZONTAL BAR" },
	{ 0x2028, 0, 0, "LINE SEPARATOR" },
	{ 0x2029, 0, 0, "PARAGRAPH SEPARATOR" },
	{ 0x202a, 0, SUSPECT_BIDI, "LEFT-TO-RIGHT EMBEDDING" },
	{ 0x202b, 0, SUSPECT_BIDI, "RIGHT-TO-LEFT EMBEDDING" },
	{ 0x202c, 0, SUSPECT_BIDI, "POP DIRECTIONAL FORMATTING" },
	{ 0x202d, 0, SUSPECT_BIDI, "LEFT-TO-RIGHT OVERRIDE" },
	{ 0x202e, 0, SUSPECT_BIDI, "RIGHT-TO-LEFT OVERRIDE" },
	{ 0x202f, ' ', 0, "NARROW NO-BREAK SPACE" },
	{ 0x205f, ' ', 0, "MEDIUM MATHEMATICAL SPACE" },
	{ 0x2060, 0, 0, "WORD JOINER" },
	{ 0x2061, 0, 0, "FUNCTION APPLICATION" },
	{ 0x2062, 0, 0, "INVISIBLE TIMES" },
	{ 0x2063, 0, 0, "INVISIBLE SEPARATOR" },
	{ 0x2064, 0, 0, "INVISIBLE PLUS" },
	{ 0x2066, 0, SUSPECT_BIDI, "LEFT-TO-RIGHT ISOLATE" },
	{ 0x2067, 0, SUSPECT_BIDI, "RIGHT-TO-LEFT ISOLATE" },
	{ 0x2068, 0, SUSPECT_BIDI, "FIRST STRONG ISOLATE" },
	{ 0x2069, 0, SUSPECT_BIDI, "POP DIRECTIONAL ISOLATE" },
	{ 0x2212, '-', 0, "MINUS SIGN" },
	{ 0x3000, ' ', 0, "IDEOGRAPHIC SPACE" },
	{ 0x3164, 0, 0, "HANGUL FILLER" },
	{ 0xfe58, '-', 0, "SMALL EM DASH" },
	{ 0xfe63, '-', 0, "SMALL HYPHEN-MINUS" },
	{ 0xfeff, 0, 0, "ZERO WIDTH NO-BREAK SPACE" },
	{ 0xff0d, '-', 0, "FULLWIDTH HYPHEN-MINUS" },
	{ 0xffa0, 0, 0, "HALFWIDTH HANGUL FILLER" },
};

#define NSUSPECTS (sizeof(suspects) / sizeof(suspects[0]))

static const char *const digit_names[] = {
	"ZERO", "ONE", "TWO", "THREE", "FOUR", "FIVE", "SIX", "SEVEN",
	"EIGHT", "NINE",
};

/* The code point of the UTF-8 character of len bytes at s. */
static unsigned long
decode(const unsigned char *s, size_t len)
{
	static const unsigned char lead_mask[] = { 0, 0x7f, 0x1f, 0x0f, 0x07 };
	unsigned long cp = s[0] & lead_mask[len];
	size_t k;

	for (k = 1; k < len; k++)
		cp = cp << 6 | (s[k] & 0x3f);
	return cp;
}

/* Fills *out when cp is a suspect; false when it is not. */
static bool
suspect_of(unsigned long cp, struct suspect *out)
{
	size_t lo = 0, hi = NSUSPECTS;

	memset(out, 0, sizeof(*out));
	out->cp = cp;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (suspects[mid].cp < cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < NSUSPECTS && suspects[lo].cp == cp) {
		snprintf(out->name, sizeof(out->name), "%s",
		    suspects[lo].name);
		out->looks_like = suspects[lo].looks_like;
		out->bidi = suspects[lo].kind == SUSPECT_BIDI;
	} else if (cp >= 0xff10 && cp <= 0xff19) {
		snprintf(out->name, sizeof(out->name), "FULLWIDTH DIGIT %s",
		    digit_names[cp - 0xff10]);
		out->looks_like = (char)('0' + (cp - 0xff10));
	} else if (cp >= 0xff41 && cp <= 0xff5a) {
		snprintf(out->name, sizeof(out->name), "FULLWIDTH LATIN SMALL "
		    "LETTER %c", (char)('A' + (cp - 0xff41)));
		out->looks_like = (char)('a' + (cp - 0xff41));
	} else if (cp >= 0xfe00 && cp <= 0xfe0f) {
		snprintf(out->name, sizeof(out->name), "VARIATION SELECTOR-%lu",
		    cp - 0xfe00 + 1);
	} else if (cp >= 0xe0000 && cp <= 0xe007f) {
		/* tags: invisible, and they can spell out hidden text */
		if (cp >= 0xe0061 && cp <= 0xe007a)
			snprintf(out->name, sizeof(out->name), "TAG LATIN "
			    "SMALL LETTER %c", (char)('A' + (cp - 0xe0061)));
		else if (cp >= 0xe0030 && cp <= 0xe0039)
			snprintf(out->name, sizeof(out->name), "TAG DIGIT %s",
			    digit_names[cp - 0xe0030]);
		else
			snprintf(out->name, sizeof(out->name), "%s",
			    cp == 0xe0001 ? "LANGUAGE TAG" : cp == 0xe007f ?
			    "CANCEL TAG" : "TAG CHARACTER");
	} else {
		return false;
	}
	return true;
}

bool
find_suspect(const char *s, size_t n, size_t *at, size_t *len,
    struct suspect *out)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, k;

	while (i < n) {
		if (u[i] < 0x80) {
			i++;
			continue;
		}
		k = utf8_char_length(u + i, n - i);
		if (k == 0) {
			i++;	/* not UTF-8: the loader reports it */
			continue;
		}
		if (suspect_of(decode(u + i, k), out)) {
			*at = i;
			*len = k;
			return true;
		}
		i += k;
	}
	return false;
}

const char *
describe_suspect(struct arena *a, const struct suspect *s)
{
	if (s->bidi)
		return arena_printf(a, "U+%04lX %s (a bidirectional control)",
		    s->cp, s->name);
	if (s->looks_like == ' ')
		return arena_printf(a, "U+%04lX %s (looks like a space)",
		    s->cp, s->name);
	if (s->looks_like)
		return arena_printf(a, "U+%04lX %s (looks like '%c')", s->cp,
		    s->name, s->looks_like);
	return arena_printf(a, "U+%04lX %s (invisible)", s->cp, s->name);
}

const char *
show_word(struct arena *a, const char *s, size_t n)
{
	struct buf b = { 0 };
	struct suspect one;
	size_t at, len;
	const char *shown;

	while (n > 0 && find_suspect(s, n, &at, &len, &one)) {
		bool hide = !one.looks_like || one.looks_like == ' ';

		buf_add(&b, s, hide ? at : at + len);
		if (hide)
			buf_printf(&b, "<U+%04lX>", one.cp);
		s += at + len;
		n -= at + len;
	}
	buf_add(&b, s, n);
	shown = arena_strndup(a, b.data ? b.data : "", b.len);
	buf_free(&b);
	return shown;
}

/*
 * Warns of the bidirectional controls in the raw text [start, end) of a
 * comment or a string on the current line: once, at the first of them.
 * They can make an editor or a review show the line in another order
 * than planner reads it (the "Trojan Source" attack).
 */
static void
warn_bidi(struct lexer *l, const char *start, const char *end,
    const char *what)
{
	struct suspect s, first = { 0 };
	size_t at, len, n = 0, flen = 0;
	const char *p = start, *where = NULL;

	while (p < end && find_suspect(p, (size_t)(end - p), &at, &len, &s)) {
		if (s.bidi && n++ == 0) {
			first = s;
			where = p + at;
			flen = len;
		}
		p += at + len;
	}
	if (n == 0)
		return;
	diag_warning(l->diag, here(l, where, where + flen), "bidirectional "
	    "control U+%04lX %s in %s%s", first.cp, first.name, what,
	    n > 1 ? arena_printf(l->arena, " (and %zu more)", n - 1) : "");
	diag_help(l->diag, "it can make an editor show the line in another "
	    "order than planner reads it (the \"Trojan Source\" attack); "
	    "remove it");
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
	warn_bidi(l, start, start + t->loc.len, "a string");
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
			warn_bidi(&l, start, l.p, "a comment");
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
