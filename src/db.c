#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "log.h"

/* How often a statement runs again after losing a race (SQLSTATE 40001,
 * 40P01, or a flagged unique/foreign-key violation). Twenty concurrent
 * starts for one user need at most a few; beyond this we answer 409. */
#define DB_MAX_RACE_RETRIES 8

static PGconn     *conn;
static char       *conninfo_saved;

static void
log_pg(const char *event, const char *req_id, const char *stmt_name, const char *sqlstate,
    const char *cause)
{
	char msg[256];
	size_t n;

	snprintf(msg, sizeof(msg), "%s", cause != NULL ? cause : "");
	n = strlen(msg);
	while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		msg[--n] = '\0';
	log_kv(LOG_ERROR, event, "req", req_id, "stmt", stmt_name, "sqlstate", sqlstate,
	    "cause", msg, NULL);
}

/* varchar reads as text: the same bytes in either format, and pgbin_text
 * takes both (a column may change between them, API.md's limits being
 * CHECKs either way) */
static unsigned
same_as(unsigned type)
{
	return type == 1043 ? 25 : type;
}

/* Does the server's description of statement i (a Describe result) match
 * its declared shape? One log line naming the statement and the first
 * column that differs when not. */
static int
shape_matches(int i, const PGresult *d)
{
	const struct stmt_def   *def = &stmt_table[i];
	const struct stmt_shape *sh = &def->shape;
	int                      n = PQnfields(d), k;
	char                     want[96], got[96], col[12];

	for (k = 0; k < n || k < sh->ncols; k++) {
		const char *wn = k < sh->ncols ? sh->cols[k].name : "(none)";
		unsigned    wt = k < sh->ncols ? sh->cols[k].type : 0;
		const char *gn = k < n ? PQfname(d, k) : "(none)";
		unsigned    gt = k < n ? (unsigned)PQftype(d, k) : 0;

		if (strcmp(wn, gn) != 0 || same_as(wt) != same_as(gt)) {
			snprintf(col, sizeof(col), "%d", k);
			snprintf(want, sizeof(want), "%s %u", wn, wt);
			snprintf(got, sizeof(got), "%s %u", gn, gt);
			log_kv(LOG_ERROR, "db_shape", "stmt", def->name, "column", col,
			    "declared", want, "described", got, NULL);
			return 0;
		}
	}
	return 1;
}

/* Prepare and describe every registered statement in one pipelined round
 * trip: send a Parse and a Describe per statement, one Sync, then read
 * their results and finally the PGRES_PIPELINE_SYNC (libpq_pipeline.c's
 * pattern). 0; -1 when the connection failed or a statement did not
 * prepare; DB_SHAPE_MISMATCH when a statement's result is not the shape
 * its registry row declares. */
static int
prepare_all(PGconn *c)
{
	int       i, ok = 1, shapes_ok = 1;
	PGresult *res;

	if (PQenterPipelineMode(c) != 1)
		return -1;
	/* Generic plans: every statement is a lookup by the caller's id, whose
	 * plan does not depend on the values, and a custom plan would cost a
	 * planning per request, more than running our CTEs does. Sent in the same pipeline, so no round trip of its own. */
	if (PQsendQueryParams(c, "SET plan_cache_mode = force_generic_plan", 0, NULL, NULL, NULL, NULL, 0) != 1)
		return -1;
	for (i = 0; i < STMT__MAX; i++)
		if (PQsendPrepare(c, stmt_table[i].name, stmt_table[i].sql,
		    stmt_table[i].nparams, NULL) != 1 ||
		    PQsendDescribePrepared(c, stmt_table[i].name) != 1) {
			log_pg("db_prepare", NULL, stmt_table[i].name, NULL, PQerrorMessage(c));
			return -1;      /* the caller drops the connection */
		}
	if (PQpipelineSync(c) != 1)
		return -1;
	/* Per command: one result (PGRES_PIPELINE_ABORTED for those after
	 * an error), then NULL: first the SET, then each Parse. */
	if ((res = PQgetResult(c)) == NULL)
		return -1;
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		ok = 0;
	PQclear(res);
	if ((res = PQgetResult(c)) != NULL) {
		PQclear(res);
		return -1;
	}
	/* per statement: its Parse, then its Describe */
	for (i = 0; i < 2 * STMT__MAX; i++) {
		if ((res = PQgetResult(c)) == NULL)
			return -1;      /* connection lost */
		if (PQresultStatus(res) != PGRES_COMMAND_OK) {
			if (PQresultStatus(res) != PGRES_PIPELINE_ABORTED)
				log_pg("db_prepare", NULL, stmt_table[i / 2].name,
				    PQresultErrorField(res, PG_DIAG_SQLSTATE), PQresultErrorMessage(res));
			ok = 0;
		} else if (i % 2 == 1 && shapes_ok && !shape_matches(i / 2, res))
			shapes_ok = 0;  /* one line: the first statement that differs */
		PQclear(res);
		if ((res = PQgetResult(c)) != NULL) {
			PQclear(res);
			return -1;
		}
	}
	res = PQgetResult(c);
	if (PQresultStatus(res) != PGRES_PIPELINE_SYNC)
		ok = 0;
	PQclear(res);
	if (PQexitPipelineMode(c) != 1)
		ok = 0;
	return !ok ? -1 : !shapes_ok ? DB_SHAPE_MISMATCH : 0;
}

