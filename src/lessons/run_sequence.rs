//! Lesson 2: `asyncio.run`, and awaiting one thing after another.

use super::{Args, Chapter, Expected, Lesson, View};
// ANCHOR: listing
use crate::say;

async fn add(x: i64, y: i64) -> i64 {
    x + y
}

/// What the Run button starts.
pub async fn get_results(_: Args) {
    let a = add(3, 4).await;
    let b = add(8, 5).await;
    say!("{a} {b}");
}
// ANCHOR_END: listing

/// The lesson as the page and the tests see it.
pub static LESSON: Lesson = Lesson {
    id: "asyncio-run",
    number: 2,
    chapter: Chapter::Coroutines,
    title: "asyncio.run and sequential awaits",
    explanation: "\
`asyncio.run(get_results())` does three things: it creates an event loop, \
runs the coroutine on it to the end, and closes the loop. Inside, each \
`await` waits for one coroutine before the next line runs, so the two \
additions happen one after the other.

A web page never creates or closes its event loop: the browser runs one for \
as long as the page is open. So the Rust needs no `run`: pressing Run spawns \
`get_results` onto that loop, and each `.await` finishes before the next \
line, exactly as in Python.",
    python: include_str!("py/run_sequence.py"),
    listing: include_str!(concat!(env!("OUT_DIR"), "/listings/run_sequence.rs")),
    params: &[],
    view: View::Timeline,
    paced: true,
    run: |args| Box::pin(get_results(args)),
    expected: |_| Expected::new().line(0.0, "7 13"),
    python_output: None,
};
