/*
 * main.c: the command line.  It reads the options, runs the pipeline
 * (load, check, plan, emit) and turns the outcome into an exit status:
 * 0 success, 1 the rollout has errors, 2 usage or file errors.  Outputs go
 * to temporary files renamed into place only once every one succeeded.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "planner.h"

enum { EXIT_ROLLOUT = 1, EXIT_USAGE = 2 };

enum output_kind { OUT_ARGO, OUT_DOT, OUT_SVG, OUT_PNG, OUT_JSON, OUT_TEXT };

struct output {
	enum output_kind kind;
	const char *path;	/* "-" for standard output */
	char *target;		/* the file to replace (symlinks resolved) */
	char *tmp;		/* the temporary file beside it, once written */
	bool direct;		/* standard output, a device or a pipe: written
				 * from memory once every output succeeded */
	char *mem;
	size_t memlen;
};

struct options {
	const char *command;
	struct output outputs[10];	/* -o's four, five options, the text */
	size_t noutputs;
	const char *out_dir;
	bool split_waves;
	bool werror;
	bool json_errors;
	int color;		/* -1 auto, 0 never, 1 always */
	bool write;		/* fmt -w */
	bool check;		/* fmt --check */
	const struct program *inputs;	/* no output may overwrite these */
};

static const char usage_text[] =
"usage: planner plan FILE [options]    parse, check and plan; print the plan\n"
"       planner check FILE             parse and check only\n"
"       planner graph FILE [-o OUT]    write the diagram (.dot, .svg, .png)\n"
"       planner fmt FILE... [-w|--check]  print the canonical form\n"
"       planner --help | --version\n"
"\n"
"FILE may be '-' for standard input (imports then resolve from the current\n"
"directory).\n"
"\n"
"plan options (OUT may be '-' for standard output, at most once):\n"
"  -o, --out DIR        write NAME.argo.yaml, NAME.dot, NAME.svg and\n"
"                       NAME.plan.json into DIR\n"
"      --argo OUT       write the Argo Workflow (YAML)\n"
"      --dot OUT        write the diagram as Graphviz DOT\n"
"      --svg OUT        write the diagram as SVG\n"
"      --json OUT       write the plan as JSON (format 1)\n"
"      --split waves    write one Workflow per wave when one cannot fit\n"
"\n"
"common options:\n"
"      --werror         treat warnings as errors\n"
"      --error-format=text|json\n"
"                       how diagnostics are printed (default text)\n"
"      --color=auto|always|never\n"
"                       colour on a terminal unless NO_COLOR is set\n"
"  -w, --write          fmt: rewrite the files in place\n"
"      --check          fmt: exit 1 when a file is not canonical\n"
"  -h, --help           show this help\n"
"  -V, --version        show the version\n"
"\n"
"exit status: 0 success, 1 the rollout has errors, 2 usage error or a\n"
"file that could not be read or written.\n";

