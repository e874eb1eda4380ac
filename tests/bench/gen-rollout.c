/*
 * gen-rollout.c: writes a synthetic rollout for the benchmark, and, with
 * --edges, the deploy edges the planner sorts, as `a b` lines for tsort.
 *
 * The rollout, for --services N --clusters C --groups G --waves W --needs K:
 *
 *   - clusters c001..cC (three digits, more when C > 999), cut into G
 *     groups g01..gG of consecutive clusters, sizes as even as can be
 *     (group g holds clusters [g*C/G, (g+1)*C/G));
 *   - W waves (default G + 1, or 1 when the first group has a single
 *     cluster): with W >= 2, wave `canary` holds c001 alone and waves
 *     w1..w(W-1) cover the groups in order, wave j taking groups
 *     [j*G/(W-1), (j+1)*G/(W-1)); with W = 1, wave w1 takes every group;
 *   - N services svc-00001.. (five digits, more when N > 99999).  Service 1
 *     runs in every group; each later one runs in every group with
 *     probability 3/4, else in each group with probability 1/2 (drawn again
 *     while empty).  So deploys = sum over services of the clusters of
 *     their groups, about 0.88 * N * C for G = 4 (the exact count is printed
 *     by --stats);
 *   - each service after the first needs k services, k uniform in 0..K:
 *     earlier ones (so there is no cycle) whose groups include all of its
 *     own (so every need runs in every cluster where it is needed, and the
 *     plan is valid whatever the waves).  A service draws at most 4k + 8
 *     candidates, so a rare one with few eligible services gets fewer.
 *
 * The edges file holds, cluster by cluster in declaration order and inside
 * a cluster service by service, the line `svc@c svc@c` for every deploy
 * (tsort reads a pair of equal names as a node with no edge, so isolated
 * deploys are sorted too) followed by `need@c svc@c` for each need.  These
 * are exactly the deploys and the in-cluster edges of the plan.
 *
 * Output is a function of the options alone: the generator has its own
 * PRNG (xorshift64*, seeded through splitmix64), never rand().
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_GROUPS 64

struct gen {
	long nservices, nclusters, ngroups, nwaves, maxneeds;
	uint64_t seed;
	uint64_t state;		/* the PRNG */
	const char *edges_path;
	bool stats;
	int swidth, cwidth;	/* digits in service and cluster names */
	long *group_start;	/* group g: clusters [start[g], start[g+1]) */
	uint64_t *groups;	/* service -> its groups, one bit each */
	long *needs;		/* service i's: needs[i*K .. i*K+nneeds) */
	long *nneeds;
	unsigned long long ndeploys, nedges;
};

static const char usage_text[] =
"usage: gen-rollout --services N --clusters C [--groups G] [--waves W]\n"
"                   [--needs K] [--seed S] [--edges FILE] [--stats]\n"
"\n"
"Writes a synthetic rollout to standard output: G groups of clusters\n"
"(default 4, at most C and 64), W waves (default G + 1: a canary cluster,\n"
"then one wave per group; 1 when the first group has a single cluster),\n"
"N services mostly in every group, each needing\n"
"up to K earlier services (default 4).  The same seed (default 1) gives the\n"
"same file.  --edges writes the deploy edges as 'a b' lines for tsort;\n"
"--stats prints the counts on standard error.\n";

/* Prints "gen-rollout: MESSAGE" on standard error and exits with status 2. */
static _Noreturn void
die(const char *fmt, ...)
{
	va_list ap;

	fputs("gen-rollout: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

/* Allocates n bytes, zeroed, or ends the program. */
static void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		die("out of memory");
	return p;
}

/* splitmix64: turns any seed, 0 included, into a good xorshift state. */
static uint64_t
splitmix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15u;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9u;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebu;
	return x ^ (x >> 31);
}

/* The next number of the xorshift64* generator. */
static uint64_t
next(struct gen *g)
{
	g->state ^= g->state >> 12;
	g->state ^= g->state << 25;
	g->state ^= g->state >> 27;
	return g->state * 0x2545f4914f6cdd1du;
}

/* A number in 0..n-1 (n > 0); the tiny modulo bias does not matter here. */
static uint64_t
below(struct gen *g, uint64_t n)
{
	return (next(g) >> 11) % n;
}

/* Parses a whole number in [lo, hi] for option name, or ends the program. */
static long
number(const char *name, const char *s, long lo, long hi)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi)
		die("--%s takes a whole number from %ld to %ld, not '%s'", name,
		    lo, hi, s);
	return v;
}

/* The number of decimal digits of n, at least min. */
static int
digits(long n, int min)
{
	int d = 1;

	while (n >= 10) {
		n /= 10;
		d++;
	}
	return d > min ? d : min;
}

