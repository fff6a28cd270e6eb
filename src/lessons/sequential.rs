//! Lesson 5: awaiting one sleep after another adds them up.

use super::shared::TASK_WAITS;
use super::{Args, Chapter, Expected, Lesson, View};
// ANCHOR: listing
use crate::rt::*;
use crate::say;

async fn task(id: u32, secs: f64) {
    sleep(secs).await; // <1>
    say!("task {id} finished");
}

/// What the Run button starts.
pub async fn main(args: Args) {
    let start = now();
    // Building all three futures first changes nothing: they are lazy,
    // and each starts only when it is awaited.
    let t1 = task(1, args.get("t1")).named("task 1");
    let t2 = task(2, args.get("t2")).named("task 2");
    let t3 = task(3, args.get("t3")).named("task 3");
    t1.await; // <2>
    t2.await; // <3>
    t3.await; // <4>
    say!("Total time elapsed: {:.2} seconds", now() - start);
}
// ANCHOR_END: listing

/// The lesson as the page and the tests see it.
pub static LESSON: Lesson = Lesson {
    id: "sequential",
    number: 5,
    chapter: Chapter::Concurrency,
    title: "Sequential sleeps",
    params: &TASK_WAITS,
    view: View::Timeline,
    paced: true,
    run: |args| Box::pin(main(args)),
    expected: |args| {
        let waits = [args.get("t1"), args.get("t2"), args.get("t3")];
        let mut e = Expected::new();
        let mut t = 0.0;
        for (i, w) in waits.into_iter().enumerate() {
            e = e.line(t + w, format!("task {} finished", i + 1)).span(
                format!("task {}", i + 1),
                t,
                t + w,
            );
            t += w;
        }
        e.total_line(t).total(t)
    },
    python_output: None,
};
