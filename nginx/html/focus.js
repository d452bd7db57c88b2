// The signed-in view: the timer and its cycle, time's up, progress, and the
// panels (days, history, music, settings), all following the live state.
import { get, post, del, patch } from './api.js';
import { Countdown, clockOffset, clientDeadline, formatRemaining } from './timer.js';
import { createLive } from './live.js';
import { createHistory } from './history.js';
import { createDays } from './days.js';
import { createMusic } from './music.js';
import { createSettings, soundOn } from './settings.js';
import { h, modeLabel, startLabel, plural, browserTimeZone, formatDuration, localToday } from './util.js';

const STATUS_FADE_MS = 8000;
const TZ_SET_KEY = 'focus.timeZoneSet.';   // + user id: the browser's zone was offered once

export function createTimer(root, { user, firstSignIn, isUnavailable, bannerUp }) {
  const $ = (sel) => root.querySelector(sel);
  const modeChoice = $('#mode-choice');
  const phaseText = $('#phase-text');
  const dotsEl = $('#cycle-dots');
  const stateEl = $('#timer-state');
  const taskIn = $('#task-title');
  const mainBtn = $('#main-button');
  const skipBtn = $('#skip-button');
  const completeBtn = $('#complete-button');
  const abandonBtn = $('#abandon-button');
  const messageEl = $('#message');
  const statusEl = $('#status');
  const rewardEl = $('#reward');
  const completeDlg = $('#complete-dialog');
  const keysDlg = $('#keys-dialog');

  let session = null;      // the open (active or paused) session, or null
  let nextPhase = null;    // /active's `next`
  let offset = null;       // server clock minus ours (ms); null: unknown
  let deadline = null;     // a running session's end on our clock
  let synced = false;      // the first state has arrived
  let busy = false;
  let missedWhileBusy = false; // a state arrived during an action and was not shown
  let destroyed = false;
  let settings = null;
  let progress = null;
  let statusKey = null;    // the state a message was true of
  let lastStreak = null;   // from the last completion (when the service has no progress route)
  let pickNext = false;    // a session ended: offer the cycle's next mode
  let lastFocusPosition = null; // the last focus session's place in the cycle
  let statusTimer = null;
  const ended = new Set(); // sessions whose time's up was already announced

  // ---- messages: in a reserved place; cleared when no longer true ----
  const stateKey = () => (session ? `${session.id}/${session.status}` : `none/${nextPhase ? nextPhase.mode : ''}`);
  function announce(text, isError = false) {
    clearTimeout(statusTimer);
    if (isError) {
      messageEl.textContent = text;
      statusEl.textContent = '';
      statusKey = stateKey();
    } else {
      statusEl.textContent = text;
      messageEl.textContent = '';
      statusKey = stateKey();
      statusTimer = setTimeout(() => { statusEl.textContent = ''; }, STATUS_FADE_MS);
    }
  }
  function clearMessages() {
    clearTimeout(statusTimer);
    messageEl.textContent = '';
    statusEl.textContent = '';
  }
  function report(err) {
    if (err && err.write && err.kind === 'network') { announce(err.message, true); return; }
    if (!err || err.status === 401 || isUnavailable(err)) return;
    if (err.name !== 'ApiError') console.error(err);
    announce(err.message || 'Something went wrong.', true);
  }

  const countdown = new Countdown({ text: $('#countdown'), ring: $('#ring'), arc: $('#ring-arc') }, {
    onTick: (secs, kind) => {
      if (kind === 'idle') document.title = 'Focus';
      else document.title = `${formatRemaining(secs)} ${kind === 'paused' ? '(paused) ' : ''}· Focus`;
    },
    onZero: (justNow) => timeUp(session, justNow),
  });

  const history = createHistory(root, { report, announce, onChanged: () => { refreshProgress(); days.refresh(); } });
  const days = createDays(root, { report, getSettings: () => settings });
  const music = createMusic(root);
  const settingsUi = createSettings(root, {
    getSettings: () => settings,
    onSaved: (st) => {
      settings = st;
      announce('Settings saved.');
      live.refresh();
      days.refresh();
      refreshProgress();
    },
  });

  // ---- the phase that comes next, and what the main button does ----
  function upcoming() {
    if (nextPhase) return nextPhase;
    if (!session) return { mode: 'focus' };
    return { mode: session.mode === 'focus' ? 'break' : 'focus' };
  }
  const chosenMode = () => {
    const c = modeChoice.querySelector('input[name=mode]:checked');
    return c ? c.value : 'focus';
  };
  const timeLeft = () => (session ? countdown.current() : 0);
  const ranOut = () => !!session && session.status === 'active' && deadline !== null && Date.now() >= deadline;

  // The main action now: start, pause, resume, or at 00:00 the next phase.
  function mainAction() {
    if (!synced) return { label: 'Start', run: null };
    if (!session) return { label: startLabel(chosenMode()), run: startChosen };
    if (ranOut()) return { label: startLabel(upcoming().mode), run: startNext };
    if (session.status === 'paused') return { label: 'Resume', run: resume };
    return { label: 'Pause', run: pause };
  }

  function durationOf(mode) {
    if (nextPhase && nextPhase.mode === mode && nextPhase.duration_seconds) return nextPhase.duration_seconds;
    if (settings) {
      return mode === 'focus' ? settings.focus_seconds
        : mode === 'break' ? settings.short_break_seconds : settings.long_break_seconds;
    }
    return { focus: 1500, break: 300, long_break: 900 }[mode] || 1500;
  }

  function render() {
    const open = !!session;
    const running = open && session.status === 'active' && !ranOut();
    const mode = open ? session.mode : chosenMode();
    // the same controls in every state (disabled while a session is open),
    // so the page never changes height when the timer does
    modeChoice.disabled = open;
    taskIn.disabled = open;
    taskIn.placeholder = open ? 'No task' : 'What are you working on?';
    if (open) {
      const c = modeChoice.querySelector(`input[value="${session.mode}"]`);
      if (c) c.checked = true;
      taskIn.value = session.task_title || '';
    }
    skipBtn.hidden = !open;
    completeBtn.hidden = !open || ranOut();
    abandonBtn.hidden = !open || ranOut();
    const act = mainAction();
    mainBtn.textContent = act.label;
    mainBtn.disabled = busy || !act.run;
    for (const b of [skipBtn, completeBtn, abandonBtn]) b.disabled = busy;

    // "Focus 2 of 4" and the cycle's dots (focus sessions done in this cycle)
    const every = settings ? settings.long_break_every : 4;
    let position = null;
    if (open && session.mode === 'focus') position = session.cycle_position;
    else if (!open && mode === 'focus' && nextPhase && nextPhase.mode === 'focus') position = nextPhase.cycle_position;
    if (position) lastFocusPosition = position;
    let done;
    if (mode === 'focus') done = (position || 1) - 1;
    else if (mode === 'long_break') done = every;
    else if (nextPhase && nextPhase.mode === 'focus' && nextPhase.cycle_position) done = nextPhase.cycle_position - 1;
    else done = lastFocusPosition || 0;
    phaseText.textContent = mode === 'focus' && position ? `Focus ${position} of ${every}` : modeLabel(mode);
    dotsEl.replaceChildren(...Array.from({ length: Math.min(every, 12) }, (_, i) =>
      h('span', { class: 'dot' + (i < done ? ' done' : '') + (mode === 'focus' && i === done ? ' now' : '') })));
    root.querySelector('#timer-panel').dataset.mode = mode;

    if (!synced) { stateEl.textContent = 'Checking…'; return; }
    if (!open) stateEl.textContent = 'Ready';
    else if (ranOut()) stateEl.textContent = "Time's up";
    else if (session.status === 'paused') stateEl.textContent = 'Paused';
    else stateEl.textContent = session.task_title ? session.task_title : 'Running';
    stateEl.title = stateEl.textContent;
    if (statusKey !== null && statusKey !== stateKey()) {
      statusEl.textContent = '';   // said of a state that has passed
      messageEl.textContent = '';
      statusKey = null;
    }
    if (running) music.phase('focus-running', session.mode);
    else music.phase(open && session.status === 'paused' ? 'paused' : 'idle', mode);
  }

  // ---- applying a state (from an answer, an event or a poll) ----
  function applyActive(data, receivedAt) {
    if (destroyed) return;
    if (data.server_time) offset = clockOffset(data.server_time, receivedAt);
    nextPhase = data.next || null;
    const before = session;
    const beforeKey = stateKey();
    setSession(data.session, data.pause_state, receivedAt);
    // the session we showed ended at its time on the server (timer process, or lazily)
    if (before && before.status === 'active' && (!session || session.id !== before.id)) {
      const beforeDeadline = clientDeadline(before.expires_at, offset, null, receivedAt);
      if (Date.now() >= beforeDeadline - 1500) timeUp(before, true);
    }
    // the mode offered next is the cycle's, once a session has ended (the
    // person's own choice stands until then)
    if (!session && nextPhase && (!synced || pickNext)) { selectMode(nextPhase.mode); pickNext = false; }
    if (!synced) {
      synced = true;
      root.querySelector('#timer-panel').dataset.synced = 'true';
    } else if (beforeKey !== stateKey()) {
      history.refresh();
      if (!before || !session || before.id !== session.id) { refreshProgress(); days.refresh(); }
    }
    render();
  }

  function setSession(s, pauseState, receivedAt) {
    const live = s && (s.status === 'active' || s.status === 'paused') ? s : null;
    if (session && !live) pickNext = true;
    session = live;
    deadline = null;
    if (!live) {
      countdown.showIdle(durationOf(chosenMode()));
      return;
    }
    if (live.status === 'paused') {
      const secs = pauseState && Number.isFinite(pauseState.time_remaining_seconds)
        ? pauseState.time_remaining_seconds : live.time_remaining_seconds;
      countdown.showPaused(secs, live.duration_seconds);
      return;
    }
    deadline = clientDeadline(live.expires_at, offset, live.time_remaining_seconds, receivedAt);
    countdown.run(deadline, live.duration_seconds);
  }

  function selectMode(mode) {
    const input = modeChoice.querySelector(`input[value="${mode}"]`);
    if (input) input.checked = true;
    if (!session) countdown.showIdle(durationOf(mode));
  }
  modeChoice.addEventListener('change', () => { if (!session) countdown.showIdle(durationOf(chosenMode())); render(); });

  // ---- time's up: notification, sound, and what it earned ----
  async function timeUp(s, justNow) {
    render();
    if (!s || ended.has(s.id)) { live.refresh(); return; }
    ended.add(s.id);
    const levelBefore = progress ? progress.level : null;
    if (justNow) {
      if (soundOn()) chime();
      notify(s);
    }
    await live.refresh();
    // the completion as recorded: the session in history, and the new level
    try {
      // the server completes it at expires_at on its clock: a read a moment
      // early still finds it open, so look again a few times
      let done = null;
      for (let tries = 0; tries < 4 && !destroyed; tries++) {
        const page = await get('/api/focus?page=1&page_size=10');
        done = (page.sessions || []).find((x) => x.id === s.id) || null;
        if (!done || done.status !== 'active') break;
        await new Promise((r) => setTimeout(r, 700));
        await live.refresh();
      }
      if (done && done.status === 'completed') {
        await refreshProgress();
        showReward({ session: done, xp_awarded: done.xp_awarded, coins_awarded: done.coins_awarded,
          new_level: progress ? progress.level : null,
          leveled_up: levelBefore !== null && progress && progress.level > levelBefore,
          streak: progress ? progress.streak : null });
      }
    } catch (err) { report(err); }
    if (session && session.status === 'active') announce(`${modeLabel(session.mode)} started.`);
  }

  function notify(s) {
    if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
    const title = s.mode === 'focus' ? 'Focus session complete' : `${modeLabel(s.mode)} over`;
    const after = upcoming();
    const body = after.auto_start
      ? `${modeLabel(after.mode)} started.`
      : `Next: ${modeLabel(after.mode).toLowerCase()}.`;
    try {
      const n = new Notification(title, { body, tag: 'focus-timer' });
      n.onclick = () => { window.focus(); n.close(); };
    } catch { /* some browsers allow notifications from service workers only */ }
  }

  // Asked on the first Start, never on load (a person knows why it is asked).
  function askNotificationPermission() {
    if (typeof Notification === 'undefined' || Notification.permission !== 'default') return;
    try {
      const p = Notification.requestPermission();
      if (p && p.catch) p.catch(() => {});
    } catch { /* old callback-only API: ignore */ }
  }

  // ---- actions ----
  // What the person sees when they act: the state's key and its tag (from
  // the version of the event or read that brought it; null right after an
  // action of this tab, until the action's own event arrives).
  const shownNow = () => ({ key: stateKey(), tag: live.etag });
  class StaleState extends Error {}
  // If-Match for the actions on the open session (API.md "Live state"):
  // the tag of the state the page showed when the person acted, so that a
  // tab that missed a change elsewhere acts on nothing (412) instead of on
  // whatever is open now. Not known yet: read it, and act only if the
  // state is still the one shown.
  async function ifMatch(shown) {
    if (shown.tag) return { 'If-Match': shown.tag };
    await live.refresh();
    if (stateKey() !== shown.key || !live.etag) throw new StaleState('changed');
    return { 'If-Match': live.etag };
  }

  async function act(fn, shown = shownNow()) {
    if (busy) return;
    busy = true;
    missedWhileBusy = false;
    live.invalidate();
    clearMessages();
    render();
    let resync = false;
    let stale = false;
    try {
      await fn(shown);
    } catch (err) {
      // 412: the state changed since this tab last saw it; nothing was done
      stale = err instanceof StaleState || err.status === 412;
      if (!stale) report(err);
      resync = err.status === 404 || err.status === 409;   // changed elsewhere
    } finally {
      busy = false;
      live.invalidate();
      render();
    }
    if (stale) {
      // the state as it is now first, then the message (said of that state)
      await live.refresh();
      announce('Changed on another device; nothing was done.', true);
    }
    // resync: changed elsewhere; missedWhileBusy: a state came while the
    // action was under way, and the page showed the action's answer instead
    else if (resync || missedWhileBusy) await live.refresh();
    const at = document.activeElement;
    if (!at || at === document.body || at.offsetParent === null) mainBtn.focus();
  }

  // After an answer of this tab's own: its event brings the whole state
  // (with `next` and its tag) while the stream is up; without the stream, a
  // read does.
  function afterOwnAction() {
    if (!live.streaming) live.refresh();
  }

  // An answer that carries a session (start, resume, next): shown at once.
  function showStarted(s, t0) {
    const receivedAt = (t0 + Date.now()) / 2;
    nextPhase = null;   // the next poll or event brings the new one
    setSession(s, null, receivedAt);
    history.first();
    render();
    afterOwnAction();
  }

  const startChosen = () => act(async () => {
    askNotificationPermission();
    const body = { mode: chosenMode() };
    const task = taskIn.value.trim();
    if (task && body.mode === 'focus') body.task_title = task;   // a break is no task's
    const t0 = Date.now();
    const s = await post('/api/focus', body);
    rewardEl.replaceChildren();
    showStarted(s, t0);
    announce(`${modeLabel(s.mode)} started.`);
  });

  // POST /api/focus/next: closes what runs (with its reward) and starts
  // the phase the cycle names; `said` words the announcement
  const goNext = async (shown, said) => {
    const headers = await ifMatch(shown);
    const t0 = Date.now();
    const r = await post('/api/focus/next', undefined, headers);
    if (r.closed) showReward(r.closed); else rewardEl.replaceChildren();
    showStarted(r.session, t0);
    refreshProgress();
    announce(said(modeLabel(r.session.mode)));
  };

  const startNext = () => act(async (shown) => {
    askNotificationPermission();
    await goNext(shown, (mode) => `${mode} started.`);
  });

  const pause = () => act(async (shown) => {
    const ps = await post('/api/focus/pause', undefined, await ifMatch(shown));
    session = { ...session, status: 'paused', paused_at: ps.paused_at,
      time_remaining_seconds: ps.time_remaining_seconds };
    deadline = null;
    countdown.showPaused(ps.time_remaining_seconds, session.duration_seconds);
    history.refresh();
    announce('Paused.');
  });

  const resume = () => act(async (shown) => {
    const headers = await ifMatch(shown);
    const t0 = Date.now();
    const s = await del('/api/focus/pause', headers);
    setSession(s, null, (t0 + Date.now()) / 2);
    history.refresh();
    announce('Resumed.');
  });

  const skip = () => act(async (shown) => {
    if (!session) return;
    await goNext(shown, (mode) => `Skipped to ${mode.toLowerCase()}.`);
  });

  mainBtn.addEventListener('click', () => { const a = mainAction(); if (a.run) a.run(); });
  skipBtn.addEventListener('click', skip);

  // What completing now would earn (API.md: early completion counts the time focused).
  function earnings(s, left) {
    const focused = Math.max(0, s.duration_seconds - left);
    if (s.mode !== 'focus') return { focused, text: 'A break completed early earns nothing.' };
    const xp = Math.floor(focused / 60);
    const coins = Math.floor(focused / 300);
    return { focused, text: `You focused ${formatDuration(focused)} of ${formatDuration(s.duration_seconds)}. `
      + `Completing now earns ${xp} XP and ${plural(coins, 'coin', 'coins')}; `
      + `the full session would earn ${Math.max(5, Math.floor(s.duration_seconds / 60))} XP.` };
  }

  completeBtn.addEventListener('click', () => {
    if (!session) return;
    const shown = session;
    const seen = shownNow();   // the state the dialog speaks of
    $('#complete-text').textContent = earnings(shown, timeLeft()).text;
    completeDlg.returnValue = '';
    completeDlg.showModal();
    completeDlg.addEventListener('close', () => {
      if (completeDlg.returnValue !== 'ok') return;
      // the state this tab showed when the dialog opened (If-Match): a
      // stale tab gets 412, never completes a session it does not show
      act(async () => {
        const r = await post('/api/focus/active/complete', undefined, await ifMatch(seen));
        setSession(null);
        showReward(r);
        history.first();
        refreshProgress();
        days.refresh();
        announce(`${modeLabel(r.session && r.session.mode)} completed.`);
        afterOwnAction();
      });
    }, { once: true });
  });

  abandonBtn.addEventListener('click', () => act(async (shown) => {
    if (!session) return;
    await post('/api/focus/active/abandon', undefined, await ifMatch(shown));
    setSession(null);
    rewardEl.replaceChildren();
    history.first();
    announce('Session abandoned.');
    afterOwnAction();
  }));

  function showReward(r) {
    const s = r.session || {};
    const parts = [];
    const what = s.mode === 'focus' || !s.mode ? 'Focus complete' : `${modeLabel(s.mode)} over`;
    parts.push(h('strong', null, `${what}: `));
    if (s.mode === 'focus' && Number.isFinite(s.focused_seconds)) parts.push(`${formatDuration(s.focused_seconds)} focused · `);
    parts.push(h('span', { class: 'xp' }, `+${r.xp_awarded ?? 0} XP`), ' · ',
      h('span', { class: 'coins' }, `+${plural(r.coins_awarded ?? 0, 'coin', 'coins')}`));
    if (r.leveled_up && r.new_level != null) {
      parts.push(' · ', h('span', { class: 'level up' }, `Level up! Level ${r.new_level}`));
    }
    rewardEl.replaceChildren(h('p', null, parts));
    if (r.streak) lastStreak = r.streak;
    if (r.new_level != null || r.streak) refreshProgress();
  }

  // ---- progress strip (in the page header: always on screen) ----
  async function refreshProgress() {
    try {
      progress = await get('/api/focus/progress');
    } catch (err) {
      if (err.status !== 404) { report(err); return; }
      // no progress route on this service: worked out from what it has
      try { progress = await progressFromHistory(); } catch (e2) { report(e2); return; }
    }
    drawProgress();
  }

  // XP from all-time stats, the level from API.md's rule, today's focus
  // sessions from the newest history, the streak from the last completion.
  async function progressFromHistory() {
    const [all, recent] = await Promise.all([get('/api/focus/stats?period=all'),
      get('/api/focus?page=1&page_size=100')]);
    const xp = Number(all.total_xp_earned) || 0;
    let level = 1;
    let into = xp;
    while (into >= Math.floor(100 * level ** 1.5)) { into -= Math.floor(100 * level ** 1.5); level++; }
    const tz = settings ? settings.time_zone : undefined;
    const dayOf = (t) => localToday(tz, settings ? settings.day_start_hour : 0, t);
    const today = dayOf(Date.now());
    const completedFocus = (recent.sessions || []).filter((x) => x.mode === 'focus' && x.status === 'completed'
      && dayOf(Date.parse(x.started_at)) === today).length;
    return { level, xp, xp_into_level: into, xp_for_next_level: Math.floor(100 * level ** 1.5),
      coins: Number(all.total_coins_earned) || 0, streak: lastStreak,
      today: { completed_focus: completedFocus, goal: settings ? settings.daily_goal : 8 } };
  }

  function drawProgress() {
    const bar = document.getElementById('level-bar');
    if (!bar) return;
    const p = progress;
    const goal = p && p.today ? p.today.goal : settings ? settings.daily_goal : 8;
    document.getElementById('level-label').textContent = p ? `Level ${p.level}` : 'Level';
    const into = p ? p.xp_into_level : 0;
    const need = p ? Math.max(1, p.xp_for_next_level) : 1;
    bar.setAttribute('aria-valuemax', String(need));
    bar.setAttribute('aria-valuenow', String(Math.min(into, need)));
    bar.setAttribute('aria-valuetext', p ? `${into} of ${need} XP to level ${p.level + 1}` : 'unknown');
    bar.style.setProperty('--fill', `${Math.round(Math.min(1, into / need) * 100)}%`);
    document.getElementById('xp-text').textContent = p ? `${p.xp} XP` : '– XP';
    document.getElementById('coins-text').textContent = p ? plural(p.coins, 'coin', 'coins') : '– coins';
    document.getElementById('streak-text').textContent = p && p.streak
      ? `streak ${plural(p.streak.current, 'day', 'days')}` : 'streak –';
    const today = p && p.today ? p.today.completed_focus : '–';
    const todayEl = document.getElementById('today-text');
    todayEl.textContent = `today ${today} of ${goal}`;
    todayEl.classList.toggle('met', !!(p && p.today && goal > 0 && p.today.completed_focus >= goal));
  }

  // ---- settings, and the browser's time zone on a first sign-in ----
  async function loadSettings() {
    try {
      settings = await get('/api/focus/settings');
    } catch (err) { report(err); return; }
    const tz = browserTimeZone();
    const key = TZ_SET_KEY + (user && user.id ? user.id : '');
    let offered = false;
    try { offered = localStorage.getItem(key) === '1'; } catch { offered = false; }
    if (tz && settings.time_zone === 'UTC' && tz !== 'UTC' && (!offered || firstSignIn)) {
      try {
        settings = await patch('/api/focus/settings', { time_zone: tz });
      } catch { /* a zone the server does not know: keep UTC */ }
    }
    try { localStorage.setItem(key, '1'); } catch { /* private mode */ }
    if (!session) countdown.showIdle(durationOf(chosenMode()));
    render();
    drawProgress();
    days.refresh();
  }

  // ---- keyboard: Space, n, ? (not while typing or in a dialog) ----
  function onKey(ev) {
    if (ev.defaultPrevented || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    if (document.querySelector('dialog[open]')) return;
    const t = ev.target;
    const typing = t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
    if (typing) return;
    if (ev.key === ' ' || ev.code === 'Space') {
      // a focused button or link answers Space itself
      if (t && /^(BUTTON|A|SUMMARY|AUDIO)$/.test(t.tagName)) return;
      ev.preventDefault();
      const a = mainAction();
      if (a.run && !busy) a.run();
    } else if (ev.key === 'n' || ev.key === 'N') {
      if (session && !busy) { ev.preventDefault(); skip(); }
    } else if (ev.key === '?') {
      ev.preventDefault();
      keysDlg.showModal();
    }
  }
  document.addEventListener('keydown', onKey);
  $('#keys-button').addEventListener('click', () => keysDlg.showModal());

  // ---- live state ----
  const live = createLive({
    onState: (data, receivedAt) => {
      if (busy) { missedWhileBusy = true; return; }
      applyActive(data, receivedAt);
    },
    onError: (err) => {
      // the first read failed (not 401/503): still let the person start
      if (!synced && err.status !== 401 && !isUnavailable(err)) {
        synced = true;
        report(err);
        render();
      }
    },
    canPoll: () => !destroyed && document.visibilityState === 'visible' && !bannerUp(),
  });

  const onVisible = () => {
    if (document.visibilityState !== 'visible') return;
    countdown.refresh();
    live.refresh();
  };
  document.addEventListener('visibilitychange', onVisible);
  window.addEventListener('pageshow', onVisible);

  function refreshAll() {
    live.refresh();
    history.refresh();
    days.refresh();
    music.refresh();
    refreshProgress();
  }

  countdown.showIdle(1500);
  render();
  drawProgress();
  loadSettings();
  live.start();
  history.refresh();
  music.refresh();
  refreshProgress();

  return {
    refreshAll,
    destroy() {
      destroyed = true;
      live.stop();
      countdown.stop();
      music.stop();
      settingsUi.destroy();
      clearTimeout(statusTimer);
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('visibilitychange', onVisible);
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
    const now = ctx.currentTime;
    [880, 1320].forEach((freq, i) => {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.frequency.value = freq;
      const t = now + i * 0.25;
      gain.gain.setValueAtTime(0.0001, t);
      gain.gain.exponentialRampToValueAtTime(0.2, t + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.6);
      osc.connect(gain).connect(ctx.destination);
      osc.start(t);
      osc.stop(t + 0.65);
      if (i === 1) osc.onended = () => ctx.close();
    });
  } catch { /* no sound: the page and the notification say it */ }
}
