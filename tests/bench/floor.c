/*
 * floor.c: what jansson or libyaml alone take to build and write a document,
 * the floor that planner's --json and --argo emitters are measured against.
 *
 *   bench-floor json FILE [-r RUNS] [-o OUT] [-i INDENT] [-n]
 *   bench-floor yaml FILE [-r RUNS] [-o OUT] [-n]
 *
 * json: loads FILE and notes its distinct strings (untimed); then each run
 * builds the same document again the cheapest way jansson offers (each
 * distinct string made once with json_stringn_nocheck and shared by
 * reference, keys set with json_object_set_new_nocheck), writes it as
 * planner does (json_dump_callback into fwrite_unlocked, flags
 * JSON_INDENT(INDENT) | JSON_PRESERVE_ORDER, default indent 2, then a
 * newline) and frees it.
 *
 * yaml: parses FILE into its list of events (untimed); then each run
 * builds those events again with the yaml_*_event_initialize calls and
 * emits them, one by one as an emitter does, with the emitter set up as
 * planner's (unicode, indent 2, unlimited width); a second run of each pair
 * times the two parts apart (build every event, then emit them all).
 *
 * Each run is a child process (-n: all in this one), so that it starts from
 * the heap as loading left it, like a planner process, not from the free
 * lists the run before left.  OUT is opened, written and closed inside each
 * run (default /dev/null).  Prints one line of key=value pairs: the median
 * and best wall-clock total in milliseconds, the median CPU time of the
 * run (cpu_ms), and the median of each part.
 */
#include <errno.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <yaml.h>

struct options {
	const char *kind;	/* "json" or "yaml" */
	const char *in;
	const char *out;
	int runs;
	int indent;
	bool same_process;	/* -n: every run in this process */
};

/* The parts of one timed run, in seconds of wall-clock time, and the
 * process's CPU time of the whole run. */
struct sample {
	double build, write, release, total;
	double cpu;
};

static const char usage_text[] =
"usage: bench-floor json FILE [-r RUNS] [-o OUT] [-i INDENT] [-n]\n"
"       bench-floor yaml FILE [-r RUNS] [-o OUT] [-n]\n";

/* Prints "bench-floor: MESSAGE" on standard error and exits with status 2. */
static _Noreturn void
die(const char *fmt, const char *arg)
{
	fputs("bench-floor: ", stderr);
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	exit(2);
}

/* Allocates n bytes, or ends the program. */
static void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		die("out of memory%s", "");
	return p;
}

/* Seconds on the monotonic clock. */
static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Seconds of CPU time used by this process. */
static double
cpu_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Orders doubles for qsort. */
static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The median of n values (sorts them). */
static double
median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Opens the output of a run, or ends the program. */
static FILE *
open_out(const char *path)
{
	FILE *f = fopen(path, "w");

	if (!f)
		die("cannot write '%s'", path);
	return f;
}

/* Closes the output of a run, or ends the program when writing failed. */
static void
close_out(FILE *f, const char *path)
{
	bool bad = ferror(f) != 0;

	if (fclose(f) != 0 || bad)
		die("cannot write '%s'", path);
}

/* Prints the medians and best of the runs as one line of key=value pairs
 * (yaml has no free part: the emitter frees each event as it goes). */
static void
report(const struct options *o, struct sample *s, long bytes, long items)
{
	double *v = xmalloc((size_t)o->runs * sizeof(*v));
	double best = s[0].total, med[5];
	bool json = o->kind[0] == 'j';
	int i, part;

	for (part = 0; part < 5; part++) {
		for (i = 0; i < o->runs; i++)
			v[i] = part == 0 ? s[i].build : part == 1 ? s[i].write :
			    part == 2 ? s[i].release : part == 3 ? s[i].total :
			    s[i].cpu;
		med[part] = median(v, o->runs);
	}
	for (i = 1; i < o->runs; i++)
		if (s[i].total < best)
			best = s[i].total;
	printf("floor %s bytes=%ld %s=%ld runs=%d median_ms=%.3f best_ms=%.3f "
	    "cpu_ms=%.3f build_ms=%.3f write_ms=%.3f", o->kind, bytes,
	    json ? "values" : "events", items, o->runs, med[3] * 1e3,
	    best * 1e3, med[4] * 1e3, med[0] * 1e3, med[1] * 1e3);
	if (json)
		printf(" free_ms=%.3f", med[2] * 1e3);
	putchar('\n');
	free(v);
}

