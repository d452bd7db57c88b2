// history.test.mjs: history a person can correct (API.md Part 2, "History
// a person can correct"): manual sessions, edits and deletes in one
// batch, the no-overlap invariant, rewards that never change, and
// Idempotency-Key on every write route. Over real HTTP; effects are
// counted in the database afterwards. Time is never waited for: spans in
// the past are made by moving a session's timestamps back in the database.
import assert from 'node:assert/strict';
import { call, newUser, sql, test, focusctl } from './lib.mjs';

const post = (u, path, body = {}, headers = {}) => call('POST', path, { token: u.token, body, headers });
const batch = (u, updates, headers = {}) => post(u, '/api/focus/batch', { updates }, headers);
const sessions = (u) => Number(sql(`SELECT count(*) FROM focus_sessions WHERE user_id = '${u.id}'`));
const ledger = (u) => Number(sql(`SELECT count(*) FROM points_ledger WHERE user_id = '${u.id}'`));
const xp = (u) => sql(`SELECT coalesce((SELECT xp FROM user_progress WHERE user_id = '${u.id}'), 0) || ':' ||
	coalesce((SELECT coins FROM user_wallet WHERE user_id = '${u.id}'), 0)`);
// the streak as GET /api/focus/progress gives it
const streak = async (u) => ok(await call('GET', '/api/focus/progress', { token: u.token })).streak;
// an instant `secs` seconds ago, as a client would send it
const ago = (secs) => new Date(Date.now() - secs * 1000).toISOString();
const create = (startedSecsAgo, duration, extra = {}) =>
	({ action: 'create', started_at: ago(startedSecsAgo), duration_seconds: duration, ...extra });

function ok(r, rt = 1) {
	assert.equal(r.status, 200, r.text);
	assert.equal(r.rt, rt, `${rt} round trip(s)`);
	return r.json.data;
}
function names(r, status, kind, index) {
	assert.equal(r.status, status, r.text);
	assert.equal(r.json.error, kind);
	assert.match(r.json.message, new RegExp(`updates\\[${index}\\]`), r.json.message);
}
// a timer session of u that ran out long ago, completed by time's up with
// its full reward (25 XP, 5 coins for 1500 s of focus)
async function rewarded(u) {
	const s = ok(await post(u, '/api/focus', { duration_seconds: 1500 })).id;
	sql(`UPDATE focus_sessions SET started_at = started_at - interval '2 hours', expires_at = expires_at - interval '2 hours' WHERE id = '${s}'`);
	const active = ok(await call('GET', '/api/focus/active', { token: u.token }));
	assert.equal(active.session, null, 'time is up');
	assert.equal(sql(`SELECT status || ':' || xp_awarded FROM focus_sessions WHERE id = '${s}'`), 'completed:25');
	return s;
}

// ---- creates -----------------------------------------------------------

await test('a create enters a completed manual session: no XP, no coins, no ledger row, no streak', async () => {
	const u = newUser();
	const d = ok(await batch(u, [create(7200, 1500, { task_title: 'forgot to start', focused_seconds: 1200 })]));
	assert.equal(d.results.length, 1);
	const r = d.results[0];
	assert.equal(r.action, 'create');
	assert.equal(r.session.id, r.id);
	assert.equal(r.session.source, 'manual');
	assert.equal(r.session.status, 'completed');
	assert.equal(r.session.mode, 'focus');
	assert.equal(r.session.focused_seconds, 1200);
	assert.equal(r.session.task_title, 'forgot to start');
	assert.equal(r.session.xp_awarded, 0);
	assert.equal(r.xp_awarded, 0);
	assert.deepEqual(d.streak, { current: 0, longest: 0 });
	assert.equal(ledger(u), 0);
	assert.equal(xp(u), '0:0');
	assert.deepEqual(await streak(u), { current: 0, longest: 0 });
	const list = ok(await call('GET', '/api/focus', { token: u.token }));
	assert.equal(list.total, 1);
	assert.equal(list.sessions[0].source, 'manual');
	const stats = ok(await call('GET', '/api/focus/stats', { token: u.token }));
	assert.equal(stats.completed_sessions, 1);
	assert.equal(stats.total_focus_seconds, 1200);
});