/* Reads the options into g, or ends the program with a usage message. */
static void
parse_options(struct gen *g, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "services", required_argument, NULL, 'n' },
		{ "clusters", required_argument, NULL, 'c' },
		{ "groups", required_argument, NULL, 'g' },
		{ "waves", required_argument, NULL, 'w' },
		{ "needs", required_argument, NULL, 'k' },
		{ "seed", required_argument, NULL, 's' },
		{ "edges", required_argument, NULL, 'e' },
		{ "stats", no_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	g->ngroups = g->nwaves = -1;
	g->maxneeds = 4;
	g->seed = 1;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'n': g->nservices = number("services", optarg, 1,
		    9999999); break;
		case 'c': g->nclusters = number("clusters", optarg, 1, 99999);
			break;
		case 'g': g->ngroups = number("groups", optarg, 1, MAX_GROUPS);
			break;
		case 'w': g->nwaves = number("waves", optarg, 1,
		    MAX_GROUPS + 1); break;
		case 'k': g->maxneeds = number("needs", optarg, 0, 1000); break;
		case 's': g->seed = (uint64_t)number("seed", optarg, 0,
		    2147483647); break;
		case 'e': g->edges_path = optarg; break;
		case 'S': g->stats = true; break;
		case 'h': fputs(usage_text, stdout); exit(0);
		default: fputs(usage_text, stderr); exit(2);
		}
	}
	if (optind < argc)
		die("unexpected argument '%s'", argv[optind]);
	if (!g->nservices || !g->nclusters)
		die("--services and --clusters are required (try --help)");
}

/* Fills in the defaults that depend on other options and checks them. */
static void
settle(struct gen *g)
{
	if (g->ngroups < 0)
		g->ngroups = g->nclusters < 4 ? g->nclusters : 4;
	if (g->ngroups > g->nclusters)
		die("--groups %ld is more than the %ld clusters", g->ngroups,
		    g->nclusters);
	/* a canary needs a first group of two clusters or more, else its
	 * own wave would leave w1 empty */
	if (g->nwaves < 0)
		g->nwaves = g->nclusters / g->ngroups >= 2 ? g->ngroups + 1 : 1;
	if (g->nwaves > g->ngroups + 1)
		die("--waves %ld is more than a canary and one wave per group "
		    "(%ld)", g->nwaves, g->ngroups + 1);
	g->swidth = digits(g->nservices, 5);
	g->cwidth = digits(g->nclusters, 3);
	g->state = splitmix64(g->seed);
}

/* Cuts the clusters into groups and checks no wave is left empty. */
static void
make_groups(struct gen *g)
{
	long i, first_wave_groups;

	g->group_start = xcalloc((size_t)g->ngroups + 1, sizeof(long));
	for (i = 0; i <= g->ngroups; i++)
		g->group_start[i] = i * g->nclusters / g->ngroups;
	if (g->nwaves < 2)
		return;
	first_wave_groups = g->ngroups / (g->nwaves - 1);
	if (g->group_start[first_wave_groups] < 2)
		die("wave w1 would hold only the canary cluster c001: give "
		    "more clusters, or fewer groups or waves");
}

/* The groups of service i (bit g set: it runs in group g). */
static uint64_t
draw_groups(struct gen *g, long i)
{
	uint64_t all = g->ngroups == 64 ? ~(uint64_t)0 :
	    ((uint64_t)1 << g->ngroups) - 1, m;

	if (i == 0 || below(g, 4) != 0)
		return all;
	do
		m = next(g) & all;
	while (m == 0);
	return m;
}

/* Draws up to k needs of service i among earlier services whose groups
 * include all of i's. */
static void
draw_needs(struct gen *g, long i)
{
	long k = (long)below(g, (uint64_t)g->maxneeds + 1), tries, j, x;
	long *mine = &g->needs[i * g->maxneeds];
	uint64_t m = g->groups[i];

	for (tries = 4 * k + 8; tries > 0 && g->nneeds[i] < k; tries--) {
		j = (long)below(g, (uint64_t)i);
		if ((g->groups[j] & m) != m)
			continue;
		for (x = 0; x < g->nneeds[i] && mine[x] != j; x++)
			;
		if (x == g->nneeds[i])
			mine[g->nneeds[i]++] = j;
	}
}

/* Draws every service's groups and needs, and counts deploys and edges. */
static void
make_services(struct gen *g)
{
	long i, b;

	g->groups = xcalloc((size_t)g->nservices, sizeof(uint64_t));
	g->nneeds = xcalloc((size_t)g->nservices, sizeof(long));
	g->needs = xcalloc((size_t)g->nservices * (size_t)(g->maxneeds + 1),
	    sizeof(long));
	for (i = 0; i < g->nservices; i++) {
		unsigned long long clusters = 0;

		g->groups[i] = draw_groups(g, i);
		if (i > 0 && g->maxneeds > 0)
			draw_needs(g, i);
		for (b = 0; b < g->ngroups; b++)
			if (g->groups[i] >> b & 1)
				clusters += (unsigned long long)
				    (g->group_start[b + 1] - g->group_start[b]);
		g->ndeploys += clusters;
		g->nedges += clusters * (unsigned long long)g->nneeds[i];
	}
}

