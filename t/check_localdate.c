/* check_localdate.c: src/localdate.c, table-driven; one row per behaviour. */
#include <check.h>
#include <string.h>

#include "unit.h"

#include "localdate.h"

static const struct {
	const char *sentence, *in;
	int         ok;
} rows[] = {
	{ "an ordinary date is accepted", "2026-03-29", 1 },
	{ "the first day of year 1 is accepted", "0001-01-01", 1 },
	{ "the last day of year 9999 is accepted", "9999-12-31", 1 },
	{ "February 29 of a leap year is accepted", "2024-02-29", 1 },
	{ "February 29 of a year 400 divides is accepted", "2000-02-29", 1 },
	{ "February 29 of a common year is refused", "2026-02-29", 0 },
	{ "February 29 of a century year is refused", "1900-02-29", 0 },
	{ "April 31 is refused", "2026-04-31", 0 },
	{ "day 0 is refused", "2026-01-00", 0 },
	{ "month 0 is refused", "2026-00-10", 0 },
	{ "month 13 is refused", "2026-13-01", 0 },
	{ "year 0 is refused", "0000-01-01", 0 },
	{ "a one-digit month is refused", "2026-1-01", 0 },
	{ "slashes are refused", "2026/01/01", 0 },
	{ "a time after the date is refused", "2026-01-01T00:00", 0 },
	{ "a sign before the year is refused", "+202-01-01", 0 },
	{ "a space inside is refused", "2026-01- 1", 0 },
	{ "letters are refused", "20a6-01-01", 0 },
	{ "the empty string is refused", "", 0 },
	{ "a five-digit year is refused", "20260-01-01", 0 },
};

START_TEST(test_localdate_rows)
{
	char out[LOCALDATE_LEN + 1] = "untouched";
	int  r = localdate_parse(rows[_i].in, strlen(rows[_i].in), out);

	if (rows[_i].ok) {
		ck_assert_msg(r == 0, "%s", rows[_i].sentence);
		ck_assert_str_eq(out, rows[_i].in);
	} else {
		ck_assert_msg(r == -1, "%s", rows[_i].sentence);
		ck_assert_str_eq(out, "untouched");
	}
}
END_TEST

START_TEST(test_embedded_nul_is_refused)
{
	char out[LOCALDATE_LEN + 1];

	ck_assert_int_eq(localdate_parse("2026-01-0\0", LOCALDATE_LEN, out), -1);
	ck_assert_int_eq(localdate_parse(NULL, 0, out), -1);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("localdate");
	TCase *tc = tcase_create("localdate");

	tcase_add_loop_test(tc, test_localdate_rows, 0, sizeof(rows) / sizeof(rows[0]));
	tcase_add_test(tc, test_embedded_nul_is_refused);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
