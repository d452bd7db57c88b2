/*
 * router.h: method + path pattern -> handler. A pattern is literal
 * segments and parameters: "{id}" is one segment that must be a UUID (any
 * case; stored lowercase, API.md), "{*}" the rest of the path (one or more
 * segments, for storage keys). A pattern may end in "?key=value": the
 * route then serves only requests whose query has that value for key
 * (its first occurrence), and is listed before the same path without it.
 * Route flags are checked before the handler
 * runs (lwan's url_map flags).
 */
#ifndef FOCUS_ROUTER_H
#define FOCUS_ROUTER_H

#include <stddef.h>

#include "http.h"

enum route_flags {
	ROUTE_AUTH = 1 << 0,   /* needs a token (bearer or cookie) */
	ROUTE_JSON = 1 << 1,   /* reads a JSON object body into rq->body */
};

typedef enum ferr (*route_fn)(struct req *rq);

struct route {
	enum http_method method;
	const char      *pattern;
	route_fn         handler;
	unsigned         flags;
};

/* Find the route for rq->method and rq->path; fills rq->params and
 * rq->route. On failure returns NULL and sets *err: FERR_NOT_FOUND (no
 * pattern matches the path), FERR_METHOD (a pattern matches, not with
 * this method; allow gets the "Allow" list), FERR_BAD_REQUEST (a "{id}"
 * segment is not a UUID). */
const struct route *router_match(const struct route *table, size_t n, struct req *rq,
    enum ferr *err, char *allow, size_t allow_cap);

#endif
