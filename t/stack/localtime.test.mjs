// localtime.test.mjs: the person's own time (API.md Part 2, "Stats,
// series and progress in the person's own time" and "Export") over real
// HTTP, with real IANA zones: Europe/Berlin on its 23- and 25-hour days,
// Pacific/Auckland ahead of UTC, a day that starts at 04:00, weeks that
// start on Sunday, empty buckets, a streak across a daylight-saving
// change, and an export of 100,000 sessions that the worker streams
// without growing.
//
// Past sessions are written straight into the database (the API only
// starts sessions now); each test has its own person.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { call, newUser, okData as ok, onOneDay, sql, test, workerPids } from './lib.mjs';

function bad(r) {
	assert.equal(r.status, 400, `status ${r.status}: ${r.text}`);
	assert.equal(r.json.error, 'bad_request');
	assert.ok(r.json.message.length > 0);
}
const get = (u, path) => call('GET', path, { token: u.token });
const settings = async (u, body) => ok(await call('PATCH', '/api/focus/settings', { token: u.token, body }));

// Closed sessions of u, each { at: UTC instant, mode, status, secs (the
// duration), focused, xp, title }; sessions never overlap (one person's
// sessions do not).
function seed(u, list) {
	const values = list.map((s) => {
		const mode = s.mode || 'focus', status = s.status || 'completed', secs = s.secs || 1500;
		const focused = status === 'completed' ? (s.focused ?? secs) : null;
		const at = `'${s.at}'::timestamptz`, end = `${at} + interval '${secs} seconds'`;
		return `('${u.id}', '${mode}', ${secs}, ${at}, ${end}, '${status}', ` +
			`${status === 'completed' ? end : 'NULL'}, ${status === 'abandoned' ? end : 'NULL'}, ` +
			`${focused ?? 'NULL'}, ${s.xp || 0}, ${s.coins || 0}, ${s.title ? `'${s.title.replace(/'/g, "''")}'` : 'NULL'})`;
	});
	sql(`INSERT INTO focus_sessions (user_id, mode, duration_seconds, started_at, expires_at, status, completed_at,
		abandoned_at, focused_seconds, xp_awarded, coins_awarded, task_title) VALUES ${values.join(',\n')}`);
}
const series = (u, from, to, group = 'day') => get(u, `/api/focus/series?from=${from}&to=${to}&group=${group}`);
// the buckets as { start: [completed_focus, focus_seconds] }, non-empty ones only
const filled = (d) => Object.fromEntries(d.buckets.filter((b) => b.completed_focus + b.completed_sessions +
	b.abandoned_sessions > 0).map((b) => [b.start, [b.completed_focus, b.focus_seconds]]));

// ---- Europe/Berlin on its change days --------------------------------

await test('Berlin spring change (a 23-hour day): a session at local 23:30 lands in its local day, sums add up', async () => {
	const u = newUser();
	await settings(u, { time_zone: 'Europe/Berlin' });
	seed(u, [
		{ at: '2026-03-27T23:30:00Z', focused: 100 },   // 03-28 00:30 CET
		{ at: '2026-03-28T22:30:00Z', focused: 200 },   // 03-28 23:30 CET
		{ at: '2026-03-28T23:30:00Z', focused: 400 },   // 03-29 00:30 CET
		{ at: '2026-03-29T21:30:00Z', focused: 800 },   // 03-29 23:30 CEST, the 23-hour day's end
		{ at: '2026-03-29T22:30:00Z', focused: 1000 },  // 03-30 00:30 CEST
	]);
	const d = ok(await series(u, '2026-03-28', '2026-03-30'));
	assert.equal(d.time_zone, 'Europe/Berlin');
	assert.equal(d.group, 'day');
	assert.deepEqual([d.from, d.to], ['2026-03-28', '2026-03-30']);
	assert.deepEqual(d.buckets.map((b) => b.start), ['2026-03-28', '2026-03-29', '2026-03-30']);
	assert.deepEqual(filled(d), { '2026-03-28': [2, 300], '2026-03-29': [2, 1200], '2026-03-30': [1, 1000] });
	// the same day through stats
	const s = ok(await get(u, '/api/focus/stats?from=2026-03-29&to=2026-03-29'));
	assert.deepEqual([s.from, s.to, s.time_zone], ['2026-03-29', '2026-03-29', 'Europe/Berlin']);
	assert.equal(s.completed_sessions, 2);
	assert.equal(s.total_focus_seconds, 1200);
});

