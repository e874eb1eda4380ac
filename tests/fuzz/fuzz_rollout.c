/*
 * fuzz_rollout.c: a libFuzzer target for the whole pipeline.
 *
 * Each input is one source, "fuzz.dsl".  It goes where the command line
 * sends a file: the search for NUL bytes and invalid UTF-8 first; then, as
 * if that had found nothing (the scanner must cope with any bytes), the
 * parser.  When it has no syntax errors, its fmt output must parse with
 * none either and format to itself.  When the rollout also checks clean,
 * it is planned and every emitter writes into memory: the readable plan,
 * JSON, the Workflow (whole, and one per wave) and the diagram as DOT
 * (cgraph; the layout to SVG is left out, as slow and leaky).  Imports are
 * not followed: the target never touches the file system.
 *
 * See README.md beside this file for how to build and run it.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "planner.h"

static FILE *devnull;

/* Runs one emitter into memory; it must say why when it fails. */
#define EMIT(call)							\
	do {								\
		char *mem = NULL;					\
		size_t memlen = 0;					\
		FILE *out = open_memstream(&mem, &memlen);		\
		const char *why = NULL;					\
									\
		if (!out)						\
			abort();					\
		if (!(call) && !why)					\
			fail("an emitter failed without a reason",	\
			    NULL, NULL);				\
		fclose(out);						\
		free(mem);						\
	} while (0)

/* Parses text as "name"; *nerrors tells how many syntax errors it had. */
static struct file *
parse_text(struct arena *a, const char *name, const char *text, size_t len,
    int *nerrors)
{
	struct diag d;
	struct file *f;

	diag_init(&d, devnull, false, false);
	f = parse_source(a, &d,
	    source_new(a, name, arena_strndup(a, text, len), len));
	diag_finish(&d);
	*nerrors = d.nerrors;
	return f;
}

/* Dies loudly, showing what went wrong, so libFuzzer keeps the input. */
static void
fail(const char *what, const struct buf *first, const struct buf *second)
{
	fprintf(stderr, "fuzz_rollout: %s\n", what);
	if (first)
		fprintf(stderr, "--- fmt output ---\n%.*s\n", (int)first->len,
		    first->data);
	if (second)
		fprintf(stderr, "--- fmt of that ---\n%.*s\n",
		    (int)second->len, second->data);
	abort();
}

/* fmt must give a file without syntax errors that formats to itself. */
static void
check_fmt(const struct file *f)
{
	struct arena a = { 0 };
	struct buf once = { 0 }, twice = { 0 };
	struct file *again;
	int nerrors;

	fmt_file(&once, f);
	again = parse_text(&a, "fmt.dsl", once.data ? once.data : "",
	    once.len, &nerrors);
	if (nerrors)
		fail("fmt output has syntax errors", &once, NULL);
	fmt_file(&twice, again);
	if (once.len != twice.len ||
	    (once.len && memcmp(once.data, twice.data, once.len) != 0))
		fail("fmt of fmt differs", &once, &twice);
	buf_free(&once);
	buf_free(&twice);
	arena_free(&a);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a = { 0 };
	struct diag d, binary;
	struct program prog;
	struct source *src;
	struct file *f;
	struct rollout *r;
	struct plan *p;

	if (!devnull && !(devnull = fopen("/dev/null", "w")))
		abort();
	/* One sink for parse and check, as the CLI has: check runs on a
	 * file with syntax errors too. */
	diag_init(&d, devnull, false, false);
	src = source_new(&a, "fuzz.dsl",
	    arena_strndup(&a, (const char *)data, size), size);
	/* the search for binary bytes, in a sink of its own */
	diag_init(&binary, devnull, false, false);
	report_binary(&binary, src);
	diag_finish(&binary);
	f = parse_source(&a, &d, src);
	if (d.nerrors == 0)
		check_fmt(f);
	prog.files = &f;
	prog.nfiles = 1;
	r = check_program(&a, &d, &prog);
	diag_finish(&d);
	if (r && d.nerrors == 0) {
		p = plan_build(&a, r);
		EMIT((emit_text(out, p, false, NULL, NULL), true));
		EMIT(emit_json(out, p, &why));
		EMIT(emit_argo(out, p, NULL, &why));
		EMIT(emit_diagram(out, p, GRAPH_DOT, GRAPH_OVERVIEW, &why));
		EMIT(emit_diagram(out, p, GRAPH_DOT, GRAPH_DETAIL, &why));
	}
	arena_free(&a);
	return 0;
}
