/*
 * storage.h: where uploaded audio lives. One interface, two backends,
 * chosen once by storage_init() from the environment:
 *
 *   FOCUS_STORAGE         "s3" or "dir"; default "s3" when FOCUS_S3_BUCKET
 *                         is set, else "dir"
 *   FOCUS_S3_ENDPOINT     "http://127.0.0.1:4569",
 *                         "https://<account>.r2.cloudflarestorage.com"
 *   FOCUS_S3_BUCKET       bucket name; requests are path-style
 *                         (<endpoint>/<bucket>/<key>)
 *   FOCUS_S3_REGION       default "auto" (what R2 expects)
 *   FOCUS_S3_ACCESS_KEY, FOCUS_S3_SECRET_KEY
 *   FOCUS_STORAGE_DIR     default "var/storage"
 *   FOCUS_STORAGE_SECRET  HMAC key of the directory backend's links; every
 *                         worker must share it, so it is never made up at
 *                         start. Unset, the fixed development key
 *                         STORAGE_DEV_SECRET is used and a warning logged.
 *
 * The S3 backend signs with AWS Signature V4 (sigv4.h) and transfers with
 * libcurl; the directory backend's links point back at the service
 * (/api/storage/<key>?expires=..&sig=..) and carry an expiring HMAC.
 * Every failure is logged once, by storage_error(), and returned as
 * FERR_STORAGE (502). req_id is the request id for logs and may be NULL.
 */
#ifndef FOCUS_STORAGE_H
#define FOCUS_STORAGE_H

#include <stddef.h>

#include "ferr.h"

/* API.md: an audio upload is at most 50 MiB. */
#define STORAGE_MAX_OBJECT_BYTES (50L * 1024 * 1024)
/* Every transfer has a time limit: the whole of one with a body (300 s
 * moves 50 MiB at 175 KB/s); connecting, stalling and small requests
 * have tighter ones (limits.h, FOCUS_STORAGE_*). */
#define STORAGE_TIMEOUT_S         300
/* "<uuid>/audio/<uuid>.<ext>" is 88 bytes with an 8-letter extension;
 * the same bound as a route parameter (limits.h FOCUS_MAX_PARAM_LEN). */
#define STORAGE_MAX_KEY           128
#define STORAGE_MAX_EXT           8
/* Signed links: a presigned URL may live at most 7 days (SigV4's limit,
 * kept for the directory backend too). */
#define STORAGE_MAX_EXPIRES_S     604800
/* Room for any URL storage_presign() writes. */
#define STORAGE_MAX_URL           2048
/* The directory backend's link key when FOCUS_STORAGE_SECRET is unset:
 * public, so fit only for a first run on one machine. */
#define STORAGE_DEV_SECRET        "focus-dev-storage-secret-not-for-production"
/* The longest MIME type an upload link is bound to ("audio/x-m4a"). */
#define STORAGE_MAX_TYPE          32
/* A configured link key shorter than this is refused. */
#define STORAGE_MIN_SECRET_LEN    16

/* Read the environment once. 0, or -1 when misconfigured (logged). */
int  storage_init(void) FOCUS_MUSTCHECK;
void storage_shutdown(void);
/* "s3" or "dir"; "none" before storage_init(). */
const char *storage_backend_name(void);

/* A body source: fills buf with up to cap bytes and returns how many;
 * 0 at the end, (size_t)-1 when the client's stream failed. */
typedef size_t (*storage_read_fn)(void *ctx, char *buf, size_t cap);

/* Store exactly length bytes read from rd under key, streamed (never the
 * whole object in memory); the directory backend never replaces an
 * existing object (FERR_CONFLICT). FERR_OK; FERR_VALIDATION for a bad key;
 * FERR_TOO_LARGE beyond STORAGE_MAX_OBJECT_BYTES; FERR_BAD_REQUEST when
 * the client's stream fails or ends short: the upload is aborted and S3,
 * R2 and the directory backend store nothing of it (s3rver may keep the
 * part it got, which `focusctl storage orphans` then lists);
 * FERR_STORAGE. content_type may be NULL. */
enum ferr storage_put(const char *key, const char *content_type, long long length,
    storage_read_fn rd, void *ctx, const char *req_id) FOCUS_MUSTCHECK;

/* Does key exist, and how large is it? A missing object is FERR_OK with
 * *exists = 0. */
enum ferr storage_head(const char *key, long long *size, int *exists,
    const char *req_id) FOCUS_MUSTCHECK;

/* Remove key; a missing object is FERR_OK. */
enum ferr storage_delete(const char *key, const char *req_id) FOCUS_MUSTCHECK;

/* A signed URL for method ("GET" or "PUT") on key, valid expires_s
 * (1..STORAGE_MAX_EXPIRES_S) seconds. base_origin ("http://host:port" of
 * the service) is needed by the directory backend, whose links read
 *   GET <base_origin>/api/storage/<key>?expires=<unix>&sig=<hex HMAC-SHA256
 *       over "GET\nkey\nexpires">
 *   PUT <base_origin>/api/storage/<key>?expires=<unix>&size=<n>&sig=<hex
 *       HMAC-SHA256 over "PUT\nkey\nexpires\nsize\ncontent_type">
 * A PUT link stores one object of at most size bytes (1..50 MiB) of
 * exactly content_type, and never replaces an object: the S3 backend signs
 * Content-Length (so the body must be exactly size bytes), Content-Type
 * and If-None-Match: * as headers the uploader must send; the directory
 * backend's route checks the body against size and the Content-Type
 * against the MAC, and stores create-only. For GET, content_type and size
 * are ignored. */
enum ferr storage_presign(const char *method, const char *key, const char *content_type,
    long long size, int expires_s, const char *base_origin, char *url, size_t cap,
    const char *req_id) FOCUS_MUSTCHECK;

/* Check a directory-backend link for GET or PUT /api/storage/<key>:
 * FERR_OK; FERR_FORBIDDEN for a bad, tampered or expired signature or a
 * bad key, or (PUT) a size or content_type other than the link was signed
 * for; FERR_NOT_FOUND when the backend is not "dir". size (the link's
 * size= value) and content_type (the request's, parameters dropped) are
 * read for PUT only. */
enum ferr storage_link_verify(const char *method, const char *key, const char *expires,
    const char *sig, const char *size, const char *content_type) FOCUS_MUSTCHECK;

/* Directory backend: open key for reading. A descriptor (the caller
 * closes it) and *size, or -1 when missing or not the "dir" backend. */
int storage_dir_open(const char *key, long long *size) FOCUS_MUSTCHECK;

/* Call cb once per stored object (focusctl storage orphans) with its size
 * and last-modified time (Unix seconds: S3 LastModified, a file's mtime). */
typedef void (*storage_list_fn)(void *ctx, const char *key, long long size, long long mtime);
enum ferr storage_list(storage_list_fn cb, void *ctx, const char *req_id) FOCUS_MUSTCHECK;

/* The one place a storage failure is logged: operation, backend, key,
 * HTTP status (0 for none), curl code (0 for none), a short detail and the
 * request id; never a secret or signature. Returns FERR_STORAGE. */
enum ferr storage_error(const char *op, const char *key, long http_status, int curl_code,
    const char *detail, const char *req_id);

/* 1 when key is ours: "<uuid>/audio/<uuid>.<ext>", lowercase UUIDs, ext of
 * 1..STORAGE_MAX_EXT of [0-9a-z], so no "..", no leading '/', and only
 * [0-9a-z./-]. Else 0. */
int storage_key_valid(const char *key);

#endif
