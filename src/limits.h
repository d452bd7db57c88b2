/*
 * limits.h: every bound on client input, in one place, with where its
 * number comes from. Nothing is sized from a client's declared count.
 */
#ifndef FOCUS_LIMITS_H
#define FOCUS_LIMITS_H

/* JSON request bodies: the largest legitimate one is a batch of
 * FOCUS_MAX_BATCH items of ~80 bytes; 64 KiB leaves room and stops abuse. */
#define FOCUS_MAX_JSON_BODY    (64 * 1024)
/* Nesting a JSON body may have; ours are at most 3 deep (batch). */
#define FOCUS_MAX_JSON_DEPTH   8
/* Items in one POST /api/focus/batch (API.md). */
#define FOCUS_MAX_BATCH        100
/* A timer runs at most one day (API.md: duration_seconds 1..86400). */
#define FOCUS_MAX_DURATION_S   86400
/* task_title (API.md), in characters. */
#define FOCUS_MAX_TITLE_LEN    200
/* If-Match on the routes that act on the open session (API.md "Live
 * state"): a page sends the one tag it shows; a few more cover a client
 * that keeps several. Each tag is at most FOCUS_MAX_ETAG_LEN bytes: ours
 * is the state's version "<uuid>-<bigint>" (sessions_version, at most
 * FOCUS_MAX_VERSION_LEN: 36 + 1 + 20), 61 bytes with W/ and quotes; a
 * longer one can never match and is dropped. */
#define FOCUS_MAX_IF_MATCH_TAGS 8
#define FOCUS_MAX_ETAG_LEN     80
#define FOCUS_MAX_VERSION_LEN  57
/* Page size bounds for every listing (API.md: page_size 1..100). */
#define FOCUS_MAX_PAGE_SIZE    100
#define FOCUS_DEFAULT_PAGE_SIZE 20
/* Pages beyond this would only scan past rows nobody has; also keeps
 * (page - 1) * page_size far from overflow. */
#define FOCUS_MAX_PAGE         1000000
/* Library names (API.md: 1..100 characters) and descriptions. */
#define FOCUS_MAX_LIBRARY_NAME 100
#define FOCUS_MAX_DESCRIPTION  1000
#define FOCUS_MAX_TRACK_TITLE  200
#define FOCUS_MAX_FILENAME     255
#define FOCUS_MAX_URL_LEN      2048
/* Sign-in names and passwords: argon2 accepts more, people need less. */
#define FOCUS_MAX_NAME_LEN     64
#define FOCUS_MAX_PASSWORD_LEN 256
/* A password chosen at sign-up, in characters: NIST SP 800-63B asks for at
 * least 8; issue 19 sets 10 (argon2id makes guessing slow, length makes it
 * hopeless). Passwords set by an operator (focusctl) keep their own rule. */
#define FOCUS_MIN_SIGNUP_PASSWORD_LEN 10
/* Request path and query string lengths we accept (nginx allows 8 KiB
 * request lines; our routes need < 200 bytes). */
#define FOCUS_MAX_PATH_LEN     512
#define FOCUS_MAX_QUERY_LEN    2048
/* Path parameters per route (library id and track id at most), and the
 * longest parameter: a storage key "<uuid>/audio/<uuid>.<ext>". */
#define FOCUS_MAX_PARAMS       2
#define FOCUS_MAX_PARAM_LEN    128
/* A token is 32 random bytes as 64 lowercase hex characters. */
#define FOCUS_TOKEN_BYTES      32
#define FOCUS_TOKEN_HEX        (FOCUS_TOKEN_BYTES * 2)
/* Sign-in attempts (issue 14), counted in a sliding window: the failures
 * of one name from one client address lock that name for that address
 * only, so nobody can lock an account from everywhere and the right
 * password from another address still signs in; failures of one name from
 * all addresses together stop a distributed guesser; failures of one
 * address over all names stop one address spraying a password across
 * accounts. Reaching any of them answers 429 with Retry-After: window.
 * Wrong current passwords of POST /api/auth/password count too. */
