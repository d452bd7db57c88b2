/*
 * rfc3339.h: the timestamps clients send (API.md: RFC 3339, e.g.
 * 2026-01-17T10:00:00.123Z), checked strictly before PostgreSQL sees them:
 * its timestamptz input accepts far more ("now", "epoch", "tomorrow",
 * dates without a time, other orders), and a request must mean one
 * instant, not whatever the server's clock says.
 */
#ifndef FOCUS_RFC3339_H
#define FOCUS_RFC3339_H

#include <stddef.h>

/* The longest form we accept: 2026-01-17T10:00:00.123456+01:00. */
#define RFC3339_MAX_LEN 32

/* 1 when s (len bytes) is an RFC 3339 date-time (section 5.6):
 * YYYY-MM-DDTHH:MM:SS, optional fraction of 1..6 digits (PostgreSQL keeps
 * microseconds), then Z or an offset +HH:MM/-HH:MM; "T" and "Z" in either
 * case (section 5.6 allows it). The day must exist in its month (leap
 * years included); second 60 (a leap second) is refused, as PostgreSQL
 * would move it to the next minute. 0 otherwise. */
int rfc3339_valid(const char *s, size_t len);

#endif
