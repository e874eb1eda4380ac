/*
 * lsp.c: planner lsp, a Language Server on standard input and output.
 *
 * The protocol is JSON-RPC 2.0, each message a header ("Content-Length:
 * N", blank line) and N bytes of JSON.  The server keeps the buffers the
 * editor has open (incremental changes applied in UTF-16 positions) and
 * lends them to the loader as an overlay, so a rollout is read as the
 * editor has it: open buffers win over the files on disk.
 *
 * Nothing the client sends stops the server but exit, or the end of its
 * input: a malformed header is answered with a parse error and the server
 * finds the next header; a message past MAX_MESSAGE is skipped unread; a
 * request it does not know is answered "method not found"; a broken file
 * is a file with diagnostics.
 *
 * Diagnostics are published when the client goes quiet: while more input
 * is waiting, changes only mark the buffers, so a burst of edits is
 * checked once, at its end.
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lsp.h"

/* The largest message read: a document of MAX_FILE_SIZE, every byte of it
 * escaped as \uXXXX, and room for the rest. */
#define MAX_MESSAGE ((size_t)MAX_FILE_SIZE * 6 + 4096)
/* The largest header section. */
#define MAX_HEADER 4096

/* JSON-RPC's and LSP's error codes. */
enum {
	RPC_PARSE_ERROR = -32700,
	RPC_INVALID_REQUEST = -32600,
	RPC_METHOD_NOT_FOUND = -32601,
	RPC_INVALID_PARAMS = -32602,
	LSP_SERVER_NOT_INITIALIZED = -32002,
	LSP_REQUEST_FAILED = -32803,
};

/* A buffer the editor has open. */
struct document {
	char *uri;
	char *real;		/* its real path (as the URI says when it is
				 * not on disk); NULL for a URI not file: */
	struct buf text;
	bool dirty;		/* changed since its diagnostics were sent */
	char *root;		/* the rollout it is read in, found when */
	unsigned long root_generation;	/* nothing had changed since */
};

/* The analysis of one root, while nothing has changed since. */
struct cached {
	char *root;
	struct analysis *an;
	unsigned long generation;
};

/* A file whose last published diagnostics were not empty. */
struct published {
	char *uri;
	char *root;		/* the rollout they came from */
	unsigned long round;	/* the publishing round they were sent in */
	bool some;		/* the list sent was not empty */
};

struct server {
	int in, out;
	const char *import_root;
	struct buf input;		/* bytes read, not yet taken */
	size_t taken;			/* input.data[0..taken) is done */
	bool eof;
	bool resync;			/* after a bad header: look for the
					 * next "Content-Length" */
	bool initialized, shut_down, broken_pipe;
	struct vec docs;		/* struct document */
	struct vec cache;		/* struct cached */
	struct vec published;		/* struct published, each uri once */
	struct map published_by_uri;
	unsigned long round;		/* publishing rounds, counted */
	unsigned long generation;	/* bumped by every change */
	struct overlay over;
};

/*
 * URIs
 */

static bool
unreserved(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || strchr("-._~/", c);
}

const char *
uri_from_path(struct arena *a, const char *path)
{
	struct buf b = { 0 };
	const char *s;
	size_t i;

	buf_puts(&b, "file://");
	for (i = 0; path && path[i]; i++) {
		unsigned char c = (unsigned char)path[i];

		if (unreserved(c))
			buf_putc(&b, c);
		else
			buf_printf(&b, "%%%02X", c);
	}
	s = arena_strndup(a, b.data, b.len);
	buf_free(&b);
	return s;
}

static int
hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The path of a file: URI (heap), its real path when it is on disk; NULL
 * for another scheme, a host other than localhost, or a bad escape. */
static char *
path_from_uri(const char *uri)
{
	static const char scheme[] = "file://";
	char *path, real[PATH_MAX];
	const char *p;
	size_t n = 0;
	int hi, lo;

	if (strncasecmp(uri, scheme, sizeof(scheme) - 1) != 0)
		return NULL;
	p = uri + sizeof(scheme) - 1;
	if (strncasecmp(p, "localhost/", 10) == 0)
		p += 9;
	if (*p != '/')
		return NULL;
	path = xmalloc(strlen(p) + 1);
	for (; *p && *p != '?' && *p != '#'; p++) {
		if (*p != '%') {
			path[n++] = *p;
			continue;
		}
		if ((hi = hex_value(p[1])) < 0 || (lo = hex_value(p[2])) < 0 ||
		    (hi == 0 && lo == 0)) {
			free(path);
			return NULL;
		}
		path[n++] = (char)(hi << 4 | lo);
		p += 2;
	}
	path[n] = '\0';
	if (realpath(path, real)) {
		free(path);
		path = xmalloc(strlen(real) + 1);
		strcpy(path, real);
	}
	return path;
}

