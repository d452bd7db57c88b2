/* unit.h: what every Check program shares: run a suite, exit 0 when it
 * passed. Check prints "NN%: Checks: N, Failures: F, Errors: E", which
 * t/run-tests adds up. */
#ifndef FOCUS_UNIT_H
#define FOCUS_UNIT_H

#include <check.h>
#include <stdlib.h>

static inline int
unit_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int      failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

#endif
