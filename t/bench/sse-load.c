/*
 * sse-load: the live events' load generator (t/bench/live). Holds many
 * GET /api/focus/events streams open at once with libcurl's multi
 * interface (one connection each, as browsers hold them), and measures:
 *
 *   connect   all subscribers open, each with its first event
 *   latency   W writes (POST /api/focus, one person after another), each
 *             from its response to its event at that person's subscriber
 *   timesup   after a line "timesup FILE" on stdin (FILE: "<user id>
 *             <expires_at, ms since the epoch>" a line), each listed
 *             person's time's-up event (the first event with "session":null)
 *             against its expires_at
 *
 * Events are taken apart only as far as SSE's framing needs (RFC 8895 is
 * not it; WHATWG HTML 9.2: an event ends at a blank line, its data lines
 * begin "data:"); libcurl does the HTTP.
 *
 * usage: sse-load BASE_URL TOKENS_FILE USERS_FILE SUBSCRIBERS WRITES
 * (line i of USERS_FILE is the user id of line i of TOKENS_FILE)
 * SSE_LOAD_STORM=1: every subscriber connects at once (above).
 * Prints "connected N MS", "latency N P50_MS P99_MS", "timesup N P50_MS
 * P99_MS MISSING" lines and "ready" before it reads stdin.
 */
#define _GNU_SOURCE     /* memmem */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sys/select.h>

#include <curl/curl.h>

#define MAX_LINE  128
#define EVENT_MAX 8192
/* Subscribers connecting at once (no first event yet): each connect is
 * an authorization by a worker, and a burst of thousands overflows the
 * FastCGI socket's listen queue (nginx 502, the subscriber refused), as
 * a mass reconnect would; the load ramps up instead. */
#define CONNECTING_MAX 64
/* SSE_LOAD_STORM=1 connects every subscriber at once instead, as a mass
 * reconnect does, and prints "refused STATUS COUNT" for the connects
 * turned away (each is tried again until all are in) and "first_try N
 * of M", the subscribers in at their first connect. */
static long refused[600];

struct sub {
	CURL   *easy;
	char    user[40];
	char    auth[128];
	struct curl_slist *headers;
	char    buf[EVENT_MAX];
	size_t  len;
	long    events;             /* complete events seen */
	long    refusals;           /* connects turned away before its first event */
	int     added;              /* its handle is in the multi handle */
	int     waiting_write;      /* a write's event is expected */
	double  write_done_ms;      /* its response's arrival (0: not yet) */
	double  event_ms;           /* the expected event's arrival (0: not yet) */
	double  expires_ms;         /* timesup: the session's expires_at, 0: none */
	double  timesup_ms;         /* its time's-up event's arrival */
};

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double
pct(double *v, size_t n, double p)
{
	size_t i;

	if (n == 0)
		return -1;
	qsort(v, n, sizeof(*v), cmp_double);
	i = (size_t)(p * (double)(n - 1) + 0.5);
	return v[i];
}

/* one complete event (the bytes before its blank line) */
static void
on_event(struct sub *s, const char *ev, size_t n)
{
	double t = now_ms();
	int    is_state = 0, null_session = 0;
	const char *p = ev, *end = ev + n;

	/* the lines of the event: "event: state" and "data: {...}" */
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t      len = nl != NULL ? (size_t)(nl - p) : (size_t)(end - p);

		if (len >= 12 && memcmp(p, "event: state", 12) == 0)
			is_state = 1;
		if (len > 5 && memcmp(p, "data:", 5) == 0 &&
		    memmem(p, len, "{\"session\":null", 15) != NULL)
			null_session = 1;
		p += len + 1;
	}
	if (!is_state)
		return;         /* a comment (": hi") or a keepalive */
	s->events++;
	if (s->waiting_write && s->event_ms == 0)
		s->event_ms = t;
	if (s->expires_ms > 0 && s->timesup_ms == 0 && null_session)
		s->timesup_ms = t;
}

static size_t
on_data(char *ptr, size_t size, size_t nmemb, void *arg)
{
	struct sub *s = arg;
	size_t      n = size * nmemb, i, start;

	if (s->len + n > sizeof(s->buf)) {
		fprintf(stderr, "sse-load: an event over %d bytes\n", EVENT_MAX);
		return 0;
	}
	memcpy(s->buf + s->len, ptr, n);
	s->len += n;
	/* every event ends at "\n\n" */
	start = 0;
	for (i = 0; i + 1 < s->len; i++)
		if (s->buf[i] == '\n' && s->buf[i + 1] == '\n') {
			on_event(s, s->buf + start, i - start);
			start = i + 2;
			i++;
		}
	memmove(s->buf, s->buf + start, s->len - start);
	s->len -= start;
	return n;
}

static size_t
discard(char *ptr, size_t size, size_t nmemb, void *arg)
{
	(void)ptr;
	(void)arg;
	return size * nmemb;
}

