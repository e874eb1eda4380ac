/*
 * plan.h: the plan (plan.c), the one structure every emitter reads,
 * the emitters, and the names the Workflow uses (names.c).  Emitters
 * include this header only: they see the model and the plan, never the
 * syntax tree.
 */
#ifndef PLAN_H
#define PLAN_H

#include "model.h"

/* plan.c */

/* One (service, cluster) pair. */
struct deploy {
	struct service *service;
	struct cluster *cluster;
	size_t index;		/* position in plan->deploys */
	int step;		/* 1 + the largest step of what it waits for */
	struct deploy **needs;	/* deploys in the same cluster it waits for */
	size_t nneeds;
	size_t chunk;		/* its chunk in its shape, 0 when not split */
	/* with live state (select.c): what runs there now.  from is its
	 * version; NULL when it is not running there (new), when its
	 * version is unknown (running), or without state */
	const char *from;
	bool running;		/* the state shows the service there */
	long finish;		/* estimate: seconds from its cluster's start
				 * to its end (the longest chain of `takes`
				 * through its needs, its own included) */
};

/*
 * A part of a split cluster DAG: deploys[start .. start+count) of the
 * shape's first cluster (every cluster of the shape splits alike), and the
 * earlier chunks it must wait for because some of its deploys need theirs.
 */
struct chunk {
	size_t start, count;
	size_t *deps;		/* indexes of earlier chunks, ascending */
	size_t ndeps;
};

/*
 * Clusters that run the same set of services (hence the same needs) share a
 * shape; the Argo Workflow gives each shape one template.
 */
struct shape {
	size_t index;
	struct plan_cluster *first;	/* its first cluster in plan order */
	size_t nclusters;
	int nsteps;		/* the longest chain inside the cluster */
	struct chunk *chunks;	/* more than one when > ARGO_MAX_TASKS */
	size_t nchunks;
	int split_steps;	/* the longest chain once split (= nsteps
				 * when not split) */
};

struct plan_cluster {
	struct cluster *cluster;
	struct wave *wave;
	struct shape *shape;
	struct deploy **deploys;	/* by step, then service order */
	size_t ndeploys;
	int nsteps;
	long takes;		/* estimate: its longest chain of `takes` */
	long start;		/* estimate: seconds from its wave's start
				 * until a `parallel` slot lets it start */
	struct deploy *last;	/* the deploy that ends its longest chain */
};

struct plan_wave {
	struct wave *wave;
	struct plan_cluster **clusters;	/* cluster declaration order */
	size_t nclusters;
	size_t ndeploys;
	long deploying;		/* estimate: seconds until its last cluster
				 * is done (before the soak) */
	long estimate;		/* estimate: deploying + the soak, in seconds;
				 * an approval counts as zero */
	long start;		/* estimate: seconds from the release's start */
	struct plan_cluster *slowest;	/* the cluster that finishes last
					 * (the first such), NULL when none */
};

/*
 * The critical path: the chain of deploys and gates that decides the
 * estimate.  For each wave in order: the deploys of the longest chain of
 * its slowest cluster, first to last, then its soak, then its approval.
 */
enum plan_step_kind {
	PLAN_STEP_DEPLOY,
	PLAN_STEP_SOAK,
	PLAN_STEP_APPROVE,	/* counts as zero seconds */
};

struct plan_step {
	enum plan_step_kind kind;
	const struct plan_wave *wave;
	const struct deploy *deploy;	/* PLAN_STEP_DEPLOY only, else NULL */
	long start;		/* seconds from the release's start */
	long seconds;		/* its duration: the service's takes, the
				 * soak, 0 for an approval */
};

/*
 * select.c: what a selection (--only, --with-needs, --with-dependents,
 * --from-wave, --clusters, live state) kept and why.  The plan of a
 * selection is the plan of a narrowed copy of the rollout; this report is
 * how the readable plan and the JSON plan tell what was left out.  The
 * services, waves and clusters named here are the whole rollout's.
 */
enum selected_why {
	SELECTED_ONLY,		/* named by --only */
	SELECTED_NEEDED,	/* --with-needs: via needs it */
	SELECTED_DEPENDENT,	/* --with-dependents: it needs via */
};

struct selected {
	const struct service *service;
	enum selected_why why;
	const struct service *via;	/* NULL for SELECTED_ONLY */
	size_t ndeploys;	/* its deploys left in the plan */
};

enum dropped_why {
	DROPPED_BEFORE,		/* before --from-wave's wave */
	DROPPED_EMPTY,		/* nothing of it left to deploy */
};

struct dropped_wave {
	const struct wave *wave;
	enum dropped_why why;
};

