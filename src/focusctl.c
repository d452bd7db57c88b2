/*
 * focusctl: the administrator's command line. Reads the libpq conninfo
 * from FOCUS_DB, like the worker.
 *
 *   focusctl migrate                     apply sql/NNN_*.sql not yet applied
 *   focusctl user add --name N [--password-stdin]   prints the new user id
 *   focusctl user passwd N --password-stdin         ends every session and token of N
 *   focusctl token add USER_ID [--days N]           prints a new token once
 *   focusctl token list USER_ID                     id, kind, created, expires
 *   focusctl token revoke ID
 *   focusctl expire                      time's up for everyone (and paused > 24 h -> expired)
 *   focusctl storage orphans [--delete]  objects no track row points at
 *   focusctl explain [--check]           every statement with its plan
 *   focusctl seed --users N --sessions-per-user M
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>
#include <libpq-fe.h>

#include "audio.h"
#include "auth.h"
#include "config.h"
#include "db.h"
#include "log.h"
#include "pgcli.h"
#include "explain.h"
#include "facts.h"
#include "seed.h"
#include "stmt.h"
#include "storage.h"
#include "tracks.h"

#define MIGRATION_MAX_FILES 256
#define MIGRATION_MAX_BYTES (4 * 1024 * 1024)

static int
usage(void)
{
	fprintf(stderr,
	    "usage: focusctl migrate\n"
	    "       focusctl user add --name NAME [--password-stdin]\n"
	    "       focusctl user passwd NAME --password-stdin\n"
	    "       focusctl token add USER_ID [--days N]\n"
	    "       focusctl token list USER_ID\n"
	    "       focusctl token revoke ID\n"
	    "       focusctl expire\n"
	    "       focusctl storage orphans [--delete]\n"
	    "       focusctl explain [--check]\n"
	    "       focusctl seed --users N --sessions-per-user M\n"
	    "       focusctl facts\n");
	return 2;
}

/* focusctl facts: the closed vocabularies (facts.h, audio.h), one
 * "<fact> <word> [<detail>]" line each, for t/stack/facts.test.mjs to
 * compare with the schema's domains and CHECKs. */
static int
cmd_facts(void)
{
#define PRINT_MODE(name, seconds) printf("mode %s %d\n", name, seconds);
#define PRINT_STATUS(name)        printf("status %s\n", name);
#define PRINT_SOURCE(name)        printf("source %s\n", name);
#define PRINT_LIBRARY_TYPE(name)  printf("library_type %s\n", name);
#define PRINT_AUDIO_TYPE(mime, ext) printf("audio_type %s %s\n", mime, ext);
	FOCUS_MODES(PRINT_MODE)
	FOCUS_STATUSES(PRINT_STATUS)
	FOCUS_SOURCES(PRINT_SOURCE)
	FOCUS_LIBRARY_TYPES(PRINT_LIBRARY_TYPE)
	AUDIO_TYPES(PRINT_AUDIO_TYPE)
	return fflush(stdout) == 0 ? 0 : 1;
}

static PGconn *
connect_or_die(void)
{
	PGconn *c;

	if (db_open(config->db) != 0 || (c = db_conn()) == NULL) {
		fprintf(stderr, "focusctl: cannot connect to the database (FOCUS_DB)\n");
		return NULL;
	}
	return c;
}

