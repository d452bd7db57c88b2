#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "api.h"
#include "audio.h"
#include "auth.h"
#include "config.h"
#include "log.h"
#include "pgbin.h"
#include "render.h"
#include "storage.h"
#include "tracks.h"
#include "uuid.h"
#include "validate.h"

void
tracks_forget_object(const char *key, const char *req_id)
{
	if (key != NULL && storage_delete(key, req_id) != FERR_OK)
		return;         /* logged once, by storage_error() */
}

/* A key's name below "<user_id>/audio/": "<random uuid>.<ext>" (API.md
 * "Storage keys"). */
static int
new_key_name(const char *ext, char *out, size_t cap)
{
	char id[UUID_CHARS + 1];
	int  n;

	if (uuid_random(id) != 0)
		return -1;
	n = snprintf(out, cap, "%s.%s", id, ext);
	return n > 0 && (size_t)n < cap ? 0 : -1;
}

/* Before a byte is stored: one round trip that authenticates, checks the
 * library rq->params[0] is the caller's, and reserves a new key for size
 * bytes of mime within the caller's quota for valid_s seconds
 * (sql/001_baseline.sql). The key, under the caller's own prefix, goes to
 * key. 413 when the quota would be exceeded. */
static enum ferr
reserve_key(struct req *rq, const char *mime, long long size, int valid_s, char *key,
    size_t cap)
{
	char        name[64], sizebuf[24], validbuf[16], quota[24];
	const char *params[] = { rq->token_hash, rq->params[0], name, sizebuf, mime, validbuf, quota };
	PGresult   *res = NULL;
	enum ferr   e;
	int         n;

	if (new_key_name(audio_mime_ext(mime), name, sizeof(name)) != 0)
		return FERR_INTERNAL;
	snprintf(sizebuf, sizeof(sizebuf), "%lld", size);
	snprintf(validbuf, sizeof(validbuf), "%d", valid_s);
	snprintf(quota, sizeof(quota), "%ld", config->storage_quota_mb);
	e = api_exec(rq, STMT_UPLOAD_RESERVE, params, &res);
	PQclear(res);
	if (e == FERR_TOO_LARGE)
		snprintf(rq->err_msg, sizeof(rq->err_msg),
		    "This upload would exceed your storage quota of %ld MiB.", config->storage_quota_mb);
	if (e != FERR_OK)
		return e;
	n = snprintf(key, cap, "%s/audio/%s", rq->user_id, name);
	return n > 0 && (size_t)n < cap ? FERR_OK : FERR_INTERNAL;
}

/* A direct upload that failed before its track was written: give its
 * reservation back now rather than after TRACK_UPLOAD_PENDING_S, so that
 * a client trying again is not refused for its quota by the attempt that
 * failed. One more round trip, on the failure path only; when it fails
 * too (the database away) the reservation lapses as before. The request's
 * own answer (its error and message) is kept. */
static void
release_key(struct req *rq, const char *key)
{
	const char *params[] = { rq->token_hash, key };
	PGresult   *res = NULL;

	if (api_exec(rq, STMT_UPLOAD_RELEASE, params, &res) != FERR_OK)
		log_kv(LOG_WARN, "upload_release", "req", rq->request_id, "err", "the reservation stays until it lapses",
		    NULL);
	PQclear(res);
}

/* The caller owns the library rq->params[0]: one round trip that also
 * authenticates and gives us the user id for the key prefix. */
static enum ferr
check_library(struct req *rq)
{
	const char *params[] = { rq->token_hash, rq->params[0] };
	PGresult   *res = NULL;
	enum ferr   e = api_exec(rq, STMT_LIBRARY_CHECK, params, &res);

	PQclear(res);
	return e;
}

/* A track's download_url: a signed GET valid an hour for a stored track,
 * the link itself for a linked one. *out is NULL when there is neither. */
static enum ferr
download_url(struct req *rq, const struct track_row *t, char *link, size_t cap, const char **out)
{
	char      origin[256] = "";
	enum ferr e;

	*out = t->url;
	if (t->storage_key == NULL)
		return FERR_OK;
	(void)auth_public_origin(rq, origin, sizeof(origin));
	if ((e = storage_presign("GET", t->storage_key, NULL, 0, TRACK_DOWNLOAD_LINK_S, origin,
	    link, cap, rq->request_id)) != FERR_OK)
		return e;
	*out = link;
	return FERR_OK;
}

/* What render_tracks writes: every track in {"tracks":[...]}
 * (a listing), or exactly one track alone (a track just added). */