/*
 * Documents
 */

static struct document *
find_doc(struct server *s, const char *uri)
{
	size_t i;

	for (i = 0; i < s->docs.n; i++) {
		struct document *d = s->docs.items[i];

		if (strcmp(d->uri, uri) == 0)
			return d;
	}
	return NULL;
}

/* The overlay's lookup: the open buffer of the file at real path real. */
static const char *
open_text(const void *ctx, const char *real, size_t *len)
{
	const struct server *s = ctx;
	size_t i;

	for (i = 0; i < s->docs.n; i++) {
		const struct document *d = s->docs.items[i];

		if (d->real && strcmp(d->real, real) == 0) {
			*len = d->text.len;
			return d->text.data ? d->text.data : "";
		}
	}
	return NULL;
}

static void
free_doc(struct document *d)
{
	free(d->root);
	free(d->uri);
	free(d->real);
	buf_free(&d->text);
	free(d);
}

/* The byte offset of an LSP Position in text; false when the position is
 * not a pair of numbers.  A line past the end is the end; a character
 * past its line is the line's end, as the protocol says. */
static bool
offset_of(const struct buf *text, json_t *pos, size_t *at)
{
	json_t *line = json_object_get(pos, "line");
	json_t *ch = json_object_get(pos, "character");
	json_int_t l, c;
	size_t i = 0;
	const char *t = text->data, *nl;

	if (!json_is_integer(line) || !json_is_integer(ch) ||
	    (l = json_integer_value(line)) < 0 ||
	    (c = json_integer_value(ch)) < 0)
		return false;
	for (; l > 0; l--) {
		if (!t || !(nl = memchr(t + i, '\n', text->len - i))) {
			*at = text->len;
			return true;
		}
		i = (size_t)(nl - t) + 1;
	}
	if (!t) {
		*at = 0;	/* an empty buffer */
		return true;
	}
	nl = memchr(t + i, '\n', text->len - i);
	*at = i + utf16_bytes(t + i, nl ? (size_t)(nl - t) - i :
	    text->len - i, c);
	return true;
}

/* Applies one TextDocumentContentChangeEvent; false when it is not
 * one. */
static bool
apply_change(struct document *d, json_t *change)
{
	json_t *text = json_object_get(change, "text");
	json_t *range = json_object_get(change, "range");
	size_t start, end, n;
	struct buf b = { 0 };

	if (!json_is_string(text))
		return false;
	n = json_string_length(text);
	if (!range) {
		d->text.len = 0;
		buf_add(&d->text, json_string_value(text), n);
		return true;
	}
	if (!offset_of(&d->text, json_object_get(range, "start"), &start) ||
	    !offset_of(&d->text, json_object_get(range, "end"), &end))
		return false;
	if (end < start)
		return false;
	buf_add(&b, d->text.data, start);
	buf_add(&b, json_string_value(text), n);
	buf_add(&b, d->text.data + end, d->text.len - end);
	buf_free(&d->text);
	d->text = b;
	return true;
}

/*
 * Reading and writing messages
 */

/* Reads more input; false at its end. */
static bool
read_more(struct server *s)
{
	char chunk[65536];
	ssize_t n;

	if (s->eof)
		return false;
	if (s->taken > 0 && s->taken * 2 >= s->input.len) {
		memmove(s->input.data, s->input.data + s->taken,
		    s->input.len - s->taken);
		s->input.len -= s->taken;
		s->taken = 0;
	}
	do
		n = read(s->in, chunk, sizeof(chunk));
	while (n < 0 && errno == EINTR);
	if (n <= 0) {
		s->eof = true;
		return false;
	}
	buf_add(&s->input, chunk, (size_t)n);
	return true;
}

