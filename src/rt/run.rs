//! A run: one press of Run. It owns the lesson's clock and seeded
//! generator, keeps what the lesson prints, the spans it opens and the
//! record of what the loop did, and can be stopped at any time.
//!
//! Lesson code never passes the run around. While a run's task is being
//! polled, the run is *current* (a task-local, like tokio's `task_local!`),
//! so [`print`](crate::say), [`now`], [`randint`], [`span`] and
//! [`sleep`](fn@super::sleep) find it.
//!
//! This module knows nothing of polling or tasks: [`poll`](super::poll)
//! writes polls and wakes into the record through [`Run::note`], and
//! [`task`](super::task) starts runs ([`Run::start`]), since a run's `main`
//! is its first task. The run holds its tasks only as [`AnyTask`], to
//! cancel them.

use std::cell::{Cell, Ref, RefCell};
use std::fmt;
use std::rc::{Rc, Weak};

use super::clock::{performance_now, Clock, Millis, Seconds, Speed};
use super::random::Rng;
use super::scoped;
use super::trace::{Actor, ActorId, ActorKind, ActorProgress, Entry, Record, Site, What, Why};

/// One printed line and when it came, in tutorial seconds since the start.
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    /// Tutorial seconds since the run started.
    pub at: f64,
    /// What was printed, without the newline.
    pub text: String,
}

/// A bar on the timeline: a piece of work from its first poll to its end.
#[derive(Clone, Debug, PartialEq)]
pub struct SpanRecord {
    /// What the bar is called (`task 1`).
    pub label: String,
    /// When its future first ran.
    pub start: f64,
    /// When it finished or was dropped; `None` while it runs.
    pub end: Option<f64>,
    /// True when it ended because its task or run was cancelled.
    pub cancelled: bool,
}

/// How a run ended.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Outcome {
    /// The lesson's future completed after `elapsed` tutorial seconds.
    Finished {
        /// Tutorial seconds from start to completion.
        elapsed: f64,
    },
    /// The reader pressed Stop after `elapsed` tutorial seconds.
    Stopped {
        /// Tutorial seconds from start to Stop.
        elapsed: f64,
    },
}

/// What changed in a run; the listener reads the details from the run.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Event {
    /// Line number `n` (from 0) was printed.
    Line(usize),
    /// Span number `n` opened or closed.
    Span(usize),
    /// The run ended.
    Ended(Outcome),
}

pub(crate) type OnEvent = Box<dyn Fn(&Run, Event)>;

/// A task as its run sees it: something to cancel when the run ends, and
/// to forget once it is done.
pub(crate) trait AnyTask {
    fn cancel(&self, why: Why);
    fn is_pending(&self) -> bool;
}

pub(crate) struct RunState {
    pub(crate) clock: Clock,
    /// What the loop did with the run's futures ([`trace`]).
    pub(crate) record: RefCell<Record>,
    /// How the run's wakers find it ([`poll`]).
    pub(crate) key: u32,
    lines: RefCell<Vec<Line>>,
    spans: RefCell<Vec<SpanRecord>>,
    main: RefCell<Option<Rc<dyn AnyTask>>>,
    tasks: RefCell<Vec<Rc<dyn AnyTask>>>,
    /// When `tasks` grows to this length, the finished ones are dropped
    /// from it: pruning on every spawn would make spawning quadratic.
    prune_at: Cell<usize>,
    timers: Cell<usize>,
    rng: Cell<Rng>,
    outcome: Cell<Option<Outcome>>,
    /// True while Stop drops the run's futures: what a `Drop` prints then
    /// is still shown.
    stopping: Cell<bool>,
    /// Where the run may show a page it loads (lesson 17's frame).
    stage: RefCell<Option<web_sys::Element>>,
    listener: Option<OnEvent>,
}

impl Drop for RunState {
    fn drop(&mut self) {
        unregister(self.key);
    }
}

/// A handle to a run. Cheap to clone; all clones see the same run.
#[derive(Clone)]
pub struct Run(pub(crate) Rc<RunState>);

