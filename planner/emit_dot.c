/*
 * emit_dot.c: the diagram of a plan, to review in a pull request, built
 * with cgraph, in two views.  The overview (the default) reads top to
 * bottom, to fit the width of a pull request: a node per wave, a table of
 * its size, policy and estimate and a row per set of identical clusters
 * (the clusters of one shape, named by the first two and how many more),
 * with its deploys counted per team file in the team's colour; the gates
 * between the waves.  The detail view (--detail) reads left to right: one
 * box per wave with its policy; inside it one box per set of identical
 * clusters.  In a small plan each deploy is a node, in a rank=same subgraph
 * per step so each step is a column of its own, and each need an edge;
 * once some cluster has more than DETAIL_MAX deploys, each step is one
 * node instead, a table of its services, chained to the next step.
 * Services are filled with the colour of the file they are declared in (a
 * team's file, by habit).  The critical path (plan.h) is drawn bold and
 * near black in both views, never in a colour a team could have, and the
 * title's legend says so.  Soak and approval gates stand between the
 * waves, linked to the boxes by one visible edge each way: the edges that
 * hold the columns in place are invisible, and there is never an edge per
 * pair of deploys.  DOT is written with agwrite; SVG and PNG are laid out
 * and rendered with gvc.  Every Graphviz object but the one gvc context of
 * the process (see graphviz below) dies before emit_diagram returns, and
 * the same plan always gives the same bytes.
 */
#include <stdlib.h>
#include <string.h>

#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>

#include "plan.h"

#define SEP " \xc2\xb7 "	/* " · " between the parts of a label */
#define TEAMS_PER_ROW 6	/* colour chips per row of the title */
#define NAMES_PER_LINE 3	/* cluster names per line of a box label */
#define DETAIL_MAX 40	/* beyond this many deploys in a box, every box
			 * shows a table per step */
#define STEP_ROWS 16	/* rows of a step table's column, at least */
#define FOLD_NAMES 24	/* cluster names in a box label, at most */
/* Past these, Graphviz takes seconds to minutes (or runs out of memory):
 * 2,000 boxes took 9 s and 0.9 GB, a chain of 10,000 steps 9 s. */
#define MAX_BOXES 500	/* waves and boxes of identical clusters */
#define MAX_NODES 3000	/* deploys drawn, or step tables */
/* The longest chain is drawn bold and near black, never in a colour: a team
 * file's fill could be any colour of the palette. */
#define CHAIN_COLOR "#1a1a1a"
#define CHAIN_PEN "2.4"
#define SHAPE_NAMES 2	/* cluster names of a shape in the overview */
#define SHAPE_ROWS 12	/* shapes of a wave in the overview, at most */
#define CHAIN_NAMES 4	/* services per line of the overview's chain */

/*
 * Object IDs in the order names are first used.  cgraph's own ID for a
 * named object is the address of its interned string, and it keeps
 * subgraphs sorted by ID: the order of the boxes in the DOT, and so the
 * layout, would follow the heap.  Here a name's ID is 2 * (its number + 1);
 * odd IDs are for anonymous objects, as in cgraph's own discipline.  The
 * names are cgraph's pooled strings, which agwrite looks into.
 */
struct ids {
	Agraph_t *root;		/* whose string pool holds the names */
	struct map number;	/* name -> its number + 1 */
	struct vec names;	/* by number, one reference each */
	IDTYPE anonymous;	/* the last odd ID handed out */
};

static void *
ids_open(Agraph_t *g, Agdisc_t *disc)
{
	struct ids *ids = xmalloc(sizeof(*ids));

	(void)disc;
	memset(ids, 0, sizeof(*ids));
	ids->root = g;
	ids->anonymous = 1;
	return ids;
}

static long
ids_map(void *state, int objtype, char *str, IDTYPE *id, int createflag)
{
	struct ids *ids = state;
	uintptr_t number;
	char *copy;

	(void)objtype;
	if (!str) {
		*id = ids->anonymous;
		ids->anonymous += 2;
		return 1;
	}
	number = (uintptr_t)map_get(&ids->number, str);
	if (!number) {
		if (!createflag)
			return 0;
		copy = agstrdup(ids->root, str);
		vec_push(&ids->names, copy);
		number = ids->names.n;
		map_put(&ids->number, copy, (void *)number);
	}
	*id = 2 * (IDTYPE)number;
	return 1;
}

/* Nobody asks for an ID of their own. */
static long
ids_alloc(void *state, int objtype, IDTYPE request)
{
	(void)state;
	(void)objtype;
	(void)request;
	return 0;
}

/* Names live until the graph is closed. */
static void
ids_free(void *state, int objtype, IDTYPE id)
{
	(void)state;
	(void)objtype;
	(void)id;
}

static char *
ids_print(void *state, int objtype, IDTYPE id)
{
	struct ids *ids = state;

	(void)objtype;
	if (id == 0 || id % 2 || id / 2 > ids->names.n)
		return NULL;
	return ids->names.items[id / 2 - 1];
}

static void
ids_close(void *state)
{
	struct ids *ids = state;
	size_t i;

	for (i = 0; i < ids->names.n; i++)
		agstrfree(ids->root, ids->names.items[i]);
	vec_free(&ids->names);
	map_free(&ids->number);
	free(ids);
}

static void
ids_register(void *state, int objtype, void *obj)
{
	(void)state;
	(void)objtype;
	(void)obj;
}

static Agiddisc_t ordered_ids = {
	ids_open, ids_map, ids_alloc, ids_free, ids_print, ids_close,
	ids_register
};

/* Fills for the team files: pastel, so black text stays readable. */
static const char *const palette[] = {
	"#8dd3c7", "#ffffb3", "#bebada", "#fb8072", "#80b1d3", "#fdb462",
	"#b3de69", "#fccde5", "#d9d9d9", "#bc80bd", "#ccebc5", "#ffed6f",
};

#define NPALETTE (sizeof(palette) / sizeof(palette[0]))

static const char *const graph_attrs[][2] = {
	{ "rankdir", "LR" }, { "compound", "true" }, { "newrank", "true" },
	{ "fontname", "Helvetica" }, { "fontsize", "10" },
	{ "nodesep", "0.08" }, { "ranksep", "0.25" },
	{ "labelloc", "t" }, { "labeljust", "l" }, { "style", "" },
	{ "color", "" }, { "fillcolor", "" }, { "label", "" },
};

