//! The Expected panel: what the Python prints for the values in the
//! fields, and when. Rendered into the page at build time for the
//! defaults, and again here whenever a value changes.

use maud::{html, Markup};
use wasm_bindgen::JsValue;
use web_sys::Element;

use super::dom::{find, secs};
use crate::lessons::{Expected, Lesson};

/// What the panel says of a lesson's edited code.
const EDITED: &str = "Your edited code has no expected output: the output shows what it prints. \
                      Reset brings the lesson's code, and its expected output, back.";

/// What the panel says of the reader's own program.
const OWN: &str = "Your program has no expected output here: CPython is the judge. Run the \
                   same file with python3 to compare; where the two differ, the tour's Python \
                   is wrong.";

/// The panel as the build renders it, showing `e` (`None`: the reader's
/// own program, with nothing expected).
pub fn markup(e: Option<&Expected>) -> Markup {
    html! {
        div .panel .expected {
            h2 { "Expected" }
            ol .lines { @if let Some(e) = e { (lines(e)) } }
            p .total { @match e { Some(e) => (summary(e)), None => (OWN) } }
        }
    }
}

/// The Expected panel of one lesson's section.
pub struct ExpectedPanel {
    list: Element,
    total: Element,
    /// What it says when nothing is expected.
    unjudged: &'static str,
}

impl ExpectedPanel {
    /// Takes over the panel [`markup`] rendered in `section` for `lesson`.
    pub fn attach(lesson: &Lesson, section: &Element) -> Result<ExpectedPanel, JsValue> {
        Ok(ExpectedPanel {
            list: find(section, ".expected ol")?,
            total: find(section, ".expected .total")?,
            unjudged: if lesson.has_rust() { EDITED } else { OWN },
        })
    }

    /// Says the reader's own code has no expected output.
    pub fn unjudged(&self) {
        self.list.set_inner_html("");
        self.total.set_text_content(Some(self.unjudged));
    }

    /// Shows `e` instead of what the panel showed.
    pub fn show(&self, e: &Expected) {
        self.list.set_inner_html(&lines(e).into_string());
        self.total.set_text_content(Some(&summary(e)));
    }
}

/// The expected lines, as the items of the panel's list. Lines of one
/// group (they may come in either order) are marked `either`.
pub fn lines(e: &Expected) -> Markup {
    let shares = |i: usize, j: Option<usize>| {
        j.and_then(|j| e.lines.get(j))
            .is_some_and(|l| l.group == e.lines[i].group)
    };
    html! {
        @for (i, line) in e.lines.iter().enumerate() {
            li .either[shares(i, i.checked_sub(1)) || shares(i, Some(i + 1))] {
                time { @if e.timed { "≈" (secs(line.at)) } }
                samp { (line.text) }
            }
        }
    }
}

/// The sentence under the list: how many lines, in what order, how long.
pub fn summary(e: &Expected) -> String {
    let order = if e.fixed_order() {
        "in this order"
    } else {
        "in this order; lines joined by a bar may come either way"
    };
    let plural = if e.lines.len() == 1 { "" } else { "s" };
    let when = if e.timed {
        format!("takes about {}", secs(e.total))
    } else {
        "the times depend on your machine".to_string()
    };
    format!("{} line{plural} {order}; {when}.", e.lines.len())
}
