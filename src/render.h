/*
 * render.h: API.md's objects, written by the worker from binary result
 * columns (pgbin.h) through the JSON writer (jsonw.h). The statements
 * return columns, not JSON: the server then runs no output function and
 * no to_char per row, and one C function is the single definition of each
 * object's shape.
 *
 * A statement that returns sessions selects SESSION_COLS (stmt.c) at some
 * column col0: the stored columns and the statement's now(), in the order
 * of enum session_col. The worker decodes them (render_decode) and, from
 * the same rule as focus_remaining_s() in sql/001_baseline.sql, works out the
 * time left: computed in the server that cost it more than the rest of
 * the statement. The status is the stored one: time's
 * up (sql/009_cycle.sql focus_catch_up) ran before every statement that
 * returns sessions.
 *
 * Functions returning int return 0, or -1 when a column is not what it
 * should be (the caller answers 500); the writer's own failures (memory)
 * are its sticky error, which the caller checks once at the end. Each
 * writes one value under key (NULL: the writer's jw_key(), or an array
 * item, or the top).
 */
#ifndef FOCUS_RENDER_H
#define FOCUS_RENDER_H

#include <stddef.h>
#include <stdint.h>

#include <libpq-fe.h>

#include "jsonw.h"
#include "stmt.h"

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
	SC_CYCLE_POS,     /* int4 or NULL: a focus session's place in its cycle */
	SC_SOURCE,        /* text: "timer" or "manual" */
	SC_AT,            /* timestamptz: the statement's now() */
	SC__MAX
};

/* One session as decoded; times in microseconds since 1970-01-01 UTC. */
struct session_row {
	char        id[37];
	const char *mode;             /* static strings: one of the CHECKed words */
	const char *stored_status;
	const char *source;           /* static: one of focus_sources */
	int32_t     duration_s, focused_s, xp, coins, cycle_position;
	int64_t     started_at, expires_at, paused_at, completed_at, abandoned_at, at;
	int         has_paused_at, has_completed_at, has_abandoned_at, has_focused, has_cycle_position;
	char        task_id[37];
	int         has_task_id;
	const char *task_title;       /* borrowed from the result; NULL when NULL */
	size_t      task_title_len;
};

/* 1 decoded, 0 no session (SC_ID NULL), -1 a column is not as expected. */
int render_decode(const PGresult *r, int row, int col0, struct session_row *s);
/* The status a reader sees: the stored one. */
const char *render_status(const struct session_row *s);
int render_is_open(const struct session_row *s);
/* Whole seconds left, rounded up, frozen at paused_at while paused. */
int64_t render_remaining_s(const struct session_row *s);

/* The Session object (time_remaining_seconds only while open); s NULL,
 * no session, writes null, as do the two below. */
void render_session(struct jsonw *w, const char *key, const struct session_row *s);
/* The same, but null unless the session is open (active or paused). */
void render_open_session(struct jsonw *w, const char *key, const struct session_row *s);
/* The Pause state object, or null unless the session is paused. */
void render_pause(struct jsonw *w, const char *key, const struct session_row *s);

enum render_what {
	RENDER_SESSION,       /* the Session object */
	RENDER_OPEN_SESSION,  /* the same, null unless active or paused */
	RENDER_PAUSE,         /* the Pause state */
};
/* Decode the row's session at col0 and write what, or null when there is
 * no session. */
int render_session_at(struct jsonw *w, const char *key, const PGresult *r, int row, int col0,
    enum render_what what);

/* Writes the item of one row whose columns start at col0 (a
 * render_session_at or render_library_at of the route's choice), as an
 * array item. */
typedef int (*render_item_fn)(struct jsonw *w, const PGresult *r, int row, int col0);
/* A listing: {"<items>":[...],"total":N,"page":P,"page_size":S}, one item
 * per row whose col0 is not NULL (an empty page is one row of NULLs); the
 * total (int8) is in total_col of the first row. page and page_size are the
 * request's, already validated. */
int render_page(struct jsonw *w, const PGresult *r, const char *items, int total_col,
    int col0, render_item_fn item, long long page, long long page_size);

/* The columns of a library (stmt.c LIBRARY_COLS), in this order. */
enum library_col {
	LC_ID,            /* uuid; NULL: no library (rendered as null) */
	LC_NAME,          /* text */
	LC_DESCRIPTION,   /* text or NULL */
	LC_TYPE,          /* text: one of the CHECKed library types */
	LC_TRACKS,        /* int8: its tracks, counted */
	LC_FAVORITE,      /* bool */
	LC_CREATED_AT,    /* timestamptz */
	LC_UPDATED_AT,    /* timestamptz */
	LC__MAX
};
/* The Library object of API.md from the row's columns at col0, or null. */
int render_library_at(struct jsonw *w, const PGresult *r, int row, int col0);

/* The columns of a track (stmt.c TRACK_COLS), in this order. */
enum track_col {
	TC_ID,            /* uuid; NULL: no track */
	TC_LIBRARY_ID,    /* uuid */
	TC_TITLE,         /* text */
	TC_URL,           /* text or NULL: a linked track */
	TC_MIME,          /* text */
	TC_SIZE,          /* int8 */
	TC_DURATION,      /* int4 or NULL */
	TC_STORAGE_KEY,   /* text or NULL: a stored track */
	TC_ADDED_AT,      /* timestamptz */
	TC__MAX
};

/* One track as decoded; the strings are borrowed from the result. */
struct track_row {
	char        id[37], library_id[37];
	const char *title, *url, *mime, *storage_key;   /* url, storage_key: NULL when NULL */
	size_t      title_len, url_len, mime_len, storage_key_len;
	int64_t     size_bytes, added_at;
	int32_t     duration_s;
	int         has_duration;
};
/* 1 decoded, 0 no track (TC_ID NULL), -1 a column is not as expected. */
int render_track_decode(const PGresult *r, int row, int col0, struct track_row *t);
/* The Track object of API.md, with its download_url (NULL: null). */
void render_track(struct jsonw *w, const struct track_row *t, const char *download_url);

/* The deletes (library_delete, track_delete) return, from their shape's
 * object column, the deleted row's id and a storage key whose object the
 * worker then deletes (library_delete: one row per key). */
enum deleted_col {
	DC_ID,            /* uuid */
	DC_STORAGE_KEY,   /* text or NULL */
	DC__MAX
};
/* {"id":"...","deleted":true} from the first row. An api_render_fn. */
int render_deleted(struct jsonw *w, const PGresult *r, const struct stmt_shape *shape,
    const void *arg);

#endif