await test('focused_seconds defaults to the duration; a timer session says source timer', async () => {
	const u = newUser();
	const d = ok(await batch(u, [create(7200, 600, { mode: 'break' })]));
	assert.equal(d.results[0].session.focused_seconds, 600);
	assert.equal(d.results[0].session.mode, 'break');
	const s = ok(await post(u, '/api/focus', { duration_seconds: 60 }));
	assert.equal(s.source, 'timer');
});

await test('a create that ends in the future is 422 naming the item, and nothing is written', async () => {
	const u = newUser();
	names(await batch(u, [create(7200, 60), create(100, 1500)]), 422, 'validation_error', 1);
	assert.equal(sessions(u), 0);
});

await test('focused_seconds over the duration is 422 naming the item (create and update)', async () => {
	const u = newUser();
	names(await batch(u, [create(7200, 60, { focused_seconds: 61 })]), 422, 'validation_error', 0);
	const s = await rewarded(u);
	names(await batch(u, [{ action: 'update', id: s, task_title: 'ok' }, { action: 'update', id: s, focused_seconds: 1501 }]),
		422, 'validation_error', 1);
	const m = ok(await batch(u, [create(20000, 600)])).results[0].id;
	names(await batch(u, [{ action: 'update', id: m, duration_seconds: 300 }]), 422, 'validation_error', 0);
	assert.equal(sql(`SELECT focused_seconds || ':' || coalesce(task_title, '-') FROM focus_sessions WHERE id = '${s}'`), '1500:-');
});

await test('malformed items are 422 naming the item', async () => {
	const u = newUser();
	for (const [items, i] of [
		[[create(7200, 60), { action: 'create', started_at: 'yesterday', duration_seconds: 60 }], 1],
		[[{ action: 'create', started_at: '2026-02-30T10:00:00Z', duration_seconds: 60 }], 0],
		[[{ action: 'create', duration_seconds: 60 }], 0],
		[[{ action: 'create', started_at: ago(7200) }], 0],
		[[create(7200, 60, { id: '00000000-0000-4000-8000-000000000001' })], 0],
		[[{ action: 'update' }], 0],
		[[{ action: 'rename', id: '00000000-0000-4000-8000-000000000001' }], 0],
		[[{ action: 'delete', id: '00000000-0000-4000-8000-000000000001', task_title: 'x' }], 0],
		[[create(7200, 0)], 0],
		[[create(7200, 60, { mode: 'nap' })], 0],
	]) names(await batch(u, items), 422, 'validation_error', i);
	assert.equal(sessions(u), 0);
});

// ---- overlap -----------------------------------------------------------

await test('a create or update that overlaps a session is 409 naming the item', async () => {
	const u = newUser();
	const a = ok(await batch(u, [create(10000, 1500)])).results[0].id;
	names(await batch(u, [create(20000, 60), create(10000 - 600, 1500)]), 409, 'conflict', 1);
	// within the batch itself
	names(await batch(u, [create(30000, 1500), create(30000 - 60, 60)]), 409, 'conflict', 0);
	// an update moving a manual session onto another
	const b = ok(await batch(u, [create(40000, 600)])).results[0].id;
	names(await batch(u, [{ action: 'update', id: b, started_at: ago(10000 + 60) }]), 409, 'conflict', 0);
	// the open session spans from its start to now (here: an hour)
	const open = ok(await post(u, '/api/focus', { duration_seconds: 86400 })).id;
	sql(`UPDATE focus_sessions SET started_at = started_at - interval '1 hour', expires_at = expires_at - interval '1 hour' WHERE id = '${open}'`);
	names(await batch(u, [create(1800, 60)]), 409, 'conflict', 0);
	assert.equal(sessions(u), 3);
	// touching is not overlapping: a session may end where another starts
	const start = sql(`SELECT to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') FROM focus_sessions WHERE id = '${a}'`);
	const before = new Date(Date.parse(start) - 600 * 1000).toISOString();
	ok(await batch(u, [{ action: 'create', started_at: before, duration_seconds: 600 }]));
	assert.equal(sessions(u), 4);
});

