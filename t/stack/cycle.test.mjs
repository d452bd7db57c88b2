// cycle.test.mjs: the Pomodoro cycle run by the server (API.md Part 2,
// "Settings" and "The cycle and the end of a timer") over real HTTP:
// settings, time's up, auto-start, cycle positions, acting on the current
// session. Time is never waited for with a sleep: a 1-2 s session is
// polled with a bound, and longer spans are simulated by moving a
// session's timestamps back in the database.
import assert from 'node:assert/strict';
import { call, focusctl, newUser, okData as ok, sql, test, until } from './lib.mjs';

const TS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const DEFAULTS = {
	focus_seconds: 1500, short_break_seconds: 300, long_break_seconds: 900, long_break_every: 4,
	auto_start_breaks: false, auto_start_focus: false, daily_goal: 8, time_zone: 'UTC',
	day_start_hour: 0, week_start: 'monday',
};

function isError(r, status, kind) {
	assert.equal(r.status, status, `status ${r.status}: ${r.text}`);
	assert.equal(r.json.error, kind);
	assert.ok(r.json.message.length > 0);
}

const get = (u, path) => call('GET', path, { token: u.token });
const post = (u, path, body = {}) => call('POST', path, { token: u.token, body });
const patch = (u, body) => call('PATCH', '/api/focus/settings', { token: u.token, body });
const start = (u, body = {}) => post(u, '/api/focus', body);
// The seconds node saw pass since t0, rounded up: the most a session
// started after t0 can have run (the server's clock is this machine's).
const secondsSince = (t0) => Math.ceil((Date.now() - t0) / 1000);
// everything of the user's sessions that time's up writes, oldest first
const rows = (u) => sql(`SELECT string_agg(mode || ':' || status || ':' || coalesce(cycle_position::text, '-'), ' ' ORDER BY started_at, id)
	FROM focus_sessions WHERE user_id = '${u.id}'`);
const ledger = (u) => Number(sql(`SELECT count(*) FROM points_ledger WHERE user_id = '${u.id}'`));
// move every timestamp of the user's sessions back by secs
const back = (u, secs) => sql(`UPDATE focus_sessions SET started_at = started_at - interval '${secs} seconds',
	expires_at = expires_at - interval '${secs} seconds', paused_at = paused_at - interval '${secs} seconds',
	completed_at = completed_at - interval '${secs} seconds', abandoned_at = abandoned_at - interval '${secs} seconds'
	WHERE user_id = '${u.id}'`);

// ---- settings --------------------------------------------------------

await test('settings start at the defaults, in one round trip', async () => {
	const u = newUser();
	assert.deepEqual(ok(await get(u, '/api/focus/settings')), DEFAULTS);
});

await test('a PATCH changes only the given fields, ignores unknown ones and answers the whole object', async () => {
	const u = newUser();
	const d = ok(await patch(u, { focus_seconds: 3000, auto_start_focus: true, time_zone: 'Europe/Berlin',
		week_start: 'sunday', color: 'red' }));
	assert.deepEqual(d, { ...DEFAULTS, focus_seconds: 3000, auto_start_focus: true, time_zone: 'Europe/Berlin', week_start: 'sunday' });
	assert.deepEqual(ok(await get(u, '/api/focus/settings')), d);
	assert.deepEqual(ok(await patch(u, {})), d);
});

const edges = [
	['focus_seconds', 60, 86400], ['short_break_seconds', 60, 86400], ['long_break_seconds', 60, 86400],
	['long_break_every', 1, 12], ['daily_goal', 0, 48], ['day_start_hour', 0, 23],
];
for (const [field, min, max] of edges) {
	await test(`${field} takes ${min} and ${max}, and ${min - 1} or ${max + 1} is 422 with nothing changed`, async () => {
		const u = newUser();
		assert.equal(ok(await patch(u, { [field]: min }))[field], min);
		assert.equal(ok(await patch(u, { [field]: max }))[field], max);
		// a valid field beside the bad one is not written either
		const other = field === 'daily_goal' ? 'long_break_every' : 'daily_goal';
		for (const bad of [min - 1, max + 1, 1.5, String(min), null, true]) {
			isError(await patch(u, { [field]: bad, [other]: 7 }), 422, 'validation_error');
			assert.equal(ok(await get(u, '/api/focus/settings'))[field], max, `${field}=${JSON.stringify(bad)}`);
		}
		assert.equal(ok(await get(u, '/api/focus/settings'))[other], DEFAULTS[other]);
	});
}

