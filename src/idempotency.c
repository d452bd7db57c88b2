#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "db.h"
#include "digest.h"
#include "hex.h"
#include "idempotency.h"
#include "limits.h"
#include "log.h"
#include "validate.h"

int
idempotency_key_valid(const char *key, size_t len)
{
	return len >= 1 && len <= FOCUS_MAX_IDEMPOTENCY_KEY && printable_ascii(key, len);
}

/* rq->idem_hash: "\x" and the hex SHA-256 of "METHOD\nPATH\nBODY" */
static int
request_hash(struct req *rq)
{
	size_t         m = strlen(rq->method_name), p = strlen(rq->path), n = m + 1 + p + 1 + rq->body_len;
	char          *buf = malloc(n);
	unsigned char  sum[DIGEST_SHA256_LEN];
	int            rc;

	if (buf == NULL)
		return -1;
	memcpy(buf, rq->method_name, m);
	buf[m] = '\n';
	memcpy(buf + m + 1, rq->path, p);
	buf[m + 1 + p] = '\n';
	if (rq->body_len > 0)
		memcpy(buf + m + p + 2, rq->body_text, rq->body_len);
	rc = digest_sha256(buf, n, sum);
	free(buf);
	if (rc != 0)
		return -1;
	rq->idem_hash[0] = '\\';
	rq->idem_hash[1] = 'x';
	hex_encode(sum, sizeof(sum), rq->idem_hash + 2);
	return 0;
}

enum ferr
idempotency_begin(struct req *rq)
{
	const char *key;
	enum ferr   e;

	if (rq->method != HTTP_POST && rq->method != HTTP_PATCH && rq->method != HTTP_DELETE)
		return FERR_OK;
	if ((key = http_param(rq, "HTTP_IDEMPOTENCY_KEY")) == NULL)
		return FERR_OK;
	if (!idempotency_key_valid(key, strlen(key))) {
		snprintf(rq->err_msg, sizeof(rq->err_msg),
		    "Idempotency-Key must be 1 to %d printable ASCII characters.", FOCUS_MAX_IDEMPOTENCY_KEY);
		return FERR_BAD_REQUEST;
	}
	/* the key is bound to the body too, also where the route reads none */
	if ((e = http_read_raw(rq)) != FERR_OK)
		return e;
	if (request_hash(rq) != 0)
		return FERR_INTERNAL;
	snprintf(rq->idem_key, sizeof(rq->idem_key), "%s", key);
	rq->idem_state = IDEM_PENDING;
	return FERR_OK;
}

/* Roll the open transaction back; 0, or -1 when the connection failed
 * (db.c logged it and dropped the connection). */
static int
rollback(struct req *rq)
{
	return db_end_transaction(STMT_IDEM_STORE, NULL, 0, &rq->round_trips, rq->request_id) == FERR_OK
	    ? 0 : -1;
}

/* The response writer's hook (http.h before_send): a 5xx is not an
 * answer to keep (the client may try again and should get a new
 * attempt), so its transaction is rolled back; any other answer is
 * stored with the change and committed. -1 when the commit failed: the
 * writer answers 503 instead, and nothing was kept. */
static int
store_answer(struct req *rq, int status, const char *body, size_t len)
{
	char       *text = NULL, code[12];
	enum ferr   e;

	rq->idem_state = IDEM_NONE;
	if (status >= 500 || rq->user_id[0] == '\0')
		return rollback(rq);
	if ((text = malloc(len + 1)) == NULL) {
		(void)rollback(rq);
		return -1;
	}
	memcpy(text, body, len);
	text[len] = '\0';
	snprintf(code, sizeof(code), "%d", status);
	{
		const char *params[] = { rq->user_id, rq->idem_key, code, text };
		e = db_end_transaction(STMT_IDEM_STORE, params, 1, &rq->round_trips, rq->request_id);
	}
	free(text);
	return e == FERR_OK ? 0 : -1;
}

/* idempotency_fetch's columns by name */
#define FETCH(name) stmt_col(STMT_IDEM_FETCH, name)

/* The key is another request's: answer what that request answered, when
 * it was this same request. */
static void
replay(struct req *rq)
{
	PGresult   *res = NULL;
	char        ttl[16];
	const char *body;
	enum ferr   e;
	long        status;

	snprintf(ttl, sizeof(ttl), "%d", FOCUS_IDEMPOTENCY_TTL_S);
	{
		const char *params[] = { rq->token_hash, rq->idem_key, ttl };
		e = db_exec(STMT_IDEM_FETCH, params, &res, &rq->round_trips, rq->request_id);
	}
	if (e == FERR_OK)
		e = api_outcome(res, rq->user_id);
	if (e == FERR_OK && strcmp(PQgetvalue(res, 0, FETCH("request_hash")), rq->idem_hash) != 0) {
		snprintf(rq->err_msg, sizeof(rq->err_msg),
		    "This Idempotency-Key was used for a different request (method, path or body).");
		e = FERR_VALIDATION;
	} else if (e == FERR_OK && !PQgetisnull(res, 0, FETCH("status"))) {
		status = strtol(PQgetvalue(res, 0, FETCH("status")), NULL, 10);
		body = PQgetvalue(res, 0, FETCH("body"));
		(void)http_add_header(rq, "Idempotent-Replayed", "true");
		if (status >= 200 && status < 500) {
			http_send_json(rq, (int)status, body, strlen(body));
			PQclear(res);
			return;
		}
		e = FERR_INTERNAL;
	} else if (e == FERR_OK || e == FERR_NOT_FOUND) {
		/* claimed but not answered: the other request ended without
		 * keeping it (rolled back) or is past its window */
		snprintf(rq->err_msg, sizeof(rq->err_msg),
		    "A request with this Idempotency-Key did not finish; send it again.");
		e = FERR_CONFLICT;
	}
	PQclear(res);
	http_send_error(rq, e, NULL);
}

enum ferr
idempotency_exec(struct req *rq, enum stmt id, const char *const *params, PGresult **res)
{
	char      ttl[16];
	int       taken = 0;
	enum ferr e;

	snprintf(ttl, sizeof(ttl), "%d", FOCUS_IDEMPOTENCY_TTL_S);
	{
		const char *claim[] = { rq->token_hash, rq->idem_key, rq->idem_hash, ttl };
		e = db_exec_claimed(STMT_IDEM_CLAIM, claim, id, params, res, &taken, &rq->round_trips,
		    rq->request_id);
	}
	if (taken) {
		rq->idem_state = IDEM_NONE;
		replay(rq);
		return FERR_CONFLICT;
	}
	if (db_in_transaction()) {
		rq->idem_state = IDEM_CLAIMED;
		rq->before_send = store_answer;
	} else
		rq->idem_state = IDEM_NONE;
	if (e != FERR_OK)
		return e;
	return api_outcome(*res, rq->user_id);
}

void
idempotency_end(struct req *rq)
{
	rq->before_send = NULL;
	if (rq->idem_state == IDEM_CLAIMED || db_in_transaction())
		(void)rollback(rq);
	rq->idem_state = IDEM_NONE;
}
