/*
 * explain.c: the plan checker (focusctl explain [--check]); see explain.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explain.h"
#include "pgcli.h"
#include "stmt.h"

/* Run one statement without parameters: 0, or -1 (printed). */
static int
run(PGconn *c, const char *sql)
{
	return pgcli_ok(PQexec(c, sql), NULL);
}

/*
 * focusctl explain: every per-request statement, planned and run with
 * EXPLAIN (ANALYZE, BUFFERS) on sample values from the database, inside a
 * transaction that is rolled back (the writes leave nothing). The sample
 * caller is the seeded user with the most sessions, given a temporary
 * token. With check set, a plan that does not use the statement's
 * annotated index, or scans a per-user table sequentially, is a failure.
 */
enum sample { S_TOKEN, S_SESSION, S_LIBRARY, S_TRACK, S_USER, S__MAX };

/* the sample values each statement gets, in parameter order; NULL ends.
 * Every registered statement has one: explain fails on a statement
 * without (so docs/statements.sql documents them all). */
static const struct {
	enum stmt   id;
	const char *params[12];
} samples[] = {
	{ STMT_HEALTH,           { NULL } },
	{ STMT_LOCK_USER,        { "@token" } },
	{ STMT_AUTH_ME,          { "@token" } },
	{ STMT_AUTH_LOGIN_LOOKUP, { "seed-name", "127.0.0.1", "900" } },
	{ STMT_AUTH_LOGIN_OK,    { "\\x00000000000000000000000000000000000000000000000000000000000000ff", "@user",
	    "$argon2id$v=19$m=19456,t=2,p=1$c2FtcGxl$c2FtcGxl", "30", "20" } },
	{ STMT_AUTH_LOGIN_FAILED, { "seed-name", "127.0.0.1", "900" } },
	{ STMT_AUTH_REGISTER,    { "seed-name", "127.0.0.1", "900", "$argon2id$v=19$m=19456,t=2,p=1$c2FtcGxl$c2FtcGxl",
	    "\\x00000000000000000000000000000000000000000000000000000000000000fe", "30", "10", "100", "100" } },
	{ STMT_AUTH_LOGOUT,      { "@token" } },
	{ STMT_SESSION_START,    { "@token", "focus", "1500", NULL, NULL } },
	{ STMT_SESSION_LIST,     { "@token", "20", "0" } },
	{ STMT_SESSION_STATS,    { "@token", "7 days" } },
	{ STMT_SESSION_ACTIVE,   { "@token" } },
	/* If-Match's tags (stmt.c CTE_PRECONDITION): one of the sample
	 * user's form, so the lock and the comparison are planned and run */
	{ STMT_PAUSE,            { "@token", "{\"\\\"@user-0\\\"\"}" } },
	{ STMT_RESUME,           { "@token", "{\"\\\"@user-0\\\"\"}" } },
	{ STMT_SESSIONS_UPDATE,  { "@token", "{@session}", "{complete}", "{\"\\\"@user-0\\\"\"}" } },
	{ STMT_LIBRARY_LIST,     { "@token", "20", "0" } },
	{ STMT_LIBRARY_CREATE,   { "@token", "Rain", NULL, "custom" } },
	{ STMT_LIBRARY_GET,      { "@token", "@library" } },
	{ STMT_LIBRARY_DELETE,   { "@token", "@library" } },
	{ STMT_LIBRARY_FAVORITE, { "@token", "@library" } },
	{ STMT_LIBRARY_CHECK,    { "@token", "@library" } },
	{ STMT_TRACK_ADD,        { "@token", "@library", "t", "https://example.com/t.mp3", "audio/mpeg", "1", NULL, NULL } },
	{ STMT_TRACK_LIST,       { "@token", "@library" } },
	{ STMT_TRACK_DELETE,     { "@token", "@library", "@track" } },
	{ STMT_UPLOAD_RESERVE,   { "@token", "@library", "00000000-0000-4000-8000-000000000000.mp3", "1",
	    "audio/mpeg", "300", "1024" } },
	{ STMT_UPLOAD_RELEASE,   { "@token", "00000000-0000-4000-8000-000000000000/audio/00000000-0000-4000-8000-000000000000.mp3" } },
	{ STMT_AUTH_LOGOUT_ALL,  { "@token" } },
	{ STMT_AUTH_PASSWORD_LOOKUP, { "@token", "127.0.0.1", "900" } },
	{ STMT_AUTH_PASSWORD_SET, { "@token", "$argon2id$v=19$m=19456,t=2,p=1$c2FtcGxl$b2xk",
	    "$argon2id$v=19$m=19456,t=2,p=1$c2FtcGxl$bmV3" } },
	{ STMT_EXPIRE_ALL,       { NULL } },
	{ STMT_USER_ADD,         { "explain-sample", "$argon2id$v=19$m=19456,t=2,p=1$x" } },
	{ STMT_USER_PASSWD,      { "explain-sample", "$argon2id$v=19$m=19456,t=2,p=1$x" } },
	{ STMT_TOKEN_ADD,        { "\\x00000000000000000000000000000000000000000000000000000000000000fe", "@user", "30" } },
	{ STMT_TRACK_KEYS,       { NULL } },
	{ STMT_TOKEN_LIST,       { "@user" } },
	{ STMT_TOKEN_REVOKE,     { "0" } },
	{ STMT_CATCH_UP,         { "@token" } },
	{ STMT_SETTINGS_GET,     { "@token" } },
	{ STMT_SETTINGS_PATCH,   { "@token", "1500", NULL, NULL, "4", "true", NULL, NULL, "Europe/Berlin", NULL, "sunday" } },
	{ STMT_NEXT,             { "@token", "{\"\\\"@user-0\\\"\"}" } },
	{ STMT_STATE_OF,         { "{@user}" } },
	{ STMT_TIMER_TICK,       { NULL } },
	{ STMT_TIMER_NEXT,       { NULL } },
	/* a create, an update of the sample session, a delete of a missing one */
	{ STMT_HISTORY_BATCH,    { "@token", "{NULL,@session,00000000-0000-4000-8000-000000000000}",
	    "{create,update,delete}", "{focus,NULL,NULL}", "{2001-01-01T00:00:00Z,NULL,NULL}",
	    "{1500,NULL,NULL}", "{NULL,NULL,NULL}", "{NULL,NULL,NULL}", "{NULL,edited,NULL}",
	    "{f,f,f}", "{f,t,f}" } },
	{ STMT_IDEM_CLAIM,       { "@token", "explain-key", "\\x0000000000000000000000000000000000000000000000000000000000000001", "86400" } },
	{ STMT_IDEM_STORE,       { "@user", "explain-key", "200", "{}" } },
	{ STMT_IDEM_FETCH,       { "@token", "explain-key", "86400" } },
	{ STMT_IDEM_EXPIRE,      { "86400" } },
	{ STMT_STATS_LOCAL,      { "@token", "this_month", NULL, NULL, "366" } },
	{ STMT_SERIES,           { "@token", "2026-01-01", "2026-12-31", "day", "366" } },
	{ STMT_PROGRESS,         { "@token" } },
	{ STMT_EXPORT,           { "@token", NULL, NULL } },
};

