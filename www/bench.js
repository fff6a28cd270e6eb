// The benchmark page. Each case does one piece of work with the tour's
// Rust (src/bench.rs) and the same work in plain JavaScript, in turn
// (Rust first in even rounds, JavaScript first in odd ones), with warm-up
// rounds left out and the median kept.
//
//   bench.html          press the button
//   bench.html?auto     start at once (scripts/bench.sh)
//   bench.html?quick    one round per case, no warm-up (the end-to-end
//                       suite's check that the page still works)
//   bench.html?case=spawn,chain   only those cases (ids in CASES below)
//
// When done, the result is in `window.benchResult`: the numbers as JSON
// and the same table as Markdown, for the README.
// Its module is the tour's, built with the `bench` feature into bench-pkg
// (scripts/build.sh --bench), so the tour's own module carries none of it.
import init, * as rust from './bench-pkg/async_tour.js';

const params = new URLSearchParams(location.search);
const QUICK = params.has('quick');
const $ = (selector) => document.querySelector(selector);

const now = () => performance.now();
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
async function timed(work) {
  const start = now();
  await work();
  return now() - start;
}

// ---- The JavaScript side ---------------------------------------------------

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// A MessageChannel yield, built the way the tour's `yield_now` is: one
// channel for the page, and each message settles the oldest waiter.
const channel = new MessageChannel();
const waiting = [];
channel.port1.onmessage = () => waiting.shift()();
const yieldChannel = () => new Promise((resolve) => {
  waiting.push(resolve);
  channel.port2.postMessage(null);
});

const js = {
  spawn: (n) => Promise.all(Array.from({ length: n }, async (_, i) => { await Promise.resolve(i); })),
  async chain(n) {
    for (let i = 0; i < n; i++) await Promise.resolve(i);
  },
  async yieldTimeout(n) {
    for (let i = 0; i < n; i++) await sleep(0);
  },
  // 10,000 async functions each awaiting one turn of the loop (the tour's
  // Python awaits asyncio.sleep(0), which is a MessageChannel turn).
  async gatherTurns(n) {
    const one = async () => { await yieldChannel(); };
    await Promise.all(Array.from({ length: n }, one));
  },
  fib(n) {
    return n < 2 ? n : js.fib(n - 1) + js.fib(n - 2);
  },
  squares(n) {
    let total = 0;
    for (let i = 0; i < n; i++) total += i * i;
    return total;
  },
  async yieldChannel(n) {
    for (let i = 0; i < n; i++) await yieldChannel();
  },
  // The gather lesson: three tasks of 1, 2 and 3 s, side by side.
  gather: () => Promise.all([3, 2, 1].map((secs) => sleep(secs * 1000))),
  async requests(url, n, gathered) {
    const urls = Array.from({ length: n }, (_, i) => `${url}&i=${i}`);
    const get = async (u) => {
      const reply = await fetch(u);
      if (!reply.ok) throw new Error(`${u}: status ${reply.status}`);
      await reply.text();
    };
    if (gathered) {
      await Promise.all(urls.map(get));
    } else {
      for (const u of urls) await get(u);
    }
  },
  async many(n, batch) {
    const tasks = [];
    for (let i = 0; i < n; i++) {
      if (i > 0 && i % batch === 0) await yieldChannel();
      tasks.push((async () => {
        await Promise.resolve(i);
        await yieldChannel();
        await Promise.resolve(i);
      })());
    }
    await Promise.all(tasks);
  },
};

// ---- Measurements that need the page ---------------------------------------

// Loads `src` in a frame and gives the time from the frame's navigation to
// its `tour:runnable` mark (main.js sets it once the first lesson can run).
async function startUp(src) {
  const frame = document.createElement('iframe');
  frame.src = src;
  $('#frames').append(frame);
  try {
    const deadline = now() + 20000;
    for (;;) {
      const timing = frame.contentWindow && frame.contentWindow.performance;
      const mark = timing && timing.getEntriesByName('tour:runnable')[0];
      if (mark) {
        const wasm = timing.getEntriesByName('tour:wasm-ready')[0];
        return { value: mark.startTime, wasmReady: wasm ? wasm.startTime : null };
      }
      if (now() > deadline) throw new Error(`${src} was not runnable after 20 s`);
      await sleep(1);
    }
  } finally {
    frame.remove();
  }
}

