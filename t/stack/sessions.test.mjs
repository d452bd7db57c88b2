// sessions.test.mjs: every session route of API.md over real HTTP,
// through nginx to the spawn-fcgi workers and PostgreSQL.
import assert from 'node:assert/strict';
import { call, newUser, onOneDay, sql, test, sleep, focusctl } from './lib.mjs';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

function isError(r, status, kind) {
	assert.equal(r.status, status, `status ${r.status}: ${r.text}`);
	assert.equal(r.json.error, kind);
	assert.equal(typeof r.json.message, 'string');
	assert.ok(r.json.message.length > 0);
}

const start = (u, body = {}) => call('POST', '/api/focus', { token: u.token, body });

await test('health answers ok with the database', async () => {
	const r = await call('GET', '/api/health');
	assert.equal(r.status, 200);
	assert.deepEqual(r.json, { data: { status: 'ok', database: 'ok' } });
});

await test('a request without a token is 401', async () => {
	isError(await call('GET', '/api/focus/active'), 401, 'unauthorized');
});

await test('an unknown token is 401 on every session route, at once and with nothing changed', async () => {
	const u = newUser();
	const s = (await start(u, { duration_seconds: 600 })).json.data;
	const token = 'ab'.repeat(32);
	const id = s.id;
	for (const [method, path, body] of [
		['GET', '/api/focus/active'], ['GET', '/api/focus'], ['GET', '/api/focus/stats'],
		['GET', '/api/focus/pause'], ['POST', '/api/focus/pause', {}], ['DELETE', '/api/focus/pause'],
		['POST', '/api/focus', {}], ['POST', `/api/focus/${id}/complete`, {}],
		['POST', `/api/focus/${id}/abandon`, {}],
		['POST', '/api/focus/batch', { updates: [{ id, action: 'complete' }] }],
	]) {
		const r = await call(method, path, { token, body });
		isError(r, 401, 'unauthorized');
		// answered by the statement's first run: a statement that raised
		// and retried would show in the round-trip count
		if (r.headers.get('x-focus-round-trips') !== null)
			assert.equal(r.headers.get('x-focus-round-trips'), '1', `${method} ${path}`);
	}
	assert.equal(sql(`SELECT status FROM focus_sessions WHERE id = '${id}'`), 'active');
});

await test('a malformed token is 401', async () => {
	isError(await call('GET', '/api/focus/active', { token: 'x' }), 401, 'unauthorized');
});

await test('an expired token is 401', async () => {
	const u = newUser();
	sql(`UPDATE sessions SET expires_at = now() - interval '1 second' WHERE user_id = '${u.id}'`);
	isError(await call('GET', '/api/focus/active', { token: u.token }), 401, 'unauthorized');
});

await test('a start with no body gives a 25-minute focus session', async () => {
	const u = newUser();
	const r = await call('POST', '/api/focus', { token: u.token });
	assert.equal(r.status, 200, r.text);
	const s = r.json.data;
	assert.match(s.id, UUID);
	assert.equal(s.mode, 'focus');
	assert.equal(s.duration_seconds, 1500);
	assert.equal(s.status, 'active');
	assert.equal(s.time_remaining_seconds, 1500);
	assert.match(s.started_at, TS);
	assert.match(s.expires_at, TS);
	assert.equal(Date.parse(s.expires_at) - Date.parse(s.started_at), 1500 * 1000);
	for (const k of ['paused_at', 'completed_at', 'abandoned_at', 'focused_seconds', 'task_id', 'task_title'])
		assert.equal(s[k], null, k);
	assert.equal(s.xp_awarded, 0);
	assert.equal(s.coins_awarded, 0);
});

await test('an empty body with Content-Type application/json is accepted', async () => {
	const u = newUser();
	const r = await call('POST', '/api/focus', { token: u.token, body: '', headers: { 'Content-Type': 'application/json' } });
	assert.equal(r.status, 200, r.text);
});

