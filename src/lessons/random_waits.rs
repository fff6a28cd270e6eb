//! Lesson 11: random waits, and a call that blocks the loop.

use super::{Args, Chapter, Expected, Lesson, Param, View};
// ANCHOR: listing
use crate::rt::*;
use crate::say;
use futures::join;

async fn task(id: u32, most: u32) {
    sleep(f64::from(randint(0, most))).await;
    say!("task {id} finished");
}

/// Sleeps a tenth of a second, over and over: a timer always pending, to
/// watch what blocking does to it.
async fn ticker() {
    loop {
        sleep(0.1).await;
    }
}

/// What the Run button starts.
pub async fn main(args: Args) {
    let start = now();
    let most = args.count("most");
    let _ticker = spawn(ticker().named("ticker")); // cancelled when main ends
    for round in 1..=args.count("rounds") {
        let lane = |id| format!("round {round}: task {id}");
        join!(
            task(1, most).named(lane(1)),
            task(2, most).named(lane(2)),
            task(3, most).named(lane(3)),
        );
        let _span = span(format!("round {round}: blocked"));
        blocking_sleep(args.get("block")); // time.sleep(1): the page freezes
        say!("{}", "-".repeat(20));
    }
    say!("Total time elapsed: {:.2} seconds", now() - start);
}
// ANCHOR_END: listing

/// The lesson as the page and the tests see it.
pub static LESSON: Lesson = Lesson {
    id: "blocking",
    number: 11,
    chapter: Chapter::Concurrency,
    title: "Random waits, and a blocking call",
    explanation: "\
Three tasks each sleep a random whole number of seconds from 0 to 3, \
gathered, twice. Each round takes as long as its longest wait, so the finish \
order and the total change from run to run. The random numbers come from a \
seed you can see and change: the same seed replays the same waits, which is \
how this page can tell you what to expect.

After each round the program calls the *blocking* `time.sleep(1)`. It does \
not yield to the event loop: for that second nothing else on the loop can \
run. In a browser the event loop is also what draws the page and answers \
clicks, so the page freezes. Watch the heartbeat: its frame counter stops \
and the dot stands still during each blocked second, then jumps. Every other \
lesson uses `sleep`, which never freezes the page.

The total is the sum of each round's longest wait plus the two blocked \
seconds.

The record shows it twice. `main`'s poll that calls `blocking_sleep` is a \
wide red block on the timeline: one poll held the thread for the whole \
second. And a *ticker* task (added here, in both languages; it prints \
nothing) sleeps a tenth of a second over and over: its comb of polls has a \
hole over each blocked second. Its timer came due in the hole, but a \
timer's callback can only run once the thread is free, so it fired late \
(the red stretch under it), and the poll followed at once.",
    python: include_str!("py/random_waits.py"),
    listing: include_str!(concat!(env!("OUT_DIR"), "/listings/random_waits.rs")),
    params: &[
        Param::count("rounds", "rounds", 2.0, 1.0, 5.0),
        Param::count("most", "longest wait (s)", 3.0, 0.0, 5.0),
        Param::secs("block", "time.sleep blocks (s)", 1.0, 3.0),
        Param::count("seed", "random seed", 2024.0, 0.0, 999_999.0),
    ],
    view: View::Blocking,
    paced: true,
    run: |args| Box::pin(main(args)),
    expected: |args| {
        let (rounds, most) = (args.count("rounds"), args.count("most"));
        let block = args.get("block");
        let mut e = Expected::new();
        let mut t = 0.0;
        let waits = draws(args.get("seed") as u64, rounds, most);
        for (round, waits) in (1..).zip(waits.chunks(3)) {
            let waits: Vec<f64> = waits.iter().map(|&w| f64::from(w)).collect();
            for i in super::finish_order(&waits) {
                e = e.line(t + waits[i], format!("task {} finished", i + 1));
            }
            for (i, w) in waits.iter().enumerate() {
                e = e.span(format!("round {round}: task {}", i + 1), t, t + w);
            }
            t += waits.iter().copied().fold(0.0, f64::max);
            e = e.span(format!("round {round}: blocked"), t, t + block);
            t += block;
            e = e.line(t, "-".repeat(20));
        }
        e.span("ticker", 0.0, t).total_line(t).total(t)
    },
    python_output: None,
};

/// The waits a seed draws, in the order the tasks draw them: for each
/// round, task 1, 2 and 3. The fidelity check feeds them to Python.
pub fn draws(seed: u64, rounds: u32, most: u32) -> Vec<u32> {
    let mut rng = crate::rt::Rng::new(seed);
    (0..rounds * 3).map(|_| rng.randint(0, most)).collect()
}