// Runs `work` and gives the longest long task the browser reported
// meanwhile (PerformanceObserver; only tasks over 50 ms are reported, so 0
// means none), and the longest gap between animation frames.
async function longestTask(work) {
  const entries = [];
  const supported = (PerformanceObserver.supportedEntryTypes || []).includes('longtask');
  const observer = supported ? new PerformanceObserver((list) => entries.push(...list.getEntries())) : null;
  if (observer) observer.observe({ type: 'longtask' });
  let watching = true;
  let last = 0;
  let gap = 0;
  const frame = (t) => {
    if (last) gap = Math.max(gap, t - last);
    last = t;
    if (watching) requestAnimationFrame(frame);
  };
  await new Promise((resolve) => requestAnimationFrame((t) => { last = t; resolve(); }));
  requestAnimationFrame(frame);
  const total = await timed(work);
  await sleep(100); // long-task entries arrive after their task
  watching = false;
  if (observer) {
    entries.push(...observer.takeRecords());
    observer.disconnect();
  }
  const longest = entries.reduce((m, e) => Math.max(m, e.duration), 0);
  return { value: supported ? longest : null, frameGap: gap, total };
}

// Sequential then gathered, the speed-up as the value.
async function speedUp(fetchAll) {
  const sequential = await timed(() => fetchAll(false));
  const gathered = await timed(() => fetchAll(true));
  return { value: sequential / gathered, sequential, gathered };
}

// ---- The cases -------------------------------------------------------------

const HOLD = `${location.origin}/hold?ms=100`;
const N = 10000;
const MANY = 100000;

const ms = (x) => (x == null ? 'n/a' : x >= 100 ? `${x.toFixed(0)} ms` : `${x.toFixed(2)} ms`);
const times = (x) => `${x.toFixed(2)}×`;

// The Python cases' programs, the same text CPython runs (`e2e`'s bench
// binary times them there too).
const PY = {};
async function python(name) {
  if (!PY[name]) PY[name] = await (await fetch(`bench-py/${name}.py`, { cache: 'no-store' })).text();
  return rust.bench_python(PY[name]);
}

