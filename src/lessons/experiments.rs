//! "Try this": one-edit experiments on a lesson's Python, and what to look
//! for once it runs. They are data beside the lesson's text,
//! `text/<file>.try`, read by the build (the page shows each with a button
//! that makes the edit in the editor) and by the tests, where CPython runs
//! each edited program and must bear out every promise its checks make.
//!
//! A file holds experiments one after another:
//!
//! ```text
//! # Await them one by one
//! - await asyncio.gather(task(1, 3), task(2, 2), task(3, 1))
//! + await task(1, 3)
//! +     await task(2, 2)
//! +     await task(3, 1)
//! The total becomes the sum of the sleeps: 6 seconds instead of 3.
//! ? takes: 6
//! ? prints: Total time elapsed: 6.0
//! ```
//!
//! `-` lines are the text to replace (found once in the listing, lines
//! joined by line breaks), `+` lines what replaces it (none: it goes).
//! The plain lines say what to look for, in Markdown. `?` lines are the
//! checks ([`Check`]).

use super::Lesson;

impl Lesson {
    /// The lesson's experiments, from `text/<file>.try`.
    ///
    /// # Panics
    /// If that file is malformed or an edit does not fit the listing,
    /// which the tests catch (`tests/experiments.rs`).
    pub fn experiments(&self) -> Vec<Experiment> {
        let source = self.source();
        let all =
            parse(source.experiments).unwrap_or_else(|e| panic!("text/{}.try: {e}", self.file()));
        for e in &all {
            if let Err(why) = e.apply(source.python) {
                panic!("text/{}.try: {why}", self.file());
            }
        }
        all
    }
}

/// One experiment.
#[derive(Clone, Debug, PartialEq)]
pub struct Experiment {
    /// What to do, in a few words: "Await them one by one".
    pub title: String,
    /// The text of the listing it replaces.
    pub from: String,
    /// What replaces it.
    pub to: String,
    /// What to look for in the output and the picture (Markdown).
    pub look: String,
    /// What CPython must show of the edited program.
    pub checks: Vec<Check>,
}

/// A promise the sentence makes, checked on CPython's run.
#[derive(Clone, Debug, PartialEq)]
pub enum Check {
    /// `prints: TEXT`: a line of the output contains it.
    Prints(String),
    /// `never: TEXT`: no line contains it.
    Never(String),
    /// `first: TEXT`: the first line contains it.
    First(String),
    /// `before: A | B`: a line containing A comes before any containing B.
    Before(String, String),
    /// `takes: SECONDS`: the run ends after about that many tutorial
    /// seconds (within 5% and a tenth of a second).
    Takes(f64),
    /// `stderr: TEXT`: standard error contains it (a warning, say).
    Stderr(String),
}

impl Experiment {
    /// `source` with this experiment's edit made, or why it cannot be.
    pub fn apply(&self, source: &str) -> Result<String, String> {
        let found = source.matches(&self.from).count();
        match (found, replace(source, &self.from, &self.to)) {
            (1, Some((edited, _))) => Ok(edited),
            (0, _) => Err(format!("“{}”: its text is not in the listing", self.title)),
            (n, _) => Err(format!(
                "“{}”: its text is in the listing {n} times",
                self.title
            )),
        }
    }
}

/// `source` with its first `from` replaced by `to`, and the lines of the
/// result (from 1: the first and the last) that `to` wrote; `None` if
/// `from` is not in `source`. The page makes an experiment's edit with it
/// ([`CodeEditor::try_edit`](crate::ui::code_editor::CodeEditor::try_edit)).
pub fn replace(source: &str, from: &str, to: &str) -> Option<(String, [u32; 2])> {
    let at = source.find(from)?;
    let first = source[..at].matches('\n').count() as u32 + 1;
    let edited = format!("{}{to}{}", &source[..at], &source[at + from.len()..]);
    Some((edited, [first, first + to.matches('\n').count() as u32]))
}

impl Check {
    /// Whether CPython's run bears it out: `lines` printed, `stderr`
    /// written, ending after `took` tutorial seconds. Gives what was
    /// found instead.
    pub fn holds(&self, lines: &[&str], stderr: &str, took: f64) -> Result<(), String> {
        let has = |text: &str| lines.iter().position(|l| l.contains(text));
        let ok = match self {
            Check::Prints(t) => has(t).is_some(),
            Check::Never(t) => has(t).is_none(),
            Check::First(t) => lines.first().is_some_and(|l| l.contains(t.as_str())),
            Check::Before(a, b) => matches!((has(a), has(b)), (Some(i), Some(j)) if i < j),
            Check::Takes(s) => (took - s).abs() <= s * 0.05 + 0.1,
            Check::Stderr(t) => stderr.contains(t.as_str()),
        };
        if ok {
            Ok(())
        } else {
            Err(format!(
                "{self:?} does not hold: it printed {lines:?} in {took:.2} s, stderr {stderr:?}"
            ))
        }
    }
}

