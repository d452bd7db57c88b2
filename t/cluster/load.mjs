// t/cluster/load.mjs: the bounded load of make cluster-check, through the
// load balancer, recording every request and every acknowledged effect.
//
//   node load.mjs BASE USERS.json OUT.json STOPFILE [CLIENTS] [MAX_SECONDS]
//
// CLIENTS clients (6) run at once, each one request at a time over users
// of its own (no two clients share a user, so each user's expected state
// is known exactly from the answers it got). Per user: start a focus
// session, pause it, resume it, complete it (alone or in a batch), or
// start over (which abandons the open one). Every 2xx write is a fact the
// database must show afterwards (t/cluster/verify.mjs); after a write
// without an answer (5xx, no connection, timeout) its effect is unknown,
// and the user's next step reads GET /api/focus/active to learn it.
// A session the client learned of only by reading, after a start that got
// no answer (a 503 "may have committed", or none), is marked unacknowledged:
// during a failover that read can be served by the old primary, restarted
// by pg_autoctl before the monitor demotes it, which shows a commit made
// there and never replicated (the start's own, cut off before its Sync
// confirmed it). The failover discards it, and a later write to it is
// answered 404 rightly. Such requests carry {session, unacked: true};
// verify.mjs accepts their 404 only when the database has no such session.
// The same holds for any unanswered write (a pause whose commit the read
// showed and the failover discarded: the resume is 404 or 409): every
// request on a state read after an unanswered write carries readAfter.
// Runs until STOPFILE exists (at most MAX_SECONDS, 300), then writes OUT.
// Batch creates are not in the mix: POST /api/focus/batch takes complete
// and abandon only (docs/API.md).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const [base, usersFile, outFile, stopFile, clientsArg, maxArg] = process.argv.slice(2);
const CLIENTS = Number(clientsArg || 6);
const MAX_MS = Number(maxArg || 300) * 1000;
// bounded per request: the balancer gives up on a web host after 5 s
const REQUEST_TIMEOUT_MS = 10000;
// pause between one client's requests, and at most this long after a 503
// (its Retry-After asks for more; the test wants the window's edges)
const PACE_MS = 10;
const RETRY_PACE_MS = 200;
const DURATION_S = 3600;        // no timer runs out during a run

const users = JSON.parse(readFileSync(usersFile, 'utf8'));
const requests = [];    // {t0, t1, op, status, host[, retryAfter of a 503]}
const facts = [];       // acknowledged effects: {kind, user, id, ...}
const finals = new Map(); // user -> {seq, state} of the last write sent
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const started = Date.now();

async function call(user, op, method, path, body, target) {
	const t0 = Date.now();
	user.lastOp = op;
	let status = 0, json = null, host = '', retryAfter = null;
	try {
		const res = await fetch(base + path, {
			method,
			headers: {
				Authorization: `Bearer ${user.token}`,
				...(body ? { 'Content-Type': 'application/json' } : {}),
			},
			body: body ? JSON.stringify(body) : undefined,
			signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
		});
		status = res.status;
		host = res.headers.get('x-focus-upstream') || '';
		retryAfter = res.headers.get('retry-after');
		const text = await res.text();
		try { json = JSON.parse(text); } catch { /* not JSON */ }
	} catch {
		status = 0;     // no answer: refused, reset or timed out
	}
	requests.push({ t0, t1: Date.now(), op, status, host, ...(status === 503 ? { retryAfter } : {}),
		...(target && target.unacked ? { session: target.id, unacked: true } : {}),
		...(target && target.readAfter ? { readAfter: target.readAfter } : {}) });
	return { status, json };
}

