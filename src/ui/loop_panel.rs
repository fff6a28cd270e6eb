//! "What the loop did": a run's record, in order, in plain words.
//!
//! By default the list shows the events that matter for the lesson
//! ([`notable`]); one click shows every event. Each row gives the moment,
//! what the runtime saw in Rust's words, and Python's words for the same
//! thing where they differ.

use std::cell::Cell;
use std::fmt::Write;

use maud::{html, Markup};
use wasm_bindgen::JsValue;
use web_sys::Element;

use super::dom::{attr, find};
use super::loop_words::{describe, listed, Times};
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

/// What the panel says before any run.
pub const UNRUN: &str = "Press Run: the loop's work shows here when the run ends.";

/// The panel as the page renders it at build time, for lesson `id`.
pub fn markup(id: &str) -> Markup {
    html! {
        section .panel .loop aria-labelledby={ (id) "-loop" } {
            div .loop-head {
                h2 id={ (id) "-loop" } { "What the loop did" }
                button .loop-toggle type="button" aria-expanded="false" hidden { "Show every event" }
            }
            p .loop-note {
                "Every poll and wake of the run, as the runtime recorded them. Where Python says it \
                 differently, its words follow: polling a future is the loop resuming a coroutine, \
                 and a waker waking a task is a callback scheduled with call_soon."
            }
            p .loop-summary { (UNRUN) }
            // It scrolls, so it takes the focus: the keyboard scrolls it too.
            ol .loop-list aria-label="What the loop did, in order" tabindex="0" {}
        }
    }
}

impl LoopPanel {
    /// Takes over the panel [`markup`] rendered inside `section`.
    pub fn attach(section: &Element) -> Result<LoopPanel, JsValue> {
        Ok(LoopPanel {
            toggle: find(section, ".loop-toggle")?,
            summary: find(section, ".loop-summary")?,
            list: find(section, ".loop-list")?,
            show_all: Cell::new(false),
        })
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
        let all = self.show_all.get();
        let (count, shown) = listed(&record, all);
        let rows = html! {
            @for &i in shown.iter().take(MOST_ROWS) {
                @if let Some(words) = describe(&record, i, &lines, times) {
                    li class=(kind(&record.events[i].what)) data-event=(i) {
                        time { (times.at(record.events[i].at)) }
                        span .say { (words.rust) }
                        @if let Some(py) = words.python { span .py { "Python: " (py) } }
                    }
                }
            }
        };
        self.list.set_inner_html(&rows.into_string());
        let hidden = count - shown.len();
        let mut summary = if all {
            format!("All {count} events.")
        } else if hidden > 0 {
            format!(
                "The {} events that matter here; {hidden} routine ones (a join re-polling a child, a repeating timer's beats) are in the full list.",
                shown.len()
            )
        } else {
            format!("All {count} events.")
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

impl LoopPanel {
    /// Marks the row of event `event` as the step shown (none for
    /// `None`), and scrolls the list to it. A step on an event the list
    /// leaves out marks nothing.
    pub fn mark(&self, event: Option<usize>) {
        for row in super::dom::find_all(&self.list, "li.current") {
            let _ = row.class_list().remove_1("current");
            let _ = row.remove_attribute("aria-current");
        }
        let Some(event) = event else { return };
        let row = self
            .list
            .query_selector(&format!("li[data-event=\"{event}\"]"))
            .ok()
            .flatten();
        if let Some(row) = row {
            let _ = row.class_list().add_1("current");
            attr(&row, "aria-current", "step");
            super::dom::scroll_within(&self.list, &row);
        }
    }
}

/// The class of a row, for its colour.
fn kind(what: &What) -> &'static str {
    match what {
        What::Poll { .. } => "poll",
        What::Woke { .. } => "wake",
        What::Printed(_) => "print",
        What::Cancelled { .. } => "cancel",
        _ => "other",
    }
}
