/*
 * render.c: API.md's objects as JSON text (see render.h). A row is first
 * decoded, every column checked, then written. Client text (a task title,
 * a library's name and description, a track's title, link and type, a
 * storage key) is escaped by json-c. The rest are numbers, UUIDs,
 * timestamps, booleans and CHECKed words (mode, status, library type),
 * which need no escaping (and are checked to be those words anyway).
 */
#include <string.h>

#include <json-c/json.h>

#include "pgbin.h"
#include "render.h"

static int
put(struct printbuf *pb, const char *s, size_t n)
{
	return n > INT32_MAX || printbuf_memappend(pb, s, (int)n) < 0 ? -1 : 0;
}

static int
puts_(struct printbuf *pb, const char *s)
{
	return put(pb, s, strlen(s));
}

/* Decimal digits of v, written backwards from end; returns the start.
 * snprintf costs more than the rest of a session object together (perf),
 * and a page holds up to 100 objects. */
static char *
digits(char *end, uint64_t v)
{
	do {
		*--end = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	return end;
}

/* v as exactly `width` digits (zero-padded; v < 10^width) */
static void
fixed(char *out, unsigned v, int width)
{
	while (width-- > 0) {
		out[width] = (char)('0' + v % 10);
		v /= 10;
	}
}

static int
put_i64(struct printbuf *pb, int64_t v)
{
	char     num[24], *end = num + sizeof(num), *p;
	uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

	p = digits(end, mag);
	if (v < 0)
		*--p = '-';
	return put(pb, p, (size_t)(end - p));
}

/* The civil date of a day count since 1970-01-01 (proleptic Gregorian;
 * Howard Hinnant's days_from_civil inverse, exact for every int32 day). */
static void
civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t  era;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

int
render_ts(struct printbuf *pb, int64_t unix_us)
{
	/* floor division: a time before 1970 still has its fields in range */
	int64_t  days = unix_us / 86400000000, us, y;
	unsigned m, d, secs;
	/* "YYYY-MM-DDTHH:MM:SS.mmmZ" in quotes */
	char     out[26] = "\"0000-00-00T00:00:00.000Z\"";

	us = unix_us % 86400000000;
	if (us < 0) {
		days -= 1;
		us += 86400000000;
	}
	civil_from_days(days, &y, &m, &d);
	if (y < 0 || y > 9999)
		return -1;
	secs = (unsigned)(us / 1000000);
	fixed(out + 1, (unsigned)y, 4);
	fixed(out + 6, m, 2);
	fixed(out + 9, d, 2);
	fixed(out + 12, secs / 3600, 2);
	fixed(out + 15, secs / 60 % 60, 2);
	fixed(out + 18, secs % 60, 2);
	fixed(out + 21, (unsigned)(us / 1000 % 1000), 3);
	return put(pb, out, sizeof(out));
}

static int
put_ts_or_null(struct printbuf *pb, int has, int64_t us)
{
	return has ? render_ts(pb, us) : puts_(pb, "null");
}

static int
put_quoted(struct printbuf *pb, const char *s)
{
	return puts_(pb, "\"") | puts_(pb, s) | puts_(pb, "\"");
}

/* client text as a JSON string, escaped by json-c */
static int
put_json_string(struct printbuf *pb, const char *s, size_t n)
{
	json_object *str;
	const char  *json;
	size_t       jn;
	int          rc;

	if (n > INT32_MAX || (str = json_object_new_string_len(s, (int)n)) == NULL)
		return -1;
	json = json_object_to_json_string_length(str,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &jn);
	rc = json != NULL ? put(pb, json, jn) : -1;
	json_object_put(str);
	return rc;
}

static const char *const modes[] = { "focus", "break", "long_break", NULL };
static const char *const statuses[] = { "active", "paused", "completed", "abandoned", "expired", NULL };

/* the entry of words[] the text column holds, or NULL */
static const char *
word(const PGresult *r, int row, int col, const char *const *words)
{
	const char *s;
	size_t      n, i;

	if (pgbin_text(r, row, col, &s, &n) != PGBIN_OK)
		return NULL;
	for (i = 0; words[i] != NULL; i++)
		if (strlen(words[i]) == n && memcmp(words[i], s, n) == 0)
			return words[i];
	return NULL;
}

/* an optional column: has = 1 with a value, 0 for NULL; -1 when bad */
static int
opt(enum pgbin e, int *has)
{
	*has = e == PGBIN_OK;
	return e == PGBIN_BAD ? -1 : 0;
}

/* an optional text column: *s NULL for SQL NULL; -1 when bad */
static int
opt_text(const PGresult *r, int row, int col, const char **s, size_t *n)
{
	enum pgbin e = pgbin_text(r, row, col, s, n);

	if (e == PGBIN_NULL) {
		*s = NULL;
		*n = 0;
	}
	return e == PGBIN_BAD ? -1 : 0;
}

/* an object's id column, where SQL NULL means there is no object (an
 * empty page, no open session): 1 with the id, 0 for none, -1 when bad */
static int
object_id(const PGresult *r, int row, int col, char id[37])
{
	switch (pgbin_uuid(r, row, col, id)) {
	case PGBIN_OK:   return 1;
	case PGBIN_NULL: return 0;
	default:         return -1;
	}
}

/* client text as a JSON string, or null for none */
static int
put_opt_string(struct printbuf *pb, const char *s, size_t n)
{
	return s != NULL ? put_json_string(pb, s, n) : puts_(pb, "null");
}

int
render_decode(const PGresult *r, int row, int col0, struct session_row *s)
{
	int rc = 0, got;

	memset(s, 0, sizeof(*s));
	if ((got = object_id(r, row, col0 + SC_ID, s->id)) <= 0)
		return got;
	if ((s->mode = word(r, row, col0 + SC_MODE, modes)) == NULL ||
	    (s->stored_status = word(r, row, col0 + SC_STATUS, statuses)) == NULL ||
	    pgbin_int4(r, row, col0 + SC_DURATION, &s->duration_s) != PGBIN_OK ||
	    pgbin_ts(r, row, col0 + SC_STARTED_AT, &s->started_at) != PGBIN_OK ||
	    pgbin_ts(r, row, col0 + SC_EXPIRES_AT, &s->expires_at) != PGBIN_OK ||
	    pgbin_int4(r, row, col0 + SC_XP, &s->xp) != PGBIN_OK ||
	    pgbin_int4(r, row, col0 + SC_COINS, &s->coins) != PGBIN_OK ||
	    pgbin_ts(r, row, col0 + SC_AT, &s->at) != PGBIN_OK)
		return -1;
	rc |= opt(pgbin_ts(r, row, col0 + SC_PAUSED_AT, &s->paused_at), &s->has_paused_at);
	rc |= opt(pgbin_ts(r, row, col0 + SC_COMPLETED_AT, &s->completed_at), &s->has_completed_at);
	rc |= opt(pgbin_ts(r, row, col0 + SC_ABANDONED_AT, &s->abandoned_at), &s->has_abandoned_at);
	rc |= opt(pgbin_int4(r, row, col0 + SC_FOCUSED, &s->focused_s), &s->has_focused);
	rc |= opt(pgbin_uuid(r, row, col0 + SC_TASK_ID, s->task_id), &s->has_task_id);
	rc |= opt_text(r, row, col0 + SC_TASK_TITLE, &s->task_title, &s->task_title_len);
	rc |= opt(pgbin_int4(r, row, col0 + SC_CYCLE_POS, &s->cycle_position), &s->has_cycle_position);
	return rc < 0 ? -1 : 1;
}

const char *
render_status(const struct session_row *s)
{
	return s->stored_status;
}

int
render_is_open(const struct session_row *s)
{
	const char *st = render_status(s);

	return strcmp(st, "active") == 0 || strcmp(st, "paused") == 0;
}

int64_t
render_remaining_s(const struct session_row *s)
{
	/* focus_remaining_s(): whole seconds, rounded up, frozen at paused_at */
	int64_t left = s->expires_at - (s->has_paused_at ? s->paused_at : s->at);

	return left <= 0 ? 0 : (left + 999999) / 1000000;
}

int
render_session(struct printbuf *pb, const struct session_row *s)
{
	int rc;

	if (s == NULL)
		return puts_(pb, "null");
	rc = puts_(pb, "{\"id\":") | put_quoted(pb, s->id);
	rc |= puts_(pb, ",\"mode\":") | put_quoted(pb, s->mode);
	rc |= puts_(pb, ",\"duration_seconds\":") | put_i64(pb, s->duration_s);
	rc |= puts_(pb, ",\"started_at\":") | render_ts(pb, s->started_at);
	rc |= puts_(pb, ",\"expires_at\":") | render_ts(pb, s->expires_at);
	rc |= puts_(pb, ",\"paused_at\":") | put_ts_or_null(pb, s->has_paused_at, s->paused_at);
	rc |= puts_(pb, ",\"completed_at\":") | put_ts_or_null(pb, s->has_completed_at, s->completed_at);
	rc |= puts_(pb, ",\"abandoned_at\":") | put_ts_or_null(pb, s->has_abandoned_at, s->abandoned_at);
	rc |= puts_(pb, ",\"status\":") | put_quoted(pb, render_status(s));
	/* API.md: only while active or paused */
	if (render_is_open(s))
		rc |= puts_(pb, ",\"time_remaining_seconds\":") | put_i64(pb, render_remaining_s(s));
	rc |= puts_(pb, ",\"focused_seconds\":");
	rc |= s->has_focused ? put_i64(pb, s->focused_s) : puts_(pb, "null");
	rc |= puts_(pb, ",\"xp_awarded\":") | put_i64(pb, s->xp);
	rc |= puts_(pb, ",\"coins_awarded\":") | put_i64(pb, s->coins);
	rc |= puts_(pb, ",\"task_id\":");
	rc |= s->has_task_id ? put_quoted(pb, s->task_id) : puts_(pb, "null");
	rc |= puts_(pb, ",\"task_title\":");
	rc |= put_opt_string(pb, s->task_title, s->task_title_len);
	rc |= puts_(pb, ",\"cycle_position\":");
	rc |= s->has_cycle_position ? put_i64(pb, s->cycle_position) : puts_(pb, "null");
	rc |= puts_(pb, "}");
	return rc ? -1 : 0;
}

int
render_open_session(struct printbuf *pb, const struct session_row *s)
{
	return render_session(pb, s != NULL && render_is_open(s) ? s : NULL);
}

int
render_pause(struct printbuf *pb, const struct session_row *s)
{
	int rc;

	if (s == NULL || strcmp(s->stored_status, "paused") != 0 || !s->has_paused_at)
		return puts_(pb, "null");
	rc = puts_(pb, "{\"session_id\":") | put_quoted(pb, s->id);
	rc |= puts_(pb, ",\"mode\":") | put_quoted(pb, s->mode);
	rc |= puts_(pb, ",\"time_remaining_seconds\":") | put_i64(pb, render_remaining_s(s));
	rc |= puts_(pb, ",\"paused_at\":") | render_ts(pb, s->paused_at);
	rc |= puts_(pb, "}");
	return rc ? -1 : 0;
}

int
render_session_at(struct printbuf *pb, const PGresult *r, int row, int col0, enum render_what what)
{
	struct session_row s;
	int                got = render_decode(r, row, col0, &s);

	if (got < 0)
		return -1;
	switch (what) {
	case RENDER_SESSION:      return render_session(pb, got ? &s : NULL);
	case RENDER_OPEN_SESSION: return render_open_session(pb, got ? &s : NULL);
	case RENDER_PAUSE:        return render_pause(pb, got ? &s : NULL);
	}
	return -1;
}

int
render_page(struct printbuf *pb, const PGresult *r, const char *key, int total_col,
    int col0, render_item_fn item, const char *page, const char *page_size)
{
	int64_t total;
	int     row, n = 0, rc;

	/* a missing item column would read as NULL: refuse it */
	if (pgbin_int8(r, 0, total_col, &total) != PGBIN_OK || col0 >= PQnfields(r))
		return -1;
	rc = puts_(pb, "{\"") | puts_(pb, key) | puts_(pb, "\":[");
	for (row = 0; row < PQntuples(r) && rc == 0; row++) {
		if (pgbin_isnull(r, row, col0))
			continue;       /* the empty page's one row */
		if (n++ > 0)
			rc |= puts_(pb, ",");
		rc |= item(pb, r, row, col0);
	}
	rc |= puts_(pb, "],\"total\":") | put_i64(pb, total);
	rc |= puts_(pb, ",\"page\":") | puts_(pb, page);
	rc |= puts_(pb, ",\"page_size\":") | puts_(pb, page_size) | puts_(pb, "}");
	return rc ? -1 : 0;
}

static const char *const library_types[] = {
	"custom", "ambient", "nature", "lofi", "classical", "white_noise", NULL };

int
render_library_at(struct printbuf *pb, const PGresult *r, int row, int col0)
{
	char        id[37];
	const char *type, *name, *description;
	size_t      name_len, description_len;
	int64_t     tracks, created_at, updated_at;
	int         favorite, rc;

	if ((rc = object_id(r, row, col0 + LC_ID, id)) <= 0)
		return rc == 0 ? puts_(pb, "null") : -1;
	if ((type = word(r, row, col0 + LC_TYPE, library_types)) == NULL ||
	    pgbin_int8(r, row, col0 + LC_TRACKS, &tracks) != PGBIN_OK ||
	    pgbin_bool(r, row, col0 + LC_FAVORITE, &favorite) != PGBIN_OK ||
	    pgbin_ts(r, row, col0 + LC_CREATED_AT, &created_at) != PGBIN_OK ||
	    pgbin_ts(r, row, col0 + LC_UPDATED_AT, &updated_at) != PGBIN_OK ||
	    pgbin_text(r, row, col0 + LC_NAME, &name, &name_len) != PGBIN_OK ||
	    opt_text(r, row, col0 + LC_DESCRIPTION, &description, &description_len) != 0)
		return -1;
	rc = puts_(pb, "{\"id\":") | put_quoted(pb, id);
	rc |= puts_(pb, ",\"name\":") | put_json_string(pb, name, name_len);
	rc |= puts_(pb, ",\"description\":") | put_opt_string(pb, description, description_len);
	rc |= puts_(pb, ",\"library_type\":") | put_quoted(pb, type);
	rc |= puts_(pb, ",\"tracks_count\":") | put_i64(pb, tracks);
	rc |= puts_(pb, ",\"is_favorite\":") | puts_(pb, favorite ? "true" : "false");
	rc |= puts_(pb, ",\"created_at\":") | render_ts(pb, created_at);
	rc |= puts_(pb, ",\"updated_at\":") | render_ts(pb, updated_at);
	rc |= puts_(pb, "}");
	return rc ? -1 : 0;
}

int
render_track_decode(const PGresult *r, int row, int col0, struct track_row *t)
{
	int rc = 0, got;

	memset(t, 0, sizeof(*t));
	if ((got = object_id(r, row, col0 + TC_ID, t->id)) <= 0)
		return got;
	if (pgbin_uuid(r, row, col0 + TC_LIBRARY_ID, t->library_id) != PGBIN_OK ||
	    pgbin_text(r, row, col0 + TC_TITLE, &t->title, &t->title_len) != PGBIN_OK ||
	    pgbin_text(r, row, col0 + TC_MIME, &t->mime, &t->mime_len) != PGBIN_OK ||
	    pgbin_int8(r, row, col0 + TC_SIZE, &t->size_bytes) != PGBIN_OK ||
	    pgbin_ts(r, row, col0 + TC_ADDED_AT, &t->added_at) != PGBIN_OK)
		return -1;
	rc |= opt_text(r, row, col0 + TC_URL, &t->url, &t->url_len);
	rc |= opt_text(r, row, col0 + TC_STORAGE_KEY, &t->storage_key, &t->storage_key_len);
	rc |= opt(pgbin_int4(r, row, col0 + TC_DURATION, &t->duration_s), &t->has_duration);
	return rc < 0 ? -1 : 1;
}

int
render_track(struct printbuf *pb, const struct track_row *t, const char *download_url)
{
	int rc;

	rc = puts_(pb, "{\"id\":") | put_quoted(pb, t->id);
	rc |= puts_(pb, ",\"library_id\":") | put_quoted(pb, t->library_id);
	rc |= puts_(pb, ",\"track_title\":") | put_json_string(pb, t->title, t->title_len);
	rc |= puts_(pb, ",\"track_url\":") | put_opt_string(pb, t->url, t->url_len);
	rc |= puts_(pb, ",\"mime_type\":") | put_json_string(pb, t->mime, t->mime_len);
	rc |= puts_(pb, ",\"size_bytes\":") | put_i64(pb, t->size_bytes);
	rc |= puts_(pb, ",\"duration_seconds\":");
	rc |= t->has_duration ? put_i64(pb, t->duration_s) : puts_(pb, "null");
	rc |= puts_(pb, ",\"storage_key\":") | put_opt_string(pb, t->storage_key, t->storage_key_len);
	rc |= puts_(pb, ",\"download_url\":");
	rc |= put_opt_string(pb, download_url, download_url != NULL ? strlen(download_url) : 0);
	rc |= puts_(pb, ",\"added_at\":") | render_ts(pb, t->added_at);
	rc |= puts_(pb, "}");
	return rc ? -1 : 0;
}

int
render_deleted(struct printbuf *pb, const PGresult *r, const void *arg)
{
	char id[37];

	(void)arg;
	if (pgbin_uuid(r, 0, DELETED_ID_COL, id) != PGBIN_OK)
		return -1;
	return puts_(pb, "{\"id\":") | put_quoted(pb, id) | puts_(pb, ",\"deleted\":true}") ? -1 : 0;
}