#define FOCUS_LOGIN_MAX_FAILURES        10
#define FOCUS_LOGIN_MAX_NAME_FAILURES   100
#define FOCUS_LOGIN_MAX_CLIENT_FAILURES 100
#define FOCUS_LOGIN_WINDOW_S            (15 * 60)
/* Browser sign-ins last this long. */
#define FOCUS_LOGIN_SESSION_DAYS 30
/* Browser sign-ins kept per user: a new one beyond this ends the oldest
 * (API tokens, made by the operator, do not count). */
#define FOCUS_MAX_SIGNINS_PER_USER 20
/* Worker processes one focus-fcgi supervisor keeps (FOCUS_WORKERS); each
 * holds a database connection, and PostgreSQL's default is 100 in all. */
#define FOCUS_MAX_WORKERS      64
/* Connections nginx may have waiting on a pool's FastCGI socket before a
 * worker accepts them (FOCUS_LISTEN_BACKLOG; the supervisor sets it on
 * the socket spawn-fcgi hands it, whatever spawn-fcgi's -b was). A mass
 * reconnect of event streams (nchan restarted, a network blip) is a burst
 * of authorizations, one per stream, each a connect to the API pool; one
 * beyond the queue is refused at once (nginx: 502, then 503 to the
 * client). Linux caps it at net.core.somaxconn (4096 since 5.4; 128
 * before), per network namespace; the supervisor logs what it got. */
#define FOCUS_LISTEN_BACKLOG_DEFAULT 4096
#define FOCUS_LISTEN_BACKLOG_MAX     65535

/* Storage requests (libcurl, src/storage_s3.c) never wait unbounded on a
 * storage server that accepts a connection and then says nothing (frozen,
 * overloaded, a dead link): connecting gets this long, */
#define FOCUS_STORAGE_CONNECT_TIMEOUT_MS 3000
/* a transfer that moves fewer than LOW_SPEED_BYTES per second for
 * LOW_SPEED_TIME_S seconds in a row is given up (a stalled upload or
 * download, whatever its size: nginx has the whole body already, so a
 * slow client never slows the worker's side), */
#define FOCUS_STORAGE_LOW_SPEED_BYTES    1024
#define FOCUS_STORAGE_LOW_SPEED_TIME_S   10
/* and a request without a body (HEAD, DELETE, a listing) ends after this
 * long in all; a body's transfer is bounded by STORAGE_TIMEOUT_S
 * (storage.h), sized for 50 MiB. */
#define FOCUS_STORAGE_SMALL_TIMEOUT_S    10

/* Idempotency-Key (API.md): 1..64 printable ASCII characters, kept 24
 * hours per person. */
#define FOCUS_MAX_IDEMPOTENCY_KEY 64
#define FOCUS_IDEMPOTENCY_TTL_S   (24 * 60 * 60)

/* Settings (API.md "Settings"; CHECKed again in sql/009_cycle.sql): a
 * phase lasts 60 s to a day, a cycle 1..12 focus sessions, a daily goal
 * 0..48 sessions (a day of 30-minute sessions); the longest IANA zone
 * name PostgreSQL lists has 32 bytes, 64 leaves room. */
#define FOCUS_MIN_PHASE_S      60
#define FOCUS_MAX_CYCLE        12
#define FOCUS_MAX_DAILY_GOAL   48
#define FOCUS_MAX_TIME_ZONE    64

/* Live state (src/publish.c, src/timer.c). A publish to nchan goes over a
 * local unix socket and takes well under a millisecond; past this it is
 * a failure (logged), never a wait that holds up the timer's next tick
 * for long. */
#define FOCUS_PUBLISH_TIMEOUT_MS   1000
/* A channel id is a user's uuid (36 characters). */
#define FOCUS_CHANNEL_LEN          36
/* People whose new state the timer publishes per database round trip;
 * more notifications wait for the next one. */
#define FOCUS_TIMER_MAX_BATCH      500
/* The timer sleeps at most this long with nothing due (a safety net for
 * a lost notification) and retries a lost LISTEN connection after
 * FOCUS_TIMER_RETRY_MS. */
#define FOCUS_TIMER_MAX_SLEEP_MS   5000
#define FOCUS_TIMER_RETRY_MS       500
/* The person's own time (API.md "Stats, series and progress"): a stats
 * range spans at most a leap year of local days, a series at most as many
 * buckets (a year of days; its weeks and months may span longer). */
#define FOCUS_MAX_RANGE_DAYS      366
#define FOCUS_MAX_SERIES_BUCKETS  366

#endif