static const char *const node_attrs[][2] = {
	{ "shape", "box" }, { "style", "rounded,filled" },
	{ "fillcolor", "white" }, { "color", "#666666" }, { "penwidth", "0.6" },
	{ "fontname", "Helvetica" }, { "fontsize", "9" },
	{ "height", "0.22" }, { "width", "0.3" }, { "margin", "0.06,0.02" },
	{ "label", "\\N" },
};

static const char *const edge_attrs[][2] = {
	{ "color", "#9a9a9a" }, { "arrowsize", "0.5" }, { "penwidth", "0.7" },
	{ "style", "" }, { "lhead", "" }, { "ltail", "" },
};

/* A team file: the file some services are declared in. */
struct team {
	const char *path;	/* relative to the rollout file's directory */
	size_t color;		/* index in palette */
};

struct dot {
	const struct plan *p;
	Agraph_t *g;
	Agnode_t **node_of;	/* per deploy index, for drawn deploys */
	struct team *teams;	/* in order of their first service */
	size_t nteams;
	size_t *team_of;	/* per service index */
	size_t *chain_next;	/* per service index: 1 + the next on the
				 * critical path in the wave drawn, or 0 */
	bool *on_path;		/* per service index: on it in that wave */
	size_t path_at;		/* the critical path's first step not in
				 * the waves drawn */
	bool detail;		/* the detail view, not the overview */
	bool tables;		/* steps as tables, not a node per deploy */
	bool *first;		/* per plan cluster: the first of its shape
				 * in its wave, which draws the box */
	Agnode_t *joint;	/* the last joint between waves with no gate */
	Agnode_t *wave_node;	/* the overview: the node of the last wave */
	size_t *counts;		/* the overview: deploys per team, scratch */
	struct buf id, text;	/* scratch for names and labels */
};

/* The ending of a count's noun: "1 wave", "2 waves". */
static const char *
plural(size_t n)
{
	return n == 1 ? "" : "s";
}

/* Empties a scratch buffer and returns it. */
static struct buf *
clear(struct buf *b)
{
	b->len = 0;
	buf_add(b, "", 0);
	return b;
}

/* Sets an attribute of a graph, node or edge (cgraph copies the value). */
static void
set(void *obj, const char *name, const char *value)
{
	agsafeset(obj, (char *)name, (char *)value, "");
}

/* Declares the attributes of one kind of object with their defaults. */
static void
declare(Agraph_t *g, int kind, const char *const (*attrs)[2], size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		agattr(g, kind, (char *)attrs[i][0], (char *)attrs[i][1]);
}

/* The id of a node: its names joined by '/' (names never hold one). */
static char *
node_id(struct dot *d, const char *a, const char *b, const char *c)
{
	clear(&d->id);
	buf_puts(&d->id, a);
	if (b)
		buf_printf(&d->id, "/%s", b);
	if (c)
		buf_printf(&d->id, "/%s", c);
	return d->id.data;
}

#define REPLACEMENT "\xef\xbf\xbd"	/* U+FFFD */

/*
 * Appends text for a label, as Graphviz takes it: valid UTF-8, each byte
 * that is not UTF-8 (a file name may hold one) and each noncharacter
 * (U+FDD0..U+FDEF, U+FFFE and U+FFFF of every plane, which Graphviz's XML
 * parser refuses in an HTML-like label) as U+FFFD, control characters as
 * spaces; escaped for an HTML-like label (html) or a DOT string (the
 * backslashes doubled).
 */
static void
text_puts(struct buf *b, const char *s, bool html)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n = strlen(s), i = 0, len;

	while (i < n) {
		unsigned long cp = u[i];

		len = utf8_char_length(u + i, n - i);
		if (len == 0) {
			buf_puts(b, REPLACEMENT);
			i++;
			continue;
		}
		if (len > 1) {
			size_t k;

			cp = u[i] & (len == 2 ? 0x1f : len == 3 ? 0x0f : 0x07);
			for (k = 1; k < len; k++)
				cp = cp << 6 | (u[i + k] & 0x3f);
		}
		if ((cp >= 0xfdd0 && cp <= 0xfdef) || (cp & 0xfffe) == 0xfffe)
			buf_puts(b, REPLACEMENT);
		else if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0))
			buf_putc(b, ' ');
		else if (cp == '\\' && !html)
			buf_puts(b, "\\\\");
		else if (cp == '&' && html)
			buf_puts(b, "&amp;");
		else if (cp == '<' && html)
			buf_puts(b, "&lt;");
		else if (cp == '>' && html)
			buf_puts(b, "&gt;");
		else if (cp == '"' && html)
			buf_puts(b, "&quot;");
		else
			buf_add(b, s + i, len);
		i += len;
	}
}

/* Appends text for a DOT label. */
static void
label_puts(struct buf *b, const char *s)
{
	text_puts(b, s, false);
}

/* Appends text for an HTML-like label. */
static void
html_puts(struct buf *b, const char *s)
{
	text_puts(b, s, true);
}

void
diagram_html(struct buf *b, const char *s)
{
	html_puts(b, s);
}

void
diagram_set(void *obj, const char *name, const char *value)
{
	set(obj, name, value);
}

/*
 * The file of a service relative to the rollout file's directory, so the
 * colour does not depend on the directory planner was started from.
 */
static const char *
team_path(const struct plan *p, const struct service *s)
{
	const char *root = p->rollout->loc.src->path;
	const char *path = s->loc.src->path;
	const char *slash = strrchr(root, '/');
	size_t n = slash ? (size_t)(slash - root) + 1 : 0;

	if (n && strncmp(path, root, n) == 0)
		return path + n;
	return path;
}

/*
 * A colour for a new team file: by a hash of its path, moved on to the next
 * colour an earlier file has not taken, so files differ while the palette
 * lasts and a file keeps its colour when others come and go.
 */
static size_t
pick_color(const struct dot *d, const char *path)
{
	size_t h = (size_t)(hash_bytes(path, strlen(path), 0) % NPALETTE);
	size_t c = h, tries, t;

	for (tries = 0; tries < NPALETTE; tries++, c = (c + 1) % NPALETTE) {
		for (t = 0; t < d->nteams; t++)
			if (d->teams[t].color == c)
				break;
		if (t == d->nteams)
			return c;
	}
	return h;
}

