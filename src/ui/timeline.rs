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

use std::fmt;

use maud::{html, Markup, PreEscaped, Render};

use super::dom::secs;
use super::loop_words::{
    describe, lateness, notable, queued, waits_label, Times, LATE_MS, LONG_POLL_MS,
};
use crate::lessons::ExpectedSpan;
use crate::rt::trace::{ActorId, Cause, Polled, Record, What};
use crate::rt::{Fixed, Line, SpanRecord};

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
    /// The moment a reader stepped to, in tutorial seconds: a cursor.
    pub cursor: Option<f64>,
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
        .chain(p.record.and_then(|r| r.events.last()).map(|e| e.at.0))
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
    // The axis, with a tick every step.
    let step = tick_step(span_secs);
    let ticks = (0..)
        .map(|k| f64::from(k) * step)
        .take_while(|t| *t <= span_secs + 1e-9);
    // Which events matter, once the run ended (for the Tab order).
    let keep = match (p.record, p.now) {
        (Some(r), None) => notable(r),
        _ => Vec::new(),
    };
    // Each lane's marks, at most MOST_MARKS in all.
    let mut marks = 0;
    let lane_marks: Vec<Option<Markup>> = lanes
        .iter()
        .enumerate()
        .map(|(row, lane)| {
            let (r, a) = (p.record?, lane.actor?);
            let actor = Actor {
                r,
                events: by_actor.get(a as usize).map_or(&[][..], Vec::as_slice),
                keep: &keep,
                y: lane_y(row),
                x: &x,
                p,
                times,
            };
            let (drawn, markup) = actor.draw(MOST_MARKS.saturating_sub(marks));
            marks += drawn;
            Some(markup)
        })
        .collect();
    html! {
        svg.timeline-svg viewBox=(format!("0 0 {} {}", Px(width), Px(height))) role="group"
            aria-label="Timeline: a lane per task, its polls, waits and wakes over time" {
            @for t in ticks {
                line.tick x1=(Px(x(t))) x2=(Px(x(t))) y1=(Px(AXIS - 4.0)) y2=(Px(height - 4.0)) {}
                text.tick-label x=(Px(x(t))) y="14" {
                    @if in_ms { (format!("{:.0}ms", Fixed(t * 1000.0))) } @else { (Fixed(t)) "s" }
                }
            }
            @if lanes.is_empty() {
                text.empty x=(Px(label_w)) y=(Px(AXIS + 17.0)) {
                    "No timed tasks in this lesson: everything happens at 0s."
                }
            }
            @for ((row, lane), marks) in lanes.iter().enumerate().zip(lane_marks) {
                @let y = lane_y(row);
                text.row-label x=(Px(label_w - 8.0)) y=(Px(y + 15.0)) { (lane.label) }
                @if let Some(e) = p.expected.iter().find(|e| e.label == lane.label) {
                    rect.bar-expected x=(Px(x(e.start))) y=(Px(y + 1.0))
                        width=(Px((x(e.end) - x(e.start)).max(2.0))) height="20" rx="3" {
                        title { "expected " (lane.label) " " (secs(e.start)) "–" (secs(e.end)) }
                    }
                }
                @for s in p.spans.iter().filter(|s| s.label == lane.label) {
                    @let end = s.end.or(p.now).unwrap_or(s.start);
                    rect class=(bar_class(s, &lane.label)) x=(Px(x(s.start))) y=(Px(y + 4.0))
                        width=(Px((x(end) - x(s.start)).max(2.0))) height="14" rx="2" {
                        title {
                            (lane.label) " " (secs(s.start)) "–" (secs(end))
                            @if s.cancelled { " (cancelled)" }
                        }
                    }
                }
                @if let Some(marks) = marks { (marks) }
            }
            @if let Some(at) = p.cursor {
                line.cursor x1=(Px(x(at))) x2=(Px(x(at))) y1=(Px(AXIS - 8.0)) y2=(Px(height)) {}
            }
            @if let Some(now) = p.now {
                line.now x1=(Px(x(now))) x2=(Px(x(now))) y1=(Px(AXIS - 6.0)) y2=(Px(height)) {}
            }
        }
    }
    .into_string()
}

/// The top of lane `row`.
fn lane_y(row: usize) -> f64 {
    AXIS + ROW * row as f64 + 4.0
}