await test('each mode has its default duration', async () => {
	const u = newUser();
	for (const [mode, d] of [['focus', 1500], ['break', 300], ['long_break', 900]]) {
		const r = await start(u, { mode });
		assert.equal(r.json.data.duration_seconds, d, mode);
	}
});

await test('a start keeps the task and ignores unknown fields', async () => {
	const u = newUser();
	const r = await start(u, { mode: 'focus', duration_seconds: 60, task_id: 'AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE', task_title: 'Write', extra: [1], pageSize: 5 });
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.data.task_id, 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee');
	assert.equal(r.json.data.task_title, 'Write');
});

const badStarts = [
	['malformed JSON is 400', '{"mode":', 400, 'bad_request'],
	['a JSON array is 400', '[1]', 400, 'bad_request'],
	['a JSON string is 400', '"focus"', 400, 'bad_request'],
	['zero seconds is 422', { duration_seconds: 0 }, 422, 'validation_error'],
	['a day and a second is 422', { duration_seconds: 86401 }, 422, 'validation_error'],
	['a duration as a string is 422', { duration_seconds: '60' }, 422, 'validation_error'],
	['a fractional duration is 422', { duration_seconds: 1.5 }, 422, 'validation_error'],
	['an unknown mode is 422', { mode: 'nap' }, 422, 'validation_error'],
	['a task_title of 201 characters is 422', { task_title: 'x'.repeat(201) }, 422, 'validation_error'],
	['a task_id that is not a UUID is 422', { task_id: 'task-1' }, 422, 'validation_error'],
];
for (const [name, body, status, kind] of badStarts) {
	await test(`start: ${name} and changes nothing`, async () => {
		const u = newUser();
		const r = await call('POST', '/api/focus', { token: u.token, body, headers: { 'Content-Type': 'application/json' } });
		isError(r, status, kind);
		assert.equal(sql(`SELECT count(*) FROM focus_sessions WHERE user_id = '${u.id}'`), '0');
	});
}

await test('a non-JSON Content-Type with a body is 415', async () => {
	const u = newUser();
	isError(await call('POST', '/api/focus', { token: u.token, body: 'mode=focus', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }), 415, 'unsupported_media_type');
	assert.equal(sql(`SELECT count(*) FROM focus_sessions WHERE user_id = '${u.id}'`), '0');
});

await test('a JSON body over 64 KiB is 413 and changes nothing', async () => {
	const u = newUser();
	const r = await call('POST', '/api/focus', { token: u.token, body: { task_title: 'x', pad: 'y'.repeat(70 * 1024) } });
	isError(r, 413, 'payload_too_large');
	assert.equal(sql(`SELECT count(*) FROM focus_sessions WHERE user_id = '${u.id}'`), '0');
});

await test('a body over nginx\'s limit is 413 in the API envelope', async () => {
	const u = newUser();
	const r = await call('POST', '/api/focus', { token: u.token, body: { pad: 'y'.repeat(2 * 1024 * 1024) } });
	isError(r, 413, 'payload_too_large');
});

await test('a new start abandons the open session in the same transaction', async () => {
	const u = newUser();
	const a = (await start(u)).json.data;
	const b = (await start(u, { mode: 'break' })).json.data;
	const list = (await call('GET', '/api/focus', { token: u.token })).json.data;
	assert.equal(list.total, 2);
	assert.equal(list.sessions[0].id, b.id);
	assert.equal(list.sessions[1].id, a.id);
	assert.equal(list.sessions[1].status, 'abandoned');
	assert.match(list.sessions[1].abandoned_at, TS);
	assert.equal(list.sessions[1].time_remaining_seconds, undefined);
});