/* Finds the team file of every service, in service declaration order. */
static void
find_teams(struct dot *d)
{
	const struct rollout *r = d->p->rollout;
	size_t i, t;

	d->teams = xmalloc_array(r->nservices + 1, sizeof(*d->teams));
	d->team_of = xmalloc_array(r->nservices + 1, sizeof(*d->team_of));
	for (i = 0; i < r->nservices; i++) {
		const char *path = team_path(d->p, r->services[i]);

		for (t = d->nteams; t > 0; t--)
			if (strcmp(d->teams[t - 1].path, path) == 0)
				break;
		if (t == 0) {
			d->teams[d->nteams].path = path;
			d->teams[d->nteams].color = pick_color(d, path);
			t = ++d->nteams;
		}
		d->team_of[r->services[i]->index] = t - 1;
	}
}

/* Makes room to note, per service, its place on the critical path. */
static void
find_chain(struct dot *d)
{
	size_t n = d->p->rollout->nservices + 1;

	d->chain_next = xmalloc_array(n, sizeof(*d->chain_next));
	memset(d->chain_next, 0, n * sizeof(*d->chain_next));
	d->on_path = xmalloc_array(n, sizeof(*d->on_path));
	memset(d->on_path, 0, n * sizeof(*d->on_path));
}

/*
 * Notes (on) or forgets the deploys of the critical path in a wave, by
 * service: they are all in its slowest cluster, which the box of its shape
 * draws.  The critical path is in wave order, so a cursor walks it once.
 */
static void
mark_wave(struct dot *d, const struct plan_wave *pw, bool on)
{
	const struct plan *p = d->p;
	size_t k = d->path_at;

	while (k < p->ncritical && p->critical[k].wave != pw)
		k++;
	for (; k < p->ncritical && p->critical[k].wave == pw; k++) {
		const struct plan_step *st = &p->critical[k];
		const struct plan_step *next = k + 1 < p->ncritical ?
		    &p->critical[k + 1] : NULL;
		size_t s;

		if (st->kind != PLAN_STEP_DEPLOY)
			continue;
		s = st->deploy->service->index;
		d->on_path[s] = on;
		d->chain_next[s] = on && next && next->wave == pw &&
		    next->kind == PLAN_STEP_DEPLOY ?
		    next->deploy->service->index + 1 : 0;
	}
	if (!on)
		d->path_at = k;
}

/* True when a service is on the critical path of the wave marked. */
static bool
on_chain(const struct dot *d, const struct service *s)
{
	return d->on_path[s->index];
}

/* The colour of a service's team file. */
static const char *
team_color(const struct dot *d, const struct service *s)
{
	return palette[d->teams[d->team_of[s->index]].color];
}

/* Appends a duration in seconds: "1h30m", "45m", "30s", "0s". */
static void
duration_puts(struct buf *b, long seconds)
{
	long h = seconds / 3600, m = seconds / 60 % 60, sec = seconds % 60;

	if (h)
		buf_printf(b, "%ldh", h);
	if (m)
		buf_printf(b, "%ldm", m);
	if (sec || seconds == 0)
		buf_printf(b, "%lds", sec);
}

/* Appends the rows of the title that show each team file's colour. */
static void
title_teams(struct dot *d, struct buf *b)
{
	size_t i;

	for (i = 0; i < d->nteams; i++) {
		buf_puts(b, i % TEAMS_PER_ROW ? "" : "<tr>");
		buf_printf(b, "<td bgcolor=\"%s\" border=\"1\" "
		    "color=\"#666666\">", palette[d->teams[i].color]);
		html_puts(b, d->teams[i].path);
		buf_puts(b, "</td>");
		if ((i + 1) % TEAMS_PER_ROW == 0 || i + 1 == d->nteams)
			buf_puts(b, "</tr>");
	}
}

/* The title: name, version, counts, and the colour of each team file. */
static void
add_title(struct dot *d)
{
	const struct plan *p = d->p;
	const struct rollout *r = p->rollout;
	struct buf *b = clear(&d->text);
	size_t cols = d->nteams < TEAMS_PER_ROW ? d->nteams : TEAMS_PER_ROW;
	char *html;

	cols = cols ? cols : 1;
	buf_printf(b, "<table border=\"0\" cellspacing=\"3\" cellpadding=\"2\">"
	    "<tr><td colspan=\"%zu\" align=\"left\"><font point-size=\"14\">"
	    "<b>", cols);
	html_puts(b, r->name);
	buf_puts(b, "</b> ");
	html_puts(b, r->version ? r->version : "");
	buf_printf(b, "</font></td></tr><tr><td colspan=\"%zu\" align=\"left\">"
	    "%zu service%s" SEP "%zu cluster%s" SEP "%zu wave%s" SEP
	    "%zu deploy%s" SEP "estimate ", cols, r->nservices,
	    plural(r->nservices), p->nclusters, plural(p->nclusters),
	    p->nwaves, plural(p->nwaves), p->ndeploys, plural(p->ndeploys));
	duration_puts(b, p->estimate);
	if (p->napprovals)
		buf_printf(b, " and %zu approval%s", p->napprovals,
		    plural(p->napprovals));
	buf_puts(b, "</td></tr>");
	title_teams(d, b);
	/* the legend of the critical path: bold, which no team's colour is */
	buf_printf(b, "<tr><td colspan=\"%zu\" align=\"left\" border=\"3\" "
	    "color=\"" CHAIN_COLOR "\" sides=\"l\"><b>bold: the critical "
	    "path</b>, what decides the estimate: %s</td></tr>", cols,
	    d->detail ? "its deploys, needs and gates" :
	    "the clusters it runs through, its deploys and gates");
	buf_puts(b, "</table>");
	html = agstrdup_html(d->g, b->data);
	set(d->g, "label", html);
	agstrfree(d->g, html);
}

/* The label of a wave's box: its name and size, then its policy. */
static const char *
wave_label(struct dot *d, const struct plan_wave *pw)
{
	const struct wave *w = pw->wave;
	struct buf *b = clear(&d->text);

	buf_printf(b, "wave %s" SEP "%zu cluster%s" SEP "%zu deploy%s" SEP
	    "estimate ", w->name, pw->nclusters, plural(pw->nclusters),
	    pw->ndeploys, plural(pw->ndeploys));
	duration_puts(b, pw->estimate);
	buf_puts(b, "\\l");
	if (w->parallel)
		buf_printf(b, "parallel %ld", w->parallel);
	else
		buf_puts(b, "all clusters at once");
	if (w->soak)
		buf_printf(b, SEP "soak %s", w->soak_text);
	if (w->approve)
		buf_puts(b, SEP "approve");
	buf_printf(b, SEP "%s on failure\\l", policy_words[w->on_failure]);
	return b->data;
}

