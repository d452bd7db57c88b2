// hostile.test.mjs: every route against malformed, oversized and random
// input. A worker must answer each with a 4xx (never 5xx), and no worker
// may die. Random cases come from a fixed seed, so a failure repeats.
import assert from 'node:assert/strict';
import { alive, call, newUser, test, workerPids } from './lib.mjs';

// both pools' workers: a dead one would be replaced, under a new pid
const pids = () => [...workerPids('focus'), ...workerPids('focus-storage')];

let seed = 20261124;
const rand = (n) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
const pick = (a) => a[rand(a.length)];

const ID = '00000000-0000-4000-8000-000000000001';
const routes = [
	['POST', '/api/focus'], ['GET', '/api/focus'], ['GET', '/api/focus/stats'], ['GET', '/api/focus/active'],
	['GET', '/api/focus/pause'], ['POST', '/api/focus/pause'], ['DELETE', '/api/focus/pause'],
	['POST', `/api/focus/${ID}/complete`], ['POST', `/api/focus/${ID}/abandon`], ['POST', '/api/focus/batch'],
	['GET', '/api/focus/libraries'], ['POST', '/api/focus/libraries'], ['GET', `/api/focus/libraries/${ID}`],
	['POST', `/api/focus/libraries/${ID}/favorite`], ['POST', `/api/focus/libraries/${ID}/tracks/upload-url`],
	['PUT', `/api/focus/libraries/${ID}/tracks/upload`], ['POST', `/api/focus/libraries/${ID}/tracks`],
	['GET', `/api/focus/libraries/${ID}/tracks`], ['POST', '/api/auth/login'], ['GET', '/api/auth/me'],
	['POST', '/api/auth/password'],
	['GET', `/api/storage/${ID}/audio/${ID}.mp3`], ['PUT', `/api/storage/${ID}/audio/${ID}.mp3`],
];
const values = [null, true, false, 0, -1, 1.5, 1e308, -9223372036854775808, 9223372036854775807, '', 'x'.repeat(5000),
	'\u0000', '\ud800', 'é', '💥', [], {}, [[[[[[]]]]]], { a: { b: { c: {} } } }, 'focus', ID, ID.toUpperCase(), '../../etc/passwd'];
const fields = ['mode', 'duration_seconds', 'task_id', 'task_title', 'updates', 'id', 'action', 'name', 'password',
	'description', 'library_type', 'filename', 'mime_type', 'size_bytes', 'track_title', 'storage_key', 'r2_key',
	'track_url', 'duration_seconds', 'current_password', 'new_password'];
const raws = ['{', '}', '[', 'null', '"', '{"a":}', '{"a":1,}', "{'a':1}", '\u0000', '{"a":"\\ud800"}',
	'{"a":' + '['.repeat(100) + ']'.repeat(100) + '}', '\xff\xfe', '{"updates":[' + '{},'.repeat(200) + '{}]}'];
const queries = ['', 'page=1e3', 'page=%', 'page=%zz', 'page_size=-0', 'period=%00', 'stats=TRUE', 'track_title=%ff%fe',
	'page=' + '9'.repeat(40), 'a'.repeat(3000), 'expires=1&sig=zz', 'expires=-1&sig=' + '0'.repeat(64)];

await test('400 random hostile requests get a 4xx, never a 5xx, and no worker dies', async () => {
	const u = newUser();
	const before = pids();
	const bad = [];
	for (let i = 0; i < 400; i++) {
		const [method, path] = pick(routes);
		let body;
		const kind = rand(3);
		if (kind === 0) {
			body = {};
			for (let k = rand(5); k >= 0; k--) body[pick(fields)] = pick(values);
		} else if (kind === 1) body = pick(raws);
		if (method === 'GET') body = undefined;   // fetch sends no body with GET
		const q = pick(queries);
		const headers = { 'Content-Type': pick(['application/json', 'text/plain', 'audio/mpeg', 'application/json; charset=utf-8', '']) };
		const auth = pick([{ token: u.token }, { token: u.token }, { cookie: u.token, headers: { ...headers, Origin: 'http://evil' } }, {}]);
		const r = await call(method, `${path}${q ? '?' + q : ''}`, { ...auth, body, headers: { ...headers, ...(auth.headers || {}) } });
		if (r.status >= 500) bad.push(`${method} ${path}?${q} -> ${r.status} ${r.text.slice(0, 80)}`);
	}
	assert.deepEqual(bad, []);
	for (const pid of before) assert.ok(alive(pid), `worker ${pid} alive`);
});

await test('odd paths are 404 or 400, never 5xx', async () => {
	const u = newUser();
	for (const p of ['/api/focus/%00/complete', '/api/focus//complete', '/api/focus/../health', '/api/' + 'a/'.repeat(300),
		'/api/focus/' + ID + '/complete/extra', '/api/storage/', '/api/storage/..%2f..%2fetc%2fpasswd']) {
		const r = await call('POST', p, { token: u.token });
		assert.ok(r.status >= 400 && r.status < 500, `${p}: ${r.status}`);
	}
});
