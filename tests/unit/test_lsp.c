/*
 * test_lsp.c: what planner lsp reads a rollout with: load_program_over,
 * where an editor's open buffer stands for a file (the root, an import, a
 * root not saved yet), and uri_from_path, the URIs it answers with.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "support.h"
#include "lsp.h"

/* An overlay of at most four buffers, by real path. */
struct buffers {
	const char *real[4];
	const char *text[4];
	size_t len[4];
	int n;
	int asked;		/* how many times the loader looked */
};

static const char *
buffer_text(const void *ctx, const char *real, size_t *len)
{
	struct buffers *b = (struct buffers *)ctx;
	int i;

	b->asked++;
	for (i = 0; i < b->n; i++)
		if (strcmp(b->real[i], real) == 0) {
			*len = b->len[i];
			return b->text[i];
		}
	return NULL;
}

static void
add_buffer(struct buffers *b, const char *real, const char *text)
{
	b->real[b->n] = real;
	b->text[b->n] = text;
	b->len[b->n] = strlen(text);
	b->n++;
}

static void
write_file(const char *dir, const char *name, const char *text)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	fclose(f);
}

/* A loaded rollout: its files' texts, "|"-separated, and what the loader
 * and the checker said. */
struct loaded {
	struct arena arena;
	struct program *prog;
	struct rollout *model;
	char *said;
	int nerrors;
};

static void
load_over(struct loaded *l, const char *path, struct buffers *b)
{
	struct overlay over = { buffer_text, b };
	size_t len = 0;
	FILE *mem = open_memstream(&l->said, &len);
	struct diag d;

	memset(&l->arena, 0, sizeof(l->arena));
	diag_init(&d, mem, false, false);
	l->prog = load_program_over(&l->arena, &d, path, NULL, &over);
	l->model = l->prog && l->prog->nfiles ?
	    check_program(&l->arena, &d, l->prog) : NULL;
	diag_finish(&d);
	fclose(mem);
	l->nerrors = d.nerrors;
}

static void
loaded_free(struct loaded *l)
{
	arena_free(&l->arena);
	free(l->said);
}

/* The service names of a checked model, ","-separated (static). */
static const char *
services_of(const struct rollout *r)
{
	static char names[256];
	size_t i;

	names[0] = '\0';
	for (i = 0; r && i < r->nservices; i++) {
		if (i)
			strcat(names, ",");
		strcat(names, r->services[i]->name);
	}
	return names;
}

static char *
temp_dir(void)
{
	char tmpl[] = "/tmp/test_lsp.XXXXXX", real[PATH_MAX], *dir;

	assert_non_null(mkdtemp(tmpl));
	assert_non_null(realpath(tmpl, real));
	dir = strdup(real);
	assert_non_null(dir);
	return dir;
}

static void
remove_dir(char *dir)
{
	char cmd[PATH_MAX + 16];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	free(dir);
}

static const char disk_root[] =
    "rollout disk { version \"1\" }\n"
    "import \"team.dsl\"\n"
    "group g { a, b }\n"
    "wave w { in g }\n";
static const char disk_team[] = "service from-disk { in g }\n";

/* Nothing in the overlay: the files on disk, as load_program reads them. */
static void
without_buffers_the_files_on_disk_are_read(void **state)
{
	char *dir = temp_dir(), root[PATH_MAX];
	struct buffers b = { 0 };
	struct loaded l;

	(void)state;
	write_file(dir, "rollout.dsl", disk_root);
	write_file(dir, "team.dsl", disk_team);
	snprintf(root, sizeof(root), "%s/rollout.dsl", dir);
	load_over(&l, root, &b);
	assert_non_null(l.prog);
	assert_int_equal(l.prog->nfiles, 2);
	assert_int_equal(l.nerrors, 0);
	assert_string_equal(services_of(l.model), "from-disk");
	/* the loader asked for the root and the import, by real path */
	assert_true(b.asked >= 2);
	loaded_free(&l);
	remove_dir(dir);
}

/* The root's buffer wins over the root on disk: its text is read, its
 * imports are its own. */
