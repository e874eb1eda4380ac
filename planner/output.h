/*
 * output.h: the files a run writes, all or none of them (as git's
 * tempfile.h and lockfile.h).
 *
 * A set is used once, in this order:
 *
 *	struct output_set *s = output_begin();
 *	output_add(s, "plan.json", "JSON plan", write_json, plan);
 *	output_add_buf(s, "rollout.dsl", text, len);
 *	if (output_check(s, inputs) && output_write(s))
 *		return output_commit(s);
 *	output_abort(s);
 *	return false;
 *
 * output_check decides how each path is written before anything is: a
 * regular file, or one that does not exist yet, is replaced by renaming a
 * temporary made beside it, through any symlink (a dangling one too, so the
 * link stays a link); standard output ("-"), a device or a pipe is written
 * directly, from memory, once every other output has been written.  It
 * refuses, before anything is written, what a rename would fail on: an
 * empty path, a directory, a directory that is missing or not writable, a
 * file of another user in a sticky directory; and a path named twice (in
 * any spelling, through symlinks, or standard output as "-" and as
 * /dev/stdout) and a file of the rollout (standard input included, when
 * the rollout was read from it and it is a file).
 *
 * output_write writes every output into its temporary (synced to disk) or
 * into memory; output_commit sends the memory out, then renames the
 * temporaries into place with the signals held, keeping each file replaced
 * as a backup (a second link) until every rename succeeded: a rename that
 * fails puts back what the others replaced.  A report (output_add_report:
 * the readable plan) is printed last, once every file is in place; a
 * reader that closed it early is no failure.  From output_begin to
 * output_commit or output_abort, SIGINT, SIGTERM, SIGHUP and SIGQUIT
 * (unless ignored) and any exit remove the temporaries first.  One set at
 * a time.
 *
 * Temporaries are named .NAME.planner-tmp-PID-XXXXXX beside NAME (backups
 * .NAME.planner-old-PID-XXXXXX, NAME cut to fit the longest file name);
 * before a file is written, those of earlier runs whose process is gone
 * (a SIGKILL) are removed, or, for a backup whose file is missing, put
 * back.
 *
 * Errors: each function that returns bool says what failed on standard
 * error ("planner: cannot write 'x': No space left on device") and returns
 * false; the caller only chooses the exit status.  Until output_commit,
 * no file has changed; when output_commit fails, no file has changed
 * either, but what went to standard output or a device stays sent.
 * output_commit and output_abort free the set and remove what temporaries
 * are left.
 */
#ifndef PLANNER_OUTPUT_H
#define PLANNER_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct program;

/* The most outputs a command line asks for (planner.1: -o counts for
 * four), and the most one set holds: those and the report. */
#define OUTPUT_MAX 8
#define OUTPUT_SET_MAX (OUTPUT_MAX + 1)

/* Opens /dev/null on file descriptors 0, 1 and 2 when they are closed (so
 * that no file planner opens, nor Graphviz's messages, lands on them;
 * standard output closed is still an error to write to); ignores SIGPIPE
 * and SIGXFSZ for the whole run, so that a closed pipe or a file too
 * large is a write error; and removes temporaries at any exit.  Call
 * once, first thing in main. */
void output_init(void);
/* Flushes what was printed on standard output directly (--help,
 * --version); false, said, when it fails or was closed at start-up. */
bool output_flush_stdout(void);
/* True when path is standard output: "-", or another name of the file,
 * pipe or device standard output is (/dev/stdout). */
bool output_is_stdout(const char *path);
/* Starts an empty set; from now on a signal removes its temporaries. */
struct output_set *output_begin(void);
/* Adds path ("-" for standard output), written by write(f, arg, &why);
 * what names it in messages ("JSON plan").  write returns false on
 * failure, with *why set when it knows better than errno.  path, what and
 * arg must outlive the set. */
void output_add(struct output_set *s, const char *path, const char *what,
    bool (*write)(FILE *f, const void *arg, const char **why),
    const void *arg);
/* Adds the report, for standard output: written into memory and printed
 * after every other output is in place; a closed pipe (EPIPE) is no
 * failure and is not said. */
void output_add_report(struct output_set *s, const char *what,
    bool (*write)(FILE *f, const void *arg, const char **why),
    const void *arg);
/* Adds path with the len bytes at data as its contents (kept, not copied). */
void output_add_buf(struct output_set *s, const char *path, const char *data,
    size_t len);
/* Decides how each output is written, refusing what a rename would fail
 * on, a path named twice, and any file of inputs (which may be NULL);
 * nothing is written. */
bool output_check(struct output_set *s, const struct program *inputs);
/* Writes every output into its temporary file or into memory; stops at
 * the first that fails. */
bool output_write(struct output_set *s);
/* Writes what is held in memory, renames every temporary into place (or
 * puts back every file replaced when one fails), then prints the report;
 * frees the set. */
bool output_commit(struct output_set *s);
/* Removes every temporary; frees the set. */
void output_abort(struct output_set *s);
/* Creates dir and its parents, like mkdir -p; false with errno set. */
bool output_make_dir(const char *dir);

#endif
