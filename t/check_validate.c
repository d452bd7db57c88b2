/* check_validate.c: src/validate.c: the declared field tables. */
#include <check.h>

#include "unit.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "validate.h"

static const char *const modes[] = { "focus", "break", "long_break", NULL };
static const struct field fields[] = {
	/* as POST /api/focus declares them: null only where API.md allows it */
	{ "duration_seconds", FIELD_INT, 1, 86400, NULL, 0 },
	{ "task_title", FIELD_STR, 0, 200, NULL, 1 },
	{ "task_id", FIELD_UUID, 0, 0, NULL, 1 },
	{ "mode", FIELD_ENUM, 0, 0, modes, 0 },
	{ "name", FIELD_STR, 1, 5, NULL, 0 },
};

static const struct {
	const char *sentence, *body;
	enum ferr   want;
} rows[] = {
	{ "an empty object passes", "{}", FERR_OK },
	{ "unknown fields are ignored", "{\"limit\":5,\"pageSize\":\"x\"}", FERR_OK },
	{ "an integer in range passes", "{\"duration_seconds\":1500}", FERR_OK },
	{ "zero seconds is out of range", "{\"duration_seconds\":0}", FERR_VALIDATION },
	{ "a day and a second is out of range", "{\"duration_seconds\":86401}", FERR_VALIDATION },
	{ "a number as a string is the wrong type", "{\"duration_seconds\":\"1500\"}", FERR_VALIDATION },
	{ "a fraction is the wrong type", "{\"duration_seconds\":1.5}", FERR_VALIDATION },
	{ "a boolean is the wrong type", "{\"duration_seconds\":true}", FERR_VALIDATION },
	{ "a huge integer is out of range", "{\"duration_seconds\":99999999999999999999}", FERR_VALIDATION },
	{ "null counts as absent where nullable", "{\"task_title\":null,\"task_id\":null}", FERR_OK },
	{ "null is refused where not nullable", "{\"name\":null}", FERR_VALIDATION },
	{ "a null integer is refused, not taken as the default", "{\"duration_seconds\":null}", FERR_VALIDATION },
	{ "a null enum is refused, not taken as the default", "{\"mode\":null}", FERR_VALIDATION },
	{ "a null after valid fields is refused", "{\"mode\":\"focus\",\"task_title\":\"t\",\"duration_seconds\":null}", FERR_VALIDATION },
	{ "an absent field is not null", "{\"mode\":\"break\"}", FERR_OK },
	{ "a title of 200 characters passes", NULL, FERR_OK },
	{ "a title of 201 characters is too long", NULL, FERR_VALIDATION },
	{ "characters, not bytes, are counted", "{\"name\":\"\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\"}", FERR_OK },
	{ "an embedded NUL is refused", "{\"task_title\":\"a\\u0000b\"}", FERR_VALIDATION },
	{ "a UUID in any case passes", "{\"task_id\":\"AAAAAAAA-BBBB-cccc-dddd-eeeeeeeeeeee\"}", FERR_OK },
	{ "a malformed UUID is refused", "{\"task_id\":\"aaaaaaaa-bbbb-cccc-dddd\"}", FERR_VALIDATION },
	{ "a UUID that is a number is refused", "{\"task_id\":12}", FERR_VALIDATION },
	{ "a known mode passes", "{\"mode\":\"long_break\"}", FERR_OK },
	{ "an unknown mode is refused", "{\"mode\":\"nap\"}", FERR_VALIDATION },
	{ "a mode in capitals is refused", "{\"mode\":\"FOCUS\"}", FERR_VALIDATION },
};

