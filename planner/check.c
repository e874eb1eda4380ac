/*
 * check.c: from declarations to the checked model.  It gathers the
 * declarations of every file in order (an import's declarations stand where
 * the import does), gives each name its object, resolves `in` and `needs`,
 * places each cluster in its first wave, and reports every error and
 * warning of the spec, going on to the end so one run shows them all.
 * A name whose declaration was broken by a syntax error is not reported
 * again, so one mistake gives one error.
 */
#include <stdlib.h>
#include <string.h>

#include "syntax.h"

/*
 * Declared names for "did you mean", bucketed by length: a name within the
 * edit limit differs in length by at most the limit, so only those buckets
 * are searched.
 */
struct hints {
	struct vec words;	/* struct word *, in declaration order */
	size_t *by_length;	/* indexes into words, by length, then order */
	size_t start[MAX_NAME + 2];	/* bucket n: by_length[start[n] ..
					 * start[n + 1]) */
	size_t indexed;		/* words.n when by_length was built */
};

struct checker {
	struct arena *arena;
	struct diag *diag;
	struct rollout *r;
	struct map groups, clusters, services, waves;
	struct map broken_names;	/* names of broken declarations */
	struct vec decls;		/* every declaration, in order */
	struct hints place_hints;	/* groups and clusters */
	struct hints service_hints;	/* services */
	bool some_group_broken;
	bool some_wave_broken;
	bool some_import_failed;
	bool some_decl_broken;
	struct decl *rollout_decl;
	struct source *root;
	unsigned *need_mark;	/* by service: the stamp of the last needer */
	size_t deploys;		/* services times their clusters */
	bool skipped_group;	/* resolve_in passed over a group for a wave */
	unsigned char *shares;	/* by wave: names a cluster an earlier wave
				 * owns, so moving it changes who owns what */
	struct vec typos;	/* struct typo *, in the order found */
	struct typo **typo_of;	/* by cluster: its first typo pair, or NULL */
	struct word **retaken_at;	/* by cluster: where a later wave names
					 * it itself, or NULL */
	struct wave **retaken_by;	/* by cluster: that later wave */
};

/* Two cluster names one slip apart: typo is the one named in fewer
 * places (the later declared among equals). */
struct typo {
	struct cluster *typo, *meant;
	size_t at, len;		/* the part of typo's name with the slip */
	bool whole;		/* the names differ in the slip alone */
	bool explained;		/* an error already said it */
};

/* The longest Go duration, in seconds: Argo reads soaks as those, and
 * deploy-timeout is held to the same limit. */
#define MAX_DURATION (2562047L * 3600)

/* A soak longer than a week is most likely a slip (8d for 8h). */
#define SOAK_WEEK (7L * 24 * 3600)

/* A plan must stay small enough to build and to read. */
static void
check_size(struct checker *c)
{
	const struct rollout *r = c->r;
	struct loc top = { c->root, 1, 1, 1 };

	if (c->deploys <= MAX_DEPLOYS)
		return;
	diag_error(c->diag, c->rollout_decl ? r->loc : top, "the rollout "
	    "has %zu deploys, more than %d", c->deploys, MAX_DEPLOYS);
	diag_help(c->diag, "split it into several rollouts, by region say");
}

/* Notes what a declaration broken by a syntax error may explain. */
static void
note_broken(struct checker *c, struct decl *d)
{
	c->some_decl_broken = true;
	if (d->name.text)
		map_put(&c->broken_names, d->name.text, d);
	if (d->kind == DECL_GROUP)
		c->some_group_broken = true;
	if (d->kind == DECL_WAVE)
		c->some_wave_broken = true;
}

/*
 * Collects the declarations of the program in order, each import's where
 * the import stands, and each file once.  A stack of files stands for the
 * recursion, so the depth of imports costs no C stack.
 */
static void
walk_program(struct checker *c, struct program *prog)
{
	struct { struct file *f; size_t next; } *stack;
	bool *walked = xmalloc_array(prog->nfiles, sizeof(*walked));
	size_t i, depth = 1;

	for (i = 0; i < prog->nfiles; i++) {
		prog->files[i]->index = i;
		walked[i] = false;
	}
	stack = xmalloc_array(prog->nfiles, sizeof(*stack));
	stack[0].f = prog->files[0];
	stack[0].next = 0;
	walked[0] = true;
	while (depth > 0) {
		struct file *f = stack[depth - 1].f;
		struct decl *d;

		if (stack[depth - 1].next == f->ndecls) {
			depth--;
			continue;
		}
		d = f->decls[stack[depth - 1].next++];
		if (d->broken)
			note_broken(c, d);
		if (d->kind != DECL_IMPORT) {
			vec_push(&c->decls, d);
		} else if (!d->file) {
			c->some_import_failed = true;
		} else if (!walked[d->file->index]) {
			walked[d->file->index] = true;
			stack[depth].f = d->file;
			stack[depth].next = 0;
			depth++;
		}
	}
	free(stack);
	free(walked);
}

/*
 * The search for "did you mean" is bounded, so that a rollout of hundreds
 * of thousands of long names that differ by a character or two cannot make
 * each unknown name cost seconds: one lookup looks at SUGGEST_LOOKS names at
 * most, and computes the edit distance of SUGGEST_DISTANCES of them at
 * most (the others are set aside by a cheaper bound first).  Far above a
 * real fleet's names of about one length; past them a close name may be
 * missed, never a wrong one given.
 */
#define SUGGEST_LOOKS 20000
#define SUGGEST_DISTANCES 2000

static void
hints_add(struct hints *h, struct word *w)
{
	vec_push(&h->words, w);
}

/* Sorts the names by length (counting sort, stable), once they are all
 * declared. */
static void
hints_index(struct hints *h)
{
	size_t next[MAX_NAME + 2] = { 0 }, i, n;

	if (h->by_length && h->indexed == h->words.n)
		return;
	free(h->by_length);
	h->by_length = xmalloc_array(h->words.n + 1, sizeof(*h->by_length));
	memset(h->start, 0, sizeof(h->start));
	for (i = 0; i < h->words.n; i++) {
		n = strlen(((struct word *)h->words.items[i])->text);
		h->start[(n > MAX_NAME ? MAX_NAME : n) + 1]++;
	}
	for (n = 1; n <= MAX_NAME + 1; n++)
		h->start[n] += h->start[n - 1];
	memcpy(next, h->start, sizeof(next));
	for (i = 0; i < h->words.n; i++) {
		n = strlen(((struct word *)h->words.items[i])->text);
		h->by_length[next[n > MAX_NAME ? MAX_NAME : n]++] = i;
	}
	h->indexed = h->words.n;
}

static void
hints_free(struct hints *h)
{
	vec_free(&h->words);
	free(h->by_length);
}

/*
 * A lower bound of the edit distance of name (len letters, counted by
 * letter in count) and other, from their letters alone: an edit removes at
 * most one letter and adds at most one, so the distance is at least the
 * letters of either that the other lacks, repeats counted.  count is left
 * as it was found.
 */
static int
letter_distance(int count[256], size_t len, const char *other)
{
	const unsigned char *o = (const unsigned char *)other;
	size_t i, extra = 0, lacks;

	for (i = 0; o[i]; i++)
		if (count[o[i]]-- <= 0)
			extra++;	/* a letter name lacks */
	while (i-- > 0)
		count[o[i]]++;
	/* the letters of name that other lacks: those not matched */
	lacks = len - (strlen(other) - extra);
	return (int)(extra > lacks ? extra : lacks);
}

/*
 * The closest declared name to name: the least edit distance within the
 * limit, the first declared among equals; NULL when none is close.  Only
 * names within the limit in length are looked at, the nearest lengths
 * first, and only those that the letters show may win get their edit
 * distance computed.
 */
