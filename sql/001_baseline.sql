-- 001_baseline.sql: the whole schema of the service, as it is today.
-- Later changes are new numbered files (002_..., applied in order by
-- focusctl migrate); this one is never edited once deployed.
--
-- The invariants of the service live here, not in check-then-act code:
--   * focus_sessions_one_open: at most one active-or-paused session per user;
--   * the CHECKs of focus_sessions: each status has exactly its timestamps
--     (paused_at only while paused, and so on);
--   * points_ledger's key, the idempotency key: a session's reward is
--     granted once.
-- The pause state of API.md is the paused session's own row: paused_at,
-- and expires_at frozen while paused. No separate table holds a copy that
-- every pause, resume, start and complete would have to keep in step.
--
-- Single-column rules are domains rather than CHECKs of their tables:
-- PostgreSQL rebuilds a table's CHECK constraints from their stored text,
-- and plans and compiles them, for every statement that writes a row,
-- while a domain's checks stay compiled in the type cache. The rules that
-- tie several columns together stay CHECKs of their table.
--
-- Response objects are written by the worker from binary columns
-- (src/render.c): no function here builds JSON.

CREATE DOMAIN focus_mode AS text CHECK (VALUE IN ('focus', 'break', 'long_break'));
CREATE DOMAIN focus_session_status AS text
	CHECK (VALUE IN ('active', 'paused', 'completed', 'abandoned', 'expired'));
CREATE DOMAIN focus_duration AS integer CHECK (VALUE BETWEEN 1 AND 86400);
CREATE DOMAIN focus_amount AS integer CHECK (VALUE >= 0);
CREATE DOMAIN focus_task_title AS text CHECK (char_length(VALUE) <= 200);
CREATE DOMAIN focus_total AS bigint CHECK (VALUE >= 0);
CREATE DOMAIN focus_positive AS integer CHECK (VALUE >= 1);

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
	mode             focus_mode NOT NULL,
	duration_seconds focus_duration NOT NULL,
	started_at       timestamptz NOT NULL DEFAULT now(),
	-- when the timer runs out; frozen while paused, moved on resume
	expires_at       timestamptz NOT NULL,
	paused_at        timestamptz,
	completed_at     timestamptz,
	abandoned_at     timestamptz,
	status           focus_session_status NOT NULL DEFAULT 'active',
	focused_seconds  integer CHECK (focused_seconds BETWEEN 0 AND duration_seconds),
	xp_awarded       focus_amount NOT NULL DEFAULT 0,
	coins_awarded    focus_amount NOT NULL DEFAULT 0,
	task_id          uuid,
	task_title       focus_task_title,
	-- Active or paused: the one session of a user that may run. Kept by
	-- PostgreSQL, never written. The partial unique index that allows one
	-- open session per user is on it rather than on status, so that pause
	-- and resume (active <-> paused) change no indexed column and their
	-- updates are HOT: no new entry in any of the table's indexes.
	-- Statements that want the open session say "AND f.open", which is
	-- what lets them use the index.
	open             boolean NOT NULL GENERATED ALWAYS AS (status IN ('active', 'paused')) STORED,
	CHECK ((status = 'paused') = (paused_at IS NOT NULL)),
	CHECK ((status = 'completed') = (completed_at IS NOT NULL)),
	CHECK ((status = 'completed') = (focused_seconds IS NOT NULL)),
	CHECK ((status = 'abandoned') = (abandoned_at IS NOT NULL)),
	CHECK (expires_at >= started_at)
);
-- One open session per user; also the index every "my open session" lookup uses.
CREATE UNIQUE INDEX focus_sessions_one_open ON focus_sessions (user_id) WHERE open;
-- History pages (newest first), exact per-user counts and stats by period.
CREATE INDEX focus_sessions_user_started ON focus_sessions (user_id, started_at DESC, id DESC);

