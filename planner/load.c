/*
 * load.c: reads the file named on the command line and every file it
 * imports, each once, and parses them.  Import paths are relative to the
 * importing file (to the current directory when the root is standard
 * input).  A file is known by its device and inode, so two routes to one
 * file read it once and import cycles end by themselves.
 *
 * Imports are followed with an explicit stack, not recursion, so a chain
 * of imports as deep as MAX_IMPORT_DEPTH needs no C stack.  What is read
 * is bounded by the limits in syntax.h: bytes per file and in all, files,
 * nesting.
 *
 * The rollout may be hostile (a pull request checked in CI, its log
 * public), so an import reads nothing but rollouts: it stays under the
 * import root (the real directory of FILE, or --import-root DIR); /proc,
 * /sys and /dev are never read; and a file that is not UTF-8 text, or does
 * not start like rollout source, is refused by its path alone, none of its
 * bytes in a diagnostic.  Which files exist outside the root is not told
 * either: a missing file there is "outside", as an existing one is.
 *
 * Each import is opened from a descriptor of its importer's real directory
 * (openat) and its real path read back from the descriptor, so an import
 * costs the length of its own path string, not the depth of the
 * directories it is in: realpath walked each whole path once per
 * component, and a chain of imports 1,600 directories deep took minutes.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "syntax.h"

/* A file whose imports are being read. */
struct frame {
	struct file *file;
	const char *dir;	/* the real path of its directory (as given
				 * when it cannot be resolved): its imports'
				 * base */
	int dirfd;		/* dir, opened O_PATH; -1 until an import
				 * needs it, and once its imports are read */
	bool exact;		/* the directory of the file's shown path, as
				 * written, is dir: an import's shown path
				 * needs no check unless it has ".." */
	size_t next;		/* the next of its declarations to look at */
	size_t end;		/* just past its last import */
};

/* Directory descriptors frames may hold at once; past it the deepest in
 * the stack (resumed last) are closed, and opened again if needed. */
#define MAX_OPEN_DIRS 64

struct loader {
	struct arena *arena;
	struct diag *diag;
	const char *root;	/* the real path imports stay under */
	const char *root_given;	/* --import-root as given, or NULL */
	struct map seen;	/* "device:inode" -> struct file */
	struct map refused;	/* "device:inode" -> why it was not read */
	struct vec files;
	size_t total;		/* bytes read, in all files */
	struct frame *stack;	/* MAX_IMPORT_DEPTH + 1 frames */
	size_t depth;
	size_t open_dirs;	/* frames' descriptors open */
};

/* Why a file of this kind is not read; NULL for a regular file. */
static const char *
not_a_file(mode_t mode, bool pipes_too)
{
	if (S_ISREG(mode))
		return NULL;
	if (S_ISDIR(mode))
		return "is a directory";
	if (S_ISFIFO(mode) || S_ISSOCK(mode))
		return pipes_too ? NULL : "is a pipe, not a file";
	if (S_ISCHR(mode) || S_ISBLK(mode))
		return "is a device, not a file";
	return "is not a regular file";
}

static const char too_big[] = "is larger than " MAX_FILE_SIZE_TEXT
    " (the limit for one file)";

/* Reads all of fd, at most MAX_FILE_SIZE bytes, into b. */
static const char *
read_all(int fd, struct buf *b)
{
	char chunk[65536];

	for (;;) {
		ssize_t n = read(fd, chunk, sizeof(chunk));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return strerror(errno);
		if (n == 0)
			return NULL;
		if (b->len + (size_t)n > MAX_FILE_SIZE)
			return too_big;
		buf_add(b, chunk, (size_t)n);
	}
}

struct source *
source_read(struct arena *a, const char *path, const char *shown,
    bool imported, const char **why)
{
	struct buf b = { 0 };
	struct stat st;
	struct source *s;
	int fd;

	if (strcmp(path, "-") == 0) {
		fd = STDIN_FILENO;
	} else {
		/* O_NONBLOCK: opening a FIFO an import names must not wait
		 * for a writer; it is refused below. */
		fd = open(path, O_RDONLY | O_CLOEXEC |
		    (imported ? O_NONBLOCK : 0));
		if (fd < 0) {
			*why = strerror(errno);
			return NULL;
		}
		/* A device such as /dev/zero would never end.  The root may
		 * be a pipe, as with planner plan <(generate). */
		if (fstat(fd, &st) < 0)
			*why = strerror(errno);
		else
			*why = not_a_file(st.st_mode, !imported);
		if (!*why && imported &&
		    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) < 0)
			*why = strerror(errno);
		if (*why) {
			close(fd);
			return NULL;
		}
	}
	*why = read_all(fd, &b);
	if (fd != STDIN_FILENO)
		close(fd);
	if (*why) {
		buf_free(&b);
		return NULL;
	}
	s = source_new(a, shown, arena_strndup(a, b.data ? b.data : "", b.len),
	    b.len);
	buf_free(&b);
	return s;
}

