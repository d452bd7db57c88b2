/* check_http.c: src/http.c: JSON bodies, query strings, URL decoding,
 * If-None-Match. */
#include <check.h>

#include "unit.h"
#include <stdlib.h>
#include <string.h>

#include "http.h"

static const struct {
	const char *sentence;
	const char *body;
	enum ferr   want;
} json_rows[] = {
	{ "an empty body is an empty object", "", FERR_OK },
	{ "white space alone is an empty object", " \n", FERR_OK },
	{ "an object parses", "{\"mode\":\"focus\"}", FERR_OK },
	{ "trailing white space is allowed", "{} \n", FERR_OK },
	{ "an array is not an object", "[1,2]", FERR_BAD_REQUEST },
	{ "a bare string is not an object", "\"x\"", FERR_BAD_REQUEST },
	{ "a number is not an object", "12", FERR_BAD_REQUEST },
	{ "null is not an object", "null", FERR_BAD_REQUEST },
	{ "a truncated object is malformed", "{\"a\":", FERR_BAD_REQUEST },
	{ "garbage after the object is malformed", "{} x", FERR_BAD_REQUEST },
	{ "two objects are malformed", "{}{}", FERR_BAD_REQUEST },
	{ "single quotes are malformed", "{'a':1}", FERR_BAD_REQUEST },
	{ "nesting deeper than the limit is refused",
	  "{\"a\":[[[[[[[[[[[[1]]]]]]]]]]]]}", FERR_BAD_REQUEST },
};

START_TEST(test_parse_json)
{
	json_object *o = NULL;
	enum ferr    e = http_parse_json(json_rows[_i].body, strlen(json_rows[_i].body), &o);

	ck_assert_msg(e == json_rows[_i].want, "%s: got %d", json_rows[_i].sentence, e);
	ck_assert_msg((o != NULL) == (e == FERR_OK), "%s: object and result disagree", json_rows[_i].sentence);
	json_object_put(o);
}
END_TEST

START_TEST(test_body_over_limit_is_too_large)
{
	size_t       n = FOCUS_MAX_JSON_BODY + 10;
	char        *big = malloc(n);
	json_object *o = NULL;

	memset(big, ' ', n);
	big[0] = '{';
	big[n - 1] = '}';
	ck_assert_int_eq(http_parse_json(big, n, &o), FERR_TOO_LARGE);
	free(big);
}
END_TEST

START_TEST(test_embedded_nul_in_body_is_malformed)
{
	json_object *o = NULL;
	static const char body[] = "{\"a\":1}\0{}";

	ck_assert_int_eq(http_parse_json(body, sizeof(body) - 1, &o), FERR_BAD_REQUEST);
}
END_TEST

static const struct {
	const char *sentence, *query, *key;
	int         want;
	const char *value;
} query_rows[] = {
	{ "a present key is found", "page=2&page_size=10", "page_size", 1, "10" },
	{ "a key is matched whole, not by prefix", "page_size=10", "page", 0, NULL },
	{ "an absent key is not found", "a=1", "page", 0, NULL },
	{ "percent escapes are decoded", "track_title=Rain%20%26%20Wind", "track_title", 1, "Rain & Wind" },
	{ "plus is a space", "t=a+b", "t", 1, "a b" },
	{ "a key without a value is empty", "stats&x=1", "stats", 1, "" },
	{ "a bad escape is malformed", "t=%zz", "t", -1, NULL },
	{ "a cut escape is malformed", "t=%4", "t", -1, NULL },
	{ "an encoded NUL is malformed", "t=a%00b", "t", -1, NULL },
	{ "a value longer than the buffer is malformed", "t=0123456789012345678901234567890123456789", "t", -1, NULL },
};

START_TEST(test_query_get)
{
	char out[32];
	int  r = http_query_get(query_rows[_i].query, query_rows[_i].key, out, sizeof(out));

	ck_assert_msg(r == query_rows[_i].want, "%s: got %d", query_rows[_i].sentence, r);
	if (r == 1)
		ck_assert_str_eq(out, query_rows[_i].value);
}
END_TEST

