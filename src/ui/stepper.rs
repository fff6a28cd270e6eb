//! Stepping through a run: back and forward over what its loop did, and at
//! each step where every task stood.
//!
//! Nothing runs again: each step is the run's record read back at one of
//! its events ([`Record::at`]). The steps are the events "What the loop
//! did" lists (every one but the waits, which it says with their polls).
//! At a step the panel says the event and every actor's state and what is
//! still in flight; the lesson view shows only the output printed by then,
//! a cursor on the timeline, and the line of each listing where a task is
//! suspended, found from the await itself (a [`Site`]).

use std::cell::{Cell, RefCell};

use maud::{html, Markup};
use wasm_bindgen::JsValue;
use web_sys::{Element, HtmlButtonElement, HtmlInputElement};

use std::rc::Rc;

use super::code_editor::{CodeEditor, StepMark};
use super::dom::{attr, find, find_all, find_as, scroll_within};
use super::listings::Listings;
use super::loop_words::{describe, wait_name, waits_label, Times, LATE_MS};
use crate::lessons::Lesson;
use crate::rt::replay::{ActorAt, ActorState, Moment};
use crate::rt::trace::{ActorKind, Record, Site, What};
use crate::rt::Line;

/// What the bar says before any run.
const NO_RUN: &str = "No run yet";
/// How to use it, before any run.
const HOW: &str =
    "Run the lesson, then step through what its loop did (← → Home End), back as well as forward.";

/// The panel, as the build renders it, for lesson `id`.
pub fn markup(id: &str) -> Markup {
    html! {
        section .panel .steps aria-labelledby={ (id) "-steps" } {
            h2 id={ (id) "-steps" } { "Step through the run" }
            div .step-bar role="group" aria-label="Step through the run" {
                button .step-back type="button" disabled aria-label="Back one step" { "◀" }
                input .step-range type="range" min="1" max="1" value="1" disabled
                    aria-label="Step";
                button .step-next type="button" disabled aria-label="Forward one step" { "▶" }
                span .step-at { (NO_RUN) }
            }
            p .step-say aria-live="polite" { (HOW) }
            div .step-state hidden {
                table .step-actors {
                    caption { "Every task and named future at this step" }
                    thead { tr { th scope="col" { "Who" } th scope="col" { "State" } th scope="col" { "Line" } } }
                    tbody {}
                }
                div .step-flight {
                    h3 { "Still in flight" }
                    ul {}
                }
            }
        }
    }
}

/// Where a step lands, for the lesson view to show the rest.
pub struct Shown {
    /// The event, by index in the record.
    pub event: usize,
    /// How many lines had printed by then.
    pub printed: usize,
}

/// The step control of one lesson.
pub struct Stepper {
    lesson: &'static Lesson,
    back: HtmlButtonElement,
    next: HtmlButtonElement,
    range: HtmlInputElement,
    at: Element,
    say: Element,
    state: Element,
    actors: Element,
    flight: Element,
    /// The listings, whose lines it marks.
    listings: Listings,
    /// The Python's editor, once open: its lines are marked there.
    editor: Rc<CodeEditor>,
    /// The events that are steps, by index in the record.
    steps: RefCell<Vec<usize>>,
    /// How many of the record's events `steps` has looked at.
    scanned: Cell<usize>,
    /// The step shown, from 0, if the reader is stepping.
    step: Cell<Option<usize>>,
}

impl Stepper {
    /// Takes over the panel [`markup`] rendered in `section`; a Python
    /// run's lines are marked in `editor` while it is open.
    pub fn attach(
        lesson: &'static Lesson,
        section: &Element,
        editor: Rc<CodeEditor>,
    ) -> Result<Stepper, JsValue> {
        let panel = find(section, ".steps")?;
        Ok(Stepper {
            lesson,
            back: find_as(&panel, ".step-back")?,
            next: find_as(&panel, ".step-next")?,
            range: find_as(&panel, ".step-range")?,
            at: find(&panel, ".step-at")?,
            say: find(&panel, ".step-say")?,
            state: find(&panel, ".step-state")?,
            actors: find(&panel, ".step-actors tbody")?,
            flight: find(&panel, ".step-flight ul")?,
            listings: Listings::attach(section)?,
            editor,
            steps: RefCell::default(),
            scanned: Cell::new(0),
            step: Cell::new(None),
        })
    }

