//! Progress bars, one per task, for the lesson that downloads (its
//! [`View::Progress`](crate::lessons::View::Progress)): how far each task
//! is through the time it should take.

use maud::{html, Markup};
use web_sys::Element;

use crate::lessons::ExpectedSpan;
use crate::rt::{Fixed, SpanRecord};

/// The bars' box as the build renders it: empty until a run.
pub fn markup() -> Markup {
    html! { div .progress {} }
}

/// The progress bars of one lesson's section.
pub struct Progress {
    bars: Element,
}

impl Progress {
    /// Takes over the box [`markup`] rendered in `section`.
    pub fn attach(section: &Element) -> Result<Progress, wasm_bindgen::JsValue> {
        Ok(Progress {
            bars: super::dom::find(section, ".progress")?,
        })
    }

    /// Draws a bar per expected span: full once its task's span ended,
    /// and in between, how much of its expected length has passed by `now`.
    pub fn draw(&self, expected: &[ExpectedSpan], spans: &[SpanRecord], now: Option<f64>) {
        let bars = html! {
            @for e in expected {
                @let got = spans.iter().find(|s| s.label == e.label);
                @let length = (e.end - e.start).max(f64::EPSILON);
                @let percent = 100.0 * match got {
                    Some(s) if s.end.is_some() => 1.0,
                    Some(s) => ((now.unwrap_or(s.start) - s.start) / length).clamp(0.0, 0.99),
                    None => 0.0,
                };
                div .progress-row {
                    span .name { (e.label) }
                    span .bar-track {
                        span .bar-fill style=(format!("width:{:.1}%", Fixed(percent))) {}
                    }
                    span .pct { (format!("{:.0}%", Fixed(percent))) }
                }
            }
        };
        self.bars.set_inner_html(&bars.into_string());
    }
}
