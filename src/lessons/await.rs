//! Lesson 14: `await`, seen from inside a future written by hand.

use super::{Args, Chapter, Expected, Lesson, Param, View};
// ANCHOR: listing
use crate::rt::*;
use crate::say;
use gloo_timers::callback::Timeout;
use std::cell::{Cell, RefCell};
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

/// Plain data, like the Python object: `.await` turns it into a future.
struct Timer {
    secs: f64,
    value: u32,
    polls: Rc<Cell<u32>>,
}

/// What the browser's timer callback shares with the future.
#[derive(Default)]
struct Wake {
    by: Cell<Option<&'static str>>,
    waker: RefCell<Option<Waker>>,
}

struct TimerFuture {
    timer: Timer,
    wake: Rc<Wake>,
    timeout: Option<Timeout>, // dropping it clears the browser timer
}

impl IntoFuture for Timer {
    // Python's `__await__`.
    type Output = u32;
    type IntoFuture = TimerFuture;

    fn into_future(self) -> TimerFuture {
        TimerFuture {
            timer: self,
            wake: Rc::default(),
            timeout: None,
        }
    }
}

impl Future for TimerFuture {
    type Output = u32;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<u32> {
        let n = self.timer.polls.get() + 1;
        self.timer.polls.set(n);
        if let Some(by) = self.wake.by.get() {
            say!("poll {n}: woken by {by}, ready({})", self.timer.value);
            return Poll::Ready(self.timer.value);
        }
        // Keep the newest waker: whoever polls us now wants the wake-up.
        *self.wake.waker.borrow_mut() = Some(cx.waker().clone());
        if self.timeout.is_none() {
            let wake = self.wake.clone();
            self.timeout = Some(Timeout::new(real_ms(self.timer.secs), move || {
                wake.by.set(Some("the timer"));
                if let Some(waker) = wake.waker.borrow_mut().take() {
                    waker.wake(); // asks the executor to poll us again
                }
            }));
            say!("poll {n}: timer set, pending");
        }
        waiting_on("the Timer's setTimeout"); // for the page's record
        Poll::Pending
    }
}

/// What the Run button starts.
pub async fn main(args: Args) {
    let start = now();
    let secs = args.get("secs");
    let timer = Timer {
        secs,
        value: args.count("value"),
        polls: Rc::default(),
    };
    say!("made a Timer: nothing runs until it is awaited");
    sleep(secs).await;
    say!(
        "after a sleep it had been polled {} times",
        timer.polls.get()
    );
    let polls = timer.polls.clone();
    let value = {
        let _span = span("await timer");
        timer.await // IntoFuture, then poll until Ready
    };
    say!("await gave {value} after {} polls", polls.get());
    say!("Total time elapsed: {:.2} seconds", now() - start);
}
// ANCHOR_END: listing

/// The lesson as the page and the tests see it.
pub static LESSON: Lesson = Lesson {
    id: "await",
    number: 14,
    chapter: Chapter::Language,
    title: "await",
    params: &[
        Param::secs("secs", "timer (s)", 1.0, 5.0),
        Param::count("value", "value", 42.0, 0.0, 999.0),
    ],
    view: View::Timeline,
    paced: true,
    run: |args| Box::pin(main(args)),
    expected: |args| {
        let (s, v) = (args.get("secs"), args.count("value"));
        Expected::new()
            .line(0.0, "made a Timer: nothing runs until it is awaited")
            .line(s, "after a sleep it had been polled 0 times")
            .line(s, "poll 1: timer set, pending")
            .line(2.0 * s, format!("poll 2: woken by the timer, ready({v})"))
            .line(2.0 * s, format!("await gave {v} after 2 polls"))
            .span("await timer", s, 2.0 * s)
            .total_line(2.0 * s)
            .total(2.0 * s)
    },
    python_output: None,
};