await test('Berlin autumn change (a 25-hour day): a session at local 23:30 lands in its local day, sums add up', async () => {
	const u = newUser();
	await settings(u, { time_zone: 'Europe/Berlin' });
	seed(u, [
		{ at: '2026-10-24T22:30:00Z', focused: 10 },    // 10-25 00:30 CEST
		{ at: '2026-10-25T00:30:00Z', focused: 20 },    // 10-25 02:30 CEST, before the clock goes back
		{ at: '2026-10-25T01:30:00Z', focused: 40 },    // 10-25 02:30 CET, the hour that happens twice
		{ at: '2026-10-25T22:30:00Z', focused: 80 },    // 10-25 23:30 CET, the 25-hour day's end
		{ at: '2026-10-25T23:10:00Z', focused: 160 },   // 10-26 00:10 CET (UTC still says the 25th)
	]);
	const d = ok(await series(u, '2026-10-24', '2026-10-26'));
	assert.deepEqual(filled(d), { '2026-10-25': [4, 150], '2026-10-26': [1, 160] });
	assert.equal(d.buckets.length, 3);
	const s = ok(await get(u, '/api/focus/stats?from=2026-10-25&to=2026-10-25'));
	assert.equal(s.total_sessions, 4);
	assert.equal(s.total_focus_seconds, 150);
});

await test('Berlin autumn change with day_start_hour 2: the hour that happens twice counts to one day everywhere', async () => {
	const u = newUser();
	await settings(u, { time_zone: 'Europe/Berlin', day_start_hour: 2 });
	seed(u, [
		{ at: '2026-10-25T00:30:00Z', focused: 5 },     // 02:30 CEST, the first pass: before the day's start
		{ at: '2026-10-25T01:30:00Z', focused: 7 },     // 02:30 CET, the second pass: the 25th
	]);
	assert.deepEqual(filled(ok(await series(u, '2026-10-24', '2026-10-25'))),
		{ '2026-10-24': [1, 5], '2026-10-25': [1, 7] });
	// a range of the 24th alone: the same session in its one bucket and in stats
	assert.deepEqual(filled(ok(await series(u, '2026-10-24', '2026-10-24'))), { '2026-10-24': [1, 5] });
	assert.equal(ok(await get(u, '/api/focus/stats?from=2026-10-24&to=2026-10-24')).total_focus_seconds, 5);
	assert.equal(ok(await get(u, '/api/focus/stats?from=2026-10-25&to=2026-10-25')).total_focus_seconds, 7);
});

// ---- other zones and settings ----------------------------------------

await test('Pacific/Auckland: a UTC instant that is already tomorrow there counts to tomorrow', async () => {
	const u = newUser();
	await settings(u, { time_zone: 'Pacific/Auckland' });
	seed(u, [{ at: '2026-06-30T20:00:00Z', focused: 900, xp: 15 }]);     // 07-01 08:00 NZST
	const d = ok(await series(u, '2026-06-30', '2026-07-01'));
	assert.deepEqual(filled(d), { '2026-07-01': [1, 900] });
	assert.equal(d.buckets[1].xp_earned, 15);
	assert.equal(ok(await get(u, '/api/focus/stats?from=2026-06-30&to=2026-06-30')).total_sessions, 0);
	assert.equal(ok(await get(u, '/api/focus/stats?from=2026-07-01&to=2026-07-01')).total_sessions, 1);
});

