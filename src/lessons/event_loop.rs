//! Lesson 19: the browser's event loop, microtasks and macrotasks.

use super::{Args, Chapter, Expected, Lesson, View};
// ANCHOR: listing
use crate::rt::*;
use crate::say;
use futures::join;
use js_sys::Promise;
use std::future::Future;
use wasm_bindgen::JsValue;

fn ran(what: &str, start: f64) {
    say!("{what} ran at +{:.1} ms", now_ms() - start);
}

/// Real milliseconds for `n` of `step` in a row, and the gap of each.
async fn chain<F: Future<Output = ()>>(n: usize, step: impl Fn() -> F) -> (f64, Vec<f64>) {
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
    explanation: "\
The event loop is the main task that hands out asynchronous work: \
coroutines schedule work on it, and futures carry the eventual result or \
error. `asyncio.run` creates a loop, runs the coroutine and closes the \
loop. A browser tab has its event loop from the start, and this page's \
futures run on it: `wasm-bindgen-futures` is the executor, not a loop of \
its own.

The browser's loop has two kinds of queue. A *macrotask* is one job from a \
queue: a timer, a message, a click. After each one the browser runs every \
*microtask*: promise reactions and `queueMicrotask`. Sometimes it then \
draws a frame, first calling the `requestAnimationFrame` callbacks.

So the order is fixed in part. `main` runs to its first `await` without \
interruption, so both of its lines come first. The microtasks come next. \
`spawn_local` polls a task on a microtask, and awaiting a resolved promise \
through `JsFuture` resumes on a microtask too (one hop later, so it comes \
second). Then come the message, the zero-delay timer and the animation \
frame, in an order the browser chooses: each has its own queue, and a \
frame is drawn whenever the next paint is due, which may be at once. The \
expected output marks that group with a bar; the times show what your \
browser chose.

The last two lines show why the tour yields with a message and not with \
`setTimeout(0)`. HTML holds a zero-delay timer to at least 4 ms once timers \
nest more than five deep. Each awaited `TimeoutFuture` is set from the \
previous one's callback, so the later gaps grow to about 4 ms each. A \
`MessageChannel` message is never held back. Python's asyncio has one \
queue of ready callbacks and no such clamp, so its `sleep(0)` stays cheap.

*What the loop did* shows the two kinds of queue at work: `local`'s first \
poll and `promise`'s wake come in microtasks, right after `main`'s first \
poll returns; `timer`, `message` and `frame` are woken later, each by a \
macrotask of its own.",
    python: include_str!("py/event_loop.py"),
    listing: include_str!(concat!(env!("OUT_DIR"), "/listings/event_loop.rs")),
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
    python_output: None,
};
