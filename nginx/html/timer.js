// Countdown arithmetic and the ticking display.
//
// The server is the clock: a session carries `expires_at` (server time) and
// `time_remaining_seconds` (computed by the server at the moment it answered).
// Comparing `expires_at` with the client's own clock would be off by the client's
// clock skew, so we estimate the skew at fetch time:
//   server_now ≈ expires_at - time_remaining_seconds
//   skew       = server_now - client_now_at_fetch
// and count down to `expires_at - skew` on the client's clock (Date.now(), which
// keeps running while the laptop sleeps or the tab is hidden, so the display is
// right as soon as it is drawn again).

export function formatRemaining(totalSeconds) {
  const s = Math.max(0, Math.floor(Number(totalSeconds) || 0));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const pad = (n) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(sec)}` : `${pad(m)}:${pad(sec)}`;
}

// Parse "MM:SS" or "H:MM:SS" back into seconds (null when it is neither).
export function parseRemaining(text) {
  const m = /^\s*(?:(\d+):)?(\d{1,2}):(\d{2})\s*$/.exec(text || '');
  if (!m) return null;
  return (Number(m[1] || 0) * 3600) + Number(m[2]) * 60 + Number(m[3]);
}

// Deadline on the client's clock plus the skew estimate (ms; positive when the
// server's clock is ahead of ours).
export function clientDeadline(expiresAt, remainingSeconds, receivedAt) {
  const exp = Date.parse(expiresAt);
  const hasRemaining = Number.isFinite(remainingSeconds);
  if (!Number.isFinite(exp)) {
    return { deadline: receivedAt + (hasRemaining ? remainingSeconds : 0) * 1000, skew: 0 };
  }
  if (!hasRemaining) return { deadline: exp, skew: 0 };
  const serverNow = exp - remainingSeconds * 1000;
  const skew = serverNow - receivedAt;
  return { deadline: exp - skew, skew };
}

export function secondsLeft(deadline, now = Date.now()) {
  return Math.max(0, Math.ceil((deadline - now) / 1000));
}

// Drives one role="timer" element. Modes: idle (shows a planned duration),
// running (counts down to a deadline), paused (shows a frozen value).
export class Countdown {
  constructor(el, { onTick, onZero } = {}) {
    this.el = el;
    this.onTick = onTick || (() => {});
    this.onZero = onZero || (() => {});
    this.state = { kind: 'idle', seconds: 0 };
    this.handle = null;
    this.prev = null; // the last running value drawn
  }

  showIdle(seconds) {
    this.stop();
    this.state = { kind: 'idle', seconds };
    this.render();
  }

  showPaused(seconds) {
    this.stop();
    this.state = { kind: 'paused', seconds };
    this.render();
  }

  run(expiresAt, remainingSeconds, receivedAt) {
    this.stop();
    const { deadline, skew } = clientDeadline(expiresAt, remainingSeconds, receivedAt);
    this.state = { kind: 'running', deadline, skew };
    this.el.dataset.skewMs = String(Math.round(skew));
    this.prev = null;
    this.tick();
  }

  stop() {
    if (this.handle !== null) clearTimeout(this.handle);
    this.handle = null;
  }

  current() {
    const st = this.state;
    return st.kind === 'running' ? secondsLeft(st.deadline) : st.seconds;
  }

  render() {
    const secs = this.current();
    const text = formatRemaining(secs);
    if (this.el.textContent !== text) this.el.textContent = text;
    this.el.dataset.state = this.state.kind;
    this.onTick(secs, this.state.kind);
    return secs;
  }

  tick() {
    this.handle = null;
    const secs = this.render();
    if (this.state.kind !== 'running') return;
    const prev = this.prev;
    this.prev = secs;
    if (secs === 0) {
      // justNow: the countdown ran out while shown (not already out when drawn).
      this.onZero(prev !== null && prev > 0);
      return;
    }
    // Wake just after the next whole-second boundary of the remaining time.
    const msToBoundary = ((this.state.deadline - Date.now()) % 1000 + 1000) % 1000;
    this.handle = setTimeout(() => this.tick(), (msToBoundary || 1000) + 15);
  }

  // Redraw now (after the tab becomes visible or the machine wakes).
  refresh() {
    if (this.state.kind === 'running') { this.stop(); this.tick(); } else this.render();
  }
}
