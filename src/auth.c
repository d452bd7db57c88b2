#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <strings.h>

#include <argon2.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "digest.h"
#include "hex.h"
#include "api.h"
#include "auth.h"
#include "pgbin.h"
#include "config.h"
#include "db.h"
#include "log.h"
#include "validate.h"

/* Columns of STMT_AUTH_LOGIN_LOOKUP and STMT_AUTH_PASSWORD_LOOKUP, by
 * name (their shapes in stmt.c). */
#define LKP(name) stmt_col(STMT_AUTH_LOGIN_LOOKUP, name)
#define PWL(name) stmt_col(STMT_AUTH_PASSWORD_LOOKUP, name)

static int
token_well_formed(const char *t, size_t len)
{
	size_t i;

	if (len != FOCUS_TOKEN_HEX)
		return 0;
	for (i = 0; i < len; i++)
		if (!isxdigit((unsigned char)t[i]))
			return 0;
	return 1;
}

int
auth_token_hash(const char *token, size_t len, char out[2 + FOCUS_TOKEN_HEX + 1])
{
	unsigned char md[DIGEST_SHA256_LEN];
	char          lower[FOCUS_TOKEN_HEX];
	size_t        i;

	/* tokens are hex: hash the canonical lowercase form */
	for (i = 0; i < len && i < sizeof(lower); i++)
		lower[i] = (char)tolower((unsigned char)token[i]);
	if (digest_sha256(lower, i, md) != 0)
		return -1;
	out[0] = '\\';
	out[1] = 'x';
	hex_encode(md, sizeof(md), out + 2);
	return 0;
}

int
auth_token_new(char out[FOCUS_TOKEN_HEX + 1])
{
	unsigned char raw[FOCUS_TOKEN_BYTES];

	if (RAND_bytes(raw, sizeof(raw)) != 1)
		return -1;
	hex_encode(raw, sizeof(raw), out);
	OPENSSL_cleanse(raw, sizeof(raw));
	return 0;
}

/* The value of cookie `name` in a Cookie header (RFC 6265 5.4). */
static const char *
cookie_value(const char *header, const char *name, size_t *len)
{
	size_t nlen = strlen(name);
	const char *p = header;

	while (p != NULL && *p != '\0') {
		while (*p == ' ' || *p == ';')
			p++;
		if (strncmp(p, name, nlen) == 0 && p[nlen] == '=') {
			p += nlen + 1;
			*len = strcspn(p, ";");
			while (*len > 0 && p[*len - 1] == ' ')
				(*len)--;
			return p;
		}
		p = strchr(p, ';');
	}
	return NULL;
}

enum ferr
auth_extract(struct req *rq)
{
	const char *h = http_param(rq, "HTTP_AUTHORIZATION");
	const char *tok = NULL;
	size_t      len = 0;

	if (h != NULL && strncasecmp(h, "Bearer ", 7) == 0) {
		tok = h + 7;
		while (*tok == ' ')
			tok++;
		len = strlen(tok);
		while (len > 0 && tok[len - 1] == ' ')
			len--;
	} else if ((h = http_param(rq, "HTTP_COOKIE")) != NULL &&
	    (tok = cookie_value(h, "session", &len)) != NULL) {
		rq->auth_by_cookie = 1;
	}
	if (tok == NULL || !token_well_formed(tok, len))
		return FERR_UNAUTHORIZED;
	if (auth_token_hash(tok, len, rq->token_hash) != 0)
		return FERR_INTERNAL;
	return FERR_OK;
}

int
auth_public_origin(const struct req *rq, char *out, size_t cap)
{
	const char *scheme, *host;
	int         n;

	if (config->public_origin[0] != '\0') {
		n = snprintf(out, cap, "%s", config->public_origin);
		return n > 0 && (size_t)n < cap ? 0 : -1;
	}
	scheme = http_param(rq, "REQUEST_SCHEME");
	host = http_param(rq, "HTTP_HOST");
	if (scheme == NULL || *scheme == '\0')
		scheme = "http";
	if (host == NULL || *host == '\0')
		return -1;
	n = snprintf(out, cap, "%s://%s", scheme, host);
	return n > 0 && (size_t)n < cap ? 0 : -1;
}

