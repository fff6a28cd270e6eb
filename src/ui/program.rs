//! What the Run buttons run: a lesson's Rust, compiled into the module,
//! or (in the module built with the interpreter, the `python` feature)
//! the lesson's Python as the page shows it, on the tour's interpreter.
//! The lesson view learns nothing else about either.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use crate::lessons::{Args, Expected, Lesson};
use crate::rt::{Event, Run, Speed};

/// A program Run can start.
#[derive(Clone, Debug)]
pub enum Program {
    /// The lesson's own Rust: its `main`, with the values in its fields.
    Rust(&'static Lesson),
    /// A Python program, `source`, run for `lesson`'s view.
    #[cfg(feature = "python")]
    Python {
        /// The lesson whose Python it is.
        lesson: &'static Lesson,
        /// The program's text.
        source: Rc<str>,
        /// Whether it is the lesson's own, held to the lesson's output
        /// (the reader's edits have nothing to match).
        judged: bool,
    },
}

/// Why a program could not start: CPython's report of a source that does
/// not compile, and where the error is.
#[derive(Clone, Debug)]
pub struct NotCompiled {
    /// The report, as CPython prints it.
    pub report: String,
    /// The error's line and column, from 1.
    pub line: u32,
    /// See `line`.
    pub column: u32,
    /// Its last line: `SyntaxError: expected ':'`.
    pub message: String,
}

/// A started program: its run, and for a Python program, what CPython
/// would write to standard error (warnings, a traceback) and whether it
/// failed.
pub struct Started {
    /// The run: its lines, its record, Stop.
    pub run: Run,
    /// Standard error, if the program has one.
    pub stderr: Option<Rc<RefCell<String>>>,
    /// Whether it ended with an uncaught exception, once it has ended.
    pub failed: Rc<Cell<bool>>,
}

/// The language a program is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Language {
    /// The lesson's Rust.
    Rust,
    /// Python, on the tour's interpreter.
    Python,
}

impl Language {
    /// Its name, as the page writes it.
    pub fn name(self) -> &'static str {
        match self {
            Language::Rust => "Rust",
            Language::Python => "Python",
        }
    }
}

impl Program {
    /// Which language it is in.
    pub fn language(&self) -> Language {
        match self {
            Program::Rust(_) => Language::Rust,
            #[cfg(feature = "python")]
            Program::Python { .. } => Language::Python,
        }
    }

    /// What a run of it with `args` must print, and when; `None` for the
    /// reader's own code. (A Python program runs as written: the lesson
    /// view gives it the tutorial's values.) A Python run's timeline is
    /// drawn from its record, so no bars of the Rust's own are expected
    /// of it.
    pub fn expected(&self, args: &Args) -> Option<Expected> {
        match self {
            Program::Rust(lesson) => Some((lesson.expected)(args)),
            #[cfg(feature = "python")]
            Program::Python { judged: false, .. } => None,
            #[cfg(feature = "python")]
            Program::Python { lesson, .. } => {
                let mut e = lesson.python_output.unwrap_or(lesson.expected)(args);
                e.spans.clear();
                Some(e)
            }
        }
    }

    /// Starts the program with `args` at `speed`, as a run that tells
    /// `on_event` what it prints and how it ends. The run records from
    /// before its first poll. A Python source that does not compile is
    /// refused with CPython's report.
    pub fn start(
        &self,
        args: Args,
        speed: Speed,
        on_event: impl Fn(&Run, Event) + 'static,
    ) -> Result<Started, NotCompiled> {
        match self {
            Program::Rust(lesson) => Ok(Started {
                run: lesson.run_with(args, speed, on_event),
                stderr: None,
                failed: Rc::default(),
            }),
            #[cfg(feature = "python")]
            Program::Python { lesson, source, .. } => {
                crate::py::warm_up().map_err(|report| NotCompiled {
                    message: report.lines().last().unwrap_or_default().to_string(),
                    report,
                    line: 0,
                    column: 0,
                })?;
                let file = format!("{}.py", lesson.file());
                let seed = lesson.seed(&args);
                match crate::py::start(source, &file, speed, seed, on_event) {
                    Ok(started) => Ok(Started {
                        run: started.run,
                        stderr: Some(started.stderr),
                        failed: started.failed,
                    }),
                    Err(e) => {
                        let at = crate::py::syntax::line_col(source, e.span.start);
                        Err(NotCompiled {
                            report: crate::py::run::syntax_report(source, &file, &e),
                            line: at.line,
                            column: at.col,
                            message: e.to_string(),
                        })
                    }
                }
            }
        }
    }
}
