/*
 * api.h: running a route statement (stmt.h's result shape: outcome,
 * user_id, data) for a request, so each handler reads like its row in
 * the route table: parse and validate, one database call, respond.
 */
#ifndef FOCUS_API_H
#define FOCUS_API_H

#include <json-c/printbuf.h>
#include <libpq-fe.h>

#include "http.h"
#include "stmt.h"

/* Run stmt with params (params[0] is rq->token_hash); its first row's
 * outcome and user_id (text or binary) say how it went. Sets rq->user_id.
 * Returns the error the outcome names, FERR_OK included; *res (the caller
 * clears it) is set whenever the statement ran. */
enum ferr api_exec(struct req *rq, enum stmt id, const char *const *params,
    PGresult **res) FOCUS_MUSTCHECK;

/* api_exec of a statement with stmt.h's three columns and one row.
 * Returns FERR_OK with *res (caller clears) and *data (its JSON text,
 * borrowed from *res), or the error the outcome names; *res is then
 * still set when the statement ran, for error details. */
enum ferr api_run(struct req *rq, enum stmt id, const char *const *params,
    PGresult **res, const char **data) FOCUS_MUSTCHECK;

/* Writes a response's data from a STMT_BINARY statement's rows (render.h).
 * Returns 0; -1 when the rows are not as expected or memory ran out; or
 * the enum ferr of a failure it met and logged itself (a track's link that
 * storage could not sign). */
typedef int (*api_render_fn)(struct printbuf *pb, const PGresult *res, const void *arg);

/* 200 with {"data": X}, where render(pb, res, arg) wrote X; 500 (logged as
 * "render") when it returns -1, its error when it returns one. Clears
 * res. */
enum ferr api_send_rendered(struct req *rq, enum stmt id, PGresult *res, api_render_fn render,
    const void *arg) FOCUS_MUSTCHECK;

/* api_exec of a STMT_BINARY statement, then, on success, api_send_rendered. */
enum ferr api_reply_rendered(struct req *rq, enum stmt id, const char *const *params,
    api_render_fn render, const void *arg) FOCUS_MUSTCHECK;

/* api_run, then send {"data": ...} on success. */
enum ferr api_reply(struct req *rq, enum stmt id, const char *const *params) FOCUS_MUSTCHECK;

/* The page and page_size query parameters of a listing (API.md: page >= 1,
 * page_size 1..100), as the statement's text parameters: LIMIT, OFFSET and
 * page. FERR_BAD_REQUEST (with rq->err_msg) when out of range. */
struct api_page {
	char limit[16];
	char offset[24];
	char page[16];
};
enum ferr api_page_params(struct req *rq, struct api_page *out) FOCUS_MUSTCHECK;

/* A route statement's verdict from its first row: the outcome (column 0,
 * text in either format) names the error, FERR_OK included; user_id
 * (column 1, text or binary uuid) is copied for the logs, "" when NULL.
 * FERR_INTERNAL for a result of fewer rows or columns, a malformed uuid
 * or an outcome not in the table. */
enum ferr api_outcome(const PGresult *res, char user_id[37]) FOCUS_MUSTCHECK;

#endif
