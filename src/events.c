#include <stdio.h>
#include <string.h>

#include "api.h"
#include "events.h"
#include "jsonw.h"
#include "log.h"
#include "publish.h"
#include "sessions.h"

/* The events request's own query string: nginx passes it in this
 * parameter (the subrequest has none of its own); a client cannot set a
 * FastCGI parameter, only HTTP_* headers. */
#define EVENTS_QUERY_PARAM "FOCUS_EVENTS_QUERY"

enum ferr
events_authorize(struct req *rq)
{
	const char  *params[] = { rq->token_hash };
	const char  *query = http_param(rq, EVENTS_QUERY_PARAM);
	const char  *text;
	PGresult    *res = NULL;
	struct jsonw w, out;
	char         asked[FOCUS_CHANNEL_LEN + 2];
	size_t       n;
	int          r;
	enum ferr    e;

	/* one round trip: the caller (from the token), caught up, and its
	 * /active object */
	if ((e = api_exec(rq, STMT_SESSION_ACTIVE, params, &res)) != FERR_OK) {
		PQclear(res);
		return e;
	}
	/* A channel named by the client is never used; one that is not the
	 * caller's own is refused, so a forged or borrowed id gets 403, not
	 * someone's stream nor silently the caller's. */
	r = query != NULL ? http_query_get(query, "channel", asked, sizeof(asked)) : 0;
	if (r < 0 || (r > 0 && strcmp(asked, rq->user_id) != 0)) {
		PQclear(res);
		snprintf(rq->err_msg, sizeof(rq->err_msg), "That channel is not yours.");
		return FERR_FORBIDDEN;
	}
	jw_init(&w);
	if (sessions_render_active(&w, res, 0) != 0 || (text = jw_text(&w, &n)) == NULL) {
		jw_free(&w);
		PQclear(res);
		log_kv(LOG_ERROR, "render", "req", rq->request_id, "route", rq->route, NULL);
		return FERR_INTERNAL;
	}
	PQclear(res);
	/* the subscriber's first event; a failure is logged by publish and
	 * costs only that first event (the next change publishes again) */
	if (publish_state(rq->user_id, text, n, rq->request_id) != 0)
		rq->err_kind = "publish";      /* logged by publish; answered 200 */
	jw_free(&w);
	if (http_add_header(rq, "X-Focus-Channel", rq->user_id) != 0)
		return FERR_INTERNAL;
	http_data_begin(&out);
	jw_obj(&out, NULL);
	jw_str(&out, "channel", rq->user_id);
	jw_end(&out);
	return http_data_send(rq, &out);
}
