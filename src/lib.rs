//! # async-tour
//!
//! Python's asyncio tutorials, reproduced as Rust futures running on the
//! browser's own event loop. The crate has five parts; read them in this
//! order:
//!
//! 1. [`rt`]: the small runtime every lesson shares: tutorial time at a
//!    speed, `sleep`, `say!`, timeline spans, tasks, and runs that can be
//!    stopped. Each run keeps a record of what the browser's event loop
//!    did with its futures: every poll, wait, wake and end
//!    ([`rt::trace`]).
//! 2. [`py`]: the tour's Python, for the reader's own code: a parser and
//!    interpreter judged by CPython, whose coroutines are [`rt`]'s
//!    futures, so a Python run is recorded as a Rust lesson's is.
//! 3. [`lessons`]: one file per lesson. Each holds the Rust that runs (the
//!    page shows that very source), its Python original, and the output it
//!    must print.
//! 4. [`ui`]: the page's interactive part, in plain `web-sys`: the lesson
//!    list, Run (and, in the module built with [`py`], Run the Python) and
//!    Stop, live output, the match mark, the timeline drawn
//!    from the record, "What the loop did" (the record in words), and
//!    stepping through a run. Each part renders its own markup and finds
//!    it again in the page.
//! 5. [`site`]: the page, rendered at build time (`src/bin/render.rs`
//!    writes `www/index.html` and the one-file tour): every lesson's text
//!    and listings, composed with the parts of [`ui`], so the tour reads
//!    before its WebAssembly loads. None of it runs in the page.
//!
//! The page calls [`mount`] once the module is loaded; a worker's copy of
//! the module calls [`worker_job`]. The tour's module leaves the
//! interpreter out: built with the `python` feature, the module has it
//! too, and the page loads that one when a reader first runs a lesson's
//! Python, [`unmount`]s the first and mounts it. Apart from the five, `bench` (with the
//! `bench` feature) holds the Rust half of the benchmark page
//! (`www/bench.html`), which times the runtime against plain JavaScript,
//! and `py_runner` (with the `python` feature) that of `www/py.html`,
//! which `scripts/py.sh` drives to run a Python file; the tour's own
//! module leaves both out.

#![deny(missing_docs)]

#[cfg(feature = "bench")]
pub mod bench;
pub mod lessons;
pub mod py;
#[cfg(feature = "python")]
pub mod py_runner;
pub mod rt;
pub mod site;
pub mod ui;

use wasm_bindgen::prelude::*;

/// Takes over the tour the page rendered in the element with id `root_id`.
#[wasm_bindgen]
pub fn mount(root_id: &str) -> Result<(), JsValue> {
    ui::mount_by_id(root_id)
}

/// Lets go of the tour [`mount`] took over: stops its runs and removes
/// its listeners, so that another module (the one with the Python
/// interpreter, which `www/main.js` loads when a reader first asks for
/// it) can take the same page over.
#[wasm_bindgen]
pub fn unmount() {
    ui::unmount_all();
}

/// On a worker: runs the lesson's job that the page posted
/// ([`rt::worker`]); the worker's script imports it by this name.
#[wasm_bindgen]
pub async fn worker_job(name: String, input: JsValue) -> Result<JsValue, JsValue> {
    rt::worker::serve(lessons::JOBS, &name, input).await
}
