#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "digest.h"
#include "hex.h"
#include "sigv4.h"

#define SIGV4_ALGORITHM "AWS4-HMAC-SHA256"
/* "YYYYMMDD/<region>/<service>/aws4_request" */
#define SIGV4_MAX_SCOPE 192

/* An output cursor: appends stop at cap and remember that they did, so a
 * builder checks once at the end instead of after every piece. */
struct out {
	char  *p;
	size_t cap, len;
	int    full;
};

static void
out_add(struct out *o, const char *s, size_t n)
{
	if (o->full || n >= o->cap - o->len) {
		o->full = 1;
		return;
	}
	memcpy(o->p + o->len, s, n);
	o->len += n;
	o->p[o->len] = '\0';
}

static void
out_str(struct out *o, const char *s)
{
	out_add(o, s, strlen(s));
}

static int
out_done(const struct out *o)
{
	return o->full ? -1 : 0;
}

static int
hmac_sha256(const void *key, size_t keylen, const char *msg, size_t msglen,
    unsigned char md[SIGV4_KEY_LEN])
{
	unsigned int mdlen = 0;

	if (HMAC(EVP_sha256(), key, (int)keylen, (const unsigned char *)msg, msglen,
	    md, &mdlen) == NULL || mdlen != SIGV4_KEY_LEN)
		return -1;
	return 0;
}

/* RFC 3986 section 2.3 unreserved characters. */
static int
unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
}

int
sigv4_uri_encode(const char *in, int keep_slash, char *out, size_t cap)
{
	static const char digits[] = "0123456789ABCDEF";
	struct out o = { out, cap, 0, cap == 0 };
	const unsigned char *p;
	char esc[3];

	if (cap > 0)
		out[0] = '\0';
	for (p = (const unsigned char *)in; *p != '\0'; p++) {
		if (unreserved(*p) || (keep_slash && *p == '/')) {
			out_add(&o, (const char *)p, 1);
			continue;
		}
		esc[0] = '%';
		esc[1] = digits[*p >> 4];
		esc[2] = digits[*p & 15];
		out_add(&o, esc, 3);
	}
	return out_done(&o);
}

struct param {
	const char *p;
	size_t      len, namelen;
};

/* Byte order of two counted strings, a prefix first. */
static int
bytes_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	int c = memcmp(a, b, alen < blen ? alen : blen);

	if (c != 0)
		return c;
	return alen < blen ? -1 : alen > blen;
}

static int
param_cmp(const void *a, const void *b)
{
	const struct param *x = a, *y = b;
	int c;

	/* by name first: "a=2" sorts before "a-b=1" although '=' > '-' */
	if ((c = bytes_cmp(x->p, x->namelen, y->p, y->namelen)) != 0)
		return c;
	return bytes_cmp(x->p + x->namelen, x->len - x->namelen,
	    y->p + y->namelen, y->len - y->namelen);
}

int
sigv4_sort_query(const char *in, char *out, size_t cap)
{
	struct param params[SIGV4_MAX_PARAMS];
	struct out   o = { out, cap, 0, cap == 0 };
	const char  *p = in, *amp, *eq;
	size_t       n = 0, i, len;

	if (cap > 0)
		out[0] = '\0';
	while (*p != '\0') {
		amp = strchr(p, '&');
		len = amp != NULL ? (size_t)(amp - p) : strlen(p);
		if (len > 0) {	/* "a=1&&b=2" has an empty pair; drop it */
			if (n == SIGV4_MAX_PARAMS)
				return -1;
			eq = memchr(p, '=', len);
			params[n].p = p;
			params[n].len = len;
			params[n].namelen = eq != NULL ? (size_t)(eq - p) : len;
			n++;
		}
		p += len;
		if (*p == '&')
			p++;
	}
	qsort(params, n, sizeof(params[0]), param_cmp);
	for (i = 0; i < n; i++) {
		if (i > 0)
			out_add(&o, "&", 1);
		out_add(&o, params[i].p, params[i].len);
	}
	return out_done(&o);
}

