/*
 * emit_text.c: the readable plan, for people at a terminal.  A heading
 * with the counts and the longest chain; then each wave with its policy,
 * its clusters (identical ones folded into one line) and their deploys
 * step by step; then the gates that follow the wave, with the exact
 * command that resumes an approval.
 */
#include <stdlib.h>
#include <string.h>

#include "plan.h"

struct text {
	FILE *out;
	bool color;
	struct arena arena;
	size_t *same;		/* per cluster of the wave: the next of the
				 * same shape, or nclusters; for fold */
	size_t *seen;		/* per shape: its last cluster in the wave */
	bool state;		/* deploys show from -> to */
	int *refstep;		/* per service: its step in the wave's
				 * reference cluster, 0 when not there */
	unsigned *mark;		/* per service: stamp, for write_met */
	unsigned stamp;
	const struct wave **lastwave;	/* per service: the last wave so
					 * far that deploys it, or NULL */
};

static const char *
paint(const struct text *t, const char *code)
{
	return t->color ? code : "";
}

/* Words joined by sep and a space, "a -> b -> c", wrapped before column
 * 80 onto lines indented to indent. */
static void
write_joined(struct text *t, int col, int indent, const char **words,
    size_t n, const char *sep)
{
	int slen = (int)strlen(sep);
	size_t i;

	for (i = 0; i < n; i++) {
		int len = (int)strlen(words[i]);

		if (i && col + slen + 1 + len > 80) {
			fprintf(t->out, "%s\n%*s", sep, indent, "");
			col = indent;
		} else if (i) {
			fputs(sep, t->out);
			col += slen;
		}
		fprintf(t->out, " %s", words[i]);
		col += len + 1;
	}
	fputc('\n', t->out);
}

/* The longest chain, "a -> b -> c", wrapped before column 80. */
static void
write_chain(struct text *t, const struct plan *p, int col)
{
	const char **words = xmalloc_array(p->nchain + 1, sizeof(*words));
	size_t i;

	for (i = 0; i < p->nchain; i++)
		words[i] = p->chain[i]->service->name;
	write_joined(t, col, 3, words, p->nchain, " ->");
	free(words);
}

/* "3 services", or of a selection "3 of 114 services". */
static const char *
counted(struct text *t, size_t n, size_t whole, const char *what,
    const struct plan *p)
{
	if (!p->selection)
		return arena_printf(&t->arena, "%zu %s%s", n, what,
		    n == 1 ? "" : "s");
	return arena_printf(&t->arena, "%zu of %zu %s%s", n, whole, what,
	    whole == 1 ? "" : "s");
}

static void write_wrapped(struct text *t, int column, int indent,
    const char **words, size_t n);

/* How a selected service came in: "--only", "needed by a", "needs b". */
static const char *
selected_why(struct text *t, const struct selected *e)
{
	switch (e->why) {
	case SELECTED_ONLY: return "--only";
	case SELECTED_NEEDED:
		return arena_printf(&t->arena, "needed by %s", e->via->name);
	case SELECTED_DEPENDENT:
		return arena_printf(&t->arena, "needs %s", e->via->name);
	}
	return "";
}

/*
 * What a selection kept and why: the services selected, each run of those
 * that came in the same way followed by how; those of them left with
 * nothing to deploy; the clusters kept; the waves dropped; the deploys
 * skipped as current; the clusters the state does not know.
 */
