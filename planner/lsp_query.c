/*
 * lsp_query.c: a rollout as the editor has it, and what the editor asks of
 * it.  analyze() reads the rollout with the open buffers in place of their
 * files, checks it as 'planner check' does (the diagnostics are check's
 * own, taken as its JSON) and plans it when it has no errors.  It also
 * indexes every name written: a declaration, a need, an `in` name, a group
 * member.  The queries read that index, the model and the plan; none of
 * them reads a file.
 *
 * Names are of four kinds, each its own space: a service, a group, a
 * cluster and a wave may share a name.  An `in` name is a group when a
 * group has that name, else a cluster (check.c's rule).  A cluster is
 * declared where a group first lists it.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lsp.h"
#include "plan.h"

enum sym_kind { SYM_SERVICE, SYM_GROUP, SYM_CLUSTER, SYM_WAVE };

static const char *const sym_words[] = {
	[SYM_SERVICE] = "service", [SYM_GROUP] = "group",
	[SYM_CLUSTER] = "cluster", [SYM_WAVE] = "wave",
};

/* A name written in a file. */
struct occurrence {
	enum sym_kind kind;
	const char *name;
	struct loc loc;
	const struct file *file;
	bool decl;		/* where it is declared */
};

/* LSP's completion and symbol kinds that planner uses. */
enum {
	LSP_SYMBOL_FILE = 1, LSP_SYMBOL_MODULE = 2, LSP_SYMBOL_NAMESPACE = 3,
	LSP_SYMBOL_PACKAGE = 4, LSP_SYMBOL_CLASS = 5, LSP_SYMBOL_CONSTANT = 14,
	LSP_SYMBOL_EVENT = 24,
	LSP_COMPLETION_CLASS = 7, LSP_COMPLETION_MODULE = 9,
	LSP_COMPLETION_VALUE = 12, LSP_COMPLETION_KEYWORD = 14,
	LSP_COMPLETION_FOLDER = 19, LSP_COMPLETION_ENUM_MEMBER = 20,
	LSP_COMPLETION_EVENT = 23,
	LSP_SEVERITY_ERROR = 1, LSP_SEVERITY_WARNING = 2,
};

/* Lists shown in a hover stop after this many names. */
#define HOVER_NAMES 8
/* Diagnostics published for one file, at most (its first ones). */
#define MAX_FILE_DIAGNOSTICS 1000

/*
 * Positions
 */

/* UTF-16 code units in the first n bytes of s. */
static int
utf16_of(const char *s, size_t n)
{
	return utf16_units(s, (int)n, (int)n);
}

/* An LSP Position for line (from 1) and byte column (from 1) in src. */
static json_t *
position_json(const struct source *src, int line, int col)
{
	int len = 0;
	const char *text = line >= 1 && line <= src->nlines ?
	    source_line(src, line, &len) : "";
	int at = col - 1 < len ? col - 1 : len;

	return json_pack("{s:i, s:i}", "line", line - 1, "character",
	    utf16_of(text, at > 0 ? (size_t)at : 0));
}

static json_t *
range_json(const struct source *src, int line, int col, int end_line,
    int end_col)
{
	return json_pack("{s:o, s:o}", "start", position_json(src, line, col),
	    "end", position_json(src, end_line, end_col));
}

static json_t *
location_json(struct arena *a, const struct occurrence *o)
{
	return json_pack("{s:s, s:o}", "uri", uri_from_path(a, o->file->real),
	    "range", range_json(o->loc.src, o->loc.line, o->loc.col,
	    o->loc.line, o->loc.col + o->loc.len));
}

/*
 * Analysis
 */

/* Adds an occurrence of a name. */
static void
add_occ(struct vec *v, struct arena *a, enum sym_kind kind,
    const struct word *w, const struct file *f, bool decl)
{
	struct occurrence *o;

	if (!w->text || !w->loc.src)
		return;
	o = arena_alloc(a, sizeof(*o));
	o->kind = kind;
	o->name = w->text;
	o->loc = w->loc;
	o->file = f;
	o->decl = decl;
	vec_push(v, o);
}

