#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <openssl/rand.h>

#include "api.h"
#include "auth.h"
#include "config.h"
#include "pgbin.h"
#include "render.h"
#include "storage.h"
#include "tracks.h"
#include "validate.h"

/* Allowed audio types (API.md) and the extension their keys get. */
static const struct {
	const char *mime;
	const char *ext;
} audio_types[] = {
	{ "audio/mpeg", "mp3" }, { "audio/mp3", "mp3" }, { "audio/wav", "wav" },
	{ "audio/x-wav", "wav" }, { "audio/ogg", "ogg" }, { "audio/flac", "flac" },
	{ "audio/aac", "aac" }, { "audio/mp4", "m4a" }, { "audio/x-m4a", "m4a" },
};
#define AUDIO_TYPES_N (sizeof(audio_types) / sizeof(audio_types[0]))

static const char *const audio_mimes[] = {
	"audio/mpeg", "audio/mp3", "audio/wav", "audio/x-wav", "audio/ogg",
	"audio/flac", "audio/aac", "audio/mp4", "audio/x-m4a", NULL };

const char *
tracks_mime_ext(const char *mime)
{
	size_t i, n;

	if (mime == NULL)
		return NULL;
	n = strcspn(mime, "; ");      /* drop parameters: "audio/ogg; codecs=opus" */
	for (i = 0; i < AUDIO_TYPES_N; i++)
		if (strlen(audio_types[i].mime) == n && strncasecmp(mime, audio_types[i].mime, n) == 0)
			return audio_types[i].ext;
	return NULL;
}

/* The MIME type we store for a key, from its extension. */
static const char *
ext_mime(const char *key)
{
	const char *dot = strrchr(key, '.');
	size_t      i;

	for (i = 0; dot != NULL && i < AUDIO_TYPES_N; i++)
		if (strcmp(dot + 1, audio_types[i].ext) == 0)
			return audio_types[i].mime;
	return "application/octet-stream";
}

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
	unsigned char r[16];
	int           n;

	if (RAND_bytes(r, sizeof(r)) != 1)
		return -1;
	r[6] = (unsigned char)((r[6] & 0x0f) | 0x40);   /* version 4 */
	r[8] = (unsigned char)((r[8] & 0x3f) | 0x80);   /* RFC 4122 variant */
	n = snprintf(out, cap,
	    "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x.%s",
	    r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9],
	    r[10], r[11], r[12], r[13], r[14], r[15], ext);
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
	const char *data;
	enum ferr   e;
	int         n;

	if (new_key_name(tracks_mime_ext(mime), name, sizeof(name)) != 0)
		return FERR_INTERNAL;
	snprintf(sizebuf, sizeof(sizebuf), "%lld", size);
	snprintf(validbuf, sizeof(validbuf), "%d", valid_s);
	snprintf(quota, sizeof(quota), "%ld", config->storage_quota_mb);
	e = api_run(rq, STMT_UPLOAD_RESERVE, params, &res, &data);
	PQclear(res);
	if (e == FERR_TOO_LARGE)
		snprintf(rq->err_msg, sizeof(rq->err_msg),
		    "This upload would exceed your storage quota of %ld MiB.", config->storage_quota_mb);
	if (e != FERR_OK)
		return e;
	n = snprintf(key, cap, "%s/audio/%s", rq->user_id, name);
	return n > 0 && (size_t)n < cap ? FERR_OK : FERR_INTERNAL;
}

/* The caller owns the library rq->params[0]: one round trip that also
 * authenticates and gives us the user id for the key prefix. */
static enum ferr
check_library(struct req *rq)
{
	const char *params[] = { rq->token_hash, rq->params[0] };
	PGresult   *res = NULL;
	const char *data;
	enum ferr   e = api_run(rq, STMT_LIBRARY_CHECK, params, &res, &data);

	PQclear(res);
	return e;
}

static void
iso_time(time_t t, char *out, size_t cap)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, cap, "%Y-%m-%dT%H:%M:%S.000Z", &tm);
}

/* Where a statement's track columns (TRACK_COLS) begin: after outcome and
 * user_id. */
#define TRACK_COL0 2

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

/* What render_tracks writes around the tracks: before NULL, exactly one
 * track and nothing around it (a track just added). */
struct tracks_out {
	struct req *rq;
	const char *before, *after;
};

/* An api_render_fn: the track of each row (one row of NULLs: none) with
 * its download_url, separated by commas, between out->before and
 * out->after. */
