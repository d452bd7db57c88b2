#include <stdio.h>
#include <string.h>

#include "api.h"
#include "db.h"
#include "idempotency.h"
#include "log.h"
#include "pgbin.h"
#include "validate.h"

static const struct {
	const char *outcome;
	enum ferr   err;
} outcome_table[] = {
	{ "ok",           FERR_OK },
	{ "unauthorized", FERR_UNAUTHORIZED },
	{ "not_found",    FERR_NOT_FOUND },
	{ "conflict",     FERR_CONFLICT },
	{ "precondition_failed", FERR_PRECONDITION },
	{ "too_large",    FERR_TOO_LARGE },
	{ "invalid",      FERR_VALIDATION },
	{ "bad_request",  FERR_BAD_REQUEST },
};

enum ferr
api_outcome(const PGresult *res, char user_id[37])
{
	const char *outcome;
	size_t      i;

	user_id[0] = '\0';
	if (PQntuples(res) < 1 || PQnfields(res) < 2)
		return FERR_INTERNAL;
	if (PQfformat(res, 1) == 1) {
		if (pgbin_uuid(res, 0, 1, user_id) == PGBIN_BAD)
			return FERR_INTERNAL;
	} else if (!PQgetisnull(res, 0, 1))
		snprintf(user_id, 37, "%s", PQgetvalue(res, 0, 1));
	/* text in either format (libpq ends every value with a NUL) */
	outcome = PQgetvalue(res, 0, 0);
	for (i = 0; i < sizeof(outcome_table) / sizeof(outcome_table[0]); i++)
		if (strcmp(outcome, outcome_table[i].outcome) == 0)
			return outcome_table[i].err;
	return FERR_INTERNAL;
}

enum ferr
api_exec(struct req *rq, enum stmt id, const char *const *params, PGresult **res)
{
	enum ferr e;

	/* a write with an Idempotency-Key: its first statement claims it */
	if (rq->idem_state == IDEM_PENDING)
		return idempotency_exec(rq, id, params, res);
	if ((e = db_exec(id, params, res, &rq->round_trips, rq->request_id)) != FERR_OK)
		return e;
	return api_outcome(*res, rq->user_id);
}

enum ferr
api_send_rendered(struct req *rq, enum stmt id, PGresult *res, api_render_fn render,
    const void *arg)
{
	struct jsonw w;
	int          rc;
	enum ferr    e = FERR_OK;

	http_data_begin(&w);
	rc = render(&w, res, &stmt_table[id].shape, arg);
	if (rc == -1 || (rc == 0 && jw_error(&w) != JW_OK)) {
		log_kv(LOG_ERROR, "render", "req", rq->request_id, "stmt", stmt_table[id].name, NULL);
		e = FERR_INTERNAL;
	} else if (rc != 0)
		e = rc > 0 && rc < FERR__MAX ? (enum ferr)rc : FERR_INTERNAL;
	if (e == FERR_OK)
		e = http_data_send(rq, &w);     /* frees w */
	else
		jw_free(&w);
	PQclear(res);
	return e;
}

enum ferr
api_reply_rendered(struct req *rq, enum stmt id, const char *const *params,
    api_render_fn render, const void *arg)
{
	PGresult *res = NULL;
	enum ferr e;

	if ((e = api_exec(rq, id, params, &res)) != FERR_OK) {
		PQclear(res);
		return e;
	}
	return api_send_rendered(rq, id, res, render, arg);
}

enum ferr
api_page_params(struct req *rq, struct api_page *out)
{
	long long page, size;
	enum ferr e;

	if ((e = validate_query_int(rq->query, "page", 1, 1, FOCUS_MAX_PAGE, &page,
	    rq->err_msg, sizeof(rq->err_msg))) != FERR_OK ||
	    (e = validate_query_int(rq->query, "page_size", FOCUS_DEFAULT_PAGE_SIZE, 1,
	    FOCUS_MAX_PAGE_SIZE, &size, rq->err_msg, sizeof(rq->err_msg))) != FERR_OK)
		return e;
	snprintf(out->limit, sizeof(out->limit), "%lld", size);
	/* at most FOCUS_MAX_PAGE * FOCUS_MAX_PAGE_SIZE: no overflow */
	snprintf(out->offset, sizeof(out->offset), "%lld", (page - 1) * size);
	out->page = page;
	out->page_size = size;
	return FERR_OK;
}
