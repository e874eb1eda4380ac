/*
 * planner.h: the one internal header of planner.
 *
 * Data flows one way: source -> tokens -> tree -> checked model -> plan ->
 * emitters.  Each section below belongs to one .c file and lists what that
 * file offers the others; everything else in a .c file is static.
 */
#ifndef PLANNER_H
#define PLANNER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* util.c */

/* Lets the compiler check the arguments of a printf-like function. */
#if defined(__GNUC__) || defined(__clang__)
#define PRINTF_LIKE(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define PRINTF_LIKE(fmt, args)
#endif

/* The longest name Kubernetes takes for anything that can become part of a
 * pod's name (a DNS-1123 label): the language's names and the Workflow's. */
#define MAX_NAME 63

/* Ends the program with a message when memory runs out. */
void *xmalloc(size_t n);
/* Like xmalloc, for big arrays: asks for transparent huge pages. */
void *xmalloc_large(size_t n);
/* n * size, ending the program when that overflows: every array's size
 * goes through here (or through the *_array functions). */
size_t array_size(size_t n, size_t size);
/* xmalloc of an array of n items of size bytes, overflow checked. */
void *xmalloc_array(size_t n, size_t size);
/* xrealloc of an array of n items of size bytes, overflow checked. */
void *xrealloc_array(void *p, size_t n, size_t size);
/* Like realloc, but ends the program when memory runs out. */
void *xrealloc(void *p, size_t n);
/* Prints "planner: MESSAGE" on standard error and exits with status 2. */
_Noreturn void fatal(const char *fmt, ...) PRINTF_LIKE(1, 2);

/* A bump allocator: everything of one run lives here and is freed at once. */
struct arena {
	struct arena_block *block;
};

/* Returns n zeroed bytes that live until arena_free. */
void *arena_alloc(struct arena *a, size_t n);
/* Returns an array of n zeroed items of size bytes, overflow checked. */
void *arena_array(struct arena *a, size_t n, size_t size);
/* Copies n bytes of s into the arena, adding a terminating NUL. */
char *arena_strndup(struct arena *a, const char *s, size_t n);
/* Formats into a string that lives in the arena. */
char *arena_printf(struct arena *a, const char *fmt, ...)
    PRINTF_LIKE(2, 3);
/* Frees every block of the arena. */
void arena_free(struct arena *a);

/* A growable array of pointers, on the heap; free with vec_free. */
struct vec {
	void **items;
	size_t n, cap;
};

/* Appends one pointer. */
void vec_push(struct vec *v, void *item);
/* Releases the items array. */
void vec_free(struct vec *v);
/* Copies the items into the arena and empties the vector. */
void **vec_to_arena(struct vec *v, struct arena *a);

/* A growable string buffer, on the heap. */
struct buf {
	char *data;
	size_t len, cap;
};

/* Appends n bytes. */
void buf_add(struct buf *b, const char *s, size_t n);
/* Appends a NUL-terminated string. */
void buf_puts(struct buf *b, const char *s);
/* Appends one character. */
void buf_putc(struct buf *b, int c);
/* Appends formatted text. */
void buf_printf(struct buf *b, const char *fmt, ...) PRINTF_LIKE(2, 3);
/* Releases the buffer. */
void buf_free(struct buf *b);

/* A hash map from strings to pointers (open addressing, FNV-1a). */
struct map {
	struct map_slot *slots;
	size_t n, cap;
};

/* Returns the value of key, or NULL. */
void *map_get(const struct map *m, const char *key);
/* Sets key to value; the key string must outlive the map. */
void map_put(struct map *m, const char *key, void *value);
/* Releases the slots (not the keys or values). */
void map_free(struct map *m);
/* The FNV-1a hash of n bytes. */
uint64_t hash_bytes(const void *p, size_t n, uint64_t h);
/* The length of the UTF-8 character at s (1 to 4 bytes, at most n), or 0
 * when the bytes there are not UTF-8. */
size_t utf8_char_length(const unsigned char *s, size_t n);
/* Levenshtein distance of two short strings, capped at limit + 1. */
int edit_distance(const char *a, const char *b, int limit);

/* diag.c */

/* One file of source text, with the offsets where its lines start. */
struct source {
	const char *path;	/* as the user named it, or as imports resolve */
	const char *text;	/* NUL-terminated */
	size_t len;
	size_t *lines;		/* offset of the start of each line */
	int nlines;
	bool bom;		/* the file began with a byte order mark */
};

/* A place in a source: 1-based line and column (in bytes), and a length. */
struct loc {
	struct source *src;
	int line, col, len;
};

enum severity { SEV_ERROR, SEV_WARNING };

