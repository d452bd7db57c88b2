#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "facts.h"
#include "http.h"
#include "localtime.h"
#include "log.h"
#include "pgarray.h"
#include "pgbin.h"
#include "render.h"
#include "sessions.h"
#include "validate.h"

/* renderers of api_reply_rendered: the route's data from its rows */
static int
render_session_row(struct jsonw *w, const PGresult *res, const struct stmt_shape *shape,
    const void *arg)
{
	(void)arg;
	return render_session_at(w, NULL, res, 0, shape->object, RENDER_SESSION);
}

static int
render_pause_row(struct jsonw *w, const PGresult *res, const struct stmt_shape *shape,
    const void *arg)
{
	(void)arg;
	return render_session_at(w, NULL, res, 0, shape->object, RENDER_PAUSE);
}

/* session_active's columns after the session's, by name (its shape in
 * stmt.c): the cycle's next phase (sql/009_cycle.sql focus_next) */
#define ACTIVE(name) stmt_col(STMT_SESSION_ACTIVE, name)

/* "next": {"mode","duration_seconds","cycle_position","auto_start"} */
static int
render_next(struct jsonw *w, const PGresult *res, int row)
{
	const char *mode;
	size_t      len;
	int32_t     duration, position;
	int         auto_start;
	enum pgbin  pos;

	if (pgbin_text(res, row, ACTIVE("next_mode"), &mode, &len) != PGBIN_OK ||
	    facts_index(focus_modes, mode) < 0 ||
	    pgbin_int4(res, row, ACTIVE("next_duration_seconds"), &duration) != PGBIN_OK ||
	    pgbin_bool(res, row, ACTIVE("next_auto_start"), &auto_start) != PGBIN_OK ||
	    (pos = pgbin_int4(res, row, ACTIVE("next_cycle_position"), &position)) == PGBIN_BAD)
		return -1;
	jw_obj(w, "next");
	jw_str(w, "mode", mode);
	jw_int(w, "duration_seconds", duration);
	if (pos == PGBIN_OK)
		jw_int(w, "cycle_position", position);
	else
		jw_null(w, "cycle_position");
	jw_bool(w, "auto_start", auto_start);
	jw_end(w);
	return 0;
}

int
sessions_version(const PGresult *res, int row, char *out, size_t cap)
{
	char    user_id[FOCUS_CHANNEL_LEN + 1];
	int64_t version;
	int     n;

	/* the person and the version from the same row, so from the same
	 * statement's snapshot as the state rendered with them */
	if (pgbin_uuid(res, row, ACTIVE("user_id"), user_id) != PGBIN_OK ||
	    pgbin_int8(res, row, ACTIVE("version"), &version) != PGBIN_OK)
		return -1;
	n = snprintf(out, cap, "%s-%lld", user_id, (long long)version);
	return n > 0 && (size_t)n < cap ? 0 : -1;
}

/* {"session": S, "pause_state": P, "next": N, "server_time": T,
 * "version": V}, all from one row, decoded once; server_time is the
 * statement's now(), version the state's (sessions_version: an event
 * tells its client the tag to send in If-Match and If-None-Match with no
 * read of /active). Every statement with ACTIVE_SHAPE (stmt.c:
 * session_active, state_of) has these columns at the same positions. */
int
sessions_render_active(struct jsonw *w, const PGresult *res, int row)
{
	struct session_row s;
	int                object = stmt_table[STMT_SESSION_ACTIVE].shape.object;
	int                got = render_decode(res, row, object, &s);
	int64_t            at;
	char               version[FOCUS_MAX_VERSION_LEN + 1];

	if (got < 0 || pgbin_ts(res, row, object + SC_AT, &at) != PGBIN_OK ||
	    sessions_version(res, row, version, sizeof(version)) != 0)
		return -1;
	jw_obj(w, NULL);
	render_open_session(w, "session", got ? &s : NULL);
	render_pause(w, "pause_state", got ? &s : NULL);
	if (render_next(w, res, row) != 0)
		return -1;
	jw_ts(w, "server_time", at);
	jw_str(w, "version", version);
	jw_end(w);
	return 0;
}

static int
render_active(struct jsonw *w, const PGresult *res, const struct stmt_shape *shape,
    const void *arg)
{
	(void)shape;
	(void)arg;
	return sessions_render_active(w, res, 0);
}

int
sessions_etag(const PGresult *res, int row, char *out, size_t cap)
{
	char version[FOCUS_MAX_VERSION_LEN + 1];
	int  n;

	/* the version itself, quoted: a client derives the tag from an
	 * event's version exactly. Weak: the body carries server_time, so it
	 * differs byte for byte between two reads of one state (RFC 9110
	 * 8.8.1); the person's id in the version keeps one client that signs
	 * in as someone else from matching the tag it kept */
	if (sessions_version(res, row, version, sizeof(version)) != 0)
		return -1;
	n = snprintf(out, cap, "W/\"%s\"", version);
	return n > 0 && (size_t)n < cap ? 0 : -1;
}

