/* test_state.c: live state (state.c), read from --state FILE and from
 * kubectl's output under --state-dir, with its located errors; and drift
 * (drift.c): what it finds, how the report words and folds it, its JSON. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "support.h"

#define FIXTURE SOURCE_ROOT "/tests/fixtures/kubectl-deployments.json"

/* A directory of its own for each test's files. */
static char *
temp_dir(void)
{
	char *dir = strdup("/tmp/test_state-XXXXXX");

	assert_non_null(mkdtemp(dir));
	return dir;
}

static const char *
write_file(struct arena *a, const char *dir, const char *name,
    const char *text)
{
	const char *path = arena_printf(a, "%s/%s", dir, name);
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
	return path;
}

static void
remove_dir(char *dir)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	free(dir);
}

/* What the code run between capture_start and capture_end printed on
 * standard error; free it. */
static int saved_stderr = -1;
static FILE *captured;

static void
capture_start(void)
{
	fflush(stderr);
	captured = tmpfile();
	assert_non_null(captured);
	saved_stderr = dup(STDERR_FILENO);
	dup2(fileno(captured), STDERR_FILENO);
}

static char *
capture_end(void)
{
	long n;
	char *text;

	fflush(stderr);
	dup2(saved_stderr, STDERR_FILENO);
	close(saved_stderr);
	n = ftell(captured);
	text = calloc(1, (size_t)n + 1);
	rewind(captured);
	assert_int_equal(fread(text, 1, (size_t)n, captured), (size_t)n);
	fclose(captured);
	return text;
}

static void
the_kubectl_fixture_gives_each_deployment_its_first_containers_tag(
    void **state)
{
	struct arena a = { 0 };
	char *dir = temp_dir();
	const char *const clusters[] = { "europe-west4-a" };
	struct state *s;
	const char **names;
	bool known = false;

	(void)state;
	assert_int_equal(symlink(FIXTURE, arena_printf(&a, "%s/%s", dir,
	    "europe-west4-a.json")), 0);
	s = state_read_dir(&a, dir, clusters, 1);
	assert_non_null(s);
	assert_string_equal(state_version(s, "europe-west4-a", "auth",
	    &known), "2026.48.1");
	assert_true(known);
	/* the image is gcr.io/acme/ingest-server: the Deployment's name
	 * is what names the service */
	assert_string_equal(state_version(s, "europe-west4-a", "ingest",
	    NULL), "2026.48.1");
	/* a registry with a port, and an envoy sidecar second */
	assert_string_equal(state_version(s, "europe-west4-a", "query-api",
	    NULL), "2026.48.1");
	/* pinned by digest: there, version unknown */
	assert_null(state_version(s, "europe-west4-a", "storage", NULL));
	assert_true(state_has(s, "europe-west4-a", "storage"));
	/* system Deployments are in the state too; drift counts them */
	assert_string_equal(state_version(s, "europe-west4-a", "coredns",
	    NULL), "v1.11.3");
	/* registry.local:5000/tools/debug-shell has no tag: latest */
	assert_string_equal(state_version(s, "europe-west4-a", "debug-shell",
	    NULL), "latest");
	assert_false(state_has(s, "europe-west4-a", "billing"));
	assert_int_equal(state_services(s, "europe-west4-a", &names), 7);
	assert_string_equal(names[0], "auth");
	assert_string_equal(names[1], "coredns");
	assert_string_equal(names[6], "storage");
	/* a cluster not read */
	assert_null(state_version(s, "us-east1-b", "auth", &known));
	assert_false(known);
	assert_int_equal(state_services(s, "us-east1-b", &names), 0);
	arena_free(&a);
	remove_dir(dir);
}

/* One Deployment with this image in a kubectl List. */
static const char *
kubectl_list(struct arena *a, const char *items)
{
	return arena_printf(a, "{\"apiVersion\": \"v1\", \"kind\": \"List\", "
	    "\"metadata\": {\"resourceVersion\": \"\"}, \"items\": [%s]}\n",
	    items);
}

static const char *
deployment(struct arena *a, const char *ns, const char *name,
    const char *image)
{
	return arena_printf(a, "{\"apiVersion\": \"apps/v1\", \"kind\": "
	    "\"Deployment\", \"metadata\": {\"name\": \"%s\", \"namespace\": "
	    "\"%s\"}, \"spec\": {\"template\": {\"spec\": {\"containers\": "
	    "[{\"name\": \"c\", \"image\": \"%s\"}]}}}}", name, ns, image);
}