struct tracks_out {
	struct req *rq;
	int         listing;
};

/* An api_render_fn: the track of each row (one row of NULLs: none) with
 * its download_url. */
static int
render_tracks(struct jsonw *w, const PGresult *res, const struct stmt_shape *shape,
    const void *arg)
{
	const struct tracks_out *out = arg;
	struct track_row         t;
	char                     link[FOCUS_MAX_URL_LEN];
	const char              *url;
	enum ferr                e;
	int                      row, got, n = 0;

	if (out->listing) {
		jw_obj(w, NULL);
		jw_arr(w, "tracks");
	}
	for (row = 0; row < PQntuples(res); row++) {
		if ((got = render_track_decode(res, row, shape->object, &t)) < 0)
			return -1;
		if (got == 0)
			continue;
		if ((e = download_url(out->rq, &t, link, sizeof(link), &url)) != FERR_OK)
			return (int)e;
		if (n++ > 0 && !out->listing)
			return -1;
		render_track(w, &t, url);
	}
	if (!out->listing)
		return n == 1 ? 0 : -1;
	jw_end(w);
	jw_end(w);
	return 0;
}

/* Insert the track row for an object that now exists. If the row cannot
 * be written and this very request stored the object (stored_here), the
 * object goes: nothing points at it and no link can still register it. An
 * object uploaded through a signed link is never deleted here: the failed
 * insert may be a second registration of a key whose track exists (409),
 * and the first track must keep its audio. */
static enum ferr
add_track(struct req *rq, const char *title, const char *url, const char *mime,
    long long size, const char *duration, const char *key, int stored_here)
{
	char      sizebuf[24];
	PGresult *res = NULL;
	enum ferr e;

	snprintf(sizebuf, sizeof(sizebuf), "%lld", size);
	{
		const char *params[] = { rq->token_hash, rq->params[0], title, url, mime, sizebuf,
		    duration, key };
		e = api_exec(rq, STMT_TRACK_ADD, params, &res);
	}
	if (e != FERR_OK) {
		PQclear(res);
		if (stored_here)
			tracks_forget_object(key, rq->request_id);
		if (e == FERR_CONFLICT)
			snprintf(rq->err_msg, sizeof(rq->err_msg),
			    "A track is already registered under this storage_key.");
		else if (e == FERR_VALIDATION)
			snprintf(rq->err_msg, sizeof(rq->err_msg),
			    "storage_key was not handed out to you by upload-url, or its time to be registered has passed.");
		return e;
	}
	{
		const struct tracks_out out = { rq, 0 };
		return api_send_rendered(rq, STMT_TRACK_ADD, res, render_tracks, &out);
	}
}

enum { UP_FILENAME, UP_MIME, UP_SIZE, UP__MAX };
static const struct field upload_url_fields[UP__MAX] = {
	[UP_FILENAME] = { "filename", FIELD_STR, 1, FOCUS_MAX_FILENAME, NULL, 0 },
	[UP_MIME]     = { "mime_type", FIELD_ENUM, 0, 0, audio_mimes, 0 },
	[UP_SIZE]     = { "size_bytes", FIELD_INT, 1, STORAGE_MAX_OBJECT_BYTES, NULL, 0 },
};
const struct field_table tracks_upload_url_body = { "upload url", upload_url_fields, UP__MAX };

enum ferr
tracks_upload_url(struct req *rq)
{
	struct field_value v[UP__MAX];
	const char  *mime;
	char         key[FOCUS_MAX_PARAM_LEN], url[FOCUS_MAX_URL_LEN], origin[256] = "";
	struct jsonw w;
	enum ferr    e;

	if ((e = validate_fields(rq->body, upload_url_fields, UP__MAX, v, rq->err_msg,
	    sizeof(rq->err_msg))) != FERR_OK)
		return e;
	if (!v[UP_SIZE].present) {
		/* the link is signed for at most this many bytes */
		snprintf(rq->err_msg, sizeof(rq->err_msg), "size_bytes is required.");
		return FERR_VALIDATION;
	}
	mime = v[UP_MIME].present ? v[UP_MIME].s : "audio/mpeg";
	if ((e = reserve_key(rq, mime, v[UP_SIZE].i, TRACK_UPLOAD_PENDING_S, key, sizeof(key))) != FERR_OK)
		return e;
	(void)auth_public_origin(rq, origin, sizeof(origin));
	if ((e = storage_presign("PUT", key, mime, v[UP_SIZE].i, TRACK_UPLOAD_LINK_S, origin, url,
	    sizeof(url), rq->request_id)) != FERR_OK)
		return e;
	http_data_begin(&w);
	jw_obj(&w, NULL);
	jw_str(&w, "url", url);
	jw_str(&w, "method", "PUT");
	/* both are signed (S3) or checked (directory backend): the upload
	 * must send them as given */
	jw_obj(&w, "headers");
	jw_str(&w, "Content-Type", mime);
	jw_str(&w, "If-None-Match", "*");
	jw_end(&w);
	jw_str(&w, "storage_key", key);
	/* whole seconds: the link's expiry is in seconds */
	jw_ts(&w, "expires_at", ((int64_t)time(NULL) + TRACK_UPLOAD_LINK_S) * 1000000);
	jw_end(&w);
	return http_data_send(rq, &w);
}