static int
render_tracks(struct printbuf *pb, const PGresult *res, const void *arg)
{
	const struct tracks_out *out = arg;
	struct track_row         t;
	char                     link[FOCUS_MAX_URL_LEN];
	const char              *url;
	enum ferr                e;
	int                      row, got, n = 0;

	if (out->before != NULL && printbuf_memappend(pb, out->before, (int)strlen(out->before)) < 0)
		return -1;
	for (row = 0; row < PQntuples(res); row++) {
		if ((got = render_track_decode(res, row, TRACK_COL0, &t)) < 0)
			return -1;
		if (got == 0)
			continue;
		if ((e = download_url(out->rq, &t, link, sizeof(link), &url)) != FERR_OK)
			return (int)e;
		if ((n++ > 0 && printbuf_strappend(pb, ",") < 0) || render_track(pb, &t, url) != 0)
			return -1;
	}
	if (out->before == NULL)
		return n == 1 ? 0 : -1;
	return printbuf_memappend(pb, out->after, (int)strlen(out->after)) < 0 ? -1 : 0;
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
		const struct tracks_out out = { rq, NULL, NULL };
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
	char         key[FOCUS_MAX_PARAM_LEN], url[FOCUS_MAX_URL_LEN], origin[256] = "", exp[40];
	json_object *out, *headers;
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
	iso_time(time(NULL) + TRACK_UPLOAD_LINK_S, exp, sizeof(exp));
	out = json_object_new_object();
	headers = json_object_new_object();
	/* both are signed (S3) or checked (directory backend): the upload
	 * must send them as given */
	json_object_object_add(headers, "Content-Type", json_object_new_string(mime));
	json_object_object_add(headers, "If-None-Match", json_object_new_string("*"));
	json_object_object_add(out, "url", json_object_new_string(url));
	json_object_object_add(out, "method", json_object_new_string("PUT"));
	json_object_object_add(out, "headers", headers);
	json_object_object_add(out, "storage_key", json_object_new_string(key));
	json_object_object_add(out, "expires_at", json_object_new_string(exp));
	http_send_json(rq, out);
	json_object_put(out);
	return FERR_OK;
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

/* The checks every raw upload gets before a byte is stored: an allowed
 * audio type (415), a declared length within 50 MiB (413). */
static enum ferr
check_upload_body(struct req *rq)
{
	if (tracks_mime_ext(rq->content_type) == NULL) {
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
	char               title[FOCUS_MAX_TRACK_TITLE * 4 + 1], key[FOCUS_MAX_PARAM_LEN];
	char               dur[16], mime[32];
	long long          duration;
	struct body_reader br;
	enum ferr          e;
	int                r;

	if ((e = check_upload_body(rq)) != FERR_OK)
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
	br.rq = rq;
	br.left = rq->content_length;
	if ((e = storage_put(key, mime, rq->content_length, read_body, &br, rq->request_id)) != FERR_OK)
		return e;
	return add_track(rq, title, NULL, mime, rq->content_length, duration >= 0 ? dur : NULL, key, 1);
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
	return add_track(rq, v[REG_TITLE].s, url, key != NULL ? ext_mime(key) : "audio/mpeg", size,
	    v[REG_DURATION].present ? dur : NULL, key, 0);
}

enum ferr
tracks_list(struct req *rq)
{
	const char              *params[] = { rq->token_hash, rq->params[0] };
	const struct tracks_out  out = { rq, "{\"tracks\":[", "]}" };

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
	if (pgbin_text(res, 0, DELETED_KEY_COL, &key, &len) == PGBIN_OK)
		tracks_forget_object(key, rq->request_id);
	return api_send_rendered(rq, STMT_TRACK_DELETE, res, render_deleted, NULL);
}

/* The directory backend's signed links: the HMAC in the query is the
 * authorization, so these routes take no token. */
static enum ferr
check_link(struct req *rq, const char *method, const char *mime, long long *max_size)
{
	char expires[24], sig[80], size[24] = "";

	if (http_query_get(rq->query, "expires", expires, sizeof(expires)) != 1 ||
	    http_query_get(rq->query, "sig", sig, sizeof(sig)) != 1 ||
	    (strcmp(method, "PUT") == 0 &&
	    http_query_get(rq->query, "size", size, sizeof(size)) != 1) ||
	    !storage_key_valid(rq->params[0]))
		return FERR_FORBIDDEN;
	if (max_size != NULL)
		*max_size = strtoll(size, NULL, 10);    /* digits only, once verified */
	return storage_link_verify(method, rq->params[0], expires, sig, size, mime);
}

/* One byte range of a Range header (RFC 9110 section 14.1.2):
 * "bytes=a-b", "bytes=a-" or "bytes=-n". 1 with [*from, *to]; 0 when
 * there is none or it is not one we serve (several ranges: the whole
 * object, which RFC 9110 allows); -1 when it cannot be satisfied. */
static int
parse_range(const char *h, long long size, long long *from, long long *to)
{
	long long a = -1, b = -1;
	char     *end;

	if (h == NULL || strncmp(h, "bytes=", 6) != 0 || strchr(h, ',') != NULL)
		return 0;
	h += 6;
	if (*h == '-') {                        /* the last n bytes */
		b = strtoll(h + 1, &end, 10);
		if (end == h + 1 || *end != '\0' || b < 0)
			return 0;
		if (b == 0)             /* the last 0 bytes: nothing to send (RFC 9110 14.1.1) */
			return -1;
		*from = b >= size ? 0 : size - b;
		*to = size - 1;
		return size > 0 ? 1 : -1;
	}
	a = strtoll(h, &end, 10);
	if (end == h || *end != '-' || a < 0)
		return 0;
	h = end + 1;
	if (*h != '\0') {
		b = strtoll(h, &end, 10);
		if (*end != '\0' || b < a)
			return 0;
	}
	if (a >= size)
		return -1;
	*from = a;
	*to = b < 0 || b >= size ? size - 1 : b;
	return 1;
}

enum ferr
storage_link_get(struct req *rq)
{
	long long size, from = 0, to = 0, left;
	char      buf[64 * 1024], cr[96];
	ssize_t   n;
	int       fd, r;
	enum ferr e;

	if ((e = check_link(rq, "GET", NULL, NULL)) != FERR_OK)
		return e;
	if ((fd = storage_dir_open(rq->params[0], &size)) < 0)
		return FERR_NOT_FOUND;
	/* ranges let a player seek in a long track without fetching it all */
	(void)http_add_header(rq, "Accept-Ranges", "bytes");
	r = parse_range(http_param(rq, "HTTP_RANGE"), size, &from, &to);
	if (r < 0) {
		snprintf(cr, sizeof(cr), "bytes */%lld", size);
		(void)http_add_header(rq, "Content-Range", cr);
		http_send_head(rq, 416, ext_mime(rq->params[0]), 0);
		close(fd);
		return FERR_OK;
	}
	if (r == 0) {
		from = 0;
		to = size - 1;
	} else if (lseek(fd, (off_t)from, SEEK_SET) != (off_t)from) {
		close(fd);
		return FERR_INTERNAL;
	} else {
		snprintf(cr, sizeof(cr), "bytes %lld-%lld/%lld", from, to, size);
		(void)http_add_header(rq, "Content-Range", cr);
	}
	left = to - from + 1;
	http_send_head(rq, r == 1 ? 206 : 200, ext_mime(rq->params[0]), left);
	while (rq->method != HTTP_HEAD && left > 0 &&
	    (n = read(fd, buf, left < (long long)sizeof(buf) ? (size_t)left : sizeof(buf))) > 0) {
		if (http_write(rq, buf, (size_t)n) != 0)
			break;
		left -= n;
	}
	close(fd);
	return FERR_OK;
}

enum ferr
storage_link_put(struct req *rq)
{
	struct body_reader br;
	enum ferr          e;
	char               mime[STORAGE_MAX_TYPE + 1];
	long long          max_size = 0;

	/* the link is signed for one type and a largest size: another type
	 * fails the MAC (403), a longer body is refused before a byte is
	 * stored (413) */
	snprintf(mime, sizeof(mime), "%.*s",
	    rq->content_type != NULL ? (int)strcspn(rq->content_type, "; ") : 0,
	    rq->content_type != NULL ? rq->content_type : "");
	if ((e = check_link(rq, "PUT", mime, &max_size)) != FERR_OK)
		return e;
	if ((e = check_upload_body(rq)) != FERR_OK)
		return e;
	if (rq->content_length > max_size) {
		snprintf(rq->err_msg, sizeof(rq->err_msg),
		    "The upload is larger than the size_bytes its link was made for.");
		return FERR_TOO_LARGE;
	}
	br.rq = rq;
	br.left = rq->content_length;
	if ((e = storage_put(rq->params[0], mime, rq->content_length, read_body, &br, rq->request_id)) != FERR_OK) {
		if (e == FERR_CONFLICT)
			snprintf(rq->err_msg, sizeof(rq->err_msg),
			    "An object is already stored under this key: a link uploads once.");
		return e;
	}
	http_send_head(rq, 200, "application/json", 2);
	(void)http_write(rq, "{}", 2);
	return FERR_OK;
}
