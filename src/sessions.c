#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "http.h"
#include "pgarray.h"
#include "pgbin.h"
#include "render.h"
#include "sessions.h"
#include "validate.h"

/* Where a statement's session columns (SESSION_COLS) begin: after outcome
 * and user_id, and for session_list after the total. */
#define SESSION_COL0 2
#define LIST_TOTAL_COL 2
#define LIST_SESSION_COL0 3

/* renderers of api_reply_rendered: the route's data from its rows */
static int
render_session_row(struct printbuf *pb, const PGresult *res, const void *arg)
{
	(void)arg;
	return render_session_at(pb, res, 0, SESSION_COL0, RENDER_SESSION);
}

static int
render_pause_row(struct printbuf *pb, const PGresult *res, const void *arg)
{
	(void)arg;
	return render_session_at(pb, res, 0, SESSION_COL0, RENDER_PAUSE);
}

/* session_active's columns after the session's (stmt.c): the cycle's
 * next phase (sql/009_cycle.sql focus_next) */
enum {
	NEXT_MODE = SESSION_COL0 + SC__MAX,  /* text */
	NEXT_DURATION,                       /* int4 */
	NEXT_POSITION,                       /* int4 or NULL */
	NEXT_AUTO_START,                     /* bool */
};

/* {"mode","duration_seconds","cycle_position","auto_start"} */
static int
render_next(struct printbuf *pb, const PGresult *res)
{
	const char *mode;
	size_t      len;
	int32_t     duration, position;
	int         auto_start;
	enum pgbin  pos;

	if (pgbin_text(res, 0, NEXT_MODE, &mode, &len) != PGBIN_OK ||
	    (strcmp(mode, "focus") != 0 && strcmp(mode, "break") != 0 &&
	     strcmp(mode, "long_break") != 0) ||
	    pgbin_int4(res, 0, NEXT_DURATION, &duration) != PGBIN_OK ||
	    pgbin_bool(res, 0, NEXT_AUTO_START, &auto_start) != PGBIN_OK ||
	    (pos = pgbin_int4(res, 0, NEXT_POSITION, &position)) == PGBIN_BAD)
		return -1;
	if (sprintbuf(pb, "{\"mode\":\"%s\",\"duration_seconds\":%d,\"cycle_position\":",
	    mode, (int)duration) < 0)
		return -1;
	if ((pos == PGBIN_OK ? sprintbuf(pb, "%d", (int)position) : sprintbuf(pb, "null")) < 0)
		return -1;
	return sprintbuf(pb, ",\"auto_start\":%s}", auto_start ? "true" : "false") < 0 ? -1 : 0;
}

/* {"session": S, "pause_state": P, "next": N, "server_time": T}, all from
 * the one row, decoded once; server_time is the statement's now() */
static int
render_active(struct printbuf *pb, const PGresult *res, const void *arg)
{
	struct session_row s;
	int                got = render_decode(res, 0, SESSION_COL0, &s);
	int64_t            at;

	(void)arg;
	return got < 0 || pgbin_ts(res, 0, SESSION_COL0 + SC_AT, &at) != PGBIN_OK ||
	    printbuf_strappend(pb, "{\"session\":") < 0 ||
	    render_open_session(pb, got ? &s : NULL) != 0 ||
	    printbuf_strappend(pb, ",\"pause_state\":") < 0 ||
	    render_pause(pb, got ? &s : NULL) != 0 ||
	    printbuf_strappend(pb, ",\"next\":") < 0 || render_next(pb, res) != 0 ||
	    printbuf_strappend(pb, ",\"server_time\":") < 0 || render_ts(pb, at) != 0 ||
	    printbuf_strappend(pb, "}") < 0 ? -1 : 0;
}

static int
render_list_item(struct printbuf *pb, const PGresult *res, int row, int col0)
{
	return render_session_at(pb, res, row, col0, RENDER_SESSION);
}

/* {"sessions":[...],"total":N,"page":P,"page_size":S} */
static int
render_list(struct printbuf *pb, const PGresult *res, const void *arg)
{
	const struct api_page *pg = arg;

	return render_page(pb, res, "sessions", LIST_TOTAL_COL, LIST_SESSION_COL0,
	    render_list_item, pg->page, pg->limit);
}

static const char *const modes[] = { "focus", "break", "long_break", NULL };
static const char *const action_names[ACTION__MAX + 1] = { "complete", "abandon", NULL };