await test('unknown routes are 404 and wrong methods 405 with Allow', async () => {
	const u = newUser();
	isError(await call('GET', '/api/nothing', { token: u.token }), 404, 'not_found');
	const r = await call('PUT', '/api/focus/active', { token: u.token });
	isError(r, 405, 'method_not_allowed');
	assert.equal(r.headers.get('allow'), 'GET');
	const r2 = await call('PATCH', '/api/focus', { token: u.token });
	isError(r2, 405, 'method_not_allowed');
	assert.match(r2.headers.get('allow'), /POST/);
});

await test('a bad UUID in the path is 400', async () => {
	const u = newUser();
	isError(await call('POST', '/api/focus/not-a-uuid/complete', { token: u.token }), 400, 'bad_request');
	isError(await call('POST', '/api/focus/12345678-1234-1234-1234-12345678901/abandon', { token: u.token }), 400, 'bad_request');
});

await test('a UUID in capitals in the path is accepted', async () => {
	const u = newUser();
	const s = (await start(u)).json.data;
	const r = await call('POST', `/api/focus/${s.id.toUpperCase()}/abandon`, { token: u.token });
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.data.status, 'abandoned');
});

await test('active shows the open session with no pause state', async () => {
	const u = newUser();
	const idle = (await call('GET', '/api/focus/active', { token: u.token })).json.data;
	assert.equal(idle.session, null);
	assert.equal(idle.pause_state, null);
	assert.deepEqual(idle.next, { mode: 'focus', duration_seconds: 1500, cycle_position: 1, auto_start: false });
	assert.match(idle.server_time, TS);
	const s = (await start(u)).json.data;
	const d = (await call('GET', '/api/focus/active', { token: u.token })).json.data;
	assert.equal(d.session.id, s.id);
	assert.equal(d.pause_state, null);
});

await test('pause, 3 s, resume gives back exactly the remaining time', async () => {
	const u = newUser();
	await start(u, { duration_seconds: 600 });
	const p = await call('POST', '/api/focus/pause', { token: u.token });
	assert.equal(p.status, 200, p.text);
	const ps = p.json.data;
	assert.equal(ps.mode, 'focus');
	assert.match(ps.paused_at, TS);
	const active = (await call('GET', '/api/focus/active', { token: u.token })).json.data;
	assert.equal(active.session.status, 'paused');
	assert.equal(active.pause_state.time_remaining_seconds, ps.time_remaining_seconds);
	assert.equal(active.session.time_remaining_seconds, ps.time_remaining_seconds);
	assert.deepEqual((await call('GET', '/api/focus/pause', { token: u.token })).json.data, ps);
	await sleep(3000); // the pause itself: the length of time being tested
	const still = (await call('GET', '/api/focus/active', { token: u.token })).json.data;
	assert.equal(still.session.time_remaining_seconds, ps.time_remaining_seconds, 'frozen while paused');
	assert.equal(still.session.expires_at, active.session.expires_at, 'expires_at frozen while paused');
	const r = await call('DELETE', '/api/focus/pause', { token: u.token });
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.data.status, 'active');
	assert.equal(r.json.data.paused_at, null);
	assert.ok(r.json.data.time_remaining_seconds === ps.time_remaining_seconds, `${r.json.data.time_remaining_seconds} vs ${ps.time_remaining_seconds}`);
	assert.ok(Date.parse(r.json.data.expires_at) - Date.parse(active.session.expires_at) >= 3000, 'expires_at moved by the pause');
	assert.equal((await call('GET', '/api/focus/pause', { token: u.token })).json.data, null);
});

await test('pausing twice is 409, resuming with nothing paused is 404', async () => {
	const u = newUser();
	isError(await call('POST', '/api/focus/pause', { token: u.token }), 404, 'not_found');
	isError(await call('DELETE', '/api/focus/pause', { token: u.token }), 404, 'not_found');
	await start(u);
	assert.equal((await call('POST', '/api/focus/pause', { token: u.token })).status, 200);
	isError(await call('POST', '/api/focus/pause', { token: u.token }), 409, 'conflict');
});