static void
an_image_tag_is_the_version_and_a_digest_or_disagreement_is_unknown(
    void **state)
{
	struct arena a = { 0 };
	char *dir = temp_dir();
	const char *const clusters[] = { "c1" };
	struct state *s;

	(void)state;
	write_file(&a, dir, "c1.json", kubectl_list(&a, arena_printf(&a,
	    "%s, %s, %s, %s, %s, %s, %s, %s",
	    deployment(&a, "a", "tagged", "r.io/x/tagged:1.2.3"),
	    deployment(&a, "a", "both", "r.io/both:1.0@sha256:abcd"),
	    deployment(&a, "a", "port", "registry.local:5000/x:1.2"),
	    deployment(&a, "a", "bare", "nginx"),
	    deployment(&a, "a", "twice", "r.io/twice:7"),
	    deployment(&a, "b", "twice", "r.io/twice:7"),
	    deployment(&a, "a", "split", "r.io/split:1"),
	    deployment(&a, "b", "split", "r.io/split:2"))));
	s = state_read_dir(&a, dir, clusters, 1);
	assert_non_null(s);
	assert_string_equal(state_version(s, "c1", "tagged", NULL), "1.2.3");
	assert_null(state_version(s, "c1", "both", NULL));
	assert_string_equal(state_version(s, "c1", "port", NULL), "1.2");
	assert_string_equal(state_version(s, "c1", "bare", NULL), "latest");
	/* one name in two namespaces: known only when they agree */
	assert_string_equal(state_version(s, "c1", "twice", NULL), "7");
	assert_null(state_version(s, "c1", "split", NULL));
	assert_true(state_has(s, "c1", "split"));
	arena_free(&a);
	remove_dir(dir);
}

static void
a_cluster_without_a_file_is_an_error_that_names_it(void **state)
{
	struct arena a = { 0 };
	char *dir = temp_dir();
	const char *const clusters[] = { "c1", "edge-sin" };
	struct state *s;
	char *err;

	(void)state;
	write_file(&a, dir, "c1.json", kubectl_list(&a, ""));
	capture_start();
	s = state_read_dir(&a, dir, clusters, 2);
	err = capture_end();
	assert_null(s);
	assert_contains(err, "planner: no state for cluster 'edge-sin': "
	    "cannot read '");
	assert_contains(err, "/edge-sin.json': No such file or directory\n");
	free(err);
	arena_free(&a);
	remove_dir(dir);
}

static void
kubectl_output_of_the_wrong_shape_is_located_by_json_path(void **state)
{
	struct arena a = { 0 };
	char *dir = temp_dir();
	const char *const clusters[] = { "c1", "c2" };
	char *err;

	(void)state;
	write_file(&a, dir, "c1.json", kubectl_list(&a, arena_printf(&a,
	    "%s, {\"kind\": \"Pod\", \"metadata\": {\"name\": \"p\"}}, "
	    "{\"metadata\": {\"name\": \"e\"}, \"spec\": {\"template\": "
	    "{\"spec\": {\"containers\": []}}}}, {\"metadata\": {}}",
	    deployment(&a, "a", "fine", "x:1"))));
	write_file(&a, dir, "c2.json", "{\"kind\": \"PodList\", \"items\": []}");
	capture_start();
	assert_null(state_read_dir(&a, dir, clusters, 2));
	err = capture_end();
	assert_contains(err, "/c1.json: $.items[1].kind: expected "
	    "\"Deployment\", not \"Pod\"\n");
	assert_contains(err, "/c1.json: $.items[2].spec.template.spec."
	    "containers: expected at least one container\n");
	assert_contains(err, "/c1.json: $.items[3].metadata: no \"name\"\n");
	/* every file is read, each error said */
	assert_contains(err, "/c2.json: $.kind: expected a \"List\" of "
	    "Deployments");
	free(err);
	arena_free(&a);
	remove_dir(dir);
}

