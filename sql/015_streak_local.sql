-- 015_streak_local.sql: one streak, by the person's local day (API.md Part
-- 2, "Stats, series and progress in the person's own time": consecutive
-- local days with at least one completed timed focus session). Before
-- this file there were two: GET /api/focus/progress worked it out from
-- the sessions by local day of started_at, while complete, next, batch
-- and the timer's time's-up advanced user_streaks by the UTC day of the
-- completion, so the two disagreed for anyone not on UTC.
--
-- Now the sessions are the truth, and every route counts them the same
-- way: the local day (sql/011_localtime.sql focus_local_day) of a counted
-- session's started_at, in the zone and day start of the settings.
-- user_streaks stays, as a cache of that count for one zone and day
-- start (time_zone, day_start_hour): the latest counted day, the run
-- that ends on it and the longest run. Why a cache and not a count of
-- the sessions at each request (measured on this machine, PostgreSQL 15,
-- EXPLAIN ANALYZE of the generic plan, one person in America/Los_Angeles
-- with a focus session on six days of every seven, among 200,000 seeded
-- sessions; the machine is shared, so the figures are rough):
--     days of history       100      1,000     10,000
--     counting (scan)      0.34 ms   2.5 ms    42-56 ms
--     the cache            0.05-0.3 ms, whatever the history
-- The count reads every counted session of the person (a run-length
-- "longest" cannot be had from the newest rows alone), so a complete
-- would cost more the longer someone uses the service; the cache costs
-- the same on day 1 and in year 10.
--
-- The cache is kept true as follows:
--   * a completion (sessions_update, next, batch: src/stmt.c CLOSE_CTES;
--     time's up: focus_catch_up below) moves it on by the new session's
--     local day (focus_streak_after), as the old counter did by UTC day;
--   * a change of time_zone or day_start_hour makes it another key: not
--     used (the sessions are counted again, and the next write stores the
--     count under the new key);
--   * anything else that adds, removes or moves a counted session (a
--     batch delete; a row written straight into the table) marks it
--     stale, by the triggers below, and the sessions are counted again
--     when next needed. A manual session never counts, so a batch create
--     or update never touches it.
--   * a write stores only over the row it read: generation counts the
--     marks, and a write whose generation is no longer the row's (a
--     delete committed after the writer's snapshot, which it counted
--     without) stores nothing, so a concurrent delete and complete
--     cannot leave a count with the deleted day in it.

-- The counted sessions of a person, read without touching the table (an
-- index-only scan): the scan behind a count.
CREATE INDEX focus_sessions_streak ON focus_sessions (user_id, started_at)
	WHERE status = 'completed' AND mode = 'focus' AND source = 'timer';

-- The cache's key (NULL: stale, never used) and its generation. A stale
-- row keeps no count. Rows written before this file counted UTC days of
-- the completion: gone; the first write after this file stores anew.
DELETE FROM user_streaks;
ALTER TABLE user_streaks ADD COLUMN time_zone text, ADD COLUMN day_start_hour integer,
	ADD COLUMN generation bigint NOT NULL DEFAULT 0,
	ALTER COLUMN current_days DROP NOT NULL, ALTER COLUMN longest_days DROP NOT NULL,
	ALTER COLUMN last_day DROP NOT NULL,
	ADD CHECK ((time_zone IS NULL) = (day_start_hour IS NULL)
	           AND (time_zone IS NULL OR (current_days IS NOT NULL AND longest_days IS NOT NULL
	                                      AND last_day IS NOT NULL)));
COMMENT ON COLUMN user_streaks.last_day IS 'the latest local day counted, in time_zone with day_start_hour';

-- The streak worked out from the sessions: the distinct local days of
-- the counted sessions (less those in skip, plus the day extra, when not
-- NULL), cut into runs of consecutive days (a day minus its rank is the
-- same within a run). last_day is the latest day, current_days the run
-- that ends on it, longest_days the longest run; all NULL when no day
-- counts. skip and extra let a statement count what its own changes will
-- leave, which its snapshot cannot see (a batch's deletes, the session it
-- completes).
CREATE FUNCTION focus_streak_scan(uid uuid, zone text, day_start integer, extra date, skip uuid[])
RETURNS TABLE (last_day date, current_days integer, longest_days integer)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
	WITH days AS (
		SELECT focus_local_day(f.started_at, zone, day_start) AS day
		FROM focus_sessions f
		WHERE f.user_id = uid AND f.status = 'completed' AND f.mode = 'focus' AND f.source = 'timer'
		  AND NOT f.id = ANY (coalesce(skip, '{}'::uuid[]))
		UNION
		SELECT extra WHERE extra IS NOT NULL),
	runs AS (
		SELECT max(d.day) AS last_day, count(*)::integer AS days
		FROM (SELECT day, day - (row_number() OVER (ORDER BY day))::integer AS run FROM days) d
		GROUP BY d.run)
	SELECT (SELECT max(r.last_day) FROM runs r),
	       (SELECT r.days FROM runs r ORDER BY r.last_day DESC LIMIT 1),
	       (SELECT max(r.days) FROM runs r)
