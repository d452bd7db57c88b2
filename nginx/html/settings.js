// The Settings dialog: GET/PATCH /api/focus/settings, and the sound switch
// (kept in this browser: it is about this device's speakers).
import { patch } from './api.js';
import { h, browserTimeZone } from './util.js';

const SOUND_KEY = 'focus.sound';

export function soundOn() {
  try { return localStorage.getItem(SOUND_KEY) !== 'off'; } catch { return true; }
}

function timeZones(current) {
  let zones = [];
  try { zones = Intl.supportedValuesOf('timeZone'); } catch { zones = []; }
  const all = new Set(zones);
  for (const z of ['UTC', browserTimeZone(), current]) if (z) all.add(z);
  return [...all].sort();
}

export function createSettings(root, { getSettings, onSaved }) {
  const $ = (sel) => root.querySelector(sel);
  const dlg = $('#settings-dialog');
  const form = $('#settings-form');
  const errEl = $('#settings-error');
  const f = {
    focus: $('#set-focus'), short: $('#set-short'), long: $('#set-long'), every: $('#set-every'),
    goal: $('#set-goal'), dayStart: $('#set-daystart'), tz: $('#set-tz'), week: $('#set-week'),
    autoBreaks: $('#set-auto-breaks'), autoFocus: $('#set-auto-focus'), sound: $('#set-sound'),
  };
  const openBtn = document.getElementById('settings-button');
  f.dayStart.replaceChildren(...Array.from({ length: 24 }, (_, i) =>
    h('option', { value: String(i) }, `${String(i).padStart(2, '0')}:00`)));

  function fill(st) {
    const zones = timeZones(st.time_zone);
    if (f.tz.options.length !== zones.length) {
      f.tz.replaceChildren(...zones.map((z) => h('option', { value: z }, z.replace(/_/g, ' '))));
    }
    f.focus.value = Math.round(st.focus_seconds / 60);
    f.short.value = Math.round(st.short_break_seconds / 60);
    f.long.value = Math.round(st.long_break_seconds / 60);
    f.every.value = st.long_break_every;
    f.goal.value = st.daily_goal;
    f.dayStart.value = String(st.day_start_hour);
    f.tz.value = st.time_zone;
    f.week.value = st.week_start;
    f.autoBreaks.checked = !!st.auto_start_breaks;
    f.autoFocus.checked = !!st.auto_start_focus;
    f.sound.checked = soundOn();
  }

  function open() {
    const st = getSettings();
    errEl.textContent = '';
    if (!st) { errEl.textContent = 'The settings could not be read; try again in a moment.'; }
    else fill(st);
    dlg.showModal();
    f.focus.focus();
  }

  const minutes = (input, name) => {
    const n = Number(input.value);
    if (!Number.isInteger(n) || n < 1 || n > 1440) throw new Error(`${name}: a whole number of minutes from 1 to 1440.`);
    return n * 60;
  };
  const whole = (input, name, lo, hi) => {
    const n = Number(input.value);
    if (!Number.isInteger(n) || n < lo || n > hi) throw new Error(`${name}: a whole number from ${lo} to ${hi}.`);
    return n;
  };

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    errEl.textContent = '';
    let body;
    try {
      body = {
        focus_seconds: minutes(f.focus, 'Focus minutes'),
        short_break_seconds: minutes(f.short, 'Short break'),
        long_break_seconds: minutes(f.long, 'Long break'),
        long_break_every: whole(f.every, 'Long break every', 1, 12),
        daily_goal: whole(f.goal, 'Daily goal', 0, 48),
        day_start_hour: whole(f.dayStart, 'Day starts at', 0, 23),
        time_zone: f.tz.value,
        week_start: f.week.value,
        auto_start_breaks: f.autoBreaks.checked,
        auto_start_focus: f.autoFocus.checked,
      };
    } catch (err) {
      errEl.textContent = err.message;
      return;
    }
    const save = $('#settings-save');
    save.disabled = true;
    try {
      const st = await patch('/api/focus/settings', body);
      try { localStorage.setItem(SOUND_KEY, f.sound.checked ? 'on' : 'off'); } catch { /* private mode */ }
      dlg.close();
      onSaved(st);
    } catch (err) {
      errEl.textContent = err.message || 'The settings were not saved.';
    } finally {
      save.disabled = false;
    }
  });
  $('#settings-cancel').addEventListener('click', () => dlg.close());
  openBtn.addEventListener('click', open);

  return { destroy: () => openBtn.removeEventListener('click', open) };
}
