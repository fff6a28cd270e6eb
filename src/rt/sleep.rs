//! Waiting: [`sleep`] yields to the event loop (Python's `asyncio.sleep`);
//! [`blocking_sleep`] does not (Python's `time.sleep`).

use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures::FutureExt;
use gloo_timers::future::TimeoutFuture;

use super::clock::{now_ms, Clock, Speed};
use super::run::Run;

thread_local! {
    static LIVE_TIMERS: Cell<usize> = const { Cell::new(0) };
}

/// Timers set by [`sleep`], anywhere on the page, that have neither fired
/// nor been cleared.
pub fn live_timers() -> usize {
    LIVE_TIMERS.with(Cell::get)
}

fn clock() -> Clock {
    Run::current()
        .map(|run| run.clock())
        .unwrap_or_else(|| Clock::start(Speed::REAL_TIME))
}

/// Waits `secs` tutorial seconds without blocking: other futures run
/// meanwhile. It is a browser timer (`setTimeout`) through gloo-timers;
/// dropping the future clears the timer.
///
/// Like every future it is lazy: the timer is set when `sleep` is called,
/// but nothing waits for it until the future is awaited.
pub fn sleep(secs: f64) -> Sleep {
    let ms = clock().real_ms(secs).round().min(f64::from(u32::MAX)) as u32;
    let run = Run::current();
    if let Some(run) = &run {
        run.timer_set();
    }
    LIVE_TIMERS.with(|c| c.set(c.get() + 1));
    Sleep {
        timer: TimeoutFuture::new(ms),
        run,
        live: true,
    }
}

/// The future [`sleep`] returns.
#[derive(Debug)]
#[must_use = "futures do nothing unless you `.await` them"]
pub struct Sleep {
    timer: TimeoutFuture,
    run: Option<Run>,
    live: bool,
}

impl Sleep {
    fn retire(&mut self) {
        if std::mem::take(&mut self.live) {
            LIVE_TIMERS.with(|c| c.set(c.get().saturating_sub(1)));
            if let Some(run) = &self.run {
                run.timer_gone();
            }
        }
    }
}

impl Future for Sleep {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let polled = self.timer.poll_unpin(cx);
        if polled.is_ready() {
            self.retire();
        }
        polled
    }
}

impl Drop for Sleep {
    fn drop(&mut self) {
        self.retire();
    }
}

/// Holds the thread for `secs` tutorial seconds, like Python's
/// `time.sleep`. Nothing else on the page runs meanwhile: no timer fires,
/// no click is handled, no frame is drawn. Use it only to see why not to.
pub fn blocking_sleep(secs: f64) {
    let until = now_ms() + clock().real_ms(secs);
    while now_ms() < until {
        std::hint::spin_loop();
    }
}
