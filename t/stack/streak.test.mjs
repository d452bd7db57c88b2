// streak.test.mjs: one streak, by the person's local day (API.md Part 2,
// "Stats, series and progress in the person's own time";
// sql/015_streak_local.sql). The streak a complete, next, batch or the
// timer's time's-up answers is the one GET /api/focus/progress gives right
// after: consecutive local days (time_zone, day_start_hour) of the
// started_at of completed timed focus sessions. Zones away from UTC, a
// day that starts at 04:00, a change of zone, manual sessions, deletes.
//
// Past sessions are written straight into the database (the API starts
// sessions only now). Every local date is worked out by PostgreSQL from
// its own clock, never from the hour the test runs at, so the suite passes
// at any time of day (a session "yesterday at 23:50" is in the past
// whenever it runs); a local midnight during a test runs it once more
// (onOneDay), as the days it seeded have moved.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { call, newUser, okData as ok, onOneDay, sql, test, until } from './lib.mjs';

const get = (u, path) => call('GET', path, { token: u.token });
const post = (u, path, body = {}) => call('POST', path, { token: u.token, body });
const settings = async (u, body) => ok(await call('PATCH', '/api/focus/settings', { token: u.token, body }));
const progress = async (u) => ok(await get(u, '/api/focus/progress')).streak;
const start = async (u, secs = 1500) => ok(await post(u, '/api/focus', { mode: 'focus', duration_seconds: secs }));
const complete = async (u, id) => ok(await post(u, `/api/focus/${id}/complete`));

// The UTC instant (RFC 3339) of wall-clock `hhmm` on the local date that
// is `back` days before the person's local today (their day starts at
// `dayStart`), in `zone`.
function localAt(zone, dayStart, back, hhmm) {
	return sql(`SELECT to_char((((((now() AT TIME ZONE '${zone}') - make_interval(hours => ${dayStart}))::date - ${back})
		+ time '${hhmm}') AT TIME ZONE '${zone}') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`);
}
// Completed timed focus sessions of u starting at the given instants
// (25 minutes each); their ids, in order.
function seed(u, instants) {
	return instants.map((at) => sql(`WITH i AS (INSERT INTO focus_sessions (user_id, mode, duration_seconds,
		started_at, expires_at, completed_at, status, focused_seconds, xp_awarded, coins_awarded)
		VALUES ('${u.id}', 'focus', 1500, '${at}', '${at}'::timestamptz + interval '1500 seconds',
		        '${at}'::timestamptz + interval '1500 seconds', 'completed', 1500, 25, 5) RETURNING id) SELECT id FROM i`));
}
// The open session s of u started at `at` instead (its timer still runs:
// expires_at stays ahead), as if started then.
const startedAt = (s, at) => sql(`UPDATE focus_sessions SET started_at = '${at}' WHERE id = '${s.id}'`);

// ---- a zone away from UTC --------------------------------------------

await test('Los Angeles: a session started at 23:50 local counts to that day, not the UTC day; complete and progress agree', () => onOneDay('America/Los_Angeles', 0, async () => {
	const u = newUser();
	await settings(u, { time_zone: 'America/Los_Angeles' });
	seed(u, [localAt('America/Los_Angeles', 0, 2, '12:00')]);
	assert.deepEqual(await progress(u), { current: 0, longest: 1 }, 'two days ago: the run is broken');
	// 23:50 yesterday in Los Angeles is 07:50 or 06:50 UTC of today's UTC
	// date: by UTC it would not join the day before yesterday
	const s = await start(u);
	startedAt(s, localAt('America/Los_Angeles', 0, 1, '23:50'));
	const d = await complete(u, s.id);
	assert.deepEqual(d.streak, { current: 2, longest: 2 }, 'the day before yesterday and yesterday, local');
	assert.deepEqual(await progress(u), d.streak);
	// a session now is today: three days in a row
	const s2 = await start(u);
	const d2 = await complete(u, s2.id);
	assert.deepEqual(d2.streak, { current: 3, longest: 3 });
	assert.deepEqual(await progress(u), d2.streak);
	// next's close answers the same streak
	await start(u);
	const n = ok(await post(u, '/api/focus/next'));
	assert.deepEqual(n.closed.streak, { current: 3, longest: 3 });
	assert.deepEqual(await progress(u), n.closed.streak);
}));

