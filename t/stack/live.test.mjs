// live.test.mjs: live state across devices (API.md, "Live state across
// devices") over real nginx + nchan, the workers and the timer process:
// GET /api/focus/events with a real SSE client (the `eventsource`
// package, pinned in package.json), ETag/304 on /active, the timer's
// time's up with no request made, the timer killed and back, and a
// publish that fails leaving the write committed.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { EventSource } from 'eventsource';
import { test, base, call, sql, focusctl, newUser, until, workerPids, alive } from './lib.mjs';

const quickstart = (cmd, env = {}) => execFileSync(process.env.FOCUS_QUICKSTART, [cmd],
	{ stdio: 'inherit', env: { ...process.env, ...env } });

// A subscriber: every `state` event's data (parsed) in order, and the
// error that ended it (with the HTTP status as .code), if any.
function subscribe({ token, cookie, query = '' } = {}) {
	const sub = { events: [], error: null, opened: false };
	const es = new EventSource(`${base}/api/focus/events${query}`, {
		fetch: (input, init) => fetch(input, {
			...init,
			headers: {
				...(init?.headers || {}),
				...(token ? { Authorization: `Bearer ${token}` } : {}),
				...(cookie ? { Cookie: `session=${cookie}` } : {}),
			},
		}),
	});
	es.addEventListener('open', () => { sub.opened = true; });
	es.addEventListener('state', (e) => sub.events.push(JSON.parse(e.data)));
	es.addEventListener('error', (e) => {
		// a refused subscription (401/403) ends for good: no retry
		if (e.code !== undefined) { sub.error = e; es.close(); }
	});
	sub.close = () => es.close();
	// the n-th event (1-based), waited for with a bound
	sub.nth = (n, what = `event ${n}`) => until(() => sub.events.length >= n && sub.events[n - 1], 10000, what);
	return sub;
}

// fn(sub) with a subscriber that is closed however fn ends
async function watching(opts, fn) {
	const sub = subscribe(opts);
	try {
		return await fn(sub);
	} finally {
		sub.close();
	}
}

const start = (u, body = { mode: 'focus', duration_seconds: 1500 }) => call('POST', '/api/focus', { token: u.token, body });

// the ETag of the caller's /active now
async function activeTag(u) {
	const r = await call('GET', '/api/focus/active', { token: u.token });
	assert.equal(r.status, 200, r.text);
	assert.equal(r.headers.get('etag'), `W/"${r.json.data.version}"`, "the body's version is the tag's");
	return r.headers.get('etag');
}
// the counter of a version "<user id>-<n>" (API.md "Live state"), as a BigInt
const counter = (version) => BigInt(/-(\d+)$/.exec(version)[1]);

test('the first event is the current state, with server_time', async () => {
	const u = newUser('live');
	const started = await start(u);
	assert.equal(started.status, 200);
	await watching({ token: u.token }, async (sub) => {
		const first = await sub.nth(1, 'the first event');
		assert.equal(first.session.id, started.json.data.id);
		assert.equal(first.session.status, 'active');
		assert.ok(!Number.isNaN(Date.parse(first.server_time)), 'server_time is a time');
		assert.deepEqual(Object.keys(first).sort(), ['next', 'pause_state', 'server_time', 'session', 'version']);
		// the version of the state at connect: /active's tag is it, quoted
		assert.match(first.version, new RegExp(`^${u.id}-\\d+$`));
		assert.equal(await activeTag(u), `W/"${first.version}"`);
	});
});

