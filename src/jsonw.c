/* jsonw.c: see jsonw.h. */
#include <stdlib.h>
#include <string.h>

#include "jsonw.h"

void
jw_init(struct jsonw *w)
{
	memset(w, 0, sizeof(*w));
}

void
jw_free(struct jsonw *w)
{
	free(w->buf);
	jw_init(w);
}

static void
fail(struct jsonw *w, enum jw_err e)
{
	if (w->err == JW_OK)
		w->err = e;
}

static void
put(struct jsonw *w, const char *s, size_t n)
{
	if (w->err != JW_OK)
		return;
	if (n > (size_t)JW_MAX_BYTES - w->len) {
		fail(w, JW_ETOOBIG);
		return;
	}
	if (w->len + n + 1 > w->cap) {
		size_t cap = w->cap ? w->cap : 512;
		char  *b;

		while (cap < w->len + n + 1)
			cap *= 2;
		if ((b = realloc(w->buf, cap)) == NULL) {
			fail(w, JW_ENOMEM);
			return;
		}
		w->buf = b;
		w->cap = cap;
	}
	memcpy(w->buf + w->len, s, n);
	w->len += n;
	w->buf[w->len] = '\0';
}

/* escape n bytes of s into a JSON string, quotes included */
static void
put_escaped(struct jsonw *w, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, run = 0;

	put(w, "\"", 1);
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		const char   *esc = NULL;
		char          u[7];

		switch (c) {
		case '"':  esc = "\\\""; break;
		case '\\': esc = "\\\\"; break;
		case '\b': esc = "\\b"; break;
		case '\f': esc = "\\f"; break;
		case '\n': esc = "\\n"; break;
		case '\r': esc = "\\r"; break;
		case '\t': esc = "\\t"; break;
		default:
			if (c < 0x20) {
				memcpy(u, "\\u00", 4);
				u[4] = hex[c >> 4];
				u[5] = hex[c & 0xf];
				u[6] = '\0';
				esc = u;
			}
		}
		if (esc == NULL) {
			run++;
			continue;
		}
		/* the bytes before this one need no escaping: one copy */
		put(w, s + i - run, run);
		run = 0;
		put(w, esc, strlen(esc));
	}
	put(w, s + n - run, run);
	put(w, "\"", 1);
}

/* Before a value: the comma, and the key where the level wants one. */
static void
begin(struct jsonw *w, const char *key)
{
	if (w->err != JW_OK)
		return;
	if (w->depth == 0) {
		if (w->done || key != NULL || w->pending_key != NULL)
			fail(w, w->done ? JW_ENEST : JW_EKEY);
		return;
	}
	if (w->kind[w->depth - 1] == '{') {
		if (key == NULL)
			key = w->pending_key;
		if (key == NULL) {
			fail(w, JW_EKEY);
			return;
		}
	} else if (key != NULL || w->pending_key != NULL) {
		fail(w, JW_EKEY);
		return;
	}
	w->pending_key = NULL;
	if (w->items[w->depth - 1]++ > 0)
		put(w, ",", 1);
	if (key != NULL) {
		put_escaped(w, key, strlen(key));
		put(w, ":", 1);
	}
}

/* After a scalar or a closed container. */
static void
finish(struct jsonw *w)
{
	if (w->depth == 0)
		w->done = 1;
}

void
jw_key(struct jsonw *w, const char *key)
{
	if (w->err != JW_OK)
		return;
	if (w->depth == 0 || w->kind[w->depth - 1] != '{' || w->pending_key != NULL || key == NULL)
		fail(w, JW_EKEY);
	else
		w->pending_key = key;
}

static void
open_level(struct jsonw *w, const char *key, char kind)
{
	begin(w, key);
	if (w->err != JW_OK)
		return;
	if (w->depth >= JW_MAX_DEPTH) {
		fail(w, JW_ENEST);
		return;
	}
	put(w, kind == '{' ? "{" : "[", 1);
	w->kind[w->depth] = kind;
	w->items[w->depth] = 0;
	w->depth++;
}