static void
write_selection(struct text *t, const struct selection_report *sel)
{
	size_t n = sel->nselected + sel->ndropped + sel->nclusters +
	    sel->nstateless + 1, i, m;
	const char **words = xmalloc_array(n, sizeof(*words));

	if (sel->only) {
		for (i = 0; i < sel->nselected; i++) {
			const struct selected *e = &sel->selected[i];

			words[i] = e->service->name;
			if (i + 1 == sel->nselected ||
			    e[1].why != e->why || e[1].via != e->via)
				words[i] = arena_printf(&t->arena, "%s (%s)",
				    e->service->name, selected_why(t, e));
		}
		write_wrapped(t, fprintf(t->out, "selected: "), 2, words,
		    sel->nselected);
		for (i = 0, m = 0; i < sel->nselected; i++)
			if (!sel->selected[i].ndeploys)
				words[m++] = sel->selected[i].service->name;
		if (m)
			write_wrapped(t, fprintf(t->out, "nothing left to "
			    "deploy of: "), 2, words, m);
	}
	if (sel->clusters) {
		for (i = 0; i < sel->nclusters; i++)
			words[i] = sel->clusters[i]->name;
		if (sel->nclusters)
			words[sel->nclusters - 1] = arena_printf(&t->arena,
			    "%s (--clusters)", words[sel->nclusters - 1]);
		write_wrapped(t, fprintf(t->out, "clusters: "), 2, words,
		    sel->nclusters);
	}
	for (i = 0; i < sel->ndropped; i++) {
		const struct dropped_wave *d = &sel->dropped[i];

		words[i] = d->wave->name;
		if (i + 1 == sel->ndropped || d[1].why != d->why)
			words[i] = d->why == DROPPED_BEFORE ?
			    arena_printf(&t->arena, "%s (before %s, "
			    "--from-wave)", d->wave->name,
			    sel->from_wave->name) :
			    arena_printf(&t->arena, "%s (nothing left to "
			    "deploy)", d->wave->name);
	}
	if (sel->ndropped)
		write_wrapped(t, fprintf(t->out, "waves dropped: "), 2,
		    words, sel->ndropped);
	if (sel->state)
		fprintf(t->out, "skipped %zu deploy%s already at %s version\n",
		    sel->ncurrent, sel->ncurrent == 1 ? "" : "s",
		    sel->ncurrent == 1 ? "its" : "their");
	for (i = 0; i < sel->nstateless; i++)
		words[i] = sel->stateless[i]->name;
	if (sel->nstateless) {
		words[sel->nstateless - 1] = arena_printf(&t->arena,
		    "%s (every deploy there is new)",
		    words[sel->nstateless - 1]);
		write_wrapped(t, fprintf(t->out, "no state for: "), 2,
		    words, sel->nstateless);
	}
	free(words);
}

/*
 * Compares dotted versions part by part, numerically: <0, 0 or >0 in
 * *cmp, false when either has a part that is not a number ("rc1").
 * Missing parts count as 0.
 */
static bool
version_cmp(const char *a, const char *b, int *cmp)
{
	*cmp = 0;
	while (*a || *b) {
		size_t na = strspn(a, "0123456789"), nb = strspn(b, "0123456789");
		const char *x = a, *y = b;

		if ((*a && (!na || (a[na] && a[na] != '.'))) ||
		    (*b && (!nb || (b[nb] && b[nb] != '.'))))
			return false;
		a += na;
		b += nb;
		while (na > 1 && *x == '0')
			x++, na--;
		while (nb > 1 && *y == '0')
			y++, nb--;
		if (!*cmp && (na || nb)) {
			if (!na)
				*cmp = nb == 1 && *y == '0' ? 0 : -1;
			else if (!nb)
				*cmp = na == 1 && *x == '0' ? 0 : 1;
			else if (na != nb)
				*cmp = na < nb ? -1 : 1;
			else
				*cmp = memcmp(x, y, na);
		}
		if (*a == '.')
			a++;
		if (*b == '.')
			b++;
	}
	if (*cmp)
		*cmp = *cmp < 0 ? -1 : 1;
	return true;
}

/* The image a service gets when it names none (check.c's rule). */
static const char *
default_image(struct text *t, const struct rollout *r, const struct service *s)
{
	if (r->registry && *r->registry)
		return arena_printf(&t->arena, "%s/%s", r->registry, s->name);
	return s->name;
}

/* What ships: the rollout's version and registry, then every service whose
 * version or image is not those, one a line, an older version flagged. */
