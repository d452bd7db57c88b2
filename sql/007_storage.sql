-- 007_storage.sql: pending uploads and the per-user storage quota.
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
