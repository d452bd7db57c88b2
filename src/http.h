/*
 * http.h: the request context (one per request, passed explicitly) and the
 * response writers. Reading CGI parameters, the body and the query string,
 * and writing the JSON envelope of API.md happen here and nowhere else.
 */
#ifndef FOCUS_HTTP_H
#define FOCUS_HTTP_H

#include <stddef.h>
#include <time.h>
#include <json-c/json.h>

#include "jsonw.h"

#include "ferr.h"
#include "limits.h"

struct FCGX_Request;

enum http_method { HTTP_GET, HTTP_POST, HTTP_PUT, HTTP_DELETE, HTTP_HEAD, HTTP_PATCH, HTTP_OTHER, HTTP__MAX };

struct req {
	/* I/O: the FastCGI streams; NULL in unit tests (responses then go
	 * to out_buf only). */
	struct FCGX_Request *fcgi;
	/* parsed from the CGI environment */
	enum http_method method;
	const char      *method_name;
	char             path[FOCUS_MAX_PATH_LEN];
	const char      *query;           /* raw QUERY_STRING, never NULL */
	const char      *content_type;    /* may be NULL */
	long long        content_length;  /* -1: absent */
	char             request_id[64];
	/* set by the router */
	const char      *route;           /* route pattern, for logs */
	char             params[FOCUS_MAX_PARAMS][FOCUS_MAX_PARAM_LEN];
	unsigned         nparams;
	/* set by auth: "\\x<hex sha-256>" for a bytea parameter, or "" */
	char             token_hash[2 + FOCUS_TOKEN_BYTES * 2 + 1];
	int              auth_by_cookie;
	char             user_id[37];     /* from a statement's result, for logs */
	/* the parsed JSON body ({} when empty), owned */
	json_object     *body;
	/* the body's bytes as read (NULL when none was read), owned: an
	 * Idempotency-Key is bound to them (idempotency.c) */
	char            *body_text;
	size_t           body_len;
	/* idempotency.c: the request's key, the hex SHA-256 of its method,
	 * path and body, and where the claim stands */
	char             idem_key[65];
	char             idem_hash[2 + 64 + 1];
	int              idem_state;
	/* Called once with the final status and body before a JSON response
	 * is written (idempotency.c stores it and commits); -1 makes the
	 * response a 503 instead. NULL: nothing to do. */
	int            (*before_send)(struct req *rq, int status, const char *body, size_t len);
	/* a response was written already (a replayed one): the router sends
	 * no error after the handler */
	int              responded;
	/* response */
	int              status;
	const char      *err_kind;
	char             err_msg[256];   /* a handler's sentence for its error, or "" */
	int              round_trips;
	char             extra_headers[512];
	struct timespec  started;
};

/* Fill rq from the FastCGI request's environment. Returns FERR_OK or
 * FERR_BAD_REQUEST (path or query too long, bad escapes). */
enum ferr http_begin(struct req *rq, struct FCGX_Request *fr) FOCUS_MUSTCHECK;
/* Free what the request allocated. */
void http_end(struct req *rq);

/* A CGI parameter (e.g. "HTTP_ORIGIN"), or NULL. */
const char *http_param(const struct req *rq, const char *name);

/* Read and parse a JSON object body into rq->body: an empty body is {}.
 * Returns FERR_TOO_LARGE, FERR_MEDIA_TYPE or FERR_BAD_REQUEST as API.md says. */
enum ferr http_read_json(struct req *rq) FOCUS_MUSTCHECK;
/* Read the body's bytes into rq->body_text without parsing them (a
 * route that takes no JSON body, for an Idempotency-Key's hash); at most
 * FOCUS_MAX_JSON_BODY (FERR_TOO_LARGE), nothing when already read. */
enum ferr http_read_raw(struct req *rq) FOCUS_MUSTCHECK;
/* Parse a JSON text (len bytes) into an object. Exposed for unit tests. */
enum ferr http_parse_json(const char *text, size_t len, json_object **out) FOCUS_MUSTCHECK;
/* Is this Content-Type JSON ("application/json", any parameters)? */
int http_is_json_type(const char *content_type);
/* Read raw body bytes into buf (for streaming uploads); returns bytes
 * read, 0 at end, -1 on error. */
long http_read_body(struct req *rq, char *buf, size_t cap);

/* Find key in a query string and URL-decode its value into out.
 * Returns 1 found, 0 absent, -1 malformed or too long. */
int http_query_get(const char *query, const char *key, char *out, size_t cap);
/* Percent-decode in place semantics into out; -1 on bad escape or NUL. */
int http_url_decode(const char *in, size_t len, char *out, size_t cap);

/* Add one response header line ("Name: value"); -1 when out of room. */
int http_add_header(struct req *rq, const char *name, const char *value);
/* A 200 response {"data": X}: http_data_begin() starts w with the key
 * "data" pending, the caller writes X (one value), http_data_send()
 * closes, sends and frees w. FERR_INTERNAL (logged as "render", nothing
 * sent) when the writer failed. */
void      http_data_begin(struct jsonw *w);
enum ferr http_data_send(struct req *rq, struct jsonw *w) FOCUS_MUSTCHECK;
/* The error envelope; message NULL means rq->err_msg when set, else the
 * fixed sentence for e. */
void http_send_error(struct req *rq, enum ferr e, const char *message);
/* 304 Not Modified: no body, the extra headers (ETag) only. */
void http_send_not_modified(struct req *rq);
/* Does an If-None-Match header (NULL: absent) match etag (RFC 9110
 * 13.1.2: "*", or a comma-separated list compared weakly, W/ ignored)? */
int  http_etag_matches(const char *if_none_match, const char *etag);
/* Call fn(tag, n, arg) on each entity tag of an If-Match or
 * If-None-Match list (NULL: absent), left to right, without its W/ (the
 * weak comparison both use) and its spaces: n bytes of tag, not
 * NUL-terminated; "*" comes as "*". Returns the number of tags, or -1 as
 * soon as fn returns nonzero. */
int  http_etag_each(const char *header, int (*fn)(const char *tag, size_t n, void *arg), void *arg);
/* A JSON response of any status whose body (len bytes, no newline) is
 * already written: a stored one answered again (idempotency.c). */
void http_send_json(struct req *rq, int status, const char *body, size_t len);
/* Any status with a body of a given type (storage downloads). */
void http_send_head(struct req *rq, int status, const char *content_type, long long length);
int  http_write(struct req *rq, const char *buf, size_t len);

const char *http_method_name(enum http_method m);

#endif