    /// The elements whose events the lesson view listens to: the bar (for
    /// keys), the buttons and the slider.
    pub fn controls(&self) -> [Element; 3] {
        [
            self.back.clone().into(),
            self.next.clone().into(),
            self.range.clone().into(),
        ]
    }

    /// The step shown, from 0, if the reader is stepping.
    pub fn step(&self) -> Option<usize> {
        self.step.get()
    }

    /// The event of the step shown, by index in the record.
    pub fn event(&self) -> Option<usize> {
        self.steps.borrow().get(self.step.get()?).copied()
    }

    /// How many steps the record has so far.
    pub fn len(&self) -> usize {
        self.steps.borrow().len()
    }

    /// Whether there is nothing to step through yet.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Takes in what `record` holds now (while a run goes, each frame):
    /// the steps grow with it, and the control follows.
    pub fn update(&self, record: &Record) {
        let count = record.events.len();
        let from = self.scanned.replace(count);
        if from >= count {
            return;
        }
        self.steps
            .borrow_mut()
            .extend((from..count).filter(|&i| !record.events[i].what.is_wait()));
        let n = self.len();
        self.range.set_max(&n.max(1).to_string());
        self.range.set_disabled(n == 0);
        self.enable_buttons();
        if self.step.get().is_none() && n > 0 {
            self.at.set_text_content(Some(&format!(
                "{n} step{} recorded",
                if n == 1 { "" } else { "s" }
            )));
        }
    }

    fn enable_buttons(&self) {
        let n = self.len();
        let step = self.step.get();
        self.back
            .set_disabled(n == 0 || step.is_some_and(|s| s == 0));
        self.next
            .set_disabled(n == 0 || step.is_some_and(|s| s + 1 >= n));
    }

    /// Back to how the page shows it before any run (a module that takes
    /// over a page another module ran lessons on).
    pub fn forget(&self) {
        self.reset();
        self.at.set_text_content(Some(NO_RUN));
        self.say.set_text_content(Some(HOW));
    }

    /// Forgets the last run: a new one starts, or none is shown.
    pub fn reset(&self) {
        self.steps.borrow_mut().clear();
        self.scanned.set(0);
        self.step.set(None);
        self.range.set_max("1");
        self.range.set_value("1");
        self.range.set_disabled(true);
        self.enable_buttons();
        self.at.set_text_content(Some("Recording…"));
        self.say.set_text_content(Some(
            "Step through the run as it goes, or once it has ended.",
        ));
        let _ = self.state.set_attribute("hidden", "");
        self.clear_lines();
    }

    /// The step a key or button asks for, from the step shown: `None` if
    /// it is not a stepping key.
    pub fn wanted(&self, key: &str) -> Option<usize> {
        let n = self.len();
        let last = n.checked_sub(1)?;
        let at = self.step.get();
        Some(match key {
            "ArrowLeft" | "back" => at.map_or(0, |s| s.saturating_sub(1)),
            "ArrowRight" | "next" => at.map_or(0, |s| (s + 1).min(last)),
            "Home" => 0,
            "End" => last,
            _ => return None,
        })
    }

    /// The step the slider is on, from 0.
    pub fn slider(&self) -> usize {
        (self.range.value_as_number() as usize).saturating_sub(1)
    }

