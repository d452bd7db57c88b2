#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <sys/time.h>

#include "log.h"

static FILE          *log_out;
static enum log_level log_min = LOG_INFO;

static const char *const level_names[] = { "debug", "info", "warn", "error" };

int
log_open(const char *path)
{
	FILE *f;

	if (path == NULL || *path == '\0' || strcmp(path, "-") == 0) {
		log_out = stderr;
		return 0;
	}
	if ((f = fopen(path, "a")) == NULL) {
		log_out = stderr;
		return -1;
	}
	setvbuf(f, NULL, _IOLBF, 0);
	log_out = f;
	return 0;
}

void
log_start(const char *path)
{
	if (log_open(path) != 0)
		log_kv(LOG_WARN, "log_open", "err", "cannot open log file, using stderr", NULL);
}

void
log_set_level(enum log_level min)
{
	log_min = min;
}

/* Quote when the value holds a space, '=', '"' or nothing at all. */
char *
log_escape(char *out, unsigned cap, const char *value)
{
	unsigned n = 0, i;
	int      quote = 0;
	const unsigned char *p;

	if (cap < 8) {
		if (cap > 0)
			out[0] = '\0';
		return out;
	}
	if (value == NULL)
		value = "";
	if (*value == '\0')
		quote = 1;
	for (p = (const unsigned char *)value; *p != '\0'; p++)
		if (*p <= ' ' || *p == '=' || *p == '"' || *p >= 0x7f)
			quote = 1;
	if (quote)
		out[n++] = '"';
	for (i = 0, p = (const unsigned char *)value; *p != '\0' && i < LOG_MAX_VALUE; p++, i++) {
		if (n + 6 >= cap)
			break;
		if (*p == '"' || *p == '\\') {
			out[n++] = '\\';
			out[n++] = (char)*p;
		} else if (*p < 0x20 || *p == 0x7f) {
			n += (unsigned)snprintf(out + n, cap - n, "\\x%02x", *p);
		} else
			out[n++] = (char)*p;
	}
	if (*p != '\0' && n + 4 < cap) {
		memcpy(out + n, "...", 3);
		n += 3;
	}
	if (quote)
		out[n++] = '"';
	out[n] = '\0';
	return out;
}

void
log_kv(enum log_level lvl, const char *event, ...)
{
	char           line[2048], esc[LOG_MAX_VALUE * 4 + 16], tsbuf[32];
	size_t         n;
	struct timeval tv;
	struct tm      tm;
	const char    *k, *v;
	va_list        ap;
	int            w;

	if (lvl < log_min)
		return;
	if (log_out == NULL)
		log_out = stderr;
	gettimeofday(&tv, NULL);
	gmtime_r(&tv.tv_sec, &tm);
	strftime(tsbuf, sizeof(tsbuf), "%Y-%m-%dT%H:%M:%S", &tm);
	w = snprintf(line, sizeof(line), "ts=%s.%03ldZ level=%s event=%s",
	    tsbuf, (long)(tv.tv_usec / 1000), level_names[lvl],
	    log_escape(esc, sizeof(esc), event));
	n = w > 0 && (size_t)w < sizeof(line) ? (size_t)w : 0;
	va_start(ap, event);
	while ((k = va_arg(ap, const char *)) != NULL) {
		v = va_arg(ap, const char *);
		w = snprintf(line + n, sizeof(line) - n, " %s=%s", k,
		    log_escape(esc, sizeof(esc), v));
		if (w < 0 || (size_t)w >= sizeof(line) - n)
			break;
		n += (size_t)w;
	}
	va_end(ap);
	fprintf(log_out, "%s\n", line);
}