/* The sample of statement id, or -1. */
static int
sample_of(enum stmt id)
{
	size_t i;

	for (i = 0; i < sizeof(samples) / sizeof(samples[0]); i++)
		if (samples[i].id == id)
			return (int)i;
	return -1;
}

/* Tables that hold rows per user: a sequential scan of one of these in a
 * per-request statement reads every user's rows. */
static const char *const per_user_tables[] = {
	"sessions", "focus_sessions", "user_progress", "user_wallet",
	"points_ledger", "user_streaks", "focus_libraries", "focus_tracks", "login_failures",
	"focus_settings", "focus_timer_completions", "idempotency_keys",
};

/* Runs per statement for the median execution time focusctl explain
 * prints (docs/statements.sql keeps the last one, `make statements`):
 * odd, so the median is one of them. */
#define EXPLAIN_RUNS 11

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* Median "Execution Time" of sql (an EXPLAIN ANALYZE) over EXPLAIN_RUNS,
 * each rolled back to the savepoint; -1 on error. */
static double
median_ms(PGconn *c, const char *sql)
{
	double    t[EXPLAIN_RUNS];
	PGresult *res;
	int       i, n;

	for (i = 0; i < EXPLAIN_RUNS; i++) {
		const char *line;

		if (run(c, "SAVEPOINT m") != 0)
			return -1;
		res = PQexec(c, sql);
		n = PQresultStatus(res) == PGRES_TUPLES_OK ? PQntuples(res) : 0;
		line = n > 0 ? PQgetvalue(res, n - 1, 0) : "";
		if (sscanf(line, "Execution Time: %lf ms", &t[i]) != 1)
			t[i] = -1;
		PQclear(res);
		if (run(c, "ROLLBACK TO SAVEPOINT m") != 0 || t[i] < 0)
			return -1;
	}
	qsort(t, EXPLAIN_RUNS, sizeof(t[0]), cmp_double);
	return t[EXPLAIN_RUNS / 2];
}

