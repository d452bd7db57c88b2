/*
 * pgcli.h: the one check focusctl's commands make of a result
 * (focusctl.c, seed.c, explain.c): a command or a query that succeeded,
 * or the server's message on stderr.
 */
#ifndef FOCUS_PGCLI_H
#define FOCUS_PGCLI_H

#include <libpq-fe.h>

/* 0 when res is COMMAND_OK or TUPLES_OK, else -1 after printing
 * "focusctl: [what: ]<message>"; res is cleared either way. */
int pgcli_ok(PGresult *res, const char *what);

#endif