/* Indexes the names of every file of prog. */
static void
index_names(struct analysis *an)
{
	struct map groups = { 0 }, clusters = { 0 };
	struct vec v = { 0 };
	struct occurrence **all;
	size_t i, j, k, m;

	for (i = 0; i < an->prog->nfiles; i++)
		for (j = 0; j < an->prog->files[i]->ndecls; j++) {
			struct decl *d = an->prog->files[i]->decls[j];

			if (d->kind == DECL_GROUP && d->name.text)
				map_put(&groups, d->name.text, d);
		}
	for (i = 0; i < an->prog->nfiles; i++) {
		const struct file *f = an->prog->files[i];

		for (j = 0; j < f->ndecls; j++) {
			struct decl *d = f->decls[j];

			if (d->kind == DECL_SERVICE)
				add_occ(&v, &an->arena, SYM_SERVICE, &d->name,
				    f, true);
			else if (d->kind == DECL_WAVE)
				add_occ(&v, &an->arena, SYM_WAVE, &d->name, f,
				    true);
			else if (d->kind == DECL_GROUP)
				add_occ(&v, &an->arena, SYM_GROUP, &d->name,
				    f, true);
			for (k = 0; d->kind == DECL_GROUP && k < d->nmembers;
			    k++) {
				struct word *w = &d->members[k];
				bool first = w->text && !map_get(&clusters,
				    w->text);

				if (first)
					map_put(&clusters, w->text, w);
				add_occ(&v, &an->arena, SYM_CLUSTER, w, f,
				    first);
			}
			for (k = 0; k < d->nattrs; k++) {
				struct attr *at = d->attrs[k];

				for (m = 0; at->kind == ATTR_NEEDS &&
				    m < at->nnames; m++)
					add_occ(&v, &an->arena, SYM_SERVICE,
					    &at->names[m], f, false);
				for (m = 0; at->kind == ATTR_IN &&
				    m < at->nnames; m++) {
					struct word *w = &at->names[m];

					add_occ(&v, &an->arena, w->text &&
					    map_get(&groups, w->text) ?
					    SYM_GROUP : SYM_CLUSTER, w, f,
					    false);
				}
			}
		}
	}
	an->nocc = v.n;
	all = (struct occurrence **)vec_to_arena(&v, &an->arena);
	an->occ = arena_array(&an->arena, an->nocc ? an->nocc : 1,
	    sizeof(*an->occ));
	for (i = 0; i < an->nocc; i++)
		an->occ[i] = *all[i];
	map_free(&groups);
	map_free(&clusters);
}

static void sort_diagnostics(struct analysis *an);

/* Takes the diagnostics a sink gathered as JSON. */
static json_t *
take_diagnostics(struct diag *d)
{
	json_t *list = json_incref((json_t *)d->json_list);

	diag_finish(d);		/* adds "... and N more warnings" to it */
	return list;
}

/* How diagnostics name a file at real path real: relative to the current
 * directory when under it (as 'planner check' run there names it), else
 * as it is (a buffer not on disk is known by its real path alone). */
static const char *
shown_path(const char *real)
{
	char cwd[PATH_MAX];
	size_t n;

	if (access(real, F_OK) != 0 || !getcwd(cwd, sizeof(cwd)))
		return real;
	n = strlen(cwd);
	if (n > 1 && strncmp(real, cwd, n) == 0 && real[n] == '/' && real[n + 1])
		return real + n + 1;
	return real;
}

struct analysis *
analyze(const char *root, const char *import_root,
    const struct overlay *over)
{
	struct analysis *an = xmalloc(sizeof(*an));
	char *said = NULL;
	size_t nsaid = 0;
	FILE *sink = open_memstream(&said, &nsaid);
	struct diag d;

	if (!sink)
		fatal("out of memory");
	memset(an, 0, sizeof(*an));
	/* the sources keep the path they are read by */
	an->root = arena_strndup(&an->arena, root, strlen(root));
	an->root_shown = root = shown_path(an->root);
	diag_init(&d, sink, false, true);
	/* every file's diagnostics, not the first 20 errors of the rollout:
	 * the buffer's own must not be crowded out by the others' */
	d.max_errors = 0;
	d.max_warnings = 0;
	an->prog = load_program_over(&an->arena, &d, root, import_root, over);
	if (an->prog && an->prog->nfiles > 0) {
		an->model = check_program_partial(&an->arena, &d, an->prog);
		if (!d.nerrors)
			an->plan = plan_build(&an->arena, an->model);
		index_names(an);
	}
	an->nerrors = d.nerrors;
	an->diagnostics = take_diagnostics(&d);
	fclose(sink);
	free(said);
	an->nfiles = an->prog ? an->prog->nfiles : 0;
	an->files = arena_array(&an->arena, an->nfiles ? an->nfiles : 1,
	    sizeof(*an->files));
	for (size_t i = 0; i < an->nfiles; i++) {
		an->files[i] = an->prog->files[i]->real;
		map_put(&an->by_shown, an->prog->files[i]->src->path,
		    an->prog->files[i]);
	}
	sort_diagnostics(an);
	return an;
}

void
analysis_free(struct analysis *an)
{
	if (!an)
		return;
	json_decref(an->diagnostics);
	for (size_t i = 0; i < an->lists.n; i++)
		json_decref(an->lists.items[i]);
	vec_free(&an->lists);
	map_free(&an->by_real);
	map_free(&an->by_shown);
	arena_free(&an->scratch);
	arena_free(&an->arena);
	free(an);
}

const char *
root_of(struct arena *a, const char *path, const char *import_root,
    const struct overlay *over)
{
	const char *shown, *rollout;
	char real[PATH_MAX];
	bool searched;

	rollout = find_importing_rollout_over(a, path, import_root, over,
	    &shown, &searched);
	/* one name for one rollout, whichever file led to it */
	if (rollout && realpath(rollout, real))
		return arena_strndup(a, real, strlen(real));
	return path;
}


