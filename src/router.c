#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "router.h"

int
router_is_uuid(const char *s, size_t len)
{
	size_t i;

	if (len != 36)
		return 0;
	for (i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return 0;
		} else if (!isxdigit((unsigned char)s[i]))
			return 0;
	}
	return 1;
}

enum match { MATCH_NO, MATCH_YES, MATCH_BAD_PARAM };

/* Does path match pattern? Captures parameters into rq when it does. */
static enum match
match_path(const char *pattern, const char *path, struct req *rq)
{
	const char *p = pattern, *s = path;
	unsigned    np = 0;
	int         bad = 0;

	for (;;) {
		size_t plen, slen;

		while (*p == '/')
			p++;
		while (*s == '/')
			s++;
		if (*p == '\0' || *s == '\0')
			break;
		plen = strcspn(p, "/");
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
			if (np >= FOCUS_MAX_PARAMS || !router_is_uuid(s, slen)) {
				bad = 1;
			} else {
				size_t i;
				for (i = 0; i < slen; i++)
					rq->params[np][i] = (char)tolower((unsigned char)s[i]);
				rq->params[np++][slen] = '\0';
			}
		} else if (plen != slen || memcmp(p, s, plen) != 0)
			return MATCH_NO;
		p += plen;
		s += slen;
	}
	while (*p == '/')
		p++;
	while (*s == '/')
		s++;
	if (*p != '\0' || *s != '\0')
		return MATCH_NO;
	rq->nparams = np;
	return bad ? MATCH_BAD_PARAM : MATCH_YES;
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
		enum match m = match_path(table[i].pattern, rq->path, rq);
		int        w;

		if (m == MATCH_NO)
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