const char *
source_find_binary(const struct source *s, struct loc *at,
    char what[BINARY_WHAT])
{
	const unsigned char *text = (const unsigned char *)s->text;
	size_t i = 0, line_start = 0;
	int line = 1;

	while (i < s->len) {
		size_t n = utf8_char_length(text + i, s->len - i);

		if (n == 0 || text[i] == 0) {
			at->src = (struct source *)s;
			at->line = line;
			at->col = (int)(i - line_start) + 1;
			at->len = 1;
			if (text[i] == 0)
				snprintf(what, BINARY_WHAT, "a NUL byte");
			else
				snprintf(what, BINARY_WHAT, "invalid UTF-8 "
				    "(byte 0x%02x)", text[i]);
			return what;
		}
		if (text[i] == '\n') {
			line++;
			line_start = i + 1;
		}
		i += n;
	}
	return NULL;
}

bool
report_binary(struct diag *d, const struct source *s)
{
	char what[BINARY_WHAT];
	struct loc at;

	if (!source_find_binary(s, &at, what))
		return false;
	diag_error(d, at, "%s: a rollout is UTF-8 text", what);
	if (strstr(what, "NUL"))
		diag_help(d, "is it a binary file?");
	else
		diag_help(d, "convert it, with iconv -f LATIN1 -t UTF-8 say");
	return true;
}

/* True when path names a component ".." (past a component that is not
 * ".." too, when after_name). */
static bool
has_dotdot(const char *path, bool after_name)
{
	const char *p = path;
	bool named = false;

	while (*p) {
		size_t n = strcspn(p, "/");

		if (n == 2 && p[0] == '.' && p[1] == '.') {
			if (!after_name || named)
				return true;
		} else if (n > 0 && !(n == 1 && p[0] == '.')) {
			named = true;
		}
		p += n;
		p += *p == '/';
	}
	return false;
}

/*
 * A path with "dir/.." collapsed as the shell's cd does, "." and empty
 * components dropped; a leading ".." stays.  On the heap: free it.
 */
static char *
collapse(const char *joined)
{
	size_t len = strlen(joined), n = 0, *starts, nseg = 0;
	char *out = xmalloc(len + 2), *seg = xmalloc(len + 1), *save = NULL;
	bool absolute = joined[0] == '/';
	char *s;

	starts = xmalloc_array(len / 2 + 2, sizeof(*starts));
	memcpy(seg, joined, len + 1);
	if (absolute)
		out[n++] = '/';
	for (s = strtok_r(seg, "/", &save); s; s = strtok_r(NULL, "/", &save)) {
		if (strcmp(s, ".") == 0)
			continue;
		if (strcmp(s, "..") == 0 && nseg > 0 &&
		    strcmp(out + starts[nseg - 1], "..") != 0) {
			n = starts[--nseg];
			out[n] = '\0';
			continue;
		}
		if (n > 0 && out[n - 1] != '/')
			out[n++] = '/';
		starts[nseg++] = n;
		strcpy(out + n, s);
		n += strlen(s);
	}
	free(starts);
	free(seg);
	if (n > 1 && out[n - 1] == '/')
		n--;
	if (n == 0)
		out[n++] = absolute ? '/' : '.';
	out[n] = '\0';
	return out;
}

/* dir/name on the heap (name alone when it is absolute): free it. */
static char *
join(const char *dir, const char *name)
{
	size_t nd = strlen(dir), nn = strlen(name);
	char *out = xmalloc(nd + nn + 2);

	if (name[0] == '/') {
		memcpy(out, name, nn + 1);
	} else {
		memcpy(out, dir, nd);
		out[nd] = '/';
		memcpy(out + nd + 1, name, nn + 1);
	}
	return out;
}

