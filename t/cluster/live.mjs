// t/cluster/live.mjs: the cluster's scenarios that need the live events
// (issue 18: nchan on Redis, the timer process), run by t/cluster/run
// when the build has them.
//
//   node live.mjs SCENARIO BASE USERS.json
//
// SCENARIO: redis-restart (env REDIS_STOP, REDIS_START: shell commands;
// FAULT_FILE: where to write when Redis was stopped, ms since the epoch),
// web-cut-events (env CUT, MEND), timers-both-hosts. Prints "# " figures
// and one "ok - ..." / "not ok - ..." line per check, as verify.mjs.
// The event streams are read with fetch (no EventSource package): an
// "event: state" block's data is the caller's state; a stream that ends
// or fails is opened again after 100 ms, through the balancer, as an
// EventSource does.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const [scenario, base, usersFile] = process.argv.slice(2);
const users = JSON.parse(readFileSync(usersFile, 'utf8'));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let failed = 0;
function check(ok, what) {
	if (!ok) failed++;
	console.log(`${ok ? 'ok' : 'not ok'} - ${scenario}: ${what}`);
}
const sh = (cmd) => execFileSync('bash', ['-c', cmd], { stdio: 'inherit' });
const sql = (q) => execFileSync('psql', ['-X', '-At', '-F', '\t', '-v', 'ON_ERROR_STOP=1', '-c', q,
	process.env.FOCUS_DB], { encoding: 'utf8' }).trim();

async function until(fn, ms) {
	const end = Date.now() + ms;
	for (;;) {
		const v = await fn();
		if (v) return v;
		if (Date.now() > end) return null;
		await sleep(50);
	}
}

