// Countdown arithmetic, the ticking display and the ring.
//
// The server is the clock. Every /active answer and every event carries
// `server_time`; offset = server_time - the client's clock when the answer
// arrived (the midpoint of the request). A running session ends at
// expires_at on the server's clock, that is at expires_at - offset on ours.
// The display is redrawn from that deadline each time (never a counter
// decremented per tick), so a background tab, a throttled timer or a laptop
// waking from sleep shows the right value as soon as it draws, and the
// time's-up callback is scheduled for the deadline itself.

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

// The server's clock minus ours (ms), from an answer's server_time and the
// client time it arrived at; 0 when the answer has none.
export function clockOffset(serverTime, receivedAt) {
  const t = Date.parse(serverTime);
  return Number.isFinite(t) ? t - receivedAt : 0;
}

// When a session with this expires_at ends, on the client's clock. Without
// server_time, the answer's time_remaining_seconds stands in for it.
export function clientDeadline(expiresAt, offset, remainingSeconds, receivedAt) {
  const exp = Date.parse(expiresAt);
  if (!Number.isFinite(exp)) return receivedAt + (Number(remainingSeconds) || 0) * 1000;
  if (offset === null && Number.isFinite(remainingSeconds)) {
    return receivedAt + remainingSeconds * 1000;
  }
  return exp - (offset || 0);
}

export function secondsLeft(deadline, now = Date.now()) {
  return Math.max(0, Math.ceil((deadline - now) / 1000));
}

// Drives the role="timer" text and the role="progressbar" ring together.
// States: idle (a planned duration), running (counts down to a deadline),
// paused (a frozen value). onZero fires once when a running countdown
// reaches its deadline, from a timeout set for the deadline.
export class Countdown {
  constructor({ text, ring, arc }, { onTick, onZero } = {}) {
    this.text = text;
    this.ring = ring;
    this.arc = arc;
    this.onTick = onTick || (() => {});
    this.onZero = onZero || (() => {});
    this.state = { kind: 'idle', seconds: 0, total: 0 };
    this.tickHandle = null;
    this.zeroHandle = null;
  }

  showIdle(seconds) {
    this.stop();
    this.state = { kind: 'idle', seconds, total: seconds };
    this.render();
  }

  showPaused(seconds, total) {
    this.stop();
    this.state = { kind: 'paused', seconds, total };
    this.render();
  }

  run(deadline, total) {
    this.stop();
    this.state = { kind: 'running', deadline, total };
    this.tick();
    const ms = deadline - Date.now();
    if (ms > 0) {
      // setTimeout's delay is a 32-bit number of ms
      this.zeroHandle = setTimeout(() => this.reachedZero(), Math.min(ms + 20, 2 ** 31 - 1));
    } else {
      this.zeroHandle = setTimeout(() => this.reachedZero(false), 0);
    }
  }

  reachedZero(justNow = true) {
    this.zeroHandle = null;
    if (this.state.kind !== 'running') return;
    if (Date.now() < this.state.deadline) { // woken early (a long delay clamped)
      this.run(this.state.deadline, this.state.total);
      return;
    }
    this.render();
    clearTimeout(this.tickHandle);
    this.tickHandle = null;
    this.onZero(justNow);
  }

  stop() {
    clearTimeout(this.tickHandle);
    clearTimeout(this.zeroHandle);
    this.tickHandle = null;
    this.zeroHandle = null;
  }

  current() {
    const st = this.state;
    return st.kind === 'running' ? secondsLeft(st.deadline) : st.seconds;
  }

  render() {
    const secs = this.current();
    const label = formatRemaining(secs);
    if (this.text.textContent !== label) this.text.textContent = label;
    this.text.dataset.state = this.state.kind;
    const total = Math.max(1, this.state.total || secs || 1);
    this.ring.setAttribute('aria-valuemax', String(total));
    this.ring.setAttribute('aria-valuenow', String(Math.min(secs, total)));
    this.ring.setAttribute('aria-valuetext', `${label} left`);
    // the arc shows the time left: full at the start, empty at 00:00
    const frac = Math.min(1, secs / total);
    this.arc.setAttribute('stroke-dashoffset', String(Math.round((1 - frac) * 1000)));
    this.ring.dataset.state = this.state.kind;
    this.onTick(secs, this.state.kind);
    return secs;
  }

  tick() {
    this.tickHandle = null;
    const secs = this.render();
    if (this.state.kind !== 'running' || secs === 0) return;
    // wake just after the next whole-second boundary of the time left
    const msToBoundary = ((this.state.deadline - Date.now()) % 1000 + 1000) % 1000;
    this.tickHandle = setTimeout(() => this.tick(), (msToBoundary || 1000) + 15);
  }

  // Redraw now (the tab became visible, the machine woke).
  refresh() {
    if (this.state.kind === 'running') {
      clearTimeout(this.tickHandle);
      this.tick();
      if (Date.now() >= this.state.deadline && this.zeroHandle === null) this.reachedZero(false);
    } else {
      this.render();
    }
  }
}