const char **
analysis_files(struct analysis *an, size_t *n)
{
	*n = an->nfiles;
	return an->files;
}

/* The file of an analysis whose diagnostics are shown as shown. */
static const struct file *
file_shown_as(const struct analysis *an, const char *shown)
{
	return map_get(&an->by_shown, shown);
}

/* The file of an analysis at real path real. */
static const struct file *
file_at(const struct analysis *an, const char *real)
{
	size_t i;

	for (i = 0; an->prog && i < an->prog->nfiles; i++)
		if (an->prog->files[i]->real &&
		    strcmp(an->prog->files[i]->real, real) == 0)
			return an->prog->files[i];
	return NULL;
}

bool
analysis_keeps(struct analysis *an, const char *real)
{
	const struct file *f = file_at(an, real);
	bool declares = false;
	size_t i;

	if (!f)
		return false;
	for (i = 0; i < f->ndecls && !declares; i++)
		declares = f->decls[i]->kind == DECL_ROLLOUT;
	/* a file read alone, declaring no rollout, is looked up again: a
	 * rollout.dsl may have come to import it */
	return strcmp(real, an->root) == 0 ? declares : !declares;
}

/* An LSP Range from a place of check's JSON (1-based line, UTF-16
 * columns). */
static json_t *
range_of_place(json_t *p)
{
	json_int_t line = json_integer_value(json_object_get(p, "line")) - 1;
	json_int_t col = json_integer_value(json_object_get(p,
	    "column_utf16")) - 1;
	json_int_t end = json_integer_value(json_object_get(p,
	    "end_column_utf16")) - 1;

	if (line < 0)
		line = 0;
	if (col < 0)
		col = 0;
	if (end < col)
		end = col;
	return json_pack("{s:{s:I, s:I}, s:{s:I, s:I}}", "start", "line",
	    line, "character", col, "end", "line", line, "character", end);
}

/* One LSP Diagnostic from one of check's: its message, then its notes and
 * help as check prints them, each on a line of its own; notes with a place
 * also as related information. */
static json_t *
lsp_diagnostic(struct analysis *an, json_t *c)
{
	const char *sev = json_string_value(json_object_get(c, "severity"));
	json_t *notes = json_object_get(c, "notes"), *n, *related = json_array();
	struct buf msg = { 0 };
	const struct file *f;
	json_t *out;
	size_t i;

	buf_puts(&msg, json_string_value(json_object_get(c, "message")));
	json_array_foreach(notes, i, n) {
		const char *kind = json_string_value(json_object_get(n,
		    "severity"));
		const char *text = json_string_value(json_object_get(n,
		    "message"));
		const char *file = json_string_value(json_object_get(n,
		    "file"));

		buf_printf(&msg, "\n%s: %s", kind ? kind : "note",
		    text ? text : "");
		if (file && (f = file_shown_as(an, file)) && f->real) {
			buf_printf(&msg, " (%s:%" JSON_INTEGER_FORMAT ")",
			    file, json_integer_value(json_object_get(n,
			    "line")));
			json_array_append_new(related, json_pack("{s:{s:s, "
			    "s:o}, s:s}", "location", "uri", uri_from_path(
			    &an->arena, f->real), "range", range_of_place(n),
			    "message", text ? text : ""));
		}
	}
	buf_putc(&msg, '\0');
	out = json_pack("{s:o, s:i, s:s, s:s}", "range", range_of_place(c),
	    "severity", sev && strcmp(sev, "warning") == 0 ?
	    LSP_SEVERITY_WARNING : LSP_SEVERITY_ERROR, "source", "planner",
	    "message", msg.data);
	if (json_array_size(related))
		json_object_set(out, "relatedInformation", related);
	json_decref(related);
	buf_free(&msg);
	return out;
}

json_t *
diagnostics_for(struct analysis *an, const char *real)
{
	json_t *list = map_get(&an->by_real, real);

	return list ? json_incref(list) : json_array();
}

/* Sorts check's diagnostics into LSP's, a list per file (by real path),
 * each file's first MAX_FILE_DIAGNOSTICS: one pass, whatever the number
 * of files. */
static void
sort_diagnostics(struct analysis *an)
{
	const struct file *f;
	const char *file, *real;
	json_t *c, *list;
	size_t i;

	json_array_foreach(an->diagnostics, i, c) {
		/* a root that could not be read is shown as its path */
		file = json_string_value(json_object_get(c, "file"));
		f = file ? file_shown_as(an, file) : NULL;
		real = f ? f->real : file && strcmp(file, an->root_shown) == 0 ?
		    an->root : NULL;
		if (!real)
			continue;
		if (!(list = map_get(&an->by_real, real))) {
			list = json_array();
			map_put(&an->by_real, real, list);
			vec_push(&an->lists, list);
		}
		if (json_array_size(list) < MAX_FILE_DIAGNOSTICS)
			json_array_append_new(list, lsp_diagnostic(an, c));
	}
}

/*
 * Names
 */