await test('the booleans and week_start are checked strictly', async () => {
	const u = newUser();
	for (const body of [{ auto_start_breaks: 1 }, { auto_start_focus: 'true' }, { auto_start_breaks: null },
		{ week_start: 'saturday' }, { week_start: 'Monday' }, { time_zone: '' }, { time_zone: 5 }])
		isError(await patch(u, body), 422, 'validation_error');
	assert.deepEqual(ok(await get(u, '/api/focus/settings')), DEFAULTS);
});

await test('an unknown time zone is 422 and changes nothing, not even the valid fields beside it', async () => {
	const u = newUser();
	for (const zone of ['Mars/Olympus_Mons', 'europe/berlin', 'Europe/Berlin ', "UTC' OR 'a'='a"]) {
		const r = await patch(u, { time_zone: zone, focus_seconds: 600 });
		isError(r, 422, 'validation_error');
		assert.equal(r.rt, 1);
	}
	assert.deepEqual(ok(await get(u, '/api/focus/settings')), DEFAULTS);
	assert.equal(ok(await patch(u, { time_zone: 'America/Argentina/Buenos_Aires' })).time_zone, 'America/Argentina/Buenos_Aires');
});

await test('settings without a token are 401', async () => {
	isError(await call('GET', '/api/focus/settings'), 401, 'unauthorized');
	isError(await call('PATCH', '/api/focus/settings', { body: {} }), 401, 'unauthorized');
});

await test('a start without a duration takes the mode\'s from the settings; a given one wins', async () => {
	const u = newUser();
	ok(await patch(u, { focus_seconds: 1800, short_break_seconds: 420, long_break_seconds: 1200 }));
	assert.equal(ok(await start(u)).duration_seconds, 1800);
	assert.equal(ok(await start(u, { mode: 'break' })).duration_seconds, 420);
	assert.equal(ok(await start(u, { mode: 'long_break' })).duration_seconds, 1200);
	assert.equal(ok(await start(u, { mode: 'focus', duration_seconds: 5 })).duration_seconds, 5);
});

// ---- time's up -------------------------------------------------------

await test('a 2-second focus session completes by itself with the full reward, seen by active, list and stats', async () => {
	const u = newUser();
	const s = ok(await start(u, { duration_seconds: 2 }));
	assert.equal(s.cycle_position, 1);
	// bounded poll: the timer runs out after 2 s
	const act = await until(async () => {
		const d = ok(await get(u, '/api/focus/active'));
		return d.session === null ? d : null;
	}, 10000, 'the timer to run out');
	assert.deepEqual(act.next, { mode: 'break', duration_seconds: 300, cycle_position: null, auto_start: false });
	assert.match(act.server_time, TS);
	for (let i = 0; i < 2; i++) {
		const page = ok(await get(u, '/api/focus'));
		assert.equal(page.total, 1);
		const c = page.sessions[0];
		assert.equal(c.id, s.id);
		assert.equal(c.status, 'completed');
		assert.equal(c.completed_at, s.expires_at);
		assert.equal(c.focused_seconds, 2);
		assert.equal(c.xp_awarded, 5);
		assert.equal(c.coins_awarded, 2);
		assert.equal('time_remaining_seconds' in c, false);
		const st = ok(await get(u, '/api/focus/stats'));
		assert.equal(st.completed_sessions, 1);
		assert.equal(st.total_focus_seconds, 2);
		assert.equal(st.total_xp_earned, 5);
		assert.equal(st.total_coins_earned, 2);
	}
	assert.equal(ledger(u), 1);
	assert.equal(sql(`SELECT xp || ',' || level FROM user_progress WHERE user_id = '${u.id}'`), '5,1');
	assert.equal(sql(`SELECT coins FROM user_wallet WHERE user_id = '${u.id}'`), '2');
	assert.equal(sql(`SELECT current_days || ',' || longest_days FROM user_streaks WHERE user_id = '${u.id}'`), '1,1');
});

