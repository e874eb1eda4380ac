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
#include "diff.h"
#include "lsp.h"

enum { EXIT_ROLLOUT = 1, EXIT_USAGE = 2 };

enum output_kind { OUT_ARGO, OUT_DOT, OUT_SVG, OUT_PNG, OUT_JSON, OUT_TEXT };

/* One output asked for. */
struct wanted {
	enum output_kind kind;
	const char *path;	/* "-" for standard output */
};

struct options {
	struct wanted outputs[OUTPUT_SET_MAX];	/* -o's four, the others,
						 * the readable plan */
	size_t noutputs;
	const char *out_dir;
	bool split_waves;
	bool werror;
	bool detail;		/* --detail: the diagram's detail view */
	bool json_errors;
	const char *import_root;	/* --import-root DIR, or NULL */
	const char *only_file;	/* check --file F: F's problems only */
	int color;		/* -1 auto, 0 never, 1 always */
	bool write;		/* fmt -w */
	bool check;		/* fmt --check */
	bool list_commands;	/* names --commands */
	const char *list_options;	/* names --options COMMAND */
	struct vec only;	/* --only arguments, SVC[,SVC...] */
	struct vec clusters;	/* --clusters arguments, C[,C...] */
	bool with_needs, with_dependents;
	const char *from_wave;
	const char *state_file;	/* --state FILE */
	const char *state_dir;	/* --state-dir DIR */
	bool interactive;	/* plan --interactive: pick.c asks what to
				 * ship, into the selection options above */
	const char *diff_format;	/* diff --format text|markdown */
	bool exit_code;		/* diff --exit-code */
	const struct program *inputs;	/* no output may overwrite these */
};

/* The options that belong to some commands only. */
enum {
	TAKES_OUT_DIR = 1 << 0,		/* -o */
	TAKES_OUTPUTS = 1 << 1,		/* --argo, --dot, --svg, --json */
	TAKES_SPLIT = 1 << 2,		/* --split */
	TAKES_FMT = 1 << 3,		/* -w, --check */
	TAKES_NAMES = 1 << 4,		/* --commands, --options; names reads
					 * its arguments itself */
	REFUSES_OUTPUTS = 1 << 5,	/* refuses --argo and the like
					 * itself, with a message of its own */
	TAKES_SELECT = 1 << 6,		/* --only, --with-needs,
					 * --with-dependents, --from-wave,
					 * --clusters */
	TAKES_STATE = 1 << 7,		/* --state, --state-dir */
	TAKES_JSON = 1 << 8,		/* --json (drift: its only output) */
	TAKES_FILE = 1 << 9,		/* --file (check) */
	TAKES_DETAIL = 1 << 11,		/* --detail (plan, graph) */
	TAKES_DIFF = 1 << 10,		/* --format, --exit-code; and two
					 * FILEs, OLD and NEW (diff) */
	TAKES_DIAGRAM = 1 << 12,	/* --dot, --svg (plan; diff's diagram) */
	TAKES_NO_FILE = 1 << 13,	/* no FILE: lsp reads its files from
					 * the client */
	/* --interactive: plan's alone, the one command taking both */
	TAKES_INTERACTIVE = TAKES_SELECT | TAKES_OUTPUTS,
};

