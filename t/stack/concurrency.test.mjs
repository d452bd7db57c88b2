// concurrency.test.mjs: one round trip per route, batch updates, and
// races between parallel clients over real HTTP (issue 4). The workers run
// with FOCUS_DEBUG_HEADERS=1, so each response says how many statements
// it sent to PostgreSQL (X-Focus-Round-Trips).
import assert from 'node:assert/strict';
import { call, newUser, sql, test } from './lib.mjs';

const start = (u, body = {}) => call('POST', '/api/focus', { token: u.token, body });
const rounds = Number(process.env.FOCUS_RACE_ROUNDS || 20);

function rt(r, want, what) {
	assert.ok(r.status < 500, `${what}: ${r.status} ${r.text}`);
	assert.equal(r.rt, want, `${what}: ${r.rt} round trips`);
}

await test('every session route costs exactly one database round trip', async () => {
	const u = newUser();
	const t = { token: u.token };
	rt(await call('GET', '/api/health'), 1, 'health');
	rt(await call('GET', '/api/auth/me', t), 1, 'me');
	const s = await start(u);
	rt(s, 1, 'start');
	rt(await call('GET', '/api/focus', t), 1, 'list');
	rt(await call('GET', '/api/focus?stats=true&period=week', t), 1, 'stats via list');
	rt(await call('GET', '/api/focus/stats', t), 1, 'stats');
	rt(await call('GET', '/api/focus/active', t), 1, 'active');
	rt(await call('POST', '/api/focus/pause', t), 1, 'pause');
	rt(await call('GET', '/api/focus/pause', t), 1, 'pause state');
	rt(await call('POST', '/api/focus/pause', t), 1, 'pause again (409)');
	rt(await call('DELETE', '/api/focus/pause', t), 1, 'resume');
	rt(await call('POST', `/api/focus/${s.json.data.id}/complete`, t), 1, 'complete');
	rt(await call('POST', `/api/focus/${s.json.data.id}/complete`, t), 1, 'complete again (409)');
	const s2 = await start(u);
	rt(await call('POST', `/api/focus/${s2.json.data.id}/abandon`, t), 1, 'abandon');
	const s3 = await start(u);
	rt(await call('POST', '/api/focus/batch', { ...t, body: { updates: [{ id: s3.json.data.id, action: 'complete' }] } }), 1, 'batch');
	rt(await call('POST', '/api/auth/logout', t), 1, 'logout');
});

await test('requests refused before the database cost no round trip', async () => {
	const u = newUser();
	rt(await call('GET', '/api/focus/active'), 0, 'no token');
	rt(await call('POST', '/api/focus', { token: u.token, body: { duration_seconds: 0 } }), 0, 'invalid body');
	rt(await call('GET', '/api/focus?page=0', { token: u.token }), 0, 'bad page');
});

// One open session per user is a schema invariant, so a batch can hold
// at most one item that is valid for its session's state; a batch of 100
// distinct ids is accepted by validation and applied all or nothing.
await test('a batch of 100 items is accepted and applied all or nothing', async () => {
	const u = newUser();
	const ids = [];
	for (let i = 0; i < 100; i++) ids.push((await start(u, { duration_seconds: 60 })).json.data.id);
	const open = ids[99];
	const closed = ids.slice(0, 99);
	const bad = await call('POST', '/api/focus/batch', { token: u.token, body: { updates:
		[{ id: open, action: 'complete' }, ...closed.map((id) => ({ id, action: 'abandon' }))] } });
	assert.equal(bad.status, 409, bad.text);
	assert.match(bad.json.message, /updates\[1\]/);
	assert.equal(bad.rt, 1);
	assert.equal(sql(`SELECT status FROM focus_sessions WHERE id = '${open}'`), 'active');
	const good = await call('POST', '/api/focus/batch', { token: u.token, body: { updates: [{ id: open, action: 'complete' }] } });
	assert.equal(good.status, 200, good.text);
	assert.equal(good.json.data.results.length, 1);
	assert.equal(good.json.data.results[0].session.status, 'completed');
	assert.equal(sql(`SELECT count(*) FROM points_ledger WHERE user_id = '${u.id}'`), '1');
});