/* Stream exactly `left` bytes of the request body into storage. */
struct body_reader {
	struct req *rq;
	long long   left;
};

static size_t
read_body(void *ctx, char *buf, size_t cap)
{
	struct body_reader *br = ctx;
	long                n;

	if (br->left <= 0)
		return 0;
	if ((long long)cap > br->left)
		cap = (size_t)br->left;
	n = http_read_body(br->rq, buf, cap);
	if (n <= 0)
		return (size_t)-1;      /* the client stopped short */
	br->left -= n;
	return (size_t)n;
}

enum ferr
tracks_store_body(struct req *rq, const char *key, const char *mime)
{
	struct body_reader br = { rq, rq->content_length };

	return storage_put(key, mime, rq->content_length, read_body, &br, rq->request_id);
}

enum ferr
tracks_check_upload_body(struct req *rq)
{
	if (audio_mime_ext(rq->content_type) == NULL) {
		snprintf(rq->err_msg, sizeof(rq->err_msg),
		    "Content-Type must be an audio type: audio/mpeg, audio/wav, audio/ogg, audio/flac, audio/aac or audio/mp4.");
		return FERR_MEDIA_TYPE;
	}
	if (rq->content_length > STORAGE_MAX_OBJECT_BYTES) {
		snprintf(rq->err_msg, sizeof(rq->err_msg), "An audio file may be at most 50 MiB.");
		return FERR_TOO_LARGE;
	}
	if (rq->content_length <= 0) {
		snprintf(rq->err_msg, sizeof(rq->err_msg), "The upload is empty.");
		return FERR_VALIDATION;
	}
	return FERR_OK;
}

enum ferr
tracks_upload(struct req *rq)
{
	char      title[FOCUS_MAX_TRACK_TITLE * 4 + 1], key[FOCUS_MAX_PARAM_LEN];
	char      dur[16], mime[32];
	long long duration;
	enum ferr e;
	int       r;

	if ((e = tracks_check_upload_body(rq)) != FERR_OK)
		return e;
	r = http_query_get(rq->query, "track_title", title, sizeof(title));
	if (r < 0 || (r > 0 && (utf8_length(title, strlen(title)) < 1 ||
	    utf8_length(title, strlen(title)) > FOCUS_MAX_TRACK_TITLE))) {
		snprintf(rq->err_msg, sizeof(rq->err_msg), "track_title must be 1 to %d characters.",
		    FOCUS_MAX_TRACK_TITLE);
		return FERR_BAD_REQUEST;
	}
	if (r == 0)
		snprintf(title, sizeof(title), "Untitled");
	if ((e = validate_query_int(rq->query, "duration_seconds", -1, 0, FOCUS_MAX_DURATION_S,
	    &duration, rq->err_msg, sizeof(rq->err_msg))) != FERR_OK)
		return e;
	snprintf(dur, sizeof(dur), "%lld", duration);
	snprintf(mime, sizeof(mime), "%.*s", (int)strcspn(rq->content_type, "; "), rq->content_type);
	if ((e = reserve_key(rq, mime, rq->content_length, TRACK_UPLOAD_PENDING_S, key,
	    sizeof(key))) != FERR_OK)
		return e;
	if ((e = tracks_store_body(rq, key, mime)) != FERR_OK ||
	    (e = add_track(rq, title, NULL, mime, rq->content_length, duration >= 0 ? dur : NULL, key,
	    1)) != FERR_OK) {
		release_key(rq, key);
		return e;
	}
	return FERR_OK;
}