/* Connection without preparing the registry (the schema may not exist). */
static PGconn *
connect_plain(void)
{
	PGconn *c = PQconnectdb(config->db);

	if (PQstatus(c) != CONNECTION_OK) {
		fprintf(stderr, "focusctl: cannot connect: %s", PQerrorMessage(c));
		PQfinish(c);
		return NULL;
	}
	return c;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *
read_file(const char *path)
{
	FILE  *f = fopen(path, "r");
	char  *buf = NULL;
	size_t n;

	if (f == NULL)
		return NULL;
	if ((buf = malloc(MIGRATION_MAX_BYTES + 1)) != NULL) {
		n = fread(buf, 1, MIGRATION_MAX_BYTES, f);
		if (ferror(f) || !feof(f)) {
			free(buf);
			buf = NULL;
		} else
			buf[n] = '\0';
	}
	fclose(f);
	return buf;
}

/* Apply each migration not yet recorded, each in its own transaction
 * together with its row in schema_migrations; an advisory lock keeps two
 * concurrent runs from applying the same file twice. */
static int
cmd_migrate(void)
{
	PGconn        *c;
	DIR           *d;
	struct dirent *ent;
	char          *names[MIGRATION_MAX_FILES], path[4096];
	size_t         n = 0, i;
	int            rc = 1, applied = 0;

	if ((c = connect_plain()) == NULL)
		return 1;
	if (pgcli_ok(PQexec(c, "SET client_min_messages = warning"), "set") != 0 ||
	    pgcli_ok(PQexec(c, "SELECT pg_advisory_lock(4242001)"), "lock") != 0 ||
	    pgcli_ok(PQexec(c, "CREATE TABLE IF NOT EXISTS schema_migrations ("
	    "version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"),
	    "schema_migrations") != 0)
		goto out;
	if ((d = opendir(config->sql_dir)) == NULL) {
		fprintf(stderr, "focusctl: cannot open %s: %s\n", config->sql_dir, strerror(errno));
		goto out;
	}
	while ((ent = readdir(d)) != NULL && n < MIGRATION_MAX_FILES) {
		size_t len = strlen(ent->d_name);
		if (len > 4 && strcmp(ent->d_name + len - 4, ".sql") == 0 &&
		    ent->d_name[0] >= '0' && ent->d_name[0] <= '9')
			names[n++] = strdup(ent->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(names[0]), name_cmp);
	for (i = 0; i < n; i++) {
		const char *params[1] = { names[i] };
		PGresult   *res;
		char       *sql;
		int         done;

		res = PQexecParams(c, "SELECT 1 FROM schema_migrations WHERE version = $1",
		    1, NULL, params, NULL, NULL, 0);
		done = PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1;
		if (pgcli_ok(res, "read schema_migrations") != 0)
			goto out_names;
		if (done)
			continue;
		snprintf(path, sizeof(path), "%s/%s", config->sql_dir, names[i]);
		if ((sql = read_file(path)) == NULL) {
			fprintf(stderr, "focusctl: cannot read %s\n", path);
			goto out_names;
		}
		if (pgcli_ok(PQexec(c, "BEGIN"), "begin") != 0 ||
		    pgcli_ok(PQexec(c, sql), names[i]) != 0 ||
		    pgcli_ok(PQexecParams(c, "INSERT INTO schema_migrations (version) VALUES ($1)",
		        1, NULL, params, NULL, NULL, 0), "record") != 0 ||
		    pgcli_ok(PQexec(c, "COMMIT"), "commit") != 0) {
			free(sql);
			goto out_names;
		}
		free(sql);
		printf("applied %s\n", names[i]);
		applied++;
	}
	if (applied == 0)
		printf("schema up to date\n");
	rc = 0;
out_names:
	for (i = 0; i < n; i++)
		free(names[i]);
out:
	PQfinish(c);
	return rc;
}

/* A password from standard input: one line, without its newline. */
static int
read_password(char *out, size_t cap)
{
	size_t n;

	if (fgets(out, (int)cap, stdin) == NULL)
		return -1;
	n = strcspn(out, "\r\n");
	out[n] = '\0';
	if (n == 0 || n > FOCUS_MAX_PASSWORD_LEN) {
		fprintf(stderr, "focusctl: a password is 1 to %d bytes\n", FOCUS_MAX_PASSWORD_LEN);
		return -1;
	}
	return 0;
}

static int
run_print(enum stmt id, const char *const *params)
{
	PGresult *res = NULL;

	if (db_exec(id, params, &res, NULL, "focusctl") != FERR_OK) {
		fprintf(stderr, "focusctl: %s failed (see the log line above)\n", stmt_table[id].name);
		return 1;
	}
	if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 0) {
		fprintf(stderr, "focusctl: no such user\n");
		PQclear(res);
		return 1;
	}
	if (PQresultStatus(res) == PGRES_TUPLES_OK)
		printf("%s\n", PQgetvalue(res, 0, 0));
	else
		printf("%s\n", PQcmdTuples(res));
	PQclear(res);
	return 0;
}

/* The new hash, and every session and token of the user ended, in one
 * statement (006_auth.sql focus_set_password). */
static int
user_passwd(const char *name, const char *hash)
{
	const char *params[] = { name, hash };
	PGresult   *res = NULL;

	if (db_exec(STMT_USER_PASSWD, params, &res, NULL, "focusctl") != FERR_OK) {
		fprintf(stderr, "focusctl: cannot set the password (see the log line above)\n");
		return 1;
	}
	if (PQntuples(res) != 1) {
		fprintf(stderr, "focusctl: no such user\n");
		PQclear(res);
		return 1;
	}
	printf("%s\n", PQgetvalue(res, 0, 0));
	fprintf(stderr, "%s session(s) and token(s) ended\n", PQgetvalue(res, 0, 1));
	PQclear(res);
	return 0;
}

static int
cmd_user(int argc, char **argv)
{
	char        pw[FOCUS_MAX_PASSWORD_LEN + 2], hash[AUTH_ARGON2_ENCODED_MAX];
	const char *name = NULL;
	int         with_pw = 0, i, passwd;

	if (argc < 1)
		return usage();
	passwd = strcmp(argv[0], "passwd") == 0;
	if (!passwd && strcmp(argv[0], "add") != 0)
		return usage();
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--name") == 0 && i + 1 < argc)
			name = argv[++i];
		else if (strcmp(argv[i], "--password-stdin") == 0)
			with_pw = 1;
		else if (passwd && name == NULL && argv[i][0] != '-')
			name = argv[i];
		else
			return usage();
	}
	if (name == NULL || (passwd && !with_pw))
		return usage();
	if (strlen(name) < 1 || strlen(name) > FOCUS_MAX_NAME_LEN) {
		fprintf(stderr, "focusctl: a name is 1 to %d characters\n", FOCUS_MAX_NAME_LEN);
		return 1;
	}
	if (with_pw && (read_password(pw, sizeof(pw)) != 0 ||
	    auth_password_hash(pw, strlen(pw), hash, sizeof(hash)) != 0))
		return 1;
	if (connect_or_die() == NULL)
		return 1;
	if (passwd)
		return user_passwd(name, hash);
	{
		const char *params[] = { name, with_pw ? hash : NULL };
		return run_print(STMT_USER_ADD, params);
	}
}

