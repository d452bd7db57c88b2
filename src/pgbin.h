/*
 * pgbin.h: reading binary-format result columns (PQexecPrepared with
 * resultFormat 1), for statements whose rows the worker renders itself
 * (render.h). Binary values cost the server no output function (a
 * timestamptz is 8 bytes, not to_char); in exchange each reader checks
 * the column's type and the value's length before it touches a byte, so a
 * statement whose columns drift from what the reader expects is an error,
 * never a misread.
 *
 * Each reader returns PGBIN_OK, PGBIN_NULL (SQL NULL; *out untouched) or
 * PGBIN_BAD (not binary, wrong type, wrong length, no such cell).
 */
#ifndef FOCUS_PGBIN_H
#define FOCUS_PGBIN_H

#include <stddef.h>
#include <stdint.h>

#include <libpq-fe.h>

enum pgbin { PGBIN_OK = 0, PGBIN_NULL = 1, PGBIN_BAD = -1 };

/* The built-in type OIDs we read (PostgreSQL's catalog/pg_type.dat; they
 * are fixed for built-in types, and libpq-dev does not ship the header). */
#define PGBIN_BOOLOID        16
#define PGBIN_INT8OID        20
#define PGBIN_INT4OID        23
#define PGBIN_TEXTOID        25
#define PGBIN_JSONOID       114
#define PGBIN_VARCHAROID   1043
#define PGBIN_TIMESTAMPTZOID 1184
#define PGBIN_UUIDOID       2950

/* Microseconds from 1970-01-01 to 2000-01-01, PostgreSQL's epoch. */
#define PGBIN_EPOCH_OFFSET_US INT64_C(946684800000000)

enum pgbin pgbin_int4(const PGresult *r, int row, int col, int32_t *out);
/* int8 (counts, sums) */
enum pgbin pgbin_int8(const PGresult *r, int row, int col, int64_t *out);
enum pgbin pgbin_bool(const PGresult *r, int row, int col, int *out);
/* timestamptz as microseconds since 1970-01-01 UTC; -infinity and
 * infinity are PGBIN_BAD (no route writes them) */
enum pgbin pgbin_ts(const PGresult *r, int row, int col, int64_t *out);
/* uuid in its canonical text form: 36 characters and a NUL */
enum pgbin pgbin_uuid(const PGresult *r, int row, int col, char out[37]);
/* text, varchar or json (the same bytes on the wire): the bytes (libpq
 * ends them with a NUL) and their length */
enum pgbin pgbin_text(const PGresult *r, int row, int col, const char **out, size_t *len);

/* Is the cell SQL NULL (or missing)? */
int pgbin_isnull(const PGresult *r, int row, int col);

#endif