/// A bar's class: how its work ended, or that it still runs.
fn bar_class(s: &SpanRecord, label: &str) -> &'static str {
    match (s.end, s.cancelled) {
        (None, _) => "bar running",
        (Some(_), true) => "bar cancelled",
        (Some(_), false) if label.contains("blocked") => "bar blocked",
        (Some(_), false) => "bar done",
    }
}

/// A coordinate, to a tenth of a pixel.
struct Px(f64);

impl fmt::Display for Px {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:.1}", Fixed(self.0))
    }
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
                Some((first.at.0, r.label(a as ActorId)))
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

/// An actor's lane: its `events` in the record, drawn at `y`.
struct Actor<'a> {
    r: &'a Record,
    events: &'a [usize],
    /// Which events matter (they take the Tab order).
    keep: &'a [bool],
    y: f64,
    x: &'a dyn Fn(f64) -> f64,
    p: &'a Picture<'a>,
    times: Times,
}

/// What a mark says when pointed at or focused: its event in words.
struct Say {
    text: String,
    /// In the Tab order, or only reachable by pointing.
    tab: &'static str,
}

impl Actor<'_> {
    /// The words of event `i`, once the run ended. Every mark says its
    /// event when pointed at or tapped; the marks of the events that
    /// matter are also in the Tab order (a repeating timer's routine beats
    /// would otherwise be hundreds of stops).
    fn say(&self, i: usize) -> Option<Say> {
        if self.p.now.is_some() {
            return None; // still running: no words yet
        }
        let s = describe(self.r, i, self.p.lines, self.times)?;
        Some(Say {
            text: format!("{}: {}", self.times.at(self.r.events[i].at), s.rust),
            tab: if self.keep.get(i) == Some(&true) {
                "0"
            } else {
                "-1"
            },
        })
    }

    /// Draws the lane's polls, waits and wakes, at most `budget` marks;
    /// gives how many it drew, and the markup.
    fn draw(&self, budget: usize) -> (usize, Markup) {
        let (r, x, y, speed) = (self.r, self.x, self.y, self.p.speed);
        let mut out = String::new();
        let mut drawn = 0;
        // An open wait: where it started, and what it waits on.
        let mut waiting: Option<(f64, String)> = None;
        // The last wait labelled: the same wait again goes unlabelled.
        let mut said = String::new();
        let mut close = |out: &mut String, waiting: &mut Option<(f64, String)>, at: f64| {
            if let Some((from, label)) = waiting.take() {
                let (x1, x2) = (x(from), x(at));
                // Wide enough for its words: say what it waits on, in place.
                let fits = x2 - x1 > label.chars().count() as f64 * 6.2 + 10.0;
                let show = fits && label != said;
                html! {
                    line.wait x1=(Px(x1)) x2=(Px(x2)) y1=(Px(y + 11.0)) y2=(Px(y + 11.0)) {}
                    @if show {
                        text.wait-label x=(Px(x1 + 5.0)) y=(Px(y + 8.5)) { (label) }
                    }
                }
                .render_to(out);
                if show {
                    said = label;
                }
            }
        };
        for &i in self.events {
            let e = &r.events[i];
            if drawn >= budget {
                break;
            }
            match &e.what {
                &What::Poll { took, polled, .. } => {
                    close(&mut out, &mut waiting, e.at.0);
                    let took_t = took.0 / 1000.0 * speed;
                    let class = match polled {
                        Polled::Ready => "poll ready",
                        _ if took >= LONG_POLL_MS => "poll long",
                        _ => "poll",
                    };
                    // The loop's queueing: from the wake to this poll.
                    let queue = queued(r, i)
                        .map(|(j, _)| (x(r.events[j].at.0), x(e.at.0)))
                        .filter(|(x1, x2)| x2 - x1 >= 2.0);
                    let say = self.say(i);
                    html! {
                        @if let Some((x1, x2)) = queue {
                            line.queued x1=(Px(x1)) x2=(Px(x2)) y1=(Px(y + 1.0)) y2=(Px(y + 1.0)) {}
                        }
                        rect class=(class) x=(Px(x(e.at.0) - 1.0)) y=(Px(y + 1.0))
                            width=(Px((x(e.at.0 + took_t) - x(e.at.0)).max(3.0))) height="20" rx="1"
                            tabindex=[say.as_ref().map(|s| s.tab)]
                            role=[say.as_ref().map(|_| "img")]
                            aria-label=[say.as_ref().map(|s| &s.text)]
                            data-say=[say.as_ref().map(|s| &s.text)] {}
                    }
                    .render_to(&mut out);
                    drawn += 1;
                    if let Polled::Pending { .. } = polled {
                        waiting = Some((e.at.0 + took_t, waits_label(r, i)));
                    }
                }
                What::Woke { by, .. } => {
                    close(&mut out, &mut waiting, e.at.0);
                    if matches!(by, Cause::Child(_)) {
                        continue;
                    }
                    // A timer that fired late: it came due while the thread
                    // was held. Draw from when it was due to when it fired.
                    let late = lateness(r, i).filter(|l| *l >= LATE_MS);
                    let overdue = late.map(|late| {
                        let (x1, x2) = (x(e.at.0 - late.0 / 1000.0 * speed), x(e.at.0));
                        let text = format!("{} late", self.times.real(late));
                        let fits = x2 - x1 > text.len() as f64 * 5.5 + 6.0;
                        (x1, x2, fits.then_some(text))
                    });
                    let say = self.say(i);
                    html! {
                        @if let Some((x1, x2, text)) = &overdue {
                            line.overdue x1=(Px(*x1)) x2=(Px(*x2)) y1=(Px(y + 21.5)) y2=(Px(y + 21.5)) {}
                            @if let Some(text) = text {
                                text.overdue-label x=(Px(x2 - 3.0)) y=(Px(y + 19.0)) { (text) }
                            }
                        }
                        circle.wake.late[late.is_some()] cx=(Px(x(e.at.0))) cy=(Px(y + 1.0)) r="4"
                            tabindex=[say.as_ref().map(|s| s.tab)]
                            role=[say.as_ref().map(|_| "img")]
                            aria-label=[say.as_ref().map(|s| &s.text)]
                            data-say=[say.as_ref().map(|s| &s.text)] {}
                    }
                    .render_to(&mut out);
                    drawn += 1;
                }
                What::Cancelled { .. } => {
                    close(&mut out, &mut waiting, e.at.0);
                    let (cx, cy) = (x(e.at.0), y + 11.0);
                    let say = self.say(i);
                    html! {
                        path.cancel d=(format!("M{} {}l8 8m0-8l-8 8", Px(cx - 4.0), Px(cy - 4.0)))
                            tabindex=[say.as_ref().map(|s| s.tab)]
                            role=[say.as_ref().map(|_| "img")]
                            aria-label=[say.as_ref().map(|s| &s.text)]
                            data-say=[say.as_ref().map(|s| &s.text)] {}
                    }
                    .render_to(&mut out);
                    drawn += 1;
                }
                What::Done(_) => close(&mut out, &mut waiting, e.at.0),
                _ => {}
            }
        }
        let end = self
            .p
            .now
            .or_else(|| r.events.last().map(|e| e.at.0))
            .unwrap_or(0.0);
        close(&mut out, &mut waiting, end);
        (drawn, PreEscaped(out))
    }
}

/// A round axis length at or above `t`: 1, 2, 3, 4, 5, 6, 8, 10, 15, 20...
fn nice_ceiling(t: f64) -> f64 {
    const NICE: [f64; 10] = [1.0, 1.5, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0, 12.0];
    let scale = decade(t);
    NICE.iter()
        .map(|n| n * scale)
        .find(|&n| n >= t - 1e-9)
        .unwrap_or(10.0 * scale)
}

/// The power of ten at or below `t` (`t.log10().floor()` as a power of
/// ten, without bringing libm's `pow` and `log10` into the module), for
/// the times a timeline shows: a millisecond to a few hours.
fn decade(t: f64) -> f64 {
    let mut scale = 0.0001;
    while scale * 10.0 <= t && scale < 1e6 {
        scale *= 10.0;
    }
    scale
}

fn tick_step(span: f64) -> f64 {
    let raw = span / 6.0;
    let scale = decade(raw);
    [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|n| n * scale)
        .find(|&n| n >= raw)
        .unwrap_or(10.0 * scale)
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
        assert!((nice_ceiling(0.0102) - 0.015).abs() < 1e-9);
        assert!((tick_step(0.6) - 0.1).abs() < 1e-9);
    }
}