await test('day_start_hour 4: a session at 02:00 local counts to the day before, 04:30 to its own day', async () => {
	const u = newUser();
	await settings(u, { time_zone: 'Europe/Berlin', day_start_hour: 4 });
	seed(u, [
		{ at: '2026-05-06T00:00:00Z', focused: 300 },   // 05-06 02:00 CEST
		{ at: '2026-05-06T02:30:00Z', focused: 600 },   // 05-06 04:30 CEST
	]);
	assert.deepEqual(filled(ok(await series(u, '2026-05-05', '2026-05-06'))),
		{ '2026-05-05': [1, 300], '2026-05-06': [1, 600] });
	await settings(u, { day_start_hour: 0 });
	assert.deepEqual(filled(ok(await series(u, '2026-05-05', '2026-05-06'))), { '2026-05-06': [2, 900] });
});

await test('week_start sunday: week buckets begin on Sundays and the range widens to whole weeks', async () => {
	const u = newUser();
	seed(u, [
		{ at: '2026-11-29T10:00:00Z', focused: 1 },     // Sunday
		{ at: '2026-11-30T10:00:00Z', focused: 2 },     // Monday
		{ at: '2026-12-05T10:00:00Z', focused: 4 },     // Saturday
		{ at: '2026-12-06T10:00:00Z', focused: 8 },     // Sunday
	]);
	await settings(u, { week_start: 'sunday' });
	let d = ok(await series(u, '2026-11-30', '2026-12-07', 'week'));
	assert.deepEqual([d.group, d.from, d.to], ['week', '2026-11-29', '2026-12-12']);
	assert.deepEqual(d.buckets.map((b) => b.start), ['2026-11-29', '2026-12-06']);
	assert.deepEqual(filled(d), { '2026-11-29': [3, 7], '2026-12-06': [1, 8] });
	await settings(u, { week_start: 'monday' });
	d = ok(await series(u, '2026-11-30', '2026-12-07', 'week'));
	assert.deepEqual([d.from, d.to], ['2026-11-30', '2026-12-13']);
	assert.deepEqual(filled(d), { '2026-11-30': [3, 14] });
});

await test('empty buckets: every bucket of the range, oldest first, zeros where nothing happened', async () => {
	const u = newUser();
	seed(u, [{ at: '2026-02-10T12:00:00Z', mode: 'break', secs: 300, xp: 2 },
		{ at: '2026-02-10T13:00:00Z', status: 'abandoned' }]);
	const d = ok(await series(u, '2026-01-15', '2026-03-02', 'month'));
	assert.deepEqual([d.from, d.to], ['2026-01-01', '2026-03-31']);
	assert.deepEqual(d.buckets, [
		{ start: '2026-01-01', completed_focus: 0, focus_seconds: 0, completed_sessions: 0, abandoned_sessions: 0, xp_earned: 0 },
		{ start: '2026-02-01', completed_focus: 0, focus_seconds: 0, completed_sessions: 1, abandoned_sessions: 1, xp_earned: 2 },
		{ start: '2026-03-01', completed_focus: 0, focus_seconds: 0, completed_sessions: 0, abandoned_sessions: 0, xp_earned: 0 },
	]);
	const year = ok(await series(u, '2024-01-01', '2024-12-31'));
	assert.equal(year.buckets.length, 366, 'a leap year of days');
	assert.ok(year.buckets.every((b) => b.completed_sessions === 0 && b.xp_earned === 0));
	assert.ok(year.buckets.every((b, i) => i === 0 || b.start > year.buckets[i - 1].start), 'oldest first');
});