static const char *
closest(struct hints *h, const char *name, struct loc **where)
{
	size_t len = strlen(name), looks = 0, distances = 0, best_index = 0;
	int limit = len < 4 ? 1 : 2, best = limit + 1, count[256] = { 0 };
	const unsigned char *u = (const unsigned char *)name;
	size_t i, k;
	int d;

	if (len > MAX_NAME)
		return NULL;
	hints_index(h);
	for (i = 0; u[i]; i++)
		count[u[i]]++;
	/* the lengths len, len - 1, len + 1, len - 2, len + 2 */
	for (d = 0; d <= 2 * limit; d++) {
		long n = (long)len + (d % 2 ? -(d + 1) / 2 : d / 2);

		if (n < 1 || n > MAX_NAME)
			continue;
		for (k = h->start[n]; k < h->start[n + 1]; k++) {
			size_t index = h->by_length[k];
			struct word *w = h->words.items[index];
			/* a name wins when it is closer than the best so
			 * far, or as close and declared earlier */
			int need = best <= limit && index < best_index ?
			    best : best - 1, dist;

			if (looks++ == SUGGEST_LOOKS ||
			    distances == SUGGEST_DISTANCES)
				goto done;
			if (letter_distance(count, len, w->text) > need)
				continue;
			distances++;
			dist = edit_distance(name, w->text, need);
			if (dist <= need) {
				best = dist;
				best_index = index;
			}
		}
	}
done:
	if (best > limit)
		return NULL;
	*where = &((struct word *)h->words.items[best_index])->loc;
	return ((struct word *)h->words.items[best_index])->text;
}

static void
suggest(struct checker *c, struct hints *h, const char *name)
{
	struct loc *where = NULL;
	const char *near;

	/* past the error limit nobody sees it: skip the search */
	if (c->diag->muted)
		return;
	near = closest(h, name, &where);
	if (near)
		diag_help(c->diag, "did you mean '%s'? (declared at %s)", near,
		    loc_str(c->arena, *where));
}

/* Reports a second declaration of a name. */
static void
duplicate(struct checker *c, const char *what, struct word w,
    struct loc first)
{
	diag_error(c->diag, w.loc, "duplicate %s '%s'", what, w.text);
	diag_note(c->diag, first, "'%s' is first declared here", w.text);
}

/*
 * A string that goes into the Workflow verbatim (a version, an image, a
 * registry, a notify channel) may not hold "{{": Argo would read it as the
 * start of an expression and evaluate it ("{{inputs.parameters.x}}",
 * "{{=sprig.env('HOME')}}").  The caret is under the "{{" as written, or
 * under the string if it is not found there.
 */
static void
check_no_expression(struct checker *c, const struct attr *a)
{
	struct loc at = a->val;
	const char *line, *hit;
	int len;

	if (!a->str || !strstr(a->str, "{{"))
		return;
	line = source_line(a->val.src, a->val.line, &len);
	if (a->val.col >= 1 && a->val.col - 1 + a->val.len <= len) {
		const char *from = line + a->val.col - 1;
		const char *to = from + a->val.len;

		for (hit = from; hit + 1 < to; hit++)
			if (hit[0] == '{' && hit[1] == '{')
				break;
		if (hit + 1 < to) {
			at.col = (int)(hit - line) + 1;
			at.len = 2;
		}
	}
	diag_error(c->diag, at, "'{{' in %s: Argo would evaluate '{{...}}' "
	    "as an expression", attr_words[a->kind]);
	diag_help(c->diag, "the string goes into the Workflow as written, "
	    "where '{{' starts an expression; write it without '{{'");
}

/* Each non-list attribute at most once in a block; a version or an image
 * is never empty (the Workflow would name no image), and no string holds
 * what Argo would evaluate. */
static void
check_attrs_once(struct checker *c, struct decl *d)
{
	struct attr *seen[NATTRS] = { 0 };
	size_t i;

	for (i = 0; i < d->nattrs; i++) {
		struct attr *a = d->attrs[i];

		if ((a->kind == ATTR_VERSION || a->kind == ATTR_IMAGE) &&
		    a->str && !*a->str)
			diag_error(c->diag, a->val, "empty %s",
			    attr_words[a->kind]);
		if (a->kind == ATTR_VERSION || a->kind == ATTR_IMAGE ||
		    a->kind == ATTR_REGISTRY || a->kind == ATTR_NOTIFY)
			check_no_expression(c, a);
		if (a->kind == ATTR_IN || a->kind == ATTR_NEEDS)
			continue;
		if (!seen[a->kind]) {
			seen[a->kind] = a;
			continue;
		}
		diag_error(c->diag, a->loc, "'%s' is given twice",
		    attr_words[a->kind]);
		diag_note(c->diag, seen[a->kind]->loc, "first given here");
	}
}

/* The first value of a non-list attribute, or NULL. */
static struct attr *
find_attr(struct decl *d, enum attr_kind kind)
{
	struct attr *found = NULL;
	size_t i;

	for (i = 0; i < d->nattrs; i++)
		if (d->attrs[i]->kind == kind && !found)
			found = d->attrs[i];
	return found;
}

/* A duration attribute's value, in seconds: 0 when it is invalid
 * (reported by the parser) or too long for Argo (reported here). */
static long
duration_value(struct checker *c, const struct attr *a)
{
	if (a->num <= MAX_DURATION)
		return a->num > 0 ? a->num : 0;
	diag_error(c->diag, a->val, "%s '%s' is longer than Argo can wait",
	    attr_words[a->kind], a->str);
	diag_help(c->diag, "a Go duration is at most %ldh (about 292 years)",
	    MAX_DURATION / 3600);
	return 0;
}

/* deploy-timeout: at least 1s; zero would fail every deploy at once. */
static void
collect_deploy_timeout(struct checker *c, struct rollout *r,
    const struct attr *a)
{
	const char *kw = attr_words[ATTR_DEPLOY_TIMEOUT];

	if (a->num == 0) {
		diag_error(c->diag, a->val, "'%s %s' would fail every deploy",
		    kw, a->str);
		diag_help(c->diag, "give at least 1s, or leave '%s' out for "
		    "the default, 30m", kw);
		return;
	}
	r->deploy_timeout = duration_value(c, a);
	if (r->deploy_timeout > 0)
		r->deploy_timeout_text = a->str;
}

/* takes: how long one deploy is expected to take, at least 1s; zero would
 * make the estimate a promise no deploy keeps.  0 when not usable. */
static long
takes_value(struct checker *c, const struct attr *a)
{
	const char *kw = attr_words[ATTR_TAKES];

	if (a->num == 0) {
		diag_error(c->diag, a->val, "'%s %s' would estimate a deploy "
		    "at no time", kw, a->str);
		diag_help(c->diag, "give at least 1s, or leave '%s' out for "
		    "the default, 5m", kw);
		return 0;
	}
	return duration_value(c, a);
}

/* rollout = "rollout" name [ block ]: exactly one, in the root file */
static void
collect_rollout(struct checker *c, struct decl *d)
{
	struct rollout *r = c->r;
	struct attr *a;

	if (d->src != c->root) {
		diag_error(c->diag, d->loc, "'%s' in an imported file",
		    decl_words[DECL_ROLLOUT]);
		diag_help(c->diag, "declare the rollout in the file named on "
		    "the command line (%s)", c->root->path);
		return;
	}
	if (c->rollout_decl) {
		diag_error(c->diag, d->loc, "a second rollout declaration");
		diag_note(c->diag, c->rollout_decl->loc, "the first rollout "
		    "is declared here");
		return;
	}
	c->rollout_decl = d;
	r->name = d->name.text;
	r->loc = d->name.loc;
	check_attrs_once(c, d);
	if ((a = find_attr(d, ATTR_VERSION)))
		r->version = a->str;
	if ((a = find_attr(d, ATTR_REGISTRY)))
		r->registry = a->str;
	if ((a = find_attr(d, ATTR_NOTIFY)))
		r->notify = a->str;
	if ((a = find_attr(d, ATTR_NAMESPACE)))
		r->namespace = a->names[0].text;
	if ((a = find_attr(d, ATTR_DEPLOY_TEMPLATE)))
		r->deploy_template = a->names[0].text;
	if ((a = find_attr(d, ATTR_DEPLOY_TIMEOUT)))
		collect_deploy_timeout(c, r, a);
	if ((a = find_attr(d, ATTR_SERVICE_ACCOUNT)))
		r->service_account = a->names[0].text;
	if ((a = find_attr(d, ATTR_TAKES)) && (r->takes = takes_value(c, a)))
		r->takes_text = a->str;
	if (!r->takes)
		r->takes = DEFAULT_TAKES;
}

static struct word *
word_new(struct checker *c, const char *text, struct loc loc)
{
	struct word *w = arena_alloc(c->arena, sizeof(*w));

	w->text = text;
	w->loc = loc;
	return w;
}

/* The cluster a group member names, declared at its first mention; NULL
 * when the name is not a cluster's. */