static int cmd_plan(struct options *o, char **files, int nfiles);
static int cmd_check(struct options *o, char **files, int nfiles);
static int cmd_graph(struct options *o, char **files, int nfiles);
static int cmd_fmt(struct options *o, char **files, int nfiles);
static int cmd_names(struct options *o, char **args, int nargs);
static int cmd_drift(struct options *o, char **files, int nfiles);
static int cmd_diff(struct options *o, char **files, int nfiles);
static int cmd_lsp(struct options *o, char **files, int nfiles);

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
	    TAKES_OUT_DIR | TAKES_OUTPUTS | TAKES_JSON | TAKES_SPLIT |
	    TAKES_SELECT | TAKES_STATE | TAKES_DETAIL | TAKES_DIAGRAM, false,
	    cmd_plan },
	{ "check", "FILE [--file F]", "parse and check only", TAKES_FILE,
	    false, cmd_check },
	/* graph refuses --argo and the like itself, naming -o OUT */
	{ "graph", "FILE [-o OUT]", "write the diagram (.dot, .svg, .png)",
	    TAKES_OUT_DIR | REFUSES_OUTPUTS | TAKES_SELECT | TAKES_STATE |
	    TAKES_DETAIL, false, cmd_graph },
	{ "fmt", "FILE... [-w|--check]", "print the canonical form",
	    TAKES_FMT, true, cmd_fmt },
	{ "drift", "FILE --state S", "compare what runs with the rollout",
	    TAKES_STATE | TAKES_JSON, false, cmd_drift },
	{ "diff", "OLD NEW [options]", "compare the plans of two rollouts",
	    TAKES_DIFF | TAKES_JSON | TAKES_DIAGRAM, false, cmd_diff },
	{ "names", "FILE KIND", "list names, for completion (see below)",
	    TAKES_NAMES, false, cmd_names },
	{ "lsp", "", "serve editors (a Language Server on stdio)",
	    TAKES_NO_FILE, false, cmd_lsp },
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
"      --detail         draw every deploy (plan and graph), not the overview\n"
"      --json OUT       write the plan as JSON (format 1)\n"
"      --split waves    accepted, no longer needed (see planner(1))\n"
"\n"
"what to ship, for plan and graph (a deploy left out counts as done):\n"
"      --only SVC[,SVC...]\n"
"                       only these services (repeatable)\n"
"      --with-needs     and, transitively, what they need\n"
"      --with-dependents\n"
"                       and, transitively, what needs them\n"
"      --from-wave WAVE drop the waves before WAVE (resume after a halt)\n"
"      --clusters C[,C...]\n"
"                       only these clusters; a group stands for its\n"
"                       clusters (repeatable)\n"
"      --state FILE, --state-dir DIR\n"
"                       what runs now (as for drift): leave out the\n"
"                       deploys already at their version\n"
"      --interactive    plan: ask what to ship, on a terminal; then print\n"
"                       the command line that repeats it\n"
"\n"
"drift options (exit status 0 in sync, 1 drift, 2 trouble):\n"
"      --state FILE     what runs, as {\"format\": 1, \"clusters\": {...}}\n"
"      --state-dir DIR  what runs, as DIR/CLUSTER.json from kubectl get\n"
"                       deployments --all-namespaces -o json\n"
"      --json OUT       write the report as JSON ('-': standard output)\n"
"\n"
"diff options (OLD and NEW: files, or REV:PATH read from git; exit status\n"
"0, or 1 with --exit-code when the plans differ, 2 trouble):\n"
"      --format text|markdown\n"
"                       the report as text (default) or Markdown, for a\n"
"                       pull-request comment\n"
"      --json OUT       write the changes as JSON ('-': standard output)\n"
"      --svg/--dot OUT  write the diff diagram (SVG or DOT)\n"
"      --exit-code      exit 1 when the plans differ\n"
"\n"
"check options:\n"
"      --file F         report only the problems of F, a file that FILE\n"
"                       imports (without it, a FILE that declares no\n"
"                       rollout is checked in the rollout.dsl above it\n"
"                       that imports it)\n"
"\n"
"common options:\n"
"      --werror         treat warnings as errors\n"
"      --import-root DIR\n"
"                       imports may read files anywhere under DIR (by\n"
"                       default only under the directory of FILE)\n"
"      --error-format=text|json\n"
"                       how diagnostics are printed (default text)\n"
"      --color=auto|always|never\n"
"                       colour on a terminal unless NO_COLOR is set or\n"
"                       TERM is dumb\n"
"  -w, --write          fmt: rewrite the files in place\n"
"      --check          fmt: exit 1 when a file is not canonical\n"
"      --commands       names: list the commands\n"
"      --options CMD    names: list the options CMD takes (names FILE\n"
"                       KIND lists the services, clusters, groups or\n"
"                       waves of FILE, one a line)\n"
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

/* An unknown command: the one meant when one is near ("chek"), else the
 * list of them. */
static _Noreturn void
unknown_command(const char *name)
{
	const char *names[NCOMMANDS], *near;
	size_t i;

	for (i = 0; i < NCOMMANDS; i++)
		names[i] = commands[i].name;
	near = word_nearest(name, strlen(name), names, NCOMMANDS, ~0u);
	if (near)
		usage_error("unknown command '%s': did you mean '%s'?", name, near);
	usage_error("unknown command '%s' (%s)", name, command_list(0, false));
}

/* Colour for --color=auto: a terminal that shows it (not TERM=dumb), and
 * no NO_COLOR. */
static bool
want_color(int setting, FILE *f)
{
	const char *no = getenv("NO_COLOR"), *term = getenv("TERM");

	if (setting >= 0)
		return setting;
	return isatty(fileno(f)) && !(no && *no) &&
	    !(term && strcmp(term, "dumb") == 0);
}

static _Noreturn void
too_many_outputs(void)
{
	usage_error("too many outputs: at most %d, -o counting for four",
	    OUTPUT_MAX);
}

/* Adds an output; the readable plan (OUT_TEXT) comes on top of the
 * OUTPUT_MAX the command line may ask for. */
static void
add_output(struct options *o, enum output_kind kind, const char *path)
{
	if (o->noutputs == (kind == OUT_TEXT ? OUTPUT_SET_MAX : OUTPUT_MAX))
		too_many_outputs();
	o->outputs[o->noutputs].kind = kind;
	o->outputs[o->noutputs].path = path;
	o->noutputs++;
}

/* Every option, for getopt and for 'planner names --options'. */
enum { OPT_ARGO = 256, OPT_DOT, OPT_SVG, OPT_JSON, OPT_SPLIT,
	OPT_WERROR, OPT_ERRFMT, OPT_COLOR, OPT_CHECK, OPT_COMMANDS,
	OPT_OPTIONS, OPT_ONLY, OPT_WITH_NEEDS, OPT_WITH_DEPENDENTS,
	OPT_FROM_WAVE, OPT_CLUSTERS, OPT_STATE, OPT_STATE_DIR,
	OPT_IMPORT_ROOT, OPT_INTERACTIVE, OPT_FILE, OPT_DETAIL,
	OPT_FORMAT, OPT_EXIT_CODE };