// API.md Part 2 changed this (it was 409): time's up completed the session
// before the pause could see it, so nothing runs
await test('pausing after the timer ran out finds nothing running (404): the session completed by itself', async () => {
	const u = newUser();
	const s = (await start(u, { duration_seconds: 60 })).json.data;
	sql(`UPDATE focus_sessions SET started_at = started_at - interval '61 seconds', expires_at = expires_at - interval '61 seconds' WHERE user_id = '${u.id}'`);
	isError(await call('POST', '/api/focus/pause', { token: u.token }), 404, 'not_found');
	assert.equal(sql(`SELECT status FROM focus_sessions WHERE id = '${s.id}'`), 'completed');
});

await test('completing a full focus session grants rewards, level and streak', async () => {
	const u = newUser();
	const s = (await start(u, { duration_seconds: 1500 })).json.data;
	sql(`UPDATE focus_sessions SET started_at = started_at - interval '1500 seconds', expires_at = expires_at - interval '1500 seconds' WHERE id = '${s.id}'`);
	const r = await call('POST', `/api/focus/${s.id}/complete`, { token: u.token });
	assert.equal(r.status, 200, r.text);
	const d = r.json.data;
	assert.equal(d.session.status, 'completed');
	assert.equal(d.session.focused_seconds, 1500);
	assert.equal(d.xp_awarded, 25);
	assert.equal(d.coins_awarded, 5);
	assert.equal(d.session.xp_awarded, 25);
	assert.equal(d.new_level, 1);
	assert.equal(d.leveled_up, false);
	assert.deepEqual(d.streak, { current: 1, longest: 1 });
	assert.equal(d.session.time_remaining_seconds, undefined);
	assert.equal(sql(`SELECT xp || ',' || level FROM user_progress WHERE user_id = '${u.id}'`), '25,1');
	assert.equal(sql(`SELECT coins FROM user_wallet WHERE user_id = '${u.id}'`), '5');
	assert.equal(sql(`SELECT count(*) FROM points_ledger WHERE user_id = '${u.id}'`), '1');
});

// The seconds node saw pass since t0, rounded up: what a session started
// after t0 can have run by now (the server's clock is the same machine's).
// An upper bound from the run itself, not a guess of how fast it runs.
const secondsSince = (t0) => Math.ceil((Date.now() - t0) / 1000);

await test('completing early rewards only the time focused', async () => {
	const u = newUser();
	const t0 = Date.now();
	const s = (await start(u, { duration_seconds: 3600 })).json.data;
	sql(`UPDATE focus_sessions SET started_at = started_at - interval '700 seconds', expires_at = expires_at - interval '700 seconds' WHERE id = '${s.id}'`);
	const d = (await call('POST', `/api/focus/${s.id}/complete`, { token: u.token })).json.data;
	// 700 s moved back, plus what ran between the start and the complete
	const ran = secondsSince(t0);
	assert.ok(d.session.focused_seconds >= 700 && d.session.focused_seconds <= 700 + ran, `${d.session.focused_seconds} (${ran} s ran)`);
	assert.equal(d.xp_awarded, Math.floor(d.session.focused_seconds / 60));
	assert.equal(d.coins_awarded, Math.floor(d.session.focused_seconds / 300));
});

