/*
 * jsonw.h: the one JSON writer every response body goes through, in the
 * spirit of kcgi's kcgijson.c. The caller says what it writes (an object,
 * an array, a string, a number, ...) and under which key; the writer
 * places the commas and colons, escapes strings, and keeps one sticky
 * error: after the first failure (memory, a key where none belongs, a
 * value past JW_MAX_BYTES, unbalanced nesting) every call is a no-op and
 * jw_text() returns NULL, so a renderer checks once, at the end.
 *
 * Keys: inside an object every value needs a key, either passed to the
 * call or set just before with jw_key(); inside an array and at the top
 * the key must be NULL. Strings are escaped exactly as json-c's
 * JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE writes them
 * (the bytes API.md's examples were taken from): \" \\ \b \f \n \r \t,
 * other bytes below 0x20 as \u00xx, everything else as is.
 */
#ifndef FOCUS_JSONW_H
#define FOCUS_JSONW_H

#include <stddef.h>
#include <stdint.h>

/* Nesting deeper than any API.md object (a batch result's session is 3). */
#define JW_MAX_DEPTH 16
/* A response body's bound: a page of 100 tracks whose every text field is
 * at its limit and fully escaped (6 bytes per byte) is about 1.6 MB. */
#define JW_MAX_BYTES (8L * 1024 * 1024)

enum jw_err {
	JW_OK = 0,
	JW_ENOMEM,     /* allocation failed */
	JW_ETOOBIG,    /* past JW_MAX_BYTES */
	JW_EKEY,       /* a key missing in an object, or given outside one */
	JW_ENEST,      /* deeper than JW_MAX_DEPTH, a jw_end() too many, a
	                * second top-level value, or jw_text() before the end */
	JW_EVALUE,     /* a value JSON cannot hold (a timestamp past year 9999) */
};

struct jsonw {
	char       *buf;
	size_t      len, cap;
	enum jw_err err;
	unsigned    depth;
	char        kind[JW_MAX_DEPTH];   /* '{' or '[' per open level */
	size_t      items[JW_MAX_DEPTH];  /* values written at each level */
	int         done;                 /* the top-level value is complete */
	const char *pending_key;          /* from jw_key() */
};

void jw_init(struct jsonw *w);
void jw_free(struct jsonw *w);

/* The key of the next value in an object (for a value written by a
 * function that takes no key, such as a renderer). */
void jw_key(struct jsonw *w, const char *key);
void jw_obj(struct jsonw *w, const char *key);   /* open an object */
void jw_arr(struct jsonw *w, const char *key);   /* open an array */
void jw_end(struct jsonw *w);                    /* close the innermost */
/* A string; s NULL writes null. jw_strn takes n bytes (NULs escaped). */
void jw_str(struct jsonw *w, const char *key, const char *s);
void jw_strn(struct jsonw *w, const char *key, const char *s, size_t n);
void jw_int(struct jsonw *w, const char *key, int64_t v);
void jw_bool(struct jsonw *w, const char *key, int v);
void jw_null(struct jsonw *w, const char *key);
/* An RFC 3339 timestamp in UTC from microseconds since 1970-01-01, as
 * API.md writes it: "2026-01-17T10:00:00.123Z" (milliseconds truncated). */
void jw_ts(struct jsonw *w, const char *key, int64_t unix_us);

/* JW_OK or the first error. */
enum jw_err jw_error(const struct jsonw *w);
/* The text (NUL-terminated, *len bytes), or NULL after an error or while
 * a value is still open. Owned by w. */
const char *jw_text(const struct jsonw *w, size_t *len);

#endif