await test('a late complete replays the timer\'s completion (200) and grants nothing twice', async () => {
	const u = newUser();
	const s = ok(await start(u, { duration_seconds: 60 }));
	back(u, 120);
	ok(await get(u, '/api/focus/active'));
	const before = sql(`SELECT xp || ',' || level FROM user_progress WHERE user_id = '${u.id}'`);
	for (let i = 0; i < 2; i++) {
		const d = ok(await post(u, `/api/focus/${s.id}/complete`));
		assert.equal(d.session.id, s.id);
		assert.equal(d.session.status, 'completed');
		assert.equal(d.session.focused_seconds, 60);
		assert.equal(d.xp_awarded, 5);
		assert.equal(d.coins_awarded, 2);
		assert.equal(d.new_level, 1);
		assert.equal(d.leveled_up, false);
		assert.deepEqual(d.streak, { current: 1, longest: 1 });
	}
	assert.equal(ledger(u), 1);
	assert.equal(sql(`SELECT xp || ',' || level FROM user_progress WHERE user_id = '${u.id}'`), before);
	// abandoning it stays 409: only a complete replays
	isError(await post(u, `/api/focus/${s.id}/abandon`), 409, 'conflict');
});

await test('a second complete after a person\'s complete stays 409', async () => {
	const u = newUser();
	const s = ok(await start(u, { duration_seconds: 600 }));
	ok(await post(u, `/api/focus/${s.id}/complete`));
	isError(await post(u, `/api/focus/${s.id}/complete`), 409, 'conflict');
	// even once its expires_at lies in the past
	back(u, 1200);
	isError(await post(u, `/api/focus/${s.id}/complete`), 409, 'conflict');
	assert.equal(ledger(u), 1);
});

await test('the timer\'s completion a leveled-up replay reports as recorded', async () => {
	const u = newUser();
	const s = ok(await start(u, { duration_seconds: 86400 }));
	back(u, 86400);
	const d = ok(await post(u, `/api/focus/${s.id}/complete`));
	// 1440 XP from level 1: 100 + 282 + 519 + 800 = 1701 > 1440 >= 901
	assert.equal(d.xp_awarded, 1440);
	assert.equal(d.new_level, 4);
	assert.equal(d.leveled_up, true);
	const again = ok(await post(u, `/api/focus/${s.id}/complete`));
	assert.equal(again.leveled_up, true);
	assert.equal(again.new_level, 4);
	assert.equal(ledger(u), 1);
});

await test('20 concurrent completes racing the timer give one reward', async () => {
	const u = newUser();
	const s = ok(await start(u, { duration_seconds: 60 }));
	back(u, 61);
	const rs = await Promise.all([
		...Array.from({ length: 20 }, () => post(u, `/api/focus/${s.id}/complete`)),
		...Array.from({ length: 5 }, () => get(u, '/api/focus/active')),
	]);
	for (const r of rs) assert.equal(r.status, 200, r.text);
	for (const r of rs.slice(0, 20)) assert.equal(r.json.data.xp_awarded, 5);
	assert.equal(ledger(u), 1);
	assert.equal(sql(`SELECT xp FROM user_progress WHERE user_id = '${u.id}'`), '5');
	assert.equal(sql(`SELECT count(*) FROM focus_timer_completions WHERE session_id = '${s.id}'`), '1');
});

