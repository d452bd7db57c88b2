/* check_render.c: src/render.c and src/pgbin.c: API.md's objects from
 * binary result columns. Results are built in memory with libpq's own
 * PQmakeEmptyPGresult/PQsetResultAttrs/PQsetvalue, in the wire format
 * the server sends (big-endian integers, microseconds since 2000). */
#include <check.h>

#include "unit.h"
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "pgbin.h"
#include "pgfake.h"
#include "render.h"
#include "sessions.h"

/* 2026-01-17T10:00:00.123456Z in microseconds since 1970 */
#define T0 INT64_C(1768644000123456)
#define SEC INT64_C(1000000)

static const char *
ts_text(int64_t us)
{
	static char  out[64];
	struct jsonw w;

	jw_init(&w);
	jw_ts(&w, NULL, us);
	ck_assert_ptr_nonnull(jw_text(&w, NULL));
	snprintf(out, sizeof(out), "%s", jw_text(&w, NULL));
	jw_free(&w);
	return out;
}

static const struct {
	const char *sentence;
	int64_t     us;
	const char *want;
} ts_rows[] = {
	{ "the Unix epoch", 0, "\"1970-01-01T00:00:00.000Z\"" },
	{ "API.md's example, microseconds truncated", T0, "\"2026-01-17T10:00:00.123Z\"" },
	{ "one microsecond before the epoch", -1, "\"1969-12-31T23:59:59.999Z\"" },
	{ "PostgreSQL's epoch", INT64_C(946684800000000), "\"2000-01-01T00:00:00.000Z\"" },
	{ "a leap day", INT64_C(1709164800000000) + 999999, "\"2024-02-29T00:00:00.999Z\"" },
	{ "the day after a century's non-leap February", INT64_C(4107542400000000), "\"2100-03-01T00:00:00.000Z\"" },
	{ "the last millisecond of year 9999", INT64_C(253402300799999000), "\"9999-12-31T23:59:59.999Z\"" },
};

START_TEST(test_ts_vectors)
{
	ck_assert_msg(strcmp(ts_text(ts_rows[_i].us), ts_rows[_i].want) == 0, "%s: got %s",
	    ts_rows[_i].sentence, ts_text(ts_rows[_i].us));
}
END_TEST

/* every day from 1900 to 2200, at a varying time: the same as gmtime_r */
START_TEST(test_ts_agrees_with_gmtime)
{
	int64_t day;
	char    want[64];

	for (day = -25567; day < 84006; day++) {
		int64_t   us = day * 86400 * SEC + (day * 7919 % 86400) * SEC + (day * 31 % 1000) * 1000;
		time_t    t = (time_t)(us >= 0 ? us / SEC : (us - SEC + 1) / SEC);
		struct tm tm;
		int64_t   ms = ((us % SEC) + SEC) % SEC / 1000;

		gmtime_r(&t, &tm);
		snprintf(want, sizeof(want), "\"%04d-%02d-%02dT%02d:%02d:%02d.%03dZ\"",
		    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int)ms);
		ck_assert_msg(strcmp(ts_text(us), want) == 0, "day %lld: %s, want %s",
		    (long long)day, ts_text(us), want);
	}
}
END_TEST

START_TEST(test_ts_out_of_range_is_refused)
{
	struct jsonw w;

	jw_init(&w);
	jw_ts(&w, NULL, INT64_C(253402300800000000));   /* year 10000 */
	ck_assert_int_eq(jw_error(&w), JW_EVALUE);
	jw_free(&w);
	jw_ts(&w, NULL, INT64_C(-62167219200000001));   /* before year 0 */
	ck_assert_int_eq(jw_error(&w), JW_EVALUE);
	jw_free(&w);
}
END_TEST

/* ---- building results as the server sends them ---------------------- */

