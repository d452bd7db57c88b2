-- 003_open_sessions.sql: an open-session column for HOT pause and resume,
-- and the SQL renderers the worker replaced. Applied once by focusctl
-- migrate, after 001 and 002, on new databases and old ones alike.

-- Active or paused: the one session of a user that may run. Kept by
-- PostgreSQL, never written. The partial unique index that allows one open
-- session per user is on it rather than on status, so that pause and
-- resume (active <-> paused) change no indexed column and their updates
-- are HOT: no new entry in any of the table's indexes (t/bench/README.md,
-- step 16). Statements that want the open session say "AND f.open", which
-- is what lets them use the index. Adding the column rewrites the table
-- once.
ALTER TABLE focus_sessions
	ADD COLUMN open boolean NOT NULL GENERATED ALWAYS AS (status IN ('active', 'paused')) STORED;
DROP INDEX focus_sessions_one_open;
CREATE UNIQUE INDEX focus_sessions_one_open ON focus_sessions (user_id) WHERE open;

-- Session and pause objects are written by the worker from binary columns
-- (src/render.c), which applies focus_vanished() and focus_remaining_s()
-- to the statement's now() exactly as 001_core.sql writes them. Library
-- and track objects are still built here (002_libraries.sql).
DROP FUNCTION IF EXISTS focus_session_text(focus_sessions, timestamptz);
DROP FUNCTION IF EXISTS focus_pause_text(focus_sessions);