enum ferr
auth_check_origin(const struct req *rq)
{
	char        want[256];
	const char *origin, *referer;
	size_t      wlen;

	if (!rq->auth_by_cookie || rq->method == HTTP_GET || rq->method == HTTP_HEAD)
		return FERR_OK;
	if (auth_public_origin(rq, want, sizeof(want)) != 0)
		return FERR_FORBIDDEN;
	wlen = strlen(want);
	origin = http_param(rq, "HTTP_ORIGIN");
	if (origin != NULL && *origin != '\0')
		return strcasecmp(origin, want) == 0 ? FERR_OK : FERR_FORBIDDEN;
	/* Without Origin, the Referer must start with our origin and a '/'
	 * (so "https://us.example.evil" does not pass for "https://us.example"). */
	referer = http_param(rq, "HTTP_REFERER");
	if (referer != NULL && strncasecmp(referer, want, wlen) == 0 &&
	    (referer[wlen] == '/' || referer[wlen] == '\0'))
		return FERR_OK;
	return FERR_FORBIDDEN;
}

int
auth_password_hash(const char *password, size_t len, char *out, size_t cap)
{
	unsigned char salt[AUTH_ARGON2_SALT_LEN];

	if (RAND_bytes(salt, sizeof(salt)) != 1)
		return -1;
	if (argon2id_hash_encoded(AUTH_ARGON2_T_COST, AUTH_ARGON2_M_COST, AUTH_ARGON2_LANES,
	    password, len, salt, sizeof(salt), AUTH_ARGON2_HASH_LEN, out, cap) != ARGON2_OK)
		return -1;
	return 0;
}

int
auth_password_ok(const char *encoded, const char *password, size_t len)
{
	return argon2id_verify(encoded, password, len) == ARGON2_OK;
}

/* Verified when the name is unknown too, so that a wrong name and a wrong
 * password take the same time (401 alike, API.md). The hash of a random
 * password made once per worker at first use. */
static const char *
dummy_hash(void)
{
	static char hash[AUTH_ARGON2_ENCODED_MAX];
	char        pw[FOCUS_TOKEN_HEX + 1];

	if (hash[0] == '\0' && (auth_token_new(pw) != 0 ||
	    auth_password_hash(pw, strlen(pw), hash, sizeof(hash)) != 0))
		hash[0] = '\0';
	return hash;
}

static const struct field login_fields[] = {
	{ "name",     FIELD_STR, 1, FOCUS_MAX_NAME_LEN, NULL, 0 },
	{ "password", FIELD_STR, 1, FOCUS_MAX_PASSWORD_LEN, NULL, 0 },
};
const struct field_table auth_login_body = { "login", login_fields,
	sizeof(login_fields) / sizeof(login_fields[0]) };

int
auth_password_acceptable(const char *password, size_t len)
{
	/* what focusctl user add reads: one line of 1..max bytes */
	return len >= 1 && len <= FOCUS_MAX_PASSWORD_LEN && memchr(password, '\0', len) == NULL &&
	    memchr(password, '\n', len) == NULL && memchr(password, '\r', len) == NULL;
}

/* The client address the throttle counts failures of. */
static const char *
client_address(const struct req *rq)
{
	const char *client = http_param(rq, "REMOTE_ADDR");

	return client != NULL && *client != '\0' ? client : "-";
}

/* 429 (with Retry-After) when the recent failures in columns col, col+1,
 * col+2 of row 0 (RECENT_FAILURES in stmt.c: name from this client, name,
 * client) reach their limits (limits.h); FERR_OK otherwise. */
static enum ferr
throttled(struct req *rq, const PGresult *res, int col)
{
	char window[16];

	if (atol(PQgetvalue(res, 0, col)) < FOCUS_LOGIN_MAX_FAILURES &&
	    atol(PQgetvalue(res, 0, col + 1)) < FOCUS_LOGIN_MAX_NAME_FAILURES &&
	    atol(PQgetvalue(res, 0, col + 2)) < FOCUS_LOGIN_MAX_CLIENT_FAILURES)
		return FERR_OK;
	snprintf(window, sizeof(window), "%d", FOCUS_LOGIN_WINDOW_S);
	(void)http_add_header(rq, "Retry-After", window);
	snprintf(rq->err_msg, sizeof(rq->err_msg),
	    "Too many failed sign-ins; try again in %d minutes.", FOCUS_LOGIN_WINDOW_S / 60);
	return FERR_RATE_LIMITED;
}

