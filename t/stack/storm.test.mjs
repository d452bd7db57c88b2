// storm.test.mjs: a reconnect storm of event streams (issue 14 and 18's
// leftover). Every GET /api/focus/events is first authorized by an API
// worker (nginx's auth_request); thousands at once (nchan restarted) are a
// burst of connects on the API pool's FastCGI socket. Its listen queue is
// FOCUS_LISTEN_BACKLOG, set by the supervisor whatever spawn-fcgi's -b was,
// and cut by the kernel to net.core.somaxconn. An authorization nobody
// answers (no worker, a full queue) or that answers 503 (database down)
// made auth_request's 500, which an EventSource takes as final; the
// events route answers 503 with Retry-After instead, as every route does.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { alive, call, newUser, supervisorPid, test, until, workerPids } from './lib.mjs';

const quickstart = (cmd) => execFileSync(process.env.FOCUS_QUICKSTART, [cmd], { stdio: 'inherit', env: process.env });
const somaxconn = Number(readFileSync('/proc/sys/net/core/somaxconn', 'utf8').trim());
// src/limits.h's FOCUS_LISTEN_BACKLOG_DEFAULT
const BACKLOG_DEFAULT = 4096;

// the listen queue of the unix socket at path: ss's Send-Q of a
// listening socket is its backlog
function backlogOf(path) {
	const line = execFileSync('ss', ['-xlH'], { encoding: 'utf8' }).split('\n')
		.find((l) => l.trim().split(/\s+/)[4] === path);
	assert.ok(line, `a listening socket at ${path}`);
	return Number(line.trim().split(/\s+/)[3]);
}

const events = (u) => call('GET', '/api/focus/events', { token: u.token, headers: { Accept: 'text/event-stream' } });

// the answer of an events request the service cannot authorize now
function assertUnavailable(r, what) {
	assert.equal(r.status, 503, `${what}: ${r.status} ${r.text}`);
	assert.ok(Number(r.headers.get('retry-after')) >= 1, `${what}: Retry-After`);
	assert.match(r.headers.get('content-type') || '', /^application\/json/);
	assert.equal(r.json.error, 'unavailable');
	assert.doesNotMatch(r.text, /<html|nginx/i);
}

await test('the pools listen with FOCUS_LISTEN_BACKLOG (default 4096), cut to somaxconn and logged', async () => {
	console.log(`# storm: net.core.somaxconn here is ${somaxconn}`);
	const want = Math.min(BACKLOG_DEFAULT, somaxconn);
	assert.equal(backlogOf(`${process.env.FOCUS_VAR}/run/focus.sock`), want, 'the API pool');
	assert.equal(backlogOf(`${process.env.FOCUS_VAR}/run/focus-storage.sock`), want, 'the storage pool');

	// a pool of its own with a queue given, and one asking beyond somaxconn
	for (const [asked, got] of [[100, 100], [somaxconn + 1, somaxconn]]) {
		const dir = mkdtempSync(`${tmpdir()}/focus-backlog-`);
		const env = { ...process.env, FOCUS_LOG: `${dir}/focus.log`, FOCUS_WORKERS: '1', FOCUS_LISTEN_BACKLOG: String(asked) };
		try {
			// spawn-fcgi's own -b says otherwise: the setting wins
			const r = spawnSync('spawn-fcgi', ['-s', `${dir}/s.sock`, '-M', '0600', '-F', '1', '-b', '7', '-P', `${dir}/pid`,
				'--', `${process.env.FOCUS_BUILDDIR}/src/focus-fcgi`], { env, encoding: 'utf8' });
			assert.equal(r.status, 0, r.stderr);
			const log = () => readFileSync(`${dir}/focus.log`, 'utf8');
			await until(() => / event=start /.test(log()), 10000, 'the worker started');
			assert.equal(backlogOf(`${dir}/s.sock`), got, `FOCUS_LISTEN_BACKLOG=${asked}`);
			const line = log().split('\n').find((l) => / event=listen_backlog /.test(l));
			assert.ok(line, log());
			assert.match(line, new RegExp(` requested=${asked} somaxconn=${somaxconn} effective=${got}`));
			assert.match(line, got < asked ? /level=warn/ : /level=info/);
		} finally {
			try { process.kill(Number(readFileSync(`${dir}/pid`, 'utf8').trim()), 'SIGTERM'); } catch { /* gone */ }
			rmSync(dir, { recursive: true, force: true });
		}
	}
	// out of range: the supervisor does not start
	const bad = spawnSync(`${process.env.FOCUS_BUILDDIR}/src/focus-fcgi`, [],
		{ env: { ...process.env, FOCUS_LISTEN_BACKLOG: '0', FOCUS_LOG: '-' }, encoding: 'utf8', input: '' });
	assert.equal(bad.status, 2, bad.stderr);
	assert.match(bad.stderr, /name=FOCUS_LISTEN_BACKLOG/);
});

await test('events while the database is down: 503 with Retry-After, not 500', async () => {
	const u = newUser('storm');
	quickstart('pg-stop');
	try {
		assertUnavailable(await events(u), 'database down');
	} finally {
		quickstart('pg-start');
	}
	await until(async () => (await call('GET', '/api/health')).status === 200, 20000, 'the database back');
});

await test('events with no API worker to authorize them: 503 with Retry-After, not 500; a stream again once they are back', async () => {
	const u = newUser('storm');
	const sup = supervisorPid('focus');
	const workers = workerPids('focus');
	process.kill(sup, 'SIGKILL');
	for (const pid of workers) process.kill(pid, 'SIGKILL');
	await until(() => !alive(sup) && workers.every((p) => !alive(p)), 5000, 'the API pool gone');
	try {
		assertUnavailable(await events(u), 'no worker');
		// a cookie, not a token, as the page's EventSource sends it: the same
		const c = await call('GET', '/api/focus/events', { cookie: 'x'.repeat(64), headers: { Accept: 'text/event-stream' } });
		assertUnavailable(c, 'no worker, a cookie');
	} finally {
		quickstart('workers');
	}
	// back: the stream opens and its first event is the state
	const ctl = new AbortController();
	const res = await fetch(`${process.env.FOCUS_BASE_URL}/api/focus/events`,
		{ headers: { Authorization: `Bearer ${u.token}`, Accept: 'text/event-stream' }, signal: ctl.signal });
	try {
		assert.equal(res.status, 200);
		assert.match(res.headers.get('content-type') || '', /^text\/event-stream/);
		const reader = res.body.getReader();
		let text = '';
		await until(async () => {
			const { value, done } = await reader.read();
			if (done) throw new Error(`the stream ended: ${text}`);
			text += Buffer.from(value).toString('utf8');
			return /event: state/.test(text);
		}, 10000, 'the first event');
	} finally {
		ctl.abort();
	}
});