await test('the schema refuses an overlap whatever the statement (exclusion constraint)', async () => {
	const u = newUser();
	ok(await batch(u, [create(10000, 1500)]));
	assert.throws(() => sql(`INSERT INTO focus_sessions (user_id, mode, duration_seconds, started_at, expires_at, completed_at,
		status, focused_seconds, source) VALUES ('${u.id}', 'focus', 60, now() - interval '10000 seconds' + interval '1 minute',
		now() - interval '10000 seconds' + interval '2 minutes', now() - interval '10000 seconds' + interval '2 minutes', 'completed', 60, 'manual')`),
	/focus_sessions_no_overlap/);
});

await test('two concurrent creates that overlap: exactly one wins, the other is 409 naming its item', async () => {
	for (let round = 0; round < 8; round++) {
		const u = newUser();
		const [a, b] = await Promise.all([
			batch(u, [create(50000, 60), create(9000, 1500)]),
			batch(u, [create(9000 - 300, 1500)]),
		]);
		const statuses = [a.status, b.status].sort();
		assert.deepEqual(statuses, [200, 409], `${a.text} / ${b.text}`);
		const loser = a.status === 409 ? a : b;
		names(loser, 409, 'conflict', a.status === 409 ? 1 : 0);
		assert.equal(sessions(u), a.status === 200 ? 2 : 1);
	}
});

await test('a start while a manual session ends in the last seconds still starts (they only touch or not meet)', async () => {
	const u = newUser();
	ok(await batch(u, [create(61, 60)]));
	ok(await post(u, '/api/focus', { duration_seconds: 60 }));
	assert.equal(sessions(u), 2);
});

// ---- updates and deletes -------------------------------------------------

await test('an update of an open session\'s times is 422; of its task alone 409; nothing changes', async () => {
	const u = newUser();
	const s = ok(await post(u, '/api/focus', { duration_seconds: 1500 })).id;
	names(await batch(u, [{ action: 'update', id: s, duration_seconds: 60 }]), 422, 'validation_error', 0);
	names(await batch(u, [{ action: 'update', id: s, focused_seconds: 60 }]), 422, 'validation_error', 0);
	names(await batch(u, [{ action: 'update', id: s, task_title: 'x' }]), 409, 'conflict', 0);
	names(await batch(u, [{ action: 'delete', id: s }]), 409, 'conflict', 0);
	assert.equal(sql(`SELECT status || ':' || duration_seconds FROM focus_sessions WHERE id = '${s}'`), 'active:1500');
});

await test('a timer session\'s times are its timer\'s: changing them is 422; its task and focused time may change', async () => {
	const u = newUser();
	const s = await rewarded(u);
	names(await batch(u, [{ action: 'update', id: s, started_at: ago(90000) }]), 422, 'validation_error', 0);
	names(await batch(u, [{ action: 'update', id: s, mode: 'break' }]), 422, 'validation_error', 0);
	const d = ok(await batch(u, [{ action: 'update', id: s, focused_seconds: 900, task_title: 'fixed',
		task_id: '00000000-0000-4000-8000-0000000000aa' }]));
	assert.equal(d.results[0].action, 'update');
	assert.equal(d.results[0].session.focused_seconds, 900);
	assert.equal(d.results[0].session.task_title, 'fixed');
	assert.equal(d.results[0].session.source, 'timer');
	// given as null, a task field is cleared; absent, it stays
	const e = ok(await batch(u, [{ action: 'update', id: s, task_id: null }]));
	assert.equal(e.results[0].session.task_id, null);
	assert.equal(e.results[0].session.task_title, 'fixed');
});