$$;

-- The streak after a statement's changes, in the zone and day start
-- given: the cache moved on by day (the local day of a focus session
-- the statement completed; NULL: none) when the cache is for this zone
-- and day start and the statement deletes nothing (skip empty); else the
-- sessions counted (focus_streak_scan, which then runs; it does not when
-- the cache serves: a one-time filter). cached says which: a caller
-- stores the row when it counted, or when day moved it on, over the
-- generation read here (so not over a mark made since). A day before
-- the cache's last day (a completion never gives one: a session that was
-- open started after every closed one) is counted too, never guessed.
-- Plain SQL, inlined into the statements (src/stmt.c), whose plans show
-- both branches.
CREATE FUNCTION focus_streak_after(uid uuid, zone text, day_start integer, day date, skip uuid[])
RETURNS TABLE (last_day date, current_days integer, longest_days integer, cached boolean, generation bigint)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
	WITH k AS (
		SELECT s.last_day, s.current_days, s.longest_days, s.generation FROM user_streaks s
		WHERE s.user_id = uid AND s.time_zone = zone AND s.day_start_hour = day_start
		  AND cardinality(coalesce(skip, '{}'::uuid[])) = 0
		  AND (day IS NULL OR day >= s.last_day))
	SELECT greatest(k.last_day, day),
	       CASE WHEN day IS NULL THEN k.current_days ELSE focus_streak_next(k.last_day, k.current_days, day) END,
	       greatest(k.longest_days,
	                CASE WHEN day IS NULL THEN k.current_days ELSE focus_streak_next(k.last_day, k.current_days, day) END),
	       true, k.generation
	FROM k
	UNION ALL
	SELECT w.last_day, w.current_days, w.longest_days, false,
	       coalesce((SELECT s.generation FROM user_streaks s WHERE s.user_id = uid), 0)
	FROM focus_streak_scan(uid, zone, day_start, day, skip) w
	WHERE NOT EXISTS (SELECT 1 FROM k)
$$;

