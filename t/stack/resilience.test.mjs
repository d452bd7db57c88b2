// resilience.test.mjs: the database goes away while requests flow and
// comes back; the same worker processes answer 503 meanwhile and 200
// after, without a restart.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { call, newUser, sql, test, until } from './lib.mjs';

const quickstart = (cmd) => execFileSync(process.env.FOCUS_QUICKSTART, [cmd], { stdio: 'inherit', env: process.env });
const workerPids = () => readFileSync(`${process.env.FOCUS_VAR}/run/workers.pid`, 'utf8').trim().split(/\s+/);
const alive = (pid) => { try { process.kill(Number(pid), 0); return true; } catch { return false; } };

await test('workers answer 503 while the database is down and 200 once it is back', async () => {
	const u = newUser();
	const pids = workerPids();
	assert.ok(pids.length >= 1);
	assert.equal((await call('GET', '/api/focus/active', { token: u.token })).status, 200);

	// requests keep flowing while the database is killed
	let flowing = true;
	const seen = new Set();
	const flow = (async () => {
		while (flowing) {
			const r = await call('GET', '/api/focus/active', { token: u.token });
			seen.add(r.status);
		}
	})();
	quickstart('pg-stop');
	const down = await until(async () => {
		const r = await call('GET', '/api/focus/active', { token: u.token });
		return r.status === 503 ? r : null;
	}, 15000, '503 while the database is down');
	assert.equal(down.json.error, 'unavailable');
	assert.ok(Number(down.headers.get('retry-after')) >= 1, 'Retry-After');
	assert.doesNotMatch(down.text, /postgres|libpq|connection|socket/i, 'no libpq text in the body');
	const h = await call('GET', '/api/health');
	assert.equal(h.status, 503);
	assert.equal(h.json.error, 'unavailable');
	const w = await call('POST', '/api/focus', { token: u.token, body: {} });
	assert.equal(w.status, 503);

	quickstart('pg-start');
	await until(async () => (await call('GET', '/api/health')).status === 200, 30000, 'health after restart');
	flowing = false;
	await flow;
	for (const s of seen) assert.ok([200, 503].includes(s), `only 200 and 503 while flowing, saw ${s}`);
	// every worker is back: enough requests to reach each of them
	for (let i = 0; i < 6 * pids.length; i++) {
		const r = await call('GET', '/api/focus/active', { token: u.token });
		assert.equal(r.status, 200, r.text);
	}
	assert.equal((await call('POST', '/api/focus', { token: u.token, body: {} })).status, 200);
	assert.deepEqual(workerPids(), pids, 'same pid file');
	for (const pid of pids) assert.ok(alive(pid), `worker ${pid} still running`);
});

await test('a migration that changes what a statement returns is picked up by the running workers', async () => {
	const u = newUser();
	const pids = workerPids();
	await call('POST', '/api/focus', { token: u.token, body: { task_title: 'before' } });
	assert.equal((await call('GET', '/api/focus/active', { token: u.token })).status, 200);
	// a column of the session changes type under the prepared statements
	const type = sql(`SELECT format_type(atttypid, atttypmod) FROM pg_attribute
		WHERE attrelid = 'focus_sessions'::regclass AND attname = 'task_title'`);
	sql('ALTER TABLE focus_sessions ALTER COLUMN task_title TYPE varchar(200)');
	try {
		// every worker meets the change: each answers 200 on its first try
		for (let i = 0; i < 6 * pids.length; i++) {
			const r = await call('GET', '/api/focus/active', { token: u.token });
			assert.equal(r.status, 200, r.text);
			assert.equal(r.json.data.session.task_title, 'before');
		}
	} finally {
		sql(`ALTER TABLE focus_sessions ALTER COLUMN task_title TYPE ${type}`);
	}
	for (let i = 0; i < 6 * pids.length; i++)
		assert.equal((await call('GET', '/api/focus/active', { token: u.token })).status, 200);
	assert.deepEqual(workerPids(), pids, 'same workers');
});
