/*
 * plan.c: from the checked model to the plan, the one structure every
 * emitter reads.  A deploy is a (service, cluster) pair; inside a cluster
 * it waits for the deploys of the services it needs there, and nothing
 * else.  Its step is 1 + the largest step of what it waits for.  Clusters
 * running the same services share a shape, and a shape too big for one
 * Argo DAG is cut into chunks.  Every pass is linear in deploys and in the
 * needs met inside clusters, which are found by intersecting the cluster
 * lists of each service and each of its needs (the shorter list searched
 * in the longer), never by a look at every need in every cluster.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "plan.h"

struct planner {
	struct arena *arena;
	struct rollout *r;
	struct plan *p;
	struct service ***by_topo;	/* cluster index -> its services */
	struct service ***by_index;	/* cluster index -> its services */
	size_t *count;		/* cluster index -> number of services */
	struct local_need *local;	/* needs met in a cluster, by cluster,
					 * then service index, then need */
	size_t *local_start;	/* cluster index -> its first in local */
	int *step;		/* service index -> step in the cluster at hand */
	size_t *where;		/* service index -> local deploy position */
	size_t *first_local;	/* service index -> its first in local, and */
	size_t *nlocal;		/* how many, in the cluster at hand */
};

/* Service s needs its j-th need in the cluster whose run this is in. */
struct local_need {
	size_t s, j;
};

/* A topological order of the services (needs first), by Kahn's method. */
static struct service **
topo_order(struct rollout *r)
{
	size_t n = r->nservices, i, j, head = 0, tail = 0;
	size_t *indeg = xmalloc_array(n + 1, sizeof(*indeg));
	size_t *start = xmalloc_array(n + 1, sizeof(*start));
	struct service **dependents, **queue;

	memset(start, 0, (n + 1) * sizeof(*start));
	for (i = 0; i < n; i++) {
		indeg[i] = r->services[i]->nneeds;
		for (j = 0; j < r->services[i]->nneeds; j++)
			start[r->services[i]->needs[j]->index + 1]++;
	}
	for (i = 0; i < n; i++)
		start[i + 1] += start[i];
	dependents = xmalloc_array(start[n] + 1, sizeof(*dependents));
	for (i = 0; i < n; i++)
		for (j = 0; j < r->services[i]->nneeds; j++)
			dependents[start[r->services[i]->needs[j]->index]++] =
			    r->services[i];
	/* start[k] now ends k's run; runs begin where k - 1's ended. */
	queue = xmalloc_array(n + 1, sizeof(*queue));
	for (i = 0; i < n; i++)
		if (indeg[i] == 0)
			queue[tail++] = r->services[i];
	while (head < tail) {
		struct service *s = queue[head++];
		size_t from = s->index ? start[s->index - 1] : 0;

		for (j = from; j < start[s->index]; j++)
			if (--indeg[dependents[j]->index] == 0)
				queue[tail++] = dependents[j];
	}
	assert(tail == n);	/* check_program refused every cycle */
	free(indeg);
	free(start);
	free(dependents);
	return queue;
}

/* Each cluster's services, once in topological and once in declared
 * order. */
static void
cluster_services(struct planner *pl, struct service **topo)
{
	struct rollout *r = pl->r;
	size_t nc = r->nclusters, i, j;
	size_t *fill = xmalloc_array(nc + 1, sizeof(*fill));

	pl->count = xmalloc_array(nc + 1, sizeof(*pl->count));
	memset(pl->count, 0, (nc + 1) * sizeof(*pl->count));
	for (i = 0; i < r->nservices; i++)
		for (j = 0; j < r->services[i]->nclusters; j++)
			pl->count[r->services[i]->clusters[j]->index]++;
	pl->by_topo = arena_array(pl->arena, nc + 1, sizeof(*pl->by_topo));
	pl->by_index = arena_array(pl->arena, nc + 1, sizeof(*pl->by_index));
	for (i = 0; i < nc; i++) {
		pl->by_topo[i] = xmalloc_array(pl->count[i] + 1,
		    sizeof(struct service *));
		pl->by_index[i] = xmalloc_array(pl->count[i] + 1,
		    sizeof(struct service *));
	}
	memset(fill, 0, (nc + 1) * sizeof(*fill));
	for (i = 0; i < r->nservices; i++)
		for (j = 0; j < topo[i]->nclusters; j++) {
			size_t k = topo[i]->clusters[j]->index;

			pl->by_topo[k][fill[k]++] = topo[i];
		}
	memset(fill, 0, (nc + 1) * sizeof(*fill));
	for (i = 0; i < r->nservices; i++)
		for (j = 0; j < r->services[i]->nclusters; j++) {
			size_t k = r->services[i]->clusters[j]->index;

			pl->by_index[k][fill[k]++] = r->services[i];
		}
	free(fill);
}