void
jw_obj(struct jsonw *w, const char *key)
{
	open_level(w, key, '{');
}

void
jw_arr(struct jsonw *w, const char *key)
{
	open_level(w, key, '[');
}

void
jw_end(struct jsonw *w)
{
	if (w->err != JW_OK)
		return;
	if (w->depth == 0 || w->pending_key != NULL) {
		fail(w, w->depth == 0 ? JW_ENEST : JW_EKEY);
		return;
	}
	w->depth--;
	put(w, w->kind[w->depth] == '{' ? "}" : "]", 1);
	finish(w);
}

void
jw_strn(struct jsonw *w, const char *key, const char *s, size_t n)
{
	if (s == NULL) {
		jw_null(w, key);
		return;
	}
	begin(w, key);
	put_escaped(w, s, n);
	finish(w);
}

void
jw_str(struct jsonw *w, const char *key, const char *s)
{
	jw_strn(w, key, s, s != NULL ? strlen(s) : 0);
}

/* Decimal digits of v, written backwards from end; returns the start.
 * Cheaper than snprintf, and a page holds up to 100 objects. */
static char *
digits(char *end, uint64_t v)
{
	do {
		*--end = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	return end;
}

void
jw_int(struct jsonw *w, const char *key, int64_t v)
{
	char     num[24], *end = num + sizeof(num), *p;
	uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

	p = digits(end, mag);
	if (v < 0)
		*--p = '-';
	begin(w, key);
	put(w, p, (size_t)(end - p));
	finish(w);
}

void
jw_bool(struct jsonw *w, const char *key, int v)
{
	begin(w, key);
	put(w, v ? "true" : "false", v ? 4 : 5);
	finish(w);
}

void
jw_null(struct jsonw *w, const char *key)
{
	begin(w, key);
	put(w, "null", 4);
	finish(w);
}

/* v as exactly `width` digits (zero-padded; v < 10^width) */
static void
fixed(char *out, unsigned v, int width)
{
	while (width-- > 0) {
		out[width] = (char)('0' + v % 10);
		v /= 10;
	}
}

/* The civil date of a day count since 1970-01-01 (proleptic Gregorian;
 * Howard Hinnant's days_from_civil inverse, exact for every int32 day). */
static void
civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t  era;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

void
jw_ts(struct jsonw *w, const char *key, int64_t unix_us)
{
	/* floor division: a time before 1970 still has its fields in range */
	int64_t  days = unix_us / 86400000000, us, y;
	unsigned m, d, secs;
	/* "YYYY-MM-DDTHH:MM:SS.mmmZ" in quotes */
	char     out[26] = "\"0000-00-00T00:00:00.000Z\"";

	us = unix_us % 86400000000;
	if (us < 0) {
		days -= 1;
		us += 86400000000;
	}
	civil_from_days(days, &y, &m, &d);
	if (y < 0 || y > 9999) {
		fail(w, JW_EVALUE);
		return;
	}
	secs = (unsigned)(us / 1000000);
	fixed(out + 1, (unsigned)y, 4);
	fixed(out + 6, m, 2);
	fixed(out + 9, d, 2);
	fixed(out + 12, secs / 3600, 2);
	fixed(out + 15, secs / 60 % 60, 2);
	fixed(out + 18, secs % 60, 2);
	fixed(out + 21, (unsigned)(us / 1000 % 1000), 3);
	begin(w, key);
	put(w, out, sizeof(out));
	finish(w);
}

enum jw_err
jw_error(const struct jsonw *w)
{
	return w->err;
}

const char *
jw_text(const struct jsonw *w, size_t *len)
{
	if (w->err != JW_OK || !w->done || w->depth != 0)
		return NULL;
	if (len != NULL)
		*len = w->len;
	return w->buf;
}
