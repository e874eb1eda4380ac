/*
 * diff_dot.c: the diagram of a plan diff (planner diff --svg/--dot), in
 * the overview's shape: top to bottom, to fit the width of a pull request,
 * a title with the legend and the release's estimate, a node of the
 * services that changed, then a node per wave of the new plan with a row
 * per cluster that changed, the gates between the waves.  Added is green,
 * removed red (struck, from the old plan), changed amber, unchanged grey;
 * the unchanged clusters of a wave share one grey row, so a fleet's
 * diagram grows with what changed, not with its size.  Waves the new plan
 * lost follow, dashed red.  Built with cgraph and written by emit_dot.c's
 * diagram_open/diagram_close, so the same diff gives the same bytes.
 */
#include <stdlib.h>
#include <string.h>

#include <graphviz/cgraph.h>

#include "diff.h"

#define SEP " \xc2\xb7 "	/* " · " */
#define ARROW " \xe2\x86\x92 "	/* " → " */
#define UNCHANGED_NAMES 3	/* names of unchanged clusters in a row */
#define SERVICE_ROWS 12		/* rows of the services node, at most */
#define CLUSTER_ROWS 16		/* changed clusters of a wave, at most */

/* The four marks: fill and ink. */
enum mark { MARK_SAME, MARK_ADDED, MARK_REMOVED, MARK_CHANGED };
static const char *const fill[] = { "#ffffff", "#dcf5e0", "#fde2e1",
	"#fff1c2" };
static const char *const ink[] = { "#8a8f98", "#1a7f37", "#b42318",
	"#9a6700" };

/* A row of a wave: a cluster, as the new plan has it or as the old had
 * it (removed, or moved away). */
struct row {
	const char *cluster;
	const char *wave;	/* the wave it is drawn in */
	enum mark mark;
	size_t ndeploys;
	struct buf notes;	/* HTML */
};

struct ddot {
	const struct plan_diff *d;
	Agraph_t *g;
	struct vec rows;	/* struct row *: new plan order, then the old
				 * plan's removed rows */
	struct map row_of;	/* cluster -> its row in the new plan */
	struct buf text, id;
};

static struct buf *
clear(struct buf *b)
{
	b->len = 0;
	buf_add(b, "", 0);
	return b;
}

static void
set_html(struct ddot *dd, void *obj, const char *html)
{
	char *s = agstrdup_html(dd->g, (char *)html);

	diagram_set(obj, "label", s);
	agstrfree(dd->g, s);
}

static Agnode_t *
node(struct ddot *dd, const char *a, const char *b)
{
	clear(&dd->id);
	buf_puts(&dd->id, a);
	if (b)
		buf_printf(&dd->id, "/%s", b);
	return agnode(dd->g, dd->id.data, 1);
}

static void
edge(struct ddot *dd, Agnode_t *from, Agnode_t *to)
{
	if (from && to)
		agedge(dd->g, from, to, NULL, 1);
}

static const char *
plural(size_t n)
{
	return n == 1 ? "" : "s";
}

/* Text in a mark's ink, struck when removed. */
static void
inked(struct buf *b, enum mark m, const char *s, bool bold)
{
	buf_printf(b, "<font color=\"%s\">%s%s", ink[m], bold ? "<b>" : "",
	    m == MARK_REMOVED ? "<s>" : "");
	diagram_html(b, s);
	buf_printf(b, "%s%s</font>", m == MARK_REMOVED ? "</s>" : "",
	    bold ? "</b>" : "");
}

static struct row *
new_row(struct ddot *dd, const char *cluster, const char *wave,
    enum mark m, size_t ndeploys)
{
	struct row *r = xmalloc_array(1, sizeof(*r));

	memset(r, 0, sizeof(*r));
	r->cluster = cluster;
	r->wave = wave;
	r->mark = m;
	r->ndeploys = ndeploys;
	vec_push(&dd->rows, r);
	return r;
}

