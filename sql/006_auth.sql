-- 006_auth.sql: passwords and sessions (issue 14).
--
-- A sessions row is either a browser sign-in ('cookie', made by
-- POST /api/auth/login) or an API token ('token', made by focusctl token
-- add). Each gets a small identity id, so that an operator can list and
-- revoke tokens (focusctl token list/revoke) without ever seeing a token
-- or its hash. Rows made before this migration were not told apart; they
-- count as tokens, which are never ended by the cap on sign-ins.

ALTER TABLE sessions
	ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY,
	ADD COLUMN kind text NOT NULL DEFAULT 'token' CHECK (kind IN ('cookie', 'token'));
ALTER TABLE sessions ADD CONSTRAINT sessions_id_key UNIQUE (id);

-- A user's sessions of one kind, oldest first: the cap on sign-ins ends
-- the oldest, focusctl token list reads them in order; user_id first, so
-- it also serves every "all of this user's sessions" delete (logout-all,
-- a password change) and the foreign key's cascade, which sessions_user
-- served alone.
CREATE INDEX sessions_user_kind ON sessions (user_id, kind, created_at);
DROP INDEX sessions_user;

-- Sign-in failures are throttled per name and client address together,
-- so that nobody can lock an account from everywhere (issue 14). The
-- index serves the per-name count and cleanup too (name is its first
-- column, and a name's rows are few: older ones are deleted on its next
-- failure), so login_failures_name goes; login_failures_client stays for
-- the per-client count.
CREATE INDEX login_failures_name_client ON login_failures (name, client, failed_at);
DROP INDEX login_failures_name;

-- A browser sign-in: store the new token's hash for p_user, of kind
-- 'cookie', valid p_days, keeping at most p_cap sign-ins per user by
-- ending the oldest, and dropping the user's expired sessions. p_verified
-- is the password hash the sign-in was checked against: when it is no
-- longer the user's (a password change committed meanwhile), nothing is
-- stored and the answer is false, so a sign-in with the old password can
-- never outlive the change that ended every session.
--
-- The lock on the user's row serializes the sign-ins and password
-- changes of one user, and the function is VOLATILE, so under READ
-- COMMITTED each statement below takes a new snapshot that sees whatever
-- was committed before the lock was granted: concurrent sign-ins cannot
-- together go beyond the cap (as focus_storage_reserve, 007_storage.sql).
CREATE FUNCTION focus_sign_in(p_user uuid, p_hash bytea, p_verified text, p_days integer,
	p_cap integer) RETURNS boolean
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
	PERFORM 1 FROM users WHERE id = p_user AND password_hash = p_verified FOR NO KEY UPDATE;
	IF NOT FOUND THEN
		RETURN false;
	END IF;
	DELETE FROM sessions WHERE user_id = p_user AND expires_at <= now();
	DELETE FROM sessions WHERE token_hash IN (
		SELECT s.token_hash FROM sessions s
		WHERE s.user_id = p_user AND s.kind = 'cookie'
		ORDER BY s.created_at DESC, s.id DESC OFFSET greatest(p_cap - 1, 0));
	INSERT INTO sessions (token_hash, user_id, expires_at, kind)
	VALUES (p_hash, p_user, now() + make_interval(days => p_days), 'cookie');
	RETURN true;
END
$$;

-- A new password hash for p_user, and the end of every session and token
-- of that user but p_keep (the caller's own, for POST /api/auth/password;
-- NULL ends them all, for focusctl user passwd), in one transaction.
-- With p_old given, only while the stored hash is still p_old: the route
-- checked the current password against it, and a change committed
-- meanwhile must not be overwritten (-1, nothing done). Returns the number
-- of sessions ended; NULL for a NULL user.
--
-- The UPDATE takes the user's row lock (sign-ins take it too, in
-- focus_sign_in), and the DELETE, a statement of its own in this
-- VOLATILE function, takes a new snapshot after it: every sign-in
-- committed before the lock is seen and ended, and every later one finds
-- the hash changed and stores nothing.
CREATE FUNCTION focus_set_password(p_user uuid, p_old text, p_new text, p_keep bytea)
RETURNS integer LANGUAGE plpgsql VOLATILE AS $$
DECLARE
	ended integer;
BEGIN
	IF p_user IS NULL THEN
		RETURN NULL;
	END IF;
	UPDATE users SET password_hash = p_new
	WHERE id = p_user AND (p_old IS NULL OR password_hash = p_old);
	IF NOT FOUND THEN
		RETURN -1;
	END IF;
	DELETE FROM sessions WHERE user_id = p_user AND token_hash IS DISTINCT FROM p_keep;
	GET DIAGNOSTICS ended = ROW_COUNT;
	RETURN ended;
END
$$;
