/*
 * storage_link.h: the routes that serve the directory backend's signed
 * links (no token: the link's HMAC is the authorization).
 *   GET /api/storage/<key>  the object, with Range support (RFC 9110)
 *   PUT /api/storage/<key>  one upload of the size and type signed for
 */
#ifndef FOCUS_STORAGE_LINK_H
#define FOCUS_STORAGE_LINK_H

#include "http.h"

enum ferr storage_link_get(struct req *rq);
enum ferr storage_link_put(struct req *rq);

#endif