await test('a person\'s complete racing a 1-second timer gives one reward either way', async () => {
	for (let round = 0; round < 3; round++) {
		const u = newUser();
		const s = ok(await start(u, { duration_seconds: 1 }));
		const rs = await Promise.all(Array.from({ length: 10 }, (_, i) =>
			i % 2 ? post(u, `/api/focus/${s.id}/complete`) : get(u, '/api/focus/active')));
		for (const r of rs) assert.ok(r.status === 200 || r.status === 409, r.text);
		await until(async () => ok(await get(u, '/api/focus/active')).session === null, 10000, 'completion');
		assert.equal(ledger(u), 1);
		assert.equal(sql(`SELECT status FROM focus_sessions WHERE id = '${s.id}'`), 'completed');
	}
});

await test('a paused session never completes by time, and expires after 24 hours paused', async () => {
	const u = newUser();
	const s = ok(await start(u, { duration_seconds: 60 }));
	const p = ok(await post(u, '/api/focus/pause'));
	back(u, 23 * 3600);
	const d = ok(await get(u, '/api/focus/active'));
	assert.equal(d.session.status, 'paused');
	assert.equal(d.pause_state.time_remaining_seconds, p.time_remaining_seconds);
	assert.equal(ok(await get(u, '/api/focus')).sessions[0].status, 'paused');
	focusctl('expire');
	assert.equal(sql(`SELECT status FROM focus_sessions WHERE id = '${s.id}'`), 'paused');
	back(u, 3600 + 1);
	const gone = ok(await get(u, '/api/focus/active'));
	assert.equal(gone.session, null);
	assert.equal(gone.pause_state, null);
	assert.equal(sql(`SELECT status || ',' || (paused_at IS NULL) FROM focus_sessions WHERE id = '${s.id}'`), 'expired,true');
	isError(await call('DELETE', '/api/focus/pause', { token: u.token }), 404, 'not_found');
	isError(await post(u, `/api/focus/${s.id}/complete`), 409, 'conflict');
	assert.equal(ledger(u), 0);
});

await test('focusctl expire expires a session paused for more than 24 hours', async () => {
	const u = newUser();
	const s = ok(await start(u, { duration_seconds: 60 }));
	ok(await post(u, '/api/focus/pause'));
	back(u, 25 * 3600);
	// the timer process (focus-timer) may have got there first: then
	// expire finds nothing left to do, and the state is the same
	assert.match(focusctl('expire'), /^caught up \d+$/m);
	assert.equal(sql(`SELECT status FROM focus_sessions WHERE id = '${s.id}'`), 'expired');
});

// ---- auto-start and the cycle ---------------------------------------

await test('with auto_start_breaks, the break starts at the focus session\'s expires_at exactly', async () => {
	const u = newUser();
	ok(await patch(u, { auto_start_breaks: true, short_break_seconds: 60 }));
	const s = ok(await start(u, { duration_seconds: 1 }));
	assert.equal(ok(await get(u, '/api/focus/active')).next.auto_start, true);
	const d = await until(async () => {
		const a = ok(await get(u, '/api/focus/active'));
		return a.session && a.session.mode === 'break' ? a : null;
	}, 10000, 'the break to start');
	assert.equal(d.session.started_at, s.expires_at);
	assert.equal(d.session.duration_seconds, 60);
	assert.equal(d.session.cycle_position, null);
	// to the microsecond, not only as rendered
	assert.equal(sql(`SELECT b.started_at = f.expires_at FROM focus_sessions f JOIN focus_sessions b
		ON b.user_id = f.user_id AND b.mode = 'break' WHERE f.id = '${s.id}'`), 't');
	// after a break, focus does not start by itself unless auto_start_focus
	assert.deepEqual(d.next, { mode: 'focus', duration_seconds: 1500, cycle_position: 2, auto_start: false });
	assert.equal(ledger(u), 1);
});

