-- docs/statements.sql: every statement the service prepares (src/stmt.c),
-- written by `make statements` (t/make-statements); do not edit by hand.
-- Each comes with its purpose, the index its plan must use, the plan on
-- a database seeded with 10000 users x 100 sessions (focusctl seed), run
-- as the worker runs it (generic plan, EXPLAIN ANALYZE, rolled back), and
-- the median execution time of 11 runs on the machine that wrote this file.
-- `make check` (t/check_statements) fails when the SQL below is not the
-- registry's; the times are allowed to differ.

-- == health
-- GET /api/health: the database answers.
-- index: (none); expected plan: Result
-- median execution: 0.001 ms over 11 runs
-- plan:
--   Result  (cost=0.00..0.01 rows=1 width=4) (actual time=0.000..0.001 rows=1 loops=1)
--   Planning Time: 0.009 ms
--   Execution Time: 0.004 ms
PREPARE health AS
SELECT 1 AS ok;

-- == lock_user
-- Start and next: serialize one user's starts and catch the cycle up to now (time's up, auto-start), pipelined before the write in one round trip.
-- index: sessions_pkey; expected plan: LockRows / Index Scan using sessions_pkey
-- median execution: 0.037 ms over 11 runs
-- plan:
--   CTE Scan on u  (cost=16.75..17.02 rows=1 width=20) (actual time=0.501..0.503 rows=1 loops=1)
--     Buffers: shared hit=69 read=2 dirtied=1
--     CTE u
--       ->  LockRows  (cost=0.70..16.75 rows=1 width=28) (actual time=0.046..0.047 rows=1 loops=1)
--             Buffers: shared hit=8
--             ->  Nested Loop  (cost=0.70..16.74 rows=1 width=28) (actual time=0.019..0.020 rows=1 loops=1)
--                   Buffers: shared hit=7
--                   ->  Index Scan using sessions_pkey on sessions s  (cost=0.41..8.44 rows=1 width=22) (actual time=0.012..0.012 rows=1 loops=1)
--                         Index Cond: (token_hash = $1)
--                         Filter: (expires_at > now())
--                         Buffers: shared hit=4
--                   ->  Index Scan using users_pkey on users u_1  (cost=0.29..8.30 rows=1 width=22) (actual time=0.006..0.006 rows=1 loops=1)
--                         Index Cond: (id = s.user_id)
--                         Buffers: shared hit=3
--   Planning:
--     Buffers: shared hit=53 read=5
--   Planning Time: 0.347 ms
--   Execution Time: 1.115 ms
PREPARE lock_user AS
WITH u AS (SELECT u.id FROM sessions s JOIN users u ON u.id = s.user_id
	WHERE s.token_hash = $1::bytea AND s.expires_at > now() FOR NO KEY UPDATE OF u)
SELECT u.id, focus_catch_up(u.id) AS caught_up FROM u;

-- == auth_me
-- GET /api/auth/me: the caller's user.
-- index: sessions_pkey; expected plan: Index Scan using sessions_pkey
-- median execution: 0.017 ms over 11 runs
-- plan:
--   Nested Loop Left Join  (cost=0.41..16.76 rows=1 width=80) (actual time=0.008..0.009 rows=1 loops=1)
--     Buffers: shared hit=7
--     ->  Result  (cost=0.00..0.01 rows=1 width=0) (actual time=0.000..0.000 rows=1 loops=1)
--     ->  Index Scan using sessions_pkey on sessions me  (cost=0.41..8.44 rows=1 width=16) (actual time=0.004..0.004 rows=1 loops=1)
--           Index Cond: (token_hash = $1)
--           Filter: (expires_at > now())
--           Buffers: shared hit=4
--     SubPlan 1
--       ->  Index Scan using users_pkey on users u  (cost=0.29..8.30 rows=1 width=18) (actual time=0.002..0.002 rows=1 loops=1)
--             Index Cond: (id = me.user_id)
--             Buffers: shared hit=3
--   Planning:
--     Buffers: shared hit=3
--   Planning Time: 0.097 ms
--   Execution Time: 0.026 ms
PREPARE auth_me AS
SELECT CASE WHEN me.user_id IS NULL THEN 'unauthorized' ELSE 'ok' END AS outcome, me.user_id,
	(SELECT u.name FROM users u WHERE u.id = me.user_id)
FROM (VALUES (1)) AS one
LEFT JOIN sessions me ON me.token_hash = $1::bytea AND me.expires_at > now()
;

-- == auth_login_lookup
-- POST /api/auth/login, step 1: the user's password hash and the recent failures of the name from this client, of the name, and of this client (limits.h).
-- index: login_failures_name_client; expected plan: Index Only Scan using login_failures_name_client
-- median execution: 0.030 ms over 11 runs
-- plan:
--   Nested Loop Left Join  (cost=29.94..37.98 rows=1 width=72) (actual time=0.045..0.046 rows=1 loops=1)
--     Buffers: shared hit=2 read=6
--     InitPlan 1 (returns $0)
--       ->  Aggregate  (cost=8.31..8.32 rows=1 width=8) (actual time=0.016..0.016 rows=1 loops=1)
--             Buffers: shared read=2
--             ->  Index Only Scan using login_failures_name_client on login_failures l  (cost=0.29..8.31 rows=1 width=0) (actual time=0.014..0.014 rows=0 loops=1)
--                   Index Cond: ((name = $1) AND (client = $2) AND (failed_at > (now() - make_interval(0, 0, 0, 0, 0, 0, ($3)::double precision))))
--                   Heap Fetches: 0
--                   Buffers: shared read=2
--     InitPlan 2 (returns $1)
--       ->  Aggregate  (cost=8.31..8.32 rows=1 width=8) (actual time=0.002..0.003 rows=1 loops=1)
--             Buffers: shared hit=2
--             ->  Index Only Scan using login_failures_name_client on login_failures l_1  (cost=0.29..8.31 rows=1 width=0) (actual time=0.002..0.002 rows=0 loops=1)
--                   Index Cond: ((name = $1) AND (failed_at > (now() - make_interval(0, 0, 0, 0, 0, 0, ($3)::double precision))))
--                   Heap Fetches: 0
--                   Buffers: shared hit=2
--     InitPlan 3 (returns $2)
--       ->  Aggregate  (cost=13.00..13.01 rows=1 width=8) (actual time=0.011..0.011 rows=1 loops=1)
--             Buffers: shared read=2
--             ->  Bitmap Heap Scan on login_failures l_2  (cost=4.32..12.99 rows=3 width=0) (actual time=0.011..0.011 rows=0 loops=1)
--                   Recheck Cond: ((client = $2) AND (failed_at > (now() - make_interval(0, 0, 0, 0, 0, 0, ($3)::double precision))))
--                   Buffers: shared read=2
--                   ->  Bitmap Index Scan on login_failures_client  (cost=0.00..4.32 rows=3 width=0) (actual time=0.010..0.010 rows=0 loops=1)
--                         Index Cond: ((client = $2) AND (failed_at > (now() - make_interval(0, 0, 0, 0, 0, 0, ($3)::double precision))))
--                         Buffers: shared read=2
--     ->  Result  (cost=0.00..0.01 rows=1 width=0) (actual time=0.000..0.000 rows=1 loops=1)
--     ->  Index Scan using users_name_key on users u  (cost=0.29..8.30 rows=1 width=48) (actual time=0.013..0.013 rows=0 loops=1)
--           Index Cond: (name = $1)
--           Buffers: shared read=2
--   Planning:
--     Buffers: shared hit=58 read=3
--   Planning Time: 0.340 ms
--   Execution Time: 0.077 ms
PREPARE auth_login_lookup AS
SELECT u.id, u.password_hash,
	(SELECT count(*) FROM login_failures l WHERE l.name = $1 AND l.client = $2
	   AND l.failed_at > now() - make_interval(secs => $3::integer)) AS pair_failures,
	(SELECT count(*) FROM login_failures l WHERE l.name = $1
	   AND l.failed_at > now() - make_interval(secs => $3::integer)) AS name_failures,
	(SELECT count(*) FROM login_failures l WHERE l.client = $2
	   AND l.failed_at > now() - make_interval(secs => $3::integer)) AS client_failures
FROM (VALUES (1)) AS one LEFT JOIN users u ON u.name = $1;

-- == auth_login_ok
-- POST /api/auth/login, step 2: store the new token's hash as a sign-in, end the oldest beyond the cap (and drop the user's expired ones).
-- index: (none); expected plan: Result
-- median execution: 0.013 ms over 11 runs
-- plan:
--   Result  (cost=0.00..0.26 rows=1 width=1) (actual time=0.135..0.135 rows=1 loops=1)
--     Buffers: shared hit=3
--   Planning Time: 0.016 ms
--   Execution Time: 0.139 ms
PREPARE auth_login_ok AS
SELECT focus_sign_in($2::uuid, $1::bytea, $3::text, $4::integer, $5::integer) AS signed_in;

-- == auth_login_failed
-- POST /api/auth/login and /api/auth/password, step 2 on a wrong password: count the failure (and forget old ones).
-- index: login_failures_name_client; expected plan: Insert on login_failures
-- median execution: 0.029 ms over 11 runs
-- plan:
--   Insert on login_failures  (cost=19.49..19.51 rows=0 width=0) (actual time=0.118..0.118 rows=0 loops=1)
--     Buffers: shared hit=13 read=5 dirtied=5
--     CTE old
--       ->  Delete on login_failures login_failures_1  (cost=8.62..19.49 rows=0 width=0) (actual time=0.005..0.005 rows=0 loops=1)
--             Buffers: shared hit=4
--             ->  Bitmap Heap Scan on login_failures login_failures_1  (cost=8.62..19.49 rows=4 width=6) (actual time=0.005..0.005 rows=0 loops=1)
--                   Recheck Cond: (((name = $1) AND (failed_at < (now() - make_interval(0, 0, 0, 0, 0, 0, ($3)::double precision)))) OR ((client = $2) AND (failed_at < (now() - make_interval(0, 0, 0, 0, 0, 0, ($3)::double precision)))))
--                   Filter: (failed_at < (now() - make_interval(0, 0, 0, 0, 0, 0, ($3)::double precision)))
--                   Buffers: shared hit=4
--                   ->  BitmapOr  (cost=8.62..8.62 rows=4 width=0) (actual time=0.004..0.004 rows=0 loops=1)
--                         Buffers: shared hit=4
--                         ->  Bitmap Index Scan on login_failures_name_client  (cost=0.00..4.30 rows=1 width=0) (actual time=0.003..0.003 rows=0 loops=1)
--                               Index Cond: ((name = $1) AND (failed_at < (now() - make_interval(0, 0, 0, 0, 0, 0, ($3)::double precision))))
--                               Buffers: shared hit=2
--                         ->  Bitmap Index Scan on login_failures_client  (cost=0.00..4.32 rows=3 width=0) (actual time=0.001..0.001 rows=0 loops=1)
--                               Index Cond: ((client = $2) AND (failed_at < (now() - make_interval(0, 0, 0, 0, 0, 0, ($3)::double precision))))
--                               Buffers: shared hit=2
--     ->  Result  (cost=0.00..0.01 rows=1 width=80) (actual time=0.041..0.041 rows=1 loops=1)
--           Buffers: shared hit=9 read=1 dirtied=1
--   Planning:
--     Buffers: shared hit=3
--   Planning Time: 0.095 ms
--   Execution Time: 0.193 ms
PREPARE auth_login_failed AS
WITH old AS (DELETE FROM login_failures WHERE failed_at < now() - make_interval(secs => $3::integer) AND (name = $1 OR client = $2))
INSERT INTO login_failures (name, client) VALUES ($1, $2);

-- == auth_logout
-- POST /api/auth/logout: delete the caller's session row.
-- index: sessions_pkey; expected plan: Delete on sessions / Index Scan using sessions_pkey
-- median execution: 0.026 ms over 11 runs
-- plan:
--   Nested Loop Left Join  (cost=16.89..16.93 rows=1 width=48) (actual time=0.012..0.014 rows=1 loops=1)
--     Buffers: shared hit=4
--     CTE me
--       ->  Index Scan using sessions_pkey on sessions s  (cost=0.41..8.44 rows=1 width=16) (actual time=0.011..0.011 rows=1 loops=1)
--             Index Cond: (token_hash = $1)
--             Filter: (expires_at > now())
--             Buffers: shared hit=4
--     CTE gone
--       ->  Delete on sessions s_1  (cost=0.41..8.46 rows=1 width=30) (actual time=0.023..0.024 rows=1 loops=1)
--             Buffers: shared hit=6
--             ->  Nested Loop  (cost=0.41..8.46 rows=1 width=30) (actual time=0.006..0.007 rows=1 loops=1)
--                   Buffers: shared hit=4
--                   ->  Index Scan using sessions_pkey on sessions s_1  (cost=0.41..8.43 rows=1 width=6) (actual time=0.002..0.002 rows=1 loops=1)
--                         Index Cond: (token_hash = $1)
--                         Buffers: shared hit=4
--                   ->  CTE Scan on me me_1  (cost=0.00..0.02 rows=1 width=24) (actual time=0.003..0.004 rows=1 loops=1)
--     ->  Result  (cost=0.00..0.01 rows=1 width=0) (actual time=0.000..0.000 rows=1 loops=1)
--     ->  CTE Scan on me  (cost=0.00..0.02 rows=1 width=16) (actual time=0.011..0.012 rows=1 loops=1)
--           Buffers: shared hit=4
--   Planning Time: 0.090 ms
--   Execution Time: 0.064 ms
PREPARE auth_logout AS
WITH me AS (SELECT s.user_id FROM sessions s WHERE s.token_hash = $1::bytea AND s.expires_at > now()),
gone AS (DELETE FROM sessions s USING me WHERE s.token_hash = $1 RETURNING s.user_id)
SELECT CASE WHEN me.user_id IS NULL THEN 'unauthorized' ELSE 'ok' END AS outcome, me.user_id
FROM (VALUES (1)) AS one LEFT JOIN me ON true
;

-- == session_start
-- POST /api/focus: end the caller's open session and start a new one, in one statement. Concurrent starts queue on the user lock (STMT_USER_LOCK); focus_sessions_one_open is the invariant, and a start that still collides runs again.
-- index: focus_sessions_one_open; expected plan: Insert on focus_sessions / Index Scan using focus_sessions_one_open
-- median execution: 0.455 ms over 11 runs
-- plan:
--   Nested Loop Left Join  (cost=25.43..25.50 rows=1 width=276) (actual time=0.790..0.794 rows=1 loops=1)
--     Buffers: shared hit=78 read=14 dirtied=7
--     CTE me
--       ->  Index Scan using sessions_pkey on sessions s  (cost=0.41..8.44 rows=1 width=16) (actual time=0.011..0.011 rows=1 loops=1)
--             Index Cond: (token_hash = $1)
--             Filter: (expires_at > now())
--             Buffers: shared hit=4
--     CTE closed
--       ->  Update on focus_sessions f  (cost=0.28..8.33 rows=1 width=94) (actual time=0.337..0.340 rows=1 loops=1)
--             Buffers: shared hit=42 read=7 dirtied=5
--             ->  Nested Loop  (cost=0.28..8.33 rows=1 width=94) (actual time=0.019..0.021 rows=1 loops=1)
--                   Buffers: shared hit=3
--                   ->  CTE Scan on me me_1  (cost=0.00..0.02 rows=1 width=56) (actual time=0.005..0.006 rows=1 loops=1)
--                   ->  Index Scan using focus_sessions_one_open on focus_sessions f  (cost=0.28..8.30 rows=1 width=22) (actual time=0.012..0.013 rows=1 loops=1)
--                         Index Cond: (user_id = me_1.user_id)
--                         Filter: open
--                         Buffers: shared hit=3
--     CTE ins
--       ->  Insert on focus_sessions f_1  (cost=0.32..8.66 rows=1 width=245) (actual time=0.775..0.777 rows=1 loops=1)
--             Buffers: shared hit=74 read=14 dirtied=7
--             InitPlan 3 (returns $4)
--               ->  Aggregate  (cost=0.02..0.03 rows=1 width=8) (actual time=0.342..0.342 rows=1 loops=1)
--                     Buffers: shared hit=42 read=7 dirtied=5
--                     ->  CTE Scan on closed  (cost=0.00..0.02 rows=1 width=0) (actual time=0.337..0.340 rows=1 loops=1)
--                           Buffers: shared hit=42 read=7 dirtied=5
--             ->  Result  (cost=0.29..8.63 rows=1 width=245) (actual time=0.631..0.632 rows=1 loops=1)
--                   One-Time Filter: ($4 >= 0)
--                   Buffers: shared hit=56 read=10 dirtied=5
--                   ->  Nested Loop  (cost=0.29..8.33 rows=1 width=28) (actual time=0.017..0.018 rows=1 loops=1)
--                         Buffers: shared read=3
--                         ->  CTE Scan on me me_2  (cost=0.00..0.02 rows=1 width=16) (actual time=0.000..0.000 rows=1 loops=1)
--                         ->  Index Scan using focus_settings_pkey on focus_settings st  (cost=0.29..8.30 rows=1 width=28) (actual time=0.016..0.016 rows=1 loops=1)
--                               Index Cond: (user_id = me_2.user_id)
--                               Buffers: shared read=3
--     ->  Nested Loop Left Join  (cost=0.00..0.04 rows=1 width=16) (actual time=0.013..0.013 rows=1 loops=1)
--           Buffers: shared hit=4
--           ->  Result  (cost=0.00..0.01 rows=1 width=0) (actual time=0.000..0.000 rows=1 loops=1)
--           ->  CTE Scan on me  (cost=0.00..0.02 rows=1 width=16) (actual time=0.012..0.012 rows=1 loops=1)
--                 Buffers: shared hit=4
--     ->  CTE Scan on ins x  (cost=0.00..0.02 rows=1 width=220) (actual time=0.776..0.777 rows=1 loops=1)
--           Buffers: shared hit=74 read=14 dirtied=7
--   Planning:
--     Buffers: shared hit=149 read=4
--   Planning Time: 0.830 ms
--   Trigger for constraint focus_sessions_user_id_fkey on focus_sessions: time=0.077 calls=1
--   Trigger focus_sessions_cache_ins on focus_sessions: time=0.330 calls=1
--   Trigger focus_sessions_state_ins on focus_sessions: time=0.126 calls=1
--   Trigger focus_sessions_state_upd on focus_sessions: time=0.538 calls=1
--   Execution Time: 2.006 ms
PREPARE session_start AS
WITH me AS (SELECT s.user_id FROM sessions s WHERE s.token_hash = $1::bytea AND s.expires_at > now()),
closed AS (
	UPDATE focus_sessions f SET status = 'abandoned', abandoned_at = now(), paused_at = NULL
	FROM me WHERE f.user_id = me.user_id AND f.open
	RETURNING f.id),
dur AS (
	SELECT me.user_id, coalesce($3::integer, CASE $2::text WHEN 'focus' THEN st.focus_seconds
		WHEN 'break' THEN st.short_break_seconds ELSE st.long_break_seconds END) AS secs
	FROM me JOIN focus_settings st ON st.user_id = me.user_id),
ins AS (
	INSERT INTO focus_sessions AS f (user_id, mode, duration_seconds, started_at, expires_at, task_id, task_title, cycle_position)
	SELECT dur.user_id, $2::text, dur.secs, now(), now() + make_interval(secs => dur.secs), $4::uuid, $5::text,
		CASE WHEN $2::text = 'focus' THEN focus_next_position(dur.user_id) END FROM dur
	WHERE (SELECT count(*) FROM closed) >= 0
	RETURNING f.*)
SELECT CASE WHEN me.user_id IS NULL THEN 'unauthorized' ELSE 'ok' END AS outcome, me.user_id, x.id, x.mode, x.duration_seconds, x.started_at, x.expires_at, x.paused_at, x.completed_at, x.abandoned_at, x.status, x.focused_seconds, x.xp_awarded, x.coins_awarded, x.task_id, x.task_title, x.cycle_position, x.source, now()
FROM (VALUES (1)) AS one LEFT JOIN me ON true
LEFT JOIN ins x ON true
;

-- == session_list
-- GET /api/focus: a page of the caller's sessions, newest first, with the exact total.
-- index: focus_sessions_user_started; expected plan: Index Scan using focus_sessions_user_started
-- median execution: 0.100 ms over 11 runs
-- plan:
--   Sort  (cost=479.70..479.73 rows=10 width=209) (actual time=0.200..0.202 rows=20 loops=1)
--     Sort Key: f_1.started_at DESC, f_1.id DESC
--     Sort Method: quicksort  Memory: 28kB
--     Buffers: shared hit=136
--     ->  Nested Loop Left Join  (cost=430.26..479.54 rows=10 width=209) (actual time=0.180..0.192 rows=20 loops=1)
--           Buffers: shared hit=136
--           ->  Nested Loop Left Join  (cost=388.86..396.94 rows=1 width=56) (actual time=0.175..0.176 rows=1 loops=1)
--                 Buffers: shared hit=111
--                 ->  Nested Loop Left Join  (cost=0.41..8.46 rows=1 width=16) (actual time=0.007..0.008 rows=1 loops=1)
--                       Buffers: shared hit=4
--                       ->  Result  (cost=0.00..0.01 rows=1 width=0) (actual time=0.000..0.000 rows=1 loops=1)
--                       ->  Index Scan using sessions_pkey on sessions me  (cost=0.41..8.44 rows=1 width=16) (actual time=0.006..0.006 rows=1 loops=1)
--                             Index Cond: (token_hash = $1)
--                             Filter: (expires_at > now())
--                             Buffers: shared hit=4
--                 ->  Aggregate  (cost=388.45..388.46 rows=1 width=40) (actual time=0.167..0.168 rows=1 loops=1)
--                       Buffers: shared hit=107
--                       ->  Bitmap Heap Scan on focus_sessions f  (cost=9.19..388.20 rows=100 width=0) (actual time=0.028..0.161 rows=100 loops=1)
--                             Recheck Cond: (user_id = me.user_id)
--                             Heap Blocks: exact=101
--                             Buffers: shared hit=107
--                             ->  Bitmap Index Scan on focus_sessions_no_overlap  (cost=0.00..9.16 rows=100 width=0) (actual time=0.018..0.018 rows=102 loops=1)
--                                   Index Cond: (user_id = me.user_id)
--                                   Buffers: shared hit=6
--           ->  Limit  (cost=41.40..82.37 rows=10 width=145) (actual time=0.004..0.013 rows=20 loops=1)
--                 Buffers: shared hit=25
--                 ->  Index Scan using focus_sessions_user_started on focus_sessions f_1  (cost=0.42..410.17 rows=100 width=145) (actual time=0.004..0.011 rows=20 loops=1)
--                       Index Cond: (user_id = me.user_id)
--                       Buffers: shared hit=25
--   Planning Time: 0.189 ms
--   Execution Time: 0.227 ms
PREPARE session_list AS
SELECT head.outcome, me.user_id, head.total, pg.id, pg.mode, pg.duration_seconds, pg.started_at, pg.expires_at, pg.paused_at, pg.completed_at, pg.abandoned_at, pg.status, pg.focused_seconds, pg.xp_awarded, pg.coins_awarded, pg.task_id, pg.task_title, pg.cycle_position, pg.source, now()
FROM (VALUES (1)) AS one
LEFT JOIN sessions me ON me.token_hash = $1::bytea AND me.expires_at > now()
LEFT JOIN LATERAL (SELECT CASE WHEN me.user_id IS NULL THEN 'unauthorized' ELSE 'ok' END AS outcome, count(*) AS total
	FROM focus_sessions f WHERE f.user_id = me.user_id) AS head ON true
LEFT JOIN LATERAL (SELECT f.id, f.mode, f.duration_seconds, f.started_at, f.expires_at, f.paused_at, f.completed_at, f.abandoned_at, f.status, f.focused_seconds, f.xp_awarded, f.coins_awarded, f.task_id, f.task_title, f.cycle_position, f.source FROM focus_sessions f WHERE f.user_id = me.user_id
	ORDER BY f.started_at DESC, f.id DESC LIMIT $2::integer OFFSET $3::integer) AS pg ON true
ORDER BY pg.started_at DESC, pg.id DESC;

-- == session_stats
-- GET /api/focus/stats: counts and sums over the caller's sessions started in the period ($2 NULL: all time).
-- index: focus_sessions_user_started; expected plan: Index Scan using focus_sessions_user_started
-- median execution: 0.033 ms over 11 runs
-- plan:
--   Nested Loop Left Join  (cost=134.45..142.52 rows=1 width=96) (actual time=0.019..0.020 rows=1 loops=1)
--     Buffers: shared hit=9
--     ->  Nested Loop Left Join  (cost=0.41..8.46 rows=1 width=16) (actual time=0.004..0.005 rows=1 loops=1)
--           Buffers: shared hit=4
--           ->  Result  (cost=0.00..0.01 rows=1 width=0) (actual time=0.000..0.000 rows=1 loops=1)
--           ->  Index Scan using sessions_pkey on sessions me  (cost=0.41..8.44 rows=1 width=16) (actual time=0.003..0.004 rows=1 loops=1)
--                 Index Cond: (token_hash = $1)
--                 Filter: (expires_at > now())
--                 Buffers: shared hit=4
--     ->  Aggregate  (cost=134.04..134.05 rows=1 width=48) (actual time=0.013..0.014 rows=1 loops=1)
--           Buffers: shared hit=5
--           ->  Bitmap Heap Scan on focus_sessions f  (cost=4.77..133.21 rows=33 width=27) (actual time=0.008..0.009 rows=2 loops=1)
--                 Recheck Cond: ((user_id = me.user_id) AND (started_at >= COALESCE((now() - $2), '-infinity'::timestamp with time zone)))
--                 Heap Blocks: exact=2
--                 Buffers: shared hit=5
--                 ->  Bitmap Index Scan on focus_sessions_user_started  (cost=0.00..4.76 rows=33 width=0) (actual time=0.003..0.003 rows=2 loops=1)
--                       Index Cond: ((user_id = me.user_id) AND (started_at >= COALESCE((now() - $2), '-infinity'::timestamp with time zone)))
--                       Buffers: shared hit=3
--   Planning:
--     Buffers: shared hit=5 read=1
--   Planning Time: 0.182 ms
--   Execution Time: 0.040 ms
PREPARE session_stats AS
SELECT CASE WHEN me.user_id IS NULL THEN 'unauthorized' ELSE 'ok' END AS outcome, me.user_id,
	t.completed, t.abandoned, t.total, t.focus_seconds, t.xp, t.coins
FROM (VALUES (1)) AS one
LEFT JOIN sessions me ON me.token_hash = $1::bytea AND me.expires_at > now()
LEFT JOIN LATERAL (SELECT count(*) FILTER (WHERE f.status = 'completed') AS completed,
		count(*) FILTER (WHERE f.status = 'abandoned') AS abandoned,
		count(*) AS total,
		coalesce(sum(f.focused_seconds) FILTER (WHERE f.status = 'completed' AND f.mode = 'focus'), 0) AS focus_seconds,
		coalesce(sum(f.xp_awarded), 0) AS xp,
		coalesce(sum(f.coins_awarded), 0) AS coins
	 FROM focus_sessions f
	 WHERE f.user_id = me.user_id AND f.started_at >= coalesce(now() - $2::interval, '-infinity')) AS t ON true
;

-- == session_active
-- GET /api/focus/active, GET /api/focus/pause and the events' authorization: the caller's open session, its pause state, the cycle's next phase and the state's version.
-- index: focus_sessions_one_open; expected plan: Index Scan using focus_sessions_one_open
-- median execution: 0.151 ms over 11 runs
-- plan:
--   Nested Loop Left Join  (cost=1.54..41.14 rows=1 width=250) (actual time=0.449..0.455 rows=1 loops=1)
--     Buffers: shared hit=24
--     ->  Nested Loop Left Join  (cost=0.98..25.07 rows=1 width=169) (actual time=0.232..0.236 rows=1 loops=1)
--           Buffers: shared hit=13
--           ->  Result  (cost=0.00..0.01 rows=1 width=0) (actual time=0.000..0.000 rows=1 loops=1)
--           ->  Nested Loop Left Join  (cost=0.98..25.05 rows=1 width=169) (actual time=0.034..0.038 rows=1 loops=1)
--                 Buffers: shared hit=13
--                 ->  Nested Loop Left Join  (cost=0.69..16.74 rows=1 width=161) (actual time=0.021..0.024 rows=1 loops=1)
--                       Buffers: shared hit=9
--                       ->  Index Scan using sessions_pkey on sessions me  (cost=0.41..8.44 rows=1 width=16) (actual time=0.010..0.010 rows=1 loops=1)
--                             Index Cond: (token_hash = $1)
--                             Filter: (expires_at > now())
--                             Buffers: shared hit=4
--                       ->  Index Scan using focus_sessions_one_open on focus_sessions o  (cost=0.28..8.30 rows=1 width=161) (actual time=0.009..0.012 rows=1 loops=1)
--                             Index Cond: (user_id = me.user_id)
--                             Buffers: shared hit=5
--                 ->  Index Scan using focus_state_pkey on focus_state vs  (cost=0.29..8.30 rows=1 width=24) (actual time=0.013..0.013 rows=1 loops=1)
--                       Index Cond: (user_id = me.user_id)
--                       Buffers: shared hit=4
--     ->  Nested Loop Left Join  (cost=0.57..16.05 rows=1 width=41) (actual time=0.212..0.213 rows=1 loops=1)
--           Buffers: shared hit=11
--           ->  Index Scan using focus_settings_pkey on focus_settings st  (cost=0.29..8.30 rows=1 width=18) (actual time=0.011..0.012 rows=1 loops=1)
--                 Index Cond: (user_id = me.user_id)
--                 Buffers: shared hit=3
--           ->  Limit  (cost=0.28..7.45 rows=1 width=37) (actual time=0.011..0.012 rows=1 loops=1)
--                 Buffers: shared hit=3
--                 ->  Append  (cost=0.28..14.61 rows=2 width=37) (actual time=0.011..0.011 rows=1 loops=1)
--                       Buffers: shared hit=3
--                       ->  Index Scan using focus_sessions_one_open on focus_sessions f  (cost=0.28..8.30 rows=1 width=37) (actual time=0.010..0.010 rows=1 loops=1)
--                             Index Cond: (user_id = me.user_id)
--                             Buffers: shared hit=3
--                       ->  Subquery Scan on "*SELECT* 2"  (cost=0.42..6.30 rows=1 width=37) (never executed)
--                             ->  Limit  (cost=0.42..6.29 rows=1 width=61) (never executed)
--                                   ->  Index Scan using focus_sessions_user_started on focus_sessions f_1  (cost=0.42..410.67 rows=70 width=61) (never executed)
--                                         Index Cond: (user_id = me.user_id)
--                                         Filter: (((status)::text = 'completed'::text) AND ((source)::text = 'timer'::text))
--   Planning:
--     Buffers: shared hit=43 read=8 dirtied=3
--   Planning Time: 0.787 ms
--   Execution Time: 0.544 ms
PREPARE session_active AS
SELECT CASE WHEN me.user_id IS NULL THEN 'unauthorized' ELSE 'ok' END AS outcome, me.user_id, o.id, o.mode, o.duration_seconds, o.started_at, o.expires_at, o.paused_at, o.completed_at, o.abandoned_at, o.status, o.focused_seconds, o.xp_awarded, o.coins_awarded, o.task_id, o.task_title, o.cycle_position, o.source, now(),
	nx.mode AS next_mode, nx.duration_seconds AS next_duration_seconds,
	nx.cycle_position AS next_cycle_position, nx.auto_start AS next_auto_start,
	coalesce(vs.version, 0) AS version
FROM (VALUES (1)) AS one
LEFT JOIN sessions me ON me.token_hash = $1::bytea AND me.expires_at > now()
LEFT JOIN focus_sessions o ON o.user_id = me.user_id AND o.open
LEFT JOIN LATERAL focus_next(me.user_id) nx ON true
LEFT JOIN focus_state vs ON vs.user_id = me.user_id
;

-- == pause
-- POST /api/focus/pause: freeze the caller's running timer (paused_at; expires_at stays); $2 If-Match's tags (NULL: none).
-- index: focus_sessions_one_open; expected plan: Update on focus_sessions / Index Scan using focus_sessions_one_open
-- median execution: 0.097 ms over 11 runs
-- plan:
--   Nested Loop Left Join  (cost=33.60..41.97 rows=1 width=276) (actual time=0.079..0.082 rows=1 loops=1)
--     Buffers: shared hit=13
--     CTE me
--       ->  Index Scan using sessions_pkey on sessions s  (cost=0.41..8.44 rows=1 width=16) (actual time=0.010..0.010 rows=1 loops=1)
--             Index Cond: (token_hash = $1)
--             Filter: (expires_at > now())
--             Buffers: shared hit=4
--     CTE held
--       ->  LockRows  (cost=0.28..8.34 rows=1 width=62) (actual time=0.039..0.040 rows=1 loops=1)
--             Buffers: shared hit=4
--             ->  Result  (cost=0.28..8.33 rows=1 width=62) (actual time=0.013..0.014 rows=1 loops=1)
--                   One-Time Filter: ($2 IS NOT NULL)
--                   Buffers: shared hit=3
--                   ->  Nested Loop  (cost=0.28..8.33 rows=1 width=62) (actual time=0.013..0.014 rows=1 loops=1)
--                         Buffers: shared hit=3
--                         ->  CTE Scan on me me_1  (cost=0.00..0.02 rows=1 width=56) (actual time=0.002..0.003 rows=1 loops=1)
--                         ->  Index Scan using focus_sessions_one_open on focus_sessions f  (cost=0.28..8.30 rows=1 width=38) (actual time=0.010..0.010 rows=1 loops=1)
--                               Index Cond: (user_id = me_1.user_id)
--                               Filter: open
--                               Buffers: shared hit=3
--     CTE vs
--       ->  LockRows  (cost=0.32..8.38 rows=1 width=54) (actual time=0.057..0.058 rows=1 loops=1)
--             Buffers: shared hit=9
--             InitPlan 3 (returns $4)
--               ->  Aggregate  (cost=0.02..0.03 rows=1 width=8) (actual time=0.042..0.042 rows=1 loops=1)
--                     Buffers: shared hit=4
--                     ->  CTE Scan on held  (cost=0.00..0.02 rows=1 width=0) (actual time=0.039..0.041 rows=1 loops=1)
--                           Buffers: shared hit=4
--             ->  Result  (cost=0.29..8.33 rows=1 width=54) (actual time=0.051..0.052 rows=1 loops=1)
--                   One-Time Filter: (($2 IS NOT NULL) AND ($4 >= 0))
--                   Buffers: shared hit=8
--                   ->  Nested Loop  (cost=0.29..8.33 rows=1 width=54) (actual time=0.008..0.008 rows=1 loops=1)
--                         Buffers: shared hit=4
--                         ->  CTE Scan on me me_2  (cost=0.00..0.02 rows=1 width=56) (actual time=0.001..0.001 rows=1 loops=1)
--                         ->  Index Scan using focus_state_pkey on focus_state v  (cost=0.29..8.30 rows=1 width=30) (actual time=0.007..0.007 rows=1 loops=1)
--                               Index Cond: (user_id = me_2.user_id)
--                               Buffers: shared hit=4
--     CTE pre
--       ->  CTE Scan on me me_3  (cost=0.02..0.07 rows=1 width=1) (actual time=0.062..0.062 rows=1 loops=1)
--             Buffers: shared hit=9
--             InitPlan 5 (returns $8)
--               ->  CTE Scan on vs  (cost=0.00..0.02 rows=1 width=8) (actual time=0.058..0.058 rows=1 loops=1)
--                     Buffers: shared hit=9
--     CTE paused
--       ->  Update on focus_sessions f_1  (cost=0.30..8.36 rows=1 width=86) (actual time=0.066..0.066 rows=0 loops=1)
--             Buffers: shared hit=9
--             InitPlan 7 (returns $10)
--               ->  CTE Scan on pre  (cost=0.00..0.02 rows=1 width=1) (actual time=0.062..0.062 rows=1 loops=1)
--                     Buffers: shared hit=9
--             ->  Result  (cost=0.28..8.34 rows=1 width=86) (actual time=0.063..0.063 rows=0 loops=1)
--                   One-Time Filter: COALESCE($10, true)
--                   Buffers: shared hit=9
--                   ->  Nested Loop  (cost=0.28..8.33 rows=1 width=46) (never executed)
--                         Join Filter: (f_1.user_id = me_4.user_id)
--                         ->  Index Scan using focus_sessions_active_expires on focus_sessions f_1  (cost=0.28..8.30 rows=1 width=22) (never executed)
--                               Index Cond: (expires_at > now())
--                               Filter: (open AND ((status)::text = 'active'::text))
--                         ->  CTE Scan on me me_4  (cost=0.00..0.02 rows=1 width=56) (never executed)
--     InitPlan 9 (returns $13)
--       ->  CTE Scan on pre pre_1  (cost=0.00..0.02 rows=1 width=1) (actual time=0.000..0.000 rows=1 loops=1)
--     ->  Nested Loop Left Join  (cost=0.00..0.04 rows=1 width=16) (actual time=0.012..0.012 rows=1 loops=1)
--           Buffers: shared hit=4
--           ->  Result  (cost=0.00..0.01 rows=1 width=0) (actual time=0.000..0.000 rows=1 loops=1)
--           ->  CTE Scan on me  (cost=0.00..0.02 rows=1 width=16) (actual time=0.011..0.011 rows=1 loops=1)
--                 Buffers: shared hit=4
--     ->  CTE Scan on paused x  (cost=0.00..0.02 rows=1 width=220) (actual time=0.066..0.066 rows=0 loops=1)
--           Buffers: shared hit=9
--     SubPlan 10
--       ->  Index Only Scan using focus_sessions_one_open on focus_sessions f_2  (cost=0.28..8.30 rows=1 width=0) (never executed)
--             Index Cond: (user_id = me.user_id)
--             Heap Fetches: 0
--   Planning:
--     Buffers: shared hit=9
--   Planning Time: 0.449 ms
--   Trigger focus_sessions_state_upd: time=0.080 calls=1
--   Execution Time: 0.302 ms
PREPARE pause AS
WITH me AS (SELECT s.user_id FROM sessions s WHERE s.token_hash = $1::bytea AND s.expires_at > now()),
held AS (SELECT f.id FROM me JOIN focus_sessions f ON f.user_id = me.user_id AND f.open
	WHERE $2::text[] IS NOT NULL FOR NO KEY UPDATE OF f),
vs AS (SELECT v.version FROM me JOIN focus_state v ON v.user_id = me.user_id
	WHERE $2::text[] IS NOT NULL AND (SELECT count(*) FROM held) >= 0 FOR NO KEY UPDATE OF v),
pre AS (SELECT $2::text[] IS NULL
	OR ('"' || me.user_id || '-' || coalesce((SELECT vs.version FROM vs), 0) || '"') = ANY ($2::text[]) AS ok
	FROM me),
paused AS (
	UPDATE focus_sessions f SET status = 'paused', paused_at = now()
	FROM me WHERE f.user_id = me.user_id AND f.open AND f.status = 'active' AND f.expires_at > now()
	  AND coalesce((SELECT ok FROM pre), true)
	RETURNING f.*)
