/* pgcli.c: see pgcli.h. */
#include <stdio.h>

#include "pgcli.h"

int
pgcli_ok(PGresult *res, const char *what)
{
	ExecStatusType st = PQresultStatus(res);

	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) {
		PQclear(res);
		return 0;
	}
	if (what != NULL)
		fprintf(stderr, "focusctl: %s: %s", what, PQresultErrorMessage(res));
	else
		fprintf(stderr, "focusctl: %s", PQresultErrorMessage(res));
	PQclear(res);
	return -1;
}