await test('Auckland (already tomorrow by UTC): consecutive local days ending today, complete and progress agree', () => onOneDay('Pacific/Auckland', 0, async () => {
	const u = newUser();
	await settings(u, { time_zone: 'Pacific/Auckland' });
	// noon in Auckland is 23:00 or 00:00 UTC of the date before
	seed(u, [1, 2, 3].map((back) => localAt('Pacific/Auckland', 0, back, '12:00')));
	assert.deepEqual(await progress(u), { current: 3, longest: 3 }, 'a run that ends yesterday is current');
	const s = await start(u);
	const d = await complete(u, s.id);
	assert.deepEqual(d.streak, { current: 4, longest: 4 });
	assert.deepEqual(await progress(u), d.streak);
	// a second one the same local day changes nothing
	const s2 = await start(u);
	assert.deepEqual((await complete(u, s2.id)).streak, { current: 4, longest: 4 });
	assert.deepEqual(await progress(u), { current: 4, longest: 4 });
}));

// ---- a day that starts at 04:00 --------------------------------------

await test('day_start_hour 4: a session at 02:00 local counts to the day before', () => onOneDay('Asia/Tokyo', 4, async () => {
	const u = newUser();
	// Tokyo keeps no daylight saving: 02:00 exists on every date
	await settings(u, { time_zone: 'Asia/Tokyo', day_start_hour: 4 });
	seed(u, [localAt('Asia/Tokyo', 4, 2, '12:00')]);
	// 02:00 on the calendar date of today (its day began at 04:00 of
	// that date, so 02:00 lies in the past) belongs to yesterday
	const s = await start(u);
	startedAt(s, localAt('Asia/Tokyo', 4, 0, '02:00'));
	const d = await complete(u, s.id);
	assert.deepEqual(d.streak, { current: 2, longest: 2 }, 'the day before yesterday and yesterday (02:00 of today\'s date)');
	assert.deepEqual(await progress(u), d.streak);
	// the same sessions with days that start at midnight: 02:00 is today,
	// and the day between is empty
	await settings(u, { day_start_hour: 0 });
	assert.deepEqual(await progress(u), { current: 1, longest: 1 });
	const s2 = await start(u);
	const d2 = await complete(u, s2.id);
	assert.deepEqual(d2.streak, await progress(u));
}));

// ---- time's up by the timer ------------------------------------------

await test('a time\'s-up by the timer carries the local-day streak; a later complete replays it', () => onOneDay('Pacific/Auckland', 0, async () => {
	const u = newUser();
	await settings(u, { time_zone: 'Pacific/Auckland' });
	seed(u, [localAt('Pacific/Auckland', 0, 1, '12:00')]);
	const s = await start(u, 2);
	// bounded poll of the database (a read of the API would catch up
	// itself): the timer process completes the session at its expires_at
	const rec = await until(() => sql(`SELECT streak_current || '/' || streak_longest FROM focus_timer_completions
		WHERE session_id = '${s.id}'`), 10000, 'the timer to complete the session');
	assert.equal(rec, '2/2', 'yesterday and today, local');
	assert.deepEqual(await progress(u), { current: 2, longest: 2 });
	const d = await complete(u, s.id);
	assert.deepEqual(d.streak, { current: 2, longest: 2 }, 'the completion as recorded');
	assert.equal(d.xp_awarded, 5);
}));

// ---- a change of zone ------------------------------------------------

