/* check_pgarray.c: src/pgarray.c, the array literals the batch sends
 * (batch_update_sessions): quoting, escaping, and a buffer that is too
 * small failing as a whole instead of sending a cut-off array. */
#include <check.h>

#include "unit.h"
#include <string.h>

#include "limits.h"
#include "pgarray.h"

static const char *
literal(char *buf, size_t cap, const char *const *elems)
{
	struct pgarray a;

	pgarray_init(&a, buf, cap);
	for (; *elems != NULL; elems++)
		pgarray_add(&a, *elems);
	return pgarray_end(&a);
}

static const struct {
	const char *sentence;
	const char *elems[4];
	const char *want;
} rows[] = {
	{ "no element is the empty array", { NULL }, "{}" },
	{ "one uuid, quoted", { "7f3c1b2a-0000-4000-8000-000000000001", NULL },
	  "{\"7f3c1b2a-0000-4000-8000-000000000001\"}" },
	{ "actions in order, comma-separated", { "complete", "abandon", "complete", NULL },
	  "{\"complete\",\"abandon\",\"complete\"}" },
	{ "a comma or brace stays inside its element", { "a,b", "}{", NULL }, "{\"a,b\",\"}{\"}" },
	{ "quotes and backslashes are escaped", { "say \"hi\"", "C:\\x", NULL },
	  "{\"say \\\"hi\\\"\",\"C:\\\\x\"}" },
	{ "NULL as text is a string, not SQL NULL", { "NULL", "", NULL }, "{\"NULL\",\"\"}" },
};

START_TEST(test_literal_rows)
{
	char        buf[128];
	const char *got = literal(buf, sizeof(buf), rows[_i].elems);

	ck_assert_msg(got != NULL, "%s: did not fit", rows[_i].sentence);
	ck_assert_msg(strcmp(got, rows[_i].want) == 0, "%s: got %s", rows[_i].sentence, got);
}
END_TEST

/* the exact size fits; one byte less fails, for every size up to it */
START_TEST(test_too_small_fails_whole)
{
	const char *elems[] = { "complete", "abandon", NULL };
	const char *want = "{\"complete\",\"abandon\"}";
	char        buf[64];
	size_t      cap;

	for (cap = 0; cap <= strlen(want); cap++)
		ck_assert_msg(literal(buf, cap, elems) == NULL, "cap %zu: accepted", cap);
	ck_assert_str_eq(literal(buf, strlen(want) + 1, elems), want);
}
END_TEST

/* the largest batch fits the buffers batch_update_sessions declares */
START_TEST(test_largest_batch_fits)
{
	char           ids[FOCUS_MAX_BATCH * 39 + 3], actions[FOCUS_MAX_BATCH * 11 + 3];
	struct pgarray id_list, action_list;
	int            i;

	pgarray_init(&id_list, ids, sizeof(ids));
	pgarray_init(&action_list, actions, sizeof(actions));
	for (i = 0; i < FOCUS_MAX_BATCH; i++) {
		pgarray_add(&id_list, "ffffffff-ffff-4fff-bfff-ffffffffffff");
		pgarray_add(&action_list, "complete");
	}
	ck_assert_ptr_nonnull(pgarray_end(&id_list));
	ck_assert_ptr_nonnull(pgarray_end(&action_list));
	ck_assert_uint_eq(strlen(ids), (size_t)FOCUS_MAX_BATCH * 39 + 1);
}
END_TEST

/* an SQL NULL element is the bare word, beside quoted ones */
START_TEST(test_null_element)
{
	char           buf[64];
	struct pgarray a;

	pgarray_init(&a, buf, sizeof(buf));
	pgarray_add(&a, "x");
	pgarray_add_null(&a);
	pgarray_add(&a, NULL);
	pgarray_add(&a, "NULL");
	ck_assert_str_eq(pgarray_end(&a), "{\"x\",NULL,NULL,\"NULL\"}");
	pgarray_init(&a, buf, 6);
	pgarray_add_null(&a);
	pgarray_add_null(&a);
	ck_assert_ptr_null(pgarray_end(&a));
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("pgarray");
	TCase *tc = tcase_create("literals");

	tcase_add_loop_test(tc, test_literal_rows, 0, sizeof(rows) / sizeof(rows[0]));
	tcase_add_test(tc, test_too_small_fails_whole);
	tcase_add_test(tc, test_largest_batch_fits);
	tcase_add_test(tc, test_null_element);
	suite_add_tcase(s, tc);
	return unit_run(s);
}
