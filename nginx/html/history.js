// History you can fix: the sessions, newest first, each with focused
// against planned time; edit, delete and "Add session" through
// POST /api/focus/batch (with an Idempotency-Key, so a retried click is
// done once); filters by mode and date range; export links.
import { get, post, idempotencyKey } from './api.js';
import { h, modeLabel, formatDuration, formatDate } from './util.js';

const PAGE_SIZE = 10;
const FILTER_MAX = 100;          // sessions read when filtering without the export route
const STATUS_WORDS = { active: 'running', paused: 'paused', completed: 'completed',
  abandoned: 'abandoned', expired: 'expired' };

export function createHistory(root, { report, announce, onChanged }) {
  const $ = (sel) => root.querySelector(sel);
  const list = $('#history-list');
  const empty = $('#history-empty');
  const prev = $('#history-prev');
  const next = $('#history-next');
  const info = $('#history-page');
  const fMode = $('#filter-mode');
  const fFrom = $('#filter-from');
  const fTo = $('#filter-to');
  const dlg = $('#session-dialog');
  const form = $('#session-form');
  const dlgTitle = $('#session-title');
  const dlgErr = $('#session-error');
  const submit = $('#session-submit');
  const exportCsv = $('#export-csv');
  const exportJson = $('#export-json');
  let page = 1;
  let pages = 1;
  let seq = 0;
  let editing = null;   // the session being edited, null when adding
  let filtered = null;  // all sessions matching the filters (client-side pages)

  const filtering = () => !!(fMode.value || fFrom.value || fTo.value);

  function row(sn) {
    const closed = !['active', 'paused'].includes(sn.status);
    const early = sn.status === 'completed' && Number.isFinite(sn.focused_seconds)
      && sn.focused_seconds < sn.duration_seconds;
    const focused = Number.isFinite(sn.focused_seconds) ? sn.focused_seconds : null;
    const title = sn.task_title || modeLabel(sn.mode);
    return h('li', { class: 'hist-item', dataset: { id: sn.id, status: sn.status } },
      h('div', { class: 'hist-main' },
        h('span', { class: 'hist-title' }, title),
        h('span', { class: `badge status-${sn.status}` }, STATUS_WORDS[sn.status] || sn.status),
        early ? h('span', { class: 'badge early' }, 'early') : null,
        sn.source === 'manual' ? h('span', { class: 'badge manual' }, 'added') : null),
      h('div', { class: 'hist-facts' },
        sn.task_title ? h('span', null, modeLabel(sn.mode)) : null,
        h('time', { datetime: sn.started_at }, formatDate(sn.started_at)),
        h('span', null, focused !== null
          ? `${formatDuration(focused)} of ${formatDuration(sn.duration_seconds)}`
          : `${formatDuration(sn.duration_seconds)} planned`),
        sn.status === 'completed' && sn.source !== 'manual' ? h('span', null, `+${sn.xp_awarded ?? 0} XP`) : null),
      closed ? h('div', { class: 'hist-actions' },
        h('button', { type: 'button', class: 'small', onclick: () => openEdit(sn) }, 'Edit'),
        h('button', { type: 'button', class: 'small danger', onclick: () => remove(sn) }, 'Delete')) : null);
  }

  function draw(sessions, total) {
    pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    list.replaceChildren(...sessions.map(row));
    empty.hidden = total > 0;
    empty.textContent = range() === null ? 'The From date is after the To date.'
      : filtering() ? 'No sessions match the filters.' : 'No sessions yet.';
    info.textContent = `Page ${page} of ${pages} (${total} in all)`;
    prev.disabled = page <= 1;
    next.disabled = page >= pages;
  }

  // The range the export route is asked for: both dates, or none (one
  // date alone is applied here, on all sessions). null: From after To.
  function range() {
    if (fFrom.value && fTo.value) return fFrom.value <= fTo.value ? { from: fFrom.value, to: fTo.value } : null;
    return {};
  }
  // A session's local calendar date (the browser's zone, as the date fields are).
  const localDate = (iso) => new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit' })
    .format(new Date(iso));

  // With filters: every matching session (the export route streams them),
  // filtered by mode and single dates here, and paged here.
  async function loadFiltered() {
    const r = range();
    if (r === null) return [];
    const q = new URLSearchParams({ format: 'json', ...r });
    let all;
    try {
      const res = await fetch(`/api/focus/export?${q}`, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
      if (res.status === 404) throw Object.assign(new Error('no export'), { noExport: true });
      if (!res.ok) {
        let msg = 'The history could not be filtered.';
        try { msg = (await res.json()).message || msg; } catch { /* not JSON */ }
        throw Object.assign(new Error(msg), { name: 'ApiError', status: res.status });
      }
      const body = await res.json();
      all = Array.isArray(body) ? body : (body.data || []);
    } catch (err) {
      if (!err.noExport) throw err;
      // no export route: the newest sessions, filtered here
      const data = await get(`/api/focus?page=1&page_size=${FILTER_MAX}`);
      all = data.sessions || [];
    }
    return all.filter((x) => !fMode.value || x.mode === fMode.value)
      .filter((x) => (!fFrom.value || localDate(x.started_at) >= fFrom.value)
        && (!fTo.value || localDate(x.started_at) <= fTo.value))
      .sort((a, b) => Date.parse(b.started_at) - Date.parse(a.started_at));
  }

  async function load(p) {
    const mine = ++seq;
    if (filtering()) {
      if (p === 1 || filtered === null) filtered = await loadFiltered();
      if (mine !== seq) return;
      const total = filtered.length;
      page = Math.min(Math.max(1, p), Math.max(1, Math.ceil(total / PAGE_SIZE)));
      draw(filtered.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE), total);
      return;
    }
    filtered = null;
    const data = await get(`/api/focus?page=${p}&page_size=${PAGE_SIZE}`);
    if (mine !== seq) return;
    const total = Number(data.total) || 0;
    const last = Math.max(1, Math.ceil(total / PAGE_SIZE));
    if (p > last && total > 0) { await load(last); return; }
    page = p;
    draw(data.sessions || [], total);
  }

  function updateExports() {
    const r = range();
    const tail = r && r.from ? `&${new URLSearchParams(r)}` : '';
    exportCsv.href = `/api/focus/export?format=csv${tail}`;
    exportJson.href = `/api/focus/export?format=json${tail}`;
  }

  for (const el of [fMode, fFrom, fTo]) {
    el.addEventListener('change', () => { filtered = null; updateExports(); load(1).catch(report); });
  }
  prev.addEventListener('click', () => { if (page > 1) load(page - 1).catch(report); });
  next.addEventListener('click', () => { if (page < pages) load(page + 1).catch(report); });

  // ---- changes through the batch ----
  async function batch(updates) {
    try {
      return await post('/api/focus/batch', { updates }, { 'Idempotency-Key': idempotencyKey() });
    } catch (err) {
      if (err.status === 422 && /action/i.test(err.message || '')) {
        err.message = 'Editing history is not available from this service yet.';
      }
      throw err;
    }
  }

  async function remove(sn) {
    const what = `${sn.task_title || modeLabel(sn.mode)} of ${formatDate(sn.started_at)}`;
    if (!window.confirm(`Delete “${what}” from your history? Rewards it earned stay earned.`)) return;
    try {
      await batch([{ action: 'delete', id: sn.id }]);
      announce('Session deleted.');
      filtered = null;
      await load(page);
      onChanged();
    } catch (err) { report(err); }
  }

  function localInputValue(date) {
    const pad = (n) => String(n).padStart(2, '0');
    return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
  }

  function openDialog(mode) {
    dlg.dataset.mode = mode;
    dlgErr.textContent = '';
    for (const el of dlg.querySelectorAll('.add-only')) el.hidden = mode !== 'add';
    for (const el of dlg.querySelectorAll('.edit-only')) el.hidden = mode !== 'edit' || !editing || editing.status !== 'completed';
    dlg.showModal();
    $('#sess-title').focus();
  }

  function openAdd() {
    editing = null;
    dlgTitle.textContent = 'Add session';
    submit.textContent = 'Add';
    $('#sess-title').value = '';
    $('#sess-mode').value = 'focus';
    $('#sess-duration').value = '25';
    $('#sess-start').value = localInputValue(new Date(Date.now() - 60 * 60_000));
    openDialog('add');
  }

  function openEdit(sn) {
    editing = sn;
    dlgTitle.textContent = 'Edit session';
    submit.textContent = 'Save';
    $('#sess-title').value = sn.task_title || '';
    const focused = $('#sess-focused');
    focused.max = String(Math.floor(sn.duration_seconds / 60));
    focused.value = String(Math.round((sn.focused_seconds ?? sn.duration_seconds) / 60));
    openDialog('edit');
  }

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    dlgErr.textContent = '';
    const title = $('#sess-title').value.trim();
    let item;
    if (!editing) {
      const start = new Date($('#sess-start').value);
      const minutes = Number($('#sess-duration').value);
      if (Number.isNaN(start.getTime())) { dlgErr.textContent = 'Give the start date and time.'; return; }
      if (!Number.isInteger(minutes) || minutes < 1 || minutes > 1440) {
        dlgErr.textContent = 'Duration: a whole number of minutes from 1 to 1440.'; return;
      }
      if (start.getTime() + minutes * 60_000 > Date.now()) {
        dlgErr.textContent = 'A session you add must have ended already.'; return;
      }
      item = { action: 'create', mode: $('#sess-mode').value, started_at: start.toISOString(),
        duration_seconds: minutes * 60 };
      if (title) item.task_title = title;
    } else {
      item = { action: 'update', id: editing.id, task_title: title || null };
      if (editing.status === 'completed') {
        const minutes = Number($('#sess-focused').value);
        const max = Math.floor(editing.duration_seconds / 60);
        if (!Number.isInteger(minutes) || minutes < 0 || minutes > max) {
          dlgErr.textContent = `Focused: a whole number of minutes from 0 to ${max}.`; return;
        }
        item.focused_seconds = Math.min(editing.duration_seconds, minutes * 60);
      }
    }
    submit.disabled = true;
    try {
      await batch([item]);
      dlg.close();
      announce(editing ? 'Session updated.' : 'Session added.');
      filtered = null;
      await load(editing ? page : 1);
      onChanged();
    } catch (err) {
      dlgErr.textContent = err.status === 409
        ? 'That time overlaps another session.'
        : (err.message || 'The change was not saved.');
    } finally {
      submit.disabled = false;
    }
  });
  $('#session-cancel').addEventListener('click', () => dlg.close());
  $('#add-session').addEventListener('click', openAdd);

  return {
    refresh: () => load(page).catch(report),
    first: () => load(1).catch(report),
  };
}