enum { START_MODE, START_DURATION, START_TASK_ID, START_TASK_TITLE, START__MAX };
static const struct field start_fields[START__MAX] = {
	[START_MODE]       = { "mode", FIELD_ENUM, 0, 0, modes, 0 },
	[START_DURATION]   = { "duration_seconds", FIELD_INT, 1, FOCUS_MAX_DURATION_S, NULL, 0 },
	[START_TASK_ID]    = { "task_id", FIELD_UUID, 0, 0, NULL, 1 },
	[START_TASK_TITLE] = { "task_title", FIELD_STR, 0, FOCUS_MAX_TITLE_LEN, NULL, 1 },
};
const struct field_table sessions_start_body = { "session start", start_fields, START__MAX };

enum ferr
sessions_start(struct req *rq)
{
	struct field_value v[START__MAX];
	const char *mode = "focus";
	char        duration[24];
	enum ferr   e;

	if ((e = validate_fields(rq->body, start_fields, START__MAX, v, rq->err_msg,
	    sizeof(rq->err_msg))) != FERR_OK)
		return e;
	if (v[START_MODE].present)
		mode = v[START_MODE].s;
	/* no duration: the statement takes the mode's from the settings */
	snprintf(duration, sizeof(duration), "%lld", v[START_DURATION].i);
	{
		const char *params[] = { rq->token_hash, mode, v[START_DURATION].present ? duration : NULL,
		    v[START_TASK_ID].present ? v[START_TASK_ID].uuid : NULL,
		    v[START_TASK_TITLE].present ? v[START_TASK_TITLE].s : NULL };
		return api_reply_rendered(rq, STMT_SESSION_START, params, render_session_row, NULL);
	}
}

enum ferr
sessions_list(struct req *rq)
{
	struct api_page pg;
	char            stats[8];
	enum ferr       e;
	int             r;

	r = http_query_get(rq->query, "stats", stats, sizeof(stats));
	if (r < 0 || (r > 0 && strcmp(stats, "true") != 0 && strcmp(stats, "false") != 0)) {
		snprintf(rq->err_msg, sizeof(rq->err_msg), "stats must be true or false.");
		return FERR_BAD_REQUEST;
	}
	if (r > 0 && strcmp(stats, "true") == 0)
		return sessions_stats(rq);
	if ((e = api_page_params(rq, &pg)) != FERR_OK)
		return e;
	{
		const char *params[] = { rq->token_hash, pg.limit, pg.offset };
		return api_reply_rendered(rq, STMT_SESSION_LIST, params, render_list, &pg);
	}
}

struct period {
	const char *name;
	const char *interval;   /* NULL: all time */
};
static const struct period periods[] = {
	{ "day", "24 hours" }, { "week", "7 days" }, { "month", "30 days" }, { "all", NULL },
};

/* the stats columns after outcome and user_id (from STATS_COL0), all
 * int8, and their keys */
#define STATS_COL0 2
static const char *const stats_keys[] = {
	"completed_sessions", "abandoned_sessions", "total_sessions",
	"total_focus_seconds", "total_xp_earned", "total_coins_earned",
};

static int
render_stats(struct printbuf *pb, const PGresult *res, const void *arg)
{
	const struct period *p = arg;
	size_t  i;
	int64_t v;

	if (sprintbuf(pb, "{\"period\":\"%s\"", p->name) < 0)
		return -1;
	for (i = 0; i < sizeof(stats_keys) / sizeof(stats_keys[0]); i++)
		if (pgbin_int8(res, 0, STATS_COL0 + (int)i, &v) != PGBIN_OK ||
		    sprintbuf(pb, ",\"%s\":%lld", stats_keys[i], (long long)v) < 0)
			return -1;
	return printbuf_strappend(pb, "}") < 0 ? -1 : 0;
}

enum ferr
sessions_stats(struct req *rq)
{
	char   period[8];
	int    r;
	size_t i;

	r = http_query_get(rq->query, "period", period, sizeof(period));
	if (r == 0)
		snprintf(period, sizeof(period), "all");
	for (i = 0; r >= 0 && i < sizeof(periods) / sizeof(periods[0]); i++)
		if (strcmp(period, periods[i].name) == 0) {
			const char *params[] = { rq->token_hash, periods[i].interval };
			return api_reply_rendered(rq, STMT_SESSION_STATS, params, render_stats, &periods[i]);
		}
	snprintf(rq->err_msg, sizeof(rq->err_msg), "period must be day, week, month or all.");
	return FERR_BAD_REQUEST;
}

