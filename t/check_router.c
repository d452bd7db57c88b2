/* check_router.c: src/router.c, table-driven; one row per behaviour. */
#include <check.h>

#include "unit.h"
#include <stdlib.h>
#include <string.h>

#include "router.h"

static enum ferr h(struct req *rq) { (void)rq; return FERR_OK; }

static const struct route table[] = {
	{ HTTP_GET,    "/api/focus?stats=true",             h, 0 },
	{ HTTP_GET,    "/api/focus",                        h, 0 },
	{ HTTP_POST,   "/api/focus",                        h, 0 },
	{ HTTP_GET,    "/api/focus/active",                 h, 0 },
	{ HTTP_POST,   "/api/focus/{id}/complete",          h, 0 },
	{ HTTP_DELETE, "/api/focus/libraries/{id}/tracks/{id}", h, 0 },
	{ HTTP_GET,    "/api/storage/{*}",                  h, 0 },
};

static const struct {
	const char      *sentence;
	enum http_method method;
	const char      *path;
	int              row;     /* expected route row, -1 none */
	enum ferr        err;
	const char      *param0, *param1, *allow;
	const char      *query;   /* NULL: none */
} rows[] = {
	{ "a literal path matches its route", HTTP_GET, "/api/focus/active", 3, FERR_OK, NULL, NULL, NULL, NULL },
	{ "the same path with another method picks that route", HTTP_POST, "/api/focus", 2, FERR_OK, NULL, NULL, NULL, NULL },
	{ "a trailing slash is ignored", HTTP_GET, "/api/focus/", 1, FERR_OK, NULL, NULL, NULL, NULL },
	{ "a UUID parameter is captured lowercase", HTTP_POST, "/api/focus/AAAAAAAA-bbbb-CCCC-dddd-eeeeeeeeeeee/complete", 4, FERR_OK,
	  "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", NULL, NULL, NULL },
	{ "two UUID parameters are captured in order", HTTP_DELETE,
	  "/api/focus/libraries/11111111-1111-1111-1111-111111111111/tracks/22222222-2222-2222-2222-222222222222", 5, FERR_OK,
	  "11111111-1111-1111-1111-111111111111", "22222222-2222-2222-2222-222222222222", NULL, NULL },
	{ "a bad UUID in the path is 400", HTTP_POST, "/api/focus/not-a-uuid/complete", -1, FERR_BAD_REQUEST, NULL, NULL, NULL, NULL },
	{ "a UUID one character short is 400", HTTP_POST, "/api/focus/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeee/complete", -1, FERR_BAD_REQUEST, NULL, NULL, NULL, NULL },
	{ "an unknown path is 404", HTTP_GET, "/api/nothing", -1, FERR_NOT_FOUND, NULL, NULL, NULL, NULL },
	{ "a longer path than any route is 404", HTTP_GET, "/api/focus/active/more", -1, FERR_NOT_FOUND, NULL, NULL, NULL, NULL },
	{ "a known path with a wrong method is 405 with Allow", HTTP_DELETE, "/api/focus", -1, FERR_METHOD, NULL, NULL, "GET, POST", NULL },
	{ "a rest parameter takes the remaining segments", HTTP_GET, "/api/storage/u/audio/x.mp3", 6, FERR_OK, "u/audio/x.mp3", NULL, NULL, NULL },
	{ "a query condition picks its own route", HTTP_GET, "/api/focus", 0, FERR_OK, NULL, NULL, NULL, "limit=5&stats=true" },
	{ "the same path without the condition's value takes the plain route", HTTP_GET, "/api/focus", 1, FERR_OK, NULL, NULL, NULL, "stats=false" },
	{ "a condition's value must match exactly", HTTP_GET, "/api/focus", 1, FERR_OK, NULL, NULL, NULL, "stats=truer" },
	{ "HEAD is served by the GET route", HTTP_HEAD, "/api/focus/active", 3, FERR_OK, NULL, NULL, NULL, NULL },
};

START_TEST(test_router_rows)
{
	struct req          rq;
	enum ferr           err = FERR_OK;
	char                allow[64];
	const struct route *r;

	memset(&rq, 0, sizeof(rq));
	rq.method = rows[_i].method;
	strcpy(rq.path, rows[_i].path);
	rq.query = rows[_i].query != NULL ? rows[_i].query : "";
	r = router_match(table, sizeof(table) / sizeof(table[0]), &rq, &err, allow, sizeof(allow));
	if (rows[_i].row < 0) {
		ck_assert_msg(r == NULL, "%s: matched a route", rows[_i].sentence);
		ck_assert_msg(err == rows[_i].err, "%s: err %d", rows[_i].sentence, err);
		if (rows[_i].allow != NULL)
			ck_assert_str_eq(allow, rows[_i].allow);
		return;
	}
	ck_assert_msg(r == &table[rows[_i].row], "%s", rows[_i].sentence);
	if (rows[_i].param0 != NULL)
		ck_assert_str_eq(rq.params[0], rows[_i].param0);
	if (rows[_i].param1 != NULL)
		ck_assert_str_eq(rq.params[1], rows[_i].param1);
}
END_TEST

int
main(void)
{
	Suite   *s = suite_create("router");
	TCase   *tc = tcase_create("rows");

	tcase_add_loop_test(tc, test_router_rows, 0, sizeof(rows) / sizeof(rows[0]));
	suite_add_tcase(s, tc);
	return unit_run(s);
}