await test('an early break gives nothing; a full break 2 XP, a full long break 3 XP and 1 coin', async () => {
	const u = newUser();
	let s = (await start(u, { mode: 'break' })).json.data;
	let d = (await call('POST', `/api/focus/${s.id}/complete`, { token: u.token })).json.data;
	assert.equal(d.xp_awarded, 0);
	assert.equal(d.coins_awarded, 0);
	assert.deepEqual(d.streak, { current: 0, longest: 0 }, 'breaks do not count for the focus streak');
	// the sessions before lie an hour further back: no two of a person's
	// sessions overlap (sql/010_history.sql), also when a test moves one
	const earlier = () => sql(`UPDATE focus_sessions SET started_at = started_at - interval '1 hour',
		expires_at = expires_at - interval '1 hour', completed_at = completed_at - interval '1 hour',
		abandoned_at = abandoned_at - interval '1 hour' WHERE user_id = '${u.id}' AND NOT open`);
	earlier();
	s = (await start(u, { mode: 'break', duration_seconds: 30 })).json.data;
	sql(`UPDATE focus_sessions SET expires_at = now() - interval '1 second', started_at = now() - interval '31 seconds' WHERE id = '${s.id}'`);
	d = (await call('POST', `/api/focus/${s.id}/complete`, { token: u.token })).json.data;
	assert.equal(d.xp_awarded, 2);
	assert.equal(d.coins_awarded, 0);
	earlier();
	s = (await start(u, { mode: 'long_break', duration_seconds: 30 })).json.data;
	sql(`UPDATE focus_sessions SET expires_at = now() - interval '1 second', started_at = now() - interval '31 seconds' WHERE id = '${s.id}'`);
	d = (await call('POST', `/api/focus/${s.id}/complete`, { token: u.token })).json.data;
	assert.equal(d.xp_awarded, 3);
	assert.equal(d.coins_awarded, 1);
});

await test('a short full focus session gives at least 5 XP and 2 coins', async () => {
	const u = newUser();
	const s = (await start(u, { duration_seconds: 60 })).json.data;
	sql(`UPDATE focus_sessions SET expires_at = now() - interval '1 second', started_at = now() - interval '61 seconds' WHERE id = '${s.id}'`);
	const d = (await call('POST', `/api/focus/${s.id}/complete`, { token: u.token })).json.data;
	assert.equal(d.xp_awarded, 5);
	assert.equal(d.coins_awarded, 2);
});

await test('one completion can raise several levels', async () => {
	const u = newUser();
	// 100 + 282 = 382 XP reach level 3; a full 86400 s session gives 1440 XP
	const s = (await start(u, { duration_seconds: 86400 })).json.data;
	sql(`UPDATE focus_sessions SET expires_at = now() - interval '1 second', started_at = now() - interval '86401 seconds' WHERE id = '${s.id}'`);
	const d = (await call('POST', `/api/focus/${s.id}/complete`, { token: u.token })).json.data;
	assert.equal(d.xp_awarded, 1440);
	assert.equal(d.leveled_up, true);
	// levels: 1->2 100, 2->3 282, 3->4 519, 4->5 800: 1701 > 1440 >= 901
	assert.equal(d.new_level, 4);
});

await test('the level function matches floor(100 * L^1.5) per level', async () => {
	const rows = [[0, 1], [99, 1], [100, 2], [381, 2], [382, 3], [900, 3], [901, 4], [1700, 4], [1701, 5]];
	for (const [xp, level] of rows)
		assert.equal(sql(`SELECT focus_level_for_xp(${xp})`), String(level), `xp ${xp}`);
});

// yesterday and today by the database's UTC clock: a UTC midnight during
// the test (between the seeding and a complete, or between two completes
// that should fall on one day) runs it once more (onOneDay)
await test('the streak counts consecutive UTC days and keeps the longest', () => onOneDay('UTC', 0, async () => {
	const u = newUser();
	sql(`INSERT INTO user_streaks VALUES ('${u.id}', 4, 6, (now() AT TIME ZONE 'UTC')::date - 1)`);
	const s = (await start(u, { duration_seconds: 60 })).json.data;
	let d = (await call('POST', `/api/focus/${s.id}/complete`, { token: u.token })).json.data;
	assert.deepEqual(d.streak, { current: 5, longest: 6 });
	const s2 = (await start(u, { duration_seconds: 60 })).json.data;
	d = (await call('POST', `/api/focus/${s2.id}/complete`, { token: u.token })).json.data;
	assert.deepEqual(d.streak, { current: 5, longest: 6 }, 'same day: unchanged');
	sql(`UPDATE user_streaks SET last_day = last_day - 3 WHERE user_id = '${u.id}'`);
	const s3 = (await start(u, { duration_seconds: 60 })).json.data;
	d = (await call('POST', `/api/focus/${s3.id}/complete`, { token: u.token })).json.data;
	assert.deepEqual(d.streak, { current: 1, longest: 6 }, 'a gap restarts the run');
}));

