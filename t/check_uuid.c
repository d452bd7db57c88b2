/* check_uuid.c: src/uuid.c, table-driven; one row per behaviour. */
#include <check.h>

#include "unit.h"
#include <string.h>

#include "uuid.h"

static const struct {
	const char *sentence, *in;
	const char *canonical;    /* NULL: not a UUID */
	int         lowercase;    /* uuid_is_lowercase(in) */
} rows[] = {
	{ "a lowercase UUID is its own canonical form", "0123abcd-4567-89ef-0123-456789abcdef",
	  "0123abcd-4567-89ef-0123-456789abcdef", 1 },
	{ "any case is accepted and written lowercase", "0123ABCD-4567-89eF-0123-456789ABCDEF",
	  "0123abcd-4567-89ef-0123-456789abcdef", 0 },
	{ "a dash out of place is refused", "0123abcd4-567-89ef-0123-456789abcdef", NULL, 0 },
	{ "a non-hex digit is refused", "0123abcg-4567-89ef-0123-456789abcdef", NULL, 0 },
	{ "one character short is refused", "0123abcd-4567-89ef-0123-456789abcde", NULL, 0 },
	{ "one character long is refused", "0123abcd-4567-89ef-0123-456789abcdef0", NULL, 0 },
	{ "braces are refused", "{123abcd-4567-89ef-0123-456789abcde}", NULL, 0 },
	{ "the empty string is refused", "", NULL, 0 },
};

START_TEST(test_uuid_rows)
{
	char   out[UUID_CHARS + 1] = "untouched";
	size_t len = strlen(rows[_i].in);
	int    r = uuid_canonical(rows[_i].in, len, out);

	if (rows[_i].canonical == NULL) {
		ck_assert_msg(r == -1, "%s", rows[_i].sentence);
		ck_assert_str_eq(out, "untouched");
	} else {
		ck_assert_msg(r == 0, "%s", rows[_i].sentence);
		ck_assert_str_eq(out, rows[_i].canonical);
	}
	/* uuid_is_lowercase reads exactly UUID_CHARS bytes */
	if (len == UUID_CHARS)
		ck_assert_msg(uuid_is_lowercase(rows[_i].in) == rows[_i].lowercase,
		    "%s: uuid_is_lowercase", rows[_i].sentence);
}
END_TEST

START_TEST(test_format_round_trips_bytes)
{
	unsigned char in[UUID_BYTES], back[UUID_BYTES];
	char          text[UUID_CHARS + 1];
	int           i;

	for (i = 0; i < UUID_BYTES; i++)
		in[i] = (unsigned char)(i * 17 + 3);
	uuid_format(in, text);
	ck_assert_str_eq(text, "03142536-4758-697a-8b9c-adbecfe0f102");
	ck_assert_int_eq(uuid_parse(text, strlen(text), back), 0);
	ck_assert_mem_eq(in, back, UUID_BYTES);
}
END_TEST

START_TEST(test_random_is_version_4)
{
	char a[UUID_CHARS + 1], b[UUID_CHARS + 1];

	ck_assert_int_eq(uuid_random(a), 0);
	ck_assert_int_eq(uuid_random(b), 0);
	ck_assert(uuid_is_lowercase(a));
	ck_assert_int_eq(a[14], '4');
	ck_assert(strchr("89ab", a[19]) != NULL);
	ck_assert_str_ne(a, b);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("uuid");
	TCase *tc = tcase_create("uuid");

	tcase_add_loop_test(tc, test_uuid_rows, 0, sizeof(rows) / sizeof(rows[0]));
	tcase_add_test(tc, test_format_round_trips_bytes);
	tcase_add_test(tc, test_random_is_version_4);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