-- Mark stale the cache of every person whose counted sessions a
-- statement added, removed or moved other than by a completion (which
-- moves the cache on itself), and move its generation on. A person
-- without a row gets a stale one: a count read before from no row
-- (generation 0) must not be stored either. Not for a user being
-- deleted, whose sessions go with it: the users row is gone by then, and
-- a row here would refer to it.
--
-- Inserts and deletes: once per statement and person (transition
-- tables), not per row: a row trigger bumped one person's row once per
-- session, and a bulk insert of 20,000 counted sessions of one person
-- (seeding, tests) took 4.3 s instead of 0.8 s, every bump a new version
-- of the same row. A start's insert (an active session) finds no counted
-- row and writes nothing. Named to fire before focus_sessions_state_*
-- (sql/012_live.sql; a table's triggers fire in name order), so that such
-- a statement locks the person's user_streaks row before focus_state, as
-- a complete does (its streak CTE runs before the statement's triggers).
-- Updates: a row trigger whose WHEN lets only a counted session that
-- stops counting or moves through, which no route does.
-- The marking itself, for the people uids (in id order, so that two
-- statements marking the same people lock their rows alike), shared by
-- both triggers.
CREATE FUNCTION focus_streak_mark_stale(uids uuid[]) RETURNS void LANGUAGE sql AS $$
	INSERT INTO user_streaks AS k (user_id, generation)
	SELECT u.id, 1 FROM users u WHERE u.id = ANY (uids)
	ORDER BY u.id
	ON CONFLICT (user_id) DO UPDATE SET current_days = NULL, longest_days = NULL, last_day = NULL,
		time_zone = NULL, day_start_hour = NULL, generation = k.generation + 1
$$;
CREATE FUNCTION focus_streak_forget() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM focus_streak_mark_stale(ARRAY(SELECT DISTINCT c.user_id FROM changed c
	        WHERE c.status = 'completed' AND c.mode = 'focus' AND c.source = 'timer'));
	RETURN NULL;
END
$$;
CREATE FUNCTION focus_streak_forget_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM focus_streak_mark_stale(ARRAY[OLD.user_id]);
	RETURN NULL;
END
$$;
CREATE TRIGGER focus_sessions_cache_ins AFTER INSERT ON focus_sessions
	REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION focus_streak_forget();
CREATE TRIGGER focus_sessions_cache_del AFTER DELETE ON focus_sessions
	REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION focus_streak_forget();
CREATE TRIGGER focus_sessions_cache_upd AFTER UPDATE ON focus_sessions FOR EACH ROW
	WHEN (OLD.status = 'completed' AND OLD.mode = 'focus' AND OLD.source = 'timer'
	      AND (NEW.status <> 'completed' OR NEW.mode <> 'focus' OR NEW.source <> 'timer'
	           OR NEW.started_at <> OLD.started_at OR NEW.user_id <> OLD.user_id))
	EXECUTE FUNCTION focus_streak_forget_row();

-- Time's up, as in 009_cycle.sql, but for the streak: the local day of
-- the session's started_at (the day progress counts it to), in the
-- person's zone and day start, through the cache (focus_streak_after);
-- the run recorded for a later replay (focus_timer_completions) is the
-- one that ends today or yesterday, local.
CREATE OR REPLACE FUNCTION focus_catch_up(uid uuid) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
	s        focus_sessions;
	nx       record;
	st       focus_settings;
	k        record;
	changed  integer := 0;
	xp       integer;
	coins    integer;
	granted  integer;
	old_lvl  integer;
	new_lvl  integer;
	day      date;
BEGIN
	LOOP
		SELECT * INTO s FROM focus_sessions f WHERE f.user_id = uid AND f.open;
		EXIT WHEN NOT FOUND OR NOT focus_due(s.status, s.expires_at, s.paused_at, now());
		-- lock, then look again: a concurrent complete, pause or catch-up
		-- may have changed it since; then start over from a new snapshot
		SELECT * INTO s FROM focus_sessions f WHERE f.id = s.id AND f.open FOR UPDATE;
		CONTINUE WHEN NOT FOUND;
		EXIT WHEN NOT focus_due(s.status, s.expires_at, s.paused_at, now());

		IF s.status = 'paused' THEN
			UPDATE focus_sessions SET status = 'expired', paused_at = NULL WHERE id = s.id;
			changed := changed + 1;
			EXIT;
		END IF;

		-- what follows it, seen while it is still the open session
		SELECT * INTO nx FROM focus_next(uid);

		xp := focus_reward_xp(s.mode, s.duration_seconds, 0);
		coins := focus_reward_coins(s.mode, s.duration_seconds, 0);
		UPDATE focus_sessions SET status = 'completed', completed_at = s.expires_at,
			focused_seconds = s.duration_seconds, xp_awarded = xp, coins_awarded = coins
		WHERE id = s.id;
		changed := changed + 1;

		INSERT INTO points_ledger (user_id, session_id, idempotency_key, xp, coins)
		VALUES (uid, s.id, 'focus_complete:' || s.id, xp, coins)
		ON CONFLICT (idempotency_key) DO NOTHING;
		GET DIAGNOSTICS granted = ROW_COUNT;
		IF granted = 1 THEN
			old_lvl := coalesce((SELECT p.level FROM user_progress p WHERE p.user_id = uid), 1);
			INSERT INTO user_progress AS p (user_id, xp, level)
			VALUES (uid, xp, focus_level_for_xp(xp))
			ON CONFLICT (user_id) DO UPDATE SET xp = p.xp + excluded.xp,
				level = focus_level_for_xp(p.xp + excluded.xp), updated_at = now()
			RETURNING p.level INTO new_lvl;
			INSERT INTO user_wallet AS w (user_id, coins) VALUES (uid, coins)
			ON CONFLICT (user_id) DO UPDATE SET coins = w.coins + excluded.coins, updated_at = now();
			SELECT * INTO st FROM focus_settings x WHERE x.user_id = uid;
			day := CASE WHEN s.mode = 'focus' THEN focus_local_day(s.started_at, st.time_zone, st.day_start_hour) END;
			SELECT * INTO k FROM focus_streak_after(uid, st.time_zone, st.day_start_hour, day, NULL);
			IF k.last_day IS NOT NULL AND (NOT k.cached OR day IS NOT NULL) THEN
				-- over the row as read: not over a mark made since
				INSERT INTO user_streaks AS c (user_id, current_days, longest_days, last_day, time_zone,
				                               day_start_hour, generation)
				VALUES (uid, k.current_days, k.longest_days, k.last_day, st.time_zone, st.day_start_hour,
				        k.generation)
				ON CONFLICT (user_id) DO UPDATE SET current_days = excluded.current_days,
					longest_days = excluded.longest_days, last_day = excluded.last_day,
					time_zone = excluded.time_zone, day_start_hour = excluded.day_start_hour
				WHERE c.generation = excluded.generation;
			END IF;
			INSERT INTO focus_timer_completions (session_id, new_level, leveled_up, streak_current, streak_longest)
			VALUES (s.id, new_lvl, new_lvl <> old_lvl,
			        coalesce(focus_streak_current(k.last_day, k.current_days,
			                                      focus_local_day(now(), st.time_zone, st.day_start_hour)), 0),
			        coalesce(k.longest_days, 0));
		END IF;

		EXIT WHEN nx.mode IS NULL OR NOT nx.auto_start;
		INSERT INTO focus_sessions (user_id, mode, duration_seconds, started_at, expires_at, cycle_position)
		VALUES (uid, nx.mode, nx.duration_seconds, s.expires_at,
		        s.expires_at + make_interval(secs => nx.duration_seconds), nx.cycle_position);
	END LOOP;
	RETURN changed;
END
$$;
