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
	{
		struct jsonw w;

		http_data_begin(&w);
		jw_obj(&w, NULL);
		jw_str(&w, "status", "ok");
		jw_str(&w, "database", "ok");
		jw_end(&w);
		return http_data_send(rq, &w);
	}
}
