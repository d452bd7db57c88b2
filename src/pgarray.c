#include "pgarray.h"

static void
put(struct pgarray *a, char c)
{
	/* keep one byte for the closing brace and one for the NUL */
	if (a->overflow || a->len + 2 >= a->cap) {
		a->overflow = 1;
		return;
	}
	a->buf[a->len++] = c;
}

void
pgarray_init(struct pgarray *a, char *buf, size_t cap)
{
	a->buf = buf;
	a->cap = cap;
	a->len = 0;
	a->n = 0;
	a->overflow = cap < 3;
	if (!a->overflow)
		a->buf[a->len++] = '{';
}

void
pgarray_add_null(struct pgarray *a)
{
	const char *w;

	if (a->n++ > 0)
		put(a, ',');
	for (w = "NULL"; *w != '\0'; w++)
		put(a, *w);
}

void
pgarray_add(struct pgarray *a, const char *elem)
{
	if (elem == NULL) {
		pgarray_add_null(a);
		return;
	}
	if (a->n++ > 0)
		put(a, ',');
	put(a, '"');
	for (; *elem != '\0'; elem++) {
		if (*elem == '"' || *elem == '\\')
			put(a, '\\');
		put(a, *elem);
	}
	put(a, '"');
}

const char *
pgarray_end(struct pgarray *a)
{
	if (a->overflow)
		return NULL;
	a->buf[a->len++] = '}';
	a->buf[a->len] = '\0';
	return a->buf;
}