// What one step does to one user, from the state the answers gave:
// null (nothing open), {id, paused}, or 'unknown'.
async function step(user) {
	const s = user.state;
	if (s === 'unknown') {
		const r = await call(user, 'read', 'GET', '/api/focus/active');
		if (r.status === 200) {
			const open = r.json.data.session;
			// new since the start that got no answer: that start's, unacknowledged
			const unacked = open !== null && (user.unacked.has(open.id) ||
				(user.pendingStart !== undefined && open.id !== user.pendingStart));
			if (unacked) user.unacked.add(open.id);
			user.pendingStart = undefined;
			// which unanswered write this read followed (for the record:
			// the read can show that write's effect though it was not
			// acknowledged)
			const readAfter = user.lastUnanswered;
			user.lastUnanswered = undefined;
			user.state = open ? { id: open.id, paused: open.status === 'paused', ...(unacked ? { unacked } : {}),
				...(readAfter ? { readAfter } : {}) } : null;
		}
		return r.status;
	}
	const dice = Math.random();
	let r;
	if (s === null || (!s.paused && dice < 0.15)) {
		r = await call(user, 'start', 'POST', '/api/focus', { mode: 'focus', duration_seconds: DURATION_S }, s);
		// no answer: what was open before (known, as a start is sent only
		// then), to tell that start's session when a read shows one
		if (r.status !== 200) user.pendingStart = s ? s.id : null;
		write(user, r, () => {
			if (s) facts.push({ kind: 'abandoned', t: Date.now(), user: user.id, id: s.id, ...(s.unacked ? { unacked: true } : {}),
				...(s.readAfter ? { readAfter: s.readAfter } : {}) });
			facts.push({ kind: 'started', t: Date.now(), user: user.id, id: r.json.data.id });
			return { id: r.json.data.id, paused: false };
		});
	} else if (!s.paused && dice < 0.55) {
		r = await call(user, 'pause', 'POST', '/api/focus/pause', undefined, s);
		write(user, r, () => ({ ...s, paused: true }));
	} else if (s.paused && dice < 0.5) {
		r = await call(user, 'resume', 'DELETE', '/api/focus/pause', undefined, s);
		write(user, r, () => ({ ...s, paused: false }));
	} else if (dice < 0.8) {
		r = await call(user, 'complete', 'POST', `/api/focus/${s.id}/complete`, undefined, s);
		write(user, r, () => {
			facts.push({ kind: 'completed', t: Date.now(), user: user.id, id: s.id, xp: r.json.data.xp_awarded });
			return null;
		});
	} else {
		r = await call(user, 'batch', 'POST', '/api/focus/batch',
			{ updates: [{ id: s.id, action: 'complete' }] }, s);
		write(user, r, () => {
			const item = r.json.data.results[0];
			facts.push({ kind: 'completed', t: Date.now(), user: user.id, id: s.id, xp: item.xp_awarded });
			return null;
		});
	}
	return r.status;
}

let serial = 0;
function write(user, r, onOk) {
	const seq = ++serial;
	if (r.status === 200) {
		// an answered write confirms the state: what it acted on is no
		// longer known only from a read (unacked, readAfter)
		const st = onOk();
		user.state = st && { id: st.id, paused: st.paused };
		finals.set(user.id, { seq, state: user.state });
	} else {
		user.lastUnanswered = `${user.lastOp} ${r.status}`;
		user.state = 'unknown';
		finals.set(user.id, { seq, state: 'unknown' });
	}
}

async function client(mine) {
	for (let i = 0; !existsSync(stopFile) && Date.now() - started < MAX_MS; i++) {
		const status = await step(mine[i % mine.length]);
		await sleep(status === 200 ? PACE_MS : RETRY_PACE_MS);
	}
}

for (const u of users) {
	u.state = 'unknown';
	u.unacked = new Set();
}
await Promise.all(Array.from({ length: CLIENTS }, (_, c) =>
	client(users.filter((_, i) => i % CLIENTS === c))));
writeFileSync(outFile, JSON.stringify({
	requests,
	facts,
	// each user's state as its last write left it, when that write was
	// answered (else the database's word is the only one)
	finals: [...finals].filter(([, f]) => f.state !== 'unknown')
		.map(([user, f]) => ({ user, open: f.state ? f.state.id : null, paused: f.state ? f.state.paused : false })),
}));