/* Does the plan use one of the indexes named in "a|b|c"? */
static int
uses_any_index(const char *plan, const char *names)
{
	char   one[128];
	size_t n;

	while (*names != '\0') {
		n = strcspn(names, "|");
		if (n < sizeof(one)) {
			memcpy(one, names, n);
			one[n] = '\0';
			if (strstr(plan, one) != NULL)
				return 1;
		}
		names += n + (names[n] == '|');
	}
	return 0;
}

/* A sample parameter with every @name in it replaced by its value (an
 * array literal may hold several among other elements). */
static const char *
resolve(const char *p, char values[S__MAX][80], char *buf, size_t cap)
{
	static const char *const names[S__MAX] = { "@token", "@session", "@library", "@track", "@user" };
	size_t len = 0;
	int    i, hit;

	if (p == NULL || strchr(p, '@') == NULL)
		return p;
	while (*p != '\0' && len + 1 < cap) {
		for (hit = 0, i = 0; i < S__MAX && !hit; i++)
			if (strncmp(p, names[i], strlen(names[i])) == 0) {
				len += (size_t)snprintf(buf + len, cap - len, "%s", values[i]);
				if (len >= cap)
					return NULL;
				p += strlen(names[i]);
				hit = 1;
			}
		if (!hit)
			buf[len++] = *p++;
	}
	if (*p != '\0')
		return NULL;
	buf[len] = '\0';
	return buf;
}

