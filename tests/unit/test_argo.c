/*
 * test_argo.c: the Workflow, read back.  Each test emits the documents of
 * a rollout, parses them with libyaml and walks the Workflow from the
 * entrypoint as Argo would, binding each template's `cluster` input and
 * following a child step into the WorkflowTemplate it names, to check that
 * every deploy runs exactly once, that inside a DAG its dependencies are
 * exactly its needs in that cluster, and that the waves and their gates
 * run in sequence.  (What happens on failure is the simulator's part:
 * tests/argo-sim.)
 */
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "support.h"

#define MAX_DOCS 64

struct walk {
	yaml_document_t docs[MAX_DOCS];
	size_t ndocs;
	yaml_document_t *doc;	/* the one being walked */
	yaml_node_t *templates;	/* its templates */
	struct buf seen;	/* "service@cluster\n" of every deploy met */
	struct buf deps;	/* "service@cluster: a b\n" of every deploy */
	struct buf steps;	/* entrypoint step names in order */
	int ndeploys;
	size_t ntemplates;
	struct result *plan_result;
};

static yaml_node_t *
node(struct walk *w, int id)
{
	return yaml_document_get_node(w->doc, id);
}

/* The value of key in a mapping node, or NULL. */
static yaml_node_t *
get(struct walk *w, yaml_node_t *map, const char *key)
{
	yaml_node_pair_t *pair;

	if (!map || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (pair = map->data.mapping.pairs.start;
	    pair < map->data.mapping.pairs.top; pair++) {
		yaml_node_t *k = node(w, pair->key);

		if (strcmp((char *)k->data.scalar.value, key) == 0)
			return node(w, pair->value);
	}
	return NULL;
}

static const char *
text(yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ?
	    (const char *)n->data.scalar.value : NULL;
}

static size_t
count(yaml_node_t *seq)
{
	return seq ? (size_t)(seq->data.sequence.items.top -
	    seq->data.sequence.items.start) : 0;
}

static yaml_node_t *
item(struct walk *w, yaml_node_t *seq, size_t i)
{
	return node(w, seq->data.sequence.items.start[i]);
}

static yaml_node_t *
template_named(struct walk *w, const char *name)
{
	size_t i;

	for (i = 0; i < count(w->templates); i++) {
		yaml_node_t *t = item(w, w->templates, i);

		if (strcmp(text(get(w, t, "name")), name) == 0)
			return t;
	}
	return NULL;
}

/* The value of argument name of a step or task, with the cluster bound. */
static const char *
argument(struct walk *w, yaml_node_t *call, const char *name,
    const char *cluster)
{
	yaml_node_t *params = get(w, get(w, call, "arguments"), "parameters");
	size_t i;

	for (i = 0; i < count(params); i++) {
		yaml_node_t *p = item(w, params, i);

		if (strcmp(text(get(w, p, "name")), name) != 0)
			continue;
		if (strcmp(text(get(w, p, "value")),
		    "{{inputs.parameters.cluster}}") == 0)
			return cluster;
		return text(get(w, p, "value"));
	}
	return NULL;
}

static void visit(struct walk *w, yaml_node_t *call, const char *cluster);
static void visit_child(struct walk *w, const char *name,
    const char *cluster);
static void visit_template(struct walk *w, yaml_node_t *t,
    const char *cluster);

/* The services of the tasks a `depends` ("a.Succeeded && b.Succeeded")
 * names, into w->deps. */
static void
depends_services(struct walk *w, yaml_node_t *tasks, const char *depends,
    const char *cluster)
{
	static const char succeeded[] = ".Succeeded", and[] = " && ";
	const char *p = depends, *dot;
	size_t k, n;

	while (*p) {
		dot = strchr(p, '.');
		assert_non_null(dot);
		n = (size_t)(dot - p);
		for (k = 0; k < count(tasks); k++)
			if (strlen(text(get(w, item(w, tasks, k), "name"))) ==
			    n && strncmp(text(get(w, item(w, tasks, k),
			    "name")), p, n) == 0)
				buf_printf(&w->deps, " %s", argument(w,
				    item(w, tasks, k), "service", cluster));
		/* each term is NAME.Succeeded, joined by " && " */
		assert_ptr_equal(strstr(dot, succeeded), dot);
		p = dot + strlen(succeeded);
		if (*p) {
			assert_ptr_equal(strstr(p, and), p);
			p += strlen(and);
		}
	}
}

/* A DAG's tasks: deploys are recorded with the services of their
 * dependencies; other tasks are visited. */
static void
visit_dag(struct walk *w, yaml_node_t *dag, const char *cluster)
{
	yaml_node_t *tasks = get(w, dag, "tasks");
	size_t i, j;

	for (i = 0; i < count(tasks); i++) {
		yaml_node_t *task = item(w, tasks, i);
		const char *service = argument(w, task, "service", cluster);
		yaml_node_t *deps = get(w, task, "dependencies");
		const char *depends = text(get(w, task, "depends"));

		if (!service) {
			visit(w, task, cluster);
			continue;
		}
		visit(w, task, cluster);
		buf_printf(&w->deps, "%s@%s:", service,
		    argument(w, task, "cluster", cluster));
		if (depends)
			depends_services(w, tasks, depends, cluster);
		for (j = 0; j < count(deps); j++) {
			size_t k;

			/* a dependency names a task; give its service */
			for (k = 0; k < count(tasks); k++)
				if (strcmp(text(get(w, item(w, tasks, k),
				    "name")), text(item(w, deps, j))) == 0)
					buf_printf(&w->deps, " %s",
					    argument(w, item(w, tasks, k),
					    "service", cluster));
		}
		buf_putc(&w->deps, '\n');
	}
}

/* A step or task: a deploy is recorded, a template is walked into. */
static void
visit(struct walk *w, yaml_node_t *call, const char *cluster)
{
	const char *service = argument(w, call, "service", cluster);
	const char *action = argument(w, call, "action", cluster);
	const char *bound = argument(w, call, "cluster", cluster);
	yaml_node_t *t;

	if (action && strcmp(action, "rollback") == 0)
		return;
	if (service) {
		buf_printf(&w->seen, "%s@%s\n", service, bound);
		w->ndeploys++;
		return;
	}
	if (!text(get(w, call, "template")))
		return;
	t = template_named(w, text(get(w, call, "template")));
	assert_non_null(t);
	if (get(w, t, "resource")) {
		visit_child(w, argument(w, call, "workflow-template", cluster),
		    bound ? bound : cluster);
		return;
	}
	visit_template(w, t, bound ? bound : cluster);
}

/* A template's DAG tasks or steps, in order. */
static void
visit_template(struct walk *w, yaml_node_t *t, const char *cluster)
{
	yaml_node_t *steps = get(w, t, "steps");
	size_t i, j;

	if (get(w, t, "dag"))
		visit_dag(w, get(w, t, "dag"), cluster);
	for (i = 0; i < count(steps); i++)
		for (j = 0; j < count(item(w, steps, i)); j++)
			visit(w, item(w, item(w, steps, i), j), cluster);
}

/* A child Workflow: the entrypoint of the WorkflowTemplate name, walked
 * in that document, then back to the one that created it. */
static void
visit_child(struct walk *w, const char *name, const char *cluster)
{
	yaml_document_t *outer = w->doc;
	yaml_node_t *outer_templates = w->templates;
	size_t i;

	assert_non_null(name);
	for (i = 0; i < w->ndocs; i++) {
		yaml_node_t *root;

		w->doc = &w->docs[i];
		root = yaml_document_get_root_node(w->doc);
		if (strcmp(text(get(w, root, "kind")), "WorkflowTemplate") ||
		    strcmp(text(get(w, get(w, root, "metadata"), "name")),
		    name))
			continue;
		w->templates = get(w, get(w, root, "spec"), "templates");
		w->ntemplates += count(w->templates);
		visit_template(w, template_named(w, text(get(w,
		    get(w, root, "spec"), "entrypoint"))), cluster);
		w->doc = outer;
		w->templates = outer_templates;
		return;
	}
	fail_msg("no WorkflowTemplate named %s", name);
}

/* Emits and walks the Workflow of a rollout. */
static struct walk *
walk_text(const char *dsl)
{
	struct result *r = run_text(dsl);
	struct walk *w = calloc(1, sizeof(*w));
	yaml_parser_t parser;
	yaml_node_t *root, *entry, *steps;
	const char *why = NULL;
	char *yaml = NULL;
	size_t len = 0, i;
	FILE *mem = open_memstream(&yaml, &len);

	assert_non_null(r->plan);
	assert_true(emit_argo(mem, r->plan, NULL, &why));
	fclose(mem);
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_string(&parser, (unsigned char *)yaml, len);
	for (;;) {
		assert_true(w->ndocs < MAX_DOCS);
		assert_true(yaml_parser_load(&parser, &w->docs[w->ndocs]));
		if (!yaml_document_get_root_node(&w->docs[w->ndocs])) {
			yaml_document_delete(&w->docs[w->ndocs]);
			break;
		}
		w->ndocs++;
	}
	yaml_parser_delete(&parser);
	/* the Workflow comes last, after the templates it creates from */
	w->doc = &w->docs[w->ndocs - 1];
	root = yaml_document_get_root_node(w->doc);
	assert_string_equal(text(get(w, root, "kind")), "Workflow");
	w->templates = get(w, get(w, root, "spec"), "templates");
	entry = template_named(w, text(get(w, get(w, root, "spec"),
	    "entrypoint")));
	steps = get(w, entry, "steps");
	for (i = 0; i < count(steps); i++)
		buf_printf(&w->steps, "%s\n", text(get(w, item(w,
		    item(w, steps, i), 0), "name")));
	buf_putc(&w->seen, '\n');
	visit_template(w, entry, NULL);
	w->plan_result = r;
	free(yaml);
	return w;
}

static void
walk_free(struct walk *w)
{
	size_t i;

	for (i = 0; i < w->ndocs; i++)
		yaml_document_delete(&w->docs[i]);
	buf_free(&w->seen);
	buf_free(&w->deps);
	buf_free(&w->steps);
	result_free(w->plan_result);
	free(w);
}

static const char spec_example[] =
    "rollout weekly-train {\n"
    "  version \"2026.48.1\"\n  registry \"gcr.io/acme\"\n"
    "  namespace argo\n  notify \"#deploy-train\"\n}\n"
    "group us    { us-central1-a, us-central1-b }\n"
    "group eu    { europe-west1-b, europe-west4-a }\n"
    "group edges { edge-iad, edge-sjc, edge-fra, edge-sin }\n"
    "service storage { in us, eu, edges }\n"
    "service auth      { in us, eu }\n"
    "service query-api { in us, eu; needs storage, auth }\n"
    "service ingest { in us, eu, edges; needs storage; version \"2\" }\n"
    "wave canary { in us-central1-a; parallel 1; soak 15m; approve }\n"
    "wave us     { in us; parallel 2; soak 10m }\n"
    "wave eu     { in eu; soak 2d; approve; on-failure rollback }\n"
    "wave edges  { in edges; parallel 2; on-failure continue }\n";

static void
every_deploy_runs_exactly_once(void **state)
{
	struct walk *w = walk_text(spec_example);
	struct plan *p = w->plan_result->plan;
	size_t i;

	(void)state;
	assert_int_equal(w->ndeploys, p->ndeploys);
	for (i = 0; i < p->ndeploys; i++) {
		char line[160];

		snprintf(line, sizeof(line), "\n%s@%s\n",
		    p->deploys[i].service->name, p->deploys[i].cluster->name);
		assert_contains(w->seen.data, line);
	}
	walk_free(w);
}

static void
dependencies_are_exactly_the_needs_in_each_cluster(void **state)
{
	struct walk *w = walk_text(spec_example);
	struct plan *p = w->plan_result->plan;
	size_t i, j;

	(void)state;
	for (i = 0; i < p->ndeploys; i++) {
		struct deploy *d = &p->deploys[i];
		struct buf want = { 0 };

		buf_printf(&want, "%s@%s:", d->service->name,
		    d->cluster->name);
		for (j = 0; j < d->nneeds; j++)
			buf_printf(&want, " %s", d->needs[j]->service->name);
		buf_putc(&want, '\n');
		assert_contains(w->deps.data, want.data);
		buf_free(&want);
	}
	/* ingest needs storage, which runs in the edges too */
	assert_contains(w->deps.data, "ingest@edge-sin: storage\n");
	assert_contains(w->deps.data, "auth@us-central1-a:\n");
	walk_free(w);
}

/* The position of needle in haystack, failing when it is not there. */
static size_t
position(const char *haystack, const char *needle)
{
	const char *at = strstr(haystack, needle);

	assert_non_null(at);
	return (size_t)(at - haystack);
}

static void
waves_and_their_gates_run_in_sequence(void **state)
{
	struct walk *w = walk_text(spec_example);
	const char *s;

	(void)state;
	s = w->steps.data;
	assert_true(position(s, "wave-canary\n") <
	    position(s, "soak-canary\n"));
	assert_true(position(s, "soak-canary\n") <
	    position(s, "approve-canary\n"));
	assert_true(position(s, "approve-canary\n") <
	    position(s, "wave-us\n"));
	assert_true(position(s, "wave-us\n") < position(s, "soak-us\n"));
	assert_true(position(s, "soak-us\n") < position(s, "wave-eu\n"));
	assert_true(position(s, "approve-eu\n") <
	    position(s, "wave-edges\n"));
	walk_free(w);
}

/* n services in one cluster, service i needing service i - 1. */
static char *
chain_rollout(int n)
{
	struct buf b = { 0 };
	int i;

	buf_puts(&b, "rollout r { version \"1\" }\ngroup g { k }\n"
	    "wave w { in g }\n");
	for (i = 0; i < n; i++) {
		buf_printf(&b, "service s%d { in g", i);
		if (i > 0)
			buf_printf(&b, "; needs s%d", i - 1);
		buf_puts(&b, " }\n");
	}
	return b.data;
}

static void
a_cluster_too_big_for_one_dag_is_split_keeping_every_deploy(void **state)
{
	char *dsl = chain_rollout(450);
	struct walk *w = walk_text(dsl);
	size_t i;

	(void)state;
	assert_int_equal(w->ndeploys, 450);
	assert_true(count(w->templates) <= ARGO_MAX_TEMPLATES);
	for (i = 0; i < count(w->templates); i++) {
		yaml_node_t *dag = get(w, item(w, w->templates, i), "dag");

		assert_true(count(get(w, dag, "tasks")) <= ARGO_MAX_TASKS);
	}
	/* inside a chunk the chain is kept task by task */
	assert_contains(w->deps.data, "s150@k: s149\n");
	assert_contains(w->deps.data, "s449@k: s448\n");
	walk_free(w);
	free(dsl);
}

/* Every document of the stream text is at most budget bytes. */
static void
assert_documents_within(const char *text, size_t budget)
{
	const char *p = text, *next;

	for (; p; p = next ? next + 5 : NULL) {
		next = strstr(p, "\n---\n");
		assert_true((size_t)(next ? next - p : (ptrdiff_t)strlen(p)) <=
		    budget);
	}
}

static void
a_rollout_past_the_limits_is_a_workflow_of_workflows(void **state)
{
	struct buf b = { 0 };
	struct walk *w;
	struct result *r;
	struct argo_layout l = { 0 };
	const char *why = NULL;
	char *yaml = NULL;
	size_t len = 0, i, d;
	FILE *mem;
	int k;

	(void)state;
	buf_puts(&b, "rollout r { version \"1\" }\ngroup g {");
	for (k = 0; k < 12; k++)
		buf_printf(&b, " k%d%s", k, k < 11 ? "," : " }\n");
	buf_puts(&b, "wave canary { in k0, k1, k2, k3 }\nwave rest { in g; parallel 3; "
	    "on-failure rollback }\n");
	for (k = 0; k < 300; k++) {
		buf_printf(&b, "service s%d { in g", k);
		if (k % 3)
			buf_printf(&b, "; needs s%d", k - 1);
		buf_puts(&b, " }\n");
	}
	r = run_text(b.data);
	assert_non_null(r->plan);
	mem = open_memstream(&yaml, &len);
	assert_true(emit_argo(mem, r->plan, &l, &why));
	fclose(mem);
	assert_true(l.known && l.children);
	assert_true(l.workflow_templates > 0);
	assert_documents_within(yaml, 512 * 1024);
	result_free(r);
	free(yaml);

	/* and it still runs every deploy once, with exactly its needs */
	w = walk_text(b.data);
	assert_int_equal(w->ndeploys, 12 * 300);
	/* s1 needs s0 inside the first part; s2 waits for s1 through the
	 * order of the parts */
	assert_contains(w->deps.data, "s1@k7: s0\n");
	assert_contains(w->deps.data, "s3@k11:\n");
	for (d = 0; d < w->ndocs; d++) {
		yaml_node_t *ts;

		w->doc = &w->docs[d];
		ts = get(w, get(w, yaml_document_get_root_node(w->doc),
		    "spec"), "templates");
		assert_true(count(ts) <= ARGO_MAX_TEMPLATES);
		for (i = 0; i < count(ts); i++)
			assert_true(count(get(w, get(w, item(w, ts, i),
			    "dag"), "tasks")) <= ARGO_MAX_TASKS);
	}
	walk_free(w);
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_deploy_runs_exactly_once),
		cmocka_unit_test(
		    dependencies_are_exactly_the_needs_in_each_cluster),
		cmocka_unit_test(waves_and_their_gates_run_in_sequence),
		cmocka_unit_test(
		    a_cluster_too_big_for_one_dag_is_split_keeping_every_deploy),
		cmocka_unit_test(
		    a_rollout_past_the_limits_is_a_workflow_of_workflows),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