/* True when input is waiting: read and not taken, or readable now. */
static bool
input_waiting(struct server *s)
{
	struct pollfd p = { .fd = s->in, .events = POLLIN };

	return s->taken < s->input.len || (!s->eof && poll(&p, 1, 0) > 0);
}

static void
write_all(struct server *s, const char *p, size_t n)
{
	ssize_t k;

	while (n > 0 && !s->broken_pipe) {
		k = write(s->out, p, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			s->broken_pipe = true;	/* the client is gone */
			return;
		}
		p += k;
		n -= (size_t)k;
	}
}

/* Sends a message (and takes it). */
static void
send_message(struct server *s, json_t *msg)
{
	char *body, head[64];
	int n;

	json_object_set_new(msg, "jsonrpc", json_string("2.0"));
	body = json_dumps(msg, JSON_COMPACT);
	json_decref(msg);
	if (!body)
		fatal("out of memory");
	n = snprintf(head, sizeof(head), "Content-Length: %zu\r\n\r\n",
	    strlen(body));
	write_all(s, head, (size_t)n);
	write_all(s, body, strlen(body));
	free(body);
}

static void
send_result(struct server *s, json_t *id, json_t *result)
{
	send_message(s, json_pack("{s:O, s:o}", "id", id, "result", result));
}

static void
send_error(struct server *s, json_t *id, int code, const char *message)
{
	send_message(s, json_pack("{s:O, s:{s:i, s:s}}", "id",
	    id ? id : json_null(), "error", "code", code, "message",
	    message));
}

static void
send_notification(struct server *s, const char *method, json_t *params)
{
	send_message(s, json_pack("{s:s, s:o}", "method", method, "params",
	    params));
}

/* After a bad header: drops input up to the next "Content-Length",
 * wherever it starts; false at the end of input. */
static bool
find_next_header(struct server *s)
{
	static const char want[] = "content-length";
	size_t w = sizeof(want) - 1, i;

	for (;;) {
		for (i = s->taken; i + w <= s->input.len; i++)
			if (strncasecmp(s->input.data + i, want, w) == 0) {
				s->taken = i;
				s->resync = false;
				return true;
			}
		/* keep what could start a match */
		if (s->input.len - s->taken > w)
			s->taken = s->input.len - w;
		if (!read_more(s))
			return false;
	}
}

/* Finds the end of the header section in input from taken: the offset
 * just past its blank line, or 0 when it is not all read yet. */
static size_t
header_end(const struct server *s)
{
	const char *p = s->input.data + s->taken;
	size_t n = s->input.len - s->taken, i;

	for (i = 0; i + 1 < n; i++) {
		if (p[i] == '\n' && p[i + 1] == '\n')
			return s->taken + i + 2;
		if (i + 3 < n && memcmp(p + i, "\r\n\r\n", 4) == 0)
			return s->taken + i + 4;
	}
	return 0;
}

static bool
is_token_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '-';
}

/* True when the input from taken can still be the start of a header: its
 * first line so far is a name of letters, digits and '-', then ':'. */
static bool
header_so_far(const struct server *s)
{
	size_t i = s->taken;

	while (i < s->input.len && is_token_char(s->input.data[i]))
		i++;
	return i == s->input.len || (i > s->taken && s->input.data[i] == ':');
}

/* True when p[0..len) is "Name: value", Name letters, digits and '-'. */
static bool
is_header_line(const char *p, size_t len)
{
	size_t i = 0;

	while (i < len && is_token_char(p[i]))
		i++;
	return i > 0 && i < len && p[i] == ':';
}

/* Reads Content-Length from the header section [taken, end); -1 when it
 * is missing or not a number, and says why. */