/*
 * The path an import is shown by: beside the importing file (the current
 * directory when that is standard input), with "dir/.." collapsed, so
 * that a chain of "../next/f.dsl" imports stays short.
 */
static const char *
import_path(struct arena *a, const char *importer, const char *path)
{
	const char *slash = strrchr(importer, '/');
	char *joined, *out;
	const char *shown;

	if (path[0] == '/' || !slash || strcmp(importer, "<stdin>") == 0) {
		out = collapse(path);
	} else {
		joined = xmalloc((size_t)(slash - importer) + strlen(path) + 2);
		memcpy(joined, importer, (size_t)(slash - importer + 1));
		strcpy(joined + (slash - importer + 1), path);
		out = collapse(joined);
		free(joined);
	}
	shown = arena_strndup(a, out, strlen(out));
	free(out);
	return shown;
}

/* True when path is base or under it, component by component. */
static bool
path_under(const char *path, const char *base)
{
	size_t n = strlen(base);

	if (n == 1 && base[0] == '/')
		return path[0] == '/';
	return strncmp(path, base, n) == 0 &&
	    (path[n] == '\0' || path[n] == '/');
}

/* True for a path in /proc, /sys or /dev: what the kernel makes up (a
 * process's environment and memory, descriptors that lead anywhere) and
 * devices, none of them a rollout. */
static bool
in_kernel_dirs(const char *path)
{
	return path_under(path, "/proc") || path_under(path, "/sys") ||
	    path_under(path, "/dev");
}

static const char kernel_dirs[] = "planner never reads /proc, /sys or /dev";
static const char outside_dir[] = "it is outside the rollout's directory";
static const char outside_root[] = "it is outside the import root";

/* Why a file of this real path is not read, or NULL: in /proc, /sys or
 * /dev (or not in the file system at all: a pipe behind /dev/fd/N), or
 * outside the import root. */
static const char *
confined(const struct loader *l, const char *real)
{
	if (real[0] != '/' || in_kernel_dirs(real))
		return kernel_dirs;
	if (!path_under(real, l->root))
		return l->root_given ? outside_root : outside_dir;
	return NULL;
}

/* Reports why an import is not read; the first time, a help line says
 * where imports may be. */
static void
refuse(struct loader *l, struct decl *d, const char *path, const char *why,
    bool first)
{
	diag_error(l->diag, d->name.loc, "cannot import '%s': %s", path, why);
	if (first && why == outside_root)
		diag_help(l->diag, "imports stay under '%s' (--import-root)",
		    l->root_given);
	else if (first && why == outside_dir)
		diag_help(l->diag, "imports stay under the directory of the "
		    "file named on the command line; --import-root DIR "
		    "widens that");
}

/*
 * The real path of what fd (opened O_PATH) is, as the kernel keeps it
 * (/proc/self/fd), which costs no walk of the path again; else, where
 * /proc is not mounted, realpath of dir/name (unless dir is NULL).  False,
 * errno set, when neither gives one.
 */
static bool
fd_real(int fd, const char *dir, const char *name, char real[PATH_MAX])
{
	char link[32], *path;
	ssize_t n;
	bool ok;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, real, PATH_MAX - 1);
	if (n > 0 && n < PATH_MAX - 1) {
		real[n] = '\0';
		return true;
	}
	if (!dir)
		return false;
	path = join(dir, name);
	ok = realpath(path, real) != NULL;
	free(path);
	return ok;
}

static void
release_dir(struct loader *l, struct frame *f)
{
	if (f->dirfd >= 0) {
		close(f->dirfd);
		f->dirfd = -1;
		l->open_dirs--;
	}
}

/* Counts a frame's descriptor just opened; past MAX_OPEN_DIRS, closes
 * those of the frames deepest in the stack, down to half of it. */
static void
hold_dir(struct loader *l)
{
	size_t i;

	if (++l->open_dirs <= MAX_OPEN_DIRS)
		return;
	for (i = 0; i < l->depth && l->open_dirs > MAX_OPEN_DIRS / 2; i++)
		release_dir(l, &l->stack[i]);
}

/* A descriptor of f's directory, opened again when it was closed; -1 when
 * it cannot be (imports are then looked for by dir/name). */
static int
frame_dir(struct loader *l, struct frame *f)
{
	if (f->dirfd < 0 &&
	    (f->dirfd = open(f->dir, O_PATH | O_DIRECTORY | O_CLOEXEC)) >= 0)
		hold_dir(l);
	return f->dirfd;
}

