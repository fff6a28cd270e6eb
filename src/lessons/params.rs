//! The values a reader may change: each lesson's [`Param`]s, their limits,
//! the check of what was typed, and the checked [`Args`] a run reads.

use std::fmt;

use crate::rt::Fixed;

/// A value the reader may change: a number, or lines of text (URLs).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Param {
    /// The name lesson code reads it by.
    pub key: &'static str,
    /// The label on the page.
    pub label: &'static str,
    /// What kind of value, its default and its limits.
    pub kind: ParamKind,
}

/// What kind of value a [`Param`] takes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ParamKind {
    /// A number from `min` to `max`.
    Number {
        /// The tutorial's value.
        default: f64,
        /// The smallest allowed value.
        min: f64,
        /// The largest allowed value.
        max: f64,
        /// Whether only whole numbers make sense (a count, a seed).
        whole: bool,
    },
    /// One entry per line (URLs): blank lines are skipped, and there must
    /// be from one to `max` entries.
    Lines {
        /// The tutorial's entries, one per line.
        default: &'static str,
        /// The most entries allowed.
        max: usize,
    },
}

/// A value the reader gave for a [`Param`].
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// For [`ParamKind::Number`].
    Number(f64),
    /// For [`ParamKind::Lines`]: the text as typed.
    Text(String),
}

impl From<f64> for Value {
    fn from(n: f64) -> Value {
        Value::Number(n)
    }
}

impl From<String> for Value {
    fn from(text: String) -> Value {
        Value::Text(text)
    }
}

impl From<&str> for Value {
    fn from(text: &str) -> Value {
        Value::Text(text.to_string())
    }
}

/// The longest line a [`ParamKind::Lines`] parameter takes: a URL is rarely
/// longer, and the page stays responsive.
pub const MAX_LINE: usize = 2000;

impl Param {
    const fn number(
        key: &'static str,
        label: &'static str,
        [default, min, max]: [f64; 3],
        whole: bool,
    ) -> Param {
        Param {
            key,
            label,
            kind: ParamKind::Number {
                default,
                min,
                max,
                whole,
            },
        }
    }

    /// A duration in seconds, from 0 to `max`.
    pub const fn secs(key: &'static str, label: &'static str, default: f64, max: f64) -> Param {
        Param::number(key, label, [default, 0.0, max], false)
    }

    /// A duration in seconds, from `min` to `max`.
    pub const fn secs_from(
        key: &'static str,
        label: &'static str,
        default: f64,
        min: f64,
        max: f64,
    ) -> Param {
        Param::number(key, label, [default, min, max], false)
    }

    /// A whole number from `min` to `max`.
    pub const fn count(
        key: &'static str,
        label: &'static str,
        default: f64,
        min: f64,
        max: f64,
    ) -> Param {
        Param::number(key, label, [default, min, max], true)
    }

    /// From one to `max` entries, one per line.
    pub const fn lines(
        key: &'static str,
        label: &'static str,
        default: &'static str,
        max: usize,
    ) -> Param {
        Param {
            key,
            label,
            kind: ParamKind::Lines { default, max },
        }
    }

    /// The tutorial's value.
    pub fn default_value(&self) -> Value {
        match self.kind {
            ParamKind::Number { default, .. } => Value::Number(default),
            ParamKind::Lines { default, .. } => Value::Text(default.to_string()),
        }
    }

    /// Checks a value the reader typed.
    pub fn check(&self, value: &Value) -> Result<Value, ParamError> {
        let refuse = |problem| ParamError {
            param: *self,
            problem,
        };
        match (self.kind, value) {
            (
                ParamKind::Number {
                    min, max, whole, ..
                },
                Value::Number(n),
            ) => {
                let fits = n.is_finite() && (min..=max).contains(n) && (!whole || n.fract() == 0.0);
                fits.then_some(value.clone())
                    .ok_or(refuse(Problem::OutOfRange))
            }
            (ParamKind::Lines { max, .. }, Value::Text(text)) => {
                let entries = entries(text);
                if entries.is_empty() {
                    Err(refuse(Problem::NoLines))
                } else if entries.len() > max {
                    Err(refuse(Problem::TooManyLines))
                } else if entries.iter().any(|e| e.len() > MAX_LINE) {
                    Err(refuse(Problem::LineTooLong))
                } else {
                    Ok(value.clone())
                }
            }
            _ => Err(refuse(Problem::WrongKind)),
        }
    }
}

