#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <libpq-fe.h>

#include "config.h"
#include "db.h"
#include "jsonw.h"
#include "limits.h"
#include "log.h"
#include "pgarray.h"
#include "pgbin.h"
#include "publish.h"
#include "sessions.h"
#include "timer.h"

/* the id in the log lines of the timer's own statements */
#define TIMER_REQ_ID "timer"

static volatile sig_atomic_t stop_requested;

static void
on_stop(int sig)
{
	(void)sig;
	stop_requested = 1;
}

/* The people notified since the last publish, each once. */
struct pending {
	char   ids[FOCUS_TIMER_MAX_BATCH][FOCUS_CHANNEL_LEN + 1];
	size_t n;
};

/* The LISTEN connection, apart from db.c's: db.c takes a readable idle
 * socket for a dead connection, which a notification would look like. */
static PGconn *listen_conn;

static void
listen_close(void)
{
	PQfinish(listen_conn);
	listen_conn = NULL;
}

/* Connect and LISTEN. A fixed utility command, no input in it: the one
 * statement outside the registry (stmt.c), whose statements are
 * prepared, which LISTEN cannot be. */
static int
listen_open(void)
{
	PGresult *res;

	listen_close();
	listen_conn = PQconnectdb(config->db);
	if (listen_conn == NULL || PQstatus(listen_conn) != CONNECTION_OK) {
		log_kv(LOG_ERROR, "timer_listen", "cause",
		    listen_conn != NULL ? PQerrorMessage(listen_conn) : "out of memory", NULL);
		listen_close();
		return -1;
	}
	res = PQexec(listen_conn, "LISTEN focus_state");
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		log_kv(LOG_ERROR, "timer_listen", "cause", PQresultErrorMessage(res), NULL);
		PQclear(res);
		listen_close();
		return -1;
	}
	PQclear(res);
	log_kv(LOG_INFO, "timer_listening", NULL);
	return 0;
}

/* Publish the /active object of everyone pending (when this process is
 * the publisher), in one round trip; then forget them. A person whose
 * state cannot be read or sent is logged (publish.c logs the sending);
 * the next change publishes again. */
static void
publish_pending(struct pending *p, int leader)
{
	char           buf[FOCUS_TIMER_MAX_BATCH * (FOCUS_CHANNEL_LEN + 3) + 3];
	struct pgarray arr;
	const char    *params[1];
	PGresult      *res = NULL;
	size_t         i;
	int            row;

	if (!leader || p->n == 0 || !publish_enabled()) {
		p->n = 0;
		return;
	}
	pgarray_init(&arr, buf, sizeof(buf));
	for (i = 0; i < p->n; i++)
		pgarray_add(&arr, p->ids[i]);
	p->n = 0;
	if ((params[0] = pgarray_end(&arr)) == NULL)
		return;         /* cannot happen: buf holds FOCUS_TIMER_MAX_BATCH */
	if (db_exec(STMT_STATE_OF, params, &res, NULL, TIMER_REQ_ID) != FERR_OK)
		return;         /* logged by db */
	for (row = 0; row < PQntuples(res); row++) {
		struct jsonw w;
		char         uid[37];
		const char  *text;
		size_t       n;

		if (pgbin_uuid(res, row, 1, uid) != PGBIN_OK)
			continue;
		jw_init(&w);
		if (sessions_render_active(&w, res, row) != 0 || (text = jw_text(&w, &n)) == NULL) {
			/* a person deleted since: no settings, no next */
			log_kv(LOG_WARN, "timer_render", "user", uid, NULL);
			jw_free(&w);
			continue;
		}
		if (publish_state(uid, text, n, TIMER_REQ_ID) != 0)
			log_kv(LOG_DEBUG, "timer_publish_skipped", "user", uid, NULL);
		jw_free(&w);
	}
	PQclear(res);
}

/* Take in every notification libpq has read; a full batch is published
 * first. 0; -1 when the LISTEN connection is lost. */
static int
drain(struct pending *p, int leader)
{
	PGnotify *note;
	size_t    i;

	if (PQconsumeInput(listen_conn) != 1) {
		log_kv(LOG_ERROR, "timer_listen_lost", "cause", PQerrorMessage(listen_conn), NULL);
		return -1;
	}
	while ((note = PQnotifies(listen_conn)) != NULL) {
		if (publish_channel_ok(note->extra)) {
			for (i = 0; i < p->n && strcmp(p->ids[i], note->extra) != 0; i++)
				;
			if (i == p->n) {
				if (p->n == FOCUS_TIMER_MAX_BATCH)
					publish_pending(p, leader);
				memcpy(p->ids[p->n++], note->extra, FOCUS_CHANNEL_LEN + 1);
			}
		}
		PQfreemem(note);
	}
	return 0;
}