await test('changing time_zone, then completing: the streak of the new zone, as progress gives it', () => onOneDay('UTC', 0, () => onOneDay('Asia/Tokyo', 0, async () => {
	const u = newUser();
	// a session at 08:00 yesterday in Tokyo: 23:00 UTC the day before
	// that, two UTC dates before Tokyo's today or one, by the hour
	seed(u, [localAt('Asia/Tokyo', 0, 1, '08:00')]);
	const s = await start(u);
	const d = await complete(u, s.id);     // counted in UTC (the default)
	assert.deepEqual(await progress(u), d.streak);
	await settings(u, { time_zone: 'Asia/Tokyo' });
	assert.deepEqual(await progress(u), { current: 2, longest: 2 }, 'yesterday and today in Tokyo');
	const s2 = await start(u);
	const d2 = await complete(u, s2.id);
	assert.deepEqual(d2.streak, { current: 2, longest: 2 });
	assert.deepEqual(await progress(u), d2.streak);
	// and back: UTC's count again, complete and progress alike
	await settings(u, { time_zone: 'UTC' });
	const s3 = await start(u);
	const d3 = await complete(u, s3.id);
	assert.deepEqual(d3.streak, await progress(u));
	assert.deepEqual(d3.streak, d.streak, 'the same days as the first count in UTC');
})));

// ---- a corrected history ---------------------------------------------

await test('a manual session (batch create) does not extend the streak', () => onOneDay('America/Los_Angeles', 0, async () => {
	const u = newUser();
	await settings(u, { time_zone: 'America/Los_Angeles' });
	seed(u, [localAt('America/Los_Angeles', 0, 2, '12:00')]);
	const s = await start(u);
	assert.deepEqual((await complete(u, s.id)).streak, { current: 1, longest: 1 }, 'a gap yesterday');
	// yesterday's forgotten session, entered afterwards: no streak day
	const b = ok(await post(u, '/api/focus/batch', { updates: [{ action: 'create', mode: 'focus',
		started_at: localAt('America/Los_Angeles', 0, 1, '12:00'), duration_seconds: 1500 }] }));
	assert.equal(b.results[0].session.source, 'manual');
	assert.deepEqual(b.streak, { current: 1, longest: 1 });
	assert.deepEqual(await progress(u), { current: 1, longest: 1 });
	const s2 = await start(u);
	assert.deepEqual((await complete(u, s2.id)).streak, { current: 1, longest: 1 });
	assert.deepEqual(await progress(u), { current: 1, longest: 1 });
}));

await test('deleting a counted session (batch) takes its day out of the streak; rewards stay; answer and progress agree', () => onOneDay('Pacific/Auckland', 0, async () => {
	const u = newUser();
	await settings(u, { time_zone: 'Pacific/Auckland' });
	const [two, one] = seed(u, [2, 1].map((back) => localAt('Pacific/Auckland', 0, back, '12:00')));
	const s = await start(u);
	assert.deepEqual((await complete(u, s.id)).streak, { current: 3, longest: 3 });
	const xp = () => sql(`SELECT xp FROM user_progress WHERE user_id = '${u.id}'`);
	const before = xp();
	// API.md: a deleted session leaves history, stats and series; the
	// streak counts sessions, so yesterday no longer counts
	const g = ok(await post(u, '/api/focus/batch', { updates: [{ action: 'delete', id: one }] }));
	assert.equal(g.results[0].deleted, true);
	assert.deepEqual(g.streak, { current: 1, longest: 1 });
	assert.deepEqual(await progress(u), { current: 1, longest: 1 });
	assert.equal(xp(), before, 'the rewards it granted stay granted');
	const s2 = await start(u);
	assert.deepEqual((await complete(u, s2.id)).streak, { current: 1, longest: 1 });
	// a delete and a complete in one batch: the answer counts both
	await start(u);
	const open = ok(await get(u, '/api/focus/active')).session;
	const m = ok(await post(u, '/api/focus/batch', { updates: [{ action: 'delete', id: two },
		{ action: 'complete', id: open.id }] }));
	assert.deepEqual(m.streak, { current: 1, longest: 1 });
	assert.deepEqual(await progress(u), m.streak);
	// the sessions that are left: today only
	assert.equal(sql(`SELECT count(*) FROM focus_sessions WHERE user_id = '${u.id}'`), '3');
}));

