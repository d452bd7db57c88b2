/*
 * render.c: API.md's objects as JSON (see render.h). A row is first
 * decoded, every column checked, then written through the JSON writer
 * (jsonw.h), which escapes every string.
 */
#include <string.h>

#include "facts.h"
#include "pgbin.h"
#include "render.h"

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

static void
ts_or_null(struct jsonw *w, const char *key, int has, int64_t us)
{
	if (has)
		jw_ts(w, key, us);
	else
		jw_null(w, key);
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

int
render_decode(const PGresult *r, int row, int col0, struct session_row *s)
{
	int rc = 0, got;

	memset(s, 0, sizeof(*s));
	if ((got = object_id(r, row, col0 + SC_ID, s->id)) <= 0)
		return got;
	if ((s->mode = word(r, row, col0 + SC_MODE, focus_modes)) == NULL ||
	    (s->stored_status = word(r, row, col0 + SC_STATUS, focus_statuses)) == NULL ||
	    (s->source = word(r, row, col0 + SC_SOURCE, focus_sources)) == NULL ||
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

void
render_session(struct jsonw *w, const char *key, const struct session_row *s)
{
	if (s == NULL) {
		jw_null(w, key);
		return;
	}
	jw_obj(w, key);
	jw_str(w, "id", s->id);
	jw_str(w, "mode", s->mode);
	jw_int(w, "duration_seconds", s->duration_s);
	jw_ts(w, "started_at", s->started_at);
	jw_ts(w, "expires_at", s->expires_at);
	ts_or_null(w, "paused_at", s->has_paused_at, s->paused_at);
	ts_or_null(w, "completed_at", s->has_completed_at, s->completed_at);
	ts_or_null(w, "abandoned_at", s->has_abandoned_at, s->abandoned_at);
	jw_str(w, "status", render_status(s));
	/* API.md: only while active or paused */
	if (render_is_open(s))
		jw_int(w, "time_remaining_seconds", render_remaining_s(s));
	if (s->has_focused)
		jw_int(w, "focused_seconds", s->focused_s);
	else
		jw_null(w, "focused_seconds");
	jw_int(w, "xp_awarded", s->xp);
	jw_int(w, "coins_awarded", s->coins);
	jw_str(w, "task_id", s->has_task_id ? s->task_id : NULL);
	jw_strn(w, "task_title", s->task_title, s->task_title_len);
	if (s->has_cycle_position)
		jw_int(w, "cycle_position", s->cycle_position);
	else
		jw_null(w, "cycle_position");
	jw_str(w, "source", s->source);
	jw_end(w);
}

void
render_open_session(struct jsonw *w, const char *key, const struct session_row *s)
{
	render_session(w, key, s != NULL && render_is_open(s) ? s : NULL);
}

void
render_pause(struct jsonw *w, const char *key, const struct session_row *s)
{
	if (s == NULL || strcmp(s->stored_status, "paused") != 0 || !s->has_paused_at) {
		jw_null(w, key);
		return;
	}
	jw_obj(w, key);
	jw_str(w, "session_id", s->id);
	jw_str(w, "mode", s->mode);
	jw_int(w, "time_remaining_seconds", render_remaining_s(s));
	jw_ts(w, "paused_at", s->paused_at);
	jw_end(w);
}

int
render_session_at(struct jsonw *w, const char *key, const PGresult *r, int row, int col0,
    enum render_what what)
{
	struct session_row s;
	int                got = render_decode(r, row, col0, &s);

	if (got < 0)
		return -1;
	switch (what) {
	case RENDER_SESSION:      render_session(w, key, got ? &s : NULL); return 0;
	case RENDER_OPEN_SESSION: render_open_session(w, key, got ? &s : NULL); return 0;
	case RENDER_PAUSE:        render_pause(w, key, got ? &s : NULL); return 0;
	}
	return -1;
}

int
render_page(struct jsonw *w, const PGresult *r, const char *items, int total_col,
    int col0, render_item_fn item, long long page, long long page_size)
{
	int64_t total;
	int     row, rc = 0;

	/* a missing item column would read as NULL: refuse it */
	if (pgbin_int8(r, 0, total_col, &total) != PGBIN_OK || col0 >= PQnfields(r))
		return -1;
	jw_obj(w, NULL);
	jw_arr(w, items);
	for (row = 0; row < PQntuples(r) && rc == 0; row++) {
		if (pgbin_isnull(r, row, col0))
			continue;       /* the empty page's one row */
		rc = item(w, r, row, col0);
	}
	jw_end(w);
	jw_int(w, "total", total);
	jw_int(w, "page", page);
	jw_int(w, "page_size", page_size);
	jw_end(w);
	return rc;
}

int
render_library_at(struct jsonw *w, const PGresult *r, int row, int col0)
{
	char        id[37];
	const char *type, *name, *description;
	size_t      name_len, description_len;
	int64_t     tracks, created_at, updated_at;
	int         favorite, rc;

	if ((rc = object_id(r, row, col0 + LC_ID, id)) <= 0) {
		if (rc == 0)
			jw_null(w, NULL);
		return rc;
	}
	if ((type = word(r, row, col0 + LC_TYPE, focus_library_types)) == NULL ||
	    pgbin_int8(r, row, col0 + LC_TRACKS, &tracks) != PGBIN_OK ||
	    pgbin_bool(r, row, col0 + LC_FAVORITE, &favorite) != PGBIN_OK ||
	    pgbin_ts(r, row, col0 + LC_CREATED_AT, &created_at) != PGBIN_OK ||
	    pgbin_ts(r, row, col0 + LC_UPDATED_AT, &updated_at) != PGBIN_OK ||
	    pgbin_text(r, row, col0 + LC_NAME, &name, &name_len) != PGBIN_OK ||
	    opt_text(r, row, col0 + LC_DESCRIPTION, &description, &description_len) != 0)
		return -1;
	jw_obj(w, NULL);
	jw_str(w, "id", id);
	jw_strn(w, "name", name, name_len);
	jw_strn(w, "description", description, description_len);
	jw_str(w, "library_type", type);
	jw_int(w, "tracks_count", tracks);
	jw_bool(w, "is_favorite", favorite);
	jw_ts(w, "created_at", created_at);
	jw_ts(w, "updated_at", updated_at);
	jw_end(w);
	return 0;
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

void
render_track(struct jsonw *w, const struct track_row *t, const char *download_url)
{
	jw_obj(w, NULL);
	jw_str(w, "id", t->id);
	jw_str(w, "library_id", t->library_id);
	jw_strn(w, "track_title", t->title, t->title_len);
	jw_strn(w, "track_url", t->url, t->url_len);
	jw_strn(w, "mime_type", t->mime, t->mime_len);
	jw_int(w, "size_bytes", t->size_bytes);
	if (t->has_duration)
		jw_int(w, "duration_seconds", t->duration_s);
	else
		jw_null(w, "duration_seconds");
	jw_strn(w, "storage_key", t->storage_key, t->storage_key_len);
	jw_str(w, "download_url", download_url);
	jw_ts(w, "added_at", t->added_at);
	jw_end(w);
}

int
render_deleted(struct jsonw *w, const PGresult *r, const struct stmt_shape *shape,
    const void *arg)
{
	char id[37];

	(void)arg;
	if (pgbin_uuid(r, 0, shape->object + DC_ID, id) != PGBIN_OK)
		return -1;
	jw_obj(w, NULL);
	jw_str(w, "id", id);
	jw_bool(w, "deleted", 1);
	jw_end(w);
	return 0;
}
