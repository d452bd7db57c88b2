/* check_api.c: src/api.c's outcome mapping (api_outcome): a route
 * statement's first row names how the request went, in text or binary
 * results, and anything else about the row is a 500, never a success. */
#include <check.h>

#include "unit.h"
#include <string.h>

#include "api.h"
#include "pgbin.h"
#include "pgfake.h"

static const Oid text_types[] = { PGBIN_TEXTOID, PGBIN_TEXTOID, PGBIN_TEXTOID };
static const Oid bin_types[] = { PGBIN_TEXTOID, PGBIN_UUIDOID, PGBIN_INT4OID };

#define USER_TEXT "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
static const unsigned char user_bytes[16] = {
	0x0f, 0x1e, 0x2d, 0x3c, 0x4b, 0x5a, 0x69, 0x78, 0x87, 0x96, 0xa5, 0xb4, 0xc3, 0xd2, 0xe1, 0xf0 };

static const struct {
	const char *outcome;
	enum ferr   want;
} rows[] = {
	{ "ok",           FERR_OK },
	{ "unauthorized", FERR_UNAUTHORIZED },
	{ "not_found",    FERR_NOT_FOUND },
	{ "conflict",     FERR_CONFLICT },
	{ "too_large",    FERR_TOO_LARGE },
	{ "invalid",      FERR_VALIDATION },
	/* not in the table: a statement and the C disagree, never a success */
	{ "OK",           FERR_INTERNAL },
	{ "ok ",          FERR_INTERNAL },
	{ "",             FERR_INTERNAL },
	{ "forbidden",    FERR_INTERNAL },
};

/* every outcome, with a text result and its user_id */
START_TEST(test_outcome_text)
{
	PGresult *r = pgfake_result(PGRES_TUPLES_OK, text_types, 3, 0);
	char      user[37] = "stale";

	pgfake_text(r, 0, 0, rows[_i].outcome);
	pgfake_text(r, 0, 1, USER_TEXT);
	pgfake_text(r, 0, 2, "{}");
	ck_assert_msg(api_outcome(r, user) == rows[_i].want, "outcome \"%s\"", rows[_i].outcome);
	ck_assert_str_eq(user, USER_TEXT);
	PQclear(r);
}
END_TEST

/* the same with a binary result: the outcome is text either way, the
 * user_id a 16-byte uuid */
START_TEST(test_outcome_binary)
{
	PGresult *r = pgfake_result(PGRES_TUPLES_OK, bin_types, 3, 1);
	char      user[37] = "";

	pgfake_text(r, 0, 0, rows[_i].outcome);
	pgfake_set(r, 0, 1, user_bytes, 16);
	pgfake_set(r, 0, 2, "\0\0\0\1", 4);
	ck_assert_msg(api_outcome(r, user) == rows[_i].want, "outcome \"%s\"", rows[_i].outcome);
	ck_assert_str_eq(user, USER_TEXT);
	PQclear(r);
}
END_TEST

START_TEST(test_no_user_is_empty)
{
	PGresult *r = pgfake_result(PGRES_TUPLES_OK, text_types, 2, 0);
	PGresult *b = pgfake_result(PGRES_TUPLES_OK, bin_types, 2, 1);
	char      user[37] = "stale";

	pgfake_text(r, 0, 0, "unauthorized");
	pgfake_set(r, 0, 1, NULL, 0);
	ck_assert_int_eq(api_outcome(r, user), FERR_UNAUTHORIZED);
	ck_assert_str_eq(user, "");
	strcpy(user, "stale");
	pgfake_text(b, 0, 0, "unauthorized");
	pgfake_set(b, 0, 1, NULL, 0);
	ck_assert_int_eq(api_outcome(b, user), FERR_UNAUTHORIZED);
	ck_assert_str_eq(user, "");
	PQclear(r);
	PQclear(b);
}
END_TEST

/* a row that is not a route statement's: no rows, one column, a binary
 * user_id of the wrong size */
START_TEST(test_malformed_is_internal)
{
	PGresult *none = pgfake_result(PGRES_TUPLES_OK, text_types, 3, 0);
	PGresult *one = pgfake_result(PGRES_TUPLES_OK, text_types, 1, 0);
	PGresult *shortid = pgfake_result(PGRES_TUPLES_OK, bin_types, 2, 1);
	char      user[37];

	ck_assert_int_eq(api_outcome(none, user), FERR_INTERNAL);
	pgfake_text(one, 0, 0, "ok");
	ck_assert_int_eq(api_outcome(one, user), FERR_INTERNAL);
	pgfake_text(shortid, 0, 0, "ok");
	pgfake_set(shortid, 0, 1, user_bytes, 15);
	ck_assert_int_eq(api_outcome(shortid, user), FERR_INTERNAL);
	PQclear(none);
	PQclear(one);
	PQclear(shortid);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("api");
	TCase *tc = tcase_create("outcome");
	int    n = (int)(sizeof(rows) / sizeof(rows[0]));

	tcase_add_loop_test(tc, test_outcome_text, 0, n);
	tcase_add_loop_test(tc, test_outcome_binary, 0, n);
	tcase_add_test(tc, test_no_user_is_empty);
	tcase_add_test(tc, test_malformed_is_internal);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
