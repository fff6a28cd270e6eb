//! The picture of a run: one lane per task, named future or span, on a
//! shared time axis.
//!
//! A lane shows when its work was alive (a bar over the expected bar's
//! outline) and, from the run's record, what the loop did with it: a dark
//! mark for each poll (as wide as the poll took: a poll that blocks is a
//! wide block), a dashed line labelled with what it waited on, and a dot
//! where it was woken. Sequential work shows as bars end to end,
//! concurrent work as bars side by side.
//!
//! Every mark carries its event in words (`data-say`), which the page
//! shows when the mark is pointed at or focused.

use std::fmt::Write;

use super::loop_words::{
    describe, lateness, notable, queued, waits_label, Times, LATE_MS, LONG_POLL_MS,
};
use crate::lessons::ExpectedSpan;
use crate::rt::trace::{ActorId, Cause, Polled, Record, What};
use crate::rt::{Line, SpanRecord};

/// The width drawn at when the box has no width yet (a hidden lesson).
const FALLBACK_WIDTH: f64 = 640.0;
/// The widest the lane labels' column gets; it is as wide as the longest
/// label needs, so that on a phone the time axis keeps what it can.
const LABEL: f64 = 130.0;
/// About how wide a character of a label is (12 px monospace).
const LABEL_CHAR: f64 = 7.3;
const ROW: f64 = 30.0;
const AXIS: f64 = 24.0;
/// Beyond this many marks, only the first ones are drawn.
const MOST_MARKS: usize = 1500;

/// What a timeline draws.
pub struct Picture<'a> {
    /// The bars the lesson should show.
    pub expected: &'a [ExpectedSpan],
    /// The bars it showed.
    pub spans: &'a [SpanRecord],
    /// What the loop did, if the run kept a record.
    pub record: Option<&'a Record>,
    /// The lines printed, for the words of `Printed` events.
    pub lines: &'a [Line],
    /// The run's current time while it runs (open bars grow to it); `None`
    /// once it ended. Marks carry their words only then.
    pub now: Option<f64>,
    /// The expected total, in tutorial seconds.
    pub total: f64,
    /// Whether the lesson's times are the tutorial's (paced), or the
    /// machine's own (then the axis shrinks to fit, down to milliseconds).
    pub timed: bool,
    /// The run's speed.
    pub speed: f64,
}

