/*
 * idempotency.h: Idempotency-Key on every POST, PATCH and DELETE of a
 * signed-in route (API.md), once for all routes: the router reads the
 * key, api_exec claims it with the request's first statement, and the
 * response writer stores the answer before anything is sent.
 *
 * A key's first request: one round trip runs BEGIN, the claim (a row in
 * idempotency_keys, unique per person and key) and the route's statement;
 * a second one stores the answer and commits, so the change and its
 * stored answer commit together or not at all (a worker that dies in
 * between leaves neither). A repeat: its claim fails on the row (after
 * waiting for a request still holding it), nothing of it runs, and a
 * second round trip rolls back and reads the stored answer, which is sent
 * again when the method, path and body are the same (same SHA-256), else
 * 422. Without a key: nothing here runs, one round trip as before.
 */
#ifndef FOCUS_IDEMPOTENCY_H
#define FOCUS_IDEMPOTENCY_H

#include <stddef.h>
#include <libpq-fe.h>

#include "http.h"
#include "stmt.h"

enum idem_state {
	IDEM_NONE,      /* no key (or done with it) */
	IDEM_PENDING,   /* a key, not claimed yet: the next api_exec claims it */
	IDEM_CLAIMED,   /* claimed in the open transaction; the answer is stored on send */
};

/* 1 when key (len bytes) is a valid Idempotency-Key: 1..64 printable
 * ASCII characters (0x20..0x7e). */
int idempotency_key_valid(const char *key, size_t len);

/* For a POST, PATCH or DELETE: read the Idempotency-Key header into rq
 * (IDEM_PENDING) with the SHA-256 of the method, path and body. FERR_OK
 * also without a key; FERR_BAD_REQUEST (rq->err_msg) for a malformed one. */
enum ferr idempotency_begin(struct req *rq) FOCUS_MUSTCHECK;

/* api_exec for a request whose key is pending: claim it and run id (as
 * db_exec would) in one round trip. When the key is another request's,
 * its stored answer (or 422, or 409 while it cannot be read) is sent
 * here, rq->responded is set and FERR_CONFLICT returned: the handler's
 * own answer is never sent. Otherwise as api_exec. */
enum ferr idempotency_exec(struct req *rq, enum stmt id, const char *const *params,
    PGresult **res) FOCUS_MUSTCHECK;

/* After the response: a claim still open (no answer was sent through the
 * writer) is rolled back. */
void idempotency_end(struct req *rq);

#endif