enum { REG_TITLE, REG_KEY, REG_R2_KEY, REG_URL, REG_DURATION, REG__MAX };
static const struct field register_fields[REG__MAX] = {
	[REG_TITLE]    = { "track_title", FIELD_STR, 1, FOCUS_MAX_TRACK_TITLE, NULL, 0 },
	[REG_KEY]      = { "storage_key", FIELD_STR, 1, FOCUS_MAX_PARAM_LEN - 1, NULL, 0 },
	[REG_R2_KEY]   = { "r2_key", FIELD_STR, 1, FOCUS_MAX_PARAM_LEN - 1, NULL, 0 },
	[REG_URL]      = { "track_url", FIELD_STR, 1, FOCUS_MAX_URL_LEN, NULL, 1 },
	[REG_DURATION] = { "duration_seconds", FIELD_INT, 0, FOCUS_MAX_DURATION_S, NULL, 1 },
};
const struct field_table tracks_register_body = { "track register", register_fields, REG__MAX };

enum ferr
tracks_register(struct req *rq)
{
	struct field_value v[REG__MAX];
	const char *key, *url;
	char        prefix[64], dur[16];
	long long   size = 0;
	int         exists = 0;
	enum ferr   e;

	if ((e = validate_fields(rq->body, register_fields, REG__MAX, v, rq->err_msg,
	    sizeof(rq->err_msg))) != FERR_OK)
		return e;
	key = v[REG_KEY].present ? v[REG_KEY].s : v[REG_R2_KEY].present ? v[REG_R2_KEY].s : NULL;
	url = v[REG_URL].present ? v[REG_URL].s : NULL;
	if (!v[REG_TITLE].present || (key == NULL) == (url == NULL)) {
		snprintf(rq->err_msg, sizeof(rq->err_msg),
		    "track_title and exactly one of storage_key (or r2_key) and track_url are required.");
		return FERR_VALIDATION;
	}
	if (url != NULL && strncmp(url, "https://", 8) != 0 && strncmp(url, "http://", 7) != 0) {
		snprintf(rq->err_msg, sizeof(rq->err_msg), "track_url must be an http or https URL.");
		return FERR_VALIDATION;
	}
	snprintf(dur, sizeof(dur), "%lld", v[REG_DURATION].i);
	if ((e = check_library(rq)) != FERR_OK)
		return e;
	if (key != NULL) {
		/* the key must lie under the caller's own prefix */
		snprintf(prefix, sizeof(prefix), "%s/audio/", rq->user_id);
		if (strncmp(key, prefix, strlen(prefix)) != 0 || !storage_key_valid(key)) {
			snprintf(rq->err_msg, sizeof(rq->err_msg),
			    "storage_key must be a key from upload-url, under your own prefix.");
			return FERR_VALIDATION;
		}
		if ((e = storage_head(key, &size, &exists, rq->request_id)) != FERR_OK)
			return e;
		if (!exists) {
			snprintf(rq->err_msg, sizeof(rq->err_msg), "No object is stored under storage_key: upload it first.");
			return FERR_VALIDATION;
		}
		if (size > STORAGE_MAX_OBJECT_BYTES) {
			snprintf(rq->err_msg, sizeof(rq->err_msg), "An audio file may be at most 50 MiB.");
			return FERR_TOO_LARGE;
		}
	}
	return add_track(rq, v[REG_TITLE].s, url, key != NULL ? audio_ext_mime(key) : "audio/mpeg", size,
	    v[REG_DURATION].present ? dur : NULL, key, 0);
}

enum ferr
tracks_list(struct req *rq)
{
	const char              *params[] = { rq->token_hash, rq->params[0] };
	const struct tracks_out  out = { rq, 1 };

	return api_reply_rendered(rq, STMT_TRACK_LIST, params, render_tracks, &out);
}

enum ferr
tracks_delete(struct req *rq)
{
	const char *params[] = { rq->token_hash, rq->params[0], rq->params[1] };
	PGresult   *res = NULL;
	const char *key;
	size_t      len;
	enum ferr   e;

	if ((e = api_exec(rq, STMT_TRACK_DELETE, params, &res)) != FERR_OK) {
		PQclear(res);
		return e;
	}
	/* row first, then the object (see libraries_delete) */
	if (pgbin_text(res, 0, stmt_table[STMT_TRACK_DELETE].shape.object + DC_STORAGE_KEY,
	    &key, &len) == PGBIN_OK)
		tracks_forget_object(key, rq->request_id);
	return api_send_rendered(rq, STMT_TRACK_DELETE, res, render_deleted, NULL);
}