/* Apply what is due, then learn how long until the next deadline and
 * whether this process publishes. -1 when the database is unavailable. */
static int
tick(long *wait_ms, int *leader)
{
	PGresult *res = NULL;
	char      n[24];

	if (db_exec(STMT_TIMER_TICK, NULL, &res, NULL, TIMER_REQ_ID) != FERR_OK)
		return -1;
	if (PQntuples(res) > 0) {
		snprintf(n, sizeof(n), "%d", PQntuples(res));
		log_kv(LOG_DEBUG, "timer_tick", "users", n, NULL);
	}
	PQclear(res);
	if (db_exec(STMT_TIMER_NEXT, NULL, &res, NULL, TIMER_REQ_ID) != FERR_OK)
		return -1;
	if (PQntuples(res) != 1) {
		PQclear(res);
		return -1;
	}
	/* text format: a number or NULL (nothing runs), then t or f */
	*wait_ms = PQgetisnull(res, 0, 0) ? FOCUS_TIMER_MAX_SLEEP_MS : strtol(PQgetvalue(res, 0, 0), NULL, 10);
	*leader = strcmp(PQgetvalue(res, 0, 1), "t") == 0;
	PQclear(res);
	return 0;
}

static void
wait_for(long ms)
{
	struct pollfd p = { .fd = listen_conn != NULL ? PQsocket(listen_conn) : -1, .events = POLLIN };

	if (ms <= 0)
		return;
	/* poll() with no descriptor (fd -1 is ignored) is a plain sleep;
	 * EINTR (a stop) just ends the wait early */
	(void)poll(&p, 1, (int)ms);
}

int
timer_main(void)
{
	static struct pending pending;   /* 18 KiB: not on the stack */
	struct sigaction      sa;
	long                  wait_ms = 0;
	int                   leader = 0, was_leader = -1;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGTERM, &sa, NULL) != 0 || sigaction(SIGINT, &sa, NULL) != 0)
		return 1;
	sa.sa_handler = SIG_IGN;
	if (sigaction(SIGPIPE, &sa, NULL) != 0)
		return 1;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0 || publish_init() != 0) {
		log_kv(LOG_ERROR, "timer_start", "err", "cannot initialise the publisher", NULL);
		return 1;
	}
	/* a database that is down is waited for; a schema that does not
	 * match this build is not */
	if (db_open(config->db) == DB_SHAPE_MISMATCH) {
		log_kv(LOG_ERROR, "timer_start", "err", "the schema does not match the statement registry", NULL);
		return 1;
	}
	log_kv(LOG_INFO, "timer_start", NULL);

	while (!stop_requested) {
		if (listen_conn == NULL && listen_open() != 0) {
			wait_for(FOCUS_TIMER_RETRY_MS);
			continue;
		}
		/* first what woke us: publish the changes notified */
		if (drain(&pending, leader) != 0) {
			listen_close();
			continue;
		}
		publish_pending(&pending, leader);
		if (tick(&wait_ms, &leader) != 0) {
			wait_for(FOCUS_TIMER_RETRY_MS);
			continue;
		}
		if (leader != was_leader) {
			log_kv(LOG_INFO, "timer_role", "publisher", leader ? "yes" : "no (another timer holds the lock)", NULL);
			was_leader = leader;
		}
		/* notifications that came during the tick wait in the socket
		 * (drain read everything libpq had): poll sees them at once */
		/* a standby retries the publisher's lock every retry interval */
		if (wait_ms > FOCUS_TIMER_MAX_SLEEP_MS)
			wait_ms = FOCUS_TIMER_MAX_SLEEP_MS;
		if (!leader && wait_ms > FOCUS_TIMER_RETRY_MS * 2)
			wait_ms = FOCUS_TIMER_RETRY_MS * 2;
		wait_for(wait_ms);
	}
	log_kv(LOG_INFO, "timer_stop", NULL);
	listen_close();
	db_close();
	publish_shutdown();
	curl_global_cleanup();
	return 0;
}
