// storage.test.mjs: focus-music libraries and tracks (issue 5), run once
// with the directory backend and once against a real S3-compatible server
// (s3rver), chosen by FOCUS_TEST_BACKEND.
import assert from 'node:assert/strict';
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { execFile, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { call, newUser, sql, test, focusctl, until } from './lib.mjs';

const backend = process.env.FOCUS_TEST_BACKEND || 'dir';
const origin = new URL(process.env.FOCUS_BASE_URL).origin;
const tag = `[${backend}]`;

// A small valid WAV: 0.25 s of 8 kHz mono 16-bit noise.
function wav(seconds = 0.25) {
	const n = Math.floor(8000 * seconds), data = randomBytes(n * 2), h = Buffer.alloc(44);
	h.write('RIFF', 0); h.writeUInt32LE(36 + data.length, 4); h.write('WAVE', 8);
	h.write('fmt ', 12); h.writeUInt32LE(16, 16); h.writeUInt16LE(1, 20); h.writeUInt16LE(1, 22);
	h.writeUInt32LE(8000, 24); h.writeUInt32LE(16000, 28); h.writeUInt16LE(2, 32); h.writeUInt16LE(16, 34);
	h.write('data', 36); h.writeUInt32LE(data.length, 40);
	return Buffer.concat([h, data]);
}

const mkLib = async (u, body = { name: 'Rain' }) => (await call('POST', '/api/focus/libraries', { token: u.token, body })).json.data;
const trackRows = (u) => sql(`SELECT count(*) FROM focus_tracks WHERE user_id = '${u.id}'`);
const storageErrors = () => {
	try { return readFileSync(`${process.env.FOCUS_VAR}/log/focus.log`, 'utf8').split('\n').filter((l) => /event=storage_error/.test(l)).length; } catch { return 0; }
};

async function fetchBytes(url) {
	const r = await fetch(url);
	return { status: r.status, body: Buffer.from(await r.arrayBuffer()), type: r.headers.get('content-type') };
}

await test(`${tag} a library is created, read, listed and favorited`, async () => {
	const u = newUser();
	const r = await call('POST', '/api/focus/libraries', { token: u.token, body: { name: 'Rain sounds', description: 'calm', extra: 1 } });
	assert.equal(r.status, 200, r.text);
	const lib = r.json.data;
	assert.equal(lib.name, 'Rain sounds');
	assert.equal(lib.description, 'calm');
	assert.equal(lib.library_type, 'custom');
	assert.equal(lib.tracks_count, 0);
	assert.equal(lib.is_favorite, false);
	// exactly the Library object of API.md, no more and no less
	assert.deepEqual(Object.keys(lib).sort(), ['created_at', 'description', 'id', 'is_favorite',
		'library_type', 'name', 'tracks_count', 'updated_at']);
	assert.deepEqual((await call('GET', `/api/focus/libraries/${lib.id}`, { token: u.token })).json.data, lib);
	const fav = (await call('POST', `/api/focus/libraries/${lib.id}/favorite`, { token: u.token })).json.data;
	assert.equal(fav.is_favorite, true);
	const unfav = (await call('POST', `/api/focus/libraries/${lib.id}/favorite`, { token: u.token })).json.data;
	assert.equal(unfav.is_favorite, false);
});

await test(`${tag} the library list puts favorites first, then newest, with an exact total`, async () => {
	const u = newUser();
	const a = await mkLib(u, { name: 'A' });
	const b = await mkLib(u, { name: 'B' });
	const c = await mkLib(u, { name: 'C' });
	await call('POST', `/api/focus/libraries/${a.id}/favorite`, { token: u.token });
	const d = (await call('GET', '/api/focus/libraries?page=1&page_size=2', { token: u.token })).json.data;
	assert.equal(d.total, 3);
	assert.deepEqual(d.libraries.map((l) => l.id), [a.id, c.id]);
	const d2 = (await call('GET', '/api/focus/libraries?page=2&page_size=2', { token: u.token })).json.data;
	assert.deepEqual(d2.libraries.map((l) => l.id), [b.id]);
	assert.equal((await call('GET', '/api/focus/libraries?page_size=101', { token: u.token })).status, 400);
});

await test(`${tag} library input is validated and another user's library is 404`, async () => {
	const u = newUser(), v = newUser();
	for (const body of [{}, { name: '' }, { name: 'x'.repeat(101) }, { name: 5 }, { name: 'ok', library_type: 'spotify' }]) {
		const r = await call('POST', '/api/focus/libraries', { token: u.token, body });
		assert.equal(r.status, 422, JSON.stringify(body));
	}
	const lib = await mkLib(u);
	for (const [m, p] of [['GET', ''], ['DELETE', ''], ['POST', '/favorite'], ['GET', '/tracks']])
		assert.equal((await call(m, `/api/focus/libraries/${lib.id}${p}`, { token: v.token })).status, 404, `${m} ${p}`);
	assert.equal((await call('GET', '/api/focus/libraries/nope', { token: u.token })).status, 400);
});

await test(`${tag} a direct upload streams to storage and comes back byte for byte`, async () => {
	const u = newUser();
	const lib = await mkLib(u);
	const bytes = wav();
	const r = await call('PUT', `/api/focus/libraries/${lib.id}/tracks/upload?track_title=Rain%20%26%20wind&duration_seconds=1`,
		{ token: u.token, body: bytes, headers: { 'Content-Type': 'audio/wav' } });
	assert.equal(r.status, 200, r.text);
	const t = r.json.data;
	assert.equal(t.track_title, 'Rain & wind');
	assert.equal(t.mime_type, 'audio/wav');
	assert.equal(t.size_bytes, bytes.length);
	assert.equal(t.duration_seconds, 1);
	assert.match(t.storage_key, new RegExp(`^${u.id}/audio/[0-9a-f-]{36}\\.wav$`));
	const got = await fetchBytes(t.download_url);
	assert.equal(got.status, 200);
	assert.ok(got.body.equals(bytes), 'same bytes');
	const list = (await call('GET', `/api/focus/libraries/${lib.id}/tracks`, { token: u.token })).json.data.tracks;
	assert.equal(list.length, 1);
	assert.equal(list[0].id, t.id);
	assert.ok((await fetchBytes(list[0].download_url)).body.equals(bytes));
	assert.equal((await call('GET', `/api/focus/libraries/${lib.id}`, { token: u.token })).json.data.tracks_count, 1);
});

await test(`${tag} a signed upload URL, then registering the key, gives a playable track`, async () => {
	const u = newUser();
	const lib = await mkLib(u);
	const bytes = wav();
	const up = await call('POST', `/api/focus/libraries/${lib.id}/tracks/upload-url`,
		{ token: u.token, body: { filename: 'rain.wav', mime_type: 'audio/wav', size_bytes: bytes.length } });
	assert.equal(up.status, 200, up.text);
	assert.equal(up.json.data.method, 'PUT');
	assert.match(up.json.data.storage_key, new RegExp(`^${u.id}/audio/.*\\.wav$`));
	assert.ok(Date.parse(up.json.data.expires_at) - Date.now() <= 300 * 1000 + 2000);
	const put = await fetch(up.json.data.url, { method: 'PUT', body: bytes, headers: up.json.data.headers });
	assert.equal(put.status, 200, await put.text());
	const reg = await call('POST', `/api/focus/libraries/${lib.id}/tracks`,
		{ token: u.token, body: { track_title: 'Rain', r2_key: up.json.data.storage_key, duration_seconds: 1 } });
	assert.equal(reg.status, 200, reg.text);
	assert.equal(reg.json.data.size_bytes, bytes.length);
	// exactly the Track object of API.md
	assert.deepEqual(Object.keys(reg.json.data).sort(), ['added_at', 'download_url', 'duration_seconds', 'id',
		'library_id', 'mime_type', 'size_bytes', 'storage_key', 'track_title', 'track_url']);
	assert.equal(reg.json.data.track_url, null);
	assert.equal(reg.json.data.storage_key, up.json.data.storage_key);
	assert.ok((await fetchBytes(reg.json.data.download_url)).body.equals(bytes));
});

await test(`${tag} registering a key that was never uploaded is 422 and writes no row`, async () => {
	const u = newUser();
	const lib = await mkLib(u);
	const up = (await call('POST', `/api/focus/libraries/${lib.id}/tracks/upload-url`, { token: u.token, body: { filename: 'x.mp3', size_bytes: 10 } })).json.data;
	const r = await call('POST', `/api/focus/libraries/${lib.id}/tracks`, { token: u.token, body: { track_title: 'x', storage_key: up.storage_key } });
	assert.equal(r.status, 422, r.text);
	const nosize = await call('POST', `/api/focus/libraries/${lib.id}/tracks/upload-url`, { token: u.token, body: { filename: 'x.mp3' } });
	assert.equal(nosize.status, 422, 'size_bytes is required: the link is signed for it');
	assert.equal(trackRows(u), '0');
});

await test(`${tag} a key under another user's prefix is 422`, async () => {
	const u = newUser(), v = newUser();
	const lib = await mkLib(u);
	const key = `${v.id}/audio/00000000-0000-4000-8000-000000000000.mp3`;
	const r = await call('POST', `/api/focus/libraries/${lib.id}/tracks`, { token: u.token, body: { track_title: 'x', storage_key: key } });
	assert.equal(r.status, 422, r.text);
	const r2 = await call('POST', `/api/focus/libraries/${lib.id}/tracks`, { token: u.token, body: { track_title: 'x', storage_key: `${u.id}/audio/../../etc/passwd` } });
	assert.equal(r2.status, 422, r2.text);
	assert.equal(trackRows(u), '0');
});

await test(`${tag} a wrong MIME type is 415 and an oversized upload 413, storing nothing`, async () => {
	const u = newUser();
	const lib = await mkLib(u);
	const r = await call('PUT', `/api/focus/libraries/${lib.id}/tracks/upload?track_title=x`,
		{ token: u.token, body: Buffer.from('<html>'), headers: { 'Content-Type': 'text/html' } });
	assert.equal(r.status, 415, r.text);
	assert.equal(r.json.error, 'unsupported_media_type');
	const big = Buffer.alloc(50 * 1024 * 1024 + 1);
	const r2 = await call('PUT', `/api/focus/libraries/${lib.id}/tracks/upload?track_title=x`,
		{ token: u.token, body: big, headers: { 'Content-Type': 'audio/mpeg' } });
	assert.equal(r2.status, 413, r2.text);
	assert.equal(r2.json.error, 'payload_too_large');
	const r3 = await call('POST', `/api/focus/libraries/${lib.id}/tracks/upload-url`, { token: u.token, body: { filename: 'x', mime_type: 'video/mp4' } });
	assert.equal(r3.status, 422);
	const r4 = await call('POST', `/api/focus/libraries/${lib.id}/tracks/upload-url`, { token: u.token, body: { filename: 'x', size_bytes: 50 * 1024 * 1024 + 1 } });
	assert.equal(r4.status, 422);
	assert.equal(trackRows(u), '0');
});

if (backend === 'dir') {
	const secret = process.env.FOCUS_STORAGE_SECRET;
	const link = (method, key, expires) => `${origin}/api/storage/${key}?expires=${expires}&sig=${createHmac('sha256', secret).update(`${method}\n${key}\n${expires}`).digest('hex')}`;

	await test(`${tag} an expired or tampered download link is 403`, async () => {
		const u = newUser();
		const lib = await mkLib(u);
		const t = (await call('PUT', `/api/focus/libraries/${lib.id}/tracks/upload?track_title=x`, { token: u.token, body: wav(), headers: { 'Content-Type': 'audio/wav' } })).json.data;
		const past = Math.floor(Date.now() / 1000) - 10;
		assert.equal((await fetchBytes(link('GET', t.storage_key, past))).status, 403, 'expired');
		assert.equal((await fetchBytes(link('GET', t.storage_key, past + 3600))).status, 200, 'the same key signed for later works');
		assert.equal((await fetchBytes(t.download_url.replace(/sig=(.)/, (m, c) => `sig=${c === '0' ? '1' : '0'}`))).status, 403, 'tampered');
		assert.equal((await fetchBytes(t.download_url.replace(/expires=\d+/, 'expires=99999999999'))).status, 403, 'expiry moved');
		const put = await fetch(link('GET', t.storage_key, past + 3600), { method: 'PUT', body: wav(), headers: { 'Content-Type': 'audio/wav' } });
		assert.equal(put.status, 403, 'a GET signature does not allow PUT');
	});

	await test(`${tag} a download link serves byte ranges, so players can seek`, async () => {
		const u = newUser();
		const lib = await mkLib(u);
		const bytes = wav();
		const t = (await call('PUT', `/api/focus/libraries/${lib.id}/tracks/upload?track_title=x`, { token: u.token, body: bytes, headers: { 'Content-Type': 'audio/wav' } })).json.data;
		const mid = await fetch(t.download_url, { headers: { Range: 'bytes=10-19' } });
		assert.equal(mid.status, 206);
		assert.equal(mid.headers.get('content-range'), `bytes 10-19/${bytes.length}`);
		assert.ok(Buffer.from(await mid.arrayBuffer()).equals(bytes.subarray(10, 20)));
		const tail = await fetch(t.download_url, { headers: { Range: 'bytes=-5' } });
		assert.equal(tail.status, 206);
		assert.ok(Buffer.from(await tail.arrayBuffer()).equals(bytes.subarray(bytes.length - 5)));
		const past = await fetch(t.download_url, { headers: { Range: `bytes=${bytes.length}-` } });
		assert.equal(past.status, 416);
		const whole = await fetch(t.download_url);
		assert.equal(whole.headers.get('accept-ranges'), 'bytes');
		const none = await fetch(t.download_url, { headers: { Range: 'bytes=-0' } });
		assert.equal(none.status, 416, 'the last 0 bytes cannot be satisfied');
		assert.equal(none.headers.get('content-range'), `bytes */${bytes.length}`);
	});

	await test(`${tag} a signed upload stores at most its size, only its type, and only once`, async () => {
		const u = newUser();
		const lib = await mkLib(u);
		const bytes = wav();
		const up = (await call('POST', `/api/focus/libraries/${lib.id}/tracks/upload-url`, { token: u.token, body: { filename: 'a.wav', mime_type: 'audio/wav', size_bytes: bytes.length } })).json.data;
		assert.deepEqual(up.headers, { 'Content-Type': 'audio/wav', 'If-None-Match': '*' });
		const bigger = await fetch(up.url, { method: 'PUT', body: Buffer.concat([bytes, Buffer.alloc(1)]), headers: up.headers });
		assert.equal(bigger.status, 413, 'one byte more than declared');
		const other = await fetch(up.url, { method: 'PUT', body: bytes, headers: { 'Content-Type': 'audio/mpeg' } });
		assert.equal(other.status, 403, 'another type fails the signature');
		const raised = await fetch(up.url.replace(/size=\d+/, `size=${bytes.length + 1000}`), { method: 'PUT', body: bytes, headers: up.headers });
		assert.equal(raised.status, 403, 'the size cannot be raised');
		assert.equal((await fetch(up.url, { method: 'PUT', body: bytes, headers: up.headers })).status, 200);
		const replay = await fetch(up.url, { method: 'PUT', body: wav(), headers: up.headers });
		assert.equal(replay.status, 409, 'a link cannot overwrite');
		const reg = await call('POST', `/api/focus/libraries/${lib.id}/tracks`, { token: u.token, body: { track_title: 'a', storage_key: up.storage_key } });
		assert.equal(reg.status, 200, reg.text);
		assert.ok((await fetchBytes(reg.json.data.download_url)).body.equals(bytes), 'the first upload stays');
	});

	await test(`${tag} signed links never reach nginx's access or error log`, async () => {
		const u = newUser();
		const lib = await mkLib(u);
		const bytes = wav(2);     // above nginx's in-memory body buffer: it warns about the temporary file
		const up = (await call('POST', `/api/focus/libraries/${lib.id}/tracks/upload-url`, { token: u.token, body: { filename: 'a.wav', mime_type: 'audio/wav', size_bytes: bytes.length } })).json.data;
		assert.equal((await fetch(up.url, { method: 'PUT', body: bytes, headers: up.headers })).status, 200);
		const reg = (await call('POST', `/api/focus/libraries/${lib.id}/tracks`, { token: u.token, body: { track_title: 'a', storage_key: up.storage_key } })).json.data;
		assert.equal((await fetchBytes(reg.download_url)).status, 200);
		assert.equal((await fetch(reg.download_url.replace(/sig=(.)/, (m, c) => `sig=${c === '0' ? '1' : '0'}`))).status, 403);
		const sig = new URL(reg.download_url).searchParams.get('sig'), usig = new URL(up.url).searchParams.get('sig');
		const access = readFileSync(`${process.env.FOCUS_VAR}/log/nginx-access.log`, 'utf8');
		const errors = readFileSync(`${process.env.FOCUS_VAR}/log/nginx-error.log`, 'utf8');
		assert.ok(access.includes(`/api/storage/${up.storage_key}`), 'the requests were logged, by path');
		for (const [name, log] of [['access', access], ['error', errors]]) {
			assert.ok(!log.includes(sig) && !log.includes(usig), `no signature in the ${name} log`);
			assert.ok(!/[?&]sig=|X-Amz-Signature/.test(log), `no signed query in the ${name} log`);
		}
	});
} else {
	// s3rver checks no signature, so the signer's correctness is proven by
	// the published AWS vectors (t/check_sigv4.c); here, the link's shape.
	await test(`${tag} a download link is a SigV4 presigned GET valid for one hour`, async () => {
		const u = newUser();
		const lib = await mkLib(u);
		const t = (await call('PUT', `/api/focus/libraries/${lib.id}/tracks/upload?track_title=x`, { token: u.token, body: wav(), headers: { 'Content-Type': 'audio/wav' } })).json.data;
		const url = new URL(t.download_url);
		assert.equal(url.searchParams.get('X-Amz-Algorithm'), 'AWS4-HMAC-SHA256');
		assert.equal(url.searchParams.get('X-Amz-Expires'), '3600');
		assert.equal(url.searchParams.get('X-Amz-SignedHeaders'), 'host');
		assert.match(url.searchParams.get('X-Amz-Credential'), /^S3RVER\/\d{8}\/us-east-1\/s3\/aws4_request$/);
		assert.match(url.searchParams.get('X-Amz-Signature'), /^[0-9a-f]{64}$/);
		assert.equal(url.pathname, `/focus-test/${t.storage_key}`);
	});

	// s3rver checks neither signed headers nor If-None-Match (S3 and R2 do):
	// here, that the upload link signs them; the directory backend's suite
	// proves the refusals end to end.
	await test(`${tag} an upload link signs its Content-Length, Content-Type and If-None-Match`, async () => {
		const u = newUser();
		const lib = await mkLib(u);
		const up = (await call('POST', `/api/focus/libraries/${lib.id}/tracks/upload-url`, { token: u.token, body: { filename: 'a.wav', mime_type: 'audio/wav', size_bytes: 1234 } })).json.data;
		const url = new URL(up.url);
		assert.equal(url.searchParams.get('X-Amz-SignedHeaders'), 'content-length;content-type;host;if-none-match');
		assert.deepEqual(up.headers, { 'Content-Type': 'audio/wav', 'If-None-Match': '*' });
	});
}

await test(`${tag} deleting a track deletes its object; deleting a library deletes its tracks and objects`, async () => {
	const u = newUser();
	const lib = await mkLib(u);
	const put = () => call('PUT', `/api/focus/libraries/${lib.id}/tracks/upload?track_title=x`, { token: u.token, body: wav(), headers: { 'Content-Type': 'audio/wav' } });
	const t1 = (await put()).json.data, t2 = (await put()).json.data;
	const del = await call('DELETE', `/api/focus/libraries/${lib.id}/tracks/${t1.id}`, { token: u.token });
	assert.equal(del.status, 200, del.text);
	assert.deepEqual(del.json.data, { id: t1.id, deleted: true });
	assert.notEqual((await fetchBytes(t1.download_url)).status, 200, 'object gone');
	assert.equal((await call('DELETE', `/api/focus/libraries/${lib.id}/tracks/${t1.id}`, { token: u.token })).status, 404);
	const dl = await call('DELETE', `/api/focus/libraries/${lib.id}`, { token: u.token });
	assert.deepEqual(dl.json.data, { id: lib.id, deleted: true });
	assert.notEqual((await fetchBytes(t2.download_url)).status, 200, 'library objects gone');
	assert.equal(trackRows(u), '0');
	assert.equal((await call('GET', `/api/focus/libraries/${lib.id}`, { token: u.token })).status, 404);
});

await test(`${tag} tracks_count stays true under concurrent adds and deletes`, async () => {
	const u = newUser();
	const lib = await mkLib(u);
	const add = () => call('POST', `/api/focus/libraries/${lib.id}/tracks`, { token: u.token, body: { track_title: 't', track_url: 'https://example.com/a.mp3' } });
	const first = await Promise.all(Array.from({ length: 10 }, add));
	const dels = first.slice(0, 5).map((r) => call('DELETE', `/api/focus/libraries/${lib.id}/tracks/${r.json.data.id}`, { token: u.token }));
	await Promise.all([...dels, ...Array.from({ length: 10 }, add)]);
	const n = (await call('GET', `/api/focus/libraries/${lib.id}`, { token: u.token })).json.data.tracks_count;
	assert.equal(n, 15);
	assert.equal(Number(sql(`SELECT count(*) FROM focus_tracks WHERE library_id = '${lib.id}'`)), 15);
	// a linked track: its link is its download_url, it has no stored object
	assert.equal(first[9].json.data.download_url, 'https://example.com/a.mp3');
	assert.equal(first[9].json.data.storage_key, null);
	// the listing: every track, oldest first
	const tracks = (await call('GET', `/api/focus/libraries/${lib.id}/tracks`, { token: u.token })).json.data.tracks;
	assert.equal(tracks.length, 15);
	const added = tracks.map((t) => Date.parse(t.added_at));
	assert.deepEqual(added, [...added].sort((a, b) => a - b));
	assert.deepEqual(tracks.map((t) => t.download_url), tracks.map((t) => t.track_url));
});

await test(`${tag} focusctl storage orphans lists an object without a row, and --delete removes it`, async () => {
	const u = newUser();
	const lib = await mkLib(u);
	const bytes = wav();
	const up = (await call('POST', `/api/focus/libraries/${lib.id}/tracks/upload-url`, { token: u.token, body: { filename: 'o.wav', mime_type: 'audio/wav', size_bytes: bytes.length } })).json.data;
	assert.equal((await fetch(up.url, { method: 'PUT', body: bytes, headers: up.headers })).status, 200);
	// stored a moment ago and still registrable: never an orphan
	assert.doesNotMatch(focusctl('storage', 'orphans', '--delete'), new RegExp(up.storage_key));
	const reg = await call('POST', `/api/focus/libraries/${lib.id}/tracks`, { token: u.token, body: { track_title: 'o', storage_key: up.storage_key } });
	assert.equal(reg.status, 200, 'the key registers after orphans --delete ran');
	assert.ok((await fetchBytes(reg.json.data.download_url)).body.equals(bytes));
	// an object just stored under a key no row, not even a reservation,
	// points at: too young to be judged, so not listed (the minimum age)
	const fresh = `${u.id}/audio/${randomUUID()}.wav`;
	if (backend === 'dir') {
		const path = `${process.env.FOCUS_STORAGE_DIR}/${fresh}`;
		mkdirSync(path.slice(0, path.lastIndexOf('/')), { recursive: true });
		writeFileSync(path, wav());
	} else {
		// s3rver checks no signature: a plain PUT stores it
		const r = await fetch(`http://127.0.0.1:${process.env.FOCUS_S3_PORT}/focus-test/${fresh}`, { method: 'PUT', body: wav() });
		assert.equal(r.status, 200);
	}
	assert.doesNotMatch(focusctl('storage', 'orphans', '--delete'), new RegExp(fresh));
	if (backend === 'dir') {
		assert.ok(readFileSync(`${process.env.FOCUS_STORAGE_DIR}/${fresh}`).length > 0, 'still there');
		// an object stored long ago under a key no row points at
		const key = `${u.id}/audio/${randomUUID()}.wav`;
		const path = `${process.env.FOCUS_STORAGE_DIR}/${key}`;
		mkdirSync(path.slice(0, path.lastIndexOf('/')), { recursive: true });
		writeFileSync(path, wav());
		const old = Date.now() / 1000 - 3 * 24 * 3600;
		utimesSync(path, old, old);
		assert.match(focusctl('storage', 'orphans'), new RegExp(key));
		assert.match(focusctl('storage', 'orphans', '--delete'), new RegExp(`${key}\\t\\d+\\tdeleted`));
		assert.doesNotMatch(focusctl('storage', 'orphans'), new RegExp(key));
	}
});

const focusctlAsync = (...args) => new Promise((resolve, reject) =>
	execFile(process.env.FOCUSCTL, args, { env: process.env }, (err, out) => (err ? reject(err) : resolve(out))));

await test(`${tag} orphans --delete running again and again during uploads loses no acknowledged track`, async () => {
	const u = newUser();
	const lib = await mkLib(u);
	const acked = [];
	let uploading = true, sweeps = 0;
	const sweeper = (async () => {
		while (uploading) {
			await focusctlAsync('storage', 'orphans', '--delete');
			sweeps++;
		}
	})();
	const direct = async (i) => {
		const bytes = wav(0.1 + i / 100);
		const r = await call('PUT', `/api/focus/libraries/${lib.id}/tracks/upload?track_title=d${i}`, { token: u.token, body: bytes, headers: { 'Content-Type': 'audio/wav' } });
		if (r.status === 200) acked.push({ id: r.json.data.id, bytes });
	};
	const signed = async (i) => {
		const bytes = wav(0.1 + i / 100);
		const up = await call('POST', `/api/focus/libraries/${lib.id}/tracks/upload-url`, { token: u.token, body: { filename: 's.wav', mime_type: 'audio/wav', size_bytes: bytes.length } });
		if (up.status !== 200) return;
		const put = await fetch(up.json.data.url, { method: 'PUT', body: bytes, headers: up.json.data.headers });
		await put.arrayBuffer();
		if (put.status !== 200) return;
		const reg = await call('POST', `/api/focus/libraries/${lib.id}/tracks`, { token: u.token, body: { track_title: `s${i}`, storage_key: up.json.data.storage_key } });
		if (reg.status === 200) acked.push({ id: reg.json.data.id, bytes });
	};
	for (let round = 0; round < 6; round++)
		await Promise.all([0, 1, 2].flatMap((j) => [direct(round * 3 + j), signed(round * 3 + j)]));
	uploading = false;
	await sweeper;
	assert.ok(sweeps >= 1, 'the sweeper ran');
	assert.equal(acked.length, 36, 'every upload was acknowledged');
	const tracks = (await call('GET', `/api/focus/libraries/${lib.id}/tracks`, { token: u.token })).json.data.tracks;
	const byId = new Map(tracks.map((t) => [t.id, t]));
	for (const a of acked) {
		const t = byId.get(a.id);
		assert.ok(t, `track ${a.id} is listed`);
		const got = await fetchBytes(t.download_url);
		assert.equal(got.status, 200, `track ${a.id} downloads`);
		assert.ok(got.body.equals(a.bytes), `track ${a.id} byte for byte`);
	}
});

await test(`${tag} registering a key a second time is 409 and the first track keeps its audio`, async () => {
	const u = newUser();
	const lib = await mkLib(u);
	const bytes = wav();
	const up = (await call('POST', `/api/focus/libraries/${lib.id}/tracks/upload-url`, { token: u.token, body: { filename: 'a.wav', mime_type: 'audio/wav', size_bytes: bytes.length } })).json.data;
	assert.equal((await fetch(up.url, { method: 'PUT', body: bytes, headers: up.headers })).status, 200);
	const first = await call('POST', `/api/focus/libraries/${lib.id}/tracks`, { token: u.token, body: { track_title: 'a', storage_key: up.storage_key } });
	assert.equal(first.status, 200, first.text);
	const again = await call('POST', `/api/focus/libraries/${lib.id}/tracks`, { token: u.token, body: { track_title: 'b', storage_key: up.storage_key } });
	assert.equal(again.status, 409, again.text);
	assert.equal(again.json.error, 'conflict');
	const lib2 = await mkLib(u, { name: 'Other' });
	const other = await call('POST', `/api/focus/libraries/${lib2.id}/tracks`, { token: u.token, body: { track_title: 'c', storage_key: up.storage_key } });
	assert.equal(other.status, 409, 'in another library of the same user too');
	assert.equal(trackRows(u), '1');
	const got = await fetchBytes(first.json.data.download_url);
	assert.equal(got.status, 200);
	assert.ok(got.body.equals(bytes), 'the object is untouched');
});

await test(`${tag} registrations of one key racing: one track, every other racer 409, none 422`, async () => {
	const u = newUser();
	const lib = await mkLib(u);
	const bytes = wav();
	const up = (await call('POST', `/api/focus/libraries/${lib.id}/tracks/upload-url`, { token: u.token, body: { filename: 'a.wav', mime_type: 'audio/wav', size_bytes: bytes.length } })).json.data;
	assert.equal((await fetch(up.url, { method: 'PUT', body: bytes, headers: up.headers })).status, 200);
	// The race made certain: a transaction of ours holds the reservation's
	// row while the registrations arrive, so that each storage worker's
	// statement is under way (waiting on a lock) before any commits; then
	// it lets go.
	const holder = spawn('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', process.env.FOCUS_DB], { stdio: ['pipe', 'pipe', 'inherit'] });
	const exited = new Promise((r) => holder.on('exit', r));
	try {
		holder.stdin.write(`BEGIN; SELECT 1 FROM storage_uploads WHERE storage_key = '${up.storage_key}' FOR UPDATE; \\echo held\n`);
		let out = '';
		holder.stdout.on('data', (d) => { out += d; });
		await until(() => /held/.test(out), 10000, 'the reservation held');
		const racers = Array.from({ length: 4 }, (_, i) => call('POST', `/api/focus/libraries/${lib.id}/tracks`,
			{ token: u.token, body: { track_title: `r${i}`, storage_key: up.storage_key } }));
		// both storage workers' registrations in the database, waiting
		await until(() => Number(sql(`SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'
			AND query LIKE '%focus_tracks%' AND pid <> pg_backend_pid()`)) >= 2, 10000, 'two registrations waiting');
		holder.stdin.end('COMMIT;\n');
		await exited;
		const rs = await Promise.all(racers);
		const codes = rs.map((r) => r.status).sort();
		assert.deepEqual(codes, [200, 409, 409, 409], rs.map((r) => `${r.status} ${r.text}`).join(' | '));
		for (const r of rs.filter((x) => x.status === 409)) assert.equal(r.json.error, 'conflict');
	} finally {
		holder.kill();
	}
	assert.equal(trackRows(u), '1');
	assert.equal(sql(`SELECT count(*) FROM storage_uploads WHERE storage_key = '${up.storage_key}'`), '0', 'the reservation consumed');
	const list = (await call('GET', `/api/focus/libraries/${lib.id}/tracks`, { token: u.token })).json.data.tracks;
	assert.ok((await fetchBytes(list[0].download_url)).body.equals(bytes), 'the track keeps its audio');
});

