#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <fcgiapp.h>

#include "config.h"
#include "http.h"
#include "log.h"

static const char *const method_names[HTTP__MAX] = {
	[HTTP_GET] = "GET", [HTTP_POST] = "POST", [HTTP_PUT] = "PUT",
	[HTTP_DELETE] = "DELETE", [HTTP_HEAD] = "HEAD", [HTTP_PATCH] = "PATCH", [HTTP_OTHER] = "OTHER",
};

const char *
http_method_name(enum http_method m)
{
	return (unsigned)m < HTTP__MAX ? method_names[m] : "OTHER";
}

const char *
http_param(const struct req *rq, const char *name)
{
	if (rq->fcgi == NULL)
		return NULL;
	return FCGX_GetParam(name, rq->fcgi->envp);
}

static enum http_method
parse_method(const char *m)
{
	int i;

	if (m == NULL)
		return HTTP_OTHER;
	for (i = 0; i < HTTP_OTHER; i++)
		if (strcmp(m, method_names[i]) == 0)
			return (enum http_method)i;
	return HTTP_OTHER;
}

/* The request id nginx generated ($request_id: 32 hex digits); anything
 * else is replaced, so a client cannot inject text into our logs. */
static void
set_request_id(struct req *rq, const char *id)
{
	size_t i, n = id != NULL ? strlen(id) : 0;

	if (n == 0 || n >= sizeof(rq->request_id)) {
		snprintf(rq->request_id, sizeof(rq->request_id), "-");
		return;
	}
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)id[i]) && id[i] != '-') {
			snprintf(rq->request_id, sizeof(rq->request_id), "-");
			return;
		}
	memcpy(rq->request_id, id, n + 1);
}

enum ferr
http_begin(struct req *rq, FCGX_Request *fr)
{
	const char *uri, *cl, *q;
	size_t      n;
	char       *end;
	long long   len;

	memset(rq, 0, sizeof(*rq));
	clock_gettime(CLOCK_MONOTONIC, &rq->started);
	rq->fcgi = fr;
	rq->content_length = -1;
	rq->status = 200;
	rq->query = "";
	rq->route = "-";
	rq->method_name = FCGX_GetParam("REQUEST_METHOD", fr->envp);
	rq->method = parse_method(rq->method_name);
	if (rq->method_name == NULL)
		rq->method_name = "-";
	set_request_id(rq, FCGX_GetParam("REQUEST_ID", fr->envp));
	rq->content_type = FCGX_GetParam("CONTENT_TYPE", fr->envp);
	if (rq->content_type != NULL && *rq->content_type == '\0')
		rq->content_type = NULL;

	/* nginx's $document_uri is decoded and normalized (no "..", merged
	 * slashes); REQUEST_URI is the fallback for other front ends. */
	uri = FCGX_GetParam("DOCUMENT_URI", fr->envp);
	if (uri == NULL || *uri == '\0')
		uri = FCGX_GetParam("REQUEST_URI", fr->envp);
	if (uri == NULL)
		uri = "/";
	n = strcspn(uri, "?");
	if (n >= sizeof(rq->path))
		return FERR_BAD_REQUEST;
	memcpy(rq->path, uri, n);
	rq->path[n] = '\0';
	if (memchr(rq->path, '\0', n) != NULL)
		return FERR_BAD_REQUEST;

	q = FCGX_GetParam("QUERY_STRING", fr->envp);
	if (q != NULL) {
		if (strlen(q) > FOCUS_MAX_QUERY_LEN)
			return FERR_BAD_REQUEST;
		rq->query = q;
	}
	cl = FCGX_GetParam("CONTENT_LENGTH", fr->envp);
	if (cl != NULL && *cl != '\0') {
		errno = 0;
		len = strtoll(cl, &end, 10);
		if (errno != 0 || *end != '\0' || len < 0)
			return FERR_BAD_REQUEST;
		rq->content_length = len;
	}
	return FERR_OK;
}

void
http_end(struct req *rq)
{
	json_object_put(rq->body);
	rq->body = NULL;
	free(rq->body_text);
	rq->body_text = NULL;
}

int
http_is_json_type(const char *ct)
{
	static const char json[] = "application/json";
	size_t n = sizeof(json) - 1;

	if (ct == NULL || strncasecmp(ct, json, n) != 0)
		return 0;
	return ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ';
}

long
http_read_body(struct req *rq, char *buf, size_t cap)
{
	int n;

	if (rq->fcgi == NULL)
		return -1;
	if (cap > (size_t)1 << 30)
		cap = (size_t)1 << 30;
	n = FCGX_GetStr(buf, (int)cap, rq->fcgi->in);
	if (n < 0 || FCGX_GetError(rq->fcgi->in) != 0)
		return -1;
	return n;
}