/* Whether sorted clusters[0..n) hold cluster index k. */
static bool
holds(struct cluster *const *clusters, size_t n, size_t k)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (clusters[mid]->index < k)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && clusters[lo]->index == k;
}

/* Counts (fill false) or places (fill true) a need met in cluster k. */
static void
met(struct planner *pl, size_t k, const struct service *s, size_t j,
    bool fill)
{
	if (fill) {
		pl->local[pl->local_start[k]].s = s->index;
		pl->local[pl->local_start[k]++].j = j;
	} else {
		pl->local_start[k + 1]++;
	}
}

/*
 * Finds each cluster where service s and its j-th need both run.  Lists of
 * like lengths are merged; a short one against a long one is searched in
 * it, so a service in 200,000 clusters costs little to a need in one.
 */
static void
meet(struct planner *pl, struct service *s, size_t j, bool fill)
{
	struct service *b = s->needs[j], *few = s, *many = b;
	size_t i, m;

	if (b->nclusters < s->nclusters) {
		few = b;
		many = s;
	}
	if (many->nclusters / 16 <= few->nclusters) {
		for (i = 0, m = 0; i < few->nclusters &&
		    m < many->nclusters;) {
			size_t x = few->clusters[i]->index;
			size_t y = many->clusters[m]->index;

			if (x == y)
				met(pl, x, s, j, fill);
			i += x <= y;
			m += y <= x;
		}
		return;
	}
	for (i = 0; i < few->nclusters; i++)
		if (holds(many->clusters, many->nclusters,
		    few->clusters[i]->index))
			met(pl, few->clusters[i]->index, s, j, fill);
}

/* Finds every need met inside a cluster, grouped by cluster. */
static void
local_needs(struct planner *pl)
{
	struct rollout *r = pl->r;
	size_t nc = r->nclusters, i, j;

	pl->local_start = xmalloc_array(nc + 2, sizeof(*pl->local_start));
	memset(pl->local_start, 0, (nc + 2) * sizeof(*pl->local_start));
	for (i = 0; i < r->nservices; i++)
		for (j = 0; j < r->services[i]->nneeds; j++)
			meet(pl, r->services[i], j, false);
	for (i = 0; i < nc; i++)
		pl->local_start[i + 1] += pl->local_start[i];
	pl->local = xmalloc_array(pl->local_start[nc] + 1, sizeof(*pl->local));
	/* placing moves each start to its end, which is the next start */
	for (i = 0; i < r->nservices; i++)
		for (j = 0; j < r->services[i]->nneeds; j++)
			meet(pl, r->services[i], j, true);
	memmove(pl->local_start + 1, pl->local_start, nc * sizeof(size_t));
	pl->local_start[0] = 0;
}

/* Steps of cluster k's services: 1 + the largest step of their needs that
 * run in k, taken in topological order so needs come first. */
static int
cluster_steps(struct planner *pl, size_t k)
{
	size_t i, e, m = pl->count[k];
	int nsteps = 0;

	for (i = 0; i < m; i++) {
		pl->where[pl->by_index[k][i]->index] = i;
		pl->nlocal[pl->by_index[k][i]->index] = 0;
		pl->first_local[pl->by_index[k][i]->index] = 0;
	}
	for (e = pl->local_start[k]; e < pl->local_start[k + 1]; e++)
		if (pl->nlocal[pl->local[e].s]++ == 0)
			pl->first_local[pl->local[e].s] = e;
	for (i = 0; i < m; i++) {
		struct service *s = pl->by_topo[k][i];
		size_t from = pl->first_local[s->index];
		int step = 1;

		for (e = from; e < from + pl->nlocal[s->index]; e++) {
			struct service *b = s->needs[pl->local[e].j];

			if (pl->step[b->index] + 1 > step)
				step = pl->step[b->index] + 1;
		}
		pl->step[s->index] = step;
		if (step > nsteps)
			nsteps = step;
	}
	return nsteps;
}

/* Lays out cluster k's deploys at p->deploys[base..], by step, then by
 * service order, and links each to the deploys it waits for. */