await test('a manual session moves: started_at, duration_seconds and mode, its end follows', async () => {
	const u = newUser();
	const m = ok(await batch(u, [create(20000, 600)])).results[0].id;
	const at = ago(30000);
	const d = ok(await batch(u, [{ action: 'update', id: m, started_at: at, duration_seconds: 1200, mode: 'long_break' }]));
	const s = d.results[0].session;
	assert.equal(s.mode, 'long_break');
	assert.equal(s.duration_seconds, 1200);
	assert.equal(Date.parse(s.started_at), Date.parse(at));
	assert.equal(Date.parse(s.completed_at) - Date.parse(s.started_at), 1200 * 1000);
	assert.equal(s.expires_at, s.completed_at);
	// moving it so that it would end in the future is 422
	names(await batch(u, [{ action: 'update', id: m, started_at: ago(60) }]), 422, 'validation_error', 0);
});

await test('rewards never change on edit or delete; the ledger keeps its rows', async () => {
	const u = newUser();
	const s = await rewarded(u);
	const before = xp(u);
	assert.equal(before, '25:5');
	assert.deepEqual(await streak(u), { current: 1, longest: 1 });
	assert.equal(ledger(u), 1);
	const d = ok(await batch(u, [{ action: 'update', id: s, focused_seconds: 0, task_title: 'less' }]));
	assert.equal(d.results[0].session.xp_awarded, 25, 'the session keeps what it granted');
	assert.equal(d.results[0].xp_awarded, 0, 'an update grants nothing');
	assert.equal(xp(u), before);
	assert.deepEqual(await streak(u), { current: 1, longest: 1 }, 'an update changes no day of the streak');
	const g = ok(await batch(u, [{ action: 'delete', id: s }]));
	assert.deepEqual(g.results[0], { id: s, action: 'delete', session: null, deleted: true, xp_awarded: 0, coins_awarded: 0 });
	assert.equal(xp(u), before);
	// the streak counts sessions: the only one gone, no day counts (its
	// answer and progress agree)
	assert.deepEqual(g.streak, { current: 0, longest: 0 });
	assert.deepEqual(await streak(u), { current: 0, longest: 0 });
	assert.equal(ledger(u), 1);
	assert.equal(sql(`SELECT count(*) FROM points_ledger WHERE user_id = '${u.id}' AND session_id IS NULL`), '1');
	// gone from history and stats
	assert.equal(ok(await call('GET', '/api/focus', { token: u.token })).total, 0);
	const stats = ok(await call('GET', '/api/focus/stats', { token: u.token }));
	assert.equal(stats.total_sessions, 0);
	// a delete again: no such session
	names(await batch(u, [{ action: 'delete', id: s }]), 409, 'conflict', 0);
});

await test('another person\'s id is 409 naming the item, exactly as a missing one', async () => {
	const u = newUser();
	const other = newUser();
	const theirs = await rewarded(other);
	const open = ok(await post(other, '/api/focus', { duration_seconds: 1500 })).id;
	const missing = '00000000-0000-4000-8000-00000000dead';
	for (const action of ['update', 'delete', 'complete', 'abandon']) {
		const extra = action === 'update' ? { task_title: 'mine now' } : {};
		const id = action === 'update' || action === 'delete' ? theirs : open;
		const a = await batch(u, [create(90000, 60), { action, id, ...extra }]);
		const b = await batch(u, [create(90000, 60), { action, id: missing, ...extra }]);
		names(a, 409, 'conflict', 1);
		assert.equal(a.text, b.text, `${action}: the same answer as for a missing id`);
	}
	assert.equal(sessions(u), 0);
	assert.equal(sql(`SELECT coalesce(task_title, '-') || ':' || status FROM focus_sessions WHERE id = '${theirs}'`), '-:completed');
	assert.equal(sql(`SELECT status FROM focus_sessions WHERE id = '${open}'`), 'active');
});

