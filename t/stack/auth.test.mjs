// auth.test.mjs: browser sign-in (issue 7): login, me, logout, the
// failure limit, cross-site refusal, and no secret in any log line; and
// passwords and sessions (issue 14): password changes end the other
// sessions, logout-all, tokens listed and revoked, at most 20 sign-ins,
// the throttle per name and client address, and null fields refused.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { call, focusctl, newUser, sql, test } from './lib.mjs';

const origin = new URL(process.env.FOCUS_BASE_URL).origin;
function addUser(name, password) {
	return execFileSync(process.env.FOCUSCTL, ['user', 'add', '--name', name, '--password-stdin'],
		{ input: password + '\n', encoding: 'utf8', env: process.env }).trim();
}
// focusctl expected to fail: its complaint is not the suite's output
const focusctlFails = (...args) => execFileSync(process.env.FOCUSCTL, args,
	{ encoding: 'utf8', env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
const cookieOf = (r) => (/session=([0-9a-f]*)/.exec([].concat(r.headers.get('set-cookie') || []).join('\n')) || [])[1];
const secrets = [];

// One request from a given loopback source address (nginx listens on
// 127.0.0.1 and passes the peer as REMOTE_ADDR): the throttle counts
// failures per client address, and each test uses addresses of its own.
function callFrom(localAddress, method, path, opts = {}) {
	const url = new URL(process.env.FOCUS_BASE_URL + path);
	const headers = { ...(opts.headers || {}) };
	let body;
	if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
	if (opts.cookie) headers.Cookie = `session=${opts.cookie}`;
	if (opts.body !== undefined) {
		body = JSON.stringify(opts.body);
		headers['Content-Type'] = 'application/json';
		headers['Content-Length'] = Buffer.byteLength(body);
	}
	return new Promise((resolve, reject) => {
		const req = http.request({ host: url.hostname, port: url.port, path: url.pathname + url.search, method,
			headers, localAddress, agent: false }, (res) => {
			let text = '';
			res.setEncoding('utf8');
			res.on('data', (c) => { text += c; });
			res.on('end', () => {
				let json = null;
				try { json = JSON.parse(text); } catch { /* not JSON */ }
				resolve({ status: res.statusCode, text, json, headers: { get: (h) => res.headers[h.toLowerCase()] ?? null } });
			});
		});
		req.on('error', reject);
		if (body !== undefined) req.write(body);
		req.end();
	});
}
const loginFrom = (addr, n, pw) => callFrom(addr, 'POST', '/api/auth/login', { body: { name: n, password: pw } });
const login = async (n, pw) => {
	const r = await call('POST', '/api/auth/login', { body: { name: n, password: pw } });
	assert.equal(r.status, 200, r.text);
	const c = cookieOf(r);
	secrets.push(c);
	return c;
};
const me = async (auth) => (await call('GET', '/api/auth/me', auth)).status;
const sessionsOf = (uid) => Number(sql(`SELECT count(*) FROM sessions WHERE user_id = '${uid}'`));
const hashOf = (uid) => sql(`SELECT password_hash FROM users WHERE id = '${uid}'`);
let serial = 0;
// names of this run: pid and load time (a stack kept between runs, e.g. a
// developer's, has the names of earlier runs, and pids come round again)
const run = `${process.pid}x${Date.now().toString(36)}`;
// a user with a password, a fresh name per call
function pwUser(prefix) {
	const n = `${prefix}${run}x${++serial}`, pw = `pw ${prefix} ${serial} ${process.pid}`;
	const uid = addUser(n, pw);
	secrets.push(pw);
	return { name: n, pw, id: uid };
}
function tokenFor(uid) {
	const t = focusctl('token', 'add', uid);
	secrets.push(t);
	return t;
}

const name = `alice${run}`, password = 'correct horse battery staple';
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
	const b = await call('POST', '/api/auth/login', { body: { name: `nobody${run}`, password: 'wrong' } });
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

await test('the 11th failed sign-in of a name from one address is 429 there only; the right password from another address signs in', async () => {
	const u = pwUser('bob'), other = pwUser('bobby');
	for (let i = 0; i < 10; i++) {
		const r = await loginFrom('127.0.0.2', u.name, `wrong${i}`);
		assert.equal(r.status, 401, `attempt ${i + 1}`);
	}
	const r = await loginFrom('127.0.0.2', u.name, u.pw);
	assert.equal(r.status, 429, r.text);
	assert.equal(r.json.error, 'too_many_requests');
	assert.equal(r.headers.get('retry-after'), '900');
	assert.equal(r.headers.get('set-cookie'), null);
	// the same name from another address, another name from this one
	const elsewhere = await loginFrom('127.0.0.3', u.name, u.pw);
	assert.equal(elsewhere.status, 200, elsewhere.text);
	secrets.push(cookieOf(elsewhere));
	const neighbour = await loginFrom('127.0.0.2', other.name, other.pw);
	assert.equal(neighbour.status, 200, neighbour.text);
	secrets.push(cookieOf(neighbour));
	assert.equal(sql(`SELECT count(*) FROM login_failures WHERE name = '${u.name}' AND client = '127.0.0.2'`), '10');
});

await test('100 failures of a name from many addresses stop a distributed guesser everywhere', async () => {
	const u = pwUser('dist');
	// 12 addresses, at most 9 failures each: never the per-address limit
	for (let i = 0; i < 100; i++) {
		const r = await loginFrom(`127.0.0.${10 + (i % 12)}`, u.name, `guess${i}`);
		assert.equal(r.status, 401, `guess ${i + 1}: ${r.text}`);
	}
	const r = await loginFrom('127.0.0.30', u.name, u.pw);
	assert.equal(r.status, 429, 'a fresh address, the right password');
	assert.equal(r.headers.get('retry-after'), '900');
});

await test('100 failures from one address over many names stop that address only', async () => {
	const u = pwUser('spray');
	// the failures of 100 other names from 127.0.0.40 within the window
	sql(`INSERT INTO login_failures (name, client) SELECT 'spray-target-' || g, '127.0.0.40' FROM generate_series(1, 100) AS g`);
	assert.equal((await loginFrom('127.0.0.40', u.name, u.pw)).status, 429);
	const r = await loginFrom('127.0.0.41', u.name, u.pw);
	assert.equal(r.status, 200, r.text);
	secrets.push(cookieOf(r));
});

await test('a 21st sign-in ends the oldest; API tokens do not count', async () => {
	const u = pwUser('many');
	const t = tokenFor(u.id);
	const cookies = [];
	for (let i = 0; i < 21; i++) cookies.push(await login(u.name, u.pw));
	assert.equal(await me({ cookie: cookies[0] }), 401, 'the oldest sign-in ended');
	assert.equal(await me({ cookie: cookies[1] }), 200);
	assert.equal(await me({ cookie: cookies[20] }), 200);
	assert.equal(await me({ token: t }), 200, 'the token stays');
	assert.equal(sql(`SELECT count(*) FROM sessions WHERE user_id = '${u.id}' AND kind = 'cookie'`), '20');
	assert.equal(sql(`SELECT count(*) FROM sessions WHERE user_id = '${u.id}' AND kind = 'token'`), '1');
});

await test('30 sign-ins at once leave exactly 20', async () => {
	const u = pwUser('burst');
	const rs = await Promise.all(Array.from({ length: 30 }, () =>
		call('POST', '/api/auth/login', { body: { name: u.name, password: u.pw } })));
	for (const r of rs) {
		assert.equal(r.status, 200, r.text);
		secrets.push(cookieOf(r));
	}
	assert.equal(sql(`SELECT count(*) FROM sessions WHERE user_id = '${u.id}' AND kind = 'cookie'`), '20');
});

await test('concurrent password changes from one current password: exactly one wins, the others change nothing', async () => {
	const u = pwUser('race');
	const t = tokenFor(u.id);
	const pws = Array.from({ length: 6 }, (_, i) => `race winner ${i} ${process.pid}`);
	secrets.push(...pws);
	const rs = await Promise.all(pws.map((pw) => callFrom('127.0.0.60', 'POST', '/api/auth/password',
		{ token: t, body: { current_password: u.pw, new_password: pw } })));
	const won = rs.map((r, i) => (r.status === 200 ? i : -1)).filter((i) => i >= 0);
	assert.equal(won.length, 1, rs.map((r) => r.status).join(','));
	for (const r of rs) assert.ok([200, 401, 409].includes(r.status), `${r.status} ${r.text}`);
	assert.equal(await me({ token: t }), 200);
	for (let i = 0; i < pws.length; i++) {
		const r = await loginFrom('127.0.0.61', u.name, pws[i]);
		assert.equal(r.status, i === won[0] ? 200 : 401, `password ${i}`);
		if (r.status === 200) secrets.push(cookieOf(r));
	}
});

await test('a sign-in checked against a password that has changed since stores no session', async () => {
	// the step a sign-in takes after its argon2 check (stmt.c auth_login_ok,
	// 006_auth.sql), run as if a password change had committed in between
	const u = pwUser('stale');
	const stale = hashOf(u.id);
	const hash = 'sha256(gen_random_uuid()::text::bytea)';   // a token nobody knows
	sql(`UPDATE users SET password_hash = '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$bmV3aGFzaA' WHERE id = '${u.id}'`);
	assert.equal(sql(`SELECT focus_sign_in('${u.id}', ${hash}, '${stale}', 30, 20)`), 'f');
	assert.equal(sessionsOf(u.id), 0);
	sql(`UPDATE users SET password_hash = '${stale}' WHERE id = '${u.id}'`);
	assert.equal(sql(`SELECT focus_sign_in('${u.id}', ${hash}, '${stale}', 30, 20)`), 't');
	assert.equal(sessionsOf(u.id), 1);
});

await test('focusctl user passwd ends every session and token of the user, and only the new password signs in', async () => {
	const u = pwUser('passwd'), bystander = pwUser('bystander');
	const c = await login(u.name, u.pw), t = tokenFor(u.id);
	const bc = await login(bystander.name, bystander.pw);
	assert.equal(await me({ cookie: c }), 200);
	assert.equal(await me({ token: t }), 200);
	const pw2 = `new ${u.pw}`;
	secrets.push(pw2);
	const out = execFileSync(process.env.FOCUSCTL, ['user', 'passwd', u.name, '--password-stdin'],
		{ input: pw2 + '\n', encoding: 'utf8', env: process.env, stdio: ['pipe', 'pipe', 'pipe'] }).trim();
	assert.equal(out, u.id);
	assert.equal(await me({ cookie: c }), 401, 'the old cookie');
	assert.equal(await me({ token: t }), 401, 'the old token');
	assert.equal(sessionsOf(u.id), 0);
	assert.equal(await me({ cookie: bc }), 200, "another user's sign-in stays");
	assert.equal((await call('POST', '/api/auth/login', { body: { name: u.name, password: u.pw } })).status, 401);
	await login(u.name, pw2);
});

await test('a wrong current password is 401, changes nothing, and counts for the sign-in throttle', async () => {
	const u = pwUser('wrongcur');
	const c = (await loginFrom('127.0.0.50', u.name, u.pw));
	assert.equal(c.status, 200);
	const cookie = cookieOf(c);
	secrets.push(cookie);
	const t = tokenFor(u.id);
	const before = hashOf(u.id);
	const sessions = sessionsOf(u.id);
	const r = await callFrom('127.0.0.50', 'POST', '/api/auth/password',
		{ token: t, body: { current_password: 'not it', new_password: 'whatever new' } });
	assert.equal(r.status, 401, r.text);
	assert.equal(r.json.error, 'unauthorized');
	assert.equal(hashOf(u.id), before);
	assert.equal(sessionsOf(u.id), sessions);
	assert.equal(await me({ token: t }), 200, 'the caller is still signed in');
	assert.equal(sql(`SELECT count(*) FROM login_failures WHERE name = '${u.name}' AND client = '127.0.0.50'`), '1');
	// nine more wrong guesses from this address: then this address is throttled,
	// for the route (even with the right password) and for sign-ins alike
	for (let i = 0; i < 9; i++) {
		const w = await callFrom('127.0.0.50', 'POST', '/api/auth/password',
			{ token: t, body: { current_password: `not it ${i}`, new_password: 'whatever new' } });
		assert.equal(w.status, 401, `guess ${i + 2}`);
	}
	const locked = await callFrom('127.0.0.50', 'POST', '/api/auth/password',
		{ token: t, body: { current_password: u.pw, new_password: 'whatever new' } });
	assert.equal(locked.status, 429, locked.text);
	assert.equal(locked.headers.get('retry-after'), '900');
	assert.equal(hashOf(u.id), before, 'nothing changed');
	assert.equal((await loginFrom('127.0.0.50', u.name, u.pw)).status, 429);
	const elsewhere = await loginFrom('127.0.0.51', u.name, u.pw);
	assert.equal(elsewhere.status, 200, 'another address still signs in');
	secrets.push(cookieOf(elsewhere));
});

await test('a password change ends every other session and token, keeps the caller signed in, in 2 round trips', async () => {
	const u = pwUser('change'), bystander = pwUser('bystander');
	const mine = await login(u.name, u.pw), other = await login(u.name, u.pw), t = tokenFor(u.id);
	const bc = await login(bystander.name, bystander.pw);
	const pw2 = `changed ${u.pw}`;
	secrets.push(pw2);
	const r = await call('POST', '/api/auth/password', { cookie: mine, headers: { Origin: origin },
		body: { current_password: u.pw, new_password: pw2 } });
	assert.equal(r.status, 200, r.text);
	assert.deepEqual(r.json.data, { password_changed: true, sessions_ended: 2 });
	assert.equal(r.rt, 2);
	assert.equal(await me({ cookie: mine }), 200, "the caller's session stays");
	assert.equal(await me({ cookie: other }), 401, 'the other sign-in ended');
	assert.equal(await me({ token: t }), 401, 'the token ended');
	assert.equal(await me({ cookie: bc }), 200, "another user's sign-in stays");
	assert.equal(sessionsOf(u.id), 1);
	assert.match(hashOf(u.id), /^\$argon2id\$v=19\$/);
	assert.equal((await call('POST', '/api/auth/login', { body: { name: u.name, password: u.pw } })).status, 401, 'the old password');
	await login(u.name, pw2);
	// by bearer token too
	const t2 = tokenFor(u.id), pw3 = `again ${u.pw}`;
	secrets.push(pw3);
	const b = await call('POST', '/api/auth/password', { token: t2, body: { current_password: pw2, new_password: pw3 } });
	assert.equal(b.status, 200, b.text);
	assert.equal(await me({ token: t2 }), 200);
	assert.equal(await me({ cookie: mine }), 401);
	assert.equal(sessionsOf(u.id), 1);
});

await test('a password change by cookie from a foreign Origin is 403 and changes nothing', async () => {
	const u = pwUser('csrf');
	const c = await login(u.name, u.pw);
	const before = hashOf(u.id);
	for (const headers of [{ Origin: 'https://evil.example' }, {}]) {
		const r = await call('POST', '/api/auth/password', { cookie: c, headers, body: { current_password: u.pw, new_password: 'evil chosen' } });
		assert.equal(r.status, 403, JSON.stringify(headers));
	}
	const all = await call('POST', '/api/auth/logout-all', { cookie: c, headers: { Origin: 'https://evil.example' } });
	assert.equal(all.status, 403);
	assert.equal(hashOf(u.id), before);
	assert.equal(await me({ cookie: c }), 200);
});

await test('password: missing, null or mistyped fields and a new password on two lines are 422, and nothing changes', async () => {
	const u = pwUser('badpw');
	const t = tokenFor(u.id);
	const before = hashOf(u.id);
	for (const body of [{}, { current_password: u.pw }, { new_password: 'x' }, { current_password: null, new_password: 'x y z' },
		{ current_password: u.pw, new_password: null }, { current_password: u.pw, new_password: 5 },
		{ current_password: u.pw, new_password: '' }, { current_password: u.pw, new_password: 'two\nlines' },
		{ current_password: u.pw, new_password: 'p'.repeat(257) }]) {
		const r = await call('POST', '/api/auth/password', { token: t, body });
		assert.equal(r.status, 422, JSON.stringify(body));
		assert.equal(r.json.error, 'validation_error');
	}
	assert.equal(hashOf(u.id), before);
	assert.equal((await call('POST', '/api/auth/password', { body: { current_password: u.pw, new_password: 'x' } })).status, 401, 'no token');
});

await test('logout-all ends every session and token of the caller, its own included, and no one else\'s', async () => {
	const u = pwUser('all'), bystander = pwUser('bystander');
	const c1 = await login(u.name, u.pw), c2 = await login(u.name, u.pw), t = tokenFor(u.id);
	const bt = tokenFor(bystander.id);
	const r = await call('POST', '/api/auth/logout-all', { cookie: c1, headers: { Origin: origin } });
	assert.equal(r.status, 200, r.text);
	assert.deepEqual(r.json.data, { logged_out: true, sessions_ended: 3 });
	assert.equal(r.rt, 1);
	assert.match(r.headers.get('set-cookie'), /session=;.*Max-Age=0/);
	for (const auth of [{ cookie: c1 }, { cookie: c2 }, { token: t }]) assert.equal(await me(auth), 401, JSON.stringify(auth));
	assert.equal(sessionsOf(u.id), 0);
	assert.equal(await me({ token: bt }), 200);
	assert.equal((await call('POST', '/api/auth/logout-all', { token: t })).status, 401, 'a second time: signed out');
	// by bearer token too
	const t2 = tokenFor(u.id);
	assert.equal((await call('POST', '/api/auth/logout-all', { token: t2 })).status, 200);
	assert.equal(await me({ token: t2 }), 401);
});

await test('focusctl token list shows ids, kinds and times, never a token or its hash; token revoke ends that one', async () => {
	const u = pwUser('tok');
	const t1 = tokenFor(u.id), t2 = tokenFor(u.id), c = await login(u.name, u.pw);
	const lines = focusctl('token', 'list', u.id).split('\n');
	assert.equal(lines.length, 3, lines.join(' | '));
	const rows = lines.map((l) => l.split('\t'));
	assert.deepEqual(rows.map((f) => f[1]), ['token', 'token', 'cookie']);
	for (const f of rows) {
		assert.match(f[0], /^[0-9]+$/);
		assert.match(f[2], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
		assert.match(f[3], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
	}
	const text = lines.join('\n');
	for (const secret of [t1, t2, c]) {
		assert.ok(!text.includes(secret), 'no token');
		assert.ok(!text.includes(sql(`SELECT encode(sha256('${secret}'::bytea), 'hex')`)), 'no hash');
	}
	assert.match(focusctl('token', 'revoke', rows[0][0]), /^revoked /);
	assert.equal(await me({ token: t1 }), 401, 'the revoked token');
	assert.equal(await me({ token: t2 }), 200);
	assert.equal(await me({ cookie: c }), 200);
	assert.equal(focusctl('token', 'list', u.id).split('\n').length, 2);
	assert.throws(() => focusctlFails('token', 'revoke', rows[0][0]), 'revoking it again fails');
	assert.throws(() => focusctlFails('token', 'list', '00000000-0000-4000-8000-000000000000'), 'an unknown user');
	assert.throws(() => focusctlFails('token', 'revoke', 'x'), 'not an id');
});

await test('a known field given as null is 422 where the field is not nullable, and nothing is written', async () => {
	const u = newUser('nul');
	secrets.push(u.token);
	const count = (table) => sql(`SELECT count(*) FROM ${table} WHERE user_id = '${u.id}'`);
	for (const body of [{ duration_seconds: null }, { mode: null }, { mode: 'focus', duration_seconds: null, task_title: 't' }]) {
		const r = await call('POST', '/api/focus', { token: u.token, body });
		assert.equal(r.status, 422, JSON.stringify(body));
		assert.equal(r.json.error, 'validation_error');
		assert.match(r.json.message, /null/);
	}
	assert.equal(count('focus_sessions'), '0');
	for (const body of [{ name: null }, { name: 'Rain', library_type: null }]) {
		const r = await call('POST', '/api/focus/libraries', { token: u.token, body });
		assert.equal(r.status, 422, JSON.stringify(body));
	}
	assert.equal(count('focus_libraries'), '0');
	// nullable where API.md says so: task_id, task_title, description
	const ok = await call('POST', '/api/focus', { token: u.token, body: { task_id: null, task_title: null, duration_seconds: 60 } });
	assert.equal(ok.status, 200, ok.text);
	assert.equal(ok.json.data.task_title, null);
	const lib = await call('POST', '/api/focus/libraries', { token: u.token, body: { name: 'Rain', description: null } });
	assert.equal(lib.status, 200, lib.text);
	const id = lib.json.data.id;
	for (const body of [{ size_bytes: null }, { size_bytes: 10, mime_type: null }, { size_bytes: 10, filename: null }]) {
		const r = await call('POST', `/api/focus/libraries/${id}/tracks/upload-url`, { token: u.token, body });
		assert.equal(r.status, 422, JSON.stringify(body));
	}
	assert.equal(count('storage_uploads'), '0');
	for (const body of [{ track_title: null, track_url: 'https://example.com/a.mp3' },
		{ track_title: 't', storage_key: null, track_url: 'https://example.com/a.mp3' }]) {
		const r = await call('POST', `/api/focus/libraries/${id}/tracks`, { token: u.token, body });
		assert.equal(r.status, 422, JSON.stringify(body));
	}
	assert.equal(count('focus_tracks'), '0');
	const batch = await call('POST', '/api/focus/batch', { token: u.token, body: { updates: [{ id: ok.json.data.id, action: null }] } });
	assert.equal(batch.status, 422);
	assert.equal((await call('GET', '/api/focus/active', { token: u.token })).json.data.session.status, 'active');
});

await test('no password or token appears in any log line', async () => {
	const dir = `${process.env.FOCUS_VAR}/log`;
	const text = ['focus.log', 'nginx-access.log', 'nginx-error.log']
		.map((f) => { try { return readFileSync(`${dir}/${f}`, 'utf8'); } catch { return ''; } }).join('\n');
	assert.ok(text.length > 0);
	for (const s of secrets) assert.ok(!text.includes(s), `a secret reached the logs`);
});