static const Oid session_types[SC__MAX] = {
	[SC_ID] = PGBIN_UUIDOID, [SC_MODE] = PGBIN_TEXTOID, [SC_DURATION] = PGBIN_INT4OID,
	[SC_STARTED_AT] = PGBIN_TIMESTAMPTZOID, [SC_EXPIRES_AT] = PGBIN_TIMESTAMPTZOID,
	[SC_PAUSED_AT] = PGBIN_TIMESTAMPTZOID, [SC_COMPLETED_AT] = PGBIN_TIMESTAMPTZOID,
	[SC_ABANDONED_AT] = PGBIN_TIMESTAMPTZOID, [SC_STATUS] = PGBIN_TEXTOID,
	[SC_FOCUSED] = PGBIN_INT4OID, [SC_XP] = PGBIN_INT4OID, [SC_COINS] = PGBIN_INT4OID,
	[SC_TASK_ID] = PGBIN_UUIDOID, [SC_TASK_TITLE] = PGBIN_TEXTOID, [SC_CYCLE_POS] = PGBIN_INT4OID, [SC_SOURCE] = PGBIN_TEXTOID,
	[SC_AT] = PGBIN_TIMESTAMPTZOID,
};

/* an empty result with n columns of these types */
static PGresult *
result_of(const Oid *types, int n, int format)
{
	return pgfake_result(PGRES_TUPLES_OK, types, n, format);
}

static PGresult *
session_result(const Oid *types, int format)
{
	return result_of(types, SC__MAX, format);
}

/* the row PQsetvalue fills: 0 unless a test builds several */
static int cur_row;

static void
set_raw(PGresult *r, int col, const void *v, int len)
{
	pgfake_set(r, cur_row, col, v, len);
}

static void
set_null(PGresult *r, int col)
{
	set_raw(r, col, NULL, -1);
}

static void
set_be(PGresult *r, int col, uint64_t v, int len)
{
	unsigned char b[8];
	int           i;

	for (i = len - 1; i >= 0; i--, v >>= 8)
		b[i] = (unsigned char)(v & 0xff);
	set_raw(r, col, b, len);
}

static void
set_ts(PGresult *r, int col, int64_t unix_us)
{
	set_be(r, col, (uint64_t)(unix_us - PGBIN_EPOCH_OFFSET_US), 8);
}

static void
set_text(PGresult *r, int col, const char *s)
{
	set_raw(r, col, s, (int)strlen(s));
}

static const unsigned char id_bytes[16] = {
	0x0f, 0x1e, 0x2d, 0x3c, 0x4b, 0x5a, 0x69, 0x78, 0x87, 0x96, 0xa5, 0xb4, 0xc3, 0xd2, 0xe1, 0xf0 };
#define ID_TEXT "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"

/* a 25-minute focus session started at T0, seen at `at`, stored as status */
static PGresult *
session(const char *status, int64_t at)
{
	PGresult *r = session_result(session_types, 1);

	set_raw(r, SC_ID, id_bytes, 16);
	set_text(r, SC_MODE, "focus");
	set_be(r, SC_DURATION, 1500, 4);
	set_ts(r, SC_STARTED_AT, T0);
	set_ts(r, SC_EXPIRES_AT, T0 + 1500 * SEC);
	set_null(r, SC_PAUSED_AT);
	set_null(r, SC_COMPLETED_AT);
	set_null(r, SC_ABANDONED_AT);
	set_text(r, SC_STATUS, status);
	set_null(r, SC_FOCUSED);
	set_be(r, SC_XP, 0, 4);
	set_be(r, SC_COINS, 0, 4);
	set_null(r, SC_TASK_ID);
	set_null(r, SC_TASK_TITLE);
	set_text(r, SC_SOURCE, "timer");
	set_ts(r, SC_AT, at);
	return r;
}

/* what w holds ("" when unfinished), in a static buffer; frees w and r */
static char *
taken(struct jsonw *w, PGresult *r)
{
	static char out[4096];
	const char *text = jw_text(w, NULL);

	snprintf(out, sizeof(out), "%s", text != NULL ? text : "");
	jw_free(w);
	PQclear(r);
	return out;
}

static char *
rendered(PGresult *r, enum render_what what, int *rc)
{
	struct jsonw w;

	jw_init(&w);
	*rc = render_session_at(&w, NULL, r, 0, 0, what);
	return taken(&w, r);
}

#define FIXED_HEAD "{\"id\":\"" ID_TEXT "\",\"mode\":\"focus\",\"duration_seconds\":1500," \
	"\"started_at\":\"2026-01-17T10:00:00.123Z\",\"expires_at\":\"2026-01-17T10:25:00.123Z\","

