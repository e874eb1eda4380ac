/*
 * fmt.c: the canonical form of a parsed file, for 'planner fmt'.  It
 * writes the declarations back in one layout (docs/language.md,
 * "The canonical layout"): two-space indent, one attribute or member per
 * line unless a block fits on one (a block of several attributes: when it
 * was written on one), long lists wrapped after a ',' at four spaces.  Every
 * comment is kept: one on a line of its own stays on its own line before
 * the item that follows it, one at the end of a line stays at the end of
 * the line of the item it follows.  The output parses to the same
 * declarations, and formatting it again changes nothing.
 */
#include <limits.h>
#include <string.h>

#include "syntax.h"

#define FMT_WIDTH 80	/* a line should not pass this column */

/* The formatter: the output and the comments not yet written. */
struct fmt {
	struct buf *out;
	struct token **comments;	/* in source order */
	size_t ncomments, next;		/* next: the first not yet written */
	int last_line;		/* top level: the source line last written */
};

/* The number of columns of n bytes of UTF-8 text. */
static size_t
text_width(const char *s, size_t n)
{
	size_t i, w = 0;

	for (i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			w++;
	return w;
}

/* The columns already taken on the last line of the output. */
static size_t
out_column(const struct buf *b)
{
	size_t i = b->len;

	while (i > 0 && b->data[i - 1] != '\n')
		i--;
	return text_width(b->data + i, b->len - i);
}

/* Writes n spaces. */
static void
put_indent(struct buf *b, int n)
{
	while (n-- > 0)
		buf_putc(b, ' ');
}

/* A name as written, and its length (from the source if it was invalid). */
static const char *
word_text(const struct word *w, size_t *len)
{
	const char *line;
	int n;

	if (w->text) {
		*len = strlen(w->text);
		return w->text;
	}
	line = source_line(w->loc.src, w->loc.line, &n);
	*len = (size_t)w->loc.len;
	return line + w->loc.col - 1;
}

/* Writes a name. */
static void
put_word(struct buf *b, const struct word *w)
{
	size_t len;
	const char *s = word_text(w, &len);

	buf_add(b, s, len);
}

/* Writes a decoded string as a literal, escaping '"', '\', newline, tab. */
static void
put_string(struct buf *b, const char *s)
{
	buf_putc(b, '"');
	for (; *s; s++) {
		switch (*s) {
		case '"': buf_puts(b, "\\\""); break;
		case '\\': buf_puts(b, "\\\\"); break;
		case '\n': buf_puts(b, "\\n"); break;
		case '\t': buf_puts(b, "\\t"); break;
		default: buf_putc(b, *s); break;
		}
	}
	buf_putc(b, '"');
}

/* The next comment not yet written, or NULL. */
static const struct token *
peek(const struct fmt *fm)
{
	return fm->next < fm->ncomments ? fm->comments[fm->next] : NULL;
}

/* True when the next comment not yet written stands before line. */
static bool
comment_before(const struct fmt *fm, int line)
{
	const struct token *t = peek(fm);

	return t && t->loc.line < line;
}

/* Writes the next comment, without the blanks that end its line. */
static void
put_comment(struct fmt *fm)
{
	const struct token *t = fm->comments[fm->next++];
	size_t n = t->textlen;

	while (n > 0 && (t->text[n - 1] == ' ' || t->text[n - 1] == '\t' ||
	    t->text[n - 1] == '\r' || t->text[n - 1] == '\f' ||
	    t->text[n - 1] == '\v'))
		n--;
	buf_add(fm->out, t->text, n);
}

/* Writes each comment that stands before line on a line of its own. */
static void
own_comments(struct fmt *fm, int line, int indent)
{
	while (comment_before(fm, line)) {
		put_indent(fm->out, indent);
		put_comment(fm);
		buf_putc(fm->out, '\n');
	}
}

/*
 * Appends the comment at the end of line to the item just written, when it
 * follows that item: no later item starts on that line (next_line, 0 when
 * there is none) and the block does not close on it (close_line, 0 at top
 * level), else the comment belongs to what comes later on the line.
 */
static void
end_comment(struct fmt *fm, int line, int next_line, int close_line)
{
	const struct token *t = peek(fm);

	if (!t || t->loc.line != line || line == next_line ||
	    line == close_line)
		return;
	buf_puts(fm->out, "  ");
	put_comment(fm);
}

/* Writes an attribute's keyword and value on one line, lists unwrapped. */
static void
put_attr(struct buf *b, const struct attr *a)
{
	size_t i;

	buf_puts(b, attr_words[a->kind]);
	switch (a->kind) {
	case ATTR_IN: case ATTR_NEEDS:
	case ATTR_NAMESPACE: case ATTR_DEPLOY_TEMPLATE:
	case ATTR_SERVICE_ACCOUNT:
		for (i = 0; i < a->nnames; i++) {
			buf_puts(b, i ? ", " : " ");
			put_word(b, &a->names[i]);
		}
		break;
	case ATTR_PARALLEL: buf_printf(b, " %ld", a->num); break;
	case ATTR_SOAK: case ATTR_DEPLOY_TIMEOUT: case ATTR_TAKES:
		buf_printf(b, " %s", a->str);
		break;
	case ATTR_ON_FAILURE: buf_printf(b, " %s", policy_words[a->num]); break;
	case ATTR_APPROVE: break;
	default:
		buf_putc(b, ' ');
		put_string(b, a->str);
		break;
	}
}

/*
 * Writes the names of an 'in' or 'needs' list after its keyword.  A name
 * that would take the line past FMT_WIDTH goes on a new line indented 4
 * spaces, after the ','; a comment inside the list ends the line there, and
 * a comment line inside it is written at that same indent.
 */
static void
fmt_list(struct fmt *fm, const struct word *w, size_t n)
{
	struct buf *b = fm->out;
	bool fresh = false;	/* at the start of a continuation line */
	size_t i, len;

	for (i = 0; i < n; i++) {
		word_text(&w[i], &len);
		len += i + 1 < n;	/* its ',' */
		if (fresh)
			put_indent(b, 4);
		else if (i > 0 && out_column(b) + 1 + len > FMT_WIDTH) {
			buf_putc(b, '\n');
			put_indent(b, 4);
		} else
			buf_putc(b, ' ');
		put_word(b, &w[i]);
		fresh = false;
		if (i + 1 == n)
			break;
		buf_putc(b, ',');
		if (comment_before(fm, w[i + 1].loc.line)) {
			end_comment(fm, w[i].loc.line, 0, 0);
			buf_putc(b, '\n');
			own_comments(fm, w[i + 1].loc.line, 4);
			fresh = true;
		}
	}
}

/* Writes one attribute of a block, indented 2 spaces. */
static void
fmt_attr(struct fmt *fm, const struct attr *a)
{
	put_indent(fm->out, 2);
	if (a->kind == ATTR_IN || a->kind == ATTR_NEEDS) {
		buf_puts(fm->out, attr_words[a->kind]);
		fmt_list(fm, a->names, a->nnames);
	} else {
		put_attr(fm->out, a);
	}
}

/* Writes a declaration's keyword and its name (an import: its path). */
static void
put_header(struct buf *b, const struct decl *d)
{
	buf_puts(b, decl_words[d->kind]);
	buf_putc(b, ' ');
	if (d->kind == DECL_IMPORT)
		put_string(b, d->name.text);
	else
		put_word(b, &d->name);
}

/* Writes line when it fits in FMT_WIDTH; frees it and says if it did. */
static bool
put_if_fits(struct fmt *fm, struct buf *line)
{
	bool fits = out_column(fm->out) + text_width(line->data, line->len) <=
	    FMT_WIDTH;

	if (fits)
		buf_add(fm->out, line->data, line->len);
	buf_free(line);
	return fits;
}

/* Writes a block on one line, its attributes separated by "; ", when
 * that fits. */
static bool
block_one_line(struct fmt *fm, const struct decl *d)
{
	struct buf line = { 0 };
	size_t i;

	put_header(&line, d);
	buf_puts(&line, " { ");
	for (i = 0; i < d->nattrs; i++) {
		if (i)
			buf_puts(&line, "; ");
		put_attr(&line, d->attrs[i]);
	}
	buf_puts(&line, " }");
	return put_if_fits(fm, &line);
}

/*
 * rollout, service, wave: "{}" when empty; on one line when it holds no
 * comment, that line fits, and it holds one attribute or was written on
 * one line (from its keyword to its '}'); else one attribute per line.
 * The author's choice is kept for a block of several attributes, so that
 * a block growing past the width, or shrinking under it, does not flip
 * layout; and the output, laid out by the same rule, is left as it is.
 */
static void
fmt_block(struct fmt *fm, const struct decl *d)
{
	struct buf *b = fm->out;
	bool quiet = !comment_before(fm, d->end_line);
	size_t i;

	if (quiet && (d->nattrs == 1 || (d->nattrs > 1 &&
	    d->loc.line == d->end_line)) && block_one_line(fm, d))
		return;
	put_header(b, d);
	if (quiet && d->nattrs == 0) {
		buf_puts(b, " {}");
		return;
	}
	buf_puts(b, " {");
	end_comment(fm, d->loc.line, d->nattrs ? d->attrs[0]->loc.line : 0,
	    d->end_line);
	buf_putc(b, '\n');
	for (i = 0; i < d->nattrs; i++) {
		const struct attr *a = d->attrs[i];

		own_comments(fm, a->loc.line, 2);
		fmt_attr(fm, a);
		end_comment(fm, a->end_line, i + 1 < d->nattrs ?
		    d->attrs[i + 1]->loc.line : 0, d->end_line);
		buf_putc(b, '\n');
	}
	own_comments(fm, d->end_line, 2);
	buf_putc(b, '}');
}

/* Writes a group on one line, "group us { a, b }", when that fits. */
static bool
group_one_line(struct fmt *fm, const struct decl *d)
{
	struct buf line = { 0 };
	size_t i;

	put_header(&line, d);
	buf_puts(&line, " {");
	for (i = 0; i < d->nmembers; i++) {
		buf_puts(&line, i ? ", " : " ");
		put_word(&line, &d->members[i]);
	}
	buf_puts(&line, " }");
	return put_if_fits(fm, &line);
}

/*
 * group: on one line when it fits and holds no comment, else one member
 * per line, each followed by ','.
 */
static void
fmt_group(struct fmt *fm, const struct decl *d)
{
	struct buf *b = fm->out;
	size_t i;

	if (!comment_before(fm, d->end_line) && group_one_line(fm, d))
		return;
	put_header(b, d);
	buf_puts(b, " {");
	end_comment(fm, d->loc.line, d->nmembers ? d->members[0].loc.line : 0,
	    d->end_line);
	buf_putc(b, '\n');
	for (i = 0; i < d->nmembers; i++) {
		const struct word *m = &d->members[i];

		own_comments(fm, m->loc.line, 2);
		put_indent(b, 2);
		put_word(b, m);
		buf_putc(b, ',');
		end_comment(fm, m->loc.line, i + 1 < d->nmembers ?
		    m[1].loc.line : 0, d->end_line);
		buf_putc(b, '\n');
	}
	own_comments(fm, d->end_line, 2);
	buf_putc(b, '}');
}

/* Writes one declaration, without the newline that ends it. */
static void
fmt_decl(struct fmt *fm, const struct decl *d)
{
	switch (d->kind) {
	case DECL_IMPORT:
		put_header(fm->out, d);
		break;
	case DECL_GROUP:
		fmt_group(fm, d);
		break;
	case DECL_ROLLOUT:
		if (!d->has_block) {
			put_header(fm->out, d);
			break;
		}
		fmt_block(fm, d);
		break;
	default:
		fmt_block(fm, d);
		break;
	}
}

/* Writes a blank line when the source had one between the top-level item
 * last written and the one starting on line. */
static void
blank_line(struct fmt *fm, int line)
{
	if (fm->last_line && line > fm->last_line + 1)
		buf_putc(fm->out, '\n');
}

/* Writes the top-level comments that stand before line, at column 1. */
static void
top_comments(struct fmt *fm, int line)
{
	const struct token *t;

	while ((t = peek(fm)) && t->loc.line < line) {
		blank_line(fm, t->loc.line);
		put_comment(fm);
		buf_putc(fm->out, '\n');
		fm->last_line = t->loc.line;
	}
}

/* Writes the canonical form of f: its declarations and comments in order. */
void
fmt_file(struct buf *out, const struct file *f)
{
	struct fmt fm = { out, f->comments, f->ncomments, 0, 0 };
	size_t i;

	buf_add(out, "", 0);	/* the output is a string, even when empty */
	for (i = 0; i < f->ndecls; i++) {
		const struct decl *d = f->decls[i];

		top_comments(&fm, d->loc.line);
		blank_line(&fm, d->loc.line);
		fmt_decl(&fm, d);
		end_comment(&fm, d->end_line, i + 1 < f->ndecls ?
		    f->decls[i + 1]->loc.line : 0, 0);
		buf_putc(out, '\n');
		fm.last_line = d->end_line;
	}
	top_comments(&fm, INT_MAX);
}
