/*
 * syntax.h: the front end: tokens (lex.c), the syntax tree (parse.c),
 * the language's keywords (words.c), files and imports (load.c), the
 * canonical layout (fmt.c), and check_program, which turns a tree into the
 * model.
 */
#ifndef SYNTAX_H
#define SYNTAX_H

#include "model.h"

/* lex.c */

enum token_kind {
	TOK_EOF,
	TOK_NL,
	TOK_WORD,	/* name, number or duration: the parser decides */
	TOK_STRING,
	TOK_LBRACE,
	TOK_RBRACE,
	TOK_COMMA,
	TOK_SEMI,
	TOK_COMMENT,	/* kept for fmt; the parser skips them */
};

struct token {
	enum token_kind kind;
	struct loc loc;
	bool line_start;	/* the first token on its line */
	bool bad;		/* a string left unterminated (reported) */
	const char *text;	/* a word as written; a string decoded */
	size_t textlen;
};

/*
 * Splits a source into tokens (comments included), ending with TOK_EOF.
 * The array is on the heap (free it); token texts point into the source
 * or the arena.
 */
struct token *lex_source(struct arena *a, struct diag *d, struct source *src,
    size_t *ntokens);
/* A printable name of a token kind, for "expected ..." messages. */
const char *token_kind_name(enum token_kind k);

/*
 * A character a reader may take for another or not see at all: a look-alike
 * of a letter, a digit, '-' or a space (Cyrillic 'а', U+00A0), an invisible
 * one (U+200B) or a bidirectional control (U+202E, the "Trojan Source"
 * attack).
 */
struct suspect {
	unsigned long cp;	/* its code point */
	char name[48];		/* its Unicode name */
	char looks_like;	/* the ASCII character it passes for, or 0 */
	bool bidi;		/* a bidirectional control */
};

/* Finds the first suspect character in s[0..n): its offset in *at, its
 * length in bytes in *len; false when there is none. */
bool find_suspect(const char *s, size_t n, size_t *at, size_t *len,
    struct suspect *out);
/* "U+0430 CYRILLIC SMALL LETTER A (looks like 'a')", in the arena. */
const char *describe_suspect(struct arena *a, const struct suspect *s);
/* s[0..n) in the arena, ready to quote in a message: each invisible
 * character, space or bidirectional control as <U+XXXX>. */
const char *show_word(struct arena *a, const char *s, size_t n);

/* parse.c */

enum decl_kind { DECL_ROLLOUT, DECL_IMPORT, DECL_GROUP, DECL_SERVICE,
	DECL_WAVE };
#define NDECLS (DECL_WAVE + 1)

enum attr_kind {
	ATTR_IN, ATTR_NEEDS, ATTR_VERSION, ATTR_IMAGE, ATTR_REGISTRY,
	ATTR_NAMESPACE, ATTR_NOTIFY, ATTR_DEPLOY_TEMPLATE, ATTR_DEPLOY_TIMEOUT,
	ATTR_SERVICE_ACCOUNT, ATTR_TAKES, ATTR_PARALLEL, ATTR_SOAK, ATTR_APPROVE,
	ATTR_ON_FAILURE,
};
#define NATTRS (ATTR_ON_FAILURE + 1)	/* keep it the last attribute */

/* words.c: the language's words, spelled once, by their enums */
extern const char *const decl_words[NDECLS];
extern const char *const attr_words[NATTRS];
/*
 * How near word w[0..n) is to the keyword kw, as a slip of the keyboard or
 * of memory: 0 not near (nor kw itself); else 1 or 2 edits, 3 the start of
 * kw or kw and more ("on-fail", "serv"), 4 a '-'-separated part of one that
 * is the other ("cluster-group", "timeout"; parts of 4 letters or more).
 * The lower, the nearer.  Also for commands and options (main.c).
 */
int word_nearness(const char *w, size_t n, const char *kw);
/* The nearest to w[0..n) of words[i] for each bit i of mask, the first
 * among equals; NULL when none is near. */
const char *word_nearest(const char *w, size_t n, const char *const *words,
    size_t nwords, unsigned mask);