/// Draws the timeline as an SVG document `width` pixels wide, so that its
/// text keeps the page's size.
pub fn svg(width: f64, p: &Picture<'_>) -> String {
    let width = if width >= 200.0 {
        width
    } else {
        FALLBACK_WIDTH
    };
    // Each actor's events, found in one pass.
    let mut by_actor: Vec<Vec<usize>> = vec![Vec::new(); p.record.map_or(0, |r| r.actors.len())];
    for (i, e) in p
        .record
        .map_or(&[][..], |r| &r.events[..])
        .iter()
        .enumerate()
    {
        if let Some(list) = e.what.actor().and_then(|a| by_actor.get_mut(a as usize)) {
            list.push(i);
        }
    }
    let lanes = lanes(p, &by_actor);
    let latest = p
        .spans
        .iter()
        .filter_map(|s| s.end)
        .chain(p.now)
        .chain(p.expected.iter().map(|s| s.end))
        .chain(p.record.and_then(|r| r.events.last()).map(|e| e.at))
        .fold(p.total, f64::max);
    // Paced lessons keep at least half a second on the axis; a lesson timed
    // by the machine alone (a request, a frame's load) may take
    // milliseconds, so its axis shrinks to fit.
    let shortest = if p.timed && p.total > 0.0 { 0.5 } else { 0.01 };
    let span_secs = nice_ceiling(latest.max(shortest) * 1.02);
    let in_ms = span_secs < 0.5;
    let longest = lanes
        .iter()
        .map(|l| l.label.chars().count())
        .max()
        .unwrap_or(0);
    let label_w = (longest as f64 * LABEL_CHAR + 14.0).clamp(56.0, LABEL);
    let scale = |t: f64| (t / span_secs).clamp(0.0, 1.0) * (width - label_w - 16.0);
    let x = |t: f64| label_w + scale(t);
    let height = AXIS + ROW * lanes.len().max(1) as f64 + 8.0;
    let times = Times::new(p.speed, p.timed);

    let mut out = String::new();
    let _ = write!(
        out,
        "<svg class=\"timeline-svg\" viewBox=\"0 0 {width} {height}\" role=\"group\" \
         aria-label=\"Timeline: a lane per task, its polls, waits and wakes over time\">"
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
    if lanes.is_empty() {
        let _ = write!(
            out,
            "<text class=\"empty\" x=\"{label_w}\" y=\"{}\">No timed tasks in this lesson: everything happens at 0s.</text>",
            AXIS + 17.0
        );
    }
    // Which events matter, once the run ended (for the Tab order).
    let keep = match (p.record, p.now) {
        (Some(r), None) => notable(r),
        _ => Vec::new(),
    };
    let mut marks = 0;
    for (row, lane) in lanes.iter().enumerate() {
        let y = AXIS + ROW * row as f64 + 4.0;
        let _ = write!(
            out,
            "<text class=\"row-label\" x=\"{:.1}\" y=\"{:.1}\">{}</text>",
            label_w - 8.0,
            y + 15.0,
            escape(&lane.label)
        );
        if let Some(e) = p.expected.iter().find(|e| e.label == lane.label) {
            let w = (x(e.end) - x(e.start)).max(2.0);
            let _ = write!(
                out,
                "<rect class=\"bar-expected\" x=\"{:.1}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"20\" rx=\"3\"><title>expected {} {:.2}s–{:.2}s</title></rect>",
                x(e.start),
                y + 1.0,
                escape(&lane.label),
                e.start,
                e.end
            );
        }
        for s in p.spans.iter().filter(|s| s.label == lane.label) {
            let end = s.end.or(p.now).unwrap_or(s.start);
            let class = match (s.end, s.cancelled) {
                (None, _) => "bar running",
                (Some(_), true) => "bar cancelled",
                (Some(_), false) if lane.label.contains("blocked") => "bar blocked",
                (Some(_), false) => "bar done",
            };
            let w = (x(end) - x(s.start)).max(2.0);
            let _ = write!(
                out,
                "<rect class=\"{class}\" x=\"{:.1}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"14\" rx=\"2\"><title>{} {:.2}s–{:.2}s{}</title></rect>",
                x(s.start),
                y + 4.0,
                escape(&lane.label),
                s.start,
                end,
                if s.cancelled { " (cancelled)" } else { "" }
            );
        }
        if let (Some(r), Some(a)) = (p.record, lane.actor) {
            let events = by_actor.get(a as usize).map_or(&[][..], Vec::as_slice);
            let budget = MOST_MARKS.saturating_sub(marks);
            marks += draw_actor(&mut out, r, events, &keep, y, &x, p, times, budget);
        }
    }
    if let Some(now) = p.now {
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

/// A lane: a label, and the actor of that name if the record has one.
struct Lane {
    label: String,
    actor: Option<ActorId>,
}

/// The lanes, in order: `main` first, then the expected bars' order, then
/// every other bar and actor as it first appeared. (Actors and bars are
/// each written in the order they appear, so a merge keeps that order.)
fn lanes<'a>(p: &'a Picture<'a>, by_actor: &[Vec<usize>]) -> Vec<Lane> {
    let mut labels: Vec<&'a str> = Vec::new();
    let mut add = |l: &'a str| {
        if !labels.contains(&l) {
            labels.push(l);
        }
    };
    let actors: Vec<(f64, &'a str)> = p.record.map_or_else(Vec::new, |r| {
        by_actor
            .iter()
            .enumerate()
            .filter_map(|(a, events)| {
                let first = &r.events[*events.first()?];
                Some((first.at, r.label(a as ActorId)))
            })
            .collect()
    });
    if let Some((_, main)) = actors.first() {
        add(main);
    }
    p.expected.iter().for_each(|e| add(&e.label));
    let (mut a, mut s) = (actors.iter().peekable(), p.spans.iter().peekable());
    loop {
        let take_actor = match (a.peek(), s.peek()) {
            (Some(x), Some(y)) => x.0 <= y.start,
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (None, None) => break,
        };
        if take_actor {
            add(a.next().map_or("", |x| x.1));
        } else {
            add(s.next().map_or("", |y| y.label.as_str()));
        }
    }
    labels
        .into_iter()
        .map(|l| Lane {
            label: l.to_string(),
            actor: p.record.and_then(|r| r.find(l)),
        })
        .collect()
}

