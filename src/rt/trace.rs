//! The record of a run: what the event loop did with the run's futures.
//!
//! Nothing here simulates a loop. The browser's loop really is the
//! executor (through `wasm-bindgen-futures`), and the runtime writes down
//! its work at the four places where that work touches a future:
//!
//! 1. **Poll**: a task, or a future a lesson [named](super::Name::named),
//!    is polled: when, for how long, and whether it answered `Ready` or
//!    `Pending`. Python says the loop *resumes the coroutine*.
//! 2. **Wait**: on `Pending`, what it waits on, as the runtime's leaf
//!    futures know it: a sleep until when, a fetch of which URL, a message,
//!    a frame, a task.
//! 3. **Wake**: the waker handed to the poll is called, and by what: a
//!    timer that fired, a promise that settled, a sibling that finished.
//!    Python says a callback *scheduled with `call_soon`* puts the task's
//!    next step on the ready queue.
//! 4. **End**: done, or cancelled and why.
//!
//! Each poll and wake goes through a waker the runtime hands out
//! ([`poll`](super::poll)), so the record holds what really happened, in
//! the order it happened. [`Record::problems`] checks it against the rules
//! every executor keeps: no lost wake-ups, no polls without a wake, no two
//! polls at once.

use std::fmt;
use std::panic::Location;
use std::rc::Rc;

use super::clock::{Millis, Seconds};

/// A place in the source: where a future was awaited, named or polled
/// from. In a lesson's Rust, as `#[track_caller]` finds it (the page maps
/// it to a line of the lesson's listing); in a Python program, the line
/// of the `await`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Site {
    /// A call in the crate's Rust.
    Rust(&'static Location<'static>),
    /// A line, from 1, of the Python program the run runs.
    Python(u32),
}

/// An actor's number in its run's [`Record::actors`].
pub type ActorId = u32;

/// How many events a run keeps; after that it counts what it leaves out.
pub const LIMIT: usize = 10_000;

/// What kind of thing an actor is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ActorKind {
    /// The run's own task: the lesson's `main`.
    Main,
    /// A task from [`spawn`](super::spawn).
    Task,
    /// A future a lesson named, polled inside a task (`join!`'s children).
    Future,
}

/// Something the loop polls: a task, or a named future inside one.
#[derive(Clone, Debug, PartialEq)]
pub struct Actor {
    /// What the page calls it: `main`, `task 1`, `Task-2`.
    pub label: String,
    /// Task or future.
    pub kind: ActorKind,
    /// The actor that spawned it or first polled it.
    pub parent: Option<ActorId>,
    /// Where a named future was named (`.named("task 1")`).
    pub site: Option<Site>,
}

/// What a pending future waits on.
#[derive(Clone, Debug, PartialEq)]
pub enum Wait {
    /// [`sleep`](fn@super::sleep): tutorial seconds, due at `due` real
    /// milliseconds after the run started.
    Sleep {
        /// How long the sleep is, in tutorial seconds.
        secs: f64,
        /// When its timer is due, in real ms since the run started.
        due: Millis,
    },
    /// A browser timer in real milliseconds ([`set_timeout`](super::set_timeout)).
    Timer {
        /// Its delay.
        ms: f64,
        /// When it is due, in real ms since the run started.
        due: Millis,
    },
    /// The next tick of an [`interval`](super::interval), due at `due`
    /// real ms after the run started.
    Tick {
        /// When the tick is due, in real ms since the run started.
        due: Millis,
    },
    /// [`yield_now`](super::yield_now)'s message to itself.
    Yield,
    /// The next animation frame.
    Frame,
    /// A JavaScript promise ([`promise`](super::promise)).
    Promise,
    /// An HTTP reply to this URL.
    Fetch(Rc<str>),
    /// A message on a port (a connection to the echo server).
    Message,
    /// A worker's answer to this job.
    Job(Rc<str>),
    /// A frame's `load` event for this URL.
    Load(Rc<str>),
    /// Another task to finish (awaiting its [`Task`](super::Task) handle).
    Task(ActorId),
    /// Something a hand-written future says it waits on
    /// ([`waiting_on`](super::waiting_on)).
    Other(&'static str),
}

impl Wait {
    /// When a timer is due, in real ms since the run started.
    pub fn due(&self) -> Option<Millis> {
        match self {
            Wait::Sleep { due, .. } | Wait::Timer { due, .. } | Wait::Tick { due } => Some(*due),
            _ => None,
        }
    }
}

/// What woke an actor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cause {
    /// What it waited on came: the index of that [`What::Waits`] event.
    Fired(u32),
    /// A future it polls was woken, and passed the wake up to it.
    Child(ActorId),
    /// Another actor woke it from inside its own poll: a task that
    /// finished, a message sent.
    By(ActorId),
    /// A browser callback the runtime knows nothing about.
    Callback,
}