/* json-c accepts 'single-quoted' strings even in strict mode; JSON
 * (RFC 8259 section 7) has only double quotes. Outside strings, a single
 * quote is malformed. */
static int
has_single_quote_outside_strings(const char *text, size_t len)
{
	size_t i;
	int    in_string = 0;

	for (i = 0; i < len; i++) {
		if (in_string) {
			if (text[i] == '\\')
				i++;
			else if (text[i] == '"')
				in_string = 0;
		} else if (text[i] == '"')
			in_string = 1;
		else if (text[i] == '\'')
			return 1;
	}
	return 0;
}

enum ferr
http_parse_json(const char *text, size_t len, json_object **out)
{
	struct json_tokener *tok;
	json_object         *obj;
	size_t               i;

	*out = NULL;
	for (i = 0; i < len && isspace((unsigned char)text[i]); i++)
		;
	if (i == len) {              /* an empty body is {} (API.md) */
		*out = json_object_new_object();
		return *out != NULL ? FERR_OK : FERR_INTERNAL;
	}
	if (len > (size_t)FOCUS_MAX_JSON_BODY)
		return FERR_TOO_LARGE;
	if (has_single_quote_outside_strings(text, len))
		return FERR_BAD_REQUEST;
	if ((tok = json_tokener_new_ex(FOCUS_MAX_JSON_DEPTH)) == NULL)
		return FERR_INTERNAL;
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	obj = json_tokener_parse_ex(tok, text, (int)len);
	if (obj == NULL || json_tokener_get_error(tok) != json_tokener_success ||
	    json_tokener_get_parse_end(tok) != len) {
		/* trailing bytes after the value are only allowed as space */
		size_t end = json_tokener_get_parse_end(tok);
		int    trailing_ok = obj != NULL;

		for (i = end; trailing_ok && i < len; i++)
			if (!isspace((unsigned char)text[i]))
				trailing_ok = 0;
		if (!trailing_ok) {
			json_object_put(obj);
			json_tokener_free(tok);
			return FERR_BAD_REQUEST;
		}
	}
	json_tokener_free(tok);
	if (!json_object_is_type(obj, json_type_object)) {
		json_object_put(obj);
		return FERR_BAD_REQUEST;
	}
	*out = obj;
	return FERR_OK;
}

enum ferr
http_read_raw(struct req *rq)
{
	char  *buf;
	size_t have = 0;
	long   n;

	if (rq->body_text != NULL || rq->content_length <= 0)
		return FERR_OK;
	if (rq->content_length > FOCUS_MAX_JSON_BODY)
		return FERR_TOO_LARGE;
	/* sized from our own limit, checked above */
	if ((buf = malloc((size_t)rq->content_length + 1)) == NULL)
		return FERR_INTERNAL;
	while (have < (size_t)rq->content_length) {
		n = http_read_body(rq, buf + have, (size_t)rq->content_length - have);
		if (n <= 0)
			break;
		have += (size_t)n;
	}
	buf[have] = '\0';
	rq->body_text = buf;
	rq->body_len = have;
	return have == (size_t)rq->content_length ? FERR_OK : FERR_BAD_REQUEST;
}

