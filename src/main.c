/*
 * focus-fcgi: spawn-fcgi hands it a listening socket on stdin. The
 * process it starts is the supervisor (src/supervise.c): it forks
 * FOCUS_WORKERS workers and replaces any that dies. Each worker accepts
 * one request at a time, forever, holding one PostgreSQL connection whose
 * statements were prepared once. SIGTERM or SIGINT to the supervisor ends
 * every worker after its request in flight, then the supervisor.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <fastcgi.h>
#include <fcgiapp.h>

#include "config.h"
#include "db.h"
#include "http.h"
#include "log.h"
#include "publish.h"
#include "routes.h"
#include "storage.h"
#include "supervise.h"

static volatile sig_atomic_t stop_requested;

static void
on_stop(int sig)
{
	(void)sig;
	stop_requested = 1;
	/* makes libfcgi's blocking accept() give up on EINTR */
	FCGX_ShutdownPending();
}

static int
install_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;        /* no SA_RESTART: accept() must return */
	if (sigaction(SIGTERM, &sa, NULL) != 0 || sigaction(SIGINT, &sa, NULL) != 0)
		return -1;
	sa.sa_handler = SIG_IGN;
	return sigaction(SIGPIPE, &sa, NULL);
}

/* One worker: everything it opens (FastCGI state, curl, storage, the
 * database connection) is its own, opened after the fork. */
static int
worker_main(void)
{
	FCGX_Request fr;
	struct req   rq;
	enum ferr    e;

	if (install_signals() != 0 || FCGX_Init() != 0 ||
	    FCGX_InitRequest(&fr, 0, FCGI_FAIL_ACCEPT_ON_INTR) != 0) {
		log_kv(LOG_ERROR, "start", "err", "cannot initialise FastCGI", NULL);
		return 1;
	}
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0 || storage_init() != 0) {
		log_kv(LOG_ERROR, "start", "err", "cannot initialise storage", NULL);
		return 1;
	}
	if (publish_init() != 0) {
		log_kv(LOG_ERROR, "start", "err", "cannot initialise the publisher", NULL);
		return 1;
	}
	/* A database that is down at start is not fatal: requests get 503
	 * until it answers. One whose statements return other columns than
	 * the registry declares (logged as db_shape) is: this build and the
	 * schema disagree, and every answer could be wrong. */
	if (db_open(config->db) == DB_SHAPE_MISMATCH) {
		log_kv(LOG_ERROR, "start", "err", "the schema does not match the statement registry", NULL);
		return 1;
	}
	log_kv(LOG_INFO, "start", "storage", storage_backend_name(), NULL);

	while (!stop_requested && FCGX_Accept_r(&fr) >= 0) {
		if ((e = http_begin(&rq, &fr)) != FERR_OK)
			http_send_error(&rq, e, NULL);
		else
			routes_serve(&rq);
		http_end(&rq);
		FCGX_Finish_r(&fr);
	}
	log_kv(LOG_INFO, "stop", NULL);
	db_close();
	publish_shutdown();
	storage_shutdown();
	curl_global_cleanup();
	FCGX_Free(&fr, 1);
	return 0;
}

int
main(void)
{
	if (config_load() != 0)
		return 2;
	log_start(config->log);
	/* Logged here, once, not by each worker: without it a cookie write's
	 * Origin is compared with the request's own Host header, which a
	 * proxy in front may rewrite. */
	if (config->public_origin[0] == '\0')
		log_kv(LOG_WARN, "config", "err", "FOCUS_PUBLIC_ORIGIN is not set; using each request's Host",
		    NULL);
	/* Run by hand, with no FastCGI socket on stdin (FCGX_IsCGI): one
	 * worker in the foreground, which prepares its statements and
	 * stops, with nothing to supervise (t/stack/shapes.test.mjs). */
	if (FCGX_IsCGI())
		return worker_main();
	/* the queue nginx's connects wait in (a reconnect storm of event
	 * streams is a burst of them): ours, not spawn-fcgi's -b */
	if (supervise_backlog(FCGI_LISTENSOCK_FILENO, config->listen_backlog) < 0)
		return 1;
	return supervise((int)config->workers, worker_main) == 0 ? 0 : 1;
}
