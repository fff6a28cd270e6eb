//! Lesson 3: Hello, a pause that does not block, World.

use super::{Args, Chapter, Expected, Lesson, Param, View};
// ANCHOR: listing
use crate::rt::*;
use crate::say;

/// What the Run button starts.
pub async fn greet(args: Args) {
    let _span = span("greet");
    say!("Hello");
    sleep(args.get("pause")).await; // asyncio.sleep(2) <1>
    say!("World");
}
// ANCHOR_END: listing

/// The lesson as the page and the tests see it.
pub static LESSON: Lesson = Lesson {
    id: "hello-world",
    number: 3,
    chapter: Chapter::Coroutines,
    title: "Hello / World",
    params: &[Param::secs("pause", "Pause (s)", 2.0, 10.0)],
    view: View::Timeline,
    paced: true,
    run: |args| Box::pin(greet(args)),
    expected: |args| {
        let pause = args.get("pause");
        Expected::new()
            .line(0.0, "Hello")
            .line(pause, "World")
            .span("greet", 0.0, pause)
            .total(pause)
    },
    python_output: None,
};