/* The occurrence at pos: the name the place is on or just after. */
static const struct occurrence *
occurrence_at(const struct analysis *an, struct position pos)
{
	const struct file *f = file_at(an, pos.real);
	const struct occurrence *o;
	const char *text;
	int len, col;
	size_t i;

	if (!f || pos.line < 0 || pos.line >= f->src->nlines)
		return NULL;
	text = source_line(f->src, pos.line + 1, &len);
	col = (int)utf16_bytes(text, (size_t)len, pos.character) + 1;
	for (i = 0; i < an->nocc; i++) {
		o = &an->occ[i];
		if (o->file == f && o->loc.line == pos.line + 1 &&
		    col >= o->loc.col && col <= o->loc.col + o->loc.len)
			return o;
	}
	return NULL;
}

/* Where the name of o is declared, or NULL. */
static const struct occurrence *
declaration_of(const struct analysis *an, const struct occurrence *o)
{
	size_t i;

	for (i = 0; i < an->nocc; i++)
		if (an->occ[i].decl && an->occ[i].kind == o->kind &&
		    strcmp(an->occ[i].name, o->name) == 0)
			return &an->occ[i];
	return NULL;
}

json_t *
query_definition(struct analysis *an, struct position pos)
{
	const struct occurrence *o = occurrence_at(an, pos), *d;

	arena_free(&an->scratch);	/* what the last query made */
	if (!o || !(d = declaration_of(an, o)))
		return json_null();
	return location_json(&an->scratch, d);
}

json_t *
query_references(struct analysis *an, struct position pos,
    bool with_declaration)
{
	const struct occurrence *o = occurrence_at(an, pos), *x;
	json_t *list = json_array();
	size_t i;

	arena_free(&an->scratch);	/* what the last query made */
	for (i = 0; o && i < an->nocc; i++) {
		x = &an->occ[i];
		if (x->kind == o->kind && strcmp(x->name, o->name) == 0 &&
		    (with_declaration || !x->decl))
			json_array_append_new(list, location_json(&an->scratch,
			    x));
	}
	return list;
}

/*
 * Hover
 */

/* Appends names (at most HOVER_NAMES, then how many more), in code. */
static void
put_names(struct buf *b, const char *const *names, size_t n)
{
	size_t i;

	if (n == 0) {
		buf_puts(b, "none");
		return;
	}
	for (i = 0; i < n && i < HOVER_NAMES; i++)
		buf_printf(b, "%s`%s`", i ? ", " : "", names[i]);
	if (n > HOVER_NAMES)
		buf_printf(b, " and %zu more", n - HOVER_NAMES);
}

static struct service *
service_named(const struct rollout *r, const char *name)
{
	size_t i;

	for (i = 0; r && i < r->nservices; i++)
		if (strcmp(r->services[i]->name, name) == 0)
			return r->services[i];
	return NULL;
}

static struct wave *
wave_named(const struct rollout *r, const char *name)
{
	size_t i;

	for (i = 0; r && i < r->nwaves; i++)
		if (strcmp(r->waves[i]->name, name) == 0)
			return r->waves[i];
	return NULL;
}

static struct group *
group_named(const struct rollout *r, const char *name)
{
	size_t i;

	for (i = 0; r && i < r->ngroups; i++)
		if (strcmp(r->groups[i]->name, name) == 0)
			return r->groups[i];
	return NULL;
}

static struct cluster *
cluster_named(const struct rollout *r, const char *name)
{
	size_t i;

	for (i = 0; r && i < r->nclusters; i++)
		if (strcmp(r->clusters[i]->name, name) == 0)
			return r->clusters[i];
	return NULL;
}

/* The `in` names of a declaration, as written. */
static void
put_in_names(struct buf *b, const struct decl *d, struct arena *a)
{
	struct vec v = { 0 };
	size_t i, j;

	for (i = 0; d && i < d->nattrs; i++)
		for (j = 0; d->attrs[i]->kind == ATTR_IN &&
		    j < d->attrs[i]->nnames; j++)
			if (d->attrs[i]->names[j].text)
				vec_push(&v, (void *)d->attrs[i]->names[j].text);
	i = v.n;
	put_names(b, (const char *const *)vec_to_arena(&v, a), i);
}

/* A deploy of the service hovered: its step and its cluster. */
struct step_of {
	int step;
	size_t order;		/* its cluster's place in the wave */
	const char *cluster;
};

static int
by_step(const void *a, const void *b)
{
	const struct step_of *x = a, *y = b;

	if (x->step != y->step)
		return (x->step > y->step) - (x->step < y->step);
	return (x->order > y->order) - (x->order < y->order);
}

/* A service's steps, a line per wave it is deployed in: "- wave `us`:
 * step 2 in `a`, `b`; step 3 in `c`".  Each deploy of the wave is looked
 * at once: a hover on a chain of 40,000 services must not take steps times
 * deploys. */
static void
put_steps(struct buf *b, const struct plan *p, const struct service *s,
    struct arena *a)
{
	size_t w, c, k, i, n;