/* Writes the heading comment, the rollout and the groups. */
static void
write_rollout_head(struct gen *g, FILE *out)
{
	long i, c;

	fprintf(out, "# generated by: gen-rollout --services %ld --clusters %ld"
	    " --groups %ld --waves %ld --needs %ld --seed %" PRIu64 "\n",
	    g->nservices, g->nclusters, g->ngroups, g->nwaves, g->maxneeds,
	    g->seed);
	fprintf(out, "# %llu deploys, %llu edges between them\n\n",
	    g->ndeploys, g->nedges);
	fputs("rollout bench {\n  version \"1.0.0\"\n"
	    "  registry \"registry.example.com/bench\"\n  namespace argo\n"
	    "  notify \"#bench\"\n}\n\n", out);
	for (i = 0; i < g->ngroups; i++) {
		fprintf(out, "group g%02ld {", i + 1);
		for (c = g->group_start[i]; c < g->group_start[i + 1]; c++)
			fprintf(out, "%s c%0*ld", c > g->group_start[i] ? "," :
			    "", g->cwidth, c + 1);
		fputs(" }\n", out);
	}
	fputc('\n', out);
}

/* Writes one line per service: where it runs and what it needs. */
static void
write_services(struct gen *g, FILE *out)
{
	long i, b, j;

	for (i = 0; i < g->nservices; i++) {
		const char *sep = "";

		fprintf(out, "service svc-%0*ld { in", g->swidth, i + 1);
		for (b = 0; b < g->ngroups; b++)
			if (g->groups[i] >> b & 1) {
				fprintf(out, "%s g%02ld", sep, b + 1);
				sep = ",";
			}
		for (j = 0; j < g->nneeds[i]; j++)
			fprintf(out, "%s svc-%0*ld", j ? "," : "; needs",
			    g->swidth, g->needs[i * g->maxneeds + j] + 1);
		fputs(" }\n", out);
	}
}

/* Writes the canary (when there is one) and the waves over the groups. */
static void
write_waves(struct gen *g, FILE *out)
{
	long w, b, n = g->nwaves > 1 ? g->nwaves - 1 : 1;

	fputc('\n', out);
	if (g->nwaves > 1)
		fprintf(out, "wave canary { in c%0*d; parallel 1; soak 15m; "
		    "approve }\n", g->cwidth, 1);
	for (w = 0; w < n; w++) {
		fprintf(out, "wave w%ld { in", w + 1);
		for (b = w * g->ngroups / n; b < (w + 1) * g->ngroups / n; b++)
			fprintf(out, "%s g%02ld", b > w * g->ngroups / n ?
			    "," : "", b + 1);
		fprintf(out, "; parallel 4; soak 10m%s }\n",
		    w + 1 == n ? "; on-failure continue" : "");
	}
}

/* True when service i runs in cluster c. */
static bool
runs_in(const struct gen *g, long i, long c)
{
	long b;

	for (b = 0; g->group_start[b + 1] <= c; b++)
		;
	return g->groups[i] >> b & 1;
}

/* Writes every deploy as a self-pair and every in-cluster need as a pair,
 * cluster by cluster, for tsort. */
static void
write_edges(struct gen *g, FILE *out)
{
	long c, i, j, width = g->swidth, cw = g->cwidth;

	for (c = 0; c < g->nclusters; c++)
		for (i = 0; i < g->nservices; i++) {
			if (!runs_in(g, i, c))
				continue;
			fprintf(out, "svc-%0*ld@c%0*ld svc-%0*ld@c%0*ld\n",
			    (int)width, i + 1, (int)cw, c + 1, (int)width,
			    i + 1, (int)cw, c + 1);
			for (j = 0; j < g->nneeds[i]; j++)
				fprintf(out, "svc-%0*ld@c%0*ld "
				    "svc-%0*ld@c%0*ld\n", (int)width,
				    g->needs[i * g->maxneeds + j] + 1, (int)cw,
				    c + 1, (int)width, i + 1, (int)cw, c + 1);
		}
}

/* Closes a stream, ending the program when anything failed to be written. */
static void
finish(FILE *f, const char *name)
{
	bool bad = ferror(f) != 0;

	if (fclose(f) != 0 || bad)
		die("cannot write %s: %s", name, strerror(errno));
}

int
main(int argc, char **argv)
{
	struct gen g = { 0 };

	parse_options(&g, argc, argv);
	settle(&g);
	make_groups(&g);
	make_services(&g);
	write_rollout_head(&g, stdout);
	write_services(&g, stdout);
	write_waves(&g, stdout);
	finish(stdout, "standard output");
	if (g.edges_path) {
		FILE *f = fopen(g.edges_path, "w");

		if (!f)
			die("cannot write '%s': %s", g.edges_path,
			    strerror(errno));
		write_edges(&g, f);
		finish(f, g.edges_path);
	}
	if (g.stats)
		fprintf(stderr, "services=%ld clusters=%ld groups=%ld "
		    "waves=%ld deploys=%llu edges=%llu\n", g.nservices,
		    g.nclusters, g.ngroups, g.nwaves, g.ndeploys, g.nedges);
	free(g.group_start);
	free(g.groups);
	free(g.needs);
	free(g.nneeds);
	return 0;
}
