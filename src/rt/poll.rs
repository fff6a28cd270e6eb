//! How a run's [record](super::trace) is kept.
//!
//! Every poll of a task or of a named future goes through
//! `Traced::poll`, which hands the future a waker of the runtime's own.
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

use std::cell::{Cell, RefCell};
use std::rc::Weak;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};
use std::thread::LocalKey;

use super::run::{Run, RunState};
use super::trace::{Actor, ActorId, ActorState, Cause, Entry, Kind, Polled, Wait, What, Why};

thread_local! {
    /// The actors being polled right now, innermost last.
    static POLLING: RefCell<Vec<ActorId>> = const { RefCell::new(Vec::new()) };
    /// Set while a waker passes a wake on to the waker it wraps.
    static VIA: Cell<Option<ActorId>> = const { Cell::new(None) };
    /// Runs that keep a record, by key. A waker must be `Send`, so it holds
    /// a key and finds its run here.
    static RUNS: RefCell<Vec<(u32, Weak<RunState>)>> = const { RefCell::new(Vec::new()) };
    static NEXT_KEY: Cell<u32> = const { Cell::new(1) };
    /// While a task's first poll runs: the address and size of its root
    /// future, so that a named future passed straight to `spawn` can tell
    /// that it *is* the task (see `Named`).
    static ROOT: Cell<Option<(usize, usize, ActorId)>> = const { Cell::new(None) };
    /// While a cancelled task's future is dropped: why.
    static CANCELLING: Cell<Option<Why>> = const { Cell::new(None) };
}

/// Says what the future being polled waits on, as it answers `Pending`:
/// for a hand-written future, whose wait the runtime cannot see. The
/// record then says what it waited on, and what woke it.
pub fn waiting_on(what: &'static str) {
    waiting(Wait::Other(what));
}

/// Writes down that the actor being polled waits on `on`.
pub(crate) fn waiting(on: Wait) {
    let Some(actor) = polling() else {
        return;
    };
    if let Some(run) = Run::current() {
        // Said within the poll, and shown with it: the poll's start time
        // will do, and saves reading the clock.
        let started = {
            let r = run.0.record.borrow();
            let poll = r.state.get(actor as usize).and_then(|s| s.last_poll);
            poll.and_then(|i| r.events.get(i as usize)).map(|e| e.real)
        };
        let what = What::Waits { actor, on };
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

/// Runs `f` with the thread-local `cell` set to `value`, then puts back
/// what it held before (by a guard, so that happens however `f` ends).
fn scoped<T: Copy + 'static, R>(
    cell: &'static LocalKey<Cell<T>>,
    value: T,
    f: impl FnOnce() -> R,
) -> R {
    struct Restore<T: Copy + 'static>(&'static LocalKey<Cell<T>>, T);
    impl<T: Copy + 'static> Drop for Restore<T> {
        fn drop(&mut self) {
            self.0.with(|c| c.set(self.1));
        }
    }
    let _restore = Restore(cell, cell.with(|c| c.replace(value)));
    f()
}

/// Why the futures being dropped now are cancelled, if they are.
pub(crate) fn cancelling() -> Option<Why> {
    CANCELLING.with(Cell::get)
}

/// Runs `f` (which drops futures) with `why` as the reason they are
/// cancelled.
pub(crate) fn cancel_with<R>(why: Why, f: impl FnOnce() -> R) -> R {
    scoped(&CANCELLING, Some(why), f)
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
struct Tracer {
    key: u32,
    actor: ActorId,
    inner: Waker,
}

impl Wake for Tracer {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        if let Some(run) = lookup(self.key) {
            run.woke(self.actor);
        }
        scoped(&VIA, Some(self.actor), || self.inner.wake_by_ref());
    }
}

fn lookup(key: u32) -> Option<Run> {
    RUNS.with(|runs| {
        runs.borrow()
            .iter()
            .find(|(k, _)| *k == key)
            .and_then(|(_, w)| w.upgrade())
            .map(Run)
    })
}

