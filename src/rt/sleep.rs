//! Waiting: [`sleep`] yields to the event loop (Python's `asyncio.sleep`);
//! [`blocking_sleep`] does not (Python's `time.sleep`). [`interval`] ticks
//! (an async iterator), and [`yield_now`] lets the loop run whatever is
//! waiting, then carries on (`await asyncio.sleep(0)`).

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::future::Future;
use std::panic::Location;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use futures::{FutureExt, Stream, StreamExt};
use gloo_timers::future::{IntervalStream, TimeoutFuture};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{MessageChannel, MessagePort};

use super::clock::{performance_now, Clock, Speed};
use super::poll::{waiting, Leaf};
use super::run::Run;
use super::trace::{Site, Wait};

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

/// Milliseconds as a browser timer takes them: whole, and at most
/// `u32::MAX`.
fn timer_ms(ms: f64) -> u32 {
    ms.round().min(f64::from(u32::MAX)) as u32
}

/// The real milliseconds that `secs` tutorial seconds last in the current
/// run, for code that sets a browser timer by hand.
pub fn real_ms(secs: f64) -> u32 {
    timer_ms(clock().real_ms(secs))
}

/// A browser timer of `secs` real seconds, whatever the run's speed: a
/// deadline for the network or a page's load, which do not go faster at
/// 20x.
pub fn deadline(secs: f64) -> SetTimeout {
    set_timeout(timer_ms(secs * 1000.0))
}

/// JavaScript's `setTimeout(.., ms)` as a future, in real milliseconds at
/// any speed: gloo-timers' `TimeoutFuture`, which the record sees as a
/// timer. Dropping it clears the timer.
pub fn set_timeout(ms: u32) -> SetTimeout {
    SetTimeout {
        ms,
        set_at: performance_now(),
        timer: TimeoutFuture::new(ms),
    }
}

/// The future [`set_timeout`] and [`deadline`] return.
#[derive(Debug)]
#[must_use = "its timer is already set: `.await` it to wait, or drop it to clear the timer"]
pub struct SetTimeout {
    ms: u32,
    set_at: f64,
    timer: TimeoutFuture,
}

impl Future for SetTimeout {
    type Output = ();

    #[track_caller]
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let polled = self.timer.poll_unpin(cx);
        if polled.is_pending() {
            if let Some(run) = Run::current() {
                let ms = f64::from(self.ms);
                let due = run.clock().since_start_ms(self.set_at + ms);
                waiting(Wait::Timer { ms, due }, Site::Rust(Location::caller()));
            }
        }
        polled
    }
}

/// Awaits a JavaScript promise: `wasm-bindgen-futures`' `JsFuture`, which
/// resumes on a microtask once the promise settles (`.then`).
pub fn promise(promise: js_sys::Promise) -> impl Future<Output = Result<JsValue, JsValue>> + Unpin {
    Leaf {
        on: Wait::Promise,
        future: JsFuture::from(promise),
    }
}

/// A stream that yields `()` every `secs` tutorial seconds: gloo-timers'
/// `IntervalStream` (`setInterval`) at the current run's speed. Dropping it
/// clears the interval.
pub fn interval(secs: f64) -> Interval {
    let ms = real_ms(secs);
    Interval {
        ticks: IntervalStream::new(ms),
        every: f64::from(ms),
        due: performance_now() + f64::from(ms),
    }
}

/// The stream [`interval`] returns.
#[derive(Debug)]
#[must_use = "its interval already ticks: poll it for the ticks, or drop it to clear the interval"]
pub struct Interval {
    ticks: IntervalStream,
    /// Real milliseconds between ticks.
    every: f64,
    /// When the next tick is due, on the browser's clock. Browsers keep an
    /// interval on its grid: a tick that comes late does not move the
    /// next one, and ticks missed while the thread was held are skipped.
    due: f64,
}

