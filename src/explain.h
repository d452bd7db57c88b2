/*
 * explain.h: the plan checker. focusctl explain: every registered
 * statement with its EXPLAIN (ANALYZE, BUFFERS) plan under the worker's
 * generic plans, run on sample values inside a transaction that is rolled
 * back.
 */
#ifndef FOCUS_EXPLAIN_H
#define FOCUS_EXPLAIN_H

#include <libpq-fe.h>

/* check: fail (return 1) when a plan misses its annotated index or scans
 * a per-user table sequentially. */
int explain_statements(PGconn *c, int check);

#endif
