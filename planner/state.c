/*
 * state.c: what runs now, read with jansson from --state FILE (planner's
 * own format, docs/drift-format.md) or from --state-dir DIR (one `kubectl
 * get deployments --all-namespaces -o json` document per cluster).
 *
 * Everything is checked before it is used: a file that is not JSON is
 * reported with jansson's line, column and message and nothing else of it;
 * JSON of the wrong shape is reported with the JSON path of what is wrong
 * ("$.items[3].spec.template.spec: no \"containers\""), every such error of
 * a file (up to STATE_MAX_ERRORS).  What is kept is copied into the arena,
 * with an open-addressing index (in the arena too) over the clusters and
 * over each cluster's services, so lookups cost a hash.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "state.h"

/* Errors shown for one file before the rest are only counted. */
#define STATE_MAX_ERRORS 20

/* A hash index over an array of names: slot i holds 1 + the position of
 * a name, 0 when empty. */
struct index {
	size_t *slots;
	size_t mask;
};

struct entry {
	const char *name;
	const char *version;	/* NULL: unknown */
};

/* The state of one cluster: its services, sorted by name. */
struct cluster_state {
	const char *name;
	const char **names;	/* entries' names, for state_services */
	const char **versions;
	size_t n;
	struct index index;
};

struct state {
	const char *origin;
	struct cluster_state *clusters;
	const char **names;	/* the clusters' names */
	size_t n;
	struct index index;
};

/* One file being read: where errors go, and what was found. */
struct reader {
	struct arena *a;
	const char *file;	/* as shown in messages */
	int nerrors;
	struct entry *entries;	/* heap, while the file is read */
	size_t nentries, cap;
};

static uint64_t
hash_name(const char *s)
{
	return hash_bytes(s, strlen(s), 0);
}

static void
index_build(struct arena *a, struct index *ix, const char *const *names,
    size_t n)
{
	size_t cap = 8, i;

	while (cap < n * 2)
		cap *= 2;
	ix->slots = arena_array(a, cap, sizeof(*ix->slots));
	ix->mask = cap - 1;
	for (i = 0; i < n; i++) {
		size_t h = (size_t)hash_name(names[i]) & ix->mask;

		while (ix->slots[h])
			h = (h + 1) & ix->mask;
		ix->slots[h] = i + 1;
	}
}

/* The position of key in names, or n when it is not there. */
static size_t
index_find(const struct index *ix, const char *const *names, size_t n,
    const char *key)
{
	size_t h;

	if (!ix->slots)
		return n;
	for (h = (size_t)hash_name(key) & ix->mask; ix->slots[h];
	    h = (h + 1) & ix->mask)
		if (strcmp(names[ix->slots[h] - 1], key) == 0)
			return ix->slots[h] - 1;
	return n;
}

static void bad(struct reader *rd, const char *at, const char *fmt, ...)
    PRINTF_LIKE(3, 4);

/* Says "planner: FILE: PATH: MESSAGE", for the first STATE_MAX_ERRORS. */
static void
bad(struct reader *rd, const char *at, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (++rd->nerrors > STATE_MAX_ERRORS)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	say("%s: %s: %s", rd->file, at, msg);
	if (rd->nerrors == STATE_MAX_ERRORS)
		say("%s: too many errors (%d), stopping", rd->file,
		    STATE_MAX_ERRORS);
}

/* A plain key is shown after a dot ($.clusters.c1); any other is quoted
 * as JSON, ASCII only, and cut when long ($.clusters["a b"]). */
static bool
plain_key(const char *key)
{
	size_t n = strlen(key), i;

	if (n == 0 || n > MAX_NAME)
		return false;
	for (i = 0; i < n; i++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUV"
		    "WXYZ0123456789_-", key[i]))
			return false;
	return true;
}

