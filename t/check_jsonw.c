/* check_jsonw.c: src/jsonw.c, the one JSON writer: escaping (the same
 * bytes json-c writes), nesting and commas, keys, the sticky error. */
#include <check.h>

#include "unit.h"
#include <string.h>

#include <json-c/json.h>

#include "jsonw.h"

/* what w holds, or "(none)" when jw_text refuses */
static const char *
text(struct jsonw *w)
{
	const char *t = jw_text(w, NULL);
	return t != NULL ? t : "(none)";
}

/* every single byte, and a string of all of them, escaped exactly as
 * json-c escapes it (the responses' bytes before the writer) */
START_TEST(test_escaping_matches_json_c)
{
	char         all[255];
	int          c;
	struct jsonw w;

	for (c = 1; c < 256; c++) {
		char         s[2] = { (char)c, '\0' };
		json_object *o = json_object_new_string(s);

		jw_init(&w);
		jw_str(&w, NULL, s);
		ck_assert_msg(strcmp(text(&w), json_object_to_json_string_ext(o,
		    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)) == 0,
		    "byte 0x%02x: %s", c, text(&w));
		json_object_put(o);
		jw_free(&w);
		all[c - 1] = (char)c;
	}
	{
		json_object *o = json_object_new_string_len(all, (int)sizeof(all));

		jw_init(&w);
		jw_strn(&w, NULL, all, sizeof(all));
		ck_assert_str_eq(text(&w), json_object_to_json_string_ext(o,
		    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(o);
		jw_free(&w);
	}
}
END_TEST

START_TEST(test_nul_and_keys_are_escaped)
{
	struct jsonw w;

	jw_init(&w);
	jw_obj(&w, NULL);
	jw_strn(&w, "a\"b", "x\0y", 3);
	jw_end(&w);
	ck_assert_str_eq(text(&w), "{\"a\\\"b\":\"x\\u0000y\"}");
	jw_free(&w);
}
END_TEST

START_TEST(test_nesting_places_commas)
{
	struct jsonw w;

	jw_init(&w);
	jw_obj(&w, NULL);
	jw_key(&w, "data");
	jw_obj(&w, NULL);
	jw_arr(&w, "items");
	jw_int(&w, NULL, 1);
	jw_int(&w, NULL, -9223372036854775807LL - 1);
	jw_obj(&w, NULL);
	jw_end(&w);
	jw_arr(&w, NULL);
	jw_end(&w);
	jw_null(&w, NULL);
	jw_end(&w);
	jw_bool(&w, "t", 1);
	jw_bool(&w, "f", 0);
	jw_str(&w, "none", NULL);
	jw_ts(&w, "at", 0);
	jw_end(&w);
	jw_end(&w);
	ck_assert_str_eq(text(&w), "{\"data\":{\"items\":[1,-9223372036854775808,{},[],null],"
	    "\"t\":true,\"f\":false,\"none\":null,\"at\":\"1970-01-01T00:00:00.000Z\"}}");
	ck_assert_int_eq(jw_error(&w), JW_OK);
	jw_free(&w);
}
END_TEST

/* each misuse, then a valid call: the first error stays, the text is
 * refused, and nothing more is written */
static const struct {
	const char *sentence;
	int         misuse;
	enum jw_err want;
} misuse_rows[] = {
	{ "a value without a key in an object", 0, JW_EKEY },
	{ "a key in an array", 1, JW_EKEY },
	{ "a key at the top", 2, JW_EKEY },
	{ "a jw_end too many", 3, JW_ENEST },
	{ "a second top-level value", 4, JW_ENEST },
	{ "nesting past JW_MAX_DEPTH", 5, JW_ENEST },
	{ "a timestamp past year 9999", 6, JW_EVALUE },
	{ "a pending key never used", 7, JW_EKEY },
};

START_TEST(test_misuse_is_a_sticky_error)
{
	struct jsonw w;
	size_t       len;
	int          i;

	jw_init(&w);
	switch (misuse_rows[_i].misuse) {
	case 0: jw_obj(&w, NULL); jw_int(&w, NULL, 1); break;
	case 1: jw_arr(&w, NULL); jw_int(&w, "k", 1); break;
	case 2: jw_int(&w, "k", 1); break;
	case 3: jw_obj(&w, NULL); jw_end(&w); jw_end(&w); break;
	case 4: jw_int(&w, NULL, 1); jw_int(&w, NULL, 2); break;
	case 5:
		for (i = 0; i <= JW_MAX_DEPTH; i++)
			jw_arr(&w, NULL);
		break;
	case 6: jw_arr(&w, NULL); jw_ts(&w, NULL, INT64_C(253402300800000000)); break;
	case 7: jw_obj(&w, NULL); jw_key(&w, "k"); jw_end(&w); break;
	}
	ck_assert_msg(jw_error(&w) == misuse_rows[_i].want, "%s: %d", misuse_rows[_i].sentence, jw_error(&w));
	len = w.len;
	jw_str(&w, NULL, "more");
	jw_end(&w);
	ck_assert_int_eq(jw_error(&w), misuse_rows[_i].want);
	ck_assert_uint_eq(w.len, len);
	ck_assert_ptr_null(jw_text(&w, NULL));
	jw_free(&w);
}
END_TEST

START_TEST(test_unfinished_text_is_refused)
{
	struct jsonw w;

	jw_init(&w);
	ck_assert_ptr_null(jw_text(&w, NULL));
	jw_obj(&w, NULL);
	jw_int(&w, "a", 1);
	ck_assert_ptr_null(jw_text(&w, NULL));
	ck_assert_int_eq(jw_error(&w), JW_OK);
	jw_end(&w);
	ck_assert_str_eq(text(&w), "{\"a\":1}");
	jw_free(&w);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("jsonw");
	TCase *tc = tcase_create("jsonw");

	tcase_add_test(tc, test_escaping_matches_json_c);
	tcase_add_test(tc, test_nul_and_keys_are_escaped);
	tcase_add_test(tc, test_nesting_places_commas);
	tcase_add_loop_test(tc, test_misuse_is_a_sticky_error, 0, sizeof(misuse_rows) / sizeof(misuse_rows[0]));
	tcase_add_test(tc, test_unfinished_text_is_refused);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
