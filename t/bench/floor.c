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
 * The data floors (page, period, start) act for the person the request
 * names (?u=<user id>), so that they read and write the same people's
 * rows as the routes they bound; the others act for FLOOR_USER_ID.
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
 *                      Informational.
 *   FLOOR_MODE=argon2  no database: one argon2id verify of a fixed password
 *                      with the service's parameters (src/auth.h), the
 *                      hash that login and a password change pay for
 *                      (a password change pays it twice: the current
 *                      password verified, the new one hashed).
 * Routes can be no faster than these on the same machine in the same run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <argon2.h>
#include <fcgiapp.h>
#include <libpq-fe.h>

#include "../../src/auth.h"

static const char body[] = "{\"data\":{\"status\":\"ok\"}}\n";

/* each probe's one statement, prepared under its mode's name; $1 is the
 * user id (FLOOR_USER_ID, or the request's with per_person) unless
 * param_env names another parameter */
static const struct floor {
	const char *mode, *sql, *param_env;
	int         binary, per_person;
} floors[] = {
	{ "select", "SELECT id, status FROM focus_sessions WHERE user_id = $1 AND open", NULL, 0, 0 },
	{ "insert", "INSERT INTO login_failures (name, client) VALUES ($1, 'floor')", NULL, 0, 0 },
	{ "auth", "SELECT s.user_id, f.id, f.status FROM sessions s LEFT JOIN focus_sessions f"
	    " ON f.user_id = s.user_id AND f.open"
	    " WHERE s.token_hash = $1::bytea AND s.expires_at > now()", "FLOOR_TOKEN_HASH", 0, 0 },
	{ "page", "SELECT id, mode, duration_seconds, started_at, expires_at, paused_at,"
	    " completed_at, abandoned_at, status, focused_seconds, xp_awarded, coins_awarded,"
	    " task_id, task_title, now() FROM focus_sessions WHERE user_id = $1"
	    " ORDER BY started_at DESC, id DESC LIMIT 20", NULL, 1, 1 },
	{ "period", "SELECT count(*) FILTER (WHERE status = 'completed'),"
	    " count(*) FILTER (WHERE status = 'abandoned'), count(*),"
	    " coalesce(sum(focused_seconds) FILTER (WHERE status = 'completed' AND mode = 'focus'), 0),"
	    " coalesce(sum(xp_awarded), 0), coalesce(sum(coins_awarded), 0)"
	    " FROM focus_sessions WHERE user_id = $1 AND started_at >= now() - interval '30 days'",
	    NULL, 1, 1 },
	/* the insert waits for the update by reading its count, as in
	 * session_start: a data-modifying CTE that nothing reads runs after
	 * the main statement, which would then collide on the open slot */
	{ "start", "WITH closed AS (UPDATE focus_sessions SET status = 'abandoned', abandoned_at = now(), paused_at = NULL"
	    " WHERE user_id = $1 AND open RETURNING id)"
	    " INSERT INTO focus_sessions (user_id, mode, duration_seconds, expires_at)"
	    " SELECT $1, 'focus', 1500, now() + interval '1500 seconds'"
	    " WHERE (SELECT count(*) FROM closed) >= 0", NULL, 0, 1 },
};

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
	static const char   password[] = "floor-argon2-password";
	static const unsigned char salt[AUTH_ARGON2_SALT_LEN] = { 0 };  /* any salt: nothing to protect */
	char                encoded[AUTH_ARGON2_ENCODED_MAX];
	int                 argon2 = 0;

	if (mode == NULL)
		mode = "static";
	if (strcmp(mode, "argon2") == 0) {
		/* hashed once here; each request verifies, as login does */
		if (argon2id_hash_encoded(AUTH_ARGON2_T_COST, AUTH_ARGON2_M_COST, AUTH_ARGON2_LANES,
		    password, sizeof(password) - 1, salt, sizeof(salt), AUTH_ARGON2_HASH_LEN,
		    encoded, sizeof(encoded)) != ARGON2_OK)
			return 1;
		argon2 = 1;
	} else if (strcmp(mode, "static") != 0) {
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
	}
	if (FCGX_Init() != 0 || FCGX_InitRequest(&fr, 0, 0) != 0)
		return 1;
	while (FCGX_Accept_r(&fr) >= 0) {
		int ok = 1;

		if (argon2)
			ok = argon2id_verify(encoded, password, sizeof(password) - 1) == ARGON2_OK;
		if (c != NULL) {
			const char *params[1] = { param };
			char        person[64];

			if (fl->per_person) {
				/* a benchmark tool: the database refuses a bad id (500) */
				const char *q = FCGX_GetParam("QUERY_STRING", fr.envp);
				snprintf(person, sizeof(person), "%s",
				    q != NULL && strncmp(q, "u=", 2) == 0 ? q + 2 : "");
				params[0] = person;
			}
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
