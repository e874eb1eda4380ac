/*
 * revision.c: a side of planner diff named REV:PATH, read from git.  When
 * no file REV:PATH exists and git knows REV, the directory of PATH at REV
 * (or that of --import-root, for imports above it) is written into a
 * temporary directory with 'git archive' and 'tar -x', so the rollout and
 * its imports load from there as from any directory.  git and tar run
 * through posix_spawnp, with no shell.  PATH is read as git reads it in
 * 'git show REV:PATH': from the top of the repository, or from the
 * current directory when it starts with ./ or ../.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "diff.h"

extern char **environ;

/* Runs argv; its standard output into out (NULL: /dev/null), its
 * standard error shown unless quiet.  Its exit status, or -1. */
static int
run(char *const argv[], struct buf *out, bool quiet)
{
	posix_spawn_file_actions_t fa;
	int fds[2] = { -1, -1 }, status, err;
	pid_t pid;
	char chunk[4096];
	ssize_t n;

	if (out && pipe(fds) != 0)
		return -1;
	posix_spawn_file_actions_init(&fa);
	if (out) {
		posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO);
		posix_spawn_file_actions_addclose(&fa, fds[0]);
		posix_spawn_file_actions_addclose(&fa, fds[1]);
	} else {
		posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO,
		    "/dev/null", O_WRONLY, 0);
	}
	if (quiet)
		posix_spawn_file_actions_addopen(&fa, STDERR_FILENO,
		    "/dev/null", O_WRONLY, 0);
	err = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (out)
		close(fds[1]);
	if (err) {
		if (out)
			close(fds[0]);
		return -1;
	}
	if (out) {
		while ((n = read(fds[0], chunk, sizeof(chunk))) != 0) {
			if (n > 0)
				buf_add(out, chunk, (size_t)n);
			else if (errno != EINTR)
				break;
		}
		close(fds[0]);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* git's one line of output, without its newline; NULL when it fails. */
static const char *
git_line(struct arena *a, char *const argv[])
{
	struct buf b = { 0 };
	const char *line = NULL;

	if (run(argv, &b, true) == 0) {
		while (b.len && b.data[b.len - 1] == '\n')
			b.len--;
		line = arena_strndup(a, b.len ? b.data : "", b.len);
	}
	buf_free(&b);
	return line;
}

/* path with its "." and ".." parts resolved, no leading or trailing '/';
 * NULL when it climbs above the top. */
static char *
normalize(struct arena *a, const char *path)
{
	char *out = arena_alloc(a, strlen(path) + 1), *o = out;
	const char *p = path;

	while (*p) {
		size_t n = strcspn(p, "/");

		if (n == 2 && p[0] == '.' && p[1] == '.') {
			if (o == out)
				return NULL;
			while (o > out && o[-1] != '/')
				o--;
			if (o > out)
				o--;
		} else if (n && !(n == 1 && p[0] == '.')) {
			if (o > out)
				*o++ = '/';
			memcpy(o, p, n);
			o += n;
		}
		p += n + (p[n] == '/');
	}
	*o = '\0';
	return out;
}

static const char *
dir_of(struct arena *a, const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? arena_strndup(a, path, (size_t)(slash - path)) : "";
}

/* The path of dir (in the working tree) from the top of the repository;
 * NULL when it is not inside it. */
static const char *
repo_relative(struct arena *a, const char *top, const char *dir)
{
	char real[PATH_MAX];
	size_t n = strlen(top);
	const char *rest;

	if (!realpath(dir, real) || strncmp(real, top, n) != 0 ||
	    (real[n] && real[n] != '/'))
		return NULL;
	rest = real + n + (real[n] == '/');
	return arena_strndup(a, rest, strlen(rest));
}

static bool
make_temp(struct revision *rev, struct arena *a)
{
	const char *tmp = getenv("TMPDIR");

	rev->dir = strdup(arena_printf(a, "%s/planner-diff-XXXXXX",
	    tmp && *tmp ? tmp : "/tmp"));
	if (!rev->dir)
		fatal("out of memory");
	if (mkdtemp(rev->dir))
		return true;
	free(rev->dir);
	rev->dir = NULL;
	return false;
}

int
revision_open(struct arena *a, const char *arg, const char *import_root,
    struct revision *rev)
{
	const char *colon = strchr(arg, ':'), *path, *dir, *top, *prefix;
	char *rv, *spec, *tar, *tree;
	struct stat st;

	memset(rev, 0, sizeof(*rev));
	/* a side that exists as a file is a file */
	if (!colon || colon == arg || !colon[1] || lstat(arg, &st) == 0)
		return 0;
	rv = arena_strndup(a, arg, (size_t)(colon - arg));
	{
		char *verify[] = { "git", "rev-parse", "--verify", "--quiet",
			arena_printf(a, "%s^{tree}", rv), NULL };
		char *tl[] = { "git", "rev-parse", "--show-toplevel", NULL };
		char *pf[] = { "git", "rev-parse", "--show-prefix", NULL };

		if (!git_line(a, verify) || !(top = git_line(a, tl)) ||
		    !(prefix = git_line(a, pf)))
			return 0;
	}
	path = colon + 1;
	if (strncmp(path, "./", 2) == 0 || strncmp(path, "../", 3) == 0)
		path = arena_printf(a, "%s%s", prefix, path);
	if (!(path = normalize(a, path)) || !*path) {
		say("'%s' names no file inside the repository", arg);
		return -1;
	}
	spec = arena_printf(a, "%s:%s", rv, path);
	{
		char *exists[] = { "git", "cat-file", "-e", spec, NULL };

		if (run(exists, NULL, true) != 0) {
			say("cannot read '%s': no such file, and git has no "
			    "'%s' at %s", arg, path, rv);
			return -1;
		}
	}
	dir = dir_of(a, path);
	if (import_root && !(dir = repo_relative(a, top, import_root))) {
		say("--import-root '%s' is not in the git repository of '%s'",
		    import_root, arg);
		return -1;
	}
	if (!make_temp(rev, a)) {
		say("cannot make a temporary directory for '%s': %s", arg,
		    strerror(errno));
		return -1;
	}
	tar = arena_printf(a, "%s/tree.tar", rev->dir);
	tree = arena_printf(a, "%s/tree", rev->dir);
	{
		/* the paths are the repository's, from its top */
		char *archive[] = { "git", "-C", (char *)top, "archive",
			"--format=tar", "-o", tar, rv, "--",
			*dir ? (char *)dir : ".", NULL };
		char *untar[] = { "tar", "-x", "-f", tar, "-C", tree, NULL };

		if (mkdir(tree, 0700) != 0 || run(archive, NULL, false) != 0 ||
		    run(untar, NULL, false) != 0) {
			say("cannot read '%s' from git", arg);
			revision_close(rev);
			return -1;
		}
	}
	unlink(tar);
	rev->path = arena_printf(a, "%s/%s", tree, path);
	if (import_root)
		rev->import_root = *dir ? arena_printf(a, "%s/%s", tree, dir) :
		    tree;
	return 1;
}

static int
remove_one(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)flag;
	(void)f;
	remove(path);
	return 0;
}

void
revision_close(struct revision *rev)
{
	if (rev->dir) {
		nftw(rev->dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
		free(rev->dir);
		rev->dir = NULL;
	}
}
