-- 002_libraries.sql: focus-music libraries and their audio tracks.
-- Track bytes live in object storage under "<user_id>/audio/<uuid>.<ext>";
-- a row is written only after its object exists, and deleted before it.

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

-- The Library and Track objects of API.md as JSON text, built like
-- focus_session_text (sql/001_core.sql) and for the same reason; free
-- text goes through to_json, library_type is a CHECKed word.
CREATE FUNCTION focus_library_text(l focus_libraries, tracks_count bigint) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $$
	SELECT '{"id":"' || l.id || '","name":' || to_json(l.name)::text
		|| ',"description":' || coalesce(to_json(l.description)::text, 'null')
		|| ',"library_type":"' || l.library_type || '","tracks_count":' || tracks_count
		|| ',"is_favorite":' || l.is_favorite
		|| ',"created_at":' || focus_ts_json(l.created_at)
		|| ',"updated_at":' || focus_ts_json(l.updated_at) || '}'
$$;

CREATE FUNCTION focus_track_text(t focus_tracks) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $$
	SELECT '{"id":"' || t.id || '","library_id":"' || t.library_id
		|| '","track_title":' || to_json(t.track_title)::text
		|| ',"track_url":' || coalesce(to_json(t.track_url)::text, 'null')
		|| ',"mime_type":' || to_json(t.mime_type)::text
		|| ',"size_bytes":' || t.size_bytes
		|| ',"duration_seconds":' || coalesce(t.duration_seconds::text, 'null')
		|| ',"storage_key":' || coalesce(to_json(t.storage_key)::text, 'null')
		|| ',"added_at":' || focus_ts_json(t.added_at) || '}'
$$;
