/*
 * history.c: the batch (history.h). The worker checks each item's fields
 * and what its action needs; the statement judges each item against the
 * caller's sessions (found, closed, manual, no overlap, over by now) and
 * names the first that cannot apply. Either way the answer names the
 * item as updates[i], and nothing is changed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "facts.h"
#include "history.h"
#include "limits.h"
#include "pgarray.h"
#include "pgbin.h"
#include "render.h"
#include "rfc3339.h"
#include "sessions.h"

enum history_action { H_COMPLETE, H_ABANDON, H_CREATE, H_UPDATE, H_DELETE, H__MAX };
static const char *const action_names[H__MAX + 1] = {
	"complete", "abandon", "create", "update", "delete", NULL
};

enum { F_ID, F_ACTION, F_MODE, F_STARTED, F_DURATION, F_FOCUSED, F_TASK_ID, F_TASK_TITLE, F__MAX };
static const struct field item_fields[F__MAX] = {
	[F_ID]         = { "id", FIELD_UUID, 0, 0, NULL, 0 },
	[F_ACTION]     = { "action", FIELD_ENUM, 0, 0, action_names, 0 },
	[F_MODE]       = { "mode", FIELD_ENUM, 0, 0, focus_modes, 0 },
	[F_STARTED]    = { "started_at", FIELD_STR, 20, RFC3339_MAX_LEN, NULL, 0 },
	[F_DURATION]   = { "duration_seconds", FIELD_INT, 1, FOCUS_MAX_DURATION_S, NULL, 0 },
	[F_FOCUSED]    = { "focused_seconds", FIELD_INT, 0, FOCUS_MAX_DURATION_S, NULL, 0 },
	[F_TASK_ID]    = { "task_id", FIELD_UUID, 0, 0, NULL, 1 },
	[F_TASK_TITLE] = { "task_title", FIELD_STR, 0, FOCUS_MAX_TITLE_LEN, NULL, 1 },
};
const struct field_table history_item_body = { "batch item", item_fields, F__MAX };

struct item {
	enum history_action action;
	struct field_value  v[F__MAX];
	int                 set_task_id, set_task_title;   /* given, null included */
};

/* The statement's array parameters, $2..$11, in order. */
enum { A_ID, A_ACTION, A_MODE, A_STARTED, A_DURATION, A_FOCUSED, A_TASK_ID, A_TASK_TITLE,
	A_SET_TASK_ID, A_SET_TASK_TITLE, A__MAX };
/* the longest element of each, quoted and escaped, with its comma: a
 * title's characters are at most 4 bytes of UTF-8, each escaped at most
 * once */
static const size_t elem_max[A__MAX] = {
	[A_ID] = 39, [A_ACTION] = 11, [A_MODE] = 13, [A_STARTED] = RFC3339_MAX_LEN + 3,
	[A_DURATION] = 9, [A_FOCUSED] = 9, [A_TASK_ID] = 39,
	[A_TASK_TITLE] = FOCUS_MAX_TITLE_LEN * 4 * 2 + 3, [A_SET_TASK_ID] = 4, [A_SET_TASK_TITLE] = 4,
};

/* Check item i of the batch into *it: its fields, and that its action
 * has what it needs. FERR_VALIDATION with a sentence naming updates[i]. */