/* True when clusters[i] is the first of its shape in the wave. */
static bool
fold_first(const struct dot *d, const struct plan_wave *pw, size_t i)
{
	return d->first[pw->clusters[i] - d->p->clusters];
}

/* Finds the first cluster of each shape in each wave. */
static void
find_folds(struct dot *d)
{
	const struct plan *p = d->p;
	size_t *wave_of_shape = xmalloc_array(p->nshapes + 1,
	    sizeof(*wave_of_shape));
	size_t w, i;

	memset(wave_of_shape, 0, (p->nshapes + 1) * sizeof(*wave_of_shape));
	d->first = xmalloc_array(p->nclusters + 1, sizeof(*d->first));
	for (w = 0; w < p->nwaves; w++) {
		const struct plan_wave *pw = &p->waves[w];

		for (i = 0; i < pw->nclusters; i++) {
			const struct plan_cluster *pc = pw->clusters[i];

			d->first[pc - p->clusters] =
			    wave_of_shape[pc->shape->index] != w + 1;
			wave_of_shape[pc->shape->index] = w + 1;
		}
	}
	free(wave_of_shape);
}

/*
 * NULL when the diagram is small enough for Graphviz to lay out in a few
 * seconds; else why not.  A box is a wave or a set of identical clusters
 * (a row in the overview); a node, in the detail view, is a deploy, or
 * with tables a step.
 */
static const char *
too_big(const struct dot *d)
{
	static char why[256];
	const struct plan *p = d->p;
	size_t boxes = p->nwaves, nodes = 0, i;

	for (i = 0; i < p->nclusters; i++) {
		if (!d->first[i])
			continue;
		boxes++;
		nodes += d->tables ? (size_t)p->clusters[i].nsteps :
		    p->clusters[i].ndeploys;
	}
	if (boxes > MAX_BOXES)
		snprintf(why, sizeof(why), "it would have %zu boxes (waves "
		    "and sets of identical clusters), more than the %d "
		    "Graphviz lays out in seconds; --json and --argo have it "
		    "all", boxes, MAX_BOXES);
	else if (d->detail && nodes > MAX_NODES)
		snprintf(why, sizeof(why), "it would have %zu %s, more than "
		    "the %d Graphviz lays out in seconds; --json and --argo "
		    "have it all", nodes, d->tables ? "step tables" :
		    "deploys", MAX_NODES);
	else
		return NULL;
	return why;
}

/* The label of a folded box: its clusters' names, then its size. */
static const char *
fold_label(struct dot *d, const struct plan_wave *pw, size_t first,
    bool *has_chain)
{
	const struct plan_cluster *pc = pw->clusters[first];
	struct buf *b = clear(&d->text);
	size_t i, n = 0;

	*has_chain = false;
	for (i = first; i < pw->nclusters; i++) {
		if (pw->clusters[i]->shape != pc->shape)
			continue;
		*has_chain |= pw->clusters[i] == pw->slowest;
		if (n < FOLD_NAMES) {
			if (n)
				buf_puts(b, n % NAMES_PER_LINE ? ", " :
				    ",\\l");
			buf_puts(b, pw->clusters[i]->cluster->name);
		}
		n++;
	}
	if (n > FOLD_NAMES)
		buf_printf(b, "\\land %zu more", n - FOLD_NAMES);
	buf_printf(b, "\\l%s%zu deploy%s in %d step%s\\l",
	    n > 1 ? "each: " : "", pc->ndeploys, plural(pc->ndeploys),
	    pc->nsteps, plural((size_t)pc->nsteps));
	return b->data;
}

/* The label of a deploy: its service, and its version if not the rollout's. */
static const char *
deploy_label(struct dot *d, const struct service *s)
{
	const char *version = d->p->rollout->version;
	struct buf *b = clear(&d->text);

	label_puts(b, s->name);
	if (!version || strcmp(version, s->version) != 0) {
		buf_puts(b, "\\n");
		label_puts(b, s->version);
	}
	return b->data;
}

/*
 * Adds one node per deploy of a cluster to a box, the deploys of a step in
 * a subgraph of rank=same: a deploy stands in its step's column even when
 * what needs it is steps later.  On the longest chain, framed bold.
 */
static void
add_deploys(struct dot *d, Agraph_t *box, const struct plan_cluster *pc,
    bool has_chain)
{
	Agraph_t *column = NULL;
	int step = 0;
	size_t i;
	char name[32];

	for (i = 0; i < pc->ndeploys; i++) {
		const struct deploy *dep = pc->deploys[i];
		const struct service *s = dep->service;
		Agnode_t *n;

		if (!column || dep->step != step) {
			step = dep->step;
			snprintf(name, sizeof(name), "step %d", step);
			column = agsubg(box, node_id(d, pc->wave->name,
			    pc->cluster->name, name), 1);
			set(column, "rank", "same");
		}
		n = agnode(column, node_id(d, pc->wave->name,
		    pc->cluster->name, s->name), 1);
		set(n, "label", deploy_label(d, s));
		set(n, "fillcolor", team_color(d, s));
		if (has_chain && on_chain(d, s)) {
			set(n, "color", CHAIN_COLOR);
			set(n, "penwidth", CHAIN_PEN);
		}
		d->node_of[dep->index] = n;
	}
}

/* Adds an edge per need inside a cluster; the longest chain bold. */
static void
add_needs(struct dot *d, const struct plan_cluster *pc, bool has_chain)
{
	size_t i, j;

	for (i = 0; i < pc->ndeploys; i++) {
		const struct deploy *dep = pc->deploys[i];

		for (j = 0; j < dep->nneeds; j++) {
			const struct deploy *need = dep->needs[j];
			Agedge_t *e;

			e = agedge(d->g, d->node_of[need->index],
			    d->node_of[dep->index], NULL, 1);
			if (has_chain && d->chain_next[need->service->index] ==
			    dep->service->index + 1) {
				set(e, "color", CHAIN_COLOR);
				set(e, "penwidth", CHAIN_PEN);
				set(e, "arrowsize", "0.7");
			}
		}
	}
}

/* Chains one node to the next along the rollout. */
static void
add_step(Agnode_t *from, Agnode_t *to)
{
	Agedge_t *e = agedge(agraphof(from), from, to, NULL, 1);

	set(e, "color", "#555555");
	set(e, "penwidth", "1.2");
	set(e, "arrowsize", "0.7");
}

/*
 * Chains the waves and gates: every wave's soak and approval are on the
 * critical path, and so is the way between them, bold when there is one.
 */
