/*
 * seed.h: benchmark data and plan checks for focusctl.
 *   seed_main: focusctl seed --users N --sessions-per-user M (set-based SQL)
 *   seed_explain: focusctl explain: every registered statement with its
 *   EXPLAIN (ANALYZE, BUFFERS) plan, run inside a rolled-back transaction
 */
#ifndef FOCUS_SEED_H
#define FOCUS_SEED_H

#include <libpq-fe.h>

int seed_main(int argc, char **argv);
/* check: fail (return 1) when a plan misses its annotated index or
 * scans a per-user table sequentially. */
int seed_explain(PGconn *c, int check);

#endif