/* The diagnostics sink: formats and counts errors and warnings. */
struct diag {
	FILE *out;
	bool color;
	bool json;
	int max_errors;		/* stop reporting after this many errors */
	bool stopped;		/* an error was dropped, and that was said */
	int nerrors, nwarnings;
	bool muted;		/* the last diagnostic was not shown */
	void *json_list;	/* json: the array of diagnostics (jansson) */
	void *json_last;	/* json: the last diagnostic, for its notes */
};

/* Makes a source from text that now belongs to the arena; a leading byte
 * order mark is dropped. */
struct source *source_new(struct arena *a, const char *path, const char *text,
    size_t len);
/* The text of line n of a source, without its newline, and its length. */
const char *source_line(const struct source *s, int n, int *len);
/* Sets up a sink writing to out. */
void diag_init(struct diag *d, FILE *out, bool color, bool json);
/* Reports an error at loc; notes may follow with diag_note/diag_help. */
void diag_error(struct diag *d, struct loc loc, const char *fmt, ...)
    PRINTF_LIKE(3, 4);
/* Reports a warning at loc. */
void diag_warning(struct diag *d, struct loc loc, const char *fmt, ...)
    PRINTF_LIKE(3, 4);
/* Adds a note pointing at another place to the last diagnostic. */
void diag_note(struct diag *d, struct loc loc, const char *fmt, ...)
    PRINTF_LIKE(3, 4);
/* Adds a help line (no place) to the last diagnostic. */
void diag_help(struct diag *d, const char *fmt, ...) PRINTF_LIKE(2, 3);
/* Flushes the last diagnostic and, in json mode, prints the array. */
void diag_finish(struct diag *d);
/* True once max_errors errors have been reported. */
bool diag_full(const struct diag *d);
/* "file:line:col" of a place, in the arena. */
const char *loc_str(struct arena *a, struct loc loc);

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

/* parse.c */

enum decl_kind { DECL_ROLLOUT, DECL_IMPORT, DECL_GROUP, DECL_SERVICE,
	DECL_WAVE };
#define NDECLS (DECL_WAVE + 1)

enum attr_kind {
	ATTR_IN, ATTR_NEEDS, ATTR_VERSION, ATTR_IMAGE, ATTR_REGISTRY,
	ATTR_NAMESPACE, ATTR_NOTIFY, ATTR_DEPLOY_TEMPLATE, ATTR_PARALLEL,
	ATTR_SOAK, ATTR_APPROVE, ATTR_ON_FAILURE,
};
#define NATTRS (ATTR_ON_FAILURE + 1)	/* keep it the last attribute */

enum on_failure { FAIL_HALT, FAIL_CONTINUE, FAIL_ROLLBACK };
#define NPOLICIES (FAIL_ROLLBACK + 1)

/* words.c: the language's words, spelled once, by their enums */
extern const char *const decl_words[NDECLS];
extern const char *const attr_words[NATTRS];
extern const char *const policy_words[NPOLICIES];
/* "a, b or c": the words whose bit is set in mask, in table order. */
const char *word_list(struct arena *a, const char *const *words, size_t n,
    unsigned mask);

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
	const char *str;	/* version, image, registry, notify (decoded) */
	struct loc val;		/* the value's place */
	long num;		/* parallel; soak in seconds; on-failure */
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
 */
struct program *load_program(struct arena *a, struct diag *d, const char *path);
/*
 * Reads a file (standard input for "-") into a source called shown.  An
 * import must be a regular file; the root may be a pipe too.  Returns NULL
 * and sets *why when it cannot be read, or is over MAX_FILE_SIZE.
 */
struct source *source_read(struct arena *a, const char *path,
    const char *shown, bool imported, const char **why);
/* Finds the first NUL byte or invalid UTF-8 in s: says what it is in what
 * and where in *at, and returns what; NULL when s is all text. */
#define BINARY_WHAT 32
const char *source_find_binary(const struct source *s, struct loc *at,
    char what[BINARY_WHAT]);
/* Reports what source_find_binary found, as the error in a file. */
void report_binary(struct diag *d, struct loc at, const char *what);

/* check.c: the checked model */

struct cluster {
	const char *name;
	struct loc loc;		/* where first declared in a group */
	size_t index;		/* declaration order */
	struct wave *wave;	/* the first wave that includes it, or NULL */
};

struct group {
	const char *name;
	struct loc loc;
	struct cluster **clusters;
	size_t nclusters;
	bool used;
	bool in_waves;		/* a wave took it: its clusters have waves */
};

struct service {
	const char *name;
	struct loc loc;
	size_t index;		/* declaration order */
	const char *version;	/* "latest" when none is given */
	const char *image;
	struct cluster **clusters;	/* in cluster declaration order */
	size_t nclusters;
	struct service **needs;		/* each once, in the order written */
	size_t nneeds;
	struct word *need_words;	/* where each need was written */
	struct decl *decl;
};

