/*
 * output.c: the files a run writes, all or none of them (output.h says how
 * to call it).  A file is replaced by a temporary beside it, synced and
 * renamed into place only once every output was written; standard output,
 * devices and pipes cannot be renamed, so they are written from memory,
 * before the renames; the report (the readable plan) comes after them.
 * Each file replaced is kept as a backup until every rename succeeded, so
 * that a rename that fails puts back the others.  Signals and exits on
 * the way remove the temporaries.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
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
	char *backup;		/* the file it replaces, kept under another
				 * name until every rename succeeded */
	bool backup_moved;	/* the backup is the file renamed, not a
				 * second link: its only name */
	bool replaced;		/* renamed into place */
	bool direct;		/* standard output, a device or a pipe: written
				 * from memory once every output succeeded */
	bool report;		/* output_add_report's: printed last */
	char *mem;
	size_t memlen;
};

struct output_set {
	struct output outputs[OUTPUT_SET_MAX];
	size_t noutputs;
};

/* Standard output was closed when planner started (output_init opened
 * /dev/null on it): writing to it is an error. */
static bool stdout_closed;

/*
 * Temporary files, and the signals that end planner.  While a set is open,
 * SIGINT, SIGTERM, SIGHUP and SIGQUIT remove every temporary first (a
 * signal that was ignored, as under nohup, stays ignored), and so does an
 * exit on the way (fatal(), or a library's).  SIGPIPE and SIGXFSZ are
 * ignored for the whole run (output_init), so a closed pipe or a file too
 * large is a write error with status 2.  The signals are held while a
 * temporary is made and registered, while one is removed, and while the
 * outputs are renamed into place, so none is missed and the renames are
 * not cut short.  The backups of the files replaced are temporaries too:
 * a signal once the renames are done leaves the new files.
 */
#define NTEMPORARIES (2 * OUTPUT_SET_MAX)
static char *volatile temporaries[NTEMPORARIES];
static const int fatal_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
#define NFATAL (sizeof(fatal_signals) / sizeof(fatal_signals[0]))
static struct sigaction saved_fatal[NFATAL];

/* Removes every registered temporary: at exit, or on a signal. */
static void
remove_temporaries(void)
{
	size_t i;

	for (i = 0; i < NTEMPORARIES; i++)
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
 * The name of a temporary (kind "tmp") or of a backup ("old") beside path,
 * for mkstemp: .NAME.planner-KIND-PID-XXXXXX, NAME cut to BASE_CUT bytes
 * so that the whole fits in a file name (255 bytes, a PID of 10 digits),
 * and a later run can tell whose it is and whether that process is gone.
 */
#define BASE_CUT 224
#define TEMP_INFIX ".planner-"

static char *
temp_name(const char *path, const char *kind)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	size_t blen = strlen(base);
	char *name;

	if (blen > BASE_CUT)
		blen = BASE_CUT;
	if (asprintf(&name, "%.*s.%.*s" TEMP_INFIX "%s-%ld-XXXXXX",
	    slash ? (int)(slash - path + 1) : 0, path, (int)blen, base, kind,
	    (long)getpid()) < 0)
		fatal("out of memory");
	return name;
}

/* Registers name as a temporary, which a signal or an exit removes; the
 * signals must be held. */
static void
register_temporary(char *name)
{
	size_t i;

	for (i = 0; i < NTEMPORARIES && temporaries[i]; i++)
		;
	if (i == NTEMPORARIES)
		fatal("too many temporary files");
	temporaries[i] = name;
}

/*
 * Makes a temporary file beside path, so the rename stays on one file
 * system, and registers it; NULL with errno set when it cannot.
 */
static FILE *
make_temporary(const char *path, char **tmp)
{
	char *name = temp_name(path, "tmp");
	mode_t mask;
	sigset_t held;
	FILE *f;
	int fd;

	hold_signals(&held);
	fd = mkstemp(name);
	if (fd >= 0)
		register_temporary(name);
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
	for (i = 0; i < NTEMPORARIES; i++)
		if (temporaries[i] == *tmp)
			temporaries[i] = NULL;
	if (remove)
		unlink(*tmp);
	release_signals(&held);
	free(*tmp);
	*tmp = NULL;
}

