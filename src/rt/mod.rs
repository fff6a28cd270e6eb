//! The tour's small runtime, shared by every lesson.
//!
//! There is no executor here: the browser's event loop is the executor, and
//! `wasm-bindgen-futures` hands it our futures. What this module adds is
//! what a lesson needs to read like its Python original. Its modules read
//! bottom-up: each uses only those above it in this list (a test,
//! `tests/catalog.rs`, holds them to it).
//!
//! 0. **Numbers** ([`fixed`]): `{:.2}` without core's float formatting,
//!    which would be a sixth of the module. **Memory** ([`memory`]): the
//!    bytes the module holds, counted by its allocator.
//! 1. **Time** ([`clock`]): tutorial seconds at a chosen [`Speed`];
//!    [`Seconds`] and [`Millis`], which display as numbers do.
//! 2. **Chance** ([`random`]): a seeded generator, so random runs can be
//!    checked.
//! 3. **The record's model** ([`trace`]): every poll, wait, wake and end
//!    of a run's tasks, and of the futures a lesson
//!    [names](Name::named) (`task(1, 3.0).named("task 1")`).
//!    [`replay`] reads a record back at any of its events: where each
//!    actor stood then, and what was still in flight.
//! 4. **A run** ([`run`]): one press of Run, and the run in progress:
//!    [`say!`](crate::say) prints a line with its time, [`now`] measures
//!    (`time.perf_counter`), [`randint`] draws from the run's generator,
//!    [`span`] draws a bar on the timeline; a [`Run`] collects all that
//!    and its record, and can be stopped.
//! 5. **Keeping the record** ([`poll`]): every poll goes through a waker
//!    of the runtime's own, which writes the wakes down.
//! 6. **Tasks** ([`task`]): [`spawn`] (`asyncio.create_task`) returns a
//!    [`Task`] with its result, [`Status`] and `cancel`; a run's `main` is
//!    its first task ([`Run::start`]).
//! 7. **Named futures** ([`named`]): a lane of their own in the record.
//! 8. **Waiting** ([`sleep`](mod@sleep)): [`sleep()`] on a browser timer
//!    (`asyncio.sleep`), and [`blocking_sleep`] (`time.sleep`) to show
//!    what blocking does.
//! 9. **Real I/O** ([`http`], [`page`]): `fetch` with a timeout, aborted
//!    for real when its future is dropped; another page in a frame, its
//!    `load` event awaited as a future.
//! 10. **Workers** ([`worker`], [`net`]): this module again on a Web
//!     Worker, for work that must not hold the page's thread; connections
//!     to a server on a worker, over `MessageChannel` ports.
//!
//! Lessons `use crate::rt::*;` and call these as free functions: the run in
//! progress is found through a task-local, not passed around.

// In reading order, bottom-up (`rustfmt.toml` keeps rustfmt from sorting
// them).
pub mod memory;
pub mod fixed;
pub mod clock;
pub mod random;
pub mod trace;
pub mod replay;
pub mod run;
pub mod poll;
pub mod task;
pub mod named;
pub mod sleep;
pub mod http;
pub mod page;
pub mod worker;
pub mod net;

pub use clock::{now_ms, Clock, Millis, Seconds, Speed, SpeedError};
pub use fixed::Fixed;
pub use named::{Name, Named};
pub use poll::waiting_on;
pub use random::Rng;
pub use run::{now, randint, span, until_ended, Event, Line, Outcome, Run, Span, SpanRecord};
pub use sleep::{
    blocking_sleep, deadline, interval, live_timers, next_frame, promise, real_ms, set_timeout,
    sleep, yield_now, Interval, NextFrame, NextTick, SetTimeout, Sleep, YieldNow,
};
pub use task::{spawn, spawn_named, Cancelled, Canceller, Status, Task};
pub use worker::{Job, Worker, WorkerError};

/// Runs `f` with the thread-local `cell` set to `value`, then puts back
/// what it held before (by a guard, so that happens however `f` ends).
pub(crate) fn scoped<T: 'static, R>(
    cell: &'static std::thread::LocalKey<std::cell::Cell<T>>,
    value: T,
    f: impl FnOnce() -> R,
) -> R {
    struct Restore<T: 'static>(
        &'static std::thread::LocalKey<std::cell::Cell<T>>,
        Option<T>,
    );
    impl<T: 'static> Drop for Restore<T> {
        fn drop(&mut self) {
            if let Some(previous) = self.1.take() {
                self.0.with(|c| c.set(previous));
            }
        }
    }
    let _restore = Restore(cell, Some(cell.with(|c| c.replace(value))));
    f()
}

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
