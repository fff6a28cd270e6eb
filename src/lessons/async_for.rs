//! Lesson 12: `async for` is a `Stream`, consumed one item at a time.

use super::{Args, Chapter, Expected, Lesson, Param, View};
// ANCHOR: listing
use crate::rt::*;
use crate::say;
use futures::future::join_all;
use futures::stream::{self, Stream, StreamExt};
use futures::FutureExt;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

/// Counts from 1 to `count`, waiting `delay` seconds before each.
struct Ticker {
    delay: f64,
    count: u32,
    n: u32,
    waiting: Option<(Sleep, Span)>,
}

impl Stream for Ticker {
    type Item = u32;

    // Python's `__anext__`. `Ready(Some(n))` is the next item,
    // `Ready(None)` is `StopAsyncIteration`, `Pending` is "not yet".
    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<u32>> {
        if self.n == self.count {
            return Poll::Ready(None);
        }
        let (delay, next) = (self.delay, self.n + 1);
        let (timer, _bar) = self
            .waiting
            .get_or_insert_with(|| (sleep(delay), span(format!("tick {next}"))));
        ready!(timer.poll_unpin(cx)); // returns Pending until the timer fires
        self.waiting = None;
        self.n = next;
        Poll::Ready(Some(next))
    }
}

async fn item(n: u32, delay: f64) -> u32 {
    sleep(delay).await;
    n
}

/// What the Run button starts.
pub async fn main(args: Args) {
    let (delay, count) = (args.get("delay"), args.count("count"));
    let start = now();

    let mut ticker = Ticker {
        delay,
        count,
        n: 0,
        waiting: None,
    };
    while let Some(n) = ticker.next().await {
        say!("tick {n}"); // one item after another
    }

    let ticks: Vec<u32> = interval(delay) // gloo-timers' IntervalStream
        .zip(stream::iter(1..=count))
        .map(|((), n)| n)
        .collect::<Vec<u32>>()
        .named("collect")
        .await; // still one after another
    say!("collected {ticks:?}");

    let items = (1..=count).map(|n| item(n, delay).named(format!("item {n}")));
    let items = join_all(items).await; // all at once
    say!("gathered {items:?}");
    say!("Total time elapsed: {:.2} seconds", now() - start);
}
// ANCHOR_END: listing

/// The lesson as the page and the tests see it.
pub static LESSON: Lesson = Lesson {
    id: "async-for",
    number: 12,
    chapter: Chapter::Language,
    title: "async for",
    params: &[
        Param::secs_from("delay", "delay per item (s)", 1.0, 0.1, 3.0),
        Param::count("count", "items", 3.0, 1.0, 6.0),
    ],
    view: View::Timeline,
    paced: true,
    run: |args| Box::pin(main(args)),
    expected: |args| {
        let (d, count) = (args.get("delay"), args.count("count"));
        let c = f64::from(count);
        let numbers: Vec<u32> = (1..=count).collect();
        let mut e = Expected::new();
        for n in 1..=count {
            let at = f64::from(n) * d;
            e = e
                .line(at, format!("tick {n}"))
                .span(format!("tick {n}"), at - d, at);
        }
        e = e
            .line(2.0 * c * d, format!("collected {numbers:?}"))
            .span("collect", c * d, 2.0 * c * d)
            .line(2.0 * c * d + d, format!("gathered {numbers:?}"));
        for n in 1..=count {
            e = e.span(format!("item {n}"), 2.0 * c * d, 2.0 * c * d + d);
        }
        e.total_line(2.0 * c * d + d).total(2.0 * c * d + d)
    },
    python_output: None,
};