thread_local! {
    static CURRENT: Cell<Option<Run>> = const { Cell::new(None) };
    /// Runs alive, by key. A waker must be `Send`, so it holds a key and
    /// finds its run here ([`Run::by_key`]).
    static RUNS: RefCell<Vec<(u32, Weak<RunState>)>> = const { RefCell::new(Vec::new()) };
    static NEXT_KEY: Cell<u32> = const { Cell::new(1) };
    /// While a cancelled task's future is dropped: why.
    static CANCELLING: Cell<Option<Why>> = const { Cell::new(None) };
    /// Where a line printed outside any run goes: the console, or on a
    /// worker the page ([`print_outside_runs_with`]).
    static OUTSIDE: Cell<fn(&str)> = const { Cell::new(console_log) };
}

/// Gives a run a key for its wakers to find it by.
fn register(run: Weak<RunState>) -> u32 {
    let key = NEXT_KEY.with(|k| {
        let key = k.get();
        k.set(key.wrapping_add(1).max(1));
        key
    });
    RUNS.with(|runs| runs.borrow_mut().push((key, run)));
    key
}

/// Forgets a run's key (when the run is dropped).
fn unregister(key: u32) {
    RUNS.with(|runs| runs.borrow_mut().retain(|(k, _)| *k != key));
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

/// Why the futures being dropped now are cancelled, if they are.
pub(crate) fn cancelling() -> Option<Why> {
    CANCELLING.with(Cell::get)
}

/// Runs `f` (which drops futures) with `why` as the reason they are
/// cancelled.
pub(crate) fn cancel_with<R>(why: Why, f: impl FnOnce() -> R) -> R {
    scoped(&CANCELLING, Some(why), f)
}

impl Run {
    /// A run at `speed` with `seed` for [`randint`], keeping at most
    /// `limit` events in its record, with nothing running yet: see
    /// [`Run::start`] for one with its `main`.
    pub(crate) fn new(speed: Speed, seed: u64, listener: Option<OnEvent>, limit: usize) -> Run {
        Run(Rc::new_cyclic(|me| RunState {
            clock: Clock::start(speed),
            record: RefCell::new(Record::new(limit)),
            key: register(me.clone()),
            lines: RefCell::default(),
            spans: RefCell::default(),
            main: RefCell::default(),
            tasks: RefCell::default(),
            prune_at: Cell::new(16),
            timers: Cell::new(0),
            rng: Cell::new(Rng::new(seed)),
            outcome: Cell::new(None),
            stopping: Cell::new(false),
            stage: RefCell::default(),
            listener,
        }))
    }

    /// Gives the run its `main` task, which Stop cancels.
    pub(crate) fn set_main(&self, main: Rc<dyn AnyTask>) {
        *self.0.main.borrow_mut() = Some(main);
    }

    /// The run with this key, if it is still alive.
    pub(crate) fn by_key(key: u32) -> Option<Run> {
        RUNS.with(|runs| {
            runs.borrow()
                .iter()
                .find(|(k, _)| *k == key)
                .and_then(|(_, w)| w.upgrade())
                .map(Run)
        })
    }

    /// The run whose task is being polled, if any.
    pub fn current() -> Option<Run> {
        CURRENT.with(|c| {
            let run = c.take();
            c.set(run.clone());
            run
        })
    }

    /// Runs `f` with this run current, then restores the previous one.
    pub(crate) fn enter<R>(run: Option<&Run>, f: impl FnOnce() -> R) -> R {
        scoped(&CURRENT, run.cloned(), f)
    }

    /// This run's clock.
    pub fn clock(&self) -> Clock {
        self.0.clock
    }

    /// The lines printed so far.
    pub fn lines(&self) -> Vec<Line> {
        self.0.lines.borrow().clone()
    }

    /// The spans opened so far.
    pub fn spans(&self) -> Vec<SpanRecord> {
        self.0.spans.borrow().clone()
    }

    /// How it ended, or `None` while it runs.
    pub fn outcome(&self) -> Option<Outcome> {
        self.0.outcome.get()
    }

    /// What the loop did with this run's futures so far. Read it and let
    /// go: the run writes to it whenever a future is polled or woken.
    pub fn record(&self) -> Ref<'_, Record> {
        self.0.record.borrow()
    }

    /// Gives the run an element to show what it loads in, such as
    /// [`Page`](super::page::Page)'s frame. Set it before the run's first
    /// turn (right after [`Run::start`]).
    pub fn set_stage(&self, stage: web_sys::Element) {
        *self.0.stage.borrow_mut() = Some(stage);
    }

    /// The element set by [`Run::set_stage`], if any.
    pub fn stage(&self) -> Option<web_sys::Element> {
        self.0.stage.borrow().clone()
    }

    /// Timers this run has set that have neither fired nor been cleared.
    pub fn pending_timers(&self) -> usize {
        self.0.timers.get()
    }

    /// Stops the run now: its futures are dropped, which clears their
    /// timers. Lines that `Drop` impls print while that happens are kept;
    /// after it, nothing more is printed. Stopping an ended run does
    /// nothing.
    pub fn stop(&self) {
        if self.0.outcome.get().is_some() {
            return;
        }
        let outcome = Outcome::Stopped {
            elapsed: self.0.clock.elapsed(),
        };
        self.0.outcome.set(Some(outcome));
        self.0.stopping.set(true);
        // Current while dropping, so that what a `Drop` prints reaches
        // this run.
        Run::enter(Some(self), || {
            let main = self.0.main.borrow_mut().take();
            if let Some(main) = main {
                main.cancel(Why::Stop);
            }
            self.cancel_tasks(Why::Stop);
        });
        self.0.stopping.set(false);
        self.close_record();
        self.emit(Event::Ended(outcome));
    }

    /// Called by `main`'s task once it is done. Like `asyncio.run`, it
    /// cancels the tasks the lesson left running.
    pub(crate) fn finish(&self) {
        if self.0.outcome.get().is_some() {
            return;
        }
        let outcome = Outcome::Finished {
            elapsed: self.0.clock.elapsed(),
        };
        self.0.outcome.set(Some(outcome));
        self.cancel_tasks(Why::EndOfMain);
        self.close_record();
        self.emit(Event::Ended(outcome));
    }

    fn cancel_tasks(&self, why: Why) {
        let tasks = std::mem::take(&mut *self.0.tasks.borrow_mut());
        for t in tasks {
            t.cancel(why);
        }
    }

    fn emit(&self, event: Event) {
        if let Some(listener) = &self.0.listener {
            listener(self, event);
        }
    }

    pub(crate) fn adopt(&self, task: Rc<dyn AnyTask>) {
        let mut tasks = self.0.tasks.borrow_mut();
        if tasks.len() >= self.0.prune_at.get() {
            tasks.retain(|t| t.is_pending());
            self.0.prune_at.set((tasks.len() * 2).max(16));
        }
        tasks.push(task);
    }

    pub(crate) fn print(&self, text: String) {
        let at = match self.0.outcome.get() {
            None => self.0.clock.elapsed(),
            // A `Drop` impl printing while Stop drops the futures: the line
            // is part of what Stop did.
            Some(Outcome::Stopped { elapsed }) if self.0.stopping.get() => elapsed,
            // Anything later comes from a future that outlived its run.
            Some(_) => return,
        };
        let line = Line { at, text };
        let n = {
            let mut lines = self.0.lines.borrow_mut();
            lines.push(line);
            lines.len() - 1
        };
        self.note(What::Printed(n as u32));
        self.emit(Event::Line(n));
    }

    pub(crate) fn timer_set(&self) {
        self.0.timers.set(self.0.timers.get() + 1);
    }

    pub(crate) fn timer_gone(&self) {
        self.0.timers.set(self.0.timers.get().saturating_sub(1));
    }

    fn randint(&self, lo: u32, hi: u32) -> u32 {
        let mut rng = self.0.rng.get();
        let n = rng.randint(lo, hi);
        self.0.rng.set(rng);
        n
    }
}