static int
read_lines(const char *path, char (*out)[MAX_LINE], size_t cap)
{
	FILE  *f = fopen(path, "r");
	size_t n = 0;

	if (f == NULL)
		return -1;
	while (n < cap && fgets(out[n], MAX_LINE, f) != NULL) {
		out[n][strcspn(out[n], "\r\n")] = '\0';
		if (out[n][0] != '\0')
			n++;
	}
	fclose(f);
	return (int)n;
}

/* run the multi handle for at most ms; -1 on a curl failure */
static int
pump(CURLM *m, int ms, CURL *write_easy, double *write_done)
{
	int      running, numfds;
	CURLMsg *msg;
	int      left;

	if (curl_multi_perform(m, &running) != CURLM_OK)
		return -1;
	while ((msg = curl_multi_info_read(m, &left)) != NULL) {
		if (msg->msg != CURLMSG_DONE)
			continue;
		if (msg->easy_handle == write_easy && write_done != NULL) {
			*write_done = now_ms();
		} else {
			long        code = 0;
			struct sub *s = NULL;
			CURL       *e = msg->easy_handle;

			curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &code);
			curl_easy_getinfo(e, CURLINFO_PRIVATE, (char **)&s);
			if (s != NULL && s->events == 0 && code >= 0 && code < 600) {
				refused[code]++;
				s->refusals++;
			}
			fprintf(stderr, "sse-load: a stream ended (%s, status %ld)%s\n",
			    curl_easy_strerror(msg->data.result), code,
			    s != NULL && s->events == 0 ? ": connecting it again" : "");
			/* a refused connect is tried again; the handle restarts */
			curl_multi_remove_handle(m, e);
			if (s != NULL) {
				s->len = 0;
				curl_multi_add_handle(m, e);
			}
		}
	}
	if (curl_multi_poll(m, NULL, 0, ms, &numfds) != CURLM_OK)
		return -1;
	return 0;
}

