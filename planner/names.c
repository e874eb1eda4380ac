/*
 * names.c: names for the generated Workflow.  Every name that parses is a
 * DNS-1123 label, but names built from several of them (a template per
 * cluster shape, a gate per wave) can grow past Argo's limits; those are
 * shortened deterministically to a prefix and a hash of the whole name, so
 * they stay unique and the same input always gives the same name.
 */
#include <stdarg.h>
#include <string.h>

#include "plan.h"

const char *
argo_name(struct arena *a, size_t max, const char *first, ...)
{
	struct buf b = { 0 };
	const char *part;
	va_list ap;
	char *name;

	va_start(ap, first);
	for (part = first; part; part = va_arg(ap, const char *)) {
		if (b.len)
			buf_putc(&b, '-');
		buf_puts(&b, part);
	}
	va_end(ap);
	if (b.len > max && max > 10) {
		uint64_t h = hash_bytes(b.data, b.len, 0);
		size_t keep = max - 9;

		while (keep > 0 && b.data[keep - 1] == '-')
			keep--;
		name = arena_printf(a, "%.*s-%08x", (int)keep, b.data,
		    (unsigned)(h ^ (h >> 32)));
	} else {
		name = arena_strndup(a, b.data ? b.data : "", b.len);
	}
	buf_free(&b);
	return name;
}

const char *
approve_name(struct arena *a, const struct wave *w)
{
	return argo_name(a, MAX_NAME, "approve", w->name, NULL);
}

const char *
go_duration(struct arena *a, long seconds)
{
	long h = seconds / 3600, m = seconds / 60 % 60, s = seconds % 60;
	struct buf b = { 0 };
	const char *out;

	if (h)
		buf_printf(&b, "%ldh", h);
	if (m)
		buf_printf(&b, "%ldm", m);
	if (s || !b.len)
		buf_printf(&b, "%lds", s);
	out = arena_strndup(a, b.data, b.len);
	buf_free(&b);
	return out;
}