/* The JSON path of key inside the value at parent. */
static const char *
path_key(struct arena *a, const char *parent, const char *key)
{
	size_t n = strlen(key);
	json_t *j;
	char *quoted;
	const char *path;

	if (plain_key(key))
		return arena_printf(a, "%s.%s", parent, key);
	if (n > MAX_NAME) {
		n = MAX_NAME;
		/* not inside a character */
		while (n > 0 && ((unsigned char)key[n] & 0xc0) == 0x80)
			n--;
	}
	j = json_stringn(key, n);
	quoted = j ? json_dumps(j, JSON_ENCODE_ANY | JSON_ENSURE_ASCII) :
	    NULL;
	path = arena_printf(a, "%s[%s%s]", parent, quoted ? quoted : "\"?\"",
	    n < strlen(key) ? "..." : "");
	free(quoted);
	json_decref(j);
	return path;
}

/* Why a file of this mode is not read; NULL for a regular file or a pipe
 * (--state <(kubectl ...)). */
static const char *
not_a_file(mode_t mode)
{
	if (S_ISREG(mode) || S_ISFIFO(mode))
		return NULL;
	if (S_ISDIR(mode))
		return "is a directory";
	if (S_ISCHR(mode) || S_ISBLK(mode))
		return "is a device, not a file";
	return "is not a regular file";
}

static const char too_big[] = "is larger than " STATE_MAX_SIZE_TEXT
    " (the limit for a state file)";

/* Reads all of path into b, at most STATE_MAX_SIZE bytes; NULL, or why
 * not. */
static const char *
read_file(const char *path, struct buf *b)
{
	char chunk[65536];
	const char *why = NULL;
	struct stat st;
	int fd;

	/* O_NONBLOCK: a FIFO opens at once; the mode is checked, then the
	 * reads wait again */
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) < 0)
		return strerror(errno);
	if (fstat(fd, &st) < 0)
		why = strerror(errno);
	else if (!(why = not_a_file(st.st_mode)) && S_ISREG(st.st_mode) &&
	    st.st_size > STATE_MAX_SIZE)
		why = too_big;
	else if (!why && fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
	    < 0)
		why = strerror(errno);
	while (!why) {
		ssize_t n = read(fd, chunk, sizeof(chunk));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			why = strerror(errno);
		else if (n == 0)
			break;
		else if (b->len + (size_t)n > STATE_MAX_SIZE)
			why = too_big;
		else
			buf_add(b, chunk, (size_t)n);
	}
	close(fd);
	return why;
}

/* jansson's message without the token it quotes ("invalid token near
 * 'hunter2'"): no byte of a file that is not JSON is ever printed, in
 * case it was a file of secrets named by mistake.  The line and column
 * say where. */
static const char *
json_error_words(json_error_t *err)
{
	char *near = strstr(err->text, " near '");

	if (near)
		*near = '\0';
	return err->text;
}

/* Reads and parses path, shown as shown; NULL, said, when it cannot be
 * read or is not JSON.  json_decref the result. */
static json_t *
load_json(const char *path, const char *shown, const char *cluster)
{
	struct buf b = { 0 };
	json_error_t err;
	const char *why = read_file(path, &b);
	json_t *doc = NULL;

	if (why && cluster)
		say("no state for cluster '%s': cannot read '%s': %s",
		    cluster, shown, why);
	else if (why)
		say("cannot read '%s': %s", shown, why);
	else if (!(doc = json_loadb(b.data ? b.data : "", b.len,
	    JSON_REJECT_DUPLICATES, &err)))
		say("%s:%d:%d: not JSON: %s", shown, err.line, err.column,
		    json_error_words(&err));
	buf_free(&b);
	return doc;
}

static void
add_entry(struct reader *rd, const char *name, const char *version)
{
	struct entry *e;

	if (rd->nentries == rd->cap) {
		rd->cap = rd->cap ? rd->cap * 2 : 64;
		rd->entries = xrealloc_array(rd->entries, rd->cap,
		    sizeof(*rd->entries));
	}
	e = &rd->entries[rd->nentries++];
	e->name = arena_strndup(rd->a, name, strlen(name));
	e->version = version ? arena_strndup(rd->a, version,
	    strlen(version)) : NULL;
}

static int
entry_cmp(const void *x, const void *y)
{
	const struct entry *a = x, *b = y;

	return strcmp(a->name, b->name);
}