static Agedge_t *
add_spine(struct dot *d, Agnode_t *from, Agnode_t *to)
{
	Agedge_t *e = agedge(agraphof(from), from, to, NULL, 1);

	set(e, "color", d->p->ncritical ? CHAIN_COLOR : "#555555");
	set(e, "penwidth", d->p->ncritical ? CHAIN_PEN : "1.2");
	set(e, "arrowsize", "0.7");
	return e;
}

/*
 * Appends one cell of a step table: a service in its team's colour, framed
 * bold when it is on the longest chain and the box holds that chain.
 */
static void
step_cell(struct dot *d, struct buf *b, const struct service *s,
    bool has_chain)
{
	const char *version = d->p->rollout->version;
	bool chain = has_chain && on_chain(d, s);

	buf_printf(b, "<td bgcolor=\"%s\" align=\"left\"%s>",
	    team_color(d, s), chain ? " border=\"3\" color=\"" CHAIN_COLOR
	    "\"" : "");
	buf_puts(b, chain ? "<b>" : "");
	html_puts(b, s->name);
	buf_puts(b, chain ? "</b>" : "");
	if (!version || strcmp(version, s->version) != 0) {
		buf_puts(b, " <font point-size=\"7\">");
		html_puts(b, s->version);
		buf_puts(b, "</font>");
	}
	buf_puts(b, "</td>");
}

/*
 * The rows of a step table of n deploys: up to STEP_ROWS in one column;
 * past that, about as many rows as six times the columns, since a cell is
 * about six times as wide as it is high: a big step grows in both ways.
 */
static size_t
step_rows(size_t n)
{
	size_t rows = STEP_ROWS, cols;

	while (rows * rows < 6 * n)
		rows++;
	cols = (n + rows - 1) / rows;
	return cols ? (n + cols - 1) / cols : 0;
}

/* The label of a step of a big box: a table of its deploys, by column. */
static char *
step_label(struct dot *d, struct deploy *const *deps, size_t n, int step,
    bool has_chain)
{
	size_t rows = step_rows(n), cols = (n + rows - 1) / rows, r, c;
	struct buf *b = clear(&d->text);

	buf_printf(b, "<table border=\"0\" cellborder=\"1\" cellspacing=\"0\" "
	    "cellpadding=\"2\" color=\"#888888\"><tr><td colspan=\"%zu\" "
	    "border=\"0\"><font point-size=\"8\" color=\"#555555\">step %d"
	    SEP "%zu</font></td></tr>", cols, step, n);
	for (r = 0; r < rows; r++) {
		buf_puts(b, "<tr>");
		for (c = 0; c < cols; c++) {
			if (c * rows + r >= n)
				buf_puts(b, "<td border=\"0\"></td>");
			else
				step_cell(d, b, deps[c * rows + r]->service,
				    has_chain);
		}
		buf_puts(b, "</tr>");
	}
	buf_puts(b, "</table>");
	return agstrdup_html(d->g, b->data);
}

/*
 * Adds one node per step of a big cluster, a table of its deploys, and an
 * edge from each step to the next: a column per step, as in the text plan.
 */
static void
add_steps(struct dot *d, Agraph_t *box, const struct plan_cluster *pc,
    bool has_chain)
{
	Agnode_t *n, *prev = NULL;
	size_t i, j;
	char *label, name[32];

	for (i = 0; i < pc->ndeploys; i = j) {
		int step = pc->deploys[i]->step;

		j = i + 1;
		while (j < pc->ndeploys && pc->deploys[j]->step == step)
			j++;
		snprintf(name, sizeof(name), "step-%d", step);
		n = agnode(box, node_id(d, pc->wave->name, pc->cluster->name,
		    name), 1);
		label = step_label(d, pc->deploys + i, j - i, step, has_chain);
		set(n, "label", label);
		agstrfree(d->g, label);
		set(n, "shape", "plaintext");
		set(n, "style", "");
		set(n, "margin", "0");
		set(n, "group", agnameof(box));
		while (i < j)
			d->node_of[pc->deploys[i++]->index] = n;
		if (prev)
			add_step(prev, n);
		prev = n;
	}
}

/* Adds the box of the clusters of one shape in a wave, and its deploys. */
static void
add_fold(struct dot *d, Agraph_t *wave_box, const struct plan_wave *pw,
    size_t first)
{
	const struct plan_cluster *pc = pw->clusters[first];
	Agraph_t *box;
	bool has_chain;

	clear(&d->id);
	buf_printf(&d->id, "cluster_%s/%s", pw->wave->name, pc->cluster->name);
	box = agsubg(wave_box, d->id.data, 1);
	set(box, "label", fold_label(d, pw, first, &has_chain));
	set(box, "style", "rounded,filled");
	set(box, "fillcolor", "white");
	set(box, "color", "#b0b0b0");
	set(box, "fontsize", "9");
	if (d->tables) {
		add_steps(d, box, pc, has_chain);
		return;
	}
	add_deploys(d, box, pc, has_chain);
	add_needs(d, pc, has_chain);
}

/* Adds the box of a wave, with a box per shape of its clusters. */
static Agraph_t *
add_wave(struct dot *d, const struct plan_wave *pw)
{
	Agraph_t *box;
	Agnode_t *n;
	size_t i;

	clear(&d->id);
	buf_printf(&d->id, "cluster_wave_%s", pw->wave->name);
	box = agsubg(d->g, d->id.data, 1);
	set(box, "label", wave_label(d, pw));
	set(box, "style", "rounded,filled");
	set(box, "fillcolor", "#f3f4f6");
	set(box, "color", "#8a8f98");
	set(box, "fontsize", "11");
	for (i = 0; i < pw->nclusters; i++)
		if (fold_first(d, pw, i))
			add_fold(d, box, pw, i);
	if (!pw->nclusters) {
		n = agnode(box, node_id(d, pw->wave->name, "empty", NULL), 1);
		set(n, "label", "no clusters");
		set(n, "shape", "plaintext");
		set(n, "style", "");
	}
	return box;
}

/*
 * Adds an edge between a node of a wave and one outside it, into or out of
 * the wave (named in d->text).  The visible one is clipped at the wave's
 * box; one that ends at a joint has no arrowhead, so the edge into the
 * next wave seems to go straight on.
 */
