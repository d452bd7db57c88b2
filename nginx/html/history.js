// Session history (paged) and the stats table.
import { get } from './api.js';
import { h, modeLabel, formatDuration, formatDate } from './util.js';

const PAGE_SIZE = 10;

export function createHistory(root, { report }) {
  const list = root.querySelector('#history-list');
  const empty = root.querySelector('#history-empty');
  const prev = root.querySelector('#history-prev');
  const next = root.querySelector('#history-next');
  const info = root.querySelector('#history-page');
  let page = 1;
  let pages = 1;
  let seq = 0;

  function item(s) {
    const bits = [
      h('span', { class: 'hist-mode' }, modeLabel(s.mode)),
      h('span', { class: 'hist-dur' }, formatDuration(s.duration_seconds)),
      h('time', { datetime: s.started_at, class: 'hist-when' }, formatDate(s.started_at)),
      h('span', { class: `badge status-${s.status}` }, s.status),
    ];
    if (s.status === 'completed') {
      bits.push(h('span', { class: 'hist-reward' }, `+${s.xp_awarded ?? 0} XP`));
    }
    if (s.task_title) bits.push(h('span', { class: 'hist-task' }, s.task_title));
    return h('li', { class: 'hist-item', dataset: { id: s.id, status: s.status } }, bits);
  }

  async function load(p) {
    const mine = ++seq;
    const data = await get(`/api/focus?page=${p}&page_size=${PAGE_SIZE}`);
    if (mine !== seq) return;
    const total = Number(data.total) || 0;
    pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    if (p > pages && total > 0) { await load(pages); return; }
    page = p;
    list.replaceChildren(...(data.sessions || []).map(item));
    empty.hidden = total > 0;
    info.textContent = `Page ${page} of ${pages} (${total} in all)`;
    prev.disabled = page <= 1;
    next.disabled = page >= pages;
  }

  prev.addEventListener('click', () => { if (page > 1) load(page - 1).catch(report); });
  next.addEventListener('click', () => { if (page < pages) load(page + 1).catch(report); });

  return {
    refresh: () => load(page).catch(report),
    first: () => load(1).catch(report),
  };
}

const PERIODS = ['day', 'week', 'month', 'all'];
const ROWS = [
  ['completed_sessions', 'Completed', String],
  ['abandoned_sessions', 'Abandoned', String],
  ['total_sessions', 'All sessions', String],
  ['total_focus_seconds', 'Focus time', formatDuration],
  ['total_xp_earned', 'XP earned', String],
  ['total_coins_earned', 'Coins earned', String],
];

export function createStats(root, { report }) {
  const body = root.querySelector('#stats-body');
  let seq = 0;

  async function load() {
    const mine = ++seq;
    const results = await Promise.all(
      PERIODS.map((p) => get(`/api/focus/stats?period=${p}`)));
    if (mine !== seq) return;
    body.replaceChildren(...ROWS.map(([key, label, fmt]) => h('tr', null,
      h('th', { scope: 'row' }, label),
      results.map((r, i) => h('td', { dataset: { period: PERIODS[i], stat: key } },
        fmt(r && r[key] != null ? r[key] : 0))))));
  }

  return { refresh: () => load().catch(report) };
}
