//! The Rust side of the benchmark page (`www/bench.html`).
//!
//! Each function here does one case's work with the tour's own runtime and
//! returns when it is done; the page times it with `performance.now()` and
//! runs the plain-JavaScript version of the same work beside it
//! (`www/bench.js`), interleaved, so both see the same machine. Nothing
//! here measures time itself, except [`bench_gather`], which reports what
//! the lesson's own clock saw.

use js_sys::Promise;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::lessons;
use crate::rt::{self, Outcome, Run, Speed};

/// Awaits a promise that is already resolved: one trip through the
/// microtask queue.
async fn resolved(i: u32) {
    let _ = JsFuture::from(Promise::resolve(&JsValue::from(i))).await;
}

/// Waits for every task. They run side by side already (spawned), so
/// awaiting them in order takes as long as the slowest; it also keeps
/// `join_all`'s machinery for long lists out of the module.
async fn all(tasks: Vec<rt::Task<()>>) {
    for task in tasks {
        let _ = task.await;
    }
}

/// Spawns `n` tasks that each await a resolved promise, and waits for all
/// of them (JavaScript: `Promise.all` over `n` async functions).
#[wasm_bindgen]
pub async fn bench_spawn(n: u32) {
    let tasks: Vec<_> = (0..n).map(|i| rt::spawn(resolved(i))).collect();
    all(tasks).await;
}

/// The spawn case inside a run, so that every task is polled and woken
/// through the run's record. `recorded` keeps every event (the record's
/// cost); otherwise the run keeps no record (the baseline). Fails if the
/// record filled up, which would make the case cheaper than it is.
#[wasm_bindgen]
pub async fn bench_spawn_in_run(n: u32, recorded: bool) -> Result<(), JsValue> {
    let (tx, rx) = futures::channel::oneshot::channel();
    // About eight events per task: spawned, two polls, a wake, done, and
    // main's poll and wake per task it awaits.
    let limit = if recorded { n as usize * 12 + 64 } else { 0 };
    let run = Run::start_quiet_recording(Speed::REAL_TIME, 0, limit, async move {
        let tasks: Vec<_> = (0..n).map(|i| rt::spawn(resolved(i))).collect();
        all(tasks).await;
        let _ = tx.send(());
    });
    rx.await
        .map_err(|_| JsValue::from_str("the run did not finish"))?;
    let (cut, kept) = {
        let record = run.record();
        (record.cut, record.events.len())
    };
    if recorded && (cut > 0 || kept < n as usize * 4) {
        return Err(JsValue::from_str(&format!(
            "the record kept {kept} events and left out {cut}"
        )));
    }
    Ok(())
}

/// Awaits `n` resolved promises one after another, in one task.
#[wasm_bindgen]
pub async fn bench_chain(n: u32) {
    for i in 0..n {
        resolved(i).await;
    }
}

/// Yields to the event loop `n` times with gloo-timers'
/// `TimeoutFuture::new(0)`: a `setTimeout(0)`, which browsers clamp to
/// 4 ms once timers nest five deep.
#[wasm_bindgen]
pub async fn bench_yield_timeout(n: u32) {
    for _ in 0..n {
        gloo_timers::future::TimeoutFuture::new(0).await;
    }
}

/// Yields to the event loop `n` times with the tour's own
/// [`yield_now`](rt::yield_now): one `MessageChannel` message each.
#[wasm_bindgen]
pub async fn bench_yield_tour(n: u32) {
    for _ in 0..n {
        rt::yield_now().await;
    }
}

/// Runs the gather lesson at 1x and gives its total, in seconds, as the
/// run's clock measured it (3.00 s is exact).
#[wasm_bindgen]
pub async fn bench_gather() -> Result<f64, JsValue> {
    let lesson = &lessons::gather::LESSON;
    let (_run, rx) = lesson.start(lesson.defaults(), Speed::REAL_TIME);
    match rx.await {
        Ok(Outcome::Finished { elapsed }) => Ok(elapsed),
        _ => Err(JsValue::from_str("the gather run did not finish")),
    }
}

/// Fetches `url` `n` times with the tour's [`get`](rt::http::get): one
/// after another, or all at once (`join_all`). Each address gets `&i=` and
/// its number, so no two requests are the same.
#[wasm_bindgen]
pub async fn bench_requests(url: String, n: u32, gathered: bool) -> Result<(), JsValue> {
    let urls: Vec<String> = (0..n).map(|i| format!("{url}&i={i}")).collect();
    let fail = |e: rt::http::FetchError| JsValue::from_str(&e.to_string());
    if gathered {
        let tasks: Vec<_> = urls
            .into_iter()
            .map(|u| rt::spawn(async move { rt::http::get(&u, 30.0).await }))
            .collect();
        for task in tasks {
            task.await
                .map_err(|_| JsValue::from_str("a request's task was cancelled"))?
                .map_err(fail)?;
        }
    } else {
        for u in &urls {
            rt::http::get(u, 30.0).await.map_err(fail)?;
        }
    }
    Ok(())
}

/// Runs `n` small tasks, spawning `batch` of them per turn of the event
/// loop (with [`yield_now`](rt::yield_now) between batches), and waits for
/// all. Each awaits a resolved promise, yields once, and awaits another.
/// With `batch == n` every task is spawned in one go.
#[wasm_bindgen]
pub async fn bench_many(n: u32, batch: u32) {
    let mut tasks = Vec::with_capacity(n as usize);
    for i in 0..n {
        if i > 0 && i % batch.max(1) == 0 {
            rt::yield_now().await;
        }
        tasks.push(rt::spawn(async move {
            resolved(i).await;
            rt::yield_now().await;
            resolved(i).await;
        }));
    }
    all(tasks).await;
}

/// Runs a Python program (one of `www/bench-py/`) on the tour's
/// interpreter, its run recorded as any run is, and gives the last number
/// it printed: each measures its own work with `time.perf_counter`, as it
/// does under CPython.
#[wasm_bindgen]
pub async fn bench_python(source: String) -> Result<f64, JsValue> {
    crate::py::warm_up().map_err(|e| JsValue::from_str(&e))?;
    let (listener, ended) = rt::until_ended();
    let started = crate::py::start(&source, "bench.py", Speed::REAL_TIME, 0, listener)
        .map_err(|e| JsValue::from_str(&e.to_string()))?;
    ended
        .await
        .map_err(|_| JsValue::from_str("the run did not finish"))?;
    let stderr = started.stderr.borrow().clone();
    if !stderr.is_empty() {
        return Err(JsValue::from_str(&stderr));
    }
    let lines = started.run.lines();
    lines
        .last()
        .and_then(|l| l.text.parse().ok())
        .ok_or_else(|| JsValue::from_str("the program printed no number"))
}

/// Parses and compiles every lesson's Python `times` times; the slowest
/// lesson's time for one, in milliseconds.
#[wasm_bindgen]
pub fn bench_python_compile(times: u32) -> f64 {
    let clock = || rt::now_ms().0;
    let mut worst: f64 = 0.0;
    for lesson in lessons::ALL {
        let source = lesson.source().python;
        let start = clock();
        for _ in 0..times {
            let _ = crate::py::code::Program::new(source, "lesson.py");
        }
        worst = worst.max((clock() - start) / times as f64);
    }
    worst
}
