// live-redis.test.mjs: live state across hosts (issue 18, "Across
// hosts"). Two web tiers, each its own nginx + nchan, workers and timer
// process (./quickstart web), on the test stack's PostgreSQL and one
// private Redis (nchan_use_redis): a subscriber on the first host sees a
// change made through the second within 1 s. The test stack's own timer
// (on nchan in memory, not on Redis) is stopped meanwhile, so that a
// timer of the Redis hosts publishes, as in a deployment where every host
// is on Redis.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, chmodSync } from 'node:fs';
import { createServer } from 'node:net';
import { EventSource } from 'eventsource';
import { test, newUser, until } from './lib.mjs';

// each host's nchan socket is quickstart's default, under its FOCUS_VAR
const quickstart = (cmd, env = {}) => {
	const all = { ...process.env, ...env };
	delete all.FOCUS_NCHAN_SOCKET;
	execFileSync(process.env.FOCUS_QUICKSTART, [cmd], { stdio: 'inherit', env: all });
};

// A port nothing listens on. Nothing listens on the ones handed out
// either until Redis and the hosts start, and the kernel may offer one
// again: those are refused here.
const handedOut = new Set();
const freePort = async () => {
	for (;;) {
		const port = await new Promise((resolve, reject) => {
			const srv = createServer();
			srv.on('error', reject);
			srv.listen(0, '127.0.0.1', () => { const { port: p } = srv.address(); srv.close(() => resolve(p)); });
		});
		if (!handedOut.has(port)) {
			handedOut.add(port);
			return port;
		}
	}
};

function subscribe(baseUrl, token) {
	const sub = { events: [], error: null };
	const es = new EventSource(`${baseUrl}/api/focus/events`, {
		fetch: (input, init) => fetch(input, { ...init, headers: { ...(init?.headers || {}), Authorization: `Bearer ${token}` } }),
	});
	es.addEventListener('state', (e) => sub.events.push({ at: Date.now(), data: JSON.parse(e.data) }));
	es.addEventListener('error', (e) => { if (e.code !== undefined) { sub.error = e; es.close(); } });
	sub.close = () => es.close();
	return sub;
}

const startVia = (baseUrl, token, seconds = 1500) => fetch(`${baseUrl}/api/focus`, {
	method: 'POST',
	headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
	body: JSON.stringify({ mode: 'focus', duration_seconds: seconds }),
});

test('a subscriber on one host sees a change made through another within 1 s (nchan on one Redis)', async (t) => {
	const redisPort = await freePort();
	const redis = spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '',
		'--appendonly', 'no'], { stdio: 'ignore' });
	const hosts = [];
	let mainTimerStopped = false;
	t.after(() => {
		for (const h of hosts) {
			try { quickstart('down', { FOCUS_VAR: h.var }); } catch { /* reported by the test */ }
			rmSync(h.var, { recursive: true, force: true });
		}
		if (mainTimerStopped) quickstart('timer');
		redis.kill();
	});
	await until(async () => {
		try { execFileSync('redis-cli', ['-p', String(redisPort), 'ping'], { stdio: 'pipe' }); return true; } catch { return false; }
	}, 10000, 'redis');

	for (const name of ['a', 'b']) {
		const dir = mkdtempSync(`/tmp/focus-live-${name}.`);
		chmodSync(dir, 0o755);
		const port = await freePort();
		const h = { var: dir, url: `http://127.0.0.1:${port}` };
		hosts.push(h);
		quickstart('web', {
			FOCUS_VAR: dir, FOCUS_PORT: String(port), FOCUS_DB: process.env.FOCUS_DB,
			FOCUS_NCHAN_REDIS: `redis://127.0.0.1:${redisPort}`, FOCUS_WORKERS: '1', FOCUS_STORAGE_WORKERS: '1',
		});
	}
	quickstart('timer-stop');
	mainTimerStopped = true;

	const [a, b] = hosts;
	const u = newUser('redis');
	const sub = subscribe(a.url, u.token);
	try {
		await until(() => sub.events.length >= 1 || sub.error, 10000, 'the first event on host a');
		assert.equal(sub.error, null);
		// a first change through b: until one of the Redis hosts' timers has
		// taken over publishing (the stopped one's lock is free at once)
		let r = await startVia(b.url, u.token);
		assert.equal(r.status, 200);
		await until(() => sub.events.length >= 2, 10000, 'the first change through b, on a');
		// measured: a change through b, seen on a
		r = await startVia(b.url, u.token);
		const answered = Date.now();
		assert.equal(r.status, 200);
		const id = (await r.json()).data.id;
		const ev = await until(() => sub.events.find((e) => e.data.session && e.data.session.id === id), 10000, 'the change through b, on a');
		const ms = ev.at - answered;
		console.log(`# live-redis: a change through host b seen on host a ${ms} ms after b answered`);
		assert.ok(ms < 1000, `seen within 1 s (took ${ms} ms)`);
	} finally {
		sub.close();
	}
});
