/*
 * publish.h: a person's new /active object to nchan (nginx's pub/sub
 * module), which holds every open EventSource (GET /api/focus/events).
 * One HTTP POST per event to nchan's internal publisher location over a
 * unix socket (FOCUS_NCHAN_SOCKET; never on the public port), with
 * libcurl, on one handle kept open between events.
 *
 * A failed publish is logged here, once, and reported to the caller,
 * who never fails a request for it: the change is committed, pollers of
 * /active see it, and the next event carries the newest state.
 */
#ifndef FOCUS_PUBLISH_H
#define FOCUS_PUBLISH_H

#include <stddef.h>

#include "ferr.h"

/* Set up the handle (after curl_global_init). 0; -1 out of memory.
 * With no FOCUS_NCHAN_SOCKET configured, publishing is off: logged once
 * here, and publish_state() returns 0 doing nothing. */
int  publish_init(void) FOCUS_MUSTCHECK;
void publish_shutdown(void);

/* Is a publisher configured? */
int publish_enabled(void);

/* POST data (len bytes, one line of JSON) to the channel (a user id, 36
 * characters [0-9a-f-]) as an `event: state`. 0 when nchan took it
 * (2xx); -1 otherwise (logged with req_id, the curl error or the status). */
int publish_state(const char *channel, const char *data, size_t len, const char *req_id)
    FOCUS_MUSTCHECK;

/* Is s a channel id publish_state accepts? (exposed for unit tests) */
int publish_channel_ok(const char *s);

#endif
