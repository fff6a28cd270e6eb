//! The page's address: `#gather` shows a lesson, `#gather/step/7` runs its
//! Rust and lands on step 7 of the run, `#gather/python/step/7` the same
//! for its Python. Both halves of the format live here: reading it
//! ([`parse`]) and writing it ([`show`]).

use wasm_bindgen::JsValue;

use super::dom::window;

/// A step of a run, as an address names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Step {
    /// Its number, from 1.
    pub n: usize,
    /// Whether the run was the lesson's Python's (else its Rust's).
    pub python: bool,
}

/// The lesson id and step an address names: `#gather`, `#gather/step/7`
/// or `#gather/python/step/7`. A step that is not a number is left out.
pub fn parse(hash: &str) -> (&str, Option<Step>) {
    let hash = hash.strip_prefix('#').unwrap_or(hash);
    let Some((id, rest)) = hash.split_once('/') else {
        return (hash, None);
    };
    let (python, rest) = match rest.strip_prefix("python/") {
        Some(rest) => (true, rest),
        None => (false, rest),
    };
    match rest.split_once('/') {
        Some(("step", n)) => {
            let n = n.parse().ok().filter(|&n| n > 0);
            (id, n.map(|n| Step { n, python }))
        }
        _ => (hash, None),
    }
}

/// The address of lesson `id`, at `step` if one is shown.
pub fn of(id: &str, step: Option<Step>) -> String {
    match step {
        Some(Step { n, python: false }) => format!("#{id}/step/{n}"),
        Some(Step { n, python: true }) => format!("#{id}/python/step/{n}"),
        None => format!("#{id}"),
    }
}

/// The lesson id and packed code of a code link: `#gather/code/…`.
pub fn code(hash: &str) -> Option<(&str, &str)> {
    let hash = hash.strip_prefix('#').unwrap_or(hash);
    let (id, rest) = hash.split_once('/')?;
    let packed = rest.strip_prefix("code/")?;
    (!packed.is_empty()).then_some((id, packed))
}

/// The address of lesson `id` with `packed` code.
pub fn of_code(id: &str, packed: &str) -> String {
    format!("#{id}/code/{packed}")
}

/// Puts lesson `id` at `step` in the address bar without a new history
/// entry, so that a reader can link to what they see.
pub fn show(id: &str, step: Option<Step>) {
    replace(&of(id, step));
}

/// Puts `hash` in the address bar without a new history entry.
pub fn replace(hash: &str) {
    let window = window();
    if window.location().hash().ok().as_deref() == Some(hash) {
        return;
    }
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(hash));
    }
}

/// The address bar's lesson id and step.
pub fn current() -> (String, Option<Step>) {
    let hash = window().location().hash().unwrap_or_default();
    let (id, step) = parse(&hash);
    (id.to_string(), step)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_names_a_lesson_and_maybe_a_step() {
        let rust = |n| Some(Step { n, python: false });
        assert_eq!(parse("#gather"), ("gather", None));
        assert_eq!(parse("gather"), ("gather", None));
        assert_eq!(parse("#gather/step/7"), ("gather", rust(7)));
        assert_eq!(
            parse("#gather/python/step/7"),
            ("gather", Some(Step { n: 7, python: true }))
        );
        assert_eq!(parse("#gather/python/step/0"), ("gather", None));
        assert_eq!(parse("#gather/python/7"), ("gather/python/7", None));
        assert_eq!(parse("#gather/step/0"), ("gather", None));
        assert_eq!(parse("#gather/step/x"), ("gather", None));
        assert_eq!(parse("#gather/other/7"), ("gather/other/7", None));
        assert_eq!(parse(""), ("", None));
    }

    #[test]
    fn a_code_link_names_its_lesson_and_its_code() {
        assert_eq!(code(&of_code("gather", "eJzL")), Some(("gather", "eJzL")));
        assert_eq!(code("#gather/code/"), None);
        assert_eq!(code("#gather"), None);
        assert_eq!(code("#gather/step/7"), None);
    }

    #[test]
    fn what_is_written_reads_back() {
        let steps =
            [(1, false), (42, false), (3, true)].map(|(n, python)| Some(Step { n, python }));
        for step in [None].into_iter().chain(steps) {
            assert_eq!(parse(&of("create-task", step)), ("create-task", step));
        }
    }
}
