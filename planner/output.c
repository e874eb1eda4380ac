/*
 * output.c: the files a run writes, all or none of them (output.h says how
 * to call it).  A file is replaced by a temporary beside it, synced and
 * renamed into place only once every output was written; standard output,
 * devices and pipes cannot be renamed, so they are written from memory,
 * last but for the renames.  Signals and exits on the way remove the
 * temporaries.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"
#include "syntax.h"	/* struct program: the files of the rollout */
#include "output.h"

struct output {
	const char *path;	/* as named; "-" for standard output */
	const char *what;	/* "JSON plan"; NULL for output_add_buf's */
	bool (*write)(FILE *f, const void *arg, const char **why);
	const void *arg;
	const char *data;	/* output_add_buf's contents */
	size_t len;
	char *target;		/* the file to replace (symlinks resolved) */
	char *tmp;		/* the temporary file beside it, once written */
	bool direct;		/* standard output, a device or a pipe: written
				 * from memory once every output succeeded */
	char *mem;
	size_t memlen;
};

struct output_set {
	struct output outputs[OUTPUT_MAX];
	size_t noutputs;
};

/*
 * Temporary files, and the signals that end planner.  While a set is open,
 * SIGINT, SIGTERM, SIGHUP and SIGQUIT remove every temporary first (a
 * signal that was ignored, as under nohup, stays ignored), and so does an
 * exit on the way (fatal(), or a library's).  SIGPIPE and SIGXFSZ are
 * ignored for the whole run (output_init), so a closed pipe or a file too
 * large is a write error with status 2.  The signals are held while a
 * temporary is made and registered, while one is removed, and while the
 * outputs are renamed into place, so none is missed and the renames are
 * not cut short.
 */
static char *volatile temporaries[OUTPUT_MAX];
static const int fatal_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
#define NFATAL (sizeof(fatal_signals) / sizeof(fatal_signals[0]))
static struct sigaction saved_fatal[NFATAL];

/* Removes every registered temporary: at exit, or on a signal. */
static void
remove_temporaries(void)
{
	size_t i;

	for (i = 0; i < OUTPUT_MAX; i++)
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
	for (i = 0; i < OUTPUT_MAX && temporaries[i]; i++)
		;
	if (i == OUTPUT_MAX)
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
	for (i = 0; i < OUTPUT_MAX; i++)
		if (temporaries[i] == *tmp)
			temporaries[i] = NULL;
	if (remove)
		unlink(*tmp);
	release_signals(&held);
	free(*tmp);
	*tmp = NULL;
}

void
output_init(void)
{
	signal(SIGPIPE, SIG_IGN);
	signal(SIGXFSZ, SIG_IGN);
	atexit(remove_temporaries);
}

/* Where outputs go, and whether two meet. */

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
 * Decides how one output reaches its path: a regular file (or a new one)
 * is replaced through any symlink; a device or pipe is written to
 * directly.  A directory or a file of the rollout is refused now, so that
 * the renames at the end cannot fail half-way.
 */
static bool
check_one(struct output *out, const struct program *inputs)
{
	struct stat st;
	char real[PATH_MAX];

	out->direct = strcmp(out->path, "-") == 0;
	if (out->direct)
		return true;
	if (stat(out->path, &st) != 0) {
		/* a dangling symlink is written through too */
		errno = 0;
		out->target = link_target(out->path);
		if (!out->target && errno == ELOOP) {
			say("cannot write '%s': %s", out->path,
			    strerror(ELOOP));
			return false;
		}
		return true;
	}
	if (S_ISDIR(st.st_mode)) {
		say("cannot write '%s': is a directory", out->path);
		return false;
	}
	if (!S_ISREG(st.st_mode))
		out->direct = true;
	else if (realpath(out->path, real))
		out->target = strdup(real);
	if (out->target && is_input(inputs, out->target)) {
		say("will not write the %s over '%s': it is a file of the "
		    "rollout", out->what, out->path);
		return false;
	}
	return true;
}

bool
output_check(struct output_set *s, const struct program *inputs)
{
	size_t i, j;

	for (i = 0; i < s->noutputs; i++)
		if (!check_one(&s->outputs[i], inputs))
			return false;
	/* where each goes, symlinks followed: two must not meet */
	for (i = 0; i < s->noutputs; i++)
		for (j = 0; j < i; j++)
			if (same_place(place(&s->outputs[j]),
			    place(&s->outputs[i]))) {
				/* a mistake on the command line, said as one */
				say("'%s' is named as two outputs",
				    s->outputs[i].path);
				say_try_help();
				return false;
			}
	return true;
}

