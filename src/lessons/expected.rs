//! What a lesson must print, and the check of a run against it.

use std::fmt;

use crate::rt::{Line, SpanRecord, Speed};

/// Whether the printed lines must come in the listed order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Order {
    /// Exactly in the listed order.
    Fixed,
    /// In any order (each expected line once).
    Any,
}

/// The text of an expected line.
#[derive(Clone, Debug, PartialEq)]
pub enum Text {
    /// These exact characters.
    Exact(String),
    /// A measured duration: `prefix`, a number of seconds close to `secs`,
    /// then `suffix` (`Total time elapsed: 3.00 seconds`).
    Seconds {
        /// What comes before the number.
        prefix: String,
        /// The duration the number should be close to.
        secs: f64,
        /// What comes after the number.
        suffix: String,
    },
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Text::Exact(s) => f.write_str(s),
            Text::Seconds {
                prefix,
                secs,
                suffix,
            } => write!(f, "{prefix}{secs:.2}{suffix}"),
        }
    }
}

/// One line the lesson must print, and when.
#[derive(Clone, Debug, PartialEq)]
pub struct ExpectedLine {
    /// Tutorial seconds after the start.
    pub at: f64,
    /// What it says.
    pub text: Text,
}

/// A bar the timeline should show.
#[derive(Clone, Debug, PartialEq)]
pub struct ExpectedSpan {
    /// The span's label, as the lesson opens it.
    pub label: String,
    /// When it starts, in tutorial seconds.
    pub start: f64,
    /// When it ends.
    pub end: f64,
}

/// Everything a run of a lesson should produce.
#[derive(Clone, Debug, PartialEq)]
pub struct Expected {
    /// The printed lines.
    pub lines: Vec<ExpectedLine>,
    /// Whether their order is fixed.
    pub order: Order,
    /// Tutorial seconds from start to end.
    pub total: f64,
    /// The timeline's bars.
    pub spans: Vec<ExpectedSpan>,
}

impl Expected {
    /// Nothing yet, lines in a fixed order.
    pub fn new() -> Expected {
        Expected {
            lines: Vec::new(),
            order: Order::Fixed,
            total: 0.0,
            spans: Vec::new(),
        }
    }

    /// Adds a line printed at `at`.
    pub fn line(mut self, at: f64, text: impl Into<String>) -> Self {
        self.lines.push(ExpectedLine {
            at,
            text: Text::Exact(text.into()),
        });
        self
    }

    /// Adds the lesson's closing `Total time elapsed: {secs:.2} seconds`,
    /// printed at `secs`.
    pub fn total_line(mut self, secs: f64) -> Self {
        self.lines.push(ExpectedLine {
            at: secs,
            text: Text::Seconds {
                prefix: "Total time elapsed: ".into(),
                secs,
                suffix: " seconds".into(),
            },
        });
        self
    }

    /// Adds a timeline bar.
    pub fn span(mut self, label: impl Into<String>, start: f64, end: f64) -> Self {
        self.spans.push(ExpectedSpan {
            label: label.into(),
            start,
            end,
        });
        self
    }

    /// Sets the total time.
    pub fn total(mut self, secs: f64) -> Self {
        self.total = secs;
        self
    }

    /// Checks a finished run's lines, spans and total time.
    pub fn check(
        &self,
        lines: &[Line],
        spans: &[SpanRecord],
        elapsed: f64,
        speed: Speed,
    ) -> Verdict {
        let tol = Tolerance::at(speed);
        let (mut problems, line_ok) = self.match_lines(lines, tol);
        problems.extend(self.span_problems(spans, tol));
        problems.extend(self.check_total(elapsed, speed));
        Verdict { problems, line_ok }
    }

    /// What is wrong with these printed lines, if anything: their text,
    /// their order where it is fixed, and their times.
    pub fn check_lines(&self, lines: &[Line], speed: Speed) -> Vec<String> {
        self.match_lines(lines, Tolerance::at(speed)).0
    }

    /// What is wrong with the total time, if anything.
    pub fn check_total(&self, elapsed: f64, speed: Speed) -> Option<String> {
        (!Tolerance::at(speed).close(self.total, elapsed))
            .then(|| format!("took {elapsed:.2}s, expected about {:.2}s", self.total))
    }

    fn match_lines(&self, lines: &[Line], tol: Tolerance) -> (Vec<String>, Vec<bool>) {
        let mut problems = Vec::new();
        let mut marks = vec![false; lines.len()];
        // Pair each printed line with the expected line it stands for.
        let mut taken = vec![false; self.lines.len()];
        for (i, line) in lines.iter().enumerate() {
            let candidate = match self.order {
                Order::Fixed => Some(i).filter(|&j| j < self.lines.len()),
                Order::Any => (0..self.lines.len())
                    .find(|&j| !taken[j] && tol.text_matches(&self.lines[j].text, &line.text)),
            };
            let Some(j) = candidate else {
                problems.push(format!("unexpected line {}: “{}”", i + 1, line.text));
                continue;
            };
            let want = &self.lines[j];
            taken[j] = true;
            if !tol.text_matches(&want.text, &line.text) {
                problems.push(format!(
                    "line {} should be “{}”, got “{}”",
                    i + 1,
                    want.text,
                    line.text
                ));
            } else if !tol.close(want.at, line.at) {
                problems.push(format!(
                    "“{}” came at {:.2}s, expected about {:.2}s",
                    line.text, line.at, want.at
                ));
            } else {
                marks[i] = true;
            }
        }
        for (j, want) in self.lines.iter().enumerate() {
            if !taken[j] {
                problems.push(format!("missing line: “{}”", want.text));
            }
        }
        (problems, marks)
    }