enum ferr
sessions_active(struct req *rq)
{
	const char *params[] = { rq->token_hash };
	return api_reply_rendered(rq, STMT_SESSION_ACTIVE, params, render_active, NULL);
}

enum ferr
sessions_pause_get(struct req *rq)
{
	const char *params[] = { rq->token_hash };
	return api_reply_rendered(rq, STMT_SESSION_ACTIVE, params, render_pause_row, NULL);
}

enum ferr
sessions_pause(struct req *rq)
{
	const char *params[] = { rq->token_hash };
	enum ferr   e = api_reply_rendered(rq, STMT_PAUSE, params, render_pause_row, NULL);

	if (e == FERR_NOT_FOUND)
		snprintf(rq->err_msg, sizeof(rq->err_msg), "No session is running.");
	else if (e == FERR_CONFLICT)
		snprintf(rq->err_msg, sizeof(rq->err_msg),
		    "The session is already paused or its timer has run out.");
	return e;
}

enum ferr
sessions_resume(struct req *rq)
{
	const char *params[] = { rq->token_hash };
	enum ferr   e = api_reply_rendered(rq, STMT_RESUME, params, render_session_row, NULL);

	if (e == FERR_NOT_FOUND)
		snprintf(rq->err_msg, sizeof(rq->err_msg), "No session is paused.");
	return e;
}

/* sessions_update's columns (stmt.c): after outcome and user_id, the
 * first item that cannot apply, the request's reward totals, then per
 * row the item's action and its session */
enum {
	UPD_BAD_INDEX = 2,  /* int8 or NULL */
	UPD_XP,             /* int8 */
	UPD_COINS,          /* int8 */
	UPD_NEW_LEVEL,      /* int4 */
	UPD_LEVELED_UP,     /* bool */
	UPD_STREAK_CURRENT, /* int4 */
	UPD_STREAK_LONGEST, /* int4 */
	UPD_ACTION,         /* text, NULL on the row of no item */
	UPD_SESSION_COL0,
};

enum ferr
batch_update_sessions(struct req *rq, const struct session_update *items, size_t n,
    PGresult **res, long *bad_index)
{
	/* array literals: 39 bytes per quoted uuid and comma, 11 per action */
	char            ids[FOCUS_MAX_BATCH * 39 + 3], actions[FOCUS_MAX_BATCH * 11 + 3];
	struct pgarray  id_list, action_list;
	size_t          i;
	int64_t         bad;
	enum ferr       e;

	*res = NULL;
	*bad_index = -1;
	if (n == 0 || n > FOCUS_MAX_BATCH)
		return FERR_VALIDATION;
	pgarray_init(&id_list, ids, sizeof(ids));
	pgarray_init(&action_list, actions, sizeof(actions));
	for (i = 0; i < n; i++) {
		pgarray_add(&id_list, items[i].id);
		pgarray_add(&action_list, action_names[items[i].action]);
	}
	{
		const char *params[] = { rq->token_hash, pgarray_end(&id_list), pgarray_end(&action_list) };
		/* the one item of an /active route (id ""): the array's NULL,
		 * which sessions_update reads as the caller's open session */
		if (n == 1 && items[0].id[0] == '\0')
			params[1] = "{NULL}";
		if (params[1] == NULL || params[2] == NULL)
			return FERR_INTERNAL;
		e = api_exec(rq, STMT_SESSIONS_UPDATE, params, res);
	}
	if (e == FERR_OK)
		return e;
	/* the first item that cannot apply, when the statement named one */
	if (*res != NULL && pgbin_int8(*res, 0, UPD_BAD_INDEX, &bad) == PGBIN_OK &&
	    bad >= 0 && (size_t)bad < n)
		*bad_index = (long)bad;
	PQclear(*res);
	*res = NULL;
	return e;
}

/* ,"xp_awarded":X,"coins_awarded":C,"leveled_up":B,"new_level":L,
 * "streak":{"current":N,"longest":M}} : the request's totals, closing
 * the object they end */
