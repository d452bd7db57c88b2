/*
 * storage_s3.c: objects in an S3-compatible bucket (AWS S3, Cloudflare R2,
 * s3rver in tests), addressed path-style as <endpoint>/<bucket>/<key> so
 * any endpoint works without bucket DNS names. Requests carry a SigV4
 * Authorization header; uploads are streamed with UNSIGNED-PAYLOAD, so
 * the body is never hashed or held in memory. One curl easy handle per
 * call: a call costs a round trip anyway, and no handle outlives it.
 */
#define _GNU_SOURCE	/* strptime(3), timegm(3) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>
#include <openssl/crypto.h>

#include "limits.h"
#include "log.h"
#include "sigv4.h"
#include "storage_impl.h"

#define S3_SERVICE        "s3"
#define S3_DEFAULT_REGION "auto"
/* S3 bucket names are 3..63 characters (bucket naming rules). */
#define S3_MAX_BUCKET     63
#define S3_MAX_REGION     32
#define S3_MAX_HOST       255
/* Error bodies are read only for their <Code>; list pages (1000 keys of
 * ~300 bytes of XML each) fit easily. */
#define S3_MAX_ERROR_BODY (4 * 1024)
#define S3_MAX_LIST_BODY  (4 * 1024 * 1024)
/* S3 object keys are at most 1024 bytes; tokens are opaque but short. */
#define S3_MAX_LIST_KEY   1024
#define S3_MAX_TOKEN      1024
/* A bucket of ten million objects; beyond that, suspect a looping server. */
#define S3_MAX_LIST_PAGES 10000
#define S3_MAX_HEADER     (SIGV4_MAX_SECRET + 512)

static struct {
	char endpoint[STORAGE_MAX_URL / 2];  /* "https://host[:port]", no '/' at the end */
	char host[S3_MAX_HOST + 1];          /* "host[:port]", signed and sent as Host */
	char bucket[S3_MAX_BUCKET + 1];
	char region[S3_MAX_REGION + 1];
	char access_key[SIGV4_MAX_SECRET + 1];
	char secret_key[SIGV4_MAX_SECRET + 1];
	int  curl_ready;
} s3;

static int
copy_setting(char *dst, size_t cap, const char *env, const char *dflt)
{
	const char *v = storage_env(env, dflt);

	if (v == NULL || strlen(v) >= cap) {
		log_kv(LOG_ERROR, "storage_config", "err", v == NULL ? "missing" : "too long",
		    "name", env, NULL);
		return -1;
	}
	strcpy(dst, v);
	return 0;
}

/* Only characters that need no encoding in a path or a Host header. */
static int
plain(const char *s, const char *extra)
{
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		    strchr(extra, *s) != NULL))
			return 0;
	return 1;
}

static int
s3_init(void)
{
	const char *h;
	size_t      len;

	if (copy_setting(s3.endpoint, sizeof(s3.endpoint), "FOCUS_S3_ENDPOINT", NULL) != 0 ||
	    copy_setting(s3.bucket, sizeof(s3.bucket), "FOCUS_S3_BUCKET", NULL) != 0 ||
	    copy_setting(s3.region, sizeof(s3.region), "FOCUS_S3_REGION", S3_DEFAULT_REGION) != 0 ||
	    copy_setting(s3.access_key, sizeof(s3.access_key), "FOCUS_S3_ACCESS_KEY", NULL) != 0 ||
	    copy_setting(s3.secret_key, sizeof(s3.secret_key), "FOCUS_S3_SECRET_KEY", NULL) != 0)
		goto fail;
	len = strlen(s3.endpoint);
	if (len > 0 && s3.endpoint[len - 1] == '/')
		s3.endpoint[--len] = '\0';
	if (strncmp(s3.endpoint, "http://", 7) == 0)
		h = s3.endpoint + 7;
	else if (strncmp(s3.endpoint, "https://", 8) == 0)
		h = s3.endpoint + 8;
	else
		h = NULL;
	/* scheme://host[:port] and nothing more: a path prefix would change
	 * every canonical URI */
	if (h == NULL || *h == '\0' || strlen(h) > S3_MAX_HOST || !plain(h, ".-:[]")) {
		log_kv(LOG_ERROR, "storage_config", "err",
		    "FOCUS_S3_ENDPOINT must be http(s)://host[:port]", NULL);
		goto fail;
	}
	strcpy(s3.host, h);
	if (strlen(s3.bucket) < 3 || !plain(s3.bucket, ".-") || !plain(s3.region, "-")) {
		log_kv(LOG_ERROR, "storage_config", "err",
		    "FOCUS_S3_BUCKET or FOCUS_S3_REGION has characters S3 does not allow", NULL);
		goto fail;
	}
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		log_kv(LOG_ERROR, "storage_config", "err", "curl_global_init failed", NULL);
		goto fail;
	}
	s3.curl_ready = 1;
	return 0;
