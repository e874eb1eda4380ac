/*
 * model.h: the checked model of a rollout (check.c builds it), what
 * the planner and the emitters read.  It names the syntax tree only through
 * pointers to incomplete types (a service's declaration, for diagnostics),
 * so code that includes this header and not syntax.h cannot read the tree.
 */
#ifndef MODEL_H
#define MODEL_H

#include "diag.h"

struct decl;
struct word;

/* words.c: the policies' words, by enum on_failure */

enum on_failure { FAIL_HALT, FAIL_CONTINUE, FAIL_ROLLBACK };
#define NPOLICIES (FAIL_ROLLBACK + 1)

extern const char *const policy_words[NPOLICIES];
/* "a, b or c": the words whose bit is set in mask, in table order. */
const char *word_list(struct arena *a, const char *const *words, size_t n,
    unsigned mask);

/* check.c: the checked model */

/* A deploy's estimated time when neither it nor the rollout says `takes`. */
#define DEFAULT_TAKES (5 * 60)

struct cluster {
	const char *name;
	struct loc loc;		/* where first declared in a group */
	size_t index;		/* declaration order */
	struct wave *wave;	/* the first wave that includes it, or NULL */
};

struct group {
	const char *name;
	struct loc loc;
	struct cluster **clusters;
	size_t nclusters;
	bool used;
	bool in_waves;		/* a wave took it: its clusters have waves */
};

struct service {
	const char *name;
	struct loc loc;
	size_t index;		/* declaration order */
	const char *version;	/* "latest" when none is given */
	const char *image;
	struct cluster **clusters;	/* in cluster declaration order */
	size_t nclusters;
	struct service **needs;		/* each once, in the order written */
	size_t nneeds;
	struct word *need_words;	/* where each need was written */
	long takes;		/* seconds one deploy is expected to take: its
				 * own `takes`, else the rollout's, else 5m */
	const char *takes_text;	/* its own, as written; NULL when it
				 * inherits */
	struct decl *decl;
};

struct wave {
	const char *name;
	struct loc loc;
	size_t index;
	struct cluster **clusters;	/* those it owns, declaration order */
	size_t nclusters;
	long parallel;		/* 0: all clusters at once */
	long soak;		/* seconds, 0: none */
	const char *soak_text;	/* as written, e.g. "1h30m" */
	bool approve;
	enum on_failure on_failure;
	struct decl *decl;
};

struct rollout {
	const char *name;
	struct loc loc;
	const char *version;	/* NULL when not given */
	const char *registry;
	const char *namespace;
	const char *notify;
	const char *deploy_template;
	long deploy_timeout;	/* seconds, at least 1; 0: not given (each
				 * deploy pod then gets 30m, docs/language.md) */
	const char *deploy_timeout_text;	/* as written, e.g. "1h30m";
						 * NULL when not given */
	const char *service_account;	/* the Workflow's serviceAccountName;
					 * NULL when not given */
	long takes;		/* seconds, the services' default estimate:
				 * its `takes`, else 5m (DEFAULT_TAKES) */
	const char *takes_text;	/* as written; NULL when not given */
	struct service **services;
	size_t nservices;
	struct cluster **clusters;
	size_t nclusters;
	struct group **groups;
	size_t ngroups;
	struct wave **waves;
	size_t nwaves;
};

#endif