    /// Shows step `step` (from 0, clamped) of `record`; `lines` are the
    /// run's printed lines and `times` how it writes times. Gives what the
    /// lesson view shows with it.
    pub fn show(
        &self,
        step: usize,
        record: &Record,
        lines: &[Line],
        times: Times,
    ) -> Option<Shown> {
        let steps = self.steps.borrow();
        let step = step.min(steps.len().checked_sub(1)?);
        let event = steps[step];
        drop(steps);
        self.step.set(Some(step));
        self.range.set_value(&(step + 1).to_string());
        self.enable_buttons();
        let moment = record.at(event);
        let e = &record.events[event];
        let when = times.at(e.at);
        self.at.set_text_content(Some(&format!(
            "Step {} of {} · {when}",
            step + 1,
            self.len()
        )));
        let words = describe(record, event, lines, times);
        let said = words.map_or_else(String::new, |w| match w.python {
            Some(py) => format!("{} (Python: {py})", w.rust),
            None => w.rust,
        });
        let _ = self
            .range
            .set_attribute("aria-valuetext", &format!("Step {}: {said}", step + 1));
        self.say.set_text_content(Some(&said));
        let concerned = e.what.actor();
        // Each actor's lines, found once for its row and the listings.
        let suspended: Vec<Vec<ListingLine>> = moment
            .actors
            .iter()
            .map(|x| self.lines_of(record, x))
            .collect();
        let rows = html! {
            @for (x, lines) in moment.actors.iter().zip(&suspended) {
                tr data-actor=(record.label(x.actor)) data-state=(x.state.as_str())
                    .current[Some(x.actor) == concerned] {
                    th scope="row" { (record.label(x.actor)) }
                    td { (state_words(record, x, times)) }
                    td {
                        @for (k, l) in lines.iter().enumerate() {
                            @if k > 0 { ", " }
                            (l.number())
                        }
                    }
                }
            }
        };
        self.actors.set_inner_html(&rows.into_string());
        self.flight
            .set_inner_html(&flight(record, &moment, times).into_string());
        let _ = self.state.remove_attribute("hidden");
        self.mark_lines(record, &moment, &suspended, concerned);
        Some(Shown {
            event,
            printed: moment.printed,
        })
    }

    /// The lines of the listing that ran where actor `x` is suspended
    /// (or, running, where this poll suspends it): its own waits'
    /// `.await`s (a Python run's: its `await`s), or else where the named
    /// futures it waits on are awaited or named.
    fn lines_of(&self, r: &Record, x: &ActorAt) -> Vec<ListingLine> {
        if matches!(x.state, ActorState::Done | ActorState::Cancelled(_)) {
            return Vec::new();
        }
        let line = |site: Option<Site>| match site? {
            Site::Python(n) => Some(ListingLine::Python(n)),
            rust => self.lesson.listing_line(rust).map(ListingLine::Rust),
        };
        let own = x.waits.iter().filter_map(|&w| match r.events[w].what {
            What::Waits { site, .. } => line(site),
            _ => None,
        });
        let mut lines = in_order(own);
        if lines.is_empty() {
            lines = in_order(x.children.iter().filter_map(|&c| match r.events[c].what {
                What::Poll { actor, from, .. } => {
                    line(from).or_else(|| line(r.actors.get(actor as usize).and_then(|a| a.site)))
                }
                _ => None,
            }));
        }
        lines
    }

    /// Highlights in the listing that ran the line of every suspended
    /// actor, with its name, and the line paired with it in the other
    /// listing; the line of the actor the event concerns is
    /// `aria-current="step"`. `suspended` holds each actor's lines, in
    /// `moment`'s order.
    fn mark_lines(
        &self,
        r: &Record,
        moment: &Moment,
        suspended: &[Vec<ListingLine>],
        concerned: Option<u32>,
    ) {
        self.clear_lines();
        let mut at: Vec<(ListingLine, Vec<&str>, bool)> = Vec::new();
        for (x, lines) in moment.actors.iter().zip(suspended) {
            for &l in lines {
                let here = Some(x.actor) == concerned;
                match at.iter_mut().find(|(line, ..)| *line == l) {
                    Some((_, who, current)) => {
                        who.push(r.label(x.actor));
                        *current |= here;
                    }
                    None => at.push((l, vec![r.label(x.actor)], here)),
                }
            }
        }
        // In the editor (if open), the reader's lines; their partners in
        // the Rust only while the code is the lesson's.
        let edited = self.editor.is_edited();
        let in_editor: Vec<StepMark> = at
            .iter()
            .filter_map(|(line, who, current)| match line {
                ListingLine::Python(n) => Some(StepMark {
                    line: *n,
                    who: who.join(", "),
                    current: *current,
                }),
                ListingLine::Rust(_) => None,
            })
            .collect();
        self.editor.mark_steps(&in_editor);
        for (line, who, current) in at {
            if edited && matches!(line, ListingLine::Python(_)) {
                continue;
            }
            let (ran, other) = match (line, &self.listings.rust) {
                (ListingLine::Rust(_), None) => continue,
                (ListingLine::Python(_), None) => (&self.listings.python, None),
                (ListingLine::Rust(_), Some(rust)) => (rust, Some(&self.listings.python)),
                (ListingLine::Python(_), Some(rust)) => (&self.listings.python, Some(rust)),
            };
            let Some(el) = ran
                .query_selector(&format!(".ln[data-line=\"{}\"]", line.number()))
                .ok()
                .flatten()
            else {
                continue;
            };
            let who = who.join(", ");
            let _ = el.class_list().add_1("at");
            attr(&el, "data-who", &who);
            if current {
                attr(&el, "aria-current", "step");
            }
            if let (Some(n), Some(other)) = (el.get_attribute("data-callout"), other) {
                let partner = other
                    .query_selector(&format!(".ln[data-callout=\"{n}\"]"))
                    .ok()
                    .flatten();
                if let Some(partner) = partner {
                    let _ = partner.class_list().add_1("at");
                    attr(&partner, "data-who", &who);
                    if current {
                        let _ = partner.class_list().add_1("current");
                    }
                }
            }
        }
        // Bring the concerned line into view in its scrolling listing,
        // without moving the page.
        for code in self.listings.each() {
            let current = code.query_selector("[aria-current]").ok().flatten();
            if let (Some(line), Some(pre)) = (current, code.parent_element()) {
                scroll_within(&pre, &line);
            }
        }
    }

