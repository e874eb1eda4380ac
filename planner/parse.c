/*
 * parse.c: a recursive-descent parser from tokens to declarations.  Each
 * function parses one rule of grammar/rollout.ebnf, quoted above it.
 * Keywords are contextual: a word is a keyword only where the grammar
 * expects one.  On a syntax error the declaration is marked broken and the
 * parser skips to the next declaration keyword that starts a line, so one
 * mistake gives one error and parsing goes on.
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
	    1u << ATTR_SERVICE_ACCOUNT },
	{ DECL_SERVICE, 1u << ATTR_IN | 1u << ATTR_NEEDS |
	    1u << ATTR_VERSION | 1u << ATTR_IMAGE },
	{ DECL_WAVE, 1u << ATTR_IN | 1u << ATTR_PARALLEL |
	    1u << ATTR_SOAK | 1u << ATTR_APPROVE | 1u << ATTR_ON_FAILURE },
};

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

/* Reports a syntax error at the current token, once per declaration. */
static void
syntax_error(struct parser *p, const char *expected)
{
	const char *odd;

	if (!p->failed) {
		diag_error(p->diag, p->tok->loc, "expected %s, found %s",
		    expected, describe(p, p->tok));
		if ((odd = suspect_in(p, p->tok)))
			diag_help(p->diag, "it holds %s", odd);
	}
	p->failed = true;
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

static void
parse_string_value(struct parser *p, struct attr *a, const char *kw)
{
	struct word w;

	if (parse_string(p, "a string", kw, &w)) {
		a->str = w.text;
		a->val = w.loc;
	}
}

static void
parse_number_value(struct parser *p, struct attr *a, const char *kw)
{
	struct token *t = p->tok;

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

static void
parse_duration_value(struct parser *p, struct attr *a, const char *kw)
{
	struct token *t = p->tok;

	if (!at(p, TOK_WORD)) {
		syntax_error(p, arena_printf(p->arena, "a duration after '%s'",
		    kw));
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
	size_t i;

	a->val = p->tok->loc;
	for (i = 0; i < NPOLICIES; i++)
		if (at_word(p, policy_words[i])) {
			a->num = (long)i;
			advance(p);
			return;
		}
	syntax_error(p, arena_printf(p->arena, "%s after '%s'",
	    word_list(p->arena, policy_words, NPOLICIES, ~0u),
	    attr_words[ATTR_ON_FAILURE]));
}

/* attr = keyword value, as the table of the declaration allows */
static struct attr *
parse_attr(struct parser *p, size_t block)
{
	struct attr *a = arena_alloc(p->arena, sizeof(*a));
	const char *kw;
	size_t i;

	for (i = 0; i < NATTRS; i++)
		if ((blocks[block].attrs >> i & 1) &&
		    at_word(p, attr_words[i]))
			break;
	if (i == NATTRS) {
		syntax_error(p, arena_printf(p->arena, "a %s attribute (%s) "
		    "or '}'", decl_words[blocks[block].kind],
		    word_list(p->arena, attr_words, NATTRS,
		    blocks[block].attrs)));
		return NULL;
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

		/* An unclosed block meets the next declaration. */
		if (p->tok->line_start && at_decl_keyword(p)) {
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
parse_decl(struct parser *p)
{
	struct decl *d = arena_alloc(p->arena, sizeof(*d));
	size_t k;

	for (k = 0; k < NDECLS; k++)
		if (at_word(p, decl_words[k]))
			break;
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
	struct token **next = p->toks + p->pos + 1;
	size_t left = p->ntoks - p->pos - 1, k;
	struct decl *d;

	if (!at_decl_keyword(p) || left < 1)
		return NULL;
	for (k = 0; k < NDECLS; k++)
		if (at_word(p, decl_words[k]))
			break;
	if (k == DECL_IMPORT ? next[0]->kind != TOK_STRING :
	    next[0]->kind != TOK_WORD || left < 2 ||
	    !(next[1]->kind == TOK_LBRACE || (k == DECL_ROLLOUT &&
	    (next[1]->kind == TOK_NL || next[1]->kind == TOK_EOF))))
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
	    at_decl_keyword(p))) {
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
	struct parser p = { a, d, src, NULL, 0, 0, NULL, NULL, false, NULL };
	struct file *f = arena_alloc(a, sizeof(*f));
	struct vec decls = { 0 }, comments = { 0 }, toks = { 0 };
	struct token *all;
	size_t n, i;

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
		if (!at_decl_keyword(&p)) {
			syntax_error(&p, arena_printf(a, "a declaration (%s)",
			    word_list(a, decl_words, NDECLS, ~0u)));
			advance(&p);
			recover(&p);
			continue;
		}
		decl = parse_decl(&p);
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
