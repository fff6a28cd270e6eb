//! Lesson 4: an awaited coroutine hands back its value.

use super::{Args, Chapter, Expected, Lesson, Param, View};
// ANCHOR: listing
use crate::rt::*;
use crate::say;

async fn calculate(secs: f64) -> i64 {
    sleep(secs).await; // <1>
    10
}

/// What the Run button starts.
pub async fn main(args: Args) {
    let result = calculate(args.get("secs")).named("calculate").await; // <2>
    say!("{result}");
}
// ANCHOR_END: listing

/// The lesson as the page and the tests see it.
pub static LESSON: Lesson = Lesson {
    id: "returning-value",
    number: 4,
    chapter: Chapter::Coroutines,
    title: "Returning a value",
    params: &[Param::secs("secs", "calculate sleeps (s)", 1.0, 10.0)],
    view: View::Timeline,
    paced: true,
    run: |args| Box::pin(main(args)),
    expected: |args| {
        let secs = args.get("secs");
        Expected::new()
            .line(secs, "10")
            .span("calculate", 0.0, secs)
            .total(secs)
    },
    python_output: None,
};
