/*
 * storage_link.c: the directory backend's signed links,
 * GET and PUT /api/storage/<key>?expires=..&sig=.. (storage.h has their
 * form). They point back at the service; the HMAC in the query is the
 * authorization, so these routes take no token.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audio.h"
#include "jsonw.h"
#include "storage.h"
#include "storage_link.h"
#include "tracks.h"

static enum ferr
check_link(struct req *rq, const char *method, const char *mime, long long *max_size)
{
	char expires[24], sig[80], size[24] = "";

	if (http_query_get(rq->query, "expires", expires, sizeof(expires)) != 1 ||
	    http_query_get(rq->query, "sig", sig, sizeof(sig)) != 1 ||
	    (strcmp(method, "PUT") == 0 &&
	    http_query_get(rq->query, "size", size, sizeof(size)) != 1) ||
	    !storage_key_valid(rq->params[0]))
		return FERR_FORBIDDEN;
	if (max_size != NULL)
		*max_size = strtoll(size, NULL, 10);    /* digits only, once verified */
	return storage_link_verify(method, rq->params[0], expires, sig, size, mime);
}

/* One byte range of a Range header (RFC 9110 section 14.1.2):
 * "bytes=a-b", "bytes=a-" or "bytes=-n". 1 with [*from, *to]; 0 when
 * there is none or it is not one we serve (several ranges: the whole
 * object, which RFC 9110 allows); -1 when it cannot be satisfied. */
static int
parse_range(const char *h, long long size, long long *from, long long *to)
{
	long long a = -1, b = -1;
	char     *end;

	if (h == NULL || strncmp(h, "bytes=", 6) != 0 || strchr(h, ',') != NULL)
		return 0;
	h += 6;
	if (*h == '-') {                        /* the last n bytes */
		b = strtoll(h + 1, &end, 10);
		if (end == h + 1 || *end != '\0' || b < 0)
			return 0;
		if (b == 0)             /* the last 0 bytes: nothing to send (RFC 9110 14.1.1) */
			return -1;
		*from = b >= size ? 0 : size - b;
		*to = size - 1;
		return size > 0 ? 1 : -1;
	}
	a = strtoll(h, &end, 10);
	if (end == h || *end != '-' || a < 0)
		return 0;
	h = end + 1;
	if (*h != '\0') {
		b = strtoll(h, &end, 10);
		if (*end != '\0' || b < a)
			return 0;
	}
	if (a >= size)
		return -1;
	*from = a;
	*to = b < 0 || b >= size ? size - 1 : b;
	return 1;
}

enum ferr
storage_link_get(struct req *rq)
{
	long long size, from = 0, to = 0, left;
	char      buf[64 * 1024], cr[96];
	ssize_t   n;
	int       fd, r;
	enum ferr e;

	if ((e = check_link(rq, "GET", NULL, NULL)) != FERR_OK)
		return e;
	if ((fd = storage_dir_open(rq->params[0], &size)) < 0)
		return FERR_NOT_FOUND;
	/* ranges let a player seek in a long track without fetching it all */
	(void)http_add_header(rq, "Accept-Ranges", "bytes");
	r = parse_range(http_param(rq, "HTTP_RANGE"), size, &from, &to);
	if (r < 0) {
		snprintf(cr, sizeof(cr), "bytes */%lld", size);
		(void)http_add_header(rq, "Content-Range", cr);
		http_send_head(rq, 416, audio_ext_mime(rq->params[0]), 0);
		close(fd);
		return FERR_OK;
	}
	if (r == 0) {
		from = 0;
		to = size - 1;
	} else if (lseek(fd, (off_t)from, SEEK_SET) != (off_t)from) {
		close(fd);
		return FERR_INTERNAL;
	} else {
		snprintf(cr, sizeof(cr), "bytes %lld-%lld/%lld", from, to, size);
		(void)http_add_header(rq, "Content-Range", cr);
	}
	left = to - from + 1;
	http_send_head(rq, r == 1 ? 206 : 200, audio_ext_mime(rq->params[0]), left);
	while (rq->method != HTTP_HEAD && left > 0 &&
	    (n = read(fd, buf, left < (long long)sizeof(buf) ? (size_t)left : sizeof(buf))) > 0) {
		if (http_write(rq, buf, (size_t)n) != 0)
			break;
		left -= n;
	}
	close(fd);
	return FERR_OK;
}

enum ferr
storage_link_put(struct req *rq)
{
	enum ferr e;
	char      mime[STORAGE_MAX_TYPE + 1];
	long long max_size = 0;

	/* the link is signed for one type and a largest size: another type
	 * fails the MAC (403), a longer body is refused before a byte is
	 * stored (413) */
	snprintf(mime, sizeof(mime), "%.*s",
	    rq->content_type != NULL ? (int)strcspn(rq->content_type, "; ") : 0,
	    rq->content_type != NULL ? rq->content_type : "");
	if ((e = check_link(rq, "PUT", mime, &max_size)) != FERR_OK)
		return e;
	if ((e = tracks_check_upload_body(rq)) != FERR_OK)
		return e;
	if (rq->content_length > max_size) {
		snprintf(rq->err_msg, sizeof(rq->err_msg),
		    "The upload is larger than the size_bytes its link was made for.");
		return FERR_TOO_LARGE;
	}
	if ((e = tracks_store_body(rq, rq->params[0], mime)) != FERR_OK) {
		if (e == FERR_CONFLICT)
			snprintf(rq->err_msg, sizeof(rq->err_msg),
			    "An object is already stored under this key: a link uploads once.");
		return e;
	}
	/* an empty object, as S3 answers nothing a client reads */
	{
		struct jsonw w;
		const char  *text;
		size_t       n;

		jw_init(&w);
		jw_obj(&w, NULL);
		jw_end(&w);
		if ((text = jw_text(&w, &n)) == NULL) {
			jw_free(&w);
			return FERR_INTERNAL;
		}
		http_send_head(rq, 200, "application/json", (long long)n);
		(void)http_write(rq, text, n);
		jw_free(&w);
	}
	return FERR_OK;
}
