// Live state: the caller's /active object as Server-Sent Events from
// GET /api/focus/events (nginx's nchan; API.md "Live state across devices"),
// with polling of GET /api/focus/active (If-None-Match, so an unchanged
// state costs a 304 without a body) while the stream is down or missing.
// Every state carries its version, from which its tag comes: an event
// alone tells the page the If-Match of its actions and the If-None-Match
// of its polls, with no read of /active.
import { getIfChanged } from './api.js';

const EVENTS_PATH = '/api/focus/events';
const ACTIVE_PATH = '/api/focus/active';
const FALLBACK_POLL_MS = 500;       // no stream: a change still shows within 1 s (a 304 each)
const SAFETY_POLL_MS = 10_000;      // stream up: a slow check (a 304) that it tells the truth
// A stream that failed for good (EventSource gives up on any answer but a
// stream: a 503 while the service cannot authorize it, say in a mass
// reconnect) is opened again after a delay that doubles from the first to
// the last, each spread by up to half again at random, so that the pages
// a storm turned away do not all come back in the same second.
const RECONNECT_FIRST_MS = 5_000;
const RECONNECT_MAX_MS = 120_000;

// A state's version "<user id>-<n>" (API.md "Live state"): its tag is the
// version quoted, the ETag /active carries at that state; n grows with
// every change, so it orders states. null / NaN: a state without one.
const tagOf = (version) => (typeof version === 'string' && version !== '' ? `W/"${version}"` : null);
const counterOf = (version) => {
  const m = typeof version === 'string' ? /-(\d+)$/.exec(version) : null;
  return m ? Number(m[1]) : NaN;
};

// onState(active, receivedAt): every state, from an event or a poll.
// canPoll(): false while the page should not poll (hidden tab, service down).
export function createLive({ onState, onError, canPoll }) {
  let source = null;
  let streaming = false;   // an open stream has delivered its first state
  let pollTimer = null;
  let reconnectTimer = null;
  let reconnectMs = RECONNECT_FIRST_MS;   // the next reconnect's delay, before its spread
  let etag = null;         // the ETag of the state last delivered; null: not known yet
  let newest = -Infinity;  // the version counter of the state last delivered
  let polling = false;
  let stopped = false;
  let generation = 0;      // bumped by every action and event: a poll begun before it is stale

  // tag: the state's ETag (from its version, or the poll's header)
  function deliver(data, receivedAt, tag) {
    if (stopped || !data || typeof data !== 'object') return;
    // an event's data is the /active object; tolerate the API envelope too
    const active = 'session' in data || 'next' in data ? data : data.data;
    if (!active || typeof active !== 'object') return;
    // an event made for a connect that raced a change can come after the
    // change's: an older state than the one shown is dropped
    const counter = counterOf(active.version);
    if (counter < newest) return;
    etag = tag;
    if (Number.isFinite(counter)) newest = counter;
    onState(active, receivedAt);
  }

  async function pollOnce() {
    if (stopped || polling) return;
    polling = true;
    const t0 = Date.now();
    const mine = generation;
    try {
      const r = await getIfChanged(ACTIVE_PATH, etag);
      // begun before an event or an action: its state may be older (the
      // event brought its own tag; an action cleared it)
      if (mine !== generation) return;
      if (!r.notModified) deliver(r.data, (t0 + Date.now()) / 2, r.etag || null);
    } catch (err) {
      if (onError) onError(err);
    } finally {
      polling = false;
    }
  }

  function schedulePoll() {
    clearTimeout(pollTimer);
    if (stopped) return;
    const ms = streaming ? SAFETY_POLL_MS : FALLBACK_POLL_MS;
    pollTimer = setTimeout(async () => {
      if (canPoll()) await pollOnce();
      schedulePoll();
    }, ms);
  }

  function connect() {
    clearTimeout(reconnectTimer);
    if (stopped || typeof EventSource === 'undefined') return;
    try {
      source = new EventSource(EVENTS_PATH);
    } catch {
      source = null;
      return;
    }
    const onMessage = (ev) => {
      let data = null;
      try { data = JSON.parse(ev.data); } catch { return; }
      if (!streaming) { streaming = true; reconnectMs = RECONNECT_FIRST_MS; schedulePoll(); }
      // a read begun before the event is dropped (it may hold an older state)
      generation++;
      const tag = tagOf(data && typeof data === 'object' ? data.version : null);
      deliver(data, Date.now(), tag);
      // an event with no version (a service from before it had them):
      // its tag is learnt from a read of /active
      if (!tag) refresh();
    };
    source.addEventListener('state', onMessage);
    source.addEventListener('message', onMessage);
    source.addEventListener('error', () => {
      // CONNECTING: the browser retries by itself; CLOSED: it gave up
      // (no such route, not signed in, not an event stream, a 503)
      if (streaming) { streaming = false; etag = null; }
      schedulePoll();
      if (source && source.readyState === EventSource.CLOSED) {
        source = null;
        reconnectTimer = setTimeout(connect, reconnectMs * (1 + Math.random() / 2));
        reconnectMs = Math.min(reconnectMs * 2, RECONNECT_MAX_MS);
      }
    });
  }

  async function refresh() {
    generation++;
    while (polling) await new Promise((r) => setTimeout(r, 20));
    return pollOnce();
  }

  return {
    start() {
      stopped = false;
      connect();
      pollOnce();
      schedulePoll();
    },
    // read now (after an action, or when the tab came back); a read already
    // on its way may predate the action: it is dropped and this one made
    refresh,
    // the ETag of the state the page shows (If-Match of the actions on the
    // open session, API.md "Live state"); null while it is not known
    get etag() { return etag; },
    // an action begins or ends: answers to reads sent before it are stale,
    // and the page shows the action's answer, whose tag is not known until
    // its event (or a read) brings it
    invalidate() { generation++; etag = null; },
    get streaming() { return streaming; },
    stop() {
      stopped = true;
      clearTimeout(pollTimer);
      clearTimeout(reconnectTimer);
      if (source) source.close();
      source = null;
    },
  };
}