SELECT CASE WHEN me.user_id IS NULL THEN 'unauthorized' WHEN NOT coalesce((SELECT ok FROM pre), true) THEN 'precondition_failed'
WHEN x.id IS NOT NULL THEN 'ok'
	WHEN EXISTS (SELECT 1 FROM focus_sessions f WHERE f.user_id = me.user_id AND f.open) THEN 'conflict' ELSE 'not_found' END AS outcome,
	me.user_id, x.id, x.mode, x.duration_seconds, x.started_at, x.expires_at, x.paused_at, x.completed_at, x.abandoned_at, x.status, x.focused_seconds, x.xp_awarded, x.coins_awarded, x.task_id, x.task_title, x.cycle_position, x.source, now()
FROM (VALUES (1)) AS one LEFT JOIN me ON true
LEFT JOIN paused x ON true
;

-- == resume
-- DELETE /api/focus/pause: resume the caller's paused session, its expires_at moved later by the pause; $2 If-Match's tags (NULL: none).
-- index: focus_sessions_one_open; expected plan: Update on focus_sessions / Index Scan using focus_sessions_one_open
-- median execution: 0.089 ms over 11 runs
-- plan:
--   Nested Loop Left Join  (cost=33.60..33.67 rows=1 width=276) (actual time=0.055..0.057 rows=1 loops=1)
--     Buffers: shared hit=13
--     CTE me
--       ->  Index Scan using sessions_pkey on sessions s  (cost=0.41..8.44 rows=1 width=16) (actual time=0.008..0.009 rows=1 loops=1)
--             Index Cond: (token_hash = $1)
--             Filter: (expires_at > now())
--             Buffers: shared hit=4
--     CTE held
--       ->  LockRows  (cost=0.28..8.34 rows=1 width=62) (actual time=0.013..0.015 rows=1 loops=1)
--             Buffers: shared hit=4
--             ->  Result  (cost=0.28..8.33 rows=1 width=62) (actual time=0.007..0.009 rows=1 loops=1)
--                   One-Time Filter: ($2 IS NOT NULL)
--                   Buffers: shared hit=3
--                   ->  Nested Loop  (cost=0.28..8.33 rows=1 width=62) (actual time=0.007..0.008 rows=1 loops=1)
--                         Buffers: shared hit=3
--                         ->  CTE Scan on me me_1  (cost=0.00..0.02 rows=1 width=56) (actual time=0.001..0.001 rows=1 loops=1)
--                         ->  Index Scan using focus_sessions_one_open on focus_sessions f  (cost=0.28..8.30 rows=1 width=38) (actual time=0.005..0.006 rows=1 loops=1)
--                               Index Cond: (user_id = me_1.user_id)
--                               Filter: open
--                               Buffers: shared hit=3
--     CTE vs
--       ->  LockRows  (cost=0.32..8.38 rows=1 width=54) (actual time=0.035..0.036 rows=1 loops=1)
--             Buffers: shared hit=9
--             InitPlan 3 (returns $4)
--               ->  Aggregate  (cost=0.02..0.03 rows=1 width=8) (actual time=0.016..0.017 rows=1 loops=1)
--                     Buffers: shared hit=4
--                     ->  CTE Scan on held  (cost=0.00..0.02 rows=1 width=0) (actual time=0.014..0.015 rows=1 loops=1)
--                           Buffers: shared hit=4
--             ->  Result  (cost=0.29..8.33 rows=1 width=54) (actual time=0.032..0.032 rows=1 loops=1)
--                   One-Time Filter: (($2 IS NOT NULL) AND ($4 >= 0))
--                   Buffers: shared hit=8
--                   ->  Nested Loop  (cost=0.29..8.33 rows=1 width=54) (actual time=0.014..0.015 rows=1 loops=1)
--                         Buffers: shared hit=4
--                         ->  CTE Scan on me me_2  (cost=0.00..0.02 rows=1 width=56) (actual time=0.001..0.001 rows=1 loops=1)
--                         ->  Index Scan using focus_state_pkey on focus_state v  (cost=0.29..8.30 rows=1 width=30) (actual time=0.013..0.013 rows=1 loops=1)
--                               Index Cond: (user_id = me_2.user_id)
--                               Buffers: shared hit=4
--     CTE pre
--       ->  CTE Scan on me me_3  (cost=0.02..0.07 rows=1 width=1) (actual time=0.041..0.041 rows=1 loops=1)
--             Buffers: shared hit=9
--             InitPlan 5 (returns $8)
--               ->  CTE Scan on vs  (cost=0.00..0.02 rows=1 width=8) (actual time=0.036..0.036 rows=1 loops=1)
--                     Buffers: shared hit=9
--     CTE resumed
--       ->  Update on focus_sessions f_1  (cost=0.30..8.36 rows=1 width=94) (actual time=0.043..0.043 rows=0 loops=1)
--             Buffers: shared hit=9
--             InitPlan 7 (returns $10)
--               ->  CTE Scan on pre  (cost=0.00..0.02 rows=1 width=1) (actual time=0.041..0.041 rows=1 loops=1)
--                     Buffers: shared hit=9
--             ->  Result  (cost=0.28..8.34 rows=1 width=94) (actual time=0.042..0.042 rows=0 loops=1)
--                   One-Time Filter: COALESCE($10, true)
--                   Buffers: shared hit=9
--                   ->  Nested Loop  (cost=0.28..8.33 rows=1 width=62) (never executed)
--                         ->  CTE Scan on me me_4  (cost=0.00..0.02 rows=1 width=56) (never executed)
--                         ->  Index Scan using focus_sessions_one_open on focus_sessions f_1  (cost=0.28..8.30 rows=1 width=38) (never executed)
--                               Index Cond: (user_id = me_4.user_id)
--                               Filter: (open AND ((status)::text = 'paused'::text))
--     InitPlan 9 (returns $14)
--       ->  CTE Scan on pre pre_1  (cost=0.00..0.02 rows=1 width=1) (actual time=0.000..0.000 rows=1 loops=1)
--     ->  Nested Loop Left Join  (cost=0.00..0.04 rows=1 width=16) (actual time=0.010..0.010 rows=1 loops=1)
--           Buffers: shared hit=4
--           ->  Result  (cost=0.00..0.01 rows=1 width=0) (actual time=0.000..0.000 rows=1 loops=1)
--           ->  CTE Scan on me  (cost=0.00..0.02 rows=1 width=16) (actual time=0.009..0.009 rows=1 loops=1)
--                 Buffers: shared hit=4
--     ->  CTE Scan on resumed x  (cost=0.00..0.02 rows=1 width=220) (actual time=0.043..0.043 rows=0 loops=1)
--           Buffers: shared hit=9
--   Planning Time: 0.404 ms
--   Trigger focus_sessions_state_upd: time=0.019 calls=1
--   Execution Time: 0.171 ms
PREPARE resume AS
WITH me AS (SELECT s.user_id FROM sessions s WHERE s.token_hash = $1::bytea AND s.expires_at > now()),
held AS (SELECT f.id FROM me JOIN focus_sessions f ON f.user_id = me.user_id AND f.open
	WHERE $2::text[] IS NOT NULL FOR NO KEY UPDATE OF f),
vs AS (SELECT v.version FROM me JOIN focus_state v ON v.user_id = me.user_id
	WHERE $2::text[] IS NOT NULL AND (SELECT count(*) FROM held) >= 0 FOR NO KEY UPDATE OF v),
pre AS (SELECT $2::text[] IS NULL
	OR ('"' || me.user_id || '-' || coalesce((SELECT vs.version FROM vs), 0) || '"') = ANY ($2::text[]) AS ok
	FROM me),
resumed AS (
	UPDATE focus_sessions f SET status = 'active', expires_at = f.expires_at + (now() - f.paused_at), paused_at = NULL
	FROM me WHERE f.user_id = me.user_id AND f.open AND f.status = 'paused'
	  AND coalesce((SELECT ok FROM pre), true)
	RETURNING f.*)
SELECT CASE WHEN me.user_id IS NULL THEN 'unauthorized' WHEN NOT coalesce((SELECT ok FROM pre), true) THEN 'precondition_failed'
WHEN x.id IS NOT NULL THEN 'ok' ELSE 'not_found' END AS outcome,
	me.user_id, x.id, x.mode, x.duration_seconds, x.started_at, x.expires_at, x.paused_at, x.completed_at, x.abandoned_at, x.status, x.focused_seconds, x.xp_awarded, x.coins_awarded, x.task_id, x.task_title, x.cycle_position, x.source, now()
FROM (VALUES (1)) AS one LEFT JOIN me ON true
LEFT JOIN resumed x ON true
;

-- == sessions_update
-- POST /api/focus/{id}/complete, /abandon, /batch and /active/...: close sessions and grant each reward once (session, ledger, progress, wallet, streak) in one statement; $4 If-Match's tags (NULL: none).
-- index: focus_sessions_pkey; expected plan: Update on focus_sessions / Index Scan using focus_sessions_pkey
-- median execution: 0.324 ms over 11 runs
-- plan:
--   Sort  (cost=385.62..385.63 rows=6 width=353) (actual time=0.362..0.383 rows=1 loops=1)
--     Sort Key: d.idx
--     Sort Method: quicksort  Memory: 25kB
--     Buffers: shared hit=24 read=3
--     CTE me
--       ->  Index Scan using sessions_pkey on sessions s  (cost=0.41..8.44 rows=1 width=16) (actual time=0.021..0.021 rows=1 loops=1)
--             Index Cond: (token_hash = $1)
--             Filter: (expires_at > now())
--             Buffers: shared hit=4
--     CTE held
--       ->  LockRows  (cost=0.28..8.34 rows=1 width=62) (actual time=0.037..0.039 rows=1 loops=1)
--             Buffers: shared hit=4
--             ->  Result  (cost=0.28..8.33 rows=1 width=62) (actual time=0.023..0.025 rows=1 loops=1)
--                   One-Time Filter: ($4 IS NOT NULL)
--                   Buffers: shared hit=3
--                   ->  Nested Loop  (cost=0.28..8.33 rows=1 width=62) (actual time=0.022..0.023 rows=1 loops=1)
--                         Buffers: shared hit=3
--                         ->  CTE Scan on me me_2  (cost=0.00..0.02 rows=1 width=56) (actual time=0.006..0.007 rows=1 loops=1)
--                         ->  Index Scan using focus_sessions_one_open on focus_sessions f  (cost=0.28..8.30 rows=1 width=38) (actual time=0.015..0.015 rows=1 loops=1)
--                               Index Cond: (user_id = me_2.user_id)
--                               Filter: open
--                               Buffers: shared hit=3
--     CTE vs
--       ->  LockRows  (cost=0.32..8.38 rows=1 width=54) (actual time=0.066..0.067 rows=1 loops=1)
--             Buffers: shared hit=9
--             InitPlan 3 (returns $4)
--               ->  Aggregate  (cost=0.02..0.03 rows=1 width=8) (actual time=0.042..0.042 rows=1 loops=1)
--                     Buffers: shared hit=4
--                     ->  CTE Scan on held  (cost=0.00..0.02 rows=1 width=0) (actual time=0.038..0.040 rows=1 loops=1)
--                           Buffers: shared hit=4
--             ->  Result  (cost=0.29..8.33 rows=1 width=54) (actual time=0.062..0.062 rows=1 loops=1)
--                   One-Time Filter: (($4 IS NOT NULL) AND ($4 >= 0))
--                   Buffers: shared hit=8
--                   ->  Nested Loop  (cost=0.29..8.33 rows=1 width=54) (actual time=0.017..0.018 rows=1 loops=1)
--                         Buffers: shared hit=4
--                         ->  CTE Scan on me me_3  (cost=0.00..0.02 rows=1 width=56) (actual time=0.002..0.002 rows=1 loops=1)
--                         ->  Index Scan using focus_state_pkey on focus_state v  (cost=0.29..8.30 rows=1 width=30) (actual time=0.014..0.014 rows=1 loops=1)
--                               Index Cond: (user_id = me_3.user_id)
--                               Buffers: shared hit=4
--     CTE pre
--       ->  CTE Scan on me me_4  (cost=0.02..0.07 rows=1 width=1) (actual time=0.072..0.073 rows=1 loops=1)
--             Buffers: shared hit=9
--             InitPlan 5 (returns $8)
--               ->  CTE Scan on vs  (cost=0.00..0.02 rows=1 width=8) (actual time=0.067..0.068 rows=1 loops=1)
--                     Buffers: shared hit=9
--     CTE req
--       ->  Result  (cost=8.35..8.48 rows=10 width=56) (actual time=0.074..0.075 rows=0 loops=1)
--             One-Time Filter: COALESCE($12, true)
--             Buffers: shared hit=9
--             InitPlan 7 (returns $11)
--               ->  Nested Loop  (cost=0.28..8.33 rows=1 width=16) (never executed)
--                     ->  CTE Scan on me me_5  (cost=0.00..0.02 rows=1 width=16) (never executed)
--                     ->  Index Scan using focus_sessions_one_open on focus_sessions o  (cost=0.28..8.30 rows=1 width=32) (never executed)
--                           Index Cond: (user_id = me_5.user_id)
--             InitPlan 8 (returns $12)
--               ->  CTE Scan on pre  (cost=0.00..0.02 rows=1 width=1) (actual time=0.073..0.073 rows=1 loops=1)
--                     Buffers: shared hit=9
--             ->  Function Scan on r  (cost=0.01..0.11 rows=10 width=56) (never executed)
--     CTE snap
--       ->  Nested Loop Left Join  (cost=0.42..85.02 rows=10 width=40) (actual time=0.077..0.078 rows=0 loops=1)
--             Join Filter: (t.session_id = f_1.id)
--             Buffers: shared hit=9
--             ->  Nested Loop Left Join  (cost=0.42..84.87 rows=10 width=73) (actual time=0.076..0.077 rows=0 loops=1)
--                   Join Filter: (f_1.user_id = me_6.user_id)
--                   Buffers: shared hit=9
--                   ->  Nested Loop  (cost=0.00..0.32 rows=10 width=72) (actual time=0.076..0.076 rows=0 loops=1)
--                         Buffers: shared hit=9
--                         ->  CTE Scan on me me_6  (cost=0.00..0.02 rows=1 width=16) (actual time=0.000..0.000 rows=1 loops=1)
--                         ->  CTE Scan on req r_1  (cost=0.00..0.20 rows=10 width=56) (actual time=0.075..0.075 rows=0 loops=1)
--                               Buffers: shared hit=9
--                   ->  Index Scan using focus_sessions_pkey on focus_sessions f_1  (cost=0.42..8.44 rows=1 width=33) (never executed)
--                         Index Cond: (id = r_1.id)
--             ->  Seq Scan on focus_timer_completions t  (cost=0.00..0.00 rows=1 width=29) (never executed)
--     CTE bad
--       ->  Limit  (cost=0.23..0.23 rows=1 width=40) (actual time=0.089..0.089 rows=0 loops=1)
--             Buffers: shared hit=9
--             ->  Sort  (cost=0.23..0.25 rows=6 width=40) (actual time=0.088..0.088 rows=0 loops=1)
--                   Sort Key: snap.idx
--                   Sort Method: quicksort  Memory: 25kB
--                   Buffers: shared hit=9
--                   ->  CTE Scan on snap  (cost=0.00..0.20 rows=6 width=40) (actual time=0.077..0.078 rows=0 loops=1)
--                         Filter: ((NOT found) OR ((NOT open) AND (NOT replay)))
--                         Buffers: shared hit=9
--     CTE done
--       ->  Update on focus_sessions f_2  (cost=0.30..8.83 rows=1 width=234) (actual time=0.106..0.107 rows=0 loops=1)
--             Buffers: shared hit=12
--             InitPlan 12 (returns $17)
--               ->  CTE Scan on bad  (cost=0.00..0.02 rows=1 width=0) (actual time=0.089..0.089 rows=0 loops=1)
--                     Buffers: shared hit=9
--             ->  Result  (cost=0.28..8.81 rows=1 width=234) (actual time=0.102..0.102 rows=0 loops=1)
--                   One-Time Filter: (NOT $17)
--                   Buffers: shared hit=12
--                   ->  Nested Loop  (cost=0.28..8.65 rows=1 width=192) (actual time=0.011..0.011 rows=0 loops=1)
--                         Join Filter: (f_2.id = r_2.id)
--                         Buffers: shared hit=3
--                         ->  Nested Loop  (cost=0.28..8.33 rows=1 width=88) (actual time=0.009..0.010 rows=1 loops=1)
--                               Buffers: shared hit=3
--                               ->  CTE Scan on me me_7  (cost=0.00..0.02 rows=1 width=56) (actual time=0.002..0.002 rows=1 loops=1)
--                               ->  Index Scan using focus_sessions_one_open on focus_sessions f_2  (cost=0.28..8.30 rows=1 width=64) (actual time=0.006..0.007 rows=1 loops=1)
--                                     Index Cond: (user_id = me_7.user_id)
--                                     Filter: open
--                                     Buffers: shared hit=3
--                         ->  CTE Scan on req r_2  (cost=0.00..0.20 rows=10 width=136) (actual time=0.000..0.000 rows=0 loops=1)
--     CTE replayed
--       ->  Result  (cost=0.45..42.48 rows=5 width=210) (actual time=0.002..0.003 rows=0 loops=1)
--             One-Time Filter: (NOT $21)
--             InitPlan 14 (returns $21)
--               ->  CTE Scan on bad bad_1  (cost=0.00..0.02 rows=1 width=0) (actual time=0.000..0.000 rows=0 loops=1)
--             ->  Nested Loop  (cost=0.42..42.46 rows=5 width=178) (actual time=0.001..0.001 rows=0 loops=1)
--                   ->  CTE Scan on snap s_1  (cost=0.00..0.20 rows=5 width=24) (actual time=0.000..0.000 rows=0 loops=1)
--                         Filter: replay
--                   ->  Index Scan using focus_sessions_pkey on focus_sessions f_3  (cost=0.42..8.44 rows=1 width=170) (never executed)
--                         Index Cond: (id = s_1.id)
--     CTE closes
--       ->  Append  (cost=0.00..0.15 rows=6 width=285) (actual time=0.004..0.004 rows=0 loops=1)
--             ->  CTE Scan on done  (cost=0.00..0.02 rows=1 width=285) (actual time=0.000..0.000 rows=0 loops=1)
--             ->  CTE Scan on replayed  (cost=0.00..0.10 rows=5 width=285) (actual time=0.002..0.002 rows=0 loops=1)
--     CTE rec
--       ->  Limit  (cost=0.25..0.25 rows=1 width=21) (actual time=0.006..0.006 rows=0 loops=1)
--             InitPlan 17 (returns $25)
--               ->  CTE Scan on bad bad_2  (cost=0.00..0.02 rows=1 width=0) (actual time=0.000..0.000 rows=0 loops=1)
--             ->  Sort  (cost=0.23..0.24 rows=5 width=21) (actual time=0.005..0.005 rows=0 loops=1)
--                   Sort Key: snap_1.idx
--                   Sort Method: quicksort  Memory: 25kB
--                   ->  Result  (cost=0.00..0.20 rows=5 width=21) (actual time=0.002..0.002 rows=0 loops=1)
--                         One-Time Filter: (NOT $25)
--                         ->  CTE Scan on snap snap_1  (cost=0.00..0.20 rows=5 width=21) (actual time=0.000..0.000 rows=0 loops=1)
--                               Filter: replay
--     CTE recsum
--       ->  Aggregate  (cost=0.12..0.14 rows=1 width=16) (actual time=0.001..0.002 rows=1 loops=1)
--             ->  CTE Scan on replayed replayed_1  (cost=0.00..0.10 rows=5 width=8) (actual time=0.000..0.000 rows=0 loops=1)
--     CTE ledger
--       ->  Insert on points_ledger  (cost=0.00..0.03 rows=1 width=80) (actual time=0.107..0.107 rows=0 loops=1)
--             Conflict Resolution: NOTHING
--             Conflict Arbiter Indexes: points_ledger_pkey
--             Tuples Inserted: 0
--             Conflicting Tuples: 0
--             Buffers: shared hit=12
--             ->  CTE Scan on done d_1  (cost=0.00..0.03 rows=1 width=80) (actual time=0.106..0.106 rows=0 loops=1)
--                   Filter: (action = 'complete'::text)
--                   Buffers: shared hit=12
--     CTE gain
--       ->  HashAggregate  (cost=0.10..0.10 rows=1 width=33) (actual time=0.002..0.003 rows=0 loops=1)
--             Group Key: me_8.user_id
--             Batches: 1  Memory Usage: 24kB
--             ->  Nested Loop  (cost=0.00..0.08 rows=1 width=56) (actual time=0.002..0.002 rows=0 loops=1)
--                   Join Filter: (l.session_id = d_2.id)
--                   ->  Nested Loop  (cost=0.00..0.05 rows=1 width=40) (actual time=0.001..0.001 rows=0 loops=1)
--                         ->  CTE Scan on me me_8  (cost=0.00..0.02 rows=1 width=16) (actual time=0.000..0.000 rows=1 loops=1)
--                         ->  CTE Scan on ledger l  (cost=0.00..0.02 rows=1 width=24) (actual time=0.000..0.000 rows=0 loops=1)
--                   ->  CTE Scan on done d_2  (cost=0.00..0.02 rows=1 width=48) (never executed)
--     CTE progress
--       ->  Insert on user_progress p  (cost=0.00..0.28 rows=1 width=36) (actual time=0.001..0.001 rows=0 loops=1)
--             Conflict Resolution: UPDATE
--             Conflict Arbiter Indexes: user_progress_pkey
--             Tuples Inserted: 0
--             Conflicting Tuples: 0
--             ->  CTE Scan on gain  (cost=0.00..0.28 rows=1 width=36) (actual time=0.000..0.000 rows=0 loops=1)
--     CTE wallet
--       ->  Insert on user_wallet w  (cost=0.00..0.03 rows=1 width=32) (actual time=0.001..0.001 rows=0 loops=1)
--             Conflict Resolution: UPDATE
--             Conflict Arbiter Indexes: user_wallet_pkey
--             Tuples Inserted: 0
--             Conflicting Tuples: 0
--             ->  CTE Scan on gain gain_1  (cost=0.00..0.03 rows=1 width=32) (actual time=0.000..0.000 rows=0 loops=1)
--     CTE zone
--       ->  Nested Loop  (cost=0.29..8.37 rows=1 width=12) (actual time=0.021..0.022 rows=1 loops=1)
--             Buffers: shared hit=3
--             ->  CTE Scan on me me_9  (cost=0.00..0.02 rows=1 width=16) (actual time=0.000..0.000 rows=1 loops=1)
--             ->  Index Scan using focus_settings_pkey on focus_settings st  (cost=0.29..8.30 rows=1 width=24) (actual time=0.014..0.014 rows=1 loops=1)
--                   Index Cond: (user_id = me_9.user_id)
--                   Buffers: shared hit=3
--     CTE skipped
--       ->  Result  (cost=0.00..0.01 rows=1 width=32) (actual time=0.000..0.000 rows=1 loops=1)
--     CTE sk
--       ->  Nested Loop  (cost=8.40..195.84 rows=2 width=25) (actual time=0.168..0.178 rows=1 loops=1)
--             Buffers: shared hit=20
--             ->  Nested Loop  (cost=0.09..0.20 rows=1 width=88) (actual time=0.135..0.137 rows=1 loops=1)
--                   Buffers: shared hit=15
--                   ->  Nested Loop  (cost=0.09..0.17 rows=1 width=56) (actual time=0.133..0.135 rows=1 loops=1)
--                         Buffers: shared hit=15
--                         ->  Nested Loop  (cost=0.09..0.14 rows=1 width=40) (actual time=0.132..0.134 rows=1 loops=1)
--                               Buffers: shared hit=15
--                               ->  CTE Scan on zone z  (cost=0.00..0.02 rows=1 width=36) (actual time=0.022..0.022 rows=1 loops=1)
--                                     Buffers: shared hit=3
--                               ->  Aggregate  (cost=0.09..0.10 rows=1 width=4) (actual time=0.108..0.109 rows=1 loops=1)
--                                     Buffers: shared hit=12
--                                     ->  Nested Loop  (cost=0.00..0.05 rows=1 width=8) (actual time=0.107..0.108 rows=0 loops=1)
--                                           Join Filter: (l_1.session_id = d_4.id)
--                                           Buffers: shared hit=12
--                                           ->  CTE Scan on ledger l_1  (cost=0.00..0.02 rows=1 width=16) (actual time=0.107..0.107 rows=0 loops=1)
--                                                 Buffers: shared hit=12
--                                           ->  CTE Scan on done d_4  (cost=0.00..0.02 rows=1 width=24) (never executed)
--                                                 Filter: ((mode)::text = 'focus'::text)
--                         ->  CTE Scan on me me_10  (cost=0.00..0.02 rows=1 width=16) (actual time=0.000..0.000 rows=1 loops=1)
--                   ->  CTE Scan on skipped x  (cost=0.00..0.02 rows=1 width=32) (actual time=0.001..0.001 rows=1 loops=1)
--             ->  Append  (cost=8.31..195.60 rows=2 width=21) (actual time=0.031..0.038 rows=1 loops=1)
--                   Buffers: shared hit=5
--                   CTE k
--                     ->  Result  (cost=0.29..8.31 rows=1 width=20) (actual time=0.026..0.027 rows=1 loops=1)
--                           One-Time Filter: (cardinality(COALESCE($43, '{}'::uuid[])) = 0)
--                           Buffers: shared hit=5
--                           ->  Index Scan using user_streaks_pkey on user_streaks s_2  (cost=0.29..8.31 rows=1 width=20) (actual time=0.024..0.025 rows=1 loops=1)
--                                 Index Cond: (user_id = $40)
--                                 Filter: ((($44 IS NULL) OR ($44 >= last_day)) AND (time_zone = $41) AND (day_start_hour = $42))
--                                 Buffers: shared hit=5
--                   ->  CTE Scan on k k_1  (cost=0.00..0.04 rows=1 width=21) (actual time=0.030..0.031 rows=1 loops=1)
--                         Buffers: shared hit=5
--                   ->  Result  (cost=187.21..187.23 rows=1 width=21) (actual time=0.001..0.005 rows=0 loops=1)
--                         One-Time Filter: (NOT $47)
--                         InitPlan 27 (returns $46)
--                           ->  Index Scan using user_streaks_pkey on user_streaks s_3  (cost=0.29..8.30 rows=1 width=8) (never executed)
--                                 Index Cond: (user_id = $40)
--                         InitPlan 28 (returns $47)
--                           ->  CTE Scan on k  (cost=0.00..0.02 rows=1 width=0) (actual time=0.000..0.000 rows=1 loops=1)
--                         ->  Result  (cost=178.88..178.89 rows=1 width=12) (never executed)
--                               CTE runs
--                                 ->  GroupAggregate  (cost=174.88..175.85 rows=43 width=12) (never executed)
--                                       Group Key: d_3.run
--                                       ->  Sort  (cost=174.88..174.99 rows=43 width=8) (never executed)
--                                             Sort Key: d_3.run
--                                             ->  Subquery Scan on d_3  (cost=172.32..173.72 rows=43 width=8) (never executed)
--                                                   ->  WindowAgg  (cost=172.32..173.29 rows=43 width=8) (never executed)
--                                                         ->  Sort  (cost=172.32..172.43 rows=43 width=4) (never executed)
--                                                               Sort Key: (((((f_4.started_at AT TIME ZONE $41) - make_interval(0, 0, 0, 0, $42, 0, '0'::double precision)))::date - ((f_4.started_at < (((((f_4.started_at AT TIME ZONE $41) - make_interval(0, 0, 0, 0, $42, 0, '0'::double precision)))::date + make_interval(0, 0, 0, 0, $42, 0, '0'::double precision)) AT TIME ZONE $41)))::integer))
--                                                               ->  HashAggregate  (cost=170.29..170.72 rows=43 width=4) (never executed)
--                                                                     Group Key: (((((f_4.started_at AT TIME ZONE $41) - make_interval(0, 0, 0, 0, $42, 0, '0'::double precision)))::date - ((f_4.started_at < (((((f_4.started_at AT TIME ZONE $41) - make_interval(0, 0, 0, 0, $42, 0, '0'::double precision)))::date + make_interval(0, 0, 0, 0, $42, 0, '0'::double precision)) AT TIME ZONE $41)))::integer))
--                                                                     ->  Append  (cost=4.75..170.19 rows=43 width=4) (never executed)
--                                                                           ->  Bitmap Heap Scan on focus_sessions f_4  (cost=4.75..169.53 rows=42 width=4) (never executed)
--                                                                                 Recheck Cond: ((user_id = $40) AND ((status)::text = 'completed'::text) AND ((mode)::text = 'focus'::text) AND ((source)::text = 'timer'::text))
--                                                                                 Filter: (id <> ALL (COALESCE($43, '{}'::uuid[])))
--                                                                                 ->  Bitmap Index Scan on focus_sessions_streak  (cost=0.00..4.74 rows=42 width=0) (never executed)
--                                                                                       Index Cond: (user_id = $40)
--                                                                           ->  Result  (cost=0.00..0.01 rows=1 width=4) (never executed)
--                                                                                 One-Time Filter: ($44 IS NOT NULL)
--                               InitPlan 30 (returns $49)
--                                 ->  Aggregate  (cost=0.97..0.98 rows=1 width=4) (never executed)
--                                       ->  CTE Scan on runs r_3  (cost=0.00..0.86 rows=43 width=4) (never executed)
--                               InitPlan 31 (returns $50)
--                                 ->  Limit  (cost=1.08..1.08 rows=1 width=8) (never executed)
--                                       ->  Sort  (cost=1.08..1.18 rows=43 width=8) (never executed)
--                                             Sort Key: r_4.last_day DESC
--                                             ->  CTE Scan on runs r_4  (cost=0.00..0.86 rows=43 width=8) (never executed)
--                               InitPlan 32 (returns $51)
--                                 ->  Aggregate  (cost=0.97..0.98 rows=1 width=4) (never executed)
--                                       ->  CTE Scan on runs r_5  (cost=0.00..0.86 rows=43 width=4) (never executed)
--     CTE streak
--       ->  Insert on user_streaks s_4  (cost=0.02..0.14 rows=0 width=0) (actual time=0.001..0.001 rows=0 loops=1)
--             Conflict Resolution: UPDATE
--             Conflict Arbiter Indexes: user_streaks_pkey
--             Conflict Filter: (s_4.generation = excluded_2.generation)
--             Tuples Inserted: 0
--             Conflicting Tuples: 0
--             InitPlan 34 (returns $53)
--               ->  CTE Scan on done done_1  (cost=0.00..0.02 rows=1 width=0) (actual time=0.000..0.000 rows=0 loops=1)
--             ->  Result  (cost=0.00..0.12 rows=2 width=72) (actual time=0.001..0.001 rows=0 loops=1)
--                   One-Time Filter: $53
--                   ->  Nested Loop  (cost=0.00..0.11 rows=2 width=72) (never executed)
--                         ->  Nested Loop  (cost=0.00..0.05 rows=1 width=52) (never executed)
--                               ->  CTE Scan on me me_11  (cost=0.00..0.02 rows=1 width=16) (never executed)
--                               ->  CTE Scan on zone z_1  (cost=0.00..0.02 rows=1 width=36) (never executed)
--                         ->  CTE Scan on sk k_2  (cost=0.00..0.04 rows=2 width=20) (never executed)
--                               Filter: ((last_day IS NOT NULL) AND ((NOT cached) OR (day IS NOT NULL)))
--     CTE checked
--       ->  Result  (cost=0.42..0.68 rows=1 width=1) (actual time=0.095..0.096 rows=1 loops=1)
--             InitPlan 36 (returns $56)
--               ->  CTE Scan on me me_12  (cost=0.00..0.02 rows=1 width=0) (actual time=0.000..0.000 rows=1 loops=1)
--             InitPlan 37 (returns $57)
--               ->  CTE Scan on bad bad_3  (cost=0.00..0.02 rows=1 width=0) (actual time=0.000..0.000 rows=0 loops=1)
--             InitPlan 38 (returns $58)
--               ->  Aggregate  (cost=0.14..0.15 rows=1 width=8) (actual time=0.005..0.005 rows=1 loops=1)
--                     ->  CTE Scan on closes  (cost=0.00..0.12 rows=6 width=0) (actual time=0.004..0.004 rows=0 loops=1)
--             InitPlan 39 (returns $59)
--               ->  Aggregate  (cost=0.23..0.24 rows=1 width=8) (actual time=0.001..0.001 rows=1 loops=1)
--                     ->  CTE Scan on req  (cost=0.00..0.20 rows=10 width=0) (actual time=0.000..0.000 rows=0 loops=1)
--     InitPlan 41 (returns $61)
--       ->  CTE Scan on pre pre_1  (cost=0.00..0.02 rows=1 width=1) (actual time=0.000..0.000 rows=1 loops=1)
--     InitPlan 42 (returns $62)
--       ->  CTE Scan on bad bad_4  (cost=0.00..0.02 rows=1 width=32) (never executed)
--     InitPlan 43 (returns $63)
--       ->  CTE Scan on bad bad_5  (cost=0.00..0.02 rows=1 width=8) (actual time=0.000..0.000 rows=0 loops=1)
--     InitPlan 44 (returns $64)
--       ->  CTE Scan on gain gain_2  (cost=0.00..0.02 rows=1 width=8) (actual time=0.003..0.003 rows=0 loops=1)
--     InitPlan 45 (returns $65)
--       ->  CTE Scan on recsum  (cost=0.00..0.02 rows=1 width=8) (actual time=0.002..0.003 rows=1 loops=1)
--     InitPlan 46 (returns $66)
--       ->  CTE Scan on gain gain_3  (cost=0.00..0.02 rows=1 width=8) (actual time=0.000..0.000 rows=0 loops=1)
--     InitPlan 47 (returns $67)
--       ->  CTE Scan on recsum recsum_1  (cost=0.00..0.02 rows=1 width=8) (actual time=0.000..0.000 rows=1 loops=1)
--     InitPlan 48 (returns $68)
--       ->  CTE Scan on progress  (cost=0.00..0.02 rows=1 width=4) (actual time=0.001..0.001 rows=0 loops=1)
--     InitPlan 49 (returns $69)
--       ->  CTE Scan on rec  (cost=0.00..0.02 rows=1 width=4) (actual time=0.006..0.006 rows=0 loops=1)
--     InitPlan 51 (returns $71)
--       ->  CTE Scan on progress progress_1  (cost=0.00..0.02 rows=1 width=0) (actual time=0.000..0.000 rows=0 loops=1)
--     InitPlan 52 (returns $72)
--       ->  CTE Scan on progress progress_2  (cost=0.00..0.02 rows=1 width=4) (never executed)
--     InitPlan 54 (returns $74)
--       ->  CTE Scan on rec rec_1  (cost=0.00..0.02 rows=1 width=1) (actual time=0.000..0.000 rows=0 loops=1)
--     InitPlan 55 (returns $75)
--       ->  CTE Scan on sk k_3  (cost=0.00..0.04 rows=2 width=1) (actual time=0.169..0.174 rows=1 loops=1)
--             Buffers: shared hit=20
--     InitPlan 56 (returns $76)
--       ->  Nested Loop  (cost=0.00..0.09 rows=2 width=4) (actual time=0.002..0.002 rows=1 loops=1)
--             ->  CTE Scan on zone z_2  (cost=0.00..0.02 rows=1 width=4) (actual time=0.000..0.000 rows=1 loops=1)
--             ->  CTE Scan on sk k_4  (cost=0.00..0.04 rows=2 width=8) (actual time=0.000..0.000 rows=1 loops=1)
--     InitPlan 57 (returns $77)
--       ->  CTE Scan on rec rec_2  (cost=0.00..0.02 rows=1 width=4) (actual time=0.000..0.000 rows=0 loops=1)
--     InitPlan 58 (returns $78)
--       ->  Nested Loop  (cost=0.00..0.09 rows=2 width=4) (never executed)
--             ->  CTE Scan on zone z_3  (cost=0.00..0.02 rows=1 width=4) (never executed)
--             ->  CTE Scan on sk k_5  (cost=0.00..0.04 rows=2 width=8) (never executed)
--     InitPlan 59 (returns $79)
--       ->  CTE Scan on sk k_6  (cost=0.00..0.04 rows=2 width=1) (never executed)
--     InitPlan 60 (returns $80)
--       ->  CTE Scan on sk k_7  (cost=0.00..0.04 rows=2 width=4) (actual time=0.000..0.000 rows=1 loops=1)
--     InitPlan 61 (returns $81)
--       ->  CTE Scan on rec rec_3  (cost=0.00..0.02 rows=1 width=4) (actual time=0.000..0.000 rows=0 loops=1)
--     InitPlan 62 (returns $82)
--       ->  CTE Scan on sk k_8  (cost=0.00..0.04 rows=2 width=4) (never executed)
--     ->  Nested Loop Left Join  (cost=0.00..8.64 rows=6 width=353) (actual time=0.346..0.348 rows=1 loops=1)
--           Buffers: shared hit=24 read=3
--           ->  Nested Loop  (cost=0.00..8.40 rows=1 width=30) (actual time=0.326..0.327 rows=1 loops=1)
--                 Buffers: shared hit=24 read=3
--                 ->  Nested Loop Left Join  (cost=0.00..8.37 rows=1 width=29) (actual time=0.230..0.231 rows=1 loops=1)
--                       Buffers: shared hit=24 read=3
--                       ->  Nested Loop Left Join  (cost=0.00..0.04 rows=1 width=16) (actual time=0.023..0.024 rows=1 loops=1)
--                             Buffers: shared hit=4
--                             ->  Result  (cost=0.00..0.01 rows=1 width=0) (actual time=0.000..0.000 rows=1 loops=1)
--                             ->  CTE Scan on me  (cost=0.00..0.02 rows=1 width=16) (actual time=0.022..0.022 rows=1 loops=1)
--                                   Buffers: shared hit=4
--                       ->  CTE Scan on me me_1  (cost=0.00..8.32 rows=1 width=13) (actual time=0.206..0.207 rows=1 loops=1)
--                             Buffers: shared hit=20 read=3
--                             SubPlan 50
--                               ->  Index Scan using user_progress_pkey on user_progress p_1  (cost=0.29..8.30 rows=1 width=4) (actual time=0.026..0.027 rows=1 loops=1)
--                                     Index Cond: (user_id = me_1.user_id)
--                                     Buffers: shared read=3
--                 ->  CTE Scan on checked  (cost=0.00..0.02 rows=1 width=1) (actual time=0.096..0.096 rows=1 loops=1)
--           ->  CTE Scan on closes d  (cost=0.00..0.12 rows=6 width=260) (actual time=0.000..0.000 rows=0 loops=1)
--   Planning:
--     Buffers: shared hit=283 read=5
--   Planning Time: 7.335 ms
--   Trigger focus_sessions_state_upd on focus_sessions: time=0.053 calls=1
--   Execution Time: 3.806 ms
PREPARE sessions_update AS
WITH me AS (SELECT s.user_id FROM sessions s WHERE s.token_hash = $1::bytea AND s.expires_at > now()),
held AS (SELECT f.id FROM me JOIN focus_sessions f ON f.user_id = me.user_id AND f.open
	WHERE $4::text[] IS NOT NULL FOR NO KEY UPDATE OF f),
vs AS (SELECT v.version FROM me JOIN focus_state v ON v.user_id = me.user_id
	WHERE $4::text[] IS NOT NULL AND (SELECT count(*) FROM held) >= 0 FOR NO KEY UPDATE OF v),
pre AS (SELECT $4::text[] IS NULL
	OR ('"' || me.user_id || '-' || coalesce((SELECT vs.version FROM vs), 0) || '"') = ANY ($4::text[]) AS ok
	FROM me),