static void
build_cluster(struct planner *pl, struct plan_cluster *pc, size_t k,
    size_t base)
{
	struct plan *p = pl->p;
	size_t m = pl->count[k], i, j, n;
	size_t *rank = xmalloc_array(m + 1, sizeof(*rank));
	size_t *at = xmalloc_array((size_t)pc->nsteps + 2, sizeof(*at));

	memset(at, 0, ((size_t)pc->nsteps + 2) * sizeof(*at));
	for (i = 0; i < m; i++)
		at[pl->step[pl->by_index[k][i]->index] + 1]++;
	for (i = 1; i <= (size_t)pc->nsteps; i++)
		at[i + 1] += at[i];
	for (i = 0; i < m; i++)
		rank[i] = at[pl->step[pl->by_index[k][i]->index]]++;
	pc->deploys = arena_array(pl->arena, m, sizeof(*pc->deploys));
	pc->ndeploys = m;
	for (i = 0; i < m; i++) {
		struct service *s = pl->by_index[k][i];
		struct deploy *d = &p->deploys[base + rank[i]];

		d->service = s;
		d->cluster = pc->cluster;
		d->index = base + rank[i];
		d->step = pl->step[s->index];
		n = pl->nlocal[s->index];
		d->needs = arena_array(pl->arena, n, sizeof(*d->needs));
		for (j = 0; j < n; j++) {
			size_t e = pl->first_local[s->index] + j;
			struct service *b = s->needs[pl->local[e].j];

			d->needs[d->nneeds++] = &p->deploys[base +
			    rank[pl->where[b->index]]];
			/* a need's step is earlier: the steps are an order */
			assert(pl->step[b->index] < d->step);
		}
		pc->deploys[rank[i]] = d;
	}
	free(rank);
	free(at);
}

/* Every wave with its clusters, and every cluster with its deploys. */
static void
build_waves(struct planner *pl)
{
	struct plan *p = pl->p;
	struct rollout *r = pl->r;
	size_t i, j, total = 0, nclusters = 0, base = 0;

	for (i = 0; i < r->nclusters; i++)
		if (r->clusters[i]->wave && pl->count[i]) {
			total += pl->count[i];
			nclusters++;
		}
	p->deploys = arena_array(pl->arena, total, sizeof(*p->deploys));
	p->ndeploys = total;
	p->clusters = arena_array(pl->arena, nclusters, sizeof(*p->clusters));
	p->nwaves = r->nwaves;
	p->waves = arena_array(pl->arena, r->nwaves, sizeof(*p->waves));
	for (i = 0; i < r->nwaves; i++) {
		struct wave *w = r->waves[i];
		struct plan_wave *pw = &p->waves[i];

		pw->wave = w;
		pw->clusters = arena_array(pl->arena, w->nclusters,
		    sizeof(*pw->clusters));
		for (j = 0; j < w->nclusters; j++) {
			size_t k = w->clusters[j]->index;
			struct plan_cluster *pc = &p->clusters[p->nclusters];

			if (!pl->count[k])
				continue;
			p->nclusters++;
			pc->cluster = w->clusters[j];
			pc->wave = w;
			pc->nsteps = cluster_steps(pl, k);
			build_cluster(pl, pc, k, base);
			base += pc->ndeploys;
			pw->clusters[pw->nclusters++] = pc;
			pw->ndeploys += pc->ndeploys;
		}
	}
	assert(base == total && p->nclusters == nclusters);
}

/* True when clusters x and y run the same services. */
static bool
same_services(struct planner *pl, size_t x, size_t y)
{
	return pl->count[x] == pl->count[y] && memcmp(pl->by_index[x],
	    pl->by_index[y], pl->count[x] * sizeof(struct service *)) == 0;
}