/// Draws an actor's polls, waits and wakes (its `events`) in the lane at
/// `y`, at most `budget` marks; gives how many it drew.
#[allow(clippy::too_many_arguments)]
fn draw_actor(
    out: &mut String,
    r: &Record,
    events: &[usize],
    keep: &[bool],
    y: f64,
    x: &dyn Fn(f64) -> f64,
    p: &Picture<'_>,
    times: Times,
    budget: usize,
) -> usize {
    // Every mark says its event when pointed at or tapped; the marks of
    // the events that matter are also in the Tab order (a repeating
    // timer's routine beats would otherwise be hundreds of stops).
    let words = |i: usize| -> String {
        if p.now.is_some() {
            return String::new(); // still running: no words yet
        }
        describe(r, i, p.lines, times).map_or(String::new(), |s| {
            let text = escape(&format!("{}: {}", times.at(r.events[i].at), s.rust));
            let tab = if keep.get(i) == Some(&true) {
                "0"
            } else {
                "-1"
            };
            format!(" tabindex=\"{tab}\" role=\"img\" aria-label=\"{text}\" data-say=\"{text}\"")
        })
    };
    let mut drawn = 0;
    // An open wait: where it started, and what it waits on.
    let mut waiting: Option<(f64, String)> = None;
    // The last wait labelled: the same wait again goes unlabelled.
    let mut said = String::new();
    let mut close = |out: &mut String, waiting: &mut Option<(f64, String)>, at: f64| {
        if let Some((from, label)) = waiting.take() {
            let (x1, x2) = (x(from), x(at));
            let _ = write!(
                out,
                "<line class=\"wait\" x1=\"{x1:.1}\" x2=\"{x2:.1}\" y1=\"{0:.1}\" y2=\"{0:.1}\"/>",
                y + 11.0
            );
            // Wide enough for its words: say what it waits on, in place.
            let fits = x2 - x1 > label.chars().count() as f64 * 6.2 + 10.0;
            if fits && label != said {
                let _ = write!(
                    out,
                    "<text class=\"wait-label\" x=\"{:.1}\" y=\"{:.1}\">{}</text>",
                    x1 + 5.0,
                    y + 8.5,
                    escape(&label)
                );
                said = label;
            }
        }
    };
    for &i in events {
        let e = &r.events[i];
        if drawn >= budget {
            break;
        }
        match &e.what {
            &What::Poll { took, polled, .. } => {
                close(out, &mut waiting, e.at);
                let took_t = took / 1000.0 * p.speed;
                let w = (x(e.at + took_t) - x(e.at)).max(3.0);
                let class = match polled {
                    Polled::Ready => "poll ready",
                    _ if took >= LONG_POLL_MS => "poll long",
                    _ => "poll",
                };
                // The loop's queueing: from the wake to this poll.
                if let Some((j, _)) = queued(r, i) {
                    let (x1, x2) = (x(r.events[j].at), x(e.at));
                    if x2 - x1 >= 2.0 {
                        let _ = write!(
                            out,
                            "<line class=\"queued\" x1=\"{x1:.1}\" x2=\"{x2:.1}\" y1=\"{0:.1}\" y2=\"{0:.1}\"/>",
                            y + 1.0
                        );
                    }
                }
                let _ = write!(
                    out,
                    "<rect class=\"{class}\" x=\"{:.1}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"20\" rx=\"1\"{}/>",
                    x(e.at) - 1.0,
                    y + 1.0,
                    words(i)
                );
                drawn += 1;
                if let Polled::Pending { .. } = polled {
                    waiting = Some((e.at + took_t, waits_label(r, i)));
                }
            }
            What::Woke { by, .. } => {
                close(out, &mut waiting, e.at);
                if matches!(by, Cause::Child(_)) {
                    continue;
                }
                // A timer that fired late: it came due while the thread was
                // held. Draw from when it was due to when it fired.
                let late = lateness(r, i).filter(|l| *l >= LATE_MS);
                if let Some(late) = late {
                    let due = e.at - late / 1000.0 * p.speed;
                    let (x1, x2) = (x(due), x(e.at));
                    let _ = write!(
                        out,
                        "<line class=\"overdue\" x1=\"{x1:.1}\" x2=\"{x2:.1}\" y1=\"{0:.1}\" y2=\"{0:.1}\"/>",
                        y + 21.5
                    );
                    let text = format!("{} late", times.real(late));
                    if x2 - x1 > text.len() as f64 * 5.5 + 6.0 {
                        let _ = write!(
                            out,
                            "<text class=\"overdue-label\" x=\"{:.1}\" y=\"{:.1}\">{text}</text>",
                            x2 - 3.0,
                            y + 19.0
                        );
                    }
                }
                let _ = write!(
                    out,
                    "<circle class=\"wake{}\" cx=\"{:.1}\" cy=\"{:.1}\" r=\"4\"{}/>",
                    if late.is_some() { " late" } else { "" },
                    x(e.at),
                    y + 1.0,
                    words(i)
                );
                drawn += 1;
            }
            What::Cancelled { .. } => {
                close(out, &mut waiting, e.at);
                let (cx, cy) = (x(e.at), y + 11.0);
                let _ = write!(
                    out,
                    "<path class=\"cancel\" d=\"M{:.1} {:.1}l8 8m0-8l-8 8\"{}/>",
                    cx - 4.0,
                    cy - 4.0,
                    words(i)
                );
                drawn += 1;
            }
            What::Done(_) => close(out, &mut waiting, e.at),
            _ => {}
        }
    }
    let end = p
        .now
        .or_else(|| r.events.last().map(|e| e.at))
        .unwrap_or(0.0);
    close(out, &mut waiting, end);
    drawn
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

/// `s`, escaped as maud escapes text.
fn escape(s: &str) -> String {
    maud::html! { (s) }.into_string()
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
