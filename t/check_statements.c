/*
 * check_statements: docs/statements.sql (make statements) documents the
 * registry as it is. Each statement must appear, once, as
 * "PREPARE name AS\n<its SQL>;": a statement changed, added or removed
 * without `make statements` fails here. The comments (plans, times) are
 * not compared: they differ from run to run.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stmt.h"

/* docs/ next to the sql/ directory the build knows (Makefile.am) */
#define STATEMENTS_SQL FOCUS_SQL_DIR_DEFAULT "/../docs/statements.sql"

static char *doc;

static void
load(void)
{
	FILE  *f = fopen(STATEMENTS_SQL, "rb");
	long   n;

	ck_assert_msg(f != NULL, "cannot open %s: run make statements", STATEMENTS_SQL);
	ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	ck_assert_int_ge(n, 0);
	ck_assert_int_eq(fseek(f, 0, SEEK_SET), 0);
	doc = malloc((size_t)n + 1);
	ck_assert_ptr_nonnull(doc);
	ck_assert_uint_eq(fread(doc, 1, (size_t)n, f), (size_t)n);
	doc[n] = '\0';
	fclose(f);
}

static void
unload(void)
{
	free(doc);
	doc = NULL;
}

/* Occurrences of needle in doc. */
static int
count(const char *needle)
{
	int         n = 0;
	const char *p = doc;

	while ((p = strstr(p, needle)) != NULL) {
		n++;
		p += strlen(needle);
	}
	return n;
}

START_TEST(every_statement_as_registered)
{
	const struct stmt_def *def = &stmt_table[_i];
	size_t                 cap = strlen(def->name) + strlen(def->sql) + 32;
	char                  *want = malloc(cap);

	ck_assert_ptr_nonnull(want);
	snprintf(want, cap, "\nPREPARE %s AS\n%s;\n", def->name, def->sql);
	ck_assert_msg(count(want) == 1, "docs/statements.sql: %s is stale or missing: run make statements",
	    def->name);
	free(want);
}
END_TEST

START_TEST(no_statement_the_registry_lacks)
{
	ck_assert_int_eq(count("\nPREPARE "), STMT__MAX);
}
END_TEST

int
main(void)
{
	Suite   *s = suite_create("statements");
	TCase   *tc = tcase_create("docs/statements.sql");
	SRunner *sr;
	int      failed;

	tcase_add_checked_fixture(tc, load, unload);
	tcase_add_loop_test(tc, every_statement_as_registered, 0, STMT__MAX);
	tcase_add_test(tc, no_statement_the_registry_lacks);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