static void
a_state_file_maps_clusters_to_services_to_versions(void **state)
{
	struct arena a = { 0 };
	char *dir = temp_dir();
	struct state *s;
	bool known = false;

	(void)state;
	s = state_read_file(&a, write_file(&a, dir, "state.json",
	    "{\"format\": 1, \"collected\": \"2026-11-25T06:00:00Z\", "
	    "\"clusters\": {\"c1\": {\"svc\": \"2.0\", \"pinned\": null}, "
	    "\"empty\": {}}}"));
	assert_non_null(s);
	assert_string_equal(state_version(s, "c1", "svc", &known), "2.0");
	assert_true(known);
	/* null: there, version unknown */
	assert_null(state_version(s, "c1", "pinned", NULL));
	assert_true(state_has(s, "c1", "pinned"));
	assert_null(state_version(s, "empty", "svc", &known));
	assert_true(known);
	assert_false(state_has(s, "empty", "svc"));
	assert_null(state_version(s, "c9", "svc", &known));
	assert_false(known);
	arena_free(&a);
	remove_dir(dir);
}

static void
a_state_file_of_the_wrong_shape_gets_every_error_with_its_json_path(
    void **state)
{
	struct arena a = { 0 };
	char *dir = temp_dir();
	const char *path;
	char *err;

	(void)state;
	path = write_file(&a, dir, "state.json", "{\"format\": 1, "
	    "\"clusters\": {\"c1\": {\"svc\": 3, \"a b\": \"\"}, "
	    "\"c2\": [\"x\"]}}");
	capture_start();
	assert_null(state_read_file(&a, path));
	err = capture_end();
	assert_contains(err, arena_printf(&a, "planner: %s: $.clusters.c1.svc:"
	    " expected a string (the version) or null\n", path));
	assert_contains(err, "$.clusters.c1[\"a b\"]: expected a version, "
	    "not an empty string\n");
	assert_contains(err, "$.clusters.c2: expected an object of services");
	free(err);
	path = write_file(&a, dir, "v2.json", "{\"format\": 2, "
	    "\"clusters\": {}}");
	capture_start();
	assert_null(state_read_file(&a, path));
	err = capture_end();
	assert_contains(err, "$.format: format 2 is not known (this planner "
	    "reads format 1)\n");
	free(err);
	arena_free(&a);
	remove_dir(dir);
}

static void
a_file_that_is_not_json_gets_its_line_and_column_and_none_of_its_bytes(
    void **state)
{
	struct arena a = { 0 };
	char *dir = temp_dir();
	const char *path;
	char *err;

	(void)state;
	/* a file of secrets named by mistake: jansson would quote the
	 * token ("invalid token near 'hunter2'"); its column is where the
	 * token ends */
	path = write_file(&a, dir, "oops.json", "{\"format\": 1,\n"
	    "  \"password\": hunter2\n}\n");
	capture_start();
	assert_null(state_read_file(&a, path));
	err = capture_end();
	assert_contains(err, arena_printf(&a, "planner: %s:2:20: not JSON: "
	    "invalid token\n", path));
	assert_null(strstr(err, "hunter2"));
	free(err);
	/* a cluster named twice is refused, not half read */
	path = write_file(&a, dir, "twice.json", "{\"format\": 1, "
	    "\"clusters\": {\"c1\": {}, \"c1\": {}}}");
	capture_start();
	assert_null(state_read_file(&a, path));
	err = capture_end();
	assert_contains(err, "not JSON: duplicate object key\n");
	free(err);
	arena_free(&a);
	remove_dir(dir);
}

static void
a_state_file_over_the_limit_is_refused_unread(void **state)
{
	struct arena a = { 0 };
	char *dir = temp_dir();
	const char *path = write_file(&a, dir, "big.json", "{");
	char *err;

	(void)state;
	assert_int_equal(truncate(path, (off_t)STATE_MAX_SIZE + 1), 0);
	capture_start();
	assert_null(state_read_file(&a, path));
	err = capture_end();
	assert_contains(err, "is larger than 64 MiB (the limit for a state "
	    "file)\n");
	free(err);
	capture_start();
	assert_null(state_read_file(&a, dir));
	err = capture_end();
	assert_contains(err, "is a directory\n");
	free(err);
	arena_free(&a);
	remove_dir(dir);
}

/* drift */

static const char train[] =
    "rollout train { version \"2026.48.1\" }\n"
    "group us { us-central1-a, us-central1-b }\n"
    "group eu { europe-west1-b, europe-west4-a }\n"
    "group edges { edge-fra, edge-sin }\n"
    "service storage { in us, eu, edges }\n"
    "service auth { in us, eu }\n"
    "service query-api { in us, eu; needs storage, auth }\n"
    "service ingest { in us, eu, edges; version \"2026.48.2\" }\n"
    "wave us { in us }\nwave eu { in eu }\nwave edges { in edges }\n";

