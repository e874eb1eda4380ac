/* test_output.c: outputs are all or none: a rename that fails puts back
 * the files the others replaced, the report is printed only once every
 * file is in place, and the temporaries of a run killed by SIGKILL are
 * cleared by the next. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "output.h"

/* A fresh directory for one test, and paths in it. */
static char dir[64];

static int
make_dir(void **state)
{
	(void)state;
	strcpy(dir, "/tmp/test_output-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int
remove_dir(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static char *
in_dir(const char *name)
{
	static char paths[8][400];
	static int next;
	char *p = paths[next++ % 8];

	snprintf(p, sizeof(paths[0]), "%s/%s", dir, name);
	return p;
}

static void
put_file(const char *name, const char *text)
{
	FILE *f = fopen(in_dir(name), "w");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

/* The contents of name, or "(none)" when it does not exist. */
static const char *
file_text(const char *name)
{
	static char text[256];
	FILE *f = fopen(in_dir(name), "r");
	size_t n;

	if (!f)
		return "(none)";
	n = fread(text, 1, sizeof(text) - 1, f);
	text[n] = '\0';
	fclose(f);
	return text;
}

/* How many entries of the directory contain infix. */
static int
count_named(const char *infix)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)))
		n += strstr(e->d_name, infix) != NULL;
	closedir(d);
	return n;
}

/* Removes the temporary made for name, so that its rename fails. */
static void
remove_temporary_of(const char *name)
{
	char prefix[64];
	DIR *d = opendir(dir);
	struct dirent *e;
	int removed = 0;

	snprintf(prefix, sizeof(prefix), ".%s.planner-tmp-", name);
	assert_non_null(d);
	while ((e = readdir(d)))
		if (strncmp(e->d_name, prefix, strlen(prefix)) == 0)
			removed += unlink(in_dir(e->d_name)) == 0;
	closedir(d);
	assert_int_equal(removed, 1);
}

static bool
write_report(FILE *f, const void *arg, const char **why)
{
	(void)arg;
	(void)why;
	return fputs("REPORT\n", f) >= 0;
}

static bool
write_fails(FILE *f, const void *arg, const char **why)
{
	(void)f;
	(void)arg;
	*why = "the emitter failed";
	return false;
}

/* Runs output_commit with standard output sent to the file "stdout" of
 * the directory. */
static bool
commit_capturing(struct output_set *s)
{
	int saved, fd;
	bool ok;

	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	fd = open(in_dir("stdout"), O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(saved >= 0 && fd >= 0);
	dup2(fd, STDOUT_FILENO);
	close(fd);
	ok = output_commit(s);
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	return ok;
}

static void
a_failed_rename_puts_back_the_files_replaced(void **state)
{
	struct output_set *s = output_begin();
	char *a = in_dir("a.json"), *b = in_dir("b.json"),
	    *c = in_dir("c.json");

	(void)state;
	put_file("a.json", "old a");
	put_file("b.json", "old b");
	output_add_buf(s, a, "new a", 5);
	output_add_buf(s, c, "new c", 5);	/* a file that was not there */
	output_add_buf(s, b, "new b", 5);
	output_add_report(s, "report", write_report, NULL);
	assert_true(output_check(s, NULL));
	assert_true(output_write(s));
	remove_temporary_of("b.json");	/* a and c are renamed, b fails */
	assert_false(commit_capturing(s));
	assert_string_equal(file_text("a.json"), "old a");
	assert_string_equal(file_text("b.json"), "old b");
	assert_string_equal(file_text("c.json"), "(none)");
	/* nothing was printed: the report waits for every file */
	assert_string_equal(file_text("stdout"), "");
	assert_int_equal(count_named(".planner-"), 0);
}

static void
the_report_comes_once_the_files_are_in_place(void **state)
{
	struct output_set *s = output_begin();

	(void)state;
	put_file("a.json", "old a");
	output_add_buf(s, in_dir("a.json"), "new a", 5);
	output_add_report(s, "report", write_report, NULL);
	assert_true(output_check(s, NULL));
	assert_true(output_write(s));
	assert_true(commit_capturing(s));
	assert_string_equal(file_text("a.json"), "new a");
	assert_string_equal(file_text("stdout"), "REPORT\n");
	assert_int_equal(count_named(".planner-"), 0);	/* no backup left */
}

/* A PID no process has: a child that ended and was reaped. */
static long
dead_pid(void)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(0);
	assert_true(pid > 0);
	waitpid(pid, NULL, 0);
	return (long)pid;
}

static void
temporaries_of_a_killed_run_are_cleared(void **state)
{
	struct output_set *s = output_begin();
	char stale[64], stale_old[64], alive[64], other[64];
	long dead = dead_pid();

	(void)state;
	snprintf(stale, sizeof(stale), ".a.json.planner-tmp-%ld-Ab3xY9", dead);
	/* a backup whose file is missing: the run died between moving the
	 * file aside and renaming the new one in; it is the file */
	snprintf(stale_old, sizeof(stale_old),
	    ".a.json.planner-old-%ld-Qz81kK", dead);
	snprintf(alive, sizeof(alive), ".a.json.planner-tmp-%ld-Ab3xY9",
	    (long)getppid());
	snprintf(other, sizeof(other), ".b.json.planner-tmp-%ld-Ab3xY9", dead);
	put_file(stale, "half");
	put_file(stale_old, "kept a");
	put_file(alive, "in progress");
	put_file(other, "another file's");
	/* the write fails: what is left is what the clearing did */
	output_add(s, in_dir("a.json"), "JSON plan", write_fails, NULL);
	assert_true(output_check(s, NULL));
	assert_false(output_write(s));
	output_abort(s);
	assert_string_equal(file_text(stale), "(none)");
	assert_string_equal(file_text(stale_old), "(none)");
	assert_string_equal(file_text("a.json"), "kept a");
	assert_string_equal(file_text(alive), "in progress");
	assert_string_equal(file_text(other), "another file's");
}

static void
standard_output_is_known_by_other_names(void **state)
{
	int saved, fd;
	bool dev_stdout, other;

	(void)state;
	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	fd = open(in_dir("out"), O_WRONLY | O_CREAT | O_TRUNC, 0644);
	dup2(fd, STDOUT_FILENO);
	close(fd);
	dev_stdout = output_is_stdout("/dev/stdout");
	other = output_is_stdout(in_dir("out"));
	dup2(saved, STDOUT_FILENO);
	close(saved);
	assert_true(output_is_stdout("-"));
	assert_true(dev_stdout);
	assert_true(other);
	assert_false(output_is_stdout(in_dir("not-out")));
	assert_false(output_is_stdout(""));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    a_failed_rename_puts_back_the_files_replaced,
		    make_dir, remove_dir),
		cmocka_unit_test_setup_teardown(
		    the_report_comes_once_the_files_are_in_place,
		    make_dir, remove_dir),
		cmocka_unit_test_setup_teardown(
		    temporaries_of_a_killed_run_are_cleared,
		    make_dir, remove_dir),
		cmocka_unit_test_setup_teardown(
		    standard_output_is_known_by_other_names,
		    make_dir, remove_dir),
	};

	output_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