/* End the connection (when there is one); the next db_ready() opens a
 * new one and prepares every statement again. */
static void
drop_conn(void)
{
	PQfinish(conn);
	conn = NULL;
}

static int
connect_now(void)
{
	int r;

	drop_conn();
	conn = PQconnectdb(conninfo_saved);
	if (conn == NULL || PQstatus(conn) != CONNECTION_OK) {
		log_pg("db_connect", NULL, NULL, NULL, conn != NULL ? PQerrorMessage(conn) : "out of memory");
		drop_conn();
		return -1;
	}
	if ((r = prepare_all(conn)) != 0) {
		drop_conn();
		return r;
	}
	{
		char n[12];
		snprintf(n, sizeof(n), "%d", STMT__MAX);
		log_kv(LOG_INFO, "db_connected", "statements_prepared", n, NULL);
	}
	return 0;
}

int
db_open(const char *conninfo)
{
	free(conninfo_saved);
	if ((conninfo_saved = strdup(conninfo)) == NULL)
		return -1;
	return connect_now();
}

void
db_close(void)
{
	drop_conn();
	free(conninfo_saved);
	conninfo_saved = NULL;
}

/*
 * Whether the open connection died while we were idle (the server
 * restarted, an administrator ended the backend). PQstatus() alone still
 * says CONNECTION_OK then: libpq learns of it only when a statement
 * fails, and a write that fails so must answer 503 (it may have run). An
 * idle connection has nothing to read: we read every result to the end
 * and use no LISTEN, so a readable socket means the server's FATAL
 * goodbye or an EOF. One poll() without waiting; on a false alarm the
 * cost is a reconnect.
 */
static int
conn_died_idle(void)
{
	struct pollfd p = { .fd = PQsocket(conn), .events = POLLIN };

	if (p.fd < 0)
		return 1;
	if (poll(&p, 1, 0) <= 0)
		return 0;       /* nothing to read (or poll failed: let the send tell) */
	(void)PQconsumeInput(conn);     /* for PQerrorMessage() in the log */
	return 1;
}

int
db_ready(void)
{
	if (conn != NULL && PQstatus(conn) == CONNECTION_OK) {
		if (!conn_died_idle())
			return 1;
		log_pg("db_lost_idle", NULL, NULL, NULL, PQerrorMessage(conn)[0] != '\0' ?
		    PQerrorMessage(conn) : "the server closed the connection while it was idle");
	}
	return conninfo_saved != NULL && connect_now() == 0;
}

PGconn *
db_conn(void)
{
	return db_ready() ? conn : NULL;
}

/* SQLSTATE classes: 08 connection, 57P0x shutdown, 53 resources; and
 * 25006, a standby's refusal to write (no primary reached yet). */
static int
sqlstate_is_unavailable(const char *s)
{
	return s == NULL || strncmp(s, "08", 2) == 0 || strncmp(s, "57P", 3) == 0 ||
	    strncmp(s, "53", 2) == 0 || strcmp(s, "25006") == 0;
}

/* libpq's resultFormat: 1 (binary) for statements the worker renders */
static int
result_format(const struct stmt_def *def)
{
	return (def->flags & STMT_BINARY) ? 1 : 0;
}

