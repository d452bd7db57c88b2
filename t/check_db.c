/* check_db.c: what src/db.c decides apart from the connection: which
 * result of a pipelined lock-then-statement round trip the caller gets
 * (results built in memory, t/pgfake.h), what follows a failed statement
 * (reconnect, prepare again, retry a lost race, or answer), and the
 * error each SQLSTATE means to the client. */
#include <check.h>

#include "unit.h"

#include "db.h"
#include "pgbin.h"
#include "pgfake.h"

static const Oid cols[] = { PGBIN_TEXTOID };

static PGresult *
with(ExecStatusType st)
{
	PGresult *r = pgfake_result(st, cols, st == PGRES_TUPLES_OK ? 1 : 0, 0);

	if (st == PGRES_TUPLES_OK)
		pgfake_text(r, 0, 0, "row");
	return r;
}

/* lock ok, statement ok: the statement's rows */
START_TEST(test_pick_statement)
{
	PGresult *got[2] = { with(PGRES_TUPLES_OK), with(PGRES_TUPLES_OK) };
	PGresult *stmt = got[1];
	PGresult *keep = db_pipeline_pick(got, 2);

	ck_assert_ptr_eq(keep, stmt);
	ck_assert_ptr_null(got[0]);
	ck_assert_ptr_null(got[1]);
	PQclear(keep);
}
END_TEST

/* a statement that fails after the lock: its error, not the lock's rows */
START_TEST(test_pick_statement_error)
{
	PGresult *got[2] = { with(PGRES_TUPLES_OK), with(PGRES_FATAL_ERROR) };
	PGresult *stmt = got[1];
	PGresult *keep = db_pipeline_pick(got, 2);

	ck_assert_ptr_eq(keep, stmt);
	ck_assert_int_eq(PQresultStatus(keep), PGRES_FATAL_ERROR);
	PQclear(keep);
}
END_TEST

/* the lock fails: its error, not the statement's PIPELINE_ABORTED */
START_TEST(test_pick_first_error)
{
	PGresult *got[2] = { with(PGRES_FATAL_ERROR), with(PGRES_PIPELINE_ABORTED) };
	PGresult *lock = got[0];
	PGresult *keep = db_pipeline_pick(got, 2);

	ck_assert_ptr_eq(keep, lock);
	ck_assert_int_eq(PQresultStatus(keep), PGRES_FATAL_ERROR);
	PQclear(keep);
}
END_TEST

/* the connection went away before any result, or after the lock's */
START_TEST(test_pick_lost)
{
	PGresult *none[2] = { NULL, NULL };
	PGresult *half[2] = { with(PGRES_TUPLES_OK), NULL };
	PGresult *lockerr[2] = { with(PGRES_FATAL_ERROR), NULL };
	PGresult *lock = lockerr[0];
	PGresult *keep;

	ck_assert_ptr_null(db_pipeline_pick(none, 2));
	ck_assert_ptr_null(db_pipeline_pick(half, 2));   /* the lock's rows are no answer */
	ck_assert_ptr_null(half[0]);
	keep = db_pipeline_pick(lockerr, 2);
	ck_assert_ptr_eq(keep, lock);
	PQclear(keep);
}
END_TEST

/* committed: the statement's rows */
START_TEST(test_commit_synced)
{
	PGresult *answer = with(PGRES_TUPLES_OK);

	ck_assert_ptr_eq(db_commit_pick(answer, NULL, 1), answer);
	PQclear(answer);
}
END_TEST

/* the commit failed (or the server ended the connection while the
 * commit waited for the standby): its error, never the rows */
START_TEST(test_commit_error)
{
	PGresult *err = with(PGRES_FATAL_ERROR);

	ck_assert_ptr_eq(db_commit_pick(with(PGRES_TUPLES_OK), err, 1), err);
	ck_assert_ptr_eq(db_commit_pick(with(PGRES_TUPLES_OK), err, 0), err);
	PQclear(err);
}
END_TEST

/* the connection went away before the Sync's answer: no answer at all,
 * though the rows came (the write may or may not have committed) */
START_TEST(test_commit_lost)
{
	ck_assert_ptr_null(db_commit_pick(with(PGRES_TUPLES_OK), NULL, 0));
	ck_assert_ptr_null(db_commit_pick(NULL, NULL, 0));
}
END_TEST

