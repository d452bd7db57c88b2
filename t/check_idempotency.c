/* check_idempotency.c: src/idempotency.c, the Idempotency-Key header
 * values accepted (API.md: 1..64 printable ASCII characters), one row
 * per case. */
#include <check.h>
#include <string.h>

#include "unit.h"
#include "idempotency.h"

static const struct {
	const char *sentence;
	const char *key;
	int         valid;
} rows[] = {
	{ "one character is a key", "k", 1 },
	{ "a UUID is a key", "7f3c1b2a-0000-4000-8000-000000000001", 1 },
	{ "spaces and punctuation are printable", "retry #2: start (phone)", 1 },
	{ "64 characters are the most",
	  "0123456789012345678901234567890123456789012345678901234567890123", 1 },
	{ "65 characters are too many",
	  "01234567890123456789012345678901234567890123456789012345678901234", 0 },
	{ "the empty key is refused", "", 0 },
	{ "a tab is not printable", "a\tb", 0 },
	{ "DEL is not printable", "a\x7f", 0 },
	{ "UTF-8 is not ASCII", "cl\xc3\xa9", 0 },
	{ "a newline is refused", "a\nb", 0 },
};

START_TEST(test_rows)
{
	ck_assert_msg(idempotency_key_valid(rows[_i].key, strlen(rows[_i].key)) == rows[_i].valid,
	    "%s", rows[_i].sentence);
}
END_TEST

/* the length given is the one checked: a NUL inside is refused */
START_TEST(test_embedded_nul)
{
	ck_assert_int_eq(idempotency_key_valid("ab\0cd", 5), 0);
	ck_assert_int_eq(idempotency_key_valid("ab\0cd", 2), 1);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("idempotency");
	TCase *tc = tcase_create("keys");

	tcase_add_loop_test(tc, test_rows, 0, sizeof(rows) / sizeof(rows[0]));
	tcase_add_test(tc, test_embedded_nul);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
