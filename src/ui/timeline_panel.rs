//! The Timeline panel: the picture of the run ([`timeline`](super::timeline)),
//! the progress bars of the lesson that has them, and the line under the
//! picture that says in words the mark pointed at or focused.

use maud::{html, Markup};
use wasm_bindgen::JsValue;
use web_sys::Element;

use super::dom::{event_within, find, EventListener};
use super::progress::{self, Progress};
use super::timeline::{self, Picture};
use crate::lessons::{Expected, Lesson, View};
use crate::rt::Run;

/// What the line under the timeline says until a mark is pointed at; the
/// build renders it, and a new run says it again.
pub const MARK_HINT: &str = "Point at or focus a mark (Tab) to read what the loop did there.";

/// The panel as the build renders it for `lesson`: no picture until the
/// module draws one.
pub fn markup(lesson: &Lesson) -> Markup {
    html! {
        div .panel .timeline {
            h2 { "Timeline" }
            @if lesson.view == View::Progress { (progress::markup()) }
            div .timeline-box {}
            p .mark-say aria-live="polite" { (MARK_HINT) }
            p .legend {
                "A lane per task or named future. Dark marks: polled, and for how long. Dashed: \
                 waiting, on what it says. Dots: woken. Outlines: when each should run. Bars end \
                 to end ran one after another; side by side, concurrently."
            }
        }
    }
}

/// The Timeline panel of one lesson's section.
pub struct TimelinePanel {
    picture: Element,
    say: Element,
    progress: Option<Progress>,
    _listeners: Vec<EventListener>,
}

impl TimelinePanel {
    /// Takes over the panel [`markup`] rendered in `section` for `lesson`.
    /// A mark's words show under the picture when it is pointed at,
    /// tapped or focused.
    pub fn attach(lesson: &Lesson, section: &Element) -> Result<TimelinePanel, JsValue> {
        let picture = find(section, ".timeline-box")?;
        let say = find(section, ".mark-say")?;
        let listeners = ["pointerover", "focusin", "click"]
            .into_iter()
            .map(|event| {
                let say = say.clone();
                EventListener::new(&picture, event, move |e| {
                    let said =
                        event_within(&e, "[data-say]").and_then(|m| m.get_attribute("data-say"));
                    if let Some(said) = said {
                        say.set_text_content(Some(&said));
                    }
                })
            })
            .collect();
        let progress = (lesson.view == View::Progress)
            .then(|| Progress::attach(section))
            .transpose()?;
        Ok(TimelinePanel {
            picture,
            say,
            progress,
            _listeners: listeners,
        })
    }

    /// Says the hint again, for a new run.
    pub fn hint(&self) {
        self.say.set_text_content(Some(MARK_HINT));
    }

    /// Draws `run` (or, before any run, the expected outlines alone) as of
    /// `now` tutorial seconds while it runs, `None` once it ended, with a
    /// cursor at event `cursor` of its record if the reader is stepping.
    pub fn draw(
        &self,
        run: Option<&Run>,
        expected: &Expected,
        now: Option<f64>,
        cursor: Option<usize>,
    ) {
        let spans = run.map(Run::spans).unwrap_or_default();
        // The lines are only for the marks' words, drawn once the run ended.
        let lines = match (run, now) {
            (Some(r), None) => r.lines(),
            _ => Vec::new(),
        };
        let record = run.map(Run::record);
        let width = f64::from(self.picture.client_width());
        self.picture.set_inner_html(&timeline::svg(
            width,
            &Picture {
                expected: &expected.spans,
                spans: &spans,
                record: record.as_deref(),
                lines: &lines,
                now,
                cursor: cursor
                    .and_then(|i| record.as_deref()?.events.get(i))
                    .map(|e| e.at.0),
                total: expected.total,
                timed: expected.timed,
                speed: run.map_or(1.0, |r| r.clock().speed().factor()),
            },
        ));
        drop(record);
        if let Some(progress) = &self.progress {
            progress.draw(&expected.spans, &spans, now);
        }
    }
}
