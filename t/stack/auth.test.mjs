// auth.test.mjs: browser sign-in (issue 7): login, me, logout, the
// failure limit, cross-site refusal, and no secret in any log line.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { call, sql, test } from './lib.mjs';

const origin = new URL(process.env.FOCUS_BASE_URL).origin;
function addUser(name, password) {
	return execFileSync(process.env.FOCUSCTL, ['user', 'add', '--name', name, '--password-stdin'],
		{ input: password + '\n', encoding: 'utf8', env: process.env }).trim();
}
const cookieOf = (r) => (/session=([0-9a-f]*)/.exec(r.headers.get('set-cookie') || '') || [])[1];
const secrets = [];

const name = `alice${process.pid}`, password = 'correct horse battery staple';
const id = addUser(name, password);
secrets.push(password);

await test('the password is stored as an argon2id encoding, never in clear', async () => {
	const h = sql(`SELECT password_hash FROM users WHERE id = '${id}'`);
	assert.match(h, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
	assert.ok(!h.includes(password));
});

// A sign-in of its own for each test that needs a cookie, so that every
// test also runs alone (--test-name-pattern); its token joins the secrets.
async function signIn() {
	const r = await call('POST', '/api/auth/login', { body: { name, password } });
	assert.equal(r.status, 200, r.text);
	const t = cookieOf(r);
	assert.match(t, /^[0-9a-f]{64}$/);
	secrets.push(t);
	return t;
}

await test('login sets an HttpOnly SameSite=Strict session cookie and returns the user', async () => {
	const r = await call('POST', '/api/auth/login', { body: { name, password } });
	assert.equal(r.status, 200, r.text);
	assert.deepEqual(r.json.data, { user: { id, name } });
	const c = r.headers.get('set-cookie');
	assert.match(c, /HttpOnly/);
	assert.match(c, /SameSite=Strict/);
	assert.match(c, /Path=\//);
	assert.doesNotMatch(c, /Secure/, 'Secure only with FOCUS_COOKIE_SECURE=1');
	const token = cookieOf(r);
	assert.match(token, /^[0-9a-f]{64}$/);
	secrets.push(token);
	const stored = sql(`SELECT count(*) FROM sessions WHERE token_hash = sha256('${token}'::bytea)`);
	assert.equal(stored, '1', 'stored as SHA-256');
	assert.equal(sql(`SELECT count(*) FROM sessions WHERE encode(token_hash, 'hex') = '${token}'`), '0');
});

await test('me answers the signed-in user by cookie', async () => {
	const token = await signIn();
	const r = await call('GET', '/api/auth/me', { cookie: token });
	assert.equal(r.status, 200);
	assert.deepEqual(r.json.data, { user: { id, name } });
});

await test('a wrong password and an unknown name get the same 401', async () => {
	const a = await call('POST', '/api/auth/login', { body: { name, password: 'wrong' } });
	const b = await call('POST', '/api/auth/login', { body: { name: `nobody${process.pid}`, password: 'wrong' } });
	assert.equal(a.status, 401);
	assert.equal(b.status, 401);
	assert.deepEqual(a.json, b.json);
	assert.equal(a.headers.get('set-cookie'), null);
});

await test('login with missing or mistyped fields is 422', async () => {
	assert.equal((await call('POST', '/api/auth/login', { body: { name } })).status, 422);
	assert.equal((await call('POST', '/api/auth/login', { body: { name, password: 5 } })).status, 422);
	assert.equal((await call('POST', '/api/auth/login', { body: '{' , headers: { 'Content-Type': 'application/json' } })).status, 400);
});

await test('a cookie write from a foreign Origin is 403 and changes nothing', async () => {
	const token = await signIn();
	const before = sql(`SELECT count(*) FROM focus_sessions WHERE user_id = '${id}'`);
	const r = await call('POST', '/api/focus', { cookie: token, body: {}, headers: { Origin: 'https://evil.example' } });
	assert.equal(r.status, 403);
	assert.equal(r.json.error, 'forbidden');
	assert.equal(sql(`SELECT count(*) FROM focus_sessions WHERE user_id = '${id}'`), before);
	const ok = await call('POST', '/api/focus', { cookie: token, body: {}, headers: { Origin: origin } });
	assert.equal(ok.status, 200, ok.text);
});

await test('logout deletes the session row and clears the cookie', async () => {
	const token = await signIn();
	const r = await call('POST', '/api/auth/logout', { cookie: token, headers: { Origin: origin } });
	assert.equal(r.status, 200, r.text);
	assert.deepEqual(r.json.data, { logged_out: true });
	assert.match(r.headers.get('set-cookie'), /session=;.*Max-Age=0/);
	assert.equal(sql(`SELECT count(*) FROM sessions WHERE token_hash = sha256('${token}'::bytea)`), '0');
	assert.equal((await call('GET', '/api/auth/me', { cookie: token })).status, 401);
});

await test('the 11th failed sign-in within 15 minutes is 429 with Retry-After, also with the right password', async () => {
	const n = `bob${process.pid}`, pw = 'another secret phrase';
	addUser(n, pw);
	secrets.push(pw);
	sql(`DELETE FROM login_failures`);   // the failures of the test above
	for (let i = 0; i < 10; i++) {
		const r = await call('POST', '/api/auth/login', { body: { name: n, password: `wrong${i}` } });
		assert.equal(r.status, 401, `attempt ${i + 1}`);
	}
	const r = await call('POST', '/api/auth/login', { body: { name: n, password: pw } });
	assert.equal(r.status, 429, r.text);
	assert.equal(r.json.error, 'too_many_requests');
	assert.ok(Number(r.headers.get('retry-after')) > 0);
	// another name from the same client address is limited too
	const other = await call('POST', '/api/auth/login', { body: { name, password } });
	assert.equal(other.status, 429, 'per client address');
	sql(`DELETE FROM login_failures`);
	assert.equal((await call('POST', '/api/auth/login', { body: { name: n, password: pw } })).status, 200);
});

await test('no password or token appears in any log line', async () => {
	const dir = `${process.env.FOCUS_VAR}/log`;
	const text = ['focus.log', 'nginx-access.log', 'nginx-error.log']
		.map((f) => { try { return readFileSync(`${dir}/${f}`, 'utf8'); } catch { return ''; } }).join('\n');
	assert.ok(text.length > 0);
	for (const s of secrets) assert.ok(!text.includes(s), `a secret reached the logs`);
});
