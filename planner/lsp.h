/*
 * lsp.h: planner lsp, the Language Server.  lsp.c speaks the protocol
 * (JSON-RPC over standard input and output) and keeps the editor's open
 * buffers; lsp_query.c reads a rollout as the editor has it and answers
 * what the editor asks of it: diagnostics, definitions, references,
 * hovers, completions, symbols and the canonical layout.
 *
 * Places go between the two as LSP gives them: 0-based lines, and
 * characters counted in UTF-16 code units (the protocol's default, which
 * every client speaks).
 */
#ifndef LSP_H
#define LSP_H

#include <jansson.h>

#include "syntax.h"

/* lsp.c */

/* Serves the protocol on in and out until the client says exit, or in
 * ends; the exit status (0 after shutdown, 1 without it). */
int lsp_serve(int in, int out, const char *import_root);

/* "file:///a%20b.dsl" for "/a b.dsl", in the arena. */
const char *uri_from_path(struct arena *a, const char *path);

/* lsp_query.c */

/* A rollout read as the editor has it (open buffers over files). */
struct analysis {
	struct arena arena;
	const char *root;		/* the rollout's file, as asked for */
	const char *root_shown;		/* its name in the diagnostics */
	struct program *prog;		/* NULL when the root cannot be read */
	struct rollout *model;		/* partial when there are errors */
	struct plan *plan;		/* NULL when there are errors */
	json_t *diagnostics;		/* planner check's, as its JSON */
	int nerrors;
	struct occurrence *occ;		/* every name written, by file */
	size_t nocc;
	const char **files;		/* the real paths of its files */
	size_t nfiles;
	struct map by_shown;		/* diagnostics' file name -> file */
	struct map by_real;		/* real path -> its LSP diagnostics */
	struct vec lists;		/* the lists of by_real, to free */
	struct arena scratch;		/* what a query makes, freed by the
					 * next */
};

/* Reads the rollout at root (and its imports) with over's texts in place
 * of the files, and checks and plans it; free with analysis_free. */
struct analysis *analyze(const char *root, const char *import_root,
    const struct overlay *over);
void analysis_free(struct analysis *an);

/* The root to read the file at real path path in: itself when its text
 * (over's, else the file's) declares a rollout, else the nearest
 * rollout.dsl above it that imports it, else itself.  In the arena. */
const char *root_of(struct arena *a, const char *path,
    const char *import_root, const struct overlay *over);

/* True when an's rollout still reads the file at real path real as it
 * did: the file is one of its files, the root declaring a rollout or an
 * import declaring none.  Then the file needs no new search for its
 * rollout (root_of, which reads the rollouts above it) after a change. */
bool analysis_keeps(struct analysis *an, const char *real);
/* The diagnostics of an analysis for the file at real path real, as LSP
 * Diagnostic objects (a new array). */
json_t *diagnostics_for(struct analysis *an, const char *real);
/* The real paths of the analysis's files (in its arena), and how many. */
const char **analysis_files(struct analysis *an, size_t *n);

/* A place in a file as LSP gives it. */
struct position {
	const char *real;	/* the file's real path */
	int line;		/* from 0 */
	int character;		/* from 0, in UTF-16 code units */
};

/* The Location of the declaration of the name at pos; json null when
 * there is no name there. */
json_t *query_definition(struct analysis *an, struct position pos);
/* The Locations where the name at pos is written (its declaration too
 * when with_declaration); an empty array when there is no name there. */
json_t *query_references(struct analysis *an, struct position pos,
    bool with_declaration);
/* A Hover for the name at pos (Markdown), or json null. */
json_t *query_hover(struct analysis *an, struct position pos);
/* The CompletionItems for pos in text (the buffer as it is now, len
 * bytes): the names and keywords the grammar allows there. */
json_t *query_completion(struct analysis *an, const char *text, size_t len,
    struct position pos);
/* The DocumentSymbols of the file at real path real. */
json_t *query_symbols(struct analysis *an, const char *real);
/* The TextEdits that give text (len bytes, shown as path) its canonical
 * form; NULL with *why set when it has syntax errors. */
json_t *query_format(const char *path, const char *text, size_t len,
    const char **why);

#endif
