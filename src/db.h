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

/* Is the connection up right now (after trying to reconnect)? */
int db_ready(void);

/* For focusctl: the raw connection, or NULL. */
PGconn *db_conn(void);

#endif