fail:
	OPENSSL_cleanse(&s3, sizeof(s3));
	return -1;
}

static void
s3_shutdown(void)
{
	if (s3.curl_ready)
		curl_global_cleanup();
	OPENSSL_cleanse(&s3, sizeof(s3));
}

/* One request and what came back. */
struct s3_call {
	const char     *op, *key, *req_id;
	const char     *method;        /* GET PUT HEAD DELETE */
	const char     *query;         /* canonical query, "" for none */
	const char     *content_type;  /* PUT, may be NULL */
	/* upload */
	long long       length, sent;
	storage_read_fn rd;
	void           *ctx;
	const char     *client_why;    /* set when the client's body failed */
	int             reader_bug;
	/* response */
	char           *body;
	size_t          body_len, body_max;
	int             body_cut;
	long            status;
	curl_off_t      content_length;
};

static size_t
s3_read(char *buf, size_t size, size_t nitems, void *userp)
{
	struct s3_call *c = userp;
	size_t    cap = size * nitems, want, got;
	long long left = c->length - c->sent;

	if (left <= 0)
		return 0;
	want = left < (long long)cap ? (size_t)left : cap;
	got = c->rd(c->ctx, buf, want);
	if (got == (size_t)-1 || got == 0) {
		c->client_why = got == 0 ? "body shorter than its length" : "client read failed";
		return CURL_READFUNC_ABORT;	/* S3 keeps nothing of an aborted PUT */
	}
	if (got > want) {
		c->reader_bug = 1;
		return CURL_READFUNC_ABORT;
	}
	c->sent += (long long)got;
	return got;
}

/* Keep the first body_max bytes, NUL-terminated; note when more came. */
static size_t
s3_write(char *data, size_t size, size_t nmemb, void *userp)
{
	struct s3_call *c = userp;
	size_t n = size * nmemb, room, cap;
	char  *p;

	room = c->body_max - c->body_len;
	if (n > room) {
		c->body_cut = 1;
		n = room;
	}
	if (n > 0) {
		cap = c->body_len + n + 1;
		if ((p = realloc(c->body, cap)) == NULL) {
			c->body_cut = 1;
			return 0;	/* CURLE_WRITE_ERROR */
		}
		c->body = p;
		memcpy(c->body + c->body_len, data, n);
		c->body_len += n;
		c->body[c->body_len] = '\0';
	}
	return size * nmemb;
}

static struct curl_slist *
add_header(struct curl_slist *list, int *failed, const char *name, const char *value)
{
	char line[S3_MAX_HEADER];
	struct curl_slist *l;
	int  n = snprintf(line, sizeof(line), "%s: %s", name, value);

	if (*failed || n < 0 || (size_t)n >= sizeof(line) ||
	    (l = curl_slist_append(list, line)) == NULL) {
		*failed = 1;
		OPENSSL_cleanse(line, sizeof(line));
		return list;
	}
	OPENSSL_cleanse(line, sizeof(line));
	return l;
}

