/* pgfake.h: PostgreSQL results built in memory with libpq's own
 * PQmakeEmptyPGresult/PQsetResultAttrs/PQsetvalue, for unit tests of code
 * that reads results (api.c's outcome, db.c's pipeline). Binary values
 * are in the wire format the server sends. */
#ifndef FOCUS_PGFAKE_H
#define FOCUS_PGFAKE_H

#include <check.h>
#include <stdio.h>
#include <string.h>

#include <libpq-fe.h>

#define PGFAKE_MAX_COLS 24

/* A result of status st with n columns of these types, all in format
 * (0 text, 1 binary), and no rows. */
static inline PGresult *
pgfake_result(ExecStatusType st, const Oid *types, int n, int format)
{
	PGresult    *r = PQmakeEmptyPGresult(NULL, st);
	PGresAttDesc att[PGFAKE_MAX_COLS];
	static char  names[PGFAKE_MAX_COLS][8];
	int          i;

	ck_assert(r != NULL);
	ck_assert(n <= PGFAKE_MAX_COLS);
	if (n == 0)
		return r;
	memset(att, 0, sizeof(att));
	for (i = 0; i < n; i++) {
		snprintf(names[i], sizeof(names[i]), "c%d", i);
		att[i].name = names[i];
		att[i].format = format;
		att[i].typid = types[i];
		att[i].typlen = -1;
		att[i].atttypmod = -1;
	}
	ck_assert_int_eq(PQsetResultAttrs(r, n, att), 1);
	return r;
}

/* Cell (row, col): len bytes of v, or SQL NULL when v is NULL. */
static inline void
pgfake_set(PGresult *r, int row, int col, const void *v, int len)
{
	ck_assert_int_eq(PQsetvalue(r, row, col, (char *)v, v != NULL ? len : -1), 1);
}

static inline void
pgfake_text(PGresult *r, int row, int col, const char *s)
{
	pgfake_set(r, row, col, s, s != NULL ? (int)strlen(s) : -1);
}

#endif