CREATE TABLE user_progress (
	user_id    uuid PRIMARY KEY REFERENCES users ON DELETE CASCADE,
	xp         focus_total NOT NULL DEFAULT 0,
	level      focus_positive NOT NULL DEFAULT 1,
	updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE user_wallet (
	user_id    uuid PRIMARY KEY REFERENCES users ON DELETE CASCADE,
	coins      focus_total NOT NULL DEFAULT 0,
	updated_at timestamptz NOT NULL DEFAULT now()
);

-- Every reward granted, once: the idempotency key is 'focus_complete:<session id>'.
-- It is the primary key: a surrogate id would be read by nothing, yet be
-- drawn from a sequence and kept in an index of its own by every complete.
CREATE TABLE points_ledger (
	user_id         uuid NOT NULL REFERENCES users ON DELETE CASCADE,
	session_id      uuid NOT NULL REFERENCES focus_sessions ON DELETE CASCADE,
	idempotency_key text PRIMARY KEY,
	xp              focus_amount NOT NULL,
	coins           focus_amount NOT NULL,
	created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX points_ledger_user ON points_ledger (user_id);
CREATE INDEX points_ledger_session ON points_ledger (session_id);

CREATE TABLE user_streaks (
	user_id      uuid PRIMARY KEY REFERENCES users ON DELETE CASCADE,
	current_days focus_positive NOT NULL,
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
-- Focus-music libraries and their audio tracks. Track bytes live in
-- object storage under "<user_id>/audio/<uuid>.<ext>"; a row is written
-- only after its object exists, and deleted before it.

CREATE TABLE focus_libraries (
	id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	user_id      uuid NOT NULL REFERENCES users ON DELETE CASCADE,
	name         text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
	description  text CHECK (char_length(description) <= 1000),
	library_type text NOT NULL DEFAULT 'custom'
	             CHECK (library_type IN ('custom', 'ambient', 'nature', 'lofi', 'classical', 'white_noise')),
	is_favorite  boolean NOT NULL DEFAULT false,
	created_at   timestamptz NOT NULL DEFAULT now(),
	updated_at   timestamptz NOT NULL DEFAULT now(),
	UNIQUE (id, user_id)      -- target of focus_tracks' owner-consistent key
);
-- The listing order: favorites first, then newest.
CREATE INDEX focus_libraries_user_list ON focus_libraries (user_id, is_favorite DESC, created_at DESC, id DESC);

CREATE TABLE focus_tracks (
	id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	library_id       uuid NOT NULL,
	user_id          uuid NOT NULL,
	track_title      text NOT NULL CHECK (char_length(track_title) BETWEEN 1 AND 200),
	track_url        text CHECK (char_length(track_url) <= 2048),
	mime_type        text NOT NULL,
	size_bytes       bigint NOT NULL DEFAULT 0 CHECK (size_bytes BETWEEN 0 AND 52428800),
	duration_seconds integer CHECK (duration_seconds >= 0),
	storage_key      text UNIQUE CHECK (storage_key LIKE user_id::text || '/audio/%'),
	added_at         timestamptz NOT NULL DEFAULT now(),
	-- a track is stored or linked, never neither
	CHECK (storage_key IS NOT NULL OR track_url IS NOT NULL),
	-- a track belongs to a library of the same user
	FOREIGN KEY (library_id, user_id) REFERENCES focus_libraries (id, user_id) ON DELETE CASCADE
);
CREATE INDEX focus_tracks_library ON focus_tracks (library_id, added_at, id);

-- Pending uploads and the per-user storage quota.
--
-- Before a byte is stored (a signed upload link is handed out, or the
-- direct upload route starts), the key is reserved here with its declared
-- size. Registering the key (POST .../tracks) consumes the reservation in
-- the same statement that writes the track, so only a key this service
-- handed out, to this user, within its time, can become a track; once the
-- reservation has expired the object can never be registered, which is
-- what lets `focusctl storage orphans` delete it safely.
--
-- The quota counts registered tracks plus live reservations, so parallel
-- uploads cannot together exceed it.

CREATE TABLE storage_uploads (
	storage_key text PRIMARY KEY CHECK (storage_key LIKE user_id::text || '/audio/%'),
	user_id     uuid NOT NULL REFERENCES users ON DELETE CASCADE,
	size_bytes  bigint NOT NULL CHECK (size_bytes BETWEEN 1 AND 52428800),
	mime_type   text NOT NULL CHECK (char_length(mime_type) BETWEEN 1 AND 32),
	created_at  timestamptz NOT NULL DEFAULT now(),
	expires_at  timestamptz NOT NULL CHECK (expires_at > created_at)
);
CREATE INDEX storage_uploads_user ON storage_uploads (user_id, expires_at);

-- A user's stored bytes, read by the quota without visiting other rows.
CREATE INDEX focus_tracks_user_stored ON focus_tracks (user_id) INCLUDE (size_bytes)
	WHERE storage_key IS NOT NULL;

-- Reserve p_key for p_size bytes of p_mime for p_valid_s seconds, if the
-- user's stored plus reserved bytes stay within p_quota. true when
-- reserved, false when the quota would be exceeded.
--
-- Reservations of one user are serialized by the lock on the user's row.
-- The function is VOLATILE, so under READ COMMITTED each statement below
-- takes a new snapshot: the sums see every reservation committed by
-- whoever held the lock before, which a single statement's snapshot
-- would not.
CREATE FUNCTION focus_storage_reserve(p_user uuid, p_key text, p_size bigint, p_mime text,
	p_valid_s integer, p_quota bigint) RETURNS boolean
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
	used bigint;
BEGIN
	PERFORM 1 FROM users WHERE id = p_user FOR NO KEY UPDATE;
	-- lapsed reservations: their objects can no longer be registered
	DELETE FROM storage_uploads WHERE user_id = p_user AND expires_at <= now();
	SELECT coalesce((SELECT sum(t.size_bytes) FROM focus_tracks t
	                 WHERE t.user_id = p_user AND t.storage_key IS NOT NULL), 0)
	     + coalesce((SELECT sum(u.size_bytes) FROM storage_uploads u
	                 WHERE u.user_id = p_user), 0)
	  INTO used;
	IF used + p_size > p_quota THEN
		RETURN false;
	END IF;
	INSERT INTO storage_uploads (storage_key, user_id, size_bytes, mime_type, expires_at)
	VALUES (p_key, p_user, p_size, p_mime, now() + make_interval(secs => p_valid_s));
	RETURN true;
END
$$;

-- ---------------------------------------------------------------------
-- Functions shared by the registered statements (src/stmt.c). They are
-- small, side-effect free (but focus_expire and focus_storage_reserve)
-- and written once here so that the statements agree on what "vanished",
-- "remaining" and a reward mean. The time helpers are STABLE, not
-- IMMUTABLE: timestamptz - interval depends on the time zone setting, and
-- PostgreSQL inlines a SQL function only when its body is no more
-- volatile than declared (inlined, they cost nothing per row). The
-- worker's renderer (src/render.c) applies focus_vanished() and
-- focus_remaining_s() to the statement's now() exactly as written here.

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
-- where a binary power() could land a hair below an integer; the square
-- root is float8, not numeric (each complete calls this twice), and gives
-- the same floor(100 * L * sqrt(L)) as numeric for every L from 1 to
-- 1,000,000 (checked in SQL), a level that would take 4 * 10^16 XP.
CREATE FUNCTION focus_level_for_xp(xp bigint) RETURNS integer
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
	lvl  integer := 1;
	need bigint := 0;
BEGIN
	LOOP
		need := need + floor(100 * lvl * sqrt(lvl::float8))::bigint;
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