START_TEST(test_active_session)
{
	int   rc;
	/* 100.5 s in: 1399.5 s left, shown rounded up */
	char *out = rendered(session("active", T0 + 100 * SEC + SEC / 2), RENDER_SESSION, &rc);

	ck_assert_int_eq(rc, 0);
	ck_assert_str_eq(out, FIXED_HEAD
	    "\"paused_at\":null,\"completed_at\":null,\"abandoned_at\":null,\"status\":\"active\","
	    "\"time_remaining_seconds\":1400,\"focused_seconds\":null,\"xp_awarded\":0,"
	    "\"coins_awarded\":0,\"task_id\":null,\"task_title\":null,\"cycle_position\":null,\"source\":\"timer\"}");
}
END_TEST

START_TEST(test_timer_ran_out_shows_zero_left)
{
	int   rc;
	char *out = rendered(session("active", T0 + 2000 * SEC), RENDER_SESSION, &rc);

	ck_assert_int_eq(rc, 0);
	ck_assert_ptr_nonnull(strstr(out, "\"status\":\"active\",\"time_remaining_seconds\":0,"));
}
END_TEST

START_TEST(test_stored_status_is_the_status_read)
{
	int   rc;
	/* long past its timer: time's up (sql/009_cycle.sql) runs before
	 * every statement that returns sessions, so the worker renders what
	 * is stored and no longer applies the old vanish rule */
	char *out = rendered(session("active", T0 + 3000 * SEC + 1), RENDER_SESSION, &rc);

	ck_assert_int_eq(rc, 0);
	ck_assert_ptr_nonnull(strstr(out, "\"status\":\"active\",\"time_remaining_seconds\":0,"));
	out = rendered(session("active", T0 + 3000 * SEC + 1), RENDER_OPEN_SESSION, &rc);
	ck_assert_int_eq(rc, 0);
	ck_assert_ptr_nonnull(strstr(out, "\"status\":\"active\""));
	/* a session without a place in a cycle says null */
	ck_assert_ptr_nonnull(strstr(out, ",\"cycle_position\":null,\"source\":\"timer\"}"));
}
END_TEST

START_TEST(test_paused_session_and_pause_state)
{
	PGresult *r;
	int       rc;
	char     *out;

	/* paused 600.25 s in: 899.75 s left, frozen however late we look */
	r = session("paused", T0 + 5000 * SEC);
	set_ts(r, SC_PAUSED_AT, T0 + 600 * SEC + SEC / 4);
	out = rendered(r, RENDER_PAUSE, &rc);
	ck_assert_int_eq(rc, 0);
	ck_assert_str_eq(out, "{\"session_id\":\"" ID_TEXT "\",\"mode\":\"focus\","
	    "\"time_remaining_seconds\":900,\"paused_at\":\"2026-01-17T10:10:00.373Z\"}");
	r = session("paused", T0 + 5000 * SEC);
	set_ts(r, SC_PAUSED_AT, T0 + 600 * SEC + SEC / 4);
	out = rendered(r, RENDER_OPEN_SESSION, &rc);
	ck_assert_ptr_nonnull(strstr(out, "\"paused_at\":\"2026-01-17T10:10:00.373Z\""));
	ck_assert_ptr_nonnull(strstr(out, "\"status\":\"paused\",\"time_remaining_seconds\":900,"));
	/* an active session has no pause state */
	out = rendered(session("active", T0), RENDER_PAUSE, &rc);
	ck_assert_int_eq(rc, 0);
	ck_assert_str_eq(out, "null");
}
END_TEST