PGresult *
db_pipeline_pick(PGresult **results, int n)
{
	PGresult *keep = NULL;
	int       i;

	for (i = 0; i < n && results[i] != NULL; i++) {
		if (keep == NULL && (i == n - 1 || PQresultStatus(results[i]) != PGRES_TUPLES_OK))
			keep = results[i];      /* the statement's, or the first error */
		else
			PQclear(results[i]);
		results[i] = NULL;
	}
	return keep;
}

PGresult *
db_commit_pick(PGresult *answer, PGresult *at_sync, int synced)
{
	if (synced && at_sync == NULL)
		return answer;
	PQclear(answer);
	return at_sync;
}

enum db_next
db_next_step(const char *state, int conn_ok, unsigned flags, int reconnected, int reprepared)
{
	/* No SQLSTATE: the error is libpq's own, not the server's (the
	 * connection broke, and libpq may not have marked it bad yet, as
	 * after a failed send to a restarted server). A statement that is
	 * safe to run twice gets one more try on a new connection; anything
	 * else may have committed, so the client decides. */
	if (!conn_ok || state == NULL)
		return (flags & STMT_IDEMPOTENT) && !reconnected ? DB_NEXT_RECONNECT : DB_NEXT_LOST;
	/* A read-only transaction refused to write: this connection reached
	 * a standby (after a failover the old primary comes back as one, or
	 * a FOCUS_DB without target_session_attrs=read-write found it), and
	 * nothing ran. Like a lost connection, whatever the statement: a new
	 * one (libpq picks the primary among FOCUS_DB's hosts) and one more
	 * try; refused again, 503 until the primary is back. */
	if (strcmp(state, "25006") == 0)
		return reconnected ? DB_NEXT_LOST : DB_NEXT_RECONNECT;
	/* A schema change (focusctl migrate on a running service) can change
	 * what a prepared statement returns: the server then refuses it
	 * ("cached plan must not change result type") before running it, so
	 * nothing happened. Prepare everything again on a new connection and
	 * run it once more. */
	if (strcmp(state, "0A000") == 0 && !reprepared)
		return DB_NEXT_REPREPARE;
	/* lost a race: the next snapshot sees the winner (23P01: a
	 * concurrent session took the time, focus_sessions_no_overlap) */
	if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0 ||
	    ((flags & STMT_RETRY_RACE) && (strcmp(state, "23505") == 0 || strcmp(state, "23503") == 0 ||
	    strcmp(state, "23P01") == 0)))
		return DB_NEXT_RETRY;
	return DB_NEXT_FAIL;
}

enum ferr
db_error_ferr(const char *state)
{
	if (sqlstate_is_unavailable(state))
		return FERR_UNAVAILABLE;
	if (strncmp(state, "22", 2) == 0)          /* data exception */
		return FERR_VALIDATION;
	if (strncmp(state, "23", 2) == 0)          /* integrity */
		return FERR_CONFLICT;
	return FERR_INTERNAL;
}

/* One command of a pipeline: a registered statement with its
 * parameters, or (def NULL) a parameterless command such as BEGIN. */
struct pipe_cmd {
	const struct stmt_def *def;
	const char *const     *params;
	const char            *sql;
};

/* read_to_sync: after the commands' results, read up to the Sync's
 * PGRES_PIPELINE_SYNC, where the implicit transaction commits. The first
 * error met there (the commit's) goes to *at_sync for the caller to
 * clear, NULL when none. Each result is followed by a NULL; a NULL with
 * the connection gone, or two in a row, ends it. Returns 1 when the Sync
 * was seen, 0 when the connection broke before it. */
static int
read_to_sync(PGresult **at_sync)
{
	PGresult *res;
	int       nulls = 0;

	*at_sync = NULL;
	for (;;) {
		if ((res = PQgetResult(conn)) == NULL) {
			if (PQstatus(conn) != CONNECTION_OK || ++nulls > 1)
				return 0;
			continue;
		}
		nulls = 0;
		if (PQresultStatus(res) == PGRES_PIPELINE_SYNC) {
			PQclear(res);
			return 1;
		}
		if (PQresultStatus(res) == PGRES_FATAL_ERROR && *at_sync == NULL)
			*at_sync = res;
		else
			PQclear(res);
	}
}

