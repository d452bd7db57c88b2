#include <stdio.h>
#include <string.h>
#include <time.h>

#include "auth.h"
#include "db.h"
#include "events.h"
#include "health.h"
#include "history.h"
#include "idempotency.h"
#include "libraries.h"
#include "localtime.h"
#include "export.h"
#include "tracks.h"
#include "log.h"
#include "routes.h"
#include "sessions.h"
#include "settings.h"
#include "storage_link.h"

const struct route routes[] = {
	{ HTTP_GET,    "/api/health",                         health_get,         0 },
	{ HTTP_POST,   "/api/auth/login",                     auth_login,         ROUTE_JSON },
	{ HTTP_POST,   "/api/auth/register",                  auth_register,      ROUTE_JSON },
	{ HTTP_POST,   "/api/auth/logout",                    auth_logout,        ROUTE_AUTH | ROUTE_JSON },
	{ HTTP_POST,   "/api/auth/logout-all",                auth_logout_all,    ROUTE_AUTH | ROUTE_JSON },
	{ HTTP_POST,   "/api/auth/password",                  auth_password,      ROUTE_AUTH | ROUTE_JSON },
	{ HTTP_GET,    "/api/auth/me",                        auth_me,            ROUTE_AUTH },
	{ HTTP_POST,   "/api/focus",                          sessions_start,     ROUTE_AUTH | ROUTE_JSON },
	{ HTTP_GET,    "/api/focus?stats=true",               sessions_stats,     ROUTE_AUTH },
	{ HTTP_GET,    "/api/focus",                          sessions_list,      ROUTE_AUTH },
	{ HTTP_GET,    "/api/focus/stats",                    sessions_stats,     ROUTE_AUTH },
	{ HTTP_GET,    "/api/focus/active",                   sessions_active,    ROUTE_AUTH },
	{ HTTP_GET,    "/api/focus/pause",                    sessions_pause_get, ROUTE_AUTH },
	{ HTTP_POST,   "/api/focus/pause",                    sessions_pause,     ROUTE_AUTH | ROUTE_JSON },
	{ HTTP_DELETE, "/api/focus/pause",                    sessions_resume,    ROUTE_AUTH },
	{ HTTP_POST,   "/api/focus/batch",                    history_batch,      ROUTE_AUTH | ROUTE_JSON },
	{ HTTP_POST,   "/api/focus/active/complete",          sessions_active_complete, ROUTE_AUTH | ROUTE_JSON },
	{ HTTP_POST,   "/api/focus/active/abandon",           sessions_active_abandon, ROUTE_AUTH | ROUTE_JSON },
	{ HTTP_POST,   "/api/focus/next",                     sessions_next,      ROUTE_AUTH | ROUTE_JSON },
	/* reached only through nginx's auth_request of /api/focus/events
	 * (an internal location); the stream itself is nchan's */
	{ HTTP_GET,    "/api/focus/events/authorize",         events_authorize,   ROUTE_AUTH },
	{ HTTP_GET,    "/api/focus/series",                   localtime_series,   ROUTE_AUTH },
	{ HTTP_GET,    "/api/focus/progress",                 localtime_progress, ROUTE_AUTH },
	{ HTTP_GET,    "/api/focus/export",                   export_sessions,    ROUTE_AUTH },
	{ HTTP_GET,    "/api/focus/settings",                 settings_get,       ROUTE_AUTH },
	{ HTTP_PATCH,  "/api/focus/settings",                 settings_patch,     ROUTE_AUTH | ROUTE_JSON },
	{ HTTP_GET,    "/api/focus/libraries",                libraries_list,     ROUTE_AUTH },
	{ HTTP_POST,   "/api/focus/libraries",                libraries_create,   ROUTE_AUTH | ROUTE_JSON },
	{ HTTP_GET,    "/api/focus/libraries/{id}",           libraries_get,      ROUTE_AUTH },
	{ HTTP_DELETE, "/api/focus/libraries/{id}",           libraries_delete,   ROUTE_AUTH },
	{ HTTP_POST,   "/api/focus/libraries/{id}/favorite",  libraries_favorite, ROUTE_AUTH | ROUTE_JSON },
	{ HTTP_POST,   "/api/focus/libraries/{id}/tracks/upload-url", tracks_upload_url, ROUTE_AUTH | ROUTE_JSON },
	{ HTTP_PUT,    "/api/focus/libraries/{id}/tracks/upload", tracks_upload,  ROUTE_AUTH },
	{ HTTP_POST,   "/api/focus/libraries/{id}/tracks",    tracks_register,    ROUTE_AUTH | ROUTE_JSON },
	{ HTTP_GET,    "/api/focus/libraries/{id}/tracks",    tracks_list,        ROUTE_AUTH },
	{ HTTP_DELETE, "/api/focus/libraries/{id}/tracks/{id}", tracks_delete,    ROUTE_AUTH },
	{ HTTP_POST,   "/api/focus/{id}/complete",            sessions_complete,  ROUTE_AUTH | ROUTE_JSON },
	{ HTTP_POST,   "/api/focus/{id}/abandon",             sessions_abandon,   ROUTE_AUTH | ROUTE_JSON },
	/* signed links of the directory storage backend (no token: the
	 * link's HMAC is the authorization) */
	{ HTTP_GET,    "/api/storage/{*}",                    storage_link_get,   0 },
	{ HTTP_PUT,    "/api/storage/{*}",                    storage_link_put,   0 },
};
const size_t routes_count = sizeof(routes) / sizeof(routes[0]);

