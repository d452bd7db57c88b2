#include <stdio.h>
#include <string.h>

#include "router.h"
#include "uuid.h"

enum match { MATCH_NO, MATCH_YES, MATCH_BAD_PARAM };

/* Does path match the pattern's path (its first pend bytes)? Captures
 * parameters into rq when it does. */
static enum match
match_path(const char *pattern, size_t pend, const char *path, struct req *rq)
{
	const char *p = pattern, *s = path, *end = pattern + pend;
	unsigned    np = 0;
	int         bad = 0;

	for (;;) {
		size_t plen, slen;

		while (p < end && *p == '/')
			p++;
		while (*s == '/')
			s++;
		if (p == end || *s == '\0')
			break;
		plen = strcspn(p, "/?");
		slen = strcspn(s, "/");
		if (plen == 3 && memcmp(p, "{*}", 3) == 0) {
			slen = strlen(s);
			while (slen > 0 && s[slen - 1] == '/')
				slen--;
			if (np >= FOCUS_MAX_PARAMS || slen >= FOCUS_MAX_PARAM_LEN) {
				bad = 1;
			} else {
				memcpy(rq->params[np], s, slen);
				rq->params[np++][slen] = '\0';
			}
			p += plen;
			s += strlen(s);
			continue;
		}
		if (plen == 4 && memcmp(p, "{id}", 4) == 0) {
			/* stored lowercase (API.md) */
			if (np >= FOCUS_MAX_PARAMS || uuid_canonical(s, slen, rq->params[np]) != 0)
				bad = 1;
			else
				np++;
		} else if (plen != slen || memcmp(p, s, plen) != 0)
			return MATCH_NO;
		p += plen;
		s += slen;
	}
	while (p < end && *p == '/')
		p++;
	while (*s == '/')
		s++;
	if (p != end || *s != '\0')
		return MATCH_NO;
	rq->nparams = np;
	return bad ? MATCH_BAD_PARAM : MATCH_YES;
}

/* A pattern's "?key=value": does the query have key, and is its (first)
 * value exactly value? */
static int
query_matches(const char *query, const char *cond)
{
	char   key[32], value[32];
	size_t klen = strcspn(cond, "=");

	if (klen >= sizeof(key) || cond[klen] != '=')
		return 0;
	memcpy(key, cond, klen);
	key[klen] = '\0';
	return http_query_get(query, key, value, sizeof(value)) == 1 &&
	    strcmp(value, cond + klen + 1) == 0;
}

const struct route *
router_match(const struct route *table, size_t n, struct req *rq, enum ferr *err,
    char *allow, size_t allow_cap)
{
	size_t i, used = 0;
	int    path_known = 0, bad_param = 0;

	if (allow_cap > 0)
		allow[0] = '\0';
	for (i = 0; i < n; i++) {
		const char *cond = strchr(table[i].pattern, '?');
		enum match  m = match_path(table[i].pattern,
		    cond != NULL ? (size_t)(cond - table[i].pattern) : strlen(table[i].pattern), rq->path, rq);
		int         w;

		/* a route with a query condition is for those requests only;
		 * the same path without it has its own row */
		if (m == MATCH_NO || (cond != NULL && (rq->query == NULL || !query_matches(rq->query, cond + 1))))
			continue;
		path_known = 1;
		if (table[i].method == rq->method ||
		    (rq->method == HTTP_HEAD && table[i].method == HTTP_GET)) {
			if (m == MATCH_BAD_PARAM) {
				bad_param = 1;
				continue;
			}
			rq->route = table[i].pattern;
			return &table[i];
		}
		if (strstr(allow, http_method_name(table[i].method)) != NULL)
			continue;
		w = snprintf(allow + used, allow_cap - used, "%s%s", used ? ", " : "",
		    http_method_name(table[i].method));
		if (w > 0 && (size_t)w < allow_cap - used)
			used += (size_t)w;
	}
	rq->nparams = 0;
	*err = bad_param ? FERR_BAD_REQUEST : path_known ? FERR_METHOD : FERR_NOT_FOUND;
	return NULL;
}
