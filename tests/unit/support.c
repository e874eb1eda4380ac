/* support.c: runs the front end on strings for the unit tests. */
#include <stdlib.h>
#include <string.h>

#include "support.h"

struct result *
run_text(const char *text)
{
	struct result *r = calloc(1, sizeof(*r));
	struct diag d;
	struct program prog;
	size_t len = 0;
	FILE *mem = open_memstream(&r->diags, &len);
	struct source *src;

	diag_init(&d, mem, false, false);
	src = source_new(&r->arena, "test.dsl",
	    arena_strndup(&r->arena, text, strlen(text)), strlen(text));
	r->file = parse_source(&r->arena, &d, src);
	prog.files = &r->file;
	prog.nfiles = 1;
	r->rollout = check_program(&r->arena, &d, &prog);
	diag_finish(&d);
	fclose(mem);
	r->nerrors = d.nerrors;
	r->nwarnings = d.nwarnings;
	if (r->rollout)
		r->plan = plan_build(&r->arena, r->rollout);
	return r;
}

void
result_free(struct result *r)
{
	arena_free(&r->arena);
	free(r->diags);
	free(r);
}

struct deploy *
find_deploy(struct plan *p, const char *service, const char *cluster)
{
	size_t i;

	for (i = 0; i < p->ndeploys; i++)
		if (strcmp(p->deploys[i].service->name, service) == 0 &&
		    strcmp(p->deploys[i].cluster->name, cluster) == 0)
			return &p->deploys[i];
	return NULL;
}

void
assert_contains(const char *haystack, const char *needle)
{
	if (!strstr(haystack, needle)) {
		print_error("expected to find:\n%s\nin:\n%s\n", needle,
		    haystack);
		fail();
	}
}