req AS (SELECT coalesce(r.id, (SELECT o.id FROM me JOIN focus_sessions o ON o.user_id = me.user_id AND o.open)) AS id,
	r.action, r.idx - 1 AS idx FROM unnest($2::uuid[], $3::text[]) WITH ORDINALITY AS r (id, action, idx)
	WHERE coalesce((SELECT ok FROM pre), true)),
snap AS (
	SELECT r.idx, r.id, f.id IS NOT NULL AS found, coalesce(f.open, false) AS open,
	       r.action = 'complete' AND t.session_id IS NOT NULL AS replay,
	       t.new_level, t.leveled_up, t.streak_current, t.streak_longest
	FROM req r CROSS JOIN me LEFT JOIN focus_sessions f ON f.id = r.id AND f.user_id = me.user_id
	LEFT JOIN focus_timer_completions t ON t.session_id = f.id),
bad AS (SELECT idx, outcome FROM (
	SELECT idx, CASE WHEN found THEN 'conflict' ELSE 'not_found' END AS outcome
	FROM snap WHERE NOT (found AND (open OR replay))) b ORDER BY idx LIMIT 1),
done AS (
	UPDATE focus_sessions f SET
		status = CASE r.action WHEN 'complete' THEN 'completed' ELSE 'abandoned' END,
		completed_at = CASE r.action WHEN 'complete' THEN now() END,
		abandoned_at = CASE r.action WHEN 'abandon' THEN now() END,
		focused_seconds = CASE r.action WHEN 'complete'
			THEN f.duration_seconds - least(f.duration_seconds, focus_remaining_s(f.expires_at, f.paused_at, now())) END,
		xp_awarded = CASE r.action WHEN 'complete'
			THEN focus_reward_xp(f.mode, f.duration_seconds, least(f.duration_seconds, focus_remaining_s(f.expires_at, f.paused_at, now()))) ELSE 0 END,
		coins_awarded = CASE r.action WHEN 'complete'
			THEN focus_reward_coins(f.mode, f.duration_seconds, least(f.duration_seconds, focus_remaining_s(f.expires_at, f.paused_at, now()))) ELSE 0 END,
		paused_at = NULL
	FROM req r, me
	WHERE f.id = r.id AND f.user_id = me.user_id AND f.open
	  AND NOT EXISTS (SELECT 1 FROM bad)
	RETURNING r.idx, r.action, f.*),
replayed AS (
	SELECT s.idx, 'complete'::text AS action, f.* FROM snap s JOIN focus_sessions f ON f.id = s.id
	WHERE s.replay AND NOT EXISTS (SELECT 1 FROM bad)),
closes AS (SELECT * FROM done UNION ALL SELECT * FROM replayed),
rec AS (SELECT new_level, leveled_up, streak_current, streak_longest
	FROM snap WHERE replay AND NOT EXISTS (SELECT 1 FROM bad) ORDER BY idx LIMIT 1),
recsum AS (SELECT sum(xp_awarded) AS xp, sum(coins_awarded) AS coins FROM replayed),
ledger AS (
	INSERT INTO points_ledger (user_id, session_id, idempotency_key, xp, coins)
	SELECT d.user_id, d.id, 'focus_complete:' || d.id, d.xp_awarded, d.coins_awarded
	FROM done d WHERE d.action = 'complete'
	ON CONFLICT (idempotency_key) DO NOTHING
	RETURNING session_id, xp, coins),
gain AS (
	SELECT me.user_id, sum(l.xp) AS xp, sum(l.coins) AS coins,
	       bool_or(d.mode = 'focus') AS focused
	FROM me JOIN ledger l ON true JOIN done d ON d.id = l.session_id
	GROUP BY me.user_id),
progress AS (
	INSERT INTO user_progress AS p (user_id, xp, level)
	SELECT user_id, xp, focus_level_for_xp(xp) FROM gain
	ON CONFLICT (user_id) DO UPDATE SET xp = p.xp + excluded.xp,
		level = focus_level_for_xp(p.xp + excluded.xp), updated_at = now()
	RETURNING p.xp, p.level),
wallet AS (
	INSERT INTO user_wallet AS w (user_id, coins) SELECT user_id, coins FROM gain
	ON CONFLICT (user_id) DO UPDATE SET coins = w.coins + excluded.coins, updated_at = now()
	RETURNING w.coins),
zone AS (SELECT st.time_zone, st.day_start_hour, focus_local_day(now(), st.time_zone, st.day_start_hour) AS today
	FROM me JOIN focus_settings st ON st.user_id = me.user_id),
skipped AS MATERIALIZED (SELECT NULL::uuid[] AS ids),
sk AS (
	SELECT k.*, g.day FROM zone z CROSS JOIN me CROSS JOIN skipped x
	CROSS JOIN LATERAL (SELECT min(focus_local_day(d.started_at, z.time_zone, z.day_start_hour)) AS day
		FROM ledger l JOIN done d ON d.id = l.session_id WHERE d.mode = 'focus') g
	CROSS JOIN LATERAL focus_streak_after(me.user_id, z.time_zone, z.day_start_hour, g.day, x.ids) k),
streak AS (
	INSERT INTO user_streaks AS s (user_id, current_days, longest_days, last_day, time_zone, day_start_hour,
		generation)
	SELECT me.user_id, k.current_days, k.longest_days, k.last_day, z.time_zone, z.day_start_hour, k.generation
	FROM me, zone z, sk k
	WHERE k.last_day IS NOT NULL AND (NOT k.cached OR k.day IS NOT NULL) AND EXISTS (SELECT 1 FROM done)
	ON CONFLICT (user_id) DO UPDATE SET current_days = excluded.current_days,
		longest_days = excluded.longest_days, last_day = excluded.last_day,
		time_zone = excluded.time_zone, day_start_hour = excluded.day_start_hour
	WHERE s.generation = excluded.generation),
old AS (
	SELECT coalesce((SELECT p.level FROM user_progress p WHERE p.user_id = me.user_id), 1) AS level,
	       (SELECT focus_streak_current(k.last_day, k.current_days, z.today) FROM sk k, zone z) AS streak_current,
	       (SELECT k.longest_days FROM sk k) AS streak_longest,
	       coalesce((SELECT k.day IS NOT NULL FROM sk k), false) AS streak_moved
	FROM me),
checked AS (
	SELECT focus_assert(NOT EXISTS (SELECT 1 FROM me) OR EXISTS (SELECT 1 FROM bad)
	                    OR (SELECT count(*) FROM closes) = (SELECT count(*) FROM req), 'session') AS ok)
SELECT CASE WHEN me.user_id IS NULL THEN 'unauthorized' WHEN NOT coalesce((SELECT ok FROM pre), true) THEN 'precondition_failed'
WHEN NOT checked.ok THEN 'conflict'
            ELSE coalesce((SELECT outcome FROM bad), 'ok') END AS outcome,
       me.user_id, (SELECT idx FROM bad) AS bad_index,
       coalesce((SELECT xp FROM gain), 0) + coalesce((SELECT xp FROM recsum), 0) AS xp,
       coalesce((SELECT coins FROM gain), 0) + coalesce((SELECT coins FROM recsum), 0) AS coins,
       coalesce((SELECT level FROM progress), (SELECT new_level FROM rec), old.level) AS new_level,
       CASE WHEN EXISTS (SELECT 1 FROM progress) THEN (SELECT level FROM progress) <> old.level
            ELSE coalesce((SELECT leveled_up FROM rec), false) END AS leveled_up,
       CASE WHEN old.streak_moved THEN old.streak_current
            ELSE coalesce((SELECT streak_current FROM rec), old.streak_current, 0) END AS streak_current,
       CASE WHEN old.streak_moved THEN old.streak_longest
            ELSE coalesce((SELECT streak_longest FROM rec), old.streak_longest, 0) END AS streak_longest,
       d.action, d.id, d.mode, d.duration_seconds, d.started_at, d.expires_at, d.paused_at, d.completed_at, d.abandoned_at, d.status, d.focused_seconds, d.xp_awarded, d.coins_awarded, d.task_id, d.task_title, d.cycle_position, d.source, now()
FROM (VALUES (1)) AS one LEFT JOIN me ON true LEFT JOIN old ON true CROSS JOIN checked
LEFT JOIN closes d ON true
ORDER BY d.idx;

-- == expire_all
-- focusctl expire: time's up (and auto-start, and a pause's expiry) for everyone with something due, in one statement.
-- index: focus_sessions_one_open; expected plan: Update on focus_sessions / Index Scan using focus_sessions_one_open
-- median execution: 0.015 ms over 11 runs
-- plan:
--   Bitmap Heap Scan on focus_sessions f  (cost=147.69..173.03 rows=6 width=20) (actual time=0.020..0.020 rows=0 loops=1)
--     Recheck Cond: ((((expires_at <= now()) AND ((status)::text = 'active'::text)) OR ((paused_at < (now() - '24:00:00'::interval)) AND ((status)::text = 'paused'::text))) AND open)
--     Filter: ((((status)::text = 'active'::text) AND (expires_at <= now())) OR (((status)::text = 'paused'::text) AND (paused_at < (now() - '24:00:00'::interval))))
--     Buffers: shared hit=1 read=3
--     ->  BitmapAnd  (cost=147.69..147.69 rows=6 width=0) (actual time=0.019..0.019 rows=0 loops=1)
--           Buffers: shared hit=1 read=3
--           ->  BitmapOr  (cost=45.83..45.83 rows=1767 width=0) (actual time=0.019..0.019 rows=0 loops=1)
--                 Buffers: shared hit=1 read=3
--                 ->  Bitmap Index Scan on focus_sessions_active_expires  (cost=0.00..41.53 rows=1767 width=0) (actual time=0.010..0.010 rows=0 loops=1)
--                       Index Cond: (expires_at <= now())
--                       Buffers: shared hit=1 read=1
--                 ->  Bitmap Index Scan on focus_sessions_paused_at  (cost=0.00..4.29 rows=1 width=0) (actual time=0.008..0.008 rows=0 loops=1)
--                       Index Cond: (paused_at < (now() - '24:00:00'::interval))
--                       Buffers: shared read=2
--           ->  Bitmap Index Scan on focus_sessions_one_open  (cost=0.00..101.62 rows=3467 width=0) (never executed)
--   Planning:
--     Buffers: shared hit=3
--   Planning Time: 0.189 ms
--   Execution Time: 0.031 ms
PREPARE expire_all AS
SELECT f.user_id, focus_catch_up(f.user_id) AS caught_up FROM focus_sessions f
WHERE f.open AND focus_due(f.status, f.expires_at, f.paused_at, now());

-- == user_add
-- focusctl user add.
-- index: (none); expected plan: Insert on users
-- median execution: 0.102 ms over 11 runs
-- plan:
--   Insert on users  (cost=0.00..0.01 rows=1 width=88) (actual time=0.180..0.181 rows=1 loops=1)
--     Buffers: shared hit=7 read=2 dirtied=2
--     ->  Result  (cost=0.00..0.01 rows=1 width=88) (actual time=0.036..0.036 rows=1 loops=1)
--   Planning Time: 0.030 ms
--   Trigger users_settings: time=0.330 calls=1
--   Execution Time: 0.521 ms
PREPARE user_add AS
INSERT INTO users (name, password_hash) VALUES ($1, $2) RETURNING id;

-- == user_passwd
-- focusctl user passwd: set the password, end every session and token of the user.
-- index: users_name_key; expected plan: Index Scan using users_name_key
-- median execution: 0.009 ms over 11 runs
-- plan:
--   Index Scan using users_name_key on users u  (cost=0.29..8.55 rows=1 width=20) (actual time=0.008..0.008 rows=0 loops=1)
--     Index Cond: (name = $1)
--     Buffers: shared hit=4
--   Planning Time: 0.053 ms
--   Execution Time: 0.014 ms
PREPARE user_passwd AS
SELECT u.id, focus_set_password(u.id, NULL, $2::text, NULL) AS sessions_ended FROM users u WHERE u.name = $1;

-- == token_add
-- focusctl token add.
-- index: (none); expected plan: Insert on sessions
-- median execution: 0.064 ms over 11 runs
-- plan:
--   Insert on sessions  (cost=0.00..0.02 rows=0 width=0) (actual time=0.094..0.094 rows=0 loops=1)
--     Buffers: shared hit=8 read=1 dirtied=1
--     ->  Result  (cost=0.00..0.02 rows=1 width=104) (actual time=0.011..0.011 rows=1 loops=1)
--           Buffers: shared hit=1
--   Planning Time: 0.044 ms
--   Trigger for constraint sessions_user_id_fkey: time=0.026 calls=1
--   Execution Time: 0.130 ms
PREPARE token_add AS
INSERT INTO sessions (token_hash, user_id, expires_at, kind) VALUES ($1::bytea, $2::uuid, now() + make_interval(days => $3::integer), 'token');

-- == library_list
-- GET /api/focus/libraries: a page of the caller's libraries, favorites first, then newest; tracks_count is counted, so it is true under concurrent adds and deletes.
-- index: focus_libraries_user_list; expected plan: Index Scan using focus_libraries_user_list
-- median execution: 0.072 ms over 11 runs
-- plan:
--   Sort  (cost=55.34..55.34 rows=1 width=121) (actual time=0.141..0.142 rows=3 loops=1)
--     Sort Key: l_1.is_favorite DESC, l_1.created_at DESC, l_1.id DESC
--     Sort Method: quicksort  Memory: 25kB
--     Buffers: shared hit=28
--     ->  Nested Loop Left Join  (cost=21.88..55.33 rows=1 width=121) (actual time=0.086..0.130 rows=3 loops=1)
--           Buffers: shared hit=28
--           ->  Nested Loop Left Join  (cost=16.11..24.19 rows=1 width=24) (actual time=0.044..0.045 rows=1 loops=1)
--                 Buffers: shared hit=10
--                 ->  Nested Loop Left Join  (cost=0.41..8.46 rows=1 width=16) (actual time=0.013..0.014 rows=1 loops=1)
--                       Buffers: shared hit=4
--                       ->  Result  (cost=0.00..0.01 rows=1 width=0) (actual time=0.000..0.000 rows=1 loops=1)
--                       ->  Index Scan using sessions_pkey on sessions me  (cost=0.41..8.44 rows=1 width=16) (actual time=0.011..0.012 rows=1 loops=1)
--                             Index Cond: (token_hash = $1)
--                             Filter: (expires_at > now())
--                             Buffers: shared hit=4
--                 ->  Aggregate  (cost=15.70..15.71 rows=1 width=8) (actual time=0.030..0.030 rows=1 loops=1)
--                       Buffers: shared hit=6
--                       ->  Bitmap Heap Scan on focus_libraries l  (cost=4.44..15.69 rows=3 width=0) (actual time=0.019..0.025 rows=3 loops=1)
--                             Recheck Cond: (user_id = me.user_id)
--                             Heap Blocks: exact=3
--                             Buffers: shared hit=6
--                             ->  Bitmap Index Scan on focus_libraries_user_list  (cost=0.00..4.43 rows=3 width=0) (actual time=0.014..0.014 rows=3 loops=1)
--                                   Index Cond: (user_id = me.user_id)
--                                   Buffers: shared hit=3
--           ->  Limit  (cost=5.76..11.11 rows=1 width=73) (actual time=0.003..0.006 rows=3 loops=1)
--                 Buffers: shared hit=6
--                 ->  Index Scan using focus_libraries_user_list on focus_libraries l_1  (cost=0.41..16.46 rows=3 width=73) (actual time=0.003..0.005 rows=3 loops=1)
--                       Index Cond: (user_id = me.user_id)
--                       Buffers: shared hit=6
--           SubPlan 1
--             ->  Aggregate  (cost=19.99..20.00 rows=1 width=8) (actual time=0.024..0.025 rows=1 loops=3)
--                   Buffers: shared hit=12
--                   ->  Bitmap Heap Scan on focus_tracks t  (cost=4.45..19.98 rows=4 width=0) (actual time=0.023..0.023 rows=4 loops=3)
--                         Recheck Cond: (library_id = l_1.id)
--                         Heap Blocks: exact=3
--                         Buffers: shared hit=12
--                         ->  Bitmap Index Scan on focus_tracks_library  (cost=0.00..4.45 rows=4 width=0) (actual time=0.021..0.021 rows=4 loops=3)
--                               Index Cond: (library_id = l_1.id)
--                               Buffers: shared hit=9
--   Planning:
--     Buffers: shared hit=22
--   Planning Time: 0.377 ms
--   Execution Time: 0.191 ms
PREPARE library_list AS
SELECT CASE WHEN me.user_id IS NULL THEN 'unauthorized' ELSE 'ok' END AS outcome, me.user_id, head.total,
	pg.id, pg.name, pg.description, pg.library_type, (SELECT count(*) FROM focus_tracks t WHERE t.library_id = pg.id) AS tracks_count, pg.is_favorite, pg.created_at, pg.updated_at
FROM (VALUES (1)) AS one
LEFT JOIN sessions me ON me.token_hash = $1::bytea AND me.expires_at > now()
LEFT JOIN LATERAL (SELECT count(*) AS total FROM focus_libraries l WHERE l.user_id = me.user_id) AS head ON true
LEFT JOIN LATERAL (SELECT l.* FROM focus_libraries l WHERE l.user_id = me.user_id
	ORDER BY l.is_favorite DESC, l.created_at DESC, l.id DESC LIMIT $2::integer OFFSET $3::integer) AS pg ON true
ORDER BY pg.is_favorite DESC, pg.created_at DESC, pg.id DESC;

-- == library_create
-- POST /api/focus/libraries: a new library.
-- index: (none); expected plan: Insert on focus_libraries
-- median execution: 0.109 ms over 11 runs
-- plan:
--   Nested Loop Left Join  (cost=8.46..8.53 rows=1 width=185) (actual time=0.195..0.198 rows=1 loops=1)
--     Buffers: shared hit=15 dirtied=1 written=1
--     CTE me
--       ->  Index Scan using sessions_pkey on sessions s  (cost=0.41..8.44 rows=1 width=16) (actual time=0.007..0.008 rows=1 loops=1)
--             Index Cond: (token_hash = $1)
--             Filter: (expires_at > now())
--             Buffers: shared hit=4
--     CTE ins
--       ->  Insert on focus_libraries l  (cost=0.00..0.03 rows=1 width=145) (actual time=0.184..0.185 rows=1 loops=1)
--             Buffers: shared hit=11 dirtied=1 written=1
--             ->  CTE Scan on me me_1  (cost=0.00..0.03 rows=1 width=145) (actual time=0.036..0.037 rows=1 loops=1)
--     ->  Nested Loop Left Join  (cost=0.00..0.04 rows=1 width=16) (actual time=0.009..0.010 rows=1 loops=1)
--           Buffers: shared hit=4
--           ->  Result  (cost=0.00..0.01 rows=1 width=0) (actual time=0.000..0.000 rows=1 loops=1)
--           ->  CTE Scan on me  (cost=0.00..0.02 rows=1 width=16) (actual time=0.008..0.008 rows=1 loops=1)
--                 Buffers: shared hit=4
--     ->  CTE Scan on ins x  (cost=0.00..0.02 rows=1 width=129) (actual time=0.185..0.186 rows=1 loops=1)
--           Buffers: shared hit=11 dirtied=1 written=1
--   Planning Time: 0.148 ms
--   Trigger for constraint focus_libraries_user_id_fkey: time=0.122 calls=1
--   Execution Time: 0.349 ms
PREPARE library_create AS
WITH me AS (SELECT s.user_id FROM sessions s WHERE s.token_hash = $1::bytea AND s.expires_at > now()),
ins AS (INSERT INTO focus_libraries AS l (user_id, name, description, library_type)
	SELECT me.user_id, $2::text, $3::text, $4::text FROM me RETURNING l.*)
SELECT CASE WHEN me.user_id IS NULL THEN 'unauthorized' ELSE 'ok' END AS outcome, me.user_id, x.id, x.name, x.description, x.library_type, 0::bigint AS tracks_count, x.is_favorite, x.created_at, x.updated_at
FROM (VALUES (1)) AS one LEFT JOIN me ON true
LEFT JOIN ins x ON true
;

-- == library_get
-- GET /api/focus/libraries/{id}: one library of the caller's.
-- index: focus_libraries_pkey|focus_libraries_id_user_id_key; expected plan: Index Scan using focus_libraries_pkey
-- median execution: 0.044 ms over 11 runs
-- plan:
--   Nested Loop Left Join  (cost=0.70..36.78 rows=1 width=113) (actual time=0.032..0.033 rows=1 loops=1)
--     Buffers: shared hit=11
--     ->  Result  (cost=0.00..0.01 rows=1 width=0) (actual time=0.000..0.000 rows=1 loops=1)
--     ->  Nested Loop Left Join  (cost=0.70..16.75 rows=1 width=73) (actual time=0.013..0.013 rows=1 loops=1)
--           Join Filter: (x.user_id = me.user_id)
--           Buffers: shared hit=7
--           ->  Index Scan using sessions_pkey on sessions me  (cost=0.41..8.44 rows=1 width=16) (actual time=0.006..0.006 rows=1 loops=1)
--                 Index Cond: (token_hash = $1)
--                 Filter: (expires_at > now())
--                 Buffers: shared hit=4
--           ->  Index Scan using focus_libraries_id_user_id_key on focus_libraries x  (cost=0.29..8.30 rows=1 width=73) (actual time=0.006..0.006 rows=1 loops=1)
--                 Index Cond: (id = $2)
--                 Buffers: shared hit=3
--     SubPlan 1
--       ->  Aggregate  (cost=19.99..20.00 rows=1 width=8) (actual time=0.015..0.016 rows=1 loops=1)
--             Buffers: shared hit=4
--             ->  Bitmap Heap Scan on focus_tracks t  (cost=4.45..19.98 rows=4 width=0) (actual time=0.011..0.012 rows=4 loops=1)
--                   Recheck Cond: (library_id = x.id)
--                   Heap Blocks: exact=1
--                   Buffers: shared hit=4
--                   ->  Bitmap Index Scan on focus_tracks_library  (cost=0.00..4.45 rows=4 width=0) (actual time=0.007..0.007 rows=4 loops=1)
--                         Index Cond: (library_id = x.id)
--                         Buffers: shared hit=3
--   Planning:
--     Buffers: shared hit=21
--   Planning Time: 0.414 ms
--   Execution Time: 0.062 ms
PREPARE library_get AS
SELECT CASE WHEN me.user_id IS NULL THEN 'unauthorized' WHEN x.id IS NULL THEN 'not_found' ELSE 'ok' END AS outcome, me.user_id,
	x.id, x.name, x.description, x.library_type, (SELECT count(*) FROM focus_tracks t WHERE t.library_id = x.id) AS tracks_count, x.is_favorite, x.created_at, x.updated_at
FROM (VALUES (1)) AS one
LEFT JOIN sessions me ON me.token_hash = $1::bytea AND me.expires_at > now()
LEFT JOIN focus_libraries x ON x.id = $2::uuid AND x.user_id = me.user_id
;

-- == library_delete
-- DELETE /api/focus/libraries/{id}: the library and its tracks (the keys come back for the objects).
-- index: focus_libraries_pkey|focus_libraries_id_user_id_key; expected plan: Delete on focus_libraries / Index Scan using focus_libraries_pkey
-- median execution: 0.056 ms over 11 runs
-- plan:
--   Nested Loop Left Join  (cost=16.90..21.03 rows=1 width=96) (actual time=0.045..0.048 rows=1 loops=1)
--     Buffers: shared hit=13
--     CTE me
--       ->  Index Scan using sessions_pkey on sessions s  (cost=0.41..8.44 rows=1 width=16) (actual time=0.004..0.005 rows=1 loops=1)
--             Index Cond: (token_hash = $1)
--             Filter: (expires_at > now())
--             Buffers: shared hit=4
--     CTE gone
--       ->  Delete on focus_libraries l  (cost=0.29..8.34 rows=1 width=46) (actual time=0.033..0.034 rows=1 loops=1)
--             Buffers: shared hit=8
--             ->  Nested Loop  (cost=0.29..8.34 rows=1 width=46) (actual time=0.006..0.007 rows=1 loops=1)
--                   Join Filter: (l.user_id = me_2.user_id)
--                   Buffers: shared hit=3
--                   ->  Index Scan using focus_libraries_id_user_id_key on focus_libraries l  (cost=0.29..8.30 rows=1 width=22) (actual time=0.003..0.003 rows=1 loops=1)
--                         Index Cond: (id = $2)
--                         Buffers: shared hit=3
--                   ->  CTE Scan on me me_2  (cost=0.00..0.02 rows=1 width=56) (actual time=0.003..0.003 rows=1 loops=1)
--     ->  Nested Loop Left Join  (cost=0.00..0.04 rows=1 width=16) (actual time=0.010..0.011 rows=1 loops=1)
--           Buffers: shared hit=4
--           ->  Result  (cost=0.00..0.01 rows=1 width=0) (actual time=0.000..0.000 rows=1 loops=1)
--           ->  CTE Scan on me  (cost=0.00..0.02 rows=1 width=16) (actual time=0.009..0.009 rows=1 loops=1)
--                 Buffers: shared hit=4
--     ->  Nested Loop Left Join  (cost=0.12..4.20 rows=1 width=48) (actual time=0.035..0.036 rows=1 loops=1)
--           Join Filter: (g.id IS NOT NULL)
--           Buffers: shared hit=9
--           ->  CTE Scan on gone g  (cost=0.00..0.02 rows=1 width=16) (actual time=0.033..0.034 rows=1 loops=1)
--                 Buffers: shared hit=8
--           ->  Nested Loop  (cost=0.12..4.17 rows=1 width=32) (actual time=0.001..0.001 rows=0 loops=1)
--                 Join Filter: (t.user_id = me_1.user_id)
--                 Buffers: shared hit=1
--                 ->  Index Scan using focus_tracks_user_stored on focus_tracks t  (cost=0.12..4.14 rows=1 width=48) (actual time=0.001..0.001 rows=0 loops=1)
--                       Filter: (library_id = $2)
--                       Buffers: shared hit=1
--                 ->  CTE Scan on me me_1  (cost=0.00..0.02 rows=1 width=16) (never executed)
--   Planning:
--     Buffers: shared hit=7
--   Planning Time: 0.256 ms
--   Trigger for constraint focus_tracks_library_id_user_id_fkey: time=0.168 calls=1
--   Execution Time: 0.261 ms
PREPARE library_delete AS
WITH me AS (SELECT s.user_id FROM sessions s WHERE s.token_hash = $1::bytea AND s.expires_at > now()),
keys AS (SELECT t.storage_key FROM focus_tracks t JOIN me ON t.user_id = me.user_id
	WHERE t.library_id = $2::uuid AND t.storage_key IS NOT NULL),
gone AS (DELETE FROM focus_libraries l USING me WHERE l.id = $2::uuid AND l.user_id = me.user_id RETURNING l.id)
SELECT CASE WHEN me.user_id IS NULL THEN 'unauthorized' WHEN g.id IS NULL THEN 'not_found' ELSE 'ok' END AS outcome, me.user_id, g.id, k.storage_key
FROM (VALUES (1)) AS one LEFT JOIN me ON true
LEFT JOIN gone g ON true LEFT JOIN keys k ON g.id IS NOT NULL
;

-- == library_favorite
-- POST /api/focus/libraries/{id}/favorite: toggle, atomically (NOT is_favorite under the row lock).
-- index: focus_libraries_pkey|focus_libraries_id_user_id_key; expected plan: Update on focus_libraries / Index Scan using focus_libraries_pkey
-- median execution: 0.090 ms over 11 runs
-- plan:
--   Nested Loop Left Join  (cost=16.77..36.85 rows=1 width=185) (actual time=0.084..0.086 rows=1 loops=1)
--     Buffers: shared hit=24
--     CTE me
--       ->  Index Scan using sessions_pkey on sessions s  (cost=0.41..8.44 rows=1 width=16) (actual time=0.006..0.006 rows=1 loops=1)
--             Index Cond: (token_hash = $1)
--             Filter: (expires_at > now())
--             Buffers: shared hit=4
--     CTE upd
--       ->  Update on focus_libraries l  (cost=0.29..8.34 rows=1 width=55) (actual time=0.064..0.065 rows=1 loops=1)
--             Buffers: shared hit=16
--             ->  Nested Loop  (cost=0.29..8.34 rows=1 width=55) (actual time=0.007..0.008 rows=1 loops=1)
--                   Join Filter: (l.user_id = me_1.user_id)
--                   Buffers: shared hit=3
--                   ->  Index Scan using focus_libraries_id_user_id_key on focus_libraries l  (cost=0.29..8.30 rows=1 width=23) (actual time=0.005..0.005 rows=1 loops=1)
--                         Index Cond: (id = $2)
--                         Buffers: shared hit=3
--                   ->  CTE Scan on me me_1  (cost=0.00..0.02 rows=1 width=56) (actual time=0.002..0.002 rows=1 loops=1)
--     ->  Nested Loop Left Join  (cost=0.00..0.04 rows=1 width=16) (actual time=0.007..0.008 rows=1 loops=1)
--           Buffers: shared hit=4
--           ->  Result  (cost=0.00..0.01 rows=1 width=0) (actual time=0.000..0.000 rows=1 loops=1)
--           ->  CTE Scan on me  (cost=0.00..0.02 rows=1 width=16) (actual time=0.006..0.007 rows=1 loops=1)
--                 Buffers: shared hit=4
--     ->  CTE Scan on upd x  (cost=0.00..0.02 rows=1 width=129) (actual time=0.065..0.066 rows=1 loops=1)
--           Buffers: shared hit=16
--     SubPlan 3
--       ->  Aggregate  (cost=19.99..20.00 rows=1 width=8) (actual time=0.010..0.010 rows=1 loops=1)
--             Buffers: shared hit=4
--             ->  Bitmap Heap Scan on focus_tracks t  (cost=4.45..19.98 rows=4 width=0) (actual time=0.007..0.008 rows=4 loops=1)
--                   Recheck Cond: (library_id = x.id)
--                   Heap Blocks: exact=1
--                   Buffers: shared hit=4
--                   ->  Bitmap Index Scan on focus_tracks_library  (cost=0.00..4.45 rows=4 width=0) (actual time=0.002..0.002 rows=4 loops=1)
--                         Index Cond: (library_id = x.id)
--                         Buffers: shared hit=3
--   Planning:
--     Buffers: shared hit=1
--   Planning Time: 0.180 ms
--   Execution Time: 0.116 ms
PREPARE library_favorite AS
WITH me AS (SELECT s.user_id FROM sessions s WHERE s.token_hash = $1::bytea AND s.expires_at > now()),
upd AS (UPDATE focus_libraries l SET is_favorite = NOT l.is_favorite, updated_at = now()
	FROM me WHERE l.id = $2::uuid AND l.user_id = me.user_id RETURNING l.*)
SELECT CASE WHEN me.user_id IS NULL THEN 'unauthorized' WHEN x.id IS NULL THEN 'not_found' ELSE 'ok' END AS outcome, me.user_id,
	x.id, x.name, x.description, x.library_type, (SELECT count(*) FROM focus_tracks t WHERE t.library_id = x.id) AS tracks_count, x.is_favorite, x.created_at, x.updated_at
FROM (VALUES (1)) AS one LEFT JOIN me ON true
LEFT JOIN upd x ON true
;

-- == library_check
-- Track uploads: the library is the caller's (before anything is stored).
-- index: focus_libraries_pkey|focus_libraries_id_user_id_key; expected plan: Index Scan using focus_libraries_pkey
-- median execution: 0.021 ms over 11 runs
-- plan:
--   Nested Loop Left Join  (cost=0.41..16.76 rows=1 width=48) (actual time=0.017..0.018 rows=1 loops=1)
--     Buffers: shared hit=7
--     ->  Result  (cost=0.00..0.01 rows=1 width=0) (actual time=0.000..0.000 rows=1 loops=1)
--     ->  Index Scan using sessions_pkey on sessions s  (cost=0.41..8.44 rows=1 width=16) (actual time=0.007..0.008 rows=1 loops=1)
--           Index Cond: (token_hash = $1)
--           Filter: (expires_at > now())
--           Buffers: shared hit=4
--     SubPlan 1
--       ->  Index Only Scan using focus_libraries_id_user_id_key on focus_libraries l  (cost=0.29..8.31 rows=1 width=0) (actual time=0.007..0.007 rows=1 loops=1)
--             Index Cond: ((id = $2) AND (user_id = s.user_id))
--             Heap Fetches: 1
--             Buffers: shared hit=3
--   Planning Time: 0.166 ms
--   Execution Time: 0.033 ms
PREPARE library_check AS
WITH me AS (SELECT s.user_id FROM sessions s WHERE s.token_hash = $1::bytea AND s.expires_at > now())
SELECT CASE WHEN me.user_id IS NULL THEN 'unauthorized' WHEN EXISTS (SELECT 1 FROM focus_libraries l WHERE l.id = $2 AND l.user_id = me.user_id)
	THEN 'ok' ELSE 'not_found' END AS outcome, me.user_id
FROM (VALUES (1)) AS one LEFT JOIN me ON true
;

-- == track_add
-- Track uploads and registration: the row, written after its object exists.
-- index: focus_libraries_pkey|focus_libraries_id_user_id_key; expected plan: Insert on focus_tracks / Index Scan using focus_libraries_pkey
-- median execution: 0.161 ms over 11 runs
-- plan:
--   Nested Loop Left Join  (cost=21.06..21.13 rows=1 width=228) (actual time=0.193..0.200 rows=1 loops=1)
--     Buffers: shared hit=21
--     CTE me
--       ->  Index Scan using sessions_pkey on sessions s  (cost=0.41..8.44 rows=1 width=16) (actual time=0.008..0.009 rows=1 loops=1)
--             Index Cond: (token_hash = $1)
--             Filter: (expires_at > now())
--             Buffers: shared hit=4
--     CTE lib
--       ->  Nested Loop  (cost=0.29..8.34 rows=1 width=32) (actual time=0.006..0.008 rows=1 loops=1)
--             Join Filter: (me_1.user_id = l.user_id)
--             Buffers: shared hit=3
--             ->  CTE Scan on me me_1  (cost=0.00..0.02 rows=1 width=16) (actual time=0.000..0.001 rows=1 loops=1)
--             ->  Index Only Scan using focus_libraries_id_user_id_key on focus_libraries l  (cost=0.29..8.30 rows=1 width=32) (actual time=0.005..0.005 rows=1 loops=1)
--                   Index Cond: (id = $2)
--                   Heap Fetches: 1
--                   Buffers: shared hit=3
--     CTE res
--       ->  Nested Loop  (cost=0.00..0.03 rows=1 width=32) (never executed)
--             Join Filter: (u.user_id = lib.user_id)
--             ->  Seq Scan on storage_uploads u  (cost=0.00..0.00 rows=1 width=48) (never executed)
--                   Filter: ((storage_key = $8) AND (expires_at > now()))
--             ->  CTE Scan on lib  (cost=0.00..0.02 rows=1 width=16) (never executed)
--     CTE ins
--       ->  Insert on focus_tracks t  (cost=0.02..0.04 rows=1 width=196) (actual time=0.181..0.183 rows=1 loops=1)
--             Conflict Resolution: NOTHING
--             Conflict Arbiter Indexes: focus_tracks_storage_key_key
--             Tuples Inserted: 1
--             Conflicting Tuples: 0
--             Buffers: shared hit=17
--             InitPlan 4 (returns $3)
--               ->  CTE Scan on res  (cost=0.00..0.02 rows=1 width=0) (never executed)
--             ->  Result  (cost=0.00..0.03 rows=1 width=196) (actual time=0.046..0.048 rows=1 loops=1)
--                   One-Time Filter: (($8 IS NULL) OR $3)
--                   Buffers: shared hit=3
--                   ->  CTE Scan on lib lib_1  (cost=0.00..0.02 rows=1 width=32) (actual time=0.007..0.008 rows=1 loops=1)
--                         Buffers: shared hit=3
--     CTE pend
--       ->  Delete on storage_uploads u_1  (cost=0.00..0.03 rows=0 width=0) (actual time=0.004..0.004 rows=0 loops=1)
--             ->  Nested Loop  (cost=0.00..0.03 rows=1 width=62) (actual time=0.003..0.003 rows=0 loops=1)
--                   Join Filter: (u_1.storage_key = ins.storage_key)
--                   ->  Seq Scan on storage_uploads u_1  (cost=0.00..0.00 rows=1 width=38) (actual time=0.003..0.003 rows=0 loops=1)
--                   ->  CTE Scan on ins  (cost=0.00..0.02 rows=1 width=88) (never executed)
--     InitPlan 7 (returns $8)
--       ->  CTE Scan on lib lib_2  (cost=0.00..0.02 rows=1 width=0) (never executed)
--     InitPlan 8 (returns $9)
--       ->  CTE Scan on res res_1  (cost=0.00..0.02 rows=1 width=0) (never executed)
--     InitPlan 9 (returns $10)
--       ->  Index Scan using focus_tracks_user_stored on focus_tracks k  (cost=0.12..4.14 rows=1 width=0) (never executed)
--             Filter: (storage_key = $8)
--     ->  Nested Loop Left Join  (cost=0.00..0.04 rows=1 width=16) (actual time=0.010..0.010 rows=1 loops=1)
--           Buffers: shared hit=4
--           ->  Result  (cost=0.00..0.01 rows=1 width=0) (actual time=0.000..0.000 rows=1 loops=1)
--           ->  CTE Scan on me  (cost=0.00..0.02 rows=1 width=16) (actual time=0.009..0.009 rows=1 loops=1)
--                 Buffers: shared hit=4
--     ->  CTE Scan on ins x  (cost=0.00..0.02 rows=1 width=180) (actual time=0.182..0.184 rows=1 loops=1)
--           Buffers: shared hit=17
--   Planning:
--     Buffers: shared hit=44 read=2
--   Planning Time: 0.563 ms
--   Trigger for constraint focus_tracks_library_id_user_id_fkey on focus_tracks: time=0.130 calls=1
--   Execution Time: 0.413 ms
PREPARE track_add AS
WITH me AS (SELECT s.user_id FROM sessions s WHERE s.token_hash = $1::bytea AND s.expires_at > now()),
lib AS (SELECT l.id, me.user_id FROM me JOIN focus_libraries l ON l.id = $2::uuid AND l.user_id = me.user_id),
res AS (SELECT u.storage_key FROM storage_uploads u JOIN lib ON u.user_id = lib.user_id
	WHERE u.storage_key = $8::text AND u.expires_at > now()),
ins AS (INSERT INTO focus_tracks AS t (library_id, user_id, track_title, track_url, mime_type,
		size_bytes, duration_seconds, storage_key)
	SELECT lib.id, lib.user_id, $3::text, $4::text, $5::text, $6::bigint, $7::integer, $8::text
	FROM lib WHERE $8::text IS NULL OR EXISTS (SELECT 1 FROM res)
	ON CONFLICT (storage_key) DO NOTHING
	RETURNING t.*),
pend AS (DELETE FROM storage_uploads u USING ins WHERE u.storage_key = ins.storage_key)
SELECT CASE WHEN me.user_id IS NULL THEN 'unauthorized' WHEN x.id IS NOT NULL THEN 'ok'
	WHEN NOT EXISTS (SELECT 1 FROM lib) THEN 'not_found'
	WHEN EXISTS (SELECT 1 FROM res) OR EXISTS (SELECT 1 FROM focus_tracks k WHERE k.storage_key = $8::text)
		THEN 'conflict'
	ELSE 'invalid' END AS outcome, me.user_id, x.id, x.library_id, x.track_title, x.track_url, x.mime_type, x.size_bytes, x.duration_seconds, x.storage_key, x.added_at
FROM (VALUES (1)) AS one LEFT JOIN me ON true
LEFT JOIN ins x ON true
;