static long long
content_length(const struct server *s, size_t end, const char **why)
{
	static const char name[] = "content-length:";
	const char *p = s->input.data + s->taken, *stop = s->input.data + end;
	long long n = -1;

	*why = "the header has no Content-Length";
	while (p < stop) {
		const char *eol = memchr(p, '\n', (size_t)(stop - p));
		size_t len = eol ? (size_t)(eol - p) : (size_t)(stop - p);

		if (len >= sizeof(name) - 1 &&
		    strncasecmp(p, name, sizeof(name) - 1) == 0) {
			const char *v = p + sizeof(name) - 1, *e = p + len;

			while (v < e && (*v == ' ' || *v == '\t'))
				v++;
			while (e > v && (e[-1] == '\r' || e[-1] == ' '))
				e--;
			n = 0;
			if (v == e)
				n = -1;
			for (; v < e && n >= 0; v++) {
				if (*v < '0' || *v > '9' || n > (1LL << 40))
					n = -1;
				else
					n = n * 10 + (*v - '0');
			}
			*why = n < 0 ? "Content-Length is not a number" : NULL;
			if (n < 0)
				return -1;
		} else if (len > 0 && !(len == 1 && *p == '\r') &&
		    !is_header_line(p, len)) {
			*why = "a header line is not 'Name: value'";
			return -1;
		}
		p += len + 1;
	}
	return n;
}

/* Drops n bytes of input, reading them when they are not read yet. */
static void
skip_input(struct server *s, size_t n)
{
	size_t have;

	while (n > 0) {
		have = s->input.len - s->taken;
		if (have >= n) {
			s->taken += n;
			return;
		}
		n -= have;
		s->taken = s->input.len;
		if (!read_more(s))
			return;
	}
}

/*
 * Reads the next message's body: *len bytes at *body, in input, good until
 * the next read.  1: a body; 0: the end of input; -1: a message that
 * was answered with an error and dropped.
 */
static int
next_message(struct server *s, const char **body, size_t *len)
{
	const char *why;
	long long n;
	size_t end;

	if (s->resync && !find_next_header(s))
		return 0;
	while (!(end = header_end(s))) {
		if (!header_so_far(s)) {
			/* bytes that are no header, said at once: the client
			 * may wait for an answer before it sends more */
			send_error(s, NULL, RPC_PARSE_ERROR, "the input is not "
			    "a header ('Content-Length: N')");
			s->taken++;
			s->resync = true;
			return -1;
		}
		if (s->input.len - s->taken > MAX_HEADER) {
			send_error(s, NULL, RPC_PARSE_ERROR, "the header has "
			    "no end (a blank line) in its first 4096 bytes");
			s->taken++;
			s->resync = true;
			return -1;
		}
		if (!read_more(s))
			return 0;
	}
	if ((n = content_length(s, end, &why)) < 0) {
		/* the next header may start inside this one's lines (after
		 * bytes that were no header, or a header without its blank
		 * line): look from just past where this one starts */
		send_error(s, NULL, RPC_PARSE_ERROR, why);
		s->taken++;
		s->resync = true;
		return -1;
	}
	s->taken = end;
	if ((size_t)n > MAX_MESSAGE) {
		send_error(s, NULL, RPC_INVALID_REQUEST, "the message is larger "
		    "than the server takes (16 MiB of source, escaped)");
		skip_input(s, (size_t)n);
		return -1;
	}
	while (s->input.len - s->taken < (size_t)n)
		if (!read_more(s))
			return 0;
	*body = s->input.data + s->taken;
	*len = (size_t)n;
	return 1;
}

/*
 * Analyses and diagnostics
 */

/* The analysis of root, made again when something changed since. */
static struct analysis *
analysis_of(struct server *s, const char *root)
{
	struct cached *c = NULL;
	size_t i;

	for (i = 0; i < s->cache.n && !c; i++)
		if (strcmp(((struct cached *)s->cache.items[i])->root,
		    root) == 0)
			c = s->cache.items[i];
	if (!c) {
		c = xmalloc(sizeof(*c));
		c->root = xmalloc(strlen(root) + 1);
		strcpy(c->root, root);
		c->an = NULL;
		vec_push(&s->cache, c);
	}
	if (!c->an || c->generation != s->generation) {
		analysis_free(c->an);
		c->an = analyze(root, s->import_root, &s->over);
		c->generation = s->generation;
	}
	return c->an;
}

/* The open buffer of the file at real path real, or NULL. */
static struct document *
doc_at(struct server *s, const char *real)
{
	size_t i;

	for (i = 0; i < s->docs.n; i++) {
		struct document *d = s->docs.items[i];

		if (d->real && strcmp(d->real, real) == 0)
			return d;
	}
	return NULL;
}

/* True when the file at real path real may be read as a rollout: a
 * regular file, not under /proc, /sys or /dev (a FIFO or a device would
 * hang the server); or no file at all (a buffer not saved yet). */