/* Moves the entries read into c, sorted by name; one name seen twice
 * (Deployments of one name in two namespaces) keeps its version only when
 * both agree. */
static void
take_entries(struct reader *rd, struct cluster_state *c)
{
	size_t i, n = 0;

	if (rd->nentries)
		qsort(rd->entries, rd->nentries, sizeof(*rd->entries),
		    entry_cmp);
	c->names = arena_array(rd->a, rd->nentries, sizeof(*c->names));
	c->versions = arena_array(rd->a, rd->nentries, sizeof(*c->versions));
	for (i = 0; i < rd->nentries; i++) {
		const struct entry *e = &rd->entries[i];

		if (n && strcmp(c->names[n - 1], e->name) == 0) {
			if (!e->version || !c->versions[n - 1] ||
			    strcmp(e->version, c->versions[n - 1]) != 0)
				c->versions[n - 1] = NULL;
			continue;
		}
		c->names[n] = e->name;
		c->versions[n++] = e->version;
	}
	c->n = n;
	index_build(rd->a, &c->index, c->names, n);
	free(rd->entries);
	rd->entries = NULL;
	rd->nentries = rd->cap = 0;
}

static struct state *
state_new(struct arena *a, const char *origin, size_t nclusters)
{
	struct state *s = arena_alloc(a, sizeof(*s));

	s->origin = arena_strndup(a, origin, strlen(origin));
	s->clusters = arena_array(a, nclusters, sizeof(*s->clusters));
	s->names = arena_array(a, nclusters, sizeof(*s->names));
	return s;
}

static void
state_index(struct arena *a, struct state *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		s->names[i] = s->clusters[i].name;
	index_build(a, &s->index, s->names, s->n);
}

/* {"<service>": "<version>" | null, ...} at $.clusters.<name> */
static void
read_services(struct reader *rd, const char *at, json_t *services)
{
	const char *name;
	json_t *v;

	json_object_foreach(services, name, v) {
		if (json_is_null(v))
			add_entry(rd, name, NULL);
		else if (!json_is_string(v))
			bad(rd, path_key(rd->a, at, name), "expected a string "
			    "(the version) or null");
		else if (json_string_length(v) == 0)
			bad(rd, path_key(rd->a, at, name), "expected a "
			    "version, not an empty string");
		else
			add_entry(rd, name, json_string_value(v));
	}
}

/* The top of a --state FILE: "format" and "clusters"; other keys are
 * left for the future. */
static json_t *
check_top(struct reader *rd, json_t *doc)
{
	json_t *format, *clusters;

	if (!json_is_object(doc)) {
		bad(rd, "$", "expected an object with \"format\": %d and "
		    "\"clusters\"", STATE_FORMAT);
		return NULL;
	}
	format = json_object_get(doc, "format");
	if (!format)
		bad(rd, "$", "no \"format\" (expected \"format\": %d)",
		    STATE_FORMAT);
	else if (json_is_integer(format) &&
	    json_integer_value(format) != STATE_FORMAT)
		bad(rd, "$.format", "format %" JSON_INTEGER_FORMAT " is not "
		    "known (this planner reads format %d)",
		    json_integer_value(format), STATE_FORMAT);
	else if (!json_is_integer(format))
		bad(rd, "$.format", "expected %d", STATE_FORMAT);
	clusters = json_object_get(doc, "clusters");
	if (!clusters)
		bad(rd, "$", "no \"clusters\"");
	else if (!json_is_object(clusters))
		bad(rd, "$.clusters", "expected an object of clusters");
	return rd->nerrors || !json_is_object(clusters) ? NULL : clusters;
}

