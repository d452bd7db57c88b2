// plans.test.mjs: on a database seeded with a million focus sessions,
// every registered per-request statement's plan uses the index its
// registry row names and scans no per-user table sequentially
// (focusctl explain --check; the annotations live in src/stmt.c).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { sql, test, focusctl } from './lib.mjs';

const users = Number(process.env.FOCUS_SEED_USERS || 10000);
const perUser = Number(process.env.FOCUS_SEED_SESSIONS || 100);

await test(`focusctl seed fills ${users} users x ${perUser} sessions`, async () => {
	const before = Number(sql('SELECT count(*) FROM focus_sessions'));
	assert.match(focusctl('seed', '--users', String(users), '--sessions-per-user', String(perUser)), /^seeded /);
	const after = Number(sql('SELECT count(*) FROM focus_sessions'));
	assert.equal(after - before, users * perUser);
	assert.ok(after >= 1000000, `${after} sessions`);
});

await test('every per-request statement uses its annotated index on the seeded data', async () => {
	let out;
	try {
		out = execFileSync(process.env.FOCUSCTL, ['explain', '--check'], { encoding: 'utf8', env: process.env, maxBuffer: 64 << 20 });
	} catch (e) {
		const failed = String(e.stdout).split('\n').filter((l) => /PLAN CHECK FAILED/.test(l));
		throw new Error(`plan check failed: ${failed.join('; ')}`);
	}
	assert.match(out, /^0 statement\(s\) failed the plan check$/m);
	assert.ok((out.match(/^-- == /gm) || []).length >= 20, 'every statement explained');
});
