-- 009_cycle.sql: the Pomodoro cycle run by the server (API.md, "Settings"
-- and "The cycle and the end of a timer"): per-user settings, time's up,
-- auto-start and cycle positions. Applied once by focusctl migrate, after
-- the files before it, on new databases and old ones alike.
--
-- Time's up lives here, in focus_catch_up(), so that every path that
-- completes a session by its timer (a read, a write, focusctl expire)
-- does it the same way, exactly once.

-- Settings: one row per user, made with the user (trigger below) and for
-- every user already there, so that the defaults are written once (the
-- column DEFAULTs), reads are a plain join and a PATCH a plain UPDATE. A
-- lazily created row would need the defaults a second time, in every
-- statement that reads them (COALESCE), and an upsert for each PATCH.
CREATE DOMAIN focus_phase_seconds AS integer CHECK (VALUE BETWEEN 60 AND 86400);

CREATE TABLE focus_settings (
	user_id             uuid PRIMARY KEY REFERENCES users ON DELETE CASCADE,
	focus_seconds       focus_phase_seconds NOT NULL DEFAULT 1500,
	short_break_seconds focus_phase_seconds NOT NULL DEFAULT 300,
	long_break_seconds  focus_phase_seconds NOT NULL DEFAULT 900,
	-- focus sessions per cycle; the last is followed by the long break
	long_break_every    integer NOT NULL DEFAULT 4 CHECK (long_break_every BETWEEN 1 AND 12),
	auto_start_breaks   boolean NOT NULL DEFAULT false,
	auto_start_focus    boolean NOT NULL DEFAULT false,
	daily_goal          integer NOT NULL DEFAULT 8 CHECK (daily_goal BETWEEN 0 AND 48),
	-- an IANA name from pg_timezone_names, checked by the PATCH statement
	-- (a CHECK cannot read a view); at most 64 bytes, the longest is 32
	time_zone           text NOT NULL DEFAULT 'UTC' CHECK (octet_length(time_zone) BETWEEN 1 AND 64),
	day_start_hour      integer NOT NULL DEFAULT 0 CHECK (day_start_hour BETWEEN 0 AND 23),
	week_start          text NOT NULL DEFAULT 'monday' CHECK (week_start IN ('monday', 'sunday')),
	updated_at          timestamptz NOT NULL DEFAULT now()
);

-- The zone names PostgreSQL knows, copied once: reading pg_timezone_names
-- walks the zone files on disk and took 87 ms, on every PATCH that names a
-- zone. focus_zone_ok() looks here first; a name not here (a zone added by
-- a newer tzdata since, or a bad one) is looked up in the live list, after
-- a cheap check that PostgreSQL can use it as a zone at all.
CREATE TABLE focus_time_zones (name text PRIMARY KEY);
INSERT INTO focus_time_zones SELECT DISTINCT name FROM pg_timezone_names;

CREATE FUNCTION focus_zone_ok(zone text) RETURNS boolean
LANGUAGE plpgsql STABLE AS $$
BEGIN
	IF EXISTS (SELECT 1 FROM focus_time_zones z WHERE z.name = zone) THEN
		RETURN true;
	END IF;
	BEGIN
		PERFORM now() AT TIME ZONE zone;
	EXCEPTION WHEN invalid_parameter_value THEN
		RETURN false;
	END;
	RETURN EXISTS (SELECT 1 FROM pg_timezone_names z WHERE z.name = zone);
END
$$;

CREATE FUNCTION focus_settings_create() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO focus_settings (user_id) VALUES (NEW.id) ON CONFLICT DO NOTHING;
	RETURN NULL;
END
$$;
CREATE TRIGGER users_settings AFTER INSERT ON users
	FOR EACH ROW EXECUTE FUNCTION focus_settings_create();
INSERT INTO focus_settings (user_id) SELECT id FROM users ON CONFLICT DO NOTHING;

-- A focus session's place in its cycle (1-based); NULL for breaks and for
-- sessions from before this file.
ALTER TABLE focus_sessions ADD COLUMN cycle_position integer
	CHECK (cycle_position IS NULL OR (cycle_position >= 1 AND mode = 'focus'));

-- Sessions completed by their timer, with what that completion gave: a
-- later POST .../complete on one answers it again as recorded (API.md),
-- where a person's complete, which has no row here, answers 409 the
-- second time.
CREATE TABLE focus_timer_completions (
	session_id     uuid PRIMARY KEY REFERENCES focus_sessions ON DELETE CASCADE,
	new_level      integer NOT NULL,
	leveled_up     boolean NOT NULL,
	streak_current integer NOT NULL,
	streak_longest integer NOT NULL
);

-- Something is due: an active session's timer ran out, or a session has
-- been paused for more than 24 hours (API.md: it becomes expired).
CREATE FUNCTION focus_due(status text, expires_at timestamptz, paused_at timestamptz, at timestamptz)
RETURNS boolean LANGUAGE sql STABLE PARALLEL SAFE AS $$
	SELECT (status = 'active' AND expires_at <= at)
	    OR (status = 'paused' AND paused_at < at - interval '24 hours')
$$;

-- The position the caller's next focus session takes: the focus sessions
-- completed since the last completed long break, plus one. Each focus
-- session carries its own count, so the latest completed focus session or
-- long break gives it (focus_sessions_user_started, newest first, a few
-- rows) instead of a count over the history.
CREATE FUNCTION focus_next_position(uid uuid) RETURNS integer
LANGUAGE sql STABLE PARALLEL SAFE AS $$
	SELECT coalesce((
		SELECT CASE WHEN f.mode = 'long_break' THEN 1 ELSE coalesce(f.cycle_position, 1) + 1 END
		FROM focus_sessions f
		WHERE f.user_id = uid AND f.status = 'completed' AND f.mode IN ('focus', 'long_break')
		ORDER BY f.started_at DESC, f.id DESC LIMIT 1), 1)
