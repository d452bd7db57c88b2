#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "limits.h"
#include "log.h"
#include "supervise.h"

/* One slot per worker: its pid (0 while none runs) and when it was
 * forked, or when the next fork is due after a crash loop. */
struct slot {
	pid_t pid;
	long  started_ms;
	long  due_ms;
};

static long
now_ms(void)
{
	struct timespec ts;

	/* CLOCK_MONOTONIC always exists on Linux; EFAULT cannot happen here */
	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
log_pid(enum log_level level, const char *event, pid_t pid, const char *key, long value)
{
	char p[24], v[24];

	snprintf(p, sizeof(p), "%ld", (long)pid);
	snprintf(v, sizeof(v), "%ld", value);
	log_kv(level, event, "pid", p, key, v, NULL);
}

/* Fork one worker into s. The child gets back the signal mask the
 * parent had before supervise() (the parent installs no handlers, so
 * the dispositions are already the default ones) and never returns. */
static void
spawn(struct slot *s, const sigset_t *child_mask, int (*child_main)(void))
{
	pid_t pid = fork();

	if (pid < 0) {
		/* out of processes: try again after the backoff */
		log_kv(LOG_ERROR, "worker_fork", "err", strerror(errno), NULL);
		s->due_ms = now_ms() + SUPERVISE_BACKOFF_MS;
		return;
	}
	if (pid == 0) {
		if (sigprocmask(SIG_SETMASK, child_mask, NULL) != 0)
			_exit(1);       /* a worker deaf to SIGTERM must not serve */
		exit(child_main());
	}
	s->pid = pid;
	s->started_ms = now_ms();
	s->due_ms = 0;
	log_pid(LOG_INFO, "worker_started", pid, NULL, 0);
}

/* Record the end of the child pid (not ours: ignored). */
static int
reaped(struct slot *slots, int n, pid_t pid, int status, int stopping)
{
	int  i;
	long lived;

	for (i = 0; i < n && slots[i].pid != pid; i++)
		;
	if (i == n)
		return 0;
	lived = now_ms() - slots[i].started_ms;
	slots[i].pid = 0;
	if (WIFSIGNALED(status))
		log_pid(stopping ? LOG_INFO : LOG_ERROR, "worker_died", pid, "signal", WTERMSIG(status));
	else
		log_pid(stopping ? LOG_INFO : LOG_WARN, "worker_exited", pid, "status", WEXITSTATUS(status));
	/* a worker that lived long gets its successor at once; one that died
	 * right after its start is likely to die again */
	slots[i].due_ms = lived < SUPERVISE_MIN_UPTIME_MS ? now_ms() + SUPERVISE_BACKOFF_MS : 0;
	/* A worker that exits on its own with a failure before it could
	 * serve (a schema that does not match the registry, a bad setting)
	 * would fail the same way again: stop the pool instead of looping. */
	return !stopping && WIFEXITED(status) && WEXITSTATUS(status) != 0 &&
	    lived < SUPERVISE_MIN_UPTIME_MS;
}

/* net.core.somaxconn of this network namespace; -1 when unreadable */
static long
somaxconn(void)
{
	FILE *f = fopen("/proc/sys/net/core/somaxconn", "r");
	long  n = -1;

	if (f == NULL)
		return -1;
	if (fscanf(f, "%ld", &n) != 1)
		n = -1;
	fclose(f);
	return n;
}

long
supervise_backlog(int fd, long backlog)
{
	char req[24], cap[24], got[24];
	long max = somaxconn();
	long effective = max > 0 && max < backlog ? max : backlog;

	if (backlog < 1 || backlog > FOCUS_LISTEN_BACKLOG_MAX)
		return -1;
	if (listen(fd, (int)backlog) != 0) {
		log_kv(LOG_ERROR, "listen_backlog", "err", strerror(errno), NULL);
		return -1;
	}
	snprintf(req, sizeof(req), "%ld", backlog);
	snprintf(cap, sizeof(cap), "%ld", max);
	snprintf(got, sizeof(got), "%ld", effective);
	/* cut by the kernel: a burst of connects beyond it is refused */
	log_kv(effective < backlog ? LOG_WARN : LOG_INFO, "listen_backlog", "requested", req,
	    "somaxconn", max > 0 ? cap : "unknown", "effective", got, NULL);
	return effective;
}

int
supervise(int workers, int (*child_main)(void))
{
	struct slot     slots[FOCUS_MAX_WORKERS];
	sigset_t        waited, child_mask;
	siginfo_t       info;
	struct timespec wait_for;
	int             i, running, stopping = 0, failed = 0, sig, status;
	long            next_due, now;
	pid_t           pid;

	if (workers < 1 || workers > FOCUS_MAX_WORKERS)
		return -1;
	memset(slots, 0, sizeof(slots));
	/* The parent takes its signals synchronously (sigtimedwait): no
	 * handler, so no race between checking a flag and waiting. */
	sigemptyset(&waited);
	sigaddset(&waited, SIGTERM);
	sigaddset(&waited, SIGINT);
	sigaddset(&waited, SIGCHLD);
	if (sigprocmask(SIG_BLOCK, &waited, &child_mask) != 0)
		return -1;

	for (i = 0; i < workers; i++)
		spawn(&slots[i], &child_mask, child_main);
	for (;;) {
		running = 0;
		next_due = -1;
		now = now_ms();
		for (i = 0; i < workers; i++) {
			if (slots[i].pid == 0 && !stopping && slots[i].due_ms <= now)
				spawn(&slots[i], &child_mask, child_main);
			if (slots[i].pid != 0)
				running++;
			else if (!stopping && (next_due < 0 || slots[i].due_ms < next_due))
				next_due = slots[i].due_ms;
		}
		if (stopping && running == 0)
			break;
		if (next_due >= 0) {
			long ms = next_due > now ? next_due - now : 0;
			wait_for.tv_sec = ms / 1000;
			wait_for.tv_nsec = (ms % 1000) * 1000000L;
			sig = sigtimedwait(&waited, &info, &wait_for);
		} else
			sig = sigwaitinfo(&waited, &info);
		if (sig < 0) {
			if (errno == EAGAIN || errno == EINTR)
				continue;       /* a backoff ran out */
			log_kv(LOG_ERROR, "supervise", "err", strerror(errno), NULL);
			return -1;
		}
		if (sig == SIGTERM || sig == SIGINT) {
			if (!stopping)
				log_kv(LOG_INFO, "supervise_stop", "signal", sig == SIGTERM ? "TERM" : "INT", NULL);
			stopping = 1;
			/* each child ends after its request in flight */
			for (i = 0; i < workers; i++)
				if (slots[i].pid != 0)
					(void)kill(slots[i].pid, sig);
			continue;
		}
		/* SIGCHLD: one signal may stand for several children */
		while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
			if (reaped(slots, workers, pid, status, stopping) && !stopping) {
				log_pid(LOG_ERROR, "worker_cannot_start", pid, "status", WEXITSTATUS(status));
				failed = 1;
				stopping = 1;
				for (i = 0; i < workers; i++)
					if (slots[i].pid != 0)
						(void)kill(slots[i].pid, SIGTERM);
			}
	}
	log_kv(LOG_INFO, "supervise_done", NULL);
	return failed ? -1 : 0;
}
