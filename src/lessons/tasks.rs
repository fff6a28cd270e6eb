//! Lesson 8: tasks start on their own; gather only waits for them.

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
    let t1 = spawn(task(1, args.get("t1")).named("task 1")); // starts right away
    let t2 = spawn(task(2, args.get("t2")).named("task 2"));
    let t3 = spawn(task(3, args.get("t3")).named("task 3"));
    let _ = join!(t1, t2, t3); // three Results; none is cancelled here <2>
    say!("Total time elapsed: {:.2} seconds", now() - start);
}
// ANCHOR_END: listing

/// The lesson as the page and the tests see it.
pub static LESSON: Lesson = Lesson {
    id: "tasks",
    number: 8,
    chapter: Chapter::Concurrency,
    title: "asyncio.run with tasks",
    params: &TASK_WAITS,
    view: View::Timeline,
    paced: true,
    run: |args| Box::pin(main(args)),
    expected: |args| concurrent_tasks(&[args.get("t1"), args.get("t2"), args.get("t3")]),
    python_output: None,
};