START_TEST(test_completed_session_with_task)
{
	PGresult *r = session("completed", T0 + 9000 * SEC);
	int       rc;
	char     *out;

	set_ts(r, SC_COMPLETED_AT, T0 + 1500 * SEC);
	set_be(r, SC_FOCUSED, 1500, 4);
	set_be(r, SC_XP, 25, 4);
	set_be(r, SC_COINS, 5, 4);
	set_raw(r, SC_TASK_ID, id_bytes, 16);
	set_text(r, SC_TASK_TITLE, "say \"hi\"\\\n\x01 é</script>");
	out = rendered(r, RENDER_SESSION, &rc);
	ck_assert_int_eq(rc, 0);
	ck_assert_str_eq(out, FIXED_HEAD
	    "\"paused_at\":null,\"completed_at\":\"2026-01-17T10:25:00.123Z\",\"abandoned_at\":null,"
	    "\"status\":\"completed\",\"focused_seconds\":1500,\"xp_awarded\":25,\"coins_awarded\":5,"
	    "\"task_id\":\"" ID_TEXT "\",\"task_title\":\"say \\\"hi\\\"\\\\\\n\\u0001 é</script>\",\"cycle_position\":null,\"source\":\"timer\"}");
	/* closed: not the open session, no pause state */
	r = session("completed", T0);
	set_ts(r, SC_COMPLETED_AT, T0);
	set_be(r, SC_FOCUSED, 0, 4);
	out = rendered(r, RENDER_OPEN_SESSION, &rc);
	ck_assert_str_eq(out, "null");
}
END_TEST

START_TEST(test_no_session_is_null)
{
	PGresult *r = session_result(session_types, 1);
	int       i, rc;

	for (i = 0; i < SC__MAX; i++)
		set_null(r, i);
	ck_assert_str_eq(rendered(r, RENDER_SESSION, &rc), "null");
	ck_assert_int_eq(rc, 0);
}
END_TEST

/* columns that are not what the reader expects are an error, never a misread */
START_TEST(test_wrong_columns_are_refused)
{
	PGresult *r;
	int       rc;

	r = session("active", T0);
	set_be(r, SC_DURATION, 1500, 8);      /* an int4 column, 8 bytes */
	rendered(r, RENDER_SESSION, &rc);
	ck_assert_int_eq(rc, -1);
	/* a status the schema does not allow */
	r = session("running", T0);
	rendered(r, RENDER_SESSION, &rc);
	ck_assert_int_eq(rc, -1);
	/* text format instead of binary */
	r = session_result(session_types, 0);
	set_text(r, SC_ID, ID_TEXT);
	rendered(r, RENDER_SESSION, &rc);
	ck_assert_int_eq(rc, -1);
}
END_TEST

START_TEST(test_pgbin_readers)
{
	PGresult    *r = PQmakeEmptyPGresult(NULL, PGRES_TUPLES_OK);
	PGresAttDesc att[2];
	int64_t      v;
	int32_t      i4;
	char         id[37];

	memset(att, 0, sizeof(att));
	att[0].name = (char *)"n";
	att[0].format = 1;
	att[0].typid = PGBIN_INT8OID;
	att[1].name = (char *)"u";
	att[1].format = 1;
	att[1].typid = PGBIN_UUIDOID;
	ck_assert_int_eq(PQsetResultAttrs(r, 2, att), 1);
	set_be(r, 0, (uint64_t)-42, 8);
	set_raw(r, 1, id_bytes, 16);
	ck_assert_int_eq(pgbin_int8(r, 0, 0, &v), PGBIN_OK);
	ck_assert(v == -42);
	ck_assert_int_eq(pgbin_uuid(r, 0, 1, id), PGBIN_OK);
	ck_assert_str_eq(id, ID_TEXT);
	/* the wrong reader, a missing row, a missing column */
	ck_assert_int_eq(pgbin_int4(r, 0, 0, &i4), PGBIN_BAD);
	ck_assert_int_eq(pgbin_int8(r, 1, 0, &v), PGBIN_BAD);
	ck_assert_int_eq(pgbin_int8(r, 0, 2, &v), PGBIN_BAD);
	PQclear(r);
}
END_TEST


/* ---- libraries, tracks, listings ------------------------------------- */

static const Oid library_types[LC__MAX] = {
	[LC_ID] = PGBIN_UUIDOID, [LC_NAME] = PGBIN_TEXTOID, [LC_DESCRIPTION] = PGBIN_TEXTOID,
	[LC_TYPE] = PGBIN_TEXTOID, [LC_TRACKS] = PGBIN_INT8OID, [LC_FAVORITE] = PGBIN_BOOLOID,
	[LC_CREATED_AT] = PGBIN_TIMESTAMPTZOID, [LC_UPDATED_AT] = PGBIN_TIMESTAMPTZOID,
};

