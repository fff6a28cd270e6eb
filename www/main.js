// Loads the tour's WebAssembly and mounts it; says on the page what went
// wrong if it cannot.
import init, { mount } from './pkg/async_tour.js';

const root = document.getElementById('tour');

function fail(message) {
  root.replaceChildren();
  const p = document.createElement('p');
  p.className = 'load-error';
  p.setAttribute('role', 'alert');
  p.textContent = message;
  root.append(p);
}

try {
  if (location.protocol === 'file:') {
    throw new Error('this page was opened from a file. Browsers refuse to load WebAssembly modules from file:// addresses; serve the folder instead (see the README: scripts/serve.sh).');
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
  fail(`The tour could not start: ${err && err.message ? err.message : err}`);
}