static struct cluster *
declare_cluster(struct checker *c, struct word *w, struct vec *vclusters)
{
	struct cluster *k;
	struct group *other;

	if (!w->text)
		return NULL;
	if ((other = map_get(&c->groups, w->text))) {
		diag_error(c->diag, w->loc, "'%s' is both a group and a cluster",
		    w->text);
		diag_note(c->diag, other->loc, "'%s' is declared as a group "
		    "here", w->text);
		return NULL;
	}
	if ((k = map_get(&c->clusters, w->text)))
		return k;
	k = arena_alloc(c->arena, sizeof(*k));
	k->name = w->text;
	k->loc = w->loc;
	k->index = vclusters->n;
	map_put(&c->clusters, k->name, k);
	vec_push(vclusters, k);
	hints_add(&c->place_hints, word_new(c, k->name, k->loc));
	return k;
}

/* A group declares its clusters; groups and clusters share one namespace,
 * and the later of two places that declare a name is the error. */
static void
collect_group(struct checker *c, struct decl *d, struct vec *vgroups,
    struct vec *vclusters)
{
	struct group *g, *prev;
	struct vec members = { 0 };
	struct map listed = { 0 };	/* its clusters, by name: each once */
	size_t i;

	if (!d->name.text)
		return;
	if ((prev = map_get(&c->groups, d->name.text))) {
		duplicate(c, "group", d->name, prev->loc);
		return;
	}
	if (map_get(&c->clusters, d->name.text)) {
		struct cluster *k = map_get(&c->clusters, d->name.text);

		diag_error(c->diag, d->name.loc, "'%s' is both a group and a "
		    "cluster", d->name.text);
		diag_note(c->diag, k->loc, "'%s' is declared as a cluster here",
		    d->name.text);
		return;
	}
	g = arena_alloc(c->arena, sizeof(*g));
	g->name = d->name.text;
	g->loc = d->name.loc;
	map_put(&c->groups, g->name, g);
	vec_push(vgroups, g);
	hints_add(&c->place_hints, word_new(c, g->name, g->loc));
	for (i = 0; i < d->nmembers; i++) {
		struct cluster *k = declare_cluster(c, &d->members[i],
		    vclusters);

		if (!k || map_get(&listed, k->name))
			continue;
		map_put(&listed, k->name, k);
		vec_push(&members, k);
	}
	map_free(&listed);
	g->nclusters = members.n;
	g->clusters = (struct cluster **)vec_to_arena(&members, c->arena);
}

/* A name that cannot be found, unless a broken declaration explains it. */
static bool
excused(struct checker *c, const char *name)
{
	/* an import that could not be read declared names we never saw */
	return c->some_import_failed ||
	    map_get(&c->broken_names, name) != NULL;
}

/*
 * Resolves an `in` list into clusters, each once, appended to out (only
 * counted when out is NULL); returns how many.  mark is a scratch array
 * indexed by cluster, stamp a fresh value.  For a wave, a group whose
 * clusters all have a wave already is passed over: 2,000 waves `in` one
 * big group cost 2,000 copies of it.
 */
static size_t
resolve_in(struct checker *c, struct decl *d, struct vec *out,
    unsigned *mark, unsigned stamp, bool for_wave)
{
	size_t i, j, k, n = 0;

	for (i = 0; i < d->nattrs; i++) {
		struct attr *a = d->attrs[i];

		if (a->kind != ATTR_IN)
			continue;
		for (j = 0; j < a->nnames; j++) {
			struct word *w = &a->names[j];
			struct group *g;
			struct cluster *one;

			if (!w->text)
				continue;
			if ((g = map_get(&c->groups, w->text))) {
				g->used = true;
				if (for_wave && g->in_waves) {
					c->skipped_group = true;
					continue;
				}
				/* the wave takes those that have none */
				g->in_waves |= for_wave;
				for (k = 0; k < g->nclusters; k++) {
					one = g->clusters[k];
					if (mark[one->index] == stamp)
						continue;
					mark[one->index] = stamp;
					n++;
					if (out)
						vec_push(out, one);
				}
			} else if ((one = map_get(&c->clusters, w->text))) {
				if (mark[one->index] != stamp) {
					mark[one->index] = stamp;
					n++;
					if (out)
						vec_push(out, one);
				}
			} else if (!c->some_group_broken &&
			    !excused(c, w->text)) {
				diag_error(c->diag, w->loc, "unknown cluster or "
				    "group '%s'", w->text);
				suggest(c, &c->place_hints, w->text);
			}
		}
	}
	return n;
}

static int
by_cluster_index(const void *a, const void *b)
{
	const struct cluster *x = *(struct cluster *const *)a;
	const struct cluster *y = *(struct cluster *const *)b;

	return (x->index > y->index) - (x->index < y->index);
}

/* Sorts clusters by declaration order; `in` lists mostly name groups in
 * that order already, so check before sorting. */
static void
sort_clusters(struct cluster **k, size_t n)
{
	size_t i;

	for (i = 1; i < n; i++)
		if (k[i - 1]->index > k[i]->index)
			break;
	if (i < n)
		qsort(k, n, sizeof(*k), by_cluster_index);
}

/* "a/b" in the arena. */
static char *
join_path(struct arena *a, const char *dir, const char *name)
{
	size_t nd = strlen(dir), nn = strlen(name);
	char *p = arena_alloc(a, nd + nn + 2);

	memcpy(p, dir, nd);
	p[nd] = '/';
	memcpy(p + nd + 1, name, nn + 1);
	return p;
}

static void
collect_service(struct checker *c, struct decl *d, struct vec *vservices)
{
	struct service *s, *prev;

	check_attrs_once(c, d);
	if (!d->name.text)
		return;
	if ((prev = map_get(&c->services, d->name.text))) {
		duplicate(c, "service", d->name, prev->loc);
		return;
	}
	s = arena_alloc(c->arena, sizeof(*s));
	s->name = d->name.text;
	s->loc = d->name.loc;
	s->index = vservices->n;
	s->decl = d;
	map_put(&c->services, s->name, s);
	vec_push(vservices, s);
	hints_add(&c->service_hints, word_new(c, s->name, s->loc));
}

static void
collect_wave(struct checker *c, struct decl *d, struct vec *vwaves)
{
	struct wave *w, *prev;
	struct attr *a;

	check_attrs_once(c, d);
	if (!d->name.text)
		return;
	if ((prev = map_get(&c->waves, d->name.text))) {
		duplicate(c, "wave", d->name, prev->loc);
		return;
	}
	w = arena_alloc(c->arena, sizeof(*w));
	w->name = d->name.text;
	w->loc = d->name.loc;
	w->index = vwaves->n;
	w->decl = d;
	if ((a = find_attr(d, ATTR_PARALLEL))) {
		if (a->num == 0) {
			diag_error(c->diag, a->val, "'%s 0' would deploy "
			    "nothing", attr_words[a->kind]);
			diag_help(c->diag, "give at least 1, or leave '%s' out "
			    "to deploy every cluster at once",
			    attr_words[a->kind]);
		}
		w->parallel = a->num > 0 ? a->num : 0;
	}
	if ((a = find_attr(d, ATTR_SOAK))) {
		w->soak = duration_value(c, a);
		w->soak_text = w->soak > 0 ? a->str : NULL;
		if (w->soak > SOAK_WEEK) {
			diag_warning(c->diag, a->val, "'%s %s' is longer than "
			    "a week", attr_words[ATTR_SOAK], a->str);
			diag_help(c->diag, "the rollout waits that long after "
			    "wave '%s'; give at most 7d, or write '%s' to wait "
			    "for a person instead", w->name,
			    attr_words[ATTR_APPROVE]);
		}
	}
	w->approve = find_attr(d, ATTR_APPROVE) != NULL;
	if ((a = find_attr(d, ATTR_ON_FAILURE)))
		w->on_failure = (enum on_failure)a->num;
	map_put(&c->waves, w->name, w);
	vec_push(vwaves, w);
}

/* needs: each once, in the order written; unknown names and self-needs are
 * errors.  stamp is fresh: need_mark[b] == stamp once s needs b. */
static void
resolve_needs(struct checker *c, struct service *s, unsigned stamp)
{
	struct vec needs = { 0 }, words = { 0 };
	struct decl *d = s->decl;
	size_t i, j, k;

	for (i = 0; i < d->nattrs; i++) {
		struct attr *a = d->attrs[i];

		if (a->kind != ATTR_NEEDS)
			continue;
		for (j = 0; j < a->nnames; j++) {
			struct word *w = &a->names[j];
			struct service *b;

			if (!w->text)
				continue;
			if (!(b = map_get(&c->services, w->text))) {
				if (excused(c, w->text))
					continue;
				diag_error(c->diag, w->loc, "unknown service "
				    "'%s' in needs", w->text);
				suggest(c, &c->service_hints, w->text);
				continue;
			}
			if (b == s) {
				diag_error(c->diag, w->loc, "service '%s' needs "
				    "itself", s->name);
				continue;
			}
			if (c->need_mark[b->index] == stamp)
				continue;
			c->need_mark[b->index] = stamp;
			vec_push(&needs, b);
			vec_push(&words, w);
		}
	}
	s->nneeds = needs.n;
	s->needs = (struct service **)vec_to_arena(&needs, c->arena);
	s->need_words = arena_array(c->arena, words.n, sizeof(struct word));
	for (k = 0; k < words.n; k++)
		s->need_words[k] = *(struct word *)words.items[k];
	vec_free(&words);
}

