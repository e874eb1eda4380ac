/*
 * pick.c: the interactive picker, 'planner plan --interactive' (pick.h
 * tells its parts).  The questions, in order: which services (a list to
 * filter by typing and mark with space; Enter takes those marked, or when
 * none is, those the filter shows), whether to add what they need or what
 * needs them (default neither), from which wave (default the first), to
 * which clusters (default all; a list as the services'), then the summary
 * of the plan and "ship this plan?" (Enter: yes).  Enter takes the default
 * of every question after the first, and the defaults ship what was
 * picked.  What it gives is the struct selection the command line fills,
 * so the plan is made and written exactly as without it.
 *
 * The state machine (pick_start, pick_key) reads keys and draws nothing;
 * pick_draw makes a frame of it in plain ANSI escapes; pick_run runs them
 * on /dev/tty in raw mode, restored on every way out: the end, an exit,
 * and the signals that end planner.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "pick.h"

/* How far Page Up and Page Down move. */
#define PICK_PAGE 10
/* How long the rest of an escape sequence may take to arrive, in ms:
 * after that, Esc was pressed alone. */
#define PICK_ESC_WAIT 50

/* Keys */

static size_t
decoded(struct pick_key *k, enum pick_key_kind kind, size_t used)
{
	k->kind = kind;
	return used;
}

/* An escape sequence: ESC [ ... final, ESC O x, or Esc alone. */
static size_t
decode_escape(const unsigned char *s, size_t n, bool more_coming,
    struct pick_key *k)
{
	size_t i;

	if (n == 1)
		return more_coming ? 0 : decoded(k, PICK_KEY_CANCEL, 1);
	if (s[1] == 0x1b)	/* Esc, then another escape */
		return decoded(k, PICK_KEY_CANCEL, 1);
	if (s[1] == 'O') {	/* SS3: the arrows of application mode */
		if (n == 2)
			return more_coming ? 0 : decoded(k, PICK_KEY_NONE, 2);
		switch (s[2]) {
		case 'A': return decoded(k, PICK_KEY_UP, 3);
		case 'B': return decoded(k, PICK_KEY_DOWN, 3);
		case 'H': return decoded(k, PICK_KEY_HOME, 3);
		case 'F': return decoded(k, PICK_KEY_END, 3);
		default: return decoded(k, PICK_KEY_NONE, 3);
		}
	}
	if (s[1] != '[')	/* Alt and a key */
		return decoded(k, PICK_KEY_NONE, 2);
	/* CSI: parameters and intermediates, then a final byte */
	for (i = 2; i < n && s[i] >= 0x20 && s[i] <= 0x3f; i++)
		;
	if (i == n)
		return more_coming ? 0 : decoded(k, PICK_KEY_NONE, n);
	if (s[i] < 0x40 || s[i] > 0x7e)		/* not a sequence after all */
		return decoded(k, PICK_KEY_NONE, i);
	switch (s[i]) {
	case 'A': return decoded(k, PICK_KEY_UP, i + 1);
	case 'B': return decoded(k, PICK_KEY_DOWN, i + 1);
	case 'H': return decoded(k, PICK_KEY_HOME, i + 1);
	case 'F': return decoded(k, PICK_KEY_END, i + 1);
	case '~':
		if (i == 3 && (s[2] == '1' || s[2] == '7'))
			return decoded(k, PICK_KEY_HOME, i + 1);
		if (i == 3 && (s[2] == '4' || s[2] == '8'))
			return decoded(k, PICK_KEY_END, i + 1);
		if (i == 3 && s[2] == '5')
			return decoded(k, PICK_KEY_PAGE_UP, i + 1);
		if (i == 3 && s[2] == '6')
			return decoded(k, PICK_KEY_PAGE_DOWN, i + 1);
		break;
	}
	return decoded(k, PICK_KEY_NONE, i + 1);
}