static const struct option longopts[] = {
	{ "out", required_argument, NULL, 'o' },
	{ "argo", required_argument, NULL, OPT_ARGO },
	{ "dot", required_argument, NULL, OPT_DOT },
	{ "svg", required_argument, NULL, OPT_SVG },
	{ "json", required_argument, NULL, OPT_JSON },
	{ "split", required_argument, NULL, OPT_SPLIT },
	{ "werror", no_argument, NULL, OPT_WERROR },
	{ "error-format", required_argument, NULL, OPT_ERRFMT },
	{ "import-root", required_argument, NULL, OPT_IMPORT_ROOT },
	{ "file", required_argument, NULL, OPT_FILE },
	{ "color", required_argument, NULL, OPT_COLOR },
	{ "write", no_argument, NULL, 'w' },
	{ "check", no_argument, NULL, OPT_CHECK },
	{ "commands", no_argument, NULL, OPT_COMMANDS },
	{ "options", required_argument, NULL, OPT_OPTIONS },
	{ "only", required_argument, NULL, OPT_ONLY },
	{ "with-needs", no_argument, NULL, OPT_WITH_NEEDS },
	{ "with-dependents", no_argument, NULL, OPT_WITH_DEPENDENTS },
	{ "from-wave", required_argument, NULL, OPT_FROM_WAVE },
	{ "clusters", required_argument, NULL, OPT_CLUSTERS },
	{ "state", required_argument, NULL, OPT_STATE },
	{ "state-dir", required_argument, NULL, OPT_STATE_DIR },
	{ "interactive", no_argument, NULL, OPT_INTERACTIVE },
	{ "detail", no_argument, NULL, OPT_DETAIL },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "exit-code", no_argument, NULL, OPT_EXIT_CODE },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

/*
 * The TAKES_* a command needs to take an option (by its getopt value), for
 * 'planner names --options'; 0 for an option every command takes.  main()
 * refuses an option given to a command that does not take it; a new option
 * that belongs to some commands gets its TAKES_* here too
 * (tests/run-completion checks that the two agree).
 */
static unsigned
option_needs(int val)
{
	switch (val) {
	case 'o': return TAKES_OUT_DIR;
	case OPT_ARGO: return TAKES_OUTPUTS;
	case OPT_DOT: case OPT_SVG: return TAKES_DIAGRAM;
	case OPT_JSON: return TAKES_JSON;
	case OPT_STATE: case OPT_STATE_DIR: return TAKES_STATE;
	case OPT_SPLIT: return TAKES_SPLIT;
	case 'w': case OPT_CHECK: return TAKES_FMT;
	case OPT_COMMANDS: case OPT_OPTIONS: return TAKES_NAMES;
	case OPT_ONLY: case OPT_WITH_NEEDS: case OPT_WITH_DEPENDENTS:
	case OPT_FROM_WAVE: case OPT_CLUSTERS:
		return TAKES_SELECT;
	case OPT_INTERACTIVE: return TAKES_INTERACTIVE;
	case OPT_FILE: return TAKES_FILE;
	case OPT_FORMAT: case OPT_EXIT_CODE: return TAKES_DIFF;
	case OPT_DETAIL: return TAKES_DETAIL;
	default: return 0;
	}
}

/* After getopt's "unrecognized option '--jsn'": the option meant, when
 * one is near.  An abbreviation of several (--with) getopt has listed. */
static void
suggest_option(const char *arg)
{
	const struct option *opt;
	const char *best = NULL;
	int rank, best_rank = 0;
	size_t n;

	if (optopt != 0 || strncmp(arg, "--", 2) != 0)
		return;
	arg += 2;
	n = strcspn(arg, "=");
	for (opt = longopts; opt->name; opt++) {
		if (strncmp(opt->name, arg, n) == 0)
			return;
		rank = word_nearness(arg, n, opt->name);
		if (rank && (!best || rank < best_rank)) {
			best = opt->name;
			best_rank = rank;
		}
	}
	if (best)
		say("did you mean '--%s'?", best);
}