static void
resolve_service(struct checker *c, struct service *s, unsigned *mark,
    unsigned stamp)
{
	struct decl *d = s->decl;
	struct rollout *r = c->r;
	struct attr *a;
	struct vec in = { 0 };

	resolve_in(c, d, &in, mark, stamp, false);
	s->nclusters = in.n;
	s->clusters = (struct cluster **)vec_to_arena(&in, c->arena);
	sort_clusters(s->clusters, s->nclusters);
	if (!find_attr(d, ATTR_IN) && !d->broken) {
		diag_error(c->diag, s->loc, "service '%s' has no '%s'",
		    s->name, attr_words[ATTR_IN]);
		diag_help(c->diag, "say where it runs, e.g. '%s us, eu'",
		    attr_words[ATTR_IN]);
	}
	resolve_needs(c, s, stamp);
	a = find_attr(d, ATTR_VERSION);
	s->version = a ? a->str : r->version;
	a = find_attr(d, ATTR_IMAGE);
	if (a)
		s->image = a->str;
	else if (r->registry && *r->registry)
		s->image = join_path(c->arena, r->registry, s->name);
	else
		s->image = s->name;
	a = find_attr(d, ATTR_TAKES);
	if (a && (s->takes = takes_value(c, a)))
		s->takes_text = a->str;
	else
		s->takes = r->takes ? r->takes : DEFAULT_TAKES;
}

/* Each cluster belongs to the first wave whose `in` includes it. */
static void
resolve_wave(struct checker *c, struct wave *w, struct decl *d,
    unsigned *mark, unsigned stamp)
{
	struct cluster **all;
	struct vec in = { 0 }, owned = { 0 };
	size_t i;

	c->skipped_group = false;
	resolve_in(c, d, &in, mark, stamp, true);
	c->shares[w->index] = c->skipped_group;
	all = (struct cluster **)in.items;
	sort_clusters(all, in.n);
	for (i = 0; i < in.n; i++)
		if (!all[i]->wave) {
			all[i]->wave = w;
			vec_push(&owned, all[i]);
		} else {
			c->shares[w->index] = 1;
		}
	vec_free(&in);
	w->nclusters = owned.n;
	w->clusters = (struct cluster **)vec_to_arena(&owned, c->arena);
}

/*
 * Misspelt clusters.  A cluster exists by being named in a group, so a
 * misspelt member is a cluster of its own.  Two names look misspelt one
 * from the other when the letters of one part (between '-'), not the
 * last, of at least TYPO_LETTERS letters, differ by a letter inserted,
 * deleted or changed, or two adjacent letters swapped, and the letters of
 * their other parts but the last are the same.  Digits never count, and
 * the last part may differ (europe-wset4-a is a slip of europe-west1-b),
 * but names that differ only in digits or in their last part never look
 * misspelt (us-central1-a and us-central1-b, europe-west1-b and
 * europe-west4-b, edge-iad and edge-sjc).  Names are bucketed by their
 * letters with the part that may differ put as '*' and the last part left
 * out, and compared only inside a bucket, each with the TYPO_LOOKS names
 * before it at most; past TYPO_PAIRS pairs none are sought.  Linear in the
 * names; past the bounds a slip may be missed, never a wrong one said.
 */
#define TYPO_LETTERS 4
#define TYPO_LOOKS 64
#define TYPO_PAIRS 10000

struct typo_bucket {
	char key[MAX_NAME + 2];	/* the name with its part as '*' */
	size_t part;
	struct vec names;	/* struct cluster *, in declaration order */
	uint16_t *spans;	/* where each one's part is (typo_span), found
				 * once, not at each of TYPO_LOOKS comparisons */
	size_t spans_cap;
};

/* A part's start and length (each at most MAX_NAME) in 16 bits. */
#define typo_span(at, len) ((uint16_t)((at) << 8 | (len)))
#define span_at(s) ((size_t)((s) >> 8))
#define span_len(s) ((size_t)((s) & 0xff))

static bool
is_letter(char ch)
{
	return ch >= 'a' && ch <= 'z';
}

static size_t
count_letters(const char *s, size_t n)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		k += is_letter(s[i]);
	return k;
}

/* The part-th '-'-separated part of name, its start and length; false
 * when the name has no such part or it is its last. */
static bool
name_part(const char *name, size_t part, size_t *at, size_t *len)
{
	size_t start = 0, n = 0;
	const char *dash;

	while ((dash = strchr(name + start, '-'))) {
		if (n++ == part) {
			*at = start;
			*len = (size_t)(dash - name) - start;
			return true;
		}
		start = (size_t)(dash - name) + 1;
	}
	return false;
}

/* True when a[0..na) and b[0..nb) are one slip of a letter apart. */
static bool
one_typo(const char *a, size_t na, const char *b, size_t nb)
{
	size_t p = 0;

	if (na < nb)
		return one_typo(b, nb, a, na);
	if (na - nb > 1 || count_letters(a, na) < TYPO_LETTERS)
		return false;
	while (p < nb && a[p] == b[p])
		p++;
	if (na != nb)	/* a[p] deleted */
		return is_letter(a[p]) && !memcmp(a + p + 1, b + p, nb - p);
	if (p == na)
		return false;
	if (!memcmp(a + p + 1, b + p + 1, na - p - 1))	/* changed */
		return is_letter(a[p]) && is_letter(b[p]);
	return p + 1 < na && a[p] == b[p + 1] && a[p + 1] == b[p] &&
	    is_letter(a[p]) && is_letter(a[p + 1]) &&
	    !memcmp(a + p + 2, b + p + 2, na - p - 2);	/* swapped */
}

/* True when the names of a typo pair differ in the slip alone, so that
 * the name meant is known whole. */
static bool
typo_whole(const struct typo *t)
{
	const char *a = t->typo->name, *b = t->meant->name;
	size_t na = strlen(a), nb = strlen(b), i = 0;

	while (i < na && i < nb && a[i] == b[i])
		i++;
	while (na > i && nb > i && a[na - 1] == b[nb - 1])
		na--, nb--;
	/* what differs lies inside the slip's part, letters only */
	return i >= t->at && na <= t->at + t->len &&
	    count_letters(a + i, na - i) == na - i &&
	    count_letters(b + i, nb - i) == nb - i;
}

/* The letters of s[0..n), digits left out, into out; their number. */
static size_t
letters_of(const char *s, size_t n, char *out)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		if (is_letter(s[i]))
			out[k++] = s[i];
	return k;
}

/* Records x and y (declared later) as a pair when the letters of their
 * part differ by one slip; the typo is the one named in fewer places. */
static void
typo_compare(struct checker *c, struct cluster *x, uint16_t xspan,
    struct cluster *y, uint16_t yspan, const size_t *mentions)
{
	char xs[MAX_NAME + 1], ys[MAX_NAME + 1];
	size_t xa = span_at(xspan), xl = span_len(xspan);
	size_t ya = span_at(yspan), yl = span_len(yspan);
	struct typo *t;

	/* the same part, as most are, is no slip */
	if ((xl == yl && memcmp(x->name + xa, y->name + ya, xl) == 0) ||
	    !one_typo(xs, letters_of(x->name + xa, xl, xs), ys,
	    letters_of(y->name + ya, yl, ys)))
		return;
	t = arena_alloc(c->arena, sizeof(*t));
	t->typo = mentions[x->index] < mentions[y->index] ? x : y;
	t->meant = t->typo == x ? y : x;
	t->at = t->typo == x ? xa : ya;
	t->len = t->typo == x ? xl : yl;
	t->whole = typo_whole(t);
	vec_push(&c->typos, t);
	/* a pair that differs in the slip alone says more than one that
	 * differs in digits or the last part too */
	if (!c->typo_of[x->index] || (t->whole &&
	    !c->typo_of[x->index]->whole))
		c->typo_of[x->index] = t;
	if (!c->typo_of[y->index] || (t->whole &&
	    !c->typo_of[y->index]->whole))
		c->typo_of[y->index] = t;
}