/* Groups the clusters by the services they run, in plan order. */
static void
build_shapes(struct planner *pl)
{
	struct plan *p = pl->p;
	size_t cap = 16, i, nshapes = 0;
	struct shape **table;

	while (cap < p->nclusters * 2)
		cap *= 2;
	table = xmalloc_array(cap, sizeof(*table));
	memset(table, 0, cap * sizeof(*table));
	p->shapes = arena_array(pl->arena, p->nclusters, sizeof(*p->shapes));
	for (i = 0; i < p->nclusters; i++) {
		struct plan_cluster *pc = &p->clusters[i];
		size_t k = pc->cluster->index;
		uint64_t h = hash_bytes(pl->by_index[k], pl->count[k] *
		    sizeof(struct service *), 0);
		size_t slot = h & (cap - 1);
		struct shape *sh;

		while ((sh = table[slot]) &&
		    !same_services(pl, sh->first->cluster->index, k))
			slot = (slot + 1) & (cap - 1);
		if (!sh) {
			sh = table[slot] = arena_alloc(pl->arena, sizeof(*sh));
			sh->index = nshapes;
			sh->first = pc;
			sh->nsteps = pc->nsteps;
			sh->split_steps = pc->nsteps;
			p->shapes[nshapes++] = sh;
		}
		sh->nclusters++;
		pc->shape = sh;
	}
	p->nshapes = nshapes;
	free(table);
}

static int
cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return (x > y) - (x < y);
}

/* The earlier chunks that hold needs of chunk c's deploys, ascending;
 * seen is scratch, indexed by chunk, holding the last chunk that saw it. */
static void
chunk_deps(struct planner *pl, struct plan_cluster *pc, struct chunk *ch,
    size_t c, size_t *seen, size_t *deps)
{
	size_t from = pc->deploys[0]->index, nd = 0, i, j;

	for (i = ch->start; i < ch->start + ch->count; i++) {
		struct deploy *d = pc->deploys[i];

		for (j = 0; j < d->nneeds; j++) {
			size_t dc = (d->needs[j]->index - from) / ARGO_MAX_TASKS;

			if (dc != c && seen[dc] != c) {
				seen[dc] = c;
				deps[nd++] = dc;
			}
		}
	}
	qsort(deps, nd, sizeof(*deps), cmp_size);
	ch->ndeps = nd;
	ch->deps = arena_array(pl->arena, nd, sizeof(*ch->deps));
	if (nd)
		memcpy(ch->deps, deps, nd * sizeof(*deps));
}

/*
 * The step each deploy of chunk c reaches once the chunk waits for the
 * whole of the chunks it depends on; returns the chunk's last step.
 */
static int
chunk_levels(struct plan_cluster *pc, const struct chunk *ch, int *level,
    const int *chunk_end)
{
	size_t from = pc->deploys[0]->index, i, j;
	int base = 0, end;

	for (j = 0; j < ch->ndeps; j++)
		if (chunk_end[ch->deps[j]] > base)
			base = chunk_end[ch->deps[j]];
	end = base;
	for (i = ch->start; i < ch->start + ch->count; i++) {
		struct deploy *d = pc->deploys[i];
		int lv = base + 1;

		for (j = 0; j < d->nneeds; j++) {
			size_t at = d->needs[j]->index - from;

			if (at >= ch->start && level[at] + 1 > lv)
				lv = level[at] + 1;
		}
		level[i] = lv;
		if (lv > end)
			end = lv;
	}
	return end;
}

/*
 * Cuts a shape of more than ARGO_MAX_TASKS deploys into chunks of
 * consecutive deploys (by step, so needs point backwards), notes which
 * earlier chunks each waits for, and how long the longest chain becomes
 * when a chunk waits for the whole of those.
 */
static void
split_shape(struct planner *pl, struct shape *sh)
{
	struct plan_cluster *pc = sh->first;
	size_t n = pc->ndeploys, nchunks, c;
	size_t *seen, *deps;
	int *level, *chunk_end;

	if (n <= ARGO_MAX_TASKS)
		return;
	nchunks = (n + ARGO_MAX_TASKS - 1) / ARGO_MAX_TASKS;
	sh->nchunks = nchunks;
	sh->chunks = arena_array(pl->arena, nchunks, sizeof(*sh->chunks));
	seen = xmalloc_array(nchunks, sizeof(*seen));
	deps = xmalloc_array(nchunks, sizeof(*deps));
	level = xmalloc_array(n, sizeof(*level));
	chunk_end = xmalloc_array(nchunks, sizeof(*chunk_end));
	sh->split_steps = 0;
	for (c = 0; c < nchunks; c++)
		seen[c] = (size_t)-1;
	for (c = 0; c < nchunks; c++) {
		struct chunk *ch = &sh->chunks[c];

		ch->start = c * ARGO_MAX_TASKS;
		ch->count = n - ch->start < ARGO_MAX_TASKS ?
		    n - ch->start : ARGO_MAX_TASKS;
		chunk_deps(pl, pc, ch, c, seen, deps);
		chunk_end[c] = chunk_levels(pc, ch, level, chunk_end);
		if (chunk_end[c] > sh->split_steps)
			sh->split_steps = chunk_end[c];
	}
	free(seen);
	free(deps);
	free(level);
	free(chunk_end);
}