await test(`${tag} the storage quota counts pending uploads, also when they race: 413 in the envelope`, async () => {
	const u = newUser();
	const lib = await mkLib(u);
	const quota = Number(process.env.FOCUS_STORAGE_QUOTA_MB || 1024) * 1024 * 1024, each = 50 * 1024 * 1024;
	const fit = Math.floor(quota / each);
	const rs = await Promise.all(Array.from({ length: fit + 5 }, () => call('POST', `/api/focus/libraries/${lib.id}/tracks/upload-url`,
		{ token: u.token, body: { filename: 'big.mp3', size_bytes: each } })));
	const ok = rs.filter((r) => r.status === 200).length;
	assert.equal(ok, fit, 'exactly as many reservations as fit');
	for (const r of rs.filter((x) => x.status !== 200)) {
		assert.equal(r.status, 413, r.text);
		assert.equal(r.json.error, 'payload_too_large');
	}
	assert.ok(Number(sql(`SELECT sum(size_bytes) FROM storage_uploads WHERE user_id = '${u.id}'`)) <= quota);
	const left = quota - fit * each;
	if (left > 0) {
		const over = await call('POST', `/api/focus/libraries/${lib.id}/tracks/upload-url`, { token: u.token, body: { filename: 'x.mp3', size_bytes: left + 1 } });
		assert.equal(over.status, 413, 'one byte over what is left');
	}
	// the direct upload route counts against the same quota
	const r = await call('PUT', `/api/focus/libraries/${lib.id}/tracks/upload?track_title=x`, { token: u.token, body: wav(), headers: { 'Content-Type': 'audio/wav' } });
	if (quota - fit * each < wav().length) assert.equal(r.status, 413, r.text);
	assert.equal(trackRows(u), quota - fit * each < wav().length ? '0' : '1');
});

