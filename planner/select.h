/*
 * select.h: the selection (select.c), the phase between check and plan
 * that narrows a checked rollout to the part of a release being shipped:
 * --only with its closures --with-needs and --with-dependents,
 * --from-wave, --clusters, and the deploys that the live state shows
 * already at their version.  It returns a narrowed copy of the model, so
 * plan.c and every emitter work on it unchanged, and a report of what it
 * kept and why (struct selection_report, in plan.h, where the emitters
 * read it).  A deploy left out counts as done: its needs are met, and it
 * orders nothing, so there is no order through it.
 */
#ifndef SELECT_H
#define SELECT_H

#include "plan.h"
#include "state.h"	/* state_version, state_has: implemented in state.c */

/* select.c */

/* What to ship: the command line's selection options, as given. */
struct selection {
	const char *const *only;	/* --only arguments, SVC[,SVC...] */
	size_t nonly;
	bool with_needs;		/* add what they need, transitively */
	bool with_dependents;		/* add what needs them, transitively */
	const char *from_wave;		/* --from-wave, or NULL */
	const char *const *clusters;	/* --clusters arguments, C[,C...],
					 * cluster or group names */
	size_t nclusters;
	const struct state *state;	/* live state, or NULL */
};

/* Whether sel narrows anything; when not, the rollout is planned whole. */
bool selection_active(const struct selection *sel);

/*
 * The narrowed copy of r, in the arena: only the deploys selected and not
 * already current; services, clusters and waves without any left out, the
 * waves' and services' clusters filtered, needs kept between services
 * kept, indexes renumbered.  *report says what was kept and why.  NULL
 * with *why set (a message for say, "unknown service 'x' in --only; did
 * you mean 'y'?") when an option names nothing of r.  Linear in services,
 * needs and deploys.
 */
struct rollout *rollout_select(struct arena *a, const struct rollout *r,
    const struct selection *sel, struct selection_report **report,
    const char **why);

/* The plan of what sel keeps of r: plan_build's when sel is not active,
 * else that of rollout_select's copy, each deploy with its from and the
 * plan with the report.  NULL with *why set as rollout_select. */
struct plan *select_plan(struct arena *a, struct rollout *r,
    const struct selection *sel, const char **why);

#endif