static const struct {
	const char  *sentence;
	const char  *state;
	int          conn_ok;
	unsigned     flags;
	int          reconnected, reprepared;
	enum db_next want;
} steps[] = {
	{ "a read on a lost connection runs once more", NULL, 0, STMT_IDEMPOTENT, 0, 0, DB_NEXT_RECONNECT },
	{ "but only once", NULL, 0, STMT_IDEMPOTENT, 1, 0, DB_NEXT_LOST },
	{ "a write on a lost connection may have committed", NULL, 0, 0, 0, 0, DB_NEXT_LOST },
	{ "libpq's own error with the connection up is a loss", NULL, 1, 0, 0, 0, DB_NEXT_LOST },
	{ "a server error with the connection down is a loss", "57P01", 0, 0, 0, 0, DB_NEXT_LOST },
	{ "a standby's read-only refusal reconnects, whatever the statement", "25006", 1, 0, 0, 0, DB_NEXT_RECONNECT },
	{ "but only once, then 503", "25006", 1, 0, 1, 0, DB_NEXT_LOST },
	{ "a changed result type prepares again", "0A000", 1, 0, 0, 0, DB_NEXT_REPREPARE },
	{ "but only once", "0A000", 1, 0, 0, 1, DB_NEXT_FAIL },
	{ "a serialization failure is retried", "40001", 1, 0, 0, 0, DB_NEXT_RETRY },
	{ "a deadlock is retried", "40P01", 1, 0, 0, 0, DB_NEXT_RETRY },
	{ "a unique violation is retried where a race causes it", "23505", 1, STMT_RETRY_RACE, 0, 0, DB_NEXT_RETRY },
	{ "a foreign key violation too", "23503", 1, STMT_RETRY_RACE, 0, 0, DB_NEXT_RETRY },
	{ "elsewhere a unique violation is the answer", "23505", 1, 0, 0, 0, DB_NEXT_FAIL },
	{ "a check violation is never retried", "23514", 1, STMT_RETRY_RACE, 0, 0, DB_NEXT_FAIL },
	{ "a data exception is the answer", "22P02", 1, STMT_IDEMPOTENT, 0, 0, DB_NEXT_FAIL },
};

START_TEST(test_next_step)
{
	ck_assert_msg(db_next_step(steps[_i].state, steps[_i].conn_ok, steps[_i].flags,
	    steps[_i].reconnected, steps[_i].reprepared) == steps[_i].want, "%s", steps[_i].sentence);
}
END_TEST

static const struct {
	const char *state;
	enum ferr   want;
} errs[] = {
	{ "08006", FERR_UNAVAILABLE },  /* connection failure */
	{ "57P01", FERR_UNAVAILABLE },  /* admin shutdown */
	{ "53300", FERR_UNAVAILABLE },  /* too many connections */
	{ "25006", FERR_UNAVAILABLE },  /* read-only transaction: a standby */
	{ "22P02", FERR_VALIDATION },   /* invalid text representation */
	{ "22001", FERR_VALIDATION },   /* string too long */
	{ "23505", FERR_CONFLICT },     /* unique violation */
	{ "23514", FERR_CONFLICT },     /* check violation */
	{ "42P01", FERR_INTERNAL },     /* undefined table: our bug */
	{ "0A000", FERR_INTERNAL },
	{ "XX000", FERR_INTERNAL },
};

START_TEST(test_error_ferr)
{
	ck_assert_msg(db_error_ferr(errs[_i].state) == errs[_i].want, "%s", errs[_i].state);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("db");
	TCase *pick = tcase_create("pipeline");
	TCase *next = tcase_create("failures");

	tcase_add_test(pick, test_pick_statement);
	tcase_add_test(pick, test_pick_statement_error);
	tcase_add_test(pick, test_pick_first_error);
	tcase_add_test(pick, test_pick_lost);
	tcase_add_test(pick, test_commit_synced);
	tcase_add_test(pick, test_commit_error);
	tcase_add_test(pick, test_commit_lost);
	tcase_add_loop_test(next, test_next_step, 0, sizeof(steps) / sizeof(steps[0]));
	tcase_add_loop_test(next, test_error_ferr, 0, sizeof(errs) / sizeof(errs[0]));
	suite_add_tcase(s, pick);
	suite_add_tcase(s, next);
	return unit_run(s);
}
