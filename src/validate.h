/*
 * validate.h: JSON body fields and query parameters checked against a
 * declared table (kcgi's keys[]). Unknown fields are ignored (API.md);
 * known ones are checked strictly: json_object_is_type() before any
 * json_object_get_*(), because json-c converts types silently, and
 * strings measured with their byte length so embedded NULs are refused.
 */
#ifndef FOCUS_VALIDATE_H
#define FOCUS_VALIDATE_H

#include <stddef.h>
#include <json-c/json.h>

#include "ferr.h"

enum field_type {
	FIELD_INT,     /* integer in [min, max] */
	FIELD_STR,     /* string of min..max characters (UTF-8 code points) */
	FIELD_UUID,    /* canonical UUID, any case; stored lowercase */
	FIELD_ENUM,    /* one of choices[] */
};

struct field {
	const char        *name;
	enum field_type    type;
	long long          min, max;
	const char *const *choices;   /* FIELD_ENUM: NULL-terminated */
	/* JSON null allowed (same as absent): only where API.md shows the
	 * field as nullable (task_id, task_title, description, a track's
	 * track_url and duration_seconds); elsewhere null is 422 */
	int                nullable;
};

struct field_value {
	int         present;          /* given and not null */
	long long   i;                /* FIELD_INT */
	const char *s;                /* FIELD_STR, FIELD_ENUM: borrowed from the body */
	char        uuid[37];         /* FIELD_UUID, lowercase */
};

/* A request body's field table, named for the fuzz target's report:
 * each module keeps its tables and exports them as one of these; routes.c
 * lists them all (body_tables) for t/fuzz. */
struct field_table {
	const char         *name;
	const struct field *fields;
	size_t              n;
};

/* Check every field of the table that the object holds. Returns FERR_OK
 * or FERR_VALIDATION with a sentence naming the field in msg. */
enum ferr validate_fields(json_object *obj, const struct field *fields, size_t n,
    struct field_value *out, char *msg, size_t cap) FOCUS_MUSTCHECK;

/* Check one JSON value (NULL: JSON null) against one field. */
enum ferr validate_value(json_object *v, const struct field *f, struct field_value *out,
    char *msg, size_t cap) FOCUS_MUSTCHECK;

/* A query parameter that must be an integer in [min, max]; absent gives
 * def. Returns FERR_OK or FERR_BAD_REQUEST with a sentence in msg. */
enum ferr validate_query_int(const char *query, const char *key, long long def,
    long long min, long long max, long long *out, char *msg, size_t cap) FOCUS_MUSTCHECK;

/* Count UTF-8 code points; -1 when the bytes are not valid UTF-8. */
long utf8_length(const char *s, size_t len);
/* 1 when every byte of s (len bytes) is printable ASCII (0x20..0x7e). */
int printable_ascii(const char *s, size_t len);

#endif
