#include <stdio.h>
#include <string.h>

#include "api.h"
#include "db.h"
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
	{ "too_large",    FERR_TOO_LARGE },
	{ "invalid",      FERR_VALIDATION },
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

	if ((e = db_exec(id, params, res, &rq->round_trips, rq->request_id)) != FERR_OK)
		return e;
	return api_outcome(*res, rq->user_id);
}

enum ferr
api_run(struct req *rq, enum stmt id, const char *const *params, PGresult **res,
    const char **data)
{
	enum ferr e;

	*data = NULL;
	e = api_exec(rq, id, params, res);
	if (*res != NULL && (PQntuples(*res) != 1 || PQnfields(*res) != 3))
		return e == FERR_OK ? FERR_INTERNAL : e;
	if (*res != NULL)
		*data = PQgetisnull(*res, 0, 2) ? "null" : PQgetvalue(*res, 0, 2);
	return e;
}

enum ferr
api_send_rendered(struct req *rq, enum stmt id, PGresult *res, api_render_fn render,
    const void *arg)
{
	struct printbuf *pb = printbuf_new();
	int              rc = pb != NULL ? render(pb, res, arg) : -1;
	enum ferr        e = FERR_OK;

	if (rc == -1) {
		log_kv(LOG_ERROR, "render", "req", rq->request_id, "stmt", stmt_table[id].name, NULL);
		e = FERR_INTERNAL;
	} else if (rc != 0)
		e = rc > 0 && rc < FERR__MAX ? (enum ferr)rc : FERR_INTERNAL;
	else
		http_send_data(rq, pb->buf);
	if (pb != NULL)
		printbuf_free(pb);
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
api_reply(struct req *rq, enum stmt id, const char *const *params)
{
	PGresult   *res = NULL;
	const char *data;
	enum ferr   e;

	if ((e = api_run(rq, id, params, &res, &data)) == FERR_OK)
		http_send_data(rq, data);
	PQclear(res);
	return e;
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
	snprintf(out->page, sizeof(out->page), "%lld", page);
	return FERR_OK;
}
