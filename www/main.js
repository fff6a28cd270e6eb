// Wakes the tour up: the page is already there, rendered at build time;
// this loads the WebAssembly that runs its lessons. If it cannot, the
// lessons still read, and a banner says why Run does not work.
import init, { mount, unmount } from './pkg/async_tour.js';

function fail(message) {
  const p = document.createElement('p');
  p.className = 'load-error';
  p.setAttribute('role', 'alert');
  p.textContent = message;
  document.body.prepend(p);
}

// The interpreter's module once asked for, and the lessons waiting on it.
let python = null;
const waiting = new Set();

try {
  if (location.protocol === 'file:') {
    throw new Error('this page was opened from a file, and browsers refuse to load WebAssembly modules from file:// addresses. The lessons read as they are. To run them, serve the folder (see the README: scripts/serve.sh), or open the one-file tour, async-tour.html, which runs from disk.');
  }
  await init();
  // User-timing marks: the benchmark page (bench.html) reads them, and so
  // can a reader in the developer tools' performance panel.
  performance.mark('tour:wasm-ready');
  // The Python interpreter is a module of its own (the tour with it), so
  // the tour's first paint and start-up never wait for it: a lesson asks
  // for it when the reader first presses Run the Python (or opens the
  // address of a Python run's step, which mounting does), and that module
  // takes the page over.
  document.addEventListener('tour:wants-python', wantsPython);
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

// Loads the module with the interpreter, hands the page over to it and
// presses Run the Python again in each lesson that asked, now that it can
// run: in the same turn as the hand-over, so no lesson shows idle between.
function wantsPython(event) {
  waiting.add(event.target);
  if (!python) performance.mark('tour:python-asked');
  python ??= takeOverWithPython().catch((err) => {
    console.error(err);
    python = null;
    const why = err && err.message ? err.message : err;
    for (const section of waiting) {
      const status = section.querySelector('.status');
      for (const el of [status, section]) el.dataset.state = 'refused';
      status.textContent = `Can't run the Python: its interpreter did not load (${why}). The Rust still runs.`;
      section.querySelector('button.run').disabled = false;
      section.querySelector('button.run-python').disabled = false;
      section.querySelector('button.stop').disabled = true;
    }
    waiting.clear();
  });
}

async function takeOverWithPython() {
  const py = await import('./py-pkg/async_tour.js');
  await py.default();
  unmount();
  try {
    py.mount('tour');
  } catch (err) {
    mount('tour');
    throw err;
  }
  document.removeEventListener('tour:wants-python', wantsPython);
  performance.mark('tour:python-ready');
  for (const section of waiting) section.querySelector('button.run-python').click();
  waiting.clear();
}
