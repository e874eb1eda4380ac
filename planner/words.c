/*
 * words.c: every word of the rollout language, spelled once.
 *
 * The parser matches these, fmt writes them, the checker quotes them in
 * messages, and the emitters name policies with them; as Lua keeps every
 * token's spelling in luaX_tokens[], a keyword changes here or nowhere.
 */
#include <string.h>

#include "syntax.h"

const char *const decl_words[NDECLS] = {
	[DECL_ROLLOUT] = "rollout", [DECL_IMPORT] = "import",
	[DECL_GROUP] = "group", [DECL_SERVICE] = "service",
	[DECL_WAVE] = "wave",
};

const char *const attr_words[NATTRS] = {
	[ATTR_IN] = "in", [ATTR_NEEDS] = "needs", [ATTR_VERSION] = "version",
	[ATTR_IMAGE] = "image", [ATTR_REGISTRY] = "registry",
	[ATTR_NAMESPACE] = "namespace", [ATTR_NOTIFY] = "notify",
	[ATTR_DEPLOY_TEMPLATE] = "deploy-template",
	[ATTR_DEPLOY_TIMEOUT] = "deploy-timeout",
	[ATTR_SERVICE_ACCOUNT] = "service-account", [ATTR_TAKES] = "takes",
	[ATTR_PARALLEL] = "parallel", [ATTR_SOAK] = "soak",
	[ATTR_APPROVE] = "approve", [ATTR_ON_FAILURE] = "on-failure",
};

const char *const policy_words[NPOLICIES] = {
	[FAIL_HALT] = "halt", [FAIL_CONTINUE] = "continue",
	[FAIL_ROLLBACK] = "rollback",
};

const char *
word_list(struct arena *a, const char *const *words, size_t n,
    unsigned mask)
{
	struct buf b = { 0 };
	size_t i, left = 0;
	const char *s;

	for (i = 0; i < n; i++)
		left += mask >> i & 1;
	for (i = 0; i < n; i++) {
		if (!(mask >> i & 1))
			continue;
		buf_puts(&b, words[i]);
		left--;
		if (left > 1)
			buf_puts(&b, ", ");
		else if (left == 1)
			buf_puts(&b, " or ");
	}
	s = arena_strndup(a, b.data ? b.data : "", b.len);
	buf_free(&b);
	return s;
}

/* True when s[0..n) is a '-'-separated part of word w (n >= 4). */
static bool
has_part(const char *w, size_t wlen, const char *s, size_t n)
{
	size_t i = 0;

	if (n < 4)
		return false;
	while (i < wlen) {
		size_t j = i;

		while (j < wlen && w[j] != '-')
			j++;
		if (j - i == n && memcmp(w + i, s, n) == 0)
			return true;
		i = j + 1;
	}
	return false;
}

int
word_nearness(const char *w, size_t n, const char *kw)
{
	size_t klen = strlen(kw), shorter = n < klen ? n : klen;
	char word[MAX_NAME + 1];
	int d;

	if (n == 0 || n > MAX_NAME || (n == klen && memcmp(w, kw, n) == 0))
		return 0;
	memcpy(word, w, n);
	word[n] = '\0';
	d = edit_distance(word, kw, klen < 4 ? 1 : 2);
	if (d <= (klen < 4 ? 1 : 2))
		return d;	/* 1 or 2 */
	/* "on-fail", "serv": the start of the keyword, or the keyword
	 * and more */
	if (shorter >= 4 && memcmp(w, kw, shorter) == 0)
		return 3;
	/* "cluster-group", "timeout": a whole part of one is the other */
	if (has_part(word, n, kw, klen) || has_part(kw, klen, word, n))
		return 4;
	return 0;
}

const char *
word_nearest(const char *w, size_t n, const char *const *words,
    size_t nwords, unsigned mask)
{
	const char *best = NULL;
	int best_rank = 0, rank;
	size_t i;

	for (i = 0; i < nwords; i++) {
		if (!(mask >> i & 1))
			continue;
		rank = word_nearness(w, n, words[i]);
		if (rank && (!best || rank < best_rank)) {
			best = words[i];
			best_rank = rank;
		}
	}
	return best;
}
