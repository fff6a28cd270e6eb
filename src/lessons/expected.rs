//! What a lesson must print, and the check of a run against it.

use std::fmt;

use crate::rt::{Fixed, Line, SpanRecord, Speed};

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
    /// A line that starts with these characters; the rest is measured
    /// on the reader's machine (`one go: 78498 primes ...; 412 ms`).
    Prefix(String),
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Text::Exact(s) => f.write_str(s),
            Text::Seconds {
                prefix,
                secs,
                suffix,
            } => write!(f, "{prefix}{:.2}{suffix}", Fixed(*secs)),
            Text::Prefix(prefix) => write!(f, "{prefix}…"),
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
    /// Lines come group by group; within a group, in any order. Most
    /// lessons give every line its own group, which fixes the order.
    pub group: u32,
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
    /// Tutorial seconds from start to end.
    pub total: f64,
    /// The timeline's bars.
    pub spans: Vec<ExpectedSpan>,
    /// False when the times are the machine's own (CPU work, the event
    /// loop's turns): then only the lines and their order are checked.
    pub timed: bool,
}

impl Expected {
    /// Nothing yet, lines in a fixed order.
    pub fn new() -> Expected {
        Expected {
            lines: Vec::new(),
            total: 0.0,
            spans: Vec::new(),
            timed: true,
        }
    }

    /// Says the times depend on the machine: lines and order are checked,
    /// times, bars and the total are not.
    pub fn untimed(mut self) -> Self {
        self.timed = false;
        self
    }

    fn push(mut self, at: f64, text: Text, new_group: bool) -> Self {
        let last = self.lines.last().map(|l| l.group);
        let group = match last {
            None => 0,
            Some(g) if new_group => g + 1,
            Some(g) => g,
        };
        self.lines.push(ExpectedLine { at, text, group });
        self
    }

    /// Adds a line printed at `at`, after all the lines before it.
    pub fn line(self, at: f64, text: impl Into<String>) -> Self {
        self.push(at, Text::Exact(text.into()), true)
    }

    /// Adds a line to the previous line's group: the two may come in
    /// either order (two macrotasks whose order the browser chooses).
    pub fn or_line(self, at: f64, text: impl Into<String>) -> Self {
        self.push(at, Text::Exact(text.into()), false)
    }

    /// Adds a line that starts with `prefix` and goes on with something
    /// measured.
    pub fn measured_line(self, at: f64, prefix: impl Into<String>) -> Self {
        self.push(at, Text::Prefix(prefix.into()), true)
    }

    /// Adds a measured line to the previous line's group.
    pub fn or_measured(self, at: f64, prefix: impl Into<String>) -> Self {
        self.push(at, Text::Prefix(prefix.into()), false)
    }

    /// Whether every line has its own group, so the order is fixed.
    pub fn fixed_order(&self) -> bool {
        self.lines.windows(2).all(|w| w[0].group != w[1].group)
    }

    /// Adds the lesson's closing `Total time elapsed: {secs:.2} seconds`,
    /// printed at `secs`.
    pub fn total_line(self, secs: f64) -> Self {
        let text = Text::Seconds {
            prefix: "Total time elapsed: ".into(),
            secs,
            suffix: " seconds".into(),
        };
        self.push(secs, text, true)
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
        if self.timed {
            problems.extend(self.span_problems(spans, tol));
            problems.extend(self.check_total(elapsed, speed));
        }
        Verdict { problems, line_ok }
    }

    /// What is wrong with these printed lines, if anything: their text,
    /// their order where it is fixed, and their times.
    pub fn check_lines(&self, lines: &[Line], speed: Speed) -> Vec<String> {
        self.match_lines(lines, Tolerance::at(speed)).0
    }

    /// What is wrong with the total time, if anything.
    pub fn check_total(&self, elapsed: f64, speed: Speed) -> Option<String> {
        (self.timed && !Tolerance::at(speed).close(self.total, elapsed)).then(|| {
            format!(
                "took {:.2}s, expected about {:.2}s",
                Fixed(elapsed),
                Fixed(self.total)
            )
        })
    }

    fn match_lines(&self, lines: &[Line], tol: Tolerance) -> (Vec<String>, Vec<bool>) {
        let mut problems = Vec::new();
        let mut marks = vec![false; lines.len()];
        // Pair each printed line with the expected line it stands for: the
        // first open line of the earliest group that still has one, the
        // one whose text matches if the group has several.
        let mut taken = vec![false; self.lines.len()];
        for (i, line) in lines.iter().enumerate() {
            let open = |j: &usize| !taken[*j];
            let Some(first) = (0..self.lines.len()).find(open) else {
                problems.push(format!("unexpected line {}: “{}”", i + 1, line.text));
                continue;
            };
            let group = self.lines[first].group;
            let j = (first..self.lines.len())
                .filter(open)
                .take_while(|&j| self.lines[j].group == group)
                .find(|&j| tol.text_matches(&self.lines[j].text, &line.text))
                .unwrap_or(first);
            let want = &self.lines[j];
            taken[j] = true;
            if !tol.text_matches(&want.text, &line.text) {
                problems.push(format!(
                    "line {} should be “{}”, got “{}”",
                    i + 1,
                    want.text,
                    line.text
                ));
            } else if self.timed && !tol.close(want.at, line.at) {
                problems.push(format!(
                    "“{}” came at {:.2}s, expected about {:.2}s",
                    line.text,
                    Fixed(line.at),
                    Fixed(want.at)
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
                            want.label,
                            Fixed(got.start),
                            Fixed(end),
                            Fixed(want.start),
                            Fixed(want.end)
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
            Text::Prefix(prefix) => got.starts_with(prefix.as_str()),
        }
    }
}

/// Reads a plain decimal such as `3.00` or `-0.5`, as lessons print
/// durations. Anything else (exponents, `inf`, stray characters) is `None`.
///
/// Hand-written because `str::parse::<f64>` brings its tables into the
/// module (15 KB gzipped, measured: see the README's size section), and
/// these numbers never need them: two decimals at most.
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

    fn printed(texts: &[&str]) -> Vec<Line> {
        texts
            .iter()
            .map(|t| Line {
                at: 0.0,
                text: (*t).to_string(),
            })
            .collect()
    }

    #[test]
    fn lines_of_one_group_come_in_any_order_but_groups_do_not() {
        let e = Expected::new()
            .line(0.0, "sync")
            .line(0.0, "message")
            .or_line(0.0, "timer")
            .line(0.0, "frame");
        assert!(!e.fixed_order());
        let tol = Tolerance::at(Speed::REAL_TIME);
        for ok in [
            ["sync", "message", "timer", "frame"],
            ["sync", "timer", "message", "frame"],
        ] {
            assert!(e.match_lines(&printed(&ok), tol).0.is_empty(), "{ok:?}");
        }
        let (problems, marks) =
            e.match_lines(&printed(&["sync", "frame", "timer", "message"]), tol);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert_eq!(marks, [true, false, true, false]);
    }

    #[test]
    fn untimed_lessons_check_text_not_times() {
        let e = Expected::new()
            .line(1.0, "a")
            .measured_line(2.0, "took ")
            .total(3.0)
            .untimed();
        let tol = Tolerance::at(Speed::REAL_TIME);
        assert!(e
            .match_lines(&printed(&["a", "took 41 ms"]), tol)
            .0
            .is_empty());
        assert!(!e.match_lines(&printed(&["a", "took"]), tol).0.is_empty());
        assert!(e.check_total(9.0, Speed::REAL_TIME).is_none());
    }
}
