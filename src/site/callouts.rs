//! Callouts pair a line of a lesson's Python with the Rust line that does
//! the same: a comment ending in `<n>` on both (`sleep(secs).await; // <1>`
//! and `await asyncio.sleep(secs)  # <1>`), as AsciiDoc writes them.
//!
//! The page shows them as numbered marks, and while stepping through a run
//! highlights the Python line paired with the Rust line a task waits on.
//! `build.rs` includes this file too and refuses a lesson whose callouts
//! do not pair up, so a broken pair fails the build rather than the page.

/// The callout a line ends with, if any: its number, and where in the line
/// the `<n>` starts. `comment` is the language's comment opener (`//`,
/// `#`); the callout must follow it.
pub fn callout(line: &str, comment: &str) -> Option<(u32, usize)> {
    let trimmed = line.trim_end();
    let inner = trimmed.strip_suffix('>')?;
    let open = inner.rfind('<')?;
    let number = &inner[open + 1..];
    if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let before = &inner[..open];
    let in_comment = before.find(comment).is_some() && before.ends_with([' ', '/', '#']);
    in_comment.then(|| number.parse().ok().map(|n| (n, open)))?
}

/// Every callout of `src`, as (number, line from 1).
pub fn callouts(src: &str, comment: &str) -> Vec<(u32, usize)> {
    src.lines()
        .enumerate()
        .filter_map(|(i, line)| callout(line, comment).map(|(n, _)| (n, i + 1)))
        .collect()
}

/// What is wrong with the callouts of a listing and its Python, in
/// words; empty when each number marks one line of each.
pub fn unpaired(rust: &str, python: &str) -> Vec<String> {
    let rust = callouts(rust, "//");
    let python = callouts(python, "#");
    let mut problems = Vec::new();
    for (side, mine, theirs) in [("Rust", &rust, &python), ("Python", &python, &rust)] {
        for &(n, line) in mine.iter() {
            let here = mine.iter().filter(|(m, _)| *m == n).count();
            if here > 1 {
                problems.push(format!(
                    "<{n}> marks {here} lines of the {side} (line {line})"
                ));
            }
            if !theirs.iter().any(|(m, _)| *m == n) {
                let other = if side == "Rust" { "Python" } else { "Rust" };
                problems.push(format!(
                    "<{n}> on {side} line {line} has no partner in the {other}"
                ));
            }
        }
    }
    problems.sort();
    problems.dedup();
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_callout_ends_a_comment() {
        assert_eq!(callout("    sleep(1).await; // <1>", "//"), Some((1, 23)));
        assert_eq!(callout("x  # asyncio.sleep(2) <12>  ", "#"), Some((12, 22)));
        assert_eq!(callout("let v: Vec<1>", "//"), None);
        assert_eq!(callout("// see <a>", "//"), None);
        assert_eq!(callout("if a <1>", "#"), None);
    }

    #[test]
    fn unpaired_callouts_are_named() {
        let rust = "a(); // <1>\nb(); // <2>\nc(); // <2>";
        let python = "a()  # <1>\nd()  # <3>";
        assert_eq!(
            unpaired(rust, python),
            [
                "<2> marks 2 lines of the Rust (line 2)",
                "<2> marks 2 lines of the Rust (line 3)",
                "<2> on Rust line 2 has no partner in the Python",
                "<2> on Rust line 3 has no partner in the Python",
                "<3> on Python line 2 has no partner in the Rust",
            ]
        );
        assert!(unpaired(rust.replace("// <2>", "").as_str(), "a()  # <1>").is_empty());
    }
}