static void
add_link(struct dot *d, Agnode_t *n, Agnode_t *outside, bool into,
    bool visible)
{
	Agedge_t *e = into ? agedge(d->g, outside, n, NULL, 1) :
	    agedge(d->g, n, outside, NULL, 1);

	if (!visible) {
		set(e, "style", "invis");
		return;
	}
	set(e, into ? "lhead" : "ltail", d->text.data);
	set(e, "color", d->p->ncritical ? CHAIN_COLOR : "#555555");
	set(e, "penwidth", d->p->ncritical ? CHAIN_PEN : "1.2");
	set(e, "arrowsize", "0.7");
	if (!into && outside == d->joint)
		set(e, "arrowhead", "none");
}

/*
 * Links the deploys of one box at a step (1, or its last step) to a node
 * outside the wave, into the wave or out of it.  Only the wave's first
 * link is drawn, clipped at the edge of the wave's box; the others keep
 * the steps in their columns.
 */
static void
link_box(struct dot *d, const struct plan_cluster *pc, Agnode_t *outside,
    bool into, bool *first)
{
	int step = into ? 1 : pc->nsteps;
	Agnode_t *prev = NULL;
	size_t i;

	for (i = 0; i < pc->ndeploys; i++) {
		Agnode_t *n = d->node_of[pc->deploys[i]->index];

		if (pc->deploys[i]->step != step || n == prev)
			continue;
		add_link(d, n, outside, into, *first);
		*first = false;
		prev = n;
	}
}

/* Links a wave to the node it starts from (into) or ends at. */
static void
link_wave(struct dot *d, const struct plan_wave *pw, Agnode_t *outside,
    bool into)
{
	bool first = true;
	Agnode_t *n;
	size_t i;

	clear(&d->text);
	buf_printf(&d->text, "cluster_wave_%s", pw->wave->name);
	for (i = 0; i < pw->nclusters; i++)
		if (fold_first(d, pw, i))
			link_box(d, pw->clusters[i], outside, into, &first);
	if (!pw->nclusters) {
		n = agnode(d->g, node_id(d, pw->wave->name, "empty", NULL), 0);
		add_link(d, n, outside, into, true);
	}
}

/* Adds a gate node between waves: a soak, an approval, or a joint. */
static Agnode_t *
add_gate(struct dot *d, const char *wave, const char *kind,
    const char *label, const char *shape, const char *fill)
{
	Agnode_t *n = agnode(d->g, node_id(d, wave, kind, NULL), 1);

	set(n, "label", label);
	set(n, "shape", shape);
	set(n, "fillcolor", fill);
	set(n, "style", "filled");
	set(n, "fontsize", "10");
	if (d->p->ncritical && strcmp(kind, "done") != 0) {
		set(n, "color", CHAIN_COLOR);
		set(n, "penwidth", "2");
	}
	return n;
}

/*
 * Adds what follows a wave: its soak, its approval, and after the last
 * wave the end of the rollout; a plain joint when nothing waits.  Returns
 * the node the next wave starts from.
 */
static Agnode_t *
add_gates(struct dot *d, const struct plan_wave *pw, bool last)
{
	const struct wave *w = pw->wave;
	Agnode_t *gates[3], *n;
	size_t ngates = 0, i;

	if (w->soak) {
		clear(&d->text);
		buf_printf(&d->text, "soak %s", w->soak_text);
		gates[ngates++] = add_gate(d, w->name, "soak", d->text.data,
		    "hexagon", "#fff2cc");
	}
	if (w->approve)
		gates[ngates++] = add_gate(d, w->name, "approve", "approve",
		    "octagon", "#f8cecc");
	if (last)
		gates[ngates++] = add_gate(d, w->name, "done", "done",
		    "doublecircle", "#d5e8d4");
	if (!ngates && !d->detail)
		return d->wave_node;	/* the next wave follows straight on */
	if (!ngates) {
		n = add_gate(d, w->name, "next", "", "point", "white");
		set(n, "width", "0.01");
		set(n, "style", "invis");
		gates[ngates++] = d->joint = n;
	}
	if (d->detail)
		link_wave(d, pw, gates[0], false);
	else
		add_spine(d, d->wave_node, gates[0]);
	for (i = 1; i < ngates; i++)
		add_spine(d, gates[i - 1], gates[i]);
	return gates[ngates - 1];
}

/*
 * Appends the overview's row of one shape in a wave: the first names of
 * its clusters and how many more, its size, its deploys per team file in
 * the team's colour, and, framed bold, the longest chain when it holds it.
 */
static void
shape_row(struct dot *d, struct buf *b, const struct plan_wave *pw,
    size_t first)
{
	const struct plan *p = d->p;
	const struct plan_cluster *pc = pw->clusters[first];
	size_t i, n = 0, t;
	bool has_chain = false;

	for (i = first; i < pw->nclusters; i++)
		if (pw->clusters[i]->shape == pc->shape)
			has_chain |= pw->clusters[i] == pw->slowest;
	buf_printf(b, "<tr><td align=\"left\"><table border=\"%d\" "
	    "cellborder=\"0\" cellspacing=\"0\" cellpadding=\"2\" "
	    "bgcolor=\"white\" color=\"%s\" style=\"rounded\">"
	    "<tr><td align=\"left\">", has_chain ? 3 : 1,
	    has_chain ? CHAIN_COLOR : "#b0b0b0");
	for (i = first; i < pw->nclusters; i++) {
		if (pw->clusters[i]->shape != pc->shape)
			continue;
		if (n < SHAPE_NAMES) {
			buf_puts(b, n ? ", " : "");
			html_puts(b, pw->clusters[i]->cluster->name);
		}
		n++;
	}
	if (n > SHAPE_NAMES)
		buf_printf(b, " (+%zu)", n - SHAPE_NAMES);
	buf_printf(b, " <font color=\"#555555\">%s%zu deploy%s in %d "
	    "step%s</font></td></tr>", n > 1 ? "each " : "", pc->ndeploys,
	    plural(pc->ndeploys), pc->nsteps, plural((size_t)pc->nsteps));
	memset(d->counts, 0, (d->nteams + 1) * sizeof(*d->counts));
	for (i = 0; i < pc->ndeploys; i++)
		d->counts[d->team_of[pc->deploys[i]->service->index]]++;
	buf_puts(b, "<tr><td align=\"left\"><table border=\"0\" "
	    "cellspacing=\"2\" cellpadding=\"1\"><tr>");
	for (t = 0; t < d->nteams; t++)
		if (d->counts[t])
			buf_printf(b, "<td bgcolor=\"%s\" border=\"1\" "
			    "color=\"#666666\"> %zu </td>",
			    palette[d->teams[t].color], d->counts[t]);
	buf_puts(b, "</tr></table></td></tr>");
	if (has_chain) {
		size_t k = d->path_at;

		buf_puts(b, "<tr><td align=\"left\"><b>");
		while (k < p->ncritical && p->critical[k].wave != pw)
			k++;
		for (n = 0; k < p->ncritical && p->critical[k].wave == pw;
		    k++) {
			if (p->critical[k].kind != PLAN_STEP_DEPLOY)
				continue;
			if (n && n % CHAIN_NAMES == 0)
				buf_puts(b, " \xe2\x86\x92<br align=\"left\"/>");
			else if (n)
				buf_puts(b, " \xe2\x86\x92 ");
			html_puts(b, p->critical[k].deploy->service->name);
			n++;
		}
		buf_puts(b, "</b><br align=\"left\"/></td></tr>");
	}
	buf_puts(b, "</table></td></tr>");
}