static void
write_ships(struct text *t, const struct plan *p)
{
	const struct rollout *r = p->rollout;
	const char *version = r->version ? r->version : "latest";
	size_t i, n = 0, width = 0;

	for (i = 0; i < r->nservices; i++) {
		const struct service *s = r->services[i];

		if (strcmp(s->version, version) != 0 ||
		    strcmp(s->image, default_image(t, r, s)) != 0) {
			n++;
			if (strlen(s->name) > width)
				width = strlen(s->name);
		}
	}
	fprintf(t->out, "ships version %s", version);
	if (r->registry && *r->registry)
		fprintf(t->out, " from %s", r->registry);
	if (!n) {
		fputs("; no service differs\n", t->out);
		return;
	}
	fprintf(t->out, "; %zu service%s differ%s:\n", n, n == 1 ? "" : "s",
	    n == 1 ? "s" : "");
	for (i = 0; i < r->nservices; i++) {
		const struct service *s = r->services[i];
		bool other = strcmp(s->version, version) != 0;
		const char *image = default_image(t, r, s);
		int cmp, col;

		if (!other && strcmp(s->image, image) == 0)
			continue;
		col = fprintf(t->out, "  %-*s", (int)width, s->name);
		if (other) {
			col += fprintf(t->out, "  version %s", s->version);
			if (!r->version || !version_cmp(s->version, version,
			    &cmp) || cmp == 0)
				col += fprintf(t->out, " (differs)");
			else if (cmp < 0)
				col += fprintf(t->out, " %s(older than %s)%s",
				    paint(t, "\033[1;31m"), version,
				    paint(t, "\033[0m")) - (t->color ? 11 : 0);
			else
				col += fprintf(t->out, " (newer)");
		}
		/* the image on a line of its own when it would pass 80 */
		if (strcmp(s->image, image) != 0 && other &&
		    col + 8 + (int)strlen(s->image) > 80)
			fprintf(t->out, ",\n  %-*s  image %s", (int)width, "",
			    s->image);
		else if (strcmp(s->image, image) != 0)
			fprintf(t->out, "%s image %s", other ? "," : " ",
			    s->image);
		fputc('\n', t->out);
	}
}

/* A wave's gates in words: "soak 15m, approval", or "". */
static const char *
gates(struct text *t, const struct wave *w)
{
	if (w->soak && w->approve)
		return arena_printf(&t->arena, ", soak %s, approval",
		    w->soak_text);
	if (w->soak)
		return arena_printf(&t->arena, ", soak %s", w->soak_text);
	return w->approve ? ", approval" : "";
}

/* The estimate of the release, then one line per wave: its time, its
 * clusters and deploys, its gates. */
static void
write_estimate(struct text *t, const struct plan *p)
{
	size_t i, n, name = 0, time = 0;

	fprintf(t->out, "estimated time: %s", go_duration(&t->arena,
	    p->estimate));
	if (p->napprovals) {
		fprintf(t->out, ", not counting %zu approval%s (",
		    p->napprovals, p->napprovals == 1 ? "" : "s");
		for (i = 0, n = 0; i < p->nwaves; i++)
			if (p->waves[i].wave->approve)
				fprintf(t->out, "%s%s", n++ ? ", " : "",
				    p->waves[i].wave->name);
		fputc(')', t->out);
	}
	fputc('\n', t->out);
	for (i = 0; i < p->nwaves; i++) {
		n = strlen(go_duration(&t->arena, p->waves[i].estimate));

		if (strlen(p->waves[i].wave->name) > name)
			name = strlen(p->waves[i].wave->name);
		if (n > time)
			time = n;
	}
	for (i = 0; i < p->nwaves; i++) {
		const struct plan_wave *pw = &p->waves[i];

		fprintf(t->out, "  %-*s  %*s  %zu cluster%s, %zu deploy%s%s\n",
		    (int)name, pw->wave->name, (int)time,
		    go_duration(&t->arena, pw->estimate), pw->nclusters,
		    pw->nclusters == 1 ? "" : "s", pw->ndeploys,
		    pw->ndeploys == 1 ? "" : "s", gates(t, pw->wave));
	}
}