/* focusctl token list USER_ID: one line per live token or sign-in,
 * "id<TAB>kind<TAB>created<TAB>expires", oldest first; never the token or
 * its hash. Whether a token was used is not recorded (a write per request
 * would cost more than it tells). */
static int
token_list(const char *user_id)
{
	const char *params[] = { user_id };
	PGresult   *res = NULL;
	int         i, n;

	if (db_exec(STMT_TOKEN_LIST, params, &res, NULL, "focusctl") != FERR_OK) {
		fprintf(stderr, "focusctl: cannot list the tokens (is the user id a UUID?)\n");
		return 1;
	}
	n = PQntuples(res);
	if (n < 1 || strcmp(PQgetvalue(res, 0, 0), "t") != 0) {
		fprintf(stderr, "focusctl: no such user\n");
		PQclear(res);
		return 1;
	}
	for (i = 0; i < n; i++)
		if (!PQgetisnull(res, i, 1))
			printf("%s\t%s\t%s\t%s\n", PQgetvalue(res, i, 1), PQgetvalue(res, i, 2),
			    PQgetvalue(res, i, 3), PQgetvalue(res, i, 4));
	PQclear(res);
	return 0;
}

/* focusctl token revoke ID: end one token or sign-in (an id from list). */
static int
token_revoke(const char *id)
{
	const char *params[] = { id };
	PGresult   *res = NULL;
	char       *end;
	long long   v = strtoll(id, &end, 10);

	if (*id == '\0' || *end != '\0' || v < 1)
		return usage();
	if (db_exec(STMT_TOKEN_REVOKE, params, &res, NULL, "focusctl") != FERR_OK) {
		fprintf(stderr, "focusctl: cannot revoke the token (see the log line above)\n");
		return 1;
	}
	if (PQntuples(res) != 1) {
		fprintf(stderr, "focusctl: no such token\n");
		PQclear(res);
		return 1;
	}
	printf("revoked %s (%s of user %s)\n", PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1),
	    PQgetvalue(res, 0, 2));
	PQclear(res);
	return 0;
}