struct state *
state_read_file(struct arena *a, const char *path)
{
	struct reader rd = { a, path, 0, NULL, 0, 0 };
	json_t *doc = load_json(path, path, NULL), *clusters, *services;
	struct state *s = NULL;
	const char *name;

	if (!doc)
		return NULL;
	if ((clusters = check_top(&rd, doc))) {
		s = state_new(a, path, json_object_size(clusters));
		json_object_foreach(clusters, name, services) {
			const char *at = path_key(a, "$.clusters", name);
			struct cluster_state *c = &s->clusters[s->n++];

			c->name = arena_strndup(a, name, strlen(name));
			if (!json_is_object(services))
				bad(&rd, at, "expected an object of services "
				    "and their versions");
			else
				read_services(&rd, at, services);
			take_entries(&rd, c);
		}
		state_index(a, s);
	}
	json_decref(doc);
	return rd.nerrors ? NULL : s;
}

/* The version in an image reference: its tag, "latest" when it has none;
 * NULL (unknown) when it is pinned by digest or its tag is empty.  A
 * registry's port ("registry.local:5000/x") is not a tag. */
static const char *
image_version(const char *image)
{
	const char *slash = strrchr(image, '/');
	const char *colon = strrchr(slash ? slash + 1 : image, ':');

	if (strchr(image, '@'))
		return NULL;
	if (!colon)
		return "latest";
	return colon[1] ? colon + 1 : NULL;
}

/* The value at o.key, an object (or, with array, an array); NULL, said,
 * when it is missing or of another type.  *at becomes its path. */
static json_t *
member(struct reader *rd, json_t *o, const char **at, const char *key,
    bool array)
{
	json_t *v = json_object_get(o, key);

	if (!v) {
		bad(rd, *at, "no \"%s\"", key);
		return NULL;
	}
	*at = path_key(rd->a, *at, key);
	if (array ? !json_is_array(v) : !json_is_object(v)) {
		bad(rd, *at, "expected %s", array ? "an array" : "an object");
		return NULL;
	}
	return v;
}

/* A string member, not empty; NULL, said, otherwise. */
static const char *
string_member(struct reader *rd, json_t *o, const char *at, const char *key)
{
	json_t *v = json_object_get(o, key);

	if (!v) {
		bad(rd, at, "no \"%s\"", key);
		return NULL;
	}
	if (!json_is_string(v) || json_string_length(v) == 0) {
		bad(rd, path_key(rd->a, at, key), "expected a non-empty "
		    "string");
		return NULL;
	}
	return json_string_value(v);
}

/* $.items[i]: a Deployment; its name and the version of its first
 * container's image become an entry. */
static void
read_deployment(struct reader *rd, json_t *item, size_t i)
{
	const char *at = arena_printf(rd->a, "$.items[%zu]", i), *name, *image;
	const char *spec_at = at, *meta_at = at;
	json_t *kind = json_object_get(item, "kind"), *meta, *spec, *containers;

	if (!json_is_object(item)) {
		bad(rd, at, "expected an object (a Deployment)");
		return;
	}
	/* kubectl writes each item's kind; a list of Pods is not state */
	if (kind && (!json_is_string(kind) ||
	    strcmp(json_string_value(kind), "Deployment") != 0)) {
		if (json_is_string(kind))
			bad(rd, path_key(rd->a, at, "kind"), "expected "
			    "\"Deployment\", not \"%.40s\"",
			    json_string_value(kind));
		else
			bad(rd, path_key(rd->a, at, "kind"), "expected "
			    "\"Deployment\"");
		return;
	}
	if (!(meta = member(rd, item, &meta_at, "metadata", false)) ||
	    !(name = string_member(rd, meta, meta_at, "name")))
		return;
	if (!(spec = member(rd, item, &spec_at, "spec", false)) ||
	    !(spec = member(rd, spec, &spec_at, "template", false)) ||
	    !(spec = member(rd, spec, &spec_at, "spec", false)) ||
	    !(containers = member(rd, spec, &spec_at, "containers", true)))
		return;
	if (json_array_size(containers) == 0) {
		bad(rd, spec_at, "expected at least one container");
		return;
	}
	spec_at = arena_printf(rd->a, "%s[0]", spec_at);
	if (!json_is_object(json_array_get(containers, 0))) {
		bad(rd, spec_at, "expected an object (a container)");
		return;
	}
	image = string_member(rd, json_array_get(containers, 0), spec_at,
	    "image");
	if (image)
		add_entry(rd, name, image_version(image));
}