enum ferr
http_read_json(struct req *rq)
{
	char     *buf = NULL;
	size_t    have = 0;
	long      n;
	enum ferr e;

	if (rq->content_length > FOCUS_MAX_JSON_BODY)
		return FERR_TOO_LARGE;
	if (rq->content_length > 0 && rq->content_type != NULL &&
	    !http_is_json_type(rq->content_type))
		return FERR_MEDIA_TYPE;
	if (rq->content_length <= 0)
		return http_parse_json("", 0, &rq->body);
	/* Sized from our own limit, never from the client's declared length
	 * alone: at most FOCUS_MAX_JSON_BODY + 1 bytes, to see an overrun. */
	if ((buf = malloc((size_t)rq->content_length + 1)) == NULL)
		return FERR_INTERNAL;
	while (have < (size_t)rq->content_length) {
		n = http_read_body(rq, buf + have, (size_t)rq->content_length - have);
		if (n <= 0)
			break;
		have += (size_t)n;
	}
	if (have != (size_t)rq->content_length) {
		free(buf);
		return FERR_BAD_REQUEST;
	}
	buf[have] = '\0';
	e = http_parse_json(buf, have, &rq->body);
	rq->body_text = buf;
	rq->body_len = have;
	return e;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int
http_url_decode(const char *in, size_t len, char *out, size_t cap)
{
	size_t i, o = 0;

	for (i = 0; i < len; i++) {
		int c = (unsigned char)in[i];

		if (c == '+')
			c = ' ';
		else if (c == '%') {
			int hi, lo;

			if (i + 2 >= len)
				return -1;
			hi = hexval((unsigned char)in[i + 1]);
			lo = hexval((unsigned char)in[i + 2]);
			if (hi < 0 || lo < 0)
				return -1;
			c = hi * 16 + lo;
			i += 2;
		}
		if (c == 0 || o + 1 >= cap)
			return -1;
		out[o++] = (char)c;
	}
	if (cap == 0)
		return -1;
	out[o] = '\0';
	return (int)o;
}

int
http_query_get(const char *query, const char *key, char *out, size_t cap)
{
	size_t      klen = strlen(key);
	const char *p = query;

	while (p != NULL && *p != '\0') {
		const char *amp = strchr(p, '&');
		size_t      seg = amp != NULL ? (size_t)(amp - p) : strlen(p);
		const char *eq = memchr(p, '=', seg);
		size_t      nlen = eq != NULL ? (size_t)(eq - p) : seg;

		if (nlen == klen && memcmp(p, key, klen) == 0) {
			const char *v = eq != NULL ? eq + 1 : p + seg;
			size_t      vlen = (size_t)(p + seg - v);

			return http_url_decode(v, vlen, out, cap) < 0 ? -1 : 1;
		}
		p = amp != NULL ? amp + 1 : NULL;
	}
	return 0;
}

int
http_add_header(struct req *rq, const char *name, const char *value)
{
	size_t used = strlen(rq->extra_headers);
	int    n;

	/* header values we send are ours, but never let one split a line */
	if (strpbrk(value, "\r\n") != NULL)
		return -1;
	n = snprintf(rq->extra_headers + used, sizeof(rq->extra_headers) - used,
	    "%s: %s\r\n", name, value);
	if (n < 0 || (size_t)n >= sizeof(rq->extra_headers) - used) {
		rq->extra_headers[used] = '\0';
		return -1;
	}
	return 0;
}

int
http_write(struct req *rq, const char *buf, size_t len)
{
	if (rq->fcgi == NULL)
		return 0;
	while (len > 0) {
		int chunk = len > (1u << 30) ? 1 << 30 : (int)len;
		if (FCGX_PutStr(buf, chunk, rq->fcgi->out) != chunk)
			return -1;
		buf += chunk;
		len -= (size_t)chunk;
	}
	return 0;
}

static const char *
status_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 206: return "Partial Content";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 413: return "Payload Too Large";
	case 415: return "Unsupported Media Type";
	case 416: return "Range Not Satisfiable";
	case 422: return "Unprocessable Entity";
	case 429: return "Too Many Requests";
	case 502: return "Bad Gateway";
	case 503: return "Service Unavailable";
	default:  return "Internal Server Error";
	}
}

void
http_send_head(struct req *rq, int status, const char *content_type, long long length)
{
	char head[1024];
	int  n;

	rq->status = status;
	if (config->debug_headers) {
		char rt[16];
		snprintf(rt, sizeof(rt), "%d", rq->round_trips);
		(void)http_add_header(rq, "X-Focus-Round-Trips", rt);
	}
	n = snprintf(head, sizeof(head),
	    "Status: %d %s\r\nContent-Type: %s\r\nCache-Control: no-store\r\n"
	    "X-Content-Type-Options: nosniff\r\n",
	    status, status_reason(status), content_type);
	if (n > 0 && (size_t)n < sizeof(head))
		(void)http_write(rq, head, (size_t)n);
	if (length >= 0) {
		n = snprintf(head, sizeof(head), "Content-Length: %lld\r\n", length);
		(void)http_write(rq, head, (size_t)n);
	}
	(void)http_write(rq, rq->extra_headers, strlen(rq->extra_headers));
	(void)http_write(rq, "\r\n", 2);
}

void
http_send_not_modified(struct req *rq)
{
	char head[128];
	int  n;

	rq->status = 304;
	if (config->debug_headers) {
		char rt[16];
		snprintf(rt, sizeof(rt), "%d", rq->round_trips);
		(void)http_add_header(rq, "X-Focus-Round-Trips", rt);
	}
	n = snprintf(head, sizeof(head), "Status: 304 Not Modified\r\nCache-Control: no-store\r\n");
	if (n > 0 && (size_t)n < sizeof(head))
		(void)http_write(rq, head, (size_t)n);
	(void)http_write(rq, rq->extra_headers, strlen(rq->extra_headers));
	(void)http_write(rq, "\r\n", 2);
}

/* an entity tag without its weakness indicator (W/), for the weak
 * comparison If-None-Match uses */
static void
opaque_tag(const char *t, size_t n, const char **out, size_t *outn)
{
	if (n >= 2 && t[0] == 'W' && t[1] == '/') {
		t += 2;
		n -= 2;
	}
	*out = t;
	*outn = n;
}