/* "/<bucket>" or "/<bucket>/<encoded key>": the canonical URI and path. */
static int
s3_path(const char *key, char *out, size_t cap)
{
	char enc[3 * S3_MAX_LIST_KEY + 1];
	int  n;

	if (key == NULL)
		n = snprintf(out, cap, "/%s", s3.bucket);
	else if (sigv4_uri_encode(key, 1, enc, sizeof(enc)) != 0)
		return -1;
	else
		n = snprintf(out, cap, "/%s/%s", s3.bucket, enc);
	return n < 0 || (size_t)n >= cap ? -1 : 0;
}

static const struct sigv4_cred *
s3_cred(struct sigv4_cred *cr)
{
	cr->access_key = s3.access_key;
	cr->secret_key = s3.secret_key;
	cr->region = s3.region;
	cr->service = S3_SERVICE;
	return cr;
}

/* Sign and send c. FERR_OK once an HTTP answer arrived (c->status says
 * which); FERR_BAD_REQUEST when the client's body failed; FERR_STORAGE. */
static enum ferr
s3_perform(struct s3_call *c)
{
	char   path[3 * S3_MAX_LIST_KEY + S3_MAX_BUCKET + 8], url[STORAGE_MAX_URL + S3_MAX_TOKEN * 3];
	char   date[SIGV4_AMZ_DATE_LEN + 1], authz[S3_MAX_HEADER], errbuf[CURL_ERROR_SIZE];
	const char *payload = c->rd != NULL ? SIGV4_UNSIGNED_PAYLOAD : SIGV4_EMPTY_SHA256;
	struct sigv4_header hdr[4];
	struct sigv4_request rq;
	struct sigv4_cred cr;
	struct curl_slist *list = NULL;
	CURL  *curl = NULL;
	CURLcode rc;
	size_t nh = 0;
	int    n, failed = 0;
	enum ferr e;

	errbuf[0] = '\0';
	authz[0] = '\0';
	if (s3_path(c->key, path, sizeof(path)) != 0 ||
	    sigv4_amz_date(time(NULL), date) != 0) {
		e = storage_error(c->op, c->key, 0, 0, "key or clock unusable", c->req_id);
		goto done;
	}
	/* SigV4 wants the names in byte order */
	if (c->content_type != NULL)
		hdr[nh++] = (struct sigv4_header){ "content-type", c->content_type };
	hdr[nh++] = (struct sigv4_header){ "host", s3.host };
	hdr[nh++] = (struct sigv4_header){ "x-amz-content-sha256", payload };
	hdr[nh++] = (struct sigv4_header){ "x-amz-date", date };
	rq = (struct sigv4_request){ c->method, path, c->query, hdr, nh, payload, date };
	n = snprintf(url, sizeof(url), "%s%s%s%s", s3.endpoint, path,
	    c->query[0] != '\0' ? "?" : "", c->query);
	if (n < 0 || (size_t)n >= sizeof(url) ||
	    sigv4_sign_header(&rq, s3_cred(&cr), authz, sizeof(authz)) != 0) {
		e = storage_error(c->op, c->key, 0, 0, "request does not fit to sign", c->req_id);
		goto done;
	}
	for (size_t i = 0; i < nh; i++)
		list = add_header(list, &failed, hdr[i].name, hdr[i].value);
	list = add_header(list, &failed, "Authorization", authz);
	if (c->rd != NULL)	/* no 100-continue round trip before the body */
		list = add_header(list, &failed, "Expect", "");
	if (failed || (curl = curl_easy_init()) == NULL) {
		e = storage_error(c->op, c->key, 0, 0, "out of memory", c->req_id);
		goto done;
	}
	/* every setopt below takes values known to be valid; their results
	 * are folded so one unsupported option still fails the call */
	rc = curl_easy_setopt(curl, CURLOPT_URL, url);
	if (rc == CURLE_OK) rc = curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
	if (rc == CURLE_OK) rc = curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
	if (rc == CURLE_OK) rc = curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	/* a frozen storage server fails the request within these bounds
	 * (limits.h) instead of holding the worker for STORAGE_TIMEOUT_S */
	if (rc == CURLE_OK) rc = curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, (long)FOCUS_STORAGE_CONNECT_TIMEOUT_MS);
	if (rc == CURLE_OK) rc = curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, (long)FOCUS_STORAGE_LOW_SPEED_BYTES);
	if (rc == CURLE_OK) rc = curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, (long)FOCUS_STORAGE_LOW_SPEED_TIME_S);
	if (rc == CURLE_OK) rc = curl_easy_setopt(curl, CURLOPT_TIMEOUT,
	    c->rd != NULL ? (long)STORAGE_TIMEOUT_S : (long)FOCUS_STORAGE_SMALL_TIMEOUT_S);
	if (rc == CURLE_OK) rc = curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
	if (rc == CURLE_OK) rc = curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, s3_write);
	if (rc == CURLE_OK) rc = curl_easy_setopt(curl, CURLOPT_WRITEDATA, c);
	if (rc == CURLE_OK && strcmp(c->method, "HEAD") == 0)
		rc = curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
	else if (rc == CURLE_OK && strcmp(c->method, "DELETE") == 0)
		rc = curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, "DELETE");
	else if (rc == CURLE_OK && c->rd != NULL) {
		rc = curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
		if (rc == CURLE_OK) rc = curl_easy_setopt(curl, CURLOPT_READFUNCTION, s3_read);
		if (rc == CURLE_OK) rc = curl_easy_setopt(curl, CURLOPT_READDATA, c);
		if (rc == CURLE_OK) rc = curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, (curl_off_t)c->length);
	}
	if (rc == CURLE_OK)
		rc = curl_easy_perform(curl);
	if (c->client_why != NULL) {
		e = storage_client_error(c->op, c->key, c->client_why, c->req_id);
		goto done;
	}
	if (c->reader_bug) {
		e = storage_error(c->op, c->key, 0, 0, "reader returned more than asked", c->req_id);
		goto done;
	}
	if (rc != CURLE_OK) {
		e = storage_error(c->op, c->key, 0, (int)rc,
		    errbuf[0] != '\0' ? errbuf : curl_easy_strerror(rc), c->req_id);
		goto done;
	}
	if ((rc = curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &c->status)) != CURLE_OK ||
	    (rc = curl_easy_getinfo(curl, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T,
	    &c->content_length)) != CURLE_OK) {
		e = storage_error(c->op, c->key, 0, (int)rc, curl_easy_strerror(rc), c->req_id);
		goto done;
	}
	e = FERR_OK;
