// The focus page: sign-in and sign-up, then the timer, progress, your days,
// history, settings and focus music, following the person's other devices.
import { get, post, onApiError } from './api.js';
import { createTimer } from './focus.js';

const LOGIN_PATH = '/api/auth/login';
const REGISTER_PATH = '/api/auth/register';

const mainEl = document.getElementById('main');
const bannerEl = document.getElementById('unavailable');
const whoamiEl = document.getElementById('whoami');
const userNameEl = document.getElementById('user-name');
const signOutBtn = document.getElementById('sign-out');
const progressEl = document.getElementById('progress');

let view = null;        // null (booting), 'signin', 'signup' or 'app'
let appCtl = null;      // the signed-in view's controller
let retryTimer = null;  // pending recovery after a 503 or a network failure
let bannerTimer = null;

const isUnavailable = (err) => err && (err.status === 503 || err.kind === 'network');

// ---- 401 and 503 ---------------------------------------------------------------

onApiError((err, path) => {
  if (err.status === 401 && path !== LOGIN_PATH && path !== REGISTER_PATH) {
    if (view === 'app') showSignIn('Your session has ended. Please sign in again.');
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
    : 'Offline: reconnecting.';
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
    if (err.status !== 401) { serviceBack(); return; }
  }
  serviceBack();
  if (view === 'app' && user) appCtl.refreshAll();
  else if (view !== 'signin' && view !== 'signup') user ? showApp(user) : showSignIn();
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

function signedOutChrome() {
  whoamiEl.hidden = true;
  progressEl.hidden = true;
  userNameEl.textContent = '';
}

function showSignIn(note) {
  mount('tpl-signin');
  view = 'signin';
  signedOutChrome();
  document.title = 'Sign in · Focus';

  const form = document.getElementById('signin-form');
  const nameIn = document.getElementById('signin-name');
  const passIn = document.getElementById('signin-password');
  const errEl = document.getElementById('signin-error');
  const button = form.querySelector('button[type=submit]');
  document.getElementById('signin-note').textContent = note || '';

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
  form.addEventListener('input', () => { errEl.textContent = ''; });
  document.getElementById('to-signup').addEventListener('click', () => showSignUp(nameIn.value.trim()));
  nameIn.focus();
}

function showSignUp(name) {
  mount('tpl-signup');
  view = 'signup';
  signedOutChrome();
  document.title = 'Create account · Focus';

  const form = document.getElementById('signup-form');
  const nameIn = document.getElementById('signup-name');
  const passIn = document.getElementById('signup-password');
  const confirmIn = document.getElementById('signup-confirm');
  const errEl = document.getElementById('signup-error');
  const button = form.querySelector('button[type=submit]');
  if (name) nameIn.value = name;

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    errEl.textContent = '';
    const n = nameIn.value.trim();
    if (!n) { errEl.textContent = 'Choose a name.'; nameIn.focus(); return; }
    if ([...passIn.value].length < 10) {
      errEl.textContent = 'The password needs at least 10 characters.';
      passIn.focus();
      return;
    }
    if (passIn.value !== confirmIn.value) {
      errEl.textContent = 'The two passwords differ.';
      confirmIn.value = '';
      confirmIn.focus();
      return;
    }
    button.disabled = true;
    try {
      const data = await post(REGISTER_PATH, { name: n, password: passIn.value });
      showApp(data.user, { firstSignIn: true });
    } catch (err) {
      button.disabled = false;
      if (isUnavailable(err)) return;
      if (err.status === 404) errEl.textContent = 'This service does not take new accounts; ask its operator for one.';
      else if (err.status === 409) { errEl.textContent = 'That name is taken; choose another.'; nameIn.focus(); }
      else errEl.textContent = err.message;
    }
  });
  // a complaint about what was typed goes once it is being changed
  form.addEventListener('input', () => { errEl.textContent = ''; });
  document.getElementById('to-signin').addEventListener('click', () => showSignIn());
  (name ? passIn : nameIn).focus();
}

function showApp(user, opts = {}) {
  mount('tpl-app');
  view = 'app';
  whoamiEl.hidden = false;
  progressEl.hidden = false;
  userNameEl.textContent = user && user.name ? user.name : '';
  document.title = 'Focus';
  appCtl = createTimer(mainEl, { user, firstSignIn: !!opts.firstSignIn, isUnavailable,
    bannerUp: () => !bannerEl.hidden });
  document.getElementById('timer-title').focus();
}

signOutBtn.addEventListener('click', async () => {
  signOutBtn.disabled = true;
  try {
    await post('/api/auth/logout');
    showSignIn('You have signed out.');
  } catch (err) {
    if (err.status === 401) showSignIn('You have signed out.');
  } finally {
    signOutBtn.disabled = false;
  }
});

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
window.addEventListener('offline', () => serviceUnavailable({ status: 0, kind: 'network', retryAfter: null }));
// the page shell offline (sw.js); the API is never cached
if ('serviceWorker' in navigator) navigator.serviceWorker.register('/sw.js').catch(() => {});
boot();
