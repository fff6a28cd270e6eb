//! "What the loop did": a run's record, in order, in plain words.
//!
//! By default the list shows the events that matter for the lesson
//! ([`notable`]); one click shows every event. Each row gives the moment,
//! what the runtime saw in Rust's words, and Python's words for the same
//! thing where they differ.

use std::cell::Cell;
use std::fmt::Write;

use web_sys::Element;

use super::dom::{add, attr, el, escape, text_el};
use super::loop_words::{describe, notable, Times};
use crate::rt::trace::{What, LIMIT};
use crate::rt::Run;

/// The most rows the full list shows; a note says how many more there were.
const MOST_ROWS: usize = 800;

/// The panel under the timeline.
pub struct LoopPanel {
    toggle: Element,
    summary: Element,
    list: Element,
    show_all: Cell<bool>,
}

impl LoopPanel {
    /// Builds the panel inside `parent`; `id` makes its heading's id.
    pub fn build(parent: &Element, id: &str) -> LoopPanel {
        let panel = add(parent, el("section", "panel loop"));
        attr(&panel, "aria-labelledby", &format!("{id}-loop"));
        let head = add(&panel, el("div", "loop-head"));
        let h2 = add(&head, text_el("h2", "", "What the loop did"));
        attr(&h2, "id", &format!("{id}-loop"));
        let toggle = add(&head, text_el("button", "loop-toggle", "Show every event"));
        attr(&toggle, "type", "button");
        attr(&toggle, "aria-expanded", "false");
        attr(&toggle, "hidden", "");
        add(
            &panel,
            text_el(
                "p",
                "loop-note",
                "Every poll and wake of the run, as the runtime recorded them. Where Python says it \
                 differently, its words follow: polling a future is the loop resuming a coroutine, \
                 and a waker waking a task is a callback scheduled with call_soon.",
            ),
        );
        let summary = add(&panel, el("p", "loop-summary"));
        let list = add(&panel, el("ol", "loop-list"));
        attr(&list, "aria-label", "What the loop did, in order");
        let panel = LoopPanel {
            toggle,
            summary,
            list,
            show_all: Cell::new(false),
        };
        panel.clear("Press Run: the loop's work shows here when the run ends.");
        panel
    }

    /// The button that switches between the events that matter and all.
    pub fn toggle(&self) -> &Element {
        &self.toggle
    }

    /// Switches between the events that matter and all of them; show the
    /// run again after.
    pub fn flip(&self) {
        self.show_all.set(!self.show_all.get());
        attr(
            &self.toggle,
            "aria-expanded",
            &self.show_all.get().to_string(),
        );
    }

    /// Empties the list and says `why`.
    pub fn clear(&self, why: &str) {
        self.list.set_inner_html("");
        self.summary.set_text_content(Some(why));
        let _ = self.toggle.set_attribute("hidden", "");
    }

    /// Shows what `run` recorded; `timed` says how its times are written
    /// ([`Times::new`]).
    pub fn show(&self, run: &Run, timed: bool) {
        let record = run.record();
        let lines = run.lines();
        let times = Times::new(run.clock().speed().factor(), timed);
        let keep = notable(&record);
        let all = self.show_all.get();
        let said: Vec<usize> = (0..record.events.len())
            .filter(|&i| !matches!(record.events[i].what, What::Waits { .. }))
            .collect();
        let shown: Vec<usize> = said.iter().copied().filter(|&i| all || keep[i]).collect();
        let mut html = String::new();
        for &i in shown.iter().take(MOST_ROWS) {
            let Some(words) = describe(&record, i, &lines, times) else {
                continue;
            };
            let kind = match record.events[i].what {
                What::Poll { .. } => "poll",
                What::Woke { .. } => "wake",
                What::Printed(_) => "print",
                What::Cancelled { .. } => "cancel",
                _ => "other",
            };
            let _ = write!(
                html,
                "<li class=\"{kind}\" data-event=\"{i}\"><time>{}</time><span class=\"say\">{}</span>",
                escape(&times.at(record.events[i].at)),
                escape(&words.rust)
            );
            if let Some(py) = words.python {
                let _ = write!(html, "<span class=\"py\">Python: {}</span>", escape(&py));
            }
            html.push_str("</li>");
        }
        self.list.set_inner_html(&html);
        let hidden = said.len() - shown.len();
        let mut summary = if all {
            format!("All {} events.", said.len())
        } else if hidden > 0 {
            format!(
                "The {} events that matter here; {hidden} routine ones (a join re-polling a child, a repeating timer's beats) are in the full list.",
                shown.len()
            )
        } else {
            format!("All {} events.", said.len())
        };
        if shown.len() > MOST_ROWS {
            let _ = write!(summary, " The first {MOST_ROWS} are listed.");
        }
        if record.cut > 0 {
            let _ = write!(
                summary,
                " The record keeps {LIMIT} events: {} more happened after it was full.",
                record.cut
            );
        }
        self.summary.set_text_content(Some(&summary));
        if hidden > 0 || all {
            let _ = self.toggle.remove_attribute("hidden");
            self.toggle.set_text_content(Some(if all {
                "Show the events that matter"
            } else {
                "Show every event"
            }));
        } else {
            let _ = self.toggle.set_attribute("hidden", "");
        }
    }
}