int
sigv4_amz_date(time_t t, char out[SIGV4_AMZ_DATE_LEN + 1])
{
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL)
		return -1;
	return strftime(out, SIGV4_AMZ_DATE_LEN + 1, "%Y%m%dT%H%M%SZ", &tm) ==
	    SIGV4_AMZ_DATE_LEN ? 0 : -1;
}

int
sigv4_sha256_hex(const void *data, size_t len, char out[SIGV4_SHA256_HEX + 1])
{
	unsigned char md[DIGEST_SHA256_LEN];

	if (digest_sha256(data, len, md) != 0)
		return -1;
	hex_encode(md, sizeof(md), out);
	return 0;
}

static int
amz_date_ok(const char *d)
{
	return d != NULL && strlen(d) == SIGV4_AMZ_DATE_LEN && d[8] == 'T' &&
	    d[SIGV4_AMZ_DATE_LEN - 1] == 'Z';
}

/* A header value as signed: leading and trailing spaces dropped and inner
 * runs squeezed to one (the "Trimall" of the canonical headers step). */
static void
out_trimmed(struct out *o, const char *v)
{
	int space = 0;

	while (*v == ' ' || *v == '\t')
		v++;
	for (; *v != '\0'; v++) {
		if (*v == ' ' || *v == '\t') {
			space = 1;
			continue;
		}
		if (space)
			out_add(o, " ", 1);
		space = 0;
		out_add(o, v, 1);
	}
}

/* "host;x-amz-date": the names, which also end the canonical request. */
static int
signed_headers(const struct sigv4_request *rq, char *out, size_t cap)
{
	struct out o = { out, cap, 0, cap == 0 };
	size_t i;

	for (i = 0; i < rq->nheaders; i++) {
		if (i > 0)
			out_add(&o, ";", 1);
		out_str(&o, rq->headers[i].name);
	}
	return out_done(&o);
}

static int
headers_ok(const struct sigv4_request *rq)
{
	const char *c;
	size_t i;

	if (rq->nheaders == 0 || rq->nheaders > SIGV4_MAX_HEADERS)
		return 0;
	for (i = 0; i < rq->nheaders; i++) {
		if (rq->headers[i].name == NULL || rq->headers[i].value == NULL ||
		    rq->headers[i].name[0] == '\0')
			return 0;
		for (c = rq->headers[i].name; *c != '\0'; c++)
			if ((*c >= 'A' && *c <= 'Z') || *c == ':' || *c == ';' || *c <= ' ')
				return 0;
		/* the canonical form lists each name once, in byte order */
		if (i > 0 && strcmp(rq->headers[i - 1].name, rq->headers[i].name) >= 0)
			return 0;
	}
	return 1;
}

int
sigv4_canonical_request(const struct sigv4_request *rq, char *out, size_t cap)
{
	struct out o = { out, cap, 0, cap == 0 };
	char   names[SIGV4_MAX_CANONICAL / 4];
	size_t i;

	if (cap > 0)
		out[0] = '\0';
	if (rq->method == NULL || rq->path == NULL || rq->query == NULL ||
	    rq->payload_hash == NULL || !headers_ok(rq) ||
	    signed_headers(rq, names, sizeof(names)) != 0)
		return -1;
	out_str(&o, rq->method);
	out_add(&o, "\n", 1);
	out_str(&o, rq->path[0] != '\0' ? rq->path : "/");
	out_add(&o, "\n", 1);
	out_str(&o, rq->query);
	out_add(&o, "\n", 1);
	for (i = 0; i < rq->nheaders; i++) {
		out_str(&o, rq->headers[i].name);
		out_add(&o, ":", 1);
		out_trimmed(&o, rq->headers[i].value);
		out_add(&o, "\n", 1);
	}
	/* the header block ends with its own newline, then the names */
	out_add(&o, "\n", 1);
	out_str(&o, names);
	out_add(&o, "\n", 1);
	out_str(&o, rq->payload_hash);
	return out_done(&o);
}