-- == track_list
-- GET /api/focus/libraries/{id}/tracks: the library's tracks, oldest first.
-- index: focus_tracks_library; expected plan: Index Scan using focus_tracks_library
-- median execution: 0.042 ms over 11 runs
-- plan:
--   Sort  (cost=36.88..36.89 rows=4 width=177) (actual time=0.060..0.061 rows=4 loops=1)
--     Sort Key: t.added_at, t.id
--     Sort Method: quicksort  Memory: 25kB
--     Buffers: shared hit=13
--     ->  Nested Loop Left Join  (cost=5.15..36.84 rows=4 width=177) (actual time=0.024..0.049 rows=4 loops=1)
--           Buffers: shared hit=13
--           ->  Result  (cost=0.00..0.01 rows=1 width=0) (actual time=0.000..0.000 rows=1 loops=1)
--           ->  Nested Loop Left Join  (cost=5.15..36.79 rows=4 width=161) (actual time=0.022..0.043 rows=4 loops=1)
--                 Join Filter: (t.library_id = lib.id)
--                 Buffers: shared hit=13
--                 ->  Nested Loop Left Join  (cost=0.70..16.75 rows=1 width=32) (actual time=0.011..0.011 rows=1 loops=1)
--                       Join Filter: (lib.user_id = me.user_id)
--                       Buffers: shared hit=7
--                       ->  Index Scan using sessions_pkey on sessions me  (cost=0.41..8.44 rows=1 width=16) (actual time=0.006..0.006 rows=1 loops=1)
--                             Index Cond: (token_hash = $1)
--                             Filter: (expires_at > now())
--                             Buffers: shared hit=4
--                       ->  Index Only Scan using focus_libraries_id_user_id_key on focus_libraries lib  (cost=0.29..8.30 rows=1 width=32) (actual time=0.004..0.004 rows=1 loops=1)
--                             Index Cond: (id = $2)
--                             Heap Fetches: 1
--                             Buffers: shared hit=3
--                 ->  Bitmap Heap Scan on focus_tracks t  (cost=4.45..19.98 rows=4 width=129) (actual time=0.010..0.028 rows=4 loops=1)
--                       Recheck Cond: (library_id = $2)
--                       Heap Blocks: exact=3
--                       Buffers: shared hit=6
--                       ->  Bitmap Index Scan on focus_tracks_library  (cost=0.00..4.45 rows=4 width=0) (actual time=0.005..0.005 rows=16 loops=1)
--                             Index Cond: (library_id = $2)
--                             Buffers: shared hit=3
--   Planning:
--     Buffers: shared hit=47
--   Planning Time: 0.573 ms
--   Execution Time: 0.089 ms
PREPARE track_list AS
SELECT CASE WHEN me.user_id IS NULL THEN 'unauthorized' WHEN lib.id IS NULL THEN 'not_found' ELSE 'ok' END AS outcome, me.user_id, t.id, t.library_id, t.track_title, t.track_url, t.mime_type, t.size_bytes, t.duration_seconds, t.storage_key, t.added_at
FROM (VALUES (1)) AS one
LEFT JOIN sessions me ON me.token_hash = $1::bytea AND me.expires_at > now()
LEFT JOIN focus_libraries lib ON lib.id = $2::uuid AND lib.user_id = me.user_id
LEFT JOIN focus_tracks t ON t.library_id = lib.id
ORDER BY t.added_at, t.id;

-- == track_delete
-- DELETE /api/focus/libraries/{id}/tracks/{track_id}: the row (the worker then deletes the object).
-- index: focus_tracks_pkey; expected plan: Delete on focus_tracks / Index Scan using focus_tracks_pkey
-- median execution: 0.038 ms over 11 runs
-- plan:
--   Nested Loop Left Join  (cost=16.91..16.98 rows=1 width=96) (actual time=0.070..0.073 rows=1 loops=1)
--     Buffers: shared hit=10
--     CTE me
--       ->  Index Scan using sessions_pkey on sessions s  (cost=0.41..8.44 rows=1 width=16) (actual time=0.008..0.009 rows=1 loops=1)
--             Index Cond: (token_hash = $1)
--             Filter: (expires_at > now())
--             Buffers: shared hit=4
--     CTE gone
--       ->  Delete on focus_tracks t  (cost=0.42..8.47 rows=1 width=46) (actual time=0.058..0.060 rows=1 loops=1)
--             Buffers: shared hit=6
--             ->  Nested Loop  (cost=0.42..8.47 rows=1 width=46) (actual time=0.030..0.032 rows=1 loops=1)
--                   Join Filter: (t.user_id = me_1.user_id)
--                   Buffers: shared hit=4
--                   ->  Index Scan using focus_tracks_pkey on focus_tracks t  (cost=0.42..8.44 rows=1 width=22) (actual time=0.025..0.025 rows=1 loops=1)
--                         Index Cond: (id = $3)
--                         Filter: (library_id = $2)
--                         Buffers: shared hit=4
--                   ->  CTE Scan on me me_1  (cost=0.00..0.02 rows=1 width=56) (actual time=0.005..0.006 rows=1 loops=1)
--     ->  Nested Loop Left Join  (cost=0.00..0.04 rows=1 width=16) (actual time=0.010..0.011 rows=1 loops=1)
--           Buffers: shared hit=4
--           ->  Result  (cost=0.00..0.01 rows=1 width=0) (actual time=0.000..0.000 rows=1 loops=1)
--           ->  CTE Scan on me  (cost=0.00..0.02 rows=1 width=16) (actual time=0.009..0.010 rows=1 loops=1)
--                 Buffers: shared hit=4
--     ->  CTE Scan on gone g  (cost=0.00..0.02 rows=1 width=48) (actual time=0.058..0.060 rows=1 loops=1)
--           Buffers: shared hit=6
--   Planning:
--     Buffers: shared hit=1
--   Planning Time: 0.205 ms
--   Execution Time: 0.100 ms
PREPARE track_delete AS
WITH me AS (SELECT s.user_id FROM sessions s WHERE s.token_hash = $1::bytea AND s.expires_at > now()),
gone AS (DELETE FROM focus_tracks t USING me WHERE t.id = $3::uuid AND t.library_id = $2::uuid AND t.user_id = me.user_id
	RETURNING t.id, t.storage_key)
SELECT CASE WHEN me.user_id IS NULL THEN 'unauthorized' WHEN g.id IS NULL THEN 'not_found' ELSE 'ok' END AS outcome, me.user_id, g.id, g.storage_key
FROM (VALUES (1)) AS one LEFT JOIN me ON true
LEFT JOIN gone g ON true
;

-- == track_keys
-- focusctl storage orphans: every key a row points at or may still point at.
-- index: focus_tracks_storage_key_key; expected plan: Index Only Scan using focus_tracks_storage_key_key
-- median execution: 0.014 ms over 11 runs
-- plan:
--   Sort  (cost=4.22..4.22 rows=2 width=64) (actual time=0.022..0.023 rows=0 loops=1)
--     Sort Key: keys.k COLLATE "C"
--     Sort Method: quicksort  Memory: 25kB
--     Buffers: shared hit=4
--     ->  Subquery Scan on keys  (cost=4.18..4.21 rows=2 width=64) (actual time=0.006..0.006 rows=0 loops=1)
--           Buffers: shared hit=1
--           ->  Unique  (cost=4.18..4.19 rows=2 width=32) (actual time=0.005..0.006 rows=0 loops=1)
--                 Buffers: shared hit=1
--                 ->  Sort  (cost=4.18..4.18 rows=2 width=32) (actual time=0.005..0.005 rows=0 loops=1)
--                       Sort Key: focus_tracks.storage_key
--                       Sort Method: quicksort  Memory: 25kB
--                       Buffers: shared hit=1
--                       ->  Append  (cost=0.12..4.17 rows=2 width=32) (actual time=0.003..0.004 rows=0 loops=1)
--                             Buffers: shared hit=1
--                             ->  Index Scan using focus_tracks_user_stored on focus_tracks  (cost=0.12..4.14 rows=1 width=32) (actual time=0.001..0.001 rows=0 loops=1)
--                                   Buffers: shared hit=1
--                             ->  Seq Scan on storage_uploads  (cost=0.00..0.00 rows=1 width=32) (actual time=0.002..0.002 rows=0 loops=1)
--                                   Filter: (expires_at > now())
--   Planning:
--     Buffers: shared hit=9
--   Planning Time: 0.140 ms
--   Execution Time: 0.035 ms
PREPARE track_keys AS
SELECT k FROM (SELECT storage_key FROM focus_tracks WHERE storage_key IS NOT NULL
	UNION SELECT storage_key FROM storage_uploads WHERE expires_at > now()) AS keys (k)
ORDER BY k COLLATE "C";

-- == upload_reserve
-- Track uploads (direct and signed): the library is the caller's and the key is reserved within the quota.
-- index: focus_libraries_pkey|focus_libraries_id_user_id_key; expected plan: Index Scan using focus_libraries_pkey
-- median execution: 0.092 ms over 11 runs
-- plan:
--   Nested Loop Left Join  (cost=0.41..17.02 rows=1 width=48) (actual time=0.825..0.826 rows=1 loops=1)
--     Buffers: shared hit=72 dirtied=5 written=3
--     ->  Result  (cost=0.00..0.01 rows=1 width=0) (actual time=0.000..0.000 rows=1 loops=1)
--     ->  Index Scan using sessions_pkey on sessions s  (cost=0.41..8.44 rows=1 width=16) (actual time=0.013..0.013 rows=1 loops=1)
--           Index Cond: (token_hash = $1)
--           Filter: (expires_at > now())
--           Buffers: shared hit=4
--     SubPlan 1
--       ->  Index Only Scan using focus_libraries_id_user_id_key on focus_libraries l  (cost=0.29..8.31 rows=1 width=0) (actual time=0.010..0.010 rows=1 loops=1)
--             Index Cond: ((id = $2) AND (user_id = s.user_id))
--             Heap Fetches: 1
--             Buffers: shared hit=3
--   Planning Time: 0.176 ms
--   Execution Time: 0.844 ms
PREPARE upload_reserve AS
WITH me AS (SELECT s.user_id FROM sessions s WHERE s.token_hash = $1::bytea AND s.expires_at > now())
SELECT CASE WHEN me.user_id IS NULL THEN 'unauthorized' WHEN NOT EXISTS (SELECT 1 FROM focus_libraries l WHERE l.id = $2::uuid AND l.user_id = me.user_id)
	THEN 'not_found'
	WHEN focus_storage_reserve(me.user_id, me.user_id::text || '/audio/' || $3::text, $4::bigint,
	    $5::text, $6::integer, $7::bigint * 1048576) THEN 'ok' ELSE 'too_large' END AS outcome,
	me.user_id
FROM (VALUES (1)) AS one LEFT JOIN me ON true
;

-- == upload_release
-- PUT /api/focus/libraries/{id}/tracks/upload, when storing the body failed: the key's reservation goes.
-- index: storage_uploads_pkey|sessions_pkey; expected plan: Delete on storage_uploads / Index Scan using sessions_pkey (the caller; storage_uploads_pkey once the table is not tiny)
-- median execution: 0.023 ms over 11 runs
-- plan:
--   Nested Loop Left Join  (cost=10.23..10.27 rows=1 width=48) (actual time=0.009..0.010 rows=1 loops=1)
--     Buffers: shared hit=4
--     CTE me
--       ->  Index Scan using sessions_pkey on sessions s  (cost=0.41..8.44 rows=1 width=16) (actual time=0.007..0.007 rows=1 loops=1)
--             Index Cond: (token_hash = $1)
--             Filter: (expires_at > now())
--             Buffers: shared hit=4
--     CTE gone
--       ->  Delete on storage_uploads u  (cost=0.00..1.80 rows=0 width=0) (actual time=0.005..0.005 rows=0 loops=1)
--             Buffers: shared hit=1
--             ->  Nested Loop  (cost=0.00..1.80 rows=1 width=46) (actual time=0.005..0.005 rows=0 loops=1)
--                   Join Filter: (u.user_id = me_1.user_id)
--                   Buffers: shared hit=1
--                   ->  Seq Scan on storage_uploads u  (cost=0.00..1.76 rows=1 width=22) (actual time=0.005..0.005 rows=0 loops=1)
--                         Filter: (storage_key = $2)
--                         Buffers: shared hit=1
--                   ->  CTE Scan on me me_1  (cost=0.00..0.02 rows=1 width=56) (never executed)
--     ->  Result  (cost=0.00..0.01 rows=1 width=0) (actual time=0.000..0.000 rows=1 loops=1)
--     ->  CTE Scan on me  (cost=0.00..0.02 rows=1 width=16) (actual time=0.007..0.008 rows=1 loops=1)
--           Buffers: shared hit=4
--   Planning:
--     Buffers: shared hit=4
--   Planning Time: 0.139 ms
--   Execution Time: 0.031 ms
PREPARE upload_release AS
WITH me AS (SELECT s.user_id FROM sessions s WHERE s.token_hash = $1::bytea AND s.expires_at > now()),
gone AS (DELETE FROM storage_uploads u USING me WHERE u.storage_key = $2::text AND u.user_id = me.user_id)
SELECT CASE WHEN me.user_id IS NULL THEN 'unauthorized' ELSE 'ok' END AS outcome, me.user_id
FROM (VALUES (1)) AS one LEFT JOIN me ON true
;

-- == auth_logout_all
-- POST /api/auth/logout-all: delete every session and token of the caller, the caller's own included.
-- index: sessions_user_kind; expected plan: Delete on sessions / Index Scan using sessions_user_kind
-- median execution: 0.048 ms over 11 runs
-- plan:
--   Nested Loop Left Join  (cost=20.36..20.40 rows=1 width=56) (actual time=0.091..0.092 rows=1 loops=1)
--     Buffers: shared hit=13 read=2 dirtied=2
--     CTE me
--       ->  Index Scan using sessions_pkey on sessions s  (cost=0.41..8.44 rows=1 width=16) (actual time=0.006..0.007 rows=1 loops=1)
--             Index Cond: (token_hash = $1)
--             Filter: (expires_at > now())
--             Buffers: shared hit=4
--     CTE gone
--       ->  Delete on sessions s_1  (cost=4.30..11.87 rows=2 width=46) (actual time=0.058..0.080 rows=3 loops=1)
--             Buffers: shared hit=9 read=2 dirtied=2
--             ->  Nested Loop  (cost=4.30..11.87 rows=2 width=46) (actual time=0.033..0.047 rows=3 loops=1)
--                   Buffers: shared hit=3 read=2
--                   ->  CTE Scan on me me_1  (cost=0.00..0.02 rows=1 width=56) (actual time=0.003..0.003 rows=1 loops=1)
--                   ->  Bitmap Heap Scan on sessions s_1  (cost=4.30..11.83 rows=2 width=22) (actual time=0.029..0.042 rows=3 loops=1)
--                         Recheck Cond: (user_id = me_1.user_id)
--                         Heap Blocks: exact=3
--                         Buffers: shared hit=3 read=2
--                         ->  Bitmap Index Scan on sessions_user_kind  (cost=0.00..4.30 rows=2 width=0) (actual time=0.010..0.010 rows=15 loops=1)
--                               Index Cond: (user_id = me_1.user_id)
--                               Buffers: shared hit=2
--     InitPlan 3 (returns $4)
--       ->  Aggregate  (cost=0.04..0.06 rows=1 width=8) (actual time=0.082..0.082 rows=1 loops=1)
--             Buffers: shared hit=9 read=2 dirtied=2
--             ->  CTE Scan on gone  (cost=0.00..0.04 rows=2 width=0) (actual time=0.058..0.080 rows=3 loops=1)
--                   Buffers: shared hit=9 read=2 dirtied=2
--     ->  Result  (cost=0.00..0.01 rows=1 width=0) (actual time=0.000..0.000 rows=1 loops=1)
--     ->  CTE Scan on me  (cost=0.00..0.02 rows=1 width=16) (actual time=0.007..0.007 rows=1 loops=1)
--           Buffers: shared hit=4
--   Planning Time: 0.140 ms
--   Execution Time: 0.164 ms
PREPARE auth_logout_all AS
WITH me AS (SELECT s.user_id FROM sessions s WHERE s.token_hash = $1::bytea AND s.expires_at > now()),
gone AS (DELETE FROM sessions s USING me WHERE s.user_id = me.user_id RETURNING s.user_id)
SELECT CASE WHEN me.user_id IS NULL THEN 'unauthorized' ELSE 'ok' END AS outcome, me.user_id,
	(SELECT count(*) FROM gone) AS sessions_ended
FROM (VALUES (1)) AS one LEFT JOIN me ON true
;

-- == auth_password_lookup
-- POST /api/auth/password, step 1: the caller, the password hash to check the current password against, and the recent failures as for a sign-in.
-- index: login_failures_name_client; expected plan: Index Only Scan using login_failures_name_client
-- median execution: 0.041 ms over 11 runs
-- plan:
--   Nested Loop Left Join  (cost=13.71..46.42 rows=1 width=122) (actual time=0.062..0.064 rows=1 loops=1)
--     Buffers: shared hit=13 read=1
--     InitPlan 3 (returns $2)
--       ->  Aggregate  (cost=13.00..13.01 rows=1 width=8) (actual time=0.027..0.027 rows=1 loops=1)
--             Buffers: shared hit=3
--             ->  Bitmap Heap Scan on login_failures l_2  (cost=4.32..12.99 rows=3 width=0) (actual time=0.026..0.027 rows=0 loops=1)
--                   Recheck Cond: ((client = $2) AND (failed_at > (now() - make_interval(0, 0, 0, 0, 0, 0, ($3)::double precision))))
--                   Heap Blocks: exact=1
--                   Buffers: shared hit=3
--                   ->  Bitmap Index Scan on login_failures_client  (cost=0.00..4.32 rows=3 width=0) (actual time=0.008..0.008 rows=12 loops=1)
--                         Index Cond: ((client = $2) AND (failed_at > (now() - make_interval(0, 0, 0, 0, 0, 0, ($3)::double precision))))
--                         Buffers: shared hit=2
--     ->  Result  (cost=0.00..0.01 rows=1 width=0) (actual time=0.000..0.000 rows=1 loops=1)
--     ->  Nested Loop Left Join  (cost=0.70..16.74 rows=1 width=66) (actual time=0.013..0.013 rows=1 loops=1)
--           Buffers: shared hit=7
--           ->  Index Scan using sessions_pkey on sessions me  (cost=0.41..8.44 rows=1 width=16) (actual time=0.006..0.007 rows=1 loops=1)
--                 Index Cond: (token_hash = $1)
--                 Filter: (expires_at > now())
--                 Buffers: shared hit=4
--           ->  Index Scan using users_pkey on users u  (cost=0.29..8.30 rows=1 width=66) (actual time=0.006..0.006 rows=1 loops=1)
--                 Index Cond: (id = me.user_id)
--                 Buffers: shared hit=3
--     SubPlan 1
--       ->  Aggregate  (cost=8.31..8.32 rows=1 width=8) (actual time=0.016..0.016 rows=1 loops=1)
--             Buffers: shared hit=1 read=1
--             ->  Index Only Scan using login_failures_name_client on login_failures l  (cost=0.29..8.31 rows=1 width=0) (actual time=0.014..0.014 rows=0 loops=1)
--                   Index Cond: ((name = u.name) AND (client = $2) AND (failed_at > (now() - make_interval(0, 0, 0, 0, 0, 0, ($3)::double precision))))
--                   Heap Fetches: 0
--                   Buffers: shared hit=1 read=1
--     SubPlan 2
--       ->  Aggregate  (cost=8.31..8.32 rows=1 width=8) (actual time=0.003..0.003 rows=1 loops=1)
--             Buffers: shared hit=2
--             ->  Index Only Scan using login_failures_name_client on login_failures l_1  (cost=0.29..8.31 rows=1 width=0) (actual time=0.002..0.002 rows=0 loops=1)
--                   Index Cond: ((name = u.name) AND (failed_at > (now() - make_interval(0, 0, 0, 0, 0, 0, ($3)::double precision))))
--                   Heap Fetches: 0
--                   Buffers: shared hit=2
--   Planning:
--     Buffers: shared hit=12
--   Planning Time: 0.378 ms
--   Execution Time: 0.101 ms
PREPARE auth_password_lookup AS
SELECT CASE WHEN me.user_id IS NULL THEN 'unauthorized' ELSE 'ok' END AS outcome, me.user_id, u.name, u.password_hash,
	(SELECT count(*) FROM login_failures l WHERE l.name = u.name AND l.client = $2
	   AND l.failed_at > now() - make_interval(secs => $3::integer)) AS pair_failures,
	(SELECT count(*) FROM login_failures l WHERE l.name = u.name
	   AND l.failed_at > now() - make_interval(secs => $3::integer)) AS name_failures,
	(SELECT count(*) FROM login_failures l WHERE l.client = $2
	   AND l.failed_at > now() - make_interval(secs => $3::integer)) AS client_failures
FROM (VALUES (1)) AS one
LEFT JOIN sessions me ON me.token_hash = $1::bytea AND me.expires_at > now()
LEFT JOIN users u ON u.id = me.user_id
;

-- == auth_password_set
-- POST /api/auth/password, step 2: the new hash, only if the checked one is still stored, and the end of the caller's other sessions and tokens.
-- index: sessions_pkey; expected plan: Index Scan using sessions_pkey
-- median execution: 0.026 ms over 11 runs
-- plan:
--   Nested Loop Left Join  (cost=0.41..8.74 rows=1 width=52) (actual time=0.194..0.195 rows=1 loops=1)
--     Buffers: shared hit=9
--     ->  Nested Loop Left Join  (cost=0.41..8.46 rows=1 width=16) (actual time=0.006..0.007 rows=1 loops=1)
--           Buffers: shared hit=4
--           ->  Result  (cost=0.00..0.01 rows=1 width=0) (actual time=0.000..0.000 rows=1 loops=1)
--           ->  Index Scan using sessions_pkey on sessions s  (cost=0.41..8.44 rows=1 width=16) (actual time=0.005..0.005 rows=1 loops=1)
--                 Index Cond: (token_hash = $1)
--                 Filter: (expires_at > now())
--                 Buffers: shared hit=4
--     ->  Result  (cost=0.00..0.26 rows=1 width=4) (actual time=0.187..0.187 rows=1 loops=1)
--           Buffers: shared hit=5
--   Planning Time: 0.090 ms
--   Execution Time: 0.207 ms
PREPARE auth_password_set AS
WITH me AS (SELECT s.user_id FROM sessions s WHERE s.token_hash = $1::bytea AND s.expires_at > now())
SELECT CASE WHEN me.user_id IS NULL THEN 'unauthorized' WHEN ch.ended < 0 THEN 'conflict' ELSE 'ok' END AS outcome, me.user_id,
	ch.ended AS sessions_ended
FROM (VALUES (1)) AS one LEFT JOIN me ON true
LEFT JOIN LATERAL (SELECT focus_set_password(me.user_id, $2::text, $3::text, $1::bytea) AS ended) AS ch ON true
;