await test('a session written straight into the table counts at once (the stored streak is marked stale)', () => onOneDay('Europe/Berlin', 0, async () => {
	const u = newUser();
	await settings(u, { time_zone: 'Europe/Berlin' });
	const s = await start(u);
	assert.deepEqual((await complete(u, s.id)).streak, { current: 1, longest: 1 });
	// five days in a row a month ago, and yesterday
	seed(u, [30, 31, 32, 33, 34, 1].map((back) => localAt('Europe/Berlin', 0, back, '12:00')));
	assert.deepEqual(await progress(u), { current: 2, longest: 5 });
	const s2 = await start(u);
	const d = await complete(u, s2.id);
	assert.deepEqual(d.streak, { current: 2, longest: 5 });
	assert.deepEqual(await progress(u), d.streak);
}));

// ---- a count stored beside a completion ------------------------------

// A transaction of our own holding the lock of u's user_streaks row, so
// that the statements that store there queue behind it, in the order they
// came; release() lets them go.
async function holdStreakRow(u) {
	const psql = spawn('psql', ['-X', '-At', '-v', 'ON_ERROR_STOP=1', process.env.FOCUS_DB], { stdio: ['pipe', 'pipe', 'inherit'] });
	let out = '';
	psql.stdout.on('data', (b) => { out += b; });
	const exited = new Promise((resolve) => psql.on('exit', resolve));
	psql.stdin.write(`BEGIN;\nSELECT 'held:' || pg_backend_pid() FROM user_streaks WHERE user_id = '${u.id}' FOR UPDATE;\n`);
	await until(() => /held:\d+/.test(out), 10000, 'the row lock');
	return {
		pid: out.match(/held:(\d+)/)[1],
		async release() { psql.stdin.end('COMMIT;\n'); assert.equal(await exited, 0); },
	};
}
// the backends waiting behind pid, directly or behind another waiter
const waitingBehind = (pid) => Number(sql(`WITH RECURSIVE w(pid) AS (SELECT ${pid}
	UNION SELECT a.pid FROM pg_stat_activity a, w WHERE w.pid = ANY (pg_blocking_pids(a.pid)))
	SELECT count(*) - 1 FROM w`));

await test('a batch that closes nothing, beside a complete: the count it stores does not undo the completion', () => onOneDay('America/Los_Angeles', 0, async () => {
	const u = newUser();
	await settings(u, { time_zone: 'America/Los_Angeles' });
	// the day before yesterday and yesterday; written straight in, so the
	// stored streak is stale and the next writer counts the sessions
	const [old] = seed(u, [2, 1].map((back) => localAt('America/Los_Angeles', 0, back, '12:00')));
	const s = await start(u);
	const lock = await holdStreakRow(u);
	let completing, editing;
	try {
		// the complete counts today too and waits to store; then a batch
		// that only edits an old session, whose snapshot never shows today's
		// completion, counts without it and waits behind the complete
		completing = complete(u, s.id);
		await until(() => waitingBehind(lock.pid) >= 1, 10000, 'the complete to wait on the row');
		// (it stores nothing now, so it answers; had it stored, it would
		// wait behind the complete and store after it)
		let edited = false;
		editing = post(u, '/api/focus/batch', { updates: [{ action: 'update', id: old, task_title: 'edited' }] })
			.then((r) => { edited = true; return r; });
		await until(() => edited || waitingBehind(lock.pid) >= 2, 10000, 'the batch to answer or wait on the row (two workers)');
	} finally {
		await lock.release();
	}
	const d = await completing;
	assert.equal((await editing).status, 200);
	assert.deepEqual(d.streak, { current: 3, longest: 3 });
	assert.deepEqual(await progress(u), d.streak, 'progress after both: today still counts');
	const s2 = await start(u);
	assert.deepEqual((await complete(u, s2.id)).streak, { current: 3, longest: 3 });
}));
