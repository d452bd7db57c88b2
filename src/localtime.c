/*
 * localtime.c: stats in calendar periods, series and progress (see
 * localtime.h). Each handler checks its query, runs one statement and
 * renders its rows.
 */
#include <stdio.h>
#include <string.h>

#include "api.h"
#include "limits.h"
#include "localdate.h"
#include "localtime.h"
#include "pgbin.h"

/* API.md: the calendar periods of stats, which count in local dates */
static const char *const calendar_periods[] = { "today", "this_week", "this_month", "this_year" };
/* the groups of a series (sql/011_localtime.sql focus_bucket_start) */
static const char *const series_groups[] = { "day", "week", "month" };

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static int
one_of(const char *s, const char *const *names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(s, names[i]) == 0)
			return (int)i;
	return -1;
}

int
localtime_stats_wanted(const char *query)
{
	char v[16];

	if (http_query_get(query, "from", v, sizeof(v)) != 0 || http_query_get(query, "to", v, sizeof(v)) != 0)
		return 1;
	return http_query_get(query, "period", v, sizeof(v)) > 0 &&
	    one_of(v, calendar_periods, COUNT(calendar_periods)) >= 0;
}

enum ferr
localtime_query_date(struct req *rq, const char *key, char out[LOCALDATE_LEN + 1], int *present)
{
	char v[LOCALDATE_LEN + 2];
	int  r = http_query_get(rq->query, key, v, sizeof(v));

	*present = r > 0;
	out[0] = '\0';
	if (r == 0)
		return FERR_OK;
	if (r < 0 || localdate_parse(v, strlen(v), out) != 0) {
		snprintf(rq->err_msg, sizeof(rq->err_msg), "%s must be a date, YYYY-MM-DD.", key);
		return FERR_BAD_REQUEST;
	}
	return FERR_OK;
}

/* from and to, both required: FERR_OK or FERR_BAD_REQUEST */
static enum ferr
date_range(struct req *rq, char from[LOCALDATE_LEN + 1], char to[LOCALDATE_LEN + 1], int *given)
{
	int       has_from, has_to;
	enum ferr e;

	if ((e = localtime_query_date(rq, "from", from, &has_from)) != FERR_OK ||
	    (e = localtime_query_date(rq, "to", to, &has_to)) != FERR_OK)
		return e;
	*given = has_from;
	if (has_from != has_to) {
		snprintf(rq->err_msg, sizeof(rq->err_msg), "from and to go together (YYYY-MM-DD, inclusive).");
		return FERR_BAD_REQUEST;
	}
	return FERR_OK;
}

/* text column col of row 0, at most cap bytes, as a JSON member */
static int
put_text(struct jsonw *w, const char *key, const PGresult *res, int row, int col, size_t cap)
{
	const char *s;
	size_t      len;

	if (pgbin_text(res, row, col, &s, &len) != PGBIN_OK || len > cap)
		return -1;
	jw_strn(w, key, s, len);
	return 0;
}

/* the stats object's counts (stats_local's columns, in session_stats's
 * order) and their keys, as the rolling stats write them */
static const char *const stats_keys[] = {
	"completed_sessions", "abandoned_sessions", "total_sessions",
	"total_focus_seconds", "total_xp_earned", "total_coins_earned",
};
#define STATS(name) stmt_col(STMT_STATS_LOCAL, name)

static int
render_stats(struct jsonw *w, const PGresult *res, const struct stmt_shape *shape, const void *arg)
{
	const char *period = arg;
	int         first = STATS("completed");
	size_t      i;
	int64_t     v;

	(void)shape;
	jw_obj(w, NULL);
	if (period != NULL)
		jw_str(w, "period", period);
	else
		jw_null(w, "period");
	if (put_text(w, "from", res, 0, STATS("first_day"), LOCALDATE_LEN) != 0 ||
	    put_text(w, "to", res, 0, STATS("last_day"), LOCALDATE_LEN) != 0 ||
	    put_text(w, "time_zone", res, 0, STATS("time_zone"), FOCUS_MAX_TIME_ZONE) != 0)
		return -1;
	for (i = 0; i < COUNT(stats_keys); i++) {
		if (pgbin_int8(res, 0, first + (int)i, &v) != PGBIN_OK)
			return -1;
		jw_int(w, stats_keys[i], v);
	}
	jw_end(w);
	return 0;
}

enum ferr
localtime_stats(struct req *rq)
{
	char        period[16], from[LOCALDATE_LEN + 1], to[LOCALDATE_LEN + 1], max_days[12];
	const char *name = NULL;
	int         r, given, k;
	enum ferr   e;

	r = http_query_get(rq->query, "period", period, sizeof(period));
	if ((e = date_range(rq, from, to, &given)) != FERR_OK)
		return e;
	if (r != 0 && given) {
		snprintf(rq->err_msg, sizeof(rq->err_msg), "Give either a period or from and to, not both.");
		return FERR_BAD_REQUEST;
	}
	if (r != 0) {
		if (r < 0 || (k = one_of(period, calendar_periods, COUNT(calendar_periods))) < 0) {
			snprintf(rq->err_msg, sizeof(rq->err_msg),
			    "period must be day, week, month, all, today, this_week, this_month or this_year.");
			return FERR_BAD_REQUEST;
		}
		name = calendar_periods[k];
	}
	snprintf(max_days, sizeof(max_days), "%d", FOCUS_MAX_RANGE_DAYS);
	{
		const char *params[] = { rq->token_hash, name, given ? from : NULL, given ? to : NULL, max_days };
		e = api_reply_rendered(rq, STMT_STATS_LOCAL, params, render_stats, name);
	}
	if (e == FERR_BAD_REQUEST)
		snprintf(rq->err_msg, sizeof(rq->err_msg),
		    "from must not be after to, and the range spans at most %d days.", FOCUS_MAX_RANGE_DAYS);
	return e;
}

