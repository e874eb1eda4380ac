/*
 * main.c: the command line.  It reads the options, runs the command named
 * by one row of commands[] (load, check, plan, emit; or fmt) and turns the
 * outcome into an exit status: 0 success, 1 the rollout has errors, 2 usage
 * or file errors.  Writing the outputs, all or none, is output.c's.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "planner.h"
#include "output.h"

enum { EXIT_ROLLOUT = 1, EXIT_USAGE = 2 };

enum output_kind { OUT_ARGO, OUT_DOT, OUT_SVG, OUT_PNG, OUT_JSON, OUT_TEXT };

/* One output asked for. */
struct wanted {
	enum output_kind kind;
	const char *path;	/* "-" for standard output */
};

struct options {
	struct wanted outputs[OUTPUT_MAX];	/* -o's four, the others, the
						 * readable plan */
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

/* The options that belong to some commands only. */
enum {
	TAKES_OUT_DIR = 1 << 0,		/* -o */
	TAKES_OUTPUTS = 1 << 1,		/* --argo, --dot, --svg, --json */
	TAKES_SPLIT = 1 << 2,		/* --split */
	TAKES_FMT = 1 << 3,		/* -w, --check */
};

static int cmd_plan(struct options *o, char **files, int nfiles);
static int cmd_check(struct options *o, char **files, int nfiles);
static int cmd_graph(struct options *o, char **files, int nfiles);
static int cmd_fmt(struct options *o, char **files, int nfiles);

/* Every command, in the order --help lists them: a new command is a row.
 * The messages about options a command does not take, and about how many
 * FILEs it takes, are read from here too. */
static const struct command {
	const char *name;
	const char *args;	/* what follows the name in the usage */
	const char *summary;
	unsigned takes;		/* TAKES_* */
	bool many;		/* FILE...: one or more; else exactly one */
	int (*run)(struct options *o, char **files, int nfiles);
} commands[] = {
	{ "plan", "FILE [options]", "parse, check and plan; print the plan",
	    TAKES_OUT_DIR | TAKES_OUTPUTS | TAKES_SPLIT, false, cmd_plan },
	{ "check", "FILE", "parse and check only", 0, false, cmd_check },
	/* graph refuses --argo and the like itself, naming -o OUT */
	{ "graph", "FILE [-o OUT]", "write the diagram (.dot, .svg, .png)",
	    TAKES_OUT_DIR | TAKES_OUTPUTS, false, cmd_graph },
	{ "fmt", "FILE... [-w|--check]", "print the canonical form",
	    TAKES_FMT, true, cmd_fmt },
};
#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

/* The usage after the commands. */
static const char usage_options[] =
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
"      --split waves    accepted, no longer needed (see planner(1))\n"
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

static void
print_usage(void)
{
	char call[64];
	size_t i;

	for (i = 0; i < NCOMMANDS; i++) {
		snprintf(call, sizeof(call), "%s %s", commands[i].name,
		    commands[i].args);
		/* the summaries line up unless the call is too long */
		printf("%s planner %-21s  %s\n", i ? "      " : "usage:", call,
		    commands[i].summary);
	}
	fputs(usage_options, stdout);
}

/*
 * The commands that take every option of mask, for messages: "plan, check,
 * graph or fmt" (mask 0: every command), or quoted as where an option
 * belongs, "'planner plan' and 'planner graph'".
 */
static const char *
command_list(unsigned mask, bool quoted)
{
	static char names[128];
	size_t i, n = 0, left = 0;

	for (i = 0; i < NCOMMANDS; i++)
		left += (commands[i].takes & mask) == mask;
	for (i = 0; i < NCOMMANDS && n < sizeof(names); i++) {
		if ((commands[i].takes & mask) != mask)
			continue;
		left--;
		n += (size_t)snprintf(names + n, sizeof(names) - n,
		    quoted ? "'planner %s'%s" : "%s%s", commands[i].name,
		    left > 1 ? ", " : left == 0 ? "" : quoted ? " and " :
		    " or ");
	}
	return names;
}

static const struct command *
find_command(const char *name)
{
	size_t i;

	for (i = 0; i < NCOMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

static _Noreturn void usage_error(const char *fmt, ...) PRINTF_LIKE(1, 2);

static _Noreturn void
usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay(fmt, ap);
	va_end(ap);
	say_try_help();
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
	if (o->noutputs == OUTPUT_MAX)
		usage_error("too many outputs");
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
				usage_error("-o is given twice");
			if (!*optarg)
				usage_error("-o needs a directory");
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
			/* kept for the scripts that pass it: a rollout too
			 * big for one Workflow now always becomes a workflow
			 * of workflows, which runs as one train */
			if (!o->split_waves)
				say("--split waves is no longer needed: a "
				    "rollout too big for one Workflow is written "
				    "as a workflow of workflows");
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
			print_usage();
			exit(0);
		case 'V':
			printf("planner %s\n", PLANNER_VERSION);
			exit(0);
		default:
			say_try_help();
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
			say("warnings are errors (--werror)");
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

/* What an emitter needs to write one output. */
struct emit_job {
	enum output_kind kind;
	const struct plan *plan;
	const struct options *opts;
};

/* Writes one output to f (a writer for output_add). */
/* Where the Argo documents go, for the readable plan's commands; NULL
 * when they are not written. */
static const char *
argo_path(const struct options *o)
{
	size_t i;

	for (i = 0; i < o->noutputs; i++)
		if (o->outputs[i].kind == OUT_ARGO)
			return o->outputs[i].path;
	return NULL;
}

static bool
emit_output(FILE *f, const void *arg, const char **why)
{
	const struct emit_job *job = arg;
	const struct plan *p = job->plan;

	switch (job->kind) {
	case OUT_ARGO: return emit_argo(f, p, why);
	case OUT_DOT: return emit_diagram(f, p, GRAPH_DOT, why);
	case OUT_SVG: return emit_diagram(f, p, GRAPH_SVG, why);
	case OUT_PNG: return emit_diagram(f, p, GRAPH_PNG, why);
	case OUT_JSON: return emit_json(f, p, why);
	case OUT_TEXT:
		emit_text(f, p, want_color(job->opts->color, stdout),
		    argo_path(job->opts));
		return true;
	}
	return false;
}

/* Checks, writes and puts in place every output of s, or none of them;
 * returns an exit status. */
static int
finish_outputs(struct output_set *s, const struct program *inputs)
{
	if (output_check(s, inputs) && output_write(s))
		return output_commit(s) ? 0 : EXIT_USAGE;
	output_abort(s);
	return EXIT_USAGE;
}

/* Writes every output of o from the plan, all or none; an exit status. */
static int
write_outputs(const struct options *o, const struct plan *p)
{
	struct output_set *s = output_begin();
	struct emit_job jobs[OUTPUT_MAX];
	size_t i;

	for (i = 0; i < o->noutputs; i++) {
		jobs[i].kind = o->outputs[i].kind;
		jobs[i].plan = p;
		jobs[i].opts = o;
		output_add(s, o->outputs[i].path, output_name(jobs[i].kind),
		    emit_output, &jobs[i]);
	}
	return finish_outputs(s, o->inputs);
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

static void
add_out_dir(struct arena *a, struct options *o, const struct rollout *r)
{
	static const struct { enum output_kind kind; const char *suffix; }
	    all[] = { { OUT_ARGO, "argo.yaml" }, { OUT_DOT, "dot" },
	    { OUT_SVG, "svg" }, { OUT_JSON, "plan.json" } };
	size_t i;

	if (!output_make_dir(o->out_dir)) {
		say("cannot create '%s': %s", o->out_dir, strerror(errno));
		exit(EXIT_USAGE);
	}
	for (i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		add_output(o, all[i].kind, arena_printf(a, "%s/%s.%s",
		    o->out_dir, r->name, all[i].suffix));
}

static int
cmd_check(struct options *o, char **files, int nfiles)
{
	struct arena a = { 0 };
	int status;

	(void)nfiles;	/* one: main saw to it */
	load_and_check(&a, o, files[0], &status);
	arena_free(&a);
	return status;
}

/* Loads, checks and plans FILE, and writes the outputs of o from the plan,
 * all or none, with those of -o DIR when it is given and the readable plan
 * when standard output is free; returns an exit status. */
static int
plan_and_write(struct options *o, const char *path, bool readable)
{
	struct arena a = { 0 };
	struct rollout *r;
	int status;

	if ((r = load_and_check(&a, o, path, &status))) {
		if (o->out_dir)
			add_out_dir(&a, o, r);
		/* the readable plan goes out with the others, before any
		 * rename */
		if (readable)
			add_output(o, OUT_TEXT, "-");
		status = write_outputs(o, plan_build(&a, r));
	}
	arena_free(&a);
	return status;
}

static int
cmd_plan(struct options *o, char **files, int nfiles)
{
	int to_stdout = 0;
	size_t i;

	(void)nfiles;	/* one: main saw to it */
	for (i = 0; i < o->noutputs; i++)
		to_stdout += strcmp(o->outputs[i].path, "-") == 0;
	if (to_stdout > 1)
		usage_error("at most one output may be '-'");
	return plan_and_write(o, files[0], !to_stdout);
}

static int
cmd_graph(struct options *o, char **files, int nfiles)
{
	const char *out = o->out_dir ? o->out_dir : "-";

	(void)nfiles;	/* one: main saw to it */
	if (o->noutputs)
		usage_error("graph takes -o OUT, not "
		    "--argo/--dot/--svg/--json");
	add_output(o, graph_kind(out), out);
	o->out_dir = NULL;	/* -o named the diagram, not a directory */
	return plan_and_write(o, files[0], false);
}

/* Writes the contents of b to path ("-": standard output), as the outputs
 * of plan are written; returns an exit status. */
static int
write_text(const char *path, const struct buf *b)
{
	struct output_set *s = output_begin();

	output_add_buf(s, path, b->data, b->len);
	return finish_outputs(s, NULL);
}

/* fmt -w replaces a file: a pipe or a device cannot be rewritten, and
 * reading one first would take what it holds or wait for a writer.  A
 * directory is left to the reading, which says what it is. */
static bool
rewritable(const char *path)
{
	struct stat st;

	if (strcmp(path, "-") == 0 || stat(path, &st) != 0 ||
	    S_ISREG(st.st_mode) || S_ISDIR(st.st_mode))
		return true;
	say("cannot rewrite '%s': not a regular file", path);
	return false;
}

/* Formats one file; returns an exit status. */
static int
fmt_one(struct options *o, const char *path)
{
	struct arena a = { 0 };
	struct diag d;
	struct buf out = { 0 };
	struct source *src;
	struct file *f = NULL;
	bool changed;
	int status = 0;

	if (o->write && !rewritable(path))
		return EXIT_USAGE;
	if (!(src = source_read_root(&a, path))) {
		arena_free(&a);
		return EXIT_USAGE;
	}
	diag_init(&d, stderr, want_color(o->color, stderr), o->json_errors);
	if (!report_binary(&d, src))
		f = parse_source(&a, &d, src);
	diag_finish(&d);
	if (d.nerrors) {
		arena_free(&a);
		return EXIT_ROLLOUT;
	}
	fmt_file(&out, f);
	/* the canonical form has no byte order mark */
	changed = src->bom || out.len != src->len ||
	    (src->len && memcmp(out.data, src->text, src->len) != 0);
	if (o->check) {
		if (changed) {
			if (strcmp(path, "-") == 0)
				say("standard input is not formatted");
			else
				say("%s is not formatted (run 'planner fmt "
				    "-w %s')", path, path);
			status = EXIT_ROLLOUT;
		}
	} else if (!o->write || strcmp(path, "-") == 0) {
		status = write_text("-", &out);
	} else if (changed) {
		status = write_text(path, &out);
	}
	buf_free(&out);
	arena_free(&a);
	return status;
}

static int
cmd_fmt(struct options *o, char **files, int nfiles)
{
	int i, status = 0;

	if (o->write && o->check)
		usage_error("fmt takes -w or --check, not both");
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
	const struct command *cmd;
	unsigned takes;
	int first, nfiles;

	/* a line per write, not a character: diagnostics can be many */
	setvbuf(stderr, NULL, _IOLBF, BUFSIZ);
	output_init();
	first = parse_options(argc, argv, &o);
	if (first >= argc)
		usage_error("no command given (%s)", command_list(0, false));
	cmd = find_command(argv[first]);
	/* an unknown command takes none: these are said first, as before */
	takes = cmd ? cmd->takes : 0;
	if ((o.write || o.check) && !(takes & TAKES_FMT))
		usage_error("-w and --check belong to %s",
		    command_list(TAKES_FMT, true));
	if (o.out_dir && !(takes & TAKES_OUT_DIR))
		usage_error("-o belongs to %s",
		    command_list(TAKES_OUT_DIR, true));
	if ((o.split_waves && !(takes & TAKES_SPLIT)) ||
	    (o.noutputs && !(takes & TAKES_OUTPUTS)))
		usage_error("output options belong to %s",
		    command_list(TAKES_OUTPUTS | TAKES_SPLIT, true));
	if (!cmd)
		usage_error("unknown command '%s' (%s)", argv[first],
		    command_list(0, false));
	nfiles = argc - first - 1;
	if (cmd->many ? nfiles < 1 : nfiles != 1)
		usage_error("%s takes %s FILE", cmd->name,
		    cmd->many ? "at least one" : "one");
	return cmd->run(&o, argv + first + 1, nfiles);
}
