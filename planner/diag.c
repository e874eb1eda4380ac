/*
 * diag.c: source files and the diagnostics sink.  A source knows where its
 * lines start, so a diagnostic can quote its line and put a caret under the
 * exact token.  The sink prints compiler-style text, or collects a JSON
 * array for --error-format=json, and counts errors for the exit status.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "diag.h"

struct source *
source_new(struct arena *a, const char *path, const char *text, size_t len)
{
	struct source *s = arena_alloc(a, sizeof(*s));
	size_t i, n = 1;
	bool bom = len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0;

	/* A byte order mark is not part of the text: editors hide it, so
	 * columns on line 1 count from after it. */
	if (bom) {
		text += 3;
		len -= 3;
	}
	s->path = path;
	s->bom = bom;
	s->text = text;
	s->len = len;
	for (i = 0; i < len; i++)
		if (text[i] == '\n')
			n++;
	s->lines = arena_array(a, n, sizeof(*s->lines));
	s->lines[0] = 0;
	n = 1;
	for (i = 0; i < len; i++)
		if (text[i] == '\n')
			s->lines[n++] = i + 1;
	/* A final newline does not start another line. */
	if (n > 1 && s->lines[n - 1] == len)
		n--;
	s->nlines = (int)n;
	return s;
}

const char *
source_line(const struct source *s, int n, int *len)
{
	const char *start, *end;

	if (n < 1 || n > s->nlines) {
		*len = 0;
		return "";
	}
	start = s->text + s->lines[n - 1];
	end = memchr(start, '\n', s->len - (size_t)(start - s->text));
	if (!end)
		end = s->text + s->len;
	if (end > start && end[-1] == '\r')
		end--;
	*len = (int)(end - start);
	return start;
}

void
diag_init(struct diag *d, FILE *out, bool color, bool json)
{
	memset(d, 0, sizeof(*d));
	d->out = out;
	d->color = color && !json;
	d->json = json;
	d->max_errors = 20;
	d->max_warnings = MAX_WARNINGS;
	if (json)
		d->json_list = json_array();
}

void
diag_init_part(struct diag *d, struct diag *whole)
{
	diag_init(d, whole->out, whole->color, whole->json);
	d->whole = whole;
	whole->nparts++;
}

bool
diag_full(const struct diag *d)
{
	return d->max_errors > 0 &&
	    d->nerrors - d->nhidden_errors >= d->max_errors;
}

/*
 * Columns as an editor shows them: one per character, and a tab goes on to
 * the next multiple of TAB_WIDTH.  Locations are kept in bytes; they are
 * turned into columns only here, where they are shown.  A byte that is
 * not UTF-8 counts as one column (it is shown as U+FFFD).
 */
#define TAB_WIDTH 8
#define SNIPPET_WIDTH 160	/* a longer line is shown around the caret */

/* The character at line[i] of a line of len bytes: its length in bytes,
 * and the column after it when it starts at column col (0-based). */
static int
char_at(const char *line, int len, int i, int col, int *next)
{
	int n;

	if (i >= len) {
		*next = col + 1;
		return 1;
	}
	if (line[i] == '\t') {
		*next = (col / TAB_WIDTH + 1) * TAB_WIDTH;
		return 1;
	}
	n = (int)utf8_char_length((const unsigned char *)line + i,
	    (size_t)(len - i));
	*next = col + 1;
	return n ? n : 1;
}

/* The 0-based column where byte offset at of a line starts. */
static int
column_of(const char *line, int len, int at)
{
	int i = 0, col = 0, next;

	while (i < at) {
		i += char_at(line, len, i, col, &next);
		col = next;
	}
	return col;
}

/* The place a location is shown at: 1-based column, and width >= 1. */
static void
shown_place(struct loc loc, int *col, int *width)
{
	int len, end;
	const char *line = source_line(loc.src, loc.line, &len);

	*col = column_of(line, len, loc.col - 1);
	end = column_of(line, len, loc.col - 1 + (loc.len > 0 ? loc.len : 1));
	*width = end > *col ? end - *col : 1;
	(*col)++;
}

const char *
loc_str(struct arena *a, struct loc loc)
{
	int col, width;

	shown_place(loc, &col, &width);
	return arena_printf(a, "%s:%d:%d", loc.src->path, loc.line, col);
}

static const char *
paint(const struct diag *d, const char *code)
{
	return d->color ? code : "";
}

/* Prints the columns [from, to) of a line: tabs as spaces, control
 * characters and bytes that are not UTF-8 as U+FFFD. */
static void
print_columns(FILE *out, const char *line, int len, int from, int to)
{
	int i = 0, col = 0, next, n;
	bool replaced;

	while (i < len && col < to) {
		unsigned char c = (unsigned char)line[i];

		n = char_at(line, len, i, col, &next);
		if (c == '\t') {
			for (; col < next && col < to; col++)
				if (col >= from)
					fputc(' ', out);
		} else if (col >= from) {
			utf8_char_shown((const unsigned char *)line + i,
			    (size_t)(len - i), &replaced);
			if (replaced)
				fputs("\xef\xbf\xbd", out);
			else
				fwrite(line + i, 1, (size_t)n, out);
		}
		i += n;
		col = next;
	}
}