done:
	OPENSSL_cleanse(authz, sizeof(authz));
	curl_slist_free_all(list);
	curl_easy_cleanup(curl);	/* NULL is a no-op */
	return e;
}

/* The text of the first <tag>...</tag> in [p, end), or NULL. */
static const char *
xml_find(const char *p, const char *end, const char *tag, size_t *len)
{
	char open[48], close[48];
	const char *a, *b;

	snprintf(open, sizeof(open), "<%s>", tag);
	snprintf(close, sizeof(close), "</%s>", tag);
	if ((a = strstr(p, open)) == NULL || a >= end)
		return NULL;
	a += strlen(open);
	if ((b = strstr(a, close)) == NULL || b > end)
		return NULL;
	*len = (size_t)(b - a);
	return a;
}

/* A non-2xx answer: log it with S3's error <Code> (never the request). */
static enum ferr
s3_fail(const struct s3_call *c)
{
	char   code[64] = "";
	size_t len;
	const char *t;

	if (c->body != NULL &&
	    (t = xml_find(c->body, c->body + c->body_len, "Code", &len)) != NULL)
		snprintf(code, sizeof(code), "%.*s", (int)len, t);
	return storage_error(c->op, c->key, c->status, 0,
	    code[0] != '\0' ? code : "unexpected status", c->req_id);
}