static bool
readable_path(const char *real)
{
	struct stat st;

	if (in_kernel_dirs(real))
		return false;
	return stat(real, &st) != 0 ? errno == ENOENT : S_ISREG(st.st_mode);
}

/* The analysis a file is read in: its rollout's.  Which rollout that is
 * takes a read of the rollouts above it: an open buffer keeps the answer
 * until something changes. */
static struct analysis *
analysis_for(struct server *s, const char *real)
{
	struct document *d = doc_at(s, real);
	struct arena a = { 0 };
	struct analysis *an;
	const char *root;

	if (d && d->root && d->root_generation == s->generation)
		return analysis_of(s, d->root);
	/* the rollout it was read in last, when that still reads it: an
	 * open team file does not search the rollouts above it again at
	 * each keystroke */
	if (d && d->root && analysis_keeps(an = analysis_of(s, d->root),
	    real)) {
		d->root_generation = s->generation;
		return an;
	}
	root = readable_path(real) ? root_of(&a, real, s->import_root,
	    &s->over) : NULL;
	if (!root)
		return analysis_of(s, "");	/* nothing: no file named "" */
	if (d) {
		free(d->root);
		d->root = strdup(root);
		if (!d->root)
			fatal("out of memory");
		d->root_generation = s->generation;
	}
	an = analysis_of(s, root);
	arena_free(&a);
	return an;
}

/* The URI the client knows the file at real path real by: its open
 * buffer's (which may name it through a symbolic link), else one made from
 * the real path.  In the arena. */
static const char *
client_uri(struct server *s, struct arena *a, const char *real)
{
	struct document *d = doc_at(s, real);

	return d ? d->uri : uri_from_path(a, real);
}

/* Publishes the diagnostics of a file, from the rollout root, in this
 * round: always for an open buffer (its client waits for them), else only
 * when there are some or there were. */
static void
publish(struct server *s, const char *uri, json_t *diagnostics, bool open,
    const char *root)
{
	struct published *p = map_get(&s->published_by_uri, uri);
	bool some = json_array_size(diagnostics) > 0;

	if (some || open || (p && p->some))
		send_notification(s, "textDocument/publishDiagnostics",
		    json_pack("{s:s, s:O}", "uri", uri, "diagnostics",
		    diagnostics));
	json_decref(diagnostics);
	if (!p && !some)
		return;
	if (!p) {
		p = xmalloc(sizeof(*p));
		p->uri = strdup(uri);
		p->root = NULL;
		if (!p->uri)
			fatal("out of memory");
		map_put(&s->published_by_uri, p->uri, p);
		vec_push(&s->published, p);
	}
	if (!p->root || strcmp(p->root, root) != 0) {
		free(p->root);
		if (!(p->root = strdup(root)))
			fatal("out of memory");
	}
	p->some = some;
	p->round = s->round;
}

/* Publishes the diagnostics of every file of an's rollout, and clears the
 * files it published for before that are no longer among them (an import
 * taken out). */
static void
publish_analysis(struct server *s, struct analysis *an)
{
	struct arena a = { 0 };
	const char **files;
	size_t n, i;

	files = analysis_files(an, &n);
	for (i = 0; i < n; i++)
		if (files[i])
			publish(s, client_uri(s, &a, files[i]),
			    diagnostics_for(an, files[i]),
			    doc_at(s, files[i]) != NULL, an->root);
	for (i = 0; i < s->published.n; i++) {
		struct published *p = s->published.items[i];

		if (p->some && p->round != s->round && p->root &&
		    strcmp(p->root, an->root) == 0)
			publish(s, p->uri, json_array(), false, an->root);
	}
	arena_free(&a);
}

/* True when the file at real path real is one of an's. */
static bool
analysis_has(struct analysis *an, const char *real)
{
	const char **files;
	size_t n, i;

	files = analysis_files(an, &n);
	for (i = 0; i < n; i++)
		if (files[i] && strcmp(files[i], real) == 0)
			return true;
	return false;
}

/* Publishes the diagnostics of the buffers changed since, each rollout's
 * once however many of its files are open. */