/* If-Match, for the routes that act on the caller's open session (API.md
 * "Live state"): the opaque tags it lists (W/ dropped: the weak
 * comparison, as If-None-Match's), as a text[] literal for the
 * statement's precondition (stmt.c CTE_PRECONDITION), which compares them
 * with the state's tag under its lock. The worker cannot compare them
 * itself: the person and the version are known only inside the statement. */
struct if_match {
	struct pgarray tags;
	int            any;     /* "*": any state matches */
};

static int
add_if_match_tag(const char *tag, size_t n, void *arg)
{
	struct if_match *im = arg;
	char             one[FOCUS_MAX_ETAG_LEN + 1];

	if (n == 1 && tag[0] == '*') {
		im->any = 1;
		return 0;
	}
	/* a tag that can never match is dropped, still counted: longer than
	 * ours, or with a byte ours never has (ours is printable ASCII; a
	 * header's obs-text bytes are no UTF-8, and as text the database
	 * would refuse the whole list: 422 instead of 412) */
	if (n > FOCUS_MAX_ETAG_LEN || !printable_ascii(tag, n))
		return 0;
	memcpy(one, tag, n);
	one[n] = '\0';
	pgarray_add(&im->tags, one);
	return 0;
}

/* *param: NULL when there is no precondition (no If-Match, or "*"), else
 * the tags' literal in buf; 400 for more tags than FOCUS_MAX_IF_MATCH_TAGS */
static enum ferr
if_match_param(struct req *rq, char *buf, size_t cap, const char **param)
{
	const char     *header = http_param(rq, "HTTP_IF_MATCH");
	struct if_match im = { .any = 0 };
	int             count;

	*param = NULL;
	if (header == NULL)
		return FERR_OK;
	pgarray_init(&im.tags, buf, cap);
	count = http_etag_each(header, add_if_match_tag, &im);
	if (count < 0 || count > FOCUS_MAX_IF_MATCH_TAGS) {
		snprintf(rq->err_msg, sizeof(rq->err_msg), "If-Match lists at most %d entity tags.",
		    FOCUS_MAX_IF_MATCH_TAGS);
		return FERR_BAD_REQUEST;
	}
	if (im.any)
		return FERR_OK;
	if ((*param = pgarray_end(&im.tags)) == NULL)
		return FERR_INTERNAL;
	return FERR_OK;
}

/* the message of a 412 (the kind's sentence says which header) */
static void
precondition_message(struct req *rq)
{
	snprintf(rq->err_msg, sizeof(rq->err_msg),
	    "The session changed since this page last saw it (If-Match); nothing was done. "
	    "Read GET /api/focus/active again.");
}

/* each tag quoted and escaped (at most twice its length), with its comma */
#define IF_MATCH_BUF (FOCUS_MAX_IF_MATCH_TAGS * (2 * FOCUS_MAX_ETAG_LEN + 3) + 3)

static int
render_list_item(struct jsonw *w, const PGresult *res, int row, int col0)
{
	return render_session_at(w, NULL, res, row, col0, RENDER_SESSION);
}

/* {"sessions":[...],"total":N,"page":P,"page_size":S} */
static int
render_list(struct jsonw *w, const PGresult *res, const struct stmt_shape *shape,
    const void *arg)
{
	const struct api_page *pg = arg;

	return render_page(w, res, "sessions", shape->total, shape->object,
	    render_list_item, pg->page, pg->page_size);
}

static const char *const action_names[ACTION__MAX + 1] = { "complete", "abandon", NULL };

enum { START_MODE, START_DURATION, START_TASK_ID, START_TASK_TITLE, START__MAX };
static const struct field start_fields[START__MAX] = {
	[START_MODE]       = { "mode", FIELD_ENUM, 0, 0, focus_modes, 0 },
	[START_DURATION]   = { "duration_seconds", FIELD_INT, 1, FOCUS_MAX_DURATION_S, NULL, 0 },
	[START_TASK_ID]    = { "task_id", FIELD_UUID, 0, 0, NULL, 1 },
	[START_TASK_TITLE] = { "task_title", FIELD_STR, 0, FOCUS_MAX_TITLE_LEN, NULL, 1 },
};
const struct field_table sessions_start_body = { "session start", start_fields, START__MAX };