await test('back after two hours with both auto-starts: the chain ran to the end of the long break, as if timed live', async () => {
	const u = newUser();
	ok(await patch(u, { auto_start_breaks: true, auto_start_focus: true, long_break_every: 2,
		focus_seconds: 60, short_break_seconds: 60, long_break_seconds: 60 }));
	const s = ok(await start(u));
	assert.equal(s.duration_seconds, 60);
	back(u, 7200);
	const d = ok(await get(u, '/api/focus/active'));
	assert.equal(d.session, null);
	assert.deepEqual(d.next, { mode: 'focus', duration_seconds: 60, cycle_position: 1, auto_start: false });
	assert.equal(rows(u), 'focus:completed:1 break:completed:- focus:completed:2 long_break:completed:-');
	// each phase starts where the one before ran out, and completed then
	assert.equal(sql(`SELECT bool_and(started_at = prev AND completed_at = expires_at) FROM (
		SELECT started_at, expires_at, completed_at, lag(expires_at) OVER (ORDER BY started_at) AS prev
		FROM focus_sessions WHERE user_id = '${u.id}') x WHERE prev IS NOT NULL`), 't');
	assert.equal(ledger(u), 4);
	const st = ok(await get(u, '/api/focus/stats'));
	assert.equal(st.completed_sessions, 4);
	assert.equal(st.total_focus_seconds, 120);
	// 5 + 5 XP for two focus sessions, 2 for the break, 3 for the long break
	assert.equal(st.total_xp_earned, 15);
	// nothing more happens later: the cycle ended at the long break
	back(u, 3600);
	ok(await get(u, '/api/focus/active'));
	assert.equal(ledger(u), 4);
});

await test('a caller who comes back during the long break finds it running, with two rewarded focus sessions', async () => {
	const u = newUser();
	ok(await patch(u, { auto_start_breaks: true, auto_start_focus: true, long_break_every: 2,
		focus_seconds: 60, short_break_seconds: 60, long_break_seconds: 600 }));
	ok(await start(u));
	back(u, 200);
	const d = ok(await get(u, '/api/focus/active'));
	assert.equal(d.session.mode, 'long_break');
	assert.equal(d.session.status, 'active');
	assert.ok(d.session.time_remaining_seconds > 500 && d.session.time_remaining_seconds <= 580, String(d.session.time_remaining_seconds));
	assert.deepEqual(d.next, { mode: 'focus', duration_seconds: 60, cycle_position: 1, auto_start: false });
	assert.equal(rows(u), 'focus:completed:1 break:completed:- focus:completed:2 long_break:active:-');
	assert.equal(Number(sql(`SELECT count(*) FROM focus_sessions WHERE user_id = '${u.id}' AND mode = 'focus' AND xp_awarded = 5`)), 2);
	// a write sees the same caught-up state: the long break is the one it pauses
	assert.equal(ok(await post(u, '/api/focus/pause')).mode, 'long_break');
});

await test('focusctl expire runs the chain for everyone', async () => {
	const u = newUser();
	ok(await patch(u, { auto_start_breaks: true, short_break_seconds: 60 }));
	ok(await start(u, { duration_seconds: 60 }));
	back(u, 90);
	assert.match(focusctl('expire'), /^caught up \d+$/m);    // or the timer process did it
	assert.equal(rows(u), 'focus:completed:1 break:active:-');
});

// ---- acting on the current session -----------------------------------

await test('active/complete and active/abandon act on the open session, 404 when none', async () => {
	const u = newUser();
	isError(await post(u, '/api/focus/active/complete'), 404, 'not_found');
	isError(await post(u, '/api/focus/active/abandon'), 404, 'not_found');
	const s = ok(await start(u, { duration_seconds: 600 }));
	const c = ok(await post(u, '/api/focus/active/complete'));
	assert.equal(c.session.id, s.id);
	assert.equal(c.session.status, 'completed');
	assert.ok('streak' in c && 'new_level' in c);
	isError(await post(u, '/api/focus/active/complete'), 404, 'not_found');
	const s2 = ok(await start(u, { duration_seconds: 600 }));
	ok(await post(u, '/api/focus/pause'));
	const a = ok(await post(u, '/api/focus/active/abandon'));
	assert.equal(a.id, s2.id);
	assert.equal(a.status, 'abandoned');
	isError(await post(u, '/api/focus/active/abandon'), 404, 'not_found');
	isError(await call('POST', '/api/focus/active/complete', { body: {} }), 401, 'unauthorized');
	isError(await call('GET', '/api/focus/active/complete', { token: u.token }), 405, 'method_not_allowed');
});