await test('completing twice is 409 and rewards once', async () => {
	const u = newUser();
	const s = (await start(u, { duration_seconds: 60 })).json.data;
	assert.equal((await call('POST', `/api/focus/${s.id}/complete`, { token: u.token })).status, 200);
	isError(await call('POST', `/api/focus/${s.id}/complete`, { token: u.token }), 409, 'conflict');
	assert.equal(sql(`SELECT count(*) FROM points_ledger WHERE session_id = '${s.id}'`), '1');
});

await test('completing an abandoned session is 409; abandoning twice is 409', async () => {
	const u = newUser();
	const s = (await start(u)).json.data;
	const a = await call('POST', `/api/focus/${s.id}/abandon`, { token: u.token });
	assert.equal(a.status, 200, a.text);
	assert.equal(a.json.data.status, 'abandoned');
	isError(await call('POST', `/api/focus/${s.id}/complete`, { token: u.token }), 409, 'conflict');
	isError(await call('POST', `/api/focus/${s.id}/abandon`, { token: u.token }), 409, 'conflict');
	assert.equal(sql(`SELECT count(*) FROM points_ledger WHERE session_id = '${s.id}'`), '0');
});

await test('completing a paused session counts the time up to the pause and clears the pause', async () => {
	const u = newUser();
	const t0 = Date.now();
	const s = (await start(u, { duration_seconds: 600 })).json.data;
	sql(`UPDATE focus_sessions SET started_at = started_at - interval '300 seconds', expires_at = expires_at - interval '300 seconds' WHERE id = '${s.id}'`);
	await call('POST', '/api/focus/pause', { token: u.token });
	const ran = secondsSince(t0);     // at most what ran up to the pause
	const d = (await call('POST', `/api/focus/${s.id}/complete`, { token: u.token })).json.data;
	assert.ok(d.session.focused_seconds >= 300 && d.session.focused_seconds <= 300 + ran, `${d.session.focused_seconds} (${ran} s ran)`);
	assert.equal(d.session.paused_at, null);
	assert.equal((await call('GET', '/api/focus/pause', { token: u.token })).json.data, null);
});

await test('a missing session id is 404', async () => {
	const u = newUser();
	isError(await call('POST', '/api/focus/00000000-0000-4000-8000-000000000000/complete', { token: u.token }), 404, 'not_found');
});

await test('two users never see or change each other\'s sessions', async () => {
	const a = newUser('a'), b = newUser('b');
	const s = (await start(a)).json.data;
	isError(await call('POST', `/api/focus/${s.id}/complete`, { token: b.token }), 404, 'not_found');
	isError(await call('POST', `/api/focus/${s.id}/abandon`, { token: b.token }), 404, 'not_found');
	isError(await call('POST', '/api/focus/pause', { token: b.token }), 404, 'not_found');
	const lb = (await call('GET', '/api/focus', { token: b.token })).json.data;
	assert.equal(lb.total, 0);
	const ba = (await call('GET', '/api/focus/active', { token: b.token })).json.data;
	assert.equal(ba.session, null);
	assert.equal(ba.pause_state, null);
	await start(b);
	const aa = (await call('GET', '/api/focus/active', { token: a.token })).json.data;
	assert.equal(aa.session.id, s.id, 'b starting did not abandon a\'s session');
	assert.equal(aa.session.status, 'active');
});