static int
render_reward(struct printbuf *pb, const PGresult *res)
{
	int64_t xp, coins;
	int32_t level, current, longest;
	int     up;

	if (pgbin_int8(res, 0, UPD_XP, &xp) != PGBIN_OK ||
	    pgbin_int8(res, 0, UPD_COINS, &coins) != PGBIN_OK ||
	    pgbin_int4(res, 0, UPD_NEW_LEVEL, &level) != PGBIN_OK ||
	    pgbin_bool(res, 0, UPD_LEVELED_UP, &up) != PGBIN_OK ||
	    pgbin_int4(res, 0, UPD_STREAK_CURRENT, &current) != PGBIN_OK ||
	    pgbin_int4(res, 0, UPD_STREAK_LONGEST, &longest) != PGBIN_OK)
		return -1;
	return sprintbuf(pb, ",\"xp_awarded\":%lld,\"coins_awarded\":%lld,\"leveled_up\":%s,"
	    "\"new_level\":%d,\"streak\":{\"current\":%d,\"longest\":%d}}",
	    (long long)xp, (long long)coins, up ? "true" : "false", level, current, longest) < 0 ? -1 : 0;
}

/* complete: {"session": S, reward...}; abandon: S */
static int
render_closed(struct printbuf *pb, const PGresult *res, const void *arg)
{
	const enum session_action *action = arg;

	if (*action == ACTION_ABANDON)
		return render_session_at(pb, res, 0, UPD_SESSION_COL0, RENDER_SESSION);
	return printbuf_strappend(pb, "{\"session\":") < 0 ||
	    render_session_at(pb, res, 0, UPD_SESSION_COL0, RENDER_SESSION) != 0 ||
	    render_reward(pb, res) != 0 ? -1 : 0;
}

/* {"results":[{"id","action","session","xp_awarded","coins_awarded"}, ...], reward...} */
static int
render_batch(struct printbuf *pb, const PGresult *res, const void *arg)
{
	struct session_row s;
	const char        *action;
	size_t             len;
	int                row;

	(void)arg;
	if (printbuf_strappend(pb, "{\"results\":[") < 0)
		return -1;
	for (row = 0; row < PQntuples(res); row++) {
		if (render_decode(res, row, UPD_SESSION_COL0, &s) != 1 ||
		    pgbin_text(res, row, UPD_ACTION, &action, &len) != PGBIN_OK ||
		    (strcmp(action, "complete") != 0 && strcmp(action, "abandon") != 0))
			return -1;
		if (sprintbuf(pb, "%s{\"id\":\"%s\",\"action\":\"%s\",\"session\":",
		    row > 0 ? "," : "", s.id, action) < 0 ||
		    render_session(pb, &s) != 0 ||
		    sprintbuf(pb, ",\"xp_awarded\":%d,\"coins_awarded\":%d}", (int)s.xp, (int)s.coins) < 0)
			return -1;
	}
	return printbuf_strappend(pb, "]") < 0 || render_reward(pb, res) != 0 ? -1 : 0;
}

/* complete and abandon of one session: a batch of one; id NULL: the
 * caller's open session */
static enum ferr
close_one(struct req *rq, const char *id, enum session_action action)
{
	struct session_update item;
	PGresult *res = NULL;
	long      bad;
	enum ferr e;

	/* the router checked it is a UUID: 36 characters; "" is the open
	 * session (batch_update_sessions) */
	snprintf(item.id, sizeof(item.id), "%.36s", id != NULL ? id : "");
	item.action = action;
	e = batch_update_sessions(rq, &item, 1, &res, &bad);
	if (e == FERR_NOT_FOUND && id == NULL)
		snprintf(rq->err_msg, sizeof(rq->err_msg), "No session is running or paused.");
	if (e == FERR_CONFLICT)
		snprintf(rq->err_msg, sizeof(rq->err_msg),
		    "Only an active or paused session can be %s.",
		    action == ACTION_COMPLETE ? "completed" : "abandoned");
	if (e != FERR_OK)
		return e;
	return api_send_rendered(rq, STMT_SESSIONS_UPDATE, res, render_closed, &action);
}

enum ferr
sessions_complete(struct req *rq)
{
	return close_one(rq, rq->params[0], ACTION_COMPLETE);
}

enum ferr
sessions_abandon(struct req *rq)
{
	return close_one(rq, rq->params[0], ACTION_ABANDON);
}