/* The longest chain: from the last step of the first cluster that has the
 * most steps, back through a need one step earlier each time. */
static void
find_chain(struct planner *pl)
{
	struct plan *p = pl->p;
	struct plan_cluster *best = NULL;
	struct deploy *d;
	size_t i, j, n;

	for (i = 0; i < p->nclusters; i++) {
		if (!best || p->clusters[i].nsteps > best->nsteps)
			best = &p->clusters[i];
		if (p->clusters[i].shape->split_steps > p->split_steps)
			p->split_steps = p->clusters[i].shape->split_steps;
	}
	if (!best)
		return;
	n = (size_t)best->nsteps;
	p->chain = arena_array(pl->arena, n, sizeof(*p->chain));
	p->nchain = n;
	for (i = 0; i < best->ndeploys; i++)
		if (best->deploys[i]->step == best->nsteps)
			break;
	d = best->deploys[i];
	for (i = n; i-- > 0;) {
		p->chain[i] = d;
		for (j = 0; j < d->nneeds; j++)
			if (d->needs[j]->step == d->step - 1)
				break;
		if (j < d->nneeds)
			d = d->needs[j];
	}
}

/* Marks each deploy of a split shape's clusters with its chunk. */
static void
mark_chunks(struct plan *p)
{
	size_t i, j;

	for (i = 0; i < p->nclusters; i++) {
		struct plan_cluster *pc = &p->clusters[i];

		if (pc->shape->nchunks > 1)
			for (j = 0; j < pc->ndeploys; j++)
				pc->deploys[j]->chunk = j / ARGO_MAX_TASKS;
	}
}

/* Each deploy's finish from its cluster's start, each cluster's longest
 * chain of `takes` and the deploy that ends it (the first such).  Deploys
 * are by step, so what one waits for is done before it. */
static void
cluster_estimates(struct plan *p)
{
	size_t i, j, k;

	for (i = 0; i < p->nclusters; i++) {
		struct plan_cluster *pc = &p->clusters[i];

		pc->takes = 0;
		pc->last = NULL;
		for (j = 0; j < pc->ndeploys; j++) {
			struct deploy *d = pc->deploys[j];
			long before = 0;

			for (k = 0; k < d->nneeds; k++)
				if (d->needs[k]->finish > before)
					before = d->needs[k]->finish;
			d->finish = before + d->service->takes;
			if (!pc->last || d->finish > pc->takes) {
				pc->takes = d->finish;
				pc->last = d;
			}
		}
	}
}

/* Sifts the min-heap h[0..n) down from i. */
static void
heap_down(long *h, size_t n, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, m = i;
		long t;

		if (l < n && h[l] < h[m])
			m = l;
		if (l + 1 < n && h[l + 1] < h[m])
			m = l + 1;
		if (m == i)
			return;
		t = h[i];
		h[i] = h[m];
		h[m] = t;
		i = m;
	}
}

/* Pushes v onto the min-heap h[0..n). */
static void
heap_push(long *h, size_t n, long v)
{
	size_t i = n;

	h[i] = v;
	while (i > 0 && h[(i - 1) / 2] > h[i]) {
		long t = h[i];

		h[i] = h[(i - 1) / 2];
		h[(i - 1) / 2] = t;
		i = (i - 1) / 2;
	}
}

/*
 * A wave's estimate: its clusters start in plan order whenever fewer than
 * `parallel` are in flight (a min-heap of the finish times of those in
 * flight), it is deployed when the last is done, then it soaks; an
 * approval counts as zero.
 */
static void
wave_estimate(struct plan_wave *pw)
{
	size_t n = pw->nclusters, slots, held = 0, i;
	long *heap, end = 0;

	slots = pw->wave->parallel > 0 && (size_t)pw->wave->parallel < n ?
	    (size_t)pw->wave->parallel : n;
	heap = xmalloc_array(slots + 1, sizeof(*heap));
	pw->slowest = NULL;
	for (i = 0; i < n; i++) {
		struct plan_cluster *pc = pw->clusters[i];

		pc->start = 0;
		if (held == slots) {
			/* the first to finish frees its slot */
			pc->start = heap[0];
			heap[0] = heap[--held];
			heap_down(heap, held, 0);
		}
		heap_push(heap, held++, pc->start + pc->takes);
		if (!pw->slowest || pc->start + pc->takes > end) {
			end = pc->start + pc->takes;
			pw->slowest = pc;
		}
	}
	free(heap);
	pw->deploying = end;
	pw->estimate = end + pw->wave->soak;
}