await test('a mixed batch: create, update, delete and complete in one round trip, results in order', async () => {
	const u = newUser();
	const [m1, m2] = ok(await batch(u, [create(40000, 600), create(30000, 600)])).results.map((r) => r.id);
	const open = ok(await post(u, '/api/focus', { duration_seconds: 1500 })).id;
	const d = ok(await batch(u, [
		{ action: 'update', id: m1, task_title: 'edited' },
		create(20000, 300, { mode: 'break' }),
		{ action: 'delete', id: m2 },
		{ action: 'complete', id: open },
	]));
	assert.deepEqual(d.results.map((r) => r.action), ['update', 'create', 'delete', 'complete']);
	assert.equal(d.results[0].session.task_title, 'edited');
	assert.equal(d.results[1].session.source, 'manual');
	assert.equal(d.results[3].session.status, 'completed');
	assert.equal(sql(`SELECT string_agg(source || ':' || status, ' ' ORDER BY started_at) FROM focus_sessions WHERE user_id = '${u.id}'`),
		'manual:completed manual:completed timer:completed');
});

await test('all or nothing: a batch of 100 whose item 57 fails changes nothing', async () => {
	const u = newUser();
	const existing = ok(await batch(u, [create(900000, 600)])).results[0].id;
	// 99 good items: an update of the existing session (item 3) and
	// creates an hour apart, each ten minutes long
	const once = (bad) => Array.from({ length: 100 }, (_, i) => i === 57 ? bad
		: i === 3 ? { action: 'update', id: existing, task_title: 'edited' }
		: create(800000 - i * 3600, 600));
	const snapshot = () => sql(`SELECT string_agg(id || coalesce(task_title, '-'), ',' ORDER BY id) FROM focus_sessions WHERE user_id = '${u.id}'`);
	const before = snapshot();
	names(await batch(u, once(create(60, 600))), 422, 'validation_error', 57);
	names(await batch(u, once({ action: 'delete', id: '00000000-0000-4000-8000-00000000beef' })), 409, 'conflict', 57);
	names(await batch(u, once({ action: 'update', id: existing, task_title: 'twice' })), 422, 'validation_error', 57);
	assert.equal(snapshot(), before);
	const r = await batch(u, once(create(50, 10)));
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.data.results.length, 100);
	assert.equal(sessions(u), 100);
});

await test('more than 100 items or none is 422', async () => {
	const u = newUser();
	assert.equal((await batch(u, [])).status, 422);
	assert.equal((await batch(u, Array.from({ length: 101 }, (_, i) => create(900000 - i * 100, 60)))).status, 422);
});

// ---- Idempotency-Key ------------------------------------------------------

const key = (k) => ({ 'Idempotency-Key': k });
// send the same request twice with one key ("the response was dropped"),
// then a different one with the same key: the second answers the first's
// status and body, replayed, and the third is 422
async function retried(u, method, path, body, otherBody, k = `k-${Math.random()}`) {
	const send = (b, p = path) => call(method, p, { token: u.token, body: b, headers: key(k) });
	const first = await send(body);
	// two round trips with a key: one more than without (track
	// registration runs two statements, so three)
	assert.equal(first.rt, path.endsWith('/tracks') ? 3 : 2, `${method} ${path}: round trips with a key`);
	const again = await send(body);
	assert.equal(again.status, first.status, again.text);
	assert.equal(again.text, first.text);
	assert.equal(again.headers.get('idempotent-replayed'), 'true');
	assert.equal(again.rt, 2);
	const other = await send(otherBody);
	assert.equal(other.status, 422, other.text);
	assert.equal(other.json.error, 'validation_error');
	return first;
}

