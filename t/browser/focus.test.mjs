// Browser test of the focus page against the running stack.
//
//   FOCUS_BASE_URL=http://127.0.0.1:8080 FOCUS_TEST_NAME=... FOCUS_TEST_PASSWORD=... \
//     node t/browser/focus.test.mjs
//
// Drives Debian's headless Chromium (/usr/bin/chromium, or FOCUS_CHROMIUM) with
// playwright-core. Prints one line per step, "ok N - ..." or "not ok N - ...: reason",
// then "N passed, N failed"; exits 1 when a step failed. A failing step leaves a
// screenshot in t/browser/screenshots/.
import { chromium } from 'playwright-core';
import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const SHOTS = join(HERE, 'screenshots');
const BASE = (process.env.FOCUS_BASE_URL || '').replace(/\/+$/, '');
const NAME = process.env.FOCUS_TEST_NAME || '';
const PASSWORD = process.env.FOCUS_TEST_PASSWORD || '';
const CHROMIUM = process.env.FOCUS_CHROMIUM || '/usr/bin/chromium';
const STEP_TIMEOUT_MS = 30_000; // the bound on any one step
const WAIT_MS = 10_000;         // the bound on any one condition

// ---- tiny runner ---------------------------------------------------------------

const steps = [];
const step = (sentence, fn) => steps.push({ sentence, fn });

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms / 1000} s`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

const oneLine = (err) => String(err && err.message ? err.message : err)
  .split('\n').map((l) => l.trim()).filter(Boolean).slice(0, 3).join(' | ');

function check(cond, message) { if (!cond) throw new Error(message); }

// ---- helpers -------------------------------------------------------------------

// "MM:SS" or "H:MM:SS" to seconds.
function parseClock(text) {
  const m = /^\s*(?:(\d+):)?(\d{1,2}):(\d{2})\s*$/.exec(text || '');
  return m ? Number(m[1] || 0) * 3600 + Number(m[2]) * 60 + Number(m[3]) : null;
}

// A valid WAV: 1 s of a 440 Hz sine, 8 kHz mono 16-bit PCM.
function sineWav({ seconds = 1, rate = 8000, freq = 440 } = {}) {
  const samples = Math.round(seconds * rate);
  const dataBytes = samples * 2;
  const buf = Buffer.alloc(44 + dataBytes);
  buf.write('RIFF', 0, 'ascii');
  buf.writeUInt32LE(36 + dataBytes, 4);
  buf.write('WAVE', 8, 'ascii');
  buf.write('fmt ', 12, 'ascii');
  buf.writeUInt32LE(16, 16);       // fmt chunk size
  buf.writeUInt16LE(1, 20);        // PCM
  buf.writeUInt16LE(1, 22);        // mono
  buf.writeUInt32LE(rate, 24);
  buf.writeUInt32LE(rate * 2, 28); // byte rate
  buf.writeUInt16LE(2, 32);        // block align
  buf.writeUInt16LE(16, 34);       // bits per sample
  buf.write('data', 36, 'ascii');
  buf.writeUInt32LE(dataBytes, 40);
  for (let i = 0; i < samples; i++) {
    const v = Math.round(Math.sin(2 * Math.PI * freq * i / rate) * 0.5 * 32767);
    buf.writeInt16LE(v, 44 + i * 2);
  }
  return buf;
}

// ---- the steps -----------------------------------------------------------------

const stamp = new Date().toISOString().replace(/[-:.TZ]/g, '').slice(0, 14);
const LIBRARY = `Browser test ${stamp}`;
const TRACK = `Sine ${stamp}`;
let page;
let completedId = null;
let pausedAt = null;

const byRole = (role, name, opts = {}) => page.getByRole(role, { name, ...opts });
const button = (name) => byRole('button', name, { exact: true });
const timerText = async () => (await page.getByRole('timer').textContent()).trim();

async function timerSeconds() {
  const text = await timerText();
  const secs = parseClock(text);
  check(secs !== null, `the timer shows "${text}", not MM:SS or H:MM:SS`);
  return secs;
}

step('the page at / shows the sign-in form', async () => {
  await page.goto(BASE + '/', { waitUntil: 'domcontentloaded' });
  await page.getByLabel('Name', { exact: true }).waitFor();
  await page.getByLabel('Password', { exact: true }).waitFor();
  await button('Sign in').waitFor();
});

step('a wrong password is refused on the page, and the sign-in form stays', async () => {
  await page.getByLabel('Name', { exact: true }).fill(NAME);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD + '-wrong');
  await button('Sign in').click();
  await page.getByText('Wrong name or password.').waitFor();
  check(await page.getByLabel('Password', { exact: true }).inputValue() === '',
    'the password field is cleared after a refused sign-in');
  check(!(await button('Sign out').isVisible()), 'no Sign out button after a refused sign-in');
});

step('signing in shows the timer and a Sign out button', async () => {
  await page.getByLabel('Name', { exact: true }).fill(NAME);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await button('Sign in').click();
  await button('Sign out').waitFor();
  await page.getByRole('timer').waitFor();
  // A session left running by an earlier run is abandoned first.
  await button('Start').or(button('Abandon')).first().waitFor();
  if (await button('Abandon').isVisible()) {
    await button('Abandon').click();
    await button('Start').waitFor();
  }
});

step('starting a focus session shows a running countdown', async () => {
  await byRole('radio', 'Focus', { exact: true }).check();
  await byRole('radio', '25 min', { exact: true }).check();
  await button('Start').click();
  await button('Pause').waitFor();
  await button('Complete').waitFor();
  await button('Abandon').waitFor();
  const secs = await timerSeconds();
  check(secs > 0 && secs <= 1500, `the countdown shows ${secs} s for a 25 min session`);
});

step('the countdown goes down', async () => {
  const first = await timerSeconds();
  await page.waitForFunction((t0) => {
    const m = /^\s*(?:(\d+):)?(\d{1,2}):(\d{2})\s*$/.exec(
      document.querySelector('[role="timer"]').textContent);
    return m && (Number(m[1] || 0) * 3600 + Number(m[2]) * 60 + Number(m[3])) < t0;
  }, first, { timeout: WAIT_MS, polling: 100 });
});

step('pausing holds the countdown still for 2 s', async () => {
  await button('Pause').click();
  await button('Resume').waitFor();
  pausedAt = await timerSeconds();
  await page.waitForTimeout(2000); // the one deliberate wait: stay paused for 2 s
  const later = await timerSeconds();
  check(later === pausedAt, `paused at ${pausedAt} s but showed ${later} s 2 s later`);
});

step('resuming continues with the remaining time it had', async () => {
  check(pausedAt !== null, 'nothing was paused');
  await button('Resume').click();
  await button('Pause').waitFor();
  const resumed = await timerSeconds();
  check(Math.abs(resumed - pausedAt) <= 1,
    `paused with ${pausedAt} s left, resumed with ${resumed} s`);
});

step('a pause made in another tab shows here, and resuming here continues', async () => {
  const other = await page.context().newPage();
  try {
    other.setDefaultTimeout(WAIT_MS);
    await other.goto(BASE + '/', { waitUntil: 'domcontentloaded' });
    await other.getByRole('button', { name: 'Pause', exact: true }).click();
    await other.getByRole('button', { name: 'Resume', exact: true }).waitFor();
    const there = parseClock((await other.getByRole('timer').textContent()).trim());
    // This tab re-reads /api/focus/active every few seconds while visible.
    await button('Resume').waitFor({ timeout: 15_000 });
    const here = await timerSeconds();
    check(Math.abs(here - there) <= 1, `the other tab paused at ${there} s, this one shows ${here} s`);
  } finally {
    await other.close();
  }
  await page.bringToFront();
  await button('Resume').click();
  await button('Pause').waitFor();
});

step('completing shows the XP reward, coins, level and streak', async () => {
  const answer = page.waitForResponse(
    (r) => /^\/api\/focus\/[^/]+\/complete$/.test(new URL(r.url()).pathname),
    { timeout: WAIT_MS });
  await button('Complete').click();
  const res = await answer;
  check(res.status() === 200, `POST .../complete answered ${res.status()}`);
  const body = await res.json();
  completedId = body.data.session.id;
  const box = byRole('status', 'Reward', { exact: true });
  const reward = box.getByText(/^\+\d+ XP$/);
  await reward.waitFor();
  const xp = (await reward.textContent()).trim();
  check(xp === `+${body.data.xp_awarded} XP`, `shows "${xp}", the server awarded ${body.data.xp_awarded}`);
  await box.getByText(`+${body.data.coins_awarded} coin`).waitFor();
  await box.getByText(new RegExp(`level ${body.data.new_level}\\b`, 'i')).waitFor();
  await box.getByText(`Streak: ${body.data.streak.current} day`).waitFor();
  await button('Start').waitFor();
});

step('the History list shows the session as completed', async () => {
  check(completedId, 'no session was completed');
  const item = byRole('list', 'History').locator(`li[data-id="${completedId}"]`);
  await item.filter({ hasText: 'completed' }).waitFor();
});

step('the stats show day, week, month and all time', async () => {
  for (const col of ['Day', 'Week', 'Month', 'All time']) {
    await byRole('columnheader', col, { exact: true }).waitFor();
  }
  await page.waitForFunction(() => {
    const cell = document.querySelector('td[data-period="all"][data-stat="completed_sessions"]');
    return cell && Number(cell.textContent) >= 1;
  }, null, { timeout: WAIT_MS, polling: 100 });
});

step('at 00:00 the server completes the session; the page offers the next phase, never Pause', async () => {
  // a 2-second session, started through the API from the page (the form's
  // shortest is a minute), then shown by a reload
  const started = await page.evaluate(async () => (await fetch('/api/focus', {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ mode: 'focus', duration_seconds: 2 }) })).status);
  check(started === 200, `POST /api/focus answered ${started}`);
  await page.reload({ waitUntil: 'domcontentloaded' });
  const next = page.getByRole('button', { name: /^Start break/ });
  await next.waitFor({ timeout: 15_000 });
  check(!(await button('Pause').isVisible()), 'Pause is offered on a finished timer');
  await next.click();
  await button('Pause').waitFor();
  check(/break/i.test(await page.locator('#timer-state').textContent()), 'the break runs');
  await button('Abandon').click();
  await button('Start').waitFor();
});

step('creating a library lists and selects it', async () => {
  await page.getByLabel('Library name', { exact: true }).fill(LIBRARY);
  await button('New library').click();
  await byRole('list', 'Libraries').getByRole('button', { name: LIBRARY, exact: true }).waitFor();
  await byRole('heading', LIBRARY, { exact: true }).waitFor();
});

step('uploading a generated WAV shows progress and lists the track', async () => {
  await page.getByLabel('Audio file', { exact: true }).setInputFiles({
    name: `sine-${stamp}.wav`, mimeType: 'audio/wav', buffer: sineWav(),
  });
  await page.getByLabel('Track title (optional)').fill(TRACK);
  const answer = page.waitForResponse(
    (r) => r.request().method() === 'PUT' && new URL(r.url()).pathname.endsWith('/tracks/upload'),
    { timeout: WAIT_MS });
  await button('Upload').click();
  const res = await answer;
  check(res.status() === 200, `the upload answered ${res.status()}: ${(await res.text()).slice(0, 200)}`);
  const tracks = byRole('list', 'Tracks');
  await tracks.getByRole('listitem').filter({ has: byRole('heading', TRACK, { exact: true }) }).waitFor();
  const value = await byRole('progressbar', 'Upload progress').evaluate((el) => el.value);
  check(value === 100, `the progress bar ended at ${value}`);
});

step('the uploaded track plays in the audio element', async () => {
  await button(`Play ${TRACK}`).click();
  await page.waitForFunction(() => {
    const a = document.querySelector('audio');
    return a && a.readyState >= 1;
  }, null, { timeout: 15_000, polling: 100 }).catch(async (err) => {
    const st = await page.evaluate(() => {
      const a = document.querySelector('audio');
      return a ? { src: a.currentSrc, readyState: a.readyState, error: a.error && a.error.code } : null;
    });
    throw new Error(`the audio element never loaded its metadata: ${JSON.stringify(st)}; ${oneLine(err)}`);
  });
  const audio = await page.evaluate(() => {
    const a = document.querySelector('audio');
    return { preload: a.getAttribute('preload'), src: a.getAttribute('src'), duration: a.duration };
  });
  check(audio.preload === 'metadata', `preload is "${audio.preload}"`);
  check(audio.src, 'the audio element has no src');
  check(audio.duration > 0, `the track's duration is ${audio.duration}`);
});