static int
parse_options(int argc, char **argv, struct options *o)
{
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
		case OPT_DETAIL: o->detail = true; break;
		case OPT_IMPORT_ROOT: o->import_root = optarg; break;
		case OPT_FILE:
			if (o->only_file)
				usage_error("--file is given twice");
			if (!*optarg)
				usage_error("--file needs a file");
			o->only_file = optarg;
			break;
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
		case OPT_COMMANDS: o->list_commands = true; break;
		case OPT_OPTIONS: o->list_options = optarg; break;
		case OPT_ONLY: vec_push(&o->only, optarg); break;
		case OPT_WITH_NEEDS: o->with_needs = true; break;
		case OPT_WITH_DEPENDENTS: o->with_dependents = true; break;
		case OPT_FROM_WAVE:
			if (o->from_wave)
				usage_error("--from-wave is given twice");
			o->from_wave = optarg;
			break;
		case OPT_CLUSTERS: vec_push(&o->clusters, optarg); break;
		case OPT_INTERACTIVE: o->interactive = true; break;
		case OPT_FORMAT:
			if (strcmp(optarg, "text") != 0 &&
			    strcmp(optarg, "markdown") != 0)
				usage_error("--format takes text or markdown, "
				    "not '%s'", optarg);
			o->diff_format = optarg;
			break;
		case OPT_EXIT_CODE: o->exit_code = true; break;
		case OPT_STATE:
		case OPT_STATE_DIR:
			if (o->state_file || o->state_dir)
				usage_error((c == OPT_STATE) == !o->state_dir ?
				    "--%s is given twice" : "--state and "
				    "--state-dir cannot be given together",
				    c == OPT_STATE ? "state" : "state-dir");
			if (!*optarg)
				usage_error("--%s needs a %s", c == OPT_STATE ?
				    "state" : "state-dir", c == OPT_STATE ?
				    "file" : "directory");
			*(c == OPT_STATE ? &o->state_file : &o->state_dir) =
			    optarg;
			break;
		case 'h':
			print_usage();
			exit(output_flush_stdout() ? 0 : EXIT_USAGE);
		case 'V':
			printf("planner %s\n", PLANNER_VERSION);
			exit(output_flush_stdout() ? 0 : EXIT_USAGE);
		default:
			suggest_option(argv[optind - 1]);
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
	prog = load_program_within(a, &d, path, o->import_root);
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
	struct argo_layout *layout;	/* --argo's, for the readable plan */
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
	enum graph_view view = job->opts->detail ? GRAPH_DETAIL :
	    GRAPH_OVERVIEW;

	switch (job->kind) {
	case OUT_ARGO: return emit_argo(f, p, job->layout, why);
	case OUT_DOT: return emit_diagram(f, p, GRAPH_DOT, view, why);
	case OUT_SVG: return emit_diagram(f, p, GRAPH_SVG, view, why);
	case OUT_PNG: return emit_diagram(f, p, GRAPH_PNG, view, why);
	case OUT_JSON: return emit_json(f, p, why);
	case OUT_TEXT:
		emit_text(f, p, want_color(job->opts->color, stdout),
		    job->layout, argo_path(job->opts));
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
	struct emit_job jobs[OUTPUT_SET_MAX];
	struct argo_layout layout = { 0 };
	size_t i;

	for (i = 0; i < o->noutputs; i++) {
		jobs[i].kind = o->outputs[i].kind;
		jobs[i].plan = p;
		jobs[i].opts = o;
		jobs[i].layout = &layout;
		/* the readable plan is printed once the files are in place */
		if (jobs[i].kind == OUT_TEXT)
			output_add_report(s, output_name(jobs[i].kind),
			    emit_output, &jobs[i]);
		else
			output_add(s, o->outputs[i].path,
			    output_name(jobs[i].kind), emit_output, &jobs[i]);
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

/*
 * Checks the rollout at path and shows only the diagnostics located in
 * the file they name shown (check --file); those of its other files are
 * counted, and said in one line (not in JSON).  An exit status: 1 when
 * that file has errors, or warnings with --werror.
 */
static int
check_one_file(struct options *o, const char *path, const char *shown)
{
	struct arena a = { 0 };
	struct program *prog;
	struct diag d;
	int errors, status = EXIT_USAGE;

	diag_init(&d, stderr, want_color(o->color, stderr), o->json_errors);
	d.only_path = shown;
	if (!(prog = load_program_within(&a, &d, path, o->import_root))) {
		d.json = false;		/* said; no empty array */
		diag_finish(&d);
		arena_free(&a);
		return status;
	}
	if (prog->nfiles)
		check_program(&a, &d, prog);
	diag_finish(&d);
	errors = d.nerrors - d.nhidden_errors;
	if (!o->json_errors && (d.nhidden_errors || d.nhidden_warnings))
		say("the other files of %s have %s%s%s, not shown ('planner "
		    "check %s' shows them)", path, d.nhidden_errors ?
		    arena_printf(&a, "%d error%s", d.nhidden_errors,
		    d.nhidden_errors == 1 ? "" : "s") : "",
		    d.nhidden_errors && d.nhidden_warnings ? " and " : "",
		    d.nhidden_warnings ? arena_printf(&a, "%d warning%s",
		    d.nhidden_warnings, d.nhidden_warnings == 1 ? "" : "s") :
		    "", path);
	if (o->werror && d.nwarnings && !errors && !o->json_errors)
		say("warnings are errors (--werror)");
	status = errors || (o->werror && d.nwarnings) ? EXIT_ROLLOUT : 0;
	arena_free(&a);
	return status;
}

/* check FILE --file F: F's problems, in the rollout FILE. */
static int
check_file_of(struct options *o, const char *path, const char *file)
{
	struct arena a = { 0 };
	struct file_lookup in;
	struct stat st;
	int status;

	if (strcmp(path, "-") == 0)
		usage_error("check --file reads the rollout twice: give it as "
		    "a FILE, not '-'");
	if (stat(file, &st) != 0) {
		int err = errno;

		find_in_rollout(&a, path, o->import_root, file, &in);
		say("cannot read '%s': %s%s%s%s", file, strerror(err),
		    in.near ? "; did you mean '" : "", in.near ? in.near : "",
		    in.near ? "'?" : "");
		status = EXIT_USAGE;
	} else if (!find_in_rollout(&a, path, o->import_root, file, &in)) {
		/* the rollout cannot be read: said as always */
		load_and_check(&a, o, path, &status);
	} else if (!in.shown) {
		say("%s does not import '%s' (it reads %zu file%s)%s%s%s%s",
		    path, file, in.nfiles, in.nfiles == 1 ? "" : "s",
		    in.near ? "; did you mean '" : "", in.near ? in.near : "",
		    in.near ? "'?" : "", in.nerrors ? "; some of its imports "
		    "fail: 'planner check' on it says which" : "");
		status = EXIT_USAGE;
	} else {
		status = check_one_file(o, path, in.shown);
	}
	arena_free(&a);
	return status;
}

/*
 * check FILE: FILE's rollout, checked.  With --file F, only F's problems
 * (check_file_of).  A FILE that declares no rollout, a team's file, is
 * checked in the nearest rollout.dsl above it that imports it, with only
 * its own problems shown, and the command that does it said.
 */
static int
cmd_check(struct options *o, char **files, int nfiles)
{
	struct arena a = { 0 };
	const char *rollout, *shown;
	bool searched;
	int status;

	(void)nfiles;	/* one: main saw to it */
	if (o->only_file)
		return check_file_of(o, files[0], o->only_file);
	rollout = find_importing_rollout(&a, files[0], o->import_root, &shown,
	    &searched);
	if (rollout) {
		if (!o->json_errors)
			say("%s declares no rollout: checking it in %s, which "
			    "imports it ('planner check %s --file %s')",
			    files[0], rollout, rollout, files[0]);
		status = check_one_file(o, rollout, shown);
	} else {
		load_and_check(&a, o, files[0], &status);
		if (searched && !o->json_errors)
			say("if a rollout imports %s, check it in that "
			    "rollout: 'planner check ROLLOUT --file %s' (no %s "
			    "in its directory or above imports it)", files[0],
			    files[0], ROLLOUT_FILE);
	}
	arena_free(&a);
	return status;
}

/* The selection options of o, for select_plan. */
static struct selection
selection_of(const struct options *o)
{
	struct selection sel = { 0 };

	sel.only = (const char *const *)o->only.items;
	sel.nonly = o->only.n;
	sel.with_needs = o->with_needs;
	sel.with_dependents = o->with_dependents;
	sel.from_wave = o->from_wave;
	sel.clusters = (const char *const *)o->clusters.items;
	sel.nclusters = o->clusters.n;
	return sel;
}

/* Reads the state o names for a plan of sel: --state-dir reads the
 * clusters sel plans (a cluster with no file is an error naming it).
 * NULL, said, when it cannot. */
static struct state *
plan_state(struct arena *a, const struct options *o, struct rollout *r,
    const struct selection *sel)
{
	struct selection_report *rep;
	struct rollout *planned;
	const char **names, *why = NULL;
	size_t i;

	if (o->state_file)
		return state_read_file(a, o->state_file);
	if (!(planned = rollout_select(a, r, sel, &rep, &why))) {
		say("%s", why);
		return NULL;
	}
	names = arena_array(a, planned->nclusters, sizeof(*names));
	for (i = 0; i < planned->nclusters; i++)
		names[i] = planned->clusters[i]->name;
	return state_read_dir(a, o->state_dir, names, planned->nclusters);
}

/* Plans what o selects of r and writes the outputs; an exit status.  A
 * name that is not r's, or a state that cannot be read, is a usage
 * error. */
static int
plan_selected(struct arena *a, struct options *o, struct rollout *r)
{
	struct selection sel = selection_of(o);
	const char *why = NULL;
	struct plan *p;

	if ((o->state_file || o->state_dir) &&
	    !(sel.state = plan_state(a, o, r, &sel)))
		return EXIT_USAGE;
	if (!(p = select_plan(a, r, &sel, &why))) {
		say("%s", why);
		return EXIT_USAGE;
	}
	return write_outputs(o, p);
}

/*
 * --interactive: asks on the terminal what to ship (pick.c) and sets o's
 * selection options to it, so the plan is made and written as with them
 * given.  The state of --state FILE is read first, for the picker's counts
 * and summary; --state-dir is read after, for the clusters picked.  An
 * exit status: PICK_CANCELLED_STATUS when the pick was cancelled.
 */
static int
pick_options(struct arena *a, struct options *o, struct rollout *r)
{
	struct selection sel = { 0 };
	size_t i;
	int status;

	if (o->state_file && !(sel.state = state_read_file(a, o->state_file)))
		return EXIT_USAGE;
	if ((status = pick_run(a, r, &sel)))
		return status;
	for (i = 0; i < sel.nonly; i++)
		vec_push(&o->only, (void *)sel.only[i]);
	for (i = 0; i < sel.nclusters; i++)
		vec_push(&o->clusters, (void *)sel.clusters[i]);
	o->with_needs = sel.with_needs;
	o->with_dependents = sel.with_dependents;
	o->from_wave = sel.from_wave;
	return 0;
}

/* --interactive: says the command line that repeats the release without
 * asking, so it can be repeated and reviewed: FILE, what was picked, the
 * state, and the outputs given (the first of o's outputs; -o names its
 * own). */
static void
say_repeat(const struct options *o, const char *path, size_t given)
{
	static const char *const flags[] = { [OUT_ARGO] = "--argo",
		[OUT_DOT] = "--dot", [OUT_SVG] = "--svg",
		[OUT_JSON] = "--json", [OUT_PNG] = NULL, [OUT_TEXT] = NULL };
	struct selection sel = selection_of(o);
	struct buf b = { 0 };
	size_t i;

	buf_puts(&b, "planner plan ");
	if (path[0] == '-' && path[1])
		buf_puts(&b, "./");	/* not an option */
	pick_shell_word(&b, path);
	pick_command(&b, &sel);
	if (o->state_file || o->state_dir) {
		buf_puts(&b, o->state_file ? " --state " : " --state-dir ");
		pick_shell_word(&b, o->state_file ? o->state_file :
		    o->state_dir);
	}
	if (o->import_root) {
		buf_puts(&b, " --import-root ");
		pick_shell_word(&b, o->import_root);
	}
	if (o->out_dir) {
		buf_puts(&b, " -o ");
		pick_shell_word(&b, o->out_dir);
	}
	for (i = 0; i < given; i++) {
		if (!flags[o->outputs[i].kind])
			continue;
		buf_printf(&b, " %s ", flags[o->outputs[i].kind]);
		pick_shell_word(&b, o->outputs[i].path);
	}
	if (o->werror)
		buf_puts(&b, " --werror");
	buf_putc(&b, '\0');
	say("to repeat this release: %s", b.data);
	buf_free(&b);
}

/* Loads, checks and plans FILE (with --interactive, what the user picks of
 * it), and writes the outputs of o from the plan, all or none, with those
 * of -o DIR when it is given and the readable plan when standard output is
 * free; returns an exit status. */
static int
plan_and_write(struct options *o, const char *path, bool readable)
{
	struct arena a = { 0 };
	struct rollout *r;
	int status;

	if ((r = load_and_check(&a, o, path, &status)) &&
	    !(o->interactive && (status = pick_options(&a, o, r)))) {
		size_t given = o->noutputs;

		if (o->out_dir)
			add_out_dir(&a, o, r);
		/* the readable plan is written with the others, and printed
		 * once they are all in place */
		if (readable)
			add_output(o, OUT_TEXT, "-");
		status = plan_selected(&a, o, r);
		if (o->interactive)
			say_repeat(o, path, given);
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
	if (o->noutputs + (o->out_dir ? 4 : 0) > OUTPUT_MAX)
		too_many_outputs();
	for (i = 0; i < o->noutputs; i++)
		to_stdout += strcmp(o->outputs[i].path, "-") == 0;
	if (to_stdout > 1)
		usage_error("at most one output may be '-'");
	/* --json /dev/stdout is standard output too: no readable plan (and
	 * with '-' as well, one output named twice) */
	for (i = 0; i < o->noutputs && !to_stdout; i++)
		to_stdout = output_is_stdout(o->outputs[i].path);
	/* the picker reads keys from the terminal and draws on it */
	if (o->interactive && !(isatty(STDIN_FILENO) &&
	    isatty(STDOUT_FILENO))) {
		say("--interactive needs a terminal");
		return EXIT_USAGE;
	}
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

/* What drift writes: its JSON report, or the readable one. */
struct drift_job {
	const struct drift *drift;
	bool json;
};

static bool
write_drift(FILE *f, const void *arg, const char **why)
{
	const struct drift_job *job = arg;

	if (job->json)
		return drift_write_json(f, job->drift, why);
	drift_write_text(f, job->drift);
	return true;
}

/* Reads the state o names, for the clusters drift checks in r; NULL,
 * said, when it cannot be read or is not valid. */
static struct state *
read_state(struct arena *a, const struct options *o, const struct rollout *r)
{
	const char **clusters;
	size_t n;

	if (o->state_file)
		return state_read_file(a, o->state_file);
	n = drift_clusters(a, r, &clusters);
	return state_read_dir(a, o->state_dir, clusters, n);
}

/* drift FILE --state S | --state-dir D [--json OUT]: 0 in sync, 1 drift,
 * 2 trouble.  The readable report goes to standard output unless the JSON
 * does. */
static int
cmd_drift(struct options *o, char **files, int nfiles)
{
	struct arena a = { 0 };
	struct drift_job jobs[2];
	struct output_set *s;
	struct rollout *r;
	struct state *st;
	struct drift *d;
	int status;

	(void)nfiles;	/* one: main saw to it */
	if (!o->state_file && !o->state_dir)
		usage_error("drift needs --state FILE or --state-dir DIR");
	if (o->noutputs > 1 || (o->noutputs && o->outputs[0].kind != OUT_JSON))
		usage_error("drift writes one output, --json OUT");
	if (!(r = load_and_check(&a, o, files[0], &status)) ||
	    !(st = read_state(&a, o, r)) || !(d = drift_find(&a, r, st))) {
		arena_free(&a);
		return r ? EXIT_USAGE : status;
	}
	s = output_begin();
	jobs[0].drift = jobs[1].drift = d;
	jobs[0].json = true;
	jobs[1].json = false;
	if (o->noutputs)
		output_add(s, o->outputs[0].path, "drift report (JSON)",
		    write_drift, &jobs[0]);
	if (!o->noutputs || !output_is_stdout(o->outputs[0].path))
		output_add_report(s, "drift report", write_drift, &jobs[1]);
	status = finish_outputs(s, o->inputs);
	if (status == 0 && d->nfindings)
		status = EXIT_ROLLOUT;
	arena_free(&a);
	return status;
}

/* What diff writes: its JSON, its diagram, or the report as text or
 * Markdown. */
struct diff_job {
	const struct plan_diff *diff;
	enum output_kind kind;		/* OUT_JSON, OUT_DOT, OUT_SVG; else
					 * the report */
	enum diff_format format;
};

static bool
write_diff(FILE *f, const void *arg, const char **why)
{
	const struct diff_job *job = arg;

	if (job->kind == OUT_JSON)
		return diff_write_json(f, job->diff, why);
	if (job->kind == OUT_DOT || job->kind == OUT_SVG)
		return diff_write_diagram(f, job->diff, job->kind == OUT_DOT ?
		    GRAPH_DOT : GRAPH_SVG, why);
	diff_write_text(f, job->diff, job->format);
	return true;
}

/* Loads, checks and plans one side of diff: a file, or REV:PATH read
 * from git (revision.c) when no such file exists.  NULL when it cannot. */
static struct plan *
diff_side(struct arena *a, struct options *o, const char *arg)
{
	const char *root = o->import_root;
	struct revision rev;
	struct rollout *r;
	int got, status;

	if ((got = revision_open(a, arg, root, &rev)) < 0)
		return NULL;
	if (got)
		o->import_root = rev.import_root;
	r = load_and_check(a, o, got ? rev.path : arg, &status);
	o->import_root = root;
	revision_close(&rev);
	if (!r && got)
		say("(%s was read from git into a temporary directory)", arg);
	return r ? plan_build(a, r) : NULL;
}

/* diff OLD NEW [--format text|markdown] [--json OUT] [--svg/--dot OUT]
 * [--exit-code]: what
 * changes from OLD's plan to NEW's.  0, or 1 with --exit-code when they
 * differ; 2 when a side cannot be read or planned, as git diff. */
static int
cmd_diff(struct options *o, char **files, int nfiles)
{
	struct arena a = { 0 };
	struct diff_job jobs[4];
	struct diff_side old = { 0 }, new = { 0 };
	struct output_set *s;
	struct plan_diff *d;
	int status, njson = 0, ndiagram = 0;
	size_t i;
	bool to_stdout = false;

	(void)nfiles;	/* two: main saw to it */
	for (i = 0; i < o->noutputs; i++) {
		enum output_kind k = o->outputs[i].kind;

		if (k == OUT_JSON)
			njson++;
		else if (k == OUT_DOT || k == OUT_SVG)
			ndiagram++;
		else
			ndiagram = 2;
		to_stdout |= output_is_stdout(o->outputs[i].path);
	}
	if (njson > 1 || ndiagram > 1)
		usage_error("diff writes --json OUT and one diagram, --svg OUT "
		    "or --dot OUT");
	if (strcmp(files[0], "-") == 0 && strcmp(files[1], "-") == 0)
		usage_error("diff reads standard input once: give '-' as one "
		    "side at most");
	old.label = strcmp(files[0], "-") == 0 ? "standard input" : files[0];
	new.label = strcmp(files[1], "-") == 0 ? "standard input" : files[1];
	if (!(old.plan = diff_side(&a, o, files[0])) ||
	    !(new.plan = diff_side(&a, o, files[1]))) {
		arena_free(&a);
		return EXIT_USAGE;
	}
	d = diff_plans(&a, &old, &new);
	s = output_begin();
	for (i = 0; i < o->noutputs; i++) {
		jobs[i].diff = d;
		jobs[i].kind = o->outputs[i].kind;
		output_add(s, o->outputs[i].path, jobs[i].kind == OUT_JSON ?
		    "JSON diff" : jobs[i].kind == OUT_DOT ? "DOT diff diagram" :
		    "SVG diff diagram", write_diff, &jobs[i]);
	}
	jobs[i].diff = d;
	jobs[i].kind = OUT_TEXT;
	jobs[i].format = o->diff_format &&
	    strcmp(o->diff_format, "markdown") == 0 ? DIFF_MARKDOWN : DIFF_TEXT;
	if (!to_stdout)
		output_add_report(s, "plan diff", write_diff, &jobs[i]);
	status = finish_outputs(s, NULL);
	if (status == 0 && d->nchanges && o->exit_code)
		status = EXIT_ROLLOUT;
	arena_free(&a);
	return status;
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

/* Formats one file, its diagnostics a part of all's; returns an exit
 * status. */
static int
fmt_one(struct options *o, const char *path, struct diag *all)
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
	diag_init_part(&d, all);
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
	struct diag all;
	int i, status = 0;

	if (o->write && o->check)
		usage_error("fmt takes -w or --check, not both");
	/* with --error-format=json, one array for all the files */
	diag_init(&all, stderr, want_color(o->color, stderr), o->json_errors);
	for (i = 0; i < nfiles; i++) {
		int one = fmt_one(o, files[i], &all);

		if (one > status)
			status = one;
	}
	/* no file could be read: said, and no empty array */
	if (!all.nparts)
		all.json = false;
	diag_finish(&all);
	return status;
}

/* What 'planner names FILE KIND' lists, by KIND. */
enum name_kind { NAMES_SERVICES, NAMES_CLUSTERS, NAMES_GROUPS, NAMES_WAVES };
#define NNAME_KINDS (NAMES_WAVES + 1)
static const char *const name_kinds[NNAME_KINDS] = { "services",
	"clusters", "groups", "waves" };

/* Prints the names of one kind of the model, one a line, in the order
 * they are declared; a name that is not one (an error) is left out. */
static void
print_names(const struct rollout *r, enum name_kind kind)
{
	const char *name;
	size_t i, n = 0;

	switch (kind) {
	case NAMES_SERVICES: n = r->nservices; break;
	case NAMES_CLUSTERS: n = r->nclusters; break;
	case NAMES_GROUPS: n = r->ngroups; break;
	case NAMES_WAVES: n = r->nwaves; break;
	}
	for (i = 0; i < n; i++) {
		switch (kind) {
		case NAMES_SERVICES: name = r->services[i]->name; break;
		case NAMES_CLUSTERS: name = r->clusters[i]->name; break;
		case NAMES_GROUPS: name = r->groups[i]->name; break;
		default: name = r->waves[i]->name; break;
		}
		if (is_name(name, strlen(name)))
			printf("%s\n", name);
	}
}

/* names --options CMD: the options CMD takes, as getopt knows them, one a
 * line: "--NAME", and "--NAME=" when it takes a value. */
static void
print_options(const char *name)
{
	const struct command *cmd = find_command(name);
	const struct option *opt;

	if (!cmd)
		unknown_command(name);
	for (opt = longopts; opt->name; opt++) {
		unsigned needs = option_needs(opt->val);

		if ((cmd->takes & needs) == needs)
			printf("--%s%s\n", opt->name,
			    opt->has_arg == required_argument ? "=" : "");
	}
}

/*
 * names FILE KIND prints the services, clusters, groups or waves of the
 * rollout, one a line, for shell completion and scripts; names --commands
 * and names --options CMD print what the command line takes.  No
 * diagnostics: a rollout with errors gives the names of what could be read
 * (exit status 1), a FILE that cannot be read nothing (2).
 */
static int
cmd_names(struct options *o, char **args, int nargs)
{
	struct arena a = { 0 };
	struct diag d;
	struct program *prog;
	struct rollout *r;
	FILE *quiet;
	char *said = NULL;
	size_t nsaid = 0, i;
	int kind = -1, status;

	if (o->list_commands || o->list_options) {
		if (o->list_commands && o->list_options)
			usage_error("names takes --commands or --options, not "
			    "both");
		if (nargs)
			usage_error("names --%s takes no FILE",
			    o->list_commands ? "commands" : "options");
		if (o->list_commands)
			for (i = 0; i < NCOMMANDS; i++)
				printf("%s\n", commands[i].name);
		else
			print_options(o->list_options);
		return output_flush_stdout() ? 0 : EXIT_USAGE;
	}
	for (i = 0; nargs == 2 && i < NNAME_KINDS; i++)
		if (strcmp(args[1], name_kinds[i]) == 0)
			kind = (int)i;
	if (kind < 0)
		usage_error("names takes FILE and %s, or --commands, or "
		    "--options COMMAND", word_list(&a, name_kinds,
		    NNAME_KINDS, (1u << NNAME_KINDS) - 1));
	/* the diagnostics are for 'planner check'; the limits stop them */
	if (!(quiet = open_memstream(&said, &nsaid)))
		fatal("out of memory");
	diag_init(&d, quiet, false, false);
	prog = load_program(&a, &d, args[0]);
	if (!prog) {
		status = EXIT_USAGE;
	} else if (prog->nfiles == 0) {
		status = EXIT_ROLLOUT;	/* not text */
	} else {
		r = check_program_partial(&a, &d, prog);
		print_names(r, (enum name_kind)kind);
		status = d.nerrors ? EXIT_ROLLOUT : 0;
	}
	diag_finish(&d);
	fclose(quiet);
	free(said);
	arena_free(&a);
	if (!output_flush_stdout())
		status = EXIT_USAGE;
	return status;
}

/* lsp: the Language Server (lsp.c), until the client says exit. */
static int
cmd_lsp(struct options *o, char **files, int nfiles)
{
	(void)files;
	(void)nfiles;	/* none: main saw to it */
	return lsp_serve(STDIN_FILENO, STDOUT_FILENO, o->import_root);
}

int
main(int argc, char **argv)
{
	struct options o = { 0 };
	const struct command *cmd;
	unsigned takes;
	int first, nfiles, status;

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
	    (o.noutputs && !(takes & (TAKES_OUTPUTS | REFUSES_OUTPUTS |
	    TAKES_JSON | TAKES_DIAGRAM))))
		usage_error("output options belong to %s",
		    command_list(TAKES_OUTPUTS | TAKES_SPLIT, true));
	if (!cmd)
		unknown_command(argv[first]);
	if ((o.only.n || o.with_needs || o.with_dependents || o.from_wave ||
	    o.clusters.n) && !(takes & TAKES_SELECT))
		usage_error("--only, --from-wave and --clusters belong to %s",
		    command_list(TAKES_SELECT, true));
	if (o.interactive && (takes & TAKES_INTERACTIVE) != TAKES_INTERACTIVE)
		usage_error("--interactive belongs to %s",
		    command_list(TAKES_INTERACTIVE, true));
	if (o.interactive && (o.only.n || o.with_needs || o.with_dependents ||
	    o.from_wave || o.clusters.n))
		usage_error("--interactive asks what --only, --from-wave and "
		    "--clusters tell: give one or the other");
	if ((o.state_file || o.state_dir) && !(takes & TAKES_STATE))
		usage_error("--state and --state-dir belong to %s",
		    command_list(TAKES_STATE, true));
	if ((o.diff_format || o.exit_code) && !(takes & TAKES_DIFF))
		usage_error("--format and --exit-code belong to %s",
		    command_list(TAKES_DIFF, true));
	if (o.only_file && !(takes & TAKES_FILE))
		usage_error("--file belongs to %s",
		    command_list(TAKES_FILE, true));
	if (o.detail && !(takes & TAKES_DETAIL))
		usage_error("--detail belongs to %s",
		    command_list(TAKES_DETAIL, true));
	if ((o.with_needs || o.with_dependents) && !o.only.n)
		usage_error("--with-needs and --with-dependents need --only");
	if ((o.list_commands || o.list_options) && !(takes & TAKES_NAMES))
		usage_error("--commands and --options belong to %s",
		    command_list(TAKES_NAMES, true));
	nfiles = argc - first - 1;
	if ((takes & TAKES_DIFF) && nfiles != 2)
		usage_error("%s takes two FILEs, OLD and NEW", cmd->name);
	if ((takes & TAKES_NO_FILE) && nfiles != 0)
		usage_error("%s takes no FILE: the editor names the files",
		    cmd->name);
	if (!(takes & (TAKES_NAMES | TAKES_DIFF | TAKES_NO_FILE)) &&
	    (cmd->many ? nfiles < 1 : nfiles != 1))
		usage_error("%s takes %s FILE", cmd->name,
		    cmd->many ? "at least one" : "one");
	status = cmd->run(&o, argv + first + 1, nfiles);
	vec_free(&o.only);
	vec_free(&o.clusters);
	return status;
}