/* a library's columns from col0: name (client text), no description,
 * type as given, three tracks */
static void
set_library(PGresult *r, int col0, const char *name, const char *type, int favorite)
{
	unsigned char b = (unsigned char)favorite;

	set_raw(r, col0 + LC_ID, id_bytes, 16);
	set_text(r, col0 + LC_NAME, name);
	set_null(r, col0 + LC_DESCRIPTION);
	set_text(r, col0 + LC_TYPE, type);
	set_be(r, col0 + LC_TRACKS, 3, 8);
	set_raw(r, col0 + LC_FAVORITE, &b, 1);
	set_ts(r, col0 + LC_CREATED_AT, T0);
	set_ts(r, col0 + LC_UPDATED_AT, T0 + SEC);
}

static char *
library_text(PGresult *r, int *rc)
{
	struct jsonw w;

	jw_init(&w);
	*rc = render_library_at(&w, r, 0, 0);
	return taken(&w, r);
}

START_TEST(test_library_object)
{
	PGresult *r = result_of(library_types, LC__MAX, 1);
	int       rc;

	set_library(r, 0, "Rain \"at\" night \\ \x01", "nature", 1);
	ck_assert_str_eq(library_text(r, &rc),
	    "{\"id\":\"" ID_TEXT "\",\"name\":\"Rain \\\"at\\\" night \\\\ \\u0001\",\"description\":null,"
	    "\"library_type\":\"nature\",\"tracks_count\":3,\"is_favorite\":true,"
	    "\"created_at\":\"2026-01-17T10:00:00.123Z\",\"updated_at\":\"2026-01-17T10:00:01.123Z\"}");
	ck_assert_int_eq(rc, 0);
	/* no library: null; a type the schema does not allow: an error */
	r = result_of(library_types, LC__MAX, 1);
	set_null(r, LC_ID);
	ck_assert_str_eq(library_text(r, &rc), "null");
	ck_assert_int_eq(rc, 0);
	r = result_of(library_types, LC__MAX, 1);
	set_library(r, 0, "x", "polka", 0);
	library_text(r, &rc);
	ck_assert_int_eq(rc, -1);
}
END_TEST

static const Oid track_types[TC__MAX] = {
	[TC_ID] = PGBIN_UUIDOID, [TC_LIBRARY_ID] = PGBIN_UUIDOID, [TC_TITLE] = PGBIN_TEXTOID,
	[TC_URL] = PGBIN_TEXTOID, [TC_MIME] = PGBIN_TEXTOID, [TC_SIZE] = PGBIN_INT8OID,
	[TC_DURATION] = PGBIN_INT4OID, [TC_STORAGE_KEY] = PGBIN_TEXTOID, [TC_ADDED_AT] = PGBIN_TIMESTAMPTZOID,
};

START_TEST(test_track_object)
{
	PGresult        *r = result_of(track_types, TC__MAX, 1);
	struct track_row t;
	struct jsonw     w;

	set_raw(r, TC_ID, id_bytes, 16);
	set_raw(r, TC_LIBRARY_ID, id_bytes, 16);
	set_text(r, TC_TITLE, "Waves \"1\"");
	set_null(r, TC_URL);
	set_text(r, TC_MIME, "audio/ogg");
	set_be(r, TC_SIZE, 52428800, 8);
	set_null(r, TC_DURATION);
	set_text(r, TC_STORAGE_KEY, "u/audio/k.ogg");
	set_ts(r, TC_ADDED_AT, T0);
	ck_assert_int_eq(render_track_decode(r, 0, 0, &t), 1);
	ck_assert_ptr_null(t.url);
	ck_assert_str_eq(t.storage_key, "u/audio/k.ogg");
	jw_init(&w);
	render_track(&w, &t, "https://x/y?a=1&b=2");
	ck_assert_ptr_nonnull(jw_text(&w, NULL));
	ck_assert_str_eq(jw_text(&w, NULL),
	    "{\"id\":\"" ID_TEXT "\",\"library_id\":\"" ID_TEXT "\",\"track_title\":\"Waves \\\"1\\\"\","
	    "\"track_url\":null,\"mime_type\":\"audio/ogg\",\"size_bytes\":52428800,\"duration_seconds\":null,"
	    "\"storage_key\":\"u/audio/k.ogg\",\"download_url\":\"https://x/y?a=1&b=2\","
	    "\"added_at\":\"2026-01-17T10:00:00.123Z\"}");
	/* a size that is not an int8 is an error */
	set_be(r, TC_SIZE, 5, 4);
	ck_assert_int_eq(render_track_decode(r, 0, 0, &t), -1);
	jw_free(&w);
	PQclear(r);
}
END_TEST

