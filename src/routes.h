/*
 * routes.h: the route table of the worker: API.md's routes table, one row
 * per route, in the order the router tries them.
 */
#ifndef FOCUS_ROUTES_H
#define FOCUS_ROUTES_H

#include <stddef.h>

#include "router.h"
#include "validate.h"

extern const struct route routes[];
extern const size_t       routes_count;

/* Every request body's field table (sessions.h, auth.h, libraries.h,
 * tracks.h), for the fuzz target. */
extern const struct field_table *const body_tables[];
extern const size_t                    body_tables_count;

/* Serve one request end to end: route, authenticate, read the body, run
 * the handler, answer, log. Never fails: every error becomes a response. */
void routes_serve(struct req *rq);

#endif