	for (w = 0; w < p->nwaves; w++) {
		const struct plan_wave *pw = &p->waves[w];
		struct step_of *found = NULL;
		size_t nfound = 0, cap = 0;

		for (c = 0; c < pw->nclusters; c++) {
			const struct plan_cluster *pc = pw->clusters[c];

			for (k = 0; k < pc->ndeploys; k++) {
				if (pc->deploys[k]->service != s)
					continue;
				if (nfound == cap) {
					cap = cap ? cap * 2 : 8;
					found = xrealloc_array(found, cap,
					    sizeof(*found));
				}
				found[nfound].step = pc->deploys[k]->step;
				found[nfound].order = c;
				found[nfound++].cluster = pc->cluster->name;
			}
		}
		if (nfound == 0)
			continue;
		buf_printf(b, "\n- wave `%s`: ", pw->wave->name);
		qsort(found, nfound, sizeof(*found), by_step);
		for (i = 0; i < nfound; i = k) {
			const char **names;

			for (k = i; k < nfound && found[k].step == found[i].step;
			    k++)
				;
			names = arena_array(a, k - i, sizeof(*names));
			for (n = i; n < k; n++)
				names[n - i] = found[n].cluster;
			buf_printf(b, "%sstep %d in ", i ? "; " : "",
			    found[i].step);
			put_names(b, names, k - i);
		}
		free(found);
	}
}

static void
hover_service(struct buf *b, struct analysis *an, const char *name)
{
	const struct rollout *r = an->model;
	struct service *s = service_named(r, name);
	struct vec v = { 0 };
	size_t i, j;

	buf_printf(b, "**service %s**", name);
	if (!s)
		return;
	buf_printf(b, "\n\nversion `%s`, image `%s:%s`", s->version,
	    s->image ? s->image : s->name, s->version);
	if (s->takes_text)
		buf_printf(b, ", takes %s", s->takes_text);
	buf_puts(b, "\n\nruns in ");
	put_in_names(b, s->decl, &an->scratch);
	buf_printf(b, ": %zu cluster%s", s->nclusters, s->nclusters == 1 ?
	    "" : "s");
	for (i = 0; i < s->nneeds; i++)
		vec_push(&v, (void *)s->needs[i]->name);
	buf_puts(b, "\n\nneeds ");
	put_names(b, (const char *const *)vec_to_arena(&v, &an->scratch),
	    s->nneeds);
	for (i = 0; i < r->nservices; i++)
		for (j = 0; j < r->services[i]->nneeds; j++)
			if (r->services[i]->needs[j] == s)
				vec_push(&v, (void *)r->services[i]->name);
	buf_puts(b, "\n\nneeded by ");
	i = v.n;
	put_names(b, (const char *const *)vec_to_arena(&v, &an->scratch), i);
	if (an->plan) {
		buf_puts(b, "\n\nsteps:");
		put_steps(b, an->plan, s, &an->scratch);
	} else {
		buf_puts(b, "\n\n(no plan while the rollout has errors)");
	}
}

static void
hover_wave(struct buf *b, struct analysis *an, const char *name)
{
	struct wave *w = wave_named(an->model, name);
	struct vec v = { 0 };
	size_t i;

	buf_printf(b, "**wave %s**", name);
	if (!w)
		return;
	buf_puts(b, "\n\nin ");
	put_in_names(b, w->decl, &an->scratch);
	for (i = 0; i < w->nclusters; i++)
		vec_push(&v, (void *)w->clusters[i]->name);
	buf_printf(b, ": %zu cluster%s: ", w->nclusters, w->nclusters == 1 ?
	    "" : "s");
	put_names(b, (const char *const *)vec_to_arena(&v, &an->scratch),
	    w->nclusters);
	buf_printf(b, "\n\non-failure `%s`", policy_words[w->on_failure]);
	if (w->parallel)
		buf_printf(b, ", parallel %ld", w->parallel);
	else
		buf_puts(b, ", all clusters at once");
	if (w->soak_text)
		buf_printf(b, ", soak %s", w->soak_text);
	if (w->approve)
		buf_puts(b, ", then an approval");
	for (i = 0; an->plan && i < an->plan->nwaves; i++) {
		const struct plan_wave *pw = &an->plan->waves[i];

		if (pw->wave != w)
			continue;
		buf_printf(b, "\n\nestimate %s (deploying %s), from %s into "
		    "the release; %zu deploy%s",
		    go_duration(&an->scratch, pw->estimate),
		    go_duration(&an->scratch, pw->deploying),
		    go_duration(&an->scratch, pw->start), pw->ndeploys,
		    pw->ndeploys == 1 ? "" : "s");
	}
	if (!an->plan)
		buf_puts(b, "\n\n(no estimate while the rollout has errors)");
}

static void
hover_group(struct buf *b, struct analysis *an, const char *name)
{
	struct group *g = group_named(an->model, name);
	struct vec v = { 0 };
	size_t i;

	buf_printf(b, "**group %s**", name);
	if (!g)
		return;
	for (i = 0; i < g->nclusters; i++)
		vec_push(&v, (void *)g->clusters[i]->name);
	buf_printf(b, "\n\n%zu cluster%s: ", g->nclusters, g->nclusters == 1 ?
	    "" : "s");
	put_names(b, (const char *const *)vec_to_arena(&v, &an->scratch),
	    g->nclusters);
}