size_t
pick_decode(const unsigned char *s, size_t n, bool more_coming,
    struct pick_key *k)
{
	k->kind = PICK_KEY_NONE;
	k->ch = 0;
	if (n == 0)
		return 0;
	switch (s[0]) {
	case '\r': case '\n': return decoded(k, PICK_KEY_ENTER, 1);
	case 0x7f: case 0x08: return decoded(k, PICK_KEY_BACKSPACE, 1);
	case 0x03: return decoded(k, PICK_KEY_CANCEL, 1);	/* Ctrl-C */
	case 0x0e: return decoded(k, PICK_KEY_DOWN, 1);		/* Ctrl-N */
	case 0x10: return decoded(k, PICK_KEY_UP, 1);		/* Ctrl-P */
	case 0x15: return decoded(k, PICK_KEY_CLEAR, 1);	/* Ctrl-U */
	case 0x1a: return decoded(k, PICK_KEY_SUSPEND, 1);	/* Ctrl-Z */
	case ' ': return decoded(k, PICK_KEY_TOGGLE, 1);
	case 0x1b: return decode_escape(s, n, more_coming, k);
	}
	if (s[0] > ' ' && s[0] < 0x7f) {
		k->ch = (char)s[0];
		return decoded(k, PICK_KEY_CHAR, 1);
	}
	return 1;	/* another control, or a byte of UTF-8: no name has it */
}

/* The state machine */

static const char *const closure_names[] = { "neither", "needs",
	"dependents", "both" };

/* Whether name holds filter, ignoring case. */
static bool
matches(const char *name, const char *filter)
{
	size_t n = strlen(filter), i;

	if (!n)
		return true;
	for (; *name; name++) {
		for (i = 0; i < n && name[i] && tolower((unsigned char)name[i])
		    == tolower((unsigned char)filter[i]); i++)
			;
		if (i == n)
			return true;
	}
	return false;
}

/* The items the filter shows; the cursor stays on its item when it is
 * still shown, else goes to the first. */
static void
refilter(struct pick_list *l)
{
	size_t was = l->nshown ? l->shown[l->cursor] : l->n, i;

	l->nshown = 0;
	l->cursor = 0;
	for (i = 0; i < l->n; i++) {
		if (!matches(l->names[i], l->filter))
			continue;
		if (i == was)
			l->cursor = l->nshown;
		l->shown[l->nshown++] = i;
	}
}

/* A new question of n items; the caller fills names and notes, then
 * calls refilter. */
static void
list_init(struct pick *p, size_t n, bool multi)
{
	struct pick_list *l = &p->list;

	memset(l, 0, sizeof(*l));
	l->names = arena_array(p->a, n + 1, sizeof(*l->names));
	l->notes = arena_array(p->a, n + 1, sizeof(*l->notes));
	l->marked = arena_array(p->a, n + 1, sizeof(*l->marked));
	l->shown = arena_array(p->a, n + 1, sizeof(*l->shown));
	l->n = n;
	l->multi = multi;
}

static void
move(struct pick_list *l, long by)
{
	long at = (long)l->cursor + by;

	if (at >= (long)l->nshown)
		at = (long)l->nshown - 1;
	if (at < 0)
		at = 0;
	l->cursor = (size_t)at;
}

/* The keys every list takes: moves; on a list of marks, typing, space,
 * Backspace and Ctrl-U; on a list of choices, j and k move. */
static void
list_key(struct pick_list *l, struct pick_key k)
{
	size_t i;

	switch (k.kind) {
	case PICK_KEY_UP: move(l, -1); break;
	case PICK_KEY_DOWN: move(l, 1); break;
	case PICK_KEY_PAGE_UP: move(l, -PICK_PAGE); break;
	case PICK_KEY_PAGE_DOWN: move(l, PICK_PAGE); break;
	case PICK_KEY_HOME: l->cursor = 0; break;
	case PICK_KEY_END: move(l, (long)l->nshown); break;
	case PICK_KEY_CHAR:
		if (!l->multi) {
			/* names hold j and k: they move only where nothing
			 * is typed */
			if (k.ch == 'j')
				move(l, 1);
			else if (k.ch == 'k')
				move(l, -1);
		} else if (l->nfilter < MAX_NAME) {
			l->filter[l->nfilter++] = k.ch;
			l->filter[l->nfilter] = '\0';
			refilter(l);
		}
		break;
	case PICK_KEY_TOGGLE:
		if (!l->multi || !l->nshown)
			break;
		i = l->shown[l->cursor];
		l->marked[i] = !l->marked[i];
		if (l->marked[i])
			l->nmarked++;
		else
			l->nmarked--;
		break;
	case PICK_KEY_BACKSPACE:
		if (l->multi && l->nfilter) {
			l->filter[--l->nfilter] = '\0';
			refilter(l);
		}
		break;
	case PICK_KEY_CLEAR:
		if (l->multi && l->nfilter) {
			l->filter[l->nfilter = 0] = '\0';
			refilter(l);
		}
		break;
	default:
		break;
	}
}