/* The need of d that ends last (the first such), or NULL. */
static const struct deploy *
latest_need(const struct deploy *d)
{
	const struct deploy *best = NULL;
	size_t k;

	for (k = 0; k < d->nneeds; k++)
		if (!best || d->needs[k]->finish > best->finish)
			best = d->needs[k];
	return best;
}

/* Adds one step of the critical path when into is not NULL; counts it. */
static size_t
critical_add(struct plan_step *into, size_t n, enum plan_step_kind kind,
    const struct plan_wave *pw, const struct deploy *d, long start,
    long seconds)
{
	if (into) {
		into[n].kind = kind;
		into[n].wave = pw;
		into[n].deploy = d;
		into[n].start = start;
		into[n].seconds = seconds;
	}
	return n + 1;
}

/* The critical path (counted when into is NULL): for each wave, the
 * longest chain of its slowest cluster, then its soak and approval. */
static size_t
critical_path(const struct plan *p, struct plan_step *into)
{
	size_t i, n = 0;

	for (i = 0; i < p->nwaves; i++) {
		const struct plan_wave *pw = &p->waves[i];
		const struct deploy *d;
		size_t len = 0, k;

		if (pw->slowest) {
			for (d = pw->slowest->last; d; d = latest_need(d))
				len++;
			/* filled last to first */
			k = n + len;
			for (d = pw->slowest->last; d; d = latest_need(d)) {
				k--;
				if (into)
					critical_add(into, k, PLAN_STEP_DEPLOY,
					    pw, d, pw->start +
					    pw->slowest->start + d->finish -
					    d->service->takes,
					    d->service->takes);
			}
			n += len;
		}
		if (pw->wave->soak)
			n = critical_add(into, n, PLAN_STEP_SOAK, pw, NULL,
			    pw->start + pw->deploying, pw->wave->soak);
		if (pw->wave->approve)
			n = critical_add(into, n, PLAN_STEP_APPROVE, pw, NULL,
			    pw->start + pw->estimate, 0);
	}
	return n;
}

/* The estimates of every cluster, wave and the release, and the critical
 * path that decides them. */
static void
build_estimate(struct planner *pl)
{
	struct plan *p = pl->p;
	size_t i;

	cluster_estimates(p);
	p->estimate = 0;
	p->napprovals = 0;
	for (i = 0; i < p->nwaves; i++) {
		wave_estimate(&p->waves[i]);
		p->waves[i].start = p->estimate;
		p->estimate += p->waves[i].estimate;
		p->napprovals += p->waves[i].wave->approve;
	}
	p->ncritical = critical_path(p, NULL);
	p->critical = arena_array(pl->arena, p->ncritical,
	    sizeof(*p->critical));
	critical_path(p, p->critical);
}

struct plan *
plan_build(struct arena *a, struct rollout *r)
{
	struct planner pl = { 0 };
	struct service **topo;
	size_t n = r->nservices + 1, i;

	pl.arena = a;
	pl.r = r;
	pl.p = arena_alloc(a, sizeof(*pl.p));
	pl.p->rollout = r;
	pl.step = xmalloc_array(n, sizeof(*pl.step));
	pl.where = xmalloc_array(n, sizeof(*pl.where));
	pl.first_local = xmalloc_array(n, sizeof(*pl.first_local));
	pl.nlocal = xmalloc_array(n, sizeof(*pl.nlocal));
	local_needs(&pl);
	topo = topo_order(r);
	cluster_services(&pl, topo);
	free(topo);
	build_waves(&pl);
	build_shapes(&pl);
	for (i = 0; i < pl.p->nshapes; i++)
		split_shape(&pl, pl.p->shapes[i]);
	mark_chunks(pl.p);
	find_chain(&pl);
	build_estimate(&pl);
	for (i = 0; i < r->nclusters; i++) {
		free(pl.by_topo[i]);
		free(pl.by_index[i]);
	}
	free(pl.count);
	free(pl.step);
	free(pl.where);
	free(pl.first_local);
	free(pl.nlocal);
	free(pl.local);
	free(pl.local_start);
	return pl.p;
}
