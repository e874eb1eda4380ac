/*
 * state.h: what runs now (state.c), read from --state FILE or --state-dir
 * DIR, and drift (drift.c), which compares it with the checked model.
 *
 * The state maps cluster -> service -> version.  It lives in the arena it
 * was read into; nothing of it is on the heap.  The readers print their
 * errors on standard error ("planner: state.json: $.clusters.c1.svc:
 * expected a string", "planner: state.json:3:14: not JSON: ...") and
 * return NULL; the caller only chooses the exit status (2).  No byte of a
 * file that is not JSON is printed beyond jansson's message, and what is
 * printed is cleaned of control characters.
 */
#ifndef STATE_H
#define STATE_H

#include <stdbool.h>
#include <stdio.h>

#include "model.h"

/* state.c */

/* The largest state file read, in bytes; a larger one is refused. */
#define STATE_MAX_SIZE (64 << 20)
#define STATE_MAX_SIZE_TEXT "64 MiB"
/* The format of --state FILE this planner reads. */
#define STATE_FORMAT 1

struct state;	/* what runs now: cluster -> service -> version */

/* Reads --state FILE: {"format": 1, "clusters": {"<cluster>":
 * {"<service>": "<version>"}}} (a version may be null: the service runs,
 * its version unknown).  NULL after printing located errors. */
struct state *state_read_file(struct arena *a, const char *path);
/* Reads --state-dir DIR: one file per cluster, DIR/<cluster>.json, as
 * written by `kubectl --context <cluster> get deployments --all-namespaces
 * -o json`; a service's version is the tag of the first container's image
 * of the Deployment named after it ("latest" when the image has no tag); a
 * digest-pinned image (`@sha256:`) counts as unknown, and so does a name
 * that Deployments of several namespaces share with different images.
 * Only the clusters named are read; a cluster with no file is an error
 * naming it.  NULL after printing the errors of every file. */
struct state *state_read_dir(struct arena *a, const char *dir,
    const char *const *clusters, size_t nclusters);
/* The version service runs in cluster: NULL when absent or unknown;
 * *known_cluster false when the state says nothing of the cluster. */
const char *state_version(const struct state *s, const char *cluster,
    const char *service, bool *known_cluster);
/* Whether the service is in the cluster's state at all, known version or
 * not (digest-pinned). */
bool state_has(const struct state *s, const char *cluster,
    const char *service);
/* The services the state lists for a cluster, for drift, sorted by name
 * (strcmp); 0 for a cluster the state says nothing of.  *names points into
 * the state. */
size_t state_services(const struct state *s, const char *cluster,
    const char ***names);
/* Where the state was read from, as given: FILE or DIR. */
const char *state_origin(const struct state *s);

/* drift.c */

enum drift_kind {
	DRIFT_OUT_OF_SYNC,	/* versions differ between a group's clusters */
	DRIFT_OTHER_VERSION,	/* runs a version other than the target */
	DRIFT_UNKNOWN_VERSION,	/* runs, version unknown (digest-pinned) */
	DRIFT_MISSING,		/* placed in the cluster, not running there */
	DRIFT_UNPLACED,		/* running where the rollout does not place it */
};
#define NDRIFT_KINDS (DRIFT_UNPLACED + 1)

/* One thing found: a service in a cluster, or a service in a group. */
struct drift_finding {
	enum drift_kind kind;
	const struct group *group;	/* out of sync: that group; else the
					 * first group the cluster is in */
	const struct service *service;
	const struct cluster *cluster;	/* NULL for DRIFT_OUT_OF_SYNC */
	const char *version;		/* what runs; NULL when unknown */
	/* DRIFT_OUT_OF_SYNC: each cluster of the group the service runs in
	 * at a known version, in the group's order, with that version */
	const struct cluster **clusters;
	const char **versions;
	size_t nclusters;
};

/* What drift found, in the order it is reported: by group, service, kind
 * and cluster (declaration orders). */
struct drift {
	const struct rollout *rollout;
	struct drift_finding *findings;
	size_t nfindings;
	size_t counts[NDRIFT_KINDS];
	size_t nclusters;	/* clusters checked */
	size_t ndeploys;	/* deploys checked */
	size_t *undeclared;	/* Deployments the rollout does not declare,
				 * by cluster index */
	size_t nundeclared;	/* in all */
};

/* The clusters drift reads state for: those the rollout places a service
 * in, in declaration order. */
size_t drift_clusters(struct arena *a, const struct rollout *r,
    const char ***names);
/* Compares what runs with the rollout.  NULL, said, when the state says
 * nothing of a cluster the rollout places services in. */
struct drift *drift_find(struct arena *a, const struct rollout *r,
    const struct state *s);
/* The readable report: nothing when in sync; else a heading, then the
 * findings by group, then service, identical ones folded. */
void drift_write_text(FILE *f, const struct drift *d);
/* The report as JSON (docs/drift-format.md); false with *why on failure. */
bool drift_write_json(FILE *f, const struct drift *d, const char **why);

#endif
