//! How a run's [record](super::trace) is kept.
//!
//! Every poll of a task or of a named future goes through
//! `PollRecorder::poll`, which hands the future a waker of the runtime's own.
//! That waker writes each wake down, with its cause, and then passes it on
//! to the waker it wraps: the executor's, or the waker of the future that
//! polls this one. So the record holds what the loop really did, in order,
//! and nothing is inferred after the fact but the cause of a wake that
//! came from outside any poll (a timer, a promise): that is whatever the
//! woken future said it was waiting on.
//!
//! Leaf futures (sleep, yield, fetch...) call `waiting` when they answer
//! `Pending`. A hand-written future can say what it waits on with
//! [`waiting_on`].
//!
//! Each wait carries its [`Site`]: the leaves' `poll` is
//! `#[track_caller]`, so when a lesson writes `sleep(1.0).await`, the
//! caller of `poll` is that `.await`. The runtime's own async functions
//! (`get`, `Worker::call`) await leaves in the runtime's files, so they
//! are [`Sited`] at the lesson's call instead.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::panic::Location;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};

use super::clock::Millis;
use super::run::Run;
use super::scoped;
use super::trace::{ActorId, Cause, Polled, Site, Wait, What};

thread_local! {
    /// The actors being polled right now, innermost last.
    static POLLING: RefCell<Vec<ActorId>> = const { RefCell::new(Vec::new()) };
    /// Set while a waker passes a wake on to the waker it wraps.
    static VIA: Cell<Option<ActorId>> = const { Cell::new(None) };
    /// While a task's first poll runs: the address and size of its root
    /// future, so that a named future passed straight to `spawn` can tell
    /// that it *is* the task (see `Named`).
    static ROOT: Cell<Option<(usize, usize, ActorId)>> = const { Cell::new(None) };
    /// While a [`Sited`] future is polled: the lesson's call that made it,
    /// which the waits inside it are put down to.
    static SITE: Cell<Option<Site>> = const { Cell::new(None) };
}

/// Polls with `site` as where the waits inside are put down to: how an
/// interpreter's task says which line of its program awaits (a Python
/// task's `await`), where `#[track_caller]` would find only the
/// interpreter.
pub fn at_site<R>(site: Site, poll: impl FnOnce() -> R) -> R {
    scoped(&SITE, Some(site), poll)
}

/// Says what the future being polled waits on, as it answers `Pending`:
/// for a hand-written future, whose wait the runtime cannot see. The
/// record then says what it waited on, and what woke it, and the page
/// points at the line that called `waiting_on`.
#[track_caller]
pub fn waiting_on(what: &'static str) {
    waiting(Wait::Other(what), Site::Rust(Location::caller()));
}

/// Writes down that the actor being polled waits on `on`, at `site` (or
/// at the call of the [`Sited`] future being polled, if any).
pub(crate) fn waiting(on: Wait, site: Site) {
    let Some(actor) = polling() else {
        return;
    };
    let site = Some(SITE.with(Cell::get).unwrap_or(site));
    if let Some(run) = Run::current() {
        // Said within the poll, and shown with it: the poll's start time
        // will do, and saves reading the clock.
        let started = {
            let r = run.0.record.borrow();
            let poll = r.state.get(actor as usize).and_then(|s| s.last_poll);
            poll.and_then(|i| r.events.get(i as usize)).map(|e| e.real)
        };
        let what = What::Waits { actor, on, site };
        match started {
            Some(real) => run.note_at(what, real),
            None => run.note(what),
        };
    }
}

/// The actor being polled, if any.
pub(crate) fn polling() -> Option<ActorId> {
    POLLING.with(|p| p.borrow().last().copied())
}

/// Marks an actor as being polled until dropped.
struct Polling;

impl Polling {
    fn enter(actor: ActorId) -> Polling {
        POLLING.with(|p| p.borrow_mut().push(actor));
        Polling
    }
}