static void
hover_cluster(struct buf *b, struct analysis *an, const char *name)
{
	const struct rollout *r = an->model;
	struct cluster *k = cluster_named(r, name);
	struct vec v = { 0 };
	size_t i, j;

	buf_printf(b, "**cluster %s**", name);
	if (!k)
		return;
	for (i = 0; i < r->ngroups; i++)
		for (j = 0; j < r->groups[i]->nclusters; j++)
			if (r->groups[i]->clusters[j] == k)
				vec_push(&v, (void *)r->groups[i]->name);
	buf_puts(b, "\n\nin group ");
	i = v.n;
	put_names(b, (const char *const *)vec_to_arena(&v, &an->scratch), i);
	if (k->wave)
		buf_printf(b, ", deployed in wave `%s`", k->wave->name);
	else
		buf_puts(b, ", in no wave");
	for (i = 0; i < r->nservices; i++)
		for (j = 0; j < r->services[i]->nclusters; j++)
			if (r->services[i]->clusters[j] == k)
				vec_push(&v, (void *)r->services[i]->name);
	buf_printf(b, "\n\n%zu service%s: ", v.n, v.n == 1 ? "" : "s");
	i = v.n;
	put_names(b, (const char *const *)vec_to_arena(&v, &an->scratch), i);
}

json_t *
query_hover(struct analysis *an, struct position pos)
{
	const struct occurrence *o = occurrence_at(an, pos);
	struct buf b = { 0 };
	json_t *out;

	arena_free(&an->scratch);	/* what the last query made */
	if (!o || !an->model)
		return json_null();
	switch (o->kind) {
	case SYM_SERVICE:
		hover_service(&b, an, o->name);
		break;
	case SYM_WAVE:
		hover_wave(&b, an, o->name);
		break;
	case SYM_GROUP:
		hover_group(&b, an, o->name);
		break;
	case SYM_CLUSTER:
		hover_cluster(&b, an, o->name);
		break;
	}
	buf_putc(&b, '\0');
	out = json_pack("{s:{s:s, s:s}, s:o}", "contents", "kind", "markdown",
	    "value", b.data, "range", range_json(o->loc.src, o->loc.line,
	    o->loc.col, o->loc.line, o->loc.col + o->loc.len));
	buf_free(&b);
	return out;
}

/*
 * Completion: what the grammar allows at the place, read from the text
 * before it (the buffer is being typed, so the tree may not hold it).
 */

/* Where the text before the place leaves the grammar. */
struct context {
	int depth;			/* inside a block: 1 */
	const char *decl;		/* the declaration's keyword */
	size_t decl_len;
	const char *name;		/* the declaration's name */
	size_t name_len;
	const char *first;		/* the statement's first word */
	size_t first_len;
	int words;			/* words in the statement before */
	bool comma;			/* the last token was ',' */
	bool quiet;			/* the place is in a comment or a
					 * string: nothing to complete */
};

static bool
is_word_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}

/* Reads text[0..end) into a context; a word that ends at end is the one
 * being typed, not counted. */
static void
read_context(const char *text, size_t end, struct context *cx)
{
	size_t i = 0, start;

	memset(cx, 0, sizeof(*cx));
	while (i < end) {
		char c = text[i];

		if (c == '#') {
			while (i < end && text[i] != '\n')
				i++;
			cx->quiet = i == end;
		} else if (c == '"') {
			for (i++; i < end && text[i] != '"' &&
			    text[i] != '\n'; i++)
				if (text[i] == '\\' && i + 1 < end)
					i++;
			cx->quiet = i >= end;
			i++;
			cx->words++;
			cx->comma = false;
		} else if (c == '\n' || c == ';') {
			if (!cx->comma) {
				cx->words = 0;
				cx->first = NULL;
			}
			i++;
		} else if (c == '{' || c == '}') {
			cx->depth = c == '{' ? 1 : 0;
			if (c == '}')
				cx->decl = NULL;
			cx->words = 0;
			cx->first = NULL;
			cx->comma = false;
			i++;
		} else if (c == ',') {
			cx->comma = true;
			i++;
		} else if (is_word_char(c)) {
			start = i;
			while (i < end && is_word_char(text[i]))
				i++;
			if (i == end)
				break;	/* being typed */
			if (cx->words == 0) {
				cx->first = text + start;
				cx->first_len = i - start;
				if (cx->depth == 0) {
					cx->decl = cx->first;
					cx->decl_len = cx->first_len;
					cx->name = NULL;
				}
			} else if (cx->words == 1 && cx->depth == 0) {
				cx->name = text + start;
				cx->name_len = i - start;
			}
			cx->words++;
			cx->comma = false;
		} else {
			i++;
		}
	}
}

static bool
is_word(const char *s, size_t n, const char *w)
{
	return s && strlen(w) == n && memcmp(s, w, n) == 0;
}