/* A note on the row of a cluster of the new plan; marks it changed. */
static void
note(struct ddot *dd, const char *cluster, enum mark m, const char *what,
    const char *more)
{
	struct row *r = map_get(&dd->row_of, cluster);

	if (!r)
		return;
	if (r->mark == MARK_SAME)
		r->mark = MARK_CHANGED;
	if (r->notes.len)
		buf_puts(&r->notes, SEP);
	inked(&r->notes, m, what, false);
	if (more) {
		struct buf t = { 0 };

		buf_printf(&t, "%s%s", ARROW, more);
		inked(&r->notes, m, t.data, false);
		buf_free(&t);
	}
}

static void
note_clusters(struct ddot *dd, const struct change *c, enum mark m,
    const char *what, const char *more)
{
	size_t i;

	for (i = 0; i < c->nclusters; i++)
		note(dd, c->clusters[i], m, what, more);
}

/* Notes a whole service added (in the new plan) or removed (the old). */
static void
note_service(struct ddot *dd, const struct plan *p, const char *svc,
    enum mark m)
{
	struct buf t = { 0 };
	size_t i;

	buf_printf(&t, "%s%s", m == MARK_ADDED ? "+" : "\xe2\x88\x92", svc);
	for (i = 0; i < p->ndeploys; i++)
		if (strcmp(p->deploys[i].service->name, svc) == 0)
			note(dd, p->deploys[i].cluster->name, m, t.data, NULL);
	buf_free(&t);
}

/* The rows: every cluster of the new plan, then the old plan's removed
 * or moved away, then the notes of each change. */
static void
find_rows(struct ddot *dd)
{
	const struct plan *np = dd->d->new.plan, *op = dd->d->old.plan;
	struct buf t = { 0 };
	size_t i, j;

	for (i = 0; i < np->nwaves; i++)
		for (j = 0; j < np->waves[i].nclusters; j++) {
			const struct plan_cluster *pc =
			    np->waves[i].clusters[j];

			map_put(&dd->row_of, pc->cluster->name,
			    new_row(dd, pc->cluster->name,
			    np->waves[i].wave->name, MARK_SAME,
			    pc->ndeploys));
		}
	for (i = 0; i < dd->d->nchanges; i++) {
		const struct change *c = &dd->d->changes[i];
		struct row *r;

		clear(&t);
		switch (c->kind) {
		case CH_CLUSTER_ADDED:
			if ((r = map_get(&dd->row_of, c->subject)))
				r->mark = MARK_ADDED;
			break;
		case CH_CLUSTER_REMOVED:
			new_row(dd, c->subject, c->wave, MARK_REMOVED,
			    c->count);
			break;
		case CH_CLUSTER_MOVED:
			buf_printf(&t, "moved from %s", c->old);
			note(dd, c->subject, MARK_CHANGED, t.data, NULL);
			for (j = 0; j < op->nclusters; j++)
				if (strcmp(op->clusters[j].cluster->name,
				    c->subject) == 0)
					break;
			r = new_row(dd, c->subject, c->old, MARK_REMOVED,
			    j < op->nclusters ? op->clusters[j].ndeploys : 0);
			buf_puts(&r->notes, "<font color=\"#b42318\">moved to ");
			diagram_html(&r->notes, c->new);
			buf_puts(&r->notes, "</font>");
			break;
		case CH_SERVICE_ADDED:
			note_service(dd, np, c->subject, MARK_ADDED);
			break;
		case CH_SERVICE_REMOVED:
			note_service(dd, op, c->subject, MARK_REMOVED);
			break;
		case CH_DEPLOYS_ADDED:
		case CH_DEPLOYS_REMOVED:
			buf_printf(&t, "%s%s", c->kind == CH_DEPLOYS_ADDED ?
			    "+" : "\xe2\x88\x92", c->subject);
			note_clusters(dd, c, c->kind == CH_DEPLOYS_ADDED ?
			    MARK_ADDED : MARK_REMOVED, t.data, NULL);
			break;
		case CH_NEED_ADDED:
		case CH_NEED_REMOVED:
			buf_printf(&t, "%s needs %s", c->subject, c->field);
			note_clusters(dd, c, c->kind == CH_NEED_ADDED ?
			    MARK_ADDED : MARK_REMOVED, t.data, NULL);
			break;
		default:
			break;
		}
	}
	buf_free(&t);
}