// today is Auckland's date by the database's clock (the server's), not
// node's; a midnight there during the test runs it once more (onOneDay)
await test('calendar periods count in the local calendar and name their range and zone', () => onOneDay('Pacific/Auckland', 0, async (today) => {
	const u = newUser();
	await settings(u, { time_zone: 'Pacific/Auckland', week_start: 'sunday' });
	const t = ok(await get(u, '/api/focus/stats?period=today'));
	assert.deepEqual([t.period, t.from, t.to, t.time_zone], ['today', today, today, 'Pacific/Auckland']);
	const w = ok(await get(u, '/api/focus/stats?period=this_week'));
	assert.equal(new Date(`${w.from}T00:00:00Z`).getUTCDay(), 0, 'a Sunday');
	assert.ok(w.from <= today && today <= w.to);
	const m = ok(await get(u, '/api/focus/stats?period=this_month'));
	assert.deepEqual([m.from.slice(0, 7), m.from.slice(8)], [today.slice(0, 7), '01']);
	const y = ok(await get(u, '/api/focus/stats?period=this_year'));
	assert.deepEqual([y.from, y.to], [`${today.slice(0, 4)}-01-01`, `${today.slice(0, 4)}-12-31`]);
	// a session started a minute ago counts today; the rolling periods
	// keep their old shape. In the first 70 s of Auckland's day "70 s
	// ago" is yesterday: then it starts at the day's first instant
	sql(`INSERT INTO focus_sessions (user_id, mode, duration_seconds, started_at, expires_at, status, abandoned_at)
		SELECT '${u.id}', 'focus', 60, s, s + interval '60 seconds', 'abandoned', least(s + interval '60 seconds', now())
		FROM (SELECT greatest(now() - interval '70 seconds',
			date_trunc('day', now() AT TIME ZONE 'Pacific/Auckland') AT TIME ZONE 'Pacific/Auckland') AS s) x`);
	assert.equal(ok(await get(u, '/api/focus/stats?period=today')).abandoned_sessions, 1);
	const rolling = ok(await get(u, '/api/focus/stats?period=day'));
	assert.equal(rolling.period, 'day');
	assert.equal(rolling.time_zone, undefined);
}));

// ---- progress --------------------------------------------------------

await test('progress: level, XP into the level, coins and today against the goal', () => onOneDay('UTC', 0, async () => {
	const u = newUser();
	sql(`INSERT INTO user_progress (user_id, xp, level) VALUES ('${u.id}', 150, 2)`);
	sql(`INSERT INTO user_wallet (user_id, coins) VALUES ('${u.id}', 7)`);
	await settings(u, { daily_goal: 5 });
	// a session started half an hour ago (by the database's clock), or in
	// the first half hour of the UTC day at the day's first instant: today
	const at = sql(`SELECT to_char(greatest(now() - interval '30 minutes', date_trunc('day', now() AT TIME ZONE 'UTC')
		AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`);
	seed(u, [{ at, secs: 600, focused: 600 }]);
	const p = ok(await get(u, '/api/focus/progress'));
	// level 2 begins at 100 XP and takes floor(100 * 2^1.5) = 282 more
	assert.deepEqual(p, { level: 2, xp: 150, xp_into_level: 50, xp_for_next_level: 282, coins: 7,
		streak: { current: 1, longest: 1 }, today: { completed_focus: 1, focus_seconds: 600, goal: 5 } });
	const fresh = ok(await get(newUser(), '/api/focus/progress'));
	assert.deepEqual(fresh, { level: 1, xp: 0, xp_into_level: 0, xp_for_next_level: 100, coins: 0,
		streak: { current: 0, longest: 0 }, today: { completed_focus: 0, focus_seconds: 0, goal: 8 } });
}));