/* The critical path, a line per wave: the longest chain of its slowest
 * cluster with each deploy's time, then its soak and approval. */
static void
write_critical(struct text *t, const struct plan *p)
{
	const char **words = xmalloc_array(p->ncritical + 2, sizeof(*words));
	size_t i = 0, name = 0, w;

	for (w = 0; w < p->nwaves; w++)
		if (strlen(p->waves[w].wave->name) > name)
			name = strlen(p->waves[w].wave->name);
	if (p->ncritical)
		fputs("critical path:\n", t->out);
	while (i < p->ncritical) {
		const struct plan_wave *pw = p->critical[i].wave;
		const struct plan_cluster *pc = pw->slowest;
		size_t n = 0;
		int col;

		col = fprintf(t->out, "  %-*s  ", (int)name, pw->wave->name);
		if (p->critical[i].kind == PLAN_STEP_DEPLOY && pc->start)
			col += fprintf(t->out, "%s (from %s):", pc->cluster->name,
			    go_duration(&t->arena, pc->start));
		else if (p->critical[i].kind == PLAN_STEP_DEPLOY)
			col += fprintf(t->out, "%s:", pc->cluster->name);
		for (; i < p->ncritical && p->critical[i].wave == pw; i++) {
			const struct plan_step *st = &p->critical[i];

			if (st->kind == PLAN_STEP_DEPLOY)
				words[n++] = arena_printf(&t->arena, "%s %s",
				    st->deploy->service->name,
				    go_duration(&t->arena, st->seconds));
			else if (st->kind == PLAN_STEP_SOAK)
				words[n++] = arena_printf(&t->arena, "soak %s",
				    pw->wave->soak_text);
			else
				words[n++] = "approval";
		}
		write_joined(t, col, (int)name + 3, words, n, " ->");
	}
	free(words);
}

static void
heading(struct text *t, const struct plan *p)
{
	const struct rollout *r = p->rollout;
	const struct selection_report *sel = p->selection;

	fprintf(t->out, "%srollout %s%s: %s, %s, %s, %s\n",
	    paint(t, "\033[1m"), r->name, paint(t, "\033[0m"),
	    counted(t, r->nservices, sel ? sel->whole->nservices : 0,
	    "service", p),
	    counted(t, p->nclusters, sel ? sel->whole_clusters : 0,
	    "cluster", p),
	    counted(t, p->nwaves, sel ? sel->whole->nwaves : 0, "wave", p),
	    counted(t, p->ndeploys, sel ? sel->whole_deploys : 0, "deploy",
	    p));
	if (sel)
		write_selection(t, sel);
	write_ships(t, p);
	write_estimate(t, p);
	write_critical(t, p);
	if (!p->nchain) {
		fputs("no deploys\n", t->out);
		return;
	}
	write_chain(t, p, fprintf(t->out, "longest chain: %zu step%s in %s:",
	    p->nchain, p->nchain == 1 ? "" : "s",
	    p->chain[0]->cluster->name));
}

static const char *
policy(struct text *t, const struct wave *w)
{
	static const char *const failure[] = { "halt on failure",
		"continue on failure", "roll back on failure" };
	struct buf b = { 0 };
	const char *s;

	if (w->parallel)
		buf_printf(&b, "parallel %ld", w->parallel);
	else
		buf_puts(&b, "all clusters at once");
	if (w->soak)
		buf_printf(&b, ", soak %s", w->soak_text);
	if (w->approve)
		buf_puts(&b, ", approval");
	buf_printf(&b, ", %s", failure[w->on_failure]);
	s = arena_strndup(&t->arena, b.data, b.len);
	buf_free(&b);
	return s;
}

/* Writes words separated by ", ", wrapping before column 80 with lines
 * indented to indent. */
static void
write_wrapped(struct text *t, int column, int indent, const char **words,
    size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		int len = (int)strlen(words[i]) + (i + 1 < n ? 1 : 0);

		if (i && column + 1 + len > 80) {
			fprintf(t->out, "\n%*s", indent, "");
			column = indent;
		} else if (i) {
			fputc(' ', t->out);
			column++;
		}
		fputs(words[i], t->out);
		if (i + 1 < n)
			fputc(',', t->out);
		column += len;
	}
	fputc('\n', t->out);
}

