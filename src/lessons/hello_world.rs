//! Lesson 3: Hello, a pause that does not block, World.

use super::{Args, Chapter, Expected, Lesson, Param, View};
// ANCHOR: listing
use crate::rt::*;
use crate::say;

/// What the Run button starts.
pub async fn greet(args: Args) {
    let _span = span("greet");
    say!("Hello");
    sleep(args.get("pause")).await; // asyncio.sleep(2)
    say!("World");
}
// ANCHOR_END: listing

/// The lesson as the page and the tests see it.
pub static LESSON: Lesson = Lesson {
    id: "hello-world",
    number: 3,
    chapter: Chapter::Coroutines,
    title: "Hello / World",
    explanation: "\
`await asyncio.sleep(2)` pauses `greet` for two seconds without holding up \
anything else: the coroutine hands control back to the event loop, which is \
free to run other work, and resumes `greet` when the time is up.

In the browser, `sleep` sets a timer (`setTimeout`, through gloo-timers) and \
returns a future that is ready when the timer fires. Until then the page \
scrolls, clicks and other lessons all carry on. Try running this lesson and \
another one at the same time.",
    python: include_str!("py/hello_world.py"),
    listing: include_str!(concat!(env!("OUT_DIR"), "/listings/hello_world.rs")),
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