/* The size of a file in bytes, or -1. */
static long
file_size(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

/* The events of a YAML stream. */
struct events {
	yaml_event_t *items;
	size_t n, cap;
};

/* What a timed run works on. */
struct job {
	const struct options *o;
	json_t *src;			/* json: the loaded document */
	const struct strings *strings;	/* json: its strings */
	const struct events *evs;	/* yaml: the parsed events */
	yaml_event_t *copies;		/* yaml: room for a copy of each */
};

typedef void run_fn(const struct job *j, struct sample *s);

/*
 * Runs one timed run in a child process (unless -n), so that each starts
 * with the heap as loading left it, as a fresh planner process starts with
 * its own: not with the free lists of the run before, which make malloc and
 * free cost more than they do in a process that builds one document.
 */
static struct sample
timed_run(const struct job *j, run_fn *run)
{
	struct sample s = { 0 };
	int fd[2], status;
	pid_t pid;

	if (j->o->same_process) {
		run(j, &s);
		return s;
	}
	if (pipe(fd) != 0)
		die("cannot make a pipe%s", "");
	fflush(stdout);
	if ((pid = fork()) < 0)
		die("cannot fork%s", "");
	if (pid == 0) {
		close(fd[0]);
		run(j, &s);
		_exit(write(fd[1], &s, sizeof(s)) == (ssize_t)sizeof(s) ? 0 :
		    1);
	}
	close(fd[1]);
	if (read(fd[0], &s, sizeof(s)) != (ssize_t)sizeof(s))
		die("a timed run failed%s", "");
	close(fd[0]);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0)
		die("a timed run failed%s", "");
	return s;
}

/* ---- JSON ---------------------------------------------------------------- */

/*
 * The strings of a document: each distinct text once (the source's first
 * string with it), and for every string value, in the order rebuild meets
 * them, which distinct one it is.  Worked out before the clock starts.
 */
struct strings {
	json_t **distinct;
	size_t ndistinct, capdistinct;
	size_t *slots;		/* open addressing: 1 + index, 0 when empty */
	size_t nslots;
	size_t *which;
	size_t nwhich, capwhich;
	long values;		/* every value of the document */
};

/* The FNV-1a hash of n bytes. */
static uint64_t
fnv1a(const char *s, size_t n)
{
	uint64_t h = 0xcbf29ce484222325u;

	while (n--)
		h = (h ^ (unsigned char)*s++) * 0x100000001b3u;
	return h;
}

/* Grows an array of size-byte items to hold one more; ends the program
 * when memory runs out. */
static void *
grow(void *items, size_t n, size_t *cap, size_t size)
{
	if (n < *cap)
		return items;
	*cap = *cap ? 2 * *cap : 1024;
	if (!(items = realloc(items, *cap * size)))
		die("out of memory%s", "");
	return items;
}

/* The index of string value v among the distinct strings, adding it. */
static size_t
distinct_index(struct strings *st, json_t *v)
{
	const char *text = json_string_value(v);
	size_t len = json_string_length(v), at, i;

	if (2 * (st->ndistinct + 1) > st->nslots) {
		free(st->slots);
		st->nslots = st->nslots ? 2 * st->nslots : 4096;
		st->slots = calloc(st->nslots, sizeof(*st->slots));
		if (!st->slots)
			die("out of memory%s", "");
		for (i = 0; i < st->ndistinct; i++) {
			json_t *d = st->distinct[i];

			at = fnv1a(json_string_value(d), json_string_length(d));
			while (st->slots[at & (st->nslots - 1)])
				at++;
			st->slots[at & (st->nslots - 1)] = i + 1;
		}
	}
	for (at = fnv1a(text, len); st->slots[at & (st->nslots - 1)]; at++) {
		json_t *d = st->distinct[st->slots[at & (st->nslots - 1)] - 1];

		if (json_string_length(d) == len &&
		    memcmp(json_string_value(d), text, len) == 0)
			return st->slots[at & (st->nslots - 1)] - 1;
	}
	st->distinct = grow(st->distinct, st->ndistinct, &st->capdistinct,
	    sizeof(*st->distinct));
	st->distinct[st->ndistinct] = v;
	st->slots[at & (st->nslots - 1)] = ++st->ndistinct;
	return st->ndistinct - 1;
}

