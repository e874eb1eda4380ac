/*
 * util.c: the small machinery every phase uses: messages on standard
 * error ("planner: ..."), checked allocation, the arena that owns a run's
 * objects, growable arrays and strings, a string hash map, and the edit
 * distance behind "did you mean".
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "util.h"

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		fatal("out of memory");
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		fatal("out of memory");
	return p;
}

size_t
array_size(size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		fatal("out of memory: %zu items of %zu bytes", n, size);
	return n * size;
}

void *
xmalloc_array(size_t n, size_t size)
{
	return xmalloc(array_size(n, size));
}

void *
xrealloc_array(void *p, size_t n, size_t size)
{
	return xrealloc(p, array_size(n, size));
}

void *
arena_array(struct arena *a, size_t n, size_t size)
{
	return arena_alloc(a, array_size(n, size));
}

/*
 * Messages name files, and a file name may hold anything but '/' and NUL:
 * an escape sequence would set the terminal's title or clear the screen.
 * What they print is cleaned as diagnostics are (fputs_clean); a short
 * message allocates nothing, as fatal("out of memory") must not.
 */
void
vsay(const char *fmt, va_list ap)
{
	char small[512], *big = NULL;
	const char *msg = small;
	va_list ap2;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	if (n < 0)
		msg = fmt;
	else if ((size_t)n >= sizeof(small) && (big = malloc((size_t)n + 1)))
		msg = vsnprintf(big, (size_t)n + 1, fmt, ap2) < 0 ? fmt : big;
	va_end(ap2);
	fputs("planner: ", stderr);
	fputs_clean(msg, stderr);
	fputc('\n', stderr);
	free(big);
}

void
say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay(fmt, ap);
	va_end(ap);
}

void
say_try_help(void)
{
	fputs("try 'planner --help'\n", stderr);
}

_Noreturn void
fatal(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay(fmt, ap);
	va_end(ap);
	exit(2);
}

/* Blocks grow with the run, so a large input costs few mallocs. */
struct arena_block {
	struct arena_block *next;
	size_t used, cap;
	max_align_t data[];
};

/*
 * Big blocks are aligned for transparent huge pages: a large plan touches
 * tens of megabytes once, and page faults would otherwise cost a third of
 * its time.
 */
void *
xmalloc_large(size_t n)
{
	const size_t huge = 2 * 1024 * 1024;
	void *p;

	if (n < huge)
		return xmalloc(n);
	n = (n + huge - 1) / huge * huge;
	p = aligned_alloc(huge, n);
	if (!p)
		fatal("out of memory");
#ifdef MADV_HUGEPAGE
	madvise(p, n, MADV_HUGEPAGE);
#endif
	return p;
}

void *
arena_alloc(struct arena *a, size_t n)
{
	struct arena_block *b = a->block;
	size_t align = sizeof(max_align_t);
	char *p;

	if (n > SIZE_MAX / 2)
		fatal("out of memory: %zu bytes", n);
	n = (n + align - 1) / align * align;
	if (!b || b->cap - b->used < n) {
		size_t cap = b ? b->cap * 2 : 64 * 1024;

		if (cap > 16 * 1024 * 1024)
			cap = 16 * 1024 * 1024;
		if (cap < n)
			cap = n;
		b = xmalloc_large(sizeof(*b) + cap);
		b->next = a->block;
		b->used = 0;
		b->cap = cap;
		a->block = b;
	}
	p = (char *)b->data + b->used;
	b->used += n;
	memset(p, 0, n);
	return p;
}

char *
arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap, ap2;
	char small[256];	/* most names fit: one formatting pass */
	int n;
	char *p;

	va_start(ap, fmt);
	va_copy(ap2, ap);
	n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0)
		fatal("cannot format '%s'", fmt);
	p = arena_alloc(a, (size_t)n + 1);
	if ((size_t)n < sizeof small)
		memcpy(p, small, (size_t)n + 1);
	else
		vsnprintf(p, (size_t)n + 1, fmt, ap2);
	va_end(ap2);
	return p;
}