/* The title: what is compared, the legend, the release's estimate and
 * the rollout's changes. */
static Agnode_t *
add_title(struct ddot *dd)
{
	const struct plan_diff *d = dd->d;
	struct buf *b = clear(&dd->text);
	static const char *const names[] = { "unchanged", "added",
		"removed", "changed" };
	static const enum mark order[] = { MARK_ADDED, MARK_REMOVED,
		MARK_CHANGED, MARK_SAME };
	Agnode_t *n;
	size_t i;

	buf_puts(b, "<table border=\"0\" cellborder=\"0\" cellspacing=\"2\" "
	    "cellpadding=\"1\"><tr><td align=\"left\"><font "
	    "point-size=\"14\"><b>plan diff: ");
	diagram_html(b, d->new.plan->rollout->name);
	buf_puts(b, "</b></font></td></tr><tr><td align=\"left\">");
	diagram_html(b, d->old.label);
	buf_puts(b, ARROW);
	diagram_html(b, d->new.label);
	if (!d->nchanges)
		buf_puts(b, SEP "the plans are the same");
	buf_puts(b, "</td></tr>");
	for (i = 0; i < d->nchanges; i++) {
		const struct change *c = &d->changes[i];
		struct buf t = { 0 };

		if (c->kind == CH_ROLLOUT)
			buf_printf(&t, "%s %s%s%s%s", c->subject,
			    c->old ? c->old : "(none)", ARROW,
			    c->new ? c->new : "(none)",
			    c->downgrade ? " (downgrade)" : "");
		else if (c->kind == CH_ESTIMATE && !c->subject)
			buf_printf(&t, "estimate %s%s%s", c->old, ARROW,
			    c->new);
		else if (c->kind == CH_WAVE_ORDER)
			buf_printf(&t, "wave order %s%s%s", c->old, ARROW,
			    c->new);
		else if (c->kind == CH_CRITICAL)
			buf_puts(&t, "the critical path changed (see the "
			    "report)");
		if (t.len) {
			buf_puts(b, "<tr><td align=\"left\">");
			inked(b, MARK_CHANGED, t.data, false);
			buf_puts(b, "</td></tr>");
		}
		buf_free(&t);
	}
	buf_puts(b, "<tr><td align=\"left\"><table border=\"0\" "
	    "cellborder=\"1\" cellspacing=\"3\" cellpadding=\"2\"><tr>");
	for (i = 0; i < 4; i++) {
		buf_printf(b, "<td bgcolor=\"%s\" color=\"%s\">",
		    fill[order[i]], ink[order[i]]);
		inked(b, order[i], names[order[i]], order[i] != MARK_SAME);
		buf_puts(b, "</td>");
	}
	buf_puts(b, "</tr></table></td></tr></table>");
	n = node(dd, "title", NULL);
	set_html(dd, n, b->data);
	diagram_set(n, "shape", "plaintext");
	diagram_set(n, "style", "");
	return n;
}