/* How many places name each cluster: group members and `in` names. */
static void
count_mentions(struct checker *c, size_t *mentions)
{
	struct rollout *r = c->r;
	size_t i, j, k;

	memset(mentions, 0, (r->nclusters + 1) * sizeof(*mentions));
	for (i = 0; i < r->ngroups; i++)
		for (j = 0; j < r->groups[i]->nclusters; j++)
			mentions[r->groups[i]->clusters[j]->index]++;
	for (i = 0; i < c->decls.n; i++) {
		struct decl *d = c->decls.items[i];

		if (d->kind != DECL_SERVICE && d->kind != DECL_WAVE)
			continue;
		for (j = 0; j < d->nattrs; j++) {
			struct attr *a = d->attrs[j];

			for (k = 0; a->kind == ATTR_IN && k < a->nnames; k++) {
				struct cluster *x = a->names[k].text ?
				    map_get(&c->clusters, a->names[k].text) :
				    NULL;

				if (x)
					mentions[x->index]++;
			}
		}
	}
}

/* The bucket of a name whose part at [at, at + len) may differ: its
 * letters and dashes, that part as '*', the last part left out. */
static void
typo_key(const char *name, size_t at, size_t len, char *key)
{
	const char *last = strrchr(name, '-');
	size_t i, k = 0;

	for (i = 0; name + i < last; i++) {
		if (i == at) {
			key[k++] = '*';
			i += len - 1;
		} else if (is_letter(name[i]) || name[i] == '-') {
			key[k++] = name[i];
		}
	}
	key[k] = '\0';
}

static void
find_typos(struct checker *c)
{
	struct rollout *r = c->r;
	struct map buckets = { 0 };
	struct vec all = { 0 };
	size_t *mentions = xmalloc_array(r->nclusters + 1, sizeof(*mentions));
	size_t i, j, part, at, len;

	c->typo_of = xmalloc_array(r->nclusters + 1, sizeof(*c->typo_of));
	memset(c->typo_of, 0, (r->nclusters + 1) * sizeof(*c->typo_of));
	count_mentions(c, mentions);
	for (i = 0; i < r->nclusters && c->typos.n < TYPO_PAIRS; i++) {
		struct cluster *k = r->clusters[i];
		size_t nlen = strlen(k->name);

		for (part = 0; nlen <= MAX_NAME &&
		    name_part(k->name, part, &at, &len); part++) {
			struct typo_bucket *b;
			uint16_t span = typo_span(at, len);
			char key[MAX_NAME + 2];

			if (count_letters(k->name + at, len) + 1 < TYPO_LETTERS)
				continue;
			typo_key(k->name, at, len, key);
			if (!(b = map_get(&buckets, key))) {
				b = xmalloc(sizeof(*b));
				memcpy(b->key, key, sizeof(key));
				b->part = part;
				memset(&b->names, 0, sizeof(b->names));
				b->spans = NULL;
				b->spans_cap = 0;
				map_put(&buckets, b->key, b);
				vec_push(&all, b);
			}
			for (j = b->names.n; j > 0 &&
			    b->names.n - j < TYPO_LOOKS; j--)
				typo_compare(c, b->names.items[j - 1],
				    b->spans[j - 1], k, span, mentions);
			vec_push(&b->names, k);
			if (b->names.n > b->spans_cap) {
				b->spans_cap = b->names.cap;
				b->spans = xrealloc_array(b->spans,
				    b->spans_cap, sizeof(*b->spans));
			}
			b->spans[b->names.n - 1] = span;
		}
	}
	for (i = 0; i < all.n; i++) {
		vec_free(&((struct typo_bucket *)all.items[i])->names);
		free(((struct typo_bucket *)all.items[i])->spans);
		free(all.items[i]);
	}
	vec_free(&all);
	map_free(&buckets);
	free(mentions);
}

/* The pairs no error has said: a warning at the typo, a note at the
 * other. */
static void
warn_typos(struct checker *c)
{
	size_t i;

	for (i = 0; i < c->typos.n; i++) {
		struct typo *t = c->typos.items[i];

		if (t->explained || (!t->whole &&
		    (c->typo_of[t->typo->index]->whole ||
		    c->typo_of[t->meant->index]->whole)))
			continue;	/* said, or a closer pair says it */
		if (t->whole)
			diag_warning(c->diag, t->typo->loc, "cluster '%s' "
			    "looks like a misspelling of '%s'", t->typo->name,
			    t->meant->name);
		else
			diag_warning(c->diag, t->typo->loc, "cluster '%s' "
			    "looks misspelt: its '%.*s' is one slip from a "
			    "part of '%s'", t->typo->name, (int)t->len,
			    t->typo->name + t->at, t->meant->name);
		diag_note(c->diag, t->meant->loc, "'%s' is declared here",
		    t->meant->name);
		/* the digits or the last part may differ too: then only
		 * the part is known, not the whole name meant */
		if (t->whole)
			diag_help(c->diag, "a cluster exists by being named in "
			    "a group, so '%s' is a cluster of its own; if you "
			    "meant '%s', write that", t->typo->name,
			    t->meant->name);
		else
			diag_help(c->diag, "a cluster exists by being named in "
			    "a group, so '%s' is a cluster of its own; check "
			    "the spelling of '%.*s' (as in '%s')",
			    t->typo->name, (int)t->len, t->typo->name + t->at,
			    t->meant->name);
	}
}

/* A cluster a wave names itself when an earlier wave took it: it stays
 * in the earlier wave.  Recorded for the wave-order errors; a warning
 * unless the wave is left empty (its own warning says so). */
static void
warn_retaken(struct checker *c)
{
	struct rollout *r = c->r;
	size_t i, j, k;

	c->retaken_at = xmalloc_array(r->nclusters + 1,
	    sizeof(*c->retaken_at));
	c->retaken_by = xmalloc_array(r->nclusters + 1,
	    sizeof(*c->retaken_by));
	memset(c->retaken_at, 0, (r->nclusters + 1) * sizeof(*c->retaken_at));
	for (i = 0; i < r->nwaves; i++) {
		struct wave *w = r->waves[i];

		for (j = 0; j < w->decl->nattrs; j++) {
			struct attr *a = w->decl->attrs[j];

			for (k = 0; a->kind == ATTR_IN && k < a->nnames; k++) {
				struct word *at = &a->names[k];
				struct cluster *x = at->text ?
				    map_get(&c->clusters, at->text) : NULL;

				if (!x || !x->wave || x->wave == w)
					continue;
				if (!c->retaken_at[x->index]) {
					c->retaken_at[x->index] = at;
					c->retaken_by[x->index] = w;
				}
				/* a wave left empty has a warning of its own */
				if (w->nclusters == 0)
					continue;
				diag_warning(c->diag, at->loc, "'%s' is already "
				    "in wave '%s' (a cluster belongs to the "
				    "first wave that names it): wave '%s' will "
				    "not deploy it", x->name, x->wave->name,
				    w->name);
				diag_help(c->diag, "remove '%s' from this '%s'",
				    x->name, attr_words[ATTR_IN]);
			}
		}
	}
}

/* The help of a cluster in no wave: a cluster one slip from one a wave
 * has is likely that one misspelt, and never to be added to a wave. */
static void
help_no_wave(struct checker *c, struct cluster *x)
{
	struct typo *t = c->typo_of[x->index];
	struct cluster *y = t ? (t->typo == x ? t->meant : t->typo) : NULL;

	if (!y || !y->wave) {
		diag_help(c->diag, "add '%s' to the '%s' of a wave", x->name,
		    attr_words[ATTR_IN]);
		return;
	}
	t->explained = true;
	diag_help(c->diag, "'%s' is one letter from '%s' (declared at %s), "
	    "which wave '%s' deploys: if they are one cluster, spell them "
	    "alike", x->name, y->name, loc_str(c->arena, y->loc),
	    y->wave->name);
}

/* Every cluster a service runs in must belong to a wave; the error points
 * at the first `in` name that places a service there. */