step('the page fits a phone-width screen', async () => {
  const before = page.viewportSize();
  await page.setViewportSize({ width: 360, height: 740 });
  try {
    const overflow = await page.evaluate(() =>
      document.documentElement.scrollWidth - document.documentElement.clientWidth);
    check(overflow <= 1, `the page is ${overflow} px wider than a 360 px screen`);
    await button('Start').waitFor();
    await page.getByRole('timer').waitFor();
    await button(`Play ${TRACK}`).waitFor();
  } finally {
    await page.setViewportSize(before);
  }
});

step('deleting the track and the library removes them', async () => {
  await button(`Delete track ${TRACK}`).click();
  await byRole('heading', TRACK, { exact: true }).waitFor({ state: 'detached' });
  page.once('dialog', (d) => d.accept());
  await button(`Delete library ${LIBRARY}`).click();
  await byRole('list', 'Libraries').getByRole('button', { name: LIBRARY, exact: true })
    .waitFor({ state: 'detached' });
});

step('signing out returns to the sign-in form, also after a reload', async () => {
  await button('Sign out').click();
  await page.getByLabel('Name', { exact: true }).waitFor();
  await button('Sign in').waitFor();
  await page.reload({ waitUntil: 'domcontentloaded' });
  await page.getByLabel('Password', { exact: true }).waitFor();
  check(!(await button('Sign out').isVisible()), 'Sign out is still offered after a reload');
});

