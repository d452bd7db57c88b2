/*
 * db.h: the worker's one PostgreSQL connection. Every registered statement
 * (stmt.h) is prepared once per connection, in one pipelined round trip;
 * after the server goes away the next call reconnects and prepares again,
 * and until then calls return FERR_UNAVAILABLE (503 with Retry-After).
 * Only this module reads SQLSTATEs and the connection status.
 */
#ifndef FOCUS_DB_H
#define FOCUS_DB_H

#include <libpq-fe.h>

#include "ferr.h"
#include "stmt.h"

/* db_open's answer when a registered statement's result is not the shape
 * its registry row declares (logged as db_shape): the schema and this
 * build disagree, and the worker refuses to start. */
#define DB_SHAPE_MISMATCH (-2)

/* Remember conninfo and try to connect; a failure is not fatal (the next
 * call retries). Returns 0 when connected and prepared, -1 when not, or
 * DB_SHAPE_MISMATCH. */
int  db_open(const char *conninfo);
void db_close(void);

/* Run a registered statement with text parameters (NULL = SQL NULL).
 * *round_trips (may be NULL) counts every execution sent to the server.
 * On FERR_OK, *out is a PGRES_TUPLES_OK or PGRES_COMMAND_OK result the
 * caller clears. Errors are logged here, once, with req_id. */
enum ferr db_exec(enum stmt id, const char *const *params, PGresult **out,
    int *round_trips, const char *req_id) FOCUS_MUSTCHECK;

/* db_exec, but first BEGIN and the statement claim (with claim_params),
 * in the same round trip, leaving the transaction open for
 * db_end_transaction: what id did commits or rolls back with the claim.
 * When the claim hits a unique violation (its row is another request's),
 * nothing ran: FERR_CONFLICT with *taken = 1 (the aborted transaction is
 * rolled back by the next call, in its round trip). */
enum ferr db_exec_claimed(enum stmt claim, const char *const *claim_params, enum stmt id,
    const char *const *params, PGresult **out, int *taken, int *round_trips,
    const char *req_id) FOCUS_MUSTCHECK;
/* Is a transaction (db_exec_claimed's) open? */
int db_in_transaction(void);
/* End the open transaction in one round trip: id with params, then
 * COMMIT (commit set and the transaction not aborted), else ROLLBACK.
 * FERR_OK; FERR_UNAVAILABLE when a commit did not happen (the
 * connection is dropped: the next request starts afresh). */
enum ferr db_end_transaction(enum stmt id, const char *const *params, int commit,
    int *round_trips, const char *req_id) FOCUS_MUSTCHECK;

/* A row handler of db_stream: row is a one-row result (db_stream clears
 * it); 0 goes on, anything else stops handing rows (the rest are read and
 * dropped, as the protocol wants). */
typedef int (*db_row_fn)(const PGresult *row, void *arg);

/* Run a registered statement (after STMT_CATCH_UP in one pipelined round
 * trip when it is STMT_CAUGHT_UP) in libpq's single-row mode, handing its
 * rows to fn as they arrive: the worker holds one row at a time, however
 * many the statement returns. Never run twice (rows may have gone out to
 * the client already). FERR_OK when the statement ran to its end (fn may
 * have stopped early), else the error (logged here, once); rows handed to
 * fn before an error stay handed. */
enum ferr db_stream(enum stmt id, const char *const *params, db_row_fn fn, void *arg,
    int *round_trips, const char *req_id) FOCUS_MUSTCHECK;

/* Is the connection up right now (after trying to reconnect)? */
int db_ready(void);

/* For focusctl: the raw connection, or NULL. */
PGconn *db_conn(void);

/* The pieces of db_exec that decide, apart from the connection, so the
 * unit tests can feed them results and SQLSTATEs (t/check_db.c). */

/* Of a pipeline's per-command results in order (NULL where the
 * connection was lost: it ends the list), the one db_exec returns: the
 * last command's, unless a command before it failed, then the first
 * failure's (the later ones are PGRES_PIPELINE_ABORTED). Clears every
 * other result and sets the array's entries to NULL. */
PGresult *db_pipeline_pick(PGresult **results, int n);

/* The implicit transaction of a pipeline commits at its Sync: the
 * statement's rows (answer, from db_pipeline_pick) arrive before the
 * commit, and only the PGRES_PIPELINE_SYNC that follows (synced) says it
 * committed. at_sync: the first error read between them (the commit
 * failed, or the server ended the connection while the commit waited,
 * e.g. for a synchronous standby), or NULL. Returns the answer when the
 * commit is known to have succeeded; else at_sync, or NULL when the
 * connection was lost without a word (the write may or may not have
 * committed: never a 200). Clears what it does not return. */
PGresult *db_commit_pick(PGresult *answer, PGresult *at_sync, int synced);

/* After a failed statement: what to do next, given its SQLSTATE (NULL
 * for libpq's own errors), whether the connection is still up, the
 * statement's flags (stmt.h) and the retries already spent. */
enum db_next {
	DB_NEXT_RECONNECT,  /* lost, safe to run again: reconnect, run once more */
	DB_NEXT_LOST,       /* lost, may have committed: 503, the client decides */
	DB_NEXT_REPREPARE,  /* a schema change refused it: prepare again, run once more */
	DB_NEXT_RETRY,      /* lost a race: run again on a new snapshot */
	DB_NEXT_FAIL,       /* an answer: db_error_ferr(sqlstate) */
};
enum db_next db_next_step(const char *sqlstate, int conn_ok, unsigned flags, int reconnected,
    int reprepared);

/* The error a failed statement's SQLSTATE means to the client. */
enum ferr db_error_ferr(const char *sqlstate);

#endif