test('start, pause, resume, complete, batch (close, create, delete), settings and next each give exactly one event with the new state', async () => {
	const u = newUser('live');
	await watching({ token: u.token }, async (sub) => {
		const first = await sub.nth(1, 'the first event');
		assert.equal(first.session, null);
		let n = 1;
		// each step: the request, then the very next event must be its
		// state (a duplicate or a missing event shifts the sequence)
		const step = async (what, req, check) => {
			const r = await req();
			assert.equal(r.status, 200, `${what}: ${r.text}`);
			n += 1;
			const ev = await sub.nth(n, `the event of ${what}`);
			check(ev, r);
		};
		let id;
		await step('start', () => start(u), (ev, r) => {
			id = r.json.data.id;
			assert.equal(ev.session.id, id);
			assert.equal(ev.session.status, 'active');
		});
		await step('pause', () => call('POST', '/api/focus/pause', { token: u.token }), (ev) => {
			assert.equal(ev.session.status, 'paused');
			assert.notEqual(ev.pause_state, null);
		});
		await step('resume', () => call('DELETE', '/api/focus/pause', { token: u.token }), (ev) => {
			assert.equal(ev.session.status, 'active');
			assert.equal(ev.pause_state, null);
		});
		await step('complete', () => call('POST', `/api/focus/${id}/complete`, { token: u.token }), (ev) => {
			assert.equal(ev.session, null);
			assert.equal(ev.next.mode, 'break');
		});
		await step('start a break', () => start(u, { mode: 'break', duration_seconds: 300 }), (ev, r) => {
			id = r.json.data.id;
			assert.equal(ev.session.mode, 'break');
		});
		await step('batch', () => call('POST', '/api/focus/batch', { token: u.token,
			body: { updates: [{ id, action: 'abandon' }] } }), (ev) => {
			assert.equal(ev.session, null);
		});
		await step('settings', () => call('PATCH', '/api/focus/settings', { token: u.token,
			body: { short_break_seconds: 600 } }), (ev) => {
			// after the abandoned break, the completed focus session
			// still calls for a break: of the new length
			assert.equal(ev.next.mode, 'break');
			assert.equal(ev.next.duration_seconds, 600);
		});
		await step('next', () => call('POST', '/api/focus/next', { token: u.token }), (ev, r) => {
			assert.equal(ev.session.id, r.json.data.session.id);
			assert.equal(ev.session.duration_seconds, 600);
		});
		// a read changes nothing: the next event is the next write's
		assert.equal((await call('GET', '/api/focus/active', { token: u.token })).status, 200);
		await step('abandon', () => call('POST', '/api/focus/active/abandon', { token: u.token }), (ev) => {
			assert.equal(ev.session, null);
		});
		// history's batch items (a manual session, then its deletion)
		const startedAt = new Date(Date.now() - 3600 * 1000).toISOString();
		let manual;
		await step('batch create', () => call('POST', '/api/focus/batch', { token: u.token,
			body: { updates: [{ action: 'create', mode: 'focus', started_at: startedAt, duration_seconds: 600 }] } }), (ev, r) => {
			manual = r.json.data.results[0].session.id;
			assert.equal(ev.session, null);
		});
		await step('batch delete', () => call('POST', '/api/focus/batch', { token: u.token,
			body: { updates: [{ action: 'delete', id: manual }] } }), (ev) => {
			assert.equal(ev.session, null);
		});
		assert.equal(sub.events.length, n, 'no event beyond one per change');
	});
});

test('a 2-second timer runs out into an event, with no request made', async () => {
	const u = newUser('live');
	await watching({ token: u.token }, async (sub) => {
		await sub.nth(1);
		const r = await start(u, { mode: 'focus', duration_seconds: 2 });
		assert.equal(r.status, 200);
		const running = await sub.nth(2, 'the start');
		assert.equal(running.session.id, r.json.data.id);
		// nothing asks the API from here: only the timer process can
		const done = await sub.nth(3, "the time's up event");
		assert.equal(done.session, null);
		assert.equal(done.next.mode, 'break');
		const row = sql(`SELECT status || ' ' || (completed_at = expires_at) FROM focus_sessions WHERE id = '${r.json.data.id}'`);
		assert.equal(row, 'completed true');
	});
});

test('auto-start: the break the cycle calls for starts by itself, as an event', async () => {
	const u = newUser('live');
	assert.equal((await call('PATCH', '/api/focus/settings', { token: u.token, body: { auto_start_breaks: true } })).status, 200);
	await watching({ token: u.token }, async (sub) => {
		await sub.nth(1);
		assert.equal((await start(u, { mode: 'focus', duration_seconds: 1 })).status, 200);
		const ev = await until(() => sub.events.find((e) => e.session && e.session.mode === 'break'), 10000, 'the auto-started break');
		assert.equal(ev.session.status, 'active');
	});
});