/* Just past the last import of a file. */
static size_t
imports_end(const struct file *f)
{
	size_t i = f->ndecls;

	while (i > 0 && f->decls[i - 1]->kind != DECL_IMPORT)
		i--;
	return i;
}

/* Parses a source that was read (known by key, "device:inode", and its
 * real path), and puts it on the stack of files whose imports are to be
 * read; its directory is the caller's to set. */
static struct frame *
add_file(struct loader *l, struct source *src, const char *key,
    const char *real, bool imported)
{
	struct file *f = parse_source(l->arena, l->diag, src);
	struct frame *fr = &l->stack[l->depth++];

	f->imported = imported;
	f->real = real;
	if (key)
		map_put(&l->seen, key, f);
	vec_push(&l->files, f);
	fr->file = f;
	fr->dir = ".";
	fr->dirfd = -1;
	fr->exact = false;
	fr->next = 0;
	fr->end = imports_end(f);
	return fr;
}

/* True when one more file may be read at this depth; else says why. */
static bool
within_limits(struct loader *l, struct decl *d, const char *path)
{
	if (l->depth > MAX_IMPORT_DEPTH) {
		diag_error(l->diag, d->name.loc, "cannot import '%s': imports "
		    "nest more than %d deep", path, MAX_IMPORT_DEPTH);
		diag_help(l->diag, "is a generator importing in a loop?");
		return false;
	}
	if (l->files.n >= MAX_FILES) {
		diag_error(l->diag, d->name.loc, "cannot import '%s': the "
		    "rollout already has %d files, the limit", path, MAX_FILES);
		return false;
	}
	return true;
}

/*
 * True when text starts like rollout source: after blank lines and
 * comments (and a byte order mark), a declaration keyword as the scanner
 * reads one, or nothing at all.  A private key, an environment or a
 * configuration file does not, and none of its lines is then quoted.
 */
static bool
starts_like_rollout(const char *s, size_t n)
{
	static const char ends_word[] = " \t\r\n#\"{},;";
	size_t i = 0, k, w;

	if (n >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	for (;;) {
		while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' ||
		    s[i] == '\n'))
			i++;
		if (i == n || s[i] != '#')
			break;
		while (i < n && s[i] != '\n')
			i++;
	}
	if (i == n)
		return true;
	for (k = 0; k < NDECLS; k++) {
		w = strlen(decl_words[k]);
		if (n - i >= w && memcmp(s + i, decl_words[k], w) == 0 &&
		    (i + w == n || memchr(ends_word, s[i + w],
		    sizeof(ends_word) - 1)))
			return true;
	}
	return false;
}

/*
 * Reads the file an import resolved to (st, from base and name): its kind
 * and size first, then its text, checked to be rollout source; NULL and
 * *why (for the next import of it) when it is not.  Nothing of a file
 * refused reaches a diagnostic: only its path and why.
 */
static struct source *
read_import(struct loader *l, struct decl *d, const char *path,
    const struct stat *st, int base, const char *name, const char **why)
{
	static const char too_much[] = "the rollout's files would pass "
	    MAX_TOTAL_SIZE_TEXT " in all (the limit)";
	static const char not_text[] = "it is not UTF-8 text";
	static const char not_source[] = "it does not start like rollout "
	    "source";
	struct buf b = { 0 };
	struct stat again;
	struct source tmp = { 0 };
	char what[BINARY_WHAT];
	struct loc bad;
	int rfd;

	/* kind and size first, from the descriptor that was resolved, so
	 * that nothing too big, and no device, is even opened */
	if ((*why = not_a_file(st->st_mode, false)))
		;
	else if ((size_t)st->st_size > MAX_FILE_SIZE)
		*why = too_big;
	else if (l->total + (size_t)st->st_size > MAX_TOTAL_SIZE)
		*why = too_much;
	if (!*why) {
		/* O_NONBLOCK: a file swapped for a FIFO since must not
		 * wait for a writer; and it must be the file resolved */
		rfd = openat(base, name, O_RDONLY | O_NONBLOCK | O_CLOEXEC |
		    O_NOCTTY);
		if (rfd < 0 || fstat(rfd, &again) < 0)
			*why = strerror(errno);
		else if (again.st_dev != st->st_dev ||
		    again.st_ino != st->st_ino)
			*why = "it changed while it was read";
		else if (fcntl(rfd, F_SETFL, fcntl(rfd, F_GETFL) &
		    ~O_NONBLOCK) < 0)
			*why = strerror(errno);
		else
			*why = read_all(rfd, &b);
		if (rfd >= 0)
			close(rfd);
		if (!*why && l->total + b.len > MAX_TOTAL_SIZE)
			*why = too_much;
	}
	if (!*why) {
		tmp.path = path;
		tmp.text = b.data ? b.data : "";
		tmp.len = b.len;
		if (source_find_binary(&tmp, &bad, what))
			*why = not_text;
		else if (!starts_like_rollout(tmp.text, tmp.len))
			*why = not_source;
	}
	if (*why) {
		buf_free(&b);
		diag_error(l->diag, d->name.loc, "cannot import '%s': %s",
		    path, *why);
		if (*why == not_text)
			diag_help(l->diag, "a file that is not rollout source is "
			    "not quoted; 'planner check %s' shows where", path);
		else if (*why == not_source)
			diag_help(l->diag, "after comments and blank lines, a "
			    "rollout file starts with %s", word_list(l->arena,
			    decl_words, NDECLS, (1u << NDECLS) - 1));
		return NULL;
	}
	l->total += b.len;
	tmp.text = arena_strndup(l->arena, tmp.text, b.len);
	buf_free(&b);
	return source_new(l->arena, path, tmp.text, tmp.len);
}