impl Drop for Polling {
    fn drop(&mut self) {
        POLLING.with(|p| p.borrow_mut().pop());
    }
}

/// Runs a task's first poll with its root future's address known.
pub(crate) fn as_root<R>(root: (usize, usize, ActorId), f: impl FnOnce() -> R) -> R {
    scoped(&ROOT, Some(root), f)
}

/// The task whose root future lies at `addr` with `size` bytes, if a
/// task's first poll is running and that is so.
pub(crate) fn root_task(addr: usize, size: usize) -> Option<ActorId> {
    ROOT.with(|r| match r.get() {
        Some((a, s, task)) if a == addr && s == size => {
            r.set(None);
            Some(task)
        }
        _ => None,
    })
}

/// The waker the runtime hands to a traced poll.
struct RecordingWaker {
    key: u32,
    actor: ActorId,
    inner: Waker,
}

impl Wake for RecordingWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        if let Some(run) = Run::by_key(self.key) {
            woke(&run, self.actor);
        }
        scoped(&VIA, Some(self.actor), || self.inner.wake_by_ref());
    }
}

/// One actor's side of the record: what polls it.
pub(crate) struct PollRecorder {
    pub(crate) run: Run,
    pub(crate) actor: ActorId,
    waker: Option<Arc<RecordingWaker>>,
}

impl PollRecorder {
    pub(crate) fn new(run: Run, actor: ActorId) -> PollRecorder {
        PollRecorder {
            run,
            actor,
            waker: None,
        }
    }