/* Notes the strings of v in the order rebuild walks it, and counts values. */
static void
index_strings(json_t *v, struct strings *st)
{
	json_t *item;
	const char *key;
	size_t i;

	st->values++;
	if (json_is_object(v)) {
		json_object_foreach(v, key, item)
			index_strings(item, st);
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, item)
			index_strings(item, st);
	} else if (json_is_string(v)) {
		st->which = grow(st->which, st->nwhich, &st->capwhich,
		    sizeof(*st->which));
		st->which[st->nwhich++] = distinct_index(st, v);
	}
}

/*
 * A copy of v built the cheapest way jansson offers: unchecked keys, and
 * each distinct string made once and shared (*k counts the strings met).
 */
static json_t *
rebuild(json_t *v, json_t **shared, const size_t *which, size_t *k)
{
	json_t *out = NULL, *item;
	const char *key;
	size_t i;

	switch (json_typeof(v)) {
	case JSON_OBJECT:
		out = json_object();
		json_object_foreach(v, key, item)
			json_object_set_new_nocheck(out, key,
			    rebuild(item, shared, which, k));
		break;
	case JSON_ARRAY:
		out = json_array();
		json_array_foreach(v, i, item)
			json_array_append_new(out, rebuild(item, shared, which,
			    k));
		break;
	case JSON_STRING:
		out = json_incref(shared[which[(*k)++]]);
		break;
	case JSON_INTEGER:
		out = json_integer(json_integer_value(v));
		break;
	case JSON_REAL:
		out = json_real(json_real_value(v));
		break;
	case JSON_TRUE: out = json_true(); break;
	case JSON_FALSE: out = json_false(); break;
	case JSON_NULL: out = json_null(); break;
	}
	if (!out)
		die("out of memory building JSON%s", "");
	return out;
}

/* Hands jansson's output to stdio, the stream already locked. */
static int
write_chunk(const char *buf, size_t n, void *f)
{
	return fwrite_unlocked(buf, 1, n, f) == n ? 0 : -1;
}

/* One run: make the distinct strings, rebuild the document, write it,
 * free it. */
static void
json_run(const struct job *j, struct sample *s)
{
	const struct strings *st = j->strings;
	size_t flags = JSON_INDENT(j->o->indent) | JSON_PRESERVE_ORDER;
	size_t i, k = 0;
	double c0 = cpu_now(), t0 = now(), t1, t2;
	json_t **shared = xmalloc(st->ndistinct * sizeof(*shared)), *doc;
	FILE *f;
	int rc;

	for (i = 0; i < st->ndistinct; i++)
		if (!(shared[i] = json_stringn_nocheck(json_string_value(
		    st->distinct[i]), json_string_length(st->distinct[i]))))
			die("out of memory building JSON%s", "");
	doc = rebuild(j->src, shared, st->which, &k);
	t1 = now();
	f = open_out(j->o->out);
	flockfile(f);
	rc = json_dump_callback(doc, write_chunk, f, flags);
	funlockfile(f);
	if (rc != 0 || fputc('\n', f) == EOF)
		die("cannot write '%s'", j->o->out);
	close_out(f, j->o->out);
	t2 = now();
	json_decref(doc);
	for (i = 0; i < st->ndistinct; i++)
		json_decref(shared[i]);
	free(shared);
	s->build = t1 - t0;
	s->write = t2 - t1;
	s->release = now() - t2;
	s->total = s->build + s->write + s->release;
	s->cpu = cpu_now() - c0;
}