    fn span_problems(&self, spans: &[SpanRecord], tol: Tolerance) -> Vec<String> {
        let mut problems = Vec::new();
        for want in &self.spans {
            match spans.iter().find(|s| s.label == want.label) {
                None => problems.push(format!("no timeline bar for {}", want.label)),
                Some(got) => {
                    let end = got.end.unwrap_or(f64::INFINITY);
                    if !tol.close(want.start, got.start) || !tol.close(want.end, end) {
                        problems.push(format!(
                            "{} ran {:.2}s–{:.2}s, expected {:.2}s–{:.2}s",
                            want.label, got.start, end, want.start, want.end
                        ));
                    }
                }
            }
        }
        problems
    }
}

impl Default for Expected {
    fn default() -> Self {
        Expected::new()
    }
}

/// How far a measured time may be from the expected one.
///
/// A browser timer fires a little late, by a few real milliseconds; at a
/// higher speed those milliseconds are more tutorial time. So the allowance
/// is 3% of the expected time, plus 25 real milliseconds at the run's speed.
#[derive(Clone, Copy, Debug)]
pub struct Tolerance {
    slack: f64,
}

impl Tolerance {
    /// Share of the expected duration allowed either way.
    pub const RELATIVE: f64 = 0.03;
    /// Real milliseconds of timer lateness allowed on top.
    pub const REAL_MS: f64 = 25.0;

    /// The tolerance for a run at `speed`.
    pub fn at(speed: Speed) -> Tolerance {
        Tolerance {
            slack: Self::REAL_MS / 1000.0 * speed.factor(),
        }
    }

    /// Whether a measured time is close enough to the expected one.
    pub fn close(&self, expected: f64, got: f64) -> bool {
        (got - expected).abs() <= Self::RELATIVE * expected + self.slack
    }

    /// Whether a printed line says what `want` expects.
    pub fn text_matches(&self, want: &Text, got: &str) -> bool {
        match want {
            Text::Exact(s) => s == got,
            Text::Seconds {
                prefix,
                secs,
                suffix,
            } => got
                .strip_prefix(prefix.as_str())
                .and_then(|rest| rest.strip_suffix(suffix.as_str()))
                .and_then(parse_decimal)
                .is_some_and(|n| self.close(*secs, n)),
        }
    }
}

/// Reads a plain decimal such as `3.00` or `-0.5`, as lessons print
/// durations. Anything else (exponents, `inf`, stray characters) is `None`.
///
/// Hand-written because `str::parse::<f64>` brings a 10 KB table into the
/// module, and these numbers never need it: two decimals at most.
pub fn parse_decimal(text: &str) -> Option<f64> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    if whole.is_empty() && fraction.is_empty() {
        return None;
    }
    let mut value = 0.0;
    for b in whole.bytes() {
        value = value * 10.0 + f64::from(b.checked_sub(b'0').filter(|d| *d < 10)?);
    }
    let mut scale = 1.0;
    for b in fraction.bytes() {
        scale /= 10.0;
        value += scale * f64::from(b.checked_sub(b'0').filter(|d| *d < 10)?);
    }
    Some(if negative { -value } else { value })
}

/// The result of checking a run.
#[derive(Clone, Debug, PartialEq)]
pub struct Verdict {
    /// What differed, in words; empty when the run matched.
    pub problems: Vec<String>,
    /// For each printed line, whether it matched.
    pub line_ok: Vec<bool>,
}

impl Verdict {
    /// True when everything matched.
    pub fn matched(&self) -> bool {
        self.problems.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_parse_and_junk_does_not() {
        assert_eq!(parse_decimal("3.00"), Some(3.0));
        assert_eq!(parse_decimal("6.05"), Some(6.05));
        assert_eq!(parse_decimal("12"), Some(12.0));
        assert_eq!(parse_decimal("-0.5"), Some(-0.5));
        for junk in ["", ".", "-", "1e3", "inf", "3.0s", "3,00", "1.2.3"] {
            assert_eq!(parse_decimal(junk), None, "{junk}");
        }
    }

    #[test]
    fn seconds_lines_match_within_tolerance() {
        let tol = Tolerance::at(Speed::REAL_TIME);
        let want = Expected::new().total_line(3.0).lines.remove(0).text;
        assert!(tol.text_matches(&want, "Total time elapsed: 3.01 seconds"));
        assert!(!tol.text_matches(&want, "Total time elapsed: 3.50 seconds"));
        assert!(!tol.text_matches(&want, "Total time elapsed: 3.01 secs"));
    }
}
