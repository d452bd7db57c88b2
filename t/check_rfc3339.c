/* check_rfc3339.c: src/rfc3339.c, the timestamps a batch's create and
 * update accept (started_at), one row per case. */
#include <check.h>
#include <string.h>

#include "unit.h"
#include "rfc3339.h"

static const struct {
	const char *sentence;
	const char *text;
	int         valid;
} rows[] = {
	{ "UTC with Z is accepted", "2026-01-17T10:00:00Z", 1 },
	{ "milliseconds are accepted", "2026-01-17T10:00:00.123Z", 1 },
	{ "microseconds are accepted", "2026-01-17T10:00:00.123456Z", 1 },
	{ "an offset is accepted", "2026-01-17T10:00:00+01:00", 1 },
	{ "a negative offset with a fraction is accepted", "2026-01-17T10:00:00.5-09:30", 1 },
	{ "lowercase t and z are accepted (RFC 3339 5.6)", "2026-01-17t10:00:00z", 1 },
	{ "29 February of a leap year exists", "2024-02-29T00:00:00Z", 1 },
	{ "29 February of 2100 does not", "2100-02-29T00:00:00Z", 0 },
	{ "29 February of 2000 does", "2000-02-29T23:59:59Z", 1 },
	{ "31 April does not exist", "2026-04-31T10:00:00Z", 0 },
	{ "month 13 is refused", "2026-13-01T10:00:00Z", 0 },
	{ "hour 24 is refused", "2026-01-17T24:00:00Z", 0 },
	{ "a leap second is refused", "2026-06-30T23:59:60Z", 0 },
	{ "no zone is refused", "2026-01-17T10:00:00", 0 },
	{ "a space instead of T is refused", "2026-01-17 10:00:00Z", 0 },
	{ "a date alone is refused", "2026-01-17", 0 },
	{ "PostgreSQL's words are refused", "now", 0 },
	{ "seven fraction digits are refused", "2026-01-17T10:00:00.1234567Z", 0 },
	{ "an empty fraction is refused", "2026-01-17T10:00:00.Z", 0 },
	{ "an offset without colon is refused", "2026-01-17T10:00:00+0100", 0 },
	{ "an offset hour of 24 is refused", "2026-01-17T10:00:00+24:00", 0 },
	{ "trailing text is refused", "2026-01-17T10:00:00Zx", 0 },
	{ "a sign before the year is refused", "+2026-01-17T10:00:00Z", 0 },
	{ "year 0000 is refused", "0000-01-01T00:00:00Z", 0 },
	{ "the empty string is refused", "", 0 },
};

START_TEST(test_rows)
{
	ck_assert_msg(rfc3339_valid(rows[_i].text, strlen(rows[_i].text)) == rows[_i].valid,
	    "%s: %s", rows[_i].sentence, rows[_i].text);
}
END_TEST

/* the length given is the length checked: a NUL inside is not an end */
START_TEST(test_embedded_nul)
{
	static const char text[] = "2026-01-17T10:00:00Z\0junk";

	ck_assert_int_eq(rfc3339_valid(text, sizeof(text) - 1), 0);
	ck_assert_int_eq(rfc3339_valid(text, 20), 1);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("rfc3339");
	TCase *tc = tcase_create("rows");

	tcase_add_loop_test(tc, test_rows, 0, sizeof(rows) / sizeof(rows[0]));
	tcase_add_test(tc, test_embedded_nul);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