static enum ferr
s3_put(const char *key, const char *content_type, long long length,
    storage_read_fn rd, void *ctx, const char *req_id)
{
	struct s3_call c = { .op = "put", .key = key, .req_id = req_id, .method = "PUT",
	    .query = "", .content_type = content_type, .length = length, .rd = rd, .ctx = ctx,
	    .body_max = S3_MAX_ERROR_BODY };
	enum ferr e;

	if ((e = s3_perform(&c)) == FERR_OK && c.status != 200)
		e = s3_fail(&c);
	free(c.body);
	return e;
}

static enum ferr
s3_head(const char *key, long long *size, int *exists, const char *req_id)
{
	struct s3_call c = { .op = "head", .key = key, .req_id = req_id, .method = "HEAD",
	    .query = "", .body_max = S3_MAX_ERROR_BODY };
	enum ferr e;

	if ((e = s3_perform(&c)) != FERR_OK)
		goto done;
	if (c.status == 200 && c.content_length >= 0) {
		*exists = 1;
		*size = (long long)c.content_length;
	} else if (c.status != 404)
		e = s3_fail(&c);
done:
	free(c.body);
	return e;
}

static enum ferr
s3_del(const char *key, const char *req_id)
{
	struct s3_call c = { .op = "delete", .key = key, .req_id = req_id, .method = "DELETE",
	    .query = "", .body_max = S3_MAX_ERROR_BODY };
	enum ferr e;

	/* S3 answers 204 whether or not the key existed; others may say 404 */
	if ((e = s3_perform(&c)) == FERR_OK && c.status != 204 && c.status != 200 &&
	    c.status != 404)
		e = s3_fail(&c);
	free(c.body);
	return e;
}

static enum ferr
s3_presign(const char *method, const char *key, const char *content_type, long long size,
    int expires_s, const char *base_origin, char *url, size_t cap, const char *req_id)
{
	char   path[3 * STORAGE_MAX_KEY + S3_MAX_BUCKET + 8], query[STORAGE_MAX_URL];
	char   date[SIGV4_AMZ_DATE_LEN + 1], length[24];
	struct sigv4_cred cr;
	int    n, r;

	(void)base_origin;	/* links go to the bucket itself */
	if (s3_path(key, path, sizeof(path)) != 0 || sigv4_amz_date(time(NULL), date) != 0)
		return storage_error("presign", key, 0, 0, "signing failed", req_id);
	if (strcmp(method, "PUT") == 0) {
		/* An upload link stores exactly the declared size and type, and
		 * only where nothing is yet (S3 and R2 honour If-None-Match on
		 * PUT; s3rver ignores it). Names in byte order. */
		const struct sigv4_header h[] = {
			{ "content-length", length }, { "content-type", content_type },
			{ "host", s3.host }, { "if-none-match", "*" },
		};
		snprintf(length, sizeof(length), "%lld", size);
		r = sigv4_presign_query_headers(method, path, h, sizeof(h) / sizeof(h[0]), date,
		    expires_s, s3_cred(&cr), query, sizeof(query));
	} else
		r = sigv4_presign_query(method, path, s3.host, date, expires_s, s3_cred(&cr),
		    query, sizeof(query));
	if (r != 0)
		return storage_error("presign", key, 0, 0, "signing failed", req_id);
	n = snprintf(url, cap, "%s%s?%s", s3.endpoint, path, query);
	OPENSSL_cleanse(query, sizeof(query));
	if (n < 0 || (size_t)n >= cap) {
		if (cap > 0)
			url[0] = '\0';
		return storage_error("presign", key, 0, 0, "url buffer too small", req_id);
	}
	return FERR_OK;
}

/* An object's <LastModified> ("2026-12-04T04:00:00.000Z") as Unix
 * seconds; 0 (the epoch: as old as can be) when missing or malformed. */