/// Gives a run a key for its wakers to find it by.
pub(crate) fn register(run: Weak<RunState>) -> u32 {
    let key = NEXT_KEY.with(|k| {
        let key = k.get();
        k.set(key.wrapping_add(1).max(1));
        key
    });
    RUNS.with(|runs| runs.borrow_mut().push((key, run)));
    key
}

/// How many runs are alive: started and not yet dropped. A run that ended
/// and that nothing holds is dropped; a count that only grows is a leak.
pub fn runs_alive() -> usize {
    RUNS.with(|runs| {
        runs.borrow()
            .iter()
            .filter(|(_, w)| w.strong_count() > 0)
            .count()
    })
}

/// Forgets a run's key (when the run is dropped).
pub(crate) fn unregister(key: u32) {
    RUNS.with(|runs| runs.borrow_mut().retain(|(k, _)| *k != key));
}

/// One actor's side of the record: what polls it.
pub(crate) struct Traced {
    pub(crate) run: Run,
    pub(crate) actor: ActorId,
    tracer: Option<Arc<Tracer>>,
}

impl Traced {
    pub(crate) fn new(run: Run, actor: ActorId) -> Traced {
        Traced {
            run,
            actor,
            tracer: None,
        }
    }

    /// Polls through `f` as this actor: writes the poll down, hands `f` a
    /// waker that writes down its wakes, and notes whether anything kept
    /// that waker when `f` answers `Pending`.
    pub(crate) fn poll<T>(
        &mut self,
        cx: &mut Context<'_>,
        f: impl FnOnce(&mut Context<'_>) -> Poll<T>,
    ) -> Poll<T> {
        // Only this much is generic: it is compiled once per future type.
        let (tracer, waker, index) = self.begin(cx);
        let result = {
            let _polling = Polling::enter(self.actor);
            f(&mut Context::from_waker(&waker))
        };
        self.end(tracer, waker, index, result.is_ready());
        result
    }

    fn begin(&mut self, cx: &Context<'_>) -> (Arc<Tracer>, Waker, Option<u32>) {
        let tracer = match &self.tracer {
            Some(t) if t.inner.will_wake(cx.waker()) => t.clone(),
            _ => {
                let t = Arc::new(Tracer {
                    key: self.run.0.key,
                    actor: self.actor,
                    inner: cx.waker().clone(),
                });
                self.tracer = Some(t.clone());
                t
            }
        };
        let index = self.run.poll_started(self.actor);
        let waker = Waker::from(tracer.clone());
        (tracer, waker, index)
    }

    fn end(&self, tracer: Arc<Tracer>, waker: Waker, index: Option<u32>, ready: bool) {
        drop(waker);
        // Ours are the copy in `self.tracer` and `tracer`: any more, and
        // someone kept the waker.
        let held = Arc::strong_count(&tracer) > 2;
        let polled = if ready {
            Polled::Ready
        } else {
            Polled::Pending { held }
        };
        let ended = self.run.poll_ended(index, polled);
        if let (true, Some(real)) = (ready, ended) {
            self.run.note_at(What::Done(self.actor), real);
        }
    }
}

/// The run's side: writing events down.
impl Run {
    fn real_now(&self) -> f64 {
        self.0.clock.real_elapsed_ms()
    }

    /// Writes `what` down now, unless the record is closed or full.
    pub(crate) fn note(&self, what: What) -> Option<u32> {
        self.note_at(what, self.real_now())
    }

    /// Writes `what` down as of `real` ms after the run started.
    fn note_at(&self, what: What, real: f64) -> Option<u32> {
        let at = real / 1000.0 * self.0.clock.speed().factor();
        let mut r = self.0.record.borrow_mut();
        if r.closed {
            return None;
        }
        if let What::Done(a) | What::Cancelled { actor: a, .. } = what {
            if let Some(state) = r.state.get_mut(a as usize) {
                state.ended = true;
            }
        }
        if r.events.len() >= r.limit {
            r.cut += 1;
            return None;
        }
        r.events.push(Entry { at, real, what });
        Some(r.events.len() as u32 - 1)
    }

