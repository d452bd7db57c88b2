/*
 * tracks.h: audio track routes of API.md, and the directory backend's
 * signed links (/api/storage/<key>), which point back at the service.
 */
#ifndef FOCUS_TRACKS_H
#define FOCUS_TRACKS_H

#include "http.h"

/* Signed links: a signed GET link is valid for an hour, a PUT for five
 * minutes (API.md). */
#define TRACK_DOWNLOAD_LINK_S 3600
#define TRACK_UPLOAD_LINK_S   300

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