static enum ferr
parse_item(json_object *obj, size_t i, struct item *it, char *msg, size_t cap)
{
	char         why[200];
	json_object *ignored;
	int          times;

	memset(it, 0, sizeof(*it));
	if (!json_object_is_type(obj, json_type_object)) {
		snprintf(msg, cap, "updates[%zu] must be an object.", i);
		return FERR_VALIDATION;
	}
	if (validate_fields(obj, item_fields, F__MAX, it->v, why, sizeof(why)) != FERR_OK) {
		snprintf(msg, cap, "updates[%zu].%s", i, why);
		return FERR_VALIDATION;
	}
	if (!it->v[F_ACTION].present) {
		snprintf(msg, cap, "updates[%zu] needs an action (complete, abandon, create, update or delete).", i);
		return FERR_VALIDATION;
	}
	it->action = (enum history_action)facts_index(action_names, it->v[F_ACTION].s);
	it->set_task_id = json_object_object_get_ex(obj, "task_id", &ignored);
	it->set_task_title = json_object_object_get_ex(obj, "task_title", &ignored);
	if (it->v[F_STARTED].present && !rfc3339_valid(it->v[F_STARTED].s, strlen(it->v[F_STARTED].s))) {
		snprintf(msg, cap, "updates[%zu].started_at must be an RFC 3339 timestamp (2026-01-17T10:00:00Z).", i);
		return FERR_VALIDATION;
	}
	if (it->action == H_CREATE) {
		if (it->v[F_ID].present) {
			snprintf(msg, cap, "updates[%zu] is a create: the service gives the new session its id.", i);
			return FERR_VALIDATION;
		}
		if (!it->v[F_STARTED].present || !it->v[F_DURATION].present) {
			snprintf(msg, cap, "updates[%zu] is a create: it needs started_at and duration_seconds.", i);
			return FERR_VALIDATION;
		}
	} else if (!it->v[F_ID].present) {
		snprintf(msg, cap, "updates[%zu] needs an id (UUID).", i);
		return FERR_VALIDATION;
	}
	if (it->v[F_FOCUSED].present && it->v[F_DURATION].present &&
	    it->v[F_FOCUSED].i > it->v[F_DURATION].i) {
		snprintf(msg, cap, "updates[%zu].focused_seconds must not exceed duration_seconds.", i);
		return FERR_VALIDATION;
	}
	/* only a create or an update sets these; elsewhere they would be
	 * silently dropped, which a client would take for done */
	times = it->v[F_MODE].present || it->v[F_STARTED].present || it->v[F_DURATION].present ||
	    it->v[F_FOCUSED].present || it->set_task_id || it->set_task_title;
	if (times && it->action != H_CREATE && it->action != H_UPDATE) {
		snprintf(msg, cap, "updates[%zu] is a %s: only create and update take session fields.", i,
		    action_names[it->action]);
		return FERR_VALIDATION;
	}
	return FERR_OK;
}

/* One item's elements, in the order of the arrays. */
static void
add_item(struct pgarray *a, const struct item *it)
{
	char duration[16], focused[16];

	snprintf(duration, sizeof(duration), "%lld", it->v[F_DURATION].i);
	snprintf(focused, sizeof(focused), "%lld", it->v[F_FOCUSED].i);
	pgarray_add(&a[A_ID], it->v[F_ID].present ? it->v[F_ID].uuid : NULL);
	pgarray_add(&a[A_ACTION], action_names[it->action]);
	pgarray_add(&a[A_MODE], it->v[F_MODE].present ? it->v[F_MODE].s : NULL);
	pgarray_add(&a[A_STARTED], it->v[F_STARTED].present ? it->v[F_STARTED].s : NULL);
	pgarray_add(&a[A_DURATION], it->v[F_DURATION].present ? duration : NULL);
	pgarray_add(&a[A_FOCUSED], it->v[F_FOCUSED].present ? focused : NULL);
	pgarray_add(&a[A_TASK_ID], it->v[F_TASK_ID].present ? it->v[F_TASK_ID].uuid : NULL);
	pgarray_add(&a[A_TASK_TITLE], it->v[F_TASK_TITLE].present ? it->v[F_TASK_TITLE].s : NULL);
	pgarray_add(&a[A_SET_TASK_ID], it->set_task_id ? "t" : "f");
	pgarray_add(&a[A_SET_TASK_TITLE], it->set_task_title ? "t" : "f");
}

/* history_batch's columns by name (CLOSE_SHAPE in stmt.c) */
#define COL(name) stmt_col(STMT_HISTORY_BATCH, name)

/* {"results":[{"id","action","session","xp_awarded","coins_awarded"}, ...], reward...}:
 * what each item did, in request order; a delete's session is null
 * ("deleted": true); only a complete grants anything */
