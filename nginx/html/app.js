// The focus page: sign-in, the timer, history and stats, focus music.
import { get, post, del, onApiError } from './api.js';
import { Countdown, formatRemaining } from './timer.js';
import { createHistory, createStats } from './history.js';
import { createMusic } from './music.js';
import { h, modeLabel, plural } from './util.js';

const LOGIN_PATH = '/api/auth/login';
const POLL_MS = 5000;
const DEFAULT_MINUTES = { focus: 25, break: 5, long_break: 15 };

const mainEl = document.getElementById('main');
const messageEl = document.getElementById('message');
const statusEl = document.getElementById('status');
const bannerEl = document.getElementById('unavailable');
const whoamiEl = document.getElementById('whoami');
const userNameEl = document.getElementById('user-name');
const signOutBtn = document.getElementById('sign-out');

let view = null;        // null (booting), 'signin' or 'app'
let appCtl = null;      // the signed-in view's controller
let retryTimer = null;  // pending recovery after a 503 or a network failure
let bannerTimer = null;

// ---- messages ----------------------------------------------------------------

let statusTimer = null;

// Errors stay until the next action; confirmations fade after a few seconds.
function announce(text, isError = false) {
  clearTimeout(statusTimer);
  if (isError) {
    messageEl.textContent = text;
    statusEl.textContent = '';
  } else {
    statusEl.textContent = text;
    messageEl.textContent = '';
    statusTimer = setTimeout(() => { statusEl.textContent = ''; }, 8000);
  }
}

function clearMessages() {
  clearTimeout(statusTimer);
  messageEl.textContent = '';
  statusEl.textContent = '';
}

const isUnavailable = (err) => err && (err.status === 503 || err.kind === 'network');

// Errors from any request: 401 and 503/network are handled centrally (see
// onApiError below); everything else is shown in words from the response.
function report(err) {
  if (!err) return;
  if (err.status === 401 || isUnavailable(err)) return;
  if (err.name !== 'ApiError') console.error(err);
  announce(err.message || 'Something went wrong.', true);
}

// ---- 401 and 503 ---------------------------------------------------------------

onApiError((err, path) => {
  if (err.status === 401 && path !== LOGIN_PATH) {
    if (view === 'app') showSignIn('Your session has ended. Please sign in again.', true);
    return;
  }
  if (isUnavailable(err)) serviceUnavailable(err);
});

function serviceUnavailable(err) {
  if (retryTimer !== null) return;
  const ra = err.retryAfter;
  const wait = Math.min(60, Math.max(2, Number.isFinite(ra) && ra !== null ? ra : 5));
  const until = Date.now() + wait * 1000;
  const what = err.status === 503
    ? 'The service is unavailable right now.'
    : 'The service cannot be reached.';
  const draw = () => {
    const left = Math.max(0, Math.ceil((until - Date.now()) / 1000));
    bannerEl.textContent = left > 0 ? `${what} Retrying in ${left} s…` : `${what} Retrying…`;
  };
  bannerEl.hidden = false;
  document.body.classList.add('offline');
  draw();
  clearInterval(bannerTimer);
  bannerTimer = setInterval(draw, 1000);
  retryTimer = setTimeout(recover, wait * 1000);
}

async function recover() {
  retryTimer = null;
  clearInterval(bannerTimer);
  bannerEl.textContent = 'Retrying…';
  let user = null;
  try {
    user = (await get('/api/auth/me')).user;
  } catch (err) {
    if (isUnavailable(err)) return; // the listener has scheduled the next try
    if (err.status !== 401) { serviceBack(); report(err); return; }
  }
  serviceBack();
  if (view === 'app' && user) appCtl.refreshAll();
  else if (view !== 'signin') user ? showApp(user) : showSignIn();
}

function serviceBack() {
  bannerEl.hidden = true;
  bannerEl.textContent = '';
  document.body.classList.remove('offline');
}

// ---- views -----------------------------------------------------------------------

function mount(templateId) {
  if (appCtl) { appCtl.destroy(); appCtl = null; }
  const frag = document.getElementById(templateId).content.cloneNode(true);
  mainEl.replaceChildren(frag);
}