-- == token_list
-- focusctl token list: a user's live tokens and sign-ins, oldest first.
-- index: sessions_user_kind; expected plan: Index Scan using sessions_user_kind
-- median execution: 0.032 ms over 11 runs
-- plan:
--   Sort  (cost=20.22..20.23 rows=2 width=87) (actual time=0.109..0.110 rows=3 loops=1)
--     Sort Key: s.created_at, s.id
--     Sort Method: quicksort  Memory: 25kB
--     Buffers: shared hit=8
--     ->  Nested Loop Left Join  (cost=4.59..20.21 rows=2 width=87) (actual time=0.093..0.102 rows=3 loops=1)
--           Buffers: shared hit=8
--           ->  Result  (cost=0.00..0.01 rows=1 width=0) (actual time=0.000..0.000 rows=1 loops=1)
--           ->  Nested Loop Left Join  (cost=4.59..20.16 rows=2 width=46) (actual time=0.013..0.020 rows=3 loops=1)
--                 Join Filter: (s.user_id = u.id)
--                 Buffers: shared hit=8
--                 ->  Index Only Scan using users_pkey on users u  (cost=0.29..8.30 rows=1 width=16) (actual time=0.003..0.003 rows=1 loops=1)
--                       Index Cond: (id = $1)
--                       Heap Fetches: 1
--                       Buffers: shared hit=3
--                 ->  Bitmap Heap Scan on sessions s  (cost=4.30..11.84 rows=2 width=46) (actual time=0.009..0.014 rows=3 loops=1)
--                       Recheck Cond: (user_id = $1)
--                       Filter: (expires_at > now())
--                       Heap Blocks: exact=3
--                       Buffers: shared hit=5
--                       ->  Bitmap Index Scan on sessions_user_kind  (cost=0.00..4.30 rows=2 width=0) (actual time=0.004..0.004 rows=15 loops=1)
--                             Index Cond: (user_id = $1)
--                             Buffers: shared hit=2
--   Planning:
--     Buffers: shared hit=21
--   Planning Time: 0.194 ms
--   Execution Time: 0.126 ms
PREPARE token_list AS
SELECT u.id IS NOT NULL AS user_exists, s.id, s.kind,
	to_char(s.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS created_at,
	to_char(s.expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS expires_at
FROM (VALUES (1)) AS one LEFT JOIN users u ON u.id = $1::uuid
LEFT JOIN sessions s ON s.user_id = u.id AND s.expires_at > now()
ORDER BY s.created_at, s.id;

-- == token_revoke
-- focusctl token revoke: end one token or sign-in by its id.
-- index: sessions_id_key; expected plan: Delete on sessions / Index Scan using sessions_id_key
-- median execution: 0.009 ms over 11 runs
-- plan:
--   Delete on sessions  (cost=0.29..8.30 rows=1 width=6) (actual time=0.014..0.015 rows=0 loops=1)
--     Buffers: shared hit=1 read=1
--     ->  Index Scan using sessions_id_key on sessions  (cost=0.29..8.30 rows=1 width=6) (actual time=0.014..0.014 rows=0 loops=1)
--           Index Cond: (id = $1)
--           Buffers: shared hit=1 read=1
--   Planning Time: 0.038 ms
--   Execution Time: 0.022 ms
PREPARE token_revoke AS
DELETE FROM sessions WHERE id = $1::bigint RETURNING id, kind, user_id;

-- == catch_up
-- Every session statement but start and next: time's up, auto-start and a pause's expiry for the caller, pipelined before it in one round trip (writes nothing when nothing is due).
-- index: focus_sessions_one_open; expected plan: Index Scan using focus_sessions_one_open
-- median execution: 0.018 ms over 11 runs
-- plan:
--   Nested Loop  (cost=0.69..17.01 rows=1 width=4) (actual time=0.026..0.027 rows=1 loops=1)
--     Buffers: shared hit=7
--     ->  Index Scan using sessions_pkey on sessions me  (cost=0.41..8.44 rows=1 width=16) (actual time=0.007..0.008 rows=1 loops=1)
--           Index Cond: (token_hash = $1)
--           Filter: (expires_at > now())
--           Buffers: shared hit=4
--     ->  Index Scan using focus_sessions_one_open on focus_sessions o  (cost=0.28..8.30 rows=1 width=41) (actual time=0.016..0.017 rows=1 loops=1)
--           Index Cond: (user_id = me.user_id)
--           Buffers: shared hit=3
--   Planning:
--     Buffers: shared hit=14
--   Planning Time: 0.241 ms
--   Execution Time: 0.042 ms
PREPARE catch_up AS
SELECT CASE WHEN focus_due(o.status, o.expires_at, o.paused_at, now()) THEN focus_catch_up(me.user_id) END AS caught_up
FROM sessions me JOIN focus_sessions o ON o.user_id = me.user_id AND o.open
WHERE me.token_hash = $1::bytea AND me.expires_at > now();

-- == settings_get
-- GET /api/focus/settings: the caller's settings (the row is made with the user).
-- index: focus_settings_pkey; expected plan: Index Scan using focus_settings_pkey
-- median execution: 0.020 ms over 11 runs
-- plan:
--   Nested Loop Left Join  (cost=0.70..16.76 rows=1 width=85) (actual time=0.019..0.021 rows=1 loops=1)
--     Buffers: shared hit=7
--     ->  Result  (cost=0.00..0.01 rows=1 width=0) (actual time=0.000..0.000 rows=1 loops=1)
--     ->  Nested Loop Left Join  (cost=0.70..16.74 rows=1 width=53) (actual time=0.017..0.018 rows=1 loops=1)
--           Buffers: shared hit=7
--           ->  Index Scan using sessions_pkey on sessions me  (cost=0.41..8.44 rows=1 width=16) (actual time=0.008..0.009 rows=1 loops=1)
--                 Index Cond: (token_hash = $1)
--                 Filter: (expires_at > now())
--                 Buffers: shared hit=4
--           ->  Index Scan using focus_settings_pkey on focus_settings st  (cost=0.29..8.30 rows=1 width=53) (actual time=0.008..0.008 rows=1 loops=1)
--                 Index Cond: (user_id = me.user_id)
--                 Buffers: shared hit=3
--   Planning:
--     Buffers: shared hit=14 read=4
--   Planning Time: 0.282 ms
--   Execution Time: 0.044 ms
PREPARE settings_get AS
SELECT CASE WHEN me.user_id IS NULL THEN 'unauthorized' ELSE 'ok' END AS outcome, me.user_id, st.focus_seconds::integer, st.short_break_seconds::integer, st.long_break_seconds::integer, st.long_break_every, st.auto_start_breaks, st.auto_start_focus, st.daily_goal, st.time_zone, st.day_start_hour, st.week_start
FROM (VALUES (1)) AS one
LEFT JOIN sessions me ON me.token_hash = $1::bytea AND me.expires_at > now()
LEFT JOIN focus_settings st ON st.user_id = me.user_id
;

-- == settings_patch
-- PATCH /api/focus/settings: change the given fields, all or none.
-- index: focus_settings_pkey; expected plan: Update on focus_settings / Index Scan using focus_settings_pkey
-- median execution: 0.126 ms over 11 runs
-- plan:
--   Nested Loop Left Join  (cost=17.06..17.16 rows=1 width=138) (actual time=0.489..0.494 rows=1 loops=1)
--     Buffers: shared hit=46 read=4 dirtied=2
--     CTE me
--       ->  Index Scan using sessions_pkey on sessions s  (cost=0.41..8.44 rows=1 width=16) (actual time=0.007..0.007 rows=1 loops=1)
--             Index Cond: (token_hash = $1)
--             Filter: (expires_at > now())
--             Buffers: shared hit=4
--     CTE zone
--       ->  Result  (cost=0.00..0.26 rows=1 width=1) (actual time=0.340..0.340 rows=1 loops=1)
--             Buffers: shared hit=32 read=4
--     CTE upd
--       ->  Update on focus_settings st  (cost=0.29..8.36 rows=1 width=168) (actual time=0.137..0.140 rows=1 loops=1)
--             Buffers: shared hit=10 dirtied=2
--             ->  Nested Loop  (cost=0.29..8.36 rows=1 width=168) (actual time=0.011..0.012 rows=1 loops=1)
--                   Buffers: shared hit=3
--                   ->  Nested Loop  (cost=0.29..8.32 rows=1 width=83) (actual time=0.007..0.008 rows=1 loops=1)
--                         Buffers: shared hit=3
--                         ->  CTE Scan on me me_1  (cost=0.00..0.02 rows=1 width=56) (actual time=0.003..0.003 rows=1 loops=1)
--                         ->  Index Scan using focus_settings_pkey on focus_settings st  (cost=0.29..8.30 rows=1 width=59) (actual time=0.004..0.004 rows=1 loops=1)
--                               Index Cond: (user_id = me_1.user_id)
--                               Buffers: shared hit=3
--                   ->  CTE Scan on zone zone_1  (cost=0.00..0.02 rows=1 width=24) (actual time=0.001..0.002 rows=1 loops=1)
--                         Filter: ok
--     ->  Nested Loop  (cost=0.00..0.07 rows=1 width=17) (actual time=0.350..0.351 rows=1 loops=1)
--           Buffers: shared hit=36 read=4
--           ->  Nested Loop Left Join  (cost=0.00..0.04 rows=1 width=16) (actual time=0.008..0.009 rows=1 loops=1)
--                 Buffers: shared hit=4
--                 ->  Result  (cost=0.00..0.01 rows=1 width=0) (actual time=0.000..0.000 rows=1 loops=1)
--                 ->  CTE Scan on me  (cost=0.00..0.02 rows=1 width=16) (actual time=0.007..0.007 rows=1 loops=1)
--                       Buffers: shared hit=4
--           ->  CTE Scan on zone  (cost=0.00..0.02 rows=1 width=1) (actual time=0.341..0.341 rows=1 loops=1)
--                 Buffers: shared hit=32 read=4
--     ->  CTE Scan on upd x  (cost=0.00..0.02 rows=1 width=90) (actual time=0.138..0.141 rows=1 loops=1)
--           Buffers: shared hit=10 dirtied=2
--   Planning Time: 0.216 ms
--   Trigger focus_settings_state_upd: time=0.257 calls=1
--   Execution Time: 0.813 ms
PREPARE settings_patch AS
WITH me AS (SELECT s.user_id FROM sessions s WHERE s.token_hash = $1::bytea AND s.expires_at > now()),
zone AS (SELECT $9::text IS NULL OR focus_zone_ok($9::text) AS ok),
upd AS (
	UPDATE focus_settings st SET
		focus_seconds = coalesce($2::integer, st.focus_seconds),
		short_break_seconds = coalesce($3::integer, st.short_break_seconds),
		long_break_seconds = coalesce($4::integer, st.long_break_seconds),
		long_break_every = coalesce($5::integer, st.long_break_every),
		auto_start_breaks = coalesce($6::boolean, st.auto_start_breaks),
		auto_start_focus = coalesce($7::boolean, st.auto_start_focus),
		daily_goal = coalesce($8::integer, st.daily_goal),
		time_zone = coalesce($9::text, st.time_zone),
		day_start_hour = coalesce($10::integer, st.day_start_hour),
		week_start = coalesce($11::text, st.week_start),
		updated_at = now()
	FROM me, zone WHERE st.user_id = me.user_id AND zone.ok
	RETURNING st.*)
SELECT CASE WHEN me.user_id IS NULL THEN 'unauthorized' WHEN NOT zone.ok THEN 'invalid' ELSE 'ok' END AS outcome, me.user_id, x.focus_seconds::integer, x.short_break_seconds::integer, x.long_break_seconds::integer, x.long_break_every, x.auto_start_breaks, x.auto_start_focus, x.daily_goal, x.time_zone, x.day_start_hour, x.week_start
FROM (VALUES (1)) AS one LEFT JOIN me ON true
CROSS JOIN zone LEFT JOIN upd x ON true
;

-- == next
-- POST /api/focus/next: complete the open session (early-completion rewards) and start the cycle's next phase, in one statement; $2 If-Match's tags (NULL: none).
-- index: focus_sessions_one_open; expected plan: Insert on focus_sessions / Index Scan using focus_sessions_one_open
-- median execution: 0.358 ms over 11 runs
-- plan:
--   Nested Loop Left Join  (cost=281.31..289.85 rows=2 width=573) (actual time=0.208..0.222 rows=1 loops=1)
--     Buffers: shared hit=25
--     CTE me
--       ->  Index Scan using sessions_pkey on sessions s  (cost=0.41..8.44 rows=1 width=16) (actual time=0.020..0.021 rows=1 loops=1)
--             Index Cond: (token_hash = $1)
--             Filter: (expires_at > now())
--             Buffers: shared hit=4
--     CTE held
--       ->  LockRows  (cost=0.28..8.34 rows=1 width=62) (actual time=0.025..0.027 rows=1 loops=1)
--             Buffers: shared hit=4
--             ->  Result  (cost=0.28..8.33 rows=1 width=62) (actual time=0.015..0.016 rows=1 loops=1)
--                   One-Time Filter: ($2 IS NOT NULL)
--                   Buffers: shared hit=3
--                   ->  Nested Loop  (cost=0.28..8.33 rows=1 width=62) (actual time=0.015..0.016 rows=1 loops=1)
--                         Buffers: shared hit=3
--                         ->  CTE Scan on me me_2  (cost=0.00..0.02 rows=1 width=56) (actual time=0.002..0.002 rows=1 loops=1)
--                         ->  Index Scan using focus_sessions_one_open on focus_sessions f  (cost=0.28..8.30 rows=1 width=38) (actual time=0.012..0.013 rows=1 loops=1)
--                               Index Cond: (user_id = me_2.user_id)
--                               Filter: open
--                               Buffers: shared hit=3
--     CTE vs
--       ->  LockRows  (cost=0.32..8.38 rows=1 width=54) (actual time=0.047..0.048 rows=1 loops=1)
--             Buffers: shared hit=9
--             InitPlan 3 (returns $4)
--               ->  Aggregate  (cost=0.02..0.03 rows=1 width=8) (actual time=0.029..0.029 rows=1 loops=1)
--                     Buffers: shared hit=4
--                     ->  CTE Scan on held  (cost=0.00..0.02 rows=1 width=0) (actual time=0.025..0.027 rows=1 loops=1)
--                           Buffers: shared hit=4
--             ->  Result  (cost=0.29..8.33 rows=1 width=54) (actual time=0.044..0.045 rows=1 loops=1)
--                   One-Time Filter: (($2 IS NOT NULL) AND ($4 >= 0))
--                   Buffers: shared hit=8
--                   ->  Nested Loop  (cost=0.29..8.33 rows=1 width=54) (actual time=0.014..0.014 rows=1 loops=1)
--                         Buffers: shared hit=4
--                         ->  CTE Scan on me me_3  (cost=0.00..0.02 rows=1 width=56) (actual time=0.001..0.001 rows=1 loops=1)
--                         ->  Index Scan using focus_state_pkey on focus_state v  (cost=0.29..8.30 rows=1 width=30) (actual time=0.010..0.010 rows=1 loops=1)
--                               Index Cond: (user_id = me_3.user_id)
--                               Buffers: shared hit=4
--     CTE pre
--       ->  CTE Scan on me me_4  (cost=0.02..0.07 rows=1 width=1) (actual time=0.052..0.052 rows=1 loops=1)
--             Buffers: shared hit=9
--             InitPlan 5 (returns $8)
--               ->  CTE Scan on vs  (cost=0.00..0.02 rows=1 width=8) (actual time=0.048..0.048 rows=1 loops=1)
--                     Buffers: shared hit=9
--     CTE req
--       ->  Result  (cost=0.30..8.35 rows=1 width=56) (actual time=0.053..0.053 rows=0 loops=1)
--             One-Time Filter: COALESCE($10, true)
--             Buffers: shared hit=9
--             InitPlan 7 (returns $10)
--               ->  CTE Scan on pre  (cost=0.00..0.02 rows=1 width=1) (actual time=0.052..0.052 rows=1 loops=1)
--                     Buffers: shared hit=9
--             ->  Nested Loop  (cost=0.28..8.33 rows=1 width=16) (never executed)
--                   ->  CTE Scan on me me_5  (cost=0.00..0.02 rows=1 width=16) (never executed)
--                   ->  Index Scan using focus_sessions_one_open on focus_sessions o  (cost=0.28..8.30 rows=1 width=32) (never executed)
--                         Index Cond: (user_id = me_5.user_id)
--     CTE snap
--       ->  Nested Loop Left Join  (cost=0.42..8.52 rows=1 width=40) (actual time=0.053..0.054 rows=0 loops=1)
--             Join Filter: (t.session_id = f_1.id)
--             Buffers: shared hit=9
--             ->  Nested Loop Left Join  (cost=0.42..8.51 rows=1 width=73) (actual time=0.053..0.054 rows=0 loops=1)
--                   Join Filter: (f_1.user_id = me_6.user_id)
--                   Buffers: shared hit=9
--                   ->  Nested Loop  (cost=0.00..0.05 rows=1 width=72) (actual time=0.053..0.053 rows=0 loops=1)
--                         Buffers: shared hit=9
--                         ->  CTE Scan on req r  (cost=0.00..0.02 rows=1 width=56) (actual time=0.053..0.053 rows=0 loops=1)
--                               Buffers: shared hit=9
--                         ->  CTE Scan on me me_6  (cost=0.00..0.02 rows=1 width=16) (never executed)
--                   ->  Index Scan using focus_sessions_pkey on focus_sessions f_1  (cost=0.42..8.44 rows=1 width=33) (never executed)
--                         Index Cond: (id = r.id)
--             ->  Seq Scan on focus_timer_completions t  (cost=0.00..0.00 rows=1 width=29) (never executed)
--     CTE bad
--       ->  Limit  (cost=0.03..0.04 rows=1 width=40) (actual time=0.066..0.066 rows=0 loops=1)
--             Buffers: shared hit=9
--             ->  Sort  (cost=0.03..0.04 rows=1 width=40) (actual time=0.065..0.066 rows=0 loops=1)
--                   Sort Key: snap.idx
--                   Sort Method: quicksort  Memory: 25kB
--                   Buffers: shared hit=9
--                   ->  CTE Scan on snap  (cost=0.00..0.02 rows=1 width=40) (actual time=0.054..0.054 rows=0 loops=1)
--                         Filter: ((NOT found) OR ((NOT open) AND (NOT replay)))
--                         Buffers: shared hit=9
--     CTE done
--       ->  Update on focus_sessions f_2  (cost=0.30..8.54 rows=1 width=234) (actual time=0.082..0.082 rows=0 loops=1)
--             Buffers: shared hit=12
--             InitPlan 11 (returns $16)
--               ->  CTE Scan on bad  (cost=0.00..0.02 rows=1 width=0) (actual time=0.066..0.066 rows=0 loops=1)
--                     Buffers: shared hit=9
--             ->  Result  (cost=0.28..8.52 rows=1 width=234) (actual time=0.075..0.075 rows=0 loops=1)
--                   One-Time Filter: (NOT $16)
--                   Buffers: shared hit=12
--                   ->  Nested Loop  (cost=0.28..8.36 rows=1 width=192) (actual time=0.008..0.009 rows=0 loops=1)
--                         Join Filter: (f_2.id = r_1.id)
--                         Buffers: shared hit=3
--                         ->  Nested Loop  (cost=0.28..8.33 rows=1 width=88) (actual time=0.007..0.008 rows=1 loops=1)
--                               Buffers: shared hit=3
--                               ->  CTE Scan on me me_7  (cost=0.00..0.02 rows=1 width=56) (actual time=0.001..0.001 rows=1 loops=1)
--                               ->  Index Scan using focus_sessions_one_open on focus_sessions f_2  (cost=0.28..8.30 rows=1 width=64) (actual time=0.006..0.006 rows=1 loops=1)
--                                     Index Cond: (user_id = me_7.user_id)
--                                     Filter: open
--                                     Buffers: shared hit=3
--                         ->  CTE Scan on req r_1  (cost=0.00..0.02 rows=1 width=136) (actual time=0.000..0.000 rows=0 loops=1)
--     CTE replayed
--       ->  Result  (cost=0.45..8.49 rows=1 width=210) (actual time=0.001..0.001 rows=0 loops=1)
--             One-Time Filter: (NOT $20)
--             InitPlan 13 (returns $20)
--               ->  CTE Scan on bad bad_1  (cost=0.00..0.02 rows=1 width=0) (actual time=0.000..0.000 rows=0 loops=1)
--             ->  Nested Loop  (cost=0.42..8.47 rows=1 width=178) (actual time=0.000..0.000 rows=0 loops=1)
--                   ->  CTE Scan on snap s_1  (cost=0.00..0.02 rows=1 width=24) (actual time=0.000..0.000 rows=0 loops=1)
--                         Filter: replay
--                   ->  Index Scan using focus_sessions_pkey on focus_sessions f_3  (cost=0.42..8.44 rows=1 width=170) (never executed)
--                         Index Cond: (id = s_1.id)
--     CTE closes
--       ->  Append  (cost=0.00..0.05 rows=2 width=285) (actual time=0.001..0.002 rows=0 loops=1)
--             ->  CTE Scan on done  (cost=0.00..0.02 rows=1 width=285) (actual time=0.000..0.000 rows=0 loops=1)
--             ->  CTE Scan on replayed  (cost=0.00..0.02 rows=1 width=285) (actual time=0.001..0.001 rows=0 loops=1)
--     CTE rec
--       ->  Limit  (cost=0.05..0.06 rows=1 width=21) (actual time=0.003..0.004 rows=0 loops=1)
--             InitPlan 16 (returns $24)
--               ->  CTE Scan on bad bad_2  (cost=0.00..0.02 rows=1 width=0) (actual time=0.000..0.000 rows=0 loops=1)
--             ->  Sort  (cost=0.03..0.04 rows=1 width=21) (actual time=0.003..0.003 rows=0 loops=1)
--                   Sort Key: snap_1.idx
--                   Sort Method: quicksort  Memory: 25kB
--                   ->  Result  (cost=0.00..0.02 rows=1 width=21) (actual time=0.001..0.001 rows=0 loops=1)
--                         One-Time Filter: (NOT $24)
--                         ->  CTE Scan on snap snap_1  (cost=0.00..0.02 rows=1 width=21) (actual time=0.000..0.000 rows=0 loops=1)
--                               Filter: replay
--     CTE recsum
--       ->  Aggregate  (cost=0.03..0.04 rows=1 width=16) (actual time=0.001..0.001 rows=1 loops=1)
--             ->  CTE Scan on replayed replayed_1  (cost=0.00..0.02 rows=1 width=8) (actual time=0.000..0.000 rows=0 loops=1)
--     CTE ledger
--       ->  Insert on points_ledger  (cost=0.00..0.03 rows=1 width=80) (actual time=0.082..0.083 rows=0 loops=1)
--             Conflict Resolution: NOTHING
--             Conflict Arbiter Indexes: points_ledger_pkey
--             Tuples Inserted: 0
--             Conflicting Tuples: 0
--             Buffers: shared hit=12
--             ->  CTE Scan on done d_1  (cost=0.00..0.03 rows=1 width=80) (actual time=0.082..0.082 rows=0 loops=1)
--                   Filter: (action = 'complete'::text)
--                   Buffers: shared hit=12
--     CTE gain
--       ->  HashAggregate  (cost=0.10..0.10 rows=1 width=33) (actual time=0.002..0.002 rows=0 loops=1)
--             Group Key: me_8.user_id
--             Batches: 1  Memory Usage: 24kB
--             ->  Nested Loop  (cost=0.00..0.08 rows=1 width=56) (actual time=0.001..0.001 rows=0 loops=1)
--                   Join Filter: (l.session_id = d_2.id)
--                   ->  Nested Loop  (cost=0.00..0.05 rows=1 width=40) (actual time=0.000..0.001 rows=0 loops=1)
--                         ->  CTE Scan on me me_8  (cost=0.00..0.02 rows=1 width=16) (actual time=0.000..0.000 rows=1 loops=1)
--                         ->  CTE Scan on ledger l  (cost=0.00..0.02 rows=1 width=24) (actual time=0.000..0.000 rows=0 loops=1)
--                   ->  CTE Scan on done d_2  (cost=0.00..0.02 rows=1 width=48) (never executed)
--     CTE progress
--       ->  Insert on user_progress p  (cost=0.00..0.28 rows=1 width=36) (actual time=0.000..0.001 rows=0 loops=1)
--             Conflict Resolution: UPDATE
--             Conflict Arbiter Indexes: user_progress_pkey
--             Tuples Inserted: 0
--             Conflicting Tuples: 0
--             ->  CTE Scan on gain  (cost=0.00..0.28 rows=1 width=36) (actual time=0.000..0.000 rows=0 loops=1)
--     CTE wallet
--       ->  Insert on user_wallet w  (cost=0.00..0.03 rows=1 width=32) (actual time=0.000..0.000 rows=0 loops=1)
--             Conflict Resolution: UPDATE
--             Conflict Arbiter Indexes: user_wallet_pkey
--             Tuples Inserted: 0
--             Conflicting Tuples: 0
--             ->  CTE Scan on gain gain_1  (cost=0.00..0.03 rows=1 width=32) (actual time=0.000..0.000 rows=0 loops=1)
--     CTE zone
--       ->  Nested Loop  (cost=0.29..8.37 rows=1 width=12) (actual time=0.024..0.025 rows=1 loops=1)
--             Buffers: shared hit=3
--             ->  CTE Scan on me me_9  (cost=0.00..0.02 rows=1 width=16) (actual time=0.000..0.000 rows=1 loops=1)
--             ->  Index Scan using focus_settings_pkey on focus_settings st  (cost=0.29..8.30 rows=1 width=24) (actual time=0.019..0.019 rows=1 loops=1)
--                   Index Cond: (user_id = me_9.user_id)
--                   Buffers: shared hit=3
--     CTE skipped
--       ->  Result  (cost=0.00..0.01 rows=1 width=32) (actual time=0.000..0.000 rows=1 loops=1)
--     CTE sk
--       ->  Nested Loop  (cost=8.40..195.84 rows=2 width=25) (actual time=0.130..0.134 rows=1 loops=1)
--             Buffers: shared hit=18
--             ->  Nested Loop  (cost=0.09..0.20 rows=1 width=88) (actual time=0.111..0.112 rows=1 loops=1)
--                   Buffers: shared hit=15
--                   ->  Nested Loop  (cost=0.09..0.17 rows=1 width=56) (actual time=0.110..0.111 rows=1 loops=1)
--                         Buffers: shared hit=15
--                         ->  Nested Loop  (cost=0.09..0.14 rows=1 width=40) (actual time=0.109..0.110 rows=1 loops=1)
--                               Buffers: shared hit=15
--                               ->  CTE Scan on zone z  (cost=0.00..0.02 rows=1 width=36) (actual time=0.025..0.025 rows=1 loops=1)
--                                     Buffers: shared hit=3
--                               ->  Aggregate  (cost=0.09..0.10 rows=1 width=4) (actual time=0.083..0.084 rows=1 loops=1)
--                                     Buffers: shared hit=12
--                                     ->  Nested Loop  (cost=0.00..0.05 rows=1 width=8) (actual time=0.083..0.083 rows=0 loops=1)
--                                           Join Filter: (l_1.session_id = d_4.id)
--                                           Buffers: shared hit=12
--                                           ->  CTE Scan on ledger l_1  (cost=0.00..0.02 rows=1 width=16) (actual time=0.083..0.083 rows=0 loops=1)
--                                                 Buffers: shared hit=12
--                                           ->  CTE Scan on done d_4  (cost=0.00..0.02 rows=1 width=24) (never executed)
--                                                 Filter: ((mode)::text = 'focus'::text)
--                         ->  CTE Scan on me me_10  (cost=0.00..0.02 rows=1 width=16) (actual time=0.000..0.000 rows=1 loops=1)
--                   ->  CTE Scan on skipped x  (cost=0.00..0.02 rows=1 width=32) (actual time=0.000..0.001 rows=1 loops=1)
--             ->  Append  (cost=8.31..195.60 rows=2 width=21) (actual time=0.018..0.021 rows=1 loops=1)
--                   Buffers: shared hit=3
--                   CTE k
--                     ->  Result  (cost=0.29..8.31 rows=1 width=20) (actual time=0.016..0.016 rows=1 loops=1)
--                           One-Time Filter: (cardinality(COALESCE($42, '{}'::uuid[])) = 0)
--                           Buffers: shared hit=3
--                           ->  Index Scan using user_streaks_pkey on user_streaks s_2  (cost=0.29..8.31 rows=1 width=20) (actual time=0.014..0.014 rows=1 loops=1)
--                                 Index Cond: (user_id = $39)
--                                 Filter: ((($43 IS NULL) OR ($43 >= last_day)) AND (time_zone = $40) AND (day_start_hour = $41))
--                                 Buffers: shared hit=3
--                   ->  CTE Scan on k k_1  (cost=0.00..0.04 rows=1 width=21) (actual time=0.017..0.018 rows=1 loops=1)
--                         Buffers: shared hit=3
--                   ->  Result  (cost=187.21..187.23 rows=1 width=21) (actual time=0.001..0.002 rows=0 loops=1)
--                         One-Time Filter: (NOT $46)
--                         InitPlan 26 (returns $45)
--                           ->  Index Scan using user_streaks_pkey on user_streaks s_3  (cost=0.29..8.30 rows=1 width=8) (never executed)
--                                 Index Cond: (user_id = $39)
--                         InitPlan 27 (returns $46)
--                           ->  CTE Scan on k  (cost=0.00..0.02 rows=1 width=0) (actual time=0.000..0.000 rows=1 loops=1)
--                         ->  Result  (cost=178.88..178.89 rows=1 width=12) (never executed)
--                               CTE runs
--                                 ->  GroupAggregate  (cost=174.88..175.85 rows=43 width=12) (never executed)
--                                       Group Key: d_3.run
--                                       ->  Sort  (cost=174.88..174.99 rows=43 width=8) (never executed)
--                                             Sort Key: d_3.run
--                                             ->  Subquery Scan on d_3  (cost=172.32..173.72 rows=43 width=8) (never executed)
--                                                   ->  WindowAgg  (cost=172.32..173.29 rows=43 width=8) (never executed)
--                                                         ->  Sort  (cost=172.32..172.43 rows=43 width=4) (never executed)
--                                                               Sort Key: (((((f_4.started_at AT TIME ZONE $40) - make_interval(0, 0, 0, 0, $41, 0, '0'::double precision)))::date - ((f_4.started_at < (((((f_4.started_at AT TIME ZONE $40) - make_interval(0, 0, 0, 0, $41, 0, '0'::double precision)))::date + make_interval(0, 0, 0, 0, $41, 0, '0'::double precision)) AT TIME ZONE $40)))::integer))
--                                                               ->  HashAggregate  (cost=170.29..170.72 rows=43 width=4) (never executed)
--                                                                     Group Key: (((((f_4.started_at AT TIME ZONE $40) - make_interval(0, 0, 0, 0, $41, 0, '0'::double precision)))::date - ((f_4.started_at < (((((f_4.started_at AT TIME ZONE $40) - make_interval(0, 0, 0, 0, $41, 0, '0'::double precision)))::date + make_interval(0, 0, 0, 0, $41, 0, '0'::double precision)) AT TIME ZONE $40)))::integer))
--                                                                     ->  Append  (cost=4.75..170.19 rows=43 width=4) (never executed)
--                                                                           ->  Bitmap Heap Scan on focus_sessions f_4  (cost=4.75..169.53 rows=42 width=4) (never executed)
--                                                                                 Recheck Cond: ((user_id = $39) AND ((status)::text = 'completed'::text) AND ((mode)::text = 'focus'::text) AND ((source)::text = 'timer'::text))
--                                                                                 Filter: (id <> ALL (COALESCE($42, '{}'::uuid[])))
--                                                                                 ->  Bitmap Index Scan on focus_sessions_streak  (cost=0.00..4.74 rows=42 width=0) (never executed)
--                                                                                       Index Cond: (user_id = $39)
--                                                                           ->  Result  (cost=0.00..0.01 rows=1 width=4) (never executed)
--                                                                                 One-Time Filter: ($43 IS NOT NULL)
--                               InitPlan 29 (returns $48)
--                                 ->  Aggregate  (cost=0.97..0.98 rows=1 width=4) (never executed)
--                                       ->  CTE Scan on runs r_2  (cost=0.00..0.86 rows=43 width=4) (never executed)
--                               InitPlan 30 (returns $49)
--                                 ->  Limit  (cost=1.08..1.08 rows=1 width=8) (never executed)
--                                       ->  Sort  (cost=1.08..1.18 rows=43 width=8) (never executed)
--                                             Sort Key: r_3.last_day DESC
--                                             ->  CTE Scan on runs r_3  (cost=0.00..0.86 rows=43 width=8) (never executed)
--                               InitPlan 31 (returns $50)
--                                 ->  Aggregate  (cost=0.97..0.98 rows=1 width=4) (never executed)
--                                       ->  CTE Scan on runs r_4  (cost=0.00..0.86 rows=43 width=4) (never executed)
--     CTE streak
--       ->  Insert on user_streaks s_4  (cost=0.02..0.14 rows=0 width=0) (actual time=0.000..0.000 rows=0 loops=1)
--             Conflict Resolution: UPDATE
--             Conflict Arbiter Indexes: user_streaks_pkey
--             Conflict Filter: (s_4.generation = excluded_2.generation)
--             Tuples Inserted: 0
--             Conflicting Tuples: 0
--             InitPlan 33 (returns $52)
--               ->  CTE Scan on done done_1  (cost=0.00..0.02 rows=1 width=0) (actual time=0.000..0.000 rows=0 loops=1)
--             ->  Result  (cost=0.00..0.12 rows=2 width=72) (actual time=0.000..0.000 rows=0 loops=1)
--                   One-Time Filter: $52
--                   ->  Nested Loop  (cost=0.00..0.11 rows=2 width=72) (never executed)
--                         ->  Nested Loop  (cost=0.00..0.05 rows=1 width=52) (never executed)
--                               ->  CTE Scan on me me_11  (cost=0.00..0.02 rows=1 width=16) (never executed)
--                               ->  CTE Scan on zone z_1  (cost=0.00..0.02 rows=1 width=36) (never executed)
--                         ->  CTE Scan on sk k_2  (cost=0.00..0.04 rows=2 width=20) (never executed)
--                               Filter: ((last_day IS NOT NULL) AND ((NOT cached) OR (day IS NOT NULL)))
--     CTE checked
--       ->  Result  (cost=0.13..0.39 rows=1 width=1) (actual time=0.018..0.019 rows=1 loops=1)
--             InitPlan 35 (returns $55)
--               ->  CTE Scan on me me_12  (cost=0.00..0.02 rows=1 width=0) (actual time=0.000..0.000 rows=1 loops=1)
--             InitPlan 36 (returns $56)
--               ->  CTE Scan on bad bad_3  (cost=0.00..0.02 rows=1 width=0) (actual time=0.000..0.000 rows=0 loops=1)
--             InitPlan 37 (returns $57)
--               ->  Aggregate  (cost=0.04..0.06 rows=1 width=8) (actual time=0.002..0.002 rows=1 loops=1)
--                     ->  CTE Scan on closes  (cost=0.00..0.04 rows=2 width=0) (actual time=0.002..0.002 rows=0 loops=1)
--             InitPlan 38 (returns $58)
--               ->  Aggregate  (cost=0.02..0.03 rows=1 width=8) (actual time=0.000..0.000 rows=1 loops=1)
--                     ->  CTE Scan on req  (cost=0.00..0.02 rows=1 width=0) (actual time=0.000..0.000 rows=0 loops=1)
--     CTE ins
--       ->  Insert on focus_sessions f_5  (cost=0.62..16.21 rows=1 width=245) (actual time=0.002..0.003 rows=0 loops=1)
--             InitPlan 40 (returns $60)
--               ->  Aggregate  (cost=0.02..0.03 rows=1 width=8) (actual time=0.000..0.001 rows=1 loops=1)
--                     ->  CTE Scan on done done_2  (cost=0.00..0.02 rows=1 width=0) (actual time=0.000..0.000 rows=0 loops=1)
--             InitPlan 41 (returns $61)
--               ->  CTE Scan on pre pre_1  (cost=0.00..0.02 rows=1 width=1) (actual time=0.000..0.000 rows=1 loops=1)
--             ->  Result  (cost=0.57..16.16 rows=1 width=245) (actual time=0.001..0.002 rows=0 loops=1)
--                   One-Time Filter: (($60 >= 0) AND COALESCE($61, true))
--                   ->  Nested Loop  (cost=0.57..16.13 rows=1 width=56) (never executed)
--                         ->  Nested Loop  (cost=0.00..0.05 rows=1 width=32) (never executed)
--                               ->  CTE Scan on me me_13  (cost=0.00..0.02 rows=1 width=16) (never executed)
--                               ->  CTE Scan on me me_14  (cost=0.00..0.02 rows=1 width=16) (never executed)
--                         ->  Nested Loop Left Join  (cost=0.57..16.05 rows=1 width=41) (never executed)
--                               ->  Index Scan using focus_settings_pkey on focus_settings st_1  (cost=0.29..8.30 rows=1 width=16) (never executed)
--                                     Index Cond: (user_id = me_14.user_id)
--                               ->  Limit  (cost=0.28..7.46 rows=1 width=37) (never executed)
--                                     ->  Result  (cost=0.28..14.63 rows=2 width=37) (never executed)
--                                           ->  Append  (cost=0.28..14.61 rows=2 width=36) (never executed)
--                                                 ->  Subquery Scan on "*SELECT* 1_3"  (cost=0.28..8.31 rows=1 width=36) (never executed)
--                                                       ->  Index Scan using focus_sessions_one_open on focus_sessions f_6  (cost=0.28..8.30 rows=1 width=37) (never executed)
--                                                             Index Cond: (user_id = me_14.user_id)
--                                                 ->  Subquery Scan on "*SELECT* 2_1"  (cost=0.42..6.30 rows=1 width=36) (never executed)
--                                                       ->  Limit  (cost=0.42..6.29 rows=1 width=61) (never executed)
--                                                             ->  Index Scan using focus_sessions_user_started on focus_sessions f_7  (cost=0.42..410.67 rows=70 width=61) (never executed)
--                                                                   Index Cond: (user_id = me_14.user_id)
--                                                                   Filter: (((status)::text = 'completed'::text) AND ((source)::text = 'timer'::text))
--     InitPlan 43 (returns $65)
--       ->  CTE Scan on pre pre_2  (cost=0.00..0.02 rows=1 width=1) (actual time=0.000..0.000 rows=1 loops=1)
--     InitPlan 44 (returns $66)
--       ->  CTE Scan on bad bad_4  (cost=0.00..0.02 rows=1 width=32) (never executed)
--     InitPlan 45 (returns $67)
--       ->  CTE Scan on bad bad_5  (cost=0.00..0.02 rows=1 width=8) (actual time=0.000..0.000 rows=0 loops=1)
--     InitPlan 46 (returns $68)
--       ->  CTE Scan on gain gain_2  (cost=0.00..0.02 rows=1 width=8) (actual time=0.002..0.002 rows=0 loops=1)
--     InitPlan 47 (returns $69)
--       ->  CTE Scan on recsum  (cost=0.00..0.02 rows=1 width=8) (actual time=0.001..0.001 rows=1 loops=1)
--     InitPlan 48 (returns $70)
--       ->  CTE Scan on gain gain_3  (cost=0.00..0.02 rows=1 width=8) (actual time=0.000..0.000 rows=0 loops=1)
--     InitPlan 49 (returns $71)
--       ->  CTE Scan on recsum recsum_1  (cost=0.00..0.02 rows=1 width=8) (actual time=0.000..0.000 rows=1 loops=1)
--     InitPlan 50 (returns $72)
--       ->  CTE Scan on progress  (cost=0.00..0.02 rows=1 width=4) (actual time=0.001..0.001 rows=0 loops=1)
--     InitPlan 51 (returns $73)
--       ->  CTE Scan on rec  (cost=0.00..0.02 rows=1 width=4) (actual time=0.004..0.004 rows=0 loops=1)
--     InitPlan 53 (returns $75)
--       ->  CTE Scan on progress progress_1  (cost=0.00..0.02 rows=1 width=0) (actual time=0.000..0.000 rows=0 loops=1)
--     InitPlan 54 (returns $76)
--       ->  CTE Scan on progress progress_2  (cost=0.00..0.02 rows=1 width=4) (never executed)
--     InitPlan 56 (returns $78)
--       ->  CTE Scan on rec rec_1  (cost=0.00..0.02 rows=1 width=1) (actual time=0.000..0.000 rows=0 loops=1)
--     InitPlan 57 (returns $79)
--       ->  CTE Scan on sk k_3  (cost=0.00..0.04 rows=2 width=1) (actual time=0.130..0.133 rows=1 loops=1)
--             Buffers: shared hit=18
--     InitPlan 58 (returns $80)
--       ->  Nested Loop  (cost=0.00..0.09 rows=2 width=4) (actual time=0.001..0.002 rows=1 loops=1)
--             ->  CTE Scan on zone z_2  (cost=0.00..0.02 rows=1 width=4) (actual time=0.000..0.000 rows=1 loops=1)
--             ->  CTE Scan on sk k_4  (cost=0.00..0.04 rows=2 width=8) (actual time=0.000..0.000 rows=1 loops=1)
--     InitPlan 59 (returns $81)
--       ->  CTE Scan on rec rec_2  (cost=0.00..0.02 rows=1 width=4) (actual time=0.000..0.000 rows=0 loops=1)
--     InitPlan 60 (returns $82)
--       ->  Nested Loop  (cost=0.00..0.09 rows=2 width=4) (never executed)
--             ->  CTE Scan on zone z_3  (cost=0.00..0.02 rows=1 width=4) (never executed)
--             ->  CTE Scan on sk k_5  (cost=0.00..0.04 rows=2 width=8) (never executed)
--     InitPlan 61 (returns $83)
--       ->  CTE Scan on sk k_6  (cost=0.00..0.04 rows=2 width=1) (never executed)
--     InitPlan 62 (returns $84)
--       ->  CTE Scan on sk k_7  (cost=0.00..0.04 rows=2 width=4) (actual time=0.000..0.000 rows=1 loops=1)
--     InitPlan 63 (returns $85)
--       ->  CTE Scan on rec rec_3  (cost=0.00..0.02 rows=1 width=4) (actual time=0.000..0.000 rows=0 loops=1)
--     InitPlan 64 (returns $86)
--       ->  CTE Scan on sk k_8  (cost=0.00..0.04 rows=2 width=4) (never executed)
--     ->  Nested Loop Left Join  (cost=0.00..8.46 rows=2 width=282) (actual time=0.193..0.194 rows=1 loops=1)
--           Buffers: shared hit=25
--           ->  Nested Loop  (cost=0.00..8.40 rows=1 width=30) (actual time=0.192..0.194 rows=1 loops=1)
--                 Buffers: shared hit=25
--                 ->  Nested Loop Left Join  (cost=0.00..8.37 rows=1 width=29) (actual time=0.173..0.174 rows=1 loops=1)
--                       Buffers: shared hit=25
--                       ->  Nested Loop Left Join  (cost=0.00..0.04 rows=1 width=16) (actual time=0.023..0.023 rows=1 loops=1)
--                             Buffers: shared hit=4
--                             ->  Result  (cost=0.00..0.01 rows=1 width=0) (actual time=0.000..0.000 rows=1 loops=1)
--                             ->  CTE Scan on me  (cost=0.00..0.02 rows=1 width=16) (actual time=0.021..0.021 rows=1 loops=1)
--                                   Buffers: shared hit=4
--                       ->  CTE Scan on me me_1  (cost=0.00..8.32 rows=1 width=13) (actual time=0.150..0.150 rows=1 loops=1)
--                             Buffers: shared hit=21
--                             SubPlan 52
--                               ->  Index Scan using user_progress_pkey on user_progress p_1  (cost=0.29..8.30 rows=1 width=4) (actual time=0.012..0.013 rows=1 loops=1)
--                                     Index Cond: (user_id = me_1.user_id)
--                                     Buffers: shared hit=3
--                 ->  CTE Scan on checked  (cost=0.00..0.02 rows=1 width=1) (actual time=0.019..0.019 rows=1 loops=1)
--           ->  CTE Scan on closes d  (cost=0.00..0.04 rows=2 width=252) (actual time=0.000..0.000 rows=0 loops=1)
--     ->  CTE Scan on ins n  (cost=0.00..0.02 rows=1 width=220) (actual time=0.002..0.002 rows=0 loops=1)
--   Planning:
--     Buffers: shared hit=1
--   Planning Time: 4.213 ms
--   Trigger focus_sessions_cache_ins on focus_sessions: time=0.067 calls=1
--   Trigger focus_sessions_state_ins on focus_sessions: time=0.013 calls=1
--   Trigger focus_sessions_state_upd on focus_sessions: time=0.047 calls=1
--   Execution Time: 1.520 ms
PREPARE next AS
WITH me AS (SELECT s.user_id FROM sessions s WHERE s.token_hash = $1::bytea AND s.expires_at > now()),
held AS (SELECT f.id FROM me JOIN focus_sessions f ON f.user_id = me.user_id AND f.open
	WHERE $2::text[] IS NOT NULL FOR NO KEY UPDATE OF f),
vs AS (SELECT v.version FROM me JOIN focus_state v ON v.user_id = me.user_id
	WHERE $2::text[] IS NOT NULL AND (SELECT count(*) FROM held) >= 0 FOR NO KEY UPDATE OF v),
pre AS (SELECT $2::text[] IS NULL
	OR ('"' || me.user_id || '-' || coalesce((SELECT vs.version FROM vs), 0) || '"') = ANY ($2::text[]) AS ok
	FROM me),
nx AS (SELECT n.* FROM me, focus_next(me.user_id) n),
req AS (SELECT o.id, 'complete'::text AS action, 0::bigint AS idx
	FROM me JOIN focus_sessions o ON o.user_id = me.user_id AND o.open WHERE coalesce((SELECT ok FROM pre), true)),
snap AS (
	SELECT r.idx, r.id, f.id IS NOT NULL AS found, coalesce(f.open, false) AS open,
	       r.action = 'complete' AND t.session_id IS NOT NULL AS replay,
	       t.new_level, t.leveled_up, t.streak_current, t.streak_longest
	FROM req r CROSS JOIN me LEFT JOIN focus_sessions f ON f.id = r.id AND f.user_id = me.user_id
	LEFT JOIN focus_timer_completions t ON t.session_id = f.id),
bad AS (SELECT idx, outcome FROM (
	SELECT idx, CASE WHEN found THEN 'conflict' ELSE 'not_found' END AS outcome
	FROM snap WHERE NOT (found AND (open OR replay))) b ORDER BY idx LIMIT 1),
done AS (
	UPDATE focus_sessions f SET
		status = CASE r.action WHEN 'complete' THEN 'completed' ELSE 'abandoned' END,
		completed_at = CASE r.action WHEN 'complete' THEN now() END,
		abandoned_at = CASE r.action WHEN 'abandon' THEN now() END,
		focused_seconds = CASE r.action WHEN 'complete'
			THEN f.duration_seconds - least(f.duration_seconds, focus_remaining_s(f.expires_at, f.paused_at, now())) END,
		xp_awarded = CASE r.action WHEN 'complete'
			THEN focus_reward_xp(f.mode, f.duration_seconds, least(f.duration_seconds, focus_remaining_s(f.expires_at, f.paused_at, now()))) ELSE 0 END,
		coins_awarded = CASE r.action WHEN 'complete'
			THEN focus_reward_coins(f.mode, f.duration_seconds, least(f.duration_seconds, focus_remaining_s(f.expires_at, f.paused_at, now()))) ELSE 0 END,
		paused_at = NULL
	FROM req r, me
	WHERE f.id = r.id AND f.user_id = me.user_id AND f.open
	  AND NOT EXISTS (SELECT 1 FROM bad)
	RETURNING r.idx, r.action, f.*),
replayed AS (
	SELECT s.idx, 'complete'::text AS action, f.* FROM snap s JOIN focus_sessions f ON f.id = s.id
	WHERE s.replay AND NOT EXISTS (SELECT 1 FROM bad)),
closes AS (SELECT * FROM done UNION ALL SELECT * FROM replayed),
rec AS (SELECT new_level, leveled_up, streak_current, streak_longest
	FROM snap WHERE replay AND NOT EXISTS (SELECT 1 FROM bad) ORDER BY idx LIMIT 1),
recsum AS (SELECT sum(xp_awarded) AS xp, sum(coins_awarded) AS coins FROM replayed),
ledger AS (
	INSERT INTO points_ledger (user_id, session_id, idempotency_key, xp, coins)
	SELECT d.user_id, d.id, 'focus_complete:' || d.id, d.xp_awarded, d.coins_awarded
	FROM done d WHERE d.action = 'complete'
	ON CONFLICT (idempotency_key) DO NOTHING
	RETURNING session_id, xp, coins),
gain AS (
	SELECT me.user_id, sum(l.xp) AS xp, sum(l.coins) AS coins,
	       bool_or(d.mode = 'focus') AS focused
	FROM me JOIN ledger l ON true JOIN done d ON d.id = l.session_id
	GROUP BY me.user_id),
progress AS (
	INSERT INTO user_progress AS p (user_id, xp, level)
	SELECT user_id, xp, focus_level_for_xp(xp) FROM gain
	ON CONFLICT (user_id) DO UPDATE SET xp = p.xp + excluded.xp,
		level = focus_level_for_xp(p.xp + excluded.xp), updated_at = now()
	RETURNING p.xp, p.level),
wallet AS (
	INSERT INTO user_wallet AS w (user_id, coins) SELECT user_id, coins FROM gain
	ON CONFLICT (user_id) DO UPDATE SET coins = w.coins + excluded.coins, updated_at = now()
	RETURNING w.coins),
zone AS (SELECT st.time_zone, st.day_start_hour, focus_local_day(now(), st.time_zone, st.day_start_hour) AS today
	FROM me JOIN focus_settings st ON st.user_id = me.user_id),
skipped AS MATERIALIZED (SELECT NULL::uuid[] AS ids),
sk AS (
	SELECT k.*, g.day FROM zone z CROSS JOIN me CROSS JOIN skipped x
	CROSS JOIN LATERAL (SELECT min(focus_local_day(d.started_at, z.time_zone, z.day_start_hour)) AS day
		FROM ledger l JOIN done d ON d.id = l.session_id WHERE d.mode = 'focus') g
	CROSS JOIN LATERAL focus_streak_after(me.user_id, z.time_zone, z.day_start_hour, g.day, x.ids) k),
streak AS (
	INSERT INTO user_streaks AS s (user_id, current_days, longest_days, last_day, time_zone, day_start_hour,
		generation)
	SELECT me.user_id, k.current_days, k.longest_days, k.last_day, z.time_zone, z.day_start_hour, k.generation
	FROM me, zone z, sk k
	WHERE k.last_day IS NOT NULL AND (NOT k.cached OR k.day IS NOT NULL) AND EXISTS (SELECT 1 FROM done)
	ON CONFLICT (user_id) DO UPDATE SET current_days = excluded.current_days,
		longest_days = excluded.longest_days, last_day = excluded.last_day,
		time_zone = excluded.time_zone, day_start_hour = excluded.day_start_hour
	WHERE s.generation = excluded.generation),
old AS (
	SELECT coalesce((SELECT p.level FROM user_progress p WHERE p.user_id = me.user_id), 1) AS level,
	       (SELECT focus_streak_current(k.last_day, k.current_days, z.today) FROM sk k, zone z) AS streak_current,
	       (SELECT k.longest_days FROM sk k) AS streak_longest,
	       coalesce((SELECT k.day IS NOT NULL FROM sk k), false) AS streak_moved
	FROM me),
checked AS (
	SELECT focus_assert(NOT EXISTS (SELECT 1 FROM me) OR EXISTS (SELECT 1 FROM bad)
	                    OR (SELECT count(*) FROM closes) = (SELECT count(*) FROM req), 'session') AS ok)
,
ins AS (
	INSERT INTO focus_sessions AS f (user_id, mode, duration_seconds, started_at, expires_at, cycle_position)
	SELECT me.user_id, nx.mode, nx.duration_seconds, now(), now() + make_interval(secs => nx.duration_seconds),
		nx.cycle_position FROM me, nx
	WHERE (SELECT count(*) FROM done) >= 0 AND coalesce((SELECT ok FROM pre), true)
	RETURNING f.*)
SELECT CASE WHEN me.user_id IS NULL THEN 'unauthorized' WHEN NOT coalesce((SELECT ok FROM pre), true) THEN 'precondition_failed'
WHEN NOT checked.ok THEN 'conflict'
            ELSE coalesce((SELECT outcome FROM bad), 'ok') END AS outcome,
       me.user_id, (SELECT idx FROM bad) AS bad_index,
       coalesce((SELECT xp FROM gain), 0) + coalesce((SELECT xp FROM recsum), 0) AS xp,
       coalesce((SELECT coins FROM gain), 0) + coalesce((SELECT coins FROM recsum), 0) AS coins,
       coalesce((SELECT level FROM progress), (SELECT new_level FROM rec), old.level) AS new_level,
       CASE WHEN EXISTS (SELECT 1 FROM progress) THEN (SELECT level FROM progress) <> old.level
            ELSE coalesce((SELECT leveled_up FROM rec), false) END AS leveled_up,
       CASE WHEN old.streak_moved THEN old.streak_current
            ELSE coalesce((SELECT streak_current FROM rec), old.streak_current, 0) END AS streak_current,
       CASE WHEN old.streak_moved THEN old.streak_longest
            ELSE coalesce((SELECT streak_longest FROM rec), old.streak_longest, 0) END AS streak_longest,
       d.action, d.id, d.mode, d.duration_seconds, d.started_at, d.expires_at, d.paused_at, d.completed_at, d.abandoned_at, d.status, d.focused_seconds, d.xp_awarded, d.coins_awarded, d.task_id, d.task_title, d.cycle_position, d.source, now(),
	n.id, n.mode, n.duration_seconds, n.started_at, n.expires_at, n.paused_at, n.completed_at, n.abandoned_at, n.status, n.focused_seconds, n.xp_awarded, n.coins_awarded, n.task_id, n.task_title, n.cycle_position, n.source, now()
FROM (VALUES (1)) AS one LEFT JOIN me ON true LEFT JOIN old ON true CROSS JOIN checked
LEFT JOIN closes d ON true
LEFT JOIN ins n ON true
;

-- == auth_register
-- POST /api/auth/register: under the sign-in throttle, a new user with its first browser sign-in (and its settings), or a taken name counted as a failed attempt; one round trip.
-- index: users_name_key; expected plan: Insert on users
-- median execution: 0.317 ms over 11 runs
-- plan:
--   Nested Loop Left Join  (cost=49.33..49.37 rows=1 width=48) (actual time=0.117..0.119 rows=1 loops=1)
--     Buffers: shared hit=16 dirtied=2
--     CTE open
--       ->  Result  (cost=29.67..29.68 rows=1 width=4) (actual time=0.040..0.041 rows=1 loops=1)
--             One-Time Filter: (($0 < $7) AND ($1 < $8) AND ($2 < $9))
--             Buffers: shared hit=8
--             InitPlan 1 (returns $0)
--               ->  Aggregate  (cost=8.31..8.32 rows=1 width=8) (actual time=0.026..0.026 rows=1 loops=1)
--                     Buffers: shared hit=3
--                     ->  Index Only Scan using login_failures_name_client on login_failures l  (cost=0.29..8.31 rows=1 width=0) (actual time=0.025..0.025 rows=0 loops=1)
--                           Index Cond: ((name = $1) AND (client = $2) AND (failed_at > (now() - make_interval(0, 0, 0, 0, 0, 0, ($3)::double precision))))
--                           Heap Fetches: 12
--                           Buffers: shared hit=3
--             InitPlan 2 (returns $1)
--               ->  Aggregate  (cost=8.31..8.32 rows=1 width=8) (actual time=0.003..0.003 rows=1 loops=1)
--                     Buffers: shared hit=2
--                     ->  Index Only Scan using login_failures_name_client on login_failures l_1  (cost=0.29..8.31 rows=1 width=0) (actual time=0.002..0.002 rows=0 loops=1)
--                           Index Cond: ((name = $1) AND (failed_at > (now() - make_interval(0, 0, 0, 0, 0, 0, ($3)::double precision))))
--                           Heap Fetches: 0
--                           Buffers: shared hit=2
--             InitPlan 3 (returns $2)
--               ->  Aggregate  (cost=13.00..13.01 rows=1 width=8) (actual time=0.010..0.010 rows=1 loops=1)
--                     Buffers: shared hit=3
--                     ->  Bitmap Heap Scan on login_failures l_2  (cost=4.32..12.99 rows=3 width=0) (actual time=0.010..0.010 rows=0 loops=1)
--                           Recheck Cond: ((client = $2) AND (failed_at > (now() - make_interval(0, 0, 0, 0, 0, 0, ($3)::double precision))))
--                           Heap Blocks: exact=1
--                           Buffers: shared hit=3
--                           ->  Bitmap Index Scan on login_failures_client  (cost=0.00..4.32 rows=3 width=0) (actual time=0.008..0.008 rows=12 loops=1)
--                                 Index Cond: ((client = $2) AND (failed_at > (now() - make_interval(0, 0, 0, 0, 0, 0, ($3)::double precision))))
--                                 Buffers: shared hit=2
--     CTE u
--       ->  Insert on users  (cost=0.00..0.03 rows=1 width=88) (actual time=0.114..0.115 rows=1 loops=1)
--             Conflict Resolution: NOTHING
--             Conflict Arbiter Indexes: users_name_key
--             Tuples Inserted: 1
--             Conflicting Tuples: 0
--             Buffers: shared hit=16 dirtied=2
--             ->  CTE Scan on open  (cost=0.00..0.03 rows=1 width=88) (actual time=0.061..0.061 rows=1 loops=1)
--                   Buffers: shared hit=8
--     CTE s
--       ->  Insert on sessions  (cost=0.00..0.03 rows=0 width=0) (actual time=0.050..0.050 rows=0 loops=1)
--             Buffers: shared hit=9 read=1 dirtied=1
--             ->  CTE Scan on u u_1  (cost=0.00..0.03 rows=1 width=104) (actual time=0.008..0.008 rows=1 loops=1)
--                   Buffers: shared hit=1
--     CTE old
--       ->  Delete on login_failures  (cost=8.66..19.53 rows=0 width=0) (actual time=0.001..0.001 rows=0 loops=1)
--             InitPlan 7 (returns $8)
--               ->  CTE Scan on open open_1  (cost=0.00..0.02 rows=1 width=0) (actual time=0.000..0.000 rows=1 loops=1)
--             InitPlan 8 (returns $9)
--               ->  CTE Scan on u u_2  (cost=0.00..0.02 rows=1 width=0) (actual time=0.000..0.000 rows=1 loops=1)
--             ->  Result  (cost=8.62..19.49 rows=4 width=6) (actual time=0.000..0.000 rows=0 loops=1)
--                   One-Time Filter: ($8 AND (NOT $9))
--                   ->  Bitmap Heap Scan on login_failures  (cost=8.62..19.49 rows=4 width=6) (never executed)
--                         Recheck Cond: (((name = $1) AND (failed_at < (now() - make_interval(0, 0, 0, 0, 0, 0, ($3)::double precision)))) OR ((client = $2) AND (failed_at < (now() - make_interval(0, 0, 0, 0, 0, 0, ($3)::double precision)))))
--                         Filter: (failed_at < (now() - make_interval(0, 0, 0, 0, 0, 0, ($3)::double precision)))
--                         ->  BitmapOr  (cost=8.62..8.62 rows=4 width=0) (never executed)
--                               ->  Bitmap Index Scan on login_failures_name_client  (cost=0.00..4.30 rows=1 width=0) (never executed)
--                                     Index Cond: ((name = $1) AND (failed_at < (now() - make_interval(0, 0, 0, 0, 0, 0, ($3)::double precision))))
--                               ->  Bitmap Index Scan on login_failures_client  (cost=0.00..4.32 rows=3 width=0) (never executed)
--                                     Index Cond: ((client = $2) AND (failed_at < (now() - make_interval(0, 0, 0, 0, 0, 0, ($3)::double precision))))
--     CTE taken
--       ->  Insert on login_failures login_failures_1  (cost=0.02..0.04 rows=0 width=0) (actual time=0.001..0.001 rows=0 loops=1)
--             InitPlan 10 (returns $12)
--               ->  CTE Scan on u u_3  (cost=0.00..0.02 rows=1 width=0) (actual time=0.000..0.000 rows=1 loops=1)
--             ->  Result  (cost=0.00..0.03 rows=1 width=80) (actual time=0.000..0.000 rows=0 loops=1)
--                   One-Time Filter: (NOT $12)
--                   ->  CTE Scan on open open_2  (cost=0.00..0.02 rows=1 width=0) (never executed)
--     InitPlan 12 (returns $15)
--       ->  CTE Scan on open open_3  (cost=0.00..0.02 rows=1 width=0) (actual time=0.000..0.000 rows=1 loops=1)
--     ->  Result  (cost=0.00..0.01 rows=1 width=0) (actual time=0.000..0.000 rows=1 loops=1)
--     ->  CTE Scan on u  (cost=0.00..0.02 rows=1 width=16) (actual time=0.115..0.115 rows=1 loops=1)
--           Buffers: shared hit=16 dirtied=2
--   Planning Time: 0.357 ms
--   Trigger users_settings on users: time=0.077 calls=1
--   Trigger for constraint sessions_user_id_fkey on sessions: time=0.009 calls=1
--   Execution Time: 0.318 ms
PREPARE auth_register AS
WITH f AS (SELECT (SELECT count(*) FROM login_failures l WHERE l.name = $1 AND l.client = $2
	   AND l.failed_at > now() - make_interval(secs => $3::integer)) AS pair_failures,
	(SELECT count(*) FROM login_failures l WHERE l.name = $1
	   AND l.failed_at > now() - make_interval(secs => $3::integer)) AS name_failures,
	(SELECT count(*) FROM login_failures l WHERE l.client = $2
	   AND l.failed_at > now() - make_interval(secs => $3::integer)) AS client_failures),
open AS (SELECT 1 FROM f WHERE f.pair_failures < $7::integer AND f.name_failures < $8::integer
	AND f.client_failures < $9::integer),
u AS (INSERT INTO users (name, password_hash) SELECT $1, $4 FROM open
	ON CONFLICT (name) DO NOTHING RETURNING id),
s AS (INSERT INTO sessions (token_hash, user_id, expires_at, kind)
	SELECT $5::bytea, u.id, now() + make_interval(days => $6::integer), 'cookie' FROM u),
old AS (DELETE FROM login_failures WHERE failed_at < now() - make_interval(secs => $3::integer)
	AND (name = $1 OR client = $2) AND EXISTS (SELECT 1 FROM open) AND NOT EXISTS (SELECT 1 FROM u)),
taken AS (INSERT INTO login_failures (name, client)
	SELECT $1, $2 FROM open WHERE NOT EXISTS (SELECT 1 FROM u))
SELECT CASE WHEN NOT EXISTS (SELECT 1 FROM open) THEN 'throttled'
	WHEN u.id IS NULL THEN 'conflict' ELSE 'ok' END AS outcome, u.id AS user_id
FROM (VALUES (1)) AS one LEFT JOIN u ON true;

-- == state_of
-- The timer process: the /active object of each person whose state changed, to publish to nchan.
-- index: focus_sessions_one_open; expected plan: Index Scan using focus_sessions_one_open
-- median execution: 0.221 ms over 11 runs
-- plan:
--   Nested Loop Left Join  (cost=1.13..318.97 rows=10 width=250) (actual time=0.250..0.271 rows=1 loops=1)
--     Buffers: shared hit=20
--     ->  Nested Loop Left Join  (cost=0.85..239.92 rows=10 width=202) (actual time=0.235..0.255 rows=1 loops=1)
--           Buffers: shared hit=16
--           ->  Nested Loop Left Join  (cost=0.28..79.18 rows=10 width=161) (actual time=0.028..0.029 rows=1 loops=1)
--                 Buffers: shared hit=3
--                 ->  Function Scan on unnest u  (cost=0.00..0.10 rows=10 width=16) (actual time=0.005..0.005 rows=1 loops=1)
--                 ->  Index Scan using focus_sessions_one_open on focus_sessions o  (cost=0.28..7.90 rows=1 width=161) (actual time=0.021..0.022 rows=1 loops=1)
--                       Index Cond: (user_id = u.id)
--                       Buffers: shared hit=3
--           ->  Nested Loop Left Join  (cost=0.57..16.05 rows=1 width=41) (actual time=0.205..0.224 rows=1 loops=1)
--                 Buffers: shared hit=13
--                 ->  Index Scan using focus_settings_pkey on focus_settings st  (cost=0.29..8.30 rows=1 width=18) (actual time=0.013..0.030 rows=1 loops=1)
--                       Index Cond: (user_id = u.id)
--                       Buffers: shared hit=5
--                 ->  Limit  (cost=0.28..7.45 rows=1 width=37) (actual time=0.005..0.006 rows=1 loops=1)
--                       Buffers: shared hit=3
--                       ->  Append  (cost=0.28..14.61 rows=2 width=37) (actual time=0.004..0.005 rows=1 loops=1)
--                             Buffers: shared hit=3
--                             ->  Index Scan using focus_sessions_one_open on focus_sessions f  (cost=0.28..8.30 rows=1 width=37) (actual time=0.003..0.004 rows=1 loops=1)
--                                   Index Cond: (user_id = u.id)
--                                   Buffers: shared hit=3
--                             ->  Subquery Scan on "*SELECT* 2"  (cost=0.42..6.30 rows=1 width=37) (never executed)
--                                   ->  Limit  (cost=0.42..6.29 rows=1 width=61) (never executed)
--                                         ->  Index Scan using focus_sessions_user_started on focus_sessions f_1  (cost=0.42..410.67 rows=70 width=61) (never executed)
--                                               Index Cond: (user_id = u.id)
--                                               Filter: (((status)::text = 'completed'::text) AND ((source)::text = 'timer'::text))
--     ->  Index Scan using focus_state_pkey on focus_state vs  (cost=0.29..7.90 rows=1 width=24) (actual time=0.013..0.013 rows=1 loops=1)
--           Index Cond: (user_id = u.id)
--           Buffers: shared hit=4
--   Planning Time: 0.716 ms
--   Execution Time: 0.342 ms
PREPARE state_of AS
SELECT 'ok'::text AS outcome, u.id AS user_id, o.id, o.mode, o.duration_seconds, o.started_at, o.expires_at, o.paused_at, o.completed_at, o.abandoned_at, o.status, o.focused_seconds, o.xp_awarded, o.coins_awarded, o.task_id, o.task_title, o.cycle_position, o.source, now(),
	nx.mode AS next_mode, nx.duration_seconds AS next_duration_seconds,
	nx.cycle_position AS next_cycle_position, nx.auto_start AS next_auto_start,
	coalesce(vs.version, 0) AS version
FROM unnest($1::uuid[]) AS u (id)
LEFT JOIN focus_sessions o ON o.user_id = u.id AND o.open
LEFT JOIN LATERAL focus_next(u.id) nx ON true
LEFT JOIN focus_state vs ON vs.user_id = u.id
;

-- == timer_tick
-- The timer process, each tick: time's up, auto-start and a pause's expiry for everyone with something due, in one statement.
-- index: focus_sessions_active_expires; expected plan: Index Scan using focus_sessions_active_expires
-- median execution: 0.018 ms over 11 runs
-- plan:
--   Subquery Scan on d  (cost=131.41..608.77 rows=1768 width=20) (actual time=0.017..0.017 rows=0 loops=1)
--     Buffers: shared hit=4
--     ->  HashAggregate  (cost=131.41..149.09 rows=1768 width=16) (actual time=0.017..0.017 rows=0 loops=1)
--           Group Key: f.user_id
--           Batches: 1  Memory Usage: 73kB
--           Buffers: shared hit=4
--           ->  Append  (cost=0.28..126.99 rows=1768 width=16) (actual time=0.013..0.013 rows=0 loops=1)
--                 Buffers: shared hit=4
--                 ->  Index Scan using focus_sessions_active_expires on focus_sessions f  (cost=0.28..96.17 rows=1767 width=16) (actual time=0.008..0.008 rows=0 loops=1)
--                       Index Cond: (expires_at <= now())
--                       Buffers: shared hit=2
--                 ->  Index Scan using focus_sessions_paused_at on focus_sessions f_1  (cost=0.28..4.30 rows=1 width=16) (actual time=0.004..0.004 rows=0 loops=1)
--                       Index Cond: (paused_at < (now() - '24:00:00'::interval))
--                       Buffers: shared hit=2
--   Planning Time: 0.133 ms
--   Execution Time: 0.043 ms
PREPARE timer_tick AS
SELECT d.user_id, focus_catch_up(d.user_id) AS caught_up FROM (
	SELECT f.user_id FROM focus_sessions f WHERE f.status = 'active' AND f.expires_at <= now()
	UNION
	SELECT f.user_id FROM focus_sessions f WHERE f.status = 'paused' AND f.paused_at < now() - interval '24 hours') d;

-- == timer_next
-- The timer process, before it sleeps: how long until the next time's up or pause expiry, and whether it publishes.
-- index: focus_sessions_active_expires; expected plan: Index Only Scan using focus_sessions_active_expires
-- median execution: 0.021 ms over 11 runs
-- plan:
--   Result  (cost=3.31..3.35 rows=1 width=9) (actual time=0.024..0.025 rows=1 loops=1)
--     Buffers: shared hit=6
--     InitPlan 2 (returns $1)
--       ->  Result  (cost=0.33..0.34 rows=1 width=8) (actual time=0.008..0.009 rows=1 loops=1)
--             Buffers: shared hit=3
--             InitPlan 1 (returns $0)
--               ->  Limit  (cost=0.28..0.33 rows=1 width=8) (actual time=0.008..0.008 rows=1 loops=1)
--                     Buffers: shared hit=3
--                     ->  Index Only Scan using focus_sessions_active_expires on focus_sessions f  (cost=0.28..96.17 rows=1767 width=8) (actual time=0.007..0.007 rows=1 loops=1)
--                           Index Cond: (expires_at IS NOT NULL)
--                           Heap Fetches: 1
--                           Buffers: shared hit=3
--     InitPlan 4 (returns $3)
--       ->  Result  (cost=2.96..2.97 rows=1 width=8) (actual time=0.008..0.008 rows=1 loops=1)
--             Buffers: shared hit=3
--             InitPlan 3 (returns $2)
--               ->  Limit  (cost=0.28..2.96 rows=1 width=8) (actual time=0.008..0.008 rows=1 loops=1)
--                     Buffers: shared hit=3
--                     ->  Index Only Scan using focus_sessions_paused_at on focus_sessions f_1  (cost=0.28..8.33 rows=3 width=8) (actual time=0.008..0.008 rows=1 loops=1)
--                           Index Cond: (paused_at IS NOT NULL)
--                           Heap Fetches: 1
--                           Buffers: shared hit=3
--   Planning:
--     Buffers: shared hit=3
--   Planning Time: 0.189 ms
--   Execution Time: 0.039 ms
PREPARE timer_next AS
SELECT ceil(extract(epoch FROM least(
	(SELECT min(f.expires_at) FROM focus_sessions f WHERE f.status = 'active'),
	(SELECT min(f.paused_at) FROM focus_sessions f WHERE f.status = 'paused') + interval '24 hours')
	- clock_timestamp()) * 1000)::bigint AS wait_ms,
	pg_try_advisory_lock(focus_timer_lock_key()) AS leader;

-- == history_batch
-- POST /api/focus/batch: complete, abandon, create (manual), update and delete sessions, 1..100 of any mix, all or nothing, in one statement; rewards granted once and never changed by an edit or a delete.
-- index: focus_sessions_pkey|focus_sessions_no_overlap; expected plan: Index Scan using focus_sessions_pkey
-- median execution: 0.590 ms over 11 runs
-- plan:
--   Sort  (cost=328.26..328.27 rows=5 width=353) (actual time=0.349..0.377 rows=1 loops=1)
--     Sort Key: c.idx
--     Sort Method: quicksort  Memory: 25kB
--     Buffers: shared hit=20 read=1
--     CTE me
--       ->  Index Scan using sessions_pkey on sessions s_1  (cost=0.41..8.44 rows=1 width=16) (actual time=0.022..0.023 rows=1 loops=1)
--             Index Cond: (token_hash = $1)
--             Filter: (expires_at > now())
--             Buffers: shared hit=4
--     CTE items
--       ->  Function Scan on r  (cost=0.02..0.20 rows=10 width=170) (actual time=0.059..0.060 rows=3 loops=1)
--     CTE edits
--       ->  Nested Loop Left Join  (cost=0.42..17.18 rows=2 width=209) (actual time=0.020..0.035 rows=2 loops=1)
--             Join Filter: (f.user_id = me_2.user_id)
--             Buffers: shared hit=6 read=1
--             ->  Nested Loop  (cost=0.00..0.26 rows=2 width=186) (actual time=0.003..0.004 rows=2 loops=1)
--                   ->  CTE Scan on me me_2  (cost=0.00..0.02 rows=1 width=16) (actual time=0.000..0.001 rows=1 loops=1)
--                   ->  CTE Scan on items i  (cost=0.00..0.22 rows=2 width=170) (actual time=0.001..0.001 rows=2 loops=1)
--                         Filter: (action = ANY ('{update,delete}'::text[]))
--                         Rows Removed by Filter: 1
--             ->  Index Scan using focus_sessions_pkey on focus_sessions f  (cost=0.42..8.44 rows=1 width=70) (actual time=0.014..0.014 rows=0 loops=2)
--                   Index Cond: (id = i.id)
--                   Buffers: shared hit=6 read=1
--     CTE span
--       ->  Result  (cost=0.00..0.34 rows=2 width=105) (actual time=0.005..0.008 rows=1 loops=1)
--             ->  Append  (cost=0.00..0.30 rows=2 width=73) (actual time=0.002..0.004 rows=1 loops=1)
--                   ->  CTE Scan on items i_1  (cost=0.00..0.22 rows=1 width=73) (actual time=0.001..0.002 rows=1 loops=1)
--                         Filter: (action = 'create'::text)
--                         Rows Removed by Filter: 2
--                   ->  CTE Scan on edits e  (cost=0.00..0.04 rows=1 width=73) (actual time=0.001..0.001 rows=0 loops=1)
--                         Filter: (found AND (NOT f_open) AND (action = 'update'::text))
--                         Rows Removed by Filter: 2
--     CTE req
--       ->  CTE Scan on items i_2  (cost=0.00..0.22 rows=2 width=56) (actual time=0.064..0.064 rows=0 loops=1)
--             Filter: (action = ANY ('{complete,abandon}'::text[]))
--             Rows Removed by Filter: 3
--     CTE snap
--       ->  Nested Loop Left Join  (cost=0.42..17.02 rows=2 width=40) (actual time=0.066..0.067 rows=0 loops=1)
--             Join Filter: (t.session_id = f_1.id)
--             ->  Nested Loop Left Join  (cost=0.42..16.99 rows=2 width=73) (actual time=0.066..0.067 rows=0 loops=1)
--                   Join Filter: (f_1.user_id = me_3.user_id)
--                   ->  Nested Loop  (cost=0.00..0.08 rows=2 width=72) (actual time=0.066..0.066 rows=0 loops=1)
--                         ->  CTE Scan on me me_3  (cost=0.00..0.02 rows=1 width=16) (actual time=0.000..0.001 rows=1 loops=1)
--                         ->  CTE Scan on req r_1  (cost=0.00..0.04 rows=2 width=56) (actual time=0.064..0.064 rows=0 loops=1)
--                   ->  Index Scan using focus_sessions_pkey on focus_sessions f_1  (cost=0.42..8.44 rows=1 width=33) (never executed)
--                         Index Cond: (id = r_1.id)
--             ->  Seq Scan on focus_timer_completions t  (cost=0.00..0.00 rows=1 width=29) (never executed)
--     CTE bad
--       ->  Limit  (cost=34.75..34.75 rows=1 width=40) (actual time=0.170..0.174 rows=1 loops=1)
--             Buffers: shared hit=7 read=1
--             ->  Sort  (cost=34.75..34.76 rows=5 width=40) (actual time=0.169..0.172 rows=1 loops=1)
--                   Sort Key: snap.idx
--                   Sort Method: quicksort  Memory: 25kB
--                   Buffers: shared hit=7 read=1
--                   ->  Append  (cost=0.00..34.72 rows=5 width=40) (actual time=0.094..0.159 rows=2 loops=1)
--                         Buffers: shared hit=7 read=1
--                         ->  CTE Scan on snap  (cost=0.00..0.04 rows=1 width=40) (actual time=0.067..0.067 rows=0 loops=1)
--                               Filter: ((NOT found) OR ((NOT open) AND (NOT replay)))
--                         ->  Append  (cost=0.00..34.61 rows=4 width=40) (actual time=0.025..0.090 rows=2 loops=1)
--                               Buffers: shared hit=7 read=1
--                               ->  CTE Scan on edits e_1  (cost=0.00..0.09 rows=2 width=40) (actual time=0.025..0.040 rows=2 loops=1)
--                                     Filter: (CASE WHEN (NOT found) THEN 'not_found'::text WHEN (f_open AND (action = 'update'::text) AND ((mode IS NOT NULL) OR (started_at IS NOT NULL) OR (duration IS NOT NULL) OR (focused IS NOT NULL))) THEN 'invalid'::text WHEN f_open THEN 'conflict'::text WHEN ((action = 'update'::text) AND ((f_source)::text = 'timer'::text) AND ((mode IS NOT NULL) OR (started_at IS NOT NULL) OR (duration IS NOT NULL))) THEN 'invalid'::text WHEN ((action = 'update'::text) AND (focused IS NOT NULL) AND ((f_status)::text <> 'completed'::text)) THEN 'invalid'::text ELSE NULL::text END IS NOT NULL)
--                                     Buffers: shared hit=6 read=1
--                               ->  Nested Loop  (cost=0.00..34.48 rows=2 width=40) (actual time=0.047..0.049 rows=0 loops=1)
--                                     Join Filter: (CASE WHEN (s_2.focused > s_2.duration) THEN 'invalid'::text WHEN (NOT s_2.moves) THEN NULL::text WHEN (upper(s_2.r) > now()) THEN 'invalid'::text WHEN (SubPlan 9) THEN 'conflict'::text WHEN (SubPlan 10) THEN 'conflict'::text ELSE NULL::text END IS NOT NULL)
--                                     Rows Removed by Join Filter: 1
--                                     Buffers: shared hit=1
--                                     ->  CTE Scan on me me_4  (cost=0.00..0.02 rows=1 width=16) (actual time=0.000..0.000 rows=1 loops=1)
--                                     ->  CTE Scan on span s_2  (cost=0.00..0.04 rows=2 width=49) (actual time=0.006..0.006 rows=1 loops=1)
--                                     SubPlan 7
--                                       ->  Nested Loop Anti Join  (cost=0.41..8.54 rows=1 width=0) (never executed)
--                                             Join Filter: (d_1.id = o.id)
--                                             ->  Nested Loop Anti Join  (cost=0.41..8.48 rows=1 width=16) (never executed)
--                                                   Join Filter: (x.sid = o.id)
--                                                   ->  Index Scan using focus_sessions_no_overlap on focus_sessions o  (cost=0.41..8.43 rows=1 width=16) (never executed)
--                                                         Index Cond: ((user_id = me_4.user_id) AND (tstzrange(started_at, ends_at) && s_2.r))
--                                                   ->  CTE Scan on span x  (cost=0.00..0.04 rows=1 width=16) (never executed)
--                                                         Filter: moves
--                                             ->  CTE Scan on edits d_1  (cost=0.00..0.04 rows=1 width=16) (never executed)
--                                                   Filter: (action = 'delete'::text)
--                                     SubPlan 8
--                                       ->  CTE Scan on span t_1  (cost=0.00..0.05 rows=1 width=0) (never executed)
--                                             Filter: (moves AND (idx <> s_2.idx) AND (r && s_2.r))
--                                     SubPlan 9
--                                       ->  Nested Loop Anti Join  (cost=0.41..8.54 rows=1 width=0) (actual time=0.033..0.034 rows=0 loops=1)
--                                             Join Filter: (d_2.id = o_1.id)
--                                             Buffers: shared hit=1
--                                             ->  Nested Loop Anti Join  (cost=0.41..8.48 rows=1 width=16) (actual time=0.033..0.033 rows=0 loops=1)
--                                                   Join Filter: (x_1.sid = o_1.id)
--                                                   Buffers: shared hit=1
--                                                   ->  Index Scan using focus_sessions_no_overlap on focus_sessions o_1  (cost=0.41..8.43 rows=1 width=16) (actual time=0.032..0.032 rows=0 loops=1)
--                                                         Index Cond: ((user_id = me_4.user_id) AND (tstzrange(started_at, ends_at) && s_2.r))
--                                                         Buffers: shared hit=1
--                                                   ->  CTE Scan on span x_1  (cost=0.00..0.04 rows=1 width=16) (never executed)
--                                                         Filter: moves
--                                             ->  CTE Scan on edits d_2  (cost=0.00..0.04 rows=1 width=16) (never executed)
--                                                   Filter: (action = 'delete'::text)
--                                     SubPlan 10
--                                       ->  CTE Scan on span t_2  (cost=0.00..0.05 rows=1 width=0) (actual time=0.003..0.003 rows=0 loops=1)
--                                             Filter: (moves AND (idx <> s_2.idx) AND (r && s_2.r))
--                                             Rows Removed by Filter: 1
--     CTE done
--       ->  Update on focus_sessions f_2  (cost=0.30..8.57 rows=1 width=234) (actual time=0.177..0.177 rows=0 loops=1)
--             Buffers: shared hit=7 read=1
--             InitPlan 12 (returns $17)
--               ->  CTE Scan on bad  (cost=0.00..0.02 rows=1 width=0) (actual time=0.171..0.171 rows=1 loops=1)
--                     Buffers: shared hit=7 read=1
--             ->  Result  (cost=0.28..8.55 rows=1 width=234) (actual time=0.172..0.172 rows=0 loops=1)
--                   One-Time Filter: (NOT $17)
--                   Buffers: shared hit=7 read=1
--                   ->  Nested Loop  (cost=0.28..8.39 rows=1 width=192) (never executed)
--                         Join Filter: (f_2.id = r_2.id)
--                         ->  Nested Loop  (cost=0.28..8.33 rows=1 width=88) (never executed)
--                               ->  CTE Scan on me me_5  (cost=0.00..0.02 rows=1 width=56) (never executed)
--                               ->  Index Scan using focus_sessions_one_open on focus_sessions f_2  (cost=0.28..8.30 rows=1 width=64) (never executed)
--                                     Index Cond: (user_id = me_5.user_id)
--                                     Filter: open
--                         ->  CTE Scan on req r_2  (cost=0.00..0.04 rows=2 width=136) (never executed)
--     CTE replayed
--       ->  Result  (cost=0.45..8.51 rows=1 width=210) (actual time=0.001..0.001 rows=0 loops=1)
--             One-Time Filter: (NOT $21)
--             InitPlan 14 (returns $21)
--               ->  CTE Scan on bad bad_1  (cost=0.00..0.02 rows=1 width=0) (actual time=0.000..0.000 rows=1 loops=1)
--             ->  Nested Loop  (cost=0.42..8.49 rows=1 width=178) (never executed)
--                   ->  CTE Scan on snap s_3  (cost=0.00..0.04 rows=1 width=24) (never executed)
--                         Filter: replay
--                   ->  Index Scan using focus_sessions_pkey on focus_sessions f_3  (cost=0.42..8.44 rows=1 width=170) (never executed)
--                         Index Cond: (id = s_3.id)
--     CTE closes
--       ->  Append  (cost=0.00..0.05 rows=2 width=285) (actual time=0.002..0.003 rows=0 loops=1)
--             ->  CTE Scan on done  (cost=0.00..0.02 rows=1 width=285) (actual time=0.000..0.000 rows=0 loops=1)
--             ->  CTE Scan on replayed  (cost=0.00..0.02 rows=1 width=285) (actual time=0.001..0.002 rows=0 loops=1)
--     CTE rec
--       ->  Limit  (cost=0.07..0.07 rows=1 width=21) (actual time=0.005..0.005 rows=0 loops=1)
--             InitPlan 17 (returns $25)
--               ->  CTE Scan on bad bad_2  (cost=0.00..0.02 rows=1 width=0) (actual time=0.000..0.000 rows=1 loops=1)
--             ->  Sort  (cost=0.05..0.06 rows=1 width=21) (actual time=0.004..0.004 rows=0 loops=1)
--                   Sort Key: snap_1.idx
--                   Sort Method: quicksort  Memory: 25kB
--                   ->  Result  (cost=0.00..0.04 rows=1 width=21) (actual time=0.001..0.001 rows=0 loops=1)
--                         One-Time Filter: (NOT $25)
--                         ->  CTE Scan on snap snap_1  (cost=0.00..0.04 rows=1 width=21) (never executed)
--                               Filter: replay
--     CTE recsum
--       ->  Aggregate  (cost=0.03..0.04 rows=1 width=16) (actual time=0.002..0.002 rows=1 loops=1)
--             ->  CTE Scan on replayed replayed_1  (cost=0.00..0.02 rows=1 width=8) (actual time=0.000..0.000 rows=0 loops=1)
--     CTE ledger
--       ->  Insert on points_ledger  (cost=0.00..0.03 rows=1 width=80) (actual time=0.178..0.179 rows=0 loops=1)
--             Conflict Resolution: NOTHING
--             Conflict Arbiter Indexes: points_ledger_pkey
--             Tuples Inserted: 0
--             Conflicting Tuples: 0
--             Buffers: shared hit=7 read=1
--             ->  CTE Scan on done d_3  (cost=0.00..0.03 rows=1 width=80) (actual time=0.177..0.177 rows=0 loops=1)
--                   Filter: (action = 'complete'::text)
--                   Buffers: shared hit=7 read=1
--     CTE gain
--       ->  HashAggregate  (cost=0.10..0.10 rows=1 width=33) (actual time=0.003..0.004 rows=0 loops=1)
--             Group Key: me_6.user_id
--             Batches: 1  Memory Usage: 24kB
--             ->  Nested Loop  (cost=0.00..0.08 rows=1 width=56) (actual time=0.002..0.002 rows=0 loops=1)
--                   Join Filter: (l.session_id = d_4.id)
--                   ->  Nested Loop  (cost=0.00..0.05 rows=1 width=40) (actual time=0.001..0.001 rows=0 loops=1)
--                         ->  CTE Scan on me me_6  (cost=0.00..0.02 rows=1 width=16) (actual time=0.000..0.000 rows=1 loops=1)
--                         ->  CTE Scan on ledger l  (cost=0.00..0.02 rows=1 width=24) (actual time=0.000..0.000 rows=0 loops=1)
--                   ->  CTE Scan on done d_4  (cost=0.00..0.02 rows=1 width=48) (never executed)
--     CTE progress
--       ->  Insert on user_progress p  (cost=0.00..0.28 rows=1 width=36) (actual time=0.001..0.001 rows=0 loops=1)
--             Conflict Resolution: UPDATE
--             Conflict Arbiter Indexes: user_progress_pkey
--             Tuples Inserted: 0
--             Conflicting Tuples: 0
--             ->  CTE Scan on gain  (cost=0.00..0.28 rows=1 width=36) (actual time=0.000..0.000 rows=0 loops=1)
--     CTE wallet
--       ->  Insert on user_wallet w_1  (cost=0.00..0.03 rows=1 width=32) (actual time=0.001..0.001 rows=0 loops=1)
--             Conflict Resolution: UPDATE
--             Conflict Arbiter Indexes: user_wallet_pkey
--             Tuples Inserted: 0
--             Conflicting Tuples: 0
--             ->  CTE Scan on gain gain_1  (cost=0.00..0.03 rows=1 width=32) (actual time=0.000..0.000 rows=0 loops=1)
--     CTE zone
--       ->  Nested Loop  (cost=0.29..8.37 rows=1 width=12) (actual time=0.022..0.022 rows=1 loops=1)
--             Buffers: shared hit=3
--             ->  CTE Scan on me me_7  (cost=0.00..0.02 rows=1 width=16) (actual time=0.000..0.000 rows=1 loops=1)
--             ->  Index Scan using focus_settings_pkey on focus_settings st  (cost=0.29..8.30 rows=1 width=24) (actual time=0.016..0.016 rows=1 loops=1)
--                   Index Cond: (user_id = me_7.user_id)
--                   Buffers: shared hit=3
--     CTE skipped
--       ->  Result  (cost=0.07..0.08 rows=1 width=32) (actual time=0.003..0.004 rows=1 loops=1)
--             InitPlan 25 (returns $37)
--               ->  Aggregate  (cost=0.07..0.07 rows=1 width=32) (actual time=0.002..0.002 rows=1 loops=1)
--                     ->  CTE Scan on edits e_2  (cost=0.00..0.06 rows=1 width=16) (actual time=0.001..0.001 rows=0 loops=1)
--                           Filter: ((action = 'delete'::text) AND ((f_status)::text = 'completed'::text) AND ((f_mode)::text = 'focus'::text) AND ((f_source)::text = 'timer'::text))
--                           Rows Removed by Filter: 2
--     CTE sk
--       ->  Nested Loop  (cost=8.40..195.84 rows=2 width=25) (actual time=0.231..0.239 rows=1 loops=1)
--             Buffers: shared hit=13 read=1
--             ->  Nested Loop  (cost=0.09..0.20 rows=1 width=88) (actual time=0.211..0.214 rows=1 loops=1)
--                   Buffers: shared hit=10 read=1
--                   ->  Nested Loop  (cost=0.09..0.17 rows=1 width=56) (actual time=0.206..0.209 rows=1 loops=1)
--                         Buffers: shared hit=10 read=1
--                         ->  Nested Loop  (cost=0.09..0.14 rows=1 width=40) (actual time=0.206..0.207 rows=1 loops=1)
--                               Buffers: shared hit=10 read=1
--                               ->  CTE Scan on zone z  (cost=0.00..0.02 rows=1 width=36) (actual time=0.023..0.023 rows=1 loops=1)
--                                     Buffers: shared hit=3
--                               ->  Aggregate  (cost=0.09..0.10 rows=1 width=4) (actual time=0.181..0.181 rows=1 loops=1)
--                                     Buffers: shared hit=7 read=1
--                                     ->  Nested Loop  (cost=0.00..0.05 rows=1 width=8) (actual time=0.179..0.180 rows=0 loops=1)
--                                           Join Filter: (l_1.session_id = d_6.id)
--                                           Buffers: shared hit=7 read=1
--                                           ->  CTE Scan on ledger l_1  (cost=0.00..0.02 rows=1 width=16) (actual time=0.179..0.179 rows=0 loops=1)
--                                                 Buffers: shared hit=7 read=1
--                                           ->  CTE Scan on done d_6  (cost=0.00..0.02 rows=1 width=24) (never executed)
--                                                 Filter: ((mode)::text = 'focus'::text)
--                         ->  CTE Scan on me me_8  (cost=0.00..0.02 rows=1 width=16) (actual time=0.000..0.000 rows=1 loops=1)
--                   ->  CTE Scan on skipped x_2  (cost=0.00..0.02 rows=1 width=32) (actual time=0.004..0.004 rows=1 loops=1)
--             ->  Append  (cost=8.31..195.60 rows=2 width=21) (actual time=0.018..0.024 rows=1 loops=1)
--                   Buffers: shared hit=3
--                   CTE k
--                     ->  Result  (cost=0.29..8.31 rows=1 width=20) (actual time=0.015..0.015 rows=1 loops=1)
--                           One-Time Filter: (cardinality(COALESCE($44, '{}'::uuid[])) = 0)
--                           Buffers: shared hit=3
--                           ->  Index Scan using user_streaks_pkey on user_streaks s_4  (cost=0.29..8.31 rows=1 width=20) (actual time=0.013..0.014 rows=1 loops=1)
--                                 Index Cond: (user_id = $41)
--                                 Filter: ((($45 IS NULL) OR ($45 >= last_day)) AND (time_zone = $42) AND (day_start_hour = $43))
--                                 Buffers: shared hit=3
--                   ->  CTE Scan on k k_1  (cost=0.00..0.04 rows=1 width=21) (actual time=0.017..0.018 rows=1 loops=1)
--                         Buffers: shared hit=3
--                   ->  Result  (cost=187.21..187.23 rows=1 width=21) (actual time=0.001..0.004 rows=0 loops=1)
--                         One-Time Filter: (NOT $48)
--                         InitPlan 28 (returns $47)
--                           ->  Index Scan using user_streaks_pkey on user_streaks s_5  (cost=0.29..8.30 rows=1 width=8) (never executed)
--                                 Index Cond: (user_id = $41)
--                         InitPlan 29 (returns $48)
--                           ->  CTE Scan on k  (cost=0.00..0.02 rows=1 width=0) (actual time=0.000..0.000 rows=1 loops=1)
--                         ->  Result  (cost=178.88..178.89 rows=1 width=12) (never executed)
--                               CTE runs
--                                 ->  GroupAggregate  (cost=174.88..175.85 rows=43 width=12) (never executed)
--                                       Group Key: d_5.run
--                                       ->  Sort  (cost=174.88..174.99 rows=43 width=8) (never executed)
--                                             Sort Key: d_5.run
--                                             ->  Subquery Scan on d_5  (cost=172.32..173.72 rows=43 width=8) (never executed)
--                                                   ->  WindowAgg  (cost=172.32..173.29 rows=43 width=8) (never executed)
--                                                         ->  Sort  (cost=172.32..172.43 rows=43 width=4) (never executed)
--                                                               Sort Key: (((((f_4.started_at AT TIME ZONE $42) - make_interval(0, 0, 0, 0, $43, 0, '0'::double precision)))::date - ((f_4.started_at < (((((f_4.started_at AT TIME ZONE $42) - make_interval(0, 0, 0, 0, $43, 0, '0'::double precision)))::date + make_interval(0, 0, 0, 0, $43, 0, '0'::double precision)) AT TIME ZONE $42)))::integer))
--                                                               ->  HashAggregate  (cost=170.29..170.72 rows=43 width=4) (never executed)
--                                                                     Group Key: (((((f_4.started_at AT TIME ZONE $42) - make_interval(0, 0, 0, 0, $43, 0, '0'::double precision)))::date - ((f_4.started_at < (((((f_4.started_at AT TIME ZONE $42) - make_interval(0, 0, 0, 0, $43, 0, '0'::double precision)))::date + make_interval(0, 0, 0, 0, $43, 0, '0'::double precision)) AT TIME ZONE $42)))::integer))
--                                                                     ->  Append  (cost=4.75..170.19 rows=43 width=4) (never executed)
--                                                                           ->  Bitmap Heap Scan on focus_sessions f_4  (cost=4.75..169.53 rows=42 width=4) (never executed)
--                                                                                 Recheck Cond: ((user_id = $41) AND ((status)::text = 'completed'::text) AND ((mode)::text = 'focus'::text) AND ((source)::text = 'timer'::text))
--                                                                                 Filter: (id <> ALL (COALESCE($44, '{}'::uuid[])))
--                                                                                 ->  Bitmap Index Scan on focus_sessions_streak  (cost=0.00..4.74 rows=42 width=0) (never executed)
--                                                                                       Index Cond: (user_id = $41)
--                                                                           ->  Result  (cost=0.00..0.01 rows=1 width=4) (never executed)
--                                                                                 One-Time Filter: ($45 IS NOT NULL)
--                               InitPlan 31 (returns $50)
--                                 ->  Aggregate  (cost=0.97..0.98 rows=1 width=4) (never executed)
--                                       ->  CTE Scan on runs r_3  (cost=0.00..0.86 rows=43 width=4) (never executed)
--                               InitPlan 32 (returns $51)
--                                 ->  Limit  (cost=1.08..1.08 rows=1 width=8) (never executed)
--                                       ->  Sort  (cost=1.08..1.18 rows=43 width=8) (never executed)
--                                             Sort Key: r_4.last_day DESC
--                                             ->  CTE Scan on runs r_4  (cost=0.00..0.86 rows=43 width=8) (never executed)
--                               InitPlan 33 (returns $52)
--                                 ->  Aggregate  (cost=0.97..0.98 rows=1 width=4) (never executed)
--                                       ->  CTE Scan on runs r_5  (cost=0.00..0.86 rows=43 width=4) (never executed)
--     CTE streak
--       ->  Insert on user_streaks s_6  (cost=0.02..0.14 rows=0 width=0) (actual time=0.001..0.001 rows=0 loops=1)
--             Conflict Resolution: UPDATE
--             Conflict Arbiter Indexes: user_streaks_pkey
--             Conflict Filter: (s_6.generation = excluded_2.generation)
--             Tuples Inserted: 0
--             Conflicting Tuples: 0
--             InitPlan 35 (returns $54)
--               ->  CTE Scan on done done_1  (cost=0.00..0.02 rows=1 width=0) (actual time=0.000..0.000 rows=0 loops=1)
--             ->  Result  (cost=0.00..0.12 rows=2 width=72) (actual time=0.001..0.001 rows=0 loops=1)
--                   One-Time Filter: $54
--                   ->  Nested Loop  (cost=0.00..0.11 rows=2 width=72) (never executed)
--                         ->  Nested Loop  (cost=0.00..0.05 rows=1 width=52) (never executed)
--                               ->  CTE Scan on me me_9  (cost=0.00..0.02 rows=1 width=16) (never executed)
--                               ->  CTE Scan on zone z_1  (cost=0.00..0.02 rows=1 width=36) (never executed)
--                         ->  CTE Scan on sk k_2  (cost=0.00..0.04 rows=2 width=20) (never executed)
--                               Filter: ((last_day IS NOT NULL) AND ((NOT cached) OR (day IS NOT NULL)))
--     CTE checked
--       ->  Result  (cost=0.15..0.41 rows=1 width=1) (actual time=0.025..0.026 rows=1 loops=1)
--             InitPlan 37 (returns $57)
--               ->  CTE Scan on me me_10  (cost=0.00..0.02 rows=1 width=0) (actual time=0.000..0.000 rows=1 loops=1)
--             InitPlan 38 (returns $58)
--               ->  CTE Scan on bad bad_3  (cost=0.00..0.02 rows=1 width=0) (actual time=0.000..0.000 rows=1 loops=1)
--             InitPlan 39 (returns $59)
--               ->  Aggregate  (cost=0.04..0.06 rows=1 width=8) (never executed)
--                     ->  CTE Scan on closes  (cost=0.00..0.04 rows=2 width=0) (never executed)
--             InitPlan 40 (returns $60)
--               ->  Aggregate  (cost=0.04..0.06 rows=1 width=8) (never executed)
--                     ->  CTE Scan on req  (cost=0.00..0.04 rows=2 width=0) (never executed)
--     CTE gone
--       ->  Delete on focus_sessions f_5  (cost=0.45..8.54 rows=1 width=102) (actual time=0.001..0.002 rows=0 loops=1)
--             InitPlan 42 (returns $62)
--               ->  CTE Scan on bad bad_4  (cost=0.00..0.02 rows=1 width=0) (actual time=0.000..0.000 rows=1 loops=1)
--             ->  Result  (cost=0.42..8.52 rows=1 width=102) (actual time=0.001..0.001 rows=0 loops=1)
--                   One-Time Filter: (NOT $62)
--                   ->  Nested Loop  (cost=0.42..8.52 rows=1 width=102) (never executed)
--                         Join Filter: (f_5.user_id = me_11.user_id)
--                         ->  Nested Loop  (cost=0.42..8.49 rows=1 width=78) (never executed)
--                               ->  CTE Scan on edits e_3  (cost=0.00..0.04 rows=1 width=72) (never executed)
--                                     Filter: (action = 'delete'::text)
--                               ->  Index Scan using focus_sessions_pkey on focus_sessions f_5  (cost=0.42..8.44 rows=1 width=38) (never executed)
--                                     Index Cond: (id = e_3.id)
--                                     Filter: (NOT open)
--                         ->  CTE Scan on me me_11  (cost=0.00..0.02 rows=1 width=56) (never executed)
--     CTE changed
--       ->  Update on focus_sessions f_6  (cost=0.48..8.78 rows=1 width=312) (actual time=0.002..0.003 rows=0 loops=1)
--             InitPlan 44 (returns $66)
--               ->  CTE Scan on bad bad_5  (cost=0.00..0.02 rows=1 width=0) (actual time=0.000..0.000 rows=1 loops=1)
--             InitPlan 45 (returns $67)
--               ->  Aggregate  (cost=0.02..0.03 rows=1 width=8) (never executed)
--                     ->  CTE Scan on gone  (cost=0.00..0.02 rows=1 width=0) (never executed)
--             ->  Result  (cost=0.43..8.73 rows=1 width=312) (actual time=0.001..0.002 rows=0 loops=1)
--                   One-Time Filter: ((NOT $66) AND ($67 >= 0))
--                   ->  Nested Loop  (cost=0.43..8.70 rows=1 width=390) (never executed)
--                         Join Filter: (f_6.user_id = me_12.user_id)
--                         ->  Nested Loop  (cost=0.42..8.67 rows=1 width=366) (never executed)
--                               ->  CTE Scan on items i_3  (cost=0.00..0.22 rows=1 width=268) (never executed)
--                                     Filter: (action = 'update'::text)
--                               ->  Index Scan using focus_sessions_pkey on focus_sessions f_6  (cost=0.42..8.44 rows=1 width=130) (never executed)
--                                     Index Cond: (id = i_3.id)
--                                     Filter: (NOT open)
--                         ->  CTE Scan on me me_12  (cost=0.00..0.02 rows=1 width=56) (never executed)
--     CTE made
--       ->  Insert on focus_sessions f_7  (cost=0.15..0.45 rows=1 width=245) (actual time=0.002..0.003 rows=0 loops=1)
--             InitPlan 47 (returns $71)
--               ->  CTE Scan on bad bad_6  (cost=0.00..0.02 rows=1 width=0) (actual time=0.000..0.000 rows=1 loops=1)
--             InitPlan 48 (returns $72)
--               ->  Aggregate  (cost=0.02..0.03 rows=1 width=8) (never executed)
--                     ->  CTE Scan on gone gone_1  (cost=0.00..0.02 rows=1 width=0) (never executed)
--             InitPlan 49 (returns $73)
--               ->  Aggregate  (cost=0.02..0.03 rows=1 width=8) (never executed)
--                     ->  CTE Scan on changed  (cost=0.00..0.02 rows=1 width=0) (never executed)
--             ->  Result  (cost=0.06..0.36 rows=1 width=245) (actual time=0.001..0.002 rows=0 loops=1)
--                   One-Time Filter: ((NOT $71) AND ($72 >= 0) AND ($73 >= 0))
--                   ->  Nested Loop  (cost=0.06..0.34 rows=1 width=160) (never executed)
--                         ->  Hash Join  (cost=0.06..0.31 rows=1 width=144) (never executed)
--                               Hash Cond: (i_4.idx = s_7.idx)
--                               ->  CTE Scan on items i_4  (cost=0.00..0.20 rows=10 width=88) (never executed)
--                               ->  Hash  (cost=0.04..0.04 rows=1 width=72) (never executed)
--                                     ->  CTE Scan on span s_7  (cost=0.00..0.04 rows=1 width=72) (never executed)
--                                           Filter: (action = 'create'::text)
--                         ->  CTE Scan on me me_13  (cost=0.00..0.02 rows=1 width=16) (never executed)
--     CTE hchecked
--       ->  Result  (cost=0.16..0.43 rows=1 width=1) (actual time=0.002..0.003 rows=1 loops=1)
--             InitPlan 51 (returns $76)
--               ->  CTE Scan on me me_14  (cost=0.00..0.02 rows=1 width=0) (actual time=0.000..0.000 rows=1 loops=1)
--             InitPlan 52 (returns $77)
--               ->  CTE Scan on bad bad_7  (cost=0.00..0.02 rows=1 width=0) (actual time=0.000..0.000 rows=1 loops=1)
--             InitPlan 53 (returns $78)
--               ->  Aggregate  (cost=0.02..0.03 rows=1 width=8) (never executed)
--                     ->  CTE Scan on gone gone_2  (cost=0.00..0.02 rows=1 width=0) (never executed)
--             InitPlan 54 (returns $79)
--               ->  Aggregate  (cost=0.02..0.03 rows=1 width=8) (never executed)
--                     ->  CTE Scan on changed changed_1  (cost=0.00..0.02 rows=1 width=0) (never executed)
--             InitPlan 55 (returns $80)
--               ->  Aggregate  (cost=0.04..0.06 rows=1 width=8) (never executed)
--                     ->  CTE Scan on edits  (cost=0.00..0.04 rows=2 width=0) (never executed)
--     InitPlan 57 (returns $82)
--       ->  CTE Scan on bad bad_8  (cost=0.00..0.02 rows=1 width=32) (actual time=0.000..0.001 rows=1 loops=1)
--     InitPlan 58 (returns $83)
--       ->  CTE Scan on bad bad_9  (cost=0.00..0.02 rows=1 width=8) (actual time=0.000..0.000 rows=1 loops=1)
--     InitPlan 59 (returns $84)
--       ->  CTE Scan on gain gain_2  (cost=0.00..0.02 rows=1 width=8) (actual time=0.003..0.004 rows=0 loops=1)
--     InitPlan 60 (returns $85)
--       ->  CTE Scan on recsum  (cost=0.00..0.02 rows=1 width=8) (actual time=0.002..0.002 rows=1 loops=1)
--     InitPlan 61 (returns $86)
--       ->  CTE Scan on gain gain_3  (cost=0.00..0.02 rows=1 width=8) (actual time=0.000..0.000 rows=0 loops=1)
--     InitPlan 62 (returns $87)
--       ->  CTE Scan on recsum recsum_1  (cost=0.00..0.02 rows=1 width=8) (actual time=0.000..0.000 rows=1 loops=1)
--     InitPlan 63 (returns $88)
--       ->  CTE Scan on progress  (cost=0.00..0.02 rows=1 width=4) (actual time=0.001..0.001 rows=0 loops=1)
--     InitPlan 64 (returns $89)
--       ->  CTE Scan on rec  (cost=0.00..0.02 rows=1 width=4) (actual time=0.005..0.005 rows=0 loops=1)
--     InitPlan 66 (returns $91)
--       ->  CTE Scan on progress progress_1  (cost=0.00..0.02 rows=1 width=0) (actual time=0.000..0.000 rows=0 loops=1)
--     InitPlan 67 (returns $92)
--       ->  CTE Scan on progress progress_2  (cost=0.00..0.02 rows=1 width=4) (never executed)
--     InitPlan 69 (returns $94)
--       ->  CTE Scan on rec rec_1  (cost=0.00..0.02 rows=1 width=1) (actual time=0.000..0.000 rows=0 loops=1)
--     InitPlan 70 (returns $95)
--       ->  CTE Scan on sk k_3  (cost=0.00..0.04 rows=2 width=1) (actual time=0.231..0.235 rows=1 loops=1)
--             Buffers: shared hit=13 read=1
--     InitPlan 71 (returns $96)
--       ->  Nested Loop  (cost=0.00..0.09 rows=2 width=4) (actual time=0.001..0.002 rows=1 loops=1)
--             ->  CTE Scan on zone z_2  (cost=0.00..0.02 rows=1 width=4) (actual time=0.000..0.000 rows=1 loops=1)
--             ->  CTE Scan on sk k_4  (cost=0.00..0.04 rows=2 width=8) (actual time=0.000..0.000 rows=1 loops=1)
--     InitPlan 72 (returns $97)
--       ->  CTE Scan on rec rec_2  (cost=0.00..0.02 rows=1 width=4) (actual time=0.000..0.000 rows=0 loops=1)
--     InitPlan 73 (returns $98)
--       ->  Nested Loop  (cost=0.00..0.09 rows=2 width=4) (never executed)
--             ->  CTE Scan on zone z_3  (cost=0.00..0.02 rows=1 width=4) (never executed)
--             ->  CTE Scan on sk k_5  (cost=0.00..0.04 rows=2 width=8) (never executed)
--     InitPlan 74 (returns $99)
--       ->  CTE Scan on sk k_6  (cost=0.00..0.04 rows=2 width=1) (never executed)
--     InitPlan 75 (returns $100)
--       ->  CTE Scan on sk k_7  (cost=0.00..0.04 rows=2 width=4) (actual time=0.000..0.000 rows=1 loops=1)
--     InitPlan 76 (returns $101)
--       ->  CTE Scan on rec rec_3  (cost=0.00..0.02 rows=1 width=4) (actual time=0.000..0.000 rows=0 loops=1)
--     InitPlan 77 (returns $102)
--       ->  CTE Scan on sk k_8  (cost=0.00..0.04 rows=2 width=4) (never executed)
--     ->  Nested Loop Left Join  (cost=0.00..8.73 rows=5 width=353) (actual time=0.335..0.339 rows=1 loops=1)
--           Buffers: shared hit=20 read=1
--           ->  Nested Loop  (cost=0.00..8.43 rows=1 width=30) (actual time=0.306..0.309 rows=1 loops=1)
--                 Buffers: shared hit=20 read=1
--                 ->  Nested Loop  (cost=0.00..8.40 rows=1 width=30) (actual time=0.303..0.305 rows=1 loops=1)
--                       Buffers: shared hit=20 read=1
--                       ->  Nested Loop Left Join  (cost=0.00..8.37 rows=1 width=29) (actual time=0.277..0.279 rows=1 loops=1)
--                             Buffers: shared hit=20 read=1
--                             ->  Nested Loop Left Join  (cost=0.00..0.04 rows=1 width=16) (actual time=0.024..0.025 rows=1 loops=1)
--                                   Buffers: shared hit=4
--                                   ->  Result  (cost=0.00..0.01 rows=1 width=0) (actual time=0.000..0.000 rows=1 loops=1)
--                                   ->  CTE Scan on me  (cost=0.00..0.02 rows=1 width=16) (actual time=0.023..0.023 rows=1 loops=1)
--                                         Buffers: shared hit=4
--                             ->  CTE Scan on me me_1  (cost=0.00..8.32 rows=1 width=13) (actual time=0.253..0.253 rows=1 loops=1)
--                                   Buffers: shared hit=16 read=1
--                                   SubPlan 65
--                                     ->  Index Scan using user_progress_pkey on user_progress p_1  (cost=0.29..8.30 rows=1 width=4) (actual time=0.012..0.013 rows=1 loops=1)
--                                           Index Cond: (user_id = me_1.user_id)
--                                           Buffers: shared hit=3
--                       ->  CTE Scan on checked  (cost=0.00..0.02 rows=1 width=1) (actual time=0.025..0.025 rows=1 loops=1)
--                 ->  CTE Scan on hchecked  (cost=0.00..0.02 rows=1 width=0) (actual time=0.002..0.003 rows=1 loops=1)
--           ->  Append  (cost=0.00..0.20 rows=5 width=260) (actual time=0.009..0.011 rows=0 loops=1)
--                 ->  CTE Scan on closes c  (cost=0.00..0.04 rows=2 width=260) (actual time=0.003..0.003 rows=0 loops=1)
--                 ->  CTE Scan on changed c_1  (cost=0.00..0.02 rows=1 width=260) (actual time=0.002..0.002 rows=0 loops=1)
--                 ->  Subquery Scan on "*SELECT* 3"  (cost=0.00..0.09 rows=1 width=260) (actual time=0.002..0.003 rows=0 loops=1)
--                       ->  Nested Loop  (cost=0.00..0.08 rows=1 width=260) (actual time=0.002..0.002 rows=0 loops=1)
--                             Join Filter: (c_3.id = s.sid)
--                             ->  CTE Scan on made c_3  (cost=0.00..0.02 rows=1 width=220) (actual time=0.002..0.002 rows=0 loops=1)
--                             ->  CTE Scan on span s  (cost=0.00..0.04 rows=2 width=24) (never executed)
--                 ->  CTE Scan on gone c_2  (cost=0.00..0.02 rows=1 width=260) (actual time=0.002..0.002 rows=0 loops=1)
--   Planning:
--     Buffers: shared hit=13
--   Planning Time: 7.551 ms
--   Trigger focus_sessions_cache_del on focus_sessions: time=0.316 calls=1
--   Trigger focus_sessions_cache_ins on focus_sessions: time=0.068 calls=1
--   Trigger focus_sessions_state_del on focus_sessions: time=0.067 calls=1
--   Trigger focus_sessions_state_ins on focus_sessions: time=0.012 calls=1
--   Trigger focus_sessions_state_upd on focus_sessions: time=0.053 calls=1
--   Execution Time: 3.015 ms
PREPARE history_batch AS
WITH me AS (SELECT s.user_id FROM sessions s WHERE s.token_hash = $1::bytea AND s.expires_at > now()),
items AS MATERIALIZED (
	SELECT r.idx - 1 AS idx, r.id, r.action, r.mode, r.started_at, r.duration, r.focused,
	       r.task_id, r.task_title, r.set_task_id, r.set_task_title,
	       CASE WHEN r.action = 'create' THEN gen_random_uuid() ELSE r.id END AS sid
	FROM unnest($2::uuid[], $3::text[], $4::text[], $5::timestamptz[], $6::integer[], $7::integer[],
	            $8::uuid[], $9::text[], $10::boolean[], $11::boolean[])
	     WITH ORDINALITY AS r (id, action, mode, started_at, duration, focused, task_id, task_title,
	                           set_task_id, set_task_title, idx)),
edits AS MATERIALIZED (
	SELECT i.*, f.id IS NOT NULL AS found, f.open AS f_open, f.status AS f_status, f.source AS f_source,
	       f.mode AS f_mode, f.started_at AS f_started, f.duration_seconds AS f_duration,
	       f.focused_seconds AS f_focused
	FROM items i CROSS JOIN me LEFT JOIN focus_sessions f ON f.id = i.id AND f.user_id = me.user_id
	WHERE i.action IN ('update', 'delete')),
span AS MATERIALIZED (
	SELECT w.*, tstzrange(w.started_at, w.started_at + make_interval(secs => w.duration)) AS r FROM (
		SELECT i.idx, i.action, i.sid, i.started_at, i.duration, coalesce(i.focused, i.duration) AS focused,
		       true AS moves
		FROM items i WHERE i.action = 'create'
		UNION ALL
		SELECT e.idx, e.action, e.sid, coalesce(e.started_at, e.f_started), coalesce(e.duration, e.f_duration),
		       coalesce(e.focused, e.f_focused), e.started_at IS NOT NULL OR e.duration IS NOT NULL
		FROM edits e WHERE e.action = 'update' AND e.found AND NOT e.f_open) AS w),
hbad AS (
	SELECT e.idx, CASE
		WHEN NOT e.found THEN 'not_found'
		WHEN e.f_open AND e.action = 'update' AND (e.mode IS NOT NULL OR e.started_at IS NOT NULL
		     OR e.duration IS NOT NULL OR e.focused IS NOT NULL) THEN 'invalid'
		WHEN e.f_open THEN 'conflict'
		WHEN e.action = 'update' AND e.f_source = 'timer' AND (e.mode IS NOT NULL OR e.started_at IS NOT NULL
		     OR e.duration IS NOT NULL) THEN 'invalid'
		WHEN e.action = 'update' AND e.focused IS NOT NULL AND e.f_status <> 'completed' THEN 'invalid'
		END AS outcome
	FROM edits e
	UNION ALL
	SELECT s.idx, CASE
		WHEN s.focused > s.duration THEN 'invalid'
		WHEN NOT s.moves THEN NULL
		WHEN upper(s.r) > now() THEN 'invalid'
		WHEN EXISTS (SELECT 1 FROM focus_sessions o WHERE o.user_id = me.user_id
		             AND tstzrange(o.started_at, o.ends_at) && s.r
		             AND NOT EXISTS (SELECT 1 FROM span x WHERE x.moves AND x.sid = o.id)
		             AND NOT EXISTS (SELECT 1 FROM edits d WHERE d.action = 'delete' AND d.id = o.id))
		     THEN 'conflict'
		WHEN EXISTS (SELECT 1 FROM span t WHERE t.moves AND t.idx <> s.idx AND t.r && s.r) THEN 'conflict'
		END
	FROM span s CROSS JOIN me),
req AS (SELECT i.id, i.action, i.idx FROM items i WHERE i.action IN ('complete', 'abandon')),
snap AS (
	SELECT r.idx, r.id, f.id IS NOT NULL AS found, coalesce(f.open, false) AS open,
	       r.action = 'complete' AND t.session_id IS NOT NULL AS replay,
	       t.new_level, t.leveled_up, t.streak_current, t.streak_longest
	FROM req r CROSS JOIN me LEFT JOIN focus_sessions f ON f.id = r.id AND f.user_id = me.user_id
	LEFT JOIN focus_timer_completions t ON t.session_id = f.id),
bad AS (SELECT idx, outcome FROM (
	SELECT idx, CASE WHEN found THEN 'conflict' ELSE 'not_found' END AS outcome
	FROM snap WHERE NOT (found AND (open OR replay))
	UNION ALL SELECT idx, outcome FROM hbad WHERE outcome IS NOT NULL) b ORDER BY idx LIMIT 1),
done AS (
	UPDATE focus_sessions f SET
		status = CASE r.action WHEN 'complete' THEN 'completed' ELSE 'abandoned' END,
		completed_at = CASE r.action WHEN 'complete' THEN now() END,
		abandoned_at = CASE r.action WHEN 'abandon' THEN now() END,
		focused_seconds = CASE r.action WHEN 'complete'
			THEN f.duration_seconds - least(f.duration_seconds, focus_remaining_s(f.expires_at, f.paused_at, now())) END,
		xp_awarded = CASE r.action WHEN 'complete'
			THEN focus_reward_xp(f.mode, f.duration_seconds, least(f.duration_seconds, focus_remaining_s(f.expires_at, f.paused_at, now()))) ELSE 0 END,
		coins_awarded = CASE r.action WHEN 'complete'
			THEN focus_reward_coins(f.mode, f.duration_seconds, least(f.duration_seconds, focus_remaining_s(f.expires_at, f.paused_at, now()))) ELSE 0 END,
		paused_at = NULL
	FROM req r, me
	WHERE f.id = r.id AND f.user_id = me.user_id AND f.open
	  AND NOT EXISTS (SELECT 1 FROM bad)
	RETURNING r.idx, r.action, f.*),
replayed AS (
	SELECT s.idx, 'complete'::text AS action, f.* FROM snap s JOIN focus_sessions f ON f.id = s.id
	WHERE s.replay AND NOT EXISTS (SELECT 1 FROM bad)),
closes AS (SELECT * FROM done UNION ALL SELECT * FROM replayed),
rec AS (SELECT new_level, leveled_up, streak_current, streak_longest
	FROM snap WHERE replay AND NOT EXISTS (SELECT 1 FROM bad) ORDER BY idx LIMIT 1),
recsum AS (SELECT sum(xp_awarded) AS xp, sum(coins_awarded) AS coins FROM replayed),
ledger AS (
	INSERT INTO points_ledger (user_id, session_id, idempotency_key, xp, coins)
	SELECT d.user_id, d.id, 'focus_complete:' || d.id, d.xp_awarded, d.coins_awarded
	FROM done d WHERE d.action = 'complete'
	ON CONFLICT (idempotency_key) DO NOTHING
	RETURNING session_id, xp, coins),
gain AS (
	SELECT me.user_id, sum(l.xp) AS xp, sum(l.coins) AS coins,
	       bool_or(d.mode = 'focus') AS focused
	FROM me JOIN ledger l ON true JOIN done d ON d.id = l.session_id
	GROUP BY me.user_id),
progress AS (
	INSERT INTO user_progress AS p (user_id, xp, level)
	SELECT user_id, xp, focus_level_for_xp(xp) FROM gain
	ON CONFLICT (user_id) DO UPDATE SET xp = p.xp + excluded.xp,
		level = focus_level_for_xp(p.xp + excluded.xp), updated_at = now()
	RETURNING p.xp, p.level),
wallet AS (
	INSERT INTO user_wallet AS w (user_id, coins) SELECT user_id, coins FROM gain
	ON CONFLICT (user_id) DO UPDATE SET coins = w.coins + excluded.coins, updated_at = now()
	RETURNING w.coins),
zone AS (SELECT st.time_zone, st.day_start_hour, focus_local_day(now(), st.time_zone, st.day_start_hour) AS today
	FROM me JOIN focus_settings st ON st.user_id = me.user_id),
skipped AS MATERIALIZED (SELECT (SELECT array_agg(e.id) FROM edits e WHERE e.action = 'delete' AND e.f_status = 'completed'
	AND e.f_mode = 'focus' AND e.f_source = 'timer') AS ids),
sk AS (
	SELECT k.*, g.day FROM zone z CROSS JOIN me CROSS JOIN skipped x
	CROSS JOIN LATERAL (SELECT min(focus_local_day(d.started_at, z.time_zone, z.day_start_hour)) AS day
		FROM ledger l JOIN done d ON d.id = l.session_id WHERE d.mode = 'focus') g
	CROSS JOIN LATERAL focus_streak_after(me.user_id, z.time_zone, z.day_start_hour, g.day, x.ids) k),
streak AS (
	INSERT INTO user_streaks AS s (user_id, current_days, longest_days, last_day, time_zone, day_start_hour,
		generation)
	SELECT me.user_id, k.current_days, k.longest_days, k.last_day, z.time_zone, z.day_start_hour, k.generation
	FROM me, zone z, sk k
	WHERE k.last_day IS NOT NULL AND (NOT k.cached OR k.day IS NOT NULL) AND EXISTS (SELECT 1 FROM done)
	ON CONFLICT (user_id) DO UPDATE SET current_days = excluded.current_days,
		longest_days = excluded.longest_days, last_day = excluded.last_day,
		time_zone = excluded.time_zone, day_start_hour = excluded.day_start_hour
	WHERE s.generation = excluded.generation),
old AS (
	SELECT coalesce((SELECT p.level FROM user_progress p WHERE p.user_id = me.user_id), 1) AS level,
	       (SELECT focus_streak_current(k.last_day, k.current_days, z.today) FROM sk k, zone z) AS streak_current,
	       (SELECT k.longest_days FROM sk k) AS streak_longest,
	       coalesce((SELECT k.day IS NOT NULL FROM sk k), false) AS streak_moved
	FROM me),
checked AS (
	SELECT focus_assert(NOT EXISTS (SELECT 1 FROM me) OR EXISTS (SELECT 1 FROM bad)
	                    OR (SELECT count(*) FROM closes) = (SELECT count(*) FROM req), 'session') AS ok)
,
gone AS (
	DELETE FROM focus_sessions f USING edits e, me
	WHERE e.action = 'delete' AND f.id = e.id AND f.user_id = me.user_id AND NOT f.open
	  AND NOT EXISTS (SELECT 1 FROM bad)
	RETURNING e.idx, f.*),
changed AS (
	UPDATE focus_sessions f SET
		mode = coalesce(i.mode, f.mode),
		started_at = coalesce(i.started_at, f.started_at),
		duration_seconds = coalesce(i.duration, f.duration_seconds),
		expires_at = CASE WHEN f.source = 'manual' THEN coalesce(i.started_at, f.started_at)
			+ make_interval(secs => coalesce(i.duration, f.duration_seconds)) ELSE f.expires_at END,
		completed_at = CASE WHEN f.source = 'manual' THEN coalesce(i.started_at, f.started_at)
			+ make_interval(secs => coalesce(i.duration, f.duration_seconds)) ELSE f.completed_at END,
		focused_seconds = coalesce(i.focused, f.focused_seconds),
		task_id = CASE WHEN i.set_task_id THEN i.task_id ELSE f.task_id END,
		task_title = CASE WHEN i.set_task_title THEN i.task_title ELSE f.task_title END
	FROM items i, me
	WHERE i.action = 'update' AND f.id = i.id AND f.user_id = me.user_id AND NOT f.open
	  AND NOT EXISTS (SELECT 1 FROM bad) AND (SELECT count(*) FROM gone) >= 0
	RETURNING i.idx, f.*),
made AS (
	INSERT INTO focus_sessions AS f (id, user_id, mode, duration_seconds, started_at, expires_at,
		completed_at, status, focused_seconds, task_id, task_title, source)
	SELECT s.sid, me.user_id, coalesce(i.mode, 'focus'), s.duration, s.started_at, upper(s.r), upper(s.r),
		'completed', s.focused, i.task_id, i.task_title, 'manual'
	FROM span s JOIN items i ON i.idx = s.idx CROSS JOIN me
	WHERE s.action = 'create' AND NOT EXISTS (SELECT 1 FROM bad)
	  AND (SELECT count(*) FROM gone) >= 0 AND (SELECT count(*) FROM changed) >= 0
	RETURNING f.*),
hchecked AS (
	SELECT focus_assert(NOT EXISTS (SELECT 1 FROM me) OR EXISTS (SELECT 1 FROM bad)
		OR (SELECT count(*) FROM gone) + (SELECT count(*) FROM changed) = (SELECT count(*) FROM edits),
		'history') AS ok),
outs AS (
	SELECT c.idx, c.action::text AS action, c.id, c.mode, c.duration_seconds, c.started_at, c.expires_at, c.paused_at, c.completed_at, c.abandoned_at, c.status, c.focused_seconds, c.xp_awarded, c.coins_awarded, c.task_id, c.task_title, c.cycle_position, c.source FROM closes c
	UNION ALL SELECT c.idx, 'update', c.id, c.mode, c.duration_seconds, c.started_at, c.expires_at, c.paused_at, c.completed_at, c.abandoned_at, c.status, c.focused_seconds, c.xp_awarded, c.coins_awarded, c.task_id, c.task_title, c.cycle_position, c.source FROM changed c
	UNION ALL SELECT s.idx, 'create', c.id, c.mode, c.duration_seconds, c.started_at, c.expires_at, c.paused_at, c.completed_at, c.abandoned_at, c.status, c.focused_seconds, c.xp_awarded, c.coins_awarded, c.task_id, c.task_title, c.cycle_position, c.source FROM made c JOIN span s ON s.sid = c.id
	UNION ALL SELECT c.idx, 'delete', c.id, c.mode, c.duration_seconds, c.started_at, c.expires_at, c.paused_at, c.completed_at, c.abandoned_at, c.status, c.focused_seconds, c.xp_awarded, c.coins_awarded, c.task_id, c.task_title, c.cycle_position, c.source FROM gone c)
SELECT CASE WHEN me.user_id IS NULL THEN 'unauthorized' WHEN NOT checked.ok THEN 'conflict'
            ELSE coalesce((SELECT outcome FROM bad), 'ok') END AS outcome,
       me.user_id, (SELECT idx FROM bad) AS bad_index,
       coalesce((SELECT xp FROM gain), 0) + coalesce((SELECT xp FROM recsum), 0) AS xp,
       coalesce((SELECT coins FROM gain), 0) + coalesce((SELECT coins FROM recsum), 0) AS coins,
       coalesce((SELECT level FROM progress), (SELECT new_level FROM rec), old.level) AS new_level,
       CASE WHEN EXISTS (SELECT 1 FROM progress) THEN (SELECT level FROM progress) <> old.level
            ELSE coalesce((SELECT leveled_up FROM rec), false) END AS leveled_up,
       CASE WHEN old.streak_moved THEN old.streak_current
            ELSE coalesce((SELECT streak_current FROM rec), old.streak_current, 0) END AS streak_current,
       CASE WHEN old.streak_moved THEN old.streak_longest
            ELSE coalesce((SELECT streak_longest FROM rec), old.streak_longest, 0) END AS streak_longest,
       d.action, d.id, d.mode, d.duration_seconds, d.started_at, d.expires_at, d.paused_at, d.completed_at, d.abandoned_at, d.status, d.focused_seconds, d.xp_awarded, d.coins_awarded, d.task_id, d.task_title, d.cycle_position, d.source, now()
FROM (VALUES (1)) AS one LEFT JOIN me ON true LEFT JOIN old ON true CROSS JOIN checked CROSS JOIN hchecked
LEFT JOIN outs d ON true
ORDER BY d.idx;

-- == idempotency_claim
-- Idempotency-Key: claim the key for this request, in its transaction, before the route's statement.
-- index: idempotency_keys_pkey; expected plan: Insert on idempotency_keys / Index Scan using idempotency_keys_pkey
-- median execution: 0.054 ms over 11 runs
-- plan:
--   Insert on idempotency_keys  (cost=16.81..16.84 rows=0 width=0) (actual time=0.093..0.094 rows=0 loops=1)
--     Buffers: shared hit=12
--     CTE me
--       ->  Index Scan using sessions_pkey on sessions s  (cost=0.41..8.44 rows=1 width=16) (actual time=0.004..0.005 rows=1 loops=1)
--             Index Cond: (token_hash = $1)
--             Filter: (expires_at > now())
--             Buffers: shared hit=4
--     CTE old
--       ->  Delete on idempotency_keys k  (cost=0.29..8.34 rows=1 width=46) (actual time=0.026..0.026 rows=0 loops=1)
--             Buffers: shared hit=6
--             ->  Nested Loop  (cost=0.29..8.34 rows=1 width=46) (actual time=0.026..0.026 rows=0 loops=1)
--                   Buffers: shared hit=6
--                   ->  CTE Scan on me me_1  (cost=0.00..0.02 rows=1 width=56) (actual time=0.008..0.009 rows=1 loops=1)
--                         Buffers: shared hit=4
--                   ->  Index Scan using idempotency_keys_pkey on idempotency_keys k  (cost=0.29..8.32 rows=1 width=22) (actual time=0.017..0.017 rows=0 loops=1)
--                         Index Cond: ((user_id = me_1.user_id) AND (key = $2))
--                         Filter: (created_at <= (now() - make_interval(0, 0, 0, 0, 0, 0, ($4)::double precision)))
--                         Buffers: shared hit=2
--     InitPlan 3 (returns $4)
--       ->  Aggregate  (cost=0.02..0.03 rows=1 width=8) (actual time=0.027..0.027 rows=1 loops=1)
--             Buffers: shared hit=6
--             ->  CTE Scan on old  (cost=0.00..0.02 rows=1 width=0) (actual time=0.026..0.026 rows=0 loops=1)
--                   Buffers: shared hit=6
--     ->  Result  (cost=0.00..0.02 rows=1 width=124) (actual time=0.029..0.029 rows=1 loops=1)
--           One-Time Filter: ($4 >= 0)
--           Buffers: shared hit=6
--           ->  CTE Scan on me  (cost=0.00..0.02 rows=1 width=16) (actual time=0.000..0.000 rows=1 loops=1)
--   Planning:
--     Buffers: shared hit=45
--   Planning Time: 0.390 ms
--   Trigger for constraint idempotency_keys_user_id_fkey on idempotency_keys: time=0.097 calls=1
--   Execution Time: 0.230 ms
PREPARE idempotency_claim AS
WITH me AS (SELECT s.user_id FROM sessions s WHERE s.token_hash = $1::bytea AND s.expires_at > now()),
old AS (DELETE FROM idempotency_keys k USING me
	WHERE k.user_id = me.user_id AND k.key = $2::text
	  AND k.created_at <= now() - make_interval(secs => $4::integer) RETURNING 1)
INSERT INTO idempotency_keys (user_id, key, request_hash)
SELECT me.user_id, $2::text, $3::bytea FROM me WHERE (SELECT count(*) FROM old) >= 0;

-- == idempotency_store
-- Idempotency-Key: store the answer of a keyed write, then COMMIT, in one round trip.
-- index: idempotency_keys_pkey; expected plan: Update on idempotency_keys / Index Scan using idempotency_keys_pkey
-- median execution: 0.005 ms over 11 runs
-- plan:
--   Update on idempotency_keys  (cost=0.29..8.31 rows=0 width=0) (actual time=0.008..0.008 rows=0 loops=1)
--     Buffers: shared hit=4
--     ->  Index Scan using idempotency_keys_pkey on idempotency_keys  (cost=0.29..8.31 rows=1 width=42) (actual time=0.008..0.008 rows=0 loops=1)
--           Index Cond: ((user_id = $1) AND (key = $2))
--           Buffers: shared hit=4
--   Planning Time: 0.038 ms
--   Execution Time: 0.015 ms
PREPARE idempotency_store AS
UPDATE idempotency_keys SET status = $3::integer, body = $4::text
WHERE user_id = $1::uuid AND key = $2::text;

-- == idempotency_fetch
-- Idempotency-Key: the stored request hash and answer of a key another request claimed.
-- index: idempotency_keys_pkey; expected plan: Index Scan using idempotency_keys_pkey
-- median execution: 0.012 ms over 11 runs
-- plan:
--   Nested Loop Left Join  (cost=0.70..16.78 rows=1 width=97) (actual time=0.007..0.008 rows=1 loops=1)
--     Buffers: shared hit=6
--     ->  Result  (cost=0.00..0.01 rows=1 width=0) (actual time=0.000..0.000 rows=1 loops=1)
--     ->  Nested Loop Left Join  (cost=0.70..16.76 rows=1 width=81) (actual time=0.006..0.006 rows=1 loops=1)
--           Buffers: shared hit=6
--           ->  Index Scan using sessions_pkey on sessions me  (cost=0.41..8.44 rows=1 width=16) (actual time=0.003..0.004 rows=1 loops=1)
--                 Index Cond: (token_hash = $1)
--                 Filter: (expires_at > now())
--                 Buffers: shared hit=4
--           ->  Index Scan using idempotency_keys_pkey on idempotency_keys k  (cost=0.29..8.32 rows=1 width=65) (actual time=0.002..0.002 rows=0 loops=1)
--                 Index Cond: ((user_id = me.user_id) AND (key = $2))
--                 Filter: (created_at > (now() - make_interval(0, 0, 0, 0, 0, 0, ($3)::double precision)))
--                 Buffers: shared hit=2
--   Planning:
--     Buffers: shared hit=24
--   Planning Time: 0.234 ms
--   Execution Time: 0.019 ms
PREPARE idempotency_fetch AS
SELECT CASE WHEN me.user_id IS NULL THEN 'unauthorized' WHEN k.user_id IS NULL THEN 'not_found' ELSE 'ok' END AS outcome, me.user_id,
	k.request_hash, k.status, k.body
FROM (VALUES (1)) AS one
LEFT JOIN sessions me ON me.token_hash = $1::bytea AND me.expires_at > now()
LEFT JOIN idempotency_keys k ON k.user_id = me.user_id AND k.key = $2::text
	AND k.created_at > now() - make_interval(secs => $3::integer)
;

-- == idempotency_expire
-- focusctl expire: delete the idempotency keys past their window.
-- index: idempotency_keys_created; expected plan: Delete on idempotency_keys / Bitmap Index Scan on idempotency_keys_created
-- median execution: 0.006 ms over 11 runs
-- plan:
--   Delete on idempotency_keys  (cost=183.97..600.97 rows=0 width=0) (actual time=0.005..0.005 rows=0 loops=1)
--     Buffers: shared hit=2
--     ->  Bitmap Heap Scan on idempotency_keys  (cost=183.97..600.97 rows=6667 width=6) (actual time=0.004..0.005 rows=0 loops=1)
--           Recheck Cond: (created_at <= (now() - make_interval(0, 0, 0, 0, 0, 0, ($1)::double precision)))
--           Buffers: shared hit=2
--           ->  Bitmap Index Scan on idempotency_keys_created  (cost=0.00..182.30 rows=6667 width=0) (actual time=0.004..0.004 rows=0 loops=1)
--                 Index Cond: (created_at <= (now() - make_interval(0, 0, 0, 0, 0, 0, ($1)::double precision)))
--                 Buffers: shared hit=2
--   Planning Time: 0.037 ms
--   Execution Time: 0.013 ms
PREPARE idempotency_expire AS
DELETE FROM idempotency_keys WHERE created_at <= now() - make_interval(secs => $1::integer);

-- == stats_local
-- GET /api/focus/stats?period=today|this_week|this_month|this_year or from/to: the counts over the caller's sessions started within local dates of the caller's zone.
-- index: focus_sessions_user_started; expected plan: Index Scan using focus_sessions_user_started
-- median execution: 0.141 ms over 11 runs
-- plan:
--   Nested Loop Left Join  (cost=9.19..28.89 rows=1 width=164) (actual time=0.080..0.082 rows=1 loops=1)
--     Buffers: shared hit=12
--     ->  Nested Loop Left Join  (cost=0.70..20.36 rows=1 width=33) (actual time=0.042..0.043 rows=1 loops=1)
--           Buffers: shared hit=7
--           ->  Nested Loop Left Join  (cost=0.41..8.46 rows=1 width=16) (actual time=0.015..0.015 rows=1 loops=1)
--                 Buffers: shared hit=4
--                 ->  Result  (cost=0.00..0.01 rows=1 width=0) (actual time=0.000..0.001 rows=1 loops=1)
--                 ->  Index Scan using sessions_pkey on sessions me  (cost=0.41..8.44 rows=1 width=16) (actual time=0.013..0.013 rows=1 loops=1)
--                       Index Cond: (token_hash = $1)
--                       Filter: (expires_at > now())
--                       Buffers: shared hit=4
--           ->  Index Scan using focus_settings_pkey on focus_settings st  (cost=0.29..8.30 rows=1 width=31) (actual time=0.007..0.007 rows=1 loops=1)
--                 Index Cond: (user_id = me.user_id)
--                 Buffers: shared hit=3
--     ->  Aggregate  (cost=8.49..8.50 rows=1 width=48) (actual time=0.025..0.025 rows=1 loops=1)
--           Buffers: shared hit=5
--           ->  Result  (cost=0.44..8.46 rows=1 width=27) (actual time=0.015..0.018 rows=2 loops=1)
--                 One-Time Filter: (((CASE $2 WHEN 'today'::text THEN ((((now() AT TIME ZONE st.time_zone) - make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)))::date - ((now() < (((((now() AT TIME ZONE st.time_zone) - make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)))::date + make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)) AT TIME ZONE st.time_zone)))::integer) WHEN 'this_week'::text THEN focus_week_start(((((now() AT TIME ZONE st.time_zone) - make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)))::date - ((now() < (((((now() AT TIME ZONE st.time_zone) - make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)))::date + make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)) AT TIME ZONE st.time_zone)))::integer), st.week_start) WHEN 'this_month'::text THEN (date_trunc('month'::text, (((((now() AT TIME ZONE st.time_zone) - make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)))::date - ((now() < (((((now() AT TIME ZONE st.time_zone) - make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)))::date + make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)) AT TIME ZONE st.time_zone)))::integer))::timestamp without time zone))::date WHEN 'this_year'::text THEN (date_trunc('year'::text, (((((now() AT TIME ZONE st.time_zone) - make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)))::date - ((now() < (((((now() AT TIME ZONE st.time_zone) - make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)))::date + make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)) AT TIME ZONE st.time_zone)))::integer))::timestamp without time zone))::date ELSE $3 END IS NOT NULL) AND (CASE $2 WHEN 'today'::text THEN ((((now() AT TIME ZONE st.time_zone) - make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)))::date - ((now() < (((((now() AT TIME ZONE st.time_zone) - make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)))::date + make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)) AT TIME ZONE st.time_zone)))::integer) WHEN 'this_week'::text THEN (focus_week_start(((((now() AT TIME ZONE st.time_zone) - make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)))::date - ((now() < (((((now() AT TIME ZONE st.time_zone) - make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)))::date + make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)) AT TIME ZONE st.time_zone)))::integer), st.week_start) + 6) WHEN 'this_month'::text THEN ((date_trunc('month'::text, (((((now() AT TIME ZONE st.time_zone) - make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)))::date - ((now() < (((((now() AT TIME ZONE st.time_zone) - make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)))::date + make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)) AT TIME ZONE st.time_zone)))::integer))::timestamp without time zone) + '1 mon -1 days'::interval))::date WHEN 'this_year'::text THEN ((date_trunc('year'::text, (((((now() AT TIME ZONE st.time_zone) - make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)))::date - ((now() < (((((now() AT TIME ZONE st.time_zone) - make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)))::date + make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)) AT TIME ZONE st.time_zone)))::integer))::timestamp without time zone) + '1 year -1 days'::interval))::date ELSE $4 END IS NOT NULL) AND (CASE $2 WHEN 'today'::text THEN ((((now() AT TIME ZONE st.time_zone) - make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)))::date - ((now() < (((((now() AT TIME ZONE st.time_zone) - make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)))::date + make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)) AT TIME ZONE st.time_zone)))::integer) WHEN 'this_week'::text THEN focus_week_start(((((now() AT TIME ZONE st.time_zone) - make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)))::date - ((now() < (((((now() AT TIME ZONE st.time_zone) - make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)))::date + make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)) AT TIME ZONE st.time_zone)))::integer), st.week_start) WHEN 'this_month'::text THEN (date_trunc('month'::text, (((((now() AT TIME ZONE st.time_zone) - make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)))::date - ((now() < (((((now() AT TIME ZONE st.time_zone) - make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)))::date + make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)) AT TIME ZONE st.time_zone)))::integer))::timestamp without time zone))::date WHEN 'this_year'::text THEN (date_trunc('year'::text, (((((now() AT TIME ZONE st.time_zone) - make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)))::date - ((now() < (((((now() AT TIME ZONE st.time_zone) - make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)))::date + make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)) AT TIME ZONE st.time_zone)))::integer))::timestamp without time zone))::date ELSE $3 END <= CASE $2 WHEN 'today'::text THEN ((((now() AT TIME ZONE st.time_zone) - make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)))::date - ((now() < (((((now() AT TIME ZONE st.time_zone) - make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)))::date + make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)) AT TIME ZONE st.time_zone)))::integer) WHEN 'this_week'::text THEN (focus_week_start(((((now() AT TIME ZONE st.time_zone) - make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)))::date - ((now() < (((((now() AT TIME ZONE st.time_zone) - make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)))::date + make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)) AT TIME ZONE st.time_zone)))::integer), st.week_start) + 6) WHEN 'this_month'::text THEN ((date_trunc('month'::text, (((((now() AT TIME ZONE st.time_zone) - make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)))::date - ((now() < (((((now() AT TIME ZONE st.time_zone) - make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)))::date + make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)) AT TIME ZONE st.time_zone)))::integer))::timestamp without time zone) + '1 mon -1 days'::interval))::date WHEN 'this_year'::text THEN ((date_trunc('year'::text, (((((now() AT TIME ZONE st.time_zone) - make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)))::date - ((now() < (((((now() AT TIME ZONE st.time_zone) - make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)))::date + make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)) AT TIME ZONE st.time_zone)))::integer))::timestamp without time zone) + '1 year -1 days'::interval))::date ELSE $4 END) AND ((CASE $2 WHEN 'today'::text THEN ((((now() AT TIME ZONE st.time_zone) - make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)))::date - ((now() < (((((now() AT TIME ZONE st.time_zone) - make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)))::date + make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)) AT TIME ZONE st.time_zone)))::integer) WHEN 'this_week'::text THEN (focus_week_start(((((now() AT TIME ZONE st.time_zone) - make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)))::date - ((now() < (((((now() AT TIME ZONE st.time_zone) - make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)))::date + make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)) AT TIME ZONE st.time_zone)))::integer), st.week_start) + 6) WHEN 'this_month'::text THEN ((date_trunc('month'::text, (((((now() AT TIME ZONE st.time_zone) - make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)))::date - ((now() < (((((now() AT TIME ZONE st.time_zone) - make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)))::date + make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)) AT TIME ZONE st.time_zone)))::integer))::timestamp without time zone) + '1 mon -1 days'::interval))::date WHEN 'this_year'::text THEN ((date_trunc('year'::text, (((((now() AT TIME ZONE st.time_zone) - make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)))::date - ((now() < (((((now() AT TIME ZONE st.time_zone) - make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)))::date + make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)) AT TIME ZONE st.time_zone)))::integer))::timestamp without time zone) + '1 year -1 days'::interval))::date ELSE $4 END - CASE $2 WHEN 'today'::text THEN ((((now() AT TIME ZONE st.time_zone) - make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)))::date - ((now() < (((((now() AT TIME ZONE st.time_zone) - make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)))::date + make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)) AT TIME ZONE st.time_zone)))::integer) WHEN 'this_week'::text THEN focus_week_start(((((now() AT TIME ZONE st.time_zone) - make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)))::date - ((now() < (((((now() AT TIME ZONE st.time_zone) - make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)))::date + make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)) AT TIME ZONE st.time_zone)))::integer), st.week_start) WHEN 'this_month'::text THEN (date_trunc('month'::text, (((((now() AT TIME ZONE st.time_zone) - make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)))::date - ((now() < (((((now() AT TIME ZONE st.time_zone) - make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)))::date + make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)) AT TIME ZONE st.time_zone)))::integer))::timestamp without time zone))::date WHEN 'this_year'::text THEN (date_trunc('year'::text, (((((now() AT TIME ZONE st.time_zone) - make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)))::date - ((now() < (((((now() AT TIME ZONE st.time_zone) - make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)))::date + make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)) AT TIME ZONE st.time_zone)))::integer))::timestamp without time zone))::date ELSE $3 END) < $5)))
--                 Buffers: shared hit=5
--                 ->  Index Scan using focus_sessions_user_started on focus_sessions f  (cost=0.44..8.46 rows=1 width=27) (actual time=0.013..0.015 rows=2 loops=1)
--                       Index Cond: ((user_id = me.user_id) AND (started_at >= (((CASE $2 WHEN 'today'::text THEN ((((now() AT TIME ZONE st.time_zone) - make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)))::date - ((now() < (((((now() AT TIME ZONE st.time_zone) - make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)))::date + make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)) AT TIME ZONE st.time_zone)))::integer) WHEN 'this_week'::text THEN focus_week_start(((((now() AT TIME ZONE st.time_zone) - make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)))::date - ((now() < (((((now() AT TIME ZONE st.time_zone) - make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)))::date + make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)) AT TIME ZONE st.time_zone)))::integer), st.week_start) WHEN 'this_month'::text THEN (date_trunc('month'::text, (((((now() AT TIME ZONE st.time_zone) - make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)))::date - ((now() < (((((now() AT TIME ZONE st.time_zone) - make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)))::date + make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)) AT TIME ZONE st.time_zone)))::integer))::timestamp without time zone))::date WHEN 'this_year'::text THEN (date_trunc('year'::text, (((((now() AT TIME ZONE st.time_zone) - make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)))::date - ((now() < (((((now() AT TIME ZONE st.time_zone) - make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)))::date + make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)) AT TIME ZONE st.time_zone)))::integer))::timestamp without time zone))::date ELSE $3 END) + make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)) AT TIME ZONE st.time_zone)) AND (started_at < ((((CASE $2 WHEN 'today'::text THEN ((((now() AT TIME ZONE st.time_zone) - make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)))::date - ((now() < (((((now() AT TIME ZONE st.time_zone) - make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)))::date + make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)) AT TIME ZONE st.time_zone)))::integer) WHEN 'this_week'::text THEN (focus_week_start(((((now() AT TIME ZONE st.time_zone) - make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)))::date - ((now() < (((((now() AT TIME ZONE st.time_zone) - make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)))::date + make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)) AT TIME ZONE st.time_zone)))::integer), st.week_start) + 6) WHEN 'this_month'::text THEN ((date_trunc('month'::text, (((((now() AT TIME ZONE st.time_zone) - make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)))::date - ((now() < (((((now() AT TIME ZONE st.time_zone) - make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)))::date + make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)) AT TIME ZONE st.time_zone)))::integer))::timestamp without time zone) + '1 mon -1 days'::interval))::date WHEN 'this_year'::text THEN ((date_trunc('year'::text, (((((now() AT TIME ZONE st.time_zone) - make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)))::date - ((now() < (((((now() AT TIME ZONE st.time_zone) - make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)))::date + make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)) AT TIME ZONE st.time_zone)))::integer))::timestamp without time zone) + '1 year -1 days'::interval))::date ELSE $4 END) + 1) + make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)) AT TIME ZONE st.time_zone)))
--                       Buffers: shared hit=5
--   Planning:
--     Buffers: shared hit=57
--   Planning Time: 5.093 ms
--   Execution Time: 0.215 ms
PREPARE stats_local AS
SELECT CASE WHEN me.user_id IS NULL THEN 'unauthorized' WHEN NOT r.ok THEN 'bad_request' ELSE 'ok' END AS outcome, me.user_id,
	to_char(r.first_day, 'YYYY-MM-DD') AS first_day, to_char(r.last_day, 'YYYY-MM-DD') AS last_day,
	st.time_zone, t.completed, t.abandoned, t.total, t.focus_seconds, t.xp, t.coins
