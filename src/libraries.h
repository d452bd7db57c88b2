/* libraries.h: the focus-music library routes of API.md. */
#ifndef FOCUS_LIBRARIES_H
#define FOCUS_LIBRARIES_H

#include "http.h"
#include "validate.h"

/* The body's field table (routes.c body_tables) */
extern const struct field_table libraries_body;

enum ferr libraries_list(struct req *rq);
enum ferr libraries_create(struct req *rq);
enum ferr libraries_get(struct req *rq);
enum ferr libraries_delete(struct req *rq);
enum ferr libraries_favorite(struct req *rq);

#endif
