/*
 * events.h: the worker's side of GET /api/focus/events (API.md, "Live
 * state across devices"). nginx's nchan module holds the EventSource
 * connection; before it subscribes, nginx asks the worker (auth_request
 * to the internal location nginx/focus-site.conf.in names) who the
 * caller is. The worker answers with the caller's channel in a header,
 * X-Focus-Channel, which nginx uses as the channel id: the channel comes
 * from the token, never from the client.
 */
#ifndef FOCUS_EVENTS_H
#define FOCUS_EVENTS_H

#include "http.h"

/* GET /api/focus/events/authorize (internal): 200 with X-Focus-Channel,
 * after publishing the caller's current /active object to that channel
 * so that the subscriber's first event (the one message the channel
 * keeps, nchan_subscriber_first_message oldest) is the state now; 401 without a valid token; 403 when the
 * events request named a channel (?channel=) that is not the caller's. */
enum ferr events_authorize(struct req *rq);

#endif