static int
library_item(struct jsonw *w, const PGresult *r, int row, int col0)
{
	return render_library_at(w, r, row, col0);
}

/* a listing's rows: the total in column 0, a library from column 1 */
START_TEST(test_page)
{
	Oid              types[1 + LC__MAX];
	PGresult        *r;
	struct jsonw     w;
	const char      *text;
	int              i;

	types[0] = PGBIN_INT8OID;
	memcpy(types + 1, library_types, sizeof(library_types));
	/* the empty page: one row of NULL library columns */
	r = result_of(types, 1 + LC__MAX, 1);
	set_be(r, 0, 7, 8);
	for (i = 1; i <= LC__MAX; i++)
		set_null(r, i);
	jw_init(&w);
	ck_assert_int_eq(render_page(&w, r, "libraries", 0, 1, library_item, 9, 20), 0);
	ck_assert_str_eq(jw_text(&w, NULL), "{\"libraries\":[],\"total\":7,\"page\":9,\"page_size\":20}");
	PQclear(r);
	/* two rows: two objects, in row order, comma-separated */
	jw_free(&w);
	r = result_of(types, 1 + LC__MAX, 1);
	for (cur_row = 0; cur_row < 2; cur_row++) {
		set_be(r, 0, 2, 8);
		set_library(r, 1, cur_row == 0 ? "a" : "b", "lofi", 0);
	}
	cur_row = 0;
	ck_assert_int_eq(render_page(&w, r, "libraries", 0, 1, library_item, 1, 2), 0);
	ck_assert_ptr_nonnull(text = jw_text(&w, NULL));
	ck_assert_ptr_nonnull(strstr(text, "\"name\":\"a\""));
	ck_assert(strstr(text, "\"name\":\"a\"") < strstr(text, "},{\"id\""));
	ck_assert(strstr(text, "},{\"id\"") < strstr(text, "\"name\":\"b\""));
	ck_assert_ptr_nonnull(strstr(text, "],\"total\":2,\"page\":1,\"page_size\":2}"));
	PQclear(r);
	jw_free(&w);
}
END_TEST

START_TEST(test_deleted)
{
	Oid              types[3] = { PGBIN_TEXTOID, PGBIN_UUIDOID, PGBIN_UUIDOID };
	/* the deleted row's columns from column 2 */
	const struct stmt_shape shape = { NULL, 0, -1, 2 };
	PGresult        *r = result_of(types, 3, 1);
	struct jsonw     w;

	set_text(r, 0, "ok");
	set_raw(r, 1, id_bytes, 16);
	set_raw(r, 2, id_bytes, 16);
	jw_init(&w);
	ck_assert_int_eq(render_deleted(&w, r, &shape, NULL), 0);
	ck_assert_str_eq(jw_text(&w, NULL), "{\"id\":\"" ID_TEXT "\",\"deleted\":true}");
	jw_free(&w);
	PQclear(r);
}
END_TEST

/* ---- the /active object (sessions.c) ---------------------------------- */

/* a row of session_active / state_of (stmt.c ACTIVE_SHAPE): outcome,
 * user_id, no open session, the next phase and the state's version */
