//! Lesson 9: two tasks of different lengths, gathered.

use super::{Args, Chapter, Expected, Lesson, Param, View};
// ANCHOR: listing
use crate::rt::*;
use crate::say;
use futures::join;

async fn task1(secs: f64) {
    sleep(secs).await; // <1>
    say!("Task 1 completed");
}

async fn task2(secs: f64) {
    sleep(secs).await;
    say!("Task 2 completed");
}

/// What the Run button starts.
pub async fn main(args: Args) {
    join!(
        task1(args.get("t1")).named("task1"), // <2>
        task2(args.get("t2")).named("task2"),
    );
}
// ANCHOR_END: listing

/// The lesson as the page and the tests see it.
pub static LESSON: Lesson = Lesson {
    id: "two-tasks",
    number: 9,
    chapter: Chapter::Concurrency,
    title: "Two tasks",
    params: &[
        Param::secs("t1", "task1 sleeps (s)", 1.0, 10.0),
        Param::secs("t2", "task2 sleeps (s)", 2.0, 10.0),
    ],
    view: View::Timeline,
    paced: true,
    run: |args| Box::pin(main(args)),
    expected: |args| {
        let (t1, t2) = (args.get("t1"), args.get("t2"));
        let waits = [t1, t2];
        let mut e = Expected::new();
        for i in super::shared::finish_order(&waits) {
            e = e.line(waits[i], format!("Task {} completed", i + 1));
        }
        e.span("task1", 0.0, t1)
            .span("task2", 0.0, t2)
            .total(t1.max(t2))
    },
    python_output: None,
};
