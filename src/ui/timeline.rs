//! The picture of a run: one row per span, a bar from its start to its
//! end on a shared time axis, drawn over the expected bar's outline.
//!
//! Sequential work shows as bars end to end; concurrent work as bars side
//! by side.

use std::fmt::Write;

use super::dom::escape;
use crate::lessons::ExpectedSpan;
use crate::rt::SpanRecord;

/// The width drawn at when the box has no width yet (a hidden lesson).
const FALLBACK_WIDTH: f64 = 640.0;
const LABEL: f64 = 130.0;
const ROW: f64 = 26.0;
const AXIS: f64 = 24.0;

/// Draws the timeline as an SVG document `width` pixels wide, so that its
/// text keeps the page's size. `now` is the run's current time while it
/// runs (bars still open grow to it), `None` once it ended.
pub fn svg(
    width: f64,
    expected: &[ExpectedSpan],
    actual: &[SpanRecord],
    now: Option<f64>,
    total: f64,
) -> String {
    let width = if width >= 200.0 {
        width
    } else {
        FALLBACK_WIDTH
    };
    let mut labels: Vec<&str> = expected.iter().map(|s| s.label.as_str()).collect();
    for s in actual {
        if !labels.contains(&s.label.as_str()) {
            labels.push(&s.label);
        }
    }
    let latest = actual
        .iter()
        .filter_map(|s| s.end)
        .chain(now)
        .chain(expected.iter().map(|s| s.end))
        .fold(total, f64::max);
    // Paced lessons keep at least half a second on the axis; a lesson timed
    // by the machine alone (a request, a frame's load) may take
    // milliseconds, so its axis shrinks to fit.
    let shortest = if total > 0.0 { 0.5 } else { 0.01 };
    let span_secs = nice_ceiling(latest.max(shortest) * 1.02);
    let in_ms = span_secs < 0.5;
    let x = |t: f64| LABEL + (t / span_secs).clamp(0.0, 1.0) * (width - LABEL - 16.0);
    let height = AXIS + ROW * labels.len().max(1) as f64 + 8.0;

    let mut out = String::new();
    let _ = write!(
        out,
        "<svg class=\"timeline-svg\" viewBox=\"0 0 {width} {height}\" role=\"img\" \
         aria-label=\"Timeline: one bar per task, from its start to its end\">"
    );
    // The axis, with a tick every step.
    let step = tick_step(span_secs);
    let mut t = 0.0;
    while t <= span_secs + 1e-9 {
        let _ = write!(
            out,
            "<line class=\"tick\" x1=\"{0:.1}\" x2=\"{0:.1}\" y1=\"{1}\" y2=\"{2}\"/>\
             <text class=\"tick-label\" x=\"{0:.1}\" y=\"14\">{3}</text>",
            x(t),
            AXIS - 4.0,
            height - 4.0,
            if in_ms {
                format!("{:.0}ms", t * 1000.0)
            } else {
                format!("{}s", trim(t))
            }
        );
        t += step;
    }
    if labels.is_empty() {
        let _ = write!(
            out,
            "<text class=\"empty\" x=\"{LABEL}\" y=\"{}\">No timed tasks in this lesson: everything happens at 0s.</text>",
            AXIS + 17.0
        );
    }
    for (row, label) in labels.iter().enumerate() {
        let y = AXIS + ROW * row as f64 + 4.0;
        let _ = write!(
            out,
            "<text class=\"row-label\" x=\"{:.1}\" y=\"{:.1}\">{}</text>",
            LABEL - 8.0,
            y + 13.0,
            escape(label)
        );
        if let Some(e) = expected.iter().find(|e| e.label == *label) {
            let w = (x(e.end) - x(e.start)).max(2.0);
            let _ = write!(
                out,
                "<rect class=\"bar-expected\" x=\"{:.1}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"18\" rx=\"3\"><title>expected {} {:.2}s–{:.2}s</title></rect>",
                x(e.start),
                escape(label),
                e.start,
                e.end
            );
        }
        for s in actual.iter().filter(|s| s.label == *label) {
            let end = s.end.or(now).unwrap_or(s.start);
            let class = match (s.end, s.cancelled) {
                (None, _) => "bar running",
                (Some(_), true) => "bar cancelled",
                (Some(_), false) if label.contains("blocked") => "bar blocked",
                (Some(_), false) => "bar done",
            };
            let w = (x(end) - x(s.start)).max(2.0);
            let _ = write!(
                out,
                "<rect class=\"{class}\" x=\"{:.1}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"12\" rx=\"2\"><title>{} {:.2}s–{:.2}s{}</title></rect>",
                x(s.start),
                y + 3.0,
                escape(label),
                s.start,
                end,
                if s.cancelled { " (cancelled)" } else { "" }
            );
        }
    }
    if let Some(now) = now {
        let _ = write!(
            out,
            "<line class=\"now\" x1=\"{0:.1}\" x2=\"{0:.1}\" y1=\"{1}\" y2=\"{2}\"/>",
            x(now),
            AXIS - 6.0,
            height
        );
    }
    out.push_str("</svg>");
    out
}

/// A round axis length at or above `t`: 1, 2, 3, 4, 5, 6, 8, 10, 15, 20...
fn nice_ceiling(t: f64) -> f64 {
    const NICE: [f64; 10] = [1.0, 1.5, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0, 12.0];
    let scale = 10f64.powf(t.log10().floor());
    NICE.iter()
        .map(|n| n * scale)
        .find(|&n| n >= t - 1e-9)
        .unwrap_or(10.0 * scale)
}

fn tick_step(span: f64) -> f64 {
    let raw = span / 6.0;
    let scale = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|n| n * scale)
        .find(|&n| n >= raw)
        .unwrap_or(10.0 * scale)
}

fn trim(t: f64) -> String {
    let s = format!("{t:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axis_lengths_are_round() {
        assert_eq!(nice_ceiling(3.06), 4.0);
        assert_eq!(nice_ceiling(6.12), 8.0);
        assert!((nice_ceiling(0.51) - 0.6).abs() < 1e-9);
        assert_eq!(tick_step(4.0), 1.0);
        assert_eq!(tick_step(8.0), 2.0);
    }
}