function showSignIn(message, isError = false) {
  mount('tpl-signin');
  view = 'signin';
  whoamiEl.hidden = true;
  userNameEl.textContent = '';
  document.title = 'Sign in · Focus';
  if (message) announce(message, isError); else clearMessages();

  const form = document.getElementById('signin-form');
  const nameIn = document.getElementById('signin-name');
  const passIn = document.getElementById('signin-password');
  const errEl = document.getElementById('signin-error');
  const button = form.querySelector('button[type=submit]');

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    errEl.textContent = '';
    const name = nameIn.value.trim();
    if (!name || !passIn.value) {
      errEl.textContent = 'Enter your name and password.';
      (name ? passIn : nameIn).focus();
      return;
    }
    button.disabled = true;
    try {
      const data = await post(LOGIN_PATH, { name, password: passIn.value });
      showApp(data.user);
    } catch (err) {
      passIn.value = '';
      if (!isUnavailable(err)) errEl.textContent = err.message;
      passIn.focus();
      button.disabled = false;
    }
  });
  nameIn.focus();
}

function showApp(user) {
  mount('tpl-app');
  view = 'app';
  clearMessages();
  whoamiEl.hidden = false;
  userNameEl.textContent = user && user.name ? user.name : '';
  appCtl = createApp(mainEl);
  document.getElementById('timer-title').focus();
}

signOutBtn.addEventListener('click', async () => {
  signOutBtn.disabled = true;
  try {
    await post('/api/auth/logout');
    showSignIn('You have signed out.');
  } catch (err) {
    if (err.status === 401) showSignIn('You have signed out.');
    else report(err);
  } finally {
    signOutBtn.disabled = false;
  }
});

// ---- the signed-in view ------------------------------------------------------------

