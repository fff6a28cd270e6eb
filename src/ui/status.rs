//! The status line beside Run: what the lesson is doing, and the verdict
//! of its last run in sentences. Its state is also the section's
//! `data-state`, for tests and styles.

use maud::{html, Markup};
use web_sys::Element;

use super::dom::{add, attr, el, find, secs, text_el};
use super::program::Language;
use crate::lessons::Verdict;
use crate::rt::Speed;

/// What the line says until the module has wired the lesson.
const LOADING: &str = "Run starts once the tour's WebAssembly has loaded.";

/// What the line says of a lesson ready to run.
pub const IDLE: &str = "Press Run for the Rust, Run the Python for the Python.";

/// What the line says before the reader's own program has run.
pub const IDLE_OWN: &str = "Press Run the Python (Ctrl-Enter in the editor) to run your program.";

/// The line as the build renders it.
pub fn markup() -> Markup {
    html! { div .status role="status" aria-live="polite" data-state="idle" { (LOADING) } }
}

/// Where a lesson stands, as the status line says it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LessonState {
    /// Not run yet.
    Idle,
    /// A run is going.
    Running,
    /// The last run matched the expected output.
    Matched,
    /// The last run differed.
    Differed,
    /// The reader's own code ran to its end (nothing to match).
    Ran,
    /// The last run was stopped.
    Stopped,
    /// Run was refused: bad input.
    Refused,
}

impl LessonState {
    /// The word for it in `data-state`.
    pub fn as_str(self) -> &'static str {
        match self {
            LessonState::Idle => "idle",
            LessonState::Running => "running",
            LessonState::Matched => "matched",
            LessonState::Differed => "differed",
            LessonState::Ran => "ran",
            LessonState::Stopped => "stopped",
            LessonState::Refused => "refused",
        }
    }
}

/// The status line of one lesson's section.
pub struct StatusLine {
    line: Element,
    section: Element,
}

impl StatusLine {
    /// Takes over the line [`markup`] rendered in `section`.
    pub fn attach(section: &Element) -> Result<StatusLine, wasm_bindgen::JsValue> {
        Ok(StatusLine {
            line: find(section, ".status")?,
            section: section.clone(),
        })
    }

    /// Says `message`, in `state`.
    pub fn set(&self, state: LessonState, message: &str) {
        attr(&self.line, "data-state", state.as_str());
        attr(&self.section, "data-state", state.as_str());
        self.line.set_text_content(Some(message));
    }

    /// Ready to run (Rust as well as Python, with `rust`).
    pub fn idle(&self, rust: bool) {
        self.set(LessonState::Idle, if rust { IDLE } else { IDLE_OWN });
    }

    /// Run was refused, for `why`.
    pub fn refused(&self, why: impl std::fmt::Display) {
        self.set(LessonState::Refused, &format!("Can't run: {why}."));
    }

    /// A run of the lesson's `language` (Rust, Python) started at
    /// `speed` (`None`: the lesson runs in real time whatever the speed).
    pub fn running(&self, language: Language, speed: Option<Speed>) {
        let language = language.name();
        let message = match speed {
            Some(speed) => format!("Running the {language} at {speed}…"),
            None => format!(
                "Running the {language} in real time (the speed does not apply to this lesson)…"
            ),
        };
        self.set(LessonState::Running, &message);
    }

    /// Adds a sentence to what the line says.
    pub fn note(&self, sentence: &str) {
        add(&self.line, text_el("span", "note", &format!(" {sentence}")));
    }

    /// A Python run ended with an uncaught exception, `error` (the last
    /// line of its traceback, which the output shows whole): the status
    /// names its type.
    pub fn raised(&self, error: &str) {
        let kind = error.split_once(':').map_or(error, |(kind, _)| kind);
        self.set(
            LessonState::Differed,
            &format!("✗ The Python stopped with {kind}: its traceback is under the output."),
        );
    }

    /// The reader's own Python ran to its end after `elapsed` tutorial
    /// seconds, having printed `lines` lines.
    pub fn ran(&self, lines: usize, elapsed: f64) {
        let plural = if lines == 1 { "" } else { "s" };
        self.set(
            LessonState::Ran,
            &format!(
                "Your Python ran to its end: {lines} line{plural} in {}. Your code has no \
                 expected output: step through what its loop did below.",
                secs(elapsed)
            ),
        );
    }

    /// The run was stopped `elapsed` tutorial seconds in.
    pub fn stopped(&self, elapsed: f64) {
        self.set(
            LessonState::Stopped,
            &format!(
                "Stopped at {}. Its futures were dropped and their timers cleared: nothing more will print.",
                secs(elapsed)
            ),
        );
    }

    /// The run of the lesson's `language` ended after `elapsed` tutorial
    /// seconds, having printed `lines` lines, with this `verdict`;
    /// `expected` is the expected total when the lesson is `timed`.
    pub fn finished(
        &self,
        language: Language,
        verdict: &Verdict,
        lines: usize,
        elapsed: f64,
        expected: Option<f64>,
    ) {
        let language = language.name();
        if verdict.matched() {
            let took = match expected {
                Some(total) => format!("took {} (expected {})", secs(elapsed), secs(total)),
                None => format!("took {} on this machine", secs(elapsed)),
            };
            let plural = if lines == 1 { "" } else { "s" };
            self.set(
                LessonState::Matched,
                &format!(
                    "✓ The {language} matches the expected output: {lines} line{plural}, {took}."
                ),
            );
        } else {
            self.set(
                LessonState::Differed,
                &format!("✗ The {language} differs from the expected output:"),
            );
            let ul = add(&self.line, el("ul", "problems"));
            for p in &verdict.problems {
                add(&ul, text_el("li", "", p));
            }
        }
    }
}
