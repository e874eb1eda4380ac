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
};

static const char *
paint(const struct text *t, const char *code)
{
	return t->color ? code : "";
}

/* The longest chain, "a -> b -> c", wrapped before column 80. */
static void
write_chain(struct text *t, const struct plan *p, int col)
{
	size_t i;

	for (i = 0; i < p->nchain; i++) {
		const char *name = p->chain[i]->service->name;
		int len = (int)strlen(name);

		if (i && col + 4 + len > 80) {
			fputs(" ->\n   ", t->out);
			col = 3;
		} else if (i) {
			fputs(" ->", t->out);
			col += 3;
		}
		fprintf(t->out, " %s", name);
		col += len + 1;
	}
	fputc('\n', t->out);
}

static void
heading(struct text *t, const struct plan *p)
{
	const struct rollout *r = p->rollout;

	fprintf(t->out, "%srollout %s%s: %zu service%s, %zu cluster%s, "
	    "%zu wave%s, %zu deploy%s\n",
	    paint(t, "\033[1m"), r->name, paint(t, "\033[0m"),
	    r->nservices, r->nservices == 1 ? "" : "s",
	    p->nclusters, p->nclusters == 1 ? "" : "s",
	    p->nwaves, p->nwaves == 1 ? "" : "s",
	    p->ndeploys, p->ndeploys == 1 ? "" : "s");
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
			names[j - i] = pc->deploys[j]->service->name;
		col = fprintf(t->out, "    %sstep %d%s  ", paint(t, "\033[2m"),
		    step, paint(t, "\033[0m"));
		if (t->color)
			col -= 8;
		write_wrapped(t, col, col, names, j - i);
	}
}

/*
 * Links each cluster of the wave to the next of its shape (t->same), and
 * marks in first[] the first of each shape: the one whose line holds them
 * all.  Linear, where a search per cluster was quadratic.
 */
static void
link_shapes(struct text *t, const struct plan_wave *pw, bool *first)
{
	size_t i;

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
	for (i = 0; i < pw->nclusters; i++)
		if (first[i])
			write_cluster(t, pw, i, names);
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
write_argo(struct text *t, const struct plan *p, const char *argo_path)
{
	const char *ns = p->rollout->namespace, *why = NULL;
	const char *file = argo_path ? shell_word(t, argo_path) : "FILE";
	const char *n = ns ? arena_printf(&t->arena, " -n %s", ns) : "";
	struct argo_layout l;

	fprintf(t->out, "\nArgo%s: ", argo_path ? "" : " (--argo FILE)");
	if (!argo_layout(p, &l, &why)) {
		fprintf(t->out, "no Workflow can be written: %s\n", why);
		return;
	}
	if (!l.workflow_templates) {
		fprintf(t->out, "one Workflow; run it with\n"
		    "  argo submit%s %s\n", n, file);
		return;
	}
	if (l.children)
		fprintf(t->out, "a workflow of workflows, too big for one "
		    "Workflow: %zu WorkflowTemplates\n  and a parent Workflow "
		    "that runs each cluster as a child Workflow;\n",
		    l.workflow_templates);
	else
		fprintf(t->out, "a Workflow and %zu WorkflowTemplates for the "
		    "clusters of its rollback waves\n  (each runs as a child "
		    "Workflow, so a rollback never races a deploy);\n",
		    l.workflow_templates);
	fprintf(t->out, "  apply the templates, then submit the Workflow:\n"
	    "  kubectl apply%s -l %s -f %s\n"
	    "  argo submit%s %s\n", n, l.label, file, n, file);
}

void
emit_text(FILE *out, const struct plan *p, bool color,
    const char *argo_path)
{
	struct text t = { out, color, { 0 }, NULL, NULL };
	size_t i;

	t.seen = xmalloc_array(p->nshapes + 1, sizeof(*t.seen));
	heading(&t, p);
	for (i = 0; i < p->nwaves; i++)
		write_wave(&t, p, &p->waves[i]);
	write_splits(&t, p);
	write_argo(&t, p, argo_path);
	free(t.seen);
	arena_free(&t.arena);
}
