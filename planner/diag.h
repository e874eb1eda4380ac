/*
 * diag.h: sources and the diagnostics sink (diag.c).
 */
#ifndef DIAG_H
#define DIAG_H

#include "util.h"

/* diag.c */

/* One file of source text, with the offsets where its lines start. */
struct source {
	const char *path;	/* as the user named it, or as imports resolve */
	const char *text;	/* NUL-terminated */
	size_t len;
	size_t *lines;		/* offset of the start of each line */
	int nlines;
	bool bom;		/* the file began with a byte order mark */
};

/* A place in a source: 1-based line and column (in bytes, from the start
 * of the line), and a length in bytes.  Shown, the column is where an
 * editor shows it (diag.c). */
struct loc {
	struct source *src;
	int line, col, len;
};

enum severity { SEV_ERROR, SEV_WARNING };

/* Warnings shown; past them warnings are counted, and the count said at
 * the end ("... and N more warnings"), as errors stop at 20.  80,000
 * warnings once took seconds and millions of lines. */
#define MAX_WARNINGS 100

/* The diagnostics sink: formats and counts errors and warnings. */
struct diag {
	FILE *out;
	bool color;
	bool json;
	int max_errors;		/* stop reporting after this many errors */
	int max_warnings;	/* show this many warnings, count the rest */
	bool stopped;		/* an error was dropped, and that was said */
	int nerrors, nwarnings;
	bool muted;		/* the last diagnostic was not shown */
	void *json_list;	/* json: the array of diagnostics (jansson) */
	void *json_last;	/* json: the last diagnostic, for its notes */
	void *json_last_warning;	/* json: the last warning shown */
	void *json_last_error;	/* json: the last error shown */
	struct diag *whole;	/* a part's: the sink that prints its JSON */
	int nparts;		/* the parts begun with diag_init_part */
	const char *only_path;	/* check --file: show only what is located
				 * in the source of this path; NULL: all */
	int nhidden_errors;	/* elsewhere: counted in nerrors, not shown,
				 * not stopping the run (diag_full) */
	int nhidden_warnings;	/* elsewhere: not in nwarnings */
};

/* Makes a source from text that now belongs to the arena; a leading byte
 * order mark is dropped. */
struct source *source_new(struct arena *a, const char *path, const char *text,
    size_t len);
/* The text of line n of a source, without its newline, and its length. */
const char *source_line(const struct source *s, int n, int *len);
/* Sets up a sink writing to out. */
void diag_init(struct diag *d, FILE *out, bool color, bool json);
/*
 * Sets up a sink for one part of a run (fmt: one file of several), which
 * counts and limits its diagnostics on its own but prints them as whole
 * does: in JSON, diag_finish(d) adds them to whole's array, and
 * diag_finish(whole) prints the one array.
 */
void diag_init_part(struct diag *d, struct diag *whole);
/* Reports an error at loc; notes may follow with diag_note/diag_help. */
void diag_error(struct diag *d, struct loc loc, const char *fmt, ...)
    PRINTF_LIKE(3, 4);
/* Reports a warning at loc. */
void diag_warning(struct diag *d, struct loc loc, const char *fmt, ...)
    PRINTF_LIKE(3, 4);
/* Adds a note pointing at another place to the last diagnostic. */
void diag_note(struct diag *d, struct loc loc, const char *fmt, ...)
    PRINTF_LIKE(3, 4);
/* Adds a help line (no place) to the last diagnostic. */
void diag_help(struct diag *d, const char *fmt, ...) PRINTF_LIKE(2, 3);
/* Says how many warnings were not shown; flushes the last diagnostic and,
 * in json mode, prints the array. */
void diag_finish(struct diag *d);
/* True once max_errors errors have been reported. */
bool diag_full(const struct diag *d);
/* "file:line:col" of a place, in the arena. */
const char *loc_str(struct arena *a, struct loc loc);

#endif
