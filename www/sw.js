// Keeps the tour working offline once it has loaded: every request goes to
// the network first (so a new build shows at once) and falls back to the
// copy saved the last time it was fetched.
const CACHE = 'async-tour-v2';
const SHELL = [
  './', 'index.html', 'main.js', 'style.css', 'pkg/async_tour.js', 'pkg/async_tour_bg.wasm',
  // The files lessons 15 and 17 fetch and load by default.
  'demo/hello.txt', 'demo/tasks.json', 'demo/page.html', 'demo/loop.txt',
];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  // Other sites, and the local server's held replies, go straight out.
  if (request.method !== 'GET' || url.origin !== self.location.origin || url.pathname === '/hold') return;
  event.respondWith(
    fetch(request)
      .then((response) => {
        // A 404 is kept too: lesson 15's missing file still gives its 404
        // offline.
        if (response.ok || response.status === 404) {
          const copy = response.clone();
          caches.open(CACHE).then((cache) => cache.put(request, copy));
        }
        return response;
      })
      .catch(() => caches.match(request, { ignoreSearch: true }).then((hit) => hit || Response.error())),
  );
});