enum ferr
sessions_start(struct req *rq)
{
	struct field_value v[START__MAX];
	const char *mode = focus_modes[0];     /* the default (facts.h) */
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

	/* stats=true has its own route (routes.c) */
	r = http_query_get(rq->query, "stats", stats, sizeof(stats));
	if (r < 0 || (r > 0 && strcmp(stats, "false") != 0)) {
		snprintf(rq->err_msg, sizeof(rq->err_msg), "stats must be true or false.");
		return FERR_BAD_REQUEST;
	}
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

/* the stats columns (int8, from the shape's object column on), and their
 * keys */
static const char *const stats_keys[] = {
	"completed_sessions", "abandoned_sessions", "total_sessions",
	"total_focus_seconds", "total_xp_earned", "total_coins_earned",
};

static int
render_stats(struct jsonw *w, const PGresult *res, const struct stmt_shape *shape,
    const void *arg)
{
	const struct period *p = arg;
	size_t  i;
	int64_t v;

	jw_obj(w, NULL);
	jw_str(w, "period", p->name);
	for (i = 0; i < sizeof(stats_keys) / sizeof(stats_keys[0]); i++) {
		if (pgbin_int8(res, 0, shape->object + (int)i, &v) != PGBIN_OK)
			return -1;
		jw_int(w, stats_keys[i], v);
	}
	jw_end(w);
	return 0;
}

enum ferr
sessions_stats(struct req *rq)
{
	char   period[8];
	int    r;
	size_t i;

	/* calendar periods and from/to count in the person's own time */
	if (localtime_stats_wanted(rq->query))
		return localtime_stats(rq);
	r = http_query_get(rq->query, "period", period, sizeof(period));
	if (r == 0)
		snprintf(period, sizeof(period), "all");
	for (i = 0; r >= 0 && i < sizeof(periods) / sizeof(periods[0]); i++)
		if (strcmp(period, periods[i].name) == 0) {
			const char *params[] = { rq->token_hash, periods[i].interval };
			return api_reply_rendered(rq, STMT_SESSION_STATS, params, render_stats, &periods[i]);
		}
	snprintf(rq->err_msg, sizeof(rq->err_msg), "period must be day, week, month, all, today, this_week, this_month or this_year.");
	return FERR_BAD_REQUEST;
}

/* GET /api/focus/active: with an ETag from the state's version, bumped
 * by every change in the changing statement (sql/012_live.sql); a
 * matching If-None-Match is 304 with no body, from the same one round
 * trip (which still ran the catch-up, so a time's up changes the tag) */
enum ferr
sessions_active(struct req *rq)
{
	const char *params[] = { rq->token_hash };
	PGresult   *res = NULL;
	char        etag[FOCUS_MAX_ETAG_LEN];
	enum ferr   e;

	if ((e = api_exec(rq, STMT_SESSION_ACTIVE, params, &res)) != FERR_OK) {
		PQclear(res);
		return e;
	}
	if (sessions_etag(res, 0, etag, sizeof(etag)) != 0 ||
	    http_add_header(rq, "ETag", etag) != 0) {
		PQclear(res);
		log_kv(LOG_ERROR, "render", "req", rq->request_id, "route", rq->route, "err", "etag", NULL);
		return FERR_INTERNAL;
	}
	if (http_etag_matches(http_param(rq, "HTTP_IF_NONE_MATCH"), etag)) {
		PQclear(res);
		http_send_not_modified(rq);
		return FERR_OK;
	}
	return api_send_rendered(rq, STMT_SESSION_ACTIVE, res, render_active, NULL);
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
	char        tags[IF_MATCH_BUF];
	const char *params[] = { rq->token_hash, NULL };
	enum ferr   e = if_match_param(rq, tags, sizeof(tags), &params[1]);

	if (e != FERR_OK)
		return e;
	e = api_reply_rendered(rq, STMT_PAUSE, params, render_pause_row, NULL);
	if (e == FERR_PRECONDITION)
		precondition_message(rq);
	else if (e == FERR_NOT_FOUND)
		snprintf(rq->err_msg, sizeof(rq->err_msg), "No session is running.");
	else if (e == FERR_CONFLICT)
		snprintf(rq->err_msg, sizeof(rq->err_msg),
		    "The session is already paused or its timer has run out.");
	return e;
}

enum ferr
sessions_resume(struct req *rq)
{
	char        tags[IF_MATCH_BUF];
	const char *params[] = { rq->token_hash, NULL };
	enum ferr   e = if_match_param(rq, tags, sizeof(tags), &params[1]);

	if (e != FERR_OK)
		return e;
	e = api_reply_rendered(rq, STMT_RESUME, params, render_session_row, NULL);
	if (e == FERR_PRECONDITION)
		precondition_message(rq);
	else if (e == FERR_NOT_FOUND)
		snprintf(rq->err_msg, sizeof(rq->err_msg), "No session is paused.");
	return e;
}

/* sessions_update's columns by name (its shape in stmt.c): the first
 * item that cannot apply, the request's reward totals, then per row the
 * item's action and its session */
#define UPD(name) stmt_col(STMT_SESSIONS_UPDATE, name)

enum ferr
batch_update_sessions(struct req *rq, const struct session_update *items, size_t n,
    const char *if_match, PGresult **res, long *bad_index)
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
		const char *params[] = { rq->token_hash, pgarray_end(&id_list), pgarray_end(&action_list), if_match };
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
	if (*res != NULL && pgbin_int8(*res, 0, UPD("bad_index"), &bad) == PGBIN_OK &&
	    bad >= 0 && (size_t)bad < n)
		*bad_index = (long)bad;
	PQclear(*res);
	*res = NULL;
	return e;
}