static int
render_results(struct jsonw *w, const PGresult *res, const struct stmt_shape *shape,
    const void *arg)
{
	struct session_row s;
	const char        *action;
	size_t             len;
	int                row, a, grants;

	(void)arg;
	jw_obj(w, NULL);
	jw_arr(w, "results");
	for (row = 0; row < PQntuples(res); row++) {
		if (render_decode(res, row, shape->object, &s) != 1 ||
		    pgbin_text(res, row, COL("action"), &action, &len) != PGBIN_OK ||
		    (a = facts_index(action_names, action)) < 0)
			return -1;
		grants = a == H_COMPLETE;
		jw_obj(w, NULL);
		jw_str(w, "id", s.id);
		jw_str(w, "action", action);
		if (a == H_DELETE) {
			jw_null(w, "session");
			jw_bool(w, "deleted", 1);
		} else
			render_session(w, "session", &s);
		jw_int(w, "xp_awarded", grants ? s.xp : 0);
		jw_int(w, "coins_awarded", grants ? s.coins : 0);
		jw_end(w);
	}
	jw_end(w);
	if (sessions_render_reward(w, res, STMT_HISTORY_BATCH) != 0)
		return -1;
	jw_end(w);
	return 0;
}

enum ferr
history_batch(struct req *rq)
{
	struct item   *items = NULL;
	char          *bufs[A__MAX] = { NULL };
	struct pgarray arrays[A__MAX];
	const char    *params[1 + A__MAX];
	json_object   *updates;
	PGresult      *res = NULL;
	size_t         n, i, j;
	int64_t        bad = -1;
	enum ferr      e;

	if (!json_object_object_get_ex(rq->body, "updates", &updates) ||
	    !json_object_is_type(updates, json_type_array) ||
	    (n = json_object_array_length(updates)) < 1 || n > FOCUS_MAX_BATCH) {
		snprintf(rq->err_msg, sizeof(rq->err_msg),
		    "updates must be an array of 1 to %d items.", FOCUS_MAX_BATCH);
		return FERR_VALIDATION;
	}
	/* sized from our limit and the count we checked against it */
	if ((items = calloc(n, sizeof(*items))) == NULL)
		return FERR_INTERNAL;
	for (i = 0; i < n; i++) {
		if ((e = parse_item(json_object_array_get_idx(updates, i), i, &items[i], rq->err_msg,
		    sizeof(rq->err_msg))) != FERR_OK)
			goto done;
		for (j = 0; items[i].v[F_ID].present && j < i; j++)
			if (items[j].v[F_ID].present && strcmp(items[j].v[F_ID].uuid, items[i].v[F_ID].uuid) == 0) {
				snprintf(rq->err_msg, sizeof(rq->err_msg),
				    "updates[%zu] repeats the id of updates[%zu].", i, j);
				e = FERR_VALIDATION;
				goto done;
			}
	}
	e = FERR_INTERNAL;
	params[0] = rq->token_hash;
	for (i = 0; i < A__MAX; i++) {
		size_t cap = elem_max[i] * n + 3;
		if ((bufs[i] = malloc(cap)) == NULL)
			goto done;
		pgarray_init(&arrays[i], bufs[i], cap);
	}
	for (i = 0; i < n; i++)
		add_item(arrays, &items[i]);
	for (i = 0; i < A__MAX; i++)
		if ((params[1 + i] = pgarray_end(&arrays[i])) == NULL)
			goto done;
	e = api_exec(rq, STMT_HISTORY_BATCH, params, &res);
	if (e == FERR_NOT_FOUND || e == FERR_CONFLICT || e == FERR_VALIDATION) {
		if (res == NULL || pgbin_int8(res, 0, COL("bad_index"), &bad) != PGBIN_OK || bad < 0 ||
		    (size_t)bad >= n)
			bad = -1;
		if (e == FERR_VALIDATION)
			snprintf(rq->err_msg, sizeof(rq->err_msg),
			    "updates[%lld] does not fit its session: only a closed manual session's times change, "
			    "focused_seconds only on a completed one and never over its duration, and a session ends "
			    "no later than now; nothing was changed.", (long long)bad);
		else {
			snprintf(rq->err_msg, sizeof(rq->err_msg),
			    "updates[%lld] cannot be applied: no such session, it is not in a state that allows it, "
			    "or it would overlap another session; nothing was changed.", (long long)bad);
			e = FERR_CONFLICT;
		}
		goto done;
	}
	if (e != FERR_OK)
		goto done;
	e = api_send_rendered(rq, STMT_HISTORY_BATCH, res, render_results, NULL);
	res = NULL;
done:
	PQclear(res);
	for (i = 0; i < A__MAX; i++)
		free(bufs[i]);
	free(items);
	return e;
}