impl Interval {
    /// The next tick: `StreamExt::next`, but the record points at the
    /// lesson's `.await` of it rather than into `futures`. (It is meant
    /// to stand in for `StreamExt::next`, so it has its name.)
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> NextTick<'_> {
        NextTick(self)
    }

    #[track_caller]
    fn poll_tick(&mut self, cx: &mut Context<'_>) -> Poll<Option<()>> {
        let polled = self.ticks.poll_next_unpin(cx);
        match polled {
            Poll::Ready(_) => {
                let now = performance_now();
                while self.due <= now && self.every > 0.0 {
                    self.due += self.every;
                }
            }
            Poll::Pending => {
                if let Some(run) = Run::current() {
                    let due = run.clock().since_start_ms(self.due);
                    waiting(Wait::Tick { due }, Site::Rust(Location::caller()));
                }
            }
        }
        polled
    }
}

impl Stream for Interval {
    type Item = ();

    #[track_caller]
    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<()>> {
        self.get_mut().poll_tick(cx)
    }
}

/// The future [`Interval::next`] returns.
#[derive(Debug)]
#[must_use = "futures do nothing unless you `.await` them"]
pub struct NextTick<'a>(&'a mut Interval);

impl Future for NextTick<'_> {
    type Output = Option<()>;

    #[track_caller]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<()>> {
        self.get_mut().0.poll_tick(cx)
    }
}

/// Waits `secs` tutorial seconds without blocking: other futures run
/// meanwhile. It is a browser timer (`setTimeout`) through gloo-timers;
/// dropping the future clears the timer.
///
/// Unlike an `async fn`'s future, it is not lazy: the timer is set when
/// `sleep` is called, and the future only waits for it once awaited. A
/// `sleep(1.0)` made at 0 s and awaited at 1 s is ready at once.
pub fn sleep(secs: f64) -> Sleep {
    let ms = real_ms(secs);
    let run = Run::current();
    if let Some(run) = &run {
        run.timer_set();
    }
    LIVE_TIMERS.with(|c| c.set(c.get() + 1));
    Sleep {
        timer: TimeoutFuture::new(ms),
        secs,
        due: performance_now() + f64::from(ms),
        run,
        live: true,
    }
}

/// The future [`sleep`] returns.
#[derive(Debug)]
#[must_use = "its timer is already set: `.await` it to wait, or drop it to clear the timer"]
pub struct Sleep {
    timer: TimeoutFuture,
    secs: f64,
    /// When the timer is due, on the browser's clock.
    due: f64,
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

    #[track_caller]
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let polled = self.timer.poll_unpin(cx);
        match (&polled, &self.run) {
            (Poll::Ready(()), _) => self.retire(),
            (Poll::Pending, Some(run)) => waiting(
                Wait::Sleep {
                    secs: self.secs,
                    due: run.clock().since_start_ms(self.due),
                },
                Site::Rust(Location::caller()),
            ),
            (Poll::Pending, None) => {}
        }
        polled
    }
}

impl Drop for Sleep {
    fn drop(&mut self) {
        if self.live {
            // gloo's timer hands its wake to a oneshot channel, and
            // dropping the timer drops the sending half, which wakes
            // whoever polled it last: the task that is dropping it,
            // for nothing (the record showed "woke itself", and the
            // loop polled it once more). Polled once with a waker that
            // does nothing, the timer has no one left to wake.
            let _ = self
                .timer
                .poll_unpin(&mut Context::from_waker(Waker::noop()));
        }
        self.retire();
    }
}

/// Holds the thread for `secs` tutorial seconds, like Python's
/// `time.sleep`. Nothing else on the page runs meanwhile: no timer fires,
/// no click is handled, no frame is drawn. Use it only to see why not to.
pub fn blocking_sleep(secs: f64) {
    let until = performance_now() + clock().real_ms(secs);
    while performance_now() < until {
        std::hint::spin_loop();
    }
}