FROM (VALUES (1)) AS one
LEFT JOIN sessions me ON me.token_hash = $1::bytea AND me.expires_at > now()
LEFT JOIN focus_settings st ON st.user_id = me.user_id
LEFT JOIN LATERAL focus_period(st.time_zone, st.day_start_hour, st.week_start, $2::text, $3::date, $4::date,
	$5::integer) r ON true
LEFT JOIN LATERAL (SELECT count(*) FILTER (WHERE f.status = 'completed') AS completed,
		count(*) FILTER (WHERE f.status = 'abandoned') AS abandoned,
		count(*) AS total,
		coalesce(sum(f.focused_seconds) FILTER (WHERE f.status = 'completed' AND f.mode = 'focus'), 0) AS focus_seconds,
		coalesce(sum(f.xp_awarded), 0) AS xp,
		coalesce(sum(f.coins_awarded), 0) AS coins
	 FROM focus_sessions f
	 WHERE f.user_id = me.user_id AND r.ok
	  AND f.started_at >= focus_day_start(r.first_day, st.time_zone, st.day_start_hour)
	  AND f.started_at < focus_day_start(r.last_day + 1, st.time_zone, st.day_start_hour)) AS t ON true
;

-- == series
-- GET /api/focus/series: the caller's counts per local day, week or month, every bucket of the range.
-- index: focus_sessions_user_started; expected plan: Index Scan using focus_sessions_user_started
-- median execution: 1.552 ms over 11 runs
-- plan:
--   Sort  (cost=126.07..127.32 rows=500 width=220) (actual time=1.683..1.702 rows=365 loops=1)
--     Sort Key: ((g.g)::date)
--     Sort Method: quicksort  Memory: 76kB
--     Buffers: shared hit=107 read=1
--     CTE c
--       ->  Nested Loop Left Join  (cost=0.70..16.76 rows=1 width=40) (actual time=0.019..0.021 rows=1 loops=1)
--             Buffers: shared hit=7
--             ->  Nested Loop Left Join  (cost=0.41..8.46 rows=1 width=16) (actual time=0.007..0.009 rows=1 loops=1)
--                   Buffers: shared hit=4
--                   ->  Result  (cost=0.00..0.01 rows=1 width=0) (actual time=0.000..0.001 rows=1 loops=1)
--                   ->  Index Scan using sessions_pkey on sessions me  (cost=0.41..8.44 rows=1 width=16) (actual time=0.006..0.007 rows=1 loops=1)
--                         Index Cond: (token_hash = $1)
--                         Filter: (expires_at > now())
--                         Buffers: shared hit=4
--             ->  Index Scan using focus_settings_pkey on focus_settings st  (cost=0.29..8.30 rows=1 width=31) (actual time=0.004..0.004 rows=1 loops=1)
--                   Index Cond: (user_id = me.user_id)
--                   Buffers: shared hit=3
--     ->  Hash Left Join  (cost=55.47..86.89 rows=500 width=220) (actual time=0.872..1.534 rows=365 loops=1)
--           Hash Cond: ((g.g)::date = a.start)
--           Buffers: shared hit=104 read=1
--           ->  Nested Loop Left Join  (cost=0.01..20.03 rows=500 width=65) (actual time=0.070..0.145 rows=365 loops=1)
--                 Join Filter: c.ok
--                 Buffers: shared hit=7
--                 ->  CTE Scan on c  (cost=0.00..0.02 rows=1 width=57) (actual time=0.020..0.021 rows=1 loops=1)
--                       Buffers: shared hit=7
--                 ->  Function Scan on generate_series g  (cost=0.01..10.01 rows=1000 width=8) (actual time=0.048..0.069 rows=365 loops=1)
--           ->  Hash  (cost=55.32..55.32 rows=11 width=44) (actual time=0.791..0.792 rows=94 loops=1)
--                 Buckets: 1024  Batches: 1  Memory Usage: 15kB
--                 Buffers: shared hit=97 read=1
--                 ->  Subquery Scan on a  (cost=51.61..55.32 rows=11 width=44) (actual time=0.684..0.767 rows=94 loops=1)
--                       Buffers: shared hit=97 read=1
--                       ->  GroupAggregate  (cost=51.61..55.21 rows=11 width=44) (actual time=0.683..0.757 rows=94 loops=1)
--                             Group Key: (focus_bucket_start(((((f.started_at AT TIME ZONE c_1.time_zone) - make_interval(0, 0, 0, 0, c_1.day_start_hour, 0, '0'::double precision)))::date - ((f.started_at < (((((f.started_at AT TIME ZONE c_1.time_zone) - make_interval(0, 0, 0, 0, c_1.day_start_hour, 0, '0'::double precision)))::date + make_interval(0, 0, 0, 0, c_1.day_start_hour, 0, '0'::double precision)) AT TIME ZONE c_1.time_zone)))::integer), $4, c_1.week_start))
--                             Buffers: shared hit=97 read=1
--                             ->  Sort  (cost=51.61..51.64 rows=11 width=27) (actual time=0.678..0.684 rows=94 loops=1)
--                                   Sort Key: (focus_bucket_start(((((f.started_at AT TIME ZONE c_1.time_zone) - make_interval(0, 0, 0, 0, c_1.day_start_hour, 0, '0'::double precision)))::date - ((f.started_at < (((((f.started_at AT TIME ZONE c_1.time_zone) - make_interval(0, 0, 0, 0, c_1.day_start_hour, 0, '0'::double precision)))::date + make_interval(0, 0, 0, 0, c_1.day_start_hour, 0, '0'::double precision)) AT TIME ZONE c_1.time_zone)))::integer), $4, c_1.week_start))
--                                   Sort Method: quicksort  Memory: 31kB
--                                   Buffers: shared hit=97 read=1
--                                   ->  Nested Loop  (cost=4.58..51.42 rows=11 width=27) (actual time=0.109..0.650 rows=94 loops=1)
--                                         Buffers: shared hit=97 read=1
--                                         ->  CTE Scan on c c_1  (cost=0.00..0.02 rows=1 width=92) (actual time=0.001..0.002 rows=1 loops=1)
--                                               Filter: ok
--                                         ->  Bitmap Heap Scan on focus_sessions f  (cost=4.58..48.16 rows=11 width=47) (actual time=0.036..0.200 rows=94 loops=1)
--                                               Recheck Cond: ((user_id = c_1.user_id) AND (started_at >= ((c_1.first_day + make_interval(0, 0, 0, 0, c_1.day_start_hour, 0, '0'::double precision)) AT TIME ZONE c_1.time_zone)) AND (started_at < (((c_1.last_day + 1) + make_interval(0, 0, 0, 0, c_1.day_start_hour, 0, '0'::double precision)) AT TIME ZONE c_1.time_zone)))
--                                               Heap Blocks: exact=94
--                                               Buffers: shared hit=97 read=1
--                                               ->  Bitmap Index Scan on focus_sessions_user_started  (cost=0.00..4.58 rows=11 width=0) (actual time=0.022..0.022 rows=94 loops=1)
--                                                     Index Cond: ((user_id = c_1.user_id) AND (started_at >= ((c_1.first_day + make_interval(0, 0, 0, 0, c_1.day_start_hour, 0, '0'::double precision)) AT TIME ZONE c_1.time_zone)) AND (started_at < (((c_1.last_day + 1) + make_interval(0, 0, 0, 0, c_1.day_start_hour, 0, '0'::double precision)) AT TIME ZONE c_1.time_zone)))
--                                                     Buffers: shared hit=3 read=1
--   Planning:
--     Buffers: shared hit=30
--   Planning Time: 1.639 ms
--   Execution Time: 1.851 ms
PREPARE series AS
WITH c AS (
	SELECT me.user_id, st.time_zone, st.day_start_hour, st.week_start, r.first_day, r.last_day,
	       me.user_id IS NOT NULL AND r.ok AS ok
FROM (VALUES (1)) AS one
LEFT JOIN sessions me ON me.token_hash = $1::bytea AND me.expires_at > now()
LEFT JOIN focus_settings st ON st.user_id = me.user_id
	LEFT JOIN LATERAL focus_series_range($4::text, st.week_start, $2::date, $3::date, $5::integer) r ON true),
