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
 * directly, from memory, once every other output has been written.  A
 * directory, a path named twice (in any spelling, or through symlinks) and
 * a file of the rollout are refused.  output_write writes every output into
 * its temporary (synced to disk) or into memory; output_commit sends the
 * memory out, then renames the temporaries into place with the signals
 * held.  From output_begin to output_commit or output_abort, SIGINT,
 * SIGTERM, SIGHUP and SIGQUIT (unless ignored) and any exit remove the
 * temporaries first.  One set at a time.
 *
 * Errors: each function that returns bool says what failed on standard
 * error ("planner: cannot write 'x': No space left on device") and returns
 * false; the caller only chooses the exit status.  Until output_commit,
 * no file has changed.  When output_commit fails, what went to standard
 * output or a device stays sent and the renames stop at the first that
 * fails (output_check leaves little that can).  output_commit and
 * output_abort free the set and remove what temporaries are left.
 */
#ifndef PLANNER_OUTPUT_H
#define PLANNER_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct program;

/* The most outputs one set holds. */
#define OUTPUT_MAX 10

/* Ignores SIGPIPE and SIGXFSZ for the whole run, so that a closed pipe or
 * a file too large is a write error, and removes temporaries at any exit.
 * Call once, first thing in main. */
void output_init(void);
/* Starts an empty set; from now on a signal removes its temporaries. */
struct output_set *output_begin(void);
/* Adds path ("-" for standard output), written by write(f, arg, &why);
 * what names it in messages ("JSON plan").  write returns false on
 * failure, with *why set when it knows better than errno.  path, what and
 * arg must outlive the set. */
void output_add(struct output_set *s, const char *path, const char *what,
    bool (*write)(FILE *f, const void *arg, const char **why),
    const void *arg);
/* Adds path with the len bytes at data as its contents (kept, not copied). */
void output_add_buf(struct output_set *s, const char *path, const char *data,
    size_t len);
/* Decides how each output is written, refusing a directory, a path named
 * twice, and any file of inputs (which may be NULL); nothing is written. */
bool output_check(struct output_set *s, const struct program *inputs);
/* Writes every output into its temporary file or into memory; stops at
 * the first that fails. */
bool output_write(struct output_set *s);
/* Writes what is held in memory, then renames every temporary into place;
 * frees the set. */
bool output_commit(struct output_set *s);
/* Removes every temporary; frees the set. */
void output_abort(struct output_set *s);
/* Creates dir and its parents, like mkdir -p; false with errno set. */
bool output_make_dir(const char *dir);

#endif
