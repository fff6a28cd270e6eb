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
    params: &[],
    view: View::Timeline,
    paced: true,
    run: |args| Box::pin(get_results(args)),
    expected: |_| Expected::new().line(0.0, "7 13"),
    python_output: None,
};
