/*
 * pgarray.h: PostgreSQL array literals ({"a","b"}) for array parameters
 * sent as text (the batch's ids and actions). Every element is
 * double-quoted with '"' and '\' escaped, so no element, whatever it
 * holds, can end the array, split into two, or read as NULL.
 */
#ifndef FOCUS_PGARRAY_H
#define FOCUS_PGARRAY_H

#include <stddef.h>

/* One literal being written into a caller's buffer; the first element
 * that does not fit makes the whole literal fail (a sticky error). */
struct pgarray {
	char  *buf;
	size_t cap;
	size_t len;
	int    overflow;
	size_t n;           /* elements added */
};

/* Start a literal in buf (cap bytes). */
void pgarray_init(struct pgarray *a, char *buf, size_t cap);

/* Append one element (a C string). */
void pgarray_add(struct pgarray *a, const char *elem);

/* Append one SQL NULL element (the unquoted word NULL: no quoted
 * element, whatever it holds, reads as one). elem NULL in pgarray_add
 * does the same. */
void pgarray_add_null(struct pgarray *a);

/* Close the literal: buf with its NUL, or NULL when it did not fit. */
const char *pgarray_end(struct pgarray *a);

#endif
