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
 * Routes can be no faster than these on the same machine in the same run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fcgiapp.h>
#include <libpq-fe.h>

static const char body[] = "{\"data\":{\"status\":\"ok\"}}\n";

int
main(void)
{
	FCGX_Request fr;
	const char  *mode = getenv("FLOOR_MODE"), *user = getenv("FLOOR_USER_ID");
	const char  *stmt_name = "floor_select", *param = user;
	PGconn      *c = NULL;
	PGresult    *res;

	if (mode == NULL)
		mode = "static";
	if (strcmp(mode, "static") != 0) {
		c = PQconnectdb(getenv("FOCUS_DB") != NULL ? getenv("FOCUS_DB") : "dbname=focus");
		if (PQstatus(c) != CONNECTION_OK || user == NULL)
			return 1;
		res = PQprepare(c, "floor_select",
		    "SELECT id, status FROM focus_sessions WHERE user_id = $1 AND open", 1, NULL);
		PQclear(res);
		res = PQprepare(c, "floor_insert",
		    "INSERT INTO login_failures (name, client) VALUES ($1, 'floor')", 1, NULL);
		PQclear(res);
		res = PQprepare(c, "floor_auth",
		    "SELECT s.user_id, f.id, f.status FROM sessions s LEFT JOIN focus_sessions f"
		    " ON f.user_id = s.user_id AND f.open"
		    " WHERE s.token_hash = $1::bytea AND s.expires_at > now()", 1, NULL);
		PQclear(res);
		/* chosen once, not per request: the floor does nothing else */
		if (strcmp(mode, "insert") == 0)
			stmt_name = "floor_insert";
		else if (strcmp(mode, "auth") == 0) {
			stmt_name = "floor_auth";
			if ((param = getenv("FLOOR_TOKEN_HASH")) == NULL)
				return 1;
		}
	}
	if (FCGX_Init() != 0 || FCGX_InitRequest(&fr, 0, 0) != 0)
		return 1;
	while (FCGX_Accept_r(&fr) >= 0) {
		if (c != NULL) {
			const char *params[1] = { param };
			res = PQexecPrepared(c, stmt_name, 1, params, NULL, NULL, 0);
			PQclear(res);
		}
		FCGX_FPrintF(fr.out, "Status: 200 OK\r\nContent-Type: application/json\r\n"
		    "Content-Length: %u\r\n\r\n", (unsigned)(sizeof(body) - 1));
		FCGX_PutStr(body, (int)sizeof(body) - 1, fr.out);
		FCGX_Finish_r(&fr);
	}
	PQfinish(c);
	return 0;
}