/* "20150830/us-east-1/service/aws4_request" */
static int
scope(const char *amz_date, const struct sigv4_cred *cr, char *out, size_t cap)
{
	int n;

	if (!amz_date_ok(amz_date) || cr->region == NULL || cr->service == NULL)
		return -1;
	n = snprintf(out, cap, "%.8s/%s/%s/aws4_request", amz_date, cr->region, cr->service);
	return n < 0 || (size_t)n >= cap ? -1 : 0;
}

int
sigv4_string_to_sign(const char *amz_date, const struct sigv4_cred *cr,
    const char *canonical_request, char *out, size_t cap)
{
	char sc[SIGV4_MAX_SCOPE], hash[SIGV4_SHA256_HEX + 1];
	int  n;

	if (scope(amz_date, cr, sc, sizeof(sc)) != 0 ||
	    sigv4_sha256_hex(canonical_request, strlen(canonical_request), hash) != 0)
		return -1;
	n = snprintf(out, cap, SIGV4_ALGORITHM "\n%s\n%s\n%s", amz_date, sc, hash);
	return n < 0 || (size_t)n >= cap ? -1 : 0;
}

int
sigv4_signing_key(const struct sigv4_cred *cr, const char *amz_date,
    unsigned char key[SIGV4_KEY_LEN])
{
	/* kSecret = "AWS4" + secret; kDate = HMAC(kSecret, YYYYMMDD);
	 * kRegion = HMAC(kDate, region); kService = HMAC(kRegion, service);
	 * kSigning = HMAC(kService, "aws4_request") */
	char          secret[4 + SIGV4_MAX_SECRET + 1];
	unsigned char k[SIGV4_KEY_LEN], k2[SIGV4_KEY_LEN];
	int           n, rc = -1;

	if (!amz_date_ok(amz_date) || cr->secret_key == NULL || cr->region == NULL ||
	    cr->service == NULL)
		return -1;
	n = snprintf(secret, sizeof(secret), "AWS4%s", cr->secret_key);
	if (n < 0 || (size_t)n >= sizeof(secret))
		goto done;
	if (hmac_sha256(secret, (size_t)n, amz_date, 8, k) != 0 ||
	    hmac_sha256(k, sizeof(k), cr->region, strlen(cr->region), k2) != 0 ||
	    hmac_sha256(k2, sizeof(k2), cr->service, strlen(cr->service), k) != 0 ||
	    hmac_sha256(k, sizeof(k), "aws4_request", 12, key) != 0)
		goto done;
	rc = 0;
done:
	OPENSSL_cleanse(secret, sizeof(secret));
	OPENSSL_cleanse(k, sizeof(k));
	OPENSSL_cleanse(k2, sizeof(k2));
	return rc;
}

int
sigv4_signature(const unsigned char key[SIGV4_KEY_LEN], const char *string_to_sign,
    char out[SIGV4_SHA256_HEX + 1])
{
	unsigned char md[SIGV4_KEY_LEN];

	if (hmac_sha256(key, SIGV4_KEY_LEN, string_to_sign, strlen(string_to_sign), md) != 0)
		return -1;
	hex_encode(md, sizeof(md), out);
	return 0;
}

/* Steps 1 to 4 for a canonical request already built. */
static int
sign_canonical(const char *canonical, const char *amz_date, const struct sigv4_cred *cr,
    char sig[SIGV4_SHA256_HEX + 1])
{
	char          sts[SIGV4_MAX_SCOPE + 2 * SIGV4_SHA256_HEX];
	unsigned char key[SIGV4_KEY_LEN];
	int           rc = -1;

	if (sigv4_string_to_sign(amz_date, cr, canonical, sts, sizeof(sts)) != 0 ||
	    sigv4_signing_key(cr, amz_date, key) != 0 ||
	    sigv4_signature(key, sts, sig) != 0)
		goto done;
	rc = 0;
done:
	OPENSSL_cleanse(key, sizeof(key));
	return rc;
}