const CASES = [
  {
    id: 'py-fib', title: "Python: recursive fib(25) on the tour's interpreter (JS: the same function)",
    warmup: 1, runs: 5, show: ms,
    rust: () => python('fib'),
    js: () => timed(async () => js.fib(25)),
  },
  {
    id: 'py-squares', title: "Python: a loop summing a million squares on the tour's interpreter (JS: the same loop)",
    warmup: 1, runs: 5, show: ms,
    rust: () => python('squares'),
    js: () => timed(async () => js.squares(1000000)),
  },
  {
    id: 'py-gather', title: "Python: 10,000 tasks gathered, each awaiting asyncio.sleep(0), recorded (JS: Promise.all of MessageChannel turns)",
    warmup: 1, runs: 5, show: ms,
    rust: () => python('gather'),
    js: () => timed(() => js.gatherTurns(N)),
  },
  {
    id: 'py-compile', title: "Python: parse and compile a lesson's listing, the slowest of the 19 (JS: —)",
    warmup: 1, runs: 5, show: ms,
    rust: async () => rust.bench_python_compile(20),
    js: async () => null,
    target: { text: '≤ 1 ms', met: (r) => r.rust <= 1 },
  },
  {
    id: 'spawn', title: `${N.toLocaleString('en')} spawned tasks each awaiting a resolved promise (JS: Promise.all)`,
    warmup: 3, runs: 15, show: ms,
    rust: () => timed(() => rust.bench_spawn(N)),
    js: () => timed(() => js.spawn(N)),
    target: { text: 'Rust ≤ 4× JS', met: (r) => r.ratio <= 4 },
  },
  {
    // Both columns are the tour's Rust: the same spawn case inside a run,
    // with its record of the loop kept, and with no record.
    id: 'record', title: `the record's cost: the spawn case inside a run, recorded (left) against not recorded (right)`,
    warmup: 3, runs: 15, show: ms,
    rust: () => timed(() => rust.bench_spawn_in_run(N, true)),
    js: () => timed(() => rust.bench_spawn_in_run(N, false)),
    target: { text: 'recorded ≤ 1.15× not', met: (r) => r.ratio != null && r.ratio <= 1.15 },
  },
  {
    id: 'chain', title: `a chain of ${N.toLocaleString('en')} awaits of resolved promises`,
    warmup: 3, runs: 15, show: ms,
    rust: () => timed(() => rust.bench_chain(N)),
    js: () => timed(() => js.chain(N)),
  },
  {
    id: 'yield-timeout', title: '50 zero-delay yields: TimeoutFuture::new(0) (JS: setTimeout(0))',
    warmup: 1, runs: 5, show: ms,
    rust: () => timed(() => rust.bench_yield_timeout(50)),
    js: () => timed(() => js.yieldTimeout(50)),
  },
  {
    id: 'yield-channel', title: "1,000 zero-delay yields: the tour's yield_now, a MessageChannel (JS: MessageChannel)",
    warmup: 3, runs: 15, show: ms,
    rust: () => timed(() => rust.bench_yield_tour(1000)),
    js: () => timed(() => js.yieldChannel(1000)),
    target: { text: 'Rust ≤ 1.3× JS', met: (r) => r.ratio <= 1.3 },
  },
  {
    id: 'gather', title: 'gather fidelity: the gather lesson at 1x, total minus 3.00 s',
    warmup: 0, runs: 3, show: ms,
    rust: async () => (await timed(() => rust.bench_gather())) - 3000,
    js: async () => (await timed(() => js.gather())) - 3000,
    target: { text: 'Rust within 30 ms (1%)', met: (r) => Math.abs(r.rust) <= 30 },
  },
  {
    id: 'requests', title: '12 requests held 100 ms by the local server: speed-up of gathered over sequential',
    warmup: 1, runs: 5, show: times,
    rust: () => speedUp((gathered) => rust.bench_requests(HOLD, 12, gathered)),
    js: () => speedUp((gathered) => js.requests(HOLD, 12, gathered)),
    target: { text: 'Rust ≥ 5.6×', met: (r) => r.rust >= 5.6 },
  },
  {
    id: 'responsive', title: `responsiveness: longest long task while ${MANY.toLocaleString('en')} tasks run, 1,000 spawned per turn`,
    warmup: 1, runs: 5, show: ms,
    rust: () => longestTask(() => rust.bench_many(MANY, 1000)),
    js: () => longestTask(() => js.many(MANY, 1000)),
    target: { text: 'Rust ≤ 50 ms', met: (r) => r.rust != null && r.rust <= 50 },
  },
  {
    id: 'all-at-once', title: `for comparison: the same ${MANY.toLocaleString('en')} tasks spawned in one go`,
    warmup: 1, runs: 5, show: ms,
    rust: () => longestTask(() => rust.bench_many(MANY, MANY)),
    js: () => longestTask(() => js.many(MANY, MANY)),
  },
  {
    // Last: the tour's page registers its service worker, which then
    // controls this page too and would sit in front of the requests case.
    id: 'startup', title: 'start-up: navigation to the first lesson runnable (JS: a blank page)',
    warmup: 2, runs: 9, show: ms,
    rust: () => startUp('index.html'),
    js: () => startUp('bench-blank.html'),
  },
];

const FILES = [
  ['pkg/async_tour_bg.wasm', 'wasm'],
  ['pkg/async_tour.js', 'JS'],
  ['main.js', 'JS'],
  ['sw.js', 'JS'],
  ['index.html', 'HTML'],
  ['style.css', 'CSS'],
];

async function gzipped(bytes) {
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream('gzip'));
  return (await new Response(stream).arrayBuffer()).byteLength;
}

async function sizes() {
  const rows = [];
  for (const [file, kind] of FILES) {
    const bytes = await (await fetch(file, { cache: 'no-store' })).arrayBuffer();
    rows.push({ file, kind, raw: bytes.byteLength, gzip: await gzipped(bytes) });
  }
  return rows;
}

// ---- Running and showing ---------------------------------------------------

// A sample is a number, or an object with the number in `value` and
// details beside it.
const valueOf = (sample) => (sample == null || typeof sample === 'number' ? sample : sample.value);

async function measure(c) {
  const samples = { rust: [], js: [] };
  const rounds = QUICK ? 1 : c.warmup + c.runs;
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 ? ['js', 'rust'] : ['rust', 'js'];
    for (const side of order) {
      const sample = await c[side]();
      if (QUICK || round >= c.warmup) samples[side].push(sample);
    }
  }
  const pick = (side) => {
    const values = samples[side].map(valueOf);
    return values.includes(null) ? null : median(values);
  };
  const result = { id: c.id, title: c.title, runs: samples.rust.length, rust: pick('rust'), js: pick('js') };
  result.ratio = result.rust != null && result.js ? result.rust / result.js : null;
  // Details (frame gaps, request times), median of each.
  for (const side of ['rust', 'js']) {
    const first = samples[side][0];
    if (first && typeof first === 'object') {
      result[`${side}_detail`] = Object.fromEntries(
        Object.keys(first).filter((k) => k !== 'value').map((k) => [k, median(samples[side].map((s) => s[k] ?? 0))]),
      );
    }
  }
  if (c.target) {
    result.target = c.target.text;
    result.met = c.target.met(result);
  }
  return result;
}

