/*
 * settings.c: GET and PATCH /api/focus/settings (see settings.h). The
 * ranges are checked here against the table below and again by the
 * schema's CHECKs; the zone only by the statement, against PostgreSQL's
 * own list (pg_timezone_names), which the worker does not hold.
 */
#include <stdio.h>
#include <string.h>

#include "api.h"
#include "jsonw.h"
#include "limits.h"
#include "pgbin.h"
#include "settings.h"
#include "validate.h"

/* The fields in API.md's order, which is also the order of the
 * statement's columns (stmt.c SETTINGS_COLS, after outcome and user_id)
 * and of settings_patch's parameters $2..$11. */
enum {
	SET_FOCUS, SET_SHORT_BREAK, SET_LONG_BREAK, SET_EVERY, SET_AUTO_BREAKS, SET_AUTO_FOCUS,
	SET_DAILY_GOAL, SET_TIME_ZONE, SET_DAY_START, SET_WEEK_START, SET__MAX
};

static const char *const week_starts[] = { "monday", "sunday", NULL };

/* FIELD_INT and FIELD_STR/ENUM rows are checked by validate_fields; the
 * two booleans (type FIELD_INT here, unused) by settings_patch itself */
static const struct field settings_fields[SET__MAX] = {
	[SET_FOCUS]       = { "focus_seconds", FIELD_INT, FOCUS_MIN_PHASE_S, FOCUS_MAX_DURATION_S, NULL, 0 },
	[SET_SHORT_BREAK] = { "short_break_seconds", FIELD_INT, FOCUS_MIN_PHASE_S, FOCUS_MAX_DURATION_S, NULL, 0 },
	[SET_LONG_BREAK]  = { "long_break_seconds", FIELD_INT, FOCUS_MIN_PHASE_S, FOCUS_MAX_DURATION_S, NULL, 0 },
	[SET_EVERY]       = { "long_break_every", FIELD_INT, 1, FOCUS_MAX_CYCLE, NULL, 0 },
	[SET_AUTO_BREAKS] = { "auto_start_breaks", FIELD_INT, 0, 1, NULL, 0 },
	[SET_AUTO_FOCUS]  = { "auto_start_focus", FIELD_INT, 0, 1, NULL, 0 },
	[SET_DAILY_GOAL]  = { "daily_goal", FIELD_INT, 0, FOCUS_MAX_DAILY_GOAL, NULL, 0 },
	[SET_TIME_ZONE]   = { "time_zone", FIELD_STR, 1, FOCUS_MAX_TIME_ZONE, NULL, 0 },
	[SET_DAY_START]   = { "day_start_hour", FIELD_INT, 0, 23, NULL, 0 },
	[SET_WEEK_START]  = { "week_start", FIELD_ENUM, 0, 0, week_starts, 0 },
};

static int
is_bool_field(int i)
{
	return i == SET_AUTO_BREAKS || i == SET_AUTO_FOCUS;
}

/* the Settings object from the first row's columns, from the shape's
 * object column on (stmt.c SETTINGS_SHAPE) */
static int
render_settings(struct jsonw *w, const PGresult *res, const struct stmt_shape *shape,
    const void *arg)
{
	int i;

	(void)arg;
	jw_obj(w, NULL);
	for (i = 0; i < SET__MAX; i++) {
		int         col = shape->object + i, b;
		int32_t     n;
		const char *s;
		size_t      len;

		if (is_bool_field(i)) {
			if (pgbin_bool(res, 0, col, &b) != PGBIN_OK)
				return -1;
			jw_bool(w, settings_fields[i].name, b);
		} else if (settings_fields[i].type == FIELD_INT) {
			if (pgbin_int4(res, 0, col, &n) != PGBIN_OK)
				return -1;
			jw_int(w, settings_fields[i].name, n);
		} else {
			/* a zone from pg_timezone_names or a CHECKed week day;
			 * the writer escapes what needs it */
			if (pgbin_text(res, 0, col, &s, &len) != PGBIN_OK || len > FOCUS_MAX_TIME_ZONE)
				return -1;
			jw_strn(w, settings_fields[i].name, s, len);
		}
	}
	jw_end(w);
	return 0;
}

enum ferr
settings_get(struct req *rq)
{
	const char *params[] = { rq->token_hash };
	return api_reply_rendered(rq, STMT_SETTINGS_GET, params, render_settings, NULL);
}

enum ferr
settings_patch(struct req *rq)
{
	struct field_value v[SET__MAX];
	const char *params[1 + SET__MAX];
	char        nums[SET__MAX][24];
	enum ferr   e;
	int         i;

	memset(v, 0, sizeof(v));
	params[0] = rq->token_hash;
	for (i = 0; i < SET__MAX; i++) {
		json_object *val;

		params[1 + i] = NULL;
		if (!json_object_object_get_ex(rq->body, settings_fields[i].name, &val))
			continue;       /* not given: unchanged */
		if (is_bool_field(i)) {
			/* checked before any get (json-c converts types) */
			if (val == NULL || !json_object_is_type(val, json_type_boolean)) {
				snprintf(rq->err_msg, sizeof(rq->err_msg), "%s must be true or false.",
				    settings_fields[i].name);
				return FERR_VALIDATION;
			}
			params[1 + i] = json_object_get_boolean(val) ? "true" : "false";
			continue;
		}
		if ((e = validate_value(val, &settings_fields[i], &v[i], rq->err_msg,
		    sizeof(rq->err_msg))) != FERR_OK)
			return e;
		if (!v[i].present) {
			snprintf(rq->err_msg, sizeof(rq->err_msg), "%s must not be null.",
			    settings_fields[i].name);
			return FERR_VALIDATION;
		}
		if (settings_fields[i].type == FIELD_INT) {
			snprintf(nums[i], sizeof(nums[i]), "%lld", v[i].i);
			params[1 + i] = nums[i];
		} else {
			params[1 + i] = v[i].s;
		}
	}
	e = api_reply_rendered(rq, STMT_SETTINGS_PATCH, params, render_settings, NULL);
	if (e == FERR_VALIDATION)
		snprintf(rq->err_msg, sizeof(rq->err_msg),
		    "time_zone must be an IANA time zone name, such as Europe/Berlin.");
	return e;
}
