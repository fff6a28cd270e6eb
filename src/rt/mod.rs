//! The tour's small runtime, shared by every lesson.
//!
//! There is no executor here: the browser's event loop is the executor, and
//! `wasm-bindgen-futures` hands it our futures. What this module adds is
//! what a lesson needs to read like its Python original:
//!
//! 1. **Time** ([`clock`]): tutorial seconds at a chosen [`Speed`], and
//!    [`now`] to measure them (`time.perf_counter`).
//! 2. **Waiting** ([`sleep`](mod@sleep)): [`sleep()`] on a browser timer
//!    (`asyncio.sleep`), and [`blocking_sleep`] (`time.sleep`) to show
//!    what blocking does.
//! 3. **Output** ([`run`]): [`say!`](crate::say) prints a line with its
//!    time, [`span`] draws a bar on the timeline, and a [`Run`] collects
//!    both and can be stopped.
//! 4. **Tasks** ([`task`]): [`spawn`] (`asyncio.create_task`) returns a
//!    [`Task`] with its result, [`Status`] and `cancel`.
//! 5. **Chance** ([`random`]): [`randint`] from a seeded generator, so
//!    random runs can be checked.
//! 6. **Workers** ([`worker`]): this module again on a Web Worker, for
//!    work that must not hold the page's thread.
//! 7. **Real I/O** ([`http`], [`net`]): `fetch` with a timeout, aborted
//!    for real when its future is dropped; connections to a server on a
//!    worker, over `MessageChannel` ports; another page in a frame
//!    ([`page`]), its `load` event awaited as a future.
//! 8. **The record** ([`trace`], kept by [`poll`]): every poll, wait,
//!    wake and end of a run's tasks, and of the futures a lesson
//!    [names](Name::named) (`task(1, 3.0).named("task 1")`).
//!
//! Lessons `use crate::rt::*;` and call these as free functions: the run in
//! progress is found through a task-local, not passed around.

pub mod clock;
pub mod http;
pub mod named;
pub mod net;
pub mod page;
pub mod poll;
pub mod random;
pub mod run;
pub mod sleep;
pub mod task;
pub mod trace;
pub mod worker;

pub use clock::{now_ms, Clock, Speed, SpeedError};
pub use named::{Name, Named};
pub use poll::waiting_on;
pub use random::{randint, Rng};
pub use run::{now, span, Event, Line, Outcome, Run, Span, SpanRecord};
pub use sleep::{
    blocking_sleep, deadline, interval, live_timers, next_frame, promise, real_ms, set_timeout,
    sleep, yield_now, Interval, SetTimeout, Sleep, YieldNow,
};
pub use task::{spawn, Cancelled, Canceller, Status, Task};
pub use worker::{Worker, WorkerError};

/// Property `name` of a JavaScript object, if it is there and defined.
pub(crate) fn field(value: &wasm_bindgen::JsValue, name: &str) -> Option<wasm_bindgen::JsValue> {
    js_sys::Reflect::get(value, &wasm_bindgen::JsValue::from_str(name))
        .ok()
        .filter(|v| !v.is_undefined())
}

/// What a JavaScript error says: its `message` (an `Error` or a
/// `DOMException`), or the value itself if it is a string.
pub(crate) fn error_message(e: &wasm_bindgen::JsValue) -> String {
    field(e, "message")
        .and_then(|m| m.as_string())
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "no details".into())
}

/// Prints a line to the current run, like Python's `print(f"...")`.
///
/// ```ignore
/// say!("task {id} finished");
/// ```
#[macro_export]
macro_rules! say {
    ($($arg:tt)*) => {
        $crate::rt::run::print(format_args!($($arg)*))
    };
}