/* The state of train with every service at its version, but for the
 * clusters changed: "cluster": "{...}" replaces that cluster's object. */
static const char *
train_state(struct arena *a, const char *eu4, const char *fra,
    const char *sin)
{
	const char *us = "{\"storage\": \"2026.48.1\", \"auth\": \"2026.48.1\", "
	    "\"query-api\": \"2026.48.1\", \"ingest\": \"2026.48.2\"}";
	const char *edge = "{\"storage\": \"2026.48.1\", \"ingest\": "
	    "\"2026.48.2\"}";

	return arena_printf(a, "{\"format\": 1, \"clusters\": {"
	    "\"us-central1-a\": %s, \"us-central1-b\": %s, "
	    "\"europe-west1-b\": %s, \"europe-west4-a\": %s, "
	    "\"edge-fra\": %s, \"edge-sin\": %s}}", us, us, us,
	    eu4 ? eu4 : us, fra ? fra : edge, sin ? sin : edge);
}

/* drift of train against a state; the report in *text, the JSON parsed
 * in *json (both may be NULL). */
static struct drift *
drift_of(struct result *r, const char *dir, const char *state_text,
    char **text, json_t **json)
{
	struct state *s = state_read_file(&r->arena, write_file(&r->arena,
	    dir, "state.json", state_text));
	struct drift *d;
	size_t len;
	char *doc = NULL;
	const char *why = NULL;
	FILE *f;

	assert_non_null(s);
	d = drift_find(&r->arena, r->rollout, s);
	assert_non_null(d);
	if (text) {
		f = open_memstream(text, &len);
		drift_write_text(f, d);
		fclose(f);
	}
	if (json) {
		f = open_memstream(&doc, &len);
		assert_true(drift_write_json(f, d, &why));
		fclose(f);
		*json = json_loads(doc, 0, NULL);
		assert_non_null(*json);
		free(doc);
	}
	return d;
}

static void
drift_is_silent_when_every_cluster_runs_its_target(void **state)
{
	struct result *r = run_text(train);
	char *dir = temp_dir(), *text;
	json_t *json;
	struct drift *d;

	(void)state;
	d = drift_of(r, dir, train_state(&r->arena, NULL, NULL, NULL), &text,
	    &json);
	assert_int_equal(d->nfindings, 0);
	assert_int_equal(d->nclusters, 6);
	assert_int_equal(d->ndeploys, 20);
	assert_string_equal(text, "");
	assert_true(json_is_true(json_object_get(json, "in_sync")));
	assert_int_equal(json_array_size(json_object_get(json, "findings")),
	    0);
	json_decref(json);
	free(text);
	result_free(r);
	remove_dir(dir);
}

static void
a_cluster_left_behind_puts_its_group_out_of_sync(void **state)
{
	struct result *r = run_text(train);
	char *dir = temp_dir(), *text;
	json_t *json, *f;
	struct drift *d;

	(void)state;
	d = drift_of(r, dir, train_state(&r->arena, "{\"storage\": "
	    "\"2026.48.1\", \"auth\": \"2026.48.1\", \"query-api\": "
	    "\"2026.48.1\", \"ingest\": \"2026.48.1\"}", NULL, NULL), &text,
	    &json);
	assert_int_equal(d->counts[DRIFT_OTHER_VERSION], 1);
	assert_int_equal(d->counts[DRIFT_OUT_OF_SYNC], 1);
	assert_contains(text, "\ngroup eu\n"
	    "  eu is out of sync: ingest runs 2026.48.2 in europe-west1-b but "
	    "2026.48.1 in europe-west4-a\n"
	    "  ingest runs 2026.48.1 in europe-west4-a, not 2026.48.2\n");
	assert_contains(text, "train has drifted: 1 problem in 1 of 6 "
	    "clusters, 1 group out of sync\n");
	f = json_array_get(json_object_get(json, "findings"), 0);
	assert_string_equal(json_string_value(json_object_get(f, "kind")),
	    "out_of_sync");
	assert_string_equal(json_string_value(json_object_get(
	    json_object_get(f, "versions"), "europe-west4-a")), "2026.48.1");
	f = json_array_get(json_object_get(json, "findings"), 1);
	assert_string_equal(json_string_value(json_object_get(f, "kind")),
	    "other_version");
	assert_string_equal(json_string_value(json_object_get(f, "cluster")),
	    "europe-west4-a");
	assert_string_equal(json_string_value(json_object_get(f, "target")),
	    "2026.48.2");
	json_decref(json);
	free(text);
	result_free(r);
	remove_dir(dir);
}