/* Whether Enter takes item i of a list of marks: the marked, or when
 * none is, those the filter shows. */
static bool
taken(const struct pick_list *l, size_t i)
{
	return l->nmarked ? l->marked[i] : matches(l->names[i], l->filter);
}

/* names[0..n) joined by ',' (one --only or --clusters argument), as the
 * one-item array a struct selection takes. */
static const char *const *
joined(struct pick *p, const char **names, size_t n)
{
	const char **arg = arena_array(p->a, 1, sizeof(*arg));
	struct buf b = { 0 };
	size_t i;

	for (i = 0; i < n; i++) {
		if (i)
			buf_putc(&b, ',');
		buf_puts(&b, names[i]);
	}
	arg[0] = arena_strndup(p->a, b.data ? b.data : "", b.len);
	buf_free(&b);
	return arg;
}

static const char *
plural(size_t n, const char *what)
{
	static char s[2][64];
	static int which;

	which = !which;
	snprintf(s[which], sizeof(s[which]), "%zu %s%s", n, what,
	    n == 1 ? "" : "s");
	return s[which];
}

/* "us, eu": where s runs, a group named when s runs in all of it and it
 * adds clusters to those named before; then the clusters left. */
static const char *
places(struct pick *p, const struct service *s, unsigned char *in,
    unsigned char *said)
{
	const struct rollout *r = p->r;
	struct buf b = { 0 };
	const char *text;
	size_t i, j, all, fresh;

	for (i = 0; i < s->nclusters; i++)
		in[s->clusters[i]->index] = 1;
	for (i = 0; i < r->ngroups; i++) {
		const struct group *g = r->groups[i];

		for (j = 0, all = 0, fresh = 0; j < g->nclusters; j++) {
			all += in[g->clusters[j]->index];
			fresh += in[g->clusters[j]->index] &&
			    !said[g->clusters[j]->index];
		}
		if (all != g->nclusters || !fresh)
			continue;
		buf_printf(&b, "%s%s", b.len ? ", " : "", g->name);
		for (j = 0; j < g->nclusters; j++)
			said[g->clusters[j]->index] = 1;
	}
	for (i = 0; i < s->nclusters; i++)
		if (!said[s->clusters[i]->index])
			buf_printf(&b, "%s%s", b.len ? ", " : "",
			    s->clusters[i]->name);
	/* what was set, and only that: every group named is in s */
	for (i = 0; i < s->nclusters; i++)
		in[s->clusters[i]->index] = said[s->clusters[i]->index] = 0;
	text = arena_strndup(p->a, b.data ? b.data : "", b.len);
	buf_free(&b);
	return text;
}

static void
ask_services(struct pick *p)
{
	const struct rollout *r = p->r;
	unsigned char *in = xmalloc(r->nclusters + 1);
	unsigned char *said = xmalloc(r->nclusters + 1);
	size_t i;

	memset(in, 0, r->nclusters + 1);
	memset(said, 0, r->nclusters + 1);
	list_init(p, r->nservices, true);
	for (i = 0; i < r->nservices; i++) {
		p->list.names[i] = r->services[i]->name;
		p->list.notes[i] = places(p, r->services[i], in, said);
	}
	free(in);
	free(said);
}

/* The plan of the selection so far, or NULL with p->note set. */
static struct plan *
plan_so_far(struct pick *p, const struct selection *sel)
{
	const char *why;
	struct plan *plan = select_plan(p->a, p->r, sel, &why);

	if (!plan)
		p->note = why;
	return plan;
}

/* "3 services, 12 deploys": what sel plans. */
static const char *
counts(struct pick *p, const struct selection *sel)
{
	struct plan *plan = plan_so_far(p, sel);

	if (!plan)
		return "";
	return arena_printf(p->a, "%s, %s",
	    plural(plan->rollout->nservices, "service"),
	    plural(plan->ndeploys, "deploy"));
}

/* Skipped when every service ships: nothing to add. */
static bool
ask_closure(struct pick *p)
{
	size_t i;

	if (!p->sel.nonly)
		return false;
	list_init(p, 4, false);
	for (i = 0; i < 4; i++) {
		struct selection s = p->sel;

		s.with_needs = i == 1 || i == 3;
		s.with_dependents = i == 2 || i == 3;
		p->list.names[i] = closure_names[i];
		p->list.notes[i] = counts(p, &s);
	}
	return true;
}