agg AS (
	SELECT focus_bucket_start(focus_local_day(f.started_at, c.time_zone, c.day_start_hour), $4::text, c.week_start) AS start,
	       count(*) FILTER (WHERE f.status = 'completed' AND f.mode = 'focus') AS completed_focus,
	       coalesce(sum(f.focused_seconds) FILTER (WHERE f.status = 'completed' AND f.mode = 'focus'), 0) AS focus_seconds,
	       count(*) FILTER (WHERE f.status = 'completed') AS completed_sessions,
	       count(*) FILTER (WHERE f.status = 'abandoned') AS abandoned_sessions,
	       coalesce(sum(f.xp_awarded), 0) AS xp_earned
	FROM c JOIN focus_sessions f ON f.user_id = c.user_id
	WHERE c.ok AND f.started_at >= focus_day_start(c.first_day, c.time_zone, c.day_start_hour)
	  AND f.started_at < focus_day_start(c.last_day + 1, c.time_zone, c.day_start_hour)
	GROUP BY 1)
SELECT CASE WHEN c.user_id IS NULL THEN 'unauthorized' WHEN NOT c.ok THEN 'bad_request' ELSE 'ok' END AS outcome,
	c.user_id, c.time_zone, to_char(c.first_day, 'YYYY-MM-DD') AS first_day, to_char(c.last_day, 'YYYY-MM-DD') AS last_day,
	to_char(b.start, 'YYYY-MM-DD') AS start, coalesce(a.completed_focus, 0) AS completed_focus,
	coalesce(a.focus_seconds, 0) AS focus_seconds, coalesce(a.completed_sessions, 0) AS completed_sessions,
	coalesce(a.abandoned_sessions, 0) AS abandoned_sessions, coalesce(a.xp_earned, 0) AS xp_earned