/* The clusters of a wave that share the shape of cluster from, from
 * first. */
static size_t
fold(const struct text *t, const struct plan_wave *pw, size_t from,
    const char **names)
{
	size_t i, n = 0;

	for (i = from; i < pw->nclusters; i = t->same[i])
		names[n++] = pw->clusters[i]->cluster->name;
	return n;
}

/* A deploy as the plan lists it: its service, and with live state what it
 * changes, "api 1.4 -> 1.5", "api new -> 1.5", "api unknown -> 1.5". */
static const char *
deploy_word(struct text *t, const struct deploy *d)
{
	const struct service *s = d->service;

	if (!t->state)
		return s->name;
	return arena_printf(&t->arena, "%s %s -> %s", s->name,
	    d->from ? d->from : d->running ? "unknown" : "new", s->version);
}

/*
 * Needs met by an earlier wave: the services the deploys of pc need that do
 * not run in pc, each with the last earlier wave that deploys it, on one
 * line: "met by earlier waves: auth (us), storage (us)".  Nothing when
 * there are none.
 */
static void
write_met(struct text *t, const struct plan_cluster *pc, const char **names)
{
	unsigned here = ++t->stamp, listed = ++t->stamp;
	size_t i, j, n = 0;

	for (i = 0; i < pc->ndeploys; i++)
		t->mark[pc->deploys[i]->service->index] = here;
	for (i = 0; i < pc->ndeploys; i++) {
		const struct service *s = pc->deploys[i]->service;

		for (j = 0; j < s->nneeds; j++) {
			const struct service *b = s->needs[j];

			if (t->mark[b->index] == here ||
			    t->mark[b->index] == listed ||
			    !t->lastwave[b->index])
				continue;
			t->mark[b->index] = listed;
			names[n++] = arena_printf(&t->arena, "%s (%s)",
			    b->name, t->lastwave[b->index]->name);
		}
	}
	if (n)
		write_wrapped(t, fprintf(t->out, "    met by earlier waves: "),
		    6, names, n);
}

/*
 * Whether pc differs only slightly from the wave's reference cluster (its
 * steps in t->refstep, of nref deploys): the services they share sit in
 * the same steps, and those in only one of them number at most 3 or a
 * fifth of the reference, whichever is larger, and fewer than those
 * shared (else the differences say more than the steps would).
 */
static bool
near_reference(const struct text *t, const struct plan_cluster *pc,
    size_t nref)
{
	size_t i, shared = 0, differ = 0, most = nref / 5 > 3 ? nref / 5 : 3;

	for (i = 0; i < pc->ndeploys; i++) {
		const struct deploy *d = pc->deploys[i];
		int k = t->refstep[d->service->index];

		if (!k)
			differ++;
		else if (k != d->step)
			return false;
		else
			shared++;
	}
	differ += nref - shared;
	return differ <= most && differ < shared;
}

/*
 * Clusters near the reference (those of one shape together), on one line:
 * "us-east1-b: as us-central1-b, plus retention-gc (step 3), minus
 * ingest-validator", each service they add with its step.
 */
static void
write_near(struct text *t, const struct plan_cluster *ref,
    const struct plan_wave *pw, size_t from, const char **names)
{
	const struct plan_cluster *pc = pw->clusters[from];
	unsigned here = ++t->stamp;
	size_t n = fold(t, pw, from, names), i, m, plus;
	const char **words = xmalloc_array(n + pc->ndeploys + ref->ndeploys +
	    1, sizeof(*words));

	for (m = 0; m + 1 < n; m++)
		words[m] = names[m];
	words[m] = arena_printf(&t->arena, "%s: as %s", names[m],
	    ref->cluster->name);
	plus = ++m;
	for (i = 0; i < pc->ndeploys; i++) {
		const struct deploy *d = pc->deploys[i];

		t->mark[d->service->index] = here;
		if (!t->refstep[d->service->index]) {
			words[m] = arena_printf(&t->arena, "%s%s (step %d)",
			    m == plus ? "plus " : "", d->service->name,
			    d->step);
			m++;
		}
	}
	for (i = 0, plus = m; i < ref->ndeploys; i++) {
		const struct service *s = ref->deploys[i]->service;

		if (t->mark[s->index] != here) {
			words[m] = arena_printf(&t->arena, "%s%s",
			    m == plus ? "minus " : "", s->name);
			m++;
		}
	}
	fputs("  ", t->out);
	write_wrapped(t, 2, 4, words, m);
	write_met(t, pc, names);
	free(words);
}