static int
cmd_token(int argc, char **argv)
{
	char        token[FOCUS_TOKEN_HEX + 1], hash[2 + FOCUS_TOKEN_HEX + 1];
	const char *days = "30";
	PGresult   *res = NULL;
	char       *end;

	if (argc == 2 && (strcmp(argv[0], "list") == 0 || strcmp(argv[0], "revoke") == 0)) {
		if (connect_or_die() == NULL)
			return 1;
		return strcmp(argv[0], "list") == 0 ? token_list(argv[1]) : token_revoke(argv[1]);
	}
	if (argc < 2 || strcmp(argv[0], "add") != 0)
		return usage();
	if (argc == 4 && strcmp(argv[2], "--days") == 0) {
		long d = strtol(argv[3], &end, 10);
		if (*end != '\0' || d < 1 || d > 3650)
			return usage();
		days = argv[3];
	} else if (argc != 2)
		return usage();
	if (auth_token_new(token) != 0 || auth_token_hash(token, FOCUS_TOKEN_HEX, hash) != 0)
		return 1;
	if (connect_or_die() == NULL)
		return 1;
	{
		const char *params[] = { hash, argv[1], days };
		if (db_exec(STMT_TOKEN_ADD, params, &res, NULL, "focusctl") != FERR_OK) {
			fprintf(stderr, "focusctl: cannot add the token (is the user id right?)\n");
			return 1;
		}
	}
	PQclear(res);
	printf("%s\n", token);
	return 0;
}

static int
cmd_expire(void)
{
	PGresult *res = NULL;
	char      ttl[16];

	if (connect_or_die() == NULL)
		return 1;
	if (db_exec(STMT_EXPIRE_ALL, NULL, &res, NULL, "focusctl") != FERR_OK)
		return 1;
	/* one row per user whose sessions it changed */
	printf("caught up %s\n", PQcmdTuples(res));
	PQclear(res);
	/* Idempotency-Keys past their window (a claim also replaces an old
	 * one of its own key, lazily) */
	snprintf(ttl, sizeof(ttl), "%d", FOCUS_IDEMPOTENCY_TTL_S);
	{
		const char *params[] = { ttl };
		if (db_exec(STMT_IDEM_EXPIRE, params, &res, NULL, "focusctl") != FERR_OK)
			return 1;
	}
	printf("idempotency keys expired %s\n", PQcmdTuples(res));
	PQclear(res);
	return 0;
}

/* The objects in storage, as listed before the rows are read. */
struct object_list {
	struct stored_object {
		char     *key;
		long long size;
	}        *v;
	size_t    n, cap;
	long long young;      /* objects skipped as younger than the minimum age */
	long long now;
	int       failed;
};

/* A storage_list_fn: keep objects old enough to be orphans. An object
 * younger than STORAGE_ORPHAN_MIN_AGE_S may be an upload whose key can
 * still be registered, or one stored while this runs: never listed. */
static void
object_keep(void *arg, const char *key, long long size, long long mtime)
{
	struct object_list *l = arg;
	struct stored_object *grown;

	if (mtime > l->now - STORAGE_ORPHAN_MIN_AGE_S) {
		l->young++;
		return;
	}
	if (l->n == l->cap) {
		size_t cap = l->cap != 0 ? 2 * l->cap : 256;
		if ((grown = realloc(l->v, cap * sizeof(*grown))) == NULL) {
			l->failed = 1;
			return;
		}
		l->v = grown;
		l->cap = cap;
	}
	if ((l->v[l->n].key = strdup(key)) == NULL) {
		l->failed = 1;
		return;
	}
	l->v[l->n++].size = size;
}

