/*
 * config.h: settings, read once from the environment at start and then
 * constant. One table (name, default, min, max) describes them all, like
 * pgbouncer's bouncer_params[] and Redis's static_configs[].
 */
#ifndef FOCUS_CONFIG_H
#define FOCUS_CONFIG_H

struct config {
	const char *db;             /* FOCUS_DB: libpq conninfo */
	const char *log;            /* FOCUS_LOG: log file, "-" for stderr */
	const char *public_origin;  /* FOCUS_PUBLIC_ORIGIN: "" = the request's own */
	const char *sql_dir;        /* FOCUS_SQL_DIR: migrations, for focusctl */
	long        cookie_secure;  /* FOCUS_COOKIE_SECURE: add Secure to the cookie */
	long        debug_headers;  /* FOCUS_DEBUG_HEADERS: X-Focus-Round-Trips */
	long        retry_after_s;  /* FOCUS_RETRY_AFTER: Retry-After on 503 */
	long        workers;        /* FOCUS_WORKERS: worker processes of this pool */
	long        listen_backlog; /* FOCUS_LISTEN_BACKLOG: the FastCGI socket's queue */
	long        storage_quota_mb; /* FOCUS_STORAGE_QUOTA_MB: a user's stored audio */
	const char *signup;         /* FOCUS_SIGNUP: "open" or "closed" (POST /api/auth/register) */
	int         signup_open;    /* signup is "open" */
	const char *nchan_socket;   /* FOCUS_NCHAN_SOCKET: nchan's publisher (unix socket), "" = none */
};

extern const struct config *const config;

/* Read the environment into the table; on a bad value, log it and return -1. */
int config_load(void);

#endif