static void
write_cluster(struct text *t, const struct plan_wave *pw, size_t from,
    const char **names)
{
	const struct plan_cluster *pc = pw->clusters[from];
	size_t n = fold(t, pw, from, names), i, j;

	fprintf(t->out, "  %s", paint(t, "\033[36m"));
	write_wrapped(t, 2, 4, names, n);
	fputs(paint(t, "\033[0m"), t->out);
	for (i = 0; i < pc->ndeploys; i = j) {
		int step = pc->deploys[i]->step;
		int col;

		for (j = i; j < pc->ndeploys && pc->deploys[j]->step == step;
		    j++)
			names[j - i] = deploy_word(t, pc->deploys[j]);
		col = fprintf(t->out, "    %sstep %d%s  ", paint(t, "\033[2m"),
		    step, paint(t, "\033[0m"));
		if (t->color)
			col -= 8;
		write_wrapped(t, col, col, names, j - i);
	}
	write_met(t, pc, names);
}

/*
 * Links each cluster of the wave to the next of its shape (t->same), and
 * marks in first[] the first of each shape: the one whose line holds them
 * all.  Linear, where a search per cluster was quadratic.
 */
/* Whether two clusters of one shape change the same versions. */
static bool
same_from(const struct plan_cluster *x, const struct plan_cluster *y)
{
	size_t i;

	for (i = 0; i < x->ndeploys; i++) {
		const struct deploy *a = x->deploys[i], *b = y->deploys[i];

		if (a->running != b->running || !a->from != !b->from ||
		    (a->from && strcmp(a->from, b->from) != 0))
			return false;
	}
	return true;
}

/*
 * link_shapes with live state: clusters fold when they have the same shape
 * and change the same versions, found by a hash of both.  Linear in the
 * wave's deploys.
 */
static void
link_states(struct text *t, const struct plan_wave *pw, bool *first)
{
	size_t n = pw->nclusters, cap = 16, i, j;
	size_t *table, *rep = xmalloc_array(n + 1, sizeof(*rep));

	while (cap < 2 * n)
		cap *= 2;
	table = xmalloc_array(cap, sizeof(*table));
	for (i = 0; i < cap; i++)
		table[i] = n;
	for (i = 0; i < n; i++) {
		const struct plan_cluster *pc = pw->clusters[i];
		uint64_t h = hash_bytes(&pc->shape->index,
		    sizeof(pc->shape->index), 0);
		size_t slot;

		for (j = 0; j < pc->ndeploys; j++) {
			const struct deploy *d = pc->deploys[j];
			const char *v = d->from ? d->from : d->running ? "?" :
			    "";

			h = hash_bytes(v, strlen(v) + 1, h);
		}
		slot = h & (cap - 1);
		while (table[slot] != n && !(pw->clusters[table[slot]]->shape ==
		    pc->shape && same_from(pw->clusters[table[slot]], pc)))
			slot = (slot + 1) & (cap - 1);
		if (table[slot] == n)
			table[slot] = i;
		rep[i] = table[slot];
	}
	/* table, reused: the next cluster of each fold */
	for (i = 0; i < n; i++)
		table[i] = n;
	for (i = n; i-- > 0;) {
		t->same[i] = table[rep[i]];
		table[rep[i]] = i;
	}
	for (i = 0; i < n; i++)
		first[i] = rep[i] == i;
	free(table);
	free(rep);
}