/* Opens the longest leading part of path, from start, that is a
 * directory ("." or "/" at least); *rest is where the part left starts. */
static int
open_prefix(int start, const char *path, size_t *rest)
{
	size_t len = strlen(path), cut = len, e;
	char *p = xmalloc(len + 2);
	int fd;

	memcpy(p, path, len + 1);
	for (;;) {
		while (cut > 0 && p[cut - 1] != '/')
			cut--;
		for (e = cut; e > 1 && p[e - 1] == '/'; e--)
			;
		if (e == 0 || (e == 1 && p[0] == '/')) {
			fd = openat(start, e ? "/" : ".", O_PATH | O_DIRECTORY |
			    O_CLOEXEC);
			*rest = e;
			break;
		}
		p[e] = '\0';
		if ((fd = openat(start, p, O_PATH | O_DIRECTORY |
		    O_CLOEXEC)) >= 0) {
			*rest = cut;
			break;
		}
		cut = e;
	}
	free(p);
	return fd;
}

/*
 * Why an import that could not be opened is not read: errno's reason,
 * unless the nearest directory on its way that exists is outside the root
 * (or in /proc, /sys, /dev), so that a hostile rollout cannot tell which
 * files exist there.  A dangling symlink on the way is followed as the
 * kernel would have, 40 at most.
 */