static void
check_coverage(struct checker *c, unsigned char *reported)
{
	struct rollout *r = c->r;
	size_t i, j, k, m;

	for (i = 0; i < r->nservices; i++) {
		struct decl *d = r->services[i]->decl;

		for (j = 0; j < d->nattrs; j++) {
			struct attr *a = d->attrs[j];

			if (a->kind != ATTR_IN)
				continue;
			for (k = 0; k < a->nnames; k++) {
				struct word *w = &a->names[k];
				struct group *g = w->text ?
				    map_get(&c->groups, w->text) : NULL;
				struct cluster *one = w->text ?
				    map_get(&c->clusters, w->text) : NULL;
				size_t n = g ? g->nclusters : one ? 1 : 0;

				for (m = 0; m < n; m++) {
					struct cluster *x = g ? g->clusters[m] :
					    one;

					if (x->wave || reported[x->index])
						continue;
					reported[x->index] = 1;
					if (g)
						diag_error(c->diag, w->loc,
						    "cluster '%s' of group "
						    "'%s' is in no wave",
						    x->name, g->name);
					else
						diag_error(c->diag, w->loc,
						    "cluster '%s' is in no "
						    "wave", x->name);
					help_no_wave(c, x);
				}
			}
		}
	}
}

/* The services of a long cycle that are named; the others are counted. */
#define CYCLE_SHOWN 16

/* Reports the cycle stack[from..top] -> stack[from], starting it at its
 * first-declared service: the whole cycle with a note at each other needs,
 * or, past CYCLE_SHOWN services, its first ones and a count of the rest. */
static void
report_cycle(struct checker *c, struct service **stack, size_t *edge,
    size_t from, size_t top)
{
	size_t len = top - from + 1, start = from, shown, i;
	struct buf path = { 0 };

	/* past the error limit nobody sees it: not even its start is sought
	 * (the error still counts, for the notice that errors were left) */
	if (diag_full(c->diag)) {
		diag_error(c->diag, stack[from]->need_words[edge[from]].loc,
		    "cycle of needs");
		return;
	}
	for (i = from; i <= top; i++)
		if (stack[i]->index < stack[start]->index)
			start = i;
	shown = len > CYCLE_SHOWN ? CYCLE_SHOWN : len;
	for (i = 0; i < shown; i++) {
		buf_puts(&path, stack[from + (start - from + i) % len]->name);
		buf_puts(&path, " -> ");
	}
	if (shown < len)
		buf_printf(&path, "(%zu more) -> ", len - shown);
	buf_puts(&path, stack[start]->name);
	diag_error(c->diag, stack[start]->need_words[edge[start]].loc,
	    "cycle of needs: %s", path.data);
	for (i = 1; i < shown; i++) {
		size_t at = from + (start - from + i) % len;
		struct service *s = stack[at];
		struct word *w = &s->need_words[edge[at]];

		diag_note(c->diag, w->loc, "'%s' needs '%s' here", s->name,
		    w->text);
	}
	if (shown < len)
		diag_help(c->diag, "the cycle has %zu services; the first %d "
		    "are shown", len, CYCLE_SHOWN);
	buf_free(&path);
}

/* Depth-first search without recursion; every back edge is a cycle. */
static void
check_cycles(struct checker *c)
{
	struct rollout *r = c->r;
	size_t n = r->nservices, i, top;
	unsigned char *state = xmalloc(n ? n : 1);
	size_t *pos = xmalloc_array(n ? n : 1, sizeof(*pos));
	size_t *edge = xmalloc_array(n ? n : 1, sizeof(*edge));
	struct service **stack = xmalloc_array(n ? n : 1, sizeof(*stack));

	memset(state, 0, n);
	for (i = 0; i < n; i++) {
		if (state[i])
			continue;
		top = 0;
		stack[0] = r->services[i];
		edge[0] = 0;
		state[i] = 1;
		pos[i] = 0;
		for (;;) {
			struct service *s = stack[top];

			if (edge[top] == s->nneeds) {
				state[s->index] = 2;
				if (top-- == 0)
					break;
				edge[top]++;
				continue;
			}
			struct service *b = s->needs[edge[top]];

			if (state[b->index] == 1)
				report_cycle(c, stack, edge, pos[b->index],
				    top);
			if (state[b->index]) {
				edge[top]++;
				continue;
			}
			state[b->index] = 1;
			pos[b->index] = ++top;
			stack[top] = b;
			edge[top] = 0;
		}
	}
	free(state);
	free(pos);
	free(edge);
	free(stack);
}

static bool
runs_in(const struct service *s, const struct cluster *k)
{
	size_t lo = 0, hi = s->nclusters;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (s->clusters[mid]->index < k->index)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < s->nclusters && s->clusters[lo] == k;
}

/* The cluster of s in the latest wave, or NULL if one has no wave. */
static struct cluster *
last_cluster(const struct service *s)
{
	struct cluster *last = NULL;
	size_t i;

	for (i = 0; i < s->nclusters; i++) {
		if (!s->clusters[i]->wave)
			return NULL;
		if (!last || s->clusters[i]->wave->index > last->wave->index)
			last = s->clusters[i];
	}
	return last;
}

/* Names shown in a list; the others are counted. */
#define LIST_SHOWN 8

/* Appends the i-th of n names to a list: 'a', 'b' and 'c'; past
 * LIST_SHOWN, 'a', ..., 'h' and 3 more. */
static void
list_add(struct buf *b, size_t i, size_t n, const char *name)
{
	if (i >= LIST_SHOWN)
		return;
	if (i > 0)
		buf_puts(b, i + 1 == n ? " and " : ", ");
	buf_printf(b, "'%s'", name);
	if (i + 1 == LIST_SHOWN && n > LIST_SHOWN)
		buf_printf(b, " and %zu more", n - LIST_SHOWN);
}

static int
by_wave(const void *a, const void *b)
{
	const struct cluster *x = *(struct cluster *const *)a;
	const struct cluster *y = *(struct cluster *const *)b;

	if (x->wave->index != y->wave->index)
		return (x->wave->index > y->wave->index) -
		    (x->wave->index < y->wave->index);
	return (x->index > y->index) - (x->index < y->index);
}

/* Scratch of the wave-order checks, each array cleared after use. */
struct order_scratch {
	struct vec fail;	/* struct cluster *: where one need fails */
	unsigned char *state;	/* by cluster: 1 failing, 2 in the help */
	unsigned char *wave_fails;	/* by wave: holds a failing cluster */
	struct cluster **byw;	/* the needed service's clusters, by wave */
	struct vec add;		/* const char *: names the help adds */
};

/* A note at a cluster a later wave names in vain, when it is part of a
 * wave-order error. */
static void
note_retaken(struct checker *c, const struct cluster *x)
{
	struct word *at = c->retaken_at[x->index];

	if (at)
		diag_note(c->diag, at->loc, "'%s' stays in wave '%s', the "
		    "first that names it: wave '%s' does not deploy it",
		    x->name, x->wave->name, c->retaken_by[x->index]->name);
}

/* A note at the cluster one slip from a failing one: the error is likely
 * that misspelling's echo. */
static void
note_typo(struct checker *c, const struct cluster *x)
{
	struct typo *t = c->typo_of[x->index];
	struct cluster *y = t ? (t->typo == x ? t->meant : t->typo) : NULL;

	if (!y)
		return;
	t->explained = true;
	diag_note(c->diag, t->typo->loc, "'%s' looks like a misspelling of "
	    "'%s' (declared at %s): if they are one cluster, spell them alike",
	    t->typo->name, t->meant->name, loc_str(c->arena, t->meant->loc));
}

/*
 * The fix for a need that fails: (a) add the failing clusters (as groups
 * of A's `in` whose clusters all fail, else one by one) to B's `in`, which
 * always makes the need pass; or (b) move the waves of B not before the
 * first failing wave to just before it, given only when that makes the
 * need pass: none of them holds a failing cluster, and none names a
 * cluster an earlier wave owns (moving it would change who owns that).
 */
