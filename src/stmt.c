/*
 * stmt.c: the statement registry (see stmt.h). Each row says what the
 * statement is for, the index its plan must use (checked by
 * t/stack/plans.sh on seeded data, so this cannot rot) and the plan shape.
 *
 * Shared pieces are macros so every statement authenticates the same way:
 *   CTE_ME       the caller, from the SHA-256 of the token ($1);
 *                sessions_pkey
 *   FROM_ME      one row even when the token matched nothing, so the
 *                outcome column can say 'unauthorized'
 *
 * Reads take the caller as a join instead (FROM_CALLER, FROM_CALLER_OPEN):
 * one Nested Loop of index scans, no CTE to materialize.
 *
 * Time's up (sql/009_cycle.sql focus_catch_up) runs before every session
 * statement, in the same transaction and the same round trip: db.c
 * pipelines STMT_LOCK_USER (writes that insert a session) or
 * STMT_CATCH_UP (the other session statements) in front of it. A
 * statement sees one snapshot, taken when it starts, so a catch-up inside
 * it could not show its own changes to the rest of it; the statement
 * pipelined after it takes its snapshot once the catch-up is done.
 */
#include <stddef.h>
#include <string.h>

#include "stmt.h"

/* API.md: a token is valid while a sessions row s has its SHA-256 ($1)
 * and expires_at lies ahead */
#define TOKEN_VALID(s) s ".token_hash = $1::bytea AND " s ".expires_at > now()"
#define CTE_ME \
	"me AS (SELECT s.user_id FROM sessions s WHERE " TOKEN_VALID("s") ")"
#define FROM_CALLER \
	"FROM (VALUES (1)) AS one\n" \
	"LEFT JOIN sessions me ON " TOKEN_VALID("me") "\n"
/* ... and their open session o (NULL when there is none) */
#define FROM_CALLER_OPEN FROM_CALLER \
	"LEFT JOIN focus_sessions o ON o.user_id = me.user_id AND o.open\n"
#define FROM_ME "FROM (VALUES (1)) AS one LEFT JOIN me ON true\n"
#define AUTHED "CASE WHEN me.user_id IS NULL THEN 'unauthorized' "
/* A session's columns for the worker to render (render.h enum
 * session_col, same order): as stored, and the statement's now(), from
 * which the worker works out the status a reader sees and the time left. */
#define SESSION_STORED(a) \
	a ".id, " a ".mode, " a ".duration_seconds, " a ".started_at, " a ".expires_at, " \
	a ".paused_at, " a ".completed_at, " a ".abandoned_at, " a ".status, " \
	a ".focused_seconds, " a ".xp_awarded, " a ".coins_awarded, " a ".task_id, " a ".task_title, " \
	a ".cycle_position, " a ".source"
#define SESSION_COLS(a) SESSION_STORED(a) ", now()"
/* The whole seconds left on the session being closed, at most its
 * duration: a resume that commits after a complete's snapshot moves
 * expires_at by a pause that, by the complete's now(), had not ended yet,
 * and the complete re-reads that newer row (READ COMMITTED). Unclamped, the
 * focused time and the rewards would come out negative. */
#define LEFT_AT_CLOSE "least(f.duration_seconds, focus_remaining_s(f.expires_at, f.paused_at, now()))"
/* The settings' columns for the worker to render (settings.c, same
 * order as API.md's table). */
#define SETTINGS_COLS(a) \
	a ".focus_seconds::integer, " a ".short_break_seconds::integer, " a ".long_break_seconds::integer, " \
	a ".long_break_every, " a ".auto_start_breaks, " a ".auto_start_focus, " a ".daily_goal, " \
	a ".time_zone, " a ".day_start_hour, " a ".week_start"
/* A library's columns for the worker to render (render.h enum
 * library_col, same order); n is its track count (bigint). */
#define LIBRARY_COLS(a, n) \
	a ".id, " a ".name, " a ".description, " a ".library_type, " n " AS tracks_count, " a ".is_favorite, " \
	a ".created_at, " a ".updated_at"
/* the tracks of library a, counted (focus_tracks_library) */
#define TRACKS_OF(a) "(SELECT count(*) FROM focus_tracks t WHERE t.library_id = " a ".id)"
/* A track's columns (render.h enum track_col, same order). */
#define TRACK_COLS(a) \
	a ".id, " a ".library_id, " a ".track_title, " a ".track_url, " a ".mime_type, " \
	a ".size_bytes, " a ".duration_seconds, " a ".storage_key, " a ".added_at"
/* The recent sign-in failures (limits.h) as three columns: of the name
 * from this client, of the name from anywhere, of this client for any
 * name; within the window (seconds). */
#define RECENT_FAILURES(name, client, window) \
	"(SELECT count(*) FROM login_failures l WHERE l.name = " name " AND l.client = " client "\n" \
	"	   AND l.failed_at > now() - make_interval(secs => " window "::integer)) AS pair_failures,\n" \
	"	(SELECT count(*) FROM login_failures l WHERE l.name = " name "\n" \
	"	   AND l.failed_at > now() - make_interval(secs => " window "::integer)) AS name_failures,\n" \
	"	(SELECT count(*) FROM login_failures l WHERE l.client = " client "\n" \
	"	   AND l.failed_at > now() - make_interval(secs => " window "::integer)) AS client_failures"
/* the caller's open session as the statement's snapshot sees it */
#define OPEN_SESSION \
	"SELECT 1 FROM focus_sessions f WHERE f.user_id = me.user_id AND f.open"

/* If-Match (API.md "Live state"): p is a text[] parameter of the opaque
 * tags the client sent (W/ removed by the worker), NULL when it sent none
 * (or "*"): no precondition. "pre" holds one row, ok: the person's state
 * still has one of those tags, built as sessions_etag builds it ("<user
 * id>-<version>"). The version is read under a row lock on the person's
 * focus_state row, taken after the open session's (the order in which
 * every writer takes them: its session rows, then sql/012_live.sql's
 * trigger bumps focus_state last), so the version compared is the newest
 * committed one and no change can commit between the comparison and this
 * statement's write; and with no If-Match nothing is locked ("pre" is
 * true before "vs" is read). A person without a focus_state row is at
 * version 0. */
#define CTE_PRECONDITION(p) \
	"held AS (SELECT f.id FROM me JOIN focus_sessions f ON f.user_id = me.user_id AND f.open\n" \
	"	WHERE " p "::text[] IS NOT NULL FOR NO KEY UPDATE OF f),\n" \
	"vs AS (SELECT v.version FROM me JOIN focus_state v ON v.user_id = me.user_id\n" \
	"	WHERE " p "::text[] IS NOT NULL AND (SELECT count(*) FROM held) >= 0 FOR NO KEY UPDATE OF v),\n" \
	"pre AS (SELECT " p "::text[] IS NULL\n" \
	"	OR ('\"' || me.user_id || '-' || coalesce((SELECT vs.version FROM vs), 0) || '\"') = ANY (" p "::text[]) AS ok\n" \
	"	FROM me)"
/* the outcome of a precondition that does not hold (412), nothing done */
#define PRE_FAILED "WHEN NOT coalesce((SELECT ok FROM pre), true) THEN 'precondition_failed'\n"
#define PRE_HOLDS "coalesce((SELECT ok FROM pre), true)"

/* Closing sessions (complete, abandon) with their rewards, shared by
 * sessions_update, next and history_batch; `req` is a CTE "req (id,
 * action, idx)" of the items to close (after any CTEs it needs), and
 * `more_bad` adds the request's other items that cannot apply ("UNION ALL
 * SELECT idx, outcome ...", or ""). Either every item applies or none: a missing or closed item
 * stops the updates and is named by its index ("bad"); a row changed by a
 * concurrent request after the statement's snapshot makes focus_assert
 * raise 40001 (retried). A complete of a session its timer completed
 * (focus_timer_completions) changes nothing and answers that completion
 * as recorded ("replayed", "rec"). The CTEs leave "closes": one per item,
 * its idx and action, then the session's columns. `skip` is a uuid[] of
 * the sessions the statement deletes (NULL: none), for the streak its
 * answer gives, which is the one GET /api/focus/progress gives right
 * after (sql/015_streak_local.sql). */
