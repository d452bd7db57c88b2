// lib.mjs: the stack tests' small harness over real HTTP through nginx.
// The suites are node:test files: `test` is node:test's, run in order at
// the top level (each awaited), so one suite runs alone with
//   . $FOCUS_VAR/focus.env && node --test-reporter=spec t/stack/NAME.test.mjs
// and one test with --test-name-pattern='words of its name' (README.md,
// "Tests"). t/run-tests reads each suite's TAP "# pass" and "# fail".
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export { test } from 'node:test';
export const base = process.env.FOCUS_BASE_URL;

// One HTTP request. opts: token, cookie, body (object -> JSON, string ->
// as is, Buffer -> raw), headers, method.
export async function call(method, path, opts = {}) {
	const headers = { ...(opts.headers || {}) };
	if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
	if (opts.cookie) headers.Cookie = `session=${opts.cookie}`;
	let body = opts.body;
	if (body !== undefined && typeof body === 'object' && !Buffer.isBuffer(body)) {
		body = JSON.stringify(body);
		if (!('Content-Type' in headers)) headers['Content-Type'] = 'application/json';
	}
	const res = await fetch(base + path, { method, headers, body, redirect: 'manual' });
	const text = await res.text();
	let json = null;
	try { json = JSON.parse(text); } catch { /* not JSON */ }
	return { status: res.status, headers: res.headers, text, json, rt: Number(res.headers.get('x-focus-round-trips')) };
}

// A 200 answered in one database round trip: its data.
export function okData(r) {
	assert.equal(r.status, 200, r.text);
	assert.equal(r.rt, 1, 'one round trip');
	return r.json.data;
}

// SQL against the test database, for checks the API cannot show
// (ledger, wallet) and for setting the clock back on a row.
export function sql(query) {
	return execFileSync('psql', ['-X', '-At', '-v', 'ON_ERROR_STOP=1', '-c', query, process.env.FOCUS_DB],
		{ encoding: 'utf8' }).trim();
}

export function focusctl(...args) {
	return execFileSync(process.env.FOCUSCTL, args, { encoding: 'utf8', env: process.env }).trim();
}

// A fresh user and its token, so that tests do not share state. Its name
// is unique in the run: pid_max is 32768 here and every sql() spawns a
// psql, so a later suite can get an earlier one's pid; two processes with
// one pid never loaded this module in the same millisecond (the first had
// ended before the second started), so pid and load time tell them apart.
let serial = 0;
const loaded = Date.now().toString(36);
export function newUser(prefix = 'u') {
	const name = `${prefix}${process.pid}x${loaded}x${++serial}`;
	const id = focusctl('user', 'add', '--name', name);
	const token = focusctl('token', 'add', id);
	return { name, id, token };
}

// Poll fn until it returns truthy, at most `ms` milliseconds.
export async function until(fn, ms = 10000, what = 'condition') {
	const end = Date.now() + ms;
	for (;;) {
		const v = await fn();
		if (v) return v;
		if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 50));
	}
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// The local date now in a zone, where a day begins at dayStart o'clock,
// by the database's clock (the one the service counts "today" by), as
// YYYY-MM-DD. Plain SQL, not the service's focus_local_day, so that a
// test checks that function rather than repeats it.
export const localDay = (zone, dayStart = 0) => sql(`SELECT to_char(((now() AT TIME ZONE '${zone}')
	- make_interval(hours => ${Number(dayStart)}))::date, 'YYYY-MM-DD')`);

// Run fn(today) for a test about "today" (or yesterday, this week, this
// year) in a zone, with today the local date by the database's clock. A
// local midnight that falls while fn runs can make its expectations
// wrong (a session seeded "yesterday" is two days old by the time the
// server reads it); then, and only then, fn's failure is not the
// service's: fn runs once more, on the new day (a run of a few seconds
// cannot meet two midnights). fn must make its own fresh user each time.
export async function onOneDay(zone, dayStart, fn) {
	for (let attempt = 1; ; attempt++) {
		const today = localDay(zone, dayStart);
		try {
			return await fn(today);
		} catch (e) {
			if (attempt > 1 || localDay(zone, dayStart) === today) throw e;
			console.log(`# ${zone}'s day changed during the test (${today}): once more`);
		}
	}
}

// A worker pool's processes (./quickstart runs two: 'focus', the API, and
// 'focus-storage'): its supervisor's pid, from spawn-fcgi's pid file, and
// the workers it forked, as numbers.
export function supervisorPid(pool = 'focus') {
	return Number(readFileSync(`${process.env.FOCUS_VAR}/run/${pool}.pid`, 'utf8').trim());
}
export function workerPids(pool = 'focus') {
	let out = '';
	try {
		out = execFileSync('pgrep', ['-P', String(supervisorPid(pool))], { encoding: 'utf8' });
	} catch (e) {
		if (e.status !== 1) throw e;    // 1: no process matched
	}
	return out.split(/\s+/).filter(Boolean).map(Number).sort((a, b) => a - b);
}
export const alive = (pid) => { try { process.kill(Number(pid), 0); return true; } catch { return false; } };