if (backend === 'dir') {
	await test(`${tag} a direct upload that fails to store gives its quota back at once: the retry fits`, async () => {
		const u = newUser();
		const lib = await mkLib(u);
		const bytes = wav();
		// the quota filled by reservations (signed links) but for this one upload
		const quota = Number(process.env.FOCUS_STORAGE_QUOTA_MB || 1024) * 1024 * 1024, each = 50 * 1024 * 1024;
		let left = quota - bytes.length;
		while (left > 0) {
			const size = Math.min(each, left);
			const r = await call('POST', `/api/focus/libraries/${lib.id}/tracks/upload-url`, { token: u.token, body: { filename: 'f.mp3', size_bytes: size } });
			assert.equal(r.status, 200, r.text);
			left -= size;
		}
		const direct = () => call('PUT', `/api/focus/libraries/${lib.id}/tracks/upload?track_title=x`,
			{ token: u.token, body: bytes, headers: { 'Content-Type': 'audio/wav' } });
		// storing fails: a file where the user's directory would be
		const blocker = `${process.env.FOCUS_STORAGE_DIR}/${u.id}`;
		writeFileSync(blocker, '');
		try {
			const failed = await direct();
			assert.equal(failed.status, 502, failed.text);
			assert.equal(failed.json.error, 'storage_error');
		} finally {
			rmSync(blocker);
		}
		assert.equal(sql(`SELECT sum(size_bytes) FROM storage_uploads WHERE user_id = '${u.id}'`), String(quota - bytes.length),
			'the failed upload holds no reservation');
		const retry = await direct();
		assert.equal(retry.status, 200, `the retry fits the quota: ${retry.text}`);
		assert.equal(trackRows(u), '1');
	});
}

