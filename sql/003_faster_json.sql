-- 003_faster_json.sql: cheaper response building (measured in t/bench).
--  * The time helpers compare timestamptz with intervals, which is STABLE
--    (it depends on the time zone setting); declared IMMUTABLE, PostgreSQL
--    refused to inline them and called each one per row. STABLE inlines.
--  * Responses are built as json, not jsonb: the worker sends the text as
--    is, and json_build_object appends text where jsonb sorts and encodes
--    keys: 1.5x the list route's rows per second on the seeded data.
-- Running workers must be restarted after this migration (their prepared
-- statements name the dropped functions).

ALTER FUNCTION focus_vanished(text, timestamptz, integer, timestamptz) STABLE;
ALTER FUNCTION focus_status(text, timestamptz, integer, timestamptz) STABLE;
ALTER FUNCTION focus_remaining_s(timestamptz, timestamptz, timestamptz) STABLE;

DROP FUNCTION focus_session_json(focus_sessions, timestamptz);
DROP FUNCTION focus_pause_json(focus_pause_state);
DROP FUNCTION focus_library_json(focus_libraries, bigint);
DROP FUNCTION focus_track_json(focus_tracks);

-- The Session object of API.md, as seen at `at`; time_remaining_seconds
-- only while active or paused.
CREATE FUNCTION focus_session_json(s focus_sessions, at timestamptz) RETURNS json
LANGUAGE sql STABLE PARALLEL SAFE AS $$
	SELECT CASE WHEN focus_status(s.status, s.expires_at, s.duration_seconds, at) IN ('active', 'paused')
	THEN json_build_object(
		'id', s.id, 'mode', s.mode, 'duration_seconds', s.duration_seconds,
		'started_at', focus_ts(s.started_at), 'expires_at', focus_ts(s.expires_at),
		'paused_at', focus_ts(s.paused_at), 'completed_at', NULL, 'abandoned_at', NULL,
		'status', s.status,
		'time_remaining_seconds', focus_remaining_s(s.expires_at, s.paused_at, at),
		'focused_seconds', s.focused_seconds, 'xp_awarded', s.xp_awarded,
		'coins_awarded', s.coins_awarded, 'task_id', s.task_id, 'task_title', s.task_title)
	ELSE json_build_object(
		'id', s.id, 'mode', s.mode, 'duration_seconds', s.duration_seconds,
		'started_at', focus_ts(s.started_at), 'expires_at', focus_ts(s.expires_at),
		'paused_at', NULL, 'completed_at', focus_ts(s.completed_at),
		'abandoned_at', focus_ts(s.abandoned_at),
		'status', focus_status(s.status, s.expires_at, s.duration_seconds, at),
		'focused_seconds', s.focused_seconds, 'xp_awarded', s.xp_awarded,
		'coins_awarded', s.coins_awarded, 'task_id', s.task_id, 'task_title', s.task_title)
	END
$$;

CREATE FUNCTION focus_pause_json(p focus_pause_state) RETURNS json
LANGUAGE sql STABLE PARALLEL SAFE AS $$
	SELECT CASE WHEN p.session_id IS NULL THEN NULL ELSE json_build_object(
		'session_id', p.session_id, 'mode', p.mode,
		'time_remaining_seconds', ceil(p.time_remaining_ms / 1000.0)::integer,
		'paused_at', focus_ts(p.paused_at)) END
$$;

CREATE FUNCTION focus_library_json(l focus_libraries, tracks_count bigint) RETURNS json
LANGUAGE sql STABLE PARALLEL SAFE AS $$
	SELECT json_build_object('id', l.id, 'name', l.name, 'description', l.description,
		'library_type', l.library_type, 'tracks_count', tracks_count,
		'is_favorite', l.is_favorite, 'created_at', focus_ts(l.created_at),
		'updated_at', focus_ts(l.updated_at))
$$;

CREATE FUNCTION focus_track_json(t focus_tracks) RETURNS json
LANGUAGE sql STABLE PARALLEL SAFE AS $$
	SELECT json_build_object('id', t.id, 'library_id', t.library_id,
		'track_title', t.track_title, 'track_url', t.track_url, 'mime_type', t.mime_type,
		'size_bytes', t.size_bytes, 'duration_seconds', t.duration_seconds,
		'storage_key', t.storage_key, 'added_at', focus_ts(t.added_at))
$$;