/*
 * Adds the overview's node of a wave: a table of its name, size and
 * policy, then a row per shape of its clusters (SHAPE_ROWS at most).
 */
static void
add_wave_overview(struct dot *d, const struct plan_wave *pw)
{
	const struct wave *w = pw->wave;
	struct buf *b = clear(&d->text);
	size_t i, shapes = 0;
	char *html;

	buf_printf(b, "<table border=\"1\" cellborder=\"0\" cellspacing=\"4\" "
	    "cellpadding=\"0\" bgcolor=\"#f3f4f6\" color=\"#8a8f98\" "
	    "style=\"rounded\"><tr><td align=\"left\"><font "
	    "point-size=\"12\"><b>wave ");
	html_puts(b, w->name);
	buf_printf(b, "</b></font>" SEP "%zu cluster%s" SEP "%zu deploy%s"
	    SEP "estimate ", pw->nclusters, plural(pw->nclusters),
	    pw->ndeploys, plural(pw->ndeploys));
	duration_puts(b, pw->estimate);
	buf_puts(b, "</td></tr><tr><td align=\"left\"><font "
	    "color=\"#555555\">");
	if (w->parallel)
		buf_printf(b, "parallel %ld", w->parallel);
	else
		buf_puts(b, "all clusters at once");
	if (w->soak) {
		buf_puts(b, SEP "soak ");
		html_puts(b, w->soak_text);
	}
	if (w->approve)
		buf_puts(b, SEP "approve");
	buf_printf(b, SEP "%s on failure</font></td></tr>",
	    policy_words[w->on_failure]);
	for (i = 0; i < pw->nclusters; i++) {
		if (!fold_first(d, pw, i))
			continue;
		if (shapes++ < SHAPE_ROWS)
			shape_row(d, b, pw, i);
	}
	if (shapes > SHAPE_ROWS)
		buf_printf(b, "<tr><td align=\"left\">and %zu more sets of "
		    "clusters (--detail draws them)</td></tr>",
		    shapes - SHAPE_ROWS);
	if (!pw->nclusters)
		buf_puts(b, "<tr><td align=\"left\">no clusters</td></tr>");
	buf_puts(b, "</table>");
	d->wave_node = agnode(d->g, node_id(d, w->name, NULL, NULL), 1);
	html = agstrdup_html(d->g, b->data);
	set(d->wave_node, "label", html);
	agstrfree(d->g, html);
	set(d->wave_node, "shape", "plaintext");
	set(d->wave_node, "style", "");
	set(d->wave_node, "margin", "0");
}

/*
 * Builds the overview: top to bottom, so it fits the width of a pull
 * request, a node per wave with a row per set of identical clusters, and
 * the gates between the waves.
 */
static void
build_overview(struct dot *d)
{
	const struct plan *p = d->p;
	Agnode_t *from = NULL;
	size_t i;

	set(d->g, "rankdir", "TB");
	set(d->g, "ranksep", "0.2");
	d->counts = xmalloc_array(d->nteams + 1, sizeof(*d->counts));
	for (i = 0; i < p->nwaves; i++) {
		mark_wave(d, &p->waves[i], true);
		add_wave_overview(d, &p->waves[i]);
		if (from)
			add_spine(d, from, d->wave_node);
		from = add_gates(d, &p->waves[i], i + 1 == p->nwaves);
		mark_wave(d, &p->waves[i], false);
	}
}

/* Builds the whole diagram of the plan. */
static void
build(struct dot *d)
{
	const struct plan *p = d->p;
	Agnode_t *from = NULL;
	size_t i;

	declare(d->g, AGRAPH, graph_attrs, sizeof(graph_attrs) /
	    sizeof(graph_attrs[0]));
	declare(d->g, AGNODE, node_attrs, sizeof(node_attrs) /
	    sizeof(node_attrs[0]));
	declare(d->g, AGEDGE, edge_attrs, sizeof(edge_attrs) /
	    sizeof(edge_attrs[0]));
	find_teams(d);
	find_chain(d);
	add_title(d);
	if (!d->detail) {
		build_overview(d);
		return;
	}
	for (i = 0; i < p->nwaves; i++) {
		mark_wave(d, &p->waves[i], true);
		add_wave(d, &p->waves[i]);
		if (from)
			link_wave(d, &p->waves[i], from, true);
		from = add_gates(d, &p->waves[i], i + 1 == p->nwaves);
		mark_wave(d, &p->waves[i], false);
	}
}

/*
 * Graphviz's messages while a diagram is made.  Graphviz reports an error
 * (a label it cannot read, say) and goes on, so a diagram could come out
 * wrong, a label missing, while planner says nothing: an error is kept
 * here and fails the diagram.  Graphviz gives a message in pieces,
 * "Error" or "Warning", then ": ", then the text, and continuations
 * alone.  Warnings go to standard error as Graphviz prints them, control
 * characters as spaces.
 */
static struct {
	bool in_error;		/* the message being given is an error */
	bool failed;		/* some error was given */
	char why[240];		/* "Graphviz failed: " and the first error */
	size_t len;
} gv_messages;