/* The services that changed: added, removed, versions and images. */
static Agnode_t *
add_services(struct ddot *dd)
{
	const struct plan_diff *d = dd->d;
	struct buf *b = clear(&dd->text);
	size_t i, rows = 0, more = 0;
	Agnode_t *n;

	buf_puts(b, "<table border=\"1\" cellborder=\"0\" cellspacing=\"3\" "
	    "cellpadding=\"1\" color=\"#8a8f98\" style=\"rounded\"><tr><td "
	    "align=\"left\"><b>services</b></td></tr>");
	for (i = 0; i < d->nchanges; i++) {
		const struct change *c = &d->changes[i];
		struct buf t = { 0 };
		enum mark m = MARK_CHANGED;

		switch (c->kind) {
		case CH_SERVICE_ADDED:
			m = MARK_ADDED;
			buf_printf(&t, "%s added, in %zu cluster%s", c->subject,
			    c->count, plural(c->count));
			break;
		case CH_SERVICE_REMOVED:
			m = MARK_REMOVED;
			buf_printf(&t, "%s, in %zu cluster%s", c->subject,
			    c->count, plural(c->count));
			break;
		case CH_VERSION:
			buf_printf(&t, "%s %s%s%s%s", c->subject,
			    c->old ? c->old : "(none)", ARROW,
			    c->new ? c->new : "(none)",
			    c->downgrade ? " (downgrade)" : "");
			break;
		case CH_IMAGE:
			buf_printf(&t, "%s image %s%s%s", c->subject,
			    c->old ? c->old : "(default)", ARROW,
			    c->new ? c->new : "(default)");
			break;
		default:
			break;
		}
		if (t.len && rows < SERVICE_ROWS) {
			rows++;
			buf_printf(b, "<tr><td align=\"left\" bgcolor=\"%s\">",
			    fill[m]);
			inked(b, m, t.data, m != MARK_CHANGED || c->downgrade);
			buf_puts(b, "</td></tr>");
		} else if (t.len) {
			more++;
		}
		buf_free(&t);
	}
	if (more)
		buf_printf(b, "<tr><td align=\"left\">and %zu more (see the "
		    "report)</td></tr>", more);
	buf_puts(b, "</table>");
	if (!rows)
		return NULL;
	n = node(dd, "services", NULL);
	set_html(dd, n, b->data);
	diagram_set(n, "shape", "plaintext");
	diagram_set(n, "style", "");
	return n;
}

/* The wave's changes of policy and estimate, as text; its mark. */
static enum mark
wave_changes(struct ddot *dd, const char *wave, struct buf *b)
{
	enum mark m = MARK_SAME;
	size_t i;

	for (i = 0; i < dd->d->nchanges; i++) {
		const struct change *c = &dd->d->changes[i];

		if (c->kind == CH_WAVE_ADDED && strcmp(c->subject, wave) == 0)
			m = MARK_ADDED;
		if (!c->subject || strcmp(c->subject, wave) != 0 ||
		    (c->kind != CH_WAVE_POLICY && c->kind != CH_ESTIMATE))
			continue;
		if (m == MARK_SAME)
			m = MARK_CHANGED;
		buf_puts(b, "<tr><td align=\"left\">");
		if (c->kind == CH_WAVE_POLICY) {
			struct buf t = { 0 };

			buf_printf(&t, "%s %s%s%s", c->field,
			    c->old ? c->old : "(none)", ARROW,
			    c->new ? c->new : "(none)");
			inked(b, MARK_CHANGED, t.data, true);
			buf_free(&t);
		} else {
			struct buf t = { 0 };

			buf_printf(&t, "estimate %s%s%s", c->old, ARROW,
			    c->new);
			inked(b, MARK_CHANGED, t.data, false);
			buf_free(&t);
		}
		buf_puts(b, "</td></tr>");
	}
	return m;
}

static void
row_html(struct buf *b, const struct row *r)
{
	buf_printf(b, "<tr><td align=\"left\" bgcolor=\"%s\">", fill[r->mark]);
	inked(b, r->mark, r->cluster, true);
	buf_printf(b, "<font color=\"#555555\">" SEP "%zu deploy%s</font>",
	    r->ndeploys, plural(r->ndeploys));
	if (r->mark == MARK_ADDED)
		buf_puts(b, SEP "<font color=\"#1a7f37\">added</font>");
	if (r->mark == MARK_REMOVED && !r->notes.len)
		buf_puts(b, SEP "<font color=\"#b42318\">removed</font>");
	if (r->notes.len) {
		buf_puts(b, SEP);
		buf_puts(b, r->notes.data);
	}
	buf_puts(b, "</td></tr>");
}