static long long
last_modified(const char *c, const char *cend)
{
	char        when[32];
	const char *t;
	size_t      len;
	struct tm   tm;

	if ((t = xml_find(c, cend, "LastModified", &len)) == NULL || len >= sizeof(when))
		return 0;
	memcpy(when, t, len);
	when[len] = '\0';
	memset(&tm, 0, sizeof(tm));
	if ((t = strptime(when, "%Y-%m-%dT%H:%M:%S", &tm)) == NULL)
		return 0;
	return (long long)timegm(&tm);
}

/* Report each <Contents> of one ListObjectsV2 page; copy the next
 * continuation token into token ("" on the last page). */
static int
list_page(const char *body, size_t blen, storage_list_fn cb, void *ctx, char *token, size_t tcap)
{
	const char *p = body, *end = body + blen, *c, *cend, *t;
	char   key[S3_MAX_LIST_KEY + 1], num[24];
	size_t klen, slen;

	while ((c = xml_find(p, end, "Contents", &klen)) != NULL) {
		cend = c + klen;
		if ((t = xml_find(c, cend, "Key", &klen)) != NULL && klen < sizeof(key)) {
			long long size = -1;

			memcpy(key, t, klen);
			key[klen] = '\0';
			if ((t = xml_find(c, cend, "Size", &slen)) != NULL && slen < sizeof(num)) {
				memcpy(num, t, slen);
				num[slen] = '\0';
				size = strtoll(num, NULL, 10);
			}
			cb(ctx, key, size, last_modified(c, cend));
		}
		p = cend;
	}
	token[0] = '\0';
	if ((t = xml_find(body, end, "IsTruncated", &klen)) == NULL || klen != 4 ||
	    strncmp(t, "true", 4) != 0)
		return 0;
	if ((t = xml_find(body, end, "NextContinuationToken", &klen)) == NULL ||
	    klen == 0 || klen >= tcap)
		return -1;
	memcpy(token, t, klen);
	token[klen] = '\0';
	return 0;
}

static enum ferr
s3_list(storage_list_fn cb, void *ctx,
    const char *req_id)
{
	char  token[S3_MAX_TOKEN + 1] = "", enc[3 * S3_MAX_TOKEN + 1];
	char  raw[sizeof(enc) + 64], query[sizeof(raw)];
	struct s3_call c;
	enum ferr e = FERR_OK;
	int   page, n;

	for (page = 0; page < S3_MAX_LIST_PAGES; page++) {
		if (sigv4_uri_encode(token, 0, enc, sizeof(enc)) != 0)
			return storage_error("list", NULL, 0, 0, "token too long", req_id);
		n = token[0] != '\0' ?
		    snprintf(raw, sizeof(raw), "list-type=2&continuation-token=%s", enc) :
		    snprintf(raw, sizeof(raw), "list-type=2");
		if (n < 0 || (size_t)n >= sizeof(raw) ||
		    sigv4_sort_query(raw, query, sizeof(query)) != 0)
			return storage_error("list", NULL, 0, 0, "query too long", req_id);
		c = (struct s3_call){ .op = "list", .req_id = req_id, .method = "GET",
		    .query = query, .body_max = S3_MAX_LIST_BODY };
		if ((e = s3_perform(&c)) != FERR_OK)
			goto next;
		if (c.status != 200) {
			e = s3_fail(&c);
			goto next;
		}
		if (c.body_cut || c.body == NULL ||
		    list_page(c.body, c.body_len, cb, ctx, token, sizeof(token)) != 0)
			e = storage_error("list", NULL, c.status, 0, "unreadable list page", req_id);
next:
		free(c.body);
		if (e != FERR_OK || token[0] == '\0')
			return e;
	}
	return storage_error("list", NULL, 0, 0, "too many list pages", req_id);
}

const struct storage_backend storage_backend_s3 = {
	"s3", s3_init, s3_shutdown, s3_put, s3_head, s3_del, s3_presign, s3_list,
};
