/*
 * localdate.h: the local dates of query strings (from, to: YYYY-MM-DD),
 * checked before they reach a statement. Only the form and the calendar
 * are checked here (a month has its days, February 29 only in a leap
 * year); every computation with dates (ranges, weeks, zones) is
 * PostgreSQL's (sql/011_localtime.sql), so a date that passes here is one
 * PostgreSQL reads as the same day.
 */
#ifndef FOCUS_LOCALDATE_H
#define FOCUS_LOCALDATE_H

#include <stddef.h>

#include "ferr.h"

/* "YYYY-MM-DD" and its NUL */
#define LOCALDATE_LEN 10

/* Is s (n bytes) a calendar date written YYYY-MM-DD, year 0001..9999?
 * On success copies it, NUL-terminated, to out and returns 0; -1
 * otherwise (out untouched). */
int localdate_parse(const char *s, size_t n, char out[LOCALDATE_LEN + 1]) FOCUS_MUSTCHECK;

#endif
