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
#include <dirent.h>
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
	size_t literal_until;	/* the imports before it that a pattern
				 * gave: each a file's name, '*' and all */
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
	const struct overlay *over;	/* texts that win over the files on
					 * disk, or NULL */
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
bool
in_kernel_dirs(const char *path)
{
	return path_under(path, "/proc") || path_under(path, "/sys") ||
	    path_under(path, "/dev");
}

static const char kernel_dirs[] = "planner never reads /proc, /sys or /dev";
static const char outside_dir[] = "it is outside the rollout's directory";
static const char outside_root[] = "it is outside the import root";

/* True when why is one of confined()'s reasons. */
static bool
is_confinement(const char *why)
{
	return why == kernel_dirs || why == outside_dir || why == outside_root;
}

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
	fr->literal_until = 0;
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

/* The length of the name (lower-case letters, digits, '-') at s. */
static size_t
name_span(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && ((s[i] >= 'a' && s[i] <= 'z') ||
	    (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
		i++;
	return i;
}

/* True when s starts with a slip of a declaration keyword, a name and
 * '{' on one line ("servce x {"): a team's file the parser can say "did
 * you mean" of, where no secret file looks like that. */
static bool
starts_like_slip(const char *s, size_t n)
{
	size_t w = name_span(s, n), i, m;

	if (!w || !word_nearest(s, w, decl_words, NDECLS, ~0u))
		return false;
	for (i = w; i < n && (s[i] == ' ' || s[i] == '\t'); i++)
		;
	if (i == w || !(m = name_span(s + i, n - i)))
		return false;
	for (i += m; i < n && (s[i] == ' ' || s[i] == '\t'); i++)
		;
	return i < n && s[i] == '{';
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
	return starts_like_slip(s + i, n - i);
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

/*
 * The text an overlay holds for the file at real path real (an editor's
 * open buffer), as the source of path; NULL when it holds none.  It is
 * read as the editor shows it: not refused for how it starts, as a file
 * being typed may not start like rollout source yet, but within the
 * limits on size.
 */
static struct source *
overlay_source(struct loader *l, struct decl *d, const char *path,
    const char *real, const char **why)
{
	const char *text;
	size_t len;

	*why = NULL;
	if (!l->over || !(text = l->over->text(l->over->ctx, real, &len)))
		return NULL;
	if (len > MAX_FILE_SIZE || l->total + len > MAX_TOTAL_SIZE) {
		*why = len > MAX_FILE_SIZE ? too_big : "the rollout's files "
		    "would pass " MAX_TOTAL_SIZE_TEXT " in all (the limit)";
		diag_error(l->diag, d->name.loc, "cannot import '%s': %s",
		    path, *why);
		return NULL;
	}
	l->total += len;
	return source_new(l->arena, path, arena_strndup(l->arena, text, len),
	    len);
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

/* True when name matches pattern, in which '*' stands for any run of
 * characters (none too) and every other character for itself. */
static bool
matches(const char *pattern, const char *name)
{
	const char *star = NULL, *back = NULL;

	while (*name) {
		if (*pattern == '*') {
			star = ++pattern;
			back = name;
		} else if (*pattern == *name) {
			pattern++;
			name++;
		} else if (star) {
			pattern = star;
			name = ++back;
		} else {
			return false;
		}
	}
	while (*pattern == '*')
		pattern++;
	return *pattern == '\0';
}

/* Names of a directory looked at, at most, for the help of an import. */
#define MAX_LISTED 20000

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names in the directory fd (O_PATH will do) that pattern matches
 * (NULL: all), sorted, each on the heap (free_names): those starting with
 * '.' only when hidden, "." and ".." never; at most max.  False when it
 * cannot be read. */
static bool
list_dir(int fd, bool hidden, const char *pattern, size_t max,
    struct vec *names)
{
	int rfd = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct dirent *e;
	DIR *dir;

	if (rfd < 0)
		return false;
	if (!(dir = fdopendir(rfd))) {
		close(rfd);
		return false;
	}
	while (names->n < max && (e = readdir(dir))) {
		size_t n = strlen(e->d_name);
		char *copy;

		if ((e->d_name[0] == '.' && (!hidden || n == 1 ||
		    (n == 2 && e->d_name[1] == '.'))) ||
		    (pattern && !matches(pattern, e->d_name)))
			continue;
		copy = xmalloc(n + 1);
		memcpy(copy, e->d_name, n + 1);
		vec_push(names, copy);
	}
	closedir(dir);
	if (names->n > 1)
		qsort(names->items, names->n, sizeof(*names->items),
		    cmp_names);
	return true;
}

static void
free_names(struct vec *names)
{
	size_t i;

	for (i = 0; i < names->n; i++)
		free(names->items[i]);
	vec_free(names);
}

/* True when the directory fd is one imports may look in. */
static bool
dir_confined(const struct loader *l, int fd)
{
	char real[PATH_MAX];

	return fd_real(fd, NULL, NULL, real) && !confined(l, real);
}

/* The edit distance of two names, capped at limit + 1, two adjacent
 * characters swapped counting as one edit ("icn", "inc"). */
static int
name_distance(const char *a, const char *b, int limit)
{
	int dist = edit_distance(a, b, limit);
	size_t n = strlen(a), i = 0;

	if (dist <= 1 || n != strlen(b))
		return dist;
	while (i < n && a[i] == b[i])
		i++;
	if (i + 1 < n && a[i] == b[i + 1] && a[i + 1] == b[i] &&
	    strcmp(a + i + 2, b + i + 2) == 0)
		return 1;
	return dist;
}

/*
 * The name in the directory fd nearest to want, for "did you mean": at
 * most one edit away for fewer than 4 characters, two otherwise (two
 * characters swapped are one edit), the closest and of those the first
 * in sorted order; a directory when dir,
 * else not (a symbolic link is not followed: it may be either).  Else,
 * for a file, want with ".dsl" added when that is there.  NULL when
 * neither; in the arena.
 */
static const char *
nearest_entry(struct loader *l, int fd, const char *want, bool dir)
{
	int limit = strlen(want) < 4 ? 1 : 2, best = limit + 1, dist;
	struct vec names = { 0 };
	const char *found = NULL;
	char *with;
	struct stat st;
	size_t i;

	if (!list_dir(fd, want[0] == '.', NULL, MAX_LISTED, &names))
		return NULL;
	for (i = 0; i < names.n; i++) {
		const char *n = names.items[i];

		dist = name_distance(want, n, limit);
		if (dist < best && fstatat(fd, n, &st,
		    AT_SYMLINK_NOFOLLOW) == 0 && (S_ISLNK(st.st_mode) ||
		    !S_ISDIR(st.st_mode) == !dir)) {
			best = dist;
			found = n;
		}
	}
	if (found)
		found = arena_strndup(l->arena, found, strlen(found));
	free_names(&names);
	if (!found && !dir) {
		with = arena_printf(l->arena, "%s.dsl", want);
		if (fstatat(fd, with, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    !S_ISDIR(st.st_mode))
			found = with;
	}
	return found;
}

/*
 * The import path nearest to name that names a file (a directory, when
 * dir), from the directory base: each part of it that is missing replaced
 * by the nearest name in the directory it is looked for in
 * (nearest_entry).  Only directories under the import root are listed,
 * and the path found must be there, so that nothing is told of what is
 * outside.  NULL when there is none; in the arena.
 */
static const char *
nearest_import(struct loader *l, int base, const char *name, bool dir)
{
	struct buf out = { 0 };
	const char *p = name, *found = NULL;
	char comp[NAME_MAX + 1], real[PATH_MAX];
	bool changed = false, ok = true, last;
	int cur, next, fd;
	struct stat st;
	size_t len;

	if (base < 0)
		return NULL;
	cur = name[0] == '/' ? open("/", O_PATH | O_DIRECTORY | O_CLOEXEC) :
	    fcntl(base, F_DUPFD_CLOEXEC, 0);
	buf_add(&out, "", 0);
	if (name[0] == '/')
		buf_putc(&out, '/');
	while (ok && cur >= 0 && *p) {
		len = strcspn(p, "/");
		if (len == 0 || (len == 1 && p[0] == '.')) {
			p += len + (p[len] == '/');
			continue;
		}
		if (len > NAME_MAX)
			break;
		memcpy(comp, p, len);
		comp[len] = '\0';
		p += len;
		p += strspn(p, "/");
		last = *p == '\0';
		found = comp;
		if (strcmp(comp, "..") != 0 &&
		    fstatat(cur, comp, &st, 0) != 0) {
			if (!dir_confined(l, cur) ||
			    !(found = nearest_entry(l, cur, comp,
			    dir || !last))) {
				ok = false;
				break;
			}
			changed = true;
		}
		if (out.len && out.data[out.len - 1] != '/')
			buf_putc(&out, '/');
		buf_puts(&out, found);
		if (!last) {
			next = openat(cur, found, O_PATH | O_DIRECTORY |
			    O_CLOEXEC);
			close(cur);
			cur = next;
		}
	}
	if (cur >= 0)
		close(cur);
	found = NULL;
	if (ok && changed && *p == '\0' &&
	    (fd = openat(base, out.data, O_PATH | O_CLOEXEC)) >= 0) {
		if (fd_real(fd, NULL, NULL, real) && !confined(l, real) &&
		    fstat(fd, &st) == 0 && !S_ISDIR(st.st_mode) == !dir)
			found = arena_strndup(l->arena, out.data, out.len);
		close(fd);
	}
	buf_free(&out);
	return found;
}

/* The path from the directory from to the file to, both real paths, as
 * an import writes it ("../shared/x.dsl"); in the arena. */
static const char *
relative_to(struct arena *a, const char *from, const char *to)
{
	size_t i = 0, common = 0, nf = strlen(from), j;
	struct buf b = { 0 };
	const char *rel;

	while (from[i] && from[i] == to[i])
		if (from[i++] == '/')
			common = i;
	if (!from[i] && to[i] == '/')
		common = i + 1;		/* to is under from */
	for (j = common; j < nf; j++)
		if (from[j] != '/' && (j == common || from[j - 1] == '/'))
			buf_puts(&b, "../");
	buf_puts(&b, to + common);
	rel = arena_strndup(a, b.data, b.len);
	buf_free(&b);
	return rel;
}

/*
 * The help of an import of a file that is not there (under the import
 * root): where the path led, when that is not what it says (a path is
 * relative to the file that imports it); and the nearest file there is,
 * as the path to write: a name misspelt along the way, or ".dsl" left
 * out; or the path read from the directory of the rollout instead, for
 * an imported file in another directory.
 */
static void
help_missing(struct loader *l, struct frame *f, struct decl *d,
    const char *path, int base)
{
	const char *name = d->name.text, *near, *importer = f->file->src->path;
	const char *slash = strrchr(importer, '/');
	char *written = collapse(name), *joined, real[PATH_MAX];
	struct frame *root = &l->stack[0];
	struct stat st;
	int fd;

	if (strcmp(written, path) != 0 && name[0] != '/' && slash &&
	    f != root && strcmp(f->dir, root->dir) != 0)
		diag_help(l->diag, "a path is relative to the file that "
		    "imports it: in %s, '%s' is '%s'", importer, name, path);
	free(written);
	if ((near = nearest_import(l, base, name, false))) {
		diag_help(l->diag, "did you mean \"%s\"?", near);
		return;
	}
	if (name[0] == '/' || f == root || !f->file->imported ||
	    strcmp(f->dir, root->dir) == 0 || root->dir[0] != '/' ||
	    f->dir[0] != '/')
		return;
	/* written as if from the rollout's directory */
	joined = join(root->dir, name);
	fd = open(joined, O_PATH | O_CLOEXEC);
	free(joined);
	if (fd < 0)
		return;
	if (fd_real(fd, NULL, NULL, real) && !confined(l, real) &&
	    fstat(fd, &st) == 0 && !S_ISDIR(st.st_mode))
		diag_help(l->diag, "did you mean \"%s\"? (the file '%s' "
		    "names from the rollout's directory)",
		    relative_to(l->arena, f->dir, real), name);
	close(fd);
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
		int err = errno;

		why = unopened_why(l, base, name, err);
		refuse(l, d, path, why, true);
		if (err == ENOENT && !is_confinement(why))
			help_missing(l, f, d, path, base);
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
	if (!(src = overlay_source(l, d, path, real, &why)) && !why)
		src = read_import(l, d, path, &st, base, name, &why);
	if (!src) {
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

/*
 * True when a match of a pattern's part, name in the directory fd, is an
 * import: a name that is not a directory, for the last part of the path
 * (a symbolic link is left to the import to judge); with the rest of the
 * path after it (rest, "/x.dsl"), when that is there, or when what is in
 * the way is outside the import root (the import then says so, as it
 * would of a file there: what exists outside is not told).
 */
static bool
match_is_import(struct loader *l, int fd, const char *name, const char *rest)
{
	struct stat st;
	char *path;
	int err;
	bool is;

	if (!*rest)
		return fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    !S_ISDIR(st.st_mode);
	path = join(name, rest + 1);
	if (fstatat(fd, path, &st, 0) == 0) {
		is = true;
	} else {
		err = errno;
		is = is_confinement(unopened_why(l, fd, path, err));
	}
	free(path);
	return is;
}

/*
 * An import whose path has '*' in one of its parts (teams, then *.dsl): the
 * import of every name in that directory that the part matches, in
 * sorted order, names starting with '.' left out unless the part starts
 * with '.' too.  The declaration is replaced, in its file, by one import
 * of each match, which the loader then reads as any other import: under
 * the import root, and each file once.  Nothing matching is an error, as
 * is a directory outside the import root, which is not listed.
 */
static void
expand_pattern(struct loader *l, struct frame *f, size_t at)
{
	struct decl *d = f->file->decls[at], **decls, *m;
	const char *name = d->name.text, *rest, *why, *shown_dir, *near;
	bool exact = f->exact && !has_dotdot(name, false);
	const char *path = shown_import(l, f->file, name, exact);
	size_t start = (size_t)(strchr(name, '*') - name), end, i, k;
	struct file *file = f->file;
	struct vec names = { 0 }, found = { 0 };
	char real[PATH_MAX], *dir, *pattern, *lexical, *collapsed;
	int base = frame_dir(l, f), fd;

	while (start > 0 && name[start - 1] != '/')
		start--;
	end = start + strcspn(name + start, "/");
	rest = name + end;
	if (strchr(rest, '*')) {
		diag_error(l->diag, d->name.loc, "cannot import '%s': '*' may "
		    "stand in one part of a path only", path);
		diag_help(l->diag, "a pattern matches the names of one "
		    "directory: \"teams/*.dsl\"");
		return;
	}
	dir = xmalloc(start + 2);
	memcpy(dir, name, start);
	dir[start] = '\0';
	if (start == 0)
		strcpy(dir, ".");
	pattern = xmalloc(end - start + 1);
	memcpy(pattern, name + start, end - start);
	pattern[end - start] = '\0';
	shown_dir = import_path(l->arena, file->src->path, dir);
	lexical = join(f->dir, dir);
	collapsed = collapse(lexical);
	why = in_kernel_dirs(collapsed) ? kernel_dirs : NULL;
	free(collapsed);
	if (base < 0 && dir[0] != '/') {
		/* the importer's directory cannot be opened: dir/name, as
		 * written, as load_import does */
		free(dir);
		dir = lexical;
		base = AT_FDCWD;
	} else {
		free(lexical);
	}
	fd = why ? -1 : openat(base, dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (!why && fd < 0) {
		int err = errno;

		why = unopened_why(l, base, dir, err);
		if (err == ENOENT && !is_confinement(why) &&
		    (near = nearest_import(l, base, dir, true))) {
			refuse(l, d, path, why, true);
			diag_help(l->diag, "did you mean \"%s/%s\"?", near,
			    name + start);
			goto done;
		}
	}
	if (!why && !fd_real(fd, f->dir, dir, real))
		why = strerror(errno);
	if (!why)
		why = confined(l, real);
	if (!why && !list_dir(fd, pattern[0] == '.', pattern,
	    (size_t)MAX_FILES + 1, &names))
		why = strerror(errno);
	if (why) {
		refuse(l, d, path, why, true);
		goto done;
	}
	for (i = 0; i < names.n; i++)
		if (match_is_import(l, fd, names.items[i], rest))
			vec_push(&found, arena_printf(l->arena, "%.*s%s%s",
			    (int)start, name, (char *)names.items[i], rest));
	if (found.n == 0) {
		diag_error(l->diag, d->name.loc, "cannot import '%s': no file "
		    "matches", path);
		free_names(&names);
		list_dir(fd, false, NULL, MAX_LISTED, &names);
		if (names.n == 0)
			diag_help(l->diag, "'%s' is empty", shown_dir);
		else
			diag_help(l->diag, "'*' stands for any part of one "
			    "name; '%s' holds %s%s%s%s", shown_dir,
			    (char *)names.items[0], names.n > 1 ? ", " : "",
			    names.n > 1 ? (char *)names.items[1] : "",
			    names.n > 2 ? arena_printf(l->arena, " and %zu "
			    "more", names.n - 2) : "");
		goto done;
	}
	/* the declaration gives way to one import of each match */
	k = found.n;
	decls = arena_array(l->arena, file->ndecls + k - 1, sizeof(*decls));
	memcpy(decls, file->decls, at * sizeof(*decls));
	for (i = 0; i < k; i++) {
		m = arena_alloc(l->arena, sizeof(*m));
		*m = *d;
		m->name.text = found.items[i];
		m->file = NULL;
		decls[at + i] = m;
	}
	memcpy(decls + at + k, file->decls + at + 1,
	    (file->ndecls - at - 1) * sizeof(*decls));
	file->decls = decls;
	file->ndecls += k - 1;
	f->end += k - 1;
	f->next = at;
	f->literal_until = at + k;
done:
	if (fd >= 0)
		close(fd);
	free_names(&names);
	vec_free(&found);
	free(pattern);
	free(dir);
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
		if (d->kind != DECL_IMPORT || d->broken || !d->name.text)
			continue;
		if (top->next > top->literal_until && strchr(d->name.text, '*'))
			expand_pattern(l, top, top->next - 1);
		else
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

/* The text over holds for the root file path (by its real path, or by
 * path itself when it is not on disk yet), as its source; else NULL. */
static struct source *
root_overlay(struct arena *a, const struct overlay *over, const char *path)
{
	char real[PATH_MAX];
	const char *text;
	size_t len;

	if (!over || strcmp(path, "-") == 0)
		return NULL;
	if (!(text = over->text(over->ctx, realpath(path, real) ? real : path,
	    &len)))
		return NULL;
	if (len > MAX_FILE_SIZE)
		len = 0;	/* load says so */
	return source_new(a, path, arena_strndup(a, text, len), len);
}

/* True when over holds a text for the root file path that is too big to
 * read (root_overlay gave an empty source for it). */
static bool
over_too_big(const struct overlay *over, const char *path)
{
	char real[PATH_MAX];
	size_t len = 0;

	return over->text(over->ctx, realpath(path, real) ? real : path,
	    &len) && len > MAX_FILE_SIZE;
}

struct program *
load_program(struct arena *a, struct diag *d, const char *path)
{
	return load_program_within(a, d, path, NULL);
}

/* load_program_within; with nothing said on standard error when quiet
 * (the diagnostics go to d all the same). */
static struct program *
load(struct arena *a, struct diag *d, const char *path,
    const char *import_root, const struct overlay *over, bool quiet)
{
	struct loader l = { 0 };
	struct program *prog;
	const char *key = NULL, *rkey = NULL, *why = NULL;
	char real[PATH_MAX];
	struct source *src;
	struct frame *fr;
	struct stat st;

	l.arena = a;
	l.diag = d;
	l.over = over;
	if (import_root) {
		if (!realpath(import_root, real)) {
			if (!quiet)
				say("cannot use '%s' as the import root: %s",
				    import_root, strerror(errno));
			return NULL;
		}
		if (stat(real, &st) == 0 && !S_ISDIR(st.st_mode)) {
			if (!quiet)
				say("cannot use '%s' as the import root: not "
				    "a directory", import_root);
			return NULL;
		}
		l.root = arena_strndup(a, real, strlen(real));
		l.root_given = import_root;
	}
	if (!(src = root_overlay(a, over, path))) {
		if (!quiet && !(src = source_read_root(a, path)))
			return NULL;
		if (quiet && !(src = source_read(a, path, strcmp(path, "-") ==
		    0 ? "<stdin>" : path, false, &why)))
			return NULL;
	}
	prog = arena_alloc(a, sizeof(*prog));
	if (src->len == 0 && over && over_too_big(over, path)) {
		struct loc top = { src, 1, 1, 0 };

		diag_error(d, top, "cannot read '%s': %s", path, too_big);
		prog->nfiles = 0;
		return prog;
	}
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
	} else if (over && path[0] == '/') {
		rkey = path;	/* a buffer not yet saved */
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

struct program *
load_program_within(struct arena *a, struct diag *d, const char *path,
    const char *import_root)
{
	return load(a, d, path, import_root, NULL, false);
}

struct program *
load_program_over(struct arena *a, struct diag *d, const char *path,
    const char *import_root, const struct overlay *over)
{
	return load(a, d, path, import_root, over, true);
}

/*
 * Checking one file of a rollout (check --file, and check FILE for a file
 * that declares no rollout): which of the rollout's files it is, read
 * with nothing said, and the rollout that imports a file.
 */

/* The rollout at path with its imports, read as load_program_within
 * reads it but with nothing said and no limit on errors; NULL when it
 * cannot be read. */
static struct program *
load_quietly(struct arena *a, const char *path, const char *import_root,
    const struct overlay *over, int *nerrors)
{
	char *said = NULL;
	size_t nsaid = 0;
	FILE *quiet = open_memstream(&said, &nsaid);
	struct program *prog;
	struct diag d;

	if (!quiet)
		fatal("out of memory");
	diag_init(&d, quiet, false, false);
	d.max_errors = 0;	/* every import read: none is left out */
	prog = load(a, &d, path, import_root, over, true);
	*nerrors = d.nerrors;
	diag_finish(&d);
	fclose(quiet);
	free(said);
	return prog;
}

bool
find_in_rollout(struct arena *a, const char *path, const char *import_root,
    const char *file, struct file_lookup *out)
{
	return find_in_rollout_over(a, path, import_root, NULL, file, out);
}

bool
find_in_rollout_over(struct arena *a, const char *path,
    const char *import_root, const struct overlay *over, const char *file,
    struct file_lookup *out)
{
	struct arena scratch = { 0 };
	struct program *prog;
	struct stat want, st;
	int best = 3, dist;
	bool there;
	size_t i;

	memset(out, 0, sizeof(*out));
	there = stat(file, &want) == 0;
	if (strcmp(path, "-") == 0 || !(prog = load_quietly(&scratch, path,
	    import_root, over, &out->nerrors))) {
		arena_free(&scratch);
		return false;
	}
	out->nfiles = prog->nfiles;
	for (i = 0; i < prog->nfiles && !out->shown; i++) {
		const struct file *f = prog->files[i];

		if (there && f->real && stat(f->real, &st) == 0 &&
		    st.st_dev == want.st_dev && st.st_ino == want.st_ino)
			out->shown = arena_strndup(a, f->src->path,
			    strlen(f->src->path));
	}
	for (i = 0; i < prog->nfiles && !out->shown; i++) {
		const char *shown = prog->files[i]->src->path;

		dist = edit_distance(file, shown, best - 1);
		if (dist < best) {
			best = dist;
			out->near = arena_strndup(a, shown, strlen(shown));
		}
	}
	arena_free(&scratch);
	return true;
}

/* True when a line of text starts with the keyword rollout: it declares
 * one, surely, and is not parsed to tell (a rollout of 16 MiB would be
 * parsed twice). */
static bool
rollout_line(const char *text, size_t n)
{
	const char *word = decl_words[DECL_ROLLOUT];
	size_t i = 0, w = strlen(word);

	while (i < n) {
		i += strspn(text + i, " \t\r");
		if (n - i > w && memcmp(text + i, word, w) == 0 &&
		    text[i + w] && strchr(" \t\r\n{#", text[i + w]))
			return true;
		while (i < n && text[i] != '\n')
			i++;
		i++;
	}
	return false;
}

/* True when the source at path declares a rollout (or cannot be read, or
 * is not text: then it is checked as it is). */
static bool
declares_rollout(const char *path, const struct overlay *over)
{
	struct arena a = { 0 };
	char *said = NULL, what[BINARY_WHAT];
	size_t nsaid = 0, i;
	FILE *quiet;
	struct source *src;
	struct file *f;
	struct loc at;
	struct diag d;
	const char *why;
	bool found = true;

	if (!(src = root_overlay(&a, over, path)))
		src = source_read(&a, path, path, true, &why);
	if (src &&
	    !rollout_line(src->text, src->len) &&
	    !source_find_binary(src, &at, what)) {
		if (!(quiet = open_memstream(&said, &nsaid)))
			fatal("out of memory");
		diag_init(&d, quiet, false, false);
		f = parse_source(&a, &d, src);
		diag_finish(&d);
		fclose(quiet);
		free(said);
		found = false;
		for (i = 0; i < f->ndecls && !found; i++)
			found = f->decls[i]->kind == DECL_ROLLOUT;
	}
	arena_free(&a);
	return found;
}

/* True when dir is the top of a repository: it holds .git, .hg, .svn or
 * .jj. */
static bool
repository_top(const char *dir)
{
	static const char *const marks[] = { ".git", ".hg", ".svn", ".jj" };
	struct stat st;
	size_t i;
	char *p;
	bool top = false;

	for (i = 0; i < sizeof(marks) / sizeof(marks[0]) && !top; i++) {
		p = join(dir, marks[i]);
		top = lstat(p, &st) == 0;
		free(p);
	}
	return top;
}

const char *
find_importing_rollout(struct arena *a, const char *file,
    const char *import_root, const char **shown, bool *searched)
{
	return find_importing_rollout_over(a, file, import_root, NULL, shown,
	    searched);
}

const char *
find_importing_rollout_over(struct arena *a, const char *file,
    const char *import_root, const struct overlay *over, const char **shown,
    bool *searched)
{
	char real[PATH_MAX], cwd[PATH_MAX], *dir, *slash, *cand;
	struct file_lookup found;
	struct stat st, self;
	const char *rollout = NULL, *given;
	int level;

	*searched = false;
	*shown = NULL;
	if (strcmp(file, "-") == 0 || !realpath(file, real) ||
	    stat(real, &self) != 0 || !S_ISREG(self.st_mode) ||
	    declares_rollout(file, over))
		return NULL;
	*searched = true;
	if (!getcwd(cwd, sizeof(cwd)))
		return NULL;
	dir = real;
	for (level = 0; level < MAX_WALK_UP && !rollout; level++) {
		slash = strrchr(dir, '/');
		if (!slash)
			break;
		*slash = '\0';
		cand = join(*dir ? dir : "", ROLLOUT_FILE);
		if (stat(cand, &st) == 0 && S_ISREG(st.st_mode) &&
		    !(st.st_dev == self.st_dev && st.st_ino == self.st_ino)) {
			given = relative_to(a, cwd, cand);
			if (find_in_rollout_over(a, given, import_root, over,
			    file, &found) && found.shown) {
				rollout = given;
				*shown = found.shown;
			}
		}
		free(cand);
		if (!*dir || repository_top(dir))
			break;
	}
	return rollout;
}