static void
publish_changed(struct server *s)
{
	struct vec done = { 0 };
	struct analysis *an;
	size_t i, k;

	s->round++;
	for (i = 0; i < s->docs.n && !s->broken_pipe; i++) {
		struct document *d = s->docs.items[i];

		if (!d->dirty)
			continue;
		d->dirty = false;
		if (!d->real)
			continue;
		an = analysis_for(s, d->real);
		for (k = 0; k < done.n && done.items[k] != an; k++)
			;
		if (k == done.n) {
			publish_analysis(s, an);
			vec_push(&done, an);
		}
		/* a buffer its rollout does not read (a root that cannot
		 * be read is named by its path) */
		if (!analysis_has(an, d->real))
			publish(s, d->uri, diagnostics_for(an, d->real), true,
			    an->root);
	}
	vec_free(&done);
}

/* Something changed: every analysis is stale, every buffer's diagnostics
 * are to be sent again (a change in one file can change another's). */
static void
changed(struct server *s)
{
	size_t i;

	s->generation++;
	for (i = 0; i < s->docs.n; i++)
		((struct document *)s->docs.items[i])->dirty = true;
}

/*
 * Methods
 */

/* The file of params.textDocument.uri: its real path (heap) and its open
 * buffer, if any; NULL when params have no file: URI. */
static char *
params_file(struct server *s, json_t *params, struct document **doc)
{
	json_t *td = json_object_get(params, "textDocument");
	const char *uri = json_string_value(json_object_get(td, "uri"));

	*doc = uri ? find_doc(s, uri) : NULL;
	if (*doc)
		return (*doc)->real ? strdup((*doc)->real) : NULL;
	return uri ? path_from_uri(uri) : NULL;
}

static bool
params_position(json_t *params, struct position *pos)
{
	json_t *p = json_object_get(params, "position");
	json_t *line = json_object_get(p, "line");
	json_t *ch = json_object_get(p, "character");

	if (!json_is_integer(line) || !json_is_integer(ch) ||
	    json_integer_value(line) < 0 || json_integer_value(ch) < 0 ||
	    json_integer_value(line) > INT_MAX ||
	    json_integer_value(ch) > INT_MAX)
		return false;
	pos->line = (int)json_integer_value(line);
	pos->character = (int)json_integer_value(ch);
	return true;
}

static json_t *
capabilities(void)
{
	return json_pack("{s:{s:b, s:i, s:{s:b}}, s:b, s:b, s:b, s:b, s:b, "
	    "s:{s:[s, s]}, s:s}",
	    "textDocumentSync", "openClose", 1, "change", 2, "save",
	    "includeText", 0,
	    "definitionProvider", 1, "referencesProvider", 1,
	    "hoverProvider", 1, "documentFormattingProvider", 1,
	    "documentSymbolProvider", 1,
	    "completionProvider", "triggerCharacters", " ", ",",
	    "positionEncoding", "utf-16");
}

static void
did_open(struct server *s, json_t *params)
{
	json_t *td = json_object_get(params, "textDocument");
	const char *uri = json_string_value(json_object_get(td, "uri"));
	json_t *text = json_object_get(td, "text");
	struct document *d;

	if (!uri || !json_is_string(text))
		return;
	if (!(d = find_doc(s, uri))) {
		d = xmalloc(sizeof(*d));
		memset(d, 0, sizeof(*d));
		d->uri = strdup(uri);
		if (!d->uri)
			fatal("out of memory");
		d->real = path_from_uri(uri);
		vec_push(&s->docs, d);
	}
	d->text.len = 0;
	buf_add(&d->text, json_string_value(text), json_string_length(text));
	changed(s);
}

static void
did_change(struct server *s, json_t *params)
{
	json_t *td = json_object_get(params, "textDocument");
	const char *uri = json_string_value(json_object_get(td, "uri"));
	json_t *changes = json_object_get(params, "contentChanges"), *c;
	struct document *d = uri ? find_doc(s, uri) : NULL;
	size_t i;

	if (!d)
		return;
	json_array_foreach(changes, i, c)
		if (!apply_change(d, c))
			break;
	changed(s);
}

static void
did_close(struct server *s, json_t *params)
{
	json_t *td = json_object_get(params, "textDocument");
	const char *uri = json_string_value(json_object_get(td, "uri"));
	size_t i;

	for (i = 0; uri && i < s->docs.n; i++) {
		struct document *d = s->docs.items[i];

		if (strcmp(d->uri, uri) != 0)
			continue;
		s->docs.items[i] = s->docs.items[--s->docs.n];
		publish(s, d->uri, json_array(), true, "");
		free_doc(d);
		break;
	}
	changed(s);
}

