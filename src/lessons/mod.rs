//! The lessons, one file each, in the order the page lists them.
//!
//! A [`Lesson`] is data that the page and the tests both read: what to call
//! it, what to say, the Python original, the Rust that runs, the numbers a
//! reader may change, and the output it must produce for those numbers.
//!
//! Each lesson file marks its listing with `// ANCHOR: listing` and
//! `// ANCHOR_END: listing`; `build.rs` cuts that part out of the file at
//! build time, so the page shows exactly the code that was compiled
//! ([`Lesson::listing`]), never a pasted copy.

use std::fmt;

use futures::future::LocalBoxFuture;

mod expected;

pub use expected::{parse_decimal, Expected, ExpectedLine, ExpectedSpan, Text, Tolerance, Verdict};

pub mod async_for;
pub mod async_with;
pub mod awaiting;
pub mod create_task;
pub mod downloads;
pub mod event_loop;
pub mod gather;
pub mod hello_world;
pub mod lazy;
pub mod models;
pub mod random_waits;
pub mod returning_value;
pub mod run_sequence;
pub mod sequential;
pub mod tasks_gather;
pub mod two_tasks;

/// Every lesson, in reading order.
pub static ALL: [&Lesson; 16] = [
    &lazy::LESSON,
    &run_sequence::LESSON,
    &hello_world::LESSON,
    &returning_value::LESSON,
    &sequential::LESSON,
    &gather::LESSON,
    &create_task::LESSON,
    &tasks_gather::LESSON,
    &two_tasks::LESSON,
    &downloads::LESSON,
    &random_waits::LESSON,
    &async_for::LESSON,
    &async_with::LESSON,
    &awaiting::LESSON,
    &models::LESSON,
    &event_loop::LESSON,
];

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
    /// Chapter 5: choosing a model.
    Models,
}

impl Chapter {
    /// Every chapter, in order.
    pub const ALL: [Chapter; 4] = [
        Chapter::Coroutines,
        Chapter::Concurrency,
        Chapter::Language,
        Chapter::Models,
    ];

    /// The chapter's title.
    pub fn title(self) -> &'static str {
        match self {
            Chapter::Coroutines => "Coroutines",
            Chapter::Concurrency => "Concurrency with sleep and gather",
            Chapter::Language => "The language of async",
            Chapter::Models => "Choosing a model",
        }
    }

    /// The chapter's number, from 1.
    pub fn number(self) -> u8 {
        match self {
            Chapter::Coroutines => 1,
            Chapter::Concurrency => 2,
            Chapter::Language => 3,
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
}

/// A number the reader may change.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Param {
    /// The name lesson code reads it by.
    pub key: &'static str,
    /// The label on the page.
    pub label: &'static str,
    /// The tutorial's value.
    pub default: f64,
    /// The smallest allowed value.
    pub min: f64,
    /// The largest allowed value.
    pub max: f64,
    /// Whether only whole numbers make sense (a count, a seed).
    pub whole: bool,
}

impl Param {
    /// A duration in seconds, from 0 to `max`.
    pub const fn secs(key: &'static str, label: &'static str, default: f64, max: f64) -> Param {
        Param {
            key,
            label,
            default,
            min: 0.0,
            max,
            whole: false,
        }
    }

    /// A whole number from `min` to `max`.
    pub const fn count(
        key: &'static str,
        label: &'static str,
        default: f64,
        min: f64,
        max: f64,
    ) -> Param {
        Param {
            key,
            label,
            default,
            min,
            max,
            whole: true,
        }
    }

    /// Checks a value the reader typed.
    pub fn check(&self, value: f64) -> Result<f64, ParamError> {
        let fits = value.is_finite()
            && (self.min..=self.max).contains(&value)
            && (!self.whole || value.fract() == 0.0);
        if fits {
            Ok(value)
        } else {
            Err(ParamError { param: *self })
        }
    }
}

/// A value outside a parameter's range; the message names the range.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ParamError {
    /// The parameter that was refused.
    pub param: Param,
}

impl fmt::Display for ParamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = &self.param;
        let kind = if p.whole {
            "a whole number"
        } else {
            "a number"
        };
        write!(f, "{} must be {kind} from {} to {}", p.label, p.min, p.max)
    }
}

impl std::error::Error for ParamError {}

/// The values one run uses, checked against the lesson's [`Param`]s.
#[derive(Clone, Debug, PartialEq)]
pub struct Args {
    values: Vec<(&'static str, f64)>,
}

impl Args {
    /// The value of parameter `key`.
    ///
    /// # Panics
    /// If the lesson has no such parameter: a bug in the lesson, caught by
    /// its tests, never by a reader's input.
    pub fn get(&self, key: &str) -> f64 {
        self.values
            .iter()
            .find(|(k, _)| *k == key)
            .map(|&(_, v)| v)
            .unwrap_or_else(|| panic!("the lesson declares a parameter named `{key}`"))
    }

    /// A whole-number parameter.
    pub fn count(&self, key: &str) -> u32 {
        self.get(key) as u32
    }
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
    /// What it teaches: paragraphs split by blank lines, `code` in
    /// backticks.
    pub explanation: &'static str,
    /// The Python original, runnable as it stands on Python 3.11.
    pub python: &'static str,
    /// The Rust the page shows: the part of the lesson file between its
    /// `ANCHOR: listing` markers, cut out by `build.rs`.
    pub listing: &'static str,
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
        Args {
            values: self.params.iter().map(|p| (p.key, p.default)).collect(),
        }
    }

    /// Checks `values` (one per parameter, in order) against their ranges.
    pub fn args(&self, values: &[f64]) -> Result<Args, ParamError> {
        let values = self
            .params
            .iter()
            .zip(values)
            .map(|(p, &v)| p.check(v).map(|v| (p.key, v)))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Args { values })
    }

    /// The seed for [`randint`](crate::rt::randint): the `seed`
    /// parameter if the lesson has one.
    pub fn seed(&self, args: &Args) -> u64 {
        args.values
            .iter()
            .find(|(k, _)| *k == "seed")
            .map_or(0, |&(_, v)| v as u64)
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
