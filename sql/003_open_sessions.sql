-- 003_open_sessions.sql: domains for the single-column rules of
-- focus_sessions, an open-session column for HOT pause and resume, and the
-- SQL renderers the worker replaced. Applied once by focusctl migrate,
-- after 001 and 002, on new databases and old ones alike.

-- Single-column rules of focus_sessions as domains. PostgreSQL rebuilds a
-- table's CHECK constraints from their stored text, and plans and compiles
-- them, for every statement that writes a row; a domain's checks are kept
-- compiled in the type cache. focus_sessions had twelve CHECKs (8 KB of
-- stored expressions), and with them pause and resume ran at 7,960 pairs/s
-- against 9,790 without any (database only, t/bench/README.md, step 17);
-- with these five domains, 8,980. The rules that tie several columns
-- together stay CHECKs of the table.
CREATE DOMAIN focus_mode AS text CHECK (VALUE IN ('focus', 'break', 'long_break'));
CREATE DOMAIN focus_session_status AS text
	CHECK (VALUE IN ('active', 'paused', 'completed', 'abandoned', 'expired'));
CREATE DOMAIN focus_duration AS integer CHECK (VALUE BETWEEN 1 AND 86400);
CREATE DOMAIN focus_amount AS integer CHECK (VALUE >= 0);
CREATE DOMAIN focus_task_title AS text CHECK (char_length(VALUE) <= 200);

DROP INDEX focus_sessions_one_open;
ALTER TABLE focus_sessions
	DROP CONSTRAINT focus_sessions_mode_check,
	DROP CONSTRAINT focus_sessions_status_check,
	DROP CONSTRAINT focus_sessions_duration_seconds_check,
	DROP CONSTRAINT focus_sessions_xp_awarded_check,
	DROP CONSTRAINT focus_sessions_coins_awarded_check,
	DROP CONSTRAINT focus_sessions_task_title_check,
	ALTER COLUMN mode TYPE focus_mode,
	ALTER COLUMN status TYPE focus_session_status,
	ALTER COLUMN duration_seconds TYPE focus_duration,
	ALTER COLUMN xp_awarded TYPE focus_amount,
	ALTER COLUMN coins_awarded TYPE focus_amount,
	ALTER COLUMN task_title TYPE focus_task_title;

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
CREATE UNIQUE INDEX focus_sessions_one_open ON focus_sessions (user_id) WHERE open;

-- Session and pause objects are written by the worker from binary columns
-- (src/render.c), which applies focus_vanished() and focus_remaining_s()
-- to the statement's now() exactly as 001_core.sql writes them. Library
-- and track objects are still built here (002_libraries.sql).
DROP FUNCTION IF EXISTS focus_session_text(focus_sessions, timestamptz);
DROP FUNCTION IF EXISTS focus_pause_text(focus_sessions);