#define CLOSE_CTES(req, more_bad, skip) \
	req ",\n" \
	"snap AS (\n" \
	"	SELECT r.idx, r.id, f.id IS NOT NULL AS found, coalesce(f.open, false) AS open,\n" \
	"	       r.action = 'complete' AND t.session_id IS NOT NULL AS replay,\n" \
	"	       t.new_level, t.leveled_up, t.streak_current, t.streak_longest\n" \
	"	FROM req r CROSS JOIN me LEFT JOIN focus_sessions f ON f.id = r.id AND f.user_id = me.user_id\n" \
	"	LEFT JOIN focus_timer_completions t ON t.session_id = f.id),\n" \
	"bad AS (SELECT idx, outcome FROM (\n" \
	"	SELECT idx, CASE WHEN found THEN 'conflict' ELSE 'not_found' END AS outcome\n" \
	"	FROM snap WHERE NOT (found AND (open OR replay))" more_bad ") b ORDER BY idx LIMIT 1),\n" \
	"done AS (\n" \
	"	UPDATE focus_sessions f SET\n" \
	"		status = CASE r.action WHEN 'complete' THEN 'completed' ELSE 'abandoned' END,\n" \
	"		completed_at = CASE r.action WHEN 'complete' THEN now() END,\n" \
	"		abandoned_at = CASE r.action WHEN 'abandon' THEN now() END,\n" \
	"		focused_seconds = CASE r.action WHEN 'complete'\n" \
	"			THEN f.duration_seconds - " LEFT_AT_CLOSE " END,\n" \
	"		xp_awarded = CASE r.action WHEN 'complete'\n" \
	"			THEN focus_reward_xp(f.mode, f.duration_seconds, " LEFT_AT_CLOSE ") ELSE 0 END,\n" \
	"		coins_awarded = CASE r.action WHEN 'complete'\n" \
	"			THEN focus_reward_coins(f.mode, f.duration_seconds, " LEFT_AT_CLOSE ") ELSE 0 END,\n" \
	"		paused_at = NULL\n" \
	"	FROM req r, me\n" \
	"	WHERE f.id = r.id AND f.user_id = me.user_id AND f.open\n" \
	"	  AND NOT EXISTS (SELECT 1 FROM bad)\n" \
	"	RETURNING r.idx, r.action, f.*),\n" \
	"replayed AS (\n" \
	"	SELECT s.idx, 'complete'::text AS action, f.* FROM snap s JOIN focus_sessions f ON f.id = s.id\n" \
	"	WHERE s.replay AND NOT EXISTS (SELECT 1 FROM bad)),\n" \
	"closes AS (SELECT * FROM done UNION ALL SELECT * FROM replayed),\n" \
	"rec AS (SELECT new_level, leveled_up, streak_current, streak_longest\n" \
	"	FROM snap WHERE replay AND NOT EXISTS (SELECT 1 FROM bad) ORDER BY idx LIMIT 1),\n" \
	"recsum AS (SELECT sum(xp_awarded) AS xp, sum(coins_awarded) AS coins FROM replayed),\n" \
	"ledger AS (\n" \
	"	INSERT INTO points_ledger (user_id, session_id, idempotency_key, xp, coins)\n" \
	"	SELECT d.user_id, d.id, 'focus_complete:' || d.id, d.xp_awarded, d.coins_awarded\n" \
	"	FROM done d WHERE d.action = 'complete'\n" \
	"	ON CONFLICT (idempotency_key) DO NOTHING\n" \
	"	RETURNING session_id, xp, coins),\n" \
	"gain AS (\n" \
	"	SELECT me.user_id, sum(l.xp) AS xp, sum(l.coins) AS coins,\n" \
	"	       bool_or(d.mode = 'focus') AS focused\n" \
	"	FROM me JOIN ledger l ON true JOIN done d ON d.id = l.session_id\n" \
	"	GROUP BY me.user_id),\n" \
	"progress AS (\n" \
	"	INSERT INTO user_progress AS p (user_id, xp, level)\n" \
	"	SELECT user_id, xp, focus_level_for_xp(xp) FROM gain\n" \
	"	ON CONFLICT (user_id) DO UPDATE SET xp = p.xp + excluded.xp,\n" \
	"		level = focus_level_for_xp(p.xp + excluded.xp), updated_at = now()\n" \
	"	RETURNING p.xp, p.level),\n" \
	"wallet AS (\n" \
	"	INSERT INTO user_wallet AS w (user_id, coins) SELECT user_id, coins FROM gain\n" \
	"	ON CONFLICT (user_id) DO UPDATE SET coins = w.coins + excluded.coins, updated_at = now()\n" \
	"	RETURNING w.coins),\n" \
		/* The streak (sql/015_streak_local.sql): the person's zone and day \
	 * start, and the local day of the focus session this statement \
	 * completed and granted (NULL: none), which the snapshot does not \
	 * show as completed; `skip` the sessions the statement deletes, which \
	 * it still shows. "sk" is the streak after the statement: the cache \
	 * moved on, or the sessions counted; stored when it moved on or was \
	 * counted, and only when the statement closed a session. */ \
	"zone AS (SELECT st.time_zone, st.day_start_hour, focus_local_day(now(), st.time_zone, st.day_start_hour) AS today\n" \
	"	FROM me JOIN focus_settings st ON st.user_id = me.user_id),\n" \
	/* (skip reaches the function as a column of a materialized CTE: a \
	 * sub-select in its arguments would keep PostgreSQL from inlining it) */ \
	"skipped AS MATERIALIZED (SELECT " skip " AS ids),\n" \
	"sk AS (\n" \
	"	SELECT k.*, g.day FROM zone z CROSS JOIN me CROSS JOIN skipped x\n" \
	"	CROSS JOIN LATERAL (SELECT min(focus_local_day(d.started_at, z.time_zone, z.day_start_hour)) AS day\n" \
	"		FROM ledger l JOIN done d ON d.id = l.session_id WHERE d.mode = 'focus') g\n" \
	"	CROSS JOIN LATERAL focus_streak_after(me.user_id, z.time_zone, z.day_start_hour, g.day, x.ids) k),\n" \
	/* over the row as read (generation): not over one a delete marked \
	 * stale since the snapshot. Only by a statement that closed the open \
	 * session ("done"), under its lock, so that no completion can commit \
	 * beside it: a store does not move the generation on, and a count \
	 * taken by one that closed nothing (a batch of edits, a 412, next \
	 * with nothing open) from a snapshot without a concurrent completion \
	 * would be stored over that completion's and lose its day. */ \
	"streak AS (\n" \
	"	INSERT INTO user_streaks AS s (user_id, current_days, longest_days, last_day, time_zone, day_start_hour,\n" \
	"		generation)\n" \
	"	SELECT me.user_id, k.current_days, k.longest_days, k.last_day, z.time_zone, z.day_start_hour, k.generation\n" \
	"	FROM me, zone z, sk k\n" \
	"	WHERE k.last_day IS NOT NULL AND (NOT k.cached OR k.day IS NOT NULL) AND EXISTS (SELECT 1 FROM done)\n" \
	"	ON CONFLICT (user_id) DO UPDATE SET current_days = excluded.current_days,\n" \
	"		longest_days = excluded.longest_days, last_day = excluded.last_day,\n" \
	"		time_zone = excluded.time_zone, day_start_hour = excluded.day_start_hour\n" \
	"	WHERE s.generation = excluded.generation),\n" \
	"old AS (\n" \
	"	SELECT coalesce((SELECT p.level FROM user_progress p WHERE p.user_id = me.user_id), 1) AS level,\n" \
	"	       (SELECT focus_streak_current(k.last_day, k.current_days, z.today) FROM sk k, zone z) AS streak_current,\n" \
	"	       (SELECT k.longest_days FROM sk k) AS streak_longest,\n" \
	"	       coalesce((SELECT k.day IS NOT NULL FROM sk k), false) AS streak_moved\n" \
	"	FROM me),\n" \
	/* an unknown caller does nothing and is told so (401), not retried */ \
	"checked AS (\n" \
	"	SELECT focus_assert(NOT EXISTS (SELECT 1 FROM me) OR EXISTS (SELECT 1 FROM bad)\n" \
	"	                    OR (SELECT count(*) FROM closes) = (SELECT count(*) FROM req), 'session') AS ok)\n"
/* The columns of a close (sessions.c UPD_*): outcome, user_id, the first
 * item that cannot apply, the request's totals (what it granted, and what
 * the replayed completions had granted), then per row (of "closes" d) the
 * item's action and its session. */
#define CLOSE_COLS CLOSE_COLS_IF("")
/* ... with more cases (PRE_FAILED) between unauthorized and the rest */
#define CLOSE_COLS_IF(cases) \
	"SELECT CASE WHEN me.user_id IS NULL THEN 'unauthorized' " cases "WHEN NOT checked.ok THEN 'conflict'\n" \
	"            ELSE coalesce((SELECT outcome FROM bad), 'ok') END AS outcome,\n" \
	"       me.user_id, (SELECT idx FROM bad) AS bad_index,\n" \
	"       coalesce((SELECT xp FROM gain), 0) + coalesce((SELECT xp FROM recsum), 0) AS xp,\n" \
	"       coalesce((SELECT coins FROM gain), 0) + coalesce((SELECT coins FROM recsum), 0) AS coins,\n" \
	"       coalesce((SELECT level FROM progress), (SELECT new_level FROM rec), old.level) AS new_level,\n" \
	"       CASE WHEN EXISTS (SELECT 1 FROM progress) THEN (SELECT level FROM progress) <> old.level\n" \
	"            ELSE coalesce((SELECT leveled_up FROM rec), false) END AS leveled_up,\n" \
	"       CASE WHEN old.streak_moved THEN old.streak_current\n" \
	"            ELSE coalesce((SELECT streak_current FROM rec), old.streak_current, 0) END AS streak_current,\n" \
	"       CASE WHEN old.streak_moved THEN old.streak_longest\n" \
	"            ELSE coalesce((SELECT streak_longest FROM rec), old.streak_longest, 0) END AS streak_longest,\n" \
	"       d.action, " SESSION_COLS("d")
#define CLOSE_FROM \
	"FROM (VALUES (1)) AS one LEFT JOIN me ON true LEFT JOIN old ON true CROSS JOIN checked\n" \
	"LEFT JOIN closes d ON true\n"

/* Result shapes (stmt.h struct stmt_shape): the columns each macro above
 * selects, with their names and types as PostgreSQL describes them
 * (db.c checks them at connect). Type OIDs from pg_type.h. */
#define BOOL  16
#define BYTEA 17
#define INT8  20
#define INT4  23
#define TEXT  25
#define TS    1184
#define UUID  2950
#define SHAPE(total_col, object_col, ...) { (const struct stmt_col[]){ __VA_ARGS__ }, \
	(int)(sizeof((const struct stmt_col[]){ __VA_ARGS__ }) / sizeof(struct stmt_col)), \
	total_col, object_col }
#define NO_ROWS { NULL, 0, -1, -1 }
/* outcome and user_id, first in every route statement */
#define ROUTE_COLS { "outcome", TEXT }, { "user_id", UUID }
/* SESSION_COLS (render.h enum session_col) */
#define SESSION_SHAPE \
	{ "id", UUID }, { "mode", TEXT }, { "duration_seconds", INT4 }, { "started_at", TS }, \
	{ "expires_at", TS }, { "paused_at", TS }, { "completed_at", TS }, { "abandoned_at", TS }, \
	{ "status", TEXT }, { "focused_seconds", INT4 }, { "xp_awarded", INT4 }, \
	{ "coins_awarded", INT4 }, { "task_id", UUID }, { "task_title", TEXT }, { "cycle_position", INT4 }, { "source", TEXT }, \
	{ "now", TS }
/* LIBRARY_COLS (render.h enum library_col) */
#define LIBRARY_SHAPE \
	{ "id", UUID }, { "name", TEXT }, { "description", TEXT }, { "library_type", TEXT }, \
	{ "tracks_count", INT8 }, { "is_favorite", BOOL }, { "created_at", TS }, { "updated_at", TS }
/* TRACK_COLS (render.h enum track_col) */
#define TRACK_SHAPE \
	{ "id", UUID }, { "library_id", UUID }, { "track_title", TEXT }, { "track_url", TEXT }, \
	{ "mime_type", TEXT }, { "size_bytes", INT8 }, { "duration_seconds", INT4 }, \
	{ "storage_key", TEXT }, { "added_at", TS }
/* RECENT_FAILURES */
#define FAILURES_SHAPE { "pair_failures", INT8 }, { "name_failures", INT8 }, { "client_failures", INT8 }
/* CLOSE_COLS: the request's columns, then the item's action and session */
#define CLOSE_SHAPE \
	ROUTE_COLS, { "bad_index", INT8 }, { "xp", INT8 }, { "coins", INT8 }, \
	{ "new_level", INT4 }, { "leveled_up", BOOL }, { "streak_current", INT4 }, { "streak_longest", INT4 }, \
	{ "action", TEXT }, SESSION_SHAPE
/* SETTINGS_COLS (settings.c, a domain's column as its base type) */
#define SETTINGS_SHAPE \
	{ "focus_seconds", INT4 }, { "short_break_seconds", INT4 }, { "long_break_seconds", INT4 }, \
	{ "long_break_every", INT4 }, { "auto_start_breaks", BOOL }, { "auto_start_focus", BOOL }, \
	{ "daily_goal", INT4 }, { "time_zone", TEXT }, { "day_start_hour", INT4 }, { "week_start", TEXT }
/* /active's columns after outcome and user_id (sessions.c render_active):
 * the open session, the cycle's next phase, the state's version
 * (sql/012_live.sql focus_state; 0 before the person's first change) */
#define ACTIVE_COLS(a) SESSION_COLS(a) ",\n" \
	"	nx.mode AS next_mode, nx.duration_seconds AS next_duration_seconds,\n" \
	"	nx.cycle_position AS next_cycle_position, nx.auto_start AS next_auto_start,\n" \
	"	coalesce(vs.version, 0) AS version"
#define ACTIVE_SHAPE \
	SESSION_SHAPE, { "next_mode", TEXT }, { "next_duration_seconds", INT4 }, \
	{ "next_cycle_position", INT4 }, { "next_auto_start", BOOL }, { "version", INT8 }
/* stats_local's counts, as session_stats names them */
#define STATS_SHAPE \
	{ "completed", INT8 }, { "abandoned", INT8 }, { "total", INT8 }, \
	{ "focus_seconds", INT8 }, { "xp", INT8 }, { "coins", INT8 }
/* one series bucket (localtime.c) */
#define BUCKET_SHAPE \
	{ "start", TEXT }, { "completed_focus", INT8 }, { "focus_seconds", INT8 }, \
	{ "completed_sessions", INT8 }, { "abandoned_sessions", INT8 }, { "xp_earned", INT8 }
/* one exported session (export.c), every column text */
#define EXPORT_SHAPE \
	{ "id", UUID }, { "mode", TEXT }, { "status", TEXT }, { "source", TEXT }, { "started_at", TEXT }, \
	{ "started_local", TEXT }, { "ended_at", TEXT }, { "duration_seconds", INT4 }, \
	{ "focused_seconds", INT4 }, { "xp_awarded", INT4 }, { "coins_awarded", INT4 }, \
	{ "task_id", UUID }, { "task_title", TEXT }
/* a delete's row: the deleted row's id and a storage key (or NULL) */
#define DELETED_SHAPE { "id", UUID }, { "storage_key", TEXT }

/* The person's own time (sql/011_localtime.sql): the caller joined to
 * their settings, whose zone, day start and week start every local date
 * is counted in. */
#define FROM_CALLER_SETTINGS FROM_CALLER \
	"LEFT JOIN focus_settings st ON st.user_id = me.user_id\n"
/* the caller's sessions f started within local dates a..b (inclusive),
 * as a range of started_at: focus_sessions_user_started */
