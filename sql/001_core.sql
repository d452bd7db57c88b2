-- 001_core.sql: users, auth sessions, focus sessions, rewards.
-- The invariants of the service live here, not in check-then-act code:
--   * focus_sessions_one_open: at most one active-or-paused session per user;
--   * the CHECKs of focus_sessions: each status has exactly its timestamps
--     (paused_at only while paused, and so on);
--   * points_ledger.idempotency_key: a session's reward is granted once.
-- The pause state of API.md is the paused session's own row: paused_at,
-- and expires_at frozen while paused (focus_pause_text). A separate table
-- held a copy that two deferred foreign keys had to keep in step, and
-- every pause, resume, start and complete wrote it (t/bench/README.md).

CREATE TABLE users (
	id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	name          text NOT NULL UNIQUE CHECK (char_length(name) BETWEEN 1 AND 64),
	-- argon2id encoded string ($argon2id$v=19$...), NULL: no browser sign-in
	password_hash text CHECK (password_hash LIKE '$argon2id$%'),
	created_at    timestamptz NOT NULL DEFAULT now()
);

-- Auth sessions (API tokens and browser sign-ins). Only SHA-256 of the
-- token is stored; the token itself is shown once and never kept.
CREATE TABLE sessions (
	token_hash bytea PRIMARY KEY CHECK (octet_length(token_hash) = 32),
	user_id    uuid NOT NULL REFERENCES users ON DELETE CASCADE,
	created_at timestamptz NOT NULL DEFAULT now(),
	expires_at timestamptz NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE focus_sessions (
	id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	user_id          uuid NOT NULL REFERENCES users ON DELETE CASCADE,
	mode             text NOT NULL CHECK (mode IN ('focus', 'break', 'long_break')),
	duration_seconds integer NOT NULL CHECK (duration_seconds BETWEEN 1 AND 86400),
	started_at       timestamptz NOT NULL DEFAULT now(),
	-- when the timer runs out; frozen while paused, moved on resume
	expires_at       timestamptz NOT NULL,
	paused_at        timestamptz,
	completed_at     timestamptz,
	abandoned_at     timestamptz,
	status           text NOT NULL DEFAULT 'active'
	                 CHECK (status IN ('active', 'paused', 'completed', 'abandoned', 'expired')),
	focused_seconds  integer CHECK (focused_seconds BETWEEN 0 AND duration_seconds),
	xp_awarded       integer NOT NULL DEFAULT 0 CHECK (xp_awarded >= 0),
	coins_awarded    integer NOT NULL DEFAULT 0 CHECK (coins_awarded >= 0),
	task_id          uuid,
	task_title       text CHECK (char_length(task_title) <= 200),
	CHECK ((status = 'paused') = (paused_at IS NOT NULL)),
	CHECK ((status = 'completed') = (completed_at IS NOT NULL)),
	CHECK ((status = 'completed') = (focused_seconds IS NOT NULL)),
	CHECK ((status = 'abandoned') = (abandoned_at IS NOT NULL)),
	CHECK (expires_at >= started_at)
);
-- One open session per user; also the index every "my open session" lookup uses.
CREATE UNIQUE INDEX focus_sessions_one_open ON focus_sessions (user_id)
	WHERE status IN ('active', 'paused');
-- History pages (newest first), exact per-user counts and stats by period.
CREATE INDEX focus_sessions_user_started ON focus_sessions (user_id, started_at DESC, id DESC);

CREATE TABLE user_progress (
	user_id    uuid PRIMARY KEY REFERENCES users ON DELETE CASCADE,
	xp         bigint NOT NULL DEFAULT 0 CHECK (xp >= 0),
	level      integer NOT NULL DEFAULT 1 CHECK (level >= 1),
	updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE user_wallet (
	user_id    uuid PRIMARY KEY REFERENCES users ON DELETE CASCADE,
	coins      bigint NOT NULL DEFAULT 0 CHECK (coins >= 0),
	updated_at timestamptz NOT NULL DEFAULT now()
);

-- Every reward granted, once: the idempotency key is 'focus_complete:<session id>'.
CREATE TABLE points_ledger (
	id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	user_id         uuid NOT NULL REFERENCES users ON DELETE CASCADE,
	session_id      uuid NOT NULL REFERENCES focus_sessions ON DELETE CASCADE,
	idempotency_key text NOT NULL UNIQUE,
	xp              integer NOT NULL CHECK (xp >= 0),
	coins           integer NOT NULL CHECK (coins >= 0),
	created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX points_ledger_user ON points_ledger (user_id);
CREATE INDEX points_ledger_session ON points_ledger (session_id);

CREATE TABLE user_streaks (
	user_id      uuid PRIMARY KEY REFERENCES users ON DELETE CASCADE,
	current_days integer NOT NULL CHECK (current_days >= 1),
	longest_days integer NOT NULL CHECK (longest_days >= current_days),
	last_day     date NOT NULL   -- UTC day of the latest completed focus session
);

-- Failed sign-ins, kept in the database so that every worker agrees on the limit.
CREATE TABLE login_failures (
	id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	name      text NOT NULL,
	client    text NOT NULL,
	failed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_failures_name ON login_failures (name, failed_at);
CREATE INDEX login_failures_client ON login_failures (client, failed_at);

-- ---------------------------------------------------------------------
-- Functions shared by the registered statements (src/stmt.c). They are
-- small, side-effect free (but focus_expire) and written once here so that
-- the statements agree on what "vanished", "remaining" and a reward mean.
-- The time helpers are STABLE, not IMMUTABLE: timestamptz - interval
-- depends on the time zone setting, and PostgreSQL inlines a SQL function
-- only when its body is no more volatile than declared (inlined, they cost
-- nothing per row). The response objects are built as JSON text (see
-- focus_session_text); the few wrappers built by json_build_object are
-- json, not jsonb, which would sort and encode keys (t/bench/README.md).

-- A timestamp as a JSON value: RFC 3339 UTC with milliseconds and a Z
-- suffix (API.md "Timestamps") in quotes, or null.
CREATE FUNCTION focus_ts_json(t timestamptz) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $$
	SELECT coalesce('"' || to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || '"', 'null')
$$;

-- An active session whose timer ran out longer ago than its own duration:
-- the client vanished, and the session counts as expired.
CREATE FUNCTION focus_vanished(status text, expires_at timestamptz, duration_seconds integer, at timestamptz)
RETURNS boolean LANGUAGE sql STABLE PARALLEL SAFE AS $$
	SELECT status = 'active' AND expires_at < at - make_interval(secs => duration_seconds)
$$;

CREATE FUNCTION focus_status(status text, expires_at timestamptz, duration_seconds integer, at timestamptz)
RETURNS text LANGUAGE sql STABLE PARALLEL SAFE AS $$
	SELECT CASE WHEN focus_vanished(status, expires_at, duration_seconds, at) THEN 'expired' ELSE status END
$$;

-- Whole seconds left: ceil(max(0, expires_at - now)), frozen at paused_at while paused.
CREATE FUNCTION focus_remaining_s(expires_at timestamptz, paused_at timestamptz, at timestamptz)
RETURNS integer LANGUAGE sql STABLE PARALLEL SAFE AS $$
	SELECT ceil(greatest(0, extract(epoch FROM expires_at - coalesce(paused_at, at))))::integer
$$;

-- Rewards (API.md): full when the timer ran out, else only the time focused.
CREATE FUNCTION focus_reward_xp(mode text, duration_seconds integer, remaining_s integer)
RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT CASE
		WHEN remaining_s = 0 THEN
			CASE mode WHEN 'focus' THEN greatest(5, duration_seconds / 60)
			          WHEN 'break' THEN 2 ELSE 3 END
		WHEN mode = 'focus' THEN (duration_seconds - remaining_s) / 60
		ELSE 0 END
$$;

CREATE FUNCTION focus_reward_coins(mode text, duration_seconds integer, remaining_s integer)
RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT CASE
		WHEN remaining_s = 0 THEN
			CASE mode WHEN 'focus' THEN greatest(2, duration_seconds / 300)
			          WHEN 'break' THEN 0 ELSE 1 END
		WHEN mode = 'focus' THEN (duration_seconds - remaining_s) / 300
		ELSE 0 END
$$;

-- Level for a running XP total: levels start at 1, and reaching L+1 from L
-- costs floor(100 * L^1.5) more XP. L * sqrt(L) is exact for the squares,
-- where a binary power() could land a hair below an integer.
CREATE FUNCTION focus_level_for_xp(xp bigint) RETURNS integer
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
	lvl  integer := 1;
	need bigint := 0;
BEGIN
	LOOP
		need := need + floor(100 * lvl * sqrt(lvl::numeric))::bigint;
		EXIT WHEN xp < need;
		lvl := lvl + 1;
	END LOOP;
	RETURN lvl;
END
$$;

-- Streak after a completed focus session on day `today`.
CREATE FUNCTION focus_streak_next(last_day date, current_days integer, today date)
RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT CASE WHEN last_day = today THEN current_days
	            WHEN last_day = today - 1 THEN current_days + 1
	            ELSE 1 END
$$;

-- The run a reader sees: it ends today or yesterday, else it is broken (0).
CREATE FUNCTION focus_streak_current(last_day date, current_days integer, today date)
RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT CASE WHEN last_day >= today - 1 THEN current_days ELSE 0 END
$$;

-- The Session object of API.md as JSON text, seen at `at`:
-- time_remaining_seconds only while active or paused (a vanished session
-- reads as expired). Built as text, not with json_build_object (which
-- looks up the type and output function of each of its 16 arguments on
-- every row) and not cast to json (which parses it again): the response
-- is text, and statements that embed an object in a json value cast it
-- there (t/bench/README.md has the measurements). The CHECKs on
-- focus_sessions make the columns agree with the status (paused_at only
-- while paused, completed_at only once completed, ...), so each is
-- written as stored. mode and status are CHECKed words that need no
-- escaping; task_title goes through to_json. A NULL row gives NULL.
CREATE FUNCTION focus_session_text(s focus_sessions, at timestamptz) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $$
	SELECT '{"id":"' || s.id || '","mode":"' || s.mode
		|| '","duration_seconds":' || s.duration_seconds
		|| ',"started_at":' || focus_ts_json(s.started_at)
		|| ',"expires_at":' || focus_ts_json(s.expires_at)
		|| ',"paused_at":' || focus_ts_json(s.paused_at)
		|| ',"completed_at":' || focus_ts_json(s.completed_at)
		|| ',"abandoned_at":' || focus_ts_json(s.abandoned_at)
		|| ',"status":"' || focus_status(s.status, s.expires_at, s.duration_seconds, at) || '"'
		|| CASE WHEN focus_status(s.status, s.expires_at, s.duration_seconds, at) IN ('active', 'paused')
		        THEN ',"time_remaining_seconds":' || focus_remaining_s(s.expires_at, s.paused_at, at)
		        ELSE '' END
		|| ',"focused_seconds":' || coalesce(s.focused_seconds::text, 'null')
		|| ',"xp_awarded":' || s.xp_awarded || ',"coins_awarded":' || s.coins_awarded
		|| ',"task_id":' || coalesce('"' || s.task_id || '"', 'null')
		|| ',"task_title":' || coalesce(to_json(s.task_title)::text, 'null') || '}'
$$;

-- The Pause state object of API.md as JSON text, from the session row:
-- NULL unless the session is paused. The time left is frozen at paused_at.
CREATE FUNCTION focus_pause_text(s focus_sessions) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $$
	SELECT CASE WHEN s.status = 'paused' THEN
		'{"session_id":"' || s.id || '","mode":"' || s.mode
		|| '","time_remaining_seconds":' || focus_remaining_s(s.expires_at, s.paused_at, s.paused_at)
		|| ',"paused_at":' || focus_ts_json(s.paused_at) || '}' END
$$;

-- Lazy expiry for reads (src/stmt.c EXPIRING): called only when the
-- caller's open session has vanished, so a read writes nothing unless
-- there is something to expire. Returns the outcome 'ok' so that it can
-- sit in the outcome column of the statement that calls it.
CREATE FUNCTION focus_expire(session_id uuid) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
	UPDATE focus_sessions f SET status = 'expired'
	WHERE f.id = session_id AND focus_vanished(f.status, f.expires_at, f.duration_seconds, now());
	RETURN 'ok';
END
$$;

-- Ends a statement with an error (and so rolls the whole statement back)
-- when a row changed under it between its snapshot and its update; the
-- worker retries on SQLSTATE 40001 and then sees the new state.
CREATE FUNCTION focus_assert(ok boolean, what text) RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
	IF NOT ok THEN
		RAISE EXCEPTION 'concurrent change: %', what USING ERRCODE = '40001';
	END IF;
	RETURN true;
END
$$;
