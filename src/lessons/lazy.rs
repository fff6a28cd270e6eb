//! Lesson 1: a coroutine is lazy, and so is a future.

use super::{Args, Chapter, Expected, Lesson, View};
// ANCHOR: listing
use crate::say;

async fn mul(x: i64, y: i64) -> i64 {
    say!("mul({x}, {y}) is running");
    x * y
}

/// What the Run button starts.
pub async fn main(_: Args) {
    let fut = mul(5, 5); // builds the future: none of its body runs
    say!("created mul(5, 5): nothing has run yet");
    let res = fut.await; // polling it runs the body, on the browser's loop
    say!("{res}");
}
// ANCHOR_END: listing

/// The lesson as the page and the tests see it.
pub static LESSON: Lesson = Lesson {
    id: "lazy",
    number: 1,
    chapter: Chapter::Coroutines,
    title: "A coroutine is lazy",
    explanation: "\
Calling an `async def` function in Python runs none of its body: `mul(5, 5)` \
only creates a coroutine object. It runs when an event loop drives it, here \
with `loop.run_until_complete`, which also hands back its result.

Rust is the same, by design. Calling an `async fn` builds a *future*, a value \
that describes the work. Nothing happens until something polls it. `.await` \
polls it from inside another future, and the Run button hands `main` to the \
browser's own event loop with `wasm_bindgen_futures::spawn_local`, which plays \
the part of `run_until_complete`.

Watch the order of the output: the line printed after building the future \
comes before the line printed inside `mul`.",
    python: include_str!("py/lazy.py"),
    listing: include_str!(concat!(env!("OUT_DIR"), "/listings/lazy.rs")),
    params: &[],
    view: View::Timeline,
    paced: true,
    run: |args| Box::pin(main(args)),
    expected: |_| {
        Expected::new()
            .line(0.0, "created mul(5, 5): nothing has run yet")
            .line(0.0, "mul(5, 5) is running")
            .line(0.0, "25")
    },
    python_output: None,
};