int
explain_statements(PGconn *c, int check)
{
	char      values[S__MAX][80], arrbuf[12][256];
	PGresult *res;
	int       failures = 0, missing = 0, r, id;

	/* the sample caller and its rows, and a token valid only in here */
	if (run(c, "BEGIN") != 0 ||
	    run(c, "SET LOCAL plan_cache_mode = force_generic_plan") != 0)
		return 1;
	res = PQexec(c,
	    /* the person with the most sessions among those with an open one,
	     * and that open session: sessions_update then runs its whole
	     * write path (session, ledger, progress, wallet, streak) */
	    "WITH u AS (SELECT user_id FROM focus_sessions GROUP BY user_id\n"
	    "	ORDER BY bool_or(focus_status(status, expires_at, duration_seconds, now()) IN ('active', 'paused')) DESC,\n"
	    "	count(*) DESC LIMIT 1),\n"
	    "tok AS (INSERT INTO sessions (token_hash, user_id, expires_at)\n"
	    "	SELECT sha256('focusctl-explain'::bytea), user_id, now() + interval '1 hour' FROM u RETURNING user_id)\n"
	    "SELECT '\\x' || encode(sha256('focusctl-explain'::bytea), 'hex'),\n"
	    "	(SELECT id FROM focus_sessions f WHERE f.user_id = tok.user_id\n"
	    "	 ORDER BY focus_status(status, expires_at, duration_seconds, now()) IN ('active', 'paused') DESC, started_at DESC LIMIT 1),\n"
	    "	(SELECT id FROM focus_libraries l WHERE l.user_id = tok.user_id LIMIT 1),\n"
	    "	(SELECT id FROM focus_tracks t WHERE t.user_id = tok.user_id LIMIT 1),\n"
	    "	tok.user_id FROM tok");
	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1) {
		fprintf(stderr, "focusctl explain: needs seeded data (focusctl seed): %s", PQresultErrorMessage(res));
		PQclear(res);
		(void)run(c, "ROLLBACK");
		return 1;
	}
	for (r = 0; r < S__MAX; r++)
		snprintf(values[r], sizeof(values[r]), "%s", PQgetvalue(res, 0, r));
	PQclear(res);

	/* in registry order, every statement */
	for (id = 0; id < STMT__MAX; id++) {
		const struct stmt_def *def = &stmt_table[id];
		const char *params[12];
		char        sql[8192], plan[65536] = "";   /* next's plan runs past 16 KiB */
		size_t      used = 0, t;
		double      median;
		int         k, ok = 1, i = sample_of((enum stmt)id);

		if (i < 0) {
			fprintf(stderr, "focusctl explain: %s has no sample (src/explain.c samples[])\n", def->name);
			missing++;
			continue;
		}
		for (k = 0; k < def->nparams; k++)
			params[k] = resolve(samples[i].params[k], values, arrbuf[k], sizeof(arrbuf[k]));
		/* EXECUTE the worker's own prepared statement under the worker's
		 * plan_cache_mode (db.c): the generic plan is the one that runs */
		used = (size_t)snprintf(sql, sizeof(sql), "EXPLAIN (ANALYZE, BUFFERS) EXECUTE %s", def->name);
		/* EXECUTE takes values, not $n: each one quoted by libpq
		 * (PQescapeLiteral); they are samples from this database */
		for (k = 0; k < def->nparams && used < sizeof(sql); k++) {
			char *lit = params[k] != NULL ? PQescapeLiteral(c, params[k], strlen(params[k])) : NULL;
			used += (size_t)snprintf(sql + used, sizeof(sql) - used, "%s%s", k ? ", " : "(",
			    lit != NULL ? lit : "NULL");
			PQfreemem(lit);
		}
		if (def->nparams > 0 && used < sizeof(sql))
			snprintf(sql + used, sizeof(sql) - used, ")");
		used = 0;
		/* each statement in a savepoint: a write's effects stay out of
		 * the next statement's plan, and all are rolled back at the end */
		if (run(c, "SAVEPOINT s") != 0)
			break;
		res = PQexec(c, sql);
		if (PQresultStatus(res) != PGRES_TUPLES_OK) {
			fprintf(stderr, "focusctl explain: %s: %s", def->name, PQresultErrorMessage(res));
			PQclear(res);
			failures++;
			missing++;
			(void)run(c, "ROLLBACK TO SAVEPOINT s");
			continue;
		}
		for (k = 0; k < PQntuples(res); k++) {
			int n = snprintf(plan + used, sizeof(plan) - used, "--   %s\n", PQgetvalue(res, k, 0));
			if (n > 0 && (size_t)n < sizeof(plan) - used) {
				used += (size_t)n;
			} else {
				/* no half line: it would run into what follows */
				plan[used] = '\0';
				break;
			}
		}
		PQclear(res);
		(void)run(c, "ROLLBACK TO SAVEPOINT s");
		median = median_ms(c, sql);
		/* the plan check is for per-request statements */
		if (def->flags & STMT_ADMIN)
			;
		else if (def->index[0] != '\0' && !uses_any_index(plan, def->index))
			ok = 0;
		for (t = 0; !(def->flags & STMT_ADMIN) && t < sizeof(per_user_tables) / sizeof(per_user_tables[0]); t++) {
			char seq[64];
			snprintf(seq, sizeof(seq), "Seq Scan on %s ", per_user_tables[t]);
			if (strstr(plan, seq) != NULL)
				ok = 0;
		}
		/* a SQL document (docs/statements.sql): the annotation, the
		 * measurement and the plan as comments, then the statement as
		 * the worker prepares it */
		printf("-- == %s%s\n-- %s\n-- index: %s; expected plan: %s\n"
		    "-- median execution: %.3f ms over %d runs\n-- plan:\n%s"
		    "PREPARE %s AS\n%s;\n\n", def->name,
		    check ? (ok ? "  [ok]" : "  [PLAN CHECK FAILED]") : "",
		    def->purpose, def->index[0] ? def->index : "(none)", def->plan,
		    median, EXPLAIN_RUNS, plan, def->name, def->sql);
		if (!ok)
			failures++;
	}
	(void)run(c, "ROLLBACK");
	if (check)
		printf("%d statement(s) failed the plan check\n", failures);
	if (missing > 0)
		fprintf(stderr, "%d statement(s) without a sample or failing to run\n", missing);
	return missing > 0 || (check && failures > 0) ? 1 : 0;
}