START_TEST(test_rows)
{
	struct field_value v[5];
	json_object       *o = NULL;
	char               msg[200], body[1024];
	enum ferr          e;

	if (rows[_i].body != NULL)
		snprintf(body, sizeof(body), "%s", rows[_i].body);
	else {
		int n = rows[_i].want == FERR_OK ? 200 : 201;
		strcpy(body, "{\"task_title\":\"");
		memset(body + strlen(body), 'x', (size_t)n);
		strcpy(body + 15 + n, "\"}");
	}
	ck_assert_int_eq(http_parse_json(body, strlen(body), &o), FERR_OK);
	e = validate_fields(o, fields, 5, v, msg, sizeof(msg));
	ck_assert_msg(e == rows[_i].want, "%s: got %d (%s)", rows[_i].sentence, e, msg);
	json_object_put(o);
}
END_TEST

START_TEST(test_uuid_is_lowercased)
{
	struct field_value v[5];
	json_object       *o = NULL;
	char               msg[200];
	const char        *body = "{\"task_id\":\"AAAAAAAA-BBBB-cccc-dddd-EEEEEEEEEEEE\"}";

	ck_assert_int_eq(http_parse_json(body, strlen(body), &o), FERR_OK);
	ck_assert_int_eq(validate_fields(o, fields, 5, v, msg, sizeof(msg)), FERR_OK);
	ck_assert_str_eq(v[2].uuid, "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee");
	json_object_put(o);
}
END_TEST

static const struct {
	const char *sentence, *query;
	enum ferr   want;
	long long   value;
} query_rows[] = {
	{ "an absent page is the default", "", FERR_OK, 1 },
	{ "a page in range passes", "page=3", FERR_OK, 3 },
	{ "page zero is a bad request", "page=0", FERR_BAD_REQUEST, 0 },
	{ "a negative page is a bad request", "page=-1", FERR_BAD_REQUEST, 0 },
	{ "a word is a bad request", "page=two", FERR_BAD_REQUEST, 0 },
	{ "an empty page is a bad request", "page=", FERR_BAD_REQUEST, 0 },
	{ "trailing junk is a bad request", "page=2x", FERR_BAD_REQUEST, 0 },
	{ "an overflowing number is a bad request", "page=99999999999999999999999", FERR_BAD_REQUEST, 0 },
};

START_TEST(test_query_rows)
{
	long long v;
	char      msg[100];
	enum ferr e = validate_query_int(query_rows[_i].query, "page", 1, 1, 1000, &v, msg, sizeof(msg));

	ck_assert_msg(e == query_rows[_i].want, "%s", query_rows[_i].sentence);
	if (e == FERR_OK)
		ck_assert_int_eq(v, query_rows[_i].value);
}
END_TEST

START_TEST(test_printable_ascii)
{
	ck_assert_int_eq(printable_ascii("", 0), 1);
	ck_assert_int_eq(printable_ascii("W/\"a-1\" ~", 9), 1);
	ck_assert_int_eq(printable_ascii("\"\xff\"", 3), 0);      /* obs-text */
	ck_assert_int_eq(printable_ascii("a\x7f", 2), 0);
	ck_assert_int_eq(printable_ascii("a\tb", 3), 0);
	ck_assert_int_eq(printable_ascii("ab\0c", 4), 0);
}
END_TEST

START_TEST(test_utf8_length)
{
	ck_assert_int_eq(utf8_length("abc", 3), 3);
	ck_assert_int_eq(utf8_length("\xc3\xa9", 2), 1);
	ck_assert_int_eq(utf8_length("\xf0\x9f\x8d\x85", 4), 1);
	ck_assert_int_eq(utf8_length("\xc3", 1), -1);
	ck_assert_int_eq(utf8_length("\xff", 1), -1);
	ck_assert_int_eq(utf8_length("\xc0\xaf", 2), -1);    /* overlong '/' */
}
END_TEST

int
main(void)
{
	Suite   *s = suite_create("validate");
	TCase   *tc = tcase_create("fields");

	tcase_add_loop_test(tc, test_rows, 0, sizeof(rows) / sizeof(rows[0]));
	tcase_add_test(tc, test_uuid_is_lowercased);
	tcase_add_loop_test(tc, test_query_rows, 0, sizeof(query_rows) / sizeof(query_rows[0]));
	tcase_add_test(tc, test_printable_ascii);
	tcase_add_test(tc, test_utf8_length);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