static void
a_buffer_stands_for_the_root(void **state)
{
	char *dir = temp_dir(), root[PATH_MAX];
	struct buffers b = { 0 };
	struct loaded l;

	(void)state;
	write_file(dir, "rollout.dsl", disk_root);
	write_file(dir, "team.dsl", disk_team);
	write_file(dir, "other.dsl", "service from-other { in g }\n");
	snprintf(root, sizeof(root), "%s/rollout.dsl", dir);
	add_buffer(&b, root, "rollout buffer { version \"2\" }\n"
	    "import \"other.dsl\"\ngroup g { a }\nwave w { in g }\n"
	    "service in-buffer { in g; needs from-other }\n");
	load_over(&l, root, &b);
	assert_non_null(l.prog);
	assert_int_equal(l.nerrors, 0);
	assert_int_equal(l.prog->nfiles, 2);
	assert_string_equal(l.model->name, "buffer");
	assert_string_equal(l.model->version, "2");
	/* team.dsl, which only the disk's root imports, is not read */
	assert_int_equal(l.model->nservices, 2);
	assert_non_null(strstr(services_of(l.model), "in-buffer"));
	assert_non_null(strstr(services_of(l.model), "from-other"));
	assert_null(strstr(services_of(l.model), "from-disk"));
	assert_string_equal(l.prog->files[0]->real, root);
	loaded_free(&l);

	/* the buffer's errors are located in the buffer's text */
	b.n = 0;
	add_buffer(&b, root, "rollout buffer\ngroup g { a }\n"
	    "service s { in g; needs nope }\nwave w { in g }\n");
	load_over(&l, root, &b);
	assert_int_equal(l.nerrors, 1);
	assert_contains(l.said, "rollout.dsl:3:25: error: unknown service "
	    "'nope' in needs\n");
	loaded_free(&l);
	remove_dir(dir);
}

/* An import's buffer wins over the imported file on disk. */
static void
a_buffer_stands_for_an_import(void **state)
{
	char *dir = temp_dir(), root[PATH_MAX], team[PATH_MAX];
	struct buffers b = { 0 };
	struct loaded l;

	(void)state;
	write_file(dir, "rollout.dsl", disk_root);
	write_file(dir, "team.dsl", disk_team);
	snprintf(root, sizeof(root), "%s/rollout.dsl", dir);
	snprintf(team, sizeof(team), "%s/team.dsl", dir);
	add_buffer(&b, team, "service from-buffer { in g }\n"
	    "service second { in g; needs from-buffer }\n");
	load_over(&l, root, &b);
	assert_non_null(l.prog);
	assert_int_equal(l.nerrors, 0);
	assert_int_equal(l.prog->nfiles, 2);
	assert_string_equal(services_of(l.model), "from-buffer,second");
	assert_string_equal(l.prog->files[1]->real, team);
	assert_true(l.prog->files[1]->imported);
	loaded_free(&l);

	/* a buffer being typed need not start like rollout source, and its
	 * errors are located in it, under the import's name */
	b.n = 0;
	add_buffer(&b, team, "servic x { in g }\n");
	load_over(&l, root, &b);
	assert_non_null(l.prog);
	assert_int_equal(l.prog->nfiles, 2);
	assert_true(l.nerrors > 0);
	assert_contains(l.said, "team.dsl:1:1: error: ");
	assert_null(strstr(l.said, "does not start like rollout source"));
	loaded_free(&l);
	remove_dir(dir);
}

/* A root not saved yet (an absolute path with no file): read from its
 * buffer by the path itself, its imports from its directory on disk; no
 * buffer and no file: NULL. */
static void
a_buffer_stands_for_a_root_not_on_disk(void **state)
{
	char *dir = temp_dir(), root[PATH_MAX];
	struct buffers b = { 0 };
	struct loaded l;
	struct stat st;

	(void)state;
	write_file(dir, "team.dsl", disk_team);
	snprintf(root, sizeof(root), "%s/unsaved.dsl", dir);
	load_over(&l, root, &b);
	assert_null(l.prog);
	loaded_free(&l);

	add_buffer(&b, root, "rollout unsaved\nimport \"team.dsl\"\n"
	    "group g { a }\nwave w { in g }\n");
	load_over(&l, root, &b);
	assert_non_null(l.prog);
	assert_int_equal(l.nerrors, 0);
	assert_int_equal(l.prog->nfiles, 2);
	assert_string_equal(l.model->name, "unsaved");
	assert_string_equal(services_of(l.model), "from-disk");
	assert_string_equal(l.prog->files[0]->real, root);
	assert_int_equal(stat(root, &st), -1);	/* nothing written */
	loaded_free(&l);
	remove_dir(dir);
}

