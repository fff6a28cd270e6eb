//! The lessons, one file each, in the order the page lists them.
//!
//! A [`Lesson`] is data that the page and the tests both read: what to call
//! it, the Rust that runs, the numbers a reader may change, and the output
//! it must produce for those numbers. What the page only shows as text
//! (the explanation, the Python original, the listing) is in
//! [`source`], read at build time.

use std::fmt;

use futures::future::LocalBoxFuture;

use crate::rt::{Event, Outcome, Run, Speed};

mod expected;
mod params;
mod source;

pub use expected::{parse_decimal, Expected, ExpectedLine, ExpectedSpan, Text, Tolerance, Verdict};
pub use params::{Args, Kind, Param, ParamError, Problem, Value, MAX_LINE};
pub use source::Source;

pub mod async_for;
pub mod async_with;
pub mod asyncio_run;
pub mod r#await;
pub mod blocking;
pub mod browser;
pub mod create_task;
pub mod downloads;
pub mod echo_server;
pub mod event_loop;
pub mod gather;
pub mod hello_world;
pub mod lazy;
pub mod models;
pub mod requests;
pub mod returning_value;
pub mod sequential;
pub mod tasks;
pub mod two_tasks;

/// Every lesson, in reading order.
pub static ALL: [&Lesson; 19] = [
    &lazy::LESSON,
    &asyncio_run::LESSON,
    &hello_world::LESSON,
    &returning_value::LESSON,
    &sequential::LESSON,
    &gather::LESSON,
    &create_task::LESSON,
    &tasks::LESSON,
    &two_tasks::LESSON,
    &downloads::LESSON,
    &blocking::LESSON,
    &async_for::LESSON,
    &async_with::LESSON,
    &r#await::LESSON,
    &requests::LESSON,
    &echo_server::LESSON,
    &browser::LESSON,
    &models::LESSON,
    &event_loop::LESSON,
];

/// The jobs lessons run on a worker ([`Worker::call`](crate::rt::Worker::call)):
/// the worker's copy of this module finds them here by name.
pub static JOBS: [&crate::rt::Job; 2] = [&models::COUNT_PRIMES, &echo_server::ECHO_SERVER];

/// The lesson with this id (`"gather"`), if there is one.
pub fn find(id: &str) -> Option<&'static Lesson> {
    ALL.iter().copied().find(|l| l.id == id)
}

/// A chapter of the tour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Chapter {
    /// Chapter 1: coroutines.
    Coroutines,
    /// Chapter 2: concurrency with sleep and gather.
    Concurrency,
    /// Chapter 3: the language of async.
    Language,
    /// Chapter 4: real I/O.
    RealIo,
    /// Chapter 5: choosing a model.
    Models,
}

impl Chapter {
    /// Every chapter, in order.
    pub const ALL: [Chapter; 5] = [
        Chapter::Coroutines,
        Chapter::Concurrency,
        Chapter::Language,
        Chapter::RealIo,
        Chapter::Models,
    ];

    /// The chapter's title.
    pub fn title(self) -> &'static str {
        match self {
            Chapter::Coroutines => "Coroutines",
            Chapter::Concurrency => "Concurrency with sleep and gather",
            Chapter::Language => "The language of async",
            Chapter::RealIo => "Real I/O",
            Chapter::Models => "Choosing a model",
        }
    }

    /// The chapter's number, from 1.
    pub fn number(self) -> u8 {
        match self {
            Chapter::Coroutines => 1,
            Chapter::Concurrency => 2,
            Chapter::Language => 3,
            Chapter::RealIo => 4,
            Chapter::Models => 5,
        }
    }
}

/// What a lesson's page shows besides output and timeline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    /// The timeline alone.
    Timeline,
    /// A progress bar per task as well (the downloads).
    Progress,
    /// A heartbeat beside the lesson, to see the page freeze.
    Blocking,
    /// The heartbeat, and a table of Python's models beside the browser's.
    Models,
    /// A box where the lesson shows the page it loads (lesson 17).
    Page,
}

