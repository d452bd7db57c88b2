/*
 * settings.h: the caller's Pomodoro settings (API.md "Settings"), one
 * round trip each. The row is made with the user (sql/009_cycle.sql).
 */
#ifndef FOCUS_SETTINGS_H
#define FOCUS_SETTINGS_H

#include "http.h"

enum ferr settings_get(struct req *rq);
/* Any subset of the fields; a known field out of range is 422 and
 * changes nothing, an unknown zone likewise (checked by the statement). */
enum ferr settings_patch(struct req *rq);

#endif