/* A buffer over MAX_FILE_SIZE is not read, and the file on disk is not
 * read in its place: an error that names the limit, for the root and for
 * an import. */
static void
a_buffer_over_the_limit_is_an_error(void **state)
{
	char *dir = temp_dir(), root[PATH_MAX], team[PATH_MAX];
	size_t n = (size_t)MAX_FILE_SIZE + 1;
	char *big = malloc(n + 1);
	struct buffers b = { 0 };
	struct loaded l;

	(void)state;
	assert_non_null(big);
	memset(big, '\n', n);
	big[n] = '\0';
	write_file(dir, "rollout.dsl", disk_root);
	write_file(dir, "team.dsl", disk_team);
	snprintf(root, sizeof(root), "%s/rollout.dsl", dir);
	snprintf(team, sizeof(team), "%s/team.dsl", dir);

	add_buffer(&b, team, big);
	load_over(&l, root, &b);
	assert_non_null(l.prog);
	assert_contains(l.said, "is larger than " MAX_FILE_SIZE_TEXT);
	assert_null(strstr(services_of(l.model), "from-disk"));
	loaded_free(&l);

	b.n = 0;
	add_buffer(&b, root, big);
	load_over(&l, root, &b);
	assert_non_null(l.prog);
	assert_int_equal(l.prog->nfiles, 0);
	assert_int_equal(l.nerrors, 1);
	assert_contains(l.said, "is larger than " MAX_FILE_SIZE_TEXT);
	assert_null(strstr(l.said, "team.dsl"));
	loaded_free(&l);
	free(big);
	remove_dir(dir);
}

/* Decodes a file: URI as RFC 3986 says (%XX), for the round trips. */
static char *
decode_uri(const char *uri)
{
	char *out = malloc(strlen(uri) + 1), *o = out;
	unsigned int c;

	assert_non_null(out);
	assert_int_equal(strncmp(uri, "file://", 7), 0);
	for (uri += 7; *uri; uri++) {
		if (*uri == '%') {
			assert_int_equal(sscanf(uri + 1, "%2x", &c), 1);
			*o++ = (char)c;
			uri += 2;
		} else {
			*o++ = *uri;
		}
	}
	*o = '\0';
	return out;
}

static void
uris_escape_what_is_not_unreserved_and_round_trip(void **state)
{
	struct arena a = { 0 };
	char path[300], *back;
	const char *uri;
	int c, i;

	(void)state;
	assert_string_equal(uri_from_path(&a, "/a b.dsl"),
	    "file:///a%20b.dsl");
	assert_string_equal(uri_from_path(&a, "/srv/rollout.dsl"),
	    "file:///srv/rollout.dsl");
	assert_string_equal(uri_from_path(&a, "/x/caf\xc3\xa9/A-Z_0.9~.dsl"),
	    "file:///x/caf%C3%A9/A-Z_0.9~.dsl");
	assert_string_equal(uri_from_path(&a, "/100%/#1?.dsl"),
	    "file:///100%25/%231%3F.dsl");
	/* every byte but NUL, alone and all in one path: escaped or kept,
	 * and decoded back to the path */
	for (c = 1; c < 256; c++) {
		snprintf(path, sizeof(path), "/d/%c.dsl", c);
		uri = uri_from_path(&a, path);
		assert_null(strpbrk(uri + 7, " \"#<>?[\\]^`{|}"));
		for (i = 0; uri[i]; i++)
			assert_true((unsigned char)uri[i] > 0x20 &&
			    (unsigned char)uri[i] < 0x7f);
		back = decode_uri(uri);
		assert_string_equal(back, path);
		free(back);
	}
	path[0] = '/';
	for (c = 1; c < 256; c++)
		path[c] = (char)(c == '/' ? 'x' : c);
	path[256] = '\0';
	back = decode_uri(uri_from_path(&a, path));
	assert_string_equal(back, path);
	free(back);
	arena_free(&a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(without_buffers_the_files_on_disk_are_read),
		cmocka_unit_test(a_buffer_stands_for_the_root),
		cmocka_unit_test(a_buffer_stands_for_an_import),
		cmocka_unit_test(a_buffer_stands_for_a_root_not_on_disk),
		cmocka_unit_test(a_buffer_over_the_limit_is_an_error),
		cmocka_unit_test(
		    uris_escape_what_is_not_unreserved_and_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