static void
help_need_order(struct checker *c, struct service *a, struct service *b,
    struct order_scratch *sc, size_t first, struct buf *move, size_t nmove,
    bool can_move)
{
	struct cluster **fail = (struct cluster **)sc->fail.items;
	struct buf add = { 0 };
	size_t i, j, k;

	sc->add.n = 0;
	for (i = 0; i < sc->fail.n; i++)
		sc->state[fail[i]->index] = 1;
	for (i = 0; i < a->decl->nattrs; i++) {
		struct attr *at = a->decl->attrs[i];

		for (j = 0; at->kind == ATTR_IN && j < at->nnames; j++) {
			struct group *g = at->names[j].text ?
			    map_get(&c->groups, at->names[j].text) : NULL;
			bool all = g && g->nclusters > 1, some = false;

			for (k = 0; all && k < g->nclusters; k++) {
				all = sc->state[g->clusters[k]->index] != 0;
				some |= sc->state[g->clusters[k]->index] == 1;
			}
			if (!all || !some)
				continue;
			for (k = 0; k < g->nclusters; k++)
				sc->state[g->clusters[k]->index] = 2;
			vec_push(&sc->add, (void *)g->name);
		}
	}
	for (i = 0; i < sc->fail.n; i++)
		if (sc->state[fail[i]->index] == 1)
			vec_push(&sc->add, (void *)fail[i]->name);
	for (i = 0; i < sc->fail.n; i++)
		sc->state[fail[i]->index] = 0;
	for (i = 0; i < sc->add.n; i++)
		list_add(&add, i, sc->add.n, sc->add.items[i]);
	if (can_move)
		diag_help(c->diag, "add %s to the '%s' of '%s', or move "
		    "wave%s %s before wave '%s'", add.data,
		    attr_words[ATTR_IN], b->name, nmove > 1 ? "s" : "",
		    move->data, c->r->waves[first]->name);
	else
		diag_help(c->diag, "add %s to the '%s' of '%s'", add.data,
		    attr_words[ATTR_IN], b->name);
	buf_free(&add);
}

/* One error for a need that fails in the clusters sc->fail: all of them
 * named, a note at each wave that deploys B, and a fix that works. */
static void
report_need_order(struct checker *c, struct service *a, size_t j,
    struct order_scratch *sc)
{
	struct rollout *r = c->r;
	struct service *b = a->needs[j];
	struct cluster **fail = (struct cluster **)sc->fail.items;
	struct buf clusters = { 0 }, waves = { 0 }, move = { 0 };
	size_t i, e, k, first = SIZE_MAX, nwaves = 0, nmove = 0, shown = 0;
	bool can_move = true;

	if (diag_full(c->diag)) {
		diag_error(c->diag, a->need_words[j].loc, "'%s' needs '%s', "
		    "which is not rolled out before the waves that need it",
		    a->name, b->name);
		return;
	}
	for (i = 0; i < sc->fail.n; i++) {
		size_t w = fail[i]->wave->index;

		nwaves += !sc->wave_fails[w];
		sc->wave_fails[w] = 1;
		first = w < first ? w : first;
		list_add(&clusters, i, sc->fail.n, fail[i]->name);
	}
	for (i = 0; i < r->nwaves; i++)
		if (sc->wave_fails[i])
			list_add(&waves, shown++, nwaves, r->waves[i]->name);
	diag_error(c->diag, a->need_words[j].loc, "'%s' needs '%s', which "
	    "does not run in cluster%s %s and is not rolled out before "
	    "wave%s %s", a->name, b->name, sc->fail.n > 1 ? "s" : "",
	    clusters.data, nwaves > 1 ? "s" : "", waves.data);
	memcpy(sc->byw, b->clusters, b->nclusters * sizeof(*sc->byw));
	qsort(sc->byw, b->nclusters, sizeof(*sc->byw), by_wave);
	for (i = 0; i < b->nclusters; i++)
		nmove += sc->byw[i]->wave->index >= first &&
		    (i == 0 || sc->byw[i - 1]->wave != sc->byw[i]->wave);
	for (i = 0, shown = 0; i < b->nclusters; i = e) {
		struct wave *w = sc->byw[i]->wave;
		struct buf to = { 0 };

		for (e = i; e < b->nclusters && sc->byw[e]->wave == w; e++)
			;
		for (k = i; k < e; k++)
			list_add(&to, k - i, e - i, sc->byw[k]->name);
		diag_note(c->diag, w->loc, "wave '%s' deploys '%s' to %s",
		    w->name, b->name, to.data);
		buf_free(&to);
		if (w->index < first)
			continue;
		if (sc->wave_fails[w->index] || c->shares[w->index])
			can_move = false;
		list_add(&move, shown++, nmove, w->name);
		for (k = i; k < e; k++)
			note_retaken(c, sc->byw[k]);
	}
	for (i = 0; i < sc->fail.n; i++) {
		note_retaken(c, fail[i]);
		note_typo(c, fail[i]);
	}
	help_need_order(c, a, b, sc, first, &move, nmove, can_move);
	for (i = 0; i < sc->fail.n; i++)
		sc->wave_fails[fail[i]->wave->index] = 0;
	buf_free(&clusters);
	buf_free(&waves);
	buf_free(&move);
}

/* A need B of A where B does not run in A's cluster k: B must be wholly
 * rolled out in waves before k's wave.  last_of holds last_cluster of
 * every service and first_wave the index of its first wave, found once. */
static void
check_need_order(struct checker *c, struct service *a, size_t j,
    struct cluster *const *last_of, const size_t *first_wave,
    struct order_scratch *sc)
{
	struct service *b = a->needs[j];
	struct cluster *last = last_of[b->index];
	size_t i;

	/* b is all out before a's first wave: nothing to look at */
	if (!last || last->wave->index < first_wave[a->index])
		return;
	sc->fail.n = 0;
	for (i = 0; i < a->nclusters; i++) {
		struct cluster *k = a->clusters[i];

		if (k->wave && !runs_in(b, k) &&
		    last->wave->index >= k->wave->index)
			vec_push(&sc->fail, k);
	}
	/* one misspelt cluster, one error: once an error said the slip,
	 * needs that fail only where it is are its echo */
	for (i = 0; i < sc->fail.n; i++) {
		struct typo *t = c->typo_of[
		    ((struct cluster *)sc->fail.items[i])->index];

		if (!t || !t->explained)
			break;
	}
	if (i < sc->fail.n)
		report_need_order(c, a, j, sc);
}

/* Every need against the order of the waves. */
static void
check_needs_order(struct checker *c)
{
	const struct rollout *r = c->r;
	struct cluster **last_of = xmalloc_array(r->nservices + 1,
	    sizeof(*last_of));
	size_t *first_wave = xmalloc_array(r->nservices + 1,
	    sizeof(*first_wave));
	struct order_scratch sc = { 0 };
	size_t i, j, most = 0;

	for (i = 0; i < r->nservices; i++) {
		const struct service *s = r->services[i];

		last_of[i] = last_cluster(s);
		first_wave[i] = SIZE_MAX;
		most = s->nclusters > most ? s->nclusters : most;
		for (j = 0; j < s->nclusters; j++)
			if (s->clusters[j]->wave &&
			    s->clusters[j]->wave->index < first_wave[i])
				first_wave[i] = s->clusters[j]->wave->index;
	}
	sc.state = xmalloc(r->nclusters + 1);
	memset(sc.state, 0, r->nclusters + 1);
	sc.wave_fails = xmalloc(r->nwaves + 1);
	memset(sc.wave_fails, 0, r->nwaves + 1);
	sc.byw = xmalloc_array(most + 1, sizeof(*sc.byw));
	for (i = 0; i < r->nservices; i++)
		for (j = 0; j < r->services[i]->nneeds; j++)
			check_need_order(c, r->services[i], j, last_of,
			    first_wave, &sc);
	vec_free(&sc.fail);
	vec_free(&sc.add);
	free(sc.state);
	free(sc.wave_fails);
	free(sc.byw);
	free(last_of);
	free(first_wave);
}

/* Gives services without a version 'latest'. */
static void
fill_versions(struct rollout *r)
{
	size_t i;

	for (i = 0; i < r->nservices; i++)
		if (!r->services[i]->version)
			r->services[i]->version = "latest";
}

static void
warn_versions(struct checker *c)
{
	struct rollout *r = c->r;
	struct service *first = NULL;
	struct buf list = { 0 };
	size_t i, n = 0;

	for (i = 0; i < r->nservices; i++) {
		struct service *s = r->services[i];

		if (s->version)
			continue;
		s->version = "latest";
		if (!first)
			first = s;
		if (n < 8)
			buf_printf(&list, "%s'%s'", n ? ", " : "", s->name);
		n++;
	}
	if (!first)
		return;
	if (n > 8)
		buf_printf(&list, " and %zu more", n - 8);
	diag_warning(c->diag, r->name ? r->loc : first->loc, "%zu service%s "
	    "no version and deploy%s 'latest': %s", n, n == 1 ? " has" : "s have",
	    n == 1 ? "s" : "", list.data);
	diag_help(c->diag, "set '%s' in the rollout block, or in each "
	    "service", attr_words[ATTR_VERSION]);
	buf_free(&list);
}

/* True when some service runs in one of the wave's clusters. */
static bool
wave_deploys(const struct wave *w, const unsigned char *runs)
{
	size_t i;

	for (i = 0; i < w->nclusters; i++)
		if (runs[w->clusters[i]->index])
			return true;
	return false;
}

