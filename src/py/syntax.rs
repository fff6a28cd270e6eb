//! What a program that cannot run is told: CPython's `SyntaxError`,
//! `IndentationError` and `TabError` with its words, and the tour's own
//! refusal of what its Python leaves out, each at a line and column.

use std::fmt;

use super::ast::Span;

/// Why a source was not accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// CPython's `SyntaxError`.
    Syntax,
    /// CPython's `IndentationError`.
    Indentation,
    /// CPython's `TabError`.
    Tab,
    /// Python, but not the tour's Python (a `match` statement, a complex
    /// number): CPython would run it, the tour says it cannot.
    Unsupported,
}

/// A source the tour cannot run, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    /// Which error it is.
    pub kind: ErrorKind,
    /// CPython's message (`expected ':'`), or the tour's.
    pub msg: String,
    /// What it points at.
    pub span: Span,
}

impl SyntaxError {
    pub(crate) fn new(kind: ErrorKind, msg: impl Into<String>, span: Span) -> Self {
        SyntaxError {
            kind,
            msg: msg.into(),
            span,
        }
    }

    /// The exception's name, as a traceback's last line starts.
    pub fn name(&self) -> &'static str {
        match self.kind {
            ErrorKind::Syntax => "SyntaxError",
            ErrorKind::Indentation => "IndentationError",
            ErrorKind::Tab => "TabError",
            ErrorKind::Unsupported => "NotImplementedError",
        }
    }
}

impl fmt::Display for SyntaxError {
    /// The last line of CPython's report: `SyntaxError: expected ':'`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.name(), self.msg)
    }
}

/// A line and a column, both from 1, the column in characters (as
/// CPython's `lineno` and `offset`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LineCol {
    /// The line, from 1.
    pub line: u32,
    /// The column, from 1, in characters.
    pub col: u32,
}

/// The line and column of a byte offset of `source`.
pub fn line_col(source: &str, offset: u32) -> LineCol {
    let mut offset = (offset as usize).min(source.len());
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &source[..offset];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    LineCol {
        line: 1 + before.matches('\n').count() as u32,
        col: 1 + before[line_start..].chars().count() as u32,
    }
}

/// The text of line `line` (from 1), without its line break.
pub fn line_text(source: &str, line: u32) -> &str {
    source
        .split('\n')
        .nth(line.saturating_sub(1) as usize)
        .map_or("", |l| l.strip_suffix('\r').unwrap_or(l))
}