/// The experiments of a `.try` file, or what is wrong with it.
pub fn parse(text: &str) -> Result<Vec<Experiment>, String> {
    let mut out: Vec<Experiment> = Vec::new();
    let (mut from, mut to, mut look) = (Vec::new(), Vec::new(), Vec::new());
    let finish = |out: &mut Vec<Experiment>,
                  from: &mut Vec<&str>,
                  to: &mut Vec<&str>,
                  look: &mut Vec<&str>|
     -> Result<(), String> {
        if let Some(e) = out.last_mut() {
            if from.is_empty() {
                return Err(format!("“{}” has no - lines: nothing to change", e.title));
            }
            e.from = from.join("\n");
            e.to = to.join("\n");
            e.look = look.join(" ");
            if e.look.is_empty() {
                return Err(format!("“{}” says nothing to look for", e.title));
            }
        }
        from.clear();
        to.clear();
        look.clear();
        Ok(())
    };
    for (n, line) in text.lines().enumerate() {
        let at = || format!("line {}", n + 1);
        if let Some(title) = line.strip_prefix("# ") {
            finish(&mut out, &mut from, &mut to, &mut look)?;
            out.push(Experiment {
                title: title.trim().to_string(),
                from: String::new(),
                to: String::new(),
                look: String::new(),
                checks: Vec::new(),
            });
            continue;
        }
        let Some(e) = out.last_mut() else {
            if line.trim().is_empty() {
                continue;
            }
            return Err(format!("{}: text before the first # title", at()));
        };
        if line == "-" || line.starts_with("- ") {
            from.push(line.get(2..).unwrap_or(""));
        } else if line == "+" || line.starts_with("+ ") {
            to.push(line.get(2..).unwrap_or(""));
        } else if let Some(check) = line.strip_prefix("? ") {
            let (kind, arg) = check
                .split_once(": ")
                .ok_or_else(|| format!("{}: a check is `? kind: text`", at()))?;
            e.checks.push(match kind {
                "prints" => Check::Prints(arg.into()),
                "never" => Check::Never(arg.into()),
                "first" => Check::First(arg.into()),
                "stderr" => Check::Stderr(arg.into()),
                "before" => {
                    let (a, b) = arg
                        .split_once(" | ")
                        .ok_or_else(|| format!("{}: `before: A | B`", at()))?;
                    Check::Before(a.into(), b.into())
                }
                "takes" => Check::Takes(
                    arg.parse()
                        .map_err(|_| format!("{}: `takes:` wants seconds", at()))?,
                ),
                _ => return Err(format!("{}: no check called {kind}", at())),
            });
        } else if !line.trim().is_empty() {
            look.push(line.trim());
        }
    }
    finish(&mut out, &mut from, &mut to, &mut look)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "# One by one\n- gather(a(), b())\n+ a()\n+     b()\nThe total is the sum.\n\
                        ? takes: 6\n? before: a | b\n\n# Drop it\n- x = 1\n-\nNothing.\n? never: x\n";

    #[test]
    fn a_file_reads_as_experiments_with_their_edits_and_checks() {
        let e = parse(FILE).expect("a good file");
        assert_eq!(e.len(), 2);
        assert_eq!(e[0].title, "One by one");
        assert_eq!(e[0].from, "gather(a(), b())");
        assert_eq!(e[0].to, "a()\n    b()");
        assert_eq!(e[0].look, "The total is the sum.");
        assert_eq!(
            e[0].checks,
            [Check::Takes(6.0), Check::Before("a".into(), "b".into())]
        );
        assert_eq!(e[1].from, "x = 1\n");
        assert_eq!(e[1].to, "");
        let source = "y = 0\ngather(a(), b())\n";
        assert_eq!(e[0].apply(source).as_deref(), Ok("y = 0\na()\n    b()\n"));
        assert_eq!(
            replace(source, &e[0].from, &e[0].to).map(|(_, lines)| lines),
            Some([2, 3])
        );
        assert!(e[1].apply(source).is_err(), "its text is not there");
    }

    #[test]
    fn a_bad_file_says_where() {
        assert!(parse("- x\n").unwrap_err().contains("line 1"));
        assert!(parse("# t\n- x\n? soon: y\n").unwrap_err().contains("soon"));
        assert!(parse("# t\nlook\n")
            .unwrap_err()
            .contains("nothing to change"));
        assert!(parse("# t\n- x\n")
            .unwrap_err()
            .contains("nothing to look for"));
    }

    #[test]
    fn checks_hold_or_say_what_was_found() {
        let lines = ["task 2 finished", "task 1 finished"];
        assert!(Check::First("task 2".into()).holds(&lines, "", 3.0).is_ok());
        assert!(Check::Before("task 2".into(), "task 1".into())
            .holds(&lines, "", 3.0)
            .is_ok());
        assert!(Check::Before("task 1".into(), "task 2".into())
            .holds(&lines, "", 3.0)
            .is_err());
        assert!(Check::Takes(3.0).holds(&lines, "", 3.1).is_ok());
        assert!(Check::Takes(3.0).holds(&lines, "", 3.5).is_err());
        assert!(Check::Never("task 3".into()).holds(&lines, "", 0.0).is_ok());
        assert!(Check::Stderr("never awaited".into())
            .holds(
                &lines,
                "RuntimeWarning: coroutine 'f' was never awaited",
                0.0
            )
            .is_ok());
    }
}