static void
services_alike_fold_into_one_line_that_names_them(void **state)
{
	struct result *r = run_text(train);
	char *dir = temp_dir(), *text;

	(void)state;
	drift_of(r, dir, train_state(&r->arena, "{\"storage\": \"2026.47.3\", "
	    "\"auth\": \"2026.47.3\", \"query-api\": \"2026.47.3\", "
	    "\"ingest\": \"2026.48.2\"}", NULL, NULL), &text, NULL);
	assert_contains(text, "  3 services run 2026.47.3 in europe-west4-a, "
	    "not 2026.48.1: storage, auth and query-api\n");
	assert_contains(text, "  eu is out of sync: 3 services run 2026.48.1 "
	    "in europe-west1-b but 2026.47.3 in europe-west4-a: storage, auth "
	    "and query-api\n");
	free(text);
	result_free(r);
	remove_dir(dir);
}

static void
missing_unplaced_and_unknown_are_found_and_other_names_counted(
    void **state)
{
	struct result *r = run_text(train);
	char *dir = temp_dir(), *text;
	struct drift *d;

	(void)state;
	d = drift_of(r, dir, train_state(&r->arena, NULL,
	    "{\"storage\": \"2026.48.1\", \"auth\": \"2026.48.1\", "
	    "\"coredns\": \"v1.11.3\"}", "{\"storage\": null, \"ingest\": "
	    "\"2026.48.2\"}"), &text, NULL);
	assert_int_equal(d->counts[DRIFT_MISSING], 1);
	assert_int_equal(d->counts[DRIFT_UNPLACED], 1);
	assert_int_equal(d->counts[DRIFT_UNKNOWN_VERSION], 1);
	assert_int_equal(d->nundeclared, 1);
	assert_contains(text, "\ngroup edges\n"
	    "  storage runs an unknown version in edge-sin\n"
	    "  auth runs 2026.48.1 in edge-fra, where the rollout does not "
	    "place it\n"
	    "  ingest is missing in edge-fra\n");
	assert_contains(text, "\nignored: 1 service the rollout does not "
	    "declare, in 1 cluster\n");
	free(text);
	result_free(r);
	remove_dir(dir);
}

static void
a_state_that_says_nothing_of_a_placed_cluster_is_an_error(void **state)
{
	struct result *r = run_text(train);
	char *dir = temp_dir(), *err;
	struct state *s;

	(void)state;
	s = state_read_file(&r->arena, write_file(&r->arena, dir, "s.json",
	    "{\"format\": 1, \"clusters\": {\"us-central1-a\": {}}}"));
	assert_non_null(s);
	capture_start();
	assert_null(drift_find(&r->arena, r->rollout, s));
	err = capture_end();
	assert_contains(err, "/s.json: no state for clusters 'us-central1-b', "
	    "'europe-west1-b', 'europe-west4-a', 'edge-fra', 'edge-sin' (the "
	    "rollout places services there)\n");
	free(err);
	result_free(r);
	remove_dir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    the_kubectl_fixture_gives_each_deployment_its_first_containers_tag),
		cmocka_unit_test(
		    an_image_tag_is_the_version_and_a_digest_or_disagreement_is_unknown),
		cmocka_unit_test(
		    a_cluster_without_a_file_is_an_error_that_names_it),
		cmocka_unit_test(
		    kubectl_output_of_the_wrong_shape_is_located_by_json_path),
		cmocka_unit_test(
		    a_state_file_maps_clusters_to_services_to_versions),
		cmocka_unit_test(
		    a_state_file_of_the_wrong_shape_gets_every_error_with_its_json_path),
		cmocka_unit_test(
		    a_file_that_is_not_json_gets_its_line_and_column_and_none_of_its_bytes),
		cmocka_unit_test(a_state_file_over_the_limit_is_refused_unread),
		cmocka_unit_test(
		    drift_is_silent_when_every_cluster_runs_its_target),
		cmocka_unit_test(
		    a_cluster_left_behind_puts_its_group_out_of_sync),
		cmocka_unit_test(
		    services_alike_fold_into_one_line_that_names_them),
		cmocka_unit_test(
		    missing_unplaced_and_unknown_are_found_and_other_names_counted),
		cmocka_unit_test(
		    a_state_that_says_nothing_of_a_placed_cluster_is_an_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