int
main(int argc, char **argv)
{
	static char tokens[20000][MAX_LINE], users[20000][MAX_LINE];
	struct sub *subs;
	CURLM      *m;
	char        url[512], line[600];
	int         ntok, nusers, nsubs, nwrites, i, connected, storm;
	double      t0, *lat;
	size_t      nlat = 0;

	if (argc != 6) {
		fprintf(stderr, "usage: sse-load BASE_URL TOKENS USERS SUBSCRIBERS WRITES\n");
		return 2;
	}
	ntok = read_lines(argv[2], tokens, 20000);
	nusers = read_lines(argv[3], users, 20000);
	nsubs = atoi(argv[4]);
	nwrites = atoi(argv[5]);
	if (ntok < 1 || nusers != ntok || nsubs < 1 || nsubs > ntok || nwrites < 0) {
		fprintf(stderr, "sse-load: need as many users as tokens, and subscribers <= tokens\n");
		return 2;
	}
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0 || (m = curl_multi_init()) == NULL)
		return 1;
	curl_multi_setopt(m, CURLMOPT_MAX_TOTAL_CONNECTIONS, 0L);
	if ((subs = calloc((size_t)nsubs, sizeof(*subs))) == NULL ||
	    (lat = calloc((size_t)(nwrites > nsubs ? nwrites : nsubs) + 1, sizeof(*lat))) == NULL)
		return 1;
	snprintf(url, sizeof(url), "%s/api/focus/events", argv[1]);
	t0 = now_ms();
	for (i = 0; i < nsubs; i++) {
		struct sub *s = &subs[i];

		snprintf(s->user, sizeof(s->user), "%.36s", users[i]);
		snprintf(s->auth, sizeof(s->auth), "Authorization: Bearer %.64s", tokens[i]);
		s->headers = curl_slist_append(NULL, s->auth);
		s->headers = curl_slist_append(s->headers, "Accept: text/event-stream");
		if ((s->easy = curl_easy_init()) == NULL)
			return 1;
		curl_easy_setopt(s->easy, CURLOPT_URL, url);
		curl_easy_setopt(s->easy, CURLOPT_HTTPHEADER, s->headers);
		curl_easy_setopt(s->easy, CURLOPT_WRITEFUNCTION, on_data);
		curl_easy_setopt(s->easy, CURLOPT_WRITEDATA, s);
		curl_easy_setopt(s->easy, CURLOPT_FORBID_REUSE, 1L);
		curl_easy_setopt(s->easy, CURLOPT_PRIVATE, (char *)s);
	}
	/* every subscriber has its first event, CONNECTING_MAX at a time */
	storm = getenv("SSE_LOAD_STORM") != NULL && strcmp(getenv("SSE_LOAD_STORM"), "1") == 0;
	for (;;) {
		int connecting = 0;

		for (connected = 0, i = 0; i < nsubs; i++) {
			connected += subs[i].events > 0;
			connecting += subs[i].added && subs[i].events == 0;
		}
		for (i = 0; i < nsubs && (storm || connecting < CONNECTING_MAX); i++)
			if (!subs[i].added) {
				curl_multi_add_handle(m, subs[i].easy);
				subs[i].added = 1;
				connecting++;
			}
		if (connected == nsubs)
			break;
		if (now_ms() - t0 > 600000) {
			fprintf(stderr, "sse-load: only %d of %d connected\n", connected, nsubs);
			return 1;
		}
		if (pump(m, 100, NULL, NULL) != 0)
			return 1;
	}
	printf("connected %d %.0f\n", nsubs, now_ms() - t0);
	for (i = 0; i < 600; i++)
		if (refused[i] > 0)
			printf("refused %d %ld\n", i, refused[i]);
	if (storm) {
		int first = 0;

		for (i = 0; i < nsubs; i++)
			first += subs[i].refusals == 0;
		printf("first_try %d of %d\n", first, nsubs);
	}
	fflush(stdout);

	/* writes, one after another: a start for person i % nsubs */
	for (i = 0; i < nwrites; i++) {
		struct sub *s = &subs[i % nsubs];
		CURL       *w = curl_easy_init();
		struct curl_slist *h = NULL;
		char        wurl[512];
		double      done = 0, t_end;

		if (w == NULL)
			return 1;
		snprintf(wurl, sizeof(wurl), "%s/api/focus", argv[1]);
		h = curl_slist_append(h, s->auth);
		h = curl_slist_append(h, "Content-Type: application/json");
		curl_easy_setopt(w, CURLOPT_URL, wurl);
		curl_easy_setopt(w, CURLOPT_HTTPHEADER, h);
		curl_easy_setopt(w, CURLOPT_POSTFIELDS, "{\"mode\":\"focus\",\"duration_seconds\":3600}");
		curl_easy_setopt(w, CURLOPT_WRITEFUNCTION, discard);
		s->waiting_write = 1;
		s->event_ms = 0;
		curl_multi_add_handle(m, w);
		t_end = now_ms() + 10000;
		while ((done == 0 || s->event_ms == 0) && now_ms() < t_end)
			if (pump(m, 5, w, &done) != 0)
				return 1;
		curl_multi_remove_handle(m, w);
		curl_easy_cleanup(w);
		curl_slist_free_all(h);
		s->waiting_write = 0;
		if (done > 0 && s->event_ms > 0)
			lat[nlat++] = s->event_ms > done ? s->event_ms - done : 0;
	}
	if (nwrites > 0)
		printf("latency %zu %.2f %.2f\n", nlat, pct(lat, nlat, 0.5), pct(lat, nlat, 0.99));
	printf("ready\n");
	fflush(stdout);

	/* time's up: wait for the command, keep the streams served meanwhile */
	for (;;) {
		fd_set         r;
		struct timeval tv = { 0, 0 };

		FD_ZERO(&r);
		FD_SET(0, &r);
		if (select(1, &r, NULL, NULL, &tv) > 0) {
			if (fgets(line, sizeof(line), stdin) == NULL)
				break;          /* stdin closed: done */
			if (strncmp(line, "timesup ", 8) == 0) {
				FILE  *f;
				char   uid[64];
				double exp_ms, last = 0;
				int    n = 0, missing = 0;

				line[strcspn(line, "\r\n")] = '\0';
				if ((f = fopen(line + 8, "r")) == NULL)
					return 1;
				while (fscanf(f, "%63s %lf", uid, &exp_ms) == 2)
					for (i = 0; i < nsubs; i++)
						if (strcmp(subs[i].user, uid) == 0) {
							subs[i].expires_ms = exp_ms;
							if (exp_ms > last)
								last = exp_ms;
							n++;
							break;
						}
				fclose(f);
				while (now_ms() < last + 10000) {
					int all = 1;
					for (i = 0; i < nsubs; i++)
						if (subs[i].expires_ms > 0 && subs[i].timesup_ms == 0)
							all = 0;
					if (all)
						break;
					if (pump(m, 50, NULL, NULL) != 0)
						return 1;
				}
				nlat = 0;
				for (i = 0; i < nsubs; i++)
					if (subs[i].expires_ms > 0) {
						if (subs[i].timesup_ms > 0)
							lat[nlat++] = subs[i].timesup_ms - subs[i].expires_ms;
						else
							missing++;
					}
				printf("timesup %d %.1f %.1f %d\n", n, pct(lat, nlat, 0.5), pct(lat, nlat, 0.99), missing);
				fflush(stdout);
			}
			continue;
		}
		if (pump(m, 50, NULL, NULL) != 0)
			return 1;
	}
	for (i = 0; i < nsubs; i++) {
		curl_multi_remove_handle(m, subs[i].easy);
		curl_easy_cleanup(subs[i].easy);
		curl_slist_free_all(subs[i].headers);
	}
	curl_multi_cleanup(m);
	curl_global_cleanup();
	return 0;
}
