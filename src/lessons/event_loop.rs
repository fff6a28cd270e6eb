//! Lesson 19: the browser's event loop, microtasks and macrotasks.

use super::{Args, Chapter, Expected, Lesson, View};
// ANCHOR: listing
use crate::rt::*;
use crate::say;
use futures::join;
use js_sys::Promise;
use std::future::Future;
use wasm_bindgen::JsValue;

fn ran(what: &str, start: Millis) {
    say!("{what} ran at +{:.1} ms", now_ms() - start);
}

/// Real milliseconds for `n` of `step` in a row, and the gap of each.
async fn chain<F: Future<Output = ()>>(n: usize, step: impl Fn() -> F) -> (Millis, Vec<Millis>) {
    let start = now_ms();
    let mut gaps = Vec::with_capacity(n);
    for _ in 0..n {
        let before = now_ms();
        step().await;
        gaps.push(now_ms() - before);
    }
    (now_ms() - start, gaps)
}

/// What the Run button starts.
pub async fn main(_args: Args) {
    let start = now_ms();
    say!("main: schedule five things, then wait");
    let timer = spawn(
        async move {
            set_timeout(0).await; // setTimeout(.., 0): a macrotask
            ran("setTimeout(0)", start);
        }
        .named("timer"),
    );
    let message = spawn(
        async move {
            yield_now().await; // a MessageChannel message: a macrotask
            ran("MessageChannel message", start);
        }
        .named("message"),
    );
    let frame = spawn(
        async move {
            next_frame().await; // requestAnimationFrame: before the next paint
            ran("animation frame", start);
        }
        .named("frame"),
    );
    let local = spawn(
        async move {
            ran("spawn_local", start); // first poll: on a microtask
        }
        .named("local"),
    );
    let settled = spawn(
        async move {
            let resolved = Promise::resolve(&JsValue::TRUE);
            let _ = promise(resolved).await; // JsFuture's `.then`: a microtask
            ran("resolved promise", start);
        }
        .named("promise"),
    );
    say!("main: back to the loop");
    let _ = join!(timer, message, frame, local, settled);

    // Zero-delay timers nest: after the fifth, browsers hold each to 4 ms.
    let (ms, gaps) = chain(10, || set_timeout(0)).await;
    let gaps: Vec<String> = gaps.iter().map(|g| format!("{g:.1}")).collect();
    say!(
        "10 setTimeout(0) in a row took {ms:.1} ms: {}",
        gaps.join(", ")
    );
    let (ms, _) = chain(10, yield_now).await;
    say!("10 MessageChannel yields in a row took {ms:.1} ms");
}
// ANCHOR_END: listing

/// The lesson as the page and the tests see it.
pub static LESSON: Lesson = Lesson {
    id: "event-loop",
    number: 19,
    chapter: Chapter::Models,
    title: "The event loop",
    params: &[],
    view: View::Timeline,
    paced: false,
    run: |args| Box::pin(main(args)),
    expected: |_| {
        Expected::new()
            .line(0.0, "main: schedule five things, then wait")
            .line(0.0, "main: back to the loop")
            .measured_line(0.0, "spawn_local ran at +")
            .measured_line(0.0, "resolved promise ran at +")
            .measured_line(0.001, "MessageChannel message ran at +")
            .or_measured(0.001, "setTimeout(0) ran at +")
            .or_measured(0.016, "animation frame ran at +")
            .measured_line(0.03, "10 setTimeout(0) in a row took ")
            .measured_line(0.03, "10 MessageChannel yields in a row took ")
            .total(0.05)
            .untimed()
    },
    // asyncio's own four ways to schedule, in the order CPython's loop runs
    // them (`tests/py_run.rs` holds this to what CPython prints).
    python_output: Some(|_| {
        Expected::new()
            .line(0.0, "main: schedule four things, then wait")
            .line(0.0, "main: back to the loop")
            .measured_line(0.0, "create_task ran at +")
            .measured_line(0.0, "call_soon ran at +")
            .measured_line(0.0, "future callback ran at +")
            .measured_line(0.0, "call_later(0) ran at +")
            .measured_line(0.0, "10 sleep(0) in a row took ")
            .total(0.05)
            .untimed()
    }),
};
