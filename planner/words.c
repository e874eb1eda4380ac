/*
 * words.c: every word of the rollout language, spelled once.
 *
 * The parser matches these, fmt writes them, the checker quotes them in
 * messages, and the emitters name policies with them; as Lua keeps every
 * token's spelling in luaX_tokens[], a keyword changes here or nowhere.
 */
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
	[ATTR_SERVICE_ACCOUNT] = "service-account",
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