/*
 * Send cmds in one pipeline with one Sync, as one round trip, and read
 * every result (per command: one result, PGRES_PIPELINE_ABORTED after an
 * error, then NULL; then the sync). Without a BEGIN among them the
 * commands are one implicit transaction that the Sync commits; each
 * statement takes its own snapshot (READ COMMITTED), so one sees what
 * the ones before it changed (STMT_LOCK_USER's lock and catch-up,
 * STMT_CATCH_UP's time's up and auto-start) and whatever the request
 * that held the lock before us committed. Returns the last command's
 * result, or the first failure's, whose index goes to *failed (-1 when
 * none failed); the error the Sync met instead (the commit failed), or
 * NULL when the connection broke before the Sync confirmed it (the write
 * may have committed: never a 200; db_commit_pick).
 */
#define PIPE_MAX 5
static PGresult *
exec_pipeline(const struct pipe_cmd *cmds, int n, int *failed)
{
	PGresult *res, *got[PIPE_MAX] = { NULL }, *at_sync = NULL, *answer;
	int       i, ok = 1, synced;

	*failed = -1;
	if (n > PIPE_MAX || PQenterPipelineMode(conn) != 1)
		return NULL;
	for (i = 0; i < n && ok; i++)
		ok = cmds[i].def == NULL
		    ? PQsendQueryParams(conn, cmds[i].sql, 0, NULL, NULL, NULL, NULL, 0) == 1
		    : PQsendQueryPrepared(conn, cmds[i].def->name, cmds[i].def->nparams, cmds[i].params,
		        NULL, NULL, i == n - 1 ? result_format(cmds[i].def) : 0) == 1;
	if (!ok || PQpipelineSync(conn) != 1) {
		(void)PQexitPipelineMode(conn);
		return NULL;
	}
	for (i = 0; i < n; i++) {
		if ((got[i] = PQgetResult(conn)) == NULL)
			break;                  /* connection lost */
		while ((res = PQgetResult(conn)) != NULL)
			PQclear(res);
	}
	synced = read_to_sync(&at_sync);
	(void)PQexitPipelineMode(conn);
	answer = NULL;
	for (i = 0; i < n && got[i] != NULL; i++) {
		ExecStatusType st = PQresultStatus(got[i]);
		if (answer == NULL && (i == n - 1 || (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK))) {
			answer = got[i];
			if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK)
				*failed = i;
		} else
			PQclear(got[i]);
	}
	/* the answer only once the Sync confirmed it (db_commit_pick); an
	 * error at the Sync is the last command's */
	if (!(synced && at_sync == NULL) && *failed < 0)
		*failed = n - 1;
	return db_commit_pick(answer, at_sync, synced);
}

/* db_exec and db_exec_claimed: run def, with STMT_LOCK_USER or
 * STMT_CATCH_UP before it as its flags say, and (claim not NULL) first
 * BEGIN and the claim, leaving the transaction open. A transaction left
 * aborted by an earlier call is rolled back in the same round trip. */
