/*
 * util.h: the small machinery every phase uses (util.c): messages on
 * standard error, checked allocation, the arena, growable arrays and
 * strings, the hash map.
 */
#ifndef UTIL_H
#define UTIL_H

#include <stdarg.h>
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
/* Prints "planner: MESSAGE" on standard error. */
void say(const char *fmt, ...) PRINTF_LIKE(1, 2);
/* say, from a va_list. */
void vsay(const char *fmt, va_list ap) PRINTF_LIKE(1, 0);
/* Prints "try 'planner --help'" on standard error: what follows a mistake
 * on the command line. */
void say_try_help(void);
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
/* The length of the character at s (1 to 4 bytes, at most n; 1 for a byte
 * that is not UTF-8), and in *replaced whether it must not reach a
 * terminal as it is: a C0 or C1 control (an escape sequence), DEL, or not
 * UTF-8.  Such a character is shown as U+FFFD. */
size_t utf8_char_shown(const unsigned char *s, size_t n, bool *replaced);
/* Writes s to out, each character utf8_char_shown replaces as U+FFFD. */
void fputs_clean(const char *s, FILE *out);
/* A copy of s safe to show, as fputs_clean writes it; free it. */
char *clean_text(const char *s);
/* The UTF-16 code units (what LSP and editors count) in the first at bytes
 * of s, len bytes long; each byte past len counts one. */
int utf16_units(const char *s, int len, int at);
/* The bytes of s (n long) before its UTF-16 code unit units; n when that
 * is past its end. */
size_t utf16_bytes(const char *s, size_t n, long units);
/* Levenshtein distance of two short strings, capped at limit + 1. */
int edit_distance(const char *a, const char *b, int limit);

#endif
