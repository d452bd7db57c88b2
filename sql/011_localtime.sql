-- 011_localtime.sql: the person's own time (API.md, "Stats, series and
-- progress in the person's own time"). Every date a person sees is a
-- local date in their settings' time_zone, with their day_start_hour and
-- week_start (sql/009_cycle.sql focus_settings). All the calendar
-- arithmetic lives here, in PostgreSQL with the IANA zone, never in the
-- worker: a local day has 23 or 25 hours on a daylight-saving change, and
-- only the zone database knows when.
--
-- Plain LANGUAGE sql functions of one SELECT, so the planner inlines them
-- into the statements (src/stmt.c) and their plans show every scan.

-- The instant a local date begins: day_start_hour on its wall clock. On a
-- spring change day whose start hour does not exist, PostgreSQL reads it
-- as the instant the clock jumped past it; on an autumn day whose start
-- hour happens twice, as its second pass (standard time). Either way the
-- days tile time: each instant lies in exactly one [start, next start).
CREATE FUNCTION focus_day_start(day date, zone text, day_start integer)
RETURNS timestamptz LANGUAGE sql STABLE PARALLEL SAFE AS $$
	SELECT (day + make_interval(hours => day_start)) AT TIME ZONE zone
$$;

-- The local date an instant counts to: its wall-clock time in the zone,
-- moved back by day_start_hour (with 4, 02:00 counts to the day before);
-- and the day before when the instant lies before that date's start,
-- which happens only in the first pass of an autumn hour that is also
-- the day's start (day_start_hour 2 in Berlin): so a session counts to
-- the same day in a series bucket (this) as in a range of dates
-- (focus_day_start), always.
CREATE FUNCTION focus_local_day(at timestamptz, zone text, day_start integer)
RETURNS date LANGUAGE sql STABLE PARALLEL SAFE AS $$
	SELECT ((at AT TIME ZONE zone) - make_interval(hours => day_start))::date
	     - (at < focus_day_start(((at AT TIME ZONE zone) - make_interval(hours => day_start))::date,
	                             zone, day_start))::integer
$$;

-- The first day of the week (week_start 'monday' or 'sunday') that holds
-- a local date.
CREATE FUNCTION focus_week_start(day date, week_start text)
RETURNS date LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT day - ((extract(isodow FROM day)::integer
	               - CASE week_start WHEN 'sunday' THEN 7 ELSE 1 END + 7) % 7)
$$;

-- The first day of the bucket (grp 'day', 'week' or 'month') that holds a
-- local date.
CREATE FUNCTION focus_bucket_start(day date, grp text, week_start text)
RETURNS date LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT CASE grp WHEN 'week' THEN focus_week_start(day, week_start)
	                WHEN 'month' THEN date_trunc('month', day::timestamp)::date
	                ELSE day END
$$;

-- A calendar period's local dates (first and last, inclusive) for stats:
-- period 'today', 'this_week', 'this_month' or 'this_year', the one that
-- holds the local today; or, period NULL, from_day to to_day. ok says the
-- range is well formed and at most max_days long (API.md: 366).
CREATE FUNCTION focus_period(zone text, day_start integer, week_start text, period text,
    from_day date, to_day date, max_days integer)
RETURNS TABLE (first_day date, last_day date, ok boolean)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
	SELECT r.lo, r.hi, r.lo IS NOT NULL AND r.hi IS NOT NULL AND r.lo <= r.hi AND r.hi - r.lo < max_days
	FROM (SELECT CASE period WHEN 'today' THEN t.d
	                         WHEN 'this_week' THEN focus_week_start(t.d, week_start)
	                         WHEN 'this_month' THEN date_trunc('month', t.d::timestamp)::date
	                         WHEN 'this_year' THEN date_trunc('year', t.d::timestamp)::date
	                         ELSE from_day END AS lo,
	             CASE period WHEN 'today' THEN t.d
	                         WHEN 'this_week' THEN focus_week_start(t.d, week_start) + 6
	                         WHEN 'this_month' THEN (date_trunc('month', t.d::timestamp) + interval '1 month - 1 day')::date
	                         WHEN 'this_year' THEN (date_trunc('year', t.d::timestamp) + interval '1 year - 1 day')::date
	                         ELSE to_day END AS hi
	      FROM (SELECT focus_local_day(now(), zone, day_start) AS d) t) r
$$;

-- A series' range, widened to whole buckets: from the first day of the
-- bucket that holds from_day to the last day of the bucket that holds
-- to_day; buckets is their number, ok says the range is well formed,
-- holds at most max_buckets (API.md: 366) and, widened, stays within the
-- years 1..9999 that dates are written in (YYYY-MM-DD).
CREATE FUNCTION focus_series_range(grp text, week_start text, from_day date, to_day date,
    max_buckets integer)
RETURNS TABLE (first_day date, last_day date, buckets integer, ok boolean)
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT r.lo, r.hi, r.n, from_day <= to_day AND r.n <= max_buckets
	       AND r.lo >= date '0001-01-01' AND r.hi <= date '9999-12-31'
	FROM (SELECT b.lo, b.hi,
	             CASE grp WHEN 'month' THEN (extract(year FROM b.hi)::integer * 12 + extract(month FROM b.hi)::integer)
	                                      - (extract(year FROM b.lo)::integer * 12 + extract(month FROM b.lo)::integer) + 1
	                      WHEN 'week' THEN (b.hi - b.lo + 1) / 7
	                      ELSE b.hi - b.lo + 1 END AS n
	      FROM (SELECT focus_bucket_start(from_day, grp, week_start) AS lo,
	                   CASE grp WHEN 'week' THEN focus_week_start(to_day, week_start) + 6
	                            WHEN 'month' THEN (date_trunc('month', to_day::timestamp) + interval '1 month - 1 day')::date
	                            ELSE to_day END AS hi) b) r
$$;

-- The step between buckets.
CREATE FUNCTION focus_bucket_step(grp text)
RETURNS interval LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT CASE grp WHEN 'week' THEN interval '7 days' WHEN 'month' THEN interval '1 month'
	                ELSE interval '1 day' END
$$;

-- The XP a level takes in all, from its start to the next (API.md:
-- floor(100 * L^1.5)), and the XP at which a level begins (the sum of
-- those before it; levels stay in the hundreds, so the sum is short).
CREATE FUNCTION focus_level_cost(level integer)
RETURNS bigint LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
	SELECT floor(100 * level * sqrt(level::float8))::bigint
$$;
CREATE FUNCTION focus_level_floor(level integer)
RETURNS bigint LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
	SELECT coalesce(sum(focus_level_cost(k)), 0)::bigint FROM generate_series(1, level - 1) k
$$;
