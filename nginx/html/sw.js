// The page's service worker: the page shell (these static files) offline.
// Network first, so a deployed change is seen at once; the cache answers
// only when the network does not. The API is never cached or queued: a
// write made offline fails, and the page says so (issue 19 item 10).
const CACHE = 'focus-shell-v1';
const SHELL = ['/', '/index.html', '/style.css', '/app.js', '/api.js', '/focus.js', '/timer.js',
  '/live.js', '/history.js', '/days.js', '/music.js', '/settings.js', '/util.js',
  '/manifest.json', '/icon.svg'];

self.addEventListener('install', (ev) => {
  ev.waitUntil(caches.open(CACHE).then((c) => c.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (ev) => {
  ev.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

self.addEventListener('fetch', (ev) => {
  const req = ev.request;
  const url = new URL(req.url);
  if (req.method !== 'GET' || url.origin !== self.location.origin || url.pathname.startsWith('/api/')) return;
  ev.respondWith((async () => {
    try {
      const res = await fetch(req);
      if (res.ok) {
        const copy = res.clone();
        caches.open(CACHE).then((c) => c.put(req, copy)).catch(() => {});
      }
      return res;
    } catch (err) {
      const cached = await caches.match(req, { ignoreSearch: true })
        || (req.mode === 'navigate' ? await caches.match('/index.html') : undefined);
      if (cached) return cached;
      throw err;
    }
  })());
});
