// facts.test.mjs: the closed vocabularies are defined once in C
// (src/facts.h, src/audio.h, printed by `focusctl facts`); the schema
// states the same words as domains and CHECKs. Here the two are compared
// on the live database: the words PostgreSQL's constraints name must be
// exactly the words the worker accepts and renders.
import assert from 'node:assert/strict';
import { sql, test, focusctl } from './lib.mjs';

// Every quoted word in the CHECKs that bind table.column: its domain's
// (however nested the domain is written) or the table's own single-column
// CHECKs. Sorted, space-separated.
function schemaWords(table, column, prelude = '') {
	return sql(`${prelude}
		WITH col AS (SELECT a.attrelid, a.attnum, a.atttypid FROM pg_attribute a
			WHERE a.attrelid = '${table}'::regclass AND a.attname = '${column}' AND NOT a.attisdropped)
		SELECT coalesce(string_agg(m[1], ' ' ORDER BY m[1]), '') FROM col
		JOIN pg_constraint c ON c.contype = 'c'
			AND (c.contypid = col.atttypid OR (c.conrelid = col.attrelid AND c.conkey = ARRAY[col.attnum]))
		CROSS JOIN LATERAL regexp_matches(pg_get_constraintdef(c.oid), '''([^'']*)''', 'g') AS m`)
		.split('\n').pop();
}

const facts = {};
for (const line of focusctl('facts').split('\n')) {
	const [fact, word, detail] = line.split(' ');
	(facts[fact] ||= []).push({ word, detail });
}
const words = (fact) => facts[fact].map((f) => f.word).sort().join(' ');

await test('focusctl facts lists every vocabulary with its details', async () => {
	assert.deepEqual(Object.keys(facts).sort(), ['audio_type', 'library_type', 'mode', 'source', 'status']);
	for (const m of facts.mode)
		assert.match(m.detail, /^[1-9][0-9]*$/, `mode ${m.word} has a default duration`);
	for (const a of facts.audio_type)
		assert.match(`${a.word} ${a.detail}`, /^audio\/[a-z0-9.+-]+ [a-z0-9]{1,8}$/);
});

await test('the session modes are the words of the focus_mode domain', async () => {
	assert.equal(schemaWords('focus_sessions', 'mode'), words('mode'));
});

await test('the session statuses are the words of the focus_session_status domain', async () => {
	assert.equal(schemaWords('focus_sessions', 'status'), words('status'));
});

await test('the session sources are the words of the focus_source domain', async () => {
	assert.equal(schemaWords('focus_sessions', 'source'), words('source'));
});

await test("the library types are the words of focus_libraries.library_type's CHECK", async () => {
	assert.equal(schemaWords('focus_libraries', 'library_type'), words('library_type'));
});

await test('a word added to a domain only in SQL is seen (rolled back)', async () => {
	// psql ends with the explicit transaction open: it is rolled back
	// when the connection closes
	const seen = schemaWords('focus_sessions', 'mode', `BEGIN;
		ALTER DOMAIN focus_mode ADD CONSTRAINT focus_mode_probe CHECK (VALUE <> 'siesta');`);
	assert.notEqual(seen, words('mode'));
	assert.match(seen, /\bsiesta\b/);
	assert.equal(schemaWords('focus_sessions', 'mode'), words('mode'));
});