enum ferr
sessions_active_complete(struct req *rq)
{
	return close_one(rq, NULL, ACTION_COMPLETE);
}

enum ferr
sessions_active_abandon(struct req *rq)
{
	return close_one(rq, NULL, ACTION_ABANDON);
}

/* {"closed": {"session": S, reward...} or null, "session": N}: next's
 * columns are sessions_update's, then the new session's */
static int
render_next_phase(struct printbuf *pb, const PGresult *res, const void *arg)
{
	(void)arg;
	if (printbuf_strappend(pb, "{\"closed\":") < 0)
		return -1;
	if (pgbin_isnull(res, 0, UPD_SESSION_COL0 + SC_ID)) {
		if (printbuf_strappend(pb, "null") < 0)
			return -1;
	} else if (printbuf_strappend(pb, "{\"session\":") < 0 ||
	    render_session_at(pb, res, 0, UPD_SESSION_COL0, RENDER_SESSION) != 0 ||
	    render_reward(pb, res) != 0)
		return -1;
	return printbuf_strappend(pb, ",\"session\":") < 0 ||
	    render_session_at(pb, res, 0, UPD_SESSION_COL0 + SC__MAX, RENDER_SESSION) != 0 ||
	    printbuf_strappend(pb, "}") < 0 ? -1 : 0;
}

enum ferr
sessions_next(struct req *rq)
{
	const char *params[] = { rq->token_hash };
	return api_reply_rendered(rq, STMT_NEXT, params, render_next_phase, NULL);
}

static const struct field batch_item_fields[] = {
	{ "id",     FIELD_UUID, 0, 0, NULL, 0 },
	{ "action", FIELD_ENUM, 0, 0, action_names, 0 },
};
const struct field_table sessions_batch_item_body = { "batch item", batch_item_fields,
	sizeof(batch_item_fields) / sizeof(batch_item_fields[0]) };

enum ferr
sessions_batch(struct req *rq)
{
	struct session_update items[FOCUS_MAX_BATCH];
	json_object *updates;
	PGresult    *res = NULL;
	size_t       n, i, j;
	long         bad;
	enum ferr    e;
	char         msg[200];

	if (!json_object_object_get_ex(rq->body, "updates", &updates) ||
	    !json_object_is_type(updates, json_type_array) ||
	    (n = json_object_array_length(updates)) < 1 || n > FOCUS_MAX_BATCH) {
		snprintf(rq->err_msg, sizeof(rq->err_msg),
		    "updates must be an array of 1 to %d items.", FOCUS_MAX_BATCH);
		return FERR_VALIDATION;
	}
	for (i = 0; i < n; i++) {
		json_object       *item = json_object_array_get_idx(updates, i);
		struct field_value v[2];

		if (!json_object_is_type(item, json_type_object)) {
			snprintf(rq->err_msg, sizeof(rq->err_msg), "updates[%zu] must be an object.", i);
			return FERR_VALIDATION;
		}
		if (validate_fields(item, batch_item_fields, 2, v, msg, sizeof(msg)) != FERR_OK ||
		    !v[0].present || !v[1].present) {
			snprintf(rq->err_msg, sizeof(rq->err_msg),
			    "updates[%zu] needs an id (UUID) and an action (complete or abandon).", i);
			return FERR_VALIDATION;
		}
		memcpy(items[i].id, v[0].uuid, sizeof(items[i].id));
		items[i].action = strcmp(v[1].s, "complete") == 0 ? ACTION_COMPLETE : ACTION_ABANDON;
		for (j = 0; j < i; j++)
			if (strcmp(items[j].id, items[i].id) == 0) {
				snprintf(rq->err_msg, sizeof(rq->err_msg),
				    "updates[%zu] repeats the id of updates[%zu].", i, j);
				return FERR_VALIDATION;
			}
	}
	e = batch_update_sessions(rq, items, n, &res, &bad);
	if (e == FERR_NOT_FOUND || e == FERR_CONFLICT) {
		snprintf(rq->err_msg, sizeof(rq->err_msg),
		    "updates[%ld] cannot be applied: no such session, or it is not active or paused; nothing was changed.",
		    bad);
		return FERR_CONFLICT;
	}
	if (e != FERR_OK)
		return e;
	return api_send_rendered(rq, STMT_SESSIONS_UPDATE, res, render_batch, NULL);
}
