#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "uuid.h"
#include "validate.h"

int
printable_ascii(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e)
			return 0;
	return 1;
}

long
utf8_length(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;
	long                 n = 0;

	while (p < end) {
		size_t k;

		if (*p < 0x80)
			k = 1;
		else if ((*p & 0xe0) == 0xc0 && *p >= 0xc2)
			k = 2;
		else if ((*p & 0xf0) == 0xe0)
			k = 3;
		else if ((*p & 0xf8) == 0xf0 && *p <= 0xf4)
			k = 4;
		else
			return -1;
		if ((size_t)(end - p) < k)
			return -1;
		for (size_t i = 1; i < k; i++)
			if ((p[i] & 0xc0) != 0x80)
				return -1;
		p += k;
		n++;
	}
	return n;
}

enum ferr
validate_value(json_object *v, const struct field *f, struct field_value *out,
    char *msg, size_t cap)
{
	const char *s;
	size_t      len;
	long        chars;

	memset(out, 0, sizeof(*out));
	if (v == NULL || json_object_is_type(v, json_type_null)) {
		if (f->nullable)
			return FERR_OK;
		snprintf(msg, cap, "%s must not be null.", f->name);
		return FERR_VALIDATION;
	}
	switch (f->type) {
	case FIELD_INT:
		/* json-c would turn 1.5 or "12" into an int: refuse both */
		if (!json_object_is_type(v, json_type_int)) {
			snprintf(msg, cap, "%s must be an integer from %lld to %lld.", f->name, f->min, f->max);
			return FERR_VALIDATION;
		}
		errno = 0;
		out->i = json_object_get_int64(v);
		if (errno != 0 || out->i < f->min || out->i > f->max) {
			snprintf(msg, cap, "%s must be an integer from %lld to %lld.", f->name, f->min, f->max);
			return FERR_VALIDATION;
		}
		break;
	case FIELD_STR:
	case FIELD_UUID:
	case FIELD_ENUM:
		if (!json_object_is_type(v, json_type_string)) {
			snprintf(msg, cap, "%s must be a string.", f->name);
			return FERR_VALIDATION;
		}
		s = json_object_get_string(v);
		len = (size_t)json_object_get_string_len(v);
		if (strlen(s) != len) {
			snprintf(msg, cap, "%s must not contain NUL characters.", f->name);
			return FERR_VALIDATION;
		}
		if (f->type == FIELD_UUID) {
			if (uuid_canonical(s, len, out->uuid) != 0) {
				snprintf(msg, cap, "%s must be a UUID.", f->name);
				return FERR_VALIDATION;
			}
		} else if (f->type == FIELD_ENUM) {
			const char *const *c;
			for (c = f->choices; *c != NULL; c++)
				if (strcmp(*c, s) == 0)
					break;
			if (*c == NULL) {
				snprintf(msg, cap, "%s has an unknown value.", f->name);
				return FERR_VALIDATION;
			}
		} else {
			chars = utf8_length(s, len);
			if (chars < 0 || chars < f->min || chars > f->max) {
				snprintf(msg, cap, "%s must be %lld to %lld characters of UTF-8.",
				    f->name, f->min, f->max);
				return FERR_VALIDATION;
			}
		}
		out->s = s;
		break;
	}
	out->present = 1;
	return FERR_OK;
}

enum ferr
validate_fields(json_object *obj, const struct field *fields, size_t n,
    struct field_value *out, char *msg, size_t cap)
{
	size_t    i;
	enum ferr e;

	for (i = 0; i < n; i++) {
		json_object *v = NULL;

		/* json-c gives JSON null as a NULL value: absent and null differ
		 * only in get_ex's answer */
		if (obj == NULL || !json_object_object_get_ex(obj, fields[i].name, &v)) {
			memset(&out[i], 0, sizeof(out[i]));
			continue;
		}
		if ((e = validate_value(v, &fields[i], &out[i], msg, cap)) != FERR_OK)
			return e;
	}
	return FERR_OK;
}

enum ferr
validate_query_int(const char *query, const char *key, long long def, long long min,
    long long max, long long *out, char *msg, size_t cap)
{
	char      buf[32], *end;
	int       r;
	long long v;

	*out = def;
	r = http_query_get(query, key, buf, sizeof(buf));
	if (r == 0)
		return FERR_OK;
	if (r > 0 && buf[0] != '\0' && (isdigit((unsigned char)buf[0]) || buf[0] == '-')) {
		errno = 0;
		v = strtoll(buf, &end, 10);
		if (errno == 0 && *end == '\0' && v >= min && v <= max) {
			*out = v;
			return FERR_OK;
		}
	}
	snprintf(msg, cap, "%s must be an integer from %lld to %lld.", key, min, max);
	return FERR_BAD_REQUEST;
}