/* Every request body's field table, for the fuzz target (t/fuzz): a
 * handler with a new table adds it here. */
const struct field_table *const body_tables[] = {
	&sessions_start_body, &history_item_body, &auth_login_body, &auth_register_body, &libraries_body,
	&tracks_upload_url_body, &tracks_register_body,
};
const size_t body_tables_count = sizeof(body_tables) / sizeof(body_tables[0]);

static long
elapsed_us(const struct req *rq)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (long)((now.tv_sec - rq->started.tv_sec) * 1000000L +
	    (now.tv_nsec - rq->started.tv_nsec) / 1000);
}

static enum ferr
dispatch(struct req *rq, const struct route *r)
{
	enum ferr e;

	if (r->flags & ROUTE_AUTH) {
		if ((e = auth_extract(rq)) != FERR_OK)
			return e;
		if ((e = auth_check_origin(rq)) != FERR_OK)
			return e;
	}
	if ((r->flags & ROUTE_JSON) && (e = http_read_json(rq)) != FERR_OK)
		return e;
	/* a signed-in write's Idempotency-Key (idempotency.h) */
	if ((r->flags & ROUTE_AUTH) && (e = idempotency_begin(rq)) != FERR_OK)
		return e;
	return r->handler(rq);
}

void
routes_serve(struct req *rq)
{
	const struct route *r;
	enum ferr           e;
	char                allow[64], us[24], rt[12], status[8];

	r = router_match(routes, routes_count, rq, &e, allow, sizeof(allow));
	if (r != NULL)
		e = dispatch(rq, r);
	if (e == FERR_METHOD)
		(void)http_add_header(rq, "Allow", allow);
	/* a replayed answer (idempotency.c) was sent already */
	if (e != FERR_OK && !rq->responded)
		http_send_error(rq, e, NULL);
	idempotency_end(rq);

	snprintf(us, sizeof(us), "%ld", elapsed_us(rq));
	snprintf(rt, sizeof(rt), "%d", rq->round_trips);
	snprintf(status, sizeof(status), "%d", rq->status);
	log_kv(rq->status >= 500 ? LOG_ERROR : LOG_INFO, "request",
	    "req", rq->request_id, "method", rq->method_name, "route", rq->route,
	    "status", status, "us", us, "rt", rt,
	    "user", rq->user_id[0] != '\0' ? rq->user_id : "-",
	    "err", rq->err_kind != NULL ? rq->err_kind : "-", NULL);
}