await test('the list pages newest first with an exact total', async () => {
	const u = newUser();
	const ids = [];
	for (let i = 0; i < 5; i++) ids.push((await start(u, { duration_seconds: 60 + i })).json.data.id);
	const p1 = (await call('GET', '/api/focus?page=1&page_size=2&limit=9&offset=3', { token: u.token })).json.data;
	assert.equal(p1.total, 5);
	assert.equal(p1.page, 1);
	assert.equal(p1.page_size, 2);
	assert.deepEqual(p1.sessions.map((s) => s.id), [ids[4], ids[3]]);
	const p3 = (await call('GET', '/api/focus?page=3&page_size=2', { token: u.token })).json.data;
	assert.deepEqual(p3.sessions.map((s) => s.id), [ids[0]]);
	const p9 = (await call('GET', '/api/focus?page=9&page_size=2', { token: u.token })).json.data;
	assert.deepEqual(p9.sessions, []);
	assert.equal(p9.total, 5);
});

for (const q of ['page=0', 'page=-1', 'page=x', 'page_size=0', 'page_size=101', 'page_size=1.5', 'stats=maybe', 'stats=true&period=year']) {
	await test(`the list refuses ${q} with 400`, async () => {
		const u = newUser();
		isError(await call('GET', `/api/focus?${q}`, { token: u.token }), 400, 'bad_request');
	});
}

await test('stats count sessions by period, on both routes', async () => {
	const u = newUser();
	const s1 = (await start(u, { duration_seconds: 60 })).json.data;
	sql(`UPDATE focus_sessions SET started_at = started_at - interval '61 seconds', expires_at = expires_at - interval '61 seconds' WHERE id = '${s1.id}'`);
	await call('POST', `/api/focus/${s1.id}/complete`, { token: u.token });
	const s2 = (await start(u, { duration_seconds: 60 })).json.data;
	await call('POST', `/api/focus/${s2.id}/abandon`, { token: u.token });
	const s3 = (await start(u, { duration_seconds: 60 })).json.data;
	await call('POST', `/api/focus/${s3.id}/abandon`, { token: u.token });
	sql(`UPDATE focus_sessions SET started_at = started_at - interval '10 days', expires_at = expires_at - interval '10 days', abandoned_at = abandoned_at - interval '10 days' WHERE id = '${s3.id}'`);
	const all = (await call('GET', '/api/focus/stats', { token: u.token })).json.data;
	assert.equal(all.total_sessions, 3);
	assert.equal(all.completed_sessions, 1);
	assert.equal(all.abandoned_sessions, 2);
	assert.equal(all.total_focus_seconds, 60);
	assert.equal(all.total_xp_earned, 5);
	assert.equal(all.total_coins_earned, 2);
	const day = (await call('GET', '/api/focus?stats=true&period=day', { token: u.token })).json.data;
	assert.equal(day.total_sessions, 2);
	const week = (await call('GET', '/api/focus/stats?period=week', { token: u.token })).json.data;
	assert.equal(week.total_sessions, 2);
	const month = (await call('GET', '/api/focus/stats?period=month', { token: u.token })).json.data;
	assert.equal(month.total_sessions, 3);
	isError(await call('GET', '/api/focus/stats?period=year', { token: u.token }), 400, 'bad_request');
});

// API.md Part 2 replaced the "vanished -> expired" rule: a timer that ran
// out completes its session, at its expires_at, with the full reward
await test('a session whose timer ran out long ago is completed by the next read, and a complete replays it', async () => {
	const u = newUser();
	const s = (await start(u, { duration_seconds: 60 })).json.data;
	sql(`UPDATE focus_sessions SET started_at = now() - interval '200 seconds', expires_at = now() - interval '140 seconds' WHERE id = '${s.id}'`);
	const act = (await call('GET', '/api/focus/active', { token: u.token })).json.data;
	assert.equal(act.session, null);
	assert.equal(sql(`SELECT status || ',' || (completed_at = expires_at) || ',' || focused_seconds FROM focus_sessions WHERE id = '${s.id}'`), 'completed,true,60');
	const r = await call('POST', `/api/focus/${s.id}/complete`, { token: u.token });
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.data.xp_awarded, 5);
	assert.equal(sql(`SELECT count(*) FROM points_ledger WHERE session_id = '${s.id}'`), '1');
});

