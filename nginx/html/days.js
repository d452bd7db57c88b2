// Your days: completed focus sessions per day for the last 30 days (bars)
// and this year (a heatmap), from GET /api/focus/series, drawn as SVG by
// the page (no charting library: two fixed chart types fit in well under
// 150 lines, and the page stays a few static files with no build step);
// and the stats table per calendar period in the person's time zone.
import { get } from './api.js';
import { h, s, formatDuration, localToday, addDays, dayDiff, plural } from './util.js';

const CAL_PERIODS = [['today', 'Today'], ['this_week', 'This week'], ['this_month', 'This month'],
  ['this_year', 'This year'], ['all', 'All time']];
const ROLLING_PERIODS = [['day', 'Day'], ['week', 'Week'], ['month', 'Month'], ['all', 'All time']];
const ROWS = [
  ['completed_sessions', 'Completed', String],
  ['abandoned_sessions', 'Abandoned', String],
  ['total_focus_seconds', 'Focus time', shortDuration],
  ['total_xp_earned', 'XP earned', String],
  ['total_coins_earned', 'Coins earned', String],
];

// A table cell's duration: "3 h 20 min", "20 min", "43 s" (no seconds once
// there are minutes: the cell stays one short line on a phone).
function shortDuration(seconds) {
  const sec = Math.max(0, Math.round(Number(seconds) || 0));
  if (sec === 0) return '0 min';
  return sec < 60 ? `${sec} s` : formatDuration(sec - (sec % 60));
}

// Bars: one per day, height by completed focus sessions.
function barChart(buckets, total) {
  const W = 300, H = 90, pad = 14, n = buckets.length;
  const max = Math.max(1, ...buckets.map((b) => b.completed_focus));
  const bw = W / n;
  const svg = s('svg', { viewBox: `0 0 ${W} ${H + pad}`, role: 'img', class: 'bars',
    'aria-label': `Focus sessions per day, last 30 days: ${total}` });
  buckets.forEach((b, i) => {
    const bh = Math.round((b.completed_focus / max) * H);
    const rect = s('rect', { x: (i * bw + 1).toFixed(1), y: H - bh, width: (bw - 2).toFixed(1),
      height: Math.max(bh, b.completed_focus ? 2 : 1), class: b.completed_focus ? 'bar' : 'bar empty' });
    rect.append(s('title', null, `${b.day}: ${plural(b.completed_focus, 'session', 'sessions')}`));
    svg.append(rect);
  });
  svg.append(s('text', { x: 0, y: H + pad - 2, class: 'axis' }, buckets[0].day.slice(5)));
  svg.append(s('text', { x: W, y: H + pad - 2, class: 'axis', 'text-anchor': 'end' }, buckets[n - 1].day.slice(5)));
  svg.append(s('text', { x: 0, y: 9, class: 'axis' }, `max ${max}`));
  return svg;
}

// Heatmap: a column per week, a row per weekday, shade by sessions.
function heatmap(buckets, total, weekStart) {
  const cell = 11, gap = 2;
  const first = new Date(`${buckets[0].day}T00:00:00Z`).getUTCDay(); // 0 = Sunday
  const lead = weekStart === 'sunday' ? first : (first + 6) % 7;
  const weeks = Math.ceil((lead + buckets.length) / 7);
  const max = Math.max(1, ...buckets.map((b) => b.completed_focus));
  const svg = s('svg', { viewBox: `0 0 ${weeks * (cell + gap)} ${7 * (cell + gap)}`, role: 'img', class: 'heatmap',
    'aria-label': `Focus sessions this year, heatmap: ${total}` });
  buckets.forEach((b, i) => {
    const k = lead + i;
    const level = b.completed_focus ? Math.min(4, 1 + Math.floor((b.completed_focus / max) * 3.999)) : 0;
    const r = s('rect', { x: Math.floor(k / 7) * (cell + gap), y: (k % 7) * (cell + gap), width: cell, height: cell,
      rx: 2, class: `heat l${level}` });
    r.append(s('title', null, `${b.day}: ${plural(b.completed_focus, 'session', 'sessions')}`));
    svg.append(r);
  });
  return svg;
}

export function createDays(root, { report, getSettings }) {
  const $ = (sel) => root.querySelector(sel);
  const charts = $('#charts');
  const chartsOff = $('#charts-off');
  const box30 = $('#chart-30');
  const boxYear = $('#chart-year');
  const head = $('#stats-head');
  const body = $('#stats-body');
  const caption = $('#stats-caption');
  let seq = 0;
  let calendar = true;   // the service knows calendar periods (else rolling)

  async function loadCharts(mine, st) {
    const today = localToday(st.time_zone, st.day_start_hour);
    const from30 = addDays(today, -29);
    const yearStart = `${today.slice(0, 4)}-01-01`;
    const from = from30 < yearStart ? from30 : yearStart;
    let series;
    try {
      series = await get(`/api/focus/series?from=${from}&to=${today}&group=day`);
    } catch (err) {
      if (mine !== seq) return;
      if (err.status === 404 || err.status === 400) { charts.hidden = true; chartsOff.hidden = false; return; }
      throw err;
    }
    if (mine !== seq) return;
    charts.hidden = false;
    chartsOff.hidden = true;
    const start = series.from || from;
    const buckets = (series.buckets || []).map((b, i) => ({
      day: String(b.start || '').slice(0, 10) || addDays(start, i),
      completed_focus: Number(b.completed_focus) || 0,
    }));
    const last30 = buckets.filter((b) => dayDiff(from30, b.day) >= 0 && dayDiff(b.day, today) >= 0);
    const year = buckets.filter((b) => b.day >= yearStart && b.day <= today);
    const sum = (list) => list.reduce((a, b) => a + b.completed_focus, 0);
    box30.replaceChildren(last30.length ? barChart(last30, sum(last30)) : h('p', { class: 'muted' }, 'No data.'));
    boxYear.replaceChildren(year.length ? heatmap(year, sum(year), st.week_start) : h('p', { class: 'muted' }, 'No data.'));
  }

  async function statsFor(periods) {
    return Promise.all(periods.map(([p]) => get(`/api/focus/stats?period=${p}`)));
  }

  async function loadStats(mine, st) {
    let periods = calendar ? CAL_PERIODS : ROLLING_PERIODS;
    let results;
    try {
      results = await statsFor(periods);
    } catch (err) {
      if (!(calendar && err.status === 400)) throw err;
      calendar = false;   // a service without calendar periods yet
      periods = ROLLING_PERIODS;
      results = await statsFor(periods);
    }
    if (mine !== seq) return;
    caption.textContent = calendar
      ? `Calendar days, weeks, months and years in ${st ? st.time_zone : 'your time zone'}.`
      : 'Day, week and month are the last 24 hours, 7 days and 30 days.';
    head.replaceChildren(h('th', { scope: 'col' }, h('span', { class: 'vh' }, 'Measure')),
      ...periods.map(([, label]) => h('th', { scope: 'col' }, label)));
    body.replaceChildren(...ROWS.map(([key, label, fmt]) => h('tr', null,
      h('th', { scope: 'row' }, label),
      results.map((r, i) => h('td', { dataset: { period: periods[i][0], stat: key } },
        fmt(r && r[key] != null ? r[key] : 0))))));
  }

  async function load() {
    const mine = ++seq;
    const st = getSettings();
    await Promise.all([loadStats(mine, st), st ? loadCharts(mine, st) : null]);
  }

  return { refresh: () => load().catch(report) };
}