/*
 * The PID in name when it is a temporary or a backup of a file called base
 * (temp_name's form), with *old set for a backup; 0 when it is not one.
 */
static long
temporary_pid(const char *name, const char *base, bool *old)
{
	size_t blen = strlen(base), i;
	const char *p;
	char *end;
	long pid;

	if (blen > BASE_CUT)
		blen = BASE_CUT;
	if (name[0] != '.' || strncmp(name + 1, base, blen) != 0)
		return 0;
	p = name + 1 + blen;
	if (strncmp(p, TEMP_INFIX, strlen(TEMP_INFIX)) != 0)
		return 0;
	p += strlen(TEMP_INFIX);
	if (strncmp(p, "old-", 4) == 0)
		*old = true;
	else if (strncmp(p, "tmp-", 4) == 0)
		*old = false;
	else
		return 0;
	p += 4;
	if (*p < '1' || *p > '9')
		return 0;
	errno = 0;
	pid = strtol(p, &end, 10);
	if (errno || *end != '-' || pid <= 0 || pid > INT_MAX)
		return 0;
	for (i = 1; i <= 6; i++)
		if (!end[i] || end[i] == '/')
			return 0;
	return end[7] ? 0 : pid;
}

/*
 * Removes the temporaries that runs of planner ended by SIGKILL (or a
 * crash) left beside path: those of this user whose process is gone.  A
 * backup whose file is missing (the run died between moving the file
 * aside and renaming its new contents in) is put back instead.
 */