await test('list and active agree with the database on a timer that ran out: completed at its expires_at', async () => {
	const u = newUser();
	const s = (await start(u, { duration_seconds: 60 })).json.data;
	sql(`UPDATE focus_sessions SET started_at = now() - interval '100 seconds', expires_at = now() - interval '40 seconds' WHERE id = '${s.id}'`);
	const page = (await call('GET', '/api/focus', { token: u.token })).json.data;
	assert.equal(page.total, 1);
	assert.equal(page.sessions[0].status, 'completed');
	assert.equal('time_remaining_seconds' in page.sessions[0], false);
	assert.equal(page.sessions[0].completed_at, page.sessions[0].expires_at);
	const act = (await call('GET', '/api/focus/active', { token: u.token })).json.data;
	assert.equal(act.session, null);
	assert.equal(sql(`SELECT status FROM focus_sessions WHERE id = '${s.id}'`), 'completed');
});

await test('a start after a timer ran out finds it completed, not abandoned', async () => {
	const u = newUser();
	const s = (await start(u, { duration_seconds: 60 })).json.data;
	sql(`UPDATE focus_sessions SET started_at = now() - interval '200 seconds', expires_at = now() - interval '140 seconds' WHERE id = '${s.id}'`);
	await start(u);
	assert.equal(sql(`SELECT status || ',' || coalesce(abandoned_at::text, 'null') FROM focus_sessions WHERE id = '${s.id}'`), 'completed,null');
});

await test('focusctl expire completes every run-out session, for everyone, in one statement', async () => {
	const a = newUser(), b = newUser();
	const sa = (await start(a, { duration_seconds: 60 })).json.data;
	const sb = (await start(b, { duration_seconds: 60 })).json.data;
	sql(`UPDATE focus_sessions SET started_at = now() - interval '200 seconds', expires_at = now() - interval '140 seconds' WHERE id IN ('${sa.id}', '${sb.id}')`);
	const out = focusctl('expire');
	// the timer process (focus-timer) may have completed them first
	assert.match(out, /^caught up \d+$/m);
	assert.equal(sql(`SELECT count(*) FROM focus_sessions WHERE id IN ('${sa.id}', '${sb.id}') AND status = 'completed'`), '2');
	assert.equal(sql(`SELECT count(*) FROM points_ledger WHERE session_id IN ('${sa.id}', '${sb.id}')`), '2');
});

await test('a cookie-authenticated write from a foreign origin is 403 and changes nothing', async () => {
	const u = newUser();
	const r = await call('POST', '/api/focus', { cookie: u.token, body: {}, headers: { Origin: 'http://evil.example' } });
	isError(r, 403, 'forbidden');
	const r2 = await call('POST', '/api/focus', { cookie: u.token, body: {} });
	isError(r2, 403, 'forbidden');
	assert.equal(sql(`SELECT count(*) FROM focus_sessions WHERE user_id = '${u.id}'`), '0');
	const ok = await call('POST', '/api/focus', { cookie: u.token, body: {}, headers: { Origin: new URL(process.env.FOCUS_BASE_URL).origin } });
	assert.equal(ok.status, 200, ok.text);
	const ref = await call('POST', '/api/focus', { cookie: u.token, body: {}, headers: { Referer: process.env.FOCUS_BASE_URL + '/' } });
	assert.equal(ref.status, 200, ref.text);
	const get = await call('GET', '/api/focus/active', { cookie: u.token });
	assert.equal(get.status, 200, 'reads need no Origin');
});