test('no token, an expired token, another person\'s channel or a forged one: 401/403 and no event', async () => {
	const a = newUser('live');
	const b = newUser('live');
	const expired = newUser('live');
	sql(`UPDATE sessions SET expires_at = now() - interval '1 second' WHERE user_id = '${expired.id}'`);
	const cases = [
		{ what: 'no token', opts: {}, status: 401 },
		{ what: 'no token, naming a channel', opts: { query: `?channel=${a.id}` }, status: 401 },
		{ what: 'an expired token', opts: { token: expired.token }, status: 401 },
		{ what: 'a malformed token', opts: { token: 'x'.repeat(64) }, status: 401 },
		{ what: "another person's token on a's channel", opts: { token: b.token, query: `?channel=${a.id}` }, status: 403 },
		{ what: 'a forged channel id', opts: { token: b.token, query: '?channel=00000000-0000-4000-8000-000000000000' }, status: 403 },
	];
	await watching({ token: a.token }, async (watcher) => {
		await watcher.nth(1);
		for (const c of cases) {
			await watching(c.opts, async (sub) => {
				await until(() => sub.error, 10000, `the refusal of ${c.what}`);
				assert.equal(sub.error.code, c.status, c.what);
				assert.equal(sub.events.length, 0, `${c.what}: no event`);
			});
			// the plain request too: the status, and no stream
			const headers = { Accept: 'text/event-stream' };
			if (c.opts.token) headers.Authorization = `Bearer ${c.opts.token}`;
			const r = await fetch(`${base}/api/focus/events${c.opts.query || ''}`, { headers });
			assert.equal(r.status, c.status, `${c.what} (fetch)`);
			assert.ok(!(r.headers.get('content-type') || '').includes('event-stream'), `${c.what}: not a stream`);
			await r.text();
		}
		// b's own channel, named: allowed, and b's state, not a's
		await watching({ token: b.token, query: `?channel=${b.id}` }, async (own) => {
			const ev = await own.nth(1);
			assert.equal(ev.session, null);
		});
		// a's change reaches a, and the refused ones saw nothing of it
		const r = await start(a);
		const ev = await watcher.nth(2);
		assert.equal(ev.session.id, r.json.data.id);
		// the authorization location is nginx's own (internal): not an API route
		assert.equal((await call('GET', '/api/focus/events/authorize', { token: a.token })).status, 404);
	});
});

test('the events take the sign-in cookie too', async () => {
	const u = newUser('live');
	await watching({ cookie: u.token }, async (sub) => {
		const ev = await sub.nth(1);
		assert.equal(ev.session, null);
	});
});

test('/active carries an ETag; If-None-Match answers 304 with no body until the state changes; Date everywhere', async () => {
	const u = newUser('live');
	const first = await call('GET', '/api/focus/active', { token: u.token });
	assert.equal(first.status, 200);
	const tag = first.headers.get('etag');
	assert.match(tag, /^W\/".+"$/);
	assert.ok(first.headers.get('date'), 'Date on a 200');
	assert.ok(first.json.data.server_time);

	const same = await call('GET', '/api/focus/active', { token: u.token, headers: { 'If-None-Match': tag } });
	assert.equal(same.status, 304);
	assert.equal(same.text, '');
	assert.equal(same.headers.get('etag'), tag);
	assert.ok(same.headers.get('date'), 'Date on a 304');
	assert.equal(same.rt, 1, 'one round trip');
	// a list with the tag, and *, match too; another tag does not
	assert.equal((await call('GET', '/api/focus/active', { token: u.token, headers: { 'If-None-Match': `W/"other", ${tag}` } })).status, 304);
	assert.equal((await call('GET', '/api/focus/active', { token: u.token, headers: { 'If-None-Match': '*' } })).status, 304);
	assert.equal((await call('GET', '/api/focus/active', { token: u.token, headers: { 'If-None-Match': 'W/"other"' } })).status, 200);

	assert.equal((await start(u)).status, 200);
	const changed = await call('GET', '/api/focus/active', { token: u.token, headers: { 'If-None-Match': tag } });
	assert.equal(changed.status, 200);
	assert.notEqual(changed.headers.get('etag'), tag);
	// a settings change changes the tag (next's duration comes from them)
	const tag2 = changed.headers.get('etag');
	assert.equal((await call('PATCH', '/api/focus/settings', { token: u.token, body: { short_break_seconds: 600 } })).status, 200);
	const after = await call('GET', '/api/focus/active', { token: u.token, headers: { 'If-None-Match': tag2 } });
	assert.equal(after.status, 200);
	// another person at the same version has another tag
	const v = newUser('live');
	const other = await call('GET', '/api/focus/active', { token: v.token, headers: { 'If-None-Match': first.headers.get('etag') } });
	assert.equal(other.status, 200);
	// errors carry Date too
	const unauth = await call('GET', '/api/focus/active');
	assert.equal(unauth.status, 401);
	assert.ok(unauth.headers.get('date'));
});