FROM c LEFT JOIN LATERAL (
	SELECT g::date AS start FROM generate_series(c.first_day::timestamp, c.last_day::timestamp, focus_bucket_step($4::text)) g
	WHERE c.ok) b ON true
LEFT JOIN agg a ON a.start = b.start
ORDER BY b.start;

-- == progress
-- GET /api/focus/progress: level, XP, coins, the streak by local day and today's count against the daily goal.
-- index: focus_sessions_user_started; expected plan: Index Scan using focus_sessions_user_started
-- median execution: 0.178 ms over 11 runs
-- plan:
--   Nested Loop Left Join  (cost=73.98..277.42 rows=2 width=120) (actual time=0.132..0.138 rows=1 loops=1)
--     Buffers: shared hit=17 read=3
--     CTE c
--       ->  Nested Loop Left Join  (cost=0.70..16.80 rows=1 width=32) (actual time=0.012..0.013 rows=1 loops=1)
--             Buffers: shared hit=7
--             ->  Result  (cost=0.00..0.01 rows=1 width=0) (actual time=0.000..0.000 rows=1 loops=1)
--             ->  Nested Loop Left Join  (cost=0.70..16.74 rows=1 width=28) (actual time=0.009..0.009 rows=1 loops=1)
--                   Buffers: shared hit=7
--                   ->  Index Scan using sessions_pkey on sessions me  (cost=0.41..8.44 rows=1 width=16) (actual time=0.005..0.005 rows=1 loops=1)
--                         Index Cond: (token_hash = $1)
--                         Filter: (expires_at > now())
--                         Buffers: shared hit=4
--                   ->  Index Scan using focus_settings_pkey on focus_settings st  (cost=0.29..8.30 rows=1 width=28) (actual time=0.003..0.003 rows=1 loops=1)
--                         Index Cond: (user_id = me.user_id)
--                         Buffers: shared hit=3
--     ->  Nested Loop  (cost=48.88..64.96 rows=1 width=96) (actual time=0.051..0.052 rows=1 loops=1)
--           Buffers: shared hit=14 read=3
--           ->  Nested Loop Left Join  (cost=0.57..16.63 rows=1 width=80) (actual time=0.042..0.042 rows=1 loops=1)
--                 Buffers: shared hit=10 read=3
--                 ->  Nested Loop Left Join  (cost=0.29..8.32 rows=1 width=72) (actual time=0.020..0.021 rows=1 loops=1)
--                       Buffers: shared hit=10
--                       ->  CTE Scan on c  (cost=0.00..0.02 rows=1 width=60) (actual time=0.013..0.013 rows=1 loops=1)
--                             Buffers: shared hit=7
--                       ->  Index Scan using user_progress_pkey on user_progress p  (cost=0.29..8.30 rows=1 width=28) (actual time=0.006..0.006 rows=1 loops=1)
--                             Index Cond: (user_id = c.user_id)
--                             Buffers: shared hit=3
--                 ->  Index Scan using user_wallet_pkey on user_wallet w  (cost=0.29..8.30 rows=1 width=24) (actual time=0.021..0.021 rows=1 loops=1)
--                       Index Cond: (user_id = c.user_id)
--                       Buffers: shared read=3
--           ->  Aggregate  (cost=48.31..48.32 rows=1 width=16) (actual time=0.008..0.009 rows=1 loops=1)
--                 Buffers: shared hit=4
--                 ->  Nested Loop  (cost=4.58..48.28 rows=5 width=4) (actual time=0.008..0.008 rows=0 loops=1)
--                       Buffers: shared hit=4
--                       ->  CTE Scan on c c_1  (cost=0.00..0.02 rows=1 width=56) (actual time=0.000..0.001 rows=1 loops=1)
--                       ->  Bitmap Heap Scan on focus_sessions f  (cost=4.58..48.21 rows=5 width=28) (actual time=0.005..0.006 rows=0 loops=1)
--                             Recheck Cond: ((user_id = c_1.user_id) AND (started_at >= ((c_1.today + make_interval(0, 0, 0, 0, c_1.day_start_hour, 0, '0'::double precision)) AT TIME ZONE c_1.time_zone)) AND (started_at < (((c_1.today + 1) + make_interval(0, 0, 0, 0, c_1.day_start_hour, 0, '0'::double precision)) AT TIME ZONE c_1.time_zone)))
--                             Filter: (((status)::text = 'completed'::text) AND ((mode)::text = 'focus'::text))
--                             Rows Removed by Filter: 1
--                             Heap Blocks: exact=1
--                             Buffers: shared hit=4
--                             ->  Bitmap Index Scan on focus_sessions_user_started  (cost=0.00..4.58 rows=11 width=0) (actual time=0.003..0.003 rows=1 loops=1)
--                                   Index Cond: ((user_id = c_1.user_id) AND (started_at >= ((c_1.today + make_interval(0, 0, 0, 0, c_1.day_start_hour, 0, '0'::double precision)) AT TIME ZONE c_1.time_zone)) AND (started_at < (((c_1.today + 1) + make_interval(0, 0, 0, 0, c_1.day_start_hour, 0, '0'::double precision)) AT TIME ZONE c_1.time_zone)))
--                                   Buffers: shared hit=3
--     ->  Append  (cost=8.31..195.05 rows=2 width=21) (actual time=0.011..0.014 rows=1 loops=1)
--           Buffers: shared hit=3
--           CTE k
--             ->  Index Scan using user_streaks_pkey on user_streaks s  (cost=0.29..8.31 rows=1 width=20) (actual time=0.009..0.009 rows=1 loops=1)
--                   Index Cond: (user_id = $2)
--                   Filter: ((time_zone = $3) AND (day_start_hour = $4))
--                   Buffers: shared hit=3
--           ->  CTE Scan on k  (cost=0.00..0.03 rows=1 width=21) (actual time=0.010..0.011 rows=1 loops=1)
--                 Buffers: shared hit=3
--           ->  Result  (cost=186.68..186.70 rows=1 width=21) (actual time=0.001..0.002 rows=0 loops=1)
--                 One-Time Filter: (NOT $7)
--                 InitPlan 3 (returns $6)
--                   ->  Index Scan using user_streaks_pkey on user_streaks s_1  (cost=0.29..8.30 rows=1 width=8) (never executed)
--                         Index Cond: (user_id = $2)
--                 InitPlan 4 (returns $7)
--                   ->  CTE Scan on k k_1  (cost=0.00..0.02 rows=1 width=0) (actual time=0.000..0.000 rows=1 loops=1)
--                 ->  Result  (cost=178.36..178.37 rows=1 width=12) (never executed)
--                       CTE runs
--                         ->  GroupAggregate  (cost=174.36..175.33 rows=43 width=12) (never executed)
--                               Group Key: d.run
--                               ->  Sort  (cost=174.36..174.47 rows=43 width=8) (never executed)
--                                     Sort Key: d.run
--                                     ->  Subquery Scan on d  (cost=171.80..173.19 rows=43 width=8) (never executed)
--                                           ->  WindowAgg  (cost=171.80..172.76 rows=43 width=8) (never executed)
--                                                 ->  Sort  (cost=171.80..171.90 rows=43 width=4) (never executed)
--                                                       Sort Key: (((((f_1.started_at AT TIME ZONE $3) - make_interval(0, 0, 0, 0, $4, 0, '0'::double precision)))::date - ((f_1.started_at < (((((f_1.started_at AT TIME ZONE $3) - make_interval(0, 0, 0, 0, $4, 0, '0'::double precision)))::date + make_interval(0, 0, 0, 0, $4, 0, '0'::double precision)) AT TIME ZONE $3)))::integer))
--                                                       ->  HashAggregate  (cost=169.77..170.20 rows=43 width=4) (never executed)
--                                                             Group Key: (((((f_1.started_at AT TIME ZONE $3) - make_interval(0, 0, 0, 0, $4, 0, '0'::double precision)))::date - ((f_1.started_at < (((((f_1.started_at AT TIME ZONE $3) - make_interval(0, 0, 0, 0, $4, 0, '0'::double precision)))::date + make_interval(0, 0, 0, 0, $4, 0, '0'::double precision)) AT TIME ZONE $3)))::integer))
--                                                             ->  Append  (cost=4.75..169.66 rows=43 width=4) (never executed)
--                                                                   ->  Bitmap Heap Scan on focus_sessions f_1  (cost=4.75..169.01 rows=42 width=4) (never executed)
--                                                                         Recheck Cond: ((user_id = $2) AND ((status)::text = 'completed'::text) AND ((mode)::text = 'focus'::text) AND ((source)::text = 'timer'::text))
--                                                                         ->  Bitmap Index Scan on focus_sessions_streak  (cost=0.00..4.74 rows=42 width=0) (never executed)
--                                                                               Index Cond: (user_id = $2)
--                                                                   ->  Result  (cost=0.00..0.01 rows=1 width=4) (never executed)
--                                                                         One-Time Filter: false
--                       InitPlan 6 (returns $9)
--                         ->  Aggregate  (cost=0.97..0.98 rows=1 width=4) (never executed)
--                               ->  CTE Scan on runs r  (cost=0.00..0.86 rows=43 width=4) (never executed)
--                       InitPlan 7 (returns $10)
--                         ->  Limit  (cost=1.08..1.08 rows=1 width=8) (never executed)
--                               ->  Sort  (cost=1.08..1.18 rows=43 width=8) (never executed)
--                                     Sort Key: r_1.last_day DESC
--                                     ->  CTE Scan on runs r_1  (cost=0.00..0.86 rows=43 width=8) (never executed)
--                       InitPlan 8 (returns $11)
--                         ->  Aggregate  (cost=0.97..0.98 rows=1 width=4) (never executed)
--                               ->  CTE Scan on runs r_2  (cost=0.00..0.86 rows=43 width=4) (never executed)
--   Planning:
--     Buffers: shared hit=72 read=1
--   Planning Time: 1.377 ms
--   Execution Time: 0.232 ms
PREPARE progress AS
WITH c AS (
	SELECT me.user_id, st.time_zone, st.day_start_hour, st.daily_goal,
	       focus_local_day(now(), st.time_zone, st.day_start_hour) AS today
FROM (VALUES (1)) AS one
LEFT JOIN sessions me ON me.token_hash = $1::bytea AND me.expires_at > now()
LEFT JOIN focus_settings st ON st.user_id = me.user_id
),
tod AS (
	SELECT count(*) AS completed_focus, coalesce(sum(f.focused_seconds), 0) AS focus_seconds
	FROM c JOIN focus_sessions f ON f.user_id = c.user_id
	WHERE f.status = 'completed' AND f.mode = 'focus'
	  AND f.started_at >= focus_day_start(c.today, c.time_zone, c.day_start_hour)
	  AND f.started_at < focus_day_start(c.today + 1, c.time_zone, c.day_start_hour))
SELECT CASE WHEN c.user_id IS NULL THEN 'unauthorized' ELSE 'ok' END AS outcome, c.user_id,
	coalesce(p.level, 1)::integer AS level, coalesce(p.xp, 0)::bigint AS xp,
	coalesce(p.xp, 0)::bigint - focus_level_floor(coalesce(p.level, 1)) AS xp_into_level,
	focus_level_cost(coalesce(p.level, 1)) AS xp_for_next_level,
	coalesce(w.coins, 0)::bigint AS coins,
	coalesce(focus_streak_current(k.last_day, k.current_days, c.today), 0)::bigint AS streak_current,
	coalesce(k.longest_days, 0)::bigint AS streak_longest,
	tod.completed_focus AS today_completed_focus, tod.focus_seconds AS today_focus_seconds,
	c.daily_goal AS today_goal
FROM c CROSS JOIN tod
LEFT JOIN LATERAL focus_streak_after(c.user_id, c.time_zone, c.day_start_hour, NULL, NULL) k ON true
LEFT JOIN user_progress p ON p.user_id = c.user_id LEFT JOIN user_wallet w ON w.user_id = c.user_id
;

-- == export
-- GET /api/focus/export: the caller's sessions started within local dates (or all), oldest first, streamed.
-- index: focus_sessions_user_started; expected plan: Index Scan Backward using focus_sessions_user_started
-- median execution: 0.180 ms over 11 runs
-- plan:
--   Nested Loop Left Join  (cost=1.14..25.26 rows=1 width=320) (actual time=0.037..0.372 rows=100 loops=1)
--     Buffers: shared hit=113
--     ->  Nested Loop Left Join  (cost=0.70..16.76 rows=1 width=24) (actual time=0.011..0.012 rows=1 loops=1)
--           Buffers: shared hit=7
--           ->  Result  (cost=0.00..0.01 rows=1 width=0) (actual time=0.000..0.001 rows=1 loops=1)
--           ->  Nested Loop Left Join  (cost=0.70..16.74 rows=1 width=24) (actual time=0.009..0.010 rows=1 loops=1)
--                 Buffers: shared hit=7
--                 ->  Index Scan using sessions_pkey on sessions me  (cost=0.41..8.44 rows=1 width=16) (actual time=0.006..0.007 rows=1 loops=1)
--                       Index Cond: (token_hash = $1)
--                       Filter: (expires_at > now())
--                       Buffers: shared hit=4
--                 ->  Index Scan using focus_settings_pkey on focus_settings st  (cost=0.29..8.30 rows=1 width=24) (actual time=0.002..0.003 rows=1 loops=1)
--                       Index Cond: (user_id = me.user_id)
--                       Buffers: shared hit=3
--     ->  Result  (cost=0.44..8.46 rows=1 width=170) (actual time=0.012..0.157 rows=100 loops=1)
--           One-Time Filter: ((($2 IS NULL) = ($3 IS NULL)) AND COALESCE(($2 <= $3), true))
--           Buffers: shared hit=106
--           ->  Index Scan Backward using focus_sessions_user_started on focus_sessions f  (cost=0.44..8.46 rows=1 width=125) (actual time=0.009..0.124 rows=100 loops=1)
--                 Index Cond: ((user_id = me.user_id) AND (started_at >= COALESCE((($2 + make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)) AT TIME ZONE st.time_zone), '-infinity'::timestamp with time zone)) AND (started_at < COALESCE(((($3 + 1) + make_interval(0, 0, 0, 0, st.day_start_hour, 0, '0'::double precision)) AT TIME ZONE st.time_zone), 'infinity'::timestamp with time zone)))
--                 Buffers: shared hit=106
--   Planning:
--     Buffers: shared hit=18
--   Planning Time: 0.481 ms
--   Execution Time: 0.411 ms
PREPARE export AS
WITH c AS (
	SELECT me.user_id, st.time_zone,
	       coalesce(focus_day_start($2::date, st.time_zone, st.day_start_hour), '-infinity') AS lo,
	       coalesce(focus_day_start($3::date + 1, st.time_zone, st.day_start_hour), 'infinity') AS hi,
	       ($2::date IS NULL) = ($3::date IS NULL) AND coalesce($2::date <= $3::date, true) AS ok
FROM (VALUES (1)) AS one
LEFT JOIN sessions me ON me.token_hash = $1::bytea AND me.expires_at > now()
LEFT JOIN focus_settings st ON st.user_id = me.user_id
)
SELECT CASE WHEN c.user_id IS NULL THEN 'unauthorized' WHEN NOT c.ok THEN 'bad_request' ELSE 'ok' END AS outcome,
	c.user_id, x.id, x.mode::text AS mode, x.status::text AS status,
	x.source::text AS source,
	to_char((x.started_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS started_at,
	to_char(x.started_at AT TIME ZONE c.time_zone, 'YYYY-MM-DD"T"HH24:MI:SS') AS started_local,
	to_char((coalesce(x.completed_at, x.abandoned_at)) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS ended_at,
	x.duration_seconds::integer AS duration_seconds, x.focused_seconds, x.xp_awarded::integer AS xp_awarded,
	x.coins_awarded::integer AS coins_awarded, x.task_id, x.task_title::text AS task_title
FROM c LEFT JOIN LATERAL (
	SELECT f.* FROM focus_sessions f
	WHERE f.user_id = c.user_id AND c.ok AND f.started_at >= c.lo AND f.started_at < c.hi
	ORDER BY f.started_at, f.id) x ON true
;