static PGresult *
active_row(int64_t version)
{
	Oid       types[2 + SC__MAX + 5];
	int       obj = stmt_table[STMT_SESSION_ACTIVE].shape.object, i;
	PGresult *r;

	ck_assert_int_eq(stmt_table[STMT_SESSION_ACTIVE].shape.ncols, (int)(sizeof(types) / sizeof(types[0])));
	types[0] = PGBIN_TEXTOID;
	types[1] = PGBIN_UUIDOID;
	for (i = 0; i < SC__MAX; i++)
		types[obj + i] = session_types[i];
	types[stmt_col(STMT_SESSION_ACTIVE, "next_mode")] = PGBIN_TEXTOID;
	types[stmt_col(STMT_SESSION_ACTIVE, "next_duration_seconds")] = PGBIN_INT4OID;
	types[stmt_col(STMT_SESSION_ACTIVE, "next_cycle_position")] = PGBIN_INT4OID;
	types[stmt_col(STMT_SESSION_ACTIVE, "next_auto_start")] = PGBIN_BOOLOID;
	types[stmt_col(STMT_SESSION_ACTIVE, "version")] = PGBIN_INT8OID;
	r = result_of(types, (int)(sizeof(types) / sizeof(types[0])), 1);
	set_text(r, 0, "ok");
	set_raw(r, 1, id_bytes, 16);
	for (i = 0; i < SC__MAX; i++)
		set_null(r, obj + i);
	set_ts(r, obj + SC_AT, T0);
	set_text(r, stmt_col(STMT_SESSION_ACTIVE, "next_mode"), "focus");
	set_be(r, stmt_col(STMT_SESSION_ACTIVE, "next_duration_seconds"), 1500, 4);
	set_be(r, stmt_col(STMT_SESSION_ACTIVE, "next_cycle_position"), 1, 4);
	set_be(r, stmt_col(STMT_SESSION_ACTIVE, "next_auto_start"), 0, 1);
	set_be(r, stmt_col(STMT_SESSION_ACTIVE, "version"), (uint64_t)version, 8);
	return r;
}

/* the body's version and the ETag come from the same row: the tag is the
 * version quoted (API.md "Live state"), so a client makes it from an event */
START_TEST(test_active_object_carries_the_etag_version)
{
	PGresult    *r = active_row(INT64_C(9223372036854775807));
	struct jsonw w;
	char         etag[FOCUS_MAX_ETAG_LEN];

	jw_init(&w);
	ck_assert_int_eq(sessions_render_active(&w, r, 0), 0);
	ck_assert_int_eq(sessions_etag(r, 0, etag, sizeof(etag)), 0);
	ck_assert_str_eq(etag, "W/\"" ID_TEXT "-9223372036854775807\"");
	ck_assert_str_eq(taken(&w, r),
	    "{\"session\":null,\"pause_state\":null,"
	    "\"next\":{\"mode\":\"focus\",\"duration_seconds\":1500,\"cycle_position\":1,\"auto_start\":false},"
	    "\"server_time\":\"2026-01-17T10:00:00.123Z\",\"version\":\"" ID_TEXT "-9223372036854775807\"}");
	/* the longest version fits its limit; a tag that would not is refused */
	r = active_row(INT64_C(-9223372036854775807) - 1);
	ck_assert_int_eq(sessions_version(r, 0, etag, FOCUS_MAX_VERSION_LEN + 1), 0);
	ck_assert_str_eq(etag, ID_TEXT "--9223372036854775808");
	ck_assert_int_eq(sessions_version(r, 0, etag, 37), -1);
	ck_assert_int_eq(sessions_etag(r, 0, etag, 20), -1);
	PQclear(r);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("render");
	TCase *tc = tcase_create("objects");

	tcase_add_loop_test(tc, test_ts_vectors, 0, sizeof(ts_rows) / sizeof(ts_rows[0]));
	tcase_add_test(tc, test_ts_agrees_with_gmtime);
	tcase_add_test(tc, test_ts_out_of_range_is_refused);
	tcase_add_test(tc, test_active_session);
	tcase_add_test(tc, test_timer_ran_out_shows_zero_left);
	tcase_add_test(tc, test_stored_status_is_the_status_read);
	tcase_add_test(tc, test_paused_session_and_pause_state);
	tcase_add_test(tc, test_completed_session_with_task);
	tcase_add_test(tc, test_no_session_is_null);
	tcase_add_test(tc, test_wrong_columns_are_refused);
	tcase_add_test(tc, test_pgbin_readers);
	tcase_add_test(tc, test_library_object);
	tcase_add_test(tc, test_track_object);
	tcase_add_test(tc, test_page);
	tcase_add_test(tc, test_deleted);
	tcase_add_test(tc, test_active_object_carries_the_etag_version);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