static enum ferr
exec_loop(const struct stmt_def *def, const char *const *params, const struct stmt_def *claim,
    const char *const *claim_params, int *taken, PGresult **out, int *round_trips, const char *req_id)
{
	struct pipe_cmd cmds[PIPE_MAX];
	PGresult   *res = NULL;
	const char *state;
	int         attempt, reconnected = 0, reprepared = 0, n, failed = -1, claim_at = -1, in_tx;

	*out = NULL;
	for (attempt = 0; attempt <= DB_MAX_RACE_RETRIES; attempt++) {
		if (!db_ready())
			return FERR_UNAVAILABLE;
		/* a statement inside a transaction a claim opened cannot run
		 * again alone: what the transaction did before it is gone */
		in_tx = PQtransactionStatus(conn) == PQTRANS_INTRANS;
		n = 0;
		if (PQtransactionStatus(conn) == PQTRANS_INERROR)
			cmds[n++] = (struct pipe_cmd){ NULL, NULL, "ROLLBACK" };
		if (claim != NULL) {
			cmds[n++] = (struct pipe_cmd){ NULL, NULL, "BEGIN" };
			claim_at = n;
			cmds[n++] = (struct pipe_cmd){ claim, claim_params, NULL };
		}
		if (def->flags & STMT_USER_LOCK)
			cmds[n++] = (struct pipe_cmd){ &stmt_table[STMT_LOCK_USER], params, NULL };
		else if (def->flags & STMT_CAUGHT_UP)
			cmds[n++] = (struct pipe_cmd){ &stmt_table[STMT_CATCH_UP], params, NULL };
		cmds[n++] = (struct pipe_cmd){ def, params, NULL };
		if (round_trips != NULL)
			(*round_trips)++;
		if (n == 1)
			res = PQexecPrepared(conn, def->name, def->nparams, params, NULL, NULL,
			    result_format(def));
		else
			res = exec_pipeline(cmds, n, &failed);
		switch (PQresultStatus(res)) {
		case PGRES_TUPLES_OK:
		case PGRES_COMMAND_OK:
			*out = res;
			return FERR_OK;
		default:
			break;
		}
		state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
		if (claim != NULL && res != NULL && failed == claim_at && state != NULL &&
		    strcmp(state, "23505") == 0) {
			/* the key is another request's: nothing of ours ran */
			PQclear(res);
			*taken = 1;
			return FERR_CONFLICT;
		}
		switch (in_tx ? DB_NEXT_FAIL : db_next_step(state, PQstatus(conn) == CONNECTION_OK, def->flags,
		    reconnected, reprepared)) {
		case DB_NEXT_RECONNECT:
			log_pg("db_lost", req_id, def->name, state, PQerrorMessage(conn));
			PQclear(res);
			drop_conn();
			reconnected = 1;
			continue;
		case DB_NEXT_LOST:
			log_pg("db_lost", req_id, def->name, state, PQerrorMessage(conn));
			PQclear(res);
			drop_conn();
			return FERR_UNAVAILABLE;
		case DB_NEXT_REPREPARE:
			log_pg("db_reprepare", req_id, def->name, state, PQresultErrorMessage(res));
			PQclear(res);
			drop_conn();
			reprepared = 1;
			continue;
		case DB_NEXT_RETRY:
			PQclear(res);
			continue;
		case DB_NEXT_FAIL:
			break;
		}
		log_pg("db_error", req_id, def->name, state, PQresultErrorMessage(res));
		PQclear(res);
		return db_error_ferr(state);
	}
	log_kv(LOG_WARN, "db_retries_exhausted", "req", req_id, "stmt", def->name, NULL);
	return FERR_CONFLICT;
}

enum ferr
db_exec(enum stmt id, const char *const *params, PGresult **out, int *round_trips,
    const char *req_id)
{
	int taken = 0;

	return exec_loop(&stmt_table[id], params, NULL, NULL, &taken, out, round_trips, req_id);
}

enum ferr
db_exec_claimed(enum stmt claim, const char *const *claim_params, enum stmt id,
    const char *const *params, PGresult **out, int *taken, int *round_trips, const char *req_id)
{
	*taken = 0;
	return exec_loop(&stmt_table[id], params, &stmt_table[claim], claim_params, taken, out,
	    round_trips, req_id);
}

int
db_in_transaction(void)
{
	return conn != NULL && PQtransactionStatus(conn) == PQTRANS_INTRANS;
}

enum ferr
db_end_transaction(enum stmt id, const char *const *params, int commit, int *round_trips,
    const char *req_id)
{
	struct pipe_cmd cmds[2];
	PGresult       *res;
	int             n = 0, failed;
	enum ferr       e = FERR_OK;

	if (conn == NULL || PQtransactionStatus(conn) == PQTRANS_IDLE)
		return commit ? FERR_UNAVAILABLE : FERR_OK;
	if (commit && PQtransactionStatus(conn) != PQTRANS_INTRANS)
		commit = 0;                     /* aborted: nothing to keep */
	if (commit)
		cmds[n++] = (struct pipe_cmd){ &stmt_table[id], params, NULL };
	cmds[n++] = (struct pipe_cmd){ NULL, NULL, commit ? "COMMIT" : "ROLLBACK" };
	if (round_trips != NULL)
		(*round_trips)++;
	res = exec_pipeline(cmds, n, &failed);
	if (res == NULL || failed >= 0 || PQresultStatus(res) != PGRES_COMMAND_OK) {
		log_pg("db_error", req_id, commit ? stmt_table[id].name : "ROLLBACK",
		    res != NULL ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL,
		    res != NULL ? PQresultErrorMessage(res) : PQerrorMessage(conn));
		e = FERR_UNAVAILABLE;
		/* whatever state it is in, the next request starts afresh */
		if (PQtransactionStatus(conn) != PQTRANS_IDLE)
			drop_conn();
	}
	PQclear(res);
	return commit ? e : FERR_OK;
}