await test('Idempotency-Key: every session write route, retried, has exactly one effect', async () => {
	const u = newUser();
	const s = (await retried(u, 'POST', '/api/focus', { duration_seconds: 1500 }, { duration_seconds: 1499 })).json.data;
	assert.equal(sessions(u), 1);
	const p = await retried(u, 'POST', '/api/focus/pause', undefined, { x: 1 });
	assert.equal(p.status, 200);
	const r = await retried(u, 'DELETE', '/api/focus/pause', undefined, 'x');
	assert.equal(r.status, 200);
	assert.equal(sql(`SELECT status FROM focus_sessions WHERE id = '${s.id}'`), 'active');
	const c = await retried(u, 'POST', `/api/focus/${s.id}/complete`, undefined, { x: 1 });
	assert.equal(c.status, 200);
	assert.equal(ledger(u), 1);
	const n = await retried(u, 'POST', '/api/focus/next', undefined, { x: 1 });
	assert.equal(n.status, 200);
	assert.equal(sessions(u), 2);
	const ac = await retried(u, 'POST', '/api/focus/active/abandon', undefined, { x: 1 });
	assert.equal(ac.status, 200);
	const s2 = ok(await post(u, '/api/focus', { duration_seconds: 1500 })).id;
	const ab = await retried(u, 'POST', `/api/focus/${s2}/abandon`, undefined, { x: 1 });
	assert.equal(ab.status, 200);
	const s3 = ok(await post(u, '/api/focus', { duration_seconds: 1500 })).id;
	const acc = await retried(u, 'POST', '/api/focus/active/complete', undefined, { x: 1 });
	assert.equal(acc.json.data.session.id, s3);
	assert.equal(ledger(u), 2);
	const b = await retried(u, 'POST', '/api/focus/batch', { updates: [create(90000, 600)] }, { updates: [create(80000, 600)] });
	assert.equal(b.status, 200);
	assert.equal(sql(`SELECT count(*) FROM focus_sessions WHERE user_id = '${u.id}' AND source = 'manual'`), '1');
	const st = await retried(u, 'PATCH', '/api/focus/settings', { daily_goal: 5 }, { daily_goal: 6 });
	assert.equal(st.json.data.daily_goal, 5);
	assert.equal(sql(`SELECT daily_goal FROM focus_settings WHERE user_id = '${u.id}'`), '5');
	assert.equal(sessions(u), 5);
});

await test('Idempotency-Key: library and track write routes, retried, have exactly one effect', async () => {
	const u = newUser();
	const libs = () => Number(sql(`SELECT count(*) FROM focus_libraries WHERE user_id = '${u.id}'`));
	const lib = (await retried(u, 'POST', '/api/focus/libraries', { name: 'Rain' }, { name: 'Snow' })).json.data;
	assert.equal(libs(), 1);
	const fav = await retried(u, 'POST', `/api/focus/libraries/${lib.id}/favorite`, undefined, { x: 1 });
	assert.equal(fav.json.data.is_favorite, true);
	assert.equal(sql(`SELECT is_favorite FROM focus_libraries WHERE id = '${lib.id}'`), 't', 'toggled once');
	const up = await retried(u, 'POST', `/api/focus/libraries/${lib.id}/tracks/upload-url`,
		{ filename: 'a.mp3', size_bytes: 10 }, { filename: 'b.mp3', size_bytes: 10 });
	assert.equal(up.status, 200);
	assert.equal(sql(`SELECT count(*) FROM storage_uploads WHERE user_id = '${u.id}'`), '1');
	const t = (await retried(u, 'POST', `/api/focus/libraries/${lib.id}/tracks`,
		{ track_title: 'Link', track_url: 'https://example.com/a.mp3' },
		{ track_title: 'Link 2', track_url: 'https://example.com/a.mp3' })).json.data;
	assert.equal(sql(`SELECT count(*) FROM focus_tracks WHERE user_id = '${u.id}'`), '1');
	const td = await retried(u, 'DELETE', `/api/focus/libraries/${lib.id}/tracks/${t.id}`, undefined, 'x');
	assert.equal(td.status, 200);
	const ld = await retried(u, 'DELETE', `/api/focus/libraries/${lib.id}`, undefined, 'x');
	assert.equal(ld.status, 200, 'the retry answers the first delete, not 404');
	assert.equal(libs(), 0);
});