/// The run's side of its record: writing events down. [`poll`](super::poll)
/// calls these as futures are polled and woken.
impl Run {
    /// Real milliseconds since the run started.
    pub(crate) fn real_now(&self) -> Millis {
        Millis(self.0.clock.real_elapsed_ms())
    }

    /// Writes `what` down now, unless the record is closed or full.
    pub(crate) fn note(&self, what: What) -> Option<u32> {
        self.note_at(what, self.real_now())
    }

    /// Writes `what` down as of `real` ms after the run started.
    pub(crate) fn note_at(&self, what: What, real: Millis) -> Option<u32> {
        let at = Seconds(real.0 / 1000.0 * self.0.clock.speed().factor());
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

    /// A new actor, started by `parent` (the actor being polled, if any),
    /// or `None` when the record is off, closed or full. A task without a
    /// label is `Task-N`, as Python names tasks.
    pub(crate) fn new_actor(
        &self,
        label: Option<String>,
        kind: ActorKind,
        parent: Option<ActorId>,
        site: Option<Site>,
    ) -> Option<ActorId> {
        let id = {
            let mut r = self.0.record.borrow_mut();
            if r.closed || r.actors.len() >= r.limit {
                return None;
            }
            if kind == ActorKind::Task {
                r.tasks += 1;
            }
            let label = label.unwrap_or_else(|| format!("Task-{}", r.tasks));
            r.actors.push(Actor {
                label,
                kind,
                parent,
                site,
            });
            r.state.push(ActorProgress::default());
            r.actors.len() as ActorId - 1
        };
        if kind != ActorKind::Future {
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

    /// Closes the record: the run ended, and nothing more is written.
    fn close_record(&self) {
        self.0.record.borrow_mut().closed = true;
    }
}

impl fmt::Debug for Run {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Run")
            .field("speed", &self.0.clock.speed())
            .field("lines", &self.0.lines.borrow().len())
            .field("outcome", &self.0.outcome.get())
            .finish()
    }
}

/// Prints a line to the current run's output, like Python's `print`.
/// Outside a run it goes where [`print_outside_runs_with`] says: on a
/// worker, to the page (to the run that started the worker); anywhere
/// else, to the browser console.
pub fn print(args: fmt::Arguments<'_>) {
    let text = args.to_string();
    match Run::current() {
        Some(run) => run.print(text),
        None => OUTSIDE.with(Cell::get)(&text),
    }
}

/// Sends what is printed outside any run to `to` from now on.
pub(crate) fn print_outside_runs_with(to: fn(&str)) {
    OUTSIDE.with(|o| o.set(to));
}

/// Writes a line to the browser console.
pub(crate) fn console_log(text: &str) {
    web_sys::console::log_1(&text.into());
}

/// A listener that hears only a run's end, and how the run will end: for
/// whatever waits for a run to finish (the tests, the benchmark page).
pub fn until_ended() -> (
    impl Fn(&Run, Event) + 'static,
    futures::channel::oneshot::Receiver<Outcome>,
) {
    let (tx, rx) = futures::channel::oneshot::channel();
    let tx = RefCell::new(Some(tx));
    let listener = move |_: &Run, event: Event| {
        if let Event::Ended(outcome) = event {
            if let Some(tx) = tx.borrow_mut().take() {
                let _ = tx.send(outcome);
            }
        }
    };
    (listener, rx)
}

/// Tutorial seconds since the current run started (Python's
/// `time.perf_counter()`, measured from the start).
pub fn now() -> Seconds {
    Seconds(match Run::current() {
        Some(run) => run.0.clock.elapsed(),
        None => performance_now() / 1000.0,
    })
}

/// A whole number from `lo` to `hi`, both included, from the current run's
/// seeded generator (Python's `random.randint`).
pub fn randint(lo: u32, hi: u32) -> u32 {
    match Run::current() {
        Some(run) => run.randint(lo, hi),
        None => Rng::new((js_sys::Math::random() * u64::MAX as f64) as u64).randint(lo, hi),
    }
}

/// Opens a bar on the timeline; it closes when the guard is dropped, which
/// for `let _span = span("task 1");` at the top of an `async fn` is when
/// the future completes, or is cancelled.
#[must_use = "the span closes as soon as the guard is dropped; bind it with `let _span = ...`"]
pub fn span(label: impl Into<String>) -> Span {
    let run = Run::current();
    let index = run.as_ref().map(|run| {
        let record = SpanRecord {
            label: label.into(),
            start: run.0.clock.elapsed(),
            end: None,
            cancelled: false,
        };
        let n = {
            let mut spans = run.0.spans.borrow_mut();
            spans.push(record);
            spans.len() - 1
        };
        run.emit(Event::Span(n));
        n
    });
    Span { run, index }
}

/// The guard [`span`] returns; dropping it closes the bar.
#[derive(Debug)]
pub struct Span {
    run: Option<Run>,
    index: Option<usize>,
}

impl Drop for Span {
    fn drop(&mut self) {
        let (Some(run), Some(n)) = (&self.run, self.index) else {
            return;
        };
        let end = match run.0.outcome.get() {
            Some(Outcome::Stopped { elapsed }) => elapsed,
            _ => run.0.clock.elapsed(),
        };
        if let Some(record) = run.0.spans.borrow_mut().get_mut(n) {
            record.end = Some(end);
            record.cancelled = cancelling().is_some();
        }
        run.emit(Event::Span(n));
    }
}
