//! What the page shows of each lesson as text: the explanation, the Python
//! original and the Rust listing.
//!
//! The build step renders these into the page (`site`), and the tests read
//! them; the page's module never does, so none of it is in the wasm.
//! Explanations are Markdown, `text/<file>.md`, beside the Python,
//! `text/<file>.py`; `<file>` is the lesson's file name, its id with `_`
//! for `-`. The listing is the part of `<file>.rs` between its
//! `ANCHOR: listing` markers, cut out by `build.rs`, so the page shows
//! exactly the code that was compiled, never a pasted copy.

use super::Lesson;

/// A lesson's text.
#[derive(Debug)]
pub struct Source {
    /// What it teaches, in Markdown.
    pub explanation: &'static str,
    /// The Python original, runnable as it stands on Python 3.11.
    pub python: &'static str,
    /// The Rust the page shows: the lesson file's listing.
    pub listing: &'static str,
}

macro_rules! sources {
    ($($id:literal => $file:literal,)*) => {
        /// Every lesson's text, by id.
        static SOURCES: &[(&str, Source)] = &[$((
            $id,
            Source {
                explanation: include_str!(concat!("text/", $file, ".md")),
                python: include_str!(concat!("text/", $file, ".py")),
                listing: include_str!(concat!(env!("OUT_DIR"), "/listings/", $file, ".rs")),
            },
        ),)*];
    };
}

sources! {
    "lazy" => "lazy",
    "asyncio-run" => "asyncio_run",
    "hello-world" => "hello_world",
    "returning-value" => "returning_value",
    "sequential" => "sequential",
    "gather" => "gather",
    "create-task" => "create_task",
    "tasks" => "tasks",
    "two-tasks" => "two_tasks",
    "downloads" => "downloads",
    "blocking" => "blocking",
    "async-for" => "async_for",
    "async-with" => "async_with",
    "await" => "await",
    "requests" => "requests",
    "echo-server" => "echo_server",
    "browser" => "browser",
    "models" => "models",
    "event-loop" => "event_loop",
}

impl Lesson {
    /// The lesson's explanation, Python and listing.
    ///
    /// # Panics
    /// If the lesson has no text: a lesson added to
    /// [`ALL`](super::ALL) but not to this file, which the catalog test
    /// catches.
    pub fn source(&self) -> &'static Source {
        SOURCES
            .iter()
            .find(|(id, _)| *id == self.id)
            .map(|(_, s)| s)
            .unwrap_or_else(|| panic!("lessons/source.rs has no text for `{}`", self.id))
    }
}
