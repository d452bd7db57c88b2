/*
 * supervise.h: the pre-forking parent of focus-fcgi (PHP-FPM's master, in
 * small). spawn-fcgi starts one focus-fcgi; it forks the workers, which
 * all accept() on the inherited FastCGI socket, and forks a new one as
 * soon as one dies, so a crashed or killed worker is replaced without an
 * operator. The parent itself opens no database connection and serves
 * no request: nothing a request does can take it down.
 */
#ifndef FOCUS_SUPERVISE_H
#define FOCUS_SUPERVISE_H

/* A child that dies sooner than this after its fork counts as a crash
 * loop (it fails at start, say): its slot waits SUPERVISE_BACKOFF_MS
 * before the next fork instead of forking at once, forever. Both are
 * well under the 2 s in which a dead worker must be replaced. */
#define SUPERVISE_MIN_UPTIME_MS 1000
#define SUPERVISE_BACKOFF_MS    500

/*
 * Keep `workers` children running child_main() until SIGTERM or SIGINT,
 * which is passed on to every child; returns once the last child is gone
 * (0), or -1 when the parent itself cannot go on (signal set-up) or a
 * child exited with a failure right at its start (the pool is stopped:
 * every successor would fail alike). Called
 * with nothing open but the listening socket and the log.
 */
int supervise(int workers, int (*child_main)(void));

/*
 * Size the listen queue of the inherited socket fd to backlog
 * (FOCUS_LISTEN_BACKLOG): listen() again on a listening socket only sets
 * its queue on Linux, for unix and TCP sockets alike. The kernel cuts it
 * to net.core.somaxconn without a word, so this reads that too and logs
 * the queue the socket got (listen_backlog: requested, somaxconn,
 * effective; a warning when it was cut). Returns the effective queue
 * (the request when somaxconn cannot be read), -1 when listen() fails
 * (logged) or backlog is outside 1..FOCUS_LISTEN_BACKLOG_MAX.
 */
long supervise_backlog(int fd, long backlog);

#endif