struct wave {
	const char *name;
	struct loc loc;
	size_t index;
	struct cluster **clusters;	/* those it owns, declaration order */
	size_t nclusters;
	long parallel;		/* 0: all clusters at once */
	long soak;		/* seconds, 0: none */
	const char *soak_text;	/* as written, e.g. "1h30m" */
	bool approve;
	enum on_failure on_failure;
	struct decl *decl;
};

struct rollout {
	const char *name;
	struct loc loc;
	const char *version;	/* NULL when not given */
	const char *registry;
	const char *namespace;
	const char *notify;
	const char *deploy_template;
	struct service **services;
	size_t nservices;
	struct cluster **clusters;
	size_t nclusters;
	struct group **groups;
	size_t ngroups;
	struct wave **waves;
	size_t nwaves;
};

/* Checks a program; returns the model, or NULL when there were errors. */
struct rollout *check_program(struct arena *a, struct diag *d,
    struct program *prog);

/* plan.c */

/* One (service, cluster) pair. */
struct deploy {
	struct service *service;
	struct cluster *cluster;
	size_t index;		/* position in plan->deploys */
	int step;		/* 1 + the largest step of what it waits for */
	struct deploy **needs;	/* deploys in the same cluster it waits for */
	size_t nneeds;
	size_t chunk;		/* its chunk in its shape, 0 when not split */
};

/*
 * A part of a split cluster DAG: deploys[start .. start+count) of the
 * shape's first cluster (every cluster of the shape splits alike), and the
 * earlier chunks it must wait for because some of its deploys need theirs.
 */
struct chunk {
	size_t start, count;
	size_t *deps;		/* indexes of earlier chunks, ascending */
	size_t ndeps;
};

/*
 * Clusters that run the same set of services (hence the same needs) share a
 * shape; the Argo Workflow gives each shape one template.
 */
struct shape {
	size_t index;
	struct plan_cluster *first;	/* its first cluster in plan order */
	size_t nclusters;
	int nsteps;		/* the longest chain inside the cluster */
	struct chunk *chunks;	/* more than one when > ARGO_MAX_TASKS */
	size_t nchunks;
	int split_steps;	/* the longest chain once split (= nsteps
				 * when not split) */
};

struct plan_cluster {
	struct cluster *cluster;
	struct wave *wave;
	struct shape *shape;
	struct deploy **deploys;	/* by step, then service order */
	size_t ndeploys;
	int nsteps;
};

struct plan_wave {
	struct wave *wave;
	struct plan_cluster **clusters;	/* cluster declaration order */
	size_t nclusters;
	size_t ndeploys;
};

struct plan {
	struct rollout *rollout;
	struct plan_wave *waves;	/* every wave, in order; empty ones too */
	size_t nwaves;
	struct deploy *deploys;		/* wave, cluster, step, service order */
	size_t ndeploys;
	struct plan_cluster *clusters;	/* every cluster with deploys */
	size_t nclusters;
	struct shape **shapes;
	size_t nshapes;
	struct deploy **chain;		/* the longest chain, first to last */
	size_t nchain;
	int split_steps;	/* the longest chain once splits are made */
};

/* Argo's limit of tasks in one DAG template. */
#define ARGO_MAX_TASKS 200
/* Argo's limit of templates in one Workflow. */
#define ARGO_MAX_TEMPLATES 200

/* Builds the plan of a checked rollout. */
struct plan *plan_build(struct arena *a, struct rollout *r);

/* emit_text.c */

/* Writes the readable plan. */
void emit_text(FILE *out, const struct plan *p, bool color);

/* emit_argo.c */

/* Writes the Argo Workflow; false with *why set when it cannot. */
bool emit_argo(FILE *out, const struct plan *p, bool split_waves,
    const char **why);

/* emit_dot.c */

enum graph_format { GRAPH_DOT, GRAPH_SVG, GRAPH_PNG };

/* Writes the diagram; false with *why set when Graphviz fails. */
bool emit_diagram(FILE *out, const struct plan *p, enum graph_format fmt,
    const char **why);

/* emit_json.c */

/* Writes the plan as JSON; false with *why set on failure. */
bool emit_json(FILE *out, const struct plan *p, const char **why);

/* fmt.c */

/* Writes the canonical form of a parsed file. */
void fmt_file(struct buf *out, const struct file *f);

/* names.c */

/*
 * A name for Argo of at most max characters built from parts joined by '-':
 * when too long, a prefix and a short hash of the whole, so it stays unique.
 */
const char *argo_name(struct arena *a, size_t max, const char *first, ...);
/* The name of a wave's approval step: the Workflow's suspend node and the
 * readable plan's `argo resume` command must agree on it. */
const char *approve_name(struct arena *a, const struct wave *w);
/* A duration in seconds as a Go duration: "48h", "1h30m", "45s". */
const char *go_duration(struct arena *a, long seconds);

#endif