    /// A new actor, or `None` when the record is off, closed or full. A
    /// task without a label is `Task-N`, as Python names tasks.
    pub(crate) fn new_actor(&self, label: Option<String>, kind: Kind) -> Option<ActorId> {
        let parent = polling();
        let id = {
            let mut r = self.0.record.borrow_mut();
            if r.closed || r.actors.len() >= r.limit {
                return None;
            }
            if kind == Kind::Task {
                r.tasks += 1;
            }
            let label = label.unwrap_or_else(|| format!("Task-{}", r.tasks));
            r.actors.push(Actor {
                label,
                kind,
                parent,
            });
            r.state.push(ActorState::default());
            r.actors.len() as ActorId - 1
        };
        if kind != Kind::Future {
            self.note(What::Spawned(id));
        }
        Some(id)
    }

    /// Gives actor `a` a new label (a task named by its root future).
    pub(crate) fn rename(&self, a: ActorId, label: String) {
        if let Some(actor) = self.0.record.borrow_mut().actors.get_mut(a as usize) {
            actor.label = label;
        }
    }

    fn poll_started(&self, actor: ActorId) -> Option<u32> {
        let woken = {
            let mut r = self.0.record.borrow_mut();
            let state = r.state.get_mut(actor as usize)?;
            let woken = state.woken || state.last_poll.is_none();
            state.woken = false;
            woken
        };
        let index = self.note(What::Poll {
            actor,
            took: 0.0,
            polled: Polled::Running,
            woken,
            end: 0,
        })?;
        if let Some(state) = self.0.record.borrow_mut().state.get_mut(actor as usize) {
            state.last_poll = Some(index);
        }
        Some(index)
    }

    /// Completes the poll at `index`; gives the time it ended.
    fn poll_ended(&self, index: Option<u32>, result: Polled) -> Option<f64> {
        let now = self.real_now();
        let index = index?;
        let mut r = self.0.record.borrow_mut();
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
    fn woke(&self, a: ActorId) {
        let ended = self
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
            (None, None) => self.fired(a),
        };
        if self
            .note(What::Woke {
                actor: a,
                by: cause,
            })
            .is_some()
        {
            if let Some(state) = self.0.record.borrow_mut().state.get_mut(a as usize) {
                state.woken = true;
            }
        }
    }

    /// What fired, for a wake from outside any poll: of what actor `a`
    /// said it waited on in its latest poll, a timer that is due, or else
    /// the first wait that is not a timer (a timer not yet due cannot have
    /// fired).
    fn fired(&self, a: ActorId) -> Cause {
        let now = self.real_now();
        let r = self.0.record.borrow();
        let Some(poll) = r.state.get(a as usize).and_then(|s| s.last_poll) else {
            return Cause::Callback;
        };
        let waits = || r.waits_in_poll(poll as usize);
        // Timers fire late, never early; 2 ms covers the clock's rounding.
        let due = waits().find(|(_, on)| on.due().is_some_and(|d| d <= now + 2.0));
        let other = || waits().find(|(_, on)| on.due().is_none());
        due.or_else(other)
            .map_or(Cause::Callback, |(i, _)| Cause::Fired(i as u32))
    }

    /// Closes the record: the run ended, and nothing more is written.
    pub(crate) fn close_record(&self) {
        self.0.record.borrow_mut().closed = true;
    }
}

/// A leaf future from outside the runtime (a `JsFuture`, a channel), with
/// what it waits on: on `Pending` the record says so.
pub(crate) struct Leaf<F> {
    pub(crate) on: Wait,
    pub(crate) future: F,
}

impl<F: std::future::Future + Unpin> std::future::Future for Leaf<F> {
    type Output = F::Output;

    fn poll(mut self: std::pin::Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let polled = std::pin::Pin::new(&mut self.future).poll(cx);
        if polled.is_pending() {
            waiting(self.on.clone());
        }
        polled
    }
}