int
sigv4_sign_header(const struct sigv4_request *rq, const struct sigv4_cred *cr,
    char *authz, size_t cap)
{
	char canonical[SIGV4_MAX_CANONICAL], names[SIGV4_MAX_CANONICAL / 4];
	char sc[SIGV4_MAX_SCOPE], sig[SIGV4_SHA256_HEX + 1];
	int  n;

	if (cap > 0)
		authz[0] = '\0';
	if (cr->access_key == NULL ||
	    sigv4_canonical_request(rq, canonical, sizeof(canonical)) != 0 ||
	    signed_headers(rq, names, sizeof(names)) != 0 ||
	    scope(rq->amz_date, cr, sc, sizeof(sc)) != 0 ||
	    sign_canonical(canonical, rq->amz_date, cr, sig) != 0)
		return -1;
	n = snprintf(authz, cap, SIGV4_ALGORITHM " Credential=%s/%s, SignedHeaders=%s, Signature=%s",
	    cr->access_key, sc, names, sig);
	if (n < 0 || (size_t)n >= cap) {
		if (cap > 0)
			authz[0] = '\0';
		return -1;
	}
	return 0;
}

int
sigv4_presign_query(const char *method, const char *path, const char *host,
    const char *amz_date, int expires_s, const struct sigv4_cred *cr,
    char *query, size_t cap)
{
	const struct sigv4_header host_hdr = { "host", host };

	if (host == NULL) {
		if (cap > 0)
			query[0] = '\0';
		return -1;
	}
	return sigv4_presign_query_headers(method, path, &host_hdr, 1, amz_date, expires_s, cr,
	    query, cap);
}

int
sigv4_presign_query_headers(const char *method, const char *path,
    const struct sigv4_header *headers, size_t nheaders, const char *amz_date,
    int expires_s, const struct sigv4_cred *cr, char *query, size_t cap)
{
	char  sc[SIGV4_MAX_SCOPE], cred[SIGV4_MAX_SECRET + SIGV4_MAX_SCOPE];
	char  cred_enc[3 * sizeof(cred)], canonical[SIGV4_MAX_CANONICAL];
	char  sig[SIGV4_SHA256_HEX + 1], names[SIGV4_MAX_CANONICAL / 4];
	char  names_enc[3 * sizeof(names)];
	struct sigv4_request rq = { method, path, query, headers, nheaders,
	    SIGV4_UNSIGNED_PAYLOAD, amz_date };
	size_t used, i;
	int   n, has_host = 0;

	if (cap > 0)
		query[0] = '\0';
	if (expires_s < 1 || expires_s > SIGV4_MAX_EXPIRES_S || !headers_ok(&rq) ||
	    cr->access_key == NULL || scope(amz_date, cr, sc, sizeof(sc)) != 0)
		return -1;
	for (i = 0; i < nheaders; i++)
		has_host |= strcmp(headers[i].name, "host") == 0;
	if (!has_host || signed_headers(&rq, names, sizeof(names)) != 0 ||
	    sigv4_uri_encode(names, 0, names_enc, sizeof(names_enc)) != 0)
		return -1;
	n = snprintf(cred, sizeof(cred), "%s/%s", cr->access_key, sc);
	if (n < 0 || (size_t)n >= sizeof(cred) ||
	    sigv4_uri_encode(cred, 0, cred_enc, sizeof(cred_enc)) != 0)
		return -1;
	/* the names are already in byte order, so this is the canonical query */
	n = snprintf(query, cap, "X-Amz-Algorithm=" SIGV4_ALGORITHM "&X-Amz-Credential=%s"
	    "&X-Amz-Date=%s&X-Amz-Expires=%d&X-Amz-SignedHeaders=%s",
	    cred_enc, amz_date, expires_s, names_enc);
	if (n < 0 || (size_t)n >= cap)
		goto fail;
	used = (size_t)n;
	/* rq.query points at that buffer: the canonical request reads it */
	if (sigv4_canonical_request(&rq, canonical, sizeof(canonical)) != 0 ||
	    sign_canonical(canonical, amz_date, cr, sig) != 0)
		goto fail;
	n = snprintf(query + used, cap - used, "&X-Amz-Signature=%s", sig);
	if (n < 0 || (size_t)n >= cap - used)
		goto fail;
	return 0;
fail:
	if (cap > 0)
		query[0] = '\0';	/* never hand out half a URL */
	return -1;
}
