// preconditions.test.mjs: If-Match on the routes that act on the caller's
// open session without naming it (API.md, "Live state": POST
// /api/focus/next, /active/complete, /active/abandon, POST and DELETE
// /api/focus/pause). A tag the state has moved past is 412
// precondition_failed and nothing changes; the current tag, or none, acts
// as before; a time's up (applied by the timer or by the catch-up in the
// same round trip) makes a tag stale too.
import assert from 'node:assert/strict';
import { test, call, sql, newUser, until } from './lib.mjs';

const post = (u, path, headers = {}) => call('POST', path, { token: u.token, body: {}, headers });
const start = (u, duration = 1500) => call('POST', '/api/focus', { token: u.token, body: { mode: 'focus', duration_seconds: duration } });

// the tag and the object of the state the caller reads now
async function active(u) {
	const r = await call('GET', '/api/focus/active', { token: u.token });
	assert.equal(r.status, 200);
	return { etag: r.headers.get('etag'), data: r.json.data };
}

// everything the routes could change: the person's sessions (status and
// paused_at), the ledger and the state's version
const snapshot = (u) => sql(`SELECT
	(SELECT string_agg(id || ':' || status || ':' || coalesce(paused_at::text, '-'), ',' ORDER BY started_at, id)
	   FROM focus_sessions WHERE user_id = '${u.id}'),
	(SELECT count(*) FROM points_ledger WHERE user_id = '${u.id}'),
	(SELECT coalesce(max(version), 0) FROM focus_state WHERE user_id = '${u.id}')`);

// another device changes the state without touching the session
let goal = 1;
const elsewhere = async (u) => {
	goal = goal % 20 + 1;
	const r = await call('PATCH', '/api/focus/settings', { token: u.token, body: { daily_goal: goal } });
	assert.equal(r.status, 200, r.text);
};

// each route, with how to bring the caller to a state it applies to
const routes = [
	{ name: 'POST /api/focus/next', send: (u, h) => post(u, '/api/focus/next', h), setup: (u) => start(u) },
	{ name: 'POST /api/focus/active/complete', send: (u, h) => post(u, '/api/focus/active/complete', h), setup: (u) => start(u) },
	{ name: 'POST /api/focus/active/abandon', send: (u, h) => post(u, '/api/focus/active/abandon', h), setup: (u) => start(u) },
	{ name: 'POST /api/focus/pause', send: (u, h) => post(u, '/api/focus/pause', h), setup: (u) => start(u) },
	{
		name: 'DELETE /api/focus/pause',
		send: (u, h) => call('DELETE', '/api/focus/pause', { token: u.token, headers: h }),
		setup: async (u) => { await start(u); return post(u, '/api/focus/pause'); },
	},
];

for (const route of routes) {
	test(`${route.name}: a stale If-Match is 412 and changes nothing; the current one or none acts`, async () => {
		const u = newUser('pre');
		const set = await route.setup(u);
		assert.equal(set.status, 200, set.text);
		const shown = await active(u);
		assert.match(shown.etag, /^W\/"[0-9a-f-]{36}-\d+"$/);
		await elsewhere(u);
		const before = snapshot(u);

		const stale = await route.send(u, { 'If-Match': shown.etag });
		assert.equal(stale.status, 412, stale.text);
		assert.equal(stale.json.error, 'precondition_failed');
		assert.match(stale.json.message, /changed/);
		assert.equal(snapshot(u), before, 'a refused request changes nothing');
		// the strong form of the stale tag is just as stale (weak comparison)
		const strong = await route.send(u, { 'If-Match': shown.etag.slice(2) });
		assert.equal(strong.status, 412, strong.text);
		assert.equal(snapshot(u), before);

		// the current tag, weak or strong, in a list of others: it acts
		const now = await active(u);
		const ok = await route.send(u, { 'If-Match': `W/"${u.id}-0", ${now.etag.slice(2)}` });
		assert.equal(ok.status, 200, ok.text);
		assert.notEqual(snapshot(u), before, 'the request with the current tag acted');

		// without If-Match it acts on whatever is open, as before
		const again = await route.setup(u);
		assert.equal(again.status, 200, again.text);
		const without = await route.send(u);
		assert.equal(without.status, 200, without.text);
	});
}

test('another device paused: the tab that still shows the running timer cannot skip, complete or pause it', async () => {
	const u = newUser('pre');
	assert.equal((await start(u)).status, 200);
	const tab = await active(u);
	assert.equal(tab.data.session.status, 'active');
	assert.equal((await post(u, '/api/focus/pause')).status, 200);
	const before = snapshot(u);
	for (const path of ['/api/focus/next', '/api/focus/active/complete', '/api/focus/pause']) {
		const r = await post(u, path, { 'If-Match': tab.etag });
		assert.equal(r.status, 412, `${path}: ${r.text}`);
	}
	assert.equal(snapshot(u), before);
	assert.equal((await active(u)).data.session.status, 'paused');
});

test('a tag made stale by a time\'s up is 412, with the time\'s up applied and nothing else', async () => {
	const u = newUser('pre');
	let shown = null;
	// the tag of a running 2-second timer, read before it runs out (a
	// slow machine may read it after: then once more, with a bound)
	for (let attempt = 0; attempt < 5 && shown === null; attempt++) {
		const r = await start(u, 2);
		assert.equal(r.status, 200);
		const got = await active(u);
		if (got.data.session?.status === 'active' && got.data.session.id === r.json.data.id) shown = got;
	}
	assert.ok(shown, 'read the running timer before it ran out');
	const id = shown.data.session.id;
	const expires = Date.parse(shown.data.session.expires_at) - Date.parse(shown.data.server_time);
	const local = Date.now();
	await until(() => Date.now() - local > expires + 50, 10000, 'the timer to run out');
	// the time's up is applied by the request's own catch-up if the timer
	// process has not applied it yet; either way the tag is stale
	const r = await post(u, '/api/focus/active/complete', { 'If-Match': shown.etag });
	assert.equal(r.status, 412, r.text);
	const status = sql(`SELECT status || ' ' || (completed_at = expires_at) FROM focus_sessions WHERE id = '${id}'`);
	assert.equal(status, 'completed true', 'completed by its time\'s up, not by the request');
	const now = await active(u);
	assert.notEqual(now.etag, shown.etag);
});

test('an If-Match tag with bytes ours never has (obs-text, RFC 9110 etagc) cannot match: 412, not a 422 from the database', async () => {
	const u = newUser('pre');
	assert.equal((await start(u)).status, 200);
	const now = await active(u);
	const before = snapshot(u);
	// "\xff" is sent as the one byte 0xff, which is no UTF-8: the tag
	// must not reach PostgreSQL as text
	for (const tag of ['"\xff"', 'W/"caf\xe9"', `"\xff", "${u.id}-0"`]) {
		const r = await post(u, '/api/focus/pause', { 'If-Match': tag });
		assert.equal(r.status, 412, `${JSON.stringify(tag)}: ${r.text}`);
		assert.equal(r.json.error, 'precondition_failed');
	}
	assert.equal(snapshot(u), before, 'nothing changed');
	// beside the current tag, such a tag is dropped and the request acts
	const ok = await post(u, '/api/focus/pause', { 'If-Match': `"\xff", ${now.etag}` });
	assert.equal(ok.status, 200, ok.text);
});
