/* support.h: what every unit test needs: a rollout from a string. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "planner.h"

/* What a run of the front end on one string gave. */
struct result {
	struct arena arena;
	struct file *file;
	struct rollout *rollout;	/* NULL when there were errors */
	struct plan *plan;		/* when there were none */
	char *diags;			/* everything the sink printed */
	int nerrors, nwarnings;
};

/* Parses and checks text as the file "test.dsl", and plans it if clean. */
struct result *run_text(const char *text);
/* Frees a result. */
void result_free(struct result *r);
/* The deploy of service in cluster, or NULL. */
struct deploy *find_deploy(struct plan *p, const char *service,
    const char *cluster);
/* Asserts that haystack contains needle, printing both when not. */
void assert_contains(const char *haystack, const char *needle);