/// How a poll ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Polled {
    /// Still running (only while it is being polled).
    Running,
    /// `Poll::Ready`: the future finished.
    Ready,
    /// `Poll::Pending`; `held` says whether anything kept the waker it was
    /// handed (if nothing did, nothing can ever wake it).
    Pending {
        /// Whether a clone of the waker outlived the poll.
        held: bool,
    },
}

/// Why an actor was cancelled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Why {
    /// The reader pressed Stop.
    Stop,
    /// The lesson called [`Task::cancel`](super::Task::cancel).
    Cancel,
    /// `main` ended, and the run cancelled what it left (as `asyncio.run`
    /// does).
    EndOfMain,
    /// Dropped before it finished: a `select` went the other way, or what
    /// held it was dropped.
    Dropped,
}

/// One thing that happened.
#[derive(Clone, Debug, PartialEq)]
pub enum What {
    /// An actor appeared: a task handed to the loop.
    Spawned(ActorId),
    /// A poll. It is written when the poll begins, so the polls nested in
    /// it (named children) come after it; `end` is the length of the record
    /// when it ended.
    Poll {
        /// Who was polled.
        actor: ActorId,
        /// How long the poll took, in real milliseconds.
        took: Millis,
        /// What it answered.
        polled: Polled,
        /// Whether it was woken since its last poll (or never polled). A
        /// named future inside a `join!` is polled whenever its join is,
        /// woken or not.
        woken: bool,
        /// The index of the first event after the poll.
        end: u32,
        /// Where a named future was polled from: the `.await` that polls
        /// it, or a combinator's code (`join!`'s).
        from: Option<Site>,
    },
    /// During a poll, what the actor found it must wait on.
    Waits {
        /// Who waits.
        actor: ActorId,
        /// On what.
        on: Wait,
        /// The `.await` where it waits, or the call into the runtime
        /// that does (`get(url)`).
        site: Option<Site>,
    },
    /// An actor's waker was called.
    Woke {
        /// Who was woken.
        actor: ActorId,
        /// By what.
        by: Cause,
    },
    /// An actor finished.
    Done(ActorId),
    /// An actor was cancelled: its future dropped before it finished.
    Cancelled {
        /// Who.
        actor: ActorId,
        /// Why.
        why: Why,
    },
    /// The run printed its line number `n` (from 0).
    Printed(u32),
}

impl What {
    /// Whether this is a wait: said with the poll it happened in, not as
    /// an event of its own (so neither a row of the loop's list nor a
    /// step).
    pub fn is_wait(&self) -> bool {
        matches!(self, What::Waits { .. })
    }

    /// The actor the event is about, if it is about one.
    pub fn actor(&self) -> Option<ActorId> {
        match *self {
            What::Spawned(a) | What::Done(a) => Some(a),
            What::Poll { actor, .. }
            | What::Waits { actor, .. }
            | What::Woke { actor, .. }
            | What::Cancelled { actor, .. } => Some(actor),
            What::Printed(_) => None,
        }
    }
}

/// One event and when it happened.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    /// Tutorial seconds since the run started.
    pub at: Seconds,
    /// Real milliseconds since the run started.
    pub real: Millis,
    /// What happened.
    pub what: What,
}

/// Everything a run recorded.
#[derive(Clone, Debug, Default)]
pub struct Record {
    /// Everyone that was polled, by [`ActorId`].
    pub actors: Vec<Actor>,
    /// What happened, in order.
    pub events: Vec<Entry>,
    /// Events left out because the record was full ([`LIMIT`]).
    pub cut: u32,
    /// The most events kept.
    pub(crate) limit: usize,
    /// Whether the run ended: then nothing more is written.
    pub closed: bool,
    /// Per actor: where its latest poll is, and whether it was woken since.
    pub(crate) state: Vec<ActorProgress>,
    /// How many tasks were spawned (not counting `main`), to name the
    /// next `Task-N`.
    pub(crate) tasks: u32,
}

#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct ActorProgress {
    pub(crate) last_poll: Option<u32>,
    pub(crate) woken: bool,
    /// Done or cancelled: a wake now wakes nobody.
    pub(crate) ended: bool,
}

impl Record {
    pub(crate) fn new(limit: usize) -> Record {
        Record {
            limit,
            ..Record::default()
        }
    }

    /// The label of actor `a` (`?` if there is none).
    pub fn label(&self, a: ActorId) -> &str {
        self.actors
            .get(a as usize)
            .map_or("?", |x| x.label.as_str())
    }

    /// The actor called `label`, if any.
    pub fn find(&self, label: &str) -> Option<ActorId> {
        self.actors
            .iter()
            .position(|a| a.label == label)
            .map(|i| i as ActorId)
    }