/* The node of a wave: its name, size and policy, what changed in it, a
 * row per cluster that changed, one row for the clusters that did not. */
static Agnode_t *
add_wave(struct ddot *dd, const struct plan_wave *pw, const struct wave *w,
    bool removed)
{
	struct buf *b = clear(&dd->text), changes = { 0 };
	enum mark m = removed ? MARK_REMOVED : wave_changes(dd, w->name,
	    &changes);
	size_t i, same = 0, shown = 0, hidden = 0;
	Agnode_t *n;

	buf_printf(b, "<table border=\"1\" cellborder=\"0\" cellspacing=\"3\" "
	    "cellpadding=\"1\" bgcolor=\"%s\" color=\"%s\" style=\"rounded\">"
	    "<tr><td align=\"left\"><font point-size=\"12\">",
	    m == MARK_SAME ? "#f3f4f6" : fill[m], m == MARK_SAME ?
	    "#8a8f98" : ink[m]);
	if (m == MARK_SAME) {
		buf_puts(b, "<b>wave ");
		diagram_html(b, w->name);
		buf_puts(b, "</b>");
	} else {
		inked(b, m, "wave ", true);
		inked(b, m, w->name, true);
	}
	buf_puts(b, "</font>");
	if (pw)
		buf_printf(b, SEP "%zu cluster%s" SEP "%zu deploy%s",
		    pw->nclusters, plural(pw->nclusters), pw->ndeploys,
		    plural(pw->ndeploys));
	if (m == MARK_ADDED)
		buf_puts(b, SEP "<font color=\"#1a7f37\">added</font>");
	if (removed)
		buf_puts(b, SEP "<font color=\"#b42318\">removed</font>");
	buf_puts(b, "</td></tr>");
	if (changes.len)
		buf_puts(b, changes.data);
	buf_free(&changes);
	for (i = 0; i < dd->rows.n; i++) {
		const struct row *r = dd->rows.items[i];

		if (strcmp(r->wave, w->name) != 0)
			continue;
		if (r->mark == MARK_SAME) {
			same++;
			continue;
		}
		if (shown++ < CLUSTER_ROWS)
			row_html(b, r);
		else
			hidden++;
	}
	if (hidden)
		buf_printf(b, "<tr><td align=\"left\">and %zu more changed "
		    "(see the report)</td></tr>", hidden);
	if (same) {
		size_t k = 0;

		buf_printf(b, "<tr><td align=\"left\"><font color=\"%s\">%zu "
		    "unchanged: ", ink[MARK_SAME], same);
		for (i = 0; i < dd->rows.n && k < UNCHANGED_NAMES; i++) {
			const struct row *r = dd->rows.items[i];

			if (strcmp(r->wave, w->name) != 0 ||
			    r->mark != MARK_SAME)
				continue;
			if (k++)
				buf_puts(b, ", ");
			diagram_html(b, r->cluster);
		}
		if (same > k)
			buf_printf(b, " and %zu more", same - k);
		buf_puts(b, "</font></td></tr>");
	}
	buf_puts(b, "</table>");
	n = node(dd, "wave", w->name);
	set_html(dd, n, b->data);
	diagram_set(n, "shape", "plaintext");
	diagram_set(n, "style", removed ? "dashed" : "");
	return n;
}

/* The gates after a wave of the new plan, amber when their policy
 * changed; NULL when none. */