/// A lesson of the tour.
pub struct Lesson {
    /// Its anchor on the page (`#gather`).
    pub id: &'static str,
    /// Its number in LESSONS.md.
    pub number: u8,
    /// The chapter it belongs to.
    pub chapter: Chapter,
    /// Its title.
    pub title: &'static str,
    /// The numbers a reader may change.
    pub params: &'static [Param],
    /// What the page shows besides the timeline.
    pub view: View,
    /// Whether the speed control applies. False for lessons whose times
    /// are the machine's own (CPU work, the event loop's turns): they
    /// always run in real time.
    pub paced: bool,
    /// The lesson's Rust, ready to run.
    pub run: fn(Args) -> LocalBoxFuture<'static, ()>,
    /// What a run with these values must print, and when.
    pub expected: fn(&Args) -> Expected,
    /// What the Python original prints, where it differs from the Rust
    /// (lesson 13: Python can await a cleanup after a cancel, Rust
    /// cannot); `None` when both print the same.
    pub python_output: Option<fn(&Args) -> Expected>,
}

impl Lesson {
    /// The tutorial's values.
    pub fn defaults(&self) -> Args {
        Args::defaults(self.params)
    }

    /// Checks `values` (one per parameter, in order) against their limits.
    pub fn args<V: Clone + Into<Value>>(&self, values: &[V]) -> Result<Args, ParamError> {
        Args::check(self.params, values)
    }

    /// The seed for [`randint`](crate::rt::randint): the `seed`
    /// parameter if the lesson has one.
    pub fn seed(&self, args: &Args) -> u64 {
        args.seed()
    }

    /// Starts the lesson with `args` at `speed`, with no page around it,
    /// and gives the run and how it will end (for the tests and the
    /// benchmark page).
    pub fn start(
        &'static self,
        args: Args,
        speed: Speed,
    ) -> (Run, futures::channel::oneshot::Receiver<Outcome>) {
        let (tx, rx) = futures::channel::oneshot::channel();
        let tx = std::cell::RefCell::new(Some(tx));
        let seed = self.seed(&args);
        let run = Run::start(
            speed,
            seed,
            move |_, event| {
                if let Event::Ended(outcome) = event {
                    if let Some(tx) = tx.borrow_mut().take() {
                        let _ = tx.send(outcome);
                    }
                }
            },
            (self.run)(args),
        );
        (run, rx)
    }
}

impl fmt::Debug for Lesson {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Lesson")
            .field("id", &self.id)
            .field("number", &self.number)
            .finish_non_exhaustive()
    }
}

/// The output of `task(id, secs)` lessons run concurrently: each prints
/// `task {id} finished` after its own wait, shortest first (ties in start
/// order), and the whole takes as long as the longest.
fn concurrent_tasks(waits: &[f64]) -> Expected {
    let total = waits.iter().copied().fold(0.0, f64::max);
    let mut e = Expected::new();
    for i in finish_order(waits) {
        e = e.line(waits[i], format!("task {} finished", i + 1));
    }
    for (i, &w) in waits.iter().enumerate() {
        e = e.span(format!("task {}", i + 1), 0.0, w);
    }
    e.total_line(total).total(total)
}

/// The order in which tasks started together finish: shortest wait first,
/// ties in start order (as both asyncio and the browser fire timers).
///
/// An insertion sort: lessons have at most eight tasks, and it keeps the
/// standard library's sort machinery out of the module.
fn finish_order(waits: &[f64]) -> Vec<usize> {
    let mut order: Vec<usize> = Vec::with_capacity(waits.len());
    for i in 0..waits.len() {
        let at = order
            .iter()
            .position(|&j| waits[j] > waits[i])
            .unwrap_or(order.len());
        order.insert(at, i);
    }
    order
}