/* The quoted line and the caret line under loc.  A long line is cut to a
 * window around the caret, with "..." where it was cut. */
static void
print_snippet(struct diag *d, struct loc loc)
{
	const char *reset = paint(d, "\033[0m");
	const char *line;
	int len, col, width, from = 0, to, end, i;

	line = source_line(loc.src, loc.line, &len);
	shown_place(loc, &col, &width);
	col--;
	end = column_of(line, len, len);
	to = end;
	if (end > SNIPPET_WIDTH) {
		from = col > SNIPPET_WIDTH / 2 ? col - SNIPPET_WIDTH / 2 : 0;
		to = from + SNIPPET_WIDTH;
	}
	fprintf(d->out, "%5d | %s", loc.line, from > 0 ? "..." : "");
	print_columns(d->out, line, len, from, to);
	fprintf(d->out, "%s\n      | %s", to < end ? "..." : "",
	    from > 0 ? "   " : "");
	for (i = from; i < col; i++)
		fputc(' ', d->out);
	if (width > to + 1 - col)
		width = to + 1 - col > 1 ? to + 1 - col : 1;
	fputs(paint(d, "\033[1;32m"), d->out);
	fputc('^', d->out);
	for (i = 1; i < width; i++)
		fputc('~', d->out);
	fprintf(d->out, "%s\n", reset);
}

/* A JSON string of s, made valid UTF-8 when it is not. */
static json_t *
json_clean_string(const char *s)
{
	json_t *j = json_string(s);
	char *c;

	if (j)
		return j;
	c = clean_text(s);
	j = json_string(c);
	free(c);
	return j;
}

/*
 * Where a place is, for tools (JSON): its columns in UTF-16 code units,
 * from 1, and its bytes [offset, end_offset) from the start of the file as
 * it is on disk (a byte order mark counts).  The range is as wide as the
 * caret's, at least one byte, but ends with the file.
 */
static void
tool_place(json_t *o, struct loc loc)
{
	const struct source *s = loc.src;
	size_t bom = s->bom ? 3 : 0, size = bom + s->len, offset, end;
	int len, at = loc.col - 1, width = loc.len > 0 ? loc.len : 1;
	const char *line = source_line(s, loc.line, &len);

	json_object_set_new(o, "column_utf16",
	    json_integer(utf16_units(line, len, at) + 1));
	json_object_set_new(o, "end_column_utf16",
	    json_integer(utf16_units(line, len, at + width) + 1));
	offset = loc.line >= 1 && loc.line <= s->nlines ?
	    bom + s->lines[loc.line - 1] + (size_t)at : size;
	if (offset > size)
		offset = size;
	end = offset + (size_t)width < size ? offset + (size_t)width : size;
	json_object_set_new(o, "offset", json_integer((json_int_t)offset));
	json_object_set_new(o, "end_offset", json_integer((json_int_t)end));
}

static json_t *
json_place(struct loc loc, const char *severity, const char *message)
{
	json_t *o = json_object();
	int col, width;

	shown_place(loc, &col, &width);
	json_object_set_new(o, "file", json_clean_string(loc.src->path));
	json_object_set_new(o, "line", json_integer(loc.line));
	json_object_set_new(o, "column", json_integer(col));
	json_object_set_new(o, "end_column", json_integer(col + width));
	tool_place(o, loc);
	if (severity)
		json_object_set_new(o, "severity", json_string(severity));
	json_object_set_new(o, "message", json_clean_string(message));
	return o;
}

/* The text form of a diagnostic or a note: "file:line:col: word: message"
 * (the message in bold when strong), then the line and its caret. */
static void
print_located(struct diag *d, struct loc loc, const char *colour,
    const char *word, const char *msg, bool strong)
{
	const char *bold = strong ? paint(d, "\033[1m") : "";
	const char *unbold = strong ? paint(d, "\033[0m") : "";
	char *path = clean_text(loc.src->path), *text = clean_text(msg);
	int col, width;

	shown_place(loc, &col, &width);
	fprintf(d->out, "%s%s:%d:%d: %s%s:%s %s%s%s\n",
	    paint(d, "\033[1m"), path, loc.line, col, paint(d, colour), word,
	    paint(d, "\033[0m"), bold, text, unbold);
	free(path);
	free(text);
	print_snippet(d, loc);
}

static void report(struct diag *d, enum severity sev, struct loc loc,
    const char *fmt, va_list ap) PRINTF_LIKE(4, 0);