function cell(row, text) {
  const td = document.createElement('td');
  td.textContent = text;
  row.append(td);
  return td;
}

function showCase(c, r) {
  const row = document.createElement('tr');
  cell(row, c.title);
  cell(row, c.show(r.rust));
  cell(row, c.show(r.js));
  cell(row, r.ratio == null ? 'n/a' : times(r.ratio));
  const target = cell(row, r.target ? `${r.target}: ${r.met ? 'met' : 'missed'}` : '—');
  if (r.target) target.className = r.met ? 'met' : 'missed';
  $('#cases tbody').append(row);
}

const kb = (n) => `${(n / 1000).toFixed(1)} KB`;

function showSizes(rows) {
  for (const r of rows) {
    const row = document.createElement('tr');
    cell(row, r.file);
    cell(row, r.kind);
    cell(row, kb(r.raw));
    cell(row, kb(r.gzip));
    $('#bytes tbody').append(row);
  }
}

function markdown(cases, bytes) {
  const lines = ['| case | Rust | JS | Rust ÷ JS | target |', '| --- | --- | --- | --- | --- |'];
  for (const r of cases) {
    const c = CASES.find((k) => k.id === r.id);
    const target = r.target ? `${r.target}: **${r.met ? 'met' : 'missed'}**` : '—';
    lines.push(`| ${r.title} | ${c.show(r.rust)} | ${c.show(r.js)} | ${r.ratio == null ? 'n/a' : times(r.ratio)} | ${target} |`);
  }
  lines.push('', '| file | kind | raw | gzipped |', '| --- | --- | --- | --- |');
  for (const b of bytes) lines.push(`| ${b.file} | ${b.kind} | ${kb(b.raw)} | ${kb(b.gzip)} |`);
  return lines.join('\n');
}

// The smallest step performance.now() takes here: 5 µs when isolated.
function timerStep() {
  let step = Infinity;
  for (let i = 0; i < 200; i++) {
    const a = now();
    let b = now();
    while (b === a) b = now();
    step = Math.min(step, b - a);
  }
  return step;
}

async function main() {
  // Whether the tour's service worker sat in front of this page's requests.
  const controlledAtStart = Boolean(navigator.serviceWorker && navigator.serviceWorker.controller);
  $('#start').disabled = true;
  $('#cases tbody').replaceChildren();
  $('#bytes tbody').replaceChildren();
  const progress = $('#progress');
  try {
    await init();
    const step = timerStep();
    $('#isolation').textContent = `${crossOriginIsolated ? 'Cross-origin isolated' : 'Not cross-origin isolated'}; performance.now() steps by ${(step * 1000).toFixed(1)} µs. ${QUICK ? 'Quick mode: one round per case, no warm-up.' : ''}`;
    const cases = [];
    const only = params.get('case');
    const chosen = only ? CASES.filter((c) => only.split(',').includes(c.id)) : CASES;
    for (const [i, c] of chosen.entries()) {
      progress.textContent = `Running ${i + 1} of ${chosen.length}: ${c.title}…`;
      const r = await measure(c);
      cases.push(r);
      showCase(c, r);
    }
    progress.textContent = 'Measuring the bytes…';
    const bytes = await sizes();
    showSizes(bytes);
    progress.textContent = 'Done.';
    window.benchResult = {
      done: true,
      when: new Date().toISOString(),
      userAgent: navigator.userAgent,
      crossOriginIsolated,
      serviceWorkerAtStart: controlledAtStart,
      timerStepMicros: step * 1000,
      quick: QUICK,
      cases,
      bytes,
      markdown: markdown(cases, bytes),
    };
  } catch (err) {
    console.error(err);
    progress.textContent = `The benchmarks stopped: ${err && err.message ? err.message : err}`;
    window.benchResult = { done: false, error: String(err && err.message ? err.message : err) };
  } finally {
    $('#start').disabled = false;
  }
}

$('#start').addEventListener('click', main);
if (params.has('auto') || QUICK) main();
