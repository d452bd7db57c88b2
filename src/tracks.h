/*
 * tracks.h: audio track routes of API.md, and the directory backend's
 * signed links (/api/storage/<key>), which point back at the service.
 */
#ifndef FOCUS_TRACKS_H
#define FOCUS_TRACKS_H

#include "http.h"
#include "storage.h"
#include "validate.h"

/* The bodies' field tables (routes.c body_tables) */
extern const struct field_table tracks_upload_url_body, tracks_register_body;

/* Signed links: a signed GET link is valid for an hour, a PUT for five
 * minutes (API.md). */
#define TRACK_DOWNLOAD_LINK_S 3600
#define TRACK_UPLOAD_LINK_S   300
/* After an upload ends, the time left to register its key. */
#define TRACK_REGISTER_SLACK_S 600
/* How long a reserved key (sql/001_baseline.sql) may be registered: the link's
 * validity, the longest transfer (storage.h), then the slack. After that
 * its object can never become a track. */
#define TRACK_UPLOAD_PENDING_S (TRACK_UPLOAD_LINK_S + STORAGE_TIMEOUT_S + TRACK_REGISTER_SLACK_S)
/* `focusctl storage orphans` never lists an object younger than this: an
 * upload's reservation time plus an hour for clocks that differ between
 * the storage server, the database and the host running focusctl. */
#define STORAGE_ORPHAN_MIN_AGE_S (TRACK_UPLOAD_PENDING_S + 3600)

/* Delete a stored object after its row is gone. A failure is logged by
 * storage_error() and leaves an orphan object for `focusctl storage
 * orphans`; it never fails the request whose rows are already deleted. */
void tracks_forget_object(const char *key, const char *req_id);

/* The file extension for an allowed audio MIME type, or NULL. */
const char *tracks_mime_ext(const char *mime);

enum ferr tracks_upload_url(struct req *rq);
enum ferr tracks_upload(struct req *rq);
enum ferr tracks_register(struct req *rq);
enum ferr tracks_list(struct req *rq);
enum ferr tracks_delete(struct req *rq);
enum ferr storage_link_get(struct req *rq);
enum ferr storage_link_put(struct req *rq);

#endif
