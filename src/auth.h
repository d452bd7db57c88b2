/*
 * auth.h: who is calling. A token is 32 random bytes from the OS, shown
 * once as 64 hex digits and stored only as its SHA-256. It arrives as
 * "Authorization: Bearer <token>" or the cookie "session=<token>"; its
 * hash is matched inside each route statement (stmt.c CTE_ME), so the
 * check costs no round trip of its own. Passwords are argon2id.
 */
#ifndef FOCUS_AUTH_H
#define FOCUS_AUTH_H

#include <stddef.h>

#include "http.h"
#include "validate.h"

/* The login body's field table (routes.c body_tables) */
extern const struct field_table auth_login_body;
/* The sign-up body's field table */
extern const struct field_table auth_register_body;

/* argon2id parameters: OWASP's minimum for argon2id (19 MiB, 2 passes,
 * 1 lane): a sign-in costs one core for tens of milliseconds, paid only
 * at sign-in, never per request. */
#define AUTH_ARGON2_T_COST   2
#define AUTH_ARGON2_M_COST   19456
#define AUTH_ARGON2_LANES    1
#define AUTH_ARGON2_SALT_LEN 16
#define AUTH_ARGON2_HASH_LEN 32
#define AUTH_ARGON2_ENCODED_MAX 128

/* Find the token (bearer first, then cookie) and put its hash into
 * rq->token_hash. FERR_UNAUTHORIZED when missing or malformed. */
enum ferr auth_extract(struct req *rq) FOCUS_MUSTCHECK;

/* A cookie-authenticated write must come from our own page: its Origin
 * (else Referer) must equal the public origin. FERR_FORBIDDEN otherwise. */
enum ferr auth_check_origin(const struct req *rq) FOCUS_MUSTCHECK;

/* The origin a request should come from: FOCUS_PUBLIC_ORIGIN, else the
 * request's own scheme and Host. Returns 0, -1 when unknown. */
int auth_public_origin(const struct req *rq, char *out, size_t cap);

/* 64 hex digits of fresh randomness; 0 or -1. */
int auth_token_new(char out[FOCUS_TOKEN_HEX + 1]);
/* "\\x<hex of SHA-256(token)>", the text form of a bytea parameter; 0 or -1. */
int auth_token_hash(const char *token, size_t len, char out[2 + FOCUS_TOKEN_HEX + 1]) FOCUS_MUSTCHECK;

/* argon2id: hash into an encoded "$argon2id$v=19$..." string; verify. */
int auth_password_hash(const char *password, size_t len, char *out, size_t cap);
int auth_password_ok(const char *encoded, const char *password, size_t len);
/* Is this a password a user may have (what focusctl user add accepts: one
 * line of 1..FOCUS_MAX_PASSWORD_LEN bytes)? 1 or 0. */
int auth_password_acceptable(const char *password, size_t len);

/* Route handlers. */
enum ferr auth_login(struct req *rq);
/* POST /api/auth/register: 404 unless FOCUS_SIGNUP=open. */
enum ferr auth_register(struct req *rq);
enum ferr auth_logout(struct req *rq);
enum ferr auth_logout_all(struct req *rq);
enum ferr auth_password(struct req *rq);
enum ferr auth_me(struct req *rq);

#endif
