/* health.h: GET /api/health, the one route that needs no token. */
#ifndef FOCUS_HEALTH_H
#define FOCUS_HEALTH_H

#include "http.h"

enum ferr health_get(struct req *rq);

#endif