static _Noreturn void
usage_error(const char *fmt, const char *arg)
{
	fputs("planner: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs("\ntry 'planner --help'\n", stderr);
	exit(EXIT_USAGE);
}

static bool
want_color(int setting, FILE *f)
{
	const char *no = getenv("NO_COLOR");

	if (setting >= 0)
		return setting;
	return isatty(fileno(f)) && !(no && *no);
}

static void
add_output(struct options *o, enum output_kind kind, const char *path)
{
	if (o->noutputs == sizeof(o->outputs) / sizeof(*o->outputs))
		usage_error("too many outputs%s", "");
	memset(&o->outputs[o->noutputs], 0, sizeof(o->outputs[0]));
	o->outputs[o->noutputs].kind = kind;
	o->outputs[o->noutputs].path = path;
	o->noutputs++;
}

static int
parse_options(int argc, char **argv, struct options *o)
{
	enum { OPT_ARGO = 256, OPT_DOT, OPT_SVG, OPT_JSON, OPT_SPLIT,
		OPT_WERROR, OPT_ERRFMT, OPT_COLOR, OPT_CHECK };
	static const struct option longopts[] = {
		{ "out", required_argument, NULL, 'o' },
		{ "argo", required_argument, NULL, OPT_ARGO },
		{ "dot", required_argument, NULL, OPT_DOT },
		{ "svg", required_argument, NULL, OPT_SVG },
		{ "json", required_argument, NULL, OPT_JSON },
		{ "split", required_argument, NULL, OPT_SPLIT },
		{ "werror", no_argument, NULL, OPT_WERROR },
		{ "error-format", required_argument, NULL, OPT_ERRFMT },
		{ "color", required_argument, NULL, OPT_COLOR },
		{ "write", no_argument, NULL, 'w' },
		{ "check", no_argument, NULL, OPT_CHECK },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	o->color = -1;
	argv[0] = "planner";	/* how getopt names us in its messages */
	while ((c = getopt_long(argc, argv, "o:whV", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			if (o->out_dir)
				usage_error("-o is given twice%s", "");
			if (!*optarg)
				usage_error("-o needs a directory%s", "");
			o->out_dir = optarg;
			break;
		case OPT_ARGO: add_output(o, OUT_ARGO, optarg); break;
		case OPT_DOT: add_output(o, OUT_DOT, optarg); break;
		case OPT_SVG: add_output(o, OUT_SVG, optarg); break;
		case OPT_JSON: add_output(o, OUT_JSON, optarg); break;
		case OPT_SPLIT:
			if (strcmp(optarg, "waves") != 0)
				usage_error("--split takes 'waves', not '%s'",
				    optarg);
			o->split_waves = true;
			break;
		case OPT_WERROR: o->werror = true; break;
		case OPT_ERRFMT:
			if (strcmp(optarg, "json") == 0)
				o->json_errors = true;
			else if (strcmp(optarg, "text") != 0)
				usage_error("--error-format takes text or "
				    "json, not '%s'", optarg);
			break;
		case OPT_COLOR:
			if (strcmp(optarg, "always") == 0)
				o->color = 1;
			else if (strcmp(optarg, "never") == 0)
				o->color = 0;
			else if (strcmp(optarg, "auto") != 0)
				usage_error("--color takes auto, always or "
				    "never, not '%s'", optarg);
			break;
		case 'w': o->write = true; break;
		case OPT_CHECK: o->check = true; break;
		case 'h':
			fputs(usage_text, stdout);
			exit(0);
		case 'V':
			printf("planner %s\n", PLANNER_VERSION);
			exit(0);
		default:
			fputs("try 'planner --help'\n", stderr);
			exit(EXIT_USAGE);
		}
	}
	return optind;
}

/* Loads and checks FILE; returns the model, or NULL with *status set.
 * The files read are kept in o->inputs. */
static struct rollout *
load_and_check(struct arena *a, struct options *o, const char *path,
    int *status)
{
	struct diag d;
	struct program *prog;
	struct rollout *r = NULL;

	diag_init(&d, stderr, want_color(o->color, stderr), o->json_errors);
	prog = load_program(a, &d, path);
	o->inputs = prog;
	if (!prog) {
		/* said on standard error already; no empty JSON array */
		d.json = false;
		diag_finish(&d);
		*status = EXIT_USAGE;
		return NULL;
	}
	if (prog->nfiles == 0) {
		/* FILE was read but is not text: said, nothing to check */
		diag_finish(&d);
		*status = EXIT_ROLLOUT;
		return NULL;
	}
	r = check_program(a, &d, prog);
	diag_finish(&d);
	if (!r || (o->werror && d.nwarnings)) {
		if (o->werror && d.nwarnings && !d.nerrors && !o->json_errors)
			fprintf(stderr, "planner: warnings are errors "
			    "(--werror)\n");
		*status = EXIT_ROLLOUT;
		return NULL;
	}
	*status = 0;
	return r;
}

static const char *
output_name(enum output_kind k)
{
	static const char *const names[] = { "Argo Workflow", "DOT diagram",
		"SVG diagram", "PNG diagram", "JSON plan", "readable plan" };

	return names[k];
}

/* Writes one output to f; false with *why set on failure. */
static bool
write_output(FILE *f, const struct output *out, const struct plan *p,
    const struct options *o, const char **why)
{
	switch (out->kind) {
	case OUT_ARGO: return emit_argo(f, p, o->split_waves, why);
	case OUT_DOT: return emit_diagram(f, p, GRAPH_DOT, why);
	case OUT_SVG: return emit_diagram(f, p, GRAPH_SVG, why);
	case OUT_PNG: return emit_diagram(f, p, GRAPH_PNG, why);
	case OUT_JSON: return emit_json(f, p, why);
	case OUT_TEXT:
		emit_text(f, p, want_color(o->color, stdout));
		return true;
	}
	return false;
}

/*
 * Temporary files, and the signals that end planner.  While outputs are
 * written, SIGINT, SIGTERM, SIGHUP and SIGQUIT remove every temporary first
 * (a signal that was ignored, as under nohup, stays ignored), and so does
 * an exit on the way (fatal(), or a library's).  SIGPIPE and SIGXFSZ are
 * ignored for the whole run (main), so a closed pipe or a file too large
 * is a write error with status 2.  The signals are held while a temporary
 * is made and registered, while one is removed, and while the outputs are
 * renamed into place, so none is missed and the renames are not cut short.
 */
#define MAX_TEMPORARIES 10
static char *volatile temporaries[MAX_TEMPORARIES];
static const int fatal_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
#define NFATAL (sizeof(fatal_signals) / sizeof(fatal_signals[0]))
static struct sigaction saved_fatal[NFATAL];

/* Removes every registered temporary: at exit, or on a signal. */
static void
remove_temporaries(void)
{
	size_t i;

	for (i = 0; i < MAX_TEMPORARIES; i++)
		if (temporaries[i])
			unlink(temporaries[i]);
}

static void
die_cleanly(int sig)
{
	remove_temporaries();
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Blocks the signals that would remove the temporaries; *old keeps the
 * mask to go back to with release_signals. */
static void
hold_signals(sigset_t *old)
{
	sigset_t set;
	size_t i;

	sigemptyset(&set);
	for (i = 0; i < NFATAL; i++)
		sigaddset(&set, fatal_signals[i]);
	sigprocmask(SIG_BLOCK, &set, old);
}

static void
release_signals(const sigset_t *old)
{
	sigprocmask(SIG_SETMASK, old, NULL);
}

/* From here to guard_end, a signal removes the temporaries. */
static void
guard_begin(void)
{
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = die_cleanly;
	for (i = 0; i < NFATAL; i++) {
		sigaction(fatal_signals[i], NULL, &saved_fatal[i]);
		if (saved_fatal[i].sa_handler != SIG_IGN)
			sigaction(fatal_signals[i], &sa, NULL);
	}
}

static void
guard_end(void)
{
	size_t i;

	for (i = 0; i < NFATAL; i++)
		sigaction(fatal_signals[i], &saved_fatal[i], NULL);
}

/*
 * Makes a temporary file beside path, so the rename stays on one file
 * system, and registers it; NULL with errno set when it cannot.  A name
 * too long for a suffix gets a short one in the same directory.
 */
static FILE *
make_temporary(const char *path, char **tmp)
{
	const char *slash = strrchr(path, '/');
	size_t n = strlen(path), i;
	char *name = xmalloc(n + 24);
	mode_t mask;
	sigset_t held;
	FILE *f;
	int fd;

	if (strlen(slash ? slash + 1 : path) + 11 > 255)
		snprintf(name, n + 24, "%.*s.planner-XXXXXX",
		    slash ? (int)(slash - path + 1) : 0, path);
	else
		snprintf(name, n + 24, "%s.tmp-XXXXXX", path);
	for (i = 0; i < MAX_TEMPORARIES && temporaries[i]; i++)
		;
	if (i == MAX_TEMPORARIES)
		fatal("too many temporary files");
	hold_signals(&held);
	fd = mkstemp(name);
	if (fd >= 0)
		temporaries[i] = name;
	release_signals(&held);
	if (fd < 0) {
		free(name);
		return NULL;
	}
	/* mkstemp makes the file private; outputs get the usual mode */
	mask = umask(0);
	umask(mask);
	fchmod(fd, 0666 & ~mask);
	*tmp = name;
	if (!(f = fdopen(fd, "w")))
		close(fd);
	return f;
}

/* Forgets a temporary: it was renamed into place, or is removed. */
static void
forget_temporary(char **tmp, bool remove)
{
	sigset_t held;
	size_t i;

	if (!*tmp)
		return;
	hold_signals(&held);
	for (i = 0; i < MAX_TEMPORARIES; i++)
		if (temporaries[i] == *tmp)
			temporaries[i] = NULL;
	if (remove)
		unlink(*tmp);
	release_signals(&held);
	free(*tmp);
	*tmp = NULL;
}

/* A path with its directory resolved, as a key for the place it names
 * (whether or not the file exists yet); the path itself when the directory
 * does not exist. */
static char *
place_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	char dir[PATH_MAX], *place;
	char *dirname = slash ? strndup(path, (size_t)(slash - path + 1)) :
	    strdup(".");

	if (!dirname || !realpath(dirname, dir)) {
		free(dirname);
		return strdup(path);
	}
	free(dirname);
	if (asprintf(&place, "%s/%s", dir, slash ? slash + 1 : path) < 0)
		fatal("out of memory");
	return place;
}

/* True when two output paths name one file: o.json and ./o.json, or a
 * file that -o DIR also writes. */
static bool
same_place(const char *a, const char *b)
{
	char ra[PATH_MAX], rb[PATH_MAX], *pa, *pb;
	bool same;

	if (strcmp(a, b) == 0)
		return true;
	if (strcmp(a, "-") == 0 || strcmp(b, "-") == 0)
		return false;
	if (realpath(a, ra) && realpath(b, rb))
		return strcmp(ra, rb) == 0;
	pa = place_of(a);
	pb = place_of(b);
	same = pa && pb && strcmp(pa, pb) == 0;
	free(pa);
	free(pb);
	return same;
}

/*
 * The file a symlink that points nowhere (yet) names, following a chain of
 * them; NULL when path is not a symlink, or (with errno ELOOP) when the
 * chain loops.  Free it.
 */
static char *
link_target(const char *path)
{
	char *at = strdup(path), link[PATH_MAX];
	struct stat st;
	int hops;

	for (hops = 0; at && hops < 40 && lstat(at, &st) == 0 &&
	    S_ISLNK(st.st_mode); hops++) {
		ssize_t n = readlink(at, link, sizeof(link) - 1);
		const char *slash = strrchr(at, '/');
		char *next;

		if (n < 0)
			break;
		link[n] = '\0';
		if (link[0] == '/' || !slash)
			next = strdup(link);
		else if (asprintf(&next, "%.*s/%s", (int)(slash - at), at,
		    link) < 0)
			next = NULL;
		free(at);
		at = next;
	}
	if (at && (hops == 0 || hops == 40)) {
		free(at);
		errno = hops ? ELOOP : 0;
		return NULL;
	}
	return at;
}

/* Where an output goes: its target once symlinks are followed. */
static const char *
place(const struct output *out)
{
	return out->target ? out->target : out->path;
}

/* True when real is the real path of a file of the rollout. */
static bool
is_input(const struct program *prog, const char *real)
{
	size_t i;

	for (i = 0; prog && i < prog->nfiles; i++)
		if (prog->files[i]->real &&
		    strcmp(prog->files[i]->real, real) == 0)
			return true;
	return false;
}

/*
 * Decides how each output reaches its path before anything is written: a
 * regular file (or a new one) is replaced by renaming a temporary beside
 * it, through any symlink; a device or pipe is written to directly.  A
 * directory, or a path given twice, is refused now, so that the renames
 * at the end cannot fail half-way.
 */
static int
prepare_outputs(struct options *o)
{
	size_t i, j;

	for (i = 0; i < o->noutputs; i++) {
		struct output *out = &o->outputs[i];
		struct stat st;
		char real[PATH_MAX];

		out->direct = strcmp(out->path, "-") == 0;
		if (out->direct)
			continue;
		if (stat(out->path, &st) != 0) {
			/* a dangling symlink is written through too */
			errno = 0;
			out->target = link_target(out->path);
			if (!out->target && errno == ELOOP) {
				fprintf(stderr, "planner: cannot write '%s': "
				    "%s\n", out->path, strerror(ELOOP));
				return EXIT_USAGE;
			}
			continue;
		}
		if (S_ISDIR(st.st_mode)) {
			fprintf(stderr, "planner: cannot write '%s': is a "
			    "directory\n", out->path);
			return EXIT_USAGE;
		}
		if (!S_ISREG(st.st_mode))
			out->direct = true;
		else if (realpath(out->path, real))
			out->target = strdup(real);
		if (out->target && is_input(o->inputs, out->target)) {
			fprintf(stderr, "planner: will not write the %s over "
			    "'%s': it is a file of the rollout\n",
			    output_name(out->kind), out->path);
			return EXIT_USAGE;
		}
	}
	/* where each goes, symlinks followed: two must not meet */
	for (i = 0; i < o->noutputs; i++)
		for (j = 0; j < i; j++)
			if (same_place(place(&o->outputs[j]),
			    place(&o->outputs[i])))
				usage_error("'%s' is named as two outputs",
				    o->outputs[i].path);
	return 0;
}

static void
discard_outputs(struct options *o)
{
	size_t i;

	for (i = 0; i < o->noutputs; i++) {
		struct output *out = &o->outputs[i];

		forget_temporary(&out->tmp, true);
		free(out->target);
		free(out->mem);
		out->target = out->mem = NULL;
	}
}

/* Writes one output into its temporary file or into memory. */
static bool
write_one(struct output *out, const struct plan *p, const struct options *o)
{
	const char *dest = out->target ? out->target : out->path;
	const char *why = NULL;
	struct stat st;
	FILE *f;
	bool ok;

	if (out->direct)
		f = open_memstream(&out->mem, &out->memlen);
	else if ((f = make_temporary(dest, &out->tmp)) && stat(dest, &st) == 0)
		/* a file replaced keeps its mode, as with fmt -w */
		fchmod(fileno(f), st.st_mode & 07777);
	if (!f) {
		fprintf(stderr, "planner: cannot write '%s': %s\n", out->path,
		    strerror(errno));
		return false;
	}
	errno = 0;
	ok = write_output(f, out, p, o, &why);
	/* A failed write says why better than the emitter: "No space left
	 * on device".  A full disk may only show once the data reach it. */
	if (ferror(f) || (ok && (fflush(f) != 0 ||
	    (!out->direct && fsync(fileno(f)) != 0)))) {
		ok = false;
		why = strerror(errno ? errno : EIO);
	}
	if (fclose(f) != 0 && ok) {
		ok = false;
		why = strerror(errno);
	}
	if (!ok)
		fprintf(stderr, "planner: cannot write the %s to '%s': %s\n",
		    output_name(out->kind), out->path,
		    why ? why : "unknown error");
	return ok;
}

/* Copies an output held in memory to standard output or its device. */
static bool
flush_direct(const struct output *out)
{
	bool is_stdout = strcmp(out->path, "-") == 0;
	FILE *f = is_stdout ? stdout : fopen(out->path, "w");
	bool ok = f != NULL;

	if (f) {
		ok = fwrite(out->mem, 1, out->memlen, f) == out->memlen;
		ok = (is_stdout ? fflush(f) : fclose(f)) == 0 && ok;
	}
	if (!ok)
		fprintf(stderr, "planner: cannot write '%s': %s\n",
		    is_stdout ? "standard output" : out->path,
		    strerror(errno));
	return ok;
}

/*
 * Writes every output: files into temporaries, the others into memory.
 * Only when all succeeded is the memory written out (to standard output or
 * a device, the likeliest to fail: a closed pipe, a full disk) and then
 * are the files renamed into place.  On any failure the temporaries are
 * removed and the files that were there stay as they were.  Returns an
 * exit status.
 */
static int
write_outputs(struct options *o, const struct plan *p)
{
	sigset_t held;
	size_t i;
	int status = prepare_outputs(o);

	guard_begin();
	for (i = 0; i < o->noutputs && status == 0; i++)
		if (!write_one(&o->outputs[i], p, o))
			status = EXIT_USAGE;
	for (i = 0; i < o->noutputs && status == 0; i++)
		if (o->outputs[i].direct && !flush_direct(&o->outputs[i]))
			status = EXIT_USAGE;
	hold_signals(&held);
	for (i = 0; i < o->noutputs && status == 0; i++) {
		struct output *out = &o->outputs[i];

		if (out->tmp && rename(out->tmp, out->target ? out->target :
		    out->path) != 0) {
			fprintf(stderr, "planner: cannot write '%s': %s\n",
			    out->path, strerror(errno));
			status = EXIT_USAGE;
		}
		if (status == 0)
			forget_temporary(&out->tmp, false);
	}
	release_signals(&held);
	discard_outputs(o);
	guard_end();
	return status;
}

static enum output_kind
graph_kind(const char *path)
{
	const char *dot = strrchr(path, '.');

	if (strcmp(path, "-") == 0 || (dot && strcmp(dot, ".dot") == 0))
		return OUT_DOT;
	if (dot && strcmp(dot, ".svg") == 0)
		return OUT_SVG;
	if (dot && strcmp(dot, ".png") == 0)
		return OUT_PNG;
	usage_error("cannot tell the diagram format of '%s': name it .dot, "
	    ".svg or .png", path);
}

/* Creates dir and its parents, like mkdir -p. */
static int
mkdir_p(const char *dir)
{
	char *path = xmalloc(strlen(dir) + 1), *p;
	int rc = 0;

	strcpy(path, dir);
	for (p = path + 1; ; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char save = *p;

		*p = '\0';
		if (mkdir(path, 0777) != 0 && errno != EEXIST)
			rc = -1;
		*p = save;
		if (!save || rc)
			break;
	}
	free(path);
	return rc;
}

static void
add_out_dir(struct arena *a, struct options *o, const struct rollout *r)
{
	static const struct { enum output_kind kind; const char *suffix; }
	    all[] = { { OUT_ARGO, "argo.yaml" }, { OUT_DOT, "dot" },
	    { OUT_SVG, "svg" }, { OUT_JSON, "plan.json" } };
	size_t i;

	if (mkdir_p(o->out_dir) != 0) {
		fprintf(stderr, "planner: cannot create '%s': %s\n", o->out_dir,
		    strerror(errno));
		exit(EXIT_USAGE);
	}
	for (i = 0; i < 4; i++)
		add_output(o, all[i].kind, arena_printf(a, "%s/%s.%s",
		    o->out_dir, r->name, all[i].suffix));
}

/* Status 2, said, when standard output could not take what was written. */
static int
check_stdout(void)
{
	if (fflush(stdout) == 0 && !ferror(stdout))
		return 0;
	fprintf(stderr, "planner: cannot write standard output: %s\n",
	    strerror(errno));
	return EXIT_USAGE;
}

static int
cmd_check(struct options *o, char **files, int nfiles)
{
	struct arena a = { 0 };
	int status;

	if (nfiles != 1)
		usage_error("check takes one FILE%s", "");
	load_and_check(&a, o, files[0], &status);
	arena_free(&a);
	return status;
}

static int
cmd_plan(struct options *o, char **files, int nfiles)
{
	struct arena a = { 0 };
	struct rollout *r;
	struct plan *p;
	int status, to_stdout = 0;
	size_t i;

	if (nfiles != 1)
		usage_error("plan takes one FILE%s", "");
	for (i = 0; i < o->noutputs; i++)
		to_stdout += strcmp(o->outputs[i].path, "-") == 0;
	if (to_stdout > 1)
		usage_error("at most one output may be '-'%s", "");
	if (!(r = load_and_check(&a, o, files[0], &status))) {
		arena_free(&a);
		return status;
	}
	if (o->out_dir)
		add_out_dir(&a, o, r);
	p = plan_build(&a, r);
	/* the readable plan goes out with the others, before any rename */
	if (!to_stdout)
		add_output(o, OUT_TEXT, "-");
	status = write_outputs(o, p);
	arena_free(&a);
	return status;
}

static int
cmd_graph(struct options *o, char **files, int nfiles)
{
	struct arena a = { 0 };
	struct rollout *r;
	int status;

	if (nfiles != 1)
		usage_error("graph takes one FILE%s", "");
	if (o->noutputs)
		usage_error("graph takes -o OUT, not --argo/--dot/--svg/--json"
		    "%s", "");
	add_output(o, graph_kind(o->out_dir ? o->out_dir : "-"),
	    o->out_dir ? o->out_dir : "-");
	if (!(r = load_and_check(&a, o, files[0], &status))) {
		arena_free(&a);
		return status;
	}
	status = write_outputs(o, plan_build(&a, r));
	arena_free(&a);
	return status;
}

/* Replaces path with the contents of b through a temporary file. */
static int
replace_file(const char *path, const struct buf *b)
{
	char real[PATH_MAX], *tmp = NULL;
	const char *dest = realpath(path, real) ? real : path;
	struct stat st;
	sigset_t held;
	FILE *f;
	bool ok;

	guard_begin();
	if ((ok = (f = make_temporary(dest, &tmp)) != NULL)) {
		/* the file keeps its permissions */
		if (stat(dest, &st) == 0)
			fchmod(fileno(f), st.st_mode & 07777);
		ok = fwrite(b->data, 1, b->len, f) == b->len;
		ok = fflush(f) == 0 && fsync(fileno(f)) == 0 && ok;
		ok = fclose(f) == 0 && ok;
		hold_signals(&held);
		ok = ok && rename(tmp, dest) == 0;
		if (ok)
			forget_temporary(&tmp, false);
		release_signals(&held);
	}
	if (!ok)
		fprintf(stderr, "planner: cannot write '%s': %s\n", path,
		    strerror(errno));
	forget_temporary(&tmp, true);
	guard_end();
	return ok ? 0 : EXIT_USAGE;
}

/* Formats one file; returns an exit status. */
static int
fmt_one(struct options *o, const char *path)
{
	struct arena a = { 0 };
	struct diag d;
	struct buf out = { 0 };
	const char *why = NULL;
	char what[BINARY_WHAT];
	struct source *src = source_read(&a, path,
	    strcmp(path, "-") ? path : "<stdin>", false, &why);
	struct loc bad;
	const char *text;
	size_t len;
	struct file *f = NULL;
	bool changed;
	int status = 0;

	if (!src) {
		fprintf(stderr, "planner: cannot read '%s': %s\n", path, why);
		arena_free(&a);
		return EXIT_USAGE;
	}
	text = src->text;
	len = src->len;
	diag_init(&d, stderr, want_color(o->color, stderr), o->json_errors);
	if (source_find_binary(src, &bad, what))
		report_binary(&d, bad, what);
	else
		f = parse_source(&a, &d, src);
	diag_finish(&d);
	if (d.nerrors) {
		arena_free(&a);
		return EXIT_ROLLOUT;
	}
	fmt_file(&out, f);
	/* the canonical form has no byte order mark */
	changed = src->bom || out.len != len ||
	    (len && memcmp(out.data, text, len) != 0);
	if (o->check) {
		if (changed) {
			if (strcmp(path, "-") == 0)
				fputs("planner: standard input is not "
				    "formatted\n", stderr);
			else
				fprintf(stderr, "planner: %s is not formatted "
				    "(run 'planner fmt -w %s')\n", path, path);
			status = EXIT_ROLLOUT;
		}
	} else if (o->write && strcmp(path, "-") != 0) {
		if (changed)
			status = replace_file(path, &out);
	} else {
		fwrite(out.data, 1, out.len, stdout);
		status = check_stdout();
	}
	buf_free(&out);
	arena_free(&a);
	return status;
}

static int
cmd_fmt(struct options *o, char **files, int nfiles)
{
	int i, status = 0;

	if (nfiles < 1)
		usage_error("fmt takes at least one FILE%s", "");
	if (o->write && o->check)
		usage_error("fmt takes -w or --check, not both%s", "");
	for (i = 0; i < nfiles; i++) {
		int one = fmt_one(o, files[i]);

		if (one > status)
			status = one;
	}
	return status;
}

int
main(int argc, char **argv)
{
	struct options o = { 0 };
	int first;
	const char *cmd;
	char **files;
	int nfiles;

	/* a line per write, not a character: diagnostics can be many */
	setvbuf(stderr, NULL, _IOLBF, BUFSIZ);
	/* a closed pipe or a file too large: a write error, status 2 */
	signal(SIGPIPE, SIG_IGN);
	signal(SIGXFSZ, SIG_IGN);
	atexit(remove_temporaries);
	first = parse_options(argc, argv, &o);

	if (first >= argc)
		usage_error("no command given (plan, check, graph or fmt)%s",
		    "");
	cmd = argv[first];
	files = argv + first + 1;
	nfiles = argc - first - 1;
	if (strcmp(cmd, "fmt") != 0 && (o.write || o.check))
		usage_error("-w and --check belong to 'planner fmt'%s", "");
	if (strcmp(cmd, "plan") != 0 && strcmp(cmd, "graph") != 0 &&
	    o.out_dir)
		usage_error("-o belongs to 'planner plan' and 'planner "
		    "graph'%s", "");
	if (strcmp(cmd, "plan") != 0 && (o.split_waves ||
	    (strcmp(cmd, "graph") != 0 && o.noutputs)))
		usage_error("output options belong to 'planner plan'%s", "");
	if (strcmp(cmd, "check") == 0)
		return cmd_check(&o, files, nfiles);
	if (strcmp(cmd, "plan") == 0)
		return cmd_plan(&o, files, nfiles);
	if (strcmp(cmd, "graph") == 0)
		return cmd_graph(&o, files, nfiles);
	if (strcmp(cmd, "fmt") == 0)
		return cmd_fmt(&o, files, nfiles);
	usage_error("unknown command '%s' (plan, check, graph or fmt)", cmd);
}
