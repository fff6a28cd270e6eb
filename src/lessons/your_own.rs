//! The last entry in the list, "Your own program": an editor holding a
//! small program of the reader's (`text/your_own.py` to start with), run
//! on the tour's Python with every panel a lesson has. It has no Rust and
//! no expected output ([`View::Own`]).

use super::{Chapter, Expected, Lesson, View};

/// The entry as the page sees it.
pub static LESSON: Lesson = Lesson {
    id: "your-own",
    number: 20,
    chapter: Chapter::Yours,
    title: "Your own program",
    params: &[],
    view: View::Own,
    paced: true,
    // Never started: the page offers only its Python (see `View::Own`).
    run: |_| Box::pin(async {}),
    expected: |_| Expected::new(),
    python_output: None,
};
