/*
 * stmt.h: the statement registry. Every SQL statement the service runs is
 * one row of stmt_table (stmt.c): name, text, parameter count, flags and
 * its annotation (purpose, the index it relies on, the plan shape we
 * expect). The worker prepares them all once per connection; requests run
 * them by enum with PQexecPrepared, never with text built from input.
 *
 * Route statements all begin their rows with the same two columns:
 *   outcome text  'ok' | 'unauthorized' | 'not_found' | 'conflict' | ...
 *   user_id uuid  the caller (NULL when the token did not match)
 * so that authentication, lazy expiry, the change and the response body
 * cost one round trip together. Most are flagged STMT_BINARY: then come,
 * in binary format, the columns the worker renders (render.h); their rows
 * may be many (a page), and the first row's outcome is the statement's.
 * The few others (auth_me, auth_logout, auth_logout_all,
 * auth_password_set, library_check, upload_reserve)
 * return one row in text format, the worker answering from it.
 *
 * Each row also declares its result shape: every column's name and type,
 * where the rendered object (or each listed item) begins and where a
 * listing's total is. db.c describes every statement when it prepares
 * them and refuses a connection whose statements return anything else,
 * so handlers read columns by the registry's positions, never by counts
 * kept by hand.
 */
#ifndef FOCUS_STMT_H
#define FOCUS_STMT_H

enum stmt {
	STMT_HEALTH,
	STMT_LOCK_USER,
	STMT_AUTH_ME,
	STMT_AUTH_LOGIN_LOOKUP,
	STMT_AUTH_LOGIN_OK,
	STMT_AUTH_LOGIN_FAILED,
	STMT_AUTH_LOGOUT,
	STMT_SESSION_START,
	STMT_SESSION_LIST,
	STMT_SESSION_STATS,
	STMT_SESSION_ACTIVE,
	STMT_PAUSE,
	STMT_RESUME,
	STMT_SESSIONS_UPDATE,
	STMT_EXPIRE_ALL,
	STMT_USER_ADD,
	STMT_USER_PASSWD,
	STMT_TOKEN_ADD,
	STMT_LIBRARY_LIST,
	STMT_LIBRARY_CREATE,
	STMT_LIBRARY_GET,
	STMT_LIBRARY_DELETE,
	STMT_LIBRARY_FAVORITE,
	STMT_LIBRARY_CHECK,
	STMT_TRACK_ADD,
	STMT_TRACK_LIST,
	STMT_TRACK_DELETE,
	STMT_TRACK_KEYS,
	STMT_UPLOAD_RESERVE,
	STMT_UPLOAD_RELEASE,
	STMT_AUTH_LOGOUT_ALL,
	STMT_AUTH_PASSWORD_LOOKUP,
	STMT_AUTH_PASSWORD_SET,
	STMT_TOKEN_LIST,
	STMT_TOKEN_REVOKE,
	STMT_CATCH_UP,
	STMT_SETTINGS_GET,
	STMT_SETTINGS_PATCH,
	STMT_NEXT,
	STMT_AUTH_REGISTER,
	STMT_STATE_OF,
	STMT_TIMER_TICK,
	STMT_TIMER_NEXT,
	STMT_HISTORY_BATCH,
	STMT_IDEM_CLAIM,
	STMT_IDEM_STORE,
	STMT_IDEM_FETCH,
	STMT_IDEM_EXPIRE,
	STMT_STATS_LOCAL,
	STMT_SERIES,
	STMT_PROGRESS,
	STMT_EXPORT,
	STMT__MAX
};

enum stmt_flags {
	/* A unique, foreign-key or exclusion violation means a concurrent
	 * request won a race the statement's snapshot could not see: run it
	 * again. */
	STMT_RETRY_RACE  = 1 << 0,
	/* Safe to run again after a lost connection (reads, idempotent). */
	STMT_IDEMPOTENT  = 1 << 1,
	/* Not a per-request statement (CLI only): left out of the plan test. */
	STMT_ADMIN       = 1 << 2,
	/* Runs after STMT_LOCK_USER in one pipelined transaction (db.c
	 * exec_after): concurrent starts of one user queue on the user row
	 * instead of colliding on focus_sessions_one_open and retrying. */
	STMT_USER_LOCK   = 1 << 3,
	/* Results in binary format, rendered by the worker (render.h). */
	STMT_BINARY      = 1 << 4,
	/* Runs after STMT_CATCH_UP in one pipelined transaction (db.c
	 * exec_after): time's up and auto-start for the caller first, so the
	 * statement's snapshot sees them (STMT_USER_LOCK's statement does the
	 * same catch-up, after the lock). */
	STMT_CAUGHT_UP   = 1 << 5,
};

/* One result column: its name and its type's OID as PostgreSQL describes
 * it (a domain's column is described by its base type). */
struct stmt_col {
	const char *name;
	unsigned    type;
};

struct stmt_shape {
	const struct stmt_col *cols;   /* in order; NULL: no columns (a command) */
	int                    ncols;
	int                    total;  /* a listing's total (int8), -1: none */
	int                    object; /* the object's (each item's) first column, -1: none */
};

struct stmt_def {
	const char *name;      /* prepared statement name */
	const char *sql;
	int         nparams;
	unsigned    flags;
	const char *purpose;   /* what it is for */
	const char *index;     /* index the plan must use ("a|b": one of them), "" when none */
	const char *plan;      /* the plan shape we expect */
	struct stmt_shape shape;
};

extern const struct stmt_def stmt_table[STMT__MAX];

/* The index of the column named name in id's declared shape; -1 when it
 * has none (a programming error: the registry and the code disagree). */
int stmt_col(enum stmt id, const char *name);

#endif