    /// Polls through `f` as this actor: writes the poll down, hands `f` a
    /// waker that writes down its wakes, and notes whether anything kept
    /// that waker when `f` answers `Pending`.
    ///
    /// `from` is where a named future is polled from (its `.await`).
    pub(crate) fn poll<T>(
        &mut self,
        cx: &mut Context<'_>,
        from: Option<Site>,
        f: impl FnOnce(&mut Context<'_>) -> Poll<T>,
    ) -> Poll<T> {
        // Only this much is generic: it is compiled once per future type.
        let (recording, waker, index) = self.begin(cx, from);
        let result = {
            let _polling = Polling::enter(self.actor);
            f(&mut Context::from_waker(&waker))
        };
        self.end(recording, waker, index, result.is_ready());
        result
    }

    fn begin(
        &mut self,
        cx: &Context<'_>,
        from: Option<Site>,
    ) -> (Arc<RecordingWaker>, Waker, Option<u32>) {
        let recording = match &self.waker {
            Some(t) if t.inner.will_wake(cx.waker()) => t.clone(),
            _ => {
                let t = Arc::new(RecordingWaker {
                    key: self.run.0.key,
                    actor: self.actor,
                    inner: cx.waker().clone(),
                });
                self.waker = Some(t.clone());
                t
            }
        };
        let index = poll_started(&self.run, self.actor, from);
        let waker = Waker::from(recording.clone());
        (recording, waker, index)
    }

    fn end(&self, recording: Arc<RecordingWaker>, waker: Waker, index: Option<u32>, ready: bool) {
        drop(waker);
        // Ours are the copy in `self.waker` and `recording`: any more, and
        // someone kept the waker.
        let held = Arc::strong_count(&recording) > 2;
        let polled = if ready {
            Polled::Ready
        } else {
            Polled::Pending { held }
        };
        let ended = poll_ended(&self.run, index, polled);
        if let (true, Some(real)) = (ready, ended) {
            self.run.note_at(What::Done(self.actor), real);
        }
    }
}

// Writing polls and wakes into the run's record.

/// Opens a poll of `actor`; gives its index in the record.
fn poll_started(run: &Run, actor: ActorId, from: Option<Site>) -> Option<u32> {
    let woken = {
        let mut r = run.0.record.borrow_mut();
        let state = r.state.get_mut(actor as usize)?;
        let woken = state.woken || state.last_poll.is_none();
        state.woken = false;
        woken
    };
    let index = run.note(What::Poll {
        actor,
        took: Millis(0.0),
        polled: Polled::Running,
        woken,
        end: 0,
        from,
    })?;
    if let Some(state) = run.0.record.borrow_mut().state.get_mut(actor as usize) {
        state.last_poll = Some(index);
    }
    Some(index)
}

/// Completes the poll at `index`; gives the time it ended.
fn poll_ended(run: &Run, index: Option<u32>, result: Polled) -> Option<Millis> {
    let now = run.real_now();
    let index = index?;
    let mut r = run.0.record.borrow_mut();
    let len = r.events.len() as u32;
    if let Some(entry) = r.events.get_mut(index as usize) {
        let started = entry.real;
        if let What::Poll {
            took, polled, end, ..
        } = &mut entry.what
        {
            *took = now - started;
            *polled = result;
            *end = len;
        }
    }
    Some(now)
}

/// Writes down that actor `a`'s waker was called, and by what.
fn woke(run: &Run, a: ActorId) {
    let ended = run
        .0
        .record
        .borrow()
        .state
        .get(a as usize)
        .is_none_or(|s| s.ended);
    if ended {
        return; // its future is gone: the wake wakes nobody
    }
    let cause = match (VIA.with(Cell::get), polling()) {
        (Some(child), _) => Cause::Child(child),
        (None, Some(by)) => Cause::By(by),
        (None, None) => fired(run, a),
    };
    if run
        .note(What::Woke {
            actor: a,
            by: cause,
        })
        .is_some()
    {
        if let Some(state) = run.0.record.borrow_mut().state.get_mut(a as usize) {
            state.woken = true;
        }
    }
}

/// What fired, for a wake from outside any poll: of what actor `a`
/// said it waited on in its latest poll, a timer that is due, or else
/// the first wait that is not a timer (a timer not yet due cannot have
/// fired).
fn fired(run: &Run, a: ActorId) -> Cause {
    let now = run.real_now();
    let r = run.0.record.borrow();
    let Some(poll) = r.state.get(a as usize).and_then(|s| s.last_poll) else {
        return Cause::Callback;
    };
    let waits = || r.waits_in_poll(poll as usize);
    // Timers fire late, never early; 2 ms covers the clock's rounding.
    let due = waits().find(|(_, on)| on.due().is_some_and(|d| d <= now + Millis(2.0)));
    let other = || waits().find(|(_, on)| on.due().is_none());
    due.or_else(other)
        .map_or(Cause::Callback, |(i, _)| Cause::Fired(i as u32))
}

/// A leaf future from outside the runtime (a `JsFuture`, a channel), with
/// what it waits on: on `Pending` the record says so.
pub(crate) struct Leaf<F> {
    pub(crate) on: Wait,
    pub(crate) future: F,
}

impl<F: Future + Unpin> Future for Leaf<F> {
    type Output = F::Output;

    #[track_caller]
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let polled = Pin::new(&mut self.future).poll(cx);
        if polled.is_pending() {
            waiting(self.on.clone(), Site::Rust(Location::caller()));
        }
        polled
    }
}

/// A future of the runtime's own that awaits leaves in the runtime's
/// files (`get` awaits a fetch): its waits are put down to `site`, the
/// lesson's call that made it. The outermost one counts.
pub(crate) struct Sited<F> {
    site: Site,
    future: Pin<Box<F>>,
}

impl<F: Future> Sited<F> {
    /// `future`, its waits put down to the caller of the function that
    /// calls this (which is `#[track_caller]`).
    #[track_caller]
    pub(crate) fn new(future: F) -> Sited<F> {
        Sited {
            site: Site::Rust(Location::caller()),
            future: Box::pin(future),
        }
    }
}

impl<F: Future> Future for Sited<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let site = SITE.with(Cell::get).unwrap_or(self.site);
        scoped(&SITE, Some(site), || self.future.as_mut().poll(cx))
    }
}