static void
link_shapes(struct text *t, const struct plan_wave *pw, bool *first)
{
	size_t i;

	if (t->state) {
		link_states(t, pw, first);
		return;
	}
	/* only this wave's shapes: a reset of them all per wave would cost
	 * waves times shapes */
	for (i = 0; i < pw->nclusters; i++)
		t->seen[pw->clusters[i]->shape->index] = pw->nclusters;
	for (i = pw->nclusters; i-- > 0;) {
		size_t sh = pw->clusters[i]->shape->index;

		t->same[i] = t->seen[sh];
		t->seen[sh] = i;
	}
	for (i = 0; i < pw->nclusters; i++)
		first[i] = t->seen[pw->clusters[i]->shape->index] == i;
}

static void
write_gates(struct text *t, const struct plan *p, const struct wave *w)
{
	if (w->soak)
		fprintf(t->out, "  then soak %s\n", w->soak_text);
	if (w->approve)
		fprintf(t->out, "  then wait for approval; resume with\n"
		    "    argo resume WORKFLOW%s%s --node-field-selector "
		    "displayName=%s\n",
		    p->rollout->namespace ? " -n " : "",
		    p->rollout->namespace ? p->rollout->namespace : "",
		    approve_name(&t->arena, w));
}

static void
write_wave(struct text *t, const struct plan *p, const struct plan_wave *pw)
{
	size_t i, most = pw->nclusters;
	const char **names;
	bool *first;

	for (i = 0; i < pw->nclusters; i++)
		if (pw->clusters[i]->ndeploys > most)
			most = pw->clusters[i]->ndeploys;
	names = xmalloc_array(most + 1, sizeof(*names));
	first = xmalloc_array(pw->nclusters + 1, sizeof(*first));
	t->same = xmalloc_array(pw->nclusters + 1, sizeof(*t->same));
	link_shapes(t, pw, first);
	fprintf(t->out, "\n%swave %s%s (%zu cluster%s, %zu deploy%s)\n"
	    "  policy: %s\n",
	    paint(t, "\033[1m"), pw->wave->name, paint(t, "\033[0m"),
	    pw->nclusters, pw->nclusters == 1 ? "" : "s",
	    pw->ndeploys, pw->ndeploys == 1 ? "" : "s",
	    policy(t, pw->wave));
	if (!pw->nclusters)
		fputs("  nothing to deploy\n", t->out);
	/* the first cluster is the reference the others may be shown as */
	if (pw->nclusters)
		for (i = 0; i < pw->clusters[0]->ndeploys; i++)
			t->refstep[pw->clusters[0]->deploys[i]->service->index] =
			    pw->clusters[0]->deploys[i]->step;
	for (i = 0; i < pw->nclusters; i++)
		if (first[i] && i && !t->state && near_reference(t,
		    pw->clusters[i], pw->clusters[0]->ndeploys))
			write_near(t, pw->clusters[0], pw, i, names);
		else if (first[i])
			write_cluster(t, pw, i, names);
	if (pw->nclusters)
		for (i = 0; i < pw->clusters[0]->ndeploys; i++)
			t->refstep[pw->clusters[0]->deploys[i]->service->index] =
			    0;
	for (i = 0; i < pw->nclusters; i++) {
		const struct plan_cluster *pc = pw->clusters[i];
		size_t j;

		for (j = 0; j < pc->ndeploys; j++)
			t->lastwave[pc->deploys[j]->service->index] = pw->wave;
	}
	write_gates(t, p, pw->wave);
	free(names);
	free(first);
	free(t->same);
}