struct selection_report {
	const struct rollout *whole;	/* the rollout before selection */
	size_t whole_deploys;		/* the deploys of its whole plan */
	size_t whole_clusters;		/* its clusters with deploys */
	bool only, with_needs, with_dependents;
	struct selected *selected;	/* --only, then what the closures
					 * added, each once; none without
					 * --only */
	size_t nselected;
	const struct wave *from_wave;	/* --from-wave, or NULL */
	const struct cluster **clusters;	/* --clusters, groups expanded,
						 * declaration order; NULL
						 * when not given */
	size_t nclusters;
	struct dropped_wave *dropped;	/* in wave order */
	size_t ndropped;
	bool state;			/* live state was given: deploys
					 * carry from */
	size_t ncurrent;		/* deploys left out as already at
					 * their version */
	const struct cluster **stateless;	/* planned clusters the state
						 * does not know (every deploy
						 * there counts as new) */
	size_t nstateless;
};

struct plan {
	struct rollout *rollout;
	struct plan_wave *waves;	/* every wave, in order; empty ones too
					 * (select.c drops a selection's) */
	size_t nwaves;
	struct deploy *deploys;		/* wave, cluster, step, service order */
	size_t ndeploys;
	struct plan_cluster *clusters;	/* every cluster with deploys */
	size_t nclusters;
	struct shape **shapes;
	size_t nshapes;
	struct deploy **chain;		/* the longest chain, first to last */
	size_t nchain;
	int split_steps;	/* the longest chain once splits are made */
	long estimate;		/* seconds: the sum of the waves' estimates */
	size_t napprovals;	/* approvals, not in the estimate */
	struct plan_step *critical;	/* the critical path, in time order */
	size_t ncritical;
	const struct selection_report *selection;	/* NULL: the whole
							 * rollout */
};

/* Argo's limit of tasks in one DAG template. */
#define ARGO_MAX_TASKS 200
/* Argo's limit of templates in one Workflow. */
#define ARGO_MAX_TEMPLATES 200

/* Builds the plan of a checked rollout. */
struct plan *plan_build(struct arena *a, struct rollout *r);

/* emit_text.c */

struct argo_layout;

/* Writes the readable plan; when the Argo documents were written (to
 * argo_path, with argo's layout), how to run them. */
void emit_text(FILE *out, const struct plan *p, bool color,
    const struct argo_layout *argo, const char *argo_path);

/* emit_argo.c */

/* How the Argo documents of a plan were laid out. */
struct argo_layout {
	bool known;		/* emit_argo filled it in */
	bool children;		/* a workflow of workflows: WorkflowTemplates
				 * and a parent Workflow that creates the
				 * child Workflows from them */
	size_t workflow_templates;
	char label[64];		/* selects the WorkflowTemplates to apply */
};

/* Writes the Argo documents (the WorkflowTemplates a workflow of workflows
 * needs, then the Workflow) and, when layout is not NULL, says how they
 * are laid out; false with *why set when it cannot. */
bool emit_argo(FILE *out, const struct plan *p, struct argo_layout *layout,
    const char **why);

/* emit_dot.c */

enum graph_format { GRAPH_DOT, GRAPH_SVG, GRAPH_PNG };

/* The overview (waves, gates, a row per set of identical clusters: the
 * default) or the detail (a node per deploy, or a table per step). */
enum graph_view { GRAPH_OVERVIEW, GRAPH_DETAIL };

/* Writes the diagram; false with *why set when Graphviz fails. */
bool emit_diagram(FILE *out, const struct plan *p, enum graph_format fmt,
    enum graph_view view, const char **why);

/* For other diagrams (diff_dot.c): opens an empty graph whose objects keep
 * the order they are made in, taking Graphviz's messages; diagram_close
 * writes it as DOT or lays it out as SVG or PNG with the process's one
 * gvc context, closes it and stops taking the messages (false with *why
 * set when Graphviz failed or gave an error). */
struct Agraph_s *diagram_open(const char *name);
/* Appends text for an HTML-like label: escaped, and valid UTF-8 with no
 * noncharacters (U+FFFD in their place), which Graphviz needs. */
void diagram_html(struct buf *b, const char *s);
/* Sets an attribute of a graph, node or edge (cgraph copies the value). */
void diagram_set(void *obj, const char *name, const char *value);
bool diagram_close(struct Agraph_s *g, FILE *out, enum graph_format fmt,
    const char **why);

/* emit_json.c */

/* Writes the plan as JSON; false with *why set on failure. */
bool emit_json(FILE *out, const struct plan *p, const char **why);

/* names.c */

/*
 * A name for Argo of at most max characters built from parts joined by '-':
 * when too long, a prefix and a short hash of the whole, so it stays unique.
 */
const char *argo_name(struct arena *a, size_t max, const char *first, ...);
/* The name of a wave's approval step: the Workflow's suspend node and the
 * readable plan's `argo resume` command must agree on it. */
const char *approve_name(struct arena *a, const struct wave *w);
/* A duration in seconds as a Go duration: "48h", "1h30m", "45s". */
const char *go_duration(struct arena *a, long seconds);

#endif
