/*
 * uuid.h: the one place UUIDs are parsed and formatted (RFC 9562). The
 * text form is 8-4-4-4-12 hex digits, 36 characters; the service accepts
 * any case and always writes lowercase (API.md), so a formatted UUID is
 * also the canonical one.
 */
#ifndef FOCUS_UUID_H
#define FOCUS_UUID_H

#include <stddef.h>

#define UUID_BYTES 16
#define UUID_CHARS 36   /* text form, without the NUL */

/* Parse len bytes of s (any case) into out. 0, or -1 when s is not a
 * UUID's text form. out may be NULL to only check. */
int uuid_parse(const char *s, size_t len, unsigned char out[UUID_BYTES]);

/* The lowercase text form of in, NUL-terminated. */
void uuid_format(const unsigned char in[UUID_BYTES], char out[UUID_CHARS + 1]);

/* Parse len bytes of s (any case) and write its lowercase form to out:
 * 0, or -1 (out untouched) when s is not a UUID. */
int uuid_canonical(const char *s, size_t len, char out[UUID_CHARS + 1]);

/* Are the UUID_CHARS bytes at s a UUID in lowercase (the form written
 * into storage keys)? s must hold UUID_CHARS bytes. */
int uuid_is_lowercase(const char *s);

/* A random (version 4) UUID in lowercase text form: 0, or -1 when the
 * random source fails. */
int uuid_random(char out[UUID_CHARS + 1]);

#endif
