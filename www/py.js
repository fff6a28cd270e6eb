// The page scripts/py.sh drives (e2e/src/bin/py.rs): it waits for
// `window.pyReady`, then calls `window.pyRun(source, filename, speed,
// record)`, which resolves to { stdout, stderr, failed, record }.
// Its module is the tour's built with the `python` feature (py-pkg); the
// tour's own module carries none of it.
import init, { run_python } from './py-pkg/async_tour.js';

const $ = (selector) => document.querySelector(selector);

window.pyRun = (source, filename, speed, record) =>
  run_python(source, filename, speed, record);

async function runHere() {
  $('#run').disabled = true;
  $('#status').textContent = 'Running…';
  try {
    const r = await run_python($('#source').value, 'program.py', 1, false);
    $('#stdout').textContent = r.stdout;
    $('#stderr').textContent = r.stderr;
    $('#status').textContent = r.failed ? 'It failed (exit status 1).' : 'Done.';
  } catch (e) {
    $('#status').textContent = `The page could not run it: ${e}`;
  } finally {
    $('#run').disabled = false;
  }
}

init().then(() => {
  $('#run').addEventListener('click', runHere);
  $('#run').disabled = false;
  $('#status').textContent = '';
  window.pyReady = true;
}, (e) => {
  $('#status').textContent = `The module did not load: ${e}`;
  window.pyReady = `failed: ${e}`;
});