/* The waves with deploys; skipped when there are fewer than two. */
static bool
ask_wave(struct pick *p)
{
	struct selection s = p->sel;
	struct plan *plan;
	size_t i, n = 0;

	s.from_wave = NULL;
	s.clusters = NULL;
	s.nclusters = 0;
	if (!(plan = plan_so_far(p, &s)))
		return false;
	for (i = 0; i < plan->nwaves; i++)
		n += plan->waves[i].ndeploys > 0;
	if (n < 2)
		return false;
	list_init(p, n, false);
	for (i = 0, n = 0; i < plan->nwaves; i++) {
		const struct plan_wave *pw = &plan->waves[i];

		if (!pw->ndeploys)
			continue;
		p->list.names[n] = pw->wave->name;
		p->list.notes[n++] = arena_printf(p->a, "%s, %s",
		    plural(pw->nclusters, "cluster"),
		    plural(pw->ndeploys, "deploy"));
	}
	return true;
}

/* The groups with clusters planned (each with those), then the clusters
 * planned (each with its wave and groups); skipped with fewer than two
 * clusters. */
static bool
ask_clusters(struct pick *p)
{
	const struct rollout *r = p->r;
	struct selection s = p->sel;
	struct plan *plan;
	struct map at = { 0 };
	struct buf *in, b = { 0 };
	size_t i, j, n = 0, ng = 0;

	s.clusters = NULL;
	s.nclusters = 0;
	if (!(plan = plan_so_far(p, &s)) || plan->nclusters < 2)
		return false;
	for (i = 0; i < plan->nclusters; i++)
		map_put(&at, plan->clusters[i].cluster->name,
		    &plan->clusters[i]);
	in = xmalloc_array(plan->nclusters + 1, sizeof(*in));
	memset(in, 0, (plan->nclusters + 1) * sizeof(*in));
	list_init(p, r->ngroups + plan->nclusters, true);
	for (i = 0; i < r->ngroups; i++) {
		const struct group *g = r->groups[i];

		b.len = 0;
		for (j = 0; j < g->nclusters; j++) {
			const struct plan_cluster *pc =
			    map_get(&at, g->clusters[j]->name);

			if (!pc)
				continue;
			buf_printf(&b, "%s%s", b.len ? ", " : "",
			    g->clusters[j]->name);
			buf_printf(&in[pc - plan->clusters], "%s%s",
			    in[pc - plan->clusters].len ? ", " : "", g->name);
		}
		if (!b.len)
			continue;
		p->list.names[ng] = g->name;
		p->list.notes[ng++] = arena_strndup(p->a, b.data, b.len);
	}
	for (i = 0, n = ng; i < plan->nclusters; i++, n++) {
		const struct plan_cluster *pc = &plan->clusters[i];

		p->list.names[n] = pc->cluster->name;
		p->list.notes[n] = arena_printf(p->a, "wave %s%s%.*s",
		    pc->wave->name, in[i].len ? "; in " : "", (int)in[i].len,
		    in[i].data ? in[i].data : "");
		buf_free(&in[i]);
	}
	p->list.n = n;
	free(in);
	buf_free(&b);
	map_free(&at);
	return true;
}

/* The summary of the plan: the readable plan's heading and each wave's
 * line. */
static void
ask_confirm(struct pick *p)
{
	struct plan *plan = plan_so_far(p, &p->sel);
	char *text = NULL, *line, *end;
	size_t len = 0, n = 1;
	bool heading = true;
	FILE *f;

	p->nsummary = 0;
	if (!plan || !(f = open_memstream(&text, &len)))
		return;
	emit_text(f, plan, false, NULL, NULL);
	fclose(f);
	for (line = text; *line; line++)
		n += *line == '\n';
	p->summary = arena_array(p->a, n + 1, sizeof(*p->summary));
	for (line = text; *line; line = end + (*end != '\0')) {
		if (!(end = strchr(line, '\n')))
			end = line + strlen(line);
		if (end == line)
			heading = false;
		else if (heading || strncmp(line, "wave ", 5) == 0)
			p->summary[p->nsummary++] = arena_strndup(p->a, line,
			    (size_t)(end - line));
	}
	free(text);
}

/* Goes to step, or past it when it has nothing to ask. */
static void
enter(struct pick *p, enum pick_step step)
{
	for (;; step++) {
		p->step = step;
		switch (step) {
		case PICK_SERVICES: ask_services(p); break;
		case PICK_CLOSURE:
			if (!ask_closure(p))
				continue;
			break;
		case PICK_WAVE:
			if (!ask_wave(p))
				continue;
			break;
		case PICK_CLUSTERS:
			if (!ask_clusters(p))
				continue;
			break;
		case PICK_CONFIRM: ask_confirm(p); return;
		default: return;
		}
		refilter(&p->list);
		return;
	}
}

