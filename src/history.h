/*
 * history.h: POST /api/focus/batch (API.md "History a person can
 * correct"): complete, abandon, create (a manual session), update and
 * delete, 1..FOCUS_MAX_BATCH items of any mix, all or nothing, in one
 * statement (stmt.c history_batch).
 */
#ifndef FOCUS_HISTORY_H
#define FOCUS_HISTORY_H

#include "http.h"
#include "validate.h"

/* The item's field table (routes.c body_tables, for the fuzz target). */
extern const struct field_table history_item_body;

enum ferr history_batch(struct req *rq);

#endif
