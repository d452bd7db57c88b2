/*
 * sessions.h: the focus session routes of API.md. Each costs one
 * database round trip: authentication, lazy expiry, the change and the
 * response body are one registered statement (stmt.c).
 */
#ifndef FOCUS_SESSIONS_H
#define FOCUS_SESSIONS_H

#include <libpq-fe.h>

#include "http.h"
#include "jsonw.h"
#include "stmt.h"
#include "validate.h"

enum session_action { ACTION_COMPLETE, ACTION_ABANDON, ACTION__MAX };

struct session_update {
	char                id[37];   /* "": the caller's open session (one item only) */
	enum session_action action;
};

/* Apply updates (1..FOCUS_MAX_BATCH, distinct ids) in one transaction in
 * one round trip, all or nothing. On FERR_OK, *res (the caller clears it)
 * holds the statement's rows: one per item, in order (stmt.c
 * sessions_update); on FERR_NOT_FOUND or FERR_CONFLICT, *bad_index is the
 * first item that cannot apply (-1 when none is named). if_match: the
 * If-Match tags' text[] literal (NULL: no precondition); when the state
 * no longer has one of them, FERR_PRECONDITION and nothing closed. */
enum ferr batch_update_sessions(struct req *rq, const struct session_update *items, size_t n,
    const char *if_match, PGresult **res, long *bad_index) FOCUS_MUSTCHECK;

/* The /active object ({session, pause_state, next, server_time,
 * version}) of a row of a statement with stmt.c's ACTIVE_SHAPE
 * (session_active, state_of), for the route and for the events
 * (events.c, timer.c). 0; -1 when the row is not as expected. */
int sessions_render_active(struct jsonw *w, const PGresult *res, int row) FOCUS_MUSTCHECK;
/* That row's state version as API.md writes it, "<user id>-<n>" (n the
 * person's focus_state version, sql/012_live.sql; both from the row), at
 * most FOCUS_MAX_VERSION_LEN bytes. 0; -1 when it does not fit. */
int sessions_version(const PGresult *res, int row, char *out, size_t cap) FOCUS_MUSTCHECK;
/* The ETag of that row's state: W/"<version>". 0; -1 when it does not
 * fit. */
int sessions_etag(const PGresult *res, int row, char *out, size_t cap) FOCUS_MUSTCHECK;
/* "xp_awarded":X,"coins_awarded":C,"leveled_up":B,"new_level":L,
 * "streak":{"current":N,"longest":M}: the request's totals from the
 * first row of a close's result (CLOSE_SHAPE in stmt.c: sessions_update,
 * next, history_batch), the last members of the object they end (the
 * caller closes it). 0, or -1 when a column is not as expected. */
int sessions_render_reward(struct jsonw *w, const PGresult *res, enum stmt id);

/* The bodies' field tables (routes.c body_tables) */
extern const struct field_table sessions_start_body;

enum ferr sessions_start(struct req *rq);
enum ferr sessions_list(struct req *rq);
enum ferr sessions_stats(struct req *rq);
enum ferr sessions_active(struct req *rq);
enum ferr sessions_pause_get(struct req *rq);
enum ferr sessions_pause(struct req *rq);
enum ferr sessions_resume(struct req *rq);
enum ferr sessions_complete(struct req *rq);
enum ferr sessions_abandon(struct req *rq);
/* POST /api/focus/active/complete and /abandon: the caller's open session
 * (404 when none); POST /api/focus/next: the cycle's next phase. */
enum ferr sessions_active_complete(struct req *rq);
enum ferr sessions_active_abandon(struct req *rq);
enum ferr sessions_next(struct req *rq);

#endif