await test('a batch abandon returns the session in its result', async () => {
	const u = newUser();
	const a = (await start(u)).json.data;
	const r = await call('POST', '/api/focus/batch', { token: u.token, body: { updates: [{ id: a.id, action: 'abandon' }] } });
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.data.results[0].id, a.id);
	assert.equal(r.json.data.results[0].action, 'abandon');
	assert.equal(r.json.data.results[0].session.status, 'abandoned');
});

await test('a batch with one bad item changes nothing and names its index', async () => {
	const u = newUser();
	const old = (await start(u)).json.data;
	const open = (await start(u)).json.data;     // old is abandoned now
	const r = await call('POST', '/api/focus/batch', { token: u.token, body: { updates: [
		{ id: open.id, action: 'complete' }, { id: old.id, action: 'complete' }] } });
	assert.equal(r.status, 409, r.text);
	assert.equal(r.json.error, 'conflict');
	assert.match(r.json.message, /updates\[1\]/);
	assert.equal(sql(`SELECT status FROM focus_sessions WHERE id = '${open.id}'`), 'active');
	assert.equal(sql(`SELECT count(*) FROM points_ledger WHERE user_id = '${u.id}'`), '0');
});

await test('a batch item of another user is 409 with nothing applied', async () => {
	const u = newUser(), v = newUser();
	const mine = (await start(u)).json.data;
	const theirs = (await start(v)).json.data;
	const r = await call('POST', '/api/focus/batch', { token: u.token, body: { updates: [
		{ id: mine.id, action: 'abandon' }, { id: theirs.id, action: 'abandon' }] } });
	assert.equal(r.status, 409, r.text);
	assert.match(r.json.message, /updates\[1\]/);
	assert.equal(sql(`SELECT status FROM focus_sessions WHERE id = '${mine.id}'`), 'active');
	assert.equal(sql(`SELECT status FROM focus_sessions WHERE id = '${theirs.id}'`), 'active');
});

const badBatches = [
	['an empty list', { updates: [] }],
	['no updates field', {}],
	['updates that is not an array', { updates: { id: 'x' } }],
	['101 items', { updates: Array.from({ length: 101 }, (_, i) => ({ id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, action: 'abandon' })) }],
	['an unknown action', { updates: [{ id: '00000000-0000-4000-8000-000000000001', action: 'pause' }] }],
	['a bad id', { updates: [{ id: 'nope', action: 'abandon' }] }],
	['an item that is not an object', { updates: ['x'] }],
	['a duplicate id', { updates: [{ id: '00000000-0000-4000-8000-000000000001', action: 'abandon' }, { id: '00000000-0000-4000-8000-000000000001', action: 'complete' }] }],
];
for (const [name, body] of badBatches) {
	await test(`a batch with ${name} is 422`, async () => {
		const u = newUser();
		const r = await call('POST', '/api/focus/batch', { token: u.token, body });
		assert.equal(r.status, 422, r.text);
		assert.equal(r.json.error, 'validation_error');
	});
}

// The races. Each runs `rounds` times in a row (issue 4: 20).
await test(`${rounds} x: 20 concurrent starts for one user leave exactly one open session`, async () => {
	for (let round = 0; round < rounds; round++) {
		const u = newUser('race');
		const rs = await Promise.all(Array.from({ length: 20 }, () => start(u, { duration_seconds: 600 })));
		for (const r of rs) assert.equal(r.status, 200, r.text);
		assert.equal(sql(`SELECT count(*) FROM focus_sessions WHERE user_id = '${u.id}' AND status IN ('active', 'paused')`), '1');
		assert.equal(sql(`SELECT count(*) FROM focus_sessions WHERE user_id = '${u.id}'`), '20');
	}
});