$$;

-- What the cycle does next (API.md `next`), from the caller's open session
-- or, when there is none, the latest completed one: after a focus session
-- a break, a long break after the cycle's last; after a break, focus.
-- auto_start says whether it will start by itself when the open session's
-- timer runs out: never when nothing runs, and never after a long break
-- (a cycle ends there).
CREATE FUNCTION focus_next(uid uuid)
RETURNS TABLE (mode text, duration_seconds integer, cycle_position integer, auto_start boolean)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
	WITH ref AS (
		SELECT * FROM (
			SELECT f.mode::text AS mode, f.cycle_position, true AS open
			FROM focus_sessions f WHERE f.user_id = uid AND f.open
			UNION ALL
			(SELECT f.mode::text, f.cycle_position, false FROM focus_sessions f
			 WHERE f.user_id = uid AND f.status = 'completed'
			 ORDER BY f.started_at DESC, f.id DESC LIMIT 1)) r
		LIMIT 1),
	nx AS (
		SELECT st.*, r.mode AS ref_mode, coalesce(r.open, false) AS running,
		       CASE WHEN r.mode = 'focus' THEN
		                CASE WHEN coalesce(r.cycle_position, 1) >= st.long_break_every
		                     THEN 'long_break' ELSE 'break' END
		            ELSE 'focus' END AS next_mode
		FROM focus_settings st LEFT JOIN ref r ON true
		WHERE st.user_id = uid)
	SELECT n.next_mode,
	       CASE n.next_mode WHEN 'focus' THEN n.focus_seconds::integer
	                        WHEN 'break' THEN n.short_break_seconds::integer
	                        ELSE n.long_break_seconds::integer END,
	       CASE WHEN n.next_mode <> 'focus' THEN NULL
	            WHEN n.ref_mode = 'long_break' THEN 1
	            ELSE focus_next_position(uid) END,
	       n.running AND CASE WHEN n.next_mode = 'focus'
	                          THEN n.auto_start_focus AND n.ref_mode <> 'long_break'
	                          ELSE n.auto_start_breaks END
	FROM nx n
$$;

-- Time's up for one user, in the caller's transaction: the open session
-- whose timer ran out is completed at its expires_at with the full reward
-- (ledger, progress, wallet and streak as sessions_update writes them,
-- under the same idempotency key), and recorded as the timer's; then the
-- phase the cycle calls for starts at that expires_at when it auto-starts,
-- and so on while the new phase has run out too. The chain is bounded: it
-- never passes the end of a long break, and a cycle reaches its long break
-- within long_break_every (<= 12) focus sessions. A session paused for
-- more than 24 hours becomes expired. Returns the number of sessions it
-- changed.
--
-- VOLATILE on purpose: each of its queries takes a new snapshot, so it
-- sees what it (and a concurrent caller that won a row lock) wrote. The
-- fast path, nothing due, is one lookup on focus_sessions_one_open and
-- writes nothing, not even a row lock.
CREATE FUNCTION focus_catch_up(uid uuid) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
	s        focus_sessions;
	nx       record;
	changed  integer := 0;
	xp       integer;
	coins    integer;
	granted  integer;
	old_lvl  integer;
	new_lvl  integer;
	day      date;
	cur      integer;
	longest  integer;
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
			IF s.mode = 'focus' THEN
				-- the UTC day the timer ran out on, not the day it is
				-- noticed; a day before the last one counted changes nothing
				day := (s.expires_at AT TIME ZONE 'UTC')::date;
				INSERT INTO user_streaks AS k (user_id, current_days, longest_days, last_day)
				VALUES (uid, 1, 1, day)
				ON CONFLICT (user_id) DO UPDATE SET
					current_days = CASE WHEN excluded.last_day <= k.last_day THEN k.current_days
						ELSE focus_streak_next(k.last_day, k.current_days, excluded.last_day) END,
					longest_days = greatest(k.longest_days, CASE WHEN excluded.last_day <= k.last_day
						THEN k.current_days ELSE focus_streak_next(k.last_day, k.current_days, excluded.last_day) END),
					last_day = greatest(k.last_day, excluded.last_day);
			END IF;
			SELECT focus_streak_current(k.last_day, k.current_days, (now() AT TIME ZONE 'UTC')::date),
			       k.longest_days
			INTO cur, longest FROM user_streaks k WHERE k.user_id = uid;
			INSERT INTO focus_timer_completions (session_id, new_level, leveled_up, streak_current, streak_longest)
			VALUES (s.id, new_lvl, new_lvl <> old_lvl, coalesce(cur, 0), coalesce(longest, 0));
		END IF;

		EXIT WHEN nx.mode IS NULL OR NOT nx.auto_start;
		INSERT INTO focus_sessions (user_id, mode, duration_seconds, started_at, expires_at, cycle_position)
		VALUES (uid, nx.mode, nx.duration_seconds, s.expires_at,
		        s.expires_at + make_interval(secs => nx.duration_seconds), nx.cycle_position);
	END LOOP;
	RETURN changed;
END
$$;

-- The old rule (an active session whose timer ran out longer ago than its
-- duration expired) is gone: time's up completes it instead. The
-- functions stay for old statements prepared by a running service until
-- it restarts; nothing new calls them.