static Agnode_t *
add_gates(struct ddot *dd, const struct wave *w)
{
	struct buf *b = clear(&dd->text);
	bool changed = false;
	Agnode_t *n;
	size_t i;

	for (i = 0; i < dd->d->nchanges; i++) {
		const struct change *c = &dd->d->changes[i];

		if (c->kind == CH_WAVE_POLICY && strcmp(c->subject,
		    w->name) == 0 && (strcmp(c->field, "soak") == 0 ||
		    strcmp(c->field, "approve") == 0))
			changed = true;
	}
	if (!w->soak && !w->approve)
		return NULL;
	if (w->soak)
		buf_printf(b, "soak %s", w->soak_text);
	if (w->approve)
		buf_printf(b, "%sapprove", w->soak ? SEP : "");
	n = node(dd, "gate", w->name);
	diagram_set(n, "label", b->data);
	diagram_set(n, "shape", w->approve ? "octagon" : "hexagon");
	diagram_set(n, "style", "filled");
	diagram_set(n, "fillcolor", changed ? fill[MARK_CHANGED] : "#f3f4f6");
	diagram_set(n, "color", changed ? ink[MARK_CHANGED] : ink[MARK_SAME]);
	diagram_set(n, "fontcolor", changed ? ink[MARK_CHANGED] : "#333333");
	return n;
}

static void
build(struct ddot *dd)
{
	const struct plan *np = dd->d->new.plan;
	Agnode_t *from, *n;
	size_t i;

	agattr(dd->g, AGRAPH, "rankdir", "TB");
	agattr(dd->g, AGRAPH, "ranksep", "0.2");
	agattr(dd->g, AGRAPH, "nodesep", "0.2");
	agattr(dd->g, AGRAPH, "fontname", "Helvetica");
	agattr(dd->g, AGNODE, "fontname", "Helvetica");
	agattr(dd->g, AGNODE, "fontsize", "10");
	agattr(dd->g, AGNODE, "shape", "box");
	agattr(dd->g, AGNODE, "style", "");
	agattr(dd->g, AGNODE, "fillcolor", "white");
	agattr(dd->g, AGNODE, "color", "#666666");
	agattr(dd->g, AGNODE, "fontcolor", "black");
	agattr(dd->g, AGNODE, "margin", "0.08,0.04");
	agattr(dd->g, AGNODE, "label", "\\N");
	agattr(dd->g, AGEDGE, "color", "#9a9a9a");
	agattr(dd->g, AGEDGE, "arrowsize", "0.5");
	agattr(dd->g, AGEDGE, "style", "");
	find_rows(dd);
	from = add_title(dd);
	if ((n = add_services(dd))) {
		edge(dd, from, n);
		from = n;
	}
	for (i = 0; i < np->nwaves; i++) {
		n = add_wave(dd, &np->waves[i], np->waves[i].wave, false);
		edge(dd, from, n);
		from = n;
		if ((n = add_gates(dd, np->waves[i].wave))) {
			edge(dd, from, n);
			from = n;
		}
	}
	for (i = 0; i < dd->d->nchanges; i++) {
		const struct change *c = &dd->d->changes[i];
		const struct plan *op = dd->d->old.plan;
		size_t j;

		if (c->kind != CH_WAVE_REMOVED)
			continue;
		for (j = 0; j < op->nwaves; j++)
			if (strcmp(op->waves[j].wave->name, c->subject) == 0)
				break;
		if (j == op->nwaves)
			continue;
		n = add_wave(dd, NULL, op->waves[j].wave, true);
		edge(dd, from, n);
		diagram_set(agedge(dd->g, from, n, NULL, 0), "style", "dashed");
		from = n;
	}
}

bool
diff_write_diagram(FILE *out, const struct plan_diff *d,
    enum graph_format fmt, const char **why)
{
	struct ddot dd = { 0 };
	size_t i;
	bool ok;

	dd.d = d;
	dd.g = diagram_open(d->new.plan->rollout->name);
	build(&dd);
	ok = diagram_close(dd.g, out, fmt, why);
	for (i = 0; i < dd.rows.n; i++) {
		struct row *r = dd.rows.items[i];

		buf_free(&r->notes);
		free(r);
	}
	vec_free(&dd.rows);
	map_free(&dd.row_of);
	buf_free(&dd.text);
	buf_free(&dd.id);
	return ok;
}