/* Takes one piece of a Graphviz message (an agusererrf). */
static int
gv_message(char *piece)
{
	static const char lead[] = "Graphviz failed: ";
	size_t i;

	if (strcmp(piece, "Error") == 0 || strcmp(piece, "Warning") == 0) {
		gv_messages.in_error = piece[0] == 'E';
		if (gv_messages.in_error && !gv_messages.failed) {
			gv_messages.failed = true;
			memcpy(gv_messages.why, lead, sizeof(lead));
			gv_messages.len = sizeof(lead) - 1;
		} else if (gv_messages.in_error) {
			/* only the first error is told */
			gv_messages.len = sizeof(gv_messages.why);
		}
		if (gv_messages.in_error)
			return 0;
	}
	if (!gv_messages.in_error) {
		/* no control character reaches the terminal */
		for (i = 0; piece[i]; i++) {
			unsigned char c = (unsigned char)piece[i];

			fputc((c < 0x20 && c != '\n') || c == 0x7f ? ' ' : c,
			    stderr);
		}
		return 0;
	}
	if (gv_messages.len == sizeof(lead) - 1 && strcmp(piece, ": ") == 0)
		return 0;
	/* one line of printable ASCII: what it quotes came from a rollout */
	for (i = 0; piece[i] && gv_messages.len + 1 < sizeof(gv_messages.why);
	    i++) {
		unsigned char c = (unsigned char)piece[i];
		char *end = gv_messages.why + gv_messages.len;

		if (c == '\n' || c == '\t' || c == ' ') {
			if (gv_messages.len > sizeof(lead) - 1 &&
			    end[-1] != ' ')
				gv_messages.why[gv_messages.len++] = ' ';
			continue;
		}
		gv_messages.why[gv_messages.len++] = c >= 0x20 && c < 0x7f ?
		    (char)c : '?';
	}
	if (gv_messages.len < sizeof(gv_messages.why))
		gv_messages.why[gv_messages.len] = '\0';
	return 0;
}

/* Starts taking Graphviz's messages; returns the function to restore. */
static agusererrf
gv_messages_begin(void)
{
	memset(&gv_messages, 0, sizeof(gv_messages));
	agreseterrors();
	return agseterrf(gv_message);
}

/* Stops taking them; true when Graphviz gave an error, *why saying it. */
static bool
gv_messages_end(agusererrf previous, const char **why)
{
	size_t n = strlen(gv_messages.why);

	agseterrf(previous);
	agreseterrors();
	if (!gv_messages.failed)
		return false;
	while (n > 0 && gv_messages.why[n - 1] == ' ')
		gv_messages.why[--n] = '\0';
	*why = gv_messages.why;
	return true;
}

/*
 * The one Graphviz context of the process, made at the first layout and
 * kept to the end (reachable, so no leak checker counts it).  Graphviz's
 * pango plugin keeps a pointer to the name of the last font it measured,
 * which the context owns: with a context per diagram, a second SVG or PNG
 * in one run made it read the freed name of the first.
 */
static GVC_t *
graphviz(void)
{
	static GVC_t *gvc;

	if (!gvc)
		gvc = gvContext();
	return gvc;
}

/* Lays the graph out with dot and renders it as SVG or PNG. */
static bool
render(GVC_t *gvc, Agraph_t *g, enum graph_format fmt, FILE *out,
    const char **why)
{
	int rc;

	char *data = NULL;
	unsigned int len = 0;
	bool ok;

	if (gvLayout(gvc, g, "dot") != 0) {
		*why = "Graphviz could not lay out the diagram";
		return false;
	}
	/* Into memory: Graphviz ends the process when a write of its own
	 * fails, which would leave the temporaries behind. */
	rc = gvRenderData(gvc, g, fmt == GRAPH_SVG ? "svg" : "png", &data,
	    &len);
	gvFreeLayout(gvc, g);
	if (rc != 0) {
		*why = fmt == GRAPH_SVG ? "Graphviz could not render SVG" :
		    "Graphviz could not render PNG";
		ok = false;
	} else {
		ok = fwrite(data, 1, len, out) == len;
		if (!ok)
			*why = "cannot write the diagram";
	}
	gvFreeRenderData(data);
	return ok;
}

/*
 * Writes the diagram as DOT, or laid out as SVG or PNG.  (Not emit_graph:
 * libgvc exports a function of that name and would call ours instead.)
 */
bool
emit_diagram(FILE *out, const struct plan *p, enum graph_format fmt,
    enum graph_view view, const char **why)
{
	struct dot d = { 0 };
	Agdisc_t disc = { &AgMemDisc, &ordered_ids, &AgIoDisc };
	agusererrf previous = gv_messages_begin();
	GVC_t *gvc = fmt == GRAPH_DOT ? NULL : graphviz();
	size_t i;
	bool ok;

	if (fmt != GRAPH_DOT && !gvc) {
		*why = "Graphviz could not start";
		gv_messages_end(previous, why);
		return false;
	}
	d.p = p;
	d.detail = view == GRAPH_DETAIL;
	for (i = 0; i < p->nclusters; i++)
		d.tables |= p->clusters[i].ndeploys > DETAIL_MAX;
	find_folds(&d);
	if ((*why = too_big(&d))) {
		free(d.first);
		gv_messages_end(previous, why);
		return false;
	}
	d.g = agopen((char *)p->rollout->name, Agdirected, &disc);
	d.node_of = xmalloc_array(p->ndeploys + 1, sizeof(*d.node_of));
	build(&d);
	if (gvc)
		ok = render(gvc, d.g, fmt, out, why);
	else if (!(ok = agwrite(d.g, out) == 0))
		*why = "Graphviz could not write DOT";
	agclose(d.g);
	/* a diagram Graphviz had to patch up is not the one planned */
	if (gv_messages_end(previous, why))
		ok = false;
	free(d.first);
	free(d.node_of);
	free(d.teams);
	free(d.team_of);
	free(d.chain_next);
	free(d.on_path);
	free(d.counts);
	buf_free(&d.id);
	buf_free(&d.text);
	return ok;
}

/* Graphviz's message function before diagram_open, for diagram_close. */
static agusererrf diagram_previous;

struct Agraph_s *
diagram_open(const char *name)
{
	static Agdisc_t disc = { &AgMemDisc, &ordered_ids, &AgIoDisc };

	diagram_previous = gv_messages_begin();
	return agopen((char *)name, Agdirected, &disc);
}

bool
diagram_close(struct Agraph_s *g, FILE *out, enum graph_format fmt,
    const char **why)
{
	GVC_t *gvc = fmt == GRAPH_DOT ? NULL : graphviz();
	bool ok;

	if (fmt != GRAPH_DOT && !gvc) {
		*why = "Graphviz could not start";
		ok = false;
	} else if (gvc) {
		ok = render(gvc, g, fmt, out, why);
	} else if (!(ok = agwrite(g, out) == 0)) {
		*why = "Graphviz could not write DOT";
	}
	agclose(g);
	if (gv_messages_end(diagram_previous, why))
		ok = false;
	return ok;
}