/* The completions being made: where they go (the word being typed, which
 * an item replaces whole: a client may not take '-' as part of a word),
 * and a name left out (the service being declared needs not itself). */
struct completions {
	json_t *list;
	json_t *range;
	const char *skip;
	size_t skip_len;
};

static void
add_item(struct completions *c, const char *label, int kind,
    const char *detail)
{
	if (c->skip && is_word(c->skip, c->skip_len, label))
		return;
	json_array_append_new(c->list, json_pack("{s:s, s:i, s:s, s:{s:O, "
	    "s:s}}", "label", label, "kind", kind, "detail", detail,
	    "textEdit", "range", c->range, "newText", label));
}

/* The names of a kind, each once, as completion items. */
static void
add_names(struct completions *c, const struct analysis *an,
    enum sym_kind kind)
{
	static const int kinds[] = { [SYM_SERVICE] = LSP_COMPLETION_CLASS,
		[SYM_GROUP] = LSP_COMPLETION_FOLDER,
		[SYM_CLUSTER] = LSP_COMPLETION_VALUE,
		[SYM_WAVE] = LSP_COMPLETION_EVENT };
	struct map seen = { 0 };
	size_t i;

	for (i = 0; i < an->nocc; i++)
		if (an->occ[i].decl && an->occ[i].kind == kind &&
		    !map_get(&seen, an->occ[i].name)) {
			map_put(&seen, an->occ[i].name, &seen);
			add_item(c, an->occ[i].name, kinds[kind],
			    sym_words[kind]);
		}
	map_free(&seen);
}

/* Completes in a block: an attribute's keyword at a statement's start,
 * else what the attribute takes there. */
static void
complete_attribute(struct completions *c, const struct analysis *an,
    const struct context *cx, unsigned attrs)
{
	bool list_item = cx->words == 1 || cx->comma;
	size_t k;

	if (cx->words == 0) {
		for (k = 0; k < NATTRS; k++)
			if (attrs >> k & 1)
				add_item(c, attr_words[k],
				    LSP_COMPLETION_KEYWORD, "attribute");
	} else if (is_word(cx->first, cx->first_len, attr_words[ATTR_NEEDS]) &&
	    list_item && (attrs >> ATTR_NEEDS & 1)) {
		c->skip = cx->name;
		c->skip_len = cx->name_len;
		add_names(c, an, SYM_SERVICE);
	} else if (is_word(cx->first, cx->first_len, attr_words[ATTR_IN]) &&
	    list_item && (attrs >> ATTR_IN & 1)) {
		add_names(c, an, SYM_GROUP);
		add_names(c, an, SYM_CLUSTER);
	} else if (is_word(cx->first, cx->first_len,
	    attr_words[ATTR_ON_FAILURE]) && cx->words == 1 &&
	    (attrs >> ATTR_ON_FAILURE & 1)) {
		for (k = 0; k < NPOLICIES; k++)
			add_item(c, policy_words[k],
			    LSP_COMPLETION_ENUM_MEMBER, "policy");
	}
}

json_t *
query_completion(struct analysis *an, const char *text, size_t len,
    struct position pos)
{
	struct completions c = { json_array(), NULL, NULL, 0 };
	struct context cx;
	size_t at = 0, k, line_start, word;
	enum decl_kind kind;
	unsigned attrs = 0;
	int line = 0;

	while (line < pos.line && at < len) {
		const char *nl = memchr(text + at, '\n', len - at);

		if (!nl)
			return c.list;
		at = (size_t)(nl - text) + 1;
		line++;
	}
	line_start = at;
	while (at < len && text[at] != '\n')
		at++;
	at = line_start + utf16_bytes(text + line_start, at - line_start,
	    pos.character);
	for (word = at; word > line_start && is_word_char(text[word - 1]);
	    word--)
		;
	c.range = json_pack("{s:{s:i, s:i}, s:{s:i, s:i}}", "start", "line",
	    pos.line, "character", pos.character - utf16_of(text + word,
	    at - word), "end", "line", pos.line, "character", pos.character);
	read_context(text, at, &cx);
	if (cx.quiet) {
		;	/* a comment or a string is the writer's own */
	} else if (cx.depth == 0 && cx.words == 0) {
		for (k = 0; k < NDECLS; k++)
			add_item(&c, decl_words[k], LSP_COMPLETION_KEYWORD,
			    "declaration");
	} else if (cx.depth == 0) {
		;	/* a new name, or a path */
	} else if (is_word(cx.decl, cx.decl_len, decl_words[DECL_GROUP])) {
		add_names(&c, an, SYM_CLUSTER);
	} else {
		for (kind = 0; kind < NDECLS; kind++)
			if (is_word(cx.decl, cx.decl_len, decl_words[kind]))
				attrs = block_attrs(kind);
		complete_attribute(&c, an, &cx, attrs);
	}
	json_decref(c.range);
	return c.list;
}

/*
 * Symbols and formatting
 */