static void
take_services(struct pick *p)
{
	struct pick_list *l = &p->list;
	const char **names = arena_array(p->a, l->n + 1, sizeof(*names));
	size_t i, n = 0;

	for (i = 0; i < l->n; i++)
		if (taken(l, i))
			names[n++] = l->names[i];
	if (!n) {
		p->note = arena_printf(p->a, "nothing matches '%s'", l->filter);
		return;
	}
	p->sel.only = n < l->n ? joined(p, names, n) : NULL;
	p->sel.nonly = n < l->n;
	enter(p, PICK_CLOSURE);
}

/* The clusters taken, as --clusters gives them; none when they are all
 * the clusters planned. */
static void
take_clusters(struct pick *p)
{
	struct pick_list *l = &p->list;
	const char **names = arena_array(p->a, l->n + 1, sizeof(*names));
	struct map groups = { 0 }, planned = { 0 };
	size_t i, j, n = 0, ncovered = 0, nplanned = 0;
	bool *covered = arena_array(p->a, l->n + 1, sizeof(*covered));

	for (i = 0; i < p->r->ngroups; i++)
		map_put(&groups, p->r->groups[i]->name, p->r->groups[i]);
	/* the clusters are the items after the groups */
	for (i = 0; i < l->n; i++)
		if (!map_get(&groups, l->names[i]))
			map_put(&planned, l->names[i], &covered[nplanned++]);
	for (i = 0; i < l->n; i++) {
		const struct group *g = map_get(&groups, l->names[i]);
		size_t fresh = 0;
		bool *c;

		if (!taken(l, i))
			continue;
		for (j = 0; j < (g ? g->nclusters : 1); j++) {
			c = map_get(&planned, g ? g->clusters[j]->name :
			    l->names[i]);
			if (c && !*c) {
				*c = true;
				fresh++;
			}
		}
		/* what a group taken before holds is not named again */
		if (fresh)
			names[n++] = l->names[i];
		ncovered += fresh;
	}
	map_free(&groups);
	map_free(&planned);
	if (!n) {
		p->note = arena_printf(p->a, "nothing matches '%s'", l->filter);
		return;
	}
	p->sel.clusters = ncovered < nplanned ? joined(p, names, n) : NULL;
	p->sel.nclusters = ncovered < nplanned;
	enter(p, PICK_CONFIRM);
}

void
pick_start(struct pick *p, struct arena *a, struct rollout *r,
    const struct selection *given)
{
	memset(p, 0, sizeof(*p));
	p->a = a;
	p->r = r;
	p->sel.state = given ? given->state : NULL;
	enter(p, PICK_SERVICES);
}

enum pick_step
pick_key(struct pick *p, struct pick_key k)
{
	struct pick_list *l = &p->list;
	size_t at;

	if (p->step >= PICK_DONE)
		return p->step;
	p->note = NULL;
	if (k.kind == PICK_KEY_CANCEL)
		return p->step = PICK_CANCELLED;
	if (p->step == PICK_CONFIRM) {
		if (k.kind == PICK_KEY_ENTER ||
		    (k.kind == PICK_KEY_CHAR && tolower((unsigned char)k.ch) == 'y'))
			p->step = PICK_DONE;
		else if (k.kind == PICK_KEY_CHAR && tolower((unsigned char)k.ch) == 'n')
			p->step = PICK_CANCELLED;
		return p->step;
	}
	if (k.kind != PICK_KEY_ENTER) {
		list_key(l, k);
		return p->step;
	}
	at = l->nshown ? l->shown[l->cursor] : 0;
	switch (p->step) {
	case PICK_SERVICES: take_services(p); break;
	case PICK_CLOSURE:
		p->sel.with_needs = at == 1 || at == 3;
		p->sel.with_dependents = at == 2 || at == 3;
		enter(p, PICK_WAVE);
		break;
	case PICK_WAVE:
		/* the first wave with deploys is where the plan starts */
		p->sel.from_wave = at ? l->names[at] : NULL;
		enter(p, PICK_CLUSTERS);
		break;
	case PICK_CLUSTERS: take_clusters(p); break;
	default: break;
	}
	return p->step;
}

/* Drawing */

/* A frame being drawn: lines joined by CR LF, none after the last (a
 * line feed on the last row would scroll the screen). */
