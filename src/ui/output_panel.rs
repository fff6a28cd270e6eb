//! The Output panel: each line the run prints, as it arrives, with its
//! time; after the run, each marked as matching or not. Under them, what a
//! Python run wrote to standard error, where each `line N` of the
//! lesson's own file is a button that takes the editor's cursor there.

use maud::{html, Markup};
use wasm_bindgen::JsValue;
use web_sys::Element;

use super::dom::{add, attr, el, find, secs, text_el};
use crate::lessons::Lesson;
use crate::rt::Line;

/// The panel as the build renders it: empty until a run prints.
pub fn markup() -> Markup {
    html! {
        div .panel .output {
            h2 { "Output" }
            ol .lines aria-label="Output of the run, with the time of each line" {}
            pre .stderr aria-label="Standard error: warnings and the traceback" hidden {}
        }
    }
}

/// The Output panel of one lesson's section.
pub struct OutputPanel {
    list: Element,
    /// What a Python run wrote to standard error, under the lines.
    stderr: Element,
    /// How a traceback names the lesson's Python: `File "gather.py", line `.
    frame: String,
}

impl OutputPanel {
    /// Takes over the panel [`markup`] rendered in `section`.
    pub fn attach(lesson: &Lesson, section: &Element) -> Result<OutputPanel, JsValue> {
        Ok(OutputPanel {
            list: find(section, ".output ol")?,
            stderr: find(section, ".output .stderr")?,
            frame: format!("File \"{}.py\", line ", lesson.file()),
        })
    }

    /// The standard error block, whose `line N` buttons the lesson view
    /// listens to.
    pub fn stderr(&self) -> &Element {
        &self.stderr
    }

    /// Empties the list for a new run.
    pub fn clear(&self) {
        self.list.set_inner_html("");
        self.error("");
    }

    /// Shows what a Python run wrote to standard error (a warning, a
    /// traceback) under its lines, as a terminal shows it; `""` hides it.
    pub fn error(&self, text: &str) {
        self.stderr.set_text_content(None);
        let mut rest = text;
        while let Some(at) = rest.find(&self.frame) {
            let (before, from) = rest.split_at(at + self.frame.len());
            let digits = from.len() - from.trim_start_matches(|c: char| c.is_ascii_digit()).len();
            let (number, after) = from.split_at(digits);
            let _ = self
                .stderr
                .append_with_str_1(&before[..before.len() - "line ".len()]);
            if number.is_empty() {
                let _ = self.stderr.append_with_str_1("line ");
            } else {
                let b = text_el("button", "tb-line", &format!("line {number}"));
                attr(&b, "type", "button");
                attr(&b, "data-line", number);
                attr(
                    &b,
                    "aria-label",
                    &format!("line {number}: show it in the editor"),
                );
                let _ = self.stderr.append_with_node_1(&b);
            }
            rest = after;
        }
        let _ = self.stderr.append_with_str_1(rest);
        if text.is_empty() {
            let _ = self.stderr.set_attribute("hidden", "");
        } else {
            let _ = self.stderr.remove_attribute("hidden");
        }
    }

    /// Adds a printed line, hidden if the reader is at a step before it.
    pub fn push(&self, line: &Line, hidden: bool) {
        let li = add(&self.list, el("li", "fresh"));
        if hidden {
            let _ = li.set_attribute("hidden", "");
        }
        add(&li, text_el("time", "", &format!("+{}", secs(line.at))));
        add(&li, text_el("samp", "", &line.text));
    }

    /// Marks each line as matching the expected output or not.
    pub fn mark(&self, line_ok: &[bool]) {
        let items = self.list.children();
        for (i, ok) in line_ok.iter().enumerate() {
            if let Some(li) = items.item(i as u32) {
                li.set_class_name(if *ok { "ok" } else { "bad" });
            }
        }
    }

    /// Shows only the first `printed` lines: what had printed by a step.
    pub fn show_first(&self, printed: usize) {
        let items = self.list.children();
        for i in 0..items.length() {
            if let Some(li) = items.item(i) {
                if (i as usize) < printed {
                    let _ = li.remove_attribute("hidden");
                } else {
                    let _ = li.set_attribute("hidden", "");
                }
            }
        }
    }
}