async function call(user, method, path, body) {
	try {
		const res = await fetch(base + path, {
			method,
			headers: { Authorization: `Bearer ${user.token}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
			body: body ? JSON.stringify(body) : undefined,
			signal: AbortSignal.timeout(10000),
		});
		const text = await res.text();
		let json = null;
		try { json = JSON.parse(text); } catch { /* not JSON */ }
		return { status: res.status, json };
	} catch {
		return { status: 0, json: null };
	}
}
const start = (user, seconds = 3600) => call(user, 'POST', '/api/focus', { mode: 'focus', duration_seconds: seconds });

// One subscriber of one user's events, reconnecting itself; through the
// balancer, or straight to one web host (url)
function subscribe(user, url = base) {
	const sub = { events: [], connects: 0, hosts: [], closed: false, ctl: null };
	(async () => {
		while (!sub.closed) {
			sub.ctl = new AbortController();
			try {
				const res = await fetch(`${url}/api/focus/events`, {
					headers: { Authorization: `Bearer ${user.token}`, Accept: 'text/event-stream' },
					signal: sub.ctl.signal,
				});
				if (res.status === 200) {
					sub.connects++;
					sub.hosts.push(res.headers.get('x-focus-upstream') || '?');
					const dec = new TextDecoder();
					let buf = '';
					for await (const chunk of res.body) {
						buf += dec.decode(chunk, { stream: true });
						let i;
						while ((i = buf.indexOf('\n\n')) >= 0) {
							const block = buf.slice(0, i);
							buf = buf.slice(i + 2);
							const data = block.split('\n').filter((l) => l.startsWith('data:'))
								.map((l) => l.slice(5).trimStart()).join('\n');
							if (/^event: ?state$/m.test(block) && data) {
								try { sub.events.push({ at: Date.now(), data: JSON.parse(data) }); } catch { /* partial */ }
							}
						}
					}
				} else {
					await res.text();
				}
			} catch { /* refused, reset, aborted: open it again */ }
			await sleep(100);
		}
	})();
	sub.close = () => { sub.closed = true; sub.ctl?.abort(); };
	// the first event carrying session id, seen after `since`
	sub.seen = (id, since) => sub.events.find((e) => e.at >= since && e.data?.session?.id === id);
	return sub;
}

// A change through the balancer and the time until sub sees it (ms, or
// null within `ms`)
async function changeSeen(user, sub, ms) {
	const r = await start(user);
	const answered = Date.now();
	if (r.status !== 200) return { status: r.status, ms: null };
	const ev = await until(() => sub.seen(r.json.data.id, answered - 5000), ms);
	return { status: 200, ms: ev ? ev.at - answered : null };
}

if (scenario === 'redis-restart') {
	const [u, ...others] = users;
	const sub = subscribe(u);
	check(await until(() => sub.events.length > 0, 10000), 'a subscriber through the balancer gets its first event');
	let before = await changeSeen(u, sub, 5000);
	check(before.ms !== null, `with Redis up, a change is seen (${before.ms} ms)`);
	if (process.env.FAULT_FILE) writeFileSync(process.env.FAULT_FILE, String(Date.now()));
	sh(process.env.REDIS_STOP);
	// writes go on while Redis is away: publishing fails softly
	const statuses = {};
	for (let i = 0; i < 20; i++) {
		const r = await start(others[i % others.length]);
		statuses[r.status] = (statuses[r.status] || 0) + 1;
	}
	const down = await start(u);
	console.log(`# redis-restart: 21 writes with Redis stopped: ${JSON.stringify({ ...statuses, [down.status]: (statuses[down.status] || 0) + 1 })}`);
	check(statuses[200] === 20 && down.status === 200, 'writes are 200 while Redis is stopped');
	const t0 = Date.now();
	sh(process.env.REDIS_START);
	// events resume: a change made after Redis is back reaches a
	// subscriber (its stream opened again as needed)
	const back = await until(async () => {
		const c = await changeSeen(u, sub, 1000);
		return c.ms !== null ? c : null;
	}, 30000);
	console.log(`# redis-restart: events again ${back ? ((Date.now() - t0) / 1000).toFixed(1) : '-'} s after Redis was started`);
	check(back !== null, 'events resume after Redis is back');
	sub.close();
	// and on each web host (nchan's own Redis connection back): a
	// subscriber straight to the host gets its first event
	for (const host of process.env.WEB_HOSTS.split(' ')) {
		const ok = await until(async () => {
			const s = subscribe(others[0], host);
			const got = await until(() => s.events.length > 0, 1000);
			s.close();
			return got;
		}, 30000);
		console.log(`# redis-restart: ${host} serves events ${((Date.now() - t0) / 1000).toFixed(1)} s after Redis was started`);
		check(ok, `${host} serves events again`);
	}
} else if (scenario === 'web-cut-events') {
	// several subscribers, so that the balancer puts some on each host
	const subs = users.slice(0, 6).map((u) => ({ u, s: subscribe(u) }));
	check(await until(() => subs.every((x) => x.s.events.length > 0), 10000), 'six subscribers get their first event');
	const held = subs.map((x) => x.s.hosts.at(-1));
	console.log(`# web-cut-events: streams held by ${held.join(', ')}`);
	check(held.some((h) => h.startsWith(process.env.CUT_HOST)), `the balancer put some on ${process.env.CUT_HOST}`);
	sh(process.env.CUT);
	const cut = Date.now();
	// a change per subscriber, through the balancer (the live host), until
	// each has seen one: the streams held by the cut host end when the
	// balancer gives up on them (proxy_read_timeout), and reconnect
	const worst = await until(async () => {
		const got = await Promise.all(subs.map((x) => changeSeen(x.u, x.s, 1000)));
		return got.every((g) => g.ms !== null) ? got : null;
	}, 30000);
	console.log(`# web-cut-events: every subscriber receiving again ${((Date.now() - cut) / 1000).toFixed(1)} s after the cut`);
	check(worst !== null, 'subscribers reconnect through the balancer after the cut');
	const again = await Promise.all(subs.map((x) => changeSeen(x.u, x.s, 3000)));
	const late = again.filter((g) => g.ms === null || g.ms > 1000);
	console.log(`# web-cut-events: then changes seen in ${again.map((g) => g.ms).join(', ')} ms; ` +
		`streams now held by ${subs.map((x) => x.s.hosts.at(-1)).join(', ')}`);
	check(late.length === 0, 'then every change is seen within 1 s');
	sh(process.env.MEND);
	for (const x of subs) x.s.close();
} else if (scenario === 'timers-both-hosts') {
	// short sessions that nobody completes: their time's up is the timers'.
	// Not web-cut-events' people (the first six): a write of theirs in
	// flight on the cut host can be applied seconds after its link is back
	// (TCP retransmits it), and a late start would abandon a session here.
	const mine = users.slice(12, 24);
	const ids = [];
	const statuses = [];
	for (const u of mine) {
		// a start is not what is tested here: another try after a 503
		// (the last scenario's cut may still be healing)
		for (let i = 0; i < 10; i++) {
			const r = await start(u, 2);
			statuses.push(r.status);
			if (r.status === 200) { ids.push(r.json.data.id); break; }
			await sleep(500);
		}
	}
	if (statuses.some((st) => st !== 200)) console.log(`# timers-both-hosts: starts answered ${statuses.join(' ')}`);
	check(ids.length === mine.length, `${ids.length} sessions of 2 s started`);
	const list = ids.map((id) => `'${id}'`).join(',');
	const done = await until(() => Number(sql(`SELECT count(*) FROM focus_sessions WHERE id IN (${list}) AND status = 'completed'`)) === ids.length, 30000);
	check(done, 'every one completed by the timer, with no request');
	const [rows, once, xp] = sql(`SELECT
		(SELECT count(*) FROM points_ledger WHERE session_id IN (${list})),
		(SELECT count(*) FROM focus_sessions f WHERE id IN (${list}) AND f.xp_awarded = 5 AND
			(SELECT count(*) FROM points_ledger l WHERE l.session_id = f.id AND l.xp = 5) = 1),
		(SELECT count(*) FROM user_progress p WHERE p.xp <> (SELECT coalesce(sum(l.xp), 0)
			FROM points_ledger l WHERE l.user_id = p.user_id))`).split('\t').map(Number);
	console.log(`# timers-both-hosts: ${ids.length} time's-ups, ${rows} ledger rows`);
	check(rows === ids.length && once === ids.length, `each applied exactly once, its reward counted once (${rows} rows, ${once} as due)`);
	check(xp === 0, `XP equals the ledger's sum (${xp} users differ)`);
}
process.exit(failed ? 1 : 0);
