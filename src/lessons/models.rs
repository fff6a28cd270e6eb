//! Lesson 18: one CPU-bound job, run three ways: in one go on the page's
//! thread, in chunks that yield to the event loop, and on a worker.

use super::{Args, Chapter, Expected, Lesson, Param, View};
use wasm_bindgen::JsValue;
// ANCHOR: listing
use crate::rt::*;
use crate::say;
use futures::future::{select, Either};
use std::cell::Cell;
use std::future::Future;

/// Runs `work` while watching animation frames. Gives its result, the
/// real seconds it took, and the longest wait between two frames: how
/// long the page could not draw or answer a click.
async fn watching_frames<T>(work: impl Future<Output = T>) -> (T, Seconds, Millis) {
    let start = now_ms();
    let (last, longest) = (Cell::new(start), Cell::new(Millis(0.0)));
    let frames = async {
        loop {
            next_frame().await;
            longest.set(longest.get().max(now_ms() - last.get()));
            last.set(now_ms());
        }
    };
    let result = match select(Box::pin(work), Box::pin(frames)).await {
        Either::Left((result, _)) => result,
        Either::Right(((), _)) => unreachable!("the frame loop never ends"),
    };
    let end = now_ms();
    let gap = longest.get().max(end - last.get());
    (result, (end - start).secs(), gap)
}

/// Whether `n` is prime, by trial division: deliberately plain CPU work.
pub fn is_prime(n: u32) -> bool {
    if n < 4 {
        return n >= 2;
    }
    if n % 2 == 0 {
        return false;
    }
    let mut d = 3;
    while d * d <= n {
        if n % d == 0 {
            return false;
        }
        d += 2;
    }
    true
}

/// The number of primes below `n`, in one go.
pub fn count_primes(n: u32) -> u32 {
    (0..n).filter(|&k| is_prime(k)).count() as u32
}

/// Counts in slices of about 8 ms, yielding to the event loop between.
async fn count_primes_chunked(n: u32) -> u32 {
    let (mut count, mut slice) = (0, now_ms());
    for k in 0..n {
        count += u32::from(is_prime(k));
        if k % 1024 == 0 && now_ms() - slice > 8.0 {
            yield_now().await; // drawing, clicks and timers get their turn
            slice = now_ms();
        }
    }
    count
}

/// Runs one way under its own timeline bar, and reports it.
async fn way(name: &str, n: u32, work: impl Future<Output = Result<u32, WorkerError>>) {
    let _bar = span(name);
    match watching_frames(work).await {
        (Ok(count), secs, gap) => {
            say!("{name}: {count} primes below {n} in {secs:.2} s; longest frame gap {gap:.0} ms")
        }
        (Err(e), ..) => say!("{name}: {e}"),
    }
}

/// What the Run button starts.
pub async fn main(args: Args) {
    let n = args.count("n");
    way("one go", n, async { Ok(count_primes(n)) }).await;
    way("chunked", n, async { Ok(count_primes_chunked(n).await) }).await;
    way("worker", n, async {
        let worker = Worker::start().await?; // this module, on its own thread
        let count = worker.call(&COUNT_PRIMES, &n.into()).await?; // runs `count_primes`
        Ok(count.as_f64().unwrap_or_default() as u32)
    })
    .await;
}
// ANCHOR_END: listing

/// What `worker.call(&COUNT_PRIMES, n)` runs on the worker.
pub static COUNT_PRIMES: Job = Job::new("count primes", |input| {
    input
        .as_f64()
        .map_or(JsValue::UNDEFINED, |n| count_primes(n as u32).into())
});

/// Python's three models beside what a browser page has, for the table
/// under the lesson: model, Python, browser.
pub static COMPARISON: [[&str; 3]; 3] = [
    [
        "async",
        "`asyncio`: one thread, one event loop. Best for waiting on I/O; a \
         CPU-bound step blocks every task.",
        "The page's own event loop, with futures through \
         `wasm-bindgen-futures`. The same rule: never block it.",
    ],
    [
        "threads",
        "`threading`: shared memory, good for I/O, but the GIL lets one \
         thread run Python at a time.",
        "No shared-memory threads by default. Wasm threads need \
         `SharedArrayBuffer`, cross-origin isolation and a nightly build.",
    ],
    [
        "processes",
        "`multiprocessing`: separate memory, true parallelism for CPU-bound \
         work.",
        "Web Workers: separate memory and event loop, messages in and out. \
         Here each worker starts this same wasm module.",
    ],
];

/// The lesson as the page and the tests see it.
pub static LESSON: Lesson = Lesson {
    id: "models",
    number: 18,
    chapter: Chapter::Models,
    title: "Async vs threads vs processes",
    params: &[Param::count(
        "n",
        "count primes below N",
        5_000_000.0,
        1000.0,
        10_000_000.0,
    )],
    view: View::Models,
    paced: false,
    run: |args| Box::pin(main(args)),
    expected: |args| {
        let n = args.count("n");
        let count = sieve_count(n);
        let mut e = Expected::new();
        for way in ["one go", "chunked", "worker"] {
            e = e.measured_line(0.0, format!("{way}: {count} primes below {n} in "));
        }
        e.untimed()
    },
    python_output: None,
};

/// The primes below `n`, by a sieve over the odd numbers: fast enough to
/// say what to expect while the reader types.
pub fn sieve_count(n: u32) -> u32 {
    if n <= 2 {
        return 0;
    }
    // Bit i stands for the odd number 2i + 1; n / 2 of them are below n.
    let odds = n as usize / 2;
    let mut composite = vec![0u64; odds.div_ceil(64)];
    let mut count = 1; // 2
    for i in 1..odds {
        if composite[i / 64] >> (i % 64) & 1 == 1 {
            continue;
        }
        count += 1;
        let p = 2 * i + 1;
        // p² can pass u32; past the square root there is nothing to mark.
        let Some(mut j) = p.checked_mul(p).map(|sq| sq / 2) else {
            continue;
        };
        while j < odds {
            composite[j / 64] |= 1 << (j % 64);
            j += p;
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sieve_agrees_with_trial_division() {
        for n in [0, 1, 2, 3, 4, 10, 11, 12, 1000, 12_345, 100_000] {
            assert_eq!(sieve_count(n), count_primes(n), "below {n}");
        }
        assert_eq!(sieve_count(2_000_000), 148_933);
        assert_eq!(sieve_count(10_000_000), 664_579);
    }
}
