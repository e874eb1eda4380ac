/*
 * diff.h: planner diff, what changes from one plan to another (diff.c),
 * and the git revisions a side may name (revision.c).  For main.c.
 */
#ifndef DIFF_H
#define DIFF_H

#include "plan.h"

/* What changed, one fact each; the writers group them by kind, in this
 * order. */
enum change_kind {
	CH_ROLLOUT,		/* subject: the attribute; old, new */
	CH_SERVICE_ADDED, CH_SERVICE_REMOVED,	/* subject: the service;
						 * count: its clusters */
	CH_CLUSTER_ADDED, CH_CLUSTER_REMOVED,	/* subject: the cluster;
						 * wave; count: deploys */
	CH_WAVE_ADDED, CH_WAVE_REMOVED,		/* subject: the wave */
	CH_WAVE_ORDER,		/* old, new: the common waves in order */
	CH_WAVE_POLICY,		/* subject: the wave; field; old, new */
	CH_CLUSTER_MOVED,	/* subject: the cluster; old, new: waves */
	CH_DEPLOYS_ADDED, CH_DEPLOYS_REMOVED,	/* subject: the service;
						 * clusters */
	CH_NEED_ADDED, CH_NEED_REMOVED,	/* subject needs field, in clusters */
	CH_VERSION,		/* subject: the service; old, new; downgrade */
	CH_IMAGE,		/* subject: the service; old, new */
	CH_ESTIMATE,		/* subject: a wave, NULL for the whole
				 * release; old, new; count: seconds more,
				 * or (downgrade) fewer */
	CH_CRITICAL,		/* old, new: the critical paths, steps
				 * joined with ", " */
};
#define NCHANGE_KINDS (CH_CRITICAL + 1)

struct change {
	enum change_kind kind;
	const char *subject;
	const char *field;	/* a policy's word, a need */
	const char *old, *new;	/* NULL: not set */
	const char *wave;
	const char **clusters;	/* in plan order */
	size_t nclusters;
	size_t count;
	bool downgrade;		/* a version older than before; an
				 * estimate shorter */
	long old_seconds, new_seconds;	/* CH_ESTIMATE */
};

/* One side of a diff: its plan and how the command line named it. */
struct diff_side {
	const char *label;
	const struct plan *plan;
};

struct plan_diff {
	struct diff_side old, new;
	struct change *changes;		/* by kind, then plan order */
	size_t nchanges;
};

enum diff_format { DIFF_TEXT, DIFF_MARKDOWN };

/* Compares the plans of two whole rollouts (comments and layout never
 * reach a plan, so they never differ). */
struct plan_diff *diff_plans(struct arena *a, const struct diff_side *old,
    const struct diff_side *new);
/* -1, 0 or 1 as version a is older than, as old as or newer than b,
 * dotted numeric parts compared as numbers ("1.2" is "1.2.0"); 2 when
 * they cannot be compared ("latest", letters). */
int diff_version_cmp(const char *a, const char *b);
/* The report, as text or Markdown (a pull-request comment). */
void diff_write_text(FILE *out, const struct plan_diff *d,
    enum diff_format fmt);
/* docs/diff-format.md; false with *why set on failure. */
bool diff_write_json(FILE *out, const struct plan_diff *d, const char **why);
/* diff_dot.c: the diff diagram, the new plan's overview with what was
 * added in green, removed in red, changed in amber, the rest grey; false
 * with *why set when Graphviz fails. */
bool diff_write_diagram(FILE *out, const struct plan_diff *d,
    enum graph_format fmt, const char **why);

/* revision.c */

/* A side of a diff read from git, REV:PATH, materialised. */
struct revision {
	char *dir;		/* the temporary directory, removed by
				 * revision_close */
	const char *path;	/* the rollout in it */
	const char *import_root;	/* --import-root in it, or NULL */
};

/* When arg is not a file and is REV:PATH of a revision git knows, writes
 * PATH's directory (or import_root's) at REV into a temporary directory;
 * returns 1 then, 0 when arg is to be read as a file, -1 (said) when git
 * fails. */
int revision_open(struct arena *a, const char *arg, const char *import_root,
    struct revision *rev);
/* Removes the temporary directory, if any. */
void revision_close(struct revision *rev);

#endif
