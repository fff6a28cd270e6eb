//! The lessons, one file each, in the order the page lists them.
//!
//! A [`Lesson`] is data that the page and the tests both read: what to call
//! it, the Rust that runs, the numbers a reader may change, and the output
//! it must produce for those numbers. What the page only shows as text
//! (the explanation, the Python original, the listing) is in
//! [`source`], read at build time, with the lesson's "Try this"
//! [`experiments`]. After the lessons, the list has one more entry,
//! [`OWN`]: the reader's own program, Python only.

use std::fmt;

use futures::future::LocalBoxFuture;

use crate::rt::{Event, Outcome, Run, Speed};

pub mod experiments;
mod expected;
mod params;
mod source;

pub use expected::{parse_decimal, Expected, ExpectedLine, ExpectedSpan, Text, Tolerance, Verdict};
pub use params::{Args, Param, ParamError, ParamKind, Problem, Value, MAX_LINE};
pub use source::Source;

mod shared;

/// Declares the lessons, in reading order, once: each one's module (the
/// file named after it), [`ALL`], and [`JOBS`] from the jobs named in
/// brackets after the lessons that run them on a worker. The text of each
/// (`text/<file>.md` and `.py`) and its listing are found by its file name
/// ([`source`]).
macro_rules! lessons {
    ($($module:ident $([$($job:ident),*])?),* $(,)?) => {
        $(pub mod $module;)*

        /// Every lesson, in reading order.
        pub static ALL: [&Lesson; [$(stringify!($module)),*].len()] = [$(&$module::LESSON),*];

        /// The jobs lessons run on a worker
        /// ([`Worker::call`](crate::rt::Worker::call)): the worker's copy of
        /// this module finds them here by name.
        pub static JOBS: &[&crate::rt::Job] = &[$($($(&$module::$job,)*)?)*];
    };
}

lessons! {
    lazy,
    asyncio_run,
    hello_world,
    returning_value,
    sequential,
    gather,
    create_task,
    tasks,
    two_tasks,
    downloads,
    blocking,
    async_for,
    async_with,
    r#await,
    requests,
    echo_server [ECHO_SERVER],
    browser,
    models [COUNT_PRIMES],
    event_loop,
}

pub mod your_own;

/// The reader's own program: the list's last entry, after the lessons.
pub static OWN: &Lesson = &your_own::LESSON;

/// Every entry of the page's list: the lessons, then [`OWN`].
pub fn listed() -> impl Iterator<Item = &'static Lesson> {
    ALL.iter().copied().chain([OWN])
}

/// The entry with this id (`"gather"`, `"your-own"`), if there is one.
pub fn find(id: &str) -> Option<&'static Lesson> {
    listed().find(|l| l.id == id)
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
    /// After the lessons: the reader's own program.
    Yours,
}

impl Chapter {
    /// Every chapter, in order.
    pub const ALL: [Chapter; 6] = [
        Chapter::Coroutines,
        Chapter::Concurrency,
        Chapter::Language,
        Chapter::RealIo,
        Chapter::Models,
        Chapter::Yours,
    ];

    /// The chapter's title.
    pub fn title(self) -> &'static str {
        match self {
            Chapter::Coroutines => "Coroutines",
            Chapter::Concurrency => "Concurrency with sleep and gather",
            Chapter::Language => "The language of async",
            Chapter::RealIo => "Real I/O",
            Chapter::Models => "Choosing a model",
            Chapter::Yours => "Your turn",
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
            Chapter::Yours => 6,
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
    /// The reader's own program ([`OWN`]): its Python in an editor, and no
    /// Rust, no fields and no expected output.
    Own,
}

/// A lesson of the tour.
pub struct Lesson {
    /// Its anchor on the page (`#gather`).
    pub id: &'static str,
    /// Its number in the tour, from 1.
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
    /// Whether it has Rust to run and show: every lesson, not [`OWN`].
    pub fn has_rust(&self) -> bool {
        self.view != View::Own
    }

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

    /// Starts the lesson's Rust with `args` at `speed`, as a run that
    /// tells `on_event` what it prints and how it ends (it records from
    /// before its first poll).
    pub fn run_with(
        &'static self,
        args: Args,
        speed: Speed,
        on_event: impl Fn(&Run, Event) + 'static,
    ) -> Run {
        Run::start(speed, self.seed(&args), on_event, (self.run)(args))
    }

    /// Starts the lesson with `args` at `speed`, with no page around it,
    /// and gives the run and how it will end (for the tests and the
    /// benchmark page).
    pub fn start(
        &'static self,
        args: Args,
        speed: Speed,
    ) -> (Run, futures::channel::oneshot::Receiver<Outcome>) {
        let (listener, ended) = crate::rt::until_ended();
        (self.run_with(args, speed, listener), ended)
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
