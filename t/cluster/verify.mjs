// t/cluster/verify.mjs: one scenario's figures and checks, from the load's
// record (t/cluster/load.mjs) and the database.
//
//   node verify.mjs NAME OUT.json FAULT_MS ALLOWED MAX_FAILED [HOST UNTIL_MS]
//
// FAULT_MS: when the fault was made (ms since the epoch; 0 for none).
// ALLOWED: the non-2xx statuses the scenario may show (comma-separated,
// e.g. "503" while PostgreSQL fails over; "" for none). MAX_FAILED: how
// many requests may fail at most ("" for no bound). HOST, UNTIL_MS: a
// web host (address:port) cut off from FAULT_MS to UNTIL_MS, which must
// answer nothing sent in between. Prints the figures
// as "# " lines and one "ok - ..." or "not ok - ..." line per check
// (t/cluster/run counts them). FOCUS_DB names the database (the cluster's
// multi-host string: psql finds the primary as the workers do).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const [name, outFile, faultArg, allowedArg, maxFailedArg, cutHost, cutUntilArg] = process.argv.slice(2);
const out = JSON.parse(readFileSync(outFile, 'utf8'));
const fault = Number(faultArg);
const allowed = new Set((allowedArg || '').split(',').filter(Boolean).map(Number));
const reqs = out.requests;

function sql(query) {
	return execFileSync('psql', ['-X', '-At', '-F', '\t', '-v', 'ON_ERROR_STOP=1', '-c', query,
		process.env.FOCUS_DB], { encoding: 'utf8' }).trim();
}

let failedChecks = 0;
function check(ok, what) {
	if (!ok) failedChecks++;
	console.log(`${ok ? 'ok' : 'not ok'} - ${name}: ${what}`);
}

// A 404 or 409 on a state the client knew only from a read after one of
// its writes got no answer (load.mjs: readAfter; unacked for a start's
// session) is the right answer when a failover discarded that write: the
// read was served by the old primary, restarted by pg_autoctl for a moment
// before the monitor demoted it, and showed a commit made there that was
// never replicated nor acknowledged. Only while PostgreSQL fails over
// (the scenarios that allow 503), counted apart; acknowledged writes are
// checked below regardless. Any other 404 or 409 is a status like the rest.
const dbIds = new Set(sql('SELECT id FROM focus_sessions').split('\n'));
const discarded = (r) => allowed.has(503) && (
	(r.status === 404 && r.unacked === true && !dbIds.has(r.session)) ||
	((r.status === 404 || r.status === 409) && r.readAfter !== undefined));
const gone = reqs.filter(discarded);

// figures
const byStatus = {};
const bad = reqs.filter((r) => r.status !== 200 && !discarded(r));
for (const r of bad) byStatus[r.status] = (byStatus[r.status] || 0) + 1;
const s503 = reqs.filter((r) => r.status === 503);
const window503 = s503.length ?
	(Math.max(...s503.map((r) => r.t1)) - Math.min(...s503.map((r) => r.t0))) / 1000 : 0;
// recovered: from the fault to the end of the last failed request (no
// answer, or 5xx), after which every request was answered; a 4xx is an
// answer (a conflict the client resolves by reading its state)
const failedReqs = bad.filter((r) => r.status === 0 || r.status >= 500);
const lastBad = failedReqs.length ? Math.max(...failedReqs.map((r) => r.t1)) : 0;
const recover = fault && lastBad > fault ? (lastBad - fault) / 1000 : 0;
const after = reqs.filter((r) => r.t0 > lastBad && r.status === 200).length;
const writes = reqs.filter((r) => r.op !== 'read');
const hosts = {};
for (const r of reqs) if (r.host) hosts[r.host] = (hosts[r.host] || 0) + 1;

// what the database says about every acknowledged effect
const rows = new Map();
const dump = sql(`SELECT f.id, f.user_id, f.status, f.xp_awarded,
	(SELECT count(*) FROM points_ledger l WHERE l.session_id = f.id)
	FROM focus_sessions f`);
for (const line of dump ? dump.split('\n') : []) {
	const [id, user, status, xp, ledger] = line.split('\t');
	rows.set(id, { user, status, xp: Number(xp), ledger: Number(ledger) });
}
const lost = [];
for (const f of out.facts) {
	const row = rows.get(f.id);
	// a start that abandoned a session the client never had acknowledged
	// (load.mjs: seen only by a read during the failover): if the failover
	// discarded that session, there was nothing to abandon
	if (f.kind === 'abandoned' && (f.unacked || f.readAfter) && !row) continue;
	const ok = row && row.user === f.user && (
		f.kind === 'started' ? true :
		f.kind === 'abandoned' ? row.status === 'abandoned' :
		f.kind === 'completed' ? row.status === 'completed' && row.xp === f.xp && row.ledger === 1 :
		false);
	if (!ok) lost.push({ fact: f, row });
}
const open = new Map();
for (const [id, r] of rows) if (r.status === 'active' || r.status === 'paused') open.set(r.user, { id, paused: r.status === 'paused' });
for (const f of out.finals) {
	const o = open.get(f.user) || null;
	if ((o ? o.id : null) !== f.open || (o && o.paused !== f.paused))
		lost.push({ final: f, db: o });
}