/* Writing, and putting in place. */

struct output_set *
output_begin(void)
{
	struct output_set *s = xmalloc(sizeof(*s));

	memset(s, 0, sizeof(*s));
	guard_begin();
	return s;
}

void
output_add(struct output_set *s, const char *path, const char *what,
    bool (*write)(FILE *f, const void *arg, const char **why),
    const void *arg)
{
	struct output *out;

	if (s->noutputs == OUTPUT_MAX)
		fatal("too many outputs");
	out = &s->outputs[s->noutputs++];
	out->path = path;
	out->what = what;
	out->write = write;
	out->arg = arg;
}

static bool
write_buf(FILE *f, const void *arg, const char **why)
{
	const struct output *out = arg;

	(void)why;	/* errno says it */
	return fwrite(out->data, 1, out->len, f) == out->len;
}

void
output_add_buf(struct output_set *s, const char *path, const char *data,
    size_t len)
{
	struct output *out;

	output_add(s, path, NULL, write_buf, NULL);
	out = &s->outputs[s->noutputs - 1];
	out->arg = out;
	out->data = data;
	out->len = len;
}

/* Writes one output into its temporary file or into memory. */
static bool
write_one(struct output *out)
{
	const char *dest = place(out);
	const char *why = NULL;
	struct stat st;
	FILE *f;
	bool ok;

	if (out->direct)
		f = open_memstream(&out->mem, &out->memlen);
	else if ((f = make_temporary(dest, &out->tmp)) && stat(dest, &st) == 0)
		/* a file replaced keeps its mode */
		fchmod(fileno(f), st.st_mode & 07777);
	if (!f) {
		say("cannot write '%s': %s", out->path, strerror(errno));
		return false;
	}
	errno = 0;
	ok = out->write(f, out->arg, &why);
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
	if (!ok && out->what)
		say("cannot write the %s to '%s': %s", out->what, out->path,
		    why ? why : "unknown error");
	else if (!ok)
		say("cannot write '%s': %s", out->path,
		    why ? why : "unknown error");
	return ok;
}

bool
output_write(struct output_set *s)
{
	size_t i;

	for (i = 0; i < s->noutputs; i++)
		if (!write_one(&s->outputs[i]))
			return false;
	return true;
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
		say("cannot write '%s': %s",
		    is_stdout ? "standard output" : out->path, strerror(errno));
	return ok;
}

/* Renames an output's temporary, if it has one, over its target. */
static bool
rename_into_place(struct output *out)
{
	if (out->tmp && rename(out->tmp, place(out)) != 0) {
		say("cannot write '%s': %s", out->path, strerror(errno));
		return false;
	}
	forget_temporary(&out->tmp, false);
	return true;
}

/*
 * Standard output and devices go first, as the likeliest to fail (a closed
 * pipe, a full disk) while nothing is in place yet; the readable plan thus
 * comes out before the files are renamed.
 */
bool
output_commit(struct output_set *s)
{
	sigset_t held;
	size_t i;
	bool ok = true;

	for (i = 0; i < s->noutputs && ok; i++)
		if (s->outputs[i].direct)
			ok = flush_direct(&s->outputs[i]);
	hold_signals(&held);
	for (i = 0; i < s->noutputs && ok; i++)
		ok = rename_into_place(&s->outputs[i]);
	release_signals(&held);
	output_abort(s);
	return ok;
}

void
output_abort(struct output_set *s)
{
	size_t i;

	for (i = 0; i < s->noutputs; i++) {
		struct output *out = &s->outputs[i];

		forget_temporary(&out->tmp, true);
		free(out->target);
		free(out->mem);
	}
	guard_end();
	free(s);
}

bool
output_make_dir(const char *dir)
{
	char *path = xmalloc(strlen(dir) + 1), *p;
	bool ok = true;

	strcpy(path, dir);
	for (p = path + 1; ; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char save = *p;

		*p = '\0';
		if (mkdir(path, 0777) != 0 && errno != EEXIST)
			ok = false;
		*p = save;
		if (!save || !ok)
			break;
	}
	free(path);
	return ok;
}