struct frame {
	struct buf *out;
	int cols;
	int lines;
};

/* One line of the frame, cut to the width (every name is ASCII), with an
 * optional style around it, clearing what was there before. */
static void
put_line(struct frame *f, const char *style, const char *fmt, ...)
    PRINTF_LIKE(3, 4);

static void
put_line(struct frame *f, const char *style, const char *fmt, ...)
{
	char line[512];
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	n = strlen(line);
	if (n > (size_t)f->cols - 1)
		n = (size_t)f->cols - 1;
	if (f->lines++)
		buf_puts(f->out, "\r\n");
	if (style)
		buf_puts(f->out, style);
	buf_add(f->out, line, n);
	if (style)
		buf_puts(f->out, "\033[0m");
	buf_puts(f->out, "\033[K");
}

static const char *
title(const struct pick *p)
{
	switch (p->step) {
	case PICK_SERVICES: return "which services to ship?";
	case PICK_CLOSURE: return "add what they need, or what needs them?";
	case PICK_WAVE: return "from which wave?";
	case PICK_CLUSTERS: return "to which clusters?";
	default: return "ship this plan? [Y/n]";
	}
}

static void
draw_list(const struct pick *p, struct frame *f, int rows)
{
	const struct pick_list *l = &p->list;
	size_t height = (size_t)rows - 3, top = 0, i, width = 0;

	for (i = 0; i < l->n; i++)
		if (strlen(l->names[i]) > width)
			width = strlen(l->names[i]);
	if (width > 32)
		width = 32;
	if (l->multi)
		put_line(f, NULL, "filter: %s_   (%zu of %zu shown, %zu "
		    "marked)", l->filter, l->nshown, l->n, l->nmarked);
	else
		put_line(f, NULL, "%s", "");
	/* the cursor in the middle of the window, when the list is long */
	if (l->nshown > height && l->cursor > height / 2)
		top = l->cursor - height / 2;
	if (l->nshown > height && top > l->nshown - height)
		top = l->nshown - height;
	for (i = top; i < top + height; i++) {
		size_t at;

		if (i >= l->nshown) {
			put_line(f, NULL, "%s", i == 0 ?
			    "  (nothing matches)" : "");
			continue;
		}
		at = l->shown[i];
		put_line(f, i == l->cursor ? "\033[7m" : NULL,
		    "%s %s%-*s  %s", i == l->cursor ? ">" : " ",
		    !l->multi ? "" : l->marked[at] ? "[x] " : "[ ] ",
		    (int)width, l->names[at], l->notes[at]);
	}
}

/* What Enter takes, for the hint line. */
static const char *
enter_takes(const struct pick *p, char *s, size_t size)
{
	const struct pick_list *l = &p->list;

	if (!l->multi)
		return "the one under the cursor";
	if (l->nmarked)
		snprintf(s, size, "the %zu marked", l->nmarked);
	else if (l->nfilter)
		snprintf(s, size, "the %zu shown", l->nshown);
	else
		snprintf(s, size, "all");
	return s;
}

void
pick_draw(const struct pick *p, struct buf *out, int rows, int cols)
{
	struct frame f = { out, cols < 20 ? 20 : cols, 0 };
	char takes[64];
	size_t i, room;

	if (rows < 6)
		rows = 6;
	out->len = 0;
	buf_puts(out, "\033[H");	/* home, then over what was there */
	put_line(&f, "\033[1m", "%s: %s", p->r->name, title(p));
	if (p->step == PICK_CONFIRM) {
		put_line(&f, NULL, "%s", "");
		room = (size_t)rows - 3;
		for (i = 0; i < p->nsummary && i < room; i++)
			put_line(&f, NULL, "%s", i + 1 == room &&
			    p->nsummary > room ? "..." : p->summary[i]);
		for (; i < room; i++)
			put_line(&f, NULL, "%s", "");
	} else {
		draw_list(p, &f, rows);
	}
	if (p->note)
		put_line(&f, "\033[1m", "%s", p->note);
	else if (p->step == PICK_CONFIRM)
		put_line(&f, "\033[2m", "%s", "enter or y: ship  "
		    "n or esc: cancel");
	else
		put_line(&f, "\033[2m", "%senter: %s  esc: cancel",
		    p->list.multi ? "type to filter  space: mark  up/down: "
		    "move  " : "up/down or j/k: move  ",
		    enter_takes(p, takes, sizeof(takes)));
	buf_puts(out, "\033[J");
}