int
http_etag_each(const char *header, int (*fn)(const char *tag, size_t n, void *arg), void *arg)
{
	const char *p = header;
	int         count = 0;

	if (header == NULL)
		return 0;
	while (*p != '\0') {
		const char *end, *q;
		size_t      n, tn;

		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (*p == '\0')
			break;
		end = strchr(p, ',');
		n = end != NULL ? (size_t)(end - p) : strlen(p);
		while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
			n--;
		opaque_tag(p, n, &q, &tn);
		count++;
		if (fn(q, tn, arg) != 0)
			return -1;
		p = end != NULL ? end + 1 : p + strlen(p);
	}
	return count;
}

struct etag_want {
	const char *tag;
	size_t      n;
};

/* stops the walk (nonzero) at "*" or the wanted tag */
static int
etag_is_wanted(const char *tag, size_t n, void *arg)
{
	const struct etag_want *want = arg;

	return (n == 1 && tag[0] == '*') || (n == want->n && memcmp(tag, want->tag, n) == 0);
}

int
http_etag_matches(const char *header, const char *etag)
{
	struct etag_want want;

	if (header == NULL || etag == NULL)
		return 0;
	opaque_tag(etag, strlen(etag), &want.tag, &want.n);
	return http_etag_each(header, etag_is_wanted, &want) < 0;
}

/* status with body (n bytes) and a newline, as every API response ends */
static void
write_body(struct req *rq, int status, const char *body, size_t n)
{
	rq->responded = 1;
	http_send_head(rq, status, "application/json", (long long)n + 1);
	if (rq->method == HTTP_HEAD)
		return;
	(void)http_write(rq, body, n);
	(void)http_write(rq, "\n", 1);
}

/* The same, after the request's before_send hook (once): when it fails,
 * the answer is 503 (the change was not kept; the client may retry). */
static void
send_body(struct req *rq, int status, const char *body, size_t n)
{
	int (*hook)(struct req *, int, const char *, size_t) = rq->before_send;
	struct jsonw w;
	const char  *text;
	size_t       len;
	char         ra[16];

	rq->before_send = NULL;
	if (hook == NULL || hook(rq, status, body, n) == 0) {
		write_body(rq, status, body, n);
		return;
	}
	rq->err_kind = ferr_kind(FERR_UNAVAILABLE);
	snprintf(ra, sizeof(ra), "%ld", config->retry_after_s);
	(void)http_add_header(rq, "Retry-After", ra);
	jw_init(&w);
	jw_obj(&w, NULL);
	jw_str(&w, "error", ferr_kind(FERR_UNAVAILABLE));
	jw_str(&w, "message", ferr_text(FERR_UNAVAILABLE));
	jw_end(&w);
	if ((text = jw_text(&w, &len)) != NULL)
		write_body(rq, 503, text, len);
	else
		write_body(rq, 503, "{}", 2);
	jw_free(&w);
}

void
http_send_json(struct req *rq, int status, const char *body, size_t len)
{
	send_body(rq, status, body, len);
}

void
http_data_begin(struct jsonw *w)
{
	jw_init(w);
	jw_obj(w, NULL);
	jw_key(w, "data");
}

enum ferr
http_data_send(struct req *rq, struct jsonw *w)
{
	const char *text;
	size_t      n;

	jw_end(w);
	if ((text = jw_text(w, &n)) == NULL) {
		log_kv(LOG_ERROR, "render", "req", rq->request_id, "route", rq->route, NULL);
		jw_free(w);
		return FERR_INTERNAL;
	}
	send_body(rq, 200, text, n);
	jw_free(w);
	return FERR_OK;
}

void
http_send_error(struct req *rq, enum ferr e, const char *message)
{
	struct jsonw w;
	const char  *text;
	size_t       n;
	char         ra[16];

	rq->err_kind = ferr_kind(e);
	if (message == NULL && rq->err_msg[0] != '\0')
		message = rq->err_msg;
	if (e == FERR_UNAVAILABLE || e == FERR_RATE_LIMITED) {
		if (strstr(rq->extra_headers, "Retry-After:") == NULL) {
			snprintf(ra, sizeof(ra), "%ld", config->retry_after_s);
			(void)http_add_header(rq, "Retry-After", ra);
		}
	}
	jw_init(&w);
	jw_obj(&w, NULL);
	jw_str(&w, "error", ferr_kind(e));
	jw_str(&w, "message", message != NULL ? message : ferr_text(e));
	jw_end(&w);
	if ((text = jw_text(&w, &n)) != NULL) {
		send_body(rq, ferr_status(e), text, n);
	} else {
		/* the writer could not allocate: a fixed body needs nothing */
		static const char oom[] = "{\"error\":\"internal\",\"message\":\"Out of memory.\"}";
		rq->err_kind = ferr_kind(FERR_INTERNAL);
		send_body(rq, 500, oom, sizeof(oom) - 1);
	}
	jw_free(&w);
}
