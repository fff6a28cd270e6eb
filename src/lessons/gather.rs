//! Lesson 6: `gather` waits for several things at once.

use super::sequential::TASK_WAITS;
use super::{concurrent_tasks, Args, Chapter, Lesson, View};
// ANCHOR: listing
use crate::rt::*;
use crate::say;
use futures::join;

async fn task(id: u32, secs: f64) {
    sleep(secs).await;
    say!("task {id} finished");
}

/// What the Run button starts.
pub async fn main(args: Args) {
    let start = now();
    join!(
        task(1, args.get("t1")).named("task 1"),
        task(2, args.get("t2")).named("task 2"),
        task(3, args.get("t3")).named("task 3"),
    );
    say!("Total time elapsed: {:.2} seconds", now() - start);
}
// ANCHOR_END: listing

/// The lesson as the page and the tests see it.
pub static LESSON: Lesson = Lesson {
    id: "gather",
    number: 6,
    chapter: Chapter::Concurrency,
    title: "gather",
    explanation: "\
`asyncio.gather` runs the three coroutines concurrently and waits until all \
are done. While one sleeps, the others sleep too: the whole takes as long as \
the longest, 3 seconds, not the sum. The shortest sleep finishes first, so \
the output reads 3, 2, 1. The timeline shows the bars side by side.

`futures::join!` is Rust's `gather`. It polls all three futures inside one \
future; each poll that finds a timer not yet fired returns at once, and the \
browser wakes the joined future when any of them fires. No threads are \
involved on either side: one event loop, three timers.

*What the loop did* shows how `join!` works: `main` is polled once at the \
start and once per timer. Each time, it polls every child that is not done \
yet, so `task 1` is polled three times though it was woken once; the record \
says those polls came with the future that holds it, not from a wake of \
its own. Python's `gather` wraps each coroutine in a Task, so there each \
one is resumed only when its own timer fires.",
    python: include_str!("py/gather.py"),
    listing: include_str!(concat!(env!("OUT_DIR"), "/listings/gather.rs")),
    params: &TASK_WAITS,
    view: View::Timeline,
    paced: true,
    run: |args| Box::pin(main(args)),
    expected: |args| concurrent_tasks(&[args.get("t1"), args.get("t2"), args.get("t3")]),
    python_output: None,
};
