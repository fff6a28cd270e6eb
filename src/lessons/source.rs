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
use crate::rt::trace::Site;

include!(concat!(env!("OUT_DIR"), "/listings/lines.rs"));

/// A lesson's text.
#[derive(Debug)]
pub struct Source {
    /// What it teaches, in Markdown.
    pub explanation: &'static str,
    /// The Python original, runnable as it stands on Python 3.11.
    pub python: &'static str,
    /// The Rust the page shows: the lesson file's listing.
    pub listing: &'static str,
    /// Its experiments, `text/<file>.try` (see
    /// [`experiments`](super::experiments)), or `""`.
    pub experiments: &'static str,
}

include!(concat!(env!("OUT_DIR"), "/listings/sources.rs"));

impl Lesson {
    /// The lesson's file name, without extension: its id with `_` for
    /// `-` (`create_task` for `create-task`), for `<file>.rs` and the
    /// text beside it.
    pub fn file(&self) -> String {
        self.id.replace('-', "_")
    }

    /// The lesson's explanation, Python and listing.
    ///
    /// # Panics
    /// If the lesson has no listing: a lesson file without its
    /// `ANCHOR: listing` markers, which the catalog test catches (a
    /// lesson with no text does not build).
    pub fn source(&self) -> &'static Source {
        let file = self.file();
        SOURCES
            .iter()
            .find(|(f, _)| *f == file)
            .map(|(_, s)| s)
            .unwrap_or_else(|| panic!("lesson `{}` has no listing between ANCHOR markers", self.id))
    }

    /// The line of the lesson's listing, from 1, that `site` is on, if it
    /// is in the listing: where a task of this lesson waits, as
    /// `#[track_caller]` found it (see [`Site`]). This part is in the
    /// wasm: a small table, not the text.
    pub fn listing_line(&self, site: Site) -> Option<u32> {
        let Site::Rust(site) = site else {
            return None;
        };
        let file = self.file();
        let &(_, first, count) = LISTING_LINES.iter().find(|(f, ..)| *f == file)?;
        let path = site.file().strip_suffix(".rs")?;
        let path = path.strip_suffix(file.as_str())?;
        let ours = path.ends_with("lessons/") || path.ends_with("lessons\\");
        let line = site.line();
        (ours && line >= first && line < first + count).then(|| line - first + 1)
    }
}