/* Times rebuilding, writing and freeing the JSON document of o->in. */
static void
floor_json(const struct options *o)
{
	json_error_t err;
	struct strings st = { 0 };
	struct job j = { o, NULL, &st, NULL, NULL };
	struct sample *s = xmalloc((size_t)o->runs * sizeof(*s));
	int i;

	if (!(j.src = json_load_file(o->in, 0, &err))) {
		fprintf(stderr, "bench-floor: %s:%d: %s\n", o->in, err.line,
		    err.text);
		exit(2);
	}
	index_strings(j.src, &st);
	for (i = 0; i < o->runs; i++)
		s[i] = timed_run(&j, json_run);
	report(o, s, file_size(o->in), st.values);
	json_decref(j.src);
	free(st.distinct);
	free(st.slots);
	free(st.which);
	free(s);
}

/* ---- YAML ---------------------------------------------------------------- */

/* Parses the whole of path into events, or ends the program. */
static void
parse_events(const char *path, struct events *evs)
{
	FILE *f = fopen(path, "rb");
	yaml_parser_t parser;
	yaml_event_t ev;

	if (!f)
		die("cannot read '%s'", path);
	if (!yaml_parser_initialize(&parser))
		die("libyaml could not start a parser%s", "");
	yaml_parser_set_input_file(&parser, f);
	do {
		if (!yaml_parser_parse(&parser, &ev))
			die("cannot parse '%s' as YAML", path);
		if (evs->n == evs->cap) {
			evs->cap = evs->cap ? 2 * evs->cap : 1024;
			evs->items = realloc(evs->items, evs->cap *
			    sizeof(*evs->items));
			if (!evs->items)
				die("out of memory%s", "");
		}
		evs->items[evs->n++] = ev;
	} while (ev.type != YAML_STREAM_END_EVENT);
	yaml_parser_delete(&parser);
	fclose(f);
}

/* Builds a fresh event equal to e with libyaml's constructors. */
static void
copy_event(const yaml_event_t *e, yaml_event_t *out)
{
	int made = 0;

	switch (e->type) {
	case YAML_STREAM_START_EVENT:
		made = yaml_stream_start_event_initialize(out,
		    e->data.stream_start.encoding);
		break;
	case YAML_STREAM_END_EVENT:
		made = yaml_stream_end_event_initialize(out);
		break;
	case YAML_DOCUMENT_START_EVENT:
		made = yaml_document_start_event_initialize(out,
		    e->data.document_start.version_directive,
		    e->data.document_start.tag_directives.start,
		    e->data.document_start.tag_directives.end,
		    e->data.document_start.implicit);
		break;
	case YAML_DOCUMENT_END_EVENT:
		made = yaml_document_end_event_initialize(out,
		    e->data.document_end.implicit);
		break;
	case YAML_ALIAS_EVENT:
		made = yaml_alias_event_initialize(out, e->data.alias.anchor);
		break;
	case YAML_SCALAR_EVENT:
		made = yaml_scalar_event_initialize(out, e->data.scalar.anchor,
		    e->data.scalar.tag, e->data.scalar.value,
		    (int)e->data.scalar.length, e->data.scalar.plain_implicit,
		    e->data.scalar.quoted_implicit, e->data.scalar.style);
		break;
	case YAML_SEQUENCE_START_EVENT:
		made = yaml_sequence_start_event_initialize(out,
		    e->data.sequence_start.anchor, e->data.sequence_start.tag,
		    e->data.sequence_start.implicit,
		    e->data.sequence_start.style);
		break;
	case YAML_SEQUENCE_END_EVENT:
		made = yaml_sequence_end_event_initialize(out);
		break;
	case YAML_MAPPING_START_EVENT:
		made = yaml_mapping_start_event_initialize(out,
		    e->data.mapping_start.anchor, e->data.mapping_start.tag,
		    e->data.mapping_start.implicit,
		    e->data.mapping_start.style);
		break;
	case YAML_MAPPING_END_EVENT:
		made = yaml_mapping_end_event_initialize(out);
		break;
	case YAML_NO_EVENT:
		break;
	}
	if (!made)
		die("libyaml could not build an event%s", "");
}

/* Starts an emitter set up as planner's, writing to f. */
static void
start_emitter(yaml_emitter_t *em, FILE *f)
{
	if (!yaml_emitter_initialize(em))
		die("libyaml could not start an emitter%s", "");
	yaml_emitter_set_output_file(em, f);
	yaml_emitter_set_unicode(em, 1);
	yaml_emitter_set_indent(em, 2);
	yaml_emitter_set_width(em, -1);
}

