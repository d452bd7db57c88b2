-- 010_history.sql: history a person can correct (API.md "History a person
-- can correct", issue 17): manual sessions, edits and deletes, no overlap
-- of one person's sessions, and idempotency keys.

-- Where a session comes from: 'timer' (timed live) or 'manual' (entered
-- afterwards through the batch's create). A constant default is stored in
-- the catalog, not written into every row: the sessions already there
-- read as 'timer' at once.
CREATE DOMAIN focus_source AS text CHECK (VALUE IN ('timer', 'manual'));
ALTER TABLE focus_sessions ADD COLUMN source focus_source NOT NULL DEFAULT 'timer';
-- a manual session is entered once it is over: it is completed, and it
-- was never part of a cycle
ALTER TABLE focus_sessions ADD CONSTRAINT focus_sessions_manual_closed
	CHECK (source = 'timer' OR (status = 'completed' AND cycle_position IS NULL));

-- When a session stops occupying time: an open session spans from its
-- start to now, which no stored value can say, so it holds 'infinity'
-- (any later session overlaps it); a closed one ends when it was
-- completed or abandoned, an expired one when its timer ran out, and
-- never before it started: a start that waited for the user lock behind
-- another start abandons that one at its own now(), the moment its
-- transaction began, which may be earlier than the other's start (that
-- session then occupied no time at all: an empty range). Kept by
-- PostgreSQL from the status and timestamps, so no statement that opens
-- or closes a session (start, next, the catch-up's auto-start, complete,
-- abandon, expiry) has to remember it. Pause and resume change no value
-- of it (infinity either way), so their updates stay HOT.
ALTER TABLE focus_sessions ADD COLUMN ends_at timestamptz NOT NULL GENERATED ALWAYS AS (
	CASE WHEN status IN ('active', 'paused') THEN 'infinity'::timestamptz
	     ELSE greatest(started_at, coalesce(completed_at, abandoned_at, expires_at)) END) STORED;

-- No two sessions of one person overlap in time: the invariant lives
-- here, so concurrent creates, edits and starts cannot both commit an
-- overlap (the second waits for the first and fails with 23P01; the
-- worker runs its statement again, whose check then names the item).
-- Ranges are half-open, so a session that starts the moment another
-- ends (time's up and auto-start, a start after an abandon) does not
-- overlap it. btree_gist gives uuid its "=" in a GiST index.
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE focus_sessions ADD CONSTRAINT focus_sessions_no_overlap
	EXCLUDE USING gist (user_id WITH =, tstzrange(started_at, ends_at) WITH &&);

-- A deleted session leaves history, stats and series, but the rewards it
-- granted stay granted: the ledger records grants, not sessions, so its
-- rows outlive their session (session_id NULL, the key still unique:
-- 'focus_complete:<id>' can never be granted twice).
ALTER TABLE points_ledger DROP CONSTRAINT points_ledger_session_id_fkey;
ALTER TABLE points_ledger ALTER COLUMN session_id DROP NOT NULL;
ALTER TABLE points_ledger ADD CONSTRAINT points_ledger_session_id_fkey
	FOREIGN KEY (session_id) REFERENCES focus_sessions ON DELETE SET NULL;

-- Idempotency keys (API.md "Idempotency-Key"): a write that carries a key
-- is claimed here (status NULL) in the transaction that does it, and its
-- answer stored in the same transaction before it commits, so a key's row
-- is either absent or complete with status and body: a repeat never sees
-- a write without its answer. request_hash is the SHA-256 of the method,
-- path and body. Kept 24 hours: focusctl expire deletes older ones, and a
-- claim replaces an older one of the same key.
CREATE TABLE idempotency_keys (
	user_id      uuid NOT NULL REFERENCES users ON DELETE CASCADE,
	key          text NOT NULL CHECK (octet_length(key) BETWEEN 1 AND 64),
	request_hash bytea NOT NULL CHECK (octet_length(request_hash) = 32),
	status       integer CHECK (status BETWEEN 200 AND 599),
	body         text,
	created_at   timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (user_id, key)
);
-- focusctl expire: the keys past their 24 hours, oldest first
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
