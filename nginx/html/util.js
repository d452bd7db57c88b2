// Small DOM and formatting helpers shared by the page's modules.

// h('li', {class: 'x', onclick: fn, 'aria-label': 'y'}, child, 'text', ...)
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2), value);
    } else if (key === 'class') {
      el.className = value;
    } else if (key === 'dataset') {
      Object.assign(el.dataset, value);
    } else if (value === true) {
      el.setAttribute(key, '');
    } else {
      el.setAttribute(key, String(value));
    }
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

// SVG elements (charts, written by the page)
export function s(tag, attrs, ...children) {
  const el = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value !== null && value !== undefined) el.setAttribute(key, String(value));
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined) el.append(child);
  }
  return el;
}

// Visually hidden text that still counts for a control's accessible name.
export const vh = (text) => h('span', { class: 'vh' }, text);

export const MODE_LABELS = { focus: 'Focus', break: 'Short break', long_break: 'Long break' };
export const modeLabel = (mode) => MODE_LABELS[mode] || String(mode);
// "Start focus", "Start break", "Start long break"
export const startLabel = (mode) =>
  `Start ${mode === 'long_break' ? 'long break' : mode === 'break' ? 'break' : 'focus'}`;

// 1500 -> "25 min", 90 -> "1 min 30 s", 5400 -> "1 h 30 min"
export function formatDuration(seconds) {
  const sec = Math.max(0, Math.round(Number(seconds) || 0));
  const hours = Math.floor(sec / 3600);
  const mins = Math.floor((sec % 3600) / 60);
  const rest = sec % 60;
  const parts = [];
  if (hours) parts.push(`${hours} h`);
  if (mins) parts.push(`${mins} min`);
  if (rest && !hours) parts.push(`${rest} s`);
  return parts.length ? parts.join(' ') : '0 min';
}

const dateFmt = new Intl.DateTimeFormat(undefined, {
  month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit',
});
export function formatDate(iso) {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? '' : dateFmt.format(new Date(t));
}

export function formatBytes(n) {
  const b = Number(n) || 0;
  if (b < 1024) return `${b} B`;
  if (b < 1024 * 1024) return `${(b / 1024).toFixed(1)} KB`;
  return `${(b / 1024 / 1024).toFixed(1)} MB`;
}

export const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;

// ---- local calendar dates (YYYY-MM-DD) in the person's time zone ----

// Today's local date in timeZone, where a day begins at dayStartHour.
export function localToday(timeZone, dayStartHour = 0, now = Date.now()) {
  const shifted = new Date(now - dayStartHour * 3600_000);
  try {
    return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
      .format(shifted);
  } catch {
    return shifted.toISOString().slice(0, 10);
  }
}

// Date arithmetic on calendar dates (no time zone involved).
export function addDays(ymd, n) {
  const d = new Date(`${ymd}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

export function dayDiff(a, b) {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86400_000);
}

export function browserTimeZone() {
  try { return Intl.DateTimeFormat().resolvedOptions().timeZone || ''; } catch { return ''; }
}