await test(`${rounds} x: 20 concurrent completes of one session grant the reward once`, async () => {
	for (let round = 0; round < rounds; round++) {
		const u = newUser('race');
		const s = (await start(u, { duration_seconds: 600 })).json.data;
		const rs = await Promise.all(Array.from({ length: 20 }, () => call('POST', `/api/focus/${s.id}/complete`, { token: u.token })));
		const ok = rs.filter((r) => r.status === 200).length;
		const conflicts = rs.filter((r) => r.status === 409).length;
		assert.equal(ok, 1, rs.map((r) => r.status).join(','));
		assert.equal(conflicts, 19);
		const xp = rs.find((r) => r.status === 200).json.data.xp_awarded;
		assert.equal(sql(`SELECT count(*) || ',' || coalesce(sum(xp), 0) FROM points_ledger WHERE user_id = '${u.id}'`), `1,${xp}`);
		assert.equal(sql(`SELECT xp FROM user_progress WHERE user_id = '${u.id}'`), String(xp));
		assert.equal(sql(`SELECT coins FROM user_wallet WHERE user_id = '${u.id}'`),
			sql(`SELECT coins FROM points_ledger WHERE user_id = '${u.id}'`));
	}
});

await test(`${rounds} x: completes racing starts and pauses leave one open session and one reward per completed session`, async () => {
	for (let round = 0; round < rounds; round++) {
		const u = newUser('race');
		const s = (await start(u, { duration_seconds: 600 })).json.data;
		const rs = await Promise.all([
			...Array.from({ length: 5 }, () => call('POST', `/api/focus/${s.id}/complete`, { token: u.token })),
			...Array.from({ length: 5 }, () => start(u, { duration_seconds: 600 })),
			...Array.from({ length: 4 }, (_, i) => call(i % 2 ? 'DELETE' : 'POST', '/api/focus/pause', { token: u.token })),
		]);
		for (const r of rs) assert.ok([200, 404, 409].includes(r.status), `${r.status} ${r.text}`);
		assert.equal(sql(`SELECT count(*) FROM focus_sessions WHERE user_id = '${u.id}' AND status IN ('active', 'paused')`), '1');
		assert.equal(sql(`SELECT count(*) FROM focus_sessions WHERE user_id = '${u.id}'`), '6');
		// only the first session could be completed, once, and only if no start closed it first
		const completes = rs.slice(0, 5).filter((r) => r.status === 200).length;
		assert.ok(completes <= 1, String(completes));
		assert.equal(sql(`SELECT count(*) FROM focus_sessions WHERE user_id = '${u.id}' AND status = 'completed'`), String(completes));
		assert.equal(sql(`SELECT count(*) FROM points_ledger WHERE user_id = '${u.id}'`), String(completes));
		assert.equal(sql(`SELECT coalesce((SELECT xp FROM user_progress WHERE user_id = '${u.id}'), 0)`),
			sql(`SELECT coalesce(sum(xp), 0) FROM points_ledger WHERE user_id = '${u.id}'`));
	}
});

await test(`${rounds} x: pause/resume races keep the session whole and lose no time`, async () => {
	for (let round = 0; round < rounds; round++) {
		const u = newUser('race');
		const t0 = Date.now();
		await start(u, { duration_seconds: 600 });
		const reqs = Array.from({ length: 20 }, (_, i) => call(i % 2 ? 'DELETE' : 'POST', '/api/focus/pause', { token: u.token }));
		const rs = await Promise.all(reqs);
		for (const r of rs) assert.ok([200, 404, 409].includes(r.status), `${r.status} ${r.text}`);
		// the pause state is the session row: status and paused_at agree (a
		// CHECK), and the time left is the 600 s less the little that ran:
		// at most the time since the start, as node saw it (not a fixed 10 s,
		// which a loaded machine's 20 racing requests could exceed)
		const [status, left] = sql(`SELECT f.status || ',' || extract(epoch FROM f.expires_at - coalesce(f.paused_at, now()))
			FROM focus_sessions f WHERE f.user_id = '${u.id}' AND f.status IN ('active', 'paused')`).split(',');
		const ran = (Date.now() - t0) / 1000 + 0.001;
		assert.ok(status === 'active' || status === 'paused', status);
		assert.ok(Number(left) >= 600 - ran && Number(left) <= 600, `${left} left, ${ran} s ran`);
		const pause = (await call('GET', '/api/focus/pause', { token: u.token })).json.data;
		assert.equal(pause === null, status === 'active', JSON.stringify(pause));
	}
});
