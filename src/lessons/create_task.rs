//! Lesson 7: a task is a scheduled coroutine with a handle.

use super::{Args, Chapter, Expected, Lesson, Param, View};
// ANCHOR: listing
use crate::rt::*;
use crate::say;

async fn mul(x: i64, y: i64) -> i64 {
    x * y
}

async fn sleeper(secs: f64) {
    sleep(secs).await; // <1>
}

/// What the Run button starts.
pub async fn main(args: Args) {
    let mut task = spawn(mul(10, 10).named("mul")); // handed to the loop at once
    say!("task: {}", task.status());
    if let Ok(res) = (&mut task).await {
        say!("{res}");
    }
    say!("task: {}", task.status());

    let mut job = spawn(sleeper(args.get("job")).named("sleeper"));
    sleep(args.get("cancel_after")).await; // <2>
    say!("sleeper: {}", job.status());
    job.cancel(); // drops its future, which clears its timer
    if let Err(Cancelled) = (&mut job).await {
        say!("sleeper: {}", job.status());
    }
}
// ANCHOR_END: listing

/// The lesson as the page and the tests see it.
pub static LESSON: Lesson = Lesson {
    id: "create-task",
    number: 7,
    chapter: Chapter::Concurrency,
    title: "create_task",
    params: &[
        Param::secs("job", "the sleeper sleeps (s)", 10.0, 60.0),
        Param::secs("cancel_after", "cancel after (s)", 1.0, 30.0),
    ],
    view: View::Timeline,
    paced: true,
    run: |args| Box::pin(main(args)),
    expected: |args| {
        let (job, after) = (args.get("job"), args.get("cancel_after"));
        let e = Expected::new()
            .line(0.0, "task: pending")
            .line(0.0, "100")
            .line(0.0, "task: done");
        if after < job {
            e.line(after, "sleeper: pending")
                .line(after, "sleeper: cancelled")
                .span("sleeper", 0.0, after)
                .total(after)
        } else {
            e.line(after, "sleeper: done")
                .span("sleeper", 0.0, job)
                .total(after)
        }
    },
    python_output: None,
};
