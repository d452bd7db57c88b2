-- 012_live.sql: live state across devices (API.md, "Live state across
-- devices"): a per-person state version for ETag/304 on /active, a
-- NOTIFY per committed change for the timer process (src/timer.c), which
-- publishes the person's new /active object to nchan, and the indexes the
-- timer's tick and its next-deadline lookup use.
--
-- Why triggers: every write that changes what /active shows (the route
-- statements, a batch, the lazy catch-up inside a read, the timer's own
-- tick, focusctl, and write routes added later) goes through these two
-- tables, so the version and the notification cannot be forgotten by a
-- new statement. They run inside the writing statement, so the version a
-- reader sees always matches the rows it reads.

-- One row per person who ever changed something, made on the first
-- change (an upsert): a person without a row is at version 0. No foreign
-- key to users: a user's deletion cascades into focus_sessions, whose
-- trigger below would then insert a row referring to the user being
-- deleted. A leftover row of a deleted user holds two numbers.
CREATE TABLE focus_state (
	user_id uuid PRIMARY KEY,
	version bigint NOT NULL DEFAULT 0
);

-- Bump the version of every person in the statement's transition table
-- and tell the timer process (channel focus_state, payload the user id).
-- Statement-level, after the rows: the focus_state row is the last row a
-- statement locks, so writers of one person that lock a session or a
-- settings row first and this row last cannot deadlock on it.
-- NOTIFY folds identical payloads within a transaction into one, so a
-- transaction that changes a person's sessions several times (a start
-- that closes one and opens one; a catch-up chain) notifies once, at
-- commit, and not at all when it rolls back.
CREATE FUNCTION focus_state_bump() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	uid uuid;
BEGIN
	FOR uid IN SELECT DISTINCT user_id FROM changed ORDER BY user_id LOOP
		INSERT INTO focus_state AS s (user_id, version) VALUES (uid, 1)
		ON CONFLICT (user_id) DO UPDATE SET version = s.version + 1;
		PERFORM pg_notify('focus_state', uid::text);
	END LOOP;
	RETURN NULL;
END
$$;

CREATE TRIGGER focus_sessions_state_ins AFTER INSERT ON focus_sessions
	REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION focus_state_bump();
CREATE TRIGGER focus_sessions_state_upd AFTER UPDATE ON focus_sessions
	REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION focus_state_bump();
CREATE TRIGGER focus_sessions_state_del AFTER DELETE ON focus_sessions
	REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION focus_state_bump();
CREATE TRIGGER focus_settings_state_upd AFTER UPDATE ON focus_settings
	REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION focus_state_bump();

-- The timer's tick finds what is due and its next deadline here, for all
-- users at once, without reading every open session: running timers by
-- when they run out, paused ones by when they were paused (+ 24 h).
CREATE INDEX focus_sessions_active_expires ON focus_sessions (expires_at) WHERE status = 'active';
CREATE INDEX focus_sessions_paused_at ON focus_sessions (paused_at) WHERE status = 'paused';

-- One timer process publishes at a time (safe to run twice: the tick's
-- transitions are guarded by focus_catch_up's row locks and the ledger's
-- keys; the advisory lock only keeps a second instance from publishing
-- every change twice). The key is this constant.
CREATE FUNCTION focus_timer_lock_key() RETURNS bigint LANGUAGE sql IMMUTABLE AS $$
	SELECT 7012001::bigint
$$;
