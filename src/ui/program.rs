//! What the Run button runs. Today that is a lesson's Rust, compiled into
//! the module; another kind of program (the reader's own Python, run by
//! the tour's interpreter) is one more [`Program`] variant, and the lesson
//! view learns nothing else.

use crate::lessons::{Args, Lesson};
use crate::rt::{Event, Run, Speed};

/// A program Run can start.
#[derive(Clone, Copy, Debug)]
pub enum Program {
    /// The lesson's own Rust: its `main`, with the values in its fields.
    Rust(&'static Lesson),
}

impl Program {
    /// Starts the program with `args` at `speed`, as a run that tells
    /// `on_event` what it prints and how it ends. The run records from
    /// before its first poll.
    pub fn start(self, args: Args, speed: Speed, on_event: impl Fn(&Run, Event) + 'static) -> Run {
        match self {
            Program::Rust(lesson) => lesson.run_with(args, speed, on_event),
        }
    }
}