function createApp(root) {
  const $ = (sel) => root.querySelector(sel);
  const stateEl = $('#timer-state');
  const startForm = $('#start-form');
  const controls = $('#session-controls');
  const pauseBtn = $('#pause-button');
  const resumeBtn = $('#resume-button');
  const completeBtn = $('#complete-button');
  const nextBtn = $('#next-button');
  const abandonBtn = $('#abandon-button');
  const startBtn = startForm.querySelector('button[type=submit]');
  const customIn = $('#custom-minutes');
  const taskIn = $('#task-title');
  const rewardEl = $('#reward');

  const history = createHistory(root, { report });
  const stats = createStats(root, { report });
  const music = createMusic(root, { report, announce });

  let session = null;  // the active or paused session, or null
  let nextPhase = null; // what the cycle does next (GET /api/focus/active `next`)
  let epoch = 0;       // bumped by every action so that stale polls are dropped
  let busy = false;
  let destroyed = false;
  let synced = false;  // the first /api/focus/active has been read

  const countdown = new Countdown($('#countdown'), {
    onTick: (secs, kind) => {
      document.title = kind === 'idle' ? 'Focus' : `${formatRemaining(secs)} · Focus`;
    },
    onZero: (justNow) => {
      // The server completes the session at 00:00 by itself (and may start
      // the next phase): never offer Pause on a finished timer; read the
      // outcome right away.
      pauseBtn.hidden = true;
      stateEl.textContent = `${modeLabel(session && session.mode)} · time's up`;
      document.title = "Time's up · Focus";
      if (justNow) chime();
      setTimeout(poll, 250);
    },
  });

  // ---- start form ----
  const checked = (name) => startForm.querySelector(`input[name=${name}]:checked`);
  function plannedSeconds() {
    const preset = checked('preset');
    if (!preset || preset.value === 'custom') {
      const m = Number(customIn.value);
      return Number.isFinite(m) && m > 0 ? Math.round(m * 60) : null;
    }
    return Number(preset.value) * 60;
  }
  function showPlanned() {
    if (session) return;
    const s = plannedSeconds();
    countdown.showIdle(s === null ? 0 : s);
  }
  startForm.addEventListener('change', (ev) => {
    if (ev.target.name === 'mode') {
      const preset = startForm.querySelector(
        `input[name=preset][value="${DEFAULT_MINUTES[ev.target.value]}"]`);
      if (preset) preset.checked = true;
    }
    if (ev.target.name === 'preset' && ev.target.value === 'custom') customIn.focus();
    showPlanned();
  });
  customIn.addEventListener('input', () => {
    const custom = startForm.querySelector('input[name=preset][value=custom]');
    if (customIn.value !== '') custom.checked = true;
    showPlanned();
  });

  startForm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const mode = checked('mode') ? checked('mode').value : 'focus';
    const seconds = plannedSeconds();
    if (seconds === null || seconds < 60 || seconds > 86400) {
      announce('Enter a custom duration between 1 and 1440 minutes.', true);
      customIn.focus();
      return;
    }
    const body = { mode, duration_seconds: seconds };
    const task = taskIn.value.trim();
    if (task) body.task_title = task;
    act(async () => {
      const t0 = Date.now();
      const s = await post('/api/focus', body);
      apply(s, null, (t0 + Date.now()) / 2);
      rewardEl.replaceChildren();
      announce(`${modeLabel(s.mode)} session started.`);
      history.first();
      stats.refresh(); // the new session counts, and a replaced one ended
      return pauseBtn;
    });
  });

  // ---- the cycle's next phase: the main button while nothing runs ----
  nextBtn.addEventListener('click', () => act(async () => {
    const t0 = Date.now();
    const r = await post('/api/focus/next');
    apply(r.session, null, (t0 + Date.now()) / 2);
    if (r.closed) showReward(r.closed); else rewardEl.replaceChildren();
    announce(`${modeLabel(r.session.mode)} session started.`);
    history.first();
    stats.refresh();
    return pauseBtn;
  }));

  function showNext() {
    nextBtn.hidden = !!session || !nextPhase;
    if (nextPhase) {
      nextBtn.textContent = `Start ${modeLabel(nextPhase.mode).toLowerCase()} · ${formatRemaining(nextPhase.duration_seconds)}`;
    }
  }

  // ---- session controls ----
  pauseBtn.addEventListener('click', () => act(async () => {
    const ps = await post('/api/focus/pause');
    apply({ ...session, status: 'paused', paused_at: ps.paused_at,
      time_remaining_seconds: ps.time_remaining_seconds }, ps, Date.now());
    announce('Paused.');
    return resumeBtn;
  }));

  resumeBtn.addEventListener('click', () => act(async () => {
    const t0 = Date.now();
    const s = await del('/api/focus/pause');
    apply(s, null, (t0 + Date.now()) / 2);
    announce('Resumed.');
    return pauseBtn;
  }));

  completeBtn.addEventListener('click', () => act(async () => {
    const r = await post(`/api/focus/${session.id}/complete`);
    apply(null);
    showReward(r);
    announce(`${modeLabel(r.session && r.session.mode)} session completed.`);
    history.first();
    stats.refresh();
    return startBtn;
  }));

  abandonBtn.addEventListener('click', () => act(async () => {
    await post(`/api/focus/${session.id}/abandon`);
    apply(null);
    rewardEl.replaceChildren();
    announce('Session abandoned.');
    history.first();
    stats.refresh();
    return startBtn;
  }));

  async function act(fn) {
    if (busy) return;
    busy = true;
    epoch++;
    setDisabled(true);
    clearMessages();
    let resync = false;
    let focusTo = null;
    try {
      focusTo = await fn();
    } catch (err) {
      report(err);
      // 404/409: the session changed elsewhere (another tab or device).
      resync = err.status === 404 || err.status === 409;
    } finally {
      busy = false;
      epoch++;
      setDisabled(false);
    }
    // Move focus to the control that comes next (only once it is enabled).
    if (focusTo && !focusTo.hidden) focusTo.focus();
    if (resync) await poll();
  }

  function setDisabled(on) {
    for (const b of [startBtn, pauseBtn, resumeBtn, completeBtn, abandonBtn, nextBtn]) b.disabled = on;
  }

  // Show a session (or none). receivedAt: client time when the server answered.
  function apply(s, pauseState = null, receivedAt = Date.now()) {
    const live = s && (s.status === 'active' || s.status === 'paused') ? s : null;
    session = live;
    startForm.hidden = !!live;
    controls.hidden = !live;
    showNext();
    if (!live) {
      stateEl.textContent = 'Ready';
      showPlanned();
      return;
    }
    const paused = live.status === 'paused';
    pauseBtn.hidden = paused;
    resumeBtn.hidden = !paused;
    const task = live.task_title ? ` · ${live.task_title}` : '';
    if (paused) {
      const secs = pauseState && Number.isFinite(pauseState.time_remaining_seconds)
        ? pauseState.time_remaining_seconds : live.time_remaining_seconds;
      stateEl.textContent = `${modeLabel(live.mode)} · paused${task}`;
      countdown.showPaused(secs);
    } else if (live.time_remaining_seconds === 0) {
      // ran out on the server's clock, not yet caught up: read again
      pauseBtn.hidden = true;
      stateEl.textContent = `${modeLabel(live.mode)} · time's up`;
      countdown.showPaused(0);
      setTimeout(poll, 1000);
    } else {
      stateEl.textContent = `${modeLabel(live.mode)} · running${task}`;
      countdown.run(live.expires_at, live.time_remaining_seconds, receivedAt);
    }
  }

  function showReward(r) {
    const lines = [h('p', { class: 'xp' }, `+${r.xp_awarded ?? 0} XP`),
      h('p', { class: 'coins' }, `+${plural(r.coins_awarded ?? 0, 'coin', 'coins')}`)];
    if (r.new_level != null) {
      lines.push(h('p', { class: 'level' + (r.leveled_up ? ' up' : '') },
        r.leveled_up ? `Level up! You are now level ${r.new_level}.` : `Level ${r.new_level}`));
    }
    if (r.streak) {
      lines.push(h('p', { class: 'streak' },
        `Streak: ${plural(r.streak.current ?? 0, 'day', 'days')} (longest ${r.streak.longest ?? 0})`));
    }
    rewardEl.replaceChildren(...lines);
  }

  // Re-read the active session (another tab or device may have changed it).
  async function poll() {
    if (destroyed || busy) return;
    const mine = epoch;
    const t0 = Date.now();
    let data;
    try {
      data = await get('/api/focus/active');
    } catch (err) {
      // 401 and 503 are handled centrally; other poll errors stay quiet, except
      // on the first read, which must still let the person start a session.
      if (!synced && !destroyed && err.status !== 401 && !isUnavailable(err)) {
        synced = true;
        apply(session);
        report(err);
      }
      return;
    }
    if (destroyed || busy || mine !== epoch) return;
    const key = () => (session ? `${session.id}/${session.status}` : '');
    const beforeId = session ? session.id : null;
    const before = key();
    nextPhase = data.next || null;
    apply(data.session, data.pause_state, (t0 + Date.now()) / 2);
    if (!synced) { synced = true; root.querySelector('#timer-panel').dataset.synced = 'true'; }
    if (before !== key()) history.refresh();           // a status word changed
    if (beforeId !== (session ? session.id : null)) stats.refresh(); // ended or replaced

  }

  const pollTimer = setInterval(() => {
    if (document.visibilityState === 'visible' && bannerEl.hidden) poll();
  }, POLL_MS);
  const onVisible = () => {
    if (document.visibilityState !== 'visible') return;
    countdown.refresh();
    poll();
  };
  document.addEventListener('visibilitychange', onVisible);
  window.addEventListener('focus', onVisible);
  window.addEventListener('pageshow', onVisible);

  function refreshAll() {
    poll();
    history.refresh();
    stats.refresh();
    music.refresh();
  }

  // Until the first read of /api/focus/active, offer neither Start (it would
  // abandon a session running elsewhere) nor the session controls.
  startForm.hidden = true;
  stateEl.textContent = 'Checking for a running session…';
  showPlanned();
  refreshAll();

  return {
    refreshAll,
    destroy() {
      destroyed = true;
      clearInterval(pollTimer);
      countdown.stop();
      music.stop();
      document.removeEventListener('visibilitychange', onVisible);
      window.removeEventListener('focus', onVisible);
      window.removeEventListener('pageshow', onVisible);
    },
  };
}

// A short soft tone when the timer runs out (silently skipped when not allowed).
function chime() {
  try {
    const Ctx = window.AudioContext || window.webkitAudioContext;
    if (!Ctx) return;
    const ctx = new Ctx();
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.frequency.value = 880;
    gain.gain.setValueAtTime(0.0001, ctx.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.2, ctx.currentTime + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, ctx.currentTime + 0.8);
    osc.connect(gain).connect(ctx.destination);
    osc.start();
    osc.stop(ctx.currentTime + 0.85);
    osc.onended = () => ctx.close();
  } catch { /* no sound: the display says it */ }
}

// ---- boot ----------------------------------------------------------------------------

async function boot() {
  try {
    const data = await get('/api/auth/me');
    showApp(data.user);
  } catch (err) {
    if (isUnavailable(err)) return; // the banner retries, then boots
    if (err.status !== 401) console.warn('GET /api/auth/me:', err.status, err.message);
    showSignIn();
  }
}

window.addEventListener('online', () => { if (retryTimer !== null) { clearTimeout(retryTimer); recover(); } });
boot();