/// The entries of a [`ParamKind::Lines`] value: its lines, trimmed, without
/// the blank ones.
fn entries(text: &str) -> Vec<&str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect()
}

/// What is wrong with a refused value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Problem {
    /// A number outside its range, not whole where it must be, or none.
    OutOfRange,
    /// No entries at all.
    NoLines,
    /// More entries than allowed.
    TooManyLines,
    /// An entry longer than [`MAX_LINE`].
    LineTooLong,
    /// A number where lines were due, or lines where a number was.
    WrongKind,
}

/// A value the lesson refuses; the message says what it takes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ParamError {
    /// The parameter that was refused.
    pub param: Param,
    /// What is wrong with the value.
    pub problem: Problem,
}

impl fmt::Display for ParamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = self.param.label;
        match (self.param.kind, self.problem) {
            (
                ParamKind::Number {
                    min, max, whole, ..
                },
                _,
            ) => {
                let kind = if whole { "a whole number" } else { "a number" };
                write!(
                    f,
                    "{label} must be {kind} from {} to {}",
                    Fixed(min),
                    Fixed(max)
                )
            }
            (ParamKind::Lines { .. }, Problem::NoLines) => write!(f, "{label}: enter at least one"),
            (ParamKind::Lines { max, .. }, Problem::TooManyLines) => {
                write!(f, "{label}: at most {max}, one per line")
            }
            (ParamKind::Lines { .. }, Problem::LineTooLong) => {
                write!(f, "{label}: each line must be under {MAX_LINE} characters")
            }
            (ParamKind::Lines { .. }, _) => write!(f, "{label} must be text, one per line"),
        }
    }
}

impl std::error::Error for ParamError {}

/// The values one run uses, checked against the lesson's [`Param`]s.
#[derive(Clone, Debug, PartialEq)]
pub struct Args {
    values: Vec<(&'static str, Value)>,
}

impl Args {
    /// The tutorial's values of `params`.
    pub fn defaults(params: &[Param]) -> Args {
        Args {
            values: params.iter().map(|p| (p.key, p.default_value())).collect(),
        }
    }

    /// Checks `values` (one per parameter, in order) against the limits
    /// of `params`.
    pub fn check<V: Clone + Into<Value>>(
        params: &[Param],
        values: &[V],
    ) -> Result<Args, ParamError> {
        let values = params
            .iter()
            .zip(values)
            .map(|(p, v)| p.check(&v.clone().into()).map(|v| (p.key, v)))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Args { values })
    }

    /// The `seed` parameter, if there is one; 0 otherwise.
    pub fn seed(&self) -> u64 {
        self.values
            .iter()
            .find(|(k, _)| *k == "seed")
            .map_or(0, |(_, v)| match v {
                Value::Number(n) => *n as u64,
                Value::Text(_) => 0,
            })
    }

    fn value(&self, key: &str) -> &Value {
        self.values
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v)
            .unwrap_or_else(|| panic!("the lesson declares a parameter named `{key}`"))
    }

    /// The value of number parameter `key`.
    ///
    /// # Panics
    /// If the lesson has no such number parameter: a bug in the lesson,
    /// caught by its tests, never by a reader's input.
    pub fn get(&self, key: &str) -> f64 {
        match self.value(key) {
            Value::Number(n) => *n,
            Value::Text(_) => panic!("the lesson's parameter `{key}` is a number"),
        }
    }

    /// A whole-number parameter.
    pub fn count(&self, key: &str) -> u32 {
        self.get(key) as u32
    }

    /// The entries of lines parameter `key`: trimmed, blank lines skipped.
    ///
    /// # Panics
    /// If the lesson has no such lines parameter (a bug in the lesson).
    pub fn lines(&self, key: &str) -> Vec<String> {
        match self.value(key) {
            Value::Text(text) => entries(text).into_iter().map(String::from).collect(),
            Value::Number(_) => panic!("the lesson's parameter `{key}` is lines of text"),
        }
    }
}