/* Says where a DAG too big for Argo was split, and what it cost. */
static void
write_splits(struct text *t, const struct plan *p)
{
	size_t i;

	for (i = 0; i < p->nshapes; i++) {
		const struct shape *sh = p->shapes[i];

		if (sh->nchunks <= 1)
			continue;
		fprintf(t->out, "\nnote: %s%s has %zu deploys, more than "
		    "Argo's %d tasks per DAG: the Workflow splits it into %zu "
		    "DAGs", sh->first->cluster->name,
		    sh->nclusters > 1 ? " (and clusters like it)" : "",
		    sh->first->ndeploys, ARGO_MAX_TASKS, sh->nchunks);
		if (sh->split_steps > sh->nsteps)
			fprintf(t->out, ", which lengthens its longest chain "
			    "from %d to %d steps (+%d)\n", sh->nsteps,
			    sh->split_steps, sh->split_steps - sh->nsteps);
		else
			fprintf(t->out, " without lengthening its longest "
			    "chain (%d steps)\n", sh->nsteps);
	}
}

/* path as one shell word: as it is when that is safe, else quoted. */
static const char *
shell_word(struct text *t, const char *path)
{
	struct buf b = { 0 };
	const char *s;

	if (path[strspn(path, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._/-+=:@")] == '\0' &&
	    path[0] != '-')
		return path;
	buf_putc(&b, '\'');
	for (s = path; *s; s++)
		if (*s == '\'')
			buf_puts(&b, "'\\''");
		else
			buf_putc(&b, *s);
	buf_putc(&b, '\'');
	s = arena_strndup(&t->arena, b.data, b.len);
	buf_free(&b);
	return s;
}

/* Says which form the Argo documents take (--argo), and the commands that
 * run them: one Workflow to submit, or WorkflowTemplates to apply first. */
static void
write_argo(struct text *t, const struct plan *p,
    const struct argo_layout *l, const char *argo_path)
{
	const char *ns = p->rollout->namespace;
	const char *file = shell_word(t, argo_path);
	const char *n = ns ? arena_printf(&t->arena, " -n %s", ns) : "";

	fprintf(t->out, "\nArgo: ");
	if (!l->workflow_templates) {
		fprintf(t->out, "one Workflow; run it with\n"
		    "  argo submit%s %s\n", n, file);
		return;
	}
	if (l->children)
		fprintf(t->out, "a workflow of workflows, too big for one "
		    "Workflow: %zu WorkflowTemplates\n  and a parent Workflow "
		    "that runs each cluster as a child Workflow;\n",
		    l->workflow_templates);
	else
		fprintf(t->out, "a Workflow and %zu WorkflowTemplates for the "
		    "clusters of its rollback waves\n  (each runs as a child "
		    "Workflow, so a rollback never races a deploy);\n",
		    l->workflow_templates);
	fprintf(t->out, "  apply the templates, then submit the Workflow:\n"
	    "  kubectl apply --server-side%s -l %s -f %s\n"
	    "  argo submit%s %s\n", n, l->label, file, n, file);
}

void
emit_text(FILE *out, const struct plan *p, bool color,
    const struct argo_layout *argo, const char *argo_path)
{
	struct text t = { out, color, { 0 }, NULL, NULL, false, NULL, NULL, 0,
	    NULL };
	size_t i;

	t.seen = xmalloc_array(p->nshapes + 1, sizeof(*t.seen));
	t.refstep = xmalloc_array(p->rollout->nservices + 1,
	    sizeof(*t.refstep));
	t.mark = xmalloc_array(p->rollout->nservices + 1, sizeof(*t.mark));
	t.lastwave = xmalloc_array(p->rollout->nservices + 1,
	    sizeof(*t.lastwave));
	memset(t.refstep, 0, (p->rollout->nservices + 1) * sizeof(*t.refstep));
	memset(t.mark, 0, (p->rollout->nservices + 1) * sizeof(*t.mark));
	memset(t.lastwave, 0, (p->rollout->nservices + 1) *
	    sizeof(*t.lastwave));
	t.state = p->selection && p->selection->state;
	heading(&t, p);
	for (i = 0; i < p->nwaves; i++)
		write_wave(&t, p, &p->waves[i]);
	write_splits(&t, p);
	if (argo && argo->known && argo_path)
		write_argo(&t, p, argo, argo_path);
	free(t.seen);
	free(t.refstep);
	free(t.mark);
	free(t.lastwave);
	arena_free(&t.arena);
}
