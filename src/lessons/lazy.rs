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
