/*
 * fuzz_load.c: a libFuzzer target for the loader: several files that
 * import each other.
 *
 * An input is up to MAX_PARTS files separated by lines "%%"; they are
 * written as 0.dsl, 1.dsl, ... into a directory of the target's own (with
 * a subdirectory "sub" and a directory named "dir.dsl" beside them, for
 * imports to reach), and 0.dsl is loaded as the command line loads FILE:
 * imports followed, paths joined and collapsed, files read once, the
 * limits on size, count and depth, binary files refused.  Then check and,
 * when clean, plan.  The emitters are fuzz_rollout's business.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "planner.h"

#define MAX_PARTS 6

static char dir[64];
static FILE *devnull;

/* The path of file n. */
static void
part_path(char *path, size_t size, int n)
{
	snprintf(path, size, n == 1 ? "%s/sub/%d.dsl" : "%s/%d.dsl", dir, n);
}

static void
remove_part(int n)
{
	char path[96];

	part_path(path, sizeof(path), n);
	remove(path);
}

/* Removes the target's directory, at exit. */
static void
cleanup(void)
{
	char path[96];
	int n;

	for (n = 0; n < MAX_PARTS; n++)
		remove_part(n);
	snprintf(path, sizeof(path), "%s/sub", dir);
	remove(path);
	snprintf(path, sizeof(path), "%s/dir.dsl", dir);
	remove(path);
	remove(dir);
}

/* Makes the target's directory once; the inputs are written into it. */
static void
setup(void)
{
	char path[96];

	strcpy(dir, "/tmp/fuzz_load-XXXXXX");
	if (!mkdtemp(dir) || !(devnull = fopen("/dev/null", "w")))
		abort();
	atexit(cleanup);
	snprintf(path, sizeof(path), "%s/sub", dir);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/dir.dsl", dir);
	mkdir(path, 0700);
}

/* Writes bytes [start, end) of the input as file n. */
static void
write_part(int n, const uint8_t *start, const uint8_t *end)
{
	char name[96];
	FILE *f;

	part_path(name, sizeof(name), n);
	if (!(f = fopen(name, "w")))
		abort();
	fwrite(start, 1, (size_t)(end - start), f);
	fclose(f);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *start = data, *end = data + size, *at;
	struct arena a = { 0 };
	struct program *prog;
	struct rollout *r;
	struct diag d;
	char root[96];
	int n = 0;

	if (!devnull)
		setup();
	while (n < MAX_PARTS - 1 &&
	    (at = memmem(start, (size_t)(end - start), "\n%%\n", 4))) {
		write_part(n++, start, at + 1);
		start = at + 4;
	}
	write_part(n, start, end);
	/* nothing of an earlier input may stay, or a finding would not
	 * replay from its input alone */
	while (++n < MAX_PARTS)
		remove_part(n);
	diag_init(&d, devnull, false, false);
	snprintf(root, sizeof(root), "%s/0.dsl", dir);
	prog = load_program(&a, &d, root);
	if (!prog)
		abort();	/* 0.dsl was just written: it must be read */
	if (prog->nfiles > 0) {
		r = check_program(&a, &d, prog);
		if (r && d.nerrors == 0)
			plan_build(&a, r);
	}
	diag_finish(&d);
	arena_free(&a);
	return 0;
}