/* Count a wrong password of name from this client (one round trip). */
static enum ferr
count_failure(struct req *rq, const char *name)
{
	char        window[16];
	const char *params[] = { name, client_address(rq), window };
	PGresult   *res = NULL;
	enum ferr   e;

	snprintf(window, sizeof(window), "%d", FOCUS_LOGIN_WINDOW_S);
	if ((e = db_exec(STMT_AUTH_LOGIN_FAILED, params, &res, &rq->round_trips, rq->request_id)) != FERR_OK)
		return e;
	PQclear(res);
	return FERR_OK;
}

static int
set_session_cookie(struct req *rq, const char *token, long max_age)
{
	char v[256];
	int  n = snprintf(v, sizeof(v), "session=%s; Path=/; Max-Age=%ld; HttpOnly; SameSite=Strict%s",
	    token, max_age, config->cookie_secure ? "; Secure" : "");

	if (n < 0 || (size_t)n >= sizeof(v))
		return -1;
	return http_add_header(rq, "Set-Cookie", v);
}

/* {"user":{"id":..,"name":..}}: what login and me answer */
static void
write_user(struct jsonw *w, const char *id, const char *name, size_t name_len)
{
	jw_obj(w, NULL);
	jw_obj(w, "user");
	jw_str(w, "id", id);
	jw_strn(w, "name", name, name_len);
	jw_end(w);
	jw_end(w);
}

static enum ferr
send_user(struct req *rq, const char *id, const char *name)
{
	struct jsonw w;

	http_data_begin(&w);
	write_user(&w, id, name, strlen(name));
	return http_data_send(rq, &w);
}

/* auth_me's row: the caller's id and name. An api_render_fn. */
static int
render_me(struct jsonw *w, const PGresult *res, const struct stmt_shape *shape, const void *arg)
{
	char        id[37];
	const char *name;
	size_t      len;

	(void)arg;
	if (pgbin_uuid(res, 0, stmt_col(STMT_AUTH_ME, "user_id"), id) != PGBIN_OK ||
	    pgbin_text(res, 0, shape->object, &name, &len) != PGBIN_OK)
		return -1;
	write_user(w, id, name, len);
	return 0;
}

enum ferr
auth_login(struct req *rq)
{
	struct field_value v[2];
	PGresult   *found = NULL, *res = NULL;
	enum ferr   e;
	char        window[16], days[16], cap[16], token[FOCUS_TOKEN_HEX + 1], hash[2 + FOCUS_TOKEN_HEX + 1];
	const char *stored, *uid;
	char        user_id[37];
	int         ok;

	if ((e = validate_fields(rq->body, login_fields, 2, v, rq->err_msg, sizeof(rq->err_msg))) != FERR_OK)
		return e;
	if (!v[0].present || !v[1].present) {
		snprintf(rq->err_msg, sizeof(rq->err_msg), "name and password are required.");
		return FERR_VALIDATION;
	}
	snprintf(window, sizeof(window), "%d", FOCUS_LOGIN_WINDOW_S);
	{
		const char *params[] = { v[0].s, client_address(rq), window };
		if ((e = db_exec(STMT_AUTH_LOGIN_LOOKUP, params, &found, &rq->round_trips, rq->request_id)) != FERR_OK)
			return e;
	}
	if ((e = throttled(rq, found, LKP("pair_failures"))) != FERR_OK) {
		PQclear(found);
		return e;
	}
	/* stored (the hash checked) stays in found until the session is stored */
	stored = PQgetisnull(found, 0, LKP("password_hash")) ? dummy_hash() :
	    PQgetvalue(found, 0, LKP("password_hash"));
	uid = PQgetisnull(found, 0, LKP("id")) ? NULL : PQgetvalue(found, 0, LKP("id"));
	ok = auth_password_ok(stored, v[1].s, strlen(v[1].s)) && uid != NULL;
	snprintf(user_id, sizeof(user_id), "%s", uid != NULL ? uid : "");
	if (!ok) {
		PQclear(found);
		if ((e = count_failure(rq, v[0].s)) != FERR_OK)
			return e;
		snprintf(rq->err_msg, sizeof(rq->err_msg), "Wrong name or password.");
		return FERR_UNAUTHORIZED;
	}
	if (auth_token_new(token) != 0 || auth_token_hash(token, FOCUS_TOKEN_HEX, hash) != 0) {
		PQclear(found);
		return FERR_INTERNAL;
	}
	snprintf(days, sizeof(days), "%d", FOCUS_LOGIN_SESSION_DAYS);
	snprintf(cap, sizeof(cap), "%d", FOCUS_MAX_SIGNINS_PER_USER);
	{
		const char *params[] = { hash, user_id, stored, days, cap };
		e = db_exec(STMT_AUTH_LOGIN_OK, params, &res, &rq->round_trips, rq->request_id);
		PQclear(found);
		if (e != FERR_OK) {
			OPENSSL_cleanse(token, sizeof(token));
			return e;
		}
		/* false: the password changed since it was checked (006_auth.sql) */
		ok = PQntuples(res) == 1 && strcmp(PQgetvalue(res, 0, 0), "t") == 0;
		PQclear(res);
		if (!ok) {
			OPENSSL_cleanse(token, sizeof(token));
			snprintf(rq->err_msg, sizeof(rq->err_msg), "Wrong name or password.");
			return FERR_UNAUTHORIZED;
		}
	}
	snprintf(rq->user_id, sizeof(rq->user_id), "%s", user_id);
	if (set_session_cookie(rq, token, (long)FOCUS_LOGIN_SESSION_DAYS * 86400) != 0)
		return FERR_INTERNAL;
	OPENSSL_cleanse(token, sizeof(token));
	return send_user(rq, user_id, v[0].s);
}

