/*
 * render.h: the JSON text of API.md's objects, written by the worker from
 * binary result columns (pgbin.h) into a json-c printbuf. The statements
 * return columns, not JSON: the server then runs no output function and
 * no to_char per row, and one C function is the single definition of each
 * object's shape (t/bench/README.md has what it gained).
 *
 * A statement that returns sessions selects SESSION_COLS (stmt.c) at some
 * column col0: the stored columns and the statement's now(), in the order
 * of enum session_col. The worker decodes them (render_decode) and, from
 * the same rule as focus_vanished() and focus_remaining_s() in
 * sql/001_core.sql, works out the status a reader sees and the time left:
 * computed in the server those cost it more than the rest of the
 * statement (t/bench/README.md).
 *
 * Functions returning int return 0, or -1 when a column is not what it
 * should be or memory runs out (the caller answers 500).
 */
#ifndef FOCUS_RENDER_H
#define FOCUS_RENDER_H

#include <stddef.h>
#include <stdint.h>

#include <json-c/printbuf.h>
#include <libpq-fe.h>

enum session_col {
	SC_ID,            /* uuid; NULL: no session (rendered as null) */
	SC_MODE,          /* text */
	SC_DURATION,      /* int4 */
	SC_STARTED_AT,    /* timestamptz */
	SC_EXPIRES_AT,    /* timestamptz */
	SC_PAUSED_AT,     /* timestamptz or NULL */
	SC_COMPLETED_AT,  /* timestamptz or NULL */
	SC_ABANDONED_AT,  /* timestamptz or NULL */
	SC_STATUS,        /* text, as stored */
	SC_FOCUSED,       /* int4 or NULL */
	SC_XP,            /* int4 */
	SC_COINS,         /* int4 */
	SC_TASK_ID,       /* uuid or NULL */
	SC_TASK_TITLE,    /* text or NULL */
	SC_AT,            /* timestamptz: the statement's now() */
	SC__MAX
};

/* One session as decoded; times in microseconds since 1970-01-01 UTC. */
struct session_row {
	char        id[37];
	const char *mode;             /* static strings: one of the CHECKed words */
	const char *stored_status;
	int32_t     duration_s, focused_s, xp, coins;
	int64_t     started_at, expires_at, paused_at, completed_at, abandoned_at, at;
	int         has_paused_at, has_completed_at, has_abandoned_at, has_focused;
	char        task_id[37];
	int         has_task_id;
	const char *task_title;       /* borrowed from the result */
	size_t      task_title_len;
	int         has_task_title;
};

/* 1 decoded, 0 no session (SC_ID NULL), -1 a column is not as expected. */
int render_decode(const PGresult *r, int row, int col0, struct session_row *s);
/* The status a reader sees: 'expired' once vanished. */
const char *render_status(const struct session_row *s);
int render_is_open(const struct session_row *s);
/* Whole seconds left, rounded up, frozen at paused_at while paused. */
int64_t render_remaining_s(const struct session_row *s);

/* A timestamp (microseconds since 1970-01-01 UTC) as API.md writes it:
 * "2026-01-17T10:00:00.123Z", quotes included; milliseconds truncated. */
int render_ts(struct printbuf *pb, int64_t unix_us);
/* The Session object (time_remaining_seconds only while open); s NULL,
 * no session, writes null, as do the two below. */
int render_session(struct printbuf *pb, const struct session_row *s);
/* The same, but null unless the session is open (active or paused): a
 * vanished session reads as expired and is no longer the open one. */
int render_open_session(struct printbuf *pb, const struct session_row *s);
/* The Pause state object, or null unless the session is paused. */
int render_pause(struct printbuf *pb, const struct session_row *s);

enum render_what {
	RENDER_SESSION,       /* the Session object */
	RENDER_OPEN_SESSION,  /* the same, null unless active or paused */
	RENDER_PAUSE,         /* the Pause state */
};
/* Decode the row's session at col0 and write what, or null when there is
 * no session. */
int render_session_at(struct printbuf *pb, const PGresult *r, int row, int col0, enum render_what what);

#endif