enum ferr
db_stream(enum stmt id, const char *const *params, db_row_fn fn, void *arg, int *round_trips,
    const char *req_id)
{
	const struct stmt_def *def = &stmt_table[id];
	const struct stmt_def *first = (def->flags & STMT_CAUGHT_UP) ? &stmt_table[STMT_CATCH_UP] : NULL;
	PGresult   *res, *at_sync;
	enum ferr   e = FERR_OK;
	int         stopped = 0, synced, rollback;

	if (!db_ready())
		return FERR_UNAVAILABLE;
	if (round_trips != NULL)
		(*round_trips)++;
	/* a transaction an earlier request's claim left aborted is rolled
	 * back in this round trip, as exec_loop does */
	rollback = PQtransactionStatus(conn) == PQTRANS_INERROR;
	if (PQenterPipelineMode(conn) != 1)
		goto lost;
	if ((rollback && PQsendQueryParams(conn, "ROLLBACK", 0, NULL, NULL, NULL, NULL, 0) != 1) ||
	    (first != NULL && PQsendQueryPrepared(conn, first->name, first->nparams, params, NULL, NULL, 0) != 1) ||
	    PQsendQueryPrepared(conn, def->name, def->nparams, params, NULL, NULL, result_format(def)) != 1 ||
	    PQpipelineSync(conn) != 1) {
		(void)PQexitPipelineMode(conn);
		goto lost;
	}
	if (rollback) {
		if ((res = PQgetResult(conn)) == NULL)
			goto lost_in_pipeline;
		if (PQresultStatus(res) != PGRES_COMMAND_OK)
			e = FERR_UNAVAILABLE;
		PQclear(res);
		while ((res = PQgetResult(conn)) != NULL)
			PQclear(res);
	}
	/* the catch-up's one result, then NULL */
	if (first != NULL) {
		if ((res = PQgetResult(conn)) == NULL)
			goto lost_in_pipeline;
		if (e == FERR_OK && PQresultStatus(res) != PGRES_TUPLES_OK) {
			log_pg("db_error", req_id, first->name, PQresultErrorField(res, PG_DIAG_SQLSTATE),
			    PQresultErrorMessage(res));
			e = db_error_ferr(PQresultErrorField(res, PG_DIAG_SQLSTATE));
		}
		PQclear(res);
		while ((res = PQgetResult(conn)) != NULL)
			PQclear(res);
	}
	/* pipeline mode: single-row mode is chosen per query, before its
	 * first PQgetResult (libpq "Retrieving Query Results Row-by-Row") */
	if (e == FERR_OK && PQsetSingleRowMode(conn) != 1)
		e = FERR_INTERNAL;
	/* one PGRES_SINGLE_TUPLE per row, then an empty PGRES_TUPLES_OK (or
	 * the error that ended it), then NULL */
	while ((res = PQgetResult(conn)) != NULL) {
		switch (PQresultStatus(res)) {
		case PGRES_SINGLE_TUPLE:
			if (e == FERR_OK && !stopped && fn(res, arg) != 0)
				stopped = 1;
			break;
		case PGRES_TUPLES_OK:
		case PGRES_PIPELINE_ABORTED:
			break;
		default:
			if (e == FERR_OK) {
				const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
				log_pg("db_error", req_id, def->name, state, PQresultErrorMessage(res));
				e = state != NULL ? db_error_ferr(state) : FERR_UNAVAILABLE;
			}
			break;
		}
		PQclear(res);
	}
	/* then the Sync, where the implicit transaction commits (the
	 * catch-up's writes), read as exec_pipeline reads it (read_to_sync);
	 * an error there is the commit's. The rows
	 * went out before it: a failed commit can only be logged, and the
	 * caller cut its answer short. */
	synced = read_to_sync(&at_sync);
	if (at_sync != NULL && e == FERR_OK) {
		const char *state = PQresultErrorField(at_sync, PG_DIAG_SQLSTATE);
		log_pg("db_error", req_id, def->name, state, PQresultErrorMessage(at_sync));
		e = state != NULL ? db_error_ferr(state) : FERR_UNAVAILABLE;
	}
	PQclear(at_sync);
	(void)PQexitPipelineMode(conn);
	if (PQstatus(conn) != CONNECTION_OK || !synced)
		goto lost;
	return e;
lost_in_pipeline:
	(void)PQexitPipelineMode(conn);
lost:
	log_pg("db_lost", req_id, def->name, NULL, PQerrorMessage(conn));
	drop_conn();
	return FERR_UNAVAILABLE;
}