static const struct field register_fields[] = {
	{ "name",     FIELD_STR, 1, FOCUS_MAX_NAME_LEN, NULL, 0 },
	{ "password", FIELD_STR, FOCUS_MIN_SIGNUP_PASSWORD_LEN, FOCUS_MAX_PASSWORD_LEN, NULL, 0 },
};
const struct field_table auth_register_body = { "register", register_fields,
	sizeof(register_fields) / sizeof(register_fields[0]) };

/* A name a person can read back and type: no control characters, no
 * space at either end (the sign-in form trims what it sends). 1 or 0. */
static int
name_acceptable(const char *name)
{
	size_t len = strlen(name), i;

	if (len == 0 || name[0] == ' ' || name[len - 1] == ' ')
		return 0;
	for (i = 0; i < len; i++)
		if ((unsigned char)name[i] < 0x20 || (unsigned char)name[i] == 0x7f)
			return 0;
	return 1;
}

/*
 * POST /api/auth/register: a new user and its first browser sign-in, in
 * one round trip (STMT_AUTH_REGISTER). The password is hashed before the
 * statement, so no connection waits on argon2. The statement applies the
 * sign-in throttle (429 with Retry-After), inserts the user and the
 * session, or counts a taken name as a failed attempt (409).
 * Closed (FOCUS_SIGNUP unset or "closed"): 404, as a route that is not
 * there, so a closed service does not advertise it.
 */
