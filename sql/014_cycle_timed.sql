-- 014_cycle_timed.sql: the cycle follows the sessions a person timed.
-- A manual session (010_history.sql: entered afterwards, source 'manual')
-- is history, not a step of the cycle: a forgotten session added for
-- yesterday must not turn the next phase into a break or move "Focus 2
-- of 4". So the two lookups of the latest completed session that
-- 009_cycle.sql's focus_next_position and focus_next make skip manual
-- ones; everything else is as in 009.

CREATE OR REPLACE FUNCTION focus_next_position(uid uuid) RETURNS integer
LANGUAGE sql STABLE PARALLEL SAFE AS $$
	SELECT coalesce((
		SELECT CASE WHEN f.mode = 'long_break' THEN 1 ELSE coalesce(f.cycle_position, 1) + 1 END
		FROM focus_sessions f
		WHERE f.user_id = uid AND f.status = 'completed' AND f.source = 'timer'
		  AND f.mode IN ('focus', 'long_break')
		ORDER BY f.started_at DESC, f.id DESC LIMIT 1), 1)
$$;

CREATE OR REPLACE FUNCTION focus_next(uid uuid)
RETURNS TABLE (mode text, duration_seconds integer, cycle_position integer, auto_start boolean)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
	WITH ref AS (
		SELECT * FROM (
			SELECT f.mode::text AS mode, f.cycle_position, true AS open
			FROM focus_sessions f WHERE f.user_id = uid AND f.open
			UNION ALL
			(SELECT f.mode::text, f.cycle_position, false FROM focus_sessions f
			 WHERE f.user_id = uid AND f.status = 'completed' AND f.source = 'timer'
			 ORDER BY f.started_at DESC, f.id DESC LIMIT 1)) r
		LIMIT 1),
	nx AS (
		SELECT st.*, r.mode AS ref_mode, coalesce(r.open, false) AS running,
		       CASE WHEN r.mode = 'focus' THEN
		                CASE WHEN coalesce(r.cycle_position, 1) >= st.long_break_every
		                     THEN 'long_break' ELSE 'break' END
		            ELSE 'focus' END AS next_mode
		FROM focus_settings st LEFT JOIN ref r ON true
		WHERE st.user_id = uid)
	SELECT n.next_mode,
	       CASE n.next_mode WHEN 'focus' THEN n.focus_seconds::integer
	                        WHEN 'break' THEN n.short_break_seconds::integer
	                        ELSE n.long_break_seconds::integer END,
	       CASE WHEN n.next_mode <> 'focus' THEN NULL
	            WHEN n.ref_mode = 'long_break' THEN 1
	            ELSE focus_next_position(uid) END,
	       n.running AND CASE WHEN n.next_mode = 'focus'
	                          THEN n.auto_start_focus AND n.ref_mode <> 'long_break'
	                          ELSE n.auto_start_breaks END
	FROM nx n
$$;
