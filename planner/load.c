/*
 * load.c: reads the file named on the command line and every file it
 * imports, each once, and parses them.  Import paths are relative to the
 * importing file (to the current directory when the root is standard
 * input).  A file is known by its real path, so two routes to one file
 * read it once and import cycles end by themselves.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "planner.h"

struct loader {
	struct arena *arena;
	struct diag *diag;
	struct map seen;	/* real path -> struct file */
	struct vec files;
};

/* True when the bytes are UTF-8 text without NUL bytes. */
static bool
is_utf8_text(const unsigned char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned char c = s[i];
		size_t extra, k;

		if (c == 0)
			return false;
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			extra = 1;
		else if (c >= 0xe0 && c <= 0xef)
			extra = 2;
		else if (c >= 0xf0 && c <= 0xf4)
			extra = 3;
		else
			return false;
		for (k = 1; k <= extra; k++)
			if (i + k >= n || (s[i + k] & 0xc0) != 0x80)
				return false;
		i += extra + 1;
	}
	return true;
}

char *
read_file(struct arena *a, const char *path, size_t *len, const char **why)
{
	struct buf b = { 0 };
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	struct stat st;
	char chunk[65536];
	size_t n;
	char *text;

	if (!f) {
		*why = strerror(errno);
		return NULL;
	}
	/* a device such as /dev/zero would never end; a pipe does */
	if (f != stdin && fstat(fileno(f), &st) == 0 &&
	    !S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode)) {
		*why = S_ISDIR(st.st_mode) ? "is a directory" :
		    "is not a regular file";
		fclose(f);
		return NULL;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(&b, chunk, n);
	if (ferror(f)) {
		*why = strerror(errno ? errno : EIO);
		if (f != stdin)
			fclose(f);
		buf_free(&b);
		return NULL;
	}
	if (f != stdin)
		fclose(f);
	if (!is_utf8_text((const unsigned char *)b.data, b.len)) {
		*why = "is not UTF-8 text";
		buf_free(&b);
		return NULL;
	}
	text = arena_strndup(a, b.data ? b.data : "", b.len);
	*len = b.len;
	buf_free(&b);
	return text;
}

/* The path of an import as the user sees it: beside the importing file. */
static const char *
import_path(struct arena *a, const char *importer, const char *path)
{
	const char *slash = strrchr(importer, '/');

	if (path[0] == '/' || !slash || strcmp(importer, "<stdin>") == 0)
		return arena_strndup(a, path, strlen(path));
	return arena_printf(a, "%.*s/%s", (int)(slash - importer), importer,
	    path);
}

static struct file *load_file(struct loader *l, const char *path,
    const char *key, char *text, size_t len, bool imported);

/* Reads the files a parsed file imports, reporting those it cannot. */
static void
load_imports(struct loader *l, struct file *f)
{
	size_t i;

	for (i = 0; i < f->ndecls; i++) {
		struct decl *d = f->decls[i];
		const char *path, *why = NULL, *key;
		char real[PATH_MAX], *text;
		size_t len;

		if (d->kind != DECL_IMPORT || d->broken || !d->name.text)
			continue;
		path = import_path(l->arena, f->src->path, d->name.text);
		if (!realpath(path, real)) {
			diag_error(l->diag, d->name.loc, "cannot import '%s': %s",
			    path, strerror(errno));
			continue;
		}
		key = arena_strndup(l->arena, real, strlen(real));
		if ((d->file = map_get(&l->seen, key)))
			continue;
		text = read_file(l->arena, path, &len, &why);
		if (!text) {
			diag_error(l->diag, d->name.loc, "cannot import '%s': %s",
			    path, why);
			continue;
		}
		d->file = load_file(l, path, key, text, len, true);
	}
}

static struct file *
load_file(struct loader *l, const char *path, const char *key, char *text,
    size_t len, bool imported)
{
	struct source *src = source_new(l->arena, path, text, len);
	struct file *f = parse_source(l->arena, l->diag, src);

	f->imported = imported;
	if (key)
		map_put(&l->seen, key, f);
	vec_push(&l->files, f);
	load_imports(l, f);
	return f;
}

struct program *
load_program(struct arena *a, struct diag *d, const char *path)
{
	struct loader l = { a, d, { 0 }, { 0 } };
	struct program *prog;
	const char *why = NULL, *shown = path, *key = NULL;
	char real[PATH_MAX], *text;
	size_t len;

	text = read_file(a, path, &len, &why);
	if (!text) {
		fprintf(stderr, "planner: cannot read '%s': %s\n", path, why);
		return NULL;
	}
	if (strcmp(path, "-") == 0)
		shown = "<stdin>";
	else if (realpath(path, real))
		key = arena_strndup(a, real, strlen(real));
	load_file(&l, shown, key, text, len, false);
	map_free(&l.seen);
	prog = arena_alloc(a, sizeof(*prog));
	prog->nfiles = l.files.n;
	prog->files = (struct file **)vec_to_arena(&l.files, a);
	return prog;
}