/* Is key among the rows' keys (sorted in byte order)? */
static int
key_has_row(const PGresult *keys, const char *key)
{
	int lo = 0, hi = PQntuples(keys) - 1;

	while (lo <= hi) {
		int mid = (lo + hi) / 2, c = strcmp(PQgetvalue(keys, mid, 0), key);
		if (c == 0)
			return 1;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return 0;
}

/*
 * focusctl storage orphans [--delete]: objects no row points at. The
 * objects are listed first and the rows read after, so an object stored
 * while this runs is either too young to be listed or its row (a track, or
 * a live reservation, which the insert of its track consumes atomically)
 * is already there when the rows are read.
 */
static int
cmd_storage(int argc, char **argv)
{
	struct object_list l = { NULL, 0, 0, 0, 0, 0 };
	PGresult *res = NULL;
	long      found = 0;
	int       i, n, remove = 0, failed = 0;
	size_t    k;

	if (argc < 1 || strcmp(argv[0], "orphans") != 0)
		return usage();
	if (argc == 2 && strcmp(argv[1], "--delete") == 0)
		remove = 1;
	else if (argc != 1)
		return usage();
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0 || storage_init() != 0)
		return 1;
	if (connect_or_die() == NULL)
		return 1;
	l.now = (long long)time(NULL);
	if (storage_list(object_keep, &l, "focusctl") != FERR_OK || l.failed) {
		fprintf(stderr, "focusctl: cannot list the stored objects\n");
		failed = 1;
		goto done;
	}
	if (db_exec(STMT_TRACK_KEYS, NULL, &res, NULL, "focusctl") != FERR_OK) {
		failed = 1;
		goto done;
	}
	/* the binary search needs byte order; check it, not trusting collation */
	n = PQntuples(res);
	for (i = 1; i < n; i++)
		if (strcmp(PQgetvalue(res, i - 1, 0), PQgetvalue(res, i, 0)) > 0) {
			fprintf(stderr, "focusctl: storage keys are not in byte order; set the database collation to C\n");
			failed = 1;
			goto done;
		}
	for (k = 0; k < l.n; k++) {
		if (key_has_row(res, l.v[k].key))
			continue;
		found++;
		printf("%s\t%lld%s\n", l.v[k].key, l.v[k].size, remove ? "\tdeleted" : "");
		if (remove && storage_delete(l.v[k].key, "focusctl") != FERR_OK)
			failed = 1;
	}
	fprintf(stderr, "%ld orphan object(s)%s; %lld object(s) younger than %d s not considered\n",
	    found, remove ? " deleted" : "", l.young, STORAGE_ORPHAN_MIN_AGE_S);
done:
	PQclear(res);
	for (k = 0; k < l.n; k++)
		free(l.v[k].key);
	free(l.v);
	storage_shutdown();
	return failed ? 1 : 0;
}

int
main(int argc, char **argv)
{
	int rc;

	if (config_load() != 0)
		return 2;
	(void)log_open(getenv("FOCUSCTL_LOG") != NULL ? getenv("FOCUSCTL_LOG") : "-");
	log_set_level(LOG_WARN);
	if (argc < 2)
		return usage();
	if (strcmp(argv[1], "migrate") == 0)
		rc = cmd_migrate();
	else if (strcmp(argv[1], "user") == 0)
		rc = cmd_user(argc - 2, argv + 2);
	else if (strcmp(argv[1], "token") == 0)
		rc = cmd_token(argc - 2, argv + 2);
	else if (strcmp(argv[1], "expire") == 0)
		rc = cmd_expire();
	else if (strcmp(argv[1], "storage") == 0)
		rc = cmd_storage(argc - 2, argv + 2);
	else if (strcmp(argv[1], "explain") == 0)
		rc = connect_or_die() != NULL ?
		    explain_statements(db_conn(), argc == 3 && strcmp(argv[2], "--check") == 0) : 1;
	else if (strcmp(argv[1], "facts") == 0)
		rc = cmd_facts();
	else if (strcmp(argv[1], "seed") == 0 && connect_or_die() == NULL)
		rc = 1;
	else if (strcmp(argv[1], "seed") == 0)
		rc = seed_main(argc - 2, argv + 2);
	else
		rc = usage();
	db_close();
	return rc;
}