/* "xp_awarded":X,"coins_awarded":C,"leveled_up":B,"new_level":L,
 * "streak":{"current":N,"longest":M}: the request's totals, the last
 * members of the object they end (the caller closes it) */
int
sessions_render_reward(struct jsonw *w, const PGresult *res, enum stmt id)
{
	int64_t xp, coins;
	int32_t level, current, longest;
	int     up;

	if (pgbin_int8(res, 0, stmt_col(id, "xp"), &xp) != PGBIN_OK ||
	    pgbin_int8(res, 0, stmt_col(id, "coins"), &coins) != PGBIN_OK ||
	    pgbin_int4(res, 0, stmt_col(id, "new_level"), &level) != PGBIN_OK ||
	    pgbin_bool(res, 0, stmt_col(id, "leveled_up"), &up) != PGBIN_OK ||
	    pgbin_int4(res, 0, stmt_col(id, "streak_current"), &current) != PGBIN_OK ||
	    pgbin_int4(res, 0, stmt_col(id, "streak_longest"), &longest) != PGBIN_OK)
		return -1;
	jw_int(w, "xp_awarded", xp);
	jw_int(w, "coins_awarded", coins);
	jw_bool(w, "leveled_up", up);
	jw_int(w, "new_level", level);
	jw_obj(w, "streak");
	jw_int(w, "current", current);
	jw_int(w, "longest", longest);
	jw_end(w);
	return 0;
}

/* complete: {"session": S, reward...}; abandon: S */
static int
render_closed(struct jsonw *w, const PGresult *res, const struct stmt_shape *shape,
    const void *arg)
{
	const enum session_action *action = arg;
	int                        rc;

	if (*action == ACTION_ABANDON)
		return render_session_at(w, NULL, res, 0, shape->object, RENDER_SESSION);
	jw_obj(w, NULL);
	rc = render_session_at(w, "session", res, 0, shape->object, RENDER_SESSION);
	if (rc == 0)
		rc = sessions_render_reward(w, res, STMT_SESSIONS_UPDATE);
	jw_end(w);
	return rc;
}

/* complete and abandon of one session: a batch of one; id NULL: the
 * caller's open session */
static enum ferr
close_one(struct req *rq, const char *id, enum session_action action)
{
	struct session_update item;
	PGresult   *res = NULL;
	long        bad;
	char        tags[IF_MATCH_BUF];
	const char *if_match = NULL;
	enum ferr   e;

	/* the router checked it is a UUID: 36 characters; "" is the open
	 * session (batch_update_sessions) */
	snprintf(item.id, sizeof(item.id), "%.36s", id != NULL ? id : "");
	item.action = action;
	/* If-Match is for the routes without an id (API.md "Live state") */
	if (id == NULL && (e = if_match_param(rq, tags, sizeof(tags), &if_match)) != FERR_OK)
		return e;
	e = batch_update_sessions(rq, &item, 1, if_match, &res, &bad);
	if (e == FERR_PRECONDITION)
		precondition_message(rq);
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
 * columns are sessions_update's (CLOSE_SHAPE), then the new session's */
static int
render_next_phase(struct jsonw *w, const PGresult *res, const struct stmt_shape *shape,
    const void *arg)
{
	int rc = 0;

	(void)arg;
	jw_obj(w, NULL);
	if (pgbin_isnull(res, 0, shape->object + SC_ID)) {
		jw_null(w, "closed");
	} else {
		jw_obj(w, "closed");
		rc = render_session_at(w, "session", res, 0, shape->object, RENDER_SESSION);
		if (rc == 0)
			rc = sessions_render_reward(w, res, STMT_SESSIONS_UPDATE);
		jw_end(w);
	}
	if (rc == 0)
		rc = render_session_at(w, "session", res, 0, shape->object + SC__MAX, RENDER_SESSION);
	jw_end(w);
	return rc;
}

enum ferr
sessions_next(struct req *rq)
{
	char        tags[IF_MATCH_BUF];
	const char *params[] = { rq->token_hash, NULL };
	enum ferr   e = if_match_param(rq, tags, sizeof(tags), &params[1]);

	if (e != FERR_OK)
		return e;
	e = api_reply_rendered(rq, STMT_NEXT, params, render_next_phase, NULL);
	if (e == FERR_PRECONDITION)
		precondition_message(rq);
	return e;
}