    /// The polls of actor `a`: their index in [`Record::events`], what they
    /// answered and whether they were woken first.
    pub fn polls(&self, a: ActorId) -> impl Iterator<Item = (usize, Polled, bool)> + '_ {
        self.events
            .iter()
            .enumerate()
            .filter_map(move |(i, e)| match e.what {
                What::Poll {
                    actor,
                    polled,
                    woken,
                    ..
                } if actor == a => Some((i, polled, woken)),
                _ => None,
            })
    }

    /// The events written while the poll at event `i` ran (the polls
    /// nested in it, what was said in them), or none if `i` is not a poll
    /// or has not ended.
    pub fn during(&self, i: usize) -> &[Entry] {
        let end = match self.events.get(i).map(|e| &e.what) {
            Some(&What::Poll { end, .. }) => (end as usize).min(self.events.len()),
            _ => 0,
        };
        self.events.get(i + 1..end).unwrap_or_default()
    }

    /// What the actor polled at event `i` said, during that poll, it waits
    /// on, each with its index in [`Record::events`].
    pub fn waits_in_poll(&self, i: usize) -> impl Iterator<Item = (usize, &Wait)> + '_ {
        let polled = self.events.get(i).and_then(|e| e.what.actor());
        self.during(i)
            .iter()
            .enumerate()
            .filter_map(move |(k, e)| match &e.what {
                What::Waits { actor, on, .. } if Some(*actor) == polled => Some((i + 1 + k, on)),
                _ => None,
            })
    }

    /// What a wake with this cause says woke it; `Fired` names the wait.
    pub fn wait_of(&self, cause: Cause) -> Option<&Wait> {
        match cause {
            Cause::Fired(i) => self.wait(i as usize),
            _ => None,
        }
    }

    /// What the `Waits` event at `i` waits on.
    pub fn wait(&self, i: usize) -> Option<&Wait> {
        match &self.events.get(i)?.what {
            What::Waits { on, .. } => Some(on),
            _ => None,
        }
    }

    /// Breaks of the rules every executor keeps, in words; empty when the
    /// record keeps them all:
    ///
    /// - **no lost wake-ups**: every `Pending` left its waker with someone
    ///   (or was woken in the poll), and the actor is woken before its next
    ///   poll of its own, or cancelled;
    /// - **no spurious polls**: a task is polled only when woken (named
    ///   futures inside a `join!` are polled whenever their join is, and
    ///   the record says so rather than calling it a wake);
    /// - **one poll at a time**: no task's poll overlaps another's;
    /// - **nothing after the end**: the last event of an ended run is its
    ///   end.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let kind = |a: ActorId| self.actors.get(a as usize).map(|x| x.kind);
        let is_task = |a: ActorId| matches!(kind(a), Some(ActorKind::Main | ActorKind::Task));
        for (i, e) in self.events.iter().enumerate() {
            if let Some(a) = e.what.actor() {
                if kind(a).is_none() {
                    problems.push(format!("event {i} names actor {a}, which does not exist"));
                }
            }
            let What::Poll {
                actor,
                polled,
                woken,
                end,
                ..
            } = e.what
            else {
                continue;
            };
            let name = self.label(actor);
            if is_task(actor) && !woken {
                problems.push(format!(
                    "{name} was polled at event {i} without being woken"
                ));
            }
            let inner = (i + 1)..(end as usize).min(self.events.len());
            if is_task(actor) {
                let overlapping = self.events[inner.clone()]
                    .iter()
                    .any(|x| matches!(x.what, What::Poll { actor: b, .. } if is_task(b)));
                if overlapping {
                    problems.push(format!(
                        "{name}'s poll at event {i} overlaps another task's poll"
                    ));
                }
            }
            if let Polled::Pending { held } = polled {
                let woken_inside = self.events[inner.clone()]
                    .iter()
                    .any(|x| matches!(x.what, What::Woke { actor: b, .. } if b == actor));
                if !held && !woken_inside {
                    problems.push(format!(
                        "lost wake-up: {name} answered Pending at event {i} but nobody kept its waker"
                    ));
                    continue;
                }
                if !woken_inside && self.cut == 0 {
                    problems.extend(self.next_of(actor, inner.end, name, i));
                }
            }
        }
        problems
    }

    /// After actor `a`'s `Pending` poll at event `i`, whether it was left
    /// hanging: never woken, polled again, done or cancelled in a run that
    /// ended. (A named future polled again with its join, unwoken, is
    /// fine; a task polled unwoken is caught as a spurious poll.)
    fn next_of(&self, a: ActorId, from: usize, name: &str, i: usize) -> Option<String> {
        let moved_on = self.events[from.min(self.events.len())..]
            .iter()
            .any(|e| match e.what {
                What::Woke { actor, .. }
                | What::Poll { actor, .. }
                | What::Done(actor)
                | What::Cancelled { actor, .. } => actor == a,
                _ => false,
            });
        (!moved_on && self.closed).then(|| {
            format!("{name} answered Pending at event {i} and was never woken, done or cancelled")
        })
    }
}

impl fmt::Display for Why {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Why::Stop => "Stop was pressed",
            Why::Cancel => "cancel() was called",
            Why::EndOfMain => "main ended, and the run cancels what is left",
            Why::Dropped => "dropped before it finished",
        })
    }
}
