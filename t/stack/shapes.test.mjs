// shapes.test.mjs: every statement's result shape is declared in its
// registry row (src/stmt.c) and checked when the worker prepares it. A
// worker against a database whose schema returns other columns refuses
// to start, with one db_shape line naming the statement; against the
// same schema unchanged it starts. A scratch database, migrated here, so
// the running stack is never touched.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { sql, test } from './lib.mjs';

const scratch = `focus_shapes_${process.pid}`;
const scratchDb = process.env.FOCUS_DB.replace(/dbname=\S+/, `dbname=${scratch}`);
const worker = `${process.env.FOCUS_BUILDDIR}/src/focus-fcgi`;

// Run a worker against the scratch database with no FastCGI socket: it
// prepares its statements, then (when it starts) finds no socket to accept
// on and stops. Its status and its log (stderr).
function startWorker() {
	const r = spawnSync(worker, [], {
		env: { ...process.env, FOCUS_DB: scratchDb, FOCUS_LOG: '-', FOCUS_STORAGE: 'dir' },
		input: '', encoding: 'utf8', timeout: 20000,
	});
	return { status: r.status, log: `${r.stdout}${r.stderr}` };
}

// one left by an earlier run of this pid that died before its finally
sql(`DROP DATABASE IF EXISTS ${scratch} WITH (FORCE)`);
sql(`CREATE DATABASE ${scratch}`);
try {
	const out = spawnSync(process.env.FOCUSCTL, ['migrate'],
		{ env: { ...process.env, FOCUS_DB: scratchDb }, encoding: 'utf8' });
	assert.equal(out.status, 0, out.stderr);

	await test('a worker against the schema its registry describes starts, with no db_shape line', async () => {
		const w = startWorker();
		assert.doesNotMatch(w.log, /db_shape/);
		assert.match(w.log, /db_connected/);
		assert.equal(w.status, 0, w.log);
	});

	// every track statement still prepares, and now returns int4 where its
	// registry row declares int8
	await test('a result column of another type makes the worker refuse to start, naming the statement', async () => {
		execScratch('ALTER TABLE focus_tracks ALTER COLUMN size_bytes TYPE integer');
		const w = startWorker();
		assert.equal(w.status, 1, w.log);
		const lines = w.log.split('\n').filter((l) => /db_shape/.test(l));
		assert.equal(lines.length, 1, w.log);
		assert.match(lines[0], /stmt=track_add\b/);
		assert.match(lines[0], /size_bytes/);
		assert.doesNotMatch(w.log, /db_connected/);
	});

} finally {
	sql(`DROP DATABASE IF EXISTS ${scratch} WITH (FORCE)`);
}

function execScratch(query) {
	const r = spawnSync('psql', ['-X', '-At', '-v', 'ON_ERROR_STOP=1', '-c', query, scratchDb], { encoding: 'utf8' });
	assert.equal(r.status, 0, r.stderr);
}

