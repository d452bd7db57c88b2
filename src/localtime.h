/*
 * localtime.h: the person's own time (API.md "Stats, series and progress
 * in the person's own time"): stats over calendar periods and local date
 * ranges, GET /api/focus/series and GET /api/focus/progress. The worker
 * only checks the query's form (localdate.h); the dates, weeks, months and
 * zones are worked out by PostgreSQL (sql/011_localtime.sql), one round
 * trip per route.
 */
#ifndef FOCUS_LOCALTIME_H
#define FOCUS_LOCALTIME_H

#include "ferr.h"
#include "http.h"

/* Does this stats query ask for the person's own time (a calendar period
 * or from/to) rather than a rolling period (sessions.c)? */
int localtime_stats_wanted(const char *query);

/* GET /api/focus/stats with period=today|this_week|this_month|this_year
 * or from=YYYY-MM-DD&to=YYYY-MM-DD. */
enum ferr localtime_stats(struct req *rq) FOCUS_MUSTCHECK;
/* GET /api/focus/series?from&to&group=day|week|month */
enum ferr localtime_series(struct req *rq) FOCUS_MUSTCHECK;
/* GET /api/focus/progress */
enum ferr localtime_progress(struct req *rq) FOCUS_MUSTCHECK;

/* A local date query parameter (localdate.h) into out: FERR_OK with
 * *present 0 or 1, or FERR_BAD_REQUEST with rq->err_msg (shared with
 * export.c). */
enum ferr localtime_query_date(struct req *rq, const char *key, char out[11], int *present) FOCUS_MUSTCHECK;

#endif