// (the current run ends yesterday by Berlin's clock: a Berlin midnight
// between the seeding and the read runs it once more, onOneDay)
await test('streak by local day across a daylight-saving change; only completed focus sessions count', () => onOneDay('Europe/Berlin', 0, async () => {
	const u = newUser();
	await settings(u, { time_zone: 'Europe/Berlin' });
	seed(u, [
		{ at: '2026-03-28T11:00:00Z' },                 // 03-28 12:00 CET
		{ at: '2026-03-29T21:30:00Z' },                 // 03-29 23:30 CEST
		{ at: '2026-03-29T22:30:00Z' },                 // 03-30 00:30 CEST: the same UTC day as the one before
		{ at: '2026-04-01T10:00:00Z', status: 'abandoned' },     // does not join 03-30 to 04-02
		{ at: '2026-04-01T11:00:00Z', mode: 'break', secs: 300 },
		{ at: '2026-04-02T10:00:00Z' },
	]);
	// a manual session (entered afterwards) on 03-31 counts in the series
	// but not toward the streak, which it would stretch to four days
	const made = await call('POST', '/api/focus/batch', { token: u.token, body: { updates: [
		{ action: 'create', mode: 'focus', started_at: '2026-03-31T10:00:00Z', duration_seconds: 1500 }] } });
	assert.equal(made.status, 200, made.text);
	assert.deepEqual(filled(ok(await series(u, '2026-03-31', '2026-03-31'))), { '2026-03-31': [1, 1500] });
	let p = ok(await get(u, '/api/focus/progress'));
	assert.deepEqual(p.streak, { current: 0, longest: 3 }, 'three local days (two UTC days)');
	// in UTC the same sessions make two days in a row
	await settings(u, { time_zone: 'UTC' });
	assert.deepEqual(ok(await get(u, '/api/focus/progress')).streak, { current: 0, longest: 2 });
	// noon yesterday and the day before, Berlin's days (PostgreSQL works
	// them out, so the test does not depend on the hour it runs at): two
	// local days in a row that end yesterday, still the current run
	await settings(u, { time_zone: 'Europe/Berlin' });
	const berlinNoon = (back) => sql(`SELECT to_char((((now() AT TIME ZONE 'Europe/Berlin')::date - ${back})
		+ time '12:00') AT TIME ZONE 'Europe/Berlin' AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`);
	seed(u, [{ at: berlinNoon(2) }, { at: berlinNoon(1) }]);
	p = ok(await get(u, '/api/focus/progress'));
	assert.deepEqual(p.streak, { current: 2, longest: 3 });
}));

// ---- bad input -------------------------------------------------------

await test('bad ranges, dates, groups and formats are 400 and change nothing', async () => {
	const u = newUser();
	const before = sql(`SELECT count(*) FROM focus_sessions WHERE user_id = '${u.id}'`);
	for (const path of [
		'/api/focus/stats?from=2026-03-02&to=2026-03-01',           // from after to
		'/api/focus/stats?from=2026-01-01&to=2027-01-02',           // 367 days
		'/api/focus/stats?from=2026-02-29&to=2026-03-01',           // no such date
		'/api/focus/stats?from=2026-1-01&to=2026-03-01',            // malformed
		'/api/focus/stats?from=2026-01-01',                         // to missing
		'/api/focus/stats?period=today&from=2026-01-01&to=2026-01-02',
		'/api/focus/stats?period=this_decade',
		'/api/focus/series?from=2026-03-02&to=2026-03-01',
		'/api/focus/series?from=2025-01-01&to=2026-01-02',          // 367 daily buckets
		'/api/focus/series?from=2000-01-01&to=2031-01-01&group=month',  // 373 buckets
		'/api/focus/series?from=2026-01-01&to=2026-01-31&group=year',
		'/api/focus/series?from=9999-12-25&to=9999-12-31&group=week',  // its last week ends in year 10000
		'/api/focus/series?from=2026-01-01&to=2026-01-31T00',
		'/api/focus/series',
		'/api/focus/export?format=xlsx',
		'/api/focus/export?from=2026-03-02&to=2026-03-01',
		'/api/focus/export?from=2026-01-01',
		'/api/focus/export?from=01/01/2026&to=2026-03-01',
	]) bad(await get(u, path));
	assert.equal(sql(`SELECT count(*) FROM focus_sessions WHERE user_id = '${u.id}'`), before);
	// the edges that pass: 366 days, 366 buckets
	ok(await get(u, '/api/focus/stats?from=2024-01-01&to=2024-12-31'));
	assert.equal(ok(await series(u, '2000-01-01', '2030-06-30', 'month')).buckets.length, 366);
	assert.equal((await get({ token: 'f'.repeat(64) }, '/api/focus/series?from=2026-01-01&to=2026-01-02')).status, 401);
	assert.equal((await get({ token: 'f'.repeat(64) }, '/api/focus/export')).status, 401);
	assert.equal((await get({ token: 'f'.repeat(64) }, '/api/focus/progress')).status, 401);
});