enum ferr
auth_register(struct req *rq)
{
	struct field_value v[2];
	PGresult   *res = NULL;
	enum ferr   e;
	char        window[16], days[16], pair[16], per_name[16], per_client[16];
	char        token[FOCUS_TOKEN_HEX + 1], hash[2 + FOCUS_TOKEN_HEX + 1];
	char        pw_hash[AUTH_ARGON2_ENCODED_MAX], user_id[37];
	const char *outcome;

	if (!config->signup_open) {
		snprintf(rq->err_msg, sizeof(rq->err_msg), "Sign-up is closed on this service.");
		return FERR_NOT_FOUND;
	}
	if ((e = validate_fields(rq->body, register_fields, 2, v, rq->err_msg, sizeof(rq->err_msg))) != FERR_OK)
		return e;
	if (!v[0].present || !v[1].present) {
		snprintf(rq->err_msg, sizeof(rq->err_msg), "name and password are required.");
		return FERR_VALIDATION;
	}
	if (!name_acceptable(v[0].s)) {
		snprintf(rq->err_msg, sizeof(rq->err_msg),
		    "name must have no control characters and no space at either end.");
		return FERR_VALIDATION;
	}
	if (!auth_password_acceptable(v[1].s, strlen(v[1].s))) {
		snprintf(rq->err_msg, sizeof(rq->err_msg),
		    "password must be %d to %d characters on one line.", FOCUS_MIN_SIGNUP_PASSWORD_LEN,
		    FOCUS_MAX_PASSWORD_LEN);
		return FERR_VALIDATION;
	}
	if (auth_password_hash(v[1].s, strlen(v[1].s), pw_hash, sizeof(pw_hash)) != 0 ||
	    auth_token_new(token) != 0 || auth_token_hash(token, FOCUS_TOKEN_HEX, hash) != 0) {
		OPENSSL_cleanse(token, sizeof(token));
		return FERR_INTERNAL;
	}
	snprintf(window, sizeof(window), "%d", FOCUS_LOGIN_WINDOW_S);
	snprintf(days, sizeof(days), "%d", FOCUS_LOGIN_SESSION_DAYS);
	snprintf(pair, sizeof(pair), "%d", FOCUS_LOGIN_MAX_FAILURES);
	snprintf(per_name, sizeof(per_name), "%d", FOCUS_LOGIN_MAX_NAME_FAILURES);
	snprintf(per_client, sizeof(per_client), "%d", FOCUS_LOGIN_MAX_CLIENT_FAILURES);
	{
		const char *params[] = { v[0].s, client_address(rq), window, pw_hash, hash, days,
			pair, per_name, per_client };
		if ((e = db_exec(STMT_AUTH_REGISTER, params, &res, &rq->round_trips, rq->request_id)) != FERR_OK) {
			OPENSSL_cleanse(token, sizeof(token));
			return e;
		}
	}
	if (PQntuples(res) != 1) {
		PQclear(res);
		OPENSSL_cleanse(token, sizeof(token));
		return FERR_INTERNAL;
	}
	outcome = PQgetvalue(res, 0, stmt_col(STMT_AUTH_REGISTER, "outcome"));
	if (strcmp(outcome, "ok") != 0) {
		e = strcmp(outcome, "throttled") == 0 ? FERR_RATE_LIMITED : FERR_CONFLICT;
		PQclear(res);
		OPENSSL_cleanse(token, sizeof(token));
		if (e == FERR_RATE_LIMITED) {
			(void)http_add_header(rq, "Retry-After", window);
			snprintf(rq->err_msg, sizeof(rq->err_msg),
			    "Too many failed attempts; try again in %d minutes.", FOCUS_LOGIN_WINDOW_S / 60);
		} else {
			snprintf(rq->err_msg, sizeof(rq->err_msg), "That name is taken; choose another.");
		}
		return e;
	}
	snprintf(user_id, sizeof(user_id), "%s", PQgetvalue(res, 0, stmt_col(STMT_AUTH_REGISTER, "user_id")));
	PQclear(res);
	snprintf(rq->user_id, sizeof(rq->user_id), "%s", user_id);
	if (set_session_cookie(rq, token, (long)FOCUS_LOGIN_SESSION_DAYS * 86400) != 0) {
		OPENSSL_cleanse(token, sizeof(token));
		return FERR_INTERNAL;
	}
	OPENSSL_cleanse(token, sizeof(token));
	return send_user(rq, user_id, v[0].s);
}

enum ferr
auth_logout(struct req *rq)
{
	const char  *params[] = { rq->token_hash };
	PGresult    *res = NULL;
	struct jsonw w;
	enum ferr    e;

	e = api_exec(rq, STMT_AUTH_LOGOUT, params, &res);
	PQclear(res);
	if (e != FERR_OK)
		return e;
	(void)set_session_cookie(rq, "", 0);
	http_data_begin(&w);
	jw_obj(&w, NULL);
	jw_bool(&w, "logged_out", 1);
	jw_end(&w);
	return http_data_send(rq, &w);
}

enum ferr
auth_me(struct req *rq)
{
	const char *params[] = { rq->token_hash };

	return api_reply_rendered(rq, STMT_AUTH_ME, params, render_me, NULL);
}

/* {"<what>":true,"sessions_ended":N} from the shape's object column (its
 * count, int8 or int4): what logout-all and a password change answer. An
 * api_render_fn; arg is the key of what happened. */
static int
render_sessions_ended(struct jsonw *w, const PGresult *res, const struct stmt_shape *shape,
    const void *arg)
{
	int64_t n;
	int32_t n4;

	if (pgbin_int8(res, 0, shape->object, &n) != PGBIN_OK) {
		if (pgbin_int4(res, 0, shape->object, &n4) != PGBIN_OK)
			return -1;
		n = n4;
	}
	jw_obj(w, NULL);
	jw_bool(w, arg, 1);
	jw_int(w, "sessions_ended", n);
	jw_end(w);
	return 0;
}

