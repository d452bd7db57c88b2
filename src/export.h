/*
 * export.h: GET /api/focus/export (API.md "Export"): the caller's
 * sessions as a CSV (RFC 4180) or JSON file, streamed from the database
 * one row at a time (db_stream) to FastCGI as the rows arrive, so the
 * worker's memory does not grow with the history's length.
 */
#ifndef FOCUS_EXPORT_H
#define FOCUS_EXPORT_H

#include <stddef.h>
#include <sys/types.h>

#include "ferr.h"
#include "http.h"

/* Room one CSV cell of n bytes may need: the formula guard, every byte
 * a doubled quote, the two enclosing quotes. */
#define EXPORT_CELL_MAX(n) (2 * (n) + 3)

/* One CSV cell (RFC 4180 section 2) of in[0..n) into out (cap bytes, no
 * NUL written): a cell that begins with '=', '+', '-' or '@' gets a
 * leading "'" so that a spreadsheet never runs it as a formula; a cell
 * holding a comma, a double quote, CR or LF is enclosed in double quotes,
 * each double quote doubled. Returns the bytes written, -1 when cap is
 * too small. */
ssize_t export_csv_cell(const char *in, size_t n, char *out, size_t cap) FOCUS_MUSTCHECK;

enum ferr export_sessions(struct req *rq) FOCUS_MUSTCHECK;

#endif
