/*
 * fuzz_rollout.c: a libFuzzer target for the whole pipeline.
 *
 * Each input is one source, "fuzz.dsl".  It is parsed; when it has no
 * syntax errors, its fmt output must parse with none either and format to
 * itself.  When the rollout also checks clean, it is planned and every
 * emitter but the diagram (Graphviz is slow and leaks) writes to /dev/null.
 * Imports are not followed: the target never touches the file system.
 *
 * See README.md beside this file for how to build and run it.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "planner.h"

static FILE *devnull;

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
	struct diag d;
	struct program prog;
	struct file *f;
	struct rollout *r;
	struct plan *p;
	const char *why;

	if (!devnull && !(devnull = fopen("/dev/null", "w")))
		abort();
	/* One sink for parse and check, as the CLI has: check runs on a
	 * file with syntax errors too. */
	diag_init(&d, devnull, false, false);
	f = parse_source(&a, &d, source_new(&a, "fuzz.dsl",
	    arena_strndup(&a, (const char *)data, size), size));
	if (d.nerrors == 0)
		check_fmt(f);
	prog.files = &f;
	prog.nfiles = 1;
	r = check_program(&a, &d, &prog);
	diag_finish(&d);
	if (r && d.nerrors == 0) {
		p = plan_build(&a, r);
		emit_text(devnull, p, false);
		why = NULL;
		emit_json(devnull, p, &why);
		why = NULL;
		emit_argo(devnull, p, false, &why);
		why = NULL;
		emit_argo(devnull, p, true, &why);
	}
	arena_free(&a);
	return 0;
}