static void
clear_stale(const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	char *dir = slash ? strndup(path, (size_t)(slash - path + 1)) :
	    strdup(".");
	struct dirent *e;
	DIR *d;

	if (!dir || !*base || !(d = opendir(dir))) {
		free(dir);
		return;
	}
	while ((e = readdir(d))) {
		struct stat st;
		bool old;
		long pid = temporary_pid(e->d_name, base, &old);
		char *full;

		if (!pid || pid == (long)getpid() ||
		    kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue;
		if (asprintf(&full, "%s%s%s", dir, slash ? "" : "/",
		    e->d_name) < 0)
			fatal("out of memory");
		if (lstat(full, &st) == 0 && S_ISREG(st.st_mode) &&
		    st.st_uid == geteuid()) {
			struct stat target;

			if (old && lstat(path, &target) != 0 &&
			    errno == ENOENT)
				rename(full, path);
			else
				unlink(full);
		}
		free(full);
	}
	closedir(d);
	free(dir);
}

void
output_init(void)
{
	int fd;

	/* a file opened now must not become standard output or error */
	for (fd = 0; fd <= 2; fd++) {
		if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		if (open("/dev/null", fd ? O_WRONLY : O_RDONLY) != fd)
			exit(2);	/* nowhere to say it */
		if (fd == 1)
			stdout_closed = true;
	}
	signal(SIGPIPE, SIG_IGN);
	signal(SIGXFSZ, SIG_IGN);
	atexit(remove_temporaries);
	/* what is printed directly (--help, --version) fails, if it does,
	 * at output_flush_stdout, where errno still says why, and not in the
	 * middle of a printf past stdio's 4 KiB */
	if (!isatty(1))
		setvbuf(stdout, NULL, _IOFBF, 1 << 16);
}

bool
output_flush_stdout(void)
{
	int e = EBADF;

	if (!stdout_closed) {
		errno = 0;
		if (fflush(stdout) == 0 && !ferror(stdout))
			return true;
		e = errno ? errno : EIO;
	}
	say("cannot write 'standard output': %s", strerror(e));
	return false;
}

/* Where outputs go, and whether two meet. */

static bool
same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

bool
output_is_stdout(const char *path)
{
	struct stat a, b;

	if (strcmp(path, "-") == 0)
		return true;
	return !stdout_closed && *path && stat(path, &a) == 0 &&
	    fstat(STDOUT_FILENO, &b) == 0 && same_file(&a, &b);
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
	/* standard output is also /dev/stdout, /dev/fd/1, or the file it
	 * was sent to */
	if (strcmp(a, "-") == 0)
		return output_is_stdout(b);
	if (strcmp(b, "-") == 0)
		return output_is_stdout(a);
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

/* True when real (with st, the file's status) is a file of the rollout:
 * by its real path, or standard input when the rollout was read from it
 * and it is a file (planner plan - --json r.dsl < r.dsl). */
static bool
is_input(const struct program *prog, const char *real,
    const struct stat *st)
{
	struct stat in;
	size_t i;

	for (i = 0; prog && i < prog->nfiles; i++) {
		const char *r = prog->files[i]->real;

		if (r ? strcmp(r, real) == 0 :
		    fstat(STDIN_FILENO, &in) == 0 && S_ISREG(in.st_mode) &&
		    same_file(st, &in))
			return true;
	}
	return false;
}

/*
 * Whether the temporary of out can be made beside its target and renamed
 * over it: the directory exists and may be written, and a file of another
 * user is not in a sticky directory (as /tmp), where the kernel refuses
 * the rename.  Said when not.
 */
static bool
check_dir(const struct output *out)
{
	const char *dest = place(out);
	const char *slash = strrchr(dest, '/');
	char *dir = slash ? strndup(dest, (size_t)(slash - dest + 1)) :
	    strdup(".");
	const char *why = NULL;
	struct stat ds, st;

	if (!dir)
		fatal("out of memory");
	if (stat(dir, &ds) != 0)
		why = strerror(errno);
	else if (!S_ISDIR(ds.st_mode))
		why = strerror(ENOTDIR);
	else if (faccessat(AT_FDCWD, dir, W_OK | X_OK, AT_EACCESS) != 0)
		why = strerror(errno);
	else if ((ds.st_mode & S_ISVTX) && geteuid() != 0 &&
	    ds.st_uid != geteuid() && lstat(dest, &st) == 0 &&
	    st.st_uid != geteuid())
		why = "it belongs to another user and its directory is sticky";
	free(dir);
	if (why)
		say("cannot write '%s': %s", out->path, why);
	return !why;
}

/*
 * Decides how one output reaches its path: a regular file (or a new one)
 * is replaced through any symlink; a device or pipe is written to
 * directly.  What a rename would fail on, and a file of the rollout, are
 * refused now, so that the renames at the end do not fail half-way.
 */
static bool
check_one(struct output *out, const struct program *inputs)
{
	struct stat st;
	char real[PATH_MAX];

	out->direct = out->report || strcmp(out->path, "-") == 0;
	if (out->direct) {
		if (stdout_closed) {
			say("cannot write 'standard output': %s",
			    strerror(EBADF));
			return false;
		}
		return true;
	}
	if (!*out->path) {
		say("cannot write '': %s", strerror(ENOENT));
		return false;
	}
	if (stat(out->path, &st) != 0) {
		/* a dangling symlink is written through too */
		errno = 0;
		out->target = link_target(out->path);
		if (!out->target && errno == ELOOP) {
			say("cannot write '%s': %s", out->path,
			    strerror(ELOOP));
			return false;
		}
		return check_dir(out);
	}
	if (S_ISDIR(st.st_mode)) {
		say("cannot write '%s': is a directory", out->path);
		return false;
	}
	if (!S_ISREG(st.st_mode))
		out->direct = true;
	else if (realpath(out->path, real))
		out->target = strdup(real);
	if (out->target && is_input(inputs, out->target, &st)) {
		say("will not write the %s over '%s': it is a file of the "
		    "rollout", out->what ? out->what : "output", out->path);
		return false;
	}
	if (!out->direct && !check_dir(out))
		return false;
	if (out->direct && faccessat(AT_FDCWD, out->path, W_OK,
	    AT_EACCESS) != 0) {
		say("cannot write '%s': %s", out->path, strerror(errno));
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

	if (s->noutputs == OUTPUT_SET_MAX)
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
output_add_report(struct output_set *s, const char *what,
    bool (*write)(FILE *f, const void *arg, const char **why),
    const void *arg)
{
	output_add(s, "-", what, write, arg);
	s->outputs[s->noutputs - 1].report = true;
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

	if (!out->direct)
		clear_stale(dest);
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

/* Copies an output held in memory to standard output or its device.  A
 * reader that closed the report early is no failure. */
static bool
flush_direct(const struct output *out)
{
	bool is_stdout = strcmp(out->path, "-") == 0;
	FILE *f = is_stdout ? stdout : fopen(out->path, "w");
	bool ok = f != NULL;

	errno = 0;
	if (f) {
		ok = fwrite(out->mem, 1, out->memlen, f) == out->memlen;
		ok = (is_stdout ? fflush(f) : fclose(f)) == 0 && ok;
	}
	if (!ok && out->report && errno == EPIPE)
		return true;
	if (!ok)
		say("cannot write '%s': %s",
		    is_stdout ? "standard output" : out->path,
		    strerror(errno ? errno : EIO));
	return ok;
}

/*
 * Keeps the file at dest, which out replaces, under a backup name: a
 * second link, or where the file system has none (or refuses one to a
 * file of another user), the file itself moved aside.  The signals are
 * held.  False with errno set when it cannot.
 */
static bool
keep_backup(struct output *out, const char *dest)
{
	int tries, fd, err;

	for (tries = 0; tries < 100; tries++) {
		char *name = temp_name(dest, "old");

		if ((fd = mkstemp(name)) < 0) {
			free(name);
			return false;
		}
		close(fd);
		unlink(name);
		register_temporary(name);
		out->backup = name;
		if (link(dest, name) == 0)
			return true;
		if (errno != EEXIST && rename(dest, name) == 0) {
			out->backup_moved = true;
			return true;
		}
		err = errno;
		forget_temporary(&out->backup, false);
		if (err != EEXIST) {
			errno = err;
			return false;
		}
	}
	errno = EEXIST;
	return false;
}

/* Renames an output's temporary, if it has one, over its target, keeping
 * the file it replaces as a backup. */
static bool
rename_into_place(struct output *out)
{
	const char *dest = place(out);
	struct stat st;

	if (!out->tmp)
		return true;
	if (lstat(dest, &st) == 0 && !keep_backup(out, dest)) {
		say("cannot write '%s': cannot keep the file it replaces: %s",
		    out->path, strerror(errno));
		return false;
	}
	if (rename(out->tmp, dest) != 0) {
		say("cannot write '%s': %s", out->path, strerror(errno));
		return false;
	}
	out->replaced = true;
	forget_temporary(&out->tmp, false);
	return true;
}

/* Puts back the file out replaced (or removes the one it made where
 * there was none); the signals are held. */
static void
put_back(struct output *out)
{
	const char *dest = place(out);

	if (out->backup && (out->replaced || out->backup_moved)) {
		if (rename(out->backup, dest) != 0) {
			say("cannot put back '%s': %s; its old contents are "
			    "in '%s'", out->path, strerror(errno),
			    out->backup);
			forget_temporary(&out->backup, false);	/* kept */
		} else {
			forget_temporary(&out->backup, false);
		}
	} else if (out->replaced && unlink(dest) != 0) {
		say("cannot remove '%s': %s", out->path, strerror(errno));
	}
	out->replaced = false;
	out->backup_moved = false;
	/* a second link to a file not replaced goes with output_abort */
}

static void
put_back_all(struct output_set *s)
{
	sigset_t held;
	size_t i;

	hold_signals(&held);
	for (i = s->noutputs; i-- > 0; )
		put_back(&s->outputs[i]);
	release_signals(&held);
}

/*
 * Standard output and devices go first, as the likeliest to fail (a closed
 * pipe, a full disk) while nothing is in place yet; then the renames, each
 * file replaced kept until all succeeded, and put back if one fails; then
 * the report, once every output is in place (its failure puts them back
 * too, but for a reader that closed it early).
 */
bool
output_commit(struct output_set *s)
{
	sigset_t held;
	size_t i;
	bool ok = true;

	for (i = 0; i < s->noutputs && ok; i++)
		if (s->outputs[i].direct && !s->outputs[i].report)
			ok = flush_direct(&s->outputs[i]);
	hold_signals(&held);
	for (i = 0; i < s->noutputs && ok; i++)
		ok = rename_into_place(&s->outputs[i]);
	release_signals(&held);
	for (i = 0; i < s->noutputs && ok; i++)
		if (s->outputs[i].report)
			ok = flush_direct(&s->outputs[i]);
	if (!ok)
		put_back_all(s);
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
		forget_temporary(&out->backup, true);
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