json_t *
query_symbols(struct analysis *an, const char *real)
{
	static const int kinds[] = { [DECL_ROLLOUT] = LSP_SYMBOL_NAMESPACE,
		[DECL_IMPORT] = LSP_SYMBOL_FILE,
		[DECL_GROUP] = LSP_SYMBOL_PACKAGE,
		[DECL_SERVICE] = LSP_SYMBOL_CLASS,
		[DECL_WAVE] = LSP_SYMBOL_EVENT };
	const struct file *f = file_at(an, real);
	json_t *list = json_array(), *sym, *children;
	size_t i, k;

	for (i = 0; f && i < f->ndecls; i++) {
		const struct decl *d = f->decls[i];
		int end = d->end_line >= d->loc.line ? d->end_line : d->loc.line;
		int end_len = 0;

		if (!d->name.text || !d->name.loc.src)
			continue;
		source_line(f->src, end, &end_len);
		sym = json_pack("{s:s, s:s, s:i, s:o, s:o}", "name",
		    d->name.text, "detail", decl_words[d->kind], "kind",
		    kinds[d->kind], "range", range_json(f->src, d->loc.line,
		    d->loc.col, end, end_len + 1), "selectionRange",
		    range_json(f->src, d->name.loc.line, d->name.loc.col,
		    d->name.loc.line, d->name.loc.col + d->name.loc.len));
		if (d->kind == DECL_GROUP) {
			children = json_array();
			for (k = 0; k < d->nmembers; k++) {
				const struct word *w = &d->members[k];

				if (!w->text || !w->loc.src)
					continue;
				json_array_append_new(children, json_pack(
				    "{s:s, s:s, s:i, s:o, s:o}", "name",
				    w->text, "detail", "cluster", "kind",
				    LSP_SYMBOL_CONSTANT, "range", range_json(
				    f->src, w->loc.line, w->loc.col,
				    w->loc.line, w->loc.col + w->loc.len),
				    "selectionRange", range_json(f->src,
				    w->loc.line, w->loc.col, w->loc.line,
				    w->loc.col + w->loc.len)));
			}
			json_object_set_new(sym, "children", children);
		}
		json_array_append_new(list, sym);
	}
	return list;
}

/* The LSP Position of byte offset at in text. */
static json_t *
text_position(const char *text, size_t at)
{
	size_t line_start = 0, i;
	int line = 0;

	for (i = 0; i < at; i++)
		if (text[i] == '\n') {
			line++;
			line_start = i + 1;
		}
	return json_pack("{s:i, s:i}", "line", line, "character",
	    utf16_of(text + line_start, at - line_start));
}

/* True when byte i of s (n long) does not start a character. */
static bool
inside_char(const char *s, size_t n, size_t i)
{
	return i < n && ((unsigned char)s[i] & 0xC0) == 0x80;
}

/* One edit that turns old (n bytes) into new (m bytes): what lies between
 * their common start and their common end, cut at characters, so that
 * the text around it, and the cursor there, stay put. */
static json_t *
one_edit(const char *old, size_t n, const char *new, size_t m)
{
	size_t head = 0, tail = 0;
	json_t *edit;
	char *mid;

	while (head < n && head < m && old[head] == new[head])
		head++;
	while (head > 0 && (inside_char(old, n, head) ||
	    inside_char(new, m, head)))
		head--;
	while (tail < n - head && tail < m - head &&
	    old[n - 1 - tail] == new[m - 1 - tail])
		tail++;
	while (tail > 0 && (inside_char(old, n, n - tail) ||
	    inside_char(new, m, m - tail)))
		tail--;
	mid = xmalloc(m - head - tail + 1);
	memcpy(mid, new + head, m - head - tail);
	mid[m - head - tail] = '\0';
	edit = json_pack("{s:{s:o, s:o}, s:s}", "range", "start",
	    text_position(old, head), "end", text_position(old, n - tail),
	    "newText", mid);
	free(mid);
	return edit;
}

json_t *
query_format(const char *path, const char *text, size_t len,
    const char **why)
{
	struct arena a = { 0 };
	char *said = NULL;
	size_t nsaid = 0;
	struct buf out = { 0 };
	struct source *src;
	struct file *f;
	struct diag d;
	json_t *edits = NULL;
	FILE *sink;

	if (len > MAX_FILE_SIZE) {
		*why = "the file is larger than " MAX_FILE_SIZE_TEXT " (the "
		    "limit for one file)";
		return NULL;
	}
	if (!(sink = open_memstream(&said, &nsaid)))
		fatal("out of memory");
	diag_init(&d, sink, false, false);
	src = source_new(&a, path, arena_strndup(&a, text, len), len);
	f = parse_source(&a, &d, src);
	if (d.nerrors) {
		*why = "the file has syntax errors: 'planner fmt' leaves it "
		    "as it is";
	} else {
		fmt_file(&out, f);
		edits = json_array();
		if (out.len != len || memcmp(out.data, text, len) != 0)
			json_array_append_new(edits, one_edit(text, len,
			    out.data ? out.data : "", out.len));
	}
	diag_finish(&d);
	fclose(sink);
	free(said);
	buf_free(&out);
	arena_free(&a);
	return edits;
}
