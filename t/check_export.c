/* check_export.c: src/export.c's CSV cells, table-driven; one row per
 * behaviour (RFC 4180 section 2, and the formula guard of API.md). */
#include <check.h>
#include <string.h>

#include "unit.h"

#include "export.h"

static const struct {
	const char *sentence, *in, *out;
} rows[] = {
	{ "a plain cell is written as it is", "Write the report", "Write the report" },
	{ "the empty cell stays empty", "", "" },
	{ "a comma encloses the cell in quotes", "a,b", "\"a,b\"" },
	{ "a quote is doubled inside quotes", "say \"hi\"", "\"say \"\"hi\"\"\"" },
	{ "a line feed encloses the cell in quotes", "one\ntwo", "\"one\ntwo\"" },
	{ "a carriage return encloses the cell in quotes", "one\rtwo", "\"one\rtwo\"" },
	{ "a formula gets a leading apostrophe", "=SUM(A1:A9)", "'=SUM(A1:A9)" },
	{ "a plus sign gets a leading apostrophe", "+1", "'+1" },
	{ "a minus sign gets a leading apostrophe", "-1", "'-1" },
	{ "an at sign gets a leading apostrophe", "@cmd", "'@cmd" },
	{ "a guarded formula with a comma is quoted around the apostrophe", "=1,2", "\"'=1,2\"" },
	{ "a sign later in the cell is left alone", "a=b-c", "a=b-c" },
	{ "UTF-8 passes through", "Übung – ok", "Übung – ok" },
};

START_TEST(test_cell_rows)
{
	char    out[256];
	ssize_t n = export_csv_cell(rows[_i].in, strlen(rows[_i].in), out, sizeof(out));

	ck_assert_msg(n == (ssize_t)strlen(rows[_i].out), "%s: length %zd", rows[_i].sentence, n);
	ck_assert_msg(memcmp(out, rows[_i].out, (size_t)n) == 0, "%s", rows[_i].sentence);
}
END_TEST

START_TEST(test_worst_case_fits_its_bound)
{
	char    out[EXPORT_CELL_MAX(4)];
	ssize_t n = export_csv_cell("=\"\"\"", 4, out, sizeof(out));

	/* quote, apostrophe, '=', three doubled quotes, quote */
	ck_assert_int_eq(n, 10);
	ck_assert(memcmp(out, "\"'=\"\"\"\"\"\"\"", 10) == 0);
	ck_assert_int_eq(export_csv_cell("abc", 3, out, 8), -1);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("export");
	TCase *tc = tcase_create("export");

	tcase_add_loop_test(tc, test_cell_rows, 0, sizeof(rows) / sizeof(rows[0]));
	tcase_add_test(tc, test_worst_case_fits_its_bound);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