static const char *
unopened_why(struct loader *l, int base, const char *name, int err)
{
	char real[PATH_MAX], target[PATH_MAX], *cur, *next;
	const char *why = NULL, *after;
	int hops, fd, start = base;
	size_t rest, n;
	ssize_t tn;
	struct stat st;

	cur = join(".", name);
	for (hops = 0; hops < 40; hops++) {
		if ((fd = open_prefix(start, cur, &rest)) < 0)
			break;
		if (!fd_real(fd, NULL, NULL, real)) {
			close(fd);
			break;
		}
		if ((why = confined(l, real))) {
			close(fd);
			break;
		}
		/* the first component left: a symlink to nothing? */
		after = cur + rest + strcspn(cur + rest, "/");
		n = (size_t)(after - (cur + rest));
		next = xmalloc(n + 1);
		memcpy(next, cur + rest, n);
		next[n] = '\0';
		tn = n == 0 || fstatat(fd, next, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
		    !S_ISLNK(st.st_mode) ? -1 :
		    readlinkat(fd, next, target, sizeof(target) - 1);
		free(next);
		if (tn <= 0) {
			close(fd);
			break;
		}
		target[tn] = '\0';
		after += strspn(after, "/");
		next = join(target, *after ? after : ".");
		free(cur);
		cur = next;
		if (start != base)
			close(start);
		start = fd;
	}
	if (start != base)
		close(start);
	free(cur);
	return why ? why : strerror(err);
}

/*
 * The path an import is shown by when its directory or its ".." may make
 * the collapsed path name another file than the one opened: that path
 * when it names the same real path, else the real path.
 */
static const char *
shown_path(struct loader *l, const char *path, const char *real)
{
	char shown_real[PATH_MAX];
	int fd = open(path, O_PATH | O_CLOEXEC);
	bool same = fd >= 0 && fd_real(fd, ".", path, shown_real) &&
	    strcmp(real, shown_real) == 0;

	if (fd >= 0)
		close(fd);
	return same ? path : arena_strndup(l->arena, real, strlen(real));
}

/*
 * Opens (O_PATH) a plain import: a relative path with no "..", through no
 * symlink, component by component from base (the importer's directory,
 * dir), each step one lookup.  Its real path is then dir joined to it,
 * with no walk of the whole path: reading it back from /proc/self/fd costs
 * the depth of the directories.  -1 when the path is not plain, or a
 * component is missing (the caller then opens it as the kernel would, and
 * says why not).  *dirfd is then a descriptor of the file's directory:
 * base itself when the path has a single component.
 */
static int
open_plain(int base, const char *dir, const char *name, char real[PATH_MAX],
    int *dirfd)
{
	size_t n = strlen(dir), len;
	const char *p = name;
	char comp[NAME_MAX + 1];
	int cur = base, next = -1;
	struct stat st;

	if (base < 0 || dir[0] != '/' || name[0] == '/' || !name[0] ||
	    name[strlen(name) - 1] == '/' || has_dotdot(name, false) ||
	    n >= PATH_MAX)
		return -1;
	memcpy(real, dir, n);
	while (*p) {
		len = strcspn(p, "/");
		if (len == 0 || (len == 1 && p[0] == '.')) {
			p += len + 1;
			continue;
		}
		if (len > NAME_MAX || n + 1 + len >= PATH_MAX || next >= 0)
			goto fail;
		memcpy(comp, p, len);
		comp[len] = '\0';
		next = openat(cur, comp, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		if (next < 0 || fstat(next, &st) < 0 || S_ISLNK(st.st_mode))
			goto fail;
		if (n > 1)
			real[n++] = '/';
		memcpy(real + n, comp, len);
		n += len;
		p += len;
		p += *p == '/';
		if (*p && strspn(p, "./") < strlen(p)) {
			/* a directory on the way: the next base */
			if (!S_ISDIR(st.st_mode))
				goto fail;
			if (cur != base)
				close(cur);
			cur = next;
			next = -1;
		}
	}
	if (next < 0)
		goto fail;
	real[n] = '\0';
	*dirfd = cur;
	return next;
fail:
	if (next >= 0)
		close(next);
	if (cur != base)
		close(cur);
	return -1;
}

/*
 * Sets the directory of a file an import just read (base and name, real
 * path real): the real path of the directory its name puts it in (a
 * symlink to the file itself is not followed for this: its imports are
 * beside the link), and a descriptor of it when it has imports.  A plain
 * import (open_plain) gives both: its directory's real path is that of
 * the file, less its name, and plain_dir (base, or a descriptor it owns).
 */
static void
set_dir(struct loader *l, struct frame *child, const struct frame *importer,
    int base, const char *name, const char *real, int plain_dir)
{
	const char *slash = strrchr(name, '/'), *last;
	char dir[PATH_MAX], *rel = NULL;
	struct stat st;
	int fd = -1;
	bool link;

	if (plain_dir >= 0 && plain_dir != base) {
		fd = plain_dir;
		link = false;
	} else if (plain_dir >= 0 || !slash) {
		/* beside its importer */
		child->dir = importer->dir;
		if (child->end > 0 && base >= 0 &&
		    (child->dirfd = fcntl(base, F_DUPFD_CLOEXEC, 0)) >= 0)
			hold_dir(l);
		return;
	} else {
		rel = xmalloc((size_t)(slash - name) + 2);
		memcpy(rel, name, (size_t)(slash - name) + (slash == name));
		rel[(slash - name) + (slash == name)] = '\0';
		link = fstatat(base, name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
		    S_ISLNK(st.st_mode);
		if (link || child->end > 0)
			fd = openat(base, rel, O_PATH | O_DIRECTORY | O_CLOEXEC);
	}
	if (!link) {
		last = strrchr(real, '/');
		child->dir = last == real ? "/" :
		    arena_strndup(l->arena, real, (size_t)(last - real));
	} else if (fd >= 0 && fd_real(fd, importer->dir, rel, dir)) {
		child->dir = arena_strndup(l->arena, dir, strlen(dir));
	} else {
		/* as given, so that an import is still looked for beside
		 * its importer, never elsewhere */
		char *joined = join(importer->dir, rel);

		child->dir = arena_strndup(l->arena, joined, strlen(joined));
		free(joined);
	}
	free(rel);
	if (fd >= 0 && child->end > 0) {
		child->dirfd = fd;
		hold_dir(l);
	} else if (fd >= 0) {
		close(fd);
	}
}

/*
 * The path an import is shown by (import_path); without collapsing the
 * whole path again when the importer's was collapsed already and the
 * import's has no "..": then it is the importer's directory joined to the
 * import's path collapsed, a copy.
 */
static const char *
shown_import(struct loader *l, const struct file *importer, const char *name,
    bool exact)
{
	const char *ipath = importer->src->path;
	const char *slash = strrchr(ipath, '/');
	size_t nd, nc;
	char *c, *shown;

	if (!exact || !importer->imported || !slash || name[0] == '/')
		return import_path(l->arena, ipath, name);
	c = collapse(name);
	if (strcmp(c, ".") == 0) {
		free(c);
		return import_path(l->arena, ipath, name);
	}
	nd = (size_t)(slash - ipath + 1);
	nc = strlen(c);
	shown = arena_alloc(l->arena, nd + nc + 1);
	memcpy(shown, ipath, nd);
	memcpy(shown + nd, c, nc + 1);
	free(c);
	return shown;
}

/*
 * Reads the file one import names, or says why not at its path string.  A
 * file is known by its device and inode, so that two routes to it read it
 * once; a file that could not be read is not read again.  It is opened
 * from the real directory of the importer, as the kernel resolves a path
 * through it (a symlinked directory followed, then ".."), and shown by the
 * importer's path with "dir/.." collapsed, or by its real path when a
 * symlink makes the two differ.
 */
static void
load_import(struct loader *l, struct decl *d, struct frame *f)
{
	const char *name = d->name.text;
	bool exact = f->exact && !has_dotdot(name, false);
	const char *path = shown_import(l, f->file, name, exact);
	const char *why = NULL, *key, *realkey;
	char real[PATH_MAX], *at = NULL, *lexical;
	int base = frame_dir(l, f), fd, plain_dir = -1;
	struct frame *child;
	struct source *src;
	struct stat st;

	/* as written, before anything is opened: a magic link such as
	 * /dev/stdin or /proc/self/cwd leads anywhere */
	if (name[0] == '/' || !exact || in_kernel_dirs(f->dir) ||
	    strcmp(f->dir, "/") == 0) {
		lexical = join(f->dir, name);
		at = collapse(lexical);
		free(lexical);
		if (in_kernel_dirs(at)) {
			free(at);
			refuse(l, d, path, kernel_dirs, true);
			return;
		}
		free(at);
		at = NULL;
	}
	fd = open_plain(base, f->dir, name, real, &plain_dir);
	if (fd < 0 && base < 0 && name[0] != '/') {
		/* the directory cannot be opened: dir/name, as written */
		at = join(f->dir, name);
		name = at;
		base = AT_FDCWD;
	}
	if (fd < 0 && (fd = openat(base, name, O_PATH | O_CLOEXEC)) < 0) {
		refuse(l, d, path, unopened_why(l, base, name, errno), true);
		free(at);
		return;
	}
	if (plain_dir < 0 && !fd_real(fd, f->dir, name, real)) {
		refuse(l, d, path, strerror(errno), true);
		goto done;
	}
	if (!exact)
		path = shown_path(l, path, real);
	if (fstat(fd, &st) < 0) {
		refuse(l, d, path, strerror(errno), true);
		goto done;
	}
	key = arena_printf(l->arena, "%jx:%jx", (uintmax_t)st.st_dev,
	    (uintmax_t)st.st_ino);
	if ((d->file = map_get(&l->seen, key)))
		goto done;
	if ((why = map_get(&l->refused, key))) {
		refuse(l, d, path, why, false);
		goto done;
	}
	if ((why = confined(l, real))) {
		refuse(l, d, path, why, true);
		map_put(&l->refused, key, (void *)why);
		goto done;
	}
	if (!within_limits(l, d, path))
		goto done;
	if (!(src = read_import(l, d, path, &st, base, name, &why))) {
		map_put(&l->refused, key, (void *)why);
		goto done;
	}
	realkey = arena_strndup(l->arena, real, strlen(real));
	child = add_file(l, src, key, realkey, true);
	child->exact = exact;
	set_dir(l, child, f, base, name, realkey, plain_dir);
	plain_dir = -1;
	d->file = child->file;
done:
	if (plain_dir >= 0 && plain_dir != base)
		close(plain_dir);
	close(fd);
	free(at);
}

/* Reads every import of the files on the stack, depth first: the order of
 * the files is the order a recursive reading would give.  A frame's
 * directory is closed once its last import is read. */
static void
load_imports(struct loader *l)
{
	while (l->depth > 0) {
		struct frame *top = &l->stack[l->depth - 1];
		struct decl *d;

		/* past its last import, a file is done */
		if (top->next >= top->end) {
			release_dir(l, top);
			l->depth--;
			continue;
		}
		/* past the last error shown, what is read is not checked */
		if (diag_full(l->diag))
			break;
		d = top->file->decls[top->next++];
		if (d->kind == DECL_IMPORT && !d->broken && d->name.text)
			load_import(l, d, top);
	}
	while (l->depth > 0)
		release_dir(l, &l->stack[--l->depth]);
}

struct source *
source_read_root(struct arena *a, const char *path)
{
	const char *why = NULL;
	const char *shown = strcmp(path, "-") == 0 ? "<stdin>" : path;
	struct source *src = source_read(a, path, shown, false, &why);

	if (!src)
		say("cannot read '%s': %s", path, why);
	return src;
}


/* The directory of the file named on the command line (the current one
 * for standard input), as its imports' base. */
static void
set_root_dir(struct loader *l, struct frame *fr, const char *path)
{
	const char *slash = strcmp(path, "-") == 0 ? NULL : strrchr(path, '/');
	const char *dir = !slash ? "." : slash == path ? "/" :
	    arena_strndup(l->arena, path, (size_t)(slash - path));
	char real[PATH_MAX];
	int fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);

	fr->dir = fd >= 0 && fd_real(fd, ".", dir, real) ?
	    arena_strndup(l->arena, real, strlen(real)) : dir;
	fr->exact = !has_dotdot(dir, true);
	if (fd >= 0 && fr->end > 0) {
		fr->dirfd = fd;
		hold_dir(l);
	} else if (fd >= 0) {
		close(fd);
	}
}

struct program *
load_program(struct arena *a, struct diag *d, const char *path)
{
	return load_program_within(a, d, path, NULL);
}

struct program *
load_program_within(struct arena *a, struct diag *d, const char *path,
    const char *import_root)
{
	struct loader l = { 0 };
	struct program *prog;
	const char *key = NULL, *rkey = NULL;
	char real[PATH_MAX];
	struct source *src;
	struct frame *fr;
	struct stat st;

	l.arena = a;
	l.diag = d;
	if (import_root) {
		if (!realpath(import_root, real)) {
			say("cannot use '%s' as the import root: %s",
			    import_root, strerror(errno));
			return NULL;
		}
		if (stat(real, &st) == 0 && !S_ISDIR(st.st_mode)) {
			say("cannot use '%s' as the import root: not a "
			    "directory", import_root);
			return NULL;
		}
		l.root = arena_strndup(a, real, strlen(real));
		l.root_given = import_root;
	}
	if (!(src = source_read_root(a, path)))
		return NULL;
	prog = arena_alloc(a, sizeof(*prog));
	if (report_binary(d, src)) {
		/* Read, but not text: one located error, and no parse to
		 * bury it under errors about garbage. */
		prog->nfiles = 0;
		return prog;
	}
	if (strcmp(path, "-") != 0 && realpath(path, real) &&
	    stat(real, &st) == 0) {
		rkey = arena_strndup(a, real, strlen(real));
		key = arena_printf(a, "%jx:%jx", (uintmax_t)st.st_dev,
		    (uintmax_t)st.st_ino);
	}
	l.total = src->len;
	l.stack = xmalloc_array(MAX_IMPORT_DEPTH + 1, sizeof(*l.stack));
	fr = add_file(&l, src, key, rkey, false);
	set_root_dir(&l, fr, path);
	if (!l.root)
		l.root = fr->dir;
	load_imports(&l);
	free(l.stack);
	map_free(&l.seen);
	map_free(&l.refused);
	prog->nfiles = l.files.n;
	prog->files = (struct file **)vec_to_arena(&l.files, a);
	return prog;
}
