/*
 * pick.h: the interactive picker (pick.c), 'planner plan --interactive'.
 * It asks which services to ship, whether to add what they need or what
 * needs them, from which wave and to which clusters, shows the summary of
 * the plan and asks to confirm; what it gives is a struct selection, the
 * one the command line's --only, --with-needs, --with-dependents,
 * --from-wave and --clusters fill, so the plan is then made and written
 * exactly as without it.  It reads the checked model, never the tree.
 *
 * Three parts, so the screen code stays small and testable: pick_decode
 * turns the terminal's bytes into keys; pick_start and pick_key are the
 * state machine (keys in, state out), which draws nothing; pick_draw
 * turns a state into one frame of plain ANSI text.  pick_run joins them
 * on /dev/tty in raw mode.
 */
#ifndef PICK_H
#define PICK_H

#include "select.h"

/* The exit status of a pick cancelled (Esc, Ctrl-C, 'n' at the end):
 * 128 + SIGINT, what a shell reports for Ctrl-C.  Nothing is written. */
#define PICK_CANCELLED_STATUS 130

enum pick_key_kind {
	PICK_KEY_NONE,		/* a key the picker does not use */
	PICK_KEY_CHAR,		/* a printable ASCII character, in ch */
	PICK_KEY_UP,		/* Up, Ctrl-P */
	PICK_KEY_DOWN,		/* Down, Ctrl-N */
	PICK_KEY_PAGE_UP,
	PICK_KEY_PAGE_DOWN,
	PICK_KEY_HOME,
	PICK_KEY_END,
	PICK_KEY_TOGGLE,	/* space */
	PICK_KEY_ENTER,		/* Enter (CR or LF) */
	PICK_KEY_BACKSPACE,	/* Backspace (DEL or Ctrl-H) */
	PICK_KEY_CLEAR,		/* Ctrl-U: clears the filter */
	PICK_KEY_CANCEL,	/* Esc, Ctrl-C */
	PICK_KEY_SUSPEND,	/* Ctrl-Z: pick_run stops, as a shell would */
};

struct pick_key {
	enum pick_key_kind kind;
	char ch;		/* PICK_KEY_CHAR's character */
};

/*
 * Decodes the key at the start of s[0..n): returns how many bytes it
 * took, or 0 when they are the start of an escape sequence that may go
 * on.  With more_coming false (nothing more arrived in time) every byte
 * is taken: a lone Esc is PICK_KEY_CANCEL.
 */
size_t pick_decode(const unsigned char *s, size_t n, bool more_coming,
    struct pick_key *k);

/* The questions, in order, then how it ended. */
enum pick_step {
	PICK_SERVICES,		/* which services (type to filter, marks) */
	PICK_CLOSURE,		/* neither, needs, dependents or both */
	PICK_WAVE,		/* from which wave */
	PICK_CLUSTERS,		/* which clusters (type to filter, marks) */
	PICK_CONFIRM,		/* the summary; ship it? */
	PICK_DONE,		/* confirmed: sel holds the selection */
	PICK_CANCELLED,
};

/* The list a question shows. */
struct pick_list {
	const char **names;	/* what is picked, and what typing filters */
	const char **notes;	/* shown beside each name */
	size_t n;
	bool multi;		/* marks and a filter; else one choice */
	bool *marked;
	size_t nmarked;
	char filter[MAX_NAME + 1];	/* as typed, matched ignoring case */
	size_t nfilter;
	size_t *shown;		/* the items matching the filter, in order */
	size_t nshown;
	size_t cursor;		/* in shown */
};

struct pick {
	struct arena *a;		/* everything lives here */
	struct rollout *r;
	struct selection sel;		/* what was picked so far */
	enum pick_step step;
	struct pick_list list;		/* the question being asked */
	const char *note;		/* a line under the list, or NULL */
	const char **summary;		/* PICK_CONFIRM: the plan's summary */
	size_t nsummary;
};

/* Starts at the first question; given's live state is kept, the rest is
 * picked. */
void pick_start(struct pick *p, struct arena *a, struct rollout *r,
    const struct selection *given);
/* One key: returns the step it leads to.  A question that has nothing to
 * choose from (one wave, one cluster; needs when every service ships) is
 * skipped. */
enum pick_step pick_key(struct pick *p, struct pick_key k);
/* One frame of the screen for p, rows by cols, in plain ANSI escapes. */
void pick_draw(const struct pick *p, struct buf *out, int rows, int cols);

/* Appends the selection as the command line gives it, each word after a
 * space and shell-quoted: " --only a,b --with-needs --from-wave us". */
void pick_command(struct buf *b, const struct selection *sel);
/* Appends s as one shell word: as it is when that is safe, else quoted. */
void pick_shell_word(struct buf *b, const char *s);

/*
 * Asks on /dev/tty, in raw mode (restored on every way out, signals and
 * exit included): 0 with *sel filled in (the arrays in a) when confirmed,
 * PICK_CANCELLED_STATUS when cancelled, 2 when the terminal fails (said
 * on standard error).
 */
int pick_run(struct arena *a, struct rollout *r, struct selection *sel);

#endif
