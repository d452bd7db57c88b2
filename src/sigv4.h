/*
 * sigv4.h: AWS Signature Version 4 as pure functions: no I/O and no clock
 * (callers pass the time as an amz date), so every step can be checked
 * against AWS's published vectors. HMAC-SHA256 and SHA-256 come from
 * OpenSSL. Outputs go into caller buffers of a stated capacity; functions
 * return 0, or -1 when an input is malformed or an output does not fit.
 *
 * The steps (AWS IAM user guide, "Create a signed AWS API request"):
 *   1. canonical request   sigv4_canonical_request()
 *   2. string to sign      sigv4_string_to_sign()
 *   3. signing key         sigv4_signing_key()
 *   4. signature           sigv4_signature()
 * and the two ways to carry it: an Authorization header
 * (sigv4_sign_header()) or a presigned URL query (sigv4_presign_query()).
 */
#ifndef FOCUS_SIGV4_H
#define FOCUS_SIGV4_H

#include <stddef.h>
#include <time.h>

#include "ferr.h"

/* Hex digits of a SHA-256 (and of a signature, an HMAC-SHA256). */
#define SIGV4_SHA256_HEX    64
#define SIGV4_KEY_LEN       32
/* "YYYYMMDDTHHMMSSZ", ISO 8601 basic format in UTC (x-amz-date). */
#define SIGV4_AMZ_DATE_LEN  16
/* A presigned URL lives at most seven days (SigV4 query auth limit). */
#define SIGV4_MAX_EXPIRES_S 604800
/* Bounds on what we sign; our own requests use 5 headers, 2 query
 * parameters and a canonical request under 1 KiB. */
#define SIGV4_MAX_HEADERS   16
#define SIGV4_MAX_PARAMS    32
#define SIGV4_MAX_CANONICAL 8192
/* Secrets: AWS keys are 40 characters, R2's 64; leave room. */
#define SIGV4_MAX_SECRET    256

/* Payload hash for a body that is not hashed (S3 and R2 accept it). */
#define SIGV4_UNSIGNED_PAYLOAD "UNSIGNED-PAYLOAD"
/* SHA-256 of the empty string: the payload hash of a bodyless request. */
#define SIGV4_EMPTY_SHA256 \
	"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

struct sigv4_cred {
	const char *access_key;
	const char *secret_key;
	const char *region;    /* "us-east-1"; R2 uses "auto" */
	const char *service;   /* "s3" */
};

struct sigv4_header {
	const char *name;      /* lowercase */
	const char *value;     /* spaces are trimmed and runs squeezed when signed */
};

struct sigv4_request {
	const char *method;
	const char *path;      /* canonical URI, as sigv4_uri_encode(.., 1) gives it */
	const char *query;     /* canonical query (sigv4_sort_query()); "" for none */
	/* Names lowercase, strictly ascending, host and x-amz-date among them. */
	const struct sigv4_header *headers;
	size_t      nheaders;
	const char *payload_hash;  /* SIGV4_UNSIGNED_PAYLOAD or 64 hex digits */
	const char *amz_date;      /* SIGV4_AMZ_DATE_LEN characters */
};

/* Percent-encode per SigV4 (RFC 3986 section 2.3: A-Z a-z 0-9 - . _ ~ are
 * kept, every other byte becomes %XX in upper case). keep_slash keeps '/'
 * for paths; query names and values encode it. */
int sigv4_uri_encode(const char *in, int keep_slash, char *out, size_t cap) FOCUS_MUSTCHECK;

/* Sort an already encoded query "b=2&a=1" by name, then value, in byte
 * order, as the canonical query string must be. */
int sigv4_sort_query(const char *in, char *out, size_t cap) FOCUS_MUSTCHECK;

/* t as an amz date. */
int sigv4_amz_date(time_t t, char out[SIGV4_AMZ_DATE_LEN + 1]) FOCUS_MUSTCHECK;

/* Lowercase hex SHA-256 of len bytes. */
int sigv4_sha256_hex(const void *data, size_t len, char out[SIGV4_SHA256_HEX + 1]) FOCUS_MUSTCHECK;

int sigv4_canonical_request(const struct sigv4_request *rq, char *out, size_t cap) FOCUS_MUSTCHECK;
int sigv4_string_to_sign(const char *amz_date, const struct sigv4_cred *cr,
    const char *canonical_request, char *out, size_t cap) FOCUS_MUSTCHECK;
/* The day's key: HMAC chain over date, region, service, "aws4_request". */
int sigv4_signing_key(const struct sigv4_cred *cr, const char *amz_date,
    unsigned char key[SIGV4_KEY_LEN]) FOCUS_MUSTCHECK;
int sigv4_signature(const unsigned char key[SIGV4_KEY_LEN], const char *string_to_sign,
    char out[SIGV4_SHA256_HEX + 1]) FOCUS_MUSTCHECK;

/* The Authorization header value for rq:
 * "AWS4-HMAC-SHA256 Credential=<key>/<scope>, SignedHeaders=<names>, Signature=<hex>". */
int sigv4_sign_header(const struct sigv4_request *rq, const struct sigv4_cred *cr,
    char *authz, size_t cap) FOCUS_MUSTCHECK;

/* The query string of a presigned URL for method on path (canonical URI)
 * at host, valid expires_s seconds from amz_date, signing only host and an
 * unsigned payload: X-Amz-Algorithm, -Credential, -Date, -Expires,
 * -SignedHeaders and -Signature, in that (canonical) order. */
int sigv4_presign_query(const char *method, const char *path, const char *host,
    const char *amz_date, int expires_s, const struct sigv4_cred *cr,
    char *query, size_t cap) FOCUS_MUSTCHECK;

/* The same, signing headers (names lowercase, strictly ascending, host
 * among them) instead of host only: a presigned upload that signs
 * content-length, content-type and if-none-match can be used only with
 * exactly those header values. X-Amz-SignedHeaders lists their names. */
int sigv4_presign_query_headers(const char *method, const char *path,
    const struct sigv4_header *headers, size_t nheaders, const char *amz_date,
    int expires_s, const struct sigv4_cred *cr, char *query, size_t cap) FOCUS_MUSTCHECK;

#endif
