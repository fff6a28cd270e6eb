// Wakes the tour up: the page is already there, rendered at build time;
// this loads the WebAssembly that runs its lessons. If it cannot, the
// lessons still read, and a banner says why Run does not work.
import init, { mount } from './pkg/async_tour.js';

function fail(message) {
  const p = document.createElement('p');
  p.className = 'load-error';
  p.setAttribute('role', 'alert');
  p.textContent = message;
  document.body.prepend(p);
}

try {
  if (location.protocol === 'file:') {
    throw new Error('this page was opened from a file, and browsers refuse to load WebAssembly modules from file:// addresses. The lessons read as they are. To run them, serve the folder (see the README: scripts/serve.sh), or open the one-file tour, async-tour.html, which runs from disk.');
  }
  await init();
  // User-timing marks: the benchmark page (bench.html) reads them, and so
  // can a reader in the developer tools' performance panel.
  performance.mark('tour:wasm-ready');
  mount('tour');
  performance.mark('tour:runnable');
  // Offline once loaded: a service worker keeps a copy of the page.
  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.register('sw.js').catch((err) => console.warn('no offline copy:', err));
  }
} catch (err) {
  console.error(err);
  fail(`Run is unavailable: ${err && err.message ? err.message : err}`);
}
