/*
 * log.h: one line per event, key=value (logfmt), to stderr or a file.
 * Every value passes through one escaper: quotes, backslashes and control
 * characters are escaped and values are cut at LOG_MAX_VALUE bytes, so
 * untrusted input can neither forge a line nor flood the log.
 * Never pass tokens, Authorization headers, signatures or secrets.
 */
#ifndef FOCUS_LOG_H
#define FOCUS_LOG_H

/* Longest value echoed into a log line (Redis cuts echoed input likewise). */
#define LOG_MAX_VALUE 128

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

/* Open the destination: a path appends to that file; NULL or "-" is stderr.
 * Returns 0, or -1 (and keeps stderr) when the file cannot be opened. */
int  log_open(const char *path);
/* log_open for a service process (workers, timer): on failure it says so,
 * once, on stderr, and the process goes on logging there. */
void log_start(const char *path);
void log_set_level(enum log_level min);

/* Log one event. Arguments after msg are key, value pairs of strings,
 * ended by NULL; a NULL value writes the key with an empty value.
 *   log_kv(LOG_ERROR, "db", "err", "unavailable", "cause", PQerrorMessage(c), NULL);
 */
void log_kv(enum log_level lvl, const char *event, ...) __attribute__((sentinel));

/* Escape value into out (cap bytes) as log_kv does; returns out. */
char *log_escape(char *out, unsigned cap, const char *value);

#endif