await test('active/complete on a run-out session finds it completed by the timer (404)', async () => {
	const u = newUser();
	ok(await start(u, { duration_seconds: 60 }));
	back(u, 61);
	isError(await post(u, '/api/focus/active/complete'), 404, 'not_found');
	assert.equal(ledger(u), 1);
});

await test('next walks the cycle: focus, break, focus, long break, focus again at position 1', async () => {
	const u = newUser();
	ok(await patch(u, { long_break_every: 2, focus_seconds: 600, short_break_seconds: 120, long_break_seconds: 900 }));
	const t0 = Date.now();
	const first = ok(await post(u, '/api/focus/next'));
	assert.equal(first.closed, null);
	assert.equal(first.session.mode, 'focus');
	assert.equal(first.session.cycle_position, 1);
	assert.equal(first.session.duration_seconds, 600);
	const steps = [['break', 120, null], ['focus', 600, 2], ['long_break', 900, null], ['focus', 600, 1]];
	let prev = first.session;
	let since = t0;     // before the request that started prev
	for (const [mode, secs, pos] of steps) {
		const shown = ok(await get(u, '/api/focus/active')).next;
		assert.deepEqual(shown, { mode, duration_seconds: secs, cycle_position: pos, auto_start: false });
		const asked = Date.now();
		const d = ok(await post(u, '/api/focus/next'));
		assert.equal(d.closed.session.id, prev.id);
		assert.equal(d.closed.session.status, 'completed');
		// at most the time between the two requests (the machine may be slow)
		assert.ok(d.closed.session.focused_seconds <= secondsSince(since), String(d.closed.session.focused_seconds));
		since = asked;
		assert.equal(d.closed.xp_awarded, 0, 'early completion: only the time focused counts');
		assert.deepEqual([d.session.mode, d.session.duration_seconds, d.session.cycle_position], [mode, secs, pos]);
		assert.equal(d.session.status, 'active');
		prev = d.session;
	}
	assert.equal(rows(u), 'focus:completed:1 break:completed:- focus:completed:2 long_break:completed:- focus:active:1');
});

await test('next on a focus session with time focused grants the early-completion reward, once', async () => {
	const u = newUser();
	const t0 = Date.now();
	const s = ok(await start(u, { duration_seconds: 1500 }));
	sql(`UPDATE focus_sessions SET started_at = started_at - interval '600 seconds', expires_at = expires_at - interval '600 seconds' WHERE id = '${s.id}'`);
	const d = ok(await post(u, '/api/focus/next'));
	// 600 s moved back, and the seconds that ran between the start and the
	// next (a second or more on a loaded machine)
	const focused = d.closed.session.focused_seconds, ran = secondsSince(t0);
	assert.ok(focused >= 600 && focused <= 600 + ran, `${focused} (${ran} s ran)`);
	assert.equal(d.closed.xp_awarded, Math.floor(focused / 60));
	assert.equal(d.closed.coins_awarded, Math.floor(focused / 300));
	assert.ok(d.closed.xp_awarded >= 10 && d.closed.coins_awarded >= 2);
	assert.equal(d.session.mode, 'break');
	assert.equal(ledger(u), 1);
});

await test('concurrent next calls keep one open session', async () => {
	const u = newUser();
	const rs = await Promise.all(Array.from({ length: 10 }, () => post(u, '/api/focus/next')));
	for (const r of rs) assert.equal(r.status, 200, r.text);
	assert.equal(sql(`SELECT count(*) FROM focus_sessions WHERE user_id = '${u.id}' AND open`), '1');
	assert.equal(sql(`SELECT count(*) FROM focus_sessions WHERE user_id = '${u.id}'`), '10');
});

