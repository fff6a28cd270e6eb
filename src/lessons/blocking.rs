//! Lesson 11: random waits, and a call that blocks the loop.

use super::{Args, Chapter, Expected, Lesson, Param, View};
// ANCHOR: listing
use crate::rt::*;
use crate::say;
use futures::join;

async fn task(id: u32, most: u32) {
    sleep(f64::from(randint(0, most))).await; // <1>
    say!("task {id} finished");
}

/// Sleeps a tenth of a second, over and over: a timer always pending, to
/// watch what blocking does to it.
async fn ticker() {
    loop {
        sleep(0.1).await; // <2>
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
            task(1, most).named(lane(1)), // <3>
            task(2, most).named(lane(2)),
            task(3, most).named(lane(3)),
        );
        let _span = span(format!("round {round}: blocked"));
        blocking_sleep(args.get("block")); // time.sleep(1): the page freezes <4>
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
            for i in super::shared::finish_order(&waits) {
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
