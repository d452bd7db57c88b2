#include <stdio.h>

#include "db.h"
#include "health.h"

enum ferr
health_get(struct req *rq)
{
	PGresult *res = NULL;
	enum ferr e;

	if ((e = db_exec(STMT_HEALTH, NULL, &res, &rq->round_trips, rq->request_id)) != FERR_OK) {
		if (e == FERR_UNAVAILABLE)
			snprintf(rq->err_msg, sizeof(rq->err_msg), "The database is unavailable.");
		return e;
	}
	PQclear(res);
	http_send_data(rq, "{\"status\":\"ok\",\"database\":\"ok\"}");
	return FERR_OK;
}