step('a session that ends on the server (401) returns to sign-in', async () => {
  await page.getByLabel('Name', { exact: true }).fill(NAME);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await button('Sign in').click();
  await button('Sign out').waitFor();
  const context = page.context();
  const cookies = await context.cookies(BASE);
  await context.clearCookies();
  try {
    // The next re-read of /api/focus/active (every few seconds) answers 401.
    await page.getByLabel('Password', { exact: true }).waitFor({ timeout: 15_000 });
    await page.getByText(/sign in again/i).waitFor();
  } finally {
    // Sign the dropped session out on the server too.
    await context.addCookies(cookies);
    await context.request.post(BASE + '/api/auth/logout', { headers: { Origin: BASE } }).catch(() => {});
    await context.clearCookies();
  }
});

// ---- main ----------------------------------------------------------------------

async function main() {
  const missing = [['FOCUS_BASE_URL', BASE], ['FOCUS_TEST_NAME', NAME], ['FOCUS_TEST_PASSWORD', PASSWORD]]
    .filter(([, v]) => !v).map(([k]) => k);
  if (missing.length) {
    console.log(`not ok 1 - the test is configured: ${missing.join(', ')} not set`);
    console.log('0 passed, 1 failed');
    return 1;
  }

  const userDataDir = await mkdtemp(join(tmpdir(), 'focus-chromium-'));
  let context;
  let passed = 0;
  let failed = 0;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1280, height: 900 },
      timeout: 30_000,
    });
  } catch (err) {
    console.log(`not ok 1 - Chromium starts: ${oneLine(err)}`);
    console.log('0 passed, 1 failed');
    await rm(userDataDir, { recursive: true, force: true });
    return 1;
  }

  try {
    page = context.pages()[0] || await context.newPage();
    page.setDefaultTimeout(WAIT_MS);
    page.on('pageerror', (err) => console.log(`# page error: ${oneLine(err)}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error' && !/status of 401/.test(msg.text())) {
        console.log(`# console error: ${msg.text()}`);
      }
    });
    page.on('response', (r) => {
      const path = new URL(r.url()).pathname;
      if (r.status() >= 400 && path.startsWith('/api/') &&
          !(r.status() === 401 && path === '/api/auth/me')) {
        console.log(`# ${r.request().method()} ${path} answered ${r.status()}`);
      }
    });

    let broken = null; // the first failed step: later steps depend on it
    for (const [i, s] of steps.entries()) {
      const n = i + 1;
      if (broken !== null) {
        failed++;
        console.log(`not ok ${n} - ${s.sentence}: not run, step ${broken} failed`);
        continue;
      }
      try {
        await withTimeout(s.fn(), STEP_TIMEOUT_MS, 'the step');
        passed++;
        console.log(`ok ${n} - ${s.sentence}`);
      } catch (err) {
        failed++;
        // Nothing after a failed sign-in can run; later failures are independent
        // enough to let the remaining steps try.
        if (n <= 2) broken = n;
        console.log(`not ok ${n} - ${s.sentence}: ${oneLine(err)}`);
        try {
          await mkdir(SHOTS, { recursive: true });
          const slug = s.sentence.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60);
          const file = join(SHOTS, `${String(n).padStart(2, '0')}-${slug}.png`);
          await page.screenshot({ path: file, fullPage: true, timeout: 10_000 });
          console.log(`# screenshot: ${file}`);
        } catch (shotErr) {
          console.log(`# no screenshot: ${oneLine(shotErr)}`);
        }
      }
    }
  } finally {
    await context.close().catch(() => {});
    await rm(userDataDir, { recursive: true, force: true });
  }
  console.log(`${passed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}

main().then((code) => process.exit(code), (err) => {
  console.log(`not ok 1 - the test runs: ${oneLine(err)}`);
  console.log('0 passed, 1 failed');
  process.exit(1);
});