test('the timer process killed with kill -9 is back, and the next deadline still fires', async () => {
	const [before] = workerPids('focus-timer');
	assert.ok(before, 'a timer child runs');
	process.kill(before, 'SIGKILL');
	const [after] = await until(() => { const p = workerPids('focus-timer'); return p.length === 1 && p[0] !== before && p; },
		10000, 'a new timer child');
	assert.ok(alive(after));
	const u = newUser('live');
	await watching({ token: u.token }, async (sub) => {
		await sub.nth(1);
		const r = await start(u, { mode: 'focus', duration_seconds: 2 });
		assert.equal(r.status, 200);
		// no request from here on: the new timer completes it, and publishes
		const done = await until(() => sub.events.find((e) => e.session === null && sub.events.indexOf(e) > 0),
			15000, "the time's up event after the restart");
		assert.equal(done.next.mode, 'break');
	});
});

test('two timer processes apply a transition once', async () => {
	const u = newUser('live');
	const r = await start(u, { mode: 'focus', duration_seconds: 1500 });
	// run out a second ago; then two ticks race it (the running timer
	// and focusctl expire, the same focus_catch_up)
	sql(`UPDATE focus_sessions SET started_at = started_at - interval '1501 seconds', expires_at = now() - interval '1 second' WHERE id = '${r.json.data.id}'`);
	focusctl('expire');
	await until(() => sql(`SELECT status FROM focus_sessions WHERE id = '${r.json.data.id}'`) === 'completed', 10000, 'completed');
	assert.equal(sql(`SELECT count(*) FROM points_ledger WHERE session_id = '${r.json.data.id}'`), '1');
	assert.equal(sql(`SELECT count(*) FROM focus_timer_completions WHERE session_id = '${r.json.data.id}'`), '1');
});

test('a publish that fails leaves the write committed and answered 200 (logged)', async () => {
	const log = `${process.env.FOCUS_VAR}/log/focus.log`;
	const logSize = () => readFileSync(log).length;
	// the workers and the timer restarted with nchan's publisher unreachable
	quickstart('workers', { FOCUS_NCHAN_SOCKET: `${process.env.FOCUS_VAR}/run/no-such-nchan.sock` });
	try {
		const u = newUser('live');
		const from = logSize();
		const r = await start(u);
		assert.equal(r.status, 200);
		const active = await call('GET', '/api/focus/active', { token: u.token });
		assert.equal(active.json.data.session.id, r.json.data.id, 'committed');
		await until(() => readFileSync(log).subarray(from).toString().includes('event=publish_failed'), 10000, 'the failure logged');
		const lines = readFileSync(log).subarray(from).toString().split('\n')
			.filter((l) => l.includes('event=publish_failed') && l.includes(u.id));
		assert.equal(lines.length, 1, 'logged once');
	} finally {
		quickstart('workers');
	}
	// and back: events flow again
	const u = newUser('live');
	await watching({ token: u.token }, async (sub) => {
		await sub.nth(1);
		const r = await start(u);
		assert.equal((await sub.nth(2)).session.id, r.json.data.id);
	});
});