static void
warn_unused(struct checker *c)
{
	struct rollout *r = c->r;
	unsigned char *runs = xmalloc(r->nclusters + 1);
	size_t i, j;

	memset(runs, 0, r->nclusters + 1);
	for (i = 0; i < r->nservices; i++)
		for (j = 0; j < r->services[i]->nclusters; j++)
			runs[r->services[i]->clusters[j]->index] = 1;
	for (i = 0; i < r->nwaves; i++) {
		struct wave *w = r->waves[i];

		if (w->nclusters == 0)
			diag_warning(c->diag, w->loc, "wave '%s' has no "
			    "clusters", w->name);
		else if (!wave_deploys(w, runs))
			diag_warning(c->diag, w->loc, "wave '%s' deploys "
			    "nothing: no service runs in its clusters",
			    w->name);
	}
	for (i = 0; i < r->ngroups; i++)
		if (!r->groups[i]->used)
			diag_warning(c->diag, r->groups[i]->loc, "group '%s' "
			    "is not used", r->groups[i]->name);
	free(runs);
}

/*
 * A `continue` wave that deploys B, where a later wave deploys A that
 * needs B from other clusters: a later wave learns only whether the
 * continue wave had a failure, so the Workflow holds A back on any
 * failure there (docs/argo.md).  One warning per wave, at its policy.
 */
static void
warn_continue(struct checker *c)
{
	struct rollout *r = c->r;
	struct vec *held = xmalloc_array(r->nwaves + 1, sizeof(*held));
	struct service **needed = xmalloc_array(r->nwaves + 1,
	    sizeof(*needed));
	size_t i, j, k;

	memset(held, 0, (r->nwaves + 1) * sizeof(*held));
	for (i = 0; i < r->nservices; i++) {
		struct service *a = r->services[i];

		for (j = 0; j < a->nneeds; j++) {
			struct service *b = a->needs[j];
			size_t latest = 0;

			/* 1 + the latest wave where a runs without b */
			for (k = 0; k < a->nclusters; k++)
				if (a->clusters[k]->wave &&
				    !runs_in(b, a->clusters[k]) &&
				    a->clusters[k]->wave->index + 1 > latest)
					latest = a->clusters[k]->wave->index + 1;
			for (k = 0; k < b->nclusters; k++) {
				struct wave *w = b->clusters[k]->wave;
				struct vec *v;

				if (!w || w->on_failure != FAIL_CONTINUE ||
				    w->index + 1 >= latest)
					continue;
				v = &held[w->index];
				if (v->n && v->items[v->n - 1] == a)
					continue;
				if (!v->n)
					needed[w->index] = b;
				vec_push(v, a);
			}
		}
	}
	for (i = 0; i < r->nwaves; i++) {
		struct wave *w = r->waves[i];
		struct attr *policy = find_attr(w->decl, ATTR_ON_FAILURE);
		struct buf list = { 0 };
		struct service *a;

		if (!held[i].n || !policy)
			continue;
		a = held[i].items[0];
		for (k = 0; k < held[i].n; k++)
			list_add(&list, k, held[i].n,
			    ((struct service *)held[i].items[k])->name);
		diag_warning(c->diag, policy->val, "the Workflow holds back %s "
		    "in later waves when wave '%s' has any failure", list.data,
		    w->name);
		diag_help(c->diag, "'%s' needs '%s' from wave '%s', and a later "
		    "wave learns only whether a wave failed; to stop at a "
		    "failure there instead, write '%s %s'", a->name,
		    needed[i]->name, w->name, attr_words[ATTR_ON_FAILURE],
		    policy_words[FAIL_HALT]);
		buf_free(&list);
		vec_free(&held[i]);
	}
	free(held);
	free(needed);
}

static void
collect(struct checker *c)
{
	struct vec vgroups = { 0 }, vclusters = { 0 }, vservices = { 0 };
	struct vec vwaves = { 0 };
	struct rollout *r = c->r;
	size_t i;

	for (i = 0; i < c->decls.n; i++) {
		struct decl *d = c->decls.items[i];

		switch (d->kind) {
		case DECL_ROLLOUT: collect_rollout(c, d); break;
		case DECL_GROUP: collect_group(c, d, &vgroups, &vclusters);
			break;
		case DECL_SERVICE: collect_service(c, d, &vservices); break;
		case DECL_WAVE: collect_wave(c, d, &vwaves); break;
		case DECL_IMPORT: break;
		}
	}
	r->ngroups = vgroups.n;
	r->groups = (struct group **)vec_to_arena(&vgroups, c->arena);
	r->nclusters = vclusters.n;
	r->clusters = (struct cluster **)vec_to_arena(&vclusters, c->arena);
	r->nservices = vservices.n;
	r->services = (struct service **)vec_to_arena(&vservices, c->arena);
	r->nwaves = vwaves.n;
	r->waves = (struct wave **)vec_to_arena(&vwaves, c->arena);
}

static void
resolve(struct checker *c, unsigned *mark)
{
	struct rollout *r = c->r;
	unsigned stamp = 0;
	size_t i;

	c->shares = xmalloc(r->nwaves + 1);
	memset(c->shares, 0, r->nwaves + 1);
	for (i = 0; i < r->nwaves; i++)
		resolve_wave(c, r->waves[i], r->waves[i]->decl, mark, ++stamp);
	c->need_mark = xmalloc_array(r->nservices + 1, sizeof(*c->need_mark));
	memset(c->need_mark, 0, (r->nservices + 1) * sizeof(*c->need_mark));
	/* past MAX_DEPLOYS the deploys are only counted, for the error */
	for (i = 0; i < r->nservices; i++) {
		if (c->deploys <= MAX_DEPLOYS) {
			resolve_service(c, r->services[i], mark, ++stamp);
			c->deploys += r->services[i]->nclusters;
		} else {
			c->deploys += resolve_in(c, r->services[i]->decl, NULL,
			    mark, ++stamp, false);
		}
	}
	free(c->need_mark);
	c->need_mark = NULL;
}

struct rollout *
check_program_partial(struct arena *a, struct diag *d, struct program *prog)
{
	struct checker c = { 0 };
	struct rollout *r = arena_alloc(a, sizeof(*r));
	unsigned *mark;
	unsigned char *reported;

	c.arena = a;
	c.diag = d;
	c.r = r;
	c.root = prog->files[0]->src;
	walk_program(&c, prog);
	collect(&c);
	if (!c.rollout_decl) {
		struct loc top = { c.root, 1, 1, 1 };

		diag_error(d, top, "no rollout declaration");
		diag_help(d, "start the file with '%s NAME { %s \"...\" }'",
		    decl_words[DECL_ROLLOUT], attr_words[ATTR_VERSION]);
	}
	mark = xmalloc_array(r->nclusters + 1, sizeof(*mark));
	memset(mark, 0, (r->nclusters + 1) * sizeof(*mark));
	resolve(&c, mark);
	free(mark);
	check_size(&c);
	find_typos(&c);
	warn_retaken(&c);
	/* past the deploy limit the services were not all resolved */
	if (c.deploys <= MAX_DEPLOYS) {
		reported = xmalloc(r->nclusters + 1);
		memset(reported, 0, r->nclusters + 1);
		if (!c.some_wave_broken)
			check_coverage(&c, reported);
		free(reported);
		check_cycles(&c);
		check_needs_order(&c);
	}
	warn_typos(&c);
	/* a broken declaration may have lost its version, and past the
	 * deploy limit services were only counted, not resolved (nor are
	 * their other errors reported: the limit is the one to fix) */
	if (!c.some_decl_broken && c.deploys <= MAX_DEPLOYS)
		warn_versions(&c);
	else
		fill_versions(r);
	/* with errors, an empty wave or unused group is likely their echo */
	if (!c.some_decl_broken && !d->nerrors) {
		warn_unused(&c);
		warn_continue(&c);
	}
	map_free(&c.groups);
	map_free(&c.clusters);
	map_free(&c.services);
	map_free(&c.waves);
	map_free(&c.broken_names);
	vec_free(&c.decls);
	hints_free(&c.place_hints);
	hints_free(&c.service_hints);
	vec_free(&c.typos);
	free(c.typo_of);
	free(c.retaken_at);
	free(c.retaken_by);
	free(c.shares);
	return r;
}

struct rollout *
check_program(struct arena *a, struct diag *d, struct program *prog)
{
	struct rollout *r = check_program_partial(a, d, prog);

	return d->nerrors ? NULL : r;
}
