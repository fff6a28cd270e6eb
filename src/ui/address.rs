//! The page's address: `#gather` shows a lesson, `#gather/step/7` runs it
//! and lands on step 7 of its run. Both halves of the format live here:
//! reading it ([`parse`]) and writing it ([`show`]).

use wasm_bindgen::JsValue;

use super::dom::window;

/// The lesson id and step (from 1) an address names: `#gather` or
/// `#gather/step/7`. A step that is not a number is left out.
pub fn parse(hash: &str) -> (&str, Option<usize>) {
    let hash = hash.strip_prefix('#').unwrap_or(hash);
    let Some((id, rest)) = hash.split_once('/') else {
        return (hash, None);
    };
    match rest.split_once('/') {
        Some(("step", n)) => (id, n.parse().ok().filter(|&n| n > 0)),
        _ => (hash, None),
    }
}

/// The address of lesson `id`, at step `step` (from 1) if one is shown.
pub fn of(id: &str, step: Option<usize>) -> String {
    match step {
        Some(n) => format!("#{id}/step/{n}"),
        None => format!("#{id}"),
    }
}

/// Puts lesson `id` at step `step` in the address bar without a new
/// history entry, so that a reader can link to what they see.
pub fn show(id: &str, step: Option<usize>) {
    let hash = of(id, step);
    let window = window();
    if window.location().hash().ok().as_deref() == Some(hash.as_str()) {
        return;
    }
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&hash));
    }
}

/// The address bar's lesson id and step.
pub fn current() -> (String, Option<usize>) {
    let hash = window().location().hash().unwrap_or_default();
    let (id, step) = parse(&hash);
    (id.to_string(), step)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_names_a_lesson_and_maybe_a_step() {
        assert_eq!(parse("#gather"), ("gather", None));
        assert_eq!(parse("gather"), ("gather", None));
        assert_eq!(parse("#gather/step/7"), ("gather", Some(7)));
        assert_eq!(parse("#gather/step/0"), ("gather", None));
        assert_eq!(parse("#gather/step/x"), ("gather", None));
        assert_eq!(parse("#gather/other/7"), ("gather/other/7", None));
        assert_eq!(parse(""), ("", None));
    }

    #[test]
    fn what_is_written_reads_back() {
        for step in [None, Some(1), Some(42)] {
            assert_eq!(parse(&of("create-task", step)), ("create-task", step));
        }
    }
}