    fn clear_lines(&self) {
        self.editor.mark_steps(&[]);
        for code in self.listings.each() {
            for l in find_all(code, ".ln.at") {
                let _ = l.class_list().remove_2("at", "current");
                let _ = l.remove_attribute("data-who");
                let _ = l.remove_attribute("aria-current");
            }
        }
    }
}

/// A line, from 1, of one of the lesson's two listings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum ListingLine {
    Rust(u32),
    Python(u32),
}

impl ListingLine {
    fn number(self) -> u32 {
        match self {
            ListingLine::Rust(n) | ListingLine::Python(n) => n,
        }
    }
}

/// `lines` in order, each once. (A handful: inserting each in place keeps
/// a general sort out of the module.)
fn in_order(lines: impl Iterator<Item = ListingLine>) -> Vec<ListingLine> {
    let mut out: Vec<ListingLine> = Vec::new();
    for l in lines {
        if let Err(at) = out.binary_search(&l) {
            out.insert(at, l);
        }
    }
    out
}

/// An actor's state in words: "waiting on sleep 3 s since 0.00 s".
fn state_words(r: &Record, x: &ActorAt, t: Times) -> String {
    let since = t.at(x.since);
    let task = |a: u32| {
        let mut a = a;
        // A named future runs inside the task that polls it.
        while let Some(p) = r
            .actors
            .get(a as usize)
            .filter(|x| x.kind == ActorKind::Future)
            .and_then(|x| x.parent)
        {
            a = p;
        }
        r.label(a).to_string()
    };
    let named = r
        .actors
        .get(x.actor as usize)
        .is_some_and(|a| a.kind == ActorKind::Future);
    match x.state {
        ActorState::Ready if x.poll.is_none() => {
            format!("ready since {since}: spawned, in the loop's ready queue")
        }
        ActorState::Ready if named => {
            format!("woken at {since}: polled when {} runs next", task(x.actor))
        }
        ActorState::Ready => format!("woken at {since}: in the loop's ready queue"),
        ActorState::Running => format!("running: polled at {since}"),
        ActorState::Waiting => {
            let on = x.poll.map_or_else(String::new, |p| waits_label(r, p));
            format!("waiting on {on} since {since}")
        }
        ActorState::Done => format!("done at {since}"),
        ActorState::Cancelled(why) => format!("cancelled at {since}: {why}"),
    }
}

/// The waits still in flight at `moment`, in words.
fn flight(r: &Record, moment: &Moment, t: Times) -> Markup {
    html! {
        @if moment.in_flight.is_empty() {
            li .none { "Nothing: no timer set, no reply awaited." }
        }
        @for w in &moment.in_flight {
            // Late by less than a frame is the loop's own work, not worth
            // a word.
            @let overdue = w.overdue.filter(|&late| late >= LATE_MS);
            @if let Some(on) = r.wait(w.event) {
                li data-actor=(r.label(w.actor)) .overdue[overdue.is_some()] {
                    (wait_name(r, on)) " for " (r.label(w.actor))
                    @if let Some(due) = on.due() {
                        ": due at " (t.real(due))
                    }
                    @if let Some(late) = overdue {
                        strong { " overdue by " (t.real(late)) }
                        " (the thread is busy: the timer cannot fire)"
                    }
                }
            }
        }
    }
}