// ---- export ----------------------------------------------------------

// RFC 4180: records of fields separated by commas, CRLF between records;
// a field in double quotes may hold commas, CR, LF and doubled quotes.
// Throws on anything else (a bare quote inside an unquoted field, text
// after a closing quote, a missing CRLF at the end).
function parseCsv(text) {
	const records = [];
	let fields = [], i = 0;
	for (;;) {
		let field = '';
		if (text[i] === '"') {
			i++;
			for (;;) {
				const q = text.indexOf('"', i);
				if (q < 0) throw new Error(`unterminated quoted field at ${i}`);
				field += text.slice(i, q);
				if (text[q + 1] === '"') { field += '"'; i = q + 2; } else { i = q + 1; break; }
			}
		} else {
			let j = i;
			while (j < text.length && text[j] !== ',' && text[j] !== '\r' && text[j] !== '\n') {
				if (text[j] === '"') throw new Error(`quote in an unquoted field at ${j}`);
				j++;
			}
			field = text.slice(i, j);
			i = j;
		}
		fields.push(field);
		if (text[i] === ',') { i++; continue; }
		if (text.startsWith('\r\n', i)) {
			records.push(fields);
			fields = [];
			i += 2;
			if (i === text.length) return records;
			continue;
		}
		throw new Error(`expected a comma or CRLF at ${i}, found ${JSON.stringify(text.slice(i, i + 10))}`);
	}
}
const HEADER = ['id', 'mode', 'status', 'source', 'started_at', 'started_local', 'ended_at', 'duration_seconds',
	'focused_seconds', 'xp_awarded', 'coins_awarded', 'task_id', 'task_title'];

await test('export: CSV and JSON, oldest first, a range of local dates, formulas neutralized', async () => {
	const u = newUser();
	await settings(u, { time_zone: 'Europe/Berlin' });
	seed(u, [
		{ at: '2026-03-29T21:30:00Z', title: '=HYPERLINK("http://x","y")', xp: 25, coins: 5 },
		{ at: '2026-03-28T22:30:00Z', title: 'plain, "quoted"\nand two lines' },
		{ at: '2026-03-30T08:00:00Z', title: '-2+3', status: 'abandoned' },
		{ at: '2026-04-02T08:00:00Z', title: '@me' },
	]);
	let r = await get(u, '/api/focus/export?format=csv');
	assert.equal(r.status, 200, r.text);
	assert.equal(r.rt, 1);
	assert.match(r.headers.get('content-type'), /^text\/csv/);
	assert.equal(r.headers.get('content-disposition'), 'attachment; filename="focus-all.csv"');
	let rows = parseCsv(r.text);
	assert.deepEqual(rows[0], HEADER);
	assert.equal(rows.length, 5);
	const col = (name) => HEADER.indexOf(name);
	assert.deepEqual(rows.slice(1).map((x) => x[col('task_title')]),
		['plain, "quoted"\nand two lines', '\'=HYPERLINK("http://x","y")', '\'-2+3', '\'@me']);
	const first = rows[2];
	assert.deepEqual([first[col('mode')], first[col('status')], first[col('source')], first[col('started_at')],
		first[col('started_local')], first[col('ended_at')], first[col('duration_seconds')], first[col('focused_seconds')],
		first[col('xp_awarded')], first[col('coins_awarded')], first[col('task_id')]],
	['focus', 'completed', 'timer', '2026-03-29T21:30:00.000Z', '2026-03-29T23:30:00', '2026-03-29T21:55:00.000Z',
		'1500', '1500', '25', '5', '']);
	assert.equal(rows[3][col('focused_seconds')], '', 'an abandoned session has no focused time');

	// local dates 03-29..03-30 in Berlin: not the 28th's 23:30, whose UTC
	// date is the 28th too, but the 29th's 23:30, whose UTC instant is on
	// the 29th, and JSON keeps the titles as they are
	r = await get(u, '/api/focus/export?format=json&from=2026-03-29&to=2026-03-30');
	assert.equal(r.status, 200, r.text);
	assert.equal(r.headers.get('content-disposition'), 'attachment; filename="focus-2026-03-29-2026-03-30.json"');
	const list = JSON.parse(r.text);
	assert.deepEqual(list.map((s) => s.task_title), ['=HYPERLINK("http://x","y")', '-2+3']);
	assert.deepEqual(Object.keys(list[0]), HEADER);
	assert.deepEqual([list[0].xp_awarded, list[0].started_local, list[0].source], [25, '2026-03-29T23:30:00', 'timer']);
	assert.equal(list[1].focused_seconds, null);
	// nothing in the range: the header alone, an empty array
	r = await get(u, '/api/focus/export?from=2020-01-01&to=2020-01-02');
	assert.deepEqual(parseCsv(r.text), [HEADER]);
	assert.deepEqual(JSON.parse((await get(u, '/api/focus/export?format=json&from=2020-01-01&to=2020-01-02')).text), []);
});

