/*
 * pgbin.c: binary-format result columns (see pgbin.h). Integers travel in
 * network byte order; timestamptz is an int64 of microseconds since
 * 2000-01-01 UTC (integer datetimes, the only kind since PostgreSQL 10);
 * uuid is its 16 bytes; text and json are their UTF-8 bytes.
 */
#include <string.h>

#include "pgbin.h"
#include "uuid.h"

/* Is there such a cell? */
static int
in_result(const PGresult *r, int row, int col)
{
	return r != NULL && row >= 0 && row < PQntuples(r) && col >= 0 && col < PQnfields(r);
}

/* The cell's bytes when it is binary, of the type asked for and exactly
 * want bytes long (0: any length). */
static enum pgbin
cell(const PGresult *r, int row, int col, Oid type, int want, const unsigned char **v)
{
	if (!in_result(r, row, col))
		return PGBIN_BAD;
	if (PQgetisnull(r, row, col))
		return PGBIN_NULL;
	if (PQfformat(r, col) != 1 || PQftype(r, col) != type ||
	    (want > 0 && PQgetlength(r, row, col) != want))
		return PGBIN_BAD;
	*v = (const unsigned char *)PQgetvalue(r, row, col);
	return PGBIN_OK;
}

/* a fixed-length cell (len bytes, big-endian) as an unsigned number */
static enum pgbin
number(const PGresult *r, int row, int col, Oid type, int len, uint64_t *out)
{
	const unsigned char *v;
	enum pgbin           e = cell(r, row, col, type, len, &v);
	int                  i;

	if (e == PGBIN_OK)
		for (*out = 0, i = 0; i < len; i++)
			*out = *out << 8 | v[i];
	return e;
}

int
pgbin_isnull(const PGresult *r, int row, int col)
{
	return !in_result(r, row, col) || PQgetisnull(r, row, col);
}

enum pgbin
pgbin_int4(const PGresult *r, int row, int col, int32_t *out)
{
	uint64_t   u;
	enum pgbin e = number(r, row, col, PGBIN_INT4OID, 4, &u);

	if (e == PGBIN_OK)
		*out = (int32_t)(uint32_t)u;
	return e;
}

enum pgbin
pgbin_int8(const PGresult *r, int row, int col, int64_t *out)
{
	uint64_t   u;
	enum pgbin e = number(r, row, col, PGBIN_INT8OID, 8, &u);

	if (e == PGBIN_OK)
		*out = (int64_t)u;
	return e;
}

enum pgbin
pgbin_bool(const PGresult *r, int row, int col, int *out)
{
	uint64_t   u;
	enum pgbin e = number(r, row, col, PGBIN_BOOLOID, 1, &u);

	if (e == PGBIN_OK)
		*out = u != 0;
	return e;
}

enum pgbin
pgbin_ts(const PGresult *r, int row, int col, int64_t *out)
{
	uint64_t   u;
	enum pgbin e = number(r, row, col, PGBIN_TIMESTAMPTZOID, 8, &u);
	int64_t    us = (int64_t)u;

	if (e != PGBIN_OK)
		return e;
	/* ±infinity are INT64_MIN and INT64_MAX; keep far from overflow */
	if (us <= INT64_MIN / 2 || us >= INT64_MAX / 2)
		return PGBIN_BAD;
	*out = us + PGBIN_EPOCH_OFFSET_US;
	return PGBIN_OK;
}

enum pgbin
pgbin_uuid(const PGresult *r, int row, int col, char out[37])
{
	const unsigned char *v;
	enum pgbin           e = cell(r, row, col, PGBIN_UUIDOID, UUID_BYTES, &v);

	if (e != PGBIN_OK)
		return e;
	uuid_format(v, out);
	return PGBIN_OK;
}

enum pgbin
pgbin_text(const PGresult *r, int row, int col, const char **out, size_t *len)
{
	const unsigned char *v;
	enum pgbin           e;
	Oid                  type = in_result(r, row, col) ? PQftype(r, col) : 0;

	if (type != PGBIN_JSONOID && type != PGBIN_VARCHAROID)
		type = PGBIN_TEXTOID;
	e = cell(r, row, col, type, 0, &v);
	if (e == PGBIN_OK) {
		*out = (const char *)v;
		*len = (size_t)PQgetlength(r, row, col);
	}
	return e;
}
