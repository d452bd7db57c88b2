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
	PGresult   *res = NULL;
	enum ferr   e;
	char        window[16], days[16], token[FOCUS_TOKEN_HEX + 1], hash[2 + FOCUS_TOKEN_HEX + 1];
	const char *client = http_param(rq, "REMOTE_ADDR");
	const char *stored, *uid;
	char        user_id[37];
	int         ok;

	if ((e = validate_fields(rq->body, login_fields, 2, v, rq->err_msg, sizeof(rq->err_msg))) != FERR_OK)
		return e;
	if (!v[0].present || !v[1].present) {
		snprintf(rq->err_msg, sizeof(rq->err_msg), "name and password are required.");
		return FERR_VALIDATION;
	}
	if (client == NULL)
		client = "-";
	snprintf(window, sizeof(window), "%d", FOCUS_LOGIN_WINDOW_S);
	{
		const char *params[] = { v[0].s, client, window };
		if ((e = db_exec(STMT_AUTH_LOGIN_LOOKUP, params, &res, &rq->round_trips, rq->request_id)) != FERR_OK)
			return e;
	}
	if (atol(PQgetvalue(res, 0, 2)) >= FOCUS_LOGIN_MAX_FAILURES ||
	    atol(PQgetvalue(res, 0, 3)) >= FOCUS_LOGIN_MAX_FAILURES) {
		PQclear(res);
		(void)http_add_header(rq, "Retry-After", window);
		snprintf(rq->err_msg, sizeof(rq->err_msg),
		    "Too many failed sign-ins; try again in %d minutes.", FOCUS_LOGIN_WINDOW_S / 60);
		return FERR_RATE_LIMITED;
	}
	stored = PQgetisnull(res, 0, 1) ? dummy_hash() : PQgetvalue(res, 0, 1);
	uid = PQgetisnull(res, 0, 0) ? NULL : PQgetvalue(res, 0, 0);
	ok = auth_password_ok(stored, v[1].s, strlen(v[1].s)) && uid != NULL;
	snprintf(user_id, sizeof(user_id), "%s", uid != NULL ? uid : "");
	PQclear(res);
	res = NULL;
	if (!ok) {
		const char *params[] = { v[0].s, client, window };
		if ((e = db_exec(STMT_AUTH_LOGIN_FAILED, params, &res, &rq->round_trips, rq->request_id)) != FERR_OK)
			return e;
		PQclear(res);
		snprintf(rq->err_msg, sizeof(rq->err_msg), "Wrong name or password.");
		return FERR_UNAUTHORIZED;
	}
	if (auth_token_new(token) != 0 || auth_token_hash(token, FOCUS_TOKEN_HEX, hash) != 0)
		return FERR_INTERNAL;
	snprintf(days, sizeof(days), "%d", FOCUS_LOGIN_SESSION_DAYS);
	{
		const char *params[] = { hash, user_id, days };
		if ((e = db_exec(STMT_AUTH_LOGIN_OK, params, &res, &rq->round_trips, rq->request_id)) != FERR_OK)
			return e;
		PQclear(res);
	}
	snprintf(rq->user_id, sizeof(rq->user_id), "%s", user_id);
	if (set_session_cookie(rq, token, (long)FOCUS_LOGIN_SESSION_DAYS * 86400) != 0)
		return FERR_INTERNAL;
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
