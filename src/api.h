/*
 * api.h: running a route statement (stmt.h's result shape: outcome,
 * user_id, data) for a request, so each handler reads like its row in
 * the route table: parse and validate, one database call, respond.
 */
#ifndef FOCUS_API_H
#define FOCUS_API_H

#include <libpq-fe.h>

#include "http.h"
#include "stmt.h"

/* Run stmt with params (params[0] is rq->token_hash). Sets rq->user_id.
 * Returns FERR_OK with *res (caller clears) and *data (its JSON text,
 * borrowed from *res), or the error the outcome names; *res is then
 * still set when the statement ran, for error details. */
enum ferr api_run(struct req *rq, enum stmt id, const char *const *params,
    PGresult **res, const char **data) FOCUS_MUSTCHECK;

/* api_run, then send {"data": ...} on success. */
enum ferr api_reply(struct req *rq, enum stmt id, const char *const *params) FOCUS_MUSTCHECK;

/* Offset for a 1-based page; both are bounded by validation (limits.h). */
long long api_offset(long long page, long long page_size);

#endif