enum ferr
auth_logout_all(struct req *rq)
{
	const char *params[] = { rq->token_hash };
	PGresult   *res = NULL;
	enum ferr   e;

	if ((e = api_exec(rq, STMT_AUTH_LOGOUT_ALL, params, &res)) != FERR_OK) {
		PQclear(res);
		return e;
	}
	(void)set_session_cookie(rq, "", 0);
	return api_send_rendered(rq, STMT_AUTH_LOGOUT_ALL, res, render_sessions_ended, "logged_out");
}

enum { PW_CURRENT, PW_NEW, PW__MAX };
static const struct field password_fields[PW__MAX] = {
	[PW_CURRENT] = { "current_password", FIELD_STR, 1, FOCUS_MAX_PASSWORD_LEN, NULL, 0 },
	[PW_NEW]     = { "new_password",     FIELD_STR, 1, FOCUS_MAX_PASSWORD_LEN, NULL, 0 },
};


/*
 * POST /api/auth/password: two round trips, as a sign-in. The lookup
 * reads the caller, the hash and the throttle's counts; the current
 * password is checked against that hash here (argon2, no database
 * connection held in a transaction meanwhile); then either the failure is
 * counted, or the new hash is set on the condition that the checked one is
 * still stored (409 otherwise: no check-then-act race) and every other
 * session and token of the user ends in the same statement.
 */
enum ferr
auth_password(struct req *rq)
{
	struct field_value v[PW__MAX];
	PGresult   *found = NULL, *res = NULL;
	const char *name, *old_hash;
	char        window[16], new_hash[AUTH_ARGON2_ENCODED_MAX];
	int         has_hash, ok;
	enum ferr   e;

	if ((e = validate_fields(rq->body, password_fields, PW__MAX, v, rq->err_msg,
	    sizeof(rq->err_msg))) != FERR_OK)
		return e;
	if (!v[PW_CURRENT].present || !v[PW_NEW].present) {
		snprintf(rq->err_msg, sizeof(rq->err_msg), "current_password and new_password are required.");
		return FERR_VALIDATION;
	}
	if (!auth_password_acceptable(v[PW_NEW].s, strlen(v[PW_NEW].s))) {
		snprintf(rq->err_msg, sizeof(rq->err_msg),
		    "new_password must be 1 to %d bytes on one line.", FOCUS_MAX_PASSWORD_LEN);
		return FERR_VALIDATION;
	}
	snprintf(window, sizeof(window), "%d", FOCUS_LOGIN_WINDOW_S);
	{
		const char *params[] = { rq->token_hash, client_address(rq), window };
		if ((e = api_exec(rq, STMT_AUTH_PASSWORD_LOOKUP, params, &found)) != FERR_OK) {
			PQclear(found);
			return e;
		}
	}
	if (PQntuples(found) != 1 || PQgetisnull(found, 0, PWL("name"))) {
		PQclear(found);
		return FERR_INTERNAL;
	}
	if ((e = throttled(rq, found, PWL("pair_failures"))) != FERR_OK) {
		PQclear(found);
		return e;
	}
	/* name and old_hash stay in found until the second statement ran */
	name = PQgetvalue(found, 0, PWL("name"));
	has_hash = !PQgetisnull(found, 0, PWL("password_hash"));
	old_hash = has_hash ? PQgetvalue(found, 0, PWL("password_hash")) : dummy_hash();
	/* a user without a password (API tokens only) has none to give:
	 * checked against the dummy hash all the same, and refused alike */
	ok = auth_password_ok(old_hash, v[PW_CURRENT].s, strlen(v[PW_CURRENT].s)) && has_hash;
	if (!ok) {
		e = count_failure(rq, name);
		PQclear(found);
		if (e != FERR_OK)
			return e;
		snprintf(rq->err_msg, sizeof(rq->err_msg), "The current password is wrong.");
		return FERR_UNAUTHORIZED;
	}
	if (auth_password_hash(v[PW_NEW].s, strlen(v[PW_NEW].s), new_hash, sizeof(new_hash)) != 0) {
		PQclear(found);
		return FERR_INTERNAL;
	}
	{
		const char *params[] = { rq->token_hash, old_hash, new_hash };
		e = api_exec(rq, STMT_AUTH_PASSWORD_SET, params, &res);
	}
	PQclear(found);
	if (e == FERR_OK)
		return api_send_rendered(rq, STMT_AUTH_PASSWORD_SET, res, render_sessions_ended, "password_changed");
	if (e == FERR_CONFLICT)
		snprintf(rq->err_msg, sizeof(rq->err_msg),
		    "The password was changed meanwhile; nothing was changed.");
	PQclear(res);
	return e;
}