/// Lets the event loop run what is waiting (timers, input, drawing), then
/// goes on: the browser's `await asyncio.sleep(0)`.
///
/// It posts a message to itself on a `MessageChannel` and waits for it.
/// A message is a macrotask that the browser runs at once, where a
/// zero-delay `setTimeout` is held back to about 4 ms once timers nest.
pub fn yield_now() -> YieldNow {
    YieldNow { turn: None }
}

/// The future [`yield_now`] returns.
#[derive(Debug)]
#[must_use = "futures do nothing unless you `.await` them"]
pub struct YieldNow {
    turn: Option<Rc<Turn>>,
}

/// One posted message: set when it arrives.
#[derive(Debug, Default)]
struct Turn {
    arrived: Cell<bool>,
    waker: RefCell<Option<Waker>>,
}

/// The page's one channel for yielding. Messages arrive in the order they
/// were posted, so each one settles the oldest waiting turn.
struct Yielder {
    /// The channel's sending end, kept: asking the channel for it on each
    /// post would cost a call into JavaScript.
    port: MessagePort,
    _channel: MessageChannel,
    waiting: Rc<RefCell<VecDeque<Rc<Turn>>>>,
    _on_message: Closure<dyn FnMut()>,
}

impl Yielder {
    fn new() -> Yielder {
        let channel = MessageChannel::new().expect("every browser with wasm has MessageChannel");
        let waiting: Rc<RefCell<VecDeque<Rc<Turn>>>> = Rc::default();
        let queue = waiting.clone();
        let on_message = Closure::<dyn FnMut()>::new(move || {
            let turn = queue.borrow_mut().pop_front();
            if let Some(turn) = turn {
                turn.arrived.set(true);
                if let Some(w) = turn.waker.borrow_mut().take() {
                    w.wake();
                }
            }
        });
        channel
            .port1()
            .set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        Yielder {
            port: channel.port2(),
            _channel: channel,
            waiting,
            _on_message: on_message,
        }
    }

    fn post(&self, turn: Rc<Turn>) {
        self.waiting.borrow_mut().push_back(turn);
        // Posting `undefined` to our own open port cannot fail.
        let _ = self.port.post_message(&JsValue::UNDEFINED);
    }
}

thread_local! {
    static YIELDER: Yielder = Yielder::new();
}

impl Future for YieldNow {
    type Output = ();

    #[track_caller]
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        match &self.turn {
            Some(turn) if turn.arrived.get() => return Poll::Ready(()),
            Some(turn) => *turn.waker.borrow_mut() = Some(cx.waker().clone()),
            None => {
                let turn = Rc::new(Turn::default());
                *turn.waker.borrow_mut() = Some(cx.waker().clone());
                YIELDER.with(|y| y.post(turn.clone()));
                self.turn = Some(turn);
            }
        }
        waiting(Wait::Yield, Site::Rust(Location::caller()));
        Poll::Pending
    }
}

/// Resolves at the browser's next animation frame, just before it draws
/// (`requestAnimationFrame`). Outside a window (a worker) it resolves at
/// once.
pub fn next_frame() -> NextFrame {
    let frame = js_sys::Promise::new(&mut |resolve, _reject| {
        if let Some(window) = web_sys::window() {
            // A failed request leaves the promise pending; browsers only
            // refuse for a detached document.
            let _ = window.request_animation_frame(&resolve);
        } else {
            let _ = resolve.call0(&JsValue::UNDEFINED);
        }
    });
    NextFrame(Leaf {
        on: Wait::Frame,
        future: JsFuture::from(frame),
    })
}

/// The future [`next_frame`] returns.
#[must_use = "futures do nothing unless you `.await` them"]
pub struct NextFrame(Leaf<JsFuture>);

impl Future for NextFrame {
    type Output = ();

    #[track_caller]
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        // The promise never rejects.
        Pin::new(&mut self.0).poll(cx).map(drop)
    }
}