/* A name as written, where it was written. */
struct word {
	const char *text;
	struct loc loc;
};

struct attr {
	enum attr_kind kind;
	struct loc loc;		/* the keyword */
	struct word *names;	/* in, needs; or the one name of a name attr */
	size_t nnames;
	const char *str;	/* version, image, registry, notify (decoded);
				 * a duration as written */
	struct loc val;		/* the value's place */
	long num;		/* parallel; a duration in seconds (-1 when
				 * invalid); on-failure */
	int end_line;		/* the line of the attribute's last token */
};

struct decl {
	enum decl_kind kind;
	struct loc loc;		/* the keyword */
	struct word name;	/* import: the path, decoded */
	bool broken;		/* a syntax error inside: its names are unsure */
	bool has_block;		/* rollout: a block was given */
	struct attr **attrs;
	size_t nattrs;
	struct word *members;	/* group */
	size_t nmembers;
	int end_line;		/* the line of the closing token */
	struct source *src;
	struct file *file;	/* import: the file it read, or NULL */
};

/* One parsed file: its declarations and comments. */
struct file {
	struct source *src;
	struct decl **decls;
	size_t ndecls;
	struct token **comments;	/* for fmt */
	size_t ncomments;
	bool imported;
	const char *real;	/* its real path; NULL for standard input */
	size_t index;		/* in the program's files; set by check */
};

/* Parses one source into a file; errors go to the sink. */
struct file *parse_source(struct arena *a, struct diag *d, struct source *src);
/* Parses a duration word into seconds; false when it is not one. */
bool parse_duration(const char *s, size_t n, long *seconds);
/* The attributes the block of a declaration of this kind takes, a bit per
 * enum attr_kind; 0 for a kind without attributes (import, group). */
unsigned block_attrs(enum decl_kind kind);
/* True when a word is a valid DNS-1123 label. */
bool is_name(const char *s, size_t n);

/* load.c */

/* Every file of a rollout, the root first, each read once. */
struct program {
	struct file **files;
	size_t nfiles;
};

/*
 * Limits on what planner reads and plans (docs/language.md, "Limits").
 * Each is far above a real fleet and each gives an error that names it.
 */
#define MAX_FILE_SIZE (16 << 20)	/* bytes in one file */
#define MAX_FILE_SIZE_TEXT "16 MiB"
#define MAX_TOTAL_SIZE (64 << 20)	/* bytes in all files of a rollout */
#define MAX_TOTAL_SIZE_TEXT "64 MiB"
#define MAX_FILES 16384			/* files in a rollout */
#define MAX_IMPORT_DEPTH 4096		/* imports inside imports */
#define MAX_LINE 16384			/* bytes in a line */
#define MAX_STRING 4096			/* bytes in a string, decoded */
#define MAX_NUMBER 999999999		/* the largest 'parallel' */
#define MAX_DEPLOYS 1000000		/* deploys in a rollout */

/*
 * Reads and parses path and every file it imports.  Returns NULL when path
 * itself cannot be read (status 2); errors in imports go to the sink, and
 * so does a path that is not text (a program with no files then).
 * Imports stay under the real directory of path (the current directory
 * for "-"); /proc, /sys and /dev are never read; an imported file that is
 * not UTF-8 text or does not start like rollout source is refused by its
 * path alone, no byte of it shown.
 */
struct program *load_program(struct arena *a, struct diag *d, const char *path);
/*
 * load_program with imports under import_root instead (--import-root; a
 * directory; NULL: the directory of path).  NULL, said on standard error,
 * when import_root cannot be resolved too.
 */
struct program *load_program_within(struct arena *a, struct diag *d,
    const char *path, const char *import_root);
/* True when path is /proc, /sys or /dev, or under them: never read. */
bool in_kernel_dirs(const char *path);
/*
 * Texts that stand for files, by real path: planner lsp's open buffers,
 * which win over the files on disk.  text returns the text for the file
 * at real path real (not NUL-terminated) and its length, or NULL.
 */
