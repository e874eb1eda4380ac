/*
 * fuzz_lsp.c: a libFuzzer target for planner lsp.
 *
 * An input that starts with "Content-" is a stream of protocol bytes: it
 * is the server's whole input (lsp_serve reads it from a memfd and writes
 * to /dev/null), so framing, JSON, the lifecycle and every method meet
 * arbitrary bytes.  Any other input is the text of an open buffer,
 * fuzz.dsl, in a directory of the target's own: it is analysed as the
 * server analyses a buffer (the buffer is the only source: the file is
 * not on disk), its diagnostics converted, its symbols listed, its
 * canonical form asked for, and every query (definition, references,
 * hover, completion) asked at three places on each of its first 64 lines:
 * the start, the middle and past the end.
 *
 * Everything the queries return is freed, so LeakSanitizer sees a leak.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "lsp.h"

#define MAX_LINES 64

static char dir[64], path[96];
static const uint8_t *buffer;
static size_t buffer_len;

static void
cleanup(void)
{
	rmdir(dir);
}

static void
setup(void)
{
	strcpy(dir, "/tmp/fuzz_lsp-XXXXXX");
	if (!mkdtemp(dir))
		abort();
	snprintf(path, sizeof(path), "%s/fuzz.dsl", dir);
	atexit(cleanup);
}

/* The overlay: the input is the buffer of fuzz.dsl. */
static const char *
input_text(const void *ctx, const char *real, size_t *len)
{
	(void)ctx;
	if (strcmp(real, path) != 0)
		return NULL;
	*len = buffer_len;
	return (const char *)buffer;
}

static void
ask_everything(struct analysis *an, struct position pos)
{
	json_decref(query_definition(an, pos));
	json_decref(query_references(an, pos, true));
	json_decref(query_hover(an, pos));
	json_decref(query_completion(an, (const char *)buffer, buffer_len,
	    pos));
}

static void
fuzz_buffer(void)
{
	struct overlay over = { input_text, NULL };
	struct analysis *an = analyze(path, NULL, &over);
	struct position pos = { path, 0, 0 };
	const char *why = NULL;
	size_t i, start = 0;
	json_t *edits;

	json_decref(diagnostics_for(an, path));
	json_decref(query_symbols(an, path));
	if ((edits = query_format(path, (const char *)buffer, buffer_len,
	    &why)))
		json_decref(edits);
	else if (!why)
		abort();	/* a refusal must say why */
	for (i = 0; i <= buffer_len && pos.line < MAX_LINES; i++) {
		if (i < buffer_len && buffer[i] != '\n')
			continue;
		pos.character = 0;
		ask_everything(an, pos);
		pos.character = (int)(i - start) / 2;
		ask_everything(an, pos);
		pos.character = (int)(i - start) + 2;
		ask_everything(an, pos);
		pos.line++;
		start = i + 1;
	}
	analysis_free(an);
}

static void
fuzz_protocol(void)
{
	int in = memfd_create("lsp-input", 0);
	int out = open("/dev/null", O_WRONLY);

	if (in < 0 || out < 0 ||
	    write(in, buffer, buffer_len) != (ssize_t)buffer_len ||
	    lseek(in, 0, SEEK_SET) != 0)
		abort();
	lsp_serve(in, out, NULL);
	close(in);
	close(out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!path[0])
		setup();
	buffer = data;
	buffer_len = size;
	if (size >= 8 && memcmp(data, "Content-", 8) == 0)
		fuzz_protocol();
	else
		fuzz_buffer();
	return 0;
}