/* The command line */

void
pick_shell_word(struct buf *b, const char *s)
{
	const char *c;

	if (*s && s[strspn(s, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._/-+=:@,")] == '\0') {
		buf_puts(b, s);
		return;
	}
	buf_putc(b, '\'');
	for (c = s; *c; c++)
		if (*c == '\'')
			buf_puts(b, "'\\''");
		else
			buf_putc(b, *c);
	buf_putc(b, '\'');
}

void
pick_command(struct buf *b, const struct selection *sel)
{
	size_t i;

	for (i = 0; i < sel->nonly; i++) {
		buf_puts(b, " --only ");
		pick_shell_word(b, sel->only[i]);
	}
	if (sel->nonly && sel->with_needs)
		buf_puts(b, " --with-needs");
	if (sel->nonly && sel->with_dependents)
		buf_puts(b, " --with-dependents");
	if (sel->from_wave) {
		buf_puts(b, " --from-wave ");
		pick_shell_word(b, sel->from_wave);
	}
	for (i = 0; i < sel->nclusters; i++) {
		buf_puts(b, " --clusters ");
		pick_shell_word(b, sel->clusters[i]);
	}
}

/* The terminal */

/* The alternate screen and a hidden cursor while picking; the screen the
 * user had, and the cursor, after. */
static const char screen_enter[] = "\033[?1049h\033[?25l";
static const char screen_leave[] = "\033[?25h\033[?1049l";

/* The signals that end planner (an assert's abort too), and the two it
 * keeps through: a stop (kill -TSTP, or Ctrl-Z) and a resize. */
static const int tty_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT,
	SIGABRT, SIGTSTP, SIGWINCH };
#define NTTY_SIGNALS (sizeof(tty_signals) / sizeof(tty_signals[0]))

static int tty_fd = -1;
static struct termios tty_saved, tty_rawmodes;
static volatile sig_atomic_t tty_raw;
static struct sigaction tty_old[NTTY_SIGNALS];

/* Puts the terminal back as it was; safe in a signal handler. */
static void
tty_restore(void)
{
	if (!tty_raw)
		return;
	tty_raw = 0;
	if (write(tty_fd, screen_leave, sizeof(screen_leave) - 1) < 0) {
		/* the terminal is gone: its modes go with it */
	}
	tcsetattr(tty_fd, TCSANOW, &tty_saved);
}

/* Raw mode and the alternate screen again; safe in a signal handler. */
static void
tty_reenter(void)
{
	tcsetattr(tty_fd, TCSANOW, &tty_rawmodes);
	if (write(tty_fd, screen_enter, sizeof(screen_enter) - 1) < 0) {
		/* the read fails next, and says so */
	}
	tty_raw = 1;
}

/* An ending signal: the terminal as it was, then the signal as before.  A
 * stop: the terminal as it was while stopped, raw again after.  Either
 * interrupts the read (no SA_RESTART), and the screen is redrawn; so does
 * a resize. */
static void
tty_on_signal(int sig)
{
	int saved = errno, was = tty_raw;
	struct sigaction dfl, mine;
	sigset_t set;
	size_t i;

	if (sig == SIGWINCH)
		return;
	tty_restore();
	if (sig != SIGTSTP) {
		for (i = 0; i < NTTY_SIGNALS; i++)
			if (tty_signals[i] == sig)
				sigaction(sig, &tty_old[i], NULL);
		raise(sig);	/* delivered as before once this returns */
		errno = saved;
		return;
	}
	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	sigemptyset(&dfl.sa_mask);
	sigaction(SIGTSTP, &dfl, &mine);
	sigemptyset(&set);
	sigaddset(&set, SIGTSTP);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(SIGTSTP);		/* stopped here until SIGCONT */
	sigprocmask(SIG_BLOCK, &set, NULL);
	sigaction(SIGTSTP, &mine, NULL);
	if (was)
		tty_reenter();
	errno = saved;
}

static bool
write_all(int fd, const char *s, size_t n)
{
	while (n) {
		ssize_t k = write(fd, s, n);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return false;
		s += k;
		n -= (size_t)k;
	}
	return true;
}

/* Raw mode: every key as it is typed, no echo, Ctrl-C a key. */
static bool
tty_enter(void)
{
	static bool registered;
	struct termios raw = tty_saved;
	struct sigaction sa;
	size_t i;

	if (!registered) {
		atexit(tty_restore);
		registered = true;
	}
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = tty_on_signal;	/* no SA_RESTART: see there */
	for (i = 0; i < NTTY_SIGNALS; i++) {
		sigaction(tty_signals[i], NULL, &tty_old[i]);
		/* one ignored, as under nohup, stays so */
		if (tty_old[i].sa_handler != SIG_IGN)
			sigaction(tty_signals[i], &sa, NULL);
	}
	raw.c_iflag &= ~(tcflag_t)(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR |
	    IGNCR | ICRNL | IXON);
	raw.c_lflag &= ~(tcflag_t)(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
	raw.c_cflag |= CS8;
	raw.c_cc[VMIN] = 1;
	raw.c_cc[VTIME] = 0;
	tty_rawmodes = raw;
	tty_raw = 1;
	if (tcsetattr(tty_fd, TCSANOW, &raw) != 0 ||
	    !write_all(tty_fd, screen_enter, sizeof(screen_enter) - 1))
		return false;
	return true;
}

static void
tty_leave(void)
{
	sigset_t set, old;
	size_t i;

	/* held meanwhile: a stop must not find raw mode to restore after */
	sigemptyset(&set);
	for (i = 0; i < NTTY_SIGNALS; i++)
		sigaddset(&set, tty_signals[i]);
	sigprocmask(SIG_BLOCK, &set, &old);
	tty_restore();
	for (i = 0; i < NTTY_SIGNALS; i++)
		sigaction(tty_signals[i], &tty_old[i], NULL);
	sigprocmask(SIG_SETMASK, &old, NULL);
}

static void
tty_size(int *rows, int *cols)
{
	struct winsize ws;

	*rows = 24;
	*cols = 80;
	if (ioctl(tty_fd, TIOCGWINSZ, &ws) == 0 && ws.ws_row && ws.ws_col) {
		*rows = ws.ws_row;
		*cols = ws.ws_col;
	}
}

/* Whether more bytes arrive within PICK_ESC_WAIT. */
static bool
more_arrives(void)
{
	struct pollfd pfd = { tty_fd, POLLIN, 0 };

	return poll(&pfd, 1, PICK_ESC_WAIT) > 0;
}

/* Reads and runs keys until the pick ends; false when the terminal
 * fails. */
static bool
tty_loop(struct pick *p)
{
	unsigned char in[64];
	size_t nin = 0, used;
	struct buf frame = { 0 };
	struct pick_key k;
	bool ok = true;
	int rows, cols;

	while (p->step < PICK_DONE) {
		ssize_t got;

		if (!nin) {
			tty_size(&rows, &cols);
			pick_draw(p, &frame, rows, cols);
			if (!write_all(tty_fd, frame.data, frame.len)) {
				ok = false;
				break;
			}
		}
		got = read(tty_fd, in + nin, sizeof(in) - nin);
		if (got < 0 && errno == EINTR)
			continue;	/* a resize: redrawn when no key waits */
		if (got <= 0) {		/* the terminal hung up */
			ok = got == 0;
			p->step = PICK_CANCELLED;
			break;
		}
		nin += (size_t)got;
		while (nin && p->step < PICK_DONE) {
			used = pick_decode(in, nin, nin < sizeof(in), &k);
			if (!used && more_arrives())
				break;		/* read the rest */
			if (!used)
				used = pick_decode(in, nin, false, &k);
			memmove(in, in + used, nin - used);
			nin -= used;
			if (k.kind == PICK_KEY_SUSPEND)
				raise(SIGTSTP);	/* as the terminal would */
			else
				pick_key(p, k);
		}
	}
	buf_free(&frame);
	return ok;
}

int
pick_run(struct arena *a, struct rollout *r, struct selection *sel)
{
	struct pick p;
	bool ok;

	if ((tty_fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC)) < 0) {
		say("cannot open the terminal: %s", strerror(errno));
		return 2;
	}
	if (tcgetattr(tty_fd, &tty_saved) != 0) {
		say("cannot read the terminal's modes: %s", strerror(errno));
		close(tty_fd);
		return 2;
	}
	pick_start(&p, a, r, sel);
	ok = tty_enter() && tty_loop(&p);
	tty_leave();
	close(tty_fd);
	tty_fd = -1;
	if (!ok) {
		say("the terminal failed: %s", strerror(errno));
		return 2;
	}
	if (p.step != PICK_DONE) {
		say("cancelled: nothing was written");
		return PICK_CANCELLED_STATUS;
	}
	*sel = p.sel;
	return 0;
}