#define SERIES(name) stmt_col(STMT_SERIES, name)

/* {time_zone, group, from, to, buckets: [{start, ...}]}: one row per
 * bucket, oldest first */
static int
render_series(struct jsonw *w, const PGresult *res, const struct stmt_shape *shape, const void *arg)
{
	static const char *const counts[] = {
		"completed_focus", "focus_seconds", "completed_sessions", "abandoned_sessions", "xp_earned",
	};
	const char *group = arg;
	int         row, first = SERIES("completed_focus");
	size_t      i;
	int64_t     v;

	(void)shape;
	jw_obj(w, NULL);
	if (put_text(w, "time_zone", res, 0, SERIES("time_zone"), FOCUS_MAX_TIME_ZONE) != 0)
		return -1;
	jw_str(w, "group", group);
	if (put_text(w, "from", res, 0, SERIES("first_day"), LOCALDATE_LEN) != 0 ||
	    put_text(w, "to", res, 0, SERIES("last_day"), LOCALDATE_LEN) != 0)
		return -1;
	jw_arr(w, "buckets");
	for (row = 0; row < PQntuples(res); row++) {
		jw_obj(w, NULL);
		if (put_text(w, "start", res, row, SERIES("start"), LOCALDATE_LEN) != 0)
			return -1;
		for (i = 0; i < COUNT(counts); i++) {
			if (pgbin_int8(res, row, first + (int)i, &v) != PGBIN_OK)
				return -1;
			jw_int(w, counts[i], v);
		}
		jw_end(w);
	}
	jw_end(w);
	jw_end(w);
	return 0;
}

enum ferr
localtime_series(struct req *rq)
{
	char      group[8], from[LOCALDATE_LEN + 1], to[LOCALDATE_LEN + 1], max_buckets[12];
	int       r, given, k = 0;
	enum ferr e;

	if ((e = date_range(rq, from, to, &given)) != FERR_OK)
		return e;
	if (!given) {
		snprintf(rq->err_msg, sizeof(rq->err_msg), "from and to are required (YYYY-MM-DD, inclusive).");
		return FERR_BAD_REQUEST;
	}
	r = http_query_get(rq->query, "group", group, sizeof(group));
	if (r < 0 || (r > 0 && (k = one_of(group, series_groups, COUNT(series_groups))) < 0)) {
		snprintf(rq->err_msg, sizeof(rq->err_msg), "group must be day, week or month.");
		return FERR_BAD_REQUEST;
	}
	snprintf(max_buckets, sizeof(max_buckets), "%d", FOCUS_MAX_SERIES_BUCKETS);
	{
		const char *params[] = { rq->token_hash, from, to, series_groups[k], max_buckets };
		e = api_reply_rendered(rq, STMT_SERIES, params, render_series, series_groups[k]);
	}
	if (e == FERR_BAD_REQUEST)
		snprintf(rq->err_msg, sizeof(rq->err_msg),
		    "from must not be after to, and the range holds at most %d buckets.", FOCUS_MAX_SERIES_BUCKETS);
	return e;
}

#define PROGRESS(name) stmt_col(STMT_PROGRESS, name)

/* {level, xp, xp_into_level, xp_for_next_level, coins,
 *  streak: {current, longest}, today: {completed_focus, focus_seconds, goal}} */
static int
render_progress(struct jsonw *w, const PGresult *res, const struct stmt_shape *shape, const void *arg)
{
	static const char *const top[] = { "xp", "xp_into_level", "xp_for_next_level", "coins" };
	int32_t level, goal;
	int64_t v, cur, longest, done, secs;
	size_t  i;

	(void)shape;
	(void)arg;
	if (pgbin_int4(res, 0, PROGRESS("level"), &level) != PGBIN_OK ||
	    pgbin_int8(res, 0, PROGRESS("streak_current"), &cur) != PGBIN_OK ||
	    pgbin_int8(res, 0, PROGRESS("streak_longest"), &longest) != PGBIN_OK ||
	    pgbin_int8(res, 0, PROGRESS("today_completed_focus"), &done) != PGBIN_OK ||
	    pgbin_int8(res, 0, PROGRESS("today_focus_seconds"), &secs) != PGBIN_OK ||
	    pgbin_int4(res, 0, PROGRESS("today_goal"), &goal) != PGBIN_OK)
		return -1;
	jw_obj(w, NULL);
	jw_int(w, "level", level);
	for (i = 0; i < COUNT(top); i++) {
		if (pgbin_int8(res, 0, PROGRESS(top[i]), &v) != PGBIN_OK)
			return -1;
		jw_int(w, top[i], v);
	}
	jw_obj(w, "streak");
	jw_int(w, "current", cur);
	jw_int(w, "longest", longest);
	jw_end(w);
	jw_obj(w, "today");
	jw_int(w, "completed_focus", done);
	jw_int(w, "focus_seconds", secs);
	jw_int(w, "goal", goal);
	jw_end(w);
	jw_end(w);
	return 0;
}

enum ferr
localtime_progress(struct req *rq)
{
	const char *params[] = { rq->token_hash };
	return api_reply_rendered(rq, STMT_PROGRESS, params, render_progress, NULL);
}
