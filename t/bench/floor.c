/*
 * floor-fcgi: the benchmark's floor probes (t/bench/README.md). The same
 * libfcgi accept loop as focus-fcgi with nothing else:
 *   FLOOR_MODE=static  answer a fixed JSON body, no database;
 *   FLOOR_MODE=select  one prepared SELECT by user id per request;
 *   FLOOR_MODE=insert  one prepared INSERT (committed) per request;
 *   FLOOR_MODE=auth    one prepared SELECT of a token's session and its
 *                      person's open session (FLOOR_TOKEN_HASH): the least
 *                      a read must do under API.md, which checks the token's
 *                      row on every request. Informational, not a goal.
 *   FLOOR_MODE=page    one prepared SELECT of a person's 20 newest sessions,
 *                      the columns GET /api/focus renders, in binary: what
 *                      a page costs to read before any token, count or JSON.
 *                      Informational.
 *   FLOOR_MODE=period  one prepared SELECT of the aggregates GET
 *                      /api/focus/stats sums over a person's last 30 days:
 *                      what the period costs to read. Informational.
 *   FLOOR_MODE=start   one prepared statement that writes the rows a start
 *                      writes (the open session abandoned, a new one
 *                      inserted), committed, with no token, lock or checks.
 *                      Each process writes for a person of its own, the
 *                      first of FLOOR_WRITER_IDS it can claim (a session
 *                      advisory lock), as the routes' concurrent requests
 *                      act for different people. Informational.
 * Routes can be no faster than these on the same machine in the same run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fcgiapp.h>
#include <libpq-fe.h>

static const char body[] = "{\"data\":{\"status\":\"ok\"}}\n";

/* each probe's one statement, prepared under its mode's name; $1 is the
 * user id unless param_env names another parameter */
static const struct floor {
	const char *mode, *sql, *param_env;
	int         binary;
} floors[] = {
	{ "select", "SELECT id, status FROM focus_sessions WHERE user_id = $1 AND open", NULL, 0 },
	{ "insert", "INSERT INTO login_failures (name, client) VALUES ($1, 'floor')", NULL, 0 },
	{ "auth", "SELECT s.user_id, f.id, f.status FROM sessions s LEFT JOIN focus_sessions f"
	    " ON f.user_id = s.user_id AND f.open"
	    " WHERE s.token_hash = $1::bytea AND s.expires_at > now()", "FLOOR_TOKEN_HASH", 0 },
	{ "page", "SELECT id, mode, duration_seconds, started_at, expires_at, paused_at,"
	    " completed_at, abandoned_at, status, focused_seconds, xp_awarded, coins_awarded,"
	    " task_id, task_title, now() FROM focus_sessions WHERE user_id = $1"
	    " ORDER BY started_at DESC, id DESC LIMIT 20", NULL, 1 },
	{ "period", "SELECT count(*) FILTER (WHERE status = 'completed'),"
	    " count(*) FILTER (WHERE status = 'abandoned'), count(*),"
	    " coalesce(sum(focused_seconds) FILTER (WHERE status = 'completed' AND mode = 'focus'), 0),"
	    " coalesce(sum(xp_awarded), 0), coalesce(sum(coins_awarded), 0)"
	    " FROM focus_sessions WHERE user_id = $1 AND started_at >= now() - interval '30 days'",
	    NULL, 1 },
	/* the insert waits for the update by reading its count, as in
	 * session_start: a data-modifying CTE that nothing reads runs after
	 * the main statement, which would then collide on the open slot */
	{ "start", "WITH closed AS (UPDATE focus_sessions SET status = 'abandoned', abandoned_at = now(), paused_at = NULL"
	    " WHERE user_id = $1 AND open RETURNING id)"
	    " INSERT INTO focus_sessions (user_id, mode, duration_seconds, expires_at)"
	    " SELECT $1, 'focus', 1500, now() + interval '1500 seconds'"
	    " WHERE (SELECT count(*) FROM closed) >= 0", "FLOOR_WRITER_IDS", 0 },
};

/* the first id of the space-separated list that no other process has
 * claimed, held for the life of the connection; NULL when all are taken */
static const char *
claim_writer(PGconn *c, const char *ids)
{
	static char id[64];
	size_t      n;

	while (*ids != '\0') {
		const char *params[1] = { id };
		PGresult   *res;
		int         mine;

		n = strcspn(ids, " ");
		if (n > 0 && n < sizeof(id)) {
			memcpy(id, ids, n);
			id[n] = '\0';
			res = PQexecParams(c, "SELECT pg_try_advisory_lock(hashtext($1))", 1, NULL,
			    params, NULL, NULL, 0);
			mine = PQresultStatus(res) == PGRES_TUPLES_OK && strcmp(PQgetvalue(res, 0, 0), "t") == 0;
			PQclear(res);
			if (mine)
				return id;
		}
		ids += n;
		ids += strspn(ids, " ");
	}
	return NULL;
}

int
main(void)
{
	FCGX_Request        fr;
	const char         *mode = getenv("FLOOR_MODE"), *user = getenv("FLOOR_USER_ID");
	const char         *param = user;
	const struct floor *fl = NULL;
	PGconn             *c = NULL;
	PGresult           *res;
	size_t              i;

	if (mode == NULL)
		mode = "static";
	if (strcmp(mode, "static") != 0) {
		c = PQconnectdb(getenv("FOCUS_DB") != NULL ? getenv("FOCUS_DB") : "dbname=focus");
		if (PQstatus(c) != CONNECTION_OK || user == NULL)
			return 1;
		for (i = 0; i < sizeof(floors) / sizeof(floors[0]); i++) {
			res = PQprepare(c, floors[i].mode, floors[i].sql, 1, NULL);
			if (PQresultStatus(res) != PGRES_COMMAND_OK) {
				fprintf(stderr, "floor-fcgi: %s: %s", floors[i].mode, PQerrorMessage(c));
				return 1;
			}
			PQclear(res);
			/* chosen once, not per request: the floor does nothing else */
			if (strcmp(mode, floors[i].mode) == 0)
				fl = &floors[i];
		}
		if (fl == NULL)
			return 1;
		if (fl->param_env != NULL && (param = getenv(fl->param_env)) == NULL)
			return 1;
		if (strcmp(fl->mode, "start") == 0 && (param = claim_writer(c, param)) == NULL)
			return 1;
	}
	if (FCGX_Init() != 0 || FCGX_InitRequest(&fr, 0, 0) != 0)
		return 1;
	while (FCGX_Accept_r(&fr) >= 0) {
		int ok = 1;

		if (c != NULL) {
			const char *params[1] = { param };
			res = PQexecPrepared(c, fl->mode, 1, params, NULL, NULL, fl->binary);
			/* a failed statement costs less than one that ran: the bench
			 * counts it as a non-2xx answer */
			ok = PQresultStatus(res) == PGRES_TUPLES_OK || PQresultStatus(res) == PGRES_COMMAND_OK;
			PQclear(res);
		}
		FCGX_FPrintF(fr.out, "Status: %s\r\nContent-Type: application/json\r\n"
		    "Content-Length: %u\r\n\r\n", ok ? "200 OK" : "500 Internal Server Error",
		    (unsigned)(sizeof(body) - 1));
		FCGX_PutStr(body, (int)sizeof(body) - 1, fr.out);
		FCGX_Finish_r(&fr);
	}
	PQfinish(c);
	return 0;
}