void
arena_free(struct arena *a)
{
	struct arena_block *b, *next;

	for (b = a->block; b; b = next) {
		next = b->next;
		free(b);
	}
	a->block = NULL;
}

void
vec_push(struct vec *v, void *item)
{
	if (v->n == v->cap) {
		v->cap = v->cap ? v->cap * 2 : 8;
		v->items = xrealloc_array(v->items, v->cap, sizeof(*v->items));
	}
	v->items[v->n++] = item;
}

void
vec_free(struct vec *v)
{
	free(v->items);
	v->items = NULL;
	v->n = v->cap = 0;
}

void **
vec_to_arena(struct vec *v, struct arena *a)
{
	void **items = arena_array(a, v->n, sizeof(*items));

	if (v->n)
		memcpy(items, v->items, v->n * sizeof(*items));
	vec_free(v);
	return items;
}

void
buf_add(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = b->cap ? b->cap * 2 : 256;
		while (b->cap < b->len + n + 1)
			b->cap *= 2;
		b->data = xrealloc(b->data, b->cap);
	}
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void
buf_puts(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void
buf_putc(struct buf *b, int c)
{
	char ch = (char)c;

	buf_add(b, &ch, 1);
}

void
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	char small[256];
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if ((size_t)n < sizeof(small)) {
		buf_add(b, small, (size_t)n);
		return;
	}
	buf_add(b, "", 0);
	if (b->len + (size_t)n + 1 > b->cap) {
		b->cap = b->len + (size_t)n + 1;
		b->data = xrealloc(b->data, b->cap);
	}
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void
buf_free(struct buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

struct map_slot {
	const char *key;
	void *value;
	uint64_t hash;
};

uint64_t
hash_bytes(const void *p, size_t n, uint64_t h)
{
	const unsigned char *s = p;

	if (!h)
		h = 14695981039346656037ULL;
	while (n--) {
		h ^= *s++;
		h *= 1099511628211ULL;
	}
	return h;
}

static struct map_slot *
map_find(const struct map *m, const char *key, uint64_t h)
{
	size_t i = h & (m->cap - 1);

	for (;; i = (i + 1) & (m->cap - 1)) {
		struct map_slot *s = &m->slots[i];

		if (!s->key || (s->hash == h && strcmp(s->key, key) == 0))
			return s;
	}
}

void *
map_get(const struct map *m, const char *key)
{
	struct map_slot *s;

	if (!m->cap)
		return NULL;
	s = map_find(m, key, hash_bytes(key, strlen(key), 0));
	return s->key ? s->value : NULL;
}

static void
map_grow(struct map *m)
{
	struct map_slot *old = m->slots;
	size_t oldcap = m->cap, i;

	m->cap = oldcap ? oldcap * 2 : 64;
	m->slots = xmalloc_array(m->cap, sizeof(*m->slots));
	memset(m->slots, 0, m->cap * sizeof(*m->slots));
	for (i = 0; i < oldcap; i++)
		if (old[i].key)
			*map_find(m, old[i].key, old[i].hash) = old[i];
	free(old);
}

void
map_put(struct map *m, const char *key, void *value)
{
	uint64_t h = hash_bytes(key, strlen(key), 0);
	struct map_slot *s;

	if ((m->n + 1) * 4 > m->cap * 3)
		map_grow(m);
	s = map_find(m, key, h);
	if (!s->key) {
		s->key = key;
		s->hash = h;
		m->n++;
	}
	s->value = value;
}

void
map_free(struct map *m)
{
	free(m->slots);
	m->slots = NULL;
	m->n = m->cap = 0;
}

int
edit_distance(const char *a, const char *b, int limit)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	int row[MAX_NAME + 1], best;

	if (la > MAX_NAME || lb > MAX_NAME)
		return limit + 1;
	if ((int)(la > lb ? la - lb : lb - la) > limit)
		return limit + 1;
	for (j = 0; j <= lb; j++)
		row[j] = (int)j;
	for (i = 1; i <= la; i++) {
		int diag = row[0];

		row[0] = (int)i;
		best = row[0];
		for (j = 1; j <= lb; j++) {
			int up = row[j];
			int cost = diag + (a[i - 1] != b[j - 1]);

			if (row[j] + 1 < cost)
				cost = row[j] + 1;
			if (row[j - 1] + 1 < cost)
				cost = row[j - 1] + 1;
			row[j] = cost;
			diag = up;
			if (cost < best)
				best = cost;
		}
		if (best > limit)
			return limit + 1;
	}
	return row[lb] > limit ? limit + 1 : row[lb];
}

size_t
utf8_char_length(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	size_t len, k;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		len = 2;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4;
	else
		return 0;
	if (len > n)
		return 0;
	for (k = 1; k < len; k++)
		if ((s[k] & 0xc0) != 0x80)
			return 0;
	/* no overlong forms, no surrogates, nothing past U+10FFFF */
	if ((c == 0xe0 && s[1] < 0xa0) || (c == 0xed && s[1] > 0x9f) ||
	    (c == 0xf0 && s[1] < 0x90) || (c == 0xf4 && s[1] > 0x8f))
		return 0;
	return len;
}

size_t
utf8_char_shown(const unsigned char *s, size_t n, bool *replaced)
{
	size_t len = utf8_char_length(s, n);

	/* C0 and C1 controls (U+0080 to U+009F are 0xc2 0x80 to 0xc2 0x9f),
	 * DEL, what is not UTF-8, and the bidirectional controls, which
	 * would reorder on a terminal the very line a Trojan Source warning
	 * quotes: U+061C, U+200E, U+200F, U+202A to U+202E, U+2066 to
	 * U+2069 */
	*replaced = len == 0 || s[0] < 0x20 || s[0] == 0x7f ||
	    (len == 2 && s[0] == 0xc2 && s[1] < 0xa0) ||
	    (len == 2 && s[0] == 0xd8 && s[1] == 0x9c) ||
	    (len == 3 && s[0] == 0xe2 && s[1] == 0x80 &&
	    (s[2] == 0x8e || s[2] == 0x8f || (s[2] >= 0xaa && s[2] <= 0xae))) ||
	    (len == 3 && s[0] == 0xe2 && s[1] == 0x81 && s[2] >= 0xa6 &&
	    s[2] <= 0xa9);
	return len ? len : 1;
}

void
fputs_clean(const char *s, FILE *out)
{
	size_t n = strlen(s), i = 0, len;
	bool replaced;

	while (i < n) {
		len = utf8_char_shown((const unsigned char *)s + i, n - i,
		    &replaced);
		if (replaced)
			fputs("\xef\xbf\xbd", out);
		else
			fwrite(s + i, 1, len, out);
		i += len;
	}
}

char *
clean_text(const char *s)
{
	size_t n = strlen(s), i = 0, len;
	struct buf b = { 0 };
	bool replaced;
	char *out;

	while (i < n) {
		len = utf8_char_shown((const unsigned char *)s + i, n - i,
		    &replaced);
		if (replaced)
			buf_puts(&b, "\xef\xbf\xbd");
		else
			buf_add(&b, s + i, len);
		i += len;
	}
	out = xmalloc(b.len + 1);
	memcpy(out, b.data ? b.data : "", b.len);
	out[b.len] = '\0';
	buf_free(&b);
	return out;
}

int
utf16_units(const char *s, int len, int at)
{
	int i = 0, units = 0;

	while (i < at) {
		int n = i < len ? (int)utf8_char_length(
		    (const unsigned char *)s + i, (size_t)(len - i)) : 1;

		units += n == 4 ? 2 : 1;
		i += n ? n : 1;
	}
	return units;
}

size_t
utf16_bytes(const char *s, size_t n, long units)
{
	size_t i = 0, k;

	while (i < n && units > 0) {
		k = utf8_char_length((const unsigned char *)s + i, n - i);
		units -= k == 4 ? 2 : 1;
		i += k ? k : 1;
	}
	return i;
}