static void
report(struct diag *d, enum severity sev, struct loc loc, const char *fmt,
    va_list ap)
{
	const char *word = sev == SEV_ERROR ? "error" : "warning";
	const char *colour = sev == SEV_ERROR ? "\033[1;31m" : "\033[1;35m";
	char *msg;

	if (d->only_path && strcmp(loc.src->path, d->only_path) != 0) {
		/* another file's (check --file): counted, not shown */
		if (sev == SEV_ERROR) {
			d->nerrors++;
			d->nhidden_errors++;
		} else {
			d->nhidden_warnings++;
		}
		d->muted = true;
		return;
	}
	if (diag_full(d)) {
		/* said once, after the last shown error's notes and help;
		 * in JSON as the last help of that error */
		if (!d->stopped && !d->json)
			fprintf(d->out, "planner: too many errors (%d), "
			    "stopping\n", d->nerrors);
		if (!d->stopped && d->json && d->json_last_error) {
			json_t *help = json_object();
			char said[64];

			snprintf(said, sizeof(said), "too many errors (%d), "
			    "stopping", d->nerrors);
			json_object_set_new(help, "severity",
			    json_string("help"));
			json_object_set_new(help, "message", json_string(said));
			json_array_append_new(json_object_get(
			    d->json_last_error, "notes"), help);
		}
		d->stopped = true;
		d->muted = true;
		return;
	}
	if (sev == SEV_WARNING && d->max_warnings > 0 &&
	    d->nwarnings >= d->max_warnings) {
		/* counted (for --werror), not formatted nor shown: how many
		 * is said at the end */
		d->nwarnings++;
		d->muted = true;
		return;
	}
	d->muted = false;
	if (sev == SEV_ERROR)
		d->nerrors++;
	else
		d->nwarnings++;
	if (vasprintf(&msg, fmt, ap) < 0)
		fatal("out of memory");
	if (d->json) {
		json_t *o = json_place(loc, word, msg);

		json_object_set_new(o, "notes", json_array());
		json_array_append_new(d->json_list, o);
		d->json_last = o;
		if (sev == SEV_WARNING)
			d->json_last_warning = o;
		else
			d->json_last_error = o;
	} else {
		print_located(d, loc, colour, word, msg, true);
	}
	free(msg);
}

void
diag_error(struct diag *d, struct loc loc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report(d, SEV_ERROR, loc, fmt, ap);
	va_end(ap);
}

void
diag_warning(struct diag *d, struct loc loc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report(d, SEV_WARNING, loc, fmt, ap);
	va_end(ap);
}

static void add_note(struct diag *d, const struct loc *loc, const char *fmt,
    va_list ap) PRINTF_LIKE(3, 0);

/* Adds a note at loc, or a help line when loc is NULL, to the last
 * diagnostic; nothing when that one was not shown. */
static void
add_note(struct diag *d, const struct loc *loc, const char *fmt, va_list ap)
{
	char *msg;

	if (d->muted)
		return;
	if (vasprintf(&msg, fmt, ap) < 0)
		fatal("out of memory");
	if (d->json) {
		json_t *o = loc ? json_place(*loc, "note", msg) : json_object();

		if (!loc) {
			json_object_set_new(o, "severity", json_string("help"));
			json_object_set_new(o, "message",
			    json_clean_string(msg));
		}
		json_array_append_new(json_object_get(d->json_last, "notes"),
		    o);
	} else if (loc) {
		print_located(d, *loc, "\033[1;36m", "note", msg, false);
	} else {
		char *text = clean_text(msg);

		fprintf(d->out, "      %s= help:%s %s\n",
		    paint(d, "\033[1;36m"), paint(d, "\033[0m"), text);
		free(text);
	}
	free(msg);
}

void
diag_note(struct diag *d, struct loc loc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add_note(d, &loc, fmt, ap);
	va_end(ap);
}

void
diag_help(struct diag *d, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add_note(d, NULL, fmt, ap);
	va_end(ap);
}

/* "... and N more warnings", once the diagnostics are all in: as a help
 * line of the last warning shown in JSON, on a line of its own in text. */
static void
say_warnings_left(struct diag *d)
{
	int left = d->nwarnings - d->max_warnings;
	char msg[128];

	if (d->max_warnings <= 0 || left <= 0)
		return;
	snprintf(msg, sizeof(msg), "... and %d more warning%s, not shown "
	    "(only the first %d are)", left, left == 1 ? "" : "s",
	    d->max_warnings);
	if (d->json && d->json_last_warning) {
		json_t *help = json_object();

		json_object_set_new(help, "severity", json_string("help"));
		json_object_set_new(help, "message", json_string(msg));
		json_array_append_new(json_object_get(d->json_last_warning,
		    "notes"), help);
	} else if (!d->json) {
		fprintf(d->out, "planner: %s\n", msg);
	}
}

void
diag_finish(struct diag *d)
{
	say_warnings_left(d);
	if (d->json_list && d->whole && d->whole->json_list) {
		/* a part: its diagnostics go into the whole's array */
		json_array_extend(d->whole->json_list, d->json_list);
		json_decref(d->json_list);
		d->json_list = NULL;
	} else if (d->json_list) {
		if (d->json) {
			json_dumpf(d->json_list, d->out, JSON_INDENT(2) |
			    JSON_PRESERVE_ORDER);
			fputc('\n', d->out);
		}
		json_decref(d->json_list);
		d->json_list = NULL;
	}
	fflush(d->out);
}