START_TEST(test_json_content_types)
{
	ck_assert(http_is_json_type("application/json"));
	ck_assert(http_is_json_type("application/json; charset=utf-8"));
	ck_assert(http_is_json_type("Application/JSON"));
	ck_assert(!http_is_json_type("application/jsonx"));
	ck_assert(!http_is_json_type("text/plain"));
	ck_assert(!http_is_json_type(NULL));
}
END_TEST

/* If-None-Match against the tag W/"u-7" (RFC 9110 13.1.2: weak comparison) */
static const struct {
	const char *sentence;
	const char *header;
	int         match;
} etag_rows[] = {
	{ "no header never matches", NULL, 0 },
	{ "an empty header does not match", "", 0 },
	{ "the same weak tag matches", "W/\"u-7\"", 1 },
	{ "the strong form of the tag matches weakly", "\"u-7\"", 1 },
	{ "another version does not match", "W/\"u-8\"", 0 },
	{ "another person's tag does not match", "W/\"v-7\"", 0 },
	{ "a prefix of the tag does not match", "W/\"u-\"", 0 },
	{ "the tag inside a list matches", "W/\"a-1\", W/\"u-7\"", 1 },
	{ "a list without it does not match", "W/\"a-1\",W/\"b-2\"", 0 },
	{ "a star matches any state", "*", 1 },
	{ "spaces around the tag are ignored", "  W/\"u-7\"  ", 1 },
	{ "an unquoted tag does not match", "u-7", 0 },
};

START_TEST(test_etag_matches)
{
	ck_assert_msg(http_etag_matches(etag_rows[_i].header, "W/\"u-7\"") == etag_rows[_i].match,
	    "%s", etag_rows[_i].sentence);
}
END_TEST

/* If-Match's list, as the routes on the open session read it: each tag
 * without W/, in order, "*" as itself */
static int
collect(const char *tag, size_t n, void *arg)
{
	char *out = arg;

	strncat(out, tag, n);
	strcat(out, "|");
	return 0;
}

static const struct {
	const char *sentence;
	const char *header;
	int         count;
	const char *tags;
} each_rows[] = {
	{ "no header lists nothing", NULL, 0, "" },
	{ "an empty header lists nothing", "", 0, "" },
	{ "a weak tag comes without W/", "W/\"u-7\"", 1, "\"u-7\"|" },
	{ "a strong tag comes as is", "\"u-7\"", 1, "\"u-7\"|" },
	{ "a list in order, spaces and empty members dropped", " W/\"a-1\" ,, \"b-2\"\t", 2, "\"a-1\"|\"b-2\"|" },
	{ "a star is a star", "*", 1, "*|" },
	{ "an unquoted tag comes as sent (it matches no tag of ours)", "u-7", 1, "u-7|" },
};

START_TEST(test_etag_each)
{
	char got[256] = "";

	ck_assert_int_eq(http_etag_each(each_rows[_i].header, collect, got), each_rows[_i].count);
	ck_assert_msg(strcmp(got, each_rows[_i].tags) == 0, "%s: %s", each_rows[_i].sentence, got);
}
END_TEST

static int
stop_at_second(const char *tag, size_t n, void *arg)
{
	int *seen = arg;

	(void)tag;
	(void)n;
	return ++*seen == 2;
}

START_TEST(test_etag_each_stops)
{
	int seen = 0;

	ck_assert_int_eq(http_etag_each("\"a\", \"b\", \"c\"", stop_at_second, &seen), -1);
	ck_assert_int_eq(seen, 2);
}
END_TEST

int
main(void)
{
	Suite   *s = suite_create("http");
	TCase   *tc = tcase_create("parsing");

	tcase_add_loop_test(tc, test_parse_json, 0, sizeof(json_rows) / sizeof(json_rows[0]));
	tcase_add_test(tc, test_body_over_limit_is_too_large);
	tcase_add_test(tc, test_embedded_nul_in_body_is_malformed);
	tcase_add_loop_test(tc, test_query_get, 0, sizeof(query_rows) / sizeof(query_rows[0]));
	tcase_add_test(tc, test_json_content_types);
	tcase_add_loop_test(tc, test_etag_matches, 0, sizeof(etag_rows) / sizeof(etag_rows[0]));
	tcase_add_loop_test(tc, test_etag_each, 0, sizeof(each_rows) / sizeof(each_rows[0]));
	tcase_add_test(tc, test_etag_each_stops);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