/* Gives the Locations of an answer (a Location, or an array of them) the
 * URIs the client knows their files by: a file open through a symbolic
 * link is answered by that link, not by its real path. */
static void
client_locations(struct server *s, json_t *out)
{
	struct arena a = { 0 };
	struct vec real = { 0 }, client = { 0 };
	size_t i, k, n;
	json_t *loc;

	/* the open buffers whose URIs are not their real paths' */
	for (k = 0; k < s->docs.n; k++) {
		struct document *d = s->docs.items[k];
		const char *made = d->real ? uri_from_path(&a, d->real) : NULL;

		if (made && strcmp(made, d->uri) != 0) {
			vec_push(&real, (void *)made);
			vec_push(&client, d->uri);
		}
	}
	n = json_is_array(out) ? json_array_size(out) : 1;
	for (i = 0; real.n && i < n; i++) {
		const char *uri;

		loc = json_is_array(out) ? json_array_get(out, i) : out;
		if (!(uri = json_string_value(json_object_get(loc, "uri"))))
			continue;
		for (k = 0; k < real.n; k++)
			if (strcmp(real.items[k], uri) == 0) {
				json_object_set_new(loc, "uri",
				    json_string(client.items[k]));
				break;
			}
	}
	vec_free(&real);
	vec_free(&client);
	arena_free(&a);
}

/* A request about a place or a file: its answer, or NULL with *code and
 * *why set. */
static json_t *
answer(struct server *s, const char *method, json_t *params, int *code,
    const char **why)
{
	struct document *doc;
	struct position pos;
	struct analysis *an;
	char *real = params_file(s, params, &doc);
	json_t *out = NULL;
	bool place = strcmp(method, "textDocument/documentSymbol") != 0 &&
	    strcmp(method, "textDocument/formatting") != 0;

	*code = RPC_INVALID_PARAMS;
	if (!real) {
		*why = "params.textDocument.uri is not a file: URI";
		return NULL;
	}
	if (place && !params_position(params, &pos)) {
		*why = "params.position is not a Position";
		free(real);
		return NULL;
	}
	pos.real = real;
	if (strcmp(method, "textDocument/formatting") == 0) {
		if (!doc) {
			*why = "the document is not open";
		} else if (!(out = query_format(real, doc->text.data ?
		    doc->text.data : "", doc->text.len, why))) {
			*code = LSP_REQUEST_FAILED;
		}
		free(real);
		return out;
	}
	an = analysis_for(s, real);
	if (strcmp(method, "textDocument/definition") == 0)
		out = query_definition(an, pos);
	else if (strcmp(method, "textDocument/references") == 0)
		out = query_references(an, pos, json_is_true(json_object_get(
		    json_object_get(params, "context"),
		    "includeDeclaration")));
	else if (strcmp(method, "textDocument/hover") == 0)
		out = query_hover(an, pos);
	else if (strcmp(method, "textDocument/completion") == 0)
		out = query_completion(an, doc && doc->text.data ?
		    doc->text.data : "", doc ? doc->text.len : 0, pos);
	else
		out = query_symbols(an, real);
	free(real);
	client_locations(s, out);
	return out;
}

static const char *const place_methods[] = {
	"textDocument/definition", "textDocument/references",
	"textDocument/hover", "textDocument/completion",
	"textDocument/documentSymbol", "textDocument/formatting",
};

