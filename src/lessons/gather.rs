//! Lesson 6: `gather` waits for several things at once.

use super::shared::{concurrent_tasks, TASK_WAITS};
use super::{Args, Chapter, Lesson, View};
// ANCHOR: listing
use crate::rt::*;
use crate::say;
use futures::join;

async fn task(id: u32, secs: f64) {
    sleep(secs).await; // <1>
    say!("task {id} finished");
}

/// What the Run button starts.
pub async fn main(args: Args) {
    let start = now();
    join!(
        task(1, args.get("t1")).named("task 1"), // <2>
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
    params: &TASK_WAITS,
    view: View::Timeline,
    paced: true,
    run: |args| Box::pin(main(args)),
    expected: |args| concurrent_tasks(&[args.get("t1"), args.get("t2"), args.get("t3")]),
    python_output: None,
};