#define STARTED_WITHIN(f, a, b, zone, hour) \
	f ".started_at >= focus_day_start(" a ", " zone ", " hour ")\n" \
	"	  AND " f ".started_at < focus_day_start(" b " + 1, " zone ", " hour ")"
/* The counts of stats, series and progress over sessions f. */
#define COMPLETED_FOCUS(f) f ".status = 'completed' AND " f ".mode = 'focus'"
/* A timestamp as API.md writes them: RFC 3339, UTC, milliseconds, Z. */
#define UTC_TEXT(ts) "to_char((" ts ") AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"

const struct stmt_def stmt_table[STMT__MAX] = {
[STMT_HEALTH] = { "health", "SELECT 1 AS ok", 0, STMT_IDEMPOTENT,
	"GET /api/health: the database answers.", "", "Result",
	.shape = SHAPE(-1, -1, { "ok", INT4 }) },

[STMT_LOCK_USER] = { "lock_user",
	/* NO KEY UPDATE: queues writers of this user, yet does not block the
	 * KEY SHARE locks that foreign keys to users take */
	/* the catch-up after the lock (the CTE is scanned first): a
	 * target-list call would run below LockRows, before the wait */
	"WITH u AS (SELECT u.id FROM sessions s JOIN users u ON u.id = s.user_id\n"
	"	WHERE " TOKEN_VALID("s") " FOR NO KEY UPDATE OF u)\n"
	"SELECT u.id, focus_catch_up(u.id) AS caught_up FROM u",
	1, 0,
	"Start and next: serialize one user's starts and catch the cycle up to now (time's up, auto-start), "
	"pipelined before the write in one round trip.",
		"sessions_pkey", "LockRows / Index Scan using sessions_pkey",
	.shape = SHAPE(-1, -1, { "id", UUID }, { "caught_up", INT4 }) },

[STMT_AUTH_ME] = { "auth_me",
	"SELECT " AUTHED "ELSE 'ok' END AS outcome, me.user_id,\n"
	"	(SELECT u.name FROM users u WHERE u.id = me.user_id)\n"
	FROM_CALLER, 1, STMT_IDEMPOTENT | STMT_BINARY,
	"GET /api/auth/me: the caller's user.", "sessions_pkey", "Index Scan using sessions_pkey",
	.shape = SHAPE(-1, 2, ROUTE_COLS, { "name", TEXT }) },

[STMT_AUTH_LOGIN_LOOKUP] = { "auth_login_lookup",
	"SELECT u.id, u.password_hash,\n"
	"	" RECENT_FAILURES("$1", "$2", "$3") "\n"
	"FROM (VALUES (1)) AS one LEFT JOIN users u ON u.name = $1",
	3, STMT_IDEMPOTENT,
	"POST /api/auth/login, step 1: the user's password hash and the recent failures "
	"of the name from this client, of the name, and of this client (limits.h).",
	"login_failures_name_client", "Index Only Scan using login_failures_name_client",
	.shape = SHAPE(-1, -1, { "id", UUID }, { "password_hash", TEXT }, FAILURES_SHAPE) },

[STMT_AUTH_LOGIN_OK] = { "auth_login_ok",
	/* 006_auth.sql: the user's row lock, the cap on sign-ins, and no
	 * sign-in once the verified hash ($3) is no longer the user's */
	"SELECT focus_sign_in($2::uuid, $1::bytea, $3::text, $4::integer, $5::integer) AS signed_in",
	5, 0,
	"POST /api/auth/login, step 2: store the new token's hash as a sign-in, end the oldest beyond the cap "
	"(and drop the user's expired ones).",
	"", "Result",
	.shape = SHAPE(-1, -1, { "signed_in", BOOL }) },

[STMT_AUTH_LOGIN_FAILED] = { "auth_login_failed",
	"WITH old AS (DELETE FROM login_failures WHERE failed_at < now() - make_interval(secs => $3::integer) AND (name = $1 OR client = $2))\n"
	"INSERT INTO login_failures (name, client) VALUES ($1, $2)",
	3, 0,
	"POST /api/auth/login and /api/auth/password, step 2 on a wrong password: count the failure (and forget old ones).",
	"login_failures_name_client", "Insert on login_failures",
	.shape = NO_ROWS },

[STMT_AUTH_LOGOUT] = { "auth_logout",
	"WITH " CTE_ME ",\n"
	"gone AS (DELETE FROM sessions s USING me WHERE s.token_hash = $1 RETURNING s.user_id)\n"
	"SELECT " AUTHED "ELSE 'ok' END AS outcome, me.user_id\n"
	FROM_ME, 1, STMT_IDEMPOTENT,
	"POST /api/auth/logout: delete the caller's session row.", "sessions_pkey",
	"Delete on sessions / Index Scan using sessions_pkey",
	.shape = SHAPE(-1, -1, ROUTE_COLS) },

[STMT_SESSION_START] = { "session_start",
	"WITH " CTE_ME ",\n"
	/* any open session of the caller is abandoned (the catch-up before
	 * this statement completed one whose timer ran out); closed before
	 * the insert so that focus_sessions_one_open sees the slot free */
	"closed AS (\n"
	"	UPDATE focus_sessions f SET status = 'abandoned', abandoned_at = now(), paused_at = NULL\n"
	"	FROM me WHERE f.user_id = me.user_id AND f.open\n"
	"	RETURNING f.id),\n"
	/* no duration ($3 NULL): the mode's, from the settings; a focus
	 * session takes its place in the cycle */
	"dur AS (\n"
	"	SELECT me.user_id, coalesce($3::integer, CASE $2::text WHEN 'focus' THEN st.focus_seconds\n"
	"		WHEN 'break' THEN st.short_break_seconds ELSE st.long_break_seconds END) AS secs\n"
	"	FROM me JOIN focus_settings st ON st.user_id = me.user_id),\n"
	"ins AS (\n"
	"	INSERT INTO focus_sessions AS f (user_id, mode, duration_seconds, started_at, expires_at, task_id, task_title, cycle_position)\n"
	"	SELECT dur.user_id, $2::text, dur.secs, now(), now() + make_interval(secs => dur.secs), $4::uuid, $5::text,\n"
	"		CASE WHEN $2::text = 'focus' THEN focus_next_position(dur.user_id) END FROM dur\n"
	"	WHERE (SELECT count(*) FROM closed) >= 0\n"
	"	RETURNING f.*)\n"
	"SELECT " AUTHED "ELSE 'ok' END AS outcome, me.user_id, " SESSION_COLS("x") "\n"
	FROM_ME "LEFT JOIN ins x ON true\n", 5, STMT_RETRY_RACE | STMT_USER_LOCK | STMT_BINARY,
	"POST /api/focus: end the caller's open session and start a new one, in one statement. "
	"Concurrent starts queue on the user lock (STMT_USER_LOCK); focus_sessions_one_open is the invariant, and a start that still collides runs again.",
	"focus_sessions_one_open", "Insert on focus_sessions / Index Scan using focus_sessions_one_open",
	.shape = SHAPE(-1, 2, ROUTE_COLS, SESSION_SHAPE) },

[STMT_SESSION_LIST] = { "session_list",
	/* One row per session of the page, newest first, or one row of NULL
	 * session columns when the page is empty. Every row carries the
	 * outcome and the exact total, computed once in the aggregate "head"
	 * (so lazy expiry and the count run once, not per row). */
	"SELECT head.outcome, me.user_id, head.total, " SESSION_COLS("pg") "\n"
	FROM_CALLER
	"LEFT JOIN LATERAL (SELECT " AUTHED "ELSE 'ok' END AS outcome, count(*) AS total\n"
	"	FROM focus_sessions f WHERE f.user_id = me.user_id) AS head ON true\n"
	/* the page carries only the columns the worker renders, not f.*,
	 * whose unused columns the planner would carry as NULLs through the
	 * Limit and the Sort */
	"LEFT JOIN LATERAL (SELECT " SESSION_STORED("f") " FROM focus_sessions f WHERE f.user_id = me.user_id\n"
	"	ORDER BY f.started_at DESC, f.id DESC LIMIT $2::integer OFFSET $3::integer) AS pg ON true\n"
	"ORDER BY pg.started_at DESC, pg.id DESC", 3, STMT_IDEMPOTENT | STMT_BINARY | STMT_CAUGHT_UP,
	"GET /api/focus: a page of the caller's sessions, newest first, with the exact total.",
	"focus_sessions_user_started", "Index Scan using focus_sessions_user_started",
	.shape = SHAPE(2, 3, ROUTE_COLS, { "total", INT8 }, SESSION_SHAPE) },

[STMT_SESSION_STATS] = { "session_stats",
	"SELECT " AUTHED "ELSE 'ok' END AS outcome, me.user_id,\n"
	"	t.completed, t.abandoned, t.total, t.focus_seconds, t.xp, t.coins\n"
	FROM_CALLER
	/* the catch-up before it (STMT_CATCH_UP) completed what ran out: the
	 * stored status is the one a reader sees */
	"LEFT JOIN LATERAL (SELECT count(*) FILTER (WHERE f.status = 'completed') AS completed,\n"
	"		count(*) FILTER (WHERE f.status = 'abandoned') AS abandoned,\n"
	"		count(*) AS total,\n"
	"		coalesce(sum(f.focused_seconds) FILTER (WHERE f.status = 'completed' AND f.mode = 'focus'), 0) AS focus_seconds,\n"
	"		coalesce(sum(f.xp_awarded), 0) AS xp,\n"
	"		coalesce(sum(f.coins_awarded), 0) AS coins\n"
	"	 FROM focus_sessions f\n"
	"	 WHERE f.user_id = me.user_id AND f.started_at >= coalesce(now() - $2::interval, '-infinity')) AS t ON true\n",
	2, STMT_IDEMPOTENT | STMT_BINARY | STMT_CAUGHT_UP,
	"GET /api/focus/stats: counts and sums over the caller's sessions started in the period ($2 NULL: all time).",
	"focus_sessions_user_started", "Index Scan using focus_sessions_user_started",
	.shape = SHAPE(-1, 2, ROUTE_COLS, { "completed", INT8 }, { "abandoned", INT8 }, { "total", INT8 },
	    { "focus_seconds", INT8 }, { "xp", INT8 }, { "coins", INT8 }) },

[STMT_SESSION_ACTIVE] = { "session_active",
	/* the pause state is read from the same row; then what the cycle
	 * does next (sql/009_cycle.sql focus_next) and the state's version
	 * (sql/012_live.sql), the ETag */
	"SELECT " AUTHED "ELSE 'ok' END AS outcome, me.user_id, " ACTIVE_COLS("o") "\n"
	FROM_CALLER_OPEN
	"LEFT JOIN LATERAL focus_next(me.user_id) nx ON true\n"
	"LEFT JOIN focus_state vs ON vs.user_id = me.user_id\n", 1, STMT_IDEMPOTENT | STMT_BINARY | STMT_CAUGHT_UP,
	"GET /api/focus/active, GET /api/focus/pause and the events' authorization: the caller's open session, "
	"its pause state, the cycle's next phase and the state's version.",
		"focus_sessions_one_open", "Index Scan using focus_sessions_one_open",
	.shape = SHAPE(-1, 2, ROUTE_COLS, ACTIVE_SHAPE) },

[STMT_STATE_OF] = { "state_of",
	/* $1 uuid[]: the people the timer process was told of (NOTIFY
	 * focus_state); one row each, the same columns as session_active, so
	 * that an event's data is rendered exactly as /active is */
	"SELECT 'ok'::text AS outcome, u.id AS user_id, " ACTIVE_COLS("o") "\n"
	"FROM unnest($1::uuid[]) AS u (id)\n"
	"LEFT JOIN focus_sessions o ON o.user_id = u.id AND o.open\n"
	"LEFT JOIN LATERAL focus_next(u.id) nx ON true\n"
	"LEFT JOIN focus_state vs ON vs.user_id = u.id\n", 1, STMT_IDEMPOTENT | STMT_BINARY,
	"The timer process: the /active object of each person whose state changed, to publish to nchan.",
		"focus_sessions_one_open", "Index Scan using focus_sessions_one_open",
	.shape = SHAPE(-1, 2, ROUTE_COLS, ACTIVE_SHAPE) },

[STMT_TIMER_TICK] = { "timer_tick",
	/* everyone with something due, from the two partial indexes of
	 * sql/012_live.sql; focus_catch_up locks and looks again, so two
	 * timer processes (or a reader's lazy catch-up) never apply one
	 * transition twice */
	"SELECT d.user_id, focus_catch_up(d.user_id) AS caught_up FROM (\n"
	"	SELECT f.user_id FROM focus_sessions f WHERE f.status = 'active' AND f.expires_at <= now()\n"
	"	UNION\n"
	"	SELECT f.user_id FROM focus_sessions f WHERE f.status = 'paused' AND f.paused_at < now() - interval '24 hours') d",
	0, STMT_ADMIN | STMT_IDEMPOTENT,
	"The timer process, each tick: time's up, auto-start and a pause's expiry for everyone with something due, in one statement.",
		"focus_sessions_active_expires", "Index Scan using focus_sessions_active_expires",
	.shape = SHAPE(-1, -1, { "user_id", UUID }, { "caught_up", INT4 }) },

[STMT_TIMER_NEXT] = { "timer_next",
	/* milliseconds (by the database's clock, which now() is on) until the
	 * next deadline, NULL when nothing runs; and whether this process
	 * holds the publisher's lock (taken when free; held until its
	 * connection ends) */
	"SELECT ceil(extract(epoch FROM least(\n"
	"	(SELECT min(f.expires_at) FROM focus_sessions f WHERE f.status = 'active'),\n"
	"	(SELECT min(f.paused_at) FROM focus_sessions f WHERE f.status = 'paused') + interval '24 hours')\n"
	"	- clock_timestamp()) * 1000)::bigint AS wait_ms,\n"
	"	pg_try_advisory_lock(focus_timer_lock_key()) AS leader",
	0, STMT_IDEMPOTENT,
	"The timer process, before it sleeps: how long until the next time's up or pause expiry, and whether it publishes.",
		"focus_sessions_active_expires", "Index Only Scan using focus_sessions_active_expires",
	.shape = SHAPE(-1, -1, { "wait_ms", INT8 }, { "leader", BOOL }) },

[STMT_PAUSE] = { "pause",
	"WITH " CTE_ME ",\n"
	/* only a running timer pauses: not one that ran out (409) */
	CTE_PRECONDITION("$2") ",\n"
	"paused AS (\n"
	"	UPDATE focus_sessions f SET status = 'paused', paused_at = now()\n"
	"	FROM me WHERE f.user_id = me.user_id AND f.open AND f.status = 'active' AND f.expires_at > now()\n"
	"	  AND " PRE_HOLDS "\n"
	"	RETURNING f.*)\n"
	"SELECT " AUTHED PRE_FAILED "WHEN x.id IS NOT NULL THEN 'ok'\n"
	"	WHEN EXISTS (" OPEN_SESSION ") THEN 'conflict' ELSE 'not_found' END AS outcome,\n"
	"	me.user_id, " SESSION_COLS("x") "\n"
	/* No user lock (STMT_USER_LOCK) for pause and resume: each changes one
	 * row with one UPDATE, and a concurrent writer of that row makes it
	 * wait and then re-check its WHERE on the row's newest version (READ
	 * COMMITTED), so they serialize on the session row itself. The lock is
	 * for start, whose insert would otherwise collide with a concurrent
	 * start's on focus_sessions_one_open and retry. A pause that lost its
	 * session to such a writer answers 409, as one that finds it already
	 * paused does. */
	FROM_ME "LEFT JOIN paused x ON true\n", 2, STMT_RETRY_RACE | STMT_BINARY | STMT_CAUGHT_UP,
	"POST /api/focus/pause: freeze the caller's running timer (paused_at; expires_at stays); "
	"$2 If-Match's tags (NULL: none).",
	"focus_sessions_one_open", "Update on focus_sessions / Index Scan using focus_sessions_one_open",
	.shape = SHAPE(-1, 2, ROUTE_COLS, SESSION_SHAPE) },

[STMT_RESUME] = { "resume",
	/* the catch-up before it expired a session paused for more than 24
	 * hours: that one no longer resumes (404) */
	"WITH " CTE_ME ",\n"
	/* expires_at moves later by exactly the pause's length, so the
	 * remaining time is what it was at the pause, to the microsecond */
	CTE_PRECONDITION("$2") ",\n"
	"resumed AS (\n"
	"	UPDATE focus_sessions f SET status = 'active', expires_at = f.expires_at + (now() - f.paused_at), paused_at = NULL\n"
	"	FROM me WHERE f.user_id = me.user_id AND f.open AND f.status = 'paused'\n"
	"	  AND " PRE_HOLDS "\n"
	"	RETURNING f.*)\n"
	"SELECT " AUTHED PRE_FAILED "WHEN x.id IS NOT NULL THEN 'ok' ELSE 'not_found' END AS outcome,\n"
	"	me.user_id, " SESSION_COLS("x") "\n"
	/* no user lock: see pause */
	FROM_ME "LEFT JOIN resumed x ON true\n", 2, STMT_RETRY_RACE | STMT_BINARY | STMT_CAUGHT_UP,
	"DELETE /api/focus/pause: resume the caller's paused session, its expires_at moved later by the pause; "
	"$2 If-Match's tags (NULL: none).",
	"focus_sessions_one_open", "Update on focus_sessions / Index Scan using focus_sessions_one_open",
	.shape = SHAPE(-1, 2, ROUTE_COLS, SESSION_SHAPE) },

[STMT_SESSIONS_UPDATE] = { "sessions_update",
	/* $2 ids, $3 actions ('complete' | 'abandon'), same length, no
	 * duplicates (checked by the worker); a NULL id is the caller's open
	 * session (POST /api/focus/active/complete and /abandon): none is
	 * 'not_found'. */
	"WITH " CTE_ME ",\n" CTE_PRECONDITION("$4") ",\n"
	/* a precondition that does not hold leaves no item to close */
	CLOSE_CTES("req AS (SELECT coalesce(r.id, (SELECT o.id FROM me JOIN focus_sessions o ON o.user_id = me.user_id AND o.open)) AS id,\n"
	"	r.action, r.idx - 1 AS idx FROM unnest($2::uuid[], $3::text[]) WITH ORDINALITY AS r (id, action, idx)\n"
	"	WHERE " PRE_HOLDS ")", "", "NULL::uuid[]")
	/* one row per item done, in request order (one row of NULLs when
	 * none was), each with the outcome and the totals of the request */
	CLOSE_COLS_IF(PRE_FAILED) "\n" CLOSE_FROM "ORDER BY d.idx",
	/* No user lock (STMT_USER_LOCK): a user has one open session, so
	 * concurrent closes of that user's sessions all update that one row;
	 * the first wins, the rest wait on its row lock, find it closed on
	 * re-check and raise 40001 in focus_assert, and their retry answers
	 * 409. Rewards are upserts on the newest row version. A timer's
	 * completion racing a complete takes the same row lock first
	 * (focus_catch_up), and the ledger key grants once. */
	4, STMT_RETRY_RACE | STMT_BINARY | STMT_CAUGHT_UP,
	"POST /api/focus/{id}/complete, /abandon, /batch and /active/...: close sessions and grant each reward once "
	"(session, ledger, progress, wallet, streak) in one statement; $4 If-Match's tags (NULL: none).",
	"focus_sessions_pkey", "Update on focus_sessions / Index Scan using focus_sessions_pkey",
	.shape = SHAPE(-1, 10, CLOSE_SHAPE) },

[STMT_EXPIRE_ALL] = { "expire_all",
	/* one row per user that had something due */
	"SELECT f.user_id, focus_catch_up(f.user_id) AS caught_up FROM focus_sessions f\n"
	"WHERE f.open AND focus_due(f.status, f.expires_at, f.paused_at, now())",
	0, STMT_ADMIN | STMT_IDEMPOTENT,
	"focusctl expire: time's up (and auto-start, and a pause's expiry) for everyone with something due, in one statement.",
		"focus_sessions_one_open", "Update on focus_sessions / Index Scan using focus_sessions_one_open",
	.shape = SHAPE(-1, -1, { "user_id", UUID }, { "caught_up", INT4 }) },

[STMT_USER_ADD] = { "user_add",
	"INSERT INTO users (name, password_hash) VALUES ($1, $2) RETURNING id",
	2, STMT_ADMIN, "focusctl user add.", "", "Insert on users",
	.shape = SHAPE(-1, -1, { "id", UUID }) },

[STMT_USER_PASSWD] = { "user_passwd",
	/* 006_auth.sql: the new hash and the end of every session and token
	 * of the user, in this one statement's transaction */
	"SELECT u.id, focus_set_password(u.id, NULL, $2::text, NULL) AS sessions_ended FROM users u WHERE u.name = $1",
	2, STMT_ADMIN, "focusctl user passwd: set the password, end every session and token of the user.",
	"users_name_key", "Index Scan using users_name_key",
	.shape = SHAPE(-1, -1, { "id", UUID }, { "sessions_ended", INT4 }) },

[STMT_TOKEN_ADD] = { "token_add",
	"INSERT INTO sessions (token_hash, user_id, expires_at, kind) VALUES ($1::bytea, $2::uuid, now() + make_interval(days => $3::integer), 'token')",
	3, STMT_ADMIN, "focusctl token add.", "", "Insert on sessions",
	.shape = NO_ROWS },

[STMT_LIBRARY_LIST] = { "library_list",
	/* One row per library of the page, favorites first, then newest, or
	 * one row of NULL library columns when the page is empty; every row
	 * carries the exact total, counted once in "head". */
	"SELECT " AUTHED "ELSE 'ok' END AS outcome, me.user_id, head.total,\n"
	"	" LIBRARY_COLS("pg", TRACKS_OF("pg")) "\n"
	FROM_CALLER
	"LEFT JOIN LATERAL (SELECT count(*) AS total FROM focus_libraries l WHERE l.user_id = me.user_id) AS head ON true\n"
	"LEFT JOIN LATERAL (SELECT l.* FROM focus_libraries l WHERE l.user_id = me.user_id\n"
	"	ORDER BY l.is_favorite DESC, l.created_at DESC, l.id DESC LIMIT $2::integer OFFSET $3::integer) AS pg ON true\n"
	"ORDER BY pg.is_favorite DESC, pg.created_at DESC, pg.id DESC", 3, STMT_IDEMPOTENT | STMT_BINARY,
	"GET /api/focus/libraries: a page of the caller's libraries, favorites first, then newest; "
	"tracks_count is counted, so it is true under concurrent adds and deletes.",
	"focus_libraries_user_list", "Index Scan using focus_libraries_user_list",
	.shape = SHAPE(2, 3, ROUTE_COLS, { "total", INT8 }, LIBRARY_SHAPE) },

[STMT_LIBRARY_CREATE] = { "library_create",
	"WITH " CTE_ME ",\n"
	"ins AS (INSERT INTO focus_libraries AS l (user_id, name, description, library_type)\n"
	"	SELECT me.user_id, $2::text, $3::text, $4::text FROM me RETURNING l.*)\n"
	"SELECT " AUTHED "ELSE 'ok' END AS outcome, me.user_id, " LIBRARY_COLS("x", "0::bigint") "\n"
	FROM_ME "LEFT JOIN ins x ON true\n", 4, STMT_BINARY,
	"POST /api/focus/libraries: a new library.", "", "Insert on focus_libraries",
	.shape = SHAPE(-1, 2, ROUTE_COLS, LIBRARY_SHAPE) },

[STMT_LIBRARY_GET] = { "library_get",
	"SELECT " AUTHED "WHEN x.id IS NULL THEN 'not_found' ELSE 'ok' END AS outcome, me.user_id,\n"
	"	" LIBRARY_COLS("x", TRACKS_OF("x")) "\n"
	FROM_CALLER
	"LEFT JOIN focus_libraries x ON x.id = $2::uuid AND x.user_id = me.user_id\n",
	2, STMT_IDEMPOTENT | STMT_BINARY,
	"GET /api/focus/libraries/{id}: one library of the caller's.",
	"focus_libraries_pkey|focus_libraries_id_user_id_key", "Index Scan using focus_libraries_pkey",
	.shape = SHAPE(-1, 2, ROUTE_COLS, LIBRARY_SHAPE) },

[STMT_LIBRARY_DELETE] = { "library_delete",
	/* the rows go first; the worker then deletes the objects, so no row
	 * ever points at a missing object (an object left over is an orphan,
	 * listed by focusctl storage orphans). One row per stored object of
	 * the library's tracks, or one with a NULL key. */
	"WITH " CTE_ME ",\n"
	"keys AS (SELECT t.storage_key FROM focus_tracks t JOIN me ON t.user_id = me.user_id\n"
	"	WHERE t.library_id = $2::uuid AND t.storage_key IS NOT NULL),\n"
	"gone AS (DELETE FROM focus_libraries l USING me WHERE l.id = $2::uuid AND l.user_id = me.user_id RETURNING l.id)\n"
	"SELECT " AUTHED "WHEN g.id IS NULL THEN 'not_found' ELSE 'ok' END AS outcome, me.user_id, g.id, k.storage_key\n"
	FROM_ME "LEFT JOIN gone g ON true LEFT JOIN keys k ON g.id IS NOT NULL\n", 2, STMT_BINARY,
	"DELETE /api/focus/libraries/{id}: the library and its tracks (the keys come back for the objects).",
	"focus_libraries_pkey|focus_libraries_id_user_id_key", "Delete on focus_libraries / Index Scan using focus_libraries_pkey",
	.shape = SHAPE(-1, 2, ROUTE_COLS, DELETED_SHAPE) },

[STMT_LIBRARY_FAVORITE] = { "library_favorite",
	"WITH " CTE_ME ",\n"
	"upd AS (UPDATE focus_libraries l SET is_favorite = NOT l.is_favorite, updated_at = now()\n"
	"	FROM me WHERE l.id = $2::uuid AND l.user_id = me.user_id RETURNING l.*)\n"
	"SELECT " AUTHED "WHEN x.id IS NULL THEN 'not_found' ELSE 'ok' END AS outcome, me.user_id,\n"
	"	" LIBRARY_COLS("x", TRACKS_OF("x")) "\n"
	FROM_ME "LEFT JOIN upd x ON true\n", 2, STMT_BINARY,
	"POST /api/focus/libraries/{id}/favorite: toggle, atomically (NOT is_favorite under the row lock).",
	"focus_libraries_pkey|focus_libraries_id_user_id_key", "Update on focus_libraries / Index Scan using focus_libraries_pkey",
	.shape = SHAPE(-1, 2, ROUTE_COLS, LIBRARY_SHAPE) },

[STMT_LIBRARY_CHECK] = { "library_check",
	"WITH " CTE_ME "\n"
	"SELECT " AUTHED "WHEN EXISTS (SELECT 1 FROM focus_libraries l WHERE l.id = $2 AND l.user_id = me.user_id)\n"
	"	THEN 'ok' ELSE 'not_found' END AS outcome, me.user_id\n"
	FROM_ME, 2, STMT_IDEMPOTENT,
	"Track uploads: the library is the caller's (before anything is stored).",
	"focus_libraries_pkey|focus_libraries_id_user_id_key", "Index Scan using focus_libraries_pkey",
	.shape = SHAPE(-1, -1, ROUTE_COLS) },

[STMT_TRACK_ADD] = { "track_add",
	/* a stored track ($8 not NULL) needs its key's live reservation
	 * (sql/001_baseline.sql): no reservation, no row ('invalid': never
	 * handed out to this user, or lapsed). The key's one track is the
	 * unique storage_key's to decide: of registrations racing, the first
	 * insert wins, the others wait on it and do nothing (ON CONFLICT), and
	 * a reservation that was live at the start with no row inserted means
	 * exactly that: 'conflict' (a reservation consumed under a lock would
	 * be gone for the losers, who could not tell it from never handed
	 * out). The winner consumes the reservation in this statement. */
	"WITH " CTE_ME ",\n"
	"lib AS (SELECT l.id, me.user_id FROM me JOIN focus_libraries l ON l.id = $2::uuid AND l.user_id = me.user_id),\n"
	"res AS (SELECT u.storage_key FROM storage_uploads u JOIN lib ON u.user_id = lib.user_id\n"
	"	WHERE u.storage_key = $8::text AND u.expires_at > now()),\n"
	"ins AS (INSERT INTO focus_tracks AS t (library_id, user_id, track_title, track_url, mime_type,\n"
	"		size_bytes, duration_seconds, storage_key)\n"
	"	SELECT lib.id, lib.user_id, $3::text, $4::text, $5::text, $6::bigint, $7::integer, $8::text\n"
	"	FROM lib WHERE $8::text IS NULL OR EXISTS (SELECT 1 FROM res)\n"
	"	ON CONFLICT (storage_key) DO NOTHING\n"
	"	RETURNING t.*),\n"
	"pend AS (DELETE FROM storage_uploads u USING ins WHERE u.storage_key = ins.storage_key)\n"
	"SELECT " AUTHED "WHEN x.id IS NOT NULL THEN 'ok'\n"
	"	WHEN NOT EXISTS (SELECT 1 FROM lib) THEN 'not_found'\n"
	"	WHEN EXISTS (SELECT 1 FROM res) OR EXISTS (SELECT 1 FROM focus_tracks k WHERE k.storage_key = $8::text)\n"
	"		THEN 'conflict'\n"
	"	ELSE 'invalid' END AS outcome, me.user_id, " TRACK_COLS("x") "\n"
	FROM_ME "LEFT JOIN ins x ON true\n", 8, STMT_BINARY,
	"Track uploads and registration: the row, written after its object exists.",
	"focus_libraries_pkey|focus_libraries_id_user_id_key", "Insert on focus_tracks / Index Scan using focus_libraries_pkey",
	.shape = SHAPE(-1, 2, ROUTE_COLS, TRACK_SHAPE) },

[STMT_TRACK_LIST] = { "track_list",
	/* one row per track, oldest first, or one of NULL track columns */
	"SELECT " AUTHED "WHEN lib.id IS NULL THEN 'not_found' ELSE 'ok' END AS outcome, me.user_id, " TRACK_COLS("t") "\n"
	FROM_CALLER
	"LEFT JOIN focus_libraries lib ON lib.id = $2::uuid AND lib.user_id = me.user_id\n"
	"LEFT JOIN focus_tracks t ON t.library_id = lib.id\n"
	"ORDER BY t.added_at, t.id", 2, STMT_IDEMPOTENT | STMT_BINARY,
	"GET /api/focus/libraries/{id}/tracks: the library's tracks, oldest first.",
	"focus_tracks_library", "Index Scan using focus_tracks_library",
	.shape = SHAPE(-1, 2, ROUTE_COLS, TRACK_SHAPE) },

[STMT_TRACK_DELETE] = { "track_delete",
	"WITH " CTE_ME ",\n"
	"gone AS (DELETE FROM focus_tracks t USING me WHERE t.id = $3::uuid AND t.library_id = $2::uuid AND t.user_id = me.user_id\n"
	"	RETURNING t.id, t.storage_key)\n"
	"SELECT " AUTHED "WHEN g.id IS NULL THEN 'not_found' ELSE 'ok' END AS outcome, me.user_id, g.id, g.storage_key\n"
	FROM_ME "LEFT JOIN gone g ON true\n", 3, STMT_BINARY,
	"DELETE /api/focus/libraries/{id}/tracks/{track_id}: the row (the worker then deletes the object).",
	"focus_tracks_pkey", "Delete on focus_tracks / Index Scan using focus_tracks_pkey",
	.shape = SHAPE(-1, 2, ROUTE_COLS, DELETED_SHAPE) },

[STMT_TRACK_KEYS] = { "track_keys",
	/* tracks, and live reservations: a reserved key may still be registered */
	"SELECT k FROM (SELECT storage_key FROM focus_tracks WHERE storage_key IS NOT NULL\n"
	"	UNION SELECT storage_key FROM storage_uploads WHERE expires_at > now()) AS keys (k)\n"
	"ORDER BY k COLLATE \"C\"",
	0, STMT_ADMIN | STMT_IDEMPOTENT,
	"focusctl storage orphans: every key a row points at or may still point at.",
	"focus_tracks_storage_key_key", "Index Only Scan using focus_tracks_storage_key_key",
	.shape = SHAPE(-1, -1, { "k", TEXT }) },

[STMT_UPLOAD_RESERVE] = { "upload_reserve",
	/* before anything is stored: the library is the caller's, and the key
	 * is reserved within the quota (sql/001_baseline.sql; CASE fixes the order,
	 * so nothing is reserved for a library that is not the caller's) */
	"WITH " CTE_ME "\n"
	"SELECT " AUTHED "WHEN NOT EXISTS (SELECT 1 FROM focus_libraries l WHERE l.id = $2::uuid AND l.user_id = me.user_id)\n"
	"	THEN 'not_found'\n"
	"	WHEN focus_storage_reserve(me.user_id, me.user_id::text || '/audio/' || $3::text, $4::bigint,\n"
	"	    $5::text, $6::integer, $7::bigint * 1048576) THEN 'ok' ELSE 'too_large' END AS outcome,\n"
	"	me.user_id\n"
	FROM_ME, 7, 0,
	"Track uploads (direct and signed): the library is the caller's and the key is reserved within the quota.",
	"focus_libraries_pkey|focus_libraries_id_user_id_key", "Index Scan using focus_libraries_pkey",
	.shape = SHAPE(-1, -1, ROUTE_COLS) },

[STMT_UPLOAD_RELEASE] = { "upload_release",
	/* a direct upload that failed before its track was written gives its
	 * reservation back at once: its bytes no longer count against the
	 * quota, and its key, never shown to the client, can never be a
	 * track (an object it left is an orphan, focusctl storage orphans) */
	"WITH " CTE_ME ",\n"
	"gone AS (DELETE FROM storage_uploads u USING me WHERE u.storage_key = $2::text AND u.user_id = me.user_id)\n"
	"SELECT " AUTHED "ELSE 'ok' END AS outcome, me.user_id\n"
	FROM_ME, 2, STMT_IDEMPOTENT,
	"PUT /api/focus/libraries/{id}/tracks/upload, when storing the body failed: the key's reservation goes.",
	"storage_uploads_pkey|sessions_pkey", "Delete on storage_uploads / Index Scan using sessions_pkey (the caller; storage_uploads_pkey once the table is not tiny)",
	.shape = SHAPE(-1, -1, ROUTE_COLS) },

[STMT_AUTH_LOGOUT_ALL] = { "auth_logout_all",
	/* after the user lock (STMT_USER_LOCK), so that a sign-in committed
	 * before it is seen and ended too */
	"WITH " CTE_ME ",\n"
	"gone AS (DELETE FROM sessions s USING me WHERE s.user_id = me.user_id RETURNING s.user_id)\n"
	"SELECT " AUTHED "ELSE 'ok' END AS outcome, me.user_id,\n"
	"	(SELECT count(*) FROM gone) AS sessions_ended\n"
	FROM_ME, 1, STMT_USER_LOCK | STMT_BINARY,
	"POST /api/auth/logout-all: delete every session and token of the caller, the caller's own included.",
	"sessions_user_kind", "Delete on sessions / Index Scan using sessions_user_kind",
	.shape = SHAPE(-1, 2, ROUTE_COLS, { "sessions_ended", INT8 }) },

[STMT_AUTH_PASSWORD_LOOKUP] = { "auth_password_lookup",
	/* $2 client address, $3 window (s) */
	"SELECT " AUTHED "ELSE 'ok' END AS outcome, me.user_id, u.name, u.password_hash,\n"
	"	" RECENT_FAILURES("u.name", "$2", "$3") "\n"
	FROM_CALLER
	"LEFT JOIN users u ON u.id = me.user_id\n",
	3, STMT_IDEMPOTENT,
	"POST /api/auth/password, step 1: the caller, the password hash to check the current password against, "
	"and the recent failures as for a sign-in.",
	"login_failures_name_client", "Index Only Scan using login_failures_name_client",
	.shape = SHAPE(-1, 2, ROUTE_COLS, { "name", TEXT }, { "password_hash", TEXT }, FAILURES_SHAPE) },

[STMT_AUTH_PASSWORD_SET] = { "auth_password_set",
	/* $2 the hash the current password was checked against, $3 the new
	 * one: 006_auth.sql focus_set_password sets it only while $2 is still
	 * stored ('conflict' otherwise), and ends every other session */
	"WITH " CTE_ME "\n"
	"SELECT " AUTHED "WHEN ch.ended < 0 THEN 'conflict' ELSE 'ok' END AS outcome, me.user_id,\n"
	"	ch.ended AS sessions_ended\n"
	FROM_ME
	"LEFT JOIN LATERAL (SELECT focus_set_password(me.user_id, $2::text, $3::text, $1::bytea) AS ended) AS ch ON true\n",
	3, STMT_BINARY,
	"POST /api/auth/password, step 2: the new hash, only if the checked one is still stored, "
	"and the end of the caller's other sessions and tokens.",
	"sessions_pkey", "Index Scan using sessions_pkey",
	.shape = SHAPE(-1, 2, ROUTE_COLS, { "sessions_ended", INT4 }) },

[STMT_TOKEN_LIST] = { "token_list",
	/* never the token or its hash: the id names a session for revoke */
	"SELECT u.id IS NOT NULL AS user_exists, s.id, s.kind,\n"
	"	to_char(s.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS created_at,\n"
	"	to_char(s.expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS expires_at\n"
	"FROM (VALUES (1)) AS one LEFT JOIN users u ON u.id = $1::uuid\n"
	"LEFT JOIN sessions s ON s.user_id = u.id AND s.expires_at > now()\n"
	"ORDER BY s.created_at, s.id",
	1, STMT_ADMIN | STMT_IDEMPOTENT,
	"focusctl token list: a user's live tokens and sign-ins, oldest first.",
	"sessions_user_kind", "Index Scan using sessions_user_kind",
	.shape = SHAPE(-1, -1, { "user_exists", BOOL }, { "id", INT8 }, { "kind", TEXT }, { "created_at", TEXT },
	    { "expires_at", TEXT }) },

[STMT_TOKEN_REVOKE] = { "token_revoke",
	"DELETE FROM sessions WHERE id = $1::bigint RETURNING id, kind, user_id",
	1, STMT_ADMIN,
	"focusctl token revoke: end one token or sign-in by its id.",
	"sessions_id_key", "Delete on sessions / Index Scan using sessions_id_key",
	.shape = SHAPE(-1, -1, { "id", INT8 }, { "kind", TEXT }, { "user_id", UUID }) },

[STMT_CATCH_UP] = { "catch_up",
	/* the snapshot's open session says whether anything is due; only then
	 * does focus_catch_up run (CASE fixes the order), which looks again
	 * from its own snapshot under a row lock */
	"SELECT CASE WHEN focus_due(o.status, o.expires_at, o.paused_at, now()) THEN focus_catch_up(me.user_id) END AS caught_up\n"
	"FROM sessions me JOIN focus_sessions o ON o.user_id = me.user_id AND o.open\n"
	"WHERE " TOKEN_VALID("me"),
	1, STMT_IDEMPOTENT,
	"Every session statement but start and next: time's up, auto-start and a pause's expiry for the caller, "
	"pipelined before it in one round trip (writes nothing when nothing is due).",
	"focus_sessions_one_open", "Index Scan using focus_sessions_one_open",
	.shape = SHAPE(-1, -1, { "caught_up", INT4 }) },

[STMT_SETTINGS_GET] = { "settings_get",
	"SELECT " AUTHED "ELSE 'ok' END AS outcome, me.user_id, " SETTINGS_COLS("st") "\n"
	FROM_CALLER
	"LEFT JOIN focus_settings st ON st.user_id = me.user_id\n",
	1, STMT_IDEMPOTENT | STMT_BINARY,
	"GET /api/focus/settings: the caller's settings (the row is made with the user).",
	"focus_settings_pkey", "Index Scan using focus_settings_pkey",
	.shape = SHAPE(-1, 2, ROUTE_COLS, SETTINGS_SHAPE) },

[STMT_SETTINGS_PATCH] = { "settings_patch",
	/* $2..$11 in the order of SETTINGS_COLS, NULL for a field not given.
	 * The zone is checked here, against PostgreSQL's list
	 * (sql/009_cycle.sql focus_zone_ok): an unknown one is 'invalid' and
	 * nothing is written. */
	"WITH " CTE_ME ",\n"
	"zone AS (SELECT $9::text IS NULL OR focus_zone_ok($9::text) AS ok),\n"
	"upd AS (\n"
	"	UPDATE focus_settings st SET\n"
	"		focus_seconds = coalesce($2::integer, st.focus_seconds),\n"
	"		short_break_seconds = coalesce($3::integer, st.short_break_seconds),\n"
	"		long_break_seconds = coalesce($4::integer, st.long_break_seconds),\n"
	"		long_break_every = coalesce($5::integer, st.long_break_every),\n"
	"		auto_start_breaks = coalesce($6::boolean, st.auto_start_breaks),\n"
	"		auto_start_focus = coalesce($7::boolean, st.auto_start_focus),\n"
	"		daily_goal = coalesce($8::integer, st.daily_goal),\n"
	"		time_zone = coalesce($9::text, st.time_zone),\n"
	"		day_start_hour = coalesce($10::integer, st.day_start_hour),\n"
	"		week_start = coalesce($11::text, st.week_start),\n"
	"		updated_at = now()\n"
	"	FROM me, zone WHERE st.user_id = me.user_id AND zone.ok\n"
	"	RETURNING st.*)\n"
	"SELECT " AUTHED "WHEN NOT zone.ok THEN 'invalid' ELSE 'ok' END AS outcome, me.user_id, " SETTINGS_COLS("x") "\n"
	FROM_ME "CROSS JOIN zone LEFT JOIN upd x ON true\n",
	11, STMT_BINARY,
	"PATCH /api/focus/settings: change the given fields, all or none.",
	"focus_settings_pkey", "Update on focus_settings / Index Scan using focus_settings_pkey",
	.shape = SHAPE(-1, 2, ROUTE_COLS, SETTINGS_SHAPE) },

[STMT_NEXT] = { "next",
	/* the phase focus_next names, seen from this statement's snapshot
	 * (the open session still open), starts now; the open session, if
	 * any, is completed first (done before ins frees the slot of
	 * focus_sessions_one_open, as in session_start) */
	"WITH " CTE_ME ",\n"
	CTE_PRECONDITION("$2") ",\n"
	"nx AS (SELECT n.* FROM me, focus_next(me.user_id) n),\n"
	/* a precondition that does not hold closes nothing and starts nothing */
	CLOSE_CTES("req AS (SELECT o.id, 'complete'::text AS action, 0::bigint AS idx\n"
	"	FROM me JOIN focus_sessions o ON o.user_id = me.user_id AND o.open WHERE " PRE_HOLDS ")", "",
	"NULL::uuid[]") ",\n"
	"ins AS (\n"
	"	INSERT INTO focus_sessions AS f (user_id, mode, duration_seconds, started_at, expires_at, cycle_position)\n"
	"	SELECT me.user_id, nx.mode, nx.duration_seconds, now(), now() + make_interval(secs => nx.duration_seconds),\n"
	"		nx.cycle_position FROM me, nx\n"
	"	WHERE (SELECT count(*) FROM done) >= 0 AND " PRE_HOLDS "\n"
	"	RETURNING f.*)\n"
	CLOSE_COLS_IF(PRE_FAILED) ",\n	" SESSION_COLS("n") "\n" CLOSE_FROM "LEFT JOIN ins n ON true\n",
	2, STMT_RETRY_RACE | STMT_USER_LOCK | STMT_BINARY,
	"POST /api/focus/next: complete the open session (early-completion rewards) and start the cycle's next phase, in one statement; "
	"$2 If-Match's tags (NULL: none).",
	"focus_sessions_one_open", "Insert on focus_sessions / Index Scan using focus_sessions_one_open",
	.shape = SHAPE(-1, 10, CLOSE_SHAPE, SESSION_SHAPE) },

[STMT_AUTH_REGISTER] = { "auth_register",
	/* the throttle's counts first (as a sign-in's lookup); under its
	 * limits ($7..$9) the user, its first sign-in and (by trigger,
	 * 009_cycle.sql) its settings are inserted together; a taken name
	 * (users_name_key, ON CONFLICT: a concurrent sign-up of the same name
	 * waits for the first and then finds it taken) counts as a failed
	 * attempt of that name from this client, like a wrong password */
	"WITH f AS (SELECT " RECENT_FAILURES("$1", "$2", "$3") "),\n"
	"open AS (SELECT 1 FROM f WHERE f.pair_failures < $7::integer AND f.name_failures < $8::integer\n"
	"	AND f.client_failures < $9::integer),\n"
	"u AS (INSERT INTO users (name, password_hash) SELECT $1, $4 FROM open\n"
	"	ON CONFLICT (name) DO NOTHING RETURNING id),\n"
	"s AS (INSERT INTO sessions (token_hash, user_id, expires_at, kind)\n"
	"	SELECT $5::bytea, u.id, now() + make_interval(days => $6::integer), 'cookie' FROM u),\n"
	"old AS (DELETE FROM login_failures WHERE failed_at < now() - make_interval(secs => $3::integer)\n"
	"	AND (name = $1 OR client = $2) AND EXISTS (SELECT 1 FROM open) AND NOT EXISTS (SELECT 1 FROM u)),\n"
	"taken AS (INSERT INTO login_failures (name, client)\n"
	"	SELECT $1, $2 FROM open WHERE NOT EXISTS (SELECT 1 FROM u))\n"
	"SELECT CASE WHEN NOT EXISTS (SELECT 1 FROM open) THEN 'throttled'\n"
	"	WHEN u.id IS NULL THEN 'conflict' ELSE 'ok' END AS outcome, u.id AS user_id\n"
	"FROM (VALUES (1)) AS one LEFT JOIN u ON true",
	9, 0,
	"POST /api/auth/register: under the sign-in throttle, a new user with its first browser sign-in "
	"(and its settings), or a taken name counted as a failed attempt; one round trip.",
	"users_name_key", "Insert on users",
	.shape = SHAPE(-1, -1, ROUTE_COLS) },
[STMT_HISTORY_BATCH] = { "history_batch",
	/* POST /api/focus/batch (src/history.c): $2..$11 one element per
	 * item, in request order: id (NULL for a create), action, mode,
	 * started_at, duration_seconds, focused_seconds, task_id, task_title
	 * (NULL: not given), and whether task_id and task_title were given
	 * (they may be set to null). Ids are distinct (checked by the worker).
	 * Every item is judged on the statement's snapshot first; the first
	 * that cannot apply (by index) is "bad" and nothing is written. The
	 * closes are sessions_update's (CLOSE_CTES); deletes go before
	 * updates, updates before creates, so a batch may move a session
	 * into the time another of its items frees.
	 * focus_sessions_no_overlap is the invariant: a concurrent write that
	 * the snapshot could not see makes the insert or update fail with
	 * 23P01, and the retry's snapshot names the item. */
	"WITH " CTE_ME ",\n"
	"items AS MATERIALIZED (\n"
	"	SELECT r.idx - 1 AS idx, r.id, r.action, r.mode, r.started_at, r.duration, r.focused,\n"
	"	       r.task_id, r.task_title, r.set_task_id, r.set_task_title,\n"
	"	       CASE WHEN r.action = 'create' THEN gen_random_uuid() ELSE r.id END AS sid\n"
	"	FROM unnest($2::uuid[], $3::text[], $4::text[], $5::timestamptz[], $6::integer[], $7::integer[],\n"
	"	            $8::uuid[], $9::text[], $10::boolean[], $11::boolean[])\n"
	"	     WITH ORDINALITY AS r (id, action, mode, started_at, duration, focused, task_id, task_title,\n"
	"	                           set_task_id, set_task_title, idx)),\n"
	/* updates and deletes with their session as the snapshot sees it */
	"edits AS MATERIALIZED (\n"
	"	SELECT i.*, f.id IS NOT NULL AS found, f.open AS f_open, f.status AS f_status, f.source AS f_source,\n"
	"	       f.mode AS f_mode, f.started_at AS f_started, f.duration_seconds AS f_duration,\n"
	"	       f.focused_seconds AS f_focused\n"
	"	FROM items i CROSS JOIN me LEFT JOIN focus_sessions f ON f.id = i.id AND f.user_id = me.user_id\n"
	"	WHERE i.action IN ('update', 'delete')),\n"
	/* the times each create and update would leave; "moves": its span
	 * changes (a create, a manual session's new start or duration) */
	"span AS MATERIALIZED (\n"
	"	SELECT w.*, tstzrange(w.started_at, w.started_at + make_interval(secs => w.duration)) AS r FROM (\n"
	"		SELECT i.idx, i.action, i.sid, i.started_at, i.duration, coalesce(i.focused, i.duration) AS focused,\n"
	"		       true AS moves\n"
	"		FROM items i WHERE i.action = 'create'\n"
	"		UNION ALL\n"
	"		SELECT e.idx, e.action, e.sid, coalesce(e.started_at, e.f_started), coalesce(e.duration, e.f_duration),\n"
	"		       coalesce(e.focused, e.f_focused), e.started_at IS NOT NULL OR e.duration IS NOT NULL\n"
	"		FROM edits e WHERE e.action = 'update' AND e.found AND NOT e.f_open) AS w),\n"
	/* what cannot apply: 'not_found' (no such session of the caller's),
	 * 'conflict' (open, or an overlap), 'invalid' (422) */
	"hbad AS (\n"
	"	SELECT e.idx, CASE\n"
	"		WHEN NOT e.found THEN 'not_found'\n"
	"		WHEN e.f_open AND e.action = 'update' AND (e.mode IS NOT NULL OR e.started_at IS NOT NULL\n"
	"		     OR e.duration IS NOT NULL OR e.focused IS NOT NULL) THEN 'invalid'\n"
	"		WHEN e.f_open THEN 'conflict'\n"
	"		WHEN e.action = 'update' AND e.f_source = 'timer' AND (e.mode IS NOT NULL OR e.started_at IS NOT NULL\n"
	"		     OR e.duration IS NOT NULL) THEN 'invalid'\n"
	"		WHEN e.action = 'update' AND e.focused IS NOT NULL AND e.f_status <> 'completed' THEN 'invalid'\n"
	"		END AS outcome\n"
	"	FROM edits e\n"
	"	UNION ALL\n"
	"	SELECT s.idx, CASE\n"
	"		WHEN s.focused > s.duration THEN 'invalid'\n"
	"		WHEN NOT s.moves THEN NULL\n"
	"		WHEN upper(s.r) > now() THEN 'invalid'\n"
	"		WHEN EXISTS (SELECT 1 FROM focus_sessions o WHERE o.user_id = me.user_id\n"
	"		             AND tstzrange(o.started_at, o.ends_at) && s.r\n"
	"		             AND NOT EXISTS (SELECT 1 FROM span x WHERE x.moves AND x.sid = o.id)\n"
	"		             AND NOT EXISTS (SELECT 1 FROM edits d WHERE d.action = 'delete' AND d.id = o.id))\n"
	"		     THEN 'conflict'\n"
	"		WHEN EXISTS (SELECT 1 FROM span t WHERE t.moves AND t.idx <> s.idx AND t.r && s.r) THEN 'conflict'\n"
	"		END\n"
	"	FROM span s CROSS JOIN me),\n"
	CLOSE_CTES("req AS (SELECT i.id, i.action, i.idx FROM items i WHERE i.action IN ('complete', 'abandon'))",
	"\n	UNION ALL SELECT idx, outcome FROM hbad WHERE outcome IS NOT NULL",
	/* the streak after the deletes of sessions it counts (a deleted
	 * session leaves it; deleting another one leaves the stored streak
	 * in use) */
	"(SELECT array_agg(e.id) FROM edits e WHERE e.action = 'delete' AND e.f_status = 'completed'\n"
	"	AND e.f_mode = 'focus' AND e.f_source = 'timer')") ",\n"
	"gone AS (\n"
	"	DELETE FROM focus_sessions f USING edits e, me\n"
	"	WHERE e.action = 'delete' AND f.id = e.id AND f.user_id = me.user_id AND NOT f.open\n"
	"	  AND NOT EXISTS (SELECT 1 FROM bad)\n"
	"	RETURNING e.idx, f.*),\n"
	/* rewards (xp_awarded, coins_awarded) are never written here */
	"changed AS (\n"
	"	UPDATE focus_sessions f SET\n"
	"		mode = coalesce(i.mode, f.mode),\n"
	"		started_at = coalesce(i.started_at, f.started_at),\n"
	"		duration_seconds = coalesce(i.duration, f.duration_seconds),\n"
	"		expires_at = CASE WHEN f.source = 'manual' THEN coalesce(i.started_at, f.started_at)\n"
	"			+ make_interval(secs => coalesce(i.duration, f.duration_seconds)) ELSE f.expires_at END,\n"
	"		completed_at = CASE WHEN f.source = 'manual' THEN coalesce(i.started_at, f.started_at)\n"
	"			+ make_interval(secs => coalesce(i.duration, f.duration_seconds)) ELSE f.completed_at END,\n"
	"		focused_seconds = coalesce(i.focused, f.focused_seconds),\n"
	"		task_id = CASE WHEN i.set_task_id THEN i.task_id ELSE f.task_id END,\n"
	"		task_title = CASE WHEN i.set_task_title THEN i.task_title ELSE f.task_title END\n"
	"	FROM items i, me\n"
	"	WHERE i.action = 'update' AND f.id = i.id AND f.user_id = me.user_id AND NOT f.open\n"
	"	  AND NOT EXISTS (SELECT 1 FROM bad) AND (SELECT count(*) FROM gone) >= 0\n"
	"	RETURNING i.idx, f.*),\n"
	/* a manual session: completed, no reward, no ledger row, so no
	 * streak either */
	"made AS (\n"
	"	INSERT INTO focus_sessions AS f (id, user_id, mode, duration_seconds, started_at, expires_at,\n"
	"		completed_at, status, focused_seconds, task_id, task_title, source)\n"
	"	SELECT s.sid, me.user_id, coalesce(i.mode, 'focus'), s.duration, s.started_at, upper(s.r), upper(s.r),\n"
	"		'completed', s.focused, i.task_id, i.task_title, 'manual'\n"
	"	FROM span s JOIN items i ON i.idx = s.idx CROSS JOIN me\n"
	"	WHERE s.action = 'create' AND NOT EXISTS (SELECT 1 FROM bad)\n"
	"	  AND (SELECT count(*) FROM gone) >= 0 AND (SELECT count(*) FROM changed) >= 0\n"
	"	RETURNING f.*),\n"
	/* a row changed by a concurrent request after the snapshot: retry */
	"hchecked AS (\n"
	"	SELECT focus_assert(NOT EXISTS (SELECT 1 FROM me) OR EXISTS (SELECT 1 FROM bad)\n"
	"		OR (SELECT count(*) FROM gone) + (SELECT count(*) FROM changed) = (SELECT count(*) FROM edits),\n"
	"		'history') AS ok),\n"
	"outs AS (\n"
	"	SELECT c.idx, c.action::text AS action, " SESSION_STORED("c") " FROM closes c\n"
	"	UNION ALL SELECT c.idx, 'update', " SESSION_STORED("c") " FROM changed c\n"
	"	UNION ALL SELECT s.idx, 'create', " SESSION_STORED("c") " FROM made c JOIN span s ON s.sid = c.id\n"
	"	UNION ALL SELECT c.idx, 'delete', " SESSION_STORED("c") " FROM gone c)\n"
	CLOSE_COLS "\n"
	"FROM (VALUES (1)) AS one LEFT JOIN me ON true LEFT JOIN old ON true CROSS JOIN checked CROSS JOIN hchecked\n"
	"LEFT JOIN outs d ON true\n"
	"ORDER BY d.idx",
	11, STMT_RETRY_RACE | STMT_BINARY | STMT_CAUGHT_UP,
	"POST /api/focus/batch: complete, abandon, create (manual), update and delete sessions, 1..100 of any mix, "
	"all or nothing, in one statement; rewards granted once and never changed by an edit or a delete.",
	"focus_sessions_pkey|focus_sessions_no_overlap", "Index Scan using focus_sessions_pkey",
	.shape = SHAPE(-1, 10, CLOSE_SHAPE) },
[STMT_IDEM_CLAIM] = { "idempotency_claim",
	/* $2 the key, $3 the request's SHA-256 (bytea), $4 how long a key is
	 * kept (s). The first command of a keyed write's transaction
	 * (idempotency.c): the row's unique key makes a second claim of the
	 * same key fail with 23505 (and wait first while the other request's
	 * transaction is open); a row of this key older than the window is
	 * deleted first, in the same statement, so the key is new again. An
	 * unknown caller claims nothing (the route's statement answers 401). */
	"WITH " CTE_ME ",\n"
	"old AS (DELETE FROM idempotency_keys k USING me\n"
	"	WHERE k.user_id = me.user_id AND k.key = $2::text\n"
	"	  AND k.created_at <= now() - make_interval(secs => $4::integer) RETURNING 1)\n"
	"INSERT INTO idempotency_keys (user_id, key, request_hash)\n"
	"SELECT me.user_id, $2::text, $3::bytea FROM me WHERE (SELECT count(*) FROM old) >= 0",
	4, 0,
	"Idempotency-Key: claim the key for this request, in its transaction, before the route's statement.",
	"idempotency_keys_pkey", "Insert on idempotency_keys / Index Scan using idempotency_keys_pkey",
	.shape = NO_ROWS },

[STMT_IDEM_STORE] = { "idempotency_store",
	/* $1 the caller's id (from the route's statement), $2 the key, $3
	 * the status, $4 the body: the answer, stored in the transaction of
	 * the change before it commits (pipelined with COMMIT) */
	"UPDATE idempotency_keys SET status = $3::integer, body = $4::text\n"
	"WHERE user_id = $1::uuid AND key = $2::text",
	4, 0,
	"Idempotency-Key: store the answer of a keyed write, then COMMIT, in one round trip.",
	"idempotency_keys_pkey", "Update on idempotency_keys / Index Scan using idempotency_keys_pkey",
	.shape = NO_ROWS },

[STMT_IDEM_FETCH] = { "idempotency_fetch",
	/* $2 the key, $3 how long a key is kept (s) */
	"SELECT " AUTHED "WHEN k.user_id IS NULL THEN 'not_found' ELSE 'ok' END AS outcome, me.user_id,\n"
	"	k.request_hash, k.status, k.body\n"
	FROM_CALLER
	"LEFT JOIN idempotency_keys k ON k.user_id = me.user_id AND k.key = $2::text\n"
	"	AND k.created_at > now() - make_interval(secs => $3::integer)\n",
	3, STMT_IDEMPOTENT,
	"Idempotency-Key: the stored request hash and answer of a key another request claimed.",
	"idempotency_keys_pkey", "Index Scan using idempotency_keys_pkey",
	.shape = SHAPE(-1, 2, ROUTE_COLS, { "request_hash", BYTEA }, { "status", INT4 }, { "body", TEXT }) },

[STMT_IDEM_EXPIRE] = { "idempotency_expire",
	/* $1 how long a key is kept (s) */
	"DELETE FROM idempotency_keys WHERE created_at <= now() - make_interval(secs => $1::integer)",
	1, STMT_ADMIN | STMT_IDEMPOTENT,
	"focusctl expire: delete the idempotency keys past their window.",
	"idempotency_keys_created", "Delete on idempotency_keys / Bitmap Index Scan on idempotency_keys_created",
	.shape = NO_ROWS },

[STMT_STATS_LOCAL] = { "stats_local",
	/* $2 a calendar period (NULL: the dates $3..$4), $5 the most days a
	 * range may span (limits.h); the range is worked out in the
	 * caller's zone (sql/011_localtime.sql focus_period) */
	"SELECT " AUTHED "WHEN NOT r.ok THEN 'bad_request' ELSE 'ok' END AS outcome, me.user_id,\n"
	"	to_char(r.first_day, 'YYYY-MM-DD') AS first_day, to_char(r.last_day, 'YYYY-MM-DD') AS last_day,\n"
	"	st.time_zone, t.completed, t.abandoned, t.total, t.focus_seconds, t.xp, t.coins\n"
	FROM_CALLER_SETTINGS
	"LEFT JOIN LATERAL focus_period(st.time_zone, st.day_start_hour, st.week_start, $2::text, $3::date, $4::date,\n"
	"	$5::integer) r ON true\n"
	/* the catch-up before it (STMT_CATCH_UP) completed what ran out */
	"LEFT JOIN LATERAL (SELECT count(*) FILTER (WHERE f.status = 'completed') AS completed,\n"
	"		count(*) FILTER (WHERE f.status = 'abandoned') AS abandoned,\n"
	"		count(*) AS total,\n"
	"		coalesce(sum(f.focused_seconds) FILTER (WHERE " COMPLETED_FOCUS("f") "), 0) AS focus_seconds,\n"
	"		coalesce(sum(f.xp_awarded), 0) AS xp,\n"
	"		coalesce(sum(f.coins_awarded), 0) AS coins\n"
	"	 FROM focus_sessions f\n"
	"	 WHERE f.user_id = me.user_id AND r.ok\n"
	"	  AND " STARTED_WITHIN("f", "r.first_day", "r.last_day", "st.time_zone", "st.day_start_hour") ") AS t ON true\n",
	5, STMT_IDEMPOTENT | STMT_BINARY | STMT_CAUGHT_UP,
	"GET /api/focus/stats?period=today|this_week|this_month|this_year or from/to: the counts over the caller's sessions "
	"started within local dates of the caller's zone.",
	"focus_sessions_user_started", "Index Scan using focus_sessions_user_started",
	.shape = SHAPE(-1, 2, ROUTE_COLS, { "first_day", TEXT }, { "last_day", TEXT }, { "time_zone", TEXT },
	    STATS_SHAPE) },

[STMT_SERIES] = { "series",
	/* $2..$3 local dates, $4 the group (day, week, month), $5 the most
	 * buckets (limits.h). The range widens to whole buckets; one scan of
	 * the caller's sessions in it, grouped by the bucket of each one's
	 * local day, joined to every bucket of the range (empty ones too).
	 * One row per bucket, oldest first. */
	"WITH c AS (\n"
	"	SELECT me.user_id, st.time_zone, st.day_start_hour, st.week_start, r.first_day, r.last_day,\n"
	"	       me.user_id IS NOT NULL AND r.ok AS ok\n"
	FROM_CALLER_SETTINGS
	"	LEFT JOIN LATERAL focus_series_range($4::text, st.week_start, $2::date, $3::date, $5::integer) r ON true),\n"
	"agg AS (\n"
	"	SELECT focus_bucket_start(focus_local_day(f.started_at, c.time_zone, c.day_start_hour), $4::text, c.week_start) AS start,\n"
	"	       count(*) FILTER (WHERE " COMPLETED_FOCUS("f") ") AS completed_focus,\n"
	"	       coalesce(sum(f.focused_seconds) FILTER (WHERE " COMPLETED_FOCUS("f") "), 0) AS focus_seconds,\n"
	"	       count(*) FILTER (WHERE f.status = 'completed') AS completed_sessions,\n"
	"	       count(*) FILTER (WHERE f.status = 'abandoned') AS abandoned_sessions,\n"
	"	       coalesce(sum(f.xp_awarded), 0) AS xp_earned\n"
	"	FROM c JOIN focus_sessions f ON f.user_id = c.user_id\n"
	"	WHERE c.ok AND " STARTED_WITHIN("f", "c.first_day", "c.last_day", "c.time_zone", "c.day_start_hour") "\n"
	"	GROUP BY 1)\n"
	"SELECT CASE WHEN c.user_id IS NULL THEN 'unauthorized' WHEN NOT c.ok THEN 'bad_request' ELSE 'ok' END AS outcome,\n"
	"	c.user_id, c.time_zone, to_char(c.first_day, 'YYYY-MM-DD') AS first_day, to_char(c.last_day, 'YYYY-MM-DD') AS last_day,\n"
	"	to_char(b.start, 'YYYY-MM-DD') AS start, coalesce(a.completed_focus, 0) AS completed_focus,\n"
	"	coalesce(a.focus_seconds, 0) AS focus_seconds, coalesce(a.completed_sessions, 0) AS completed_sessions,\n"
	"	coalesce(a.abandoned_sessions, 0) AS abandoned_sessions, coalesce(a.xp_earned, 0) AS xp_earned\n"
	"FROM c LEFT JOIN LATERAL (\n"
	"	SELECT g::date AS start FROM generate_series(c.first_day::timestamp, c.last_day::timestamp, focus_bucket_step($4::text)) g\n"
	"	WHERE c.ok) b ON true\n"
	"LEFT JOIN agg a ON a.start = b.start\n"
	"ORDER BY b.start",
	5, STMT_IDEMPOTENT | STMT_BINARY | STMT_CAUGHT_UP,
	"GET /api/focus/series: the caller's counts per local day, week or month, every bucket of the range.",
	"focus_sessions_user_started", "Index Scan using focus_sessions_user_started",
	.shape = SHAPE(-1, 2, ROUTE_COLS, { "time_zone", TEXT }, { "first_day", TEXT }, { "last_day", TEXT },
	    BUCKET_SHAPE) },

[STMT_PROGRESS] = { "progress",
	/* The streak by local day (sql/015_streak_local.sql
	 * focus_streak_after): the cache when it is for the caller's zone
	 * and day start, else the sessions counted (completed timed focus
	 * sessions by the local day of started_at, as a complete's answer
	 * counts them); the current run ends today or yesterday. Nothing is
	 * written: a read that counted leaves the storing to the next
	 * completion. */
	"WITH c AS (\n"
	"	SELECT me.user_id, st.time_zone, st.day_start_hour, st.daily_goal,\n"
	"	       focus_local_day(now(), st.time_zone, st.day_start_hour) AS today\n"
	FROM_CALLER_SETTINGS "),\n"
	"tod AS (\n"
	"	SELECT count(*) AS completed_focus, coalesce(sum(f.focused_seconds), 0) AS focus_seconds\n"
	"	FROM c JOIN focus_sessions f ON f.user_id = c.user_id\n"
	"	WHERE " COMPLETED_FOCUS("f") "\n"
	"	  AND " STARTED_WITHIN("f", "c.today", "c.today", "c.time_zone", "c.day_start_hour") ")\n"
	"SELECT CASE WHEN c.user_id IS NULL THEN 'unauthorized' ELSE 'ok' END AS outcome, c.user_id,\n"
	"	coalesce(p.level, 1)::integer AS level, coalesce(p.xp, 0)::bigint AS xp,\n"
	"	coalesce(p.xp, 0)::bigint - focus_level_floor(coalesce(p.level, 1)) AS xp_into_level,\n"
	"	focus_level_cost(coalesce(p.level, 1)) AS xp_for_next_level,\n"
	"	coalesce(w.coins, 0)::bigint AS coins,\n"
	"	coalesce(focus_streak_current(k.last_day, k.current_days, c.today), 0)::bigint AS streak_current,\n"
	"	coalesce(k.longest_days, 0)::bigint AS streak_longest,\n"
	"	tod.completed_focus AS today_completed_focus, tod.focus_seconds AS today_focus_seconds,\n"
	"	c.daily_goal AS today_goal\n"
	"FROM c CROSS JOIN tod\n"
	"LEFT JOIN LATERAL focus_streak_after(c.user_id, c.time_zone, c.day_start_hour, NULL, NULL) k ON true\n"
	"LEFT JOIN user_progress p ON p.user_id = c.user_id LEFT JOIN user_wallet w ON w.user_id = c.user_id\n",
	1, STMT_IDEMPOTENT | STMT_BINARY | STMT_CAUGHT_UP,
	"GET /api/focus/progress: level, XP, coins, the streak by local day and today's count against the daily goal.",
	"focus_sessions_user_started", "Index Scan using focus_sessions_user_started",
	.shape = SHAPE(-1, 2, ROUTE_COLS, { "level", INT4 }, { "xp", INT8 }, { "xp_into_level", INT8 },
	    { "xp_for_next_level", INT8 }, { "coins", INT8 }, { "streak_current", INT8 }, { "streak_longest", INT8 },
	    { "today_completed_focus", INT8 }, { "today_focus_seconds", INT8 }, { "today_goal", INT4 }) },

[STMT_EXPORT] = { "export",
	/* $2..$3 local dates (both NULL: all time). Text results, read one
	 * row at a time (db_stream: single-row mode), oldest first straight
	 * from the index (a backward scan of focus_sessions_user_started, no
	 * sort). Every row carries the outcome; none of the caller's sessions
	 * in the range: one row of NULL session columns. */
	"WITH c AS (\n"
	"	SELECT me.user_id, st.time_zone,\n"
	"	       coalesce(focus_day_start($2::date, st.time_zone, st.day_start_hour), '-infinity') AS lo,\n"
	"	       coalesce(focus_day_start($3::date + 1, st.time_zone, st.day_start_hour), 'infinity') AS hi,\n"
	"	       ($2::date IS NULL) = ($3::date IS NULL) AND coalesce($2::date <= $3::date, true) AS ok\n"
	FROM_CALLER_SETTINGS ")\n"
	"SELECT CASE WHEN c.user_id IS NULL THEN 'unauthorized' WHEN NOT c.ok THEN 'bad_request' ELSE 'ok' END AS outcome,\n"
	"	c.user_id, x.id, x.mode::text AS mode, x.status::text AS status,\n"
	"	x.source::text AS source,\n"
	"	" UTC_TEXT("x.started_at") " AS started_at,\n"
	"	to_char(x.started_at AT TIME ZONE c.time_zone, 'YYYY-MM-DD\"T\"HH24:MI:SS') AS started_local,\n"
	"	" UTC_TEXT("coalesce(x.completed_at, x.abandoned_at)") " AS ended_at,\n"
	"	x.duration_seconds::integer AS duration_seconds, x.focused_seconds, x.xp_awarded::integer AS xp_awarded,\n"
	"	x.coins_awarded::integer AS coins_awarded, x.task_id, x.task_title::text AS task_title\n"
	"FROM c LEFT JOIN LATERAL (\n"
	"	SELECT f.* FROM focus_sessions f\n"
	"	WHERE f.user_id = c.user_id AND c.ok AND f.started_at >= c.lo AND f.started_at < c.hi\n"
	"	ORDER BY f.started_at, f.id) x ON true\n",
	3, STMT_IDEMPOTENT | STMT_CAUGHT_UP,
	"GET /api/focus/export: the caller's sessions started within local dates (or all), oldest first, streamed.",
	"focus_sessions_user_started", "Index Scan Backward using focus_sessions_user_started",
	.shape = SHAPE(-1, 2, ROUTE_COLS, EXPORT_SHAPE) },
};

int
stmt_col(enum stmt id, const char *name)
{
	const struct stmt_shape *sh = &stmt_table[id].shape;
	int                      k;

	for (k = 0; k < sh->ncols; k++)
		if (strcmp(sh->cols[k].name, name) == 0)
			return k;
	return -1;
}