test("every event carries its state's version: /active's ETag at that state, and it rises with every change", async () => {
	const u = newUser('live');
	await watching({ token: u.token }, async (sub) => {
		const first = await sub.nth(1, 'the first event');
		let n = 1;
		let last = counter(first.version);
		// each write, then its event: the event's version is the tag a read
		// of /active gives now (nothing else changes the state meanwhile),
		// If-None-Match with it is 304, and it is newer than the one before
		const writes = [
			['start', () => start(u)],
			['pause', () => call('POST', '/api/focus/pause', { token: u.token })],
			['resume', () => call('DELETE', '/api/focus/pause', { token: u.token })],
			['settings', () => call('PATCH', '/api/focus/settings', { token: u.token, body: { daily_goal: 3 } })],
			['next', () => call('POST', '/api/focus/next', { token: u.token })],
			['abandon', () => call('POST', '/api/focus/active/abandon', { token: u.token })],
		];
		for (const [what, write] of writes) {
			const r = await write();
			assert.equal(r.status, 200, `${what}: ${r.text}`);
			const ev = await sub.nth(++n, `the event of ${what}`);
			assert.equal(await activeTag(u), `W/"${ev.version}"`, `${what}: the event's version is /active's tag`);
			const same = await call('GET', '/api/focus/active', { token: u.token, headers: { 'If-None-Match': `W/"${ev.version}"` } });
			assert.equal(same.status, 304, `${what}: If-None-Match with the event's version`);
			assert.ok(counter(ev.version) > last, `${what}: the version rose (${ev.version} after ${last})`);
			last = counter(ev.version);
		}
		assert.equal(sub.events.length, n, 'one event per write');
	});
});

test("If-Match with an event's version acts; the version of an event since overtaken is 412 and changes nothing", async () => {
	const u = newUser('live');
	await watching({ token: u.token }, async (sub) => {
		await sub.nth(1, 'the first event');
		assert.equal((await start(u)).status, 200);
		const running = await sub.nth(2, 'the event of the start');
		assert.equal(running.session.status, 'active');
		// the strong form of the tag, made from the event alone
		const paused = await call('POST', '/api/focus/pause', { token: u.token, headers: { 'If-Match': `"${running.version}"` } });
		assert.equal(paused.status, 200, paused.text);
		const pausedEv = await sub.nth(3, 'the event of the pause');
		assert.equal(pausedEv.session.status, 'paused');
		// a tab that still shows the running timer: its event's tag is stale
		const before = sql(`SELECT string_agg(id || status, ',') FROM focus_sessions WHERE user_id = '${u.id}'`);
		for (const [method, path] of [['DELETE', '/api/focus/pause'], ['POST', '/api/focus/active/complete'], ['POST', '/api/focus/next']]) {
			const r = await call(method, path, { token: u.token, headers: { 'If-Match': `W/"${running.version}"` } });
			assert.equal(r.status, 412, `${method} ${path}: ${r.text}`);
			assert.equal(r.json.error, 'precondition_failed');
		}
		assert.equal(sql(`SELECT string_agg(id || status, ',') FROM focus_sessions WHERE user_id = '${u.id}'`), before, 'nothing changed');
		// the newest event's tag (weak form) acts
		const resumed = await call('DELETE', '/api/focus/pause', { token: u.token, headers: { 'If-Match': `W/"${pausedEv.version}"` } });
		assert.equal(resumed.status, 200, resumed.text);
		const resumedEv = await sub.nth(4, 'the event of the resume');
		const done = await call('POST', '/api/focus/active/complete', { token: u.token, headers: { 'If-Match': `W/"${resumedEv.version}"` } });
		assert.equal(done.status, 200, done.text);
		assert.equal((await sub.nth(5, 'the event of the complete')).session, null);
	});
});

test("the time's up event carries the version /active has afterwards", async () => {
	const u = newUser('live');
	await watching({ token: u.token }, async (sub) => {
		await sub.nth(1, 'the first event');
		const r = await start(u, { mode: 'focus', duration_seconds: 2 });
		assert.equal(r.status, 200);
		const running = await sub.nth(2, 'the event of the start');
		assert.equal(running.session.id, r.json.data.id);
		// no request until the timer process has completed it and published
		const done = await sub.nth(3, "the time's up event");
		assert.equal(done.session, null);
		assert.ok(counter(done.version) > counter(running.version), "the time's up is a change");
		assert.equal(await activeTag(u), `W/"${done.version}"`);
		// and its tag is the one to act with: next starts the break
		const next = await call('POST', '/api/focus/next', { token: u.token, headers: { 'If-Match': `W/"${done.version}"` } });
		assert.equal(next.status, 200, next.text);
		assert.equal(next.json.data.session.mode, 'break');
	});
});