struct overlay {
	const char *(*text)(const void *ctx, const char *real, size_t *len);
	const void *ctx;
};
/*
 * load_program_within with the texts of over in place of the files they
 * stand for (the root too: by its real path, or by path itself when it is
 * an absolute path not on disk yet), with nothing said on standard error:
 * NULL when path cannot be read.
 */
struct program *load_program_over(struct arena *a, struct diag *d,
    const char *path, const char *import_root, const struct overlay *over);
/*
 * Reads a file (standard input for "-") into a source called shown.  An
 * import must be a regular file; the root may be a pipe too.  Returns NULL
 * and sets *why when it cannot be read, or is over MAX_FILE_SIZE.
 */
struct source *source_read(struct arena *a, const char *path,
    const char *shown, bool imported, const char **why);
/* Reads the FILE of the command line as load_program does ("-" is standard
 * input, shown as "<stdin>"); NULL, said on standard error, when it
 * cannot be read. */
struct source *source_read_root(struct arena *a, const char *path);
/* Finds the first NUL byte or invalid UTF-8 in s: says what it is in what
 * and where in *at, and returns what; NULL when s is all text. */
#define BINARY_WHAT 32
const char *source_find_binary(const struct source *s, struct loc *at,
    char what[BINARY_WHAT]);
/* Reports what source_find_binary finds in s, as the error in a file;
 * false when s is all text. */
bool report_binary(struct diag *d, const struct source *s);

/* What a rollout says of one of the files it imports (check --file). */
struct file_lookup {
	const char *shown;	/* the name its diagnostics give the file;
				 * NULL when it does not import it */
	const char *near;	/* then the nearest of its files' names, by
				 * edit distance (at most 2), or NULL */
	size_t nfiles;		/* the rollout's files */
	int nerrors;		/* found reading them (imports that fail) */
};
/*
 * Reads the rollout at path and its imports as load_program_within does,
 * with nothing said, and tells whether one of them is the file at file
 * (the same device and inode; none when file cannot be read).  False when
 * path is "-" or cannot be read.
 */
bool find_in_rollout(struct arena *a, const char *path,
    const char *import_root, const char *file, struct file_lookup *out);
/* find_in_rollout with the texts of over in place of files (NULL: none). */
bool find_in_rollout_over(struct arena *a, const char *path,
    const char *import_root, const struct overlay *over, const char *file,
    struct file_lookup *out);
/* The rollout a team's file is checked in, when it declares none. */
#define ROLLOUT_FILE "rollout.dsl"
#define MAX_WALK_UP 32		/* directories looked in, at most */
/*
 * For 'planner check FILE' when FILE declares no rollout: the nearest
 * ROLLOUT_FILE that imports it, in FILE's directory or above it, up to
 * the top of its repository (a directory holding .git, .hg, .svn or .jj)
 * or of the file system, MAX_WALK_UP directories at most.  Returns the
 * path to read it by (relative to the current directory), and sets *shown
 * to the name its diagnostics give FILE; NULL when there is none.
 * *searched is false when FILE declares a rollout, is standard input, or
 * cannot be read: then it is checked as it is, and nothing was looked for.
 */
const char *find_importing_rollout(struct arena *a, const char *file,
    const char *import_root, const char **shown, bool *searched);
/* find_importing_rollout with the texts of over in place of files. */
const char *find_importing_rollout_over(struct arena *a, const char *file,
    const char *import_root, const struct overlay *over, const char **shown,
    bool *searched);

/* check.c */

/* Checks a program; returns the model, or NULL when there were errors. */
struct rollout *check_program(struct arena *a, struct diag *d,
    struct program *prog);
/* Checks a program as check_program does, and returns the model even when
 * there were errors: then only its lists of names (services, clusters,
 * groups, waves: those whose declarations were read, each once) are to be
 * read, as 'planner names' does. */
struct rollout *check_program_partial(struct arena *a, struct diag *d,
    struct program *prog);

/* fmt.c */

/* Writes the canonical form of a parsed file. */
void fmt_file(struct buf *out, const struct file *f);

#endif
