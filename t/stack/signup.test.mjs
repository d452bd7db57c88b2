// signup.test.mjs: POST /api/auth/register (issue 19, item 9): a new
// user signed in by one round trip, a taken name 409 and counted by the
// sign-in throttle, a short password 422, and the route closed (404)
// unless FOCUS_SIGNUP=open (./quickstart opens it).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import http from 'node:http';
import { call, sql, test, until } from './lib.mjs';

const cookieOf = (r) => (/session=([0-9a-f]*)/.exec([].concat(r.headers.get('set-cookie') || []).join('\n')) || [])[1];
let serial = 0;
// pid and load time: unique across runs on one stack (pids come round)
const run = `${process.pid}x${Date.now().toString(36)}`;
const freshName = () => `signup${run}x${++serial}`;
const PASSWORD = 'correct horse battery';

// One request from a given loopback source address: the throttle counts
// per client address, and each test uses addresses of its own.
function callFrom(localAddress, method, path, body) {
	const url = new URL(process.env.FOCUS_BASE_URL + path);
	const text = JSON.stringify(body);
	const headers = { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) };
	return new Promise((resolve, reject) => {
		const req = http.request({ host: url.hostname, port: url.port, path: url.pathname, method,
			headers, localAddress, agent: false }, (res) => {
			let out = '';
			res.setEncoding('utf8');
			res.on('data', (c) => { out += c; });
			res.on('end', () => {
				let json = null;
				try { json = JSON.parse(out); } catch { /* not JSON */ }
				resolve({ status: res.statusCode, text: out, json, headers: res.headers });
			});
		});
		req.on('error', reject);
		req.end(text);
	});
}

test('a sign-up creates the user, signs it in with a cookie, in one round trip', async () => {
	const name = freshName();
	const r = await call('POST', '/api/auth/register', { body: { name, password: PASSWORD } });
	assert.equal(r.status, 200, r.text);
	assert.equal(r.rt, 1, 'one round trip');
	assert.equal(r.json.data.user.name, name);
	assert.match(r.json.data.user.id, /^[0-9a-f-]{36}$/);
	const cookie = cookieOf(r);
	assert.ok(cookie && cookie.length === 64, 'a session cookie');
	assert.match(String(r.headers.get('set-cookie')), /HttpOnly; SameSite=Strict/);
	const me = await call('GET', '/api/auth/me', { cookie });
	assert.equal(me.status, 200);
	assert.equal(me.json.data.user.id, r.json.data.user.id);
	// the new user has its settings (the trigger of 009_cycle.sql)
	const st = await call('GET', '/api/focus/settings', { cookie });
	assert.equal(st.status, 200, st.text);
	assert.equal(st.json.data.focus_seconds, 1500);
	// and signs in with the password it chose; the hash is argon2id
	const again = await call('POST', '/api/auth/login', { body: { name, password: PASSWORD } });
	assert.equal(again.status, 200, again.text);
	assert.match(sql(`SELECT password_hash FROM users WHERE name = '${name}'`), /^\$argon2id\$/);
});

test('a taken name is 409 and counts as a failed attempt of that name from the client', async () => {
	const name = freshName();
	assert.equal((await callFrom('127.0.0.80', 'POST', '/api/auth/register', { name, password: PASSWORD })).status, 200);
	const r = await callFrom('127.0.0.80', 'POST', '/api/auth/register', { name, password: 'another password' });
	assert.equal(r.status, 409, r.text);
	assert.equal(r.json.error, 'conflict');
	assert.equal(sql(`SELECT count(*) FROM login_failures WHERE name = '${name}' AND client = '127.0.0.80'`), '1');
	assert.equal(sql(`SELECT count(*) FROM users WHERE name = '${name}'`), '1');
});

test('sign-up is throttled like sign-in: after 10 failures of a name from a client, 429 with Retry-After', async () => {
	const name = freshName();
	assert.equal((await callFrom('127.0.0.81', 'POST', '/api/auth/register', { name, password: PASSWORD })).status, 200);
	for (let i = 0; i < 9; i++) {
		const r = await callFrom('127.0.0.81', 'POST', '/api/auth/login', { name, password: `wrong${i}` });
		assert.equal(r.status, 401);
	}
	assert.equal((await callFrom('127.0.0.81', 'POST', '/api/auth/register', { name, password: PASSWORD })).status, 409);
	const r = await callFrom('127.0.0.81', 'POST', '/api/auth/register', { name, password: PASSWORD });
	assert.equal(r.status, 429, r.text);
	assert.equal(r.headers['retry-after'], '900');
	// the throttled attempt was not counted, and a sign-in is throttled too
	assert.equal(sql(`SELECT count(*) FROM login_failures WHERE name = '${name}' AND client = '127.0.0.81'`), '10');
	assert.equal((await callFrom('127.0.0.81', 'POST', '/api/auth/login', { name, password: PASSWORD })).status, 429);
	// another client is not locked out
	assert.equal((await callFrom('127.0.0.82', 'POST', '/api/auth/login', { name, password: PASSWORD })).status, 200);
});

test('a password under 10 characters, a missing field or a name with a control character is 422 and creates nothing', async () => {
	const name = freshName();
	const cases = [
		{ name, password: '123456789' },
		{ name },
		{ password: PASSWORD },
		{ name: `${name}\u0007`, password: PASSWORD },
		{ name: ` ${name}`, password: PASSWORD },
		{ name: 'x'.repeat(65), password: PASSWORD },
		{ name, password: 1234567890 },
	];
	for (const body of cases) {
		const r = await call('POST', '/api/auth/register', { body });
		assert.equal(r.status, 422, `${JSON.stringify(body)}: ${r.text}`);
		assert.equal(r.json.error, 'validation_error');
	}
	assert.equal(sql(`SELECT count(*) FROM users WHERE name LIKE '%${name}%'`), '0');
	// 10 characters (not bytes) is enough
	const ok = await call('POST', '/api/auth/register', { body: { name, password: 'ééééééééé\u00e9' } });
	assert.equal(ok.status, 200, ok.text);
});

test('concurrent sign-ups of one name: exactly one wins, the others are 409', async () => {
	const name = freshName();
	const rs = await Promise.all(Array.from({ length: 8 }, (_, i) =>
		callFrom(`127.0.0.${90 + i}`, 'POST', '/api/auth/register', { name, password: PASSWORD })));
	assert.deepEqual(rs.map((r) => r.status).sort(), [200, 409, 409, 409, 409, 409, 409, 409]);
	assert.equal(sql(`SELECT count(*) FROM users WHERE name = '${name}'`), '1');
});

test('with FOCUS_SIGNUP=closed the route answers 404 and creates nothing', async () => {
	const restart = (signup) => execFileSync(process.env.FOCUS_QUICKSTART, ['workers'],
		{ env: { ...process.env, FOCUS_SIGNUP: signup }, stdio: 'ignore' });
	const name = freshName();
	restart('closed');
	try {
		const r = await until(async () => {
			const x = await call('POST', '/api/auth/register', { body: { name, password: PASSWORD } });
			return x.status === 503 ? null : x;
		}, 10000, 'the workers to answer');
		assert.equal(r.status, 404, r.text);
		assert.equal(r.json.error, 'not_found');
		assert.equal(sql(`SELECT count(*) FROM users WHERE name = '${name}'`), '0');
	} finally {
		restart('open');
	}
	const back = await until(async () => {
		const x = await call('POST', '/api/auth/register', { body: { name, password: PASSWORD } });
		return x.status === 503 ? null : x;
	}, 10000, 'the workers to answer');
	assert.equal(back.status, 200, back.text);
});