/* One cluster's `kubectl get deployments -o json`: a List of
 * Deployments. */
static void
read_kubectl(struct reader *rd, json_t *doc)
{
	json_t *kind, *items;
	size_t i;

	if (!json_is_object(doc)) {
		bad(rd, "$", "expected an object (the output of 'kubectl get "
		    "deployments -o json')");
		return;
	}
	kind = json_object_get(doc, "kind");
	if (!json_is_string(kind) ||
	    (strcmp(json_string_value(kind), "List") != 0 &&
	    strcmp(json_string_value(kind), "DeploymentList") != 0)) {
		bad(rd, kind ? "$.kind" : "$", "expected a \"List\" of "
		    "Deployments (the output of 'kubectl get deployments "
		    "-o json')");
		return;
	}
	if (!(items = json_object_get(doc, "items"))) {
		bad(rd, "$", "no \"items\"");
		return;
	}
	if (!json_is_array(items)) {
		bad(rd, "$.items", "expected an array");
		return;
	}
	for (i = 0; i < json_array_size(items); i++)
		read_deployment(rd, json_array_get(items, i), i);
}

/* A cluster name that can only name a file inside DIR. */
static bool
file_name(const char *name)
{
	return *name && *name != '.' && !strchr(name, '/');
}

struct state *
state_read_dir(struct arena *a, const char *dir, const char *const *clusters,
    size_t nclusters)
{
	struct state *s = state_new(a, dir, nclusters);
	size_t len = strlen(dir), i;
	const char *sep = len && dir[len - 1] == '/' ? "" : "/";
	struct stat st;
	bool ok = true;

	if (stat(dir, &st) != 0) {
		say("cannot read '%s': %s", dir, strerror(errno));
		return NULL;
	}
	if (!S_ISDIR(st.st_mode)) {
		say("cannot read '%s': not a directory", dir);
		return NULL;
	}
	for (i = 0; i < nclusters; i++) {
		const char *path = arena_printf(a, "%s%s%s.json", dir, sep,
		    clusters[i]);
		struct reader rd = { a, path, 0, NULL, 0, 0 };
		struct cluster_state *c = &s->clusters[s->n];
		json_t *doc;

		if (!file_name(clusters[i])) {
			say("no state for cluster '%s': not a file name",
			    clusters[i]);
			ok = false;
			continue;
		}
		if (!(doc = load_json(path, path, clusters[i]))) {
			ok = false;
			continue;
		}
		read_kubectl(&rd, doc);
		json_decref(doc);
		c->name = arena_strndup(a, clusters[i], strlen(clusters[i]));
		take_entries(&rd, c);
		s->n++;
		ok = ok && !rd.nerrors;
	}
	state_index(a, s);
	return ok ? s : NULL;
}

static const struct cluster_state *
find_cluster(const struct state *s, const char *cluster)
{
	size_t i = index_find(&s->index, s->names, s->n, cluster);

	return i < s->n ? &s->clusters[i] : NULL;
}

/* The position of service in c, or c->n. */
static size_t
find_service(const struct cluster_state *c, const char *service)
{
	return index_find(&c->index, c->names, c->n, service);
}

const char *
state_version(const struct state *s, const char *cluster,
    const char *service, bool *known_cluster)
{
	const struct cluster_state *c = find_cluster(s, cluster);
	size_t i;

	if (known_cluster)
		*known_cluster = c != NULL;
	if (!c || (i = find_service(c, service)) == c->n)
		return NULL;
	return c->versions[i];
}

bool
state_has(const struct state *s, const char *cluster, const char *service)
{
	const struct cluster_state *c = find_cluster(s, cluster);

	return c && find_service(c, service) < c->n;
}

size_t
state_services(const struct state *s, const char *cluster,
    const char ***names)
{
	const struct cluster_state *c = find_cluster(s, cluster);

	*names = c ? c->names : NULL;
	return c ? c->n : 0;
}

const char *
state_origin(const struct state *s)
{
	return s->origin;
}
