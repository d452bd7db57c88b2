/* check_log.c: src/log.c: one escaper for every value. */
#include <check.h>

#include "unit.h"
#include <stdlib.h>
#include <string.h>

#include "log.h"

static const struct {
	const char *sentence, *in, *out;
} rows[] = {
	{ "a plain value is written as is", "GET", "GET" },
	{ "an empty value is quoted", "", "\"\"" },
	{ "a space makes the value quoted", "a b", "\"a b\"" },
	{ "an equals sign makes the value quoted", "a=b", "\"a=b\"" },
	{ "quotes and backslashes are escaped", "a\"b\\", "\"a\\\"b\\\\\"" },
	{ "a newline cannot start a new line", "a\nlevel=error", "\"a\\x0alevel=error\"" },
	{ "control characters are escaped", "\x01", "\"\\x01\"" },
};

START_TEST(test_escape_rows)
{
	char out[600];
	ck_assert_str_eq(log_escape(out, sizeof(out), rows[_i].in), rows[_i].out);
}
END_TEST

START_TEST(test_long_values_are_cut)
{
	char in[1000], out[1200];

	memset(in, 'x', sizeof(in) - 1);
	in[sizeof(in) - 1] = '\0';
	log_escape(out, sizeof(out), in);
	ck_assert_uint_le(strlen(out), LOG_MAX_VALUE + 3);
	ck_assert(strstr(out, "...") != NULL);
}
END_TEST

int
main(void)
{
	Suite   *s = suite_create("log");
	TCase   *tc = tcase_create("escape");

	tcase_add_loop_test(tc, test_escape_rows, 0, sizeof(rows) / sizeof(rows[0]));
	tcase_add_test(tc, test_long_values_are_cut);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