static void
handle_request(struct server *s, json_t *id, const char *method,
    json_t *params)
{
	const char *why = NULL;
	json_t *out;
	size_t i;
	int code;

	if (strcmp(method, "initialize") == 0) {
		if (s->initialized) {
			send_error(s, id, RPC_INVALID_REQUEST, "initialize "
			    "was already received");
			return;
		}
		s->initialized = true;
		send_result(s, id, json_pack("{s:o, s:{s:s, s:s}}",
		    "capabilities", capabilities(), "serverInfo", "name",
		    "planner", "version", PLANNER_VERSION));
		return;
	}
	if (!s->initialized) {
		send_error(s, id, LSP_SERVER_NOT_INITIALIZED, "the server "
		    "is not initialized: send initialize first");
		return;
	}
	if (s->shut_down) {
		send_error(s, id, RPC_INVALID_REQUEST, "the server is shut "
		    "down: only exit is taken");
		return;
	}
	if (strcmp(method, "shutdown") == 0) {
		s->shut_down = true;
		send_result(s, id, json_null());
		return;
	}
	for (i = 0; i < sizeof(place_methods) / sizeof(*place_methods); i++)
		if (strcmp(method, place_methods[i]) == 0)
			break;
	if (i == sizeof(place_methods) / sizeof(*place_methods)) {
		send_error(s, id, RPC_METHOD_NOT_FOUND, "planner lsp does not "
		    "know this method");
		return;
	}
	if (!json_is_object(params)) {
		send_error(s, id, RPC_INVALID_PARAMS, "params is not an "
		    "object");
		return;
	}
	if ((out = answer(s, method, params, &code, &why)))
		send_result(s, id, out);
	else
		send_error(s, id, code, why);
}

static void
handle_notification(struct server *s, const char *method, json_t *params)
{
	if (!s->initialized || s->shut_down || !json_is_object(params))
		return;
	if (strcmp(method, "textDocument/didOpen") == 0)
		did_open(s, params);
	else if (strcmp(method, "textDocument/didChange") == 0)
		did_change(s, params);
	else if (strcmp(method, "textDocument/didClose") == 0)
		did_close(s, params);
	else if (strcmp(method, "textDocument/didSave") == 0 ||
	    strcmp(method, "workspace/didChangeWatchedFiles") == 0)
		changed(s);	/* the files on disk changed */
	/* others (initialized, $/cancelRequest, ...) need nothing */
}

/* Handles one message; true when it was exit. */
static bool
handle(struct server *s, const char *body, size_t len)
{
	json_error_t err;
	json_t *msg = json_loadb(body, len, JSON_DECODE_ANY, &err), *id,
	    *params;
	const char *method;
	bool exit = false;

	if (!msg) {
		send_error(s, NULL, RPC_PARSE_ERROR, err.text);
		return false;
	}
	id = json_object_get(msg, "id");
	method = json_string_value(json_object_get(msg, "method"));
	params = json_object_get(msg, "params");
	if (!json_is_object(msg) || (id && !json_is_integer(id) &&
	    !json_is_string(id) && !json_is_null(id)) ||
	    (!method && !json_object_get(msg, "result") &&
	    !json_object_get(msg, "error"))) {
		send_error(s, json_is_object(msg) && (json_is_integer(id) ||
		    json_is_string(id)) ? id : NULL, RPC_INVALID_REQUEST,
		    "not a JSON-RPC request, notification or response");
	} else if (!method) {
		;	/* a response to nothing the server asked */
	} else if (strcmp(method, "exit") == 0) {
		exit = true;
	} else if (id) {
		handle_request(s, id, method, params);
	} else {
		handle_notification(s, method, params);
	}
	json_decref(msg);
	return exit;
}

int
lsp_serve(int in, int out, const char *import_root)
{
	struct server s = { 0 };
	const char *body;
	size_t len, i;
	int got, status;

	/* a client gone is a write that fails, not a signal */
	signal(SIGPIPE, SIG_IGN);
	s.in = in;
	s.out = out;
	s.import_root = import_root;
	s.over.text = open_text;
	s.over.ctx = &s;
	for (;;) {
		if (!input_waiting(&s))
			publish_changed(&s);
		if (s.broken_pipe || (got = next_message(&s, &body, &len)) == 0)
			break;
		if (got > 0) {
			bool exit = handle(&s, body, len);

			s.taken += len;
			if (exit)
				break;
		}
	}
	status = s.shut_down ? 0 : 1;
	for (i = 0; i < s.docs.n; i++)
		free_doc(s.docs.items[i]);
	for (i = 0; i < s.cache.n; i++) {
		struct cached *c = s.cache.items[i];

		analysis_free(c->an);
		free(c->root);
		free(c);
	}
	for (i = 0; i < s.published.n; i++) {
		struct published *p = s.published.items[i];

		free(p->uri);
		free(p->root);
		free(p);
	}
	map_free(&s.published_by_uri);
	vec_free(&s.docs);
	vec_free(&s.cache);
	vec_free(&s.published);
	buf_free(&s.input);
	return status;
}
