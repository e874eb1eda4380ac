/*
 * load.c: reads the file named on the command line and every file it
 * imports, each once, and parses them.  Import paths are relative to the
 * importing file (to the current directory when the root is standard
 * input).  A file is known by its real path, so two routes to one file
 * read it once and import cycles end by themselves.
 *
 * Imports are followed with an explicit stack, not recursion, so a chain
 * of imports as deep as MAX_IMPORT_DEPTH needs no C stack.  What is read
 * is bounded by the limits in syntax.h: bytes per file and in all, files,
 * nesting.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "syntax.h"

/* A file whose imports are being read. */
struct frame {
	struct file *file;
	const char *dir;	/* the real path of its directory ("." for
				 * standard input): its imports' base */
	size_t next;		/* the next of its declarations to look at */
};

struct loader {
	struct arena *arena;
	struct diag *diag;
	struct map seen;	/* real path -> struct file */
	struct map refused;	/* real path -> why it was not read */
	struct vec files;
	size_t total;		/* bytes read, in all files */
	struct frame *stack;	/* MAX_IMPORT_DEPTH + 1 frames */
	size_t depth;
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

/*
 * The path of an import: beside the importing file (the current directory
 * when that is standard input), with "dir/.." collapsed as the shell's cd
 * does, so that a chain of "../next/f.dsl" imports stays short.
 */
static const char *
import_path(struct arena *a, const char *importer, const char *path)
{
	const char *slash = strrchr(importer, '/');
	const char *joined;
	char *out, *seg, *save = NULL;
	size_t n = 0, *starts, nseg = 0;
	bool absolute;

	if (path[0] == '/' || !slash || strcmp(importer, "<stdin>") == 0)
		joined = path;
	else
		joined = arena_printf(a, "%.*s/%s",
		    (int)(slash - importer + 1), importer, path);
	absolute = joined[0] == '/';
	out = arena_alloc(a, strlen(joined) + 2);
	starts = xmalloc_array(strlen(joined) / 2 + 2, sizeof(*starts));
	seg = arena_strndup(a, joined, strlen(joined));
	if (absolute)
		out[n++] = '/';
	for (seg = strtok_r(seg, "/", &save); seg;
	    seg = strtok_r(NULL, "/", &save)) {
		if (strcmp(seg, ".") == 0)
			continue;
		if (strcmp(seg, "..") == 0 && nseg > 0 &&
		    strcmp(out + starts[nseg - 1], "..") != 0) {
			n = starts[--nseg];
			out[n] = '\0';
			continue;
		}
		if (n > 0 && out[n - 1] != '/')
			out[n++] = '/';
		starts[nseg++] = n;
		strcpy(out + n, seg);
		n += strlen(seg);
	}
	free(starts);
	if (n > 0 && out[n - 1] == '/' && n > 1)
		n--;
	out[n] = '\0';
	return n ? out : absolute ? "/" : ".";
}

/* The real path of the directory of path; the directory as given when it
 * cannot be resolved (longer than PATH_MAX, say), so that an import is
 * still looked for beside its importer, never elsewhere. */
static const char *
real_dir(struct arena *a, const char *path)
{
	const char *slash = strrchr(path, '/');
	char real[PATH_MAX];
	const char *dir = slash == path ? "/" : slash ?
	    arena_printf(a, "%.*s", (int)(slash - path), path) : ".";

	if (!realpath(dir, real))
		return dir;
	return arena_strndup(a, real, strlen(real));
}

/* Parses a source that was read, and puts it on the stack of files whose
 * imports are to be read; opened is the path it was read by. */
static struct file *
add_file(struct loader *l, struct source *src, const char *opened,
    const char *key, bool imported)
{
	struct file *f = parse_source(l->arena, l->diag, src);

	f->imported = imported;
	f->real = key;
	if (key)
		map_put(&l->seen, key, f);
	vec_push(&l->files, f);
	l->stack[l->depth].file = f;
	l->stack[l->depth].dir = strcmp(opened, "-") == 0 ? "." :
	    real_dir(l->arena, opened);
	l->stack[l->depth].next = 0;
	l->depth++;
	return f;
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

/* Reads an import and checks it is text within the size limits; NULL and
 * *why (for the next import of it) when it is not. */
static struct source *
read_import(struct loader *l, struct decl *d, const char *path,
    const char *opened, const char **why)
{
	static const char too_much[] = "the rollout's files would pass "
	    MAX_TOTAL_SIZE_TEXT " in all (the limit)";
	char what[BINARY_WHAT];
	struct source *src;
	struct stat st;
	struct loc bad;

	/* the size first, so that nothing too big is read at all */
	if (stat(opened, &st) == 0 && S_ISREG(st.st_mode) &&
	    (size_t)st.st_size > MAX_FILE_SIZE)
		*why = too_big;
	else if (stat(opened, &st) == 0 && S_ISREG(st.st_mode) &&
	    l->total + (size_t)st.st_size > MAX_TOTAL_SIZE)
		*why = too_much;
	else if ((src = source_read(l->arena, opened, path, true, why)) &&
	    l->total + src->len > MAX_TOTAL_SIZE)
		*why = too_much;
	if (*why) {
		diag_error(l->diag, d->name.loc, "cannot import '%s': %s",
		    path, *why);
		return NULL;
	}
	if (source_find_binary(src, &bad, what)) {
		*why = "it is not UTF-8 text";
		diag_error(l->diag, d->name.loc, "cannot import '%s': %s",
		    path, *why);
		diag_note(l->diag, bad, "%s here", what);
		return NULL;
	}
	l->total += src->len;
	return src;
}

/*
 * Reads the file one import names, or says why not at its path string.  A
 * file that could not be read is not read again.  It is opened beside the
 * real directory of the importer, as the kernel would resolve a path
 * through it (a symlinked directory followed, then ".."), and shown by
 * the importer's path with "dir/.." collapsed, or by its real path when a
 * symlink makes the two differ.
 */
static void
load_import(struct loader *l, struct decl *d, const struct frame *importer)
{
	const char *path = import_path(l->arena, importer->file->src->path,
	    d->name.text);
	const char *opened = d->name.text[0] == '/' ? d->name.text :
	    arena_printf(l->arena, "%s/%s", importer->dir, d->name.text);
	const char *why = NULL, *key;
	char real[PATH_MAX], shown_real[PATH_MAX];
	struct source *src;

	if (realpath(opened, real) && (!realpath(path, shown_real) ||
	    strcmp(real, shown_real) != 0))
		path = arena_strndup(l->arena, real, strlen(real));
	if (!realpath(opened, real)) {
		diag_error(l->diag, d->name.loc, "cannot import '%s': %s",
		    path, strerror(errno));
		return;
	}
	key = arena_strndup(l->arena, real, strlen(real));
	if ((d->file = map_get(&l->seen, key)))
		return;
	if ((why = map_get(&l->refused, key))) {
		diag_error(l->diag, d->name.loc, "cannot import '%s': %s",
		    path, why);
		return;
	}
	if (!within_limits(l, d, path))
		return;
	if (!(src = read_import(l, d, path, opened, &why))) {
		map_put(&l->refused, key, (void *)why);
		return;
	}
	d->file = add_file(l, src, opened, key, true);
}

/* Reads every import of the files on the stack, depth first: the order of
 * the files is the order a recursive reading would give. */
static void
load_imports(struct loader *l)
{
	while (l->depth > 0) {
		struct frame *top = &l->stack[l->depth - 1];
		struct decl *d;

		if (top->next == top->file->ndecls) {
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

struct program *
load_program(struct arena *a, struct diag *d, const char *path)
{
	struct loader l = { a, d, { 0 }, { 0 }, { 0 }, 0, NULL, 0 };
	struct program *prog;
	const char *key = NULL;
	char real[PATH_MAX];
	struct source *src;

	if (!(src = source_read_root(a, path)))
		return NULL;
	prog = arena_alloc(a, sizeof(*prog));
	if (report_binary(d, src)) {
		/* Read, but not text: one located error, and no parse to
		 * bury it under errors about garbage. */
		prog->nfiles = 0;
		return prog;
	}
	if (strcmp(path, "-") != 0 && realpath(path, real))
		key = arena_strndup(a, real, strlen(real));
	l.total = src->len;
	l.stack = xmalloc_array(MAX_IMPORT_DEPTH + 1, sizeof(*l.stack));
	add_file(&l, src, path, key, false);
	load_imports(&l);
	free(l.stack);
	map_free(&l.seen);
	map_free(&l.refused);
	prog->nfiles = l.files.n;
	prog->files = (struct file **)vec_to_arena(&l.files, a);
	return prog;
}