/* Emits one event (which the emitter then owns), or ends the program. */
static void
emit(yaml_emitter_t *em, yaml_event_t *ev)
{
	if (!yaml_emitter_emit(em, ev))
		die("libyaml: %s", em->problem ? em->problem : "emitter error");
}

/* One run as an emitter goes: build each event, emit it; sets the totals. */
static void
build_and_emit(const struct job *j, struct sample *s)
{
	yaml_emitter_t em;
	yaml_event_t ev;
	double c0 = cpu_now(), t0 = now();
	FILE *f = open_out(j->o->out);
	size_t i;

	start_emitter(&em, f);
	for (i = 0; i < j->evs->n; i++) {
		copy_event(&j->evs->items[i], &ev);
		emit(&em, &ev);
	}
	if (!yaml_emitter_flush(&em))
		die("libyaml could not flush%s", "");
	yaml_emitter_delete(&em);
	close_out(f, j->o->out);
	s->total = now() - t0;
	s->cpu = cpu_now() - c0;
}

/* One run in two timed halves, building a copy of every event, then
 * emitting them all; sets the build and write parts. */
static void
build_then_emit(const struct job *j, struct sample *s)
{
	yaml_emitter_t em;
	FILE *f;
	double t0 = now(), t1;
	size_t i;

	for (i = 0; i < j->evs->n; i++)
		copy_event(&j->evs->items[i], &j->copies[i]);
	t1 = now();
	f = open_out(j->o->out);
	start_emitter(&em, f);
	for (i = 0; i < j->evs->n; i++)
		emit(&em, &j->copies[i]);
	if (!yaml_emitter_flush(&em))
		die("libyaml could not flush%s", "");
	yaml_emitter_delete(&em);
	close_out(f, j->o->out);
	s->build = t1 - t0;
	s->write = now() - t1;
}

/* Times building and emitting the events of o->in. */
static void
floor_yaml(const struct options *o)
{
	struct events evs = { 0 };
	struct job j = { o, NULL, NULL, &evs, NULL };
	struct sample *s = xmalloc((size_t)o->runs * sizeof(*s)), parts;
	size_t i;
	int r;

	parse_events(o->in, &evs);
	j.copies = xmalloc(evs.n * sizeof(*j.copies));
	for (r = 0; r < o->runs; r++) {
		s[r] = timed_run(&j, build_and_emit);
		parts = timed_run(&j, build_then_emit);
		s[r].build = parts.build;
		s[r].write = parts.write;
	}
	report(o, s, file_size(o->in), (long)evs.n);
	for (i = 0; i < evs.n; i++)
		yaml_event_delete(&evs.items[i]);
	free(evs.items);
	free(j.copies);
	free(s);
}

/* Reads the command line into o, or ends the program with usage. */
static void
parse_args(int argc, char **argv, struct options *o)
{
	int c;

	o->out = "/dev/null";
	o->runs = 11;
	o->indent = 2;
	if (argc < 3 || (strcmp(argv[1], "json") && strcmp(argv[1], "yaml"))) {
		fputs(usage_text, stderr);
		exit(2);
	}
	o->kind = argv[1];
	o->in = argv[2];
	optind = 3;
	while ((c = getopt(argc, argv, "r:o:i:n")) != -1) {
		switch (c) {
		case 'n': o->same_process = true; break;
		case 'r': o->runs = atoi(optarg); break;
		case 'o': o->out = optarg; break;
		case 'i': o->indent = atoi(optarg); break;
		default: fputs(usage_text, stderr); exit(2);
		}
	}
	if (o->runs < 1 || o->indent < 0 || o->indent > 31 || optind < argc) {
		fputs(usage_text, stderr);
		exit(2);
	}
}

int
main(int argc, char **argv)
{
	struct options o = { 0 };

	parse_args(argc, argv, &o);
	if (o.kind[0] == 'j')
		floor_json(&o);
	else
		floor_yaml(&o);
	return 0;
}