if (backend === 's3') {
	await test(`${tag} with the S3 server down uploads are 502 with one storage_error line each and no rows`, async () => {
		const u = newUser();
		const lib = await mkLib(u);
		process.kill(Number(process.env.FOCUS_S3_PID));
		// bounded wait for the port to close
		for (let i = 0; i < 100; i++) {
			try { await fetch(`http://127.0.0.1:${process.env.FOCUS_S3_PORT}/`); } catch { break; }
			await new Promise((r) => setTimeout(r, 50));
		}
		const before = storageErrors();
		const r = await call('PUT', `/api/focus/libraries/${lib.id}/tracks/upload?track_title=x`, { token: u.token, body: wav(), headers: { 'Content-Type': 'audio/wav' } });
		assert.equal(r.status, 502, r.text);
		assert.equal(r.json.error, 'storage_error');
		const up = (await call('POST', `/api/focus/libraries/${lib.id}/tracks/upload-url`, { token: u.token, body: { filename: 'x.mp3', size_bytes: 10 } })).json.data;
		const reg = await call('POST', `/api/focus/libraries/${lib.id}/tracks`, { token: u.token, body: { track_title: 'x', storage_key: up.storage_key } });
		assert.equal(reg.status, 502, reg.text);
		assert.equal(storageErrors() - before, 2, 'one storage_error line per failure');
		assert.equal(trackRows(u), '0');
		// the failed direct upload gave its reservation back; the signed link's stays
		assert.equal(sql(`SELECT count(*) FROM storage_uploads WHERE user_id = '${u.id}'`), '1');
		const log = readFileSync(`${process.env.FOCUS_VAR}/log/focus.log`, 'utf8');
		assert.ok(!log.includes(process.env.FOCUS_S3_SECRET_KEY + '"') && !/X-Amz-Signature=[0-9a-f]{64}/.test(log), 'no secret or signature logged');
	});
}
