#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "limits.h"
#include "log.h"

#ifndef FOCUS_SQL_DIR_DEFAULT
#define FOCUS_SQL_DIR_DEFAULT "sql"
#endif

/* a limits.h number as the table's default text */
#define FOCUS_STR_(x) #x
#define FOCUS_STR(x)  FOCUS_STR_(x)

static struct config settings;
const struct config *const config = &settings;

enum setting_type { SET_STR, SET_LONG };

static const struct setting {
	const char       *env;
	enum setting_type type;
	size_t            offset;
	const char       *def;
	long              min, max;
} setting_table[] = {
	{ "FOCUS_DB",            SET_STR,  offsetof(struct config, db),            "dbname=focus", 0, 0 },
	{ "FOCUS_LOG",           SET_STR,  offsetof(struct config, log),           "-", 0, 0 },
	{ "FOCUS_PUBLIC_ORIGIN", SET_STR,  offsetof(struct config, public_origin), "", 0, 0 },
	{ "FOCUS_SQL_DIR",       SET_STR,  offsetof(struct config, sql_dir),       FOCUS_SQL_DIR_DEFAULT, 0, 0 },
	{ "FOCUS_COOKIE_SECURE", SET_LONG, offsetof(struct config, cookie_secure), "0", 0, 1 },
	{ "FOCUS_DEBUG_HEADERS", SET_LONG, offsetof(struct config, debug_headers), "0", 0, 1 },
	{ "FOCUS_RETRY_AFTER",   SET_LONG, offsetof(struct config, retry_after_s), "2", 1, 3600 },
	{ "FOCUS_WORKERS",       SET_LONG, offsetof(struct config, workers),       "2", 1, FOCUS_MAX_WORKERS },
	{ "FOCUS_LISTEN_BACKLOG", SET_LONG, offsetof(struct config, listen_backlog),
	  FOCUS_STR(FOCUS_LISTEN_BACKLOG_DEFAULT), 1, FOCUS_LISTEN_BACKLOG_MAX },
	{ "FOCUS_NCHAN_SOCKET",  SET_STR,  offsetof(struct config, nchan_socket),  "", 0, 0 },
	{ "FOCUS_STORAGE_QUOTA_MB", SET_LONG, offsetof(struct config, storage_quota_mb), "1024", 1, 1048576 },
	/* closed unless an operator opens it: a public service decides */
	{ "FOCUS_SIGNUP",        SET_STR,  offsetof(struct config, signup),        "closed", 0, 0 },
};

int
config_load(void)
{
	size_t i;

	for (i = 0; i < sizeof(setting_table) / sizeof(setting_table[0]); i++) {
		const struct setting *s = &setting_table[i];
		const char *v = getenv(s->env);
		char       *end;
		long        n;

		if (v == NULL || *v == '\0')
			v = s->def;
		if (s->type == SET_STR) {
			*(const char **)((char *)&settings + s->offset) = v;
			continue;
		}
		errno = 0;
		n = strtol(v, &end, 10);
		if (errno != 0 || *end != '\0' || n < s->min || n > s->max) {
			log_kv(LOG_ERROR, "config", "err", "invalid setting", "name", s->env, NULL);
			return -1;
		}
		*(long *)((char *)&settings + s->offset) = n;
	}
	if (strcmp(settings.signup, "open") != 0 && strcmp(settings.signup, "closed") != 0) {
		log_kv(LOG_ERROR, "config", "err", "invalid setting", "name", "FOCUS_SIGNUP", NULL);
		return -1;
	}
	settings.signup_open = strcmp(settings.signup, "open") == 0;
	return 0;
}