console.log(`# ${name}: requests ${reqs.length} (writes ${writes.length}), non-2xx ${JSON.stringify(byStatus)}, ` +
	`acknowledged writes ${out.facts.length + out.finals.length} checked, lost ${lost.length}, ` +
	`503 window ${window503.toFixed(1)} s, recovered ${recover.toFixed(1)} s after the fault, ` +
	`per web host ${JSON.stringify(hosts)}` +
	(gone.length ? `, ${gone.length} × 404/409 on unacknowledged writes the failover discarded` : ''));
for (const r of gone)
	console.log(`#   ${r.status} ${r.op} at ${((r.t0 - (fault || r.t0)) / 1000).toFixed(2)} s` +
		`${r.session ? ' on ' + r.session : ''}: a read after an unanswered write` +
		`${r.readAfter ? ' (' + r.readAfter + ')' : ''} showed a state the failover discarded`);
// the first failures, and every one that is neither 503 nor unanswered, to
// read what happened when
for (const r of bad.filter((r, i) => i < 8 || (r.status !== 503 && r.status !== 0)))
	console.log(`#   ${r.status} ${r.op} at ${((r.t0 - (fault || r.t0)) / 1000).toFixed(2)} s` +
		` for ${((r.t1 - r.t0) / 1000).toFixed(2)} s${r.host ? ' via ' + r.host : ''}` +
		(r.readAfter ? `, on a state read after an unanswered write (${r.readAfter})` : ''));
for (const l of lost.slice(0, 5))
	console.log(`#   lost${l.fact ? ` (acknowledged ${((l.fact.t - (fault || l.fact.t)) / 1000).toFixed(2)} s after the fault)` : ''}: ${JSON.stringify(l)}`);

check(reqs.length > 0 && writes.length > 0, `the load ran (${reqs.length} requests)`);
check(lost.length === 0, `0 acknowledged writes lost (${lost.length})`);
const unexpected = Object.keys(byStatus).map(Number).filter((s) => !allowed.has(s));
check(unexpected.length === 0, `no status but 200${allowed.size ? ' and ' + [...allowed].join(', ') : ''}` +
	(unexpected.length ? ` (got ${unexpected.join(', ')})` : ''));
if (maxFailedArg !== undefined && maxFailedArg !== '')
	check(bad.length <= Number(maxFailedArg), `at most ${maxFailedArg} requests failed (${bad.length})`);
check(bad.length === 0 || after > 0, `200s again after the last failure (${after})`);
if (s503.length)
	check(s503.every((r) => Number(r.retryAfter) >= 1), `every 503 has Retry-After ` +
		`(${s503.filter((r) => Number(r.retryAfter) >= 1).length} of ${s503.length})`);
if (cutHost) {
	const cutUntil = Number(cutUntilArg);
	// (sent to it as the link went down, a request fails: in flight)
	const leaked = reqs.filter((r) => r.host === cutHost && r.status === 200 &&
		r.t0 > fault && r.t0 < cutUntil).length;
	const rerouted = reqs.filter((r) => r.host.includes(',') && r.status === 200).length;
	check(leaked === 0, `nothing sent while ${cutHost} was cut off was answered by it (${leaked}); ` +
		`${rerouted} passed on to the other host after a failed connect`);
}

// the invariants, over everything the run wrote
const inv = sql(`SELECT
	(SELECT count(*) FROM (SELECT user_id FROM focus_sessions WHERE open
		GROUP BY user_id HAVING count(*) > 1) x),
	(SELECT count(*) FROM focus_sessions f WHERE (f.status = 'completed') <>
		((SELECT count(*) FROM points_ledger l WHERE l.session_id = f.id) = 1)),
	(SELECT count(*) FROM (SELECT session_id FROM points_ledger GROUP BY 1 HAVING count(*) > 1) y),
	(SELECT count(*) FROM user_progress p WHERE p.xp <>
		(SELECT coalesce(sum(l.xp), 0) FROM points_ledger l WHERE l.user_id = p.user_id))`).split('\t').map(Number);
check(inv[0] === 0, `one open session per person (${inv[0]} with more)`);
check(inv[1] === 0 && inv[2] === 0, `one ledger row per reward (${inv[1]} completed without exactly one, ${inv[2]} rewarded twice)`);
check(inv[3] === 0, `XP equals the ledger's sum (${inv[3]} users differ)`);
console.log(`# figures ${JSON.stringify({ scenario: name, requests: reqs.length, non2xx: byStatus, lost: lost.length, window503, recover })}`);
process.exit(failedChecks ? 1 : 0);
