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

#include "planner.h"

struct source *
source_new(struct arena *a, const char *path, const char *text, size_t len)
{
	struct source *s = arena_alloc(a, sizeof(*s));
	size_t i, n = 1;

	s->path = path;
	s->text = text;
	s->len = len;
	for (i = 0; i < len; i++)
		if (text[i] == '\n')
			n++;
	s->lines = arena_alloc(a, n * sizeof(*s->lines));
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
	if (json)
		d->json_list = json_array();
}

bool
diag_full(const struct diag *d)
{
	return d->max_errors > 0 && d->nerrors >= d->max_errors;
}

const char *
loc_str(struct arena *a, struct loc loc)
{
	return arena_printf(a, "%s:%d:%d", loc.src->path, loc.line, loc.col);
}

static const char *
paint(const struct diag *d, const char *code)
{
	return d->color ? code : "";
}

/* The quoted line and the caret line under loc. */
static void
print_snippet(struct diag *d, struct loc loc)
{
	const char *reset = paint(d, "\033[0m");
	const char *line;
	int len, i, width;

	line = source_line(loc.src, loc.line, &len);
	fprintf(d->out, "%5d | %.*s\n", loc.line, len, line);
	fprintf(d->out, "      | ");
	/* Keep tabs so the caret lines up; skip UTF-8 continuation bytes. */
	for (i = 0; i < loc.col - 1 && i < len; i++) {
		unsigned char c = (unsigned char)line[i];

		if (c == '\t')
			fputc('\t', d->out);
		else if ((c & 0xc0) != 0x80)
			fputc(' ', d->out);
	}
	for (; i < loc.col - 1; i++)
		fputc(' ', d->out);
	fputs(paint(d, "\033[1;32m"), d->out);
	fputc('^', d->out);
	width = loc.len > 1 ? loc.len : 1;
	for (i = 1; i < width; i++) {
		int at = loc.col - 1 + i;

		if (at < len && ((unsigned char)line[at] & 0xc0) == 0x80)
			continue;
		fputc('~', d->out);
	}
	fprintf(d->out, "%s\n", reset);
}

static json_t *
json_place(struct loc loc, const char *severity, const char *message)
{
	json_t *o = json_object();

	json_object_set_new(o, "file", json_string(loc.src->path));
	json_object_set_new(o, "line", json_integer(loc.line));
	json_object_set_new(o, "column", json_integer(loc.col));
	json_object_set_new(o, "end_column",
	    json_integer(loc.col + (loc.len > 0 ? loc.len : 1)));
	if (severity)
		json_object_set_new(o, "severity", json_string(severity));
	json_object_set_new(o, "message", json_string(message));
	return o;
}

static void
report(struct diag *d, enum severity sev, struct loc loc, const char *fmt,
    va_list ap)
{
	const char *word = sev == SEV_ERROR ? "error" : "warning";
	const char *colour = sev == SEV_ERROR ? "\033[1;31m" : "\033[1;35m";
	char *msg;

	if (diag_full(d)) {
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
	} else {
		fprintf(d->out, "%s%s:%d:%d: %s%s:%s %s%s%s\n",
		    paint(d, "\033[1m"), loc.src->path, loc.line, loc.col,
		    paint(d, colour), word, paint(d, "\033[0m"),
		    paint(d, "\033[1m"), msg, paint(d, "\033[0m"));
		print_snippet(d, loc);
	}
	free(msg);
	if (sev == SEV_ERROR && diag_full(d) && !d->json)
		fprintf(d->out, "planner: too many errors (%d), stopping\n",
		    d->nerrors);
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

void
diag_note(struct diag *d, struct loc loc, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	if (d->muted)
		return;
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		fatal("out of memory");
	va_end(ap);
	if (d->json) {
		json_array_append_new(json_object_get(d->json_last, "notes"),
		    json_place(loc, "note", msg));
	} else {
		fprintf(d->out, "%s%s:%d:%d: %snote:%s %s\n",
		    paint(d, "\033[1m"), loc.src->path, loc.line, loc.col,
		    paint(d, "\033[1;36m"), paint(d, "\033[0m"), msg);
		print_snippet(d, loc);
	}
	free(msg);
}

void
diag_help(struct diag *d, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	if (d->muted)
		return;
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		fatal("out of memory");
	va_end(ap);
	if (d->json) {
		json_t *o = json_object();

		json_object_set_new(o, "severity", json_string("help"));
		json_object_set_new(o, "message", json_string(msg));
		json_array_append_new(json_object_get(d->json_last, "notes"),
		    o);
	} else {
		fprintf(d->out, "      %s= help:%s %s\n",
		    paint(d, "\033[1;36m"), paint(d, "\033[0m"), msg);
	}
	free(msg);
}

void
diag_finish(struct diag *d)
{
	if (d->json_list) {
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