await test('Idempotency-Key: an error answer is kept too; the same key on another path is 422', async () => {
	const u = newUser();
	const k = 'err-1';
	const a = await call('POST', '/api/focus/pause', { token: u.token, headers: key(k) });
	assert.equal(a.status, 404);
	ok(await post(u, '/api/focus', { duration_seconds: 1500 }));
	const b = await call('POST', '/api/focus/pause', { token: u.token, headers: key(k) });
	assert.equal(b.status, 404, 'the stored answer, although a pause would work now');
	assert.equal(b.text, a.text);
	const c = await call('DELETE', '/api/focus/pause', { token: u.token, headers: key(k) });
	assert.equal(c.status, 422);
});

await test('Idempotency-Key: one round trip without a key; keys are per person; malformed keys are 400', async () => {
	const u = newUser();
	const v = newUser();
	const r = await post(u, '/api/focus', { duration_seconds: 60 });
	assert.equal(r.rt, 1);
	const a = await post(u, '/api/focus', { duration_seconds: 60 }, key('shared'));
	const b = await post(v, '/api/focus', { duration_seconds: 60 }, key('shared'));
	assert.equal(a.status, 200);
	assert.equal(b.status, 200);
	assert.notEqual(a.json.data.id, b.json.data.id);
	assert.equal(b.headers.get('idempotent-replayed'), null);
	for (const k of ['x'.repeat(65), '']) {
		const bad = await post(u, '/api/focus', { duration_seconds: 60 }, key(k));
		assert.equal(bad.status, 400, `${JSON.stringify(k)}: ${bad.text}`);
	}
	ok(await post(u, '/api/focus', { duration_seconds: 60 }, key('~'.repeat(64))), 2);
	assert.equal(sessions(u), 3);
});

await test('Idempotency-Key: concurrent requests with one key have one effect and one answer', async () => {
	const u = newUser();
	const body = { updates: [create(90000, 600)] };
	const rs = await Promise.all(Array.from({ length: 6 }, () => post(u, '/api/focus/batch', body, key('race'))));
	for (const r of rs) {
		assert.equal(r.status, 200, r.text);
		assert.equal(r.text, rs[0].text);
	}
	assert.equal(sessions(u), 1);
});

await test('Idempotency-Key: after 24 hours a key is new again, and focusctl expire removes old ones', async () => {
	const u = newUser();
	ok(await post(u, '/api/focus/batch', { updates: [create(90000, 600)] }, key('old')), 2);
	sql(`UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE user_id = '${u.id}'`);
	ok(await post(u, '/api/focus/batch', { updates: [create(80000, 600)] }, key('old')), 2);
	assert.equal(sessions(u), 2);
	ok(await post(u, '/api/focus/batch', { updates: [create(70000, 600)] }, key('older')), 2);
	sql(`UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE user_id = '${u.id}'`);
	assert.match(focusctl('expire'), /^idempotency keys expired [1-9]\d*$/m);
	assert.equal(sql(`SELECT count(*) FROM idempotency_keys WHERE user_id = '${u.id}'`), '0');
});

// ---- the cycle follows timed sessions only ------------------------------

await test('a manual focus session added afterwards does not move the cycle: next is still focus 1', async () => {
	const u = newUser();
	ok(await batch(u, [create(30000, 1500, { task_title: 'forgot to start' })]));
	const a = ok(await call('GET', '/api/focus/active', { token: u.token }));
	assert.equal(a.next.mode, 'focus', 'a manual session is not a step of the cycle');
	assert.equal(a.next.cycle_position, 1);
	// after a timed focus session the cycle does move: a break, then focus 2
	await rewarded(u);
	const b = ok(await call('GET', '/api/focus/active', { token: u.token }));
	assert.equal(b.next.mode, 'break');
	ok(await batch(u, [create(20000, 1500)]));
	const c = ok(await call('GET', '/api/focus/active', { token: u.token }));
	assert.equal(c.next.mode, 'break', 'an older manual session changes nothing either');
});