const vmRss = (pid) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);

await test('export of 100,000 sessions: every row, valid CSV, and the workers stay within 1 MiB', async () => {
	const u = newUser();
	const N = 100000;
	// one person's history, oldest first 30 minutes apart; every fifth
	// title a formula, every fifth one with commas, quotes and a line break
	sql(`INSERT INTO focus_sessions (user_id, mode, duration_seconds, started_at, expires_at, status, completed_at,
		focused_seconds, xp_awarded, coins_awarded, task_title)
		SELECT '${u.id}', 'focus', 1500, t, t + interval '1500 seconds', 'completed', t + interval '1500 seconds', 1500, 25, 5,
		       CASE i % 5 WHEN 0 THEN '=1+' || i WHEN 1 THEN 'a, "b"' || chr(10) || i ELSE 'task ' || i END
		FROM generate_series(1, ${N}) i, LATERAL (SELECT timestamptz '2019-01-01 00:00Z' + i * interval '30 minutes' AS t) x`);
	const pids = workerPids();
	assert.ok(pids.length > 0, 'the workers');
	// every worker has served an export once, so what a first export
	// allocates for good (libpq's buffers) is in the "before"
	for (let k = 0; k < 4 * pids.length; k++)
		assert.equal((await get(u, '/api/focus/export?from=2019-01-01&to=2019-01-02')).status, 200);
	const before = pids.map(vmRss);
	const r = await get(u, '/api/focus/export?format=csv');
	const after = pids.map(vmRss);
	assert.equal(r.status, 200);
	const rows = parseCsv(r.text);
	assert.deepEqual(rows[0], HEADER);
	assert.equal(rows.length, N + 1);
	assert.ok(rows.every((x) => x.length === HEADER.length), 'every record has every field');
	assert.equal(rows[1][HEADER.indexOf('task_title')], 'a, "b"\n1');
	assert.equal(rows[5][HEADER.indexOf('task_title')], '\'=1+5');
	assert.equal(rows[N][HEADER.indexOf('started_at')], new Date(Date.parse('2019-01-01T00:00:00Z') + N * 1800e3).toISOString());
	for (let k = 0; k < pids.length; k++)
		assert.ok(after[k] - before[k] <= 1024, `worker ${pids[k]}: VmRSS ${before[k]} kB before, ${after[k]} kB after`);
	const json = JSON.parse((await get(u, '/api/focus/export?format=json')).text);
	assert.equal(json.length, N);
	sql(`DELETE FROM users WHERE id = '${u.id}'`);
});
