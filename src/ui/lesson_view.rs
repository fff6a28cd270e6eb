//! One lesson on the page, once the module has taken it over: the
//! fields, Run and Stop, the live output beside the expected output, the
//! timeline and the loop's record. Its text and listings are rendered at
//! build time ([`site`](crate::site)) and never touched here.

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use maud::html;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, HtmlButtonElement};

use super::dom::{add, attr, el, find, find_as, secs, text_el, EventListener};
use super::expected_panel;
use super::fields::Field;
use super::heartbeat::Heartbeat;
use super::loop_panel::LoopPanel;
use super::loop_words::Times;
use super::stepper::Stepper;
use super::timeline::{self, Picture};
use crate::lessons::{Args, Expected, Lesson, ParamError, ParamKind, Value, View};
use crate::rt::{Event, Fixed, Outcome, Run, Speed, SpeedError};

/// What the line under the timeline says until a mark is pointed at; the
/// build renders it, and a new run says it again.
pub const MARK_HINT: &str = "Point at or focus a mark (Tab) to read what the loop did there.";

/// The status line of a lesson ready to run.
pub const IDLE: &str = "Press Run to run the Rust on your browser's event loop.";

/// Reads the page's speed control.
pub type SpeedSource = Rc<dyn Fn() -> Result<Speed, SpeedError>>;

/// The state of the status line, also set as `data-state` for tests and
/// styles.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    /// Not run yet.
    Idle,
    /// A run is going.
    Running,
    /// The last run matched the expected output.
    Matched,
    /// The last run differed.
    Differed,
    /// The last run was stopped.
    Stopped,
    /// Run was refused: bad input.
    Refused,
}

impl State {
    fn as_str(self) -> &'static str {
        match self {
            State::Idle => "idle",
            State::Running => "running",
            State::Matched => "matched",
            State::Differed => "differed",
            State::Stopped => "stopped",
            State::Refused => "refused",
        }
    }
}

/// A lesson's section of the page.
pub struct LessonView {
    lesson: &'static Lesson,
    section: Element,
    heading: Element,
    nav_link: Element,
    inputs: Vec<Field>,
    param_msg: Element,
    run_button: HtmlButtonElement,
    stop_button: HtmlButtonElement,
    status: Element,
    output: Element,
    expected_list: Element,
    expected_total: Element,
    timeline: Element,
    /// Says in words the mark pointed at or focused on the timeline.
    mark_say: Element,
    loop_panel: LoopPanel,
    stepper: Stepper,
    /// A step the address asked for (`#gather/step/7`, from 1), shown
    /// once the run it started has ended.
    wanted_step: std::cell::Cell<Option<usize>>,
    progress: Option<Element>,
    /// Where the lesson shows the page it loads (View::Page).
    stage: Option<Element>,
    speed: SpeedSource,
    run: RefCell<Option<Run>>,
    expected: RefCell<Expected>,
    listeners: RefCell<Vec<EventListener>>,
}

impl LessonView {
    /// Takes over the lesson's `section`, rendered at build time
    /// ([`site`](crate::site)): finds its fields, buttons and panels,
    /// wires them, and enables Run.
    pub fn attach(
        lesson: &'static Lesson,
        section: Element,
        nav_link: Element,
        speed: SpeedSource,
        heartbeat: &Heartbeat,
    ) -> Result<Rc<LessonView>, JsValue> {
        let s = &section;
        if let Some(note) = s.query_selector(".blocking-note .heartbeat").ok().flatten() {
            heartbeat.attach(&note)?;
        }
        let controls = find(s, "form.controls")?;
        let inputs = lesson
            .params
            .iter()
            .map(|p| Field::find(&controls, p))
            .collect::<Result<Vec<_>, _>>()?;
        let optional = |wanted: bool, selector| wanted.then(|| find(s, selector)).transpose();
        let view = Rc::new(LessonView {
            lesson,
            heading: find(s, "h1")?,
            nav_link,
            inputs,
            param_msg: find(s, ".param-msg")?,
            run_button: find_as(s, "button.run")?,
            stop_button: find_as(s, "button.stop")?,
            status: find(s, ".status")?,
            output: find(s, ".output ol")?,
            expected_list: find(s, ".expected ol")?,
            expected_total: find(s, ".expected .total")?,
            timeline: find(s, ".timeline-box")?,
            mark_say: find(s, ".mark-say")?,
            loop_panel: LoopPanel::attach(s)?,
            stepper: Stepper::attach(lesson, s)?,
            wanted_step: std::cell::Cell::new(None),
            progress: optional(lesson.view == View::Progress, ".progress")?,
            stage: optional(lesson.view == View::Page, ".stage-box")?,
            speed,
            run: RefCell::new(None),
            expected: RefCell::new(Expected::new()),
            listeners: RefCell::default(),
            section,
        });
        view.wire(&controls);
        view.set_state(State::Idle, IDLE);
        // The page shows the expected output for the defaults already;
        // render it again only if the fields hold other values (a browser
        // that restored them).
        match view.read_args() {
            Ok(args) if args == lesson.defaults() => {
                *view.expected.borrow_mut() = (lesson.expected)(&args);
            }
            _ => view.refresh_expected(),
        }
        view.run_button.set_disabled(false);
        Ok(view)
    }

    fn wire(self: &Rc<Self>, controls: &Element) {
        let mut listeners = self.listeners.borrow_mut();
        let weak = Rc::downgrade(self);
        listeners.push(EventListener::new(controls, "submit", {
            let weak = weak.clone();
            move |e| {
                e.prevent_default();
                if let Some(v) = weak.upgrade() {
                    v.start();
                }
            }
        }));
        listeners.push(EventListener::new(&self.stop_button, "click", {
            let weak = weak.clone();
            move |_| {
                if let Some(v) = weak.upgrade() {
                    v.stop();
                }
            }
        }));
        listeners.push(EventListener::new(controls, "input", {
            let weak = weak.clone();
            move |_| {
                if let Some(v) = weak.upgrade() {
                    v.refresh_expected();
                }
            }
        }));
        listeners.push(EventListener::new(self.loop_panel.toggle(), "click", {
            let weak = weak.clone();
            move |_| {
                if let Some(v) = weak.upgrade() {
                    v.loop_panel.flip();
                    v.show_loop();
                }
            }
        }));
        let [back, next, range] = self.stepper.controls();
        for (button, key) in [(back, "back"), (next, "next")] {
            let weak = weak.clone();
            listeners.push(EventListener::new(&button, "click", move |_| {
                if let Some(v) = weak.upgrade() {
                    v.step_by(key);
                }
            }));
        }
        listeners.push(EventListener::new(&range, "input", {
            let weak = weak.clone();
            move |_| {
                if let Some(v) = weak.upgrade() {
                    v.step_to(v.stepper.slider());
                }
            }
        }));
        // ← → Home End anywhere on the bar; the slider's own handling is
        // replaced, so every browser steps the same way.
        if let Some(bar) = range.parent_element() {
            let weak = weak.clone();
            listeners.push(EventListener::new(&bar, "keydown", move |e| {
                let key = e
                    .dyn_ref::<web_sys::KeyboardEvent>()
                    .map(web_sys::KeyboardEvent::key);
                if let (Some(v), Some(key)) = (weak.upgrade(), key) {
                    if let Some(step) = v.stepper.wanted(&key) {
                        e.prevent_default();
                        v.step_to(step);
                    }
                }
            }));
        }
        // A mark's words show under the timeline when it is pointed at,
        // tapped or focused.
        for event in ["pointerover", "focusin", "click"] {
            let weak = weak.clone();
            listeners.push(EventListener::new(&self.timeline, event, move |e| {
                let said = e
                    .target()
                    .and_then(|t| t.dyn_into::<Element>().ok())
                    .and_then(|t| t.closest("[data-say]").ok().flatten())
                    .and_then(|m| m.get_attribute("data-say"));
                if let (Some(v), Some(said)) = (weak.upgrade(), said) {
                    v.mark_say.set_text_content(Some(&said));
                }
            }));
        }
    }

    /// Shows the last run's record in "What the loop did", once it ended.
    fn show_loop(&self) {
        let run = self.run.borrow().clone();
        if let Some(run) = run.filter(|r| r.outcome().is_some()) {
            let timed = self.expected.borrow().timed;
            self.loop_panel.show(&run, timed);
            self.loop_panel.mark(self.stepper.event());
        }
    }

    /// How many steps the current or last run has recorded.
    pub fn steps(&self) -> usize {
        self.stepper.len()
    }

    /// Moves one step `back` or `next` (or by a key's name).
    pub fn step_by(&self, key: &str) {
        if let Some(step) = self.stepper.wanted(key) {
            self.step_to(step);
        }
    }

    /// Shows step `step` (from 0) of the current or last run: the state
    /// of every task then, the output printed by then, the timeline's
    /// cursor, the loop's row and the listings' lines. Runs nothing.
    pub fn step_to(&self, step: usize) {
        let Some(run) = self.run.borrow().clone() else {
            return;
        };
        let timed = self.expected.borrow().timed;
        let times = Times::new(run.clock().speed().factor(), timed);
        let shown = {
            let record = run.record();
            self.stepper.update(&record);
            self.stepper.show(step, &record, &run.lines(), times)
        };
        let Some(shown) = shown else { return };
        let items = self.output.children();
        for i in 0..items.length() {
            if let Some(li) = items.item(i) {
                if (i as usize) < shown.printed {
                    let _ = li.remove_attribute("hidden");
                } else {
                    let _ = li.set_attribute("hidden", "");
                }
            }
        }
        self.loop_panel.mark(Some(shown.event));
        self.draw(self.running_for());
        self.set_address(self.stepper.step().map(|s| s + 1));
    }

    /// Puts the step shown in the address (`#gather/step/7`), without a
    /// new history entry, so that a reader can link to it.
    fn set_address(&self, step: Option<usize>) {
        let hash = match step {
            Some(n) => format!("#{}/step/{n}", self.lesson.id),
            None => format!("#{}", self.lesson.id),
        };
        let window = super::dom::window();
        if window.location().hash().ok().as_deref() == Some(hash.as_str()) {
            return;
        }
        if let Ok(history) = window.history() {
            let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&hash));
        }
    }

    /// Runs the lesson and, once it has ended, shows step `step` (from 1):
    /// what opening a step's address does.
    pub fn open_step(self: &Rc<Self>, step: usize) {
        self.stop();
        self.wanted_step.set(Some(step.saturating_sub(1)));
        if self.is_running() {
            return; // it ends at once; `ended` takes the step from there
        }
        self.start();
    }

    /// The lesson shown here.
    pub fn lesson(&self) -> &'static Lesson {
        self.lesson
    }

    /// The section element.
    pub fn section(&self) -> &Element {
        &self.section
    }

    /// Moves keyboard focus to the lesson's title.
    pub fn focus(&self) {
        if let Some(h) = self.heading.dyn_ref::<web_sys::HtmlElement>() {
            let _ = h.focus();
        }
    }

    /// The run in progress or last run, if any.
    pub fn current_run(&self) -> Option<Run> {
        self.run.borrow().clone()
    }

    fn read_args(&self) -> Result<Args, ParamError> {
        let values: Vec<Value> = self.inputs.iter().map(Field::value).collect();
        self.lesson.args(&values)
    }

    /// Recomputes the expected output from the inputs, or says what is
    /// wrong with them.
    fn refresh_expected(&self) {
        match self.read_args() {
            Ok(args) => {
                self.param_msg.set_text_content(None);
                for i in &self.inputs {
                    let _ = i.element().remove_attribute("aria-invalid");
                }
                if !self.is_running() {
                    let e = (self.lesson.expected)(&args);
                    self.show_expected(&e);
                    *self.expected.borrow_mut() = e;
                    self.draw(None);
                }
            }
            Err(err) => {
                self.param_msg.set_text_content(Some(&format!("{err}.")));
                for (i, p) in self.inputs.iter().zip(self.lesson.params) {
                    if p.key == err.param.key {
                        attr(i.element(), "aria-invalid", "true");
                    }
                }
            }
        }
    }

    fn show_expected(&self, e: &Expected) {
        self.expected_list
            .set_inner_html(&expected_panel::lines(e).into_string());
        self.expected_total
            .set_text_content(Some(&expected_panel::summary(e)));
    }

    fn is_running(&self) -> bool {
        self.run
            .borrow()
            .as_ref()
            .is_some_and(|r| r.outcome().is_none())
    }

    /// On a page opened from a file (the one-file tour), the first address
    /// that is a file too: `demo/hello.txt` there means a file on disk,
    /// which such a page may not fetch or frame.
    fn file_address(&self, args: &Args) -> Option<String> {
        let location = web_sys::window()?.location();
        if location.protocol().ok()? != "file:" {
            return None;
        }
        let base = location.href().ok()?;
        self.lesson
            .params
            .iter()
            .filter(|p| matches!(p.kind, ParamKind::Lines { .. }))
            .flat_map(|p| args.lines(p.key))
            .find(|address| {
                web_sys::Url::new_with_base(address, &base)
                    .is_ok_and(|url| url.protocol() == "file:")
            })
    }

    /// Runs the lesson with the values on the page. Does nothing while a
    /// run is going; refuses bad input with a message.
    pub fn start(self: &Rc<Self>) {
        if self.is_running() {
            return;
        }
        let speed = match (self.speed)() {
            _ if !self.lesson.paced => Speed::REAL_TIME,
            Ok(s) => s,
            Err(e) => {
                self.set_state(State::Refused, &format!("Can't run: {e}."));
                return;
            }
        };
        let args = match self.read_args() {
            Ok(a) => a,
            Err(e) => {
                self.set_state(State::Refused, &format!("Can't run: {e}."));
                return;
            }
        };
        if let Some(address) = self.file_address(&args) {
            // A framed page of another site keeps its title to itself, so
            // only a fetching lesson can take a full address instead.
            let or_else = match self.lesson.view {
                View::Page => "",
                _ => ", or give a full http(s) address",
            };
            self.set_state(
                State::Refused,
                &format!(
                    "Can't run: {address} is a file beside this page, and a page opened from a \
                     file may not fetch or frame files. Serve the tour to run this lesson (see \
                     the note at the top of the lesson){or_else}."
                ),
            );
            return;
        }
        let expected = (self.lesson.expected)(&args);
        self.show_expected(&expected);
        *self.expected.borrow_mut() = expected;
        self.output.set_inner_html("");
        self.stepper.reset();
        if self.wanted_step.get().is_none() {
            self.set_address(None);
        }
        let running = if self.lesson.paced {
            format!("Running at {speed}…")
        } else {
            "Running in real time (the speed does not apply to this lesson)…".to_string()
        };
        self.set_state(State::Running, &running);
        self.loop_panel
            .clear("Recording every poll and wake: the list shows here when the run ends.");
        self.mark_say.set_text_content(Some(MARK_HINT));
        self.run_button.set_disabled(true);
        self.stop_button.set_disabled(false);
        let _ = self.nav_link.class_list().add_1("running");

        // The last run's picture goes, and the page is laid out for the
        // new one, before the clock starts: that layout is the page's work,
        // not the lesson's (in WebKit painting in software it took tens of
        // milliseconds, which the first timers lost).
        *self.run.borrow_mut() = None;
        self.draw(Some(0.0));

        let weak: Weak<LessonView> = Rc::downgrade(self);
        let seed = self.lesson.seed(&args);
        let future = (self.lesson.run)(args);
        // Record the run before it can emit anything.
        let run = Run::start(
            speed,
            seed,
            move |run, event| {
                if let Some(v) = weak.upgrade() {
                    v.on_event(run, event);
                }
            },
            future,
        );
        if let Some(stage) = &self.stage {
            run.set_stage(stage.clone());
        }
        *self.run.borrow_mut() = Some(run);
    }

    /// Stops the run in progress, if there is one.
    pub fn stop(&self) {
        let run = self.run.borrow().clone();
        if let Some(run) = run {
            run.stop();
        }
    }

    fn on_event(&self, run: &Run, event: Event) {
        match event {
            Event::Line(n) => {
                if let Some(line) = run.lines().get(n) {
                    let li = add(&self.output, el("li", "fresh"));
                    if self.stepper.step().is_some() {
                        // Printed after the step shown: it shows when the
                        // reader steps to it.
                        let _ = li.set_attribute("hidden", "");
                    }
                    add(&li, text_el("time", "", &format!("+{}", secs(line.at))));
                    add(&li, text_el("samp", "", &line.text));
                }
            }
            Event::Span(_) => {}
            Event::Ended(outcome) => self.ended(run, outcome),
        }
    }

    fn ended(&self, run: &Run, outcome: Outcome) {
        self.run_button.set_disabled(false);
        self.stop_button.set_disabled(true);
        let _ = self.nav_link.class_list().remove_1("running");
        match outcome {
            Outcome::Stopped { elapsed } => {
                self.set_state(
                    State::Stopped,
                    &format!(
                        "Stopped at {}. Its futures were dropped and their timers cleared: nothing more will print.",
                        secs(elapsed)
                    ),
                );
            }
            Outcome::Finished { elapsed } => {
                let lines = run.lines();
                let verdict = self.expected.borrow().check(
                    &lines,
                    &run.spans(),
                    elapsed,
                    run.clock().speed(),
                );
                let items = self.output.children();
                for (i, ok) in verdict.line_ok.iter().enumerate() {
                    if let Some(li) = items.item(i as u32) {
                        li.set_class_name(if *ok { "ok" } else { "bad" });
                    }
                }
                let (expected_total, timed) = {
                    let e = self.expected.borrow();
                    (e.total, e.timed)
                };
                if verdict.matched() {
                    let took = if timed {
                        format!("took {} (expected {})", secs(elapsed), secs(expected_total))
                    } else {
                        format!("took {} on this machine", secs(elapsed))
                    };
                    self.set_state(
                        State::Matched,
                        &format!(
                            "✓ Matches the expected output: {} line{}, {took}.",
                            lines.len(),
                            if lines.len() == 1 { "" } else { "s" },
                        ),
                    );
                } else {
                    self.set_state(State::Differed, "✗ Differs from the expected output:");
                    let ul = add(&self.status, el("ul", "problems"));
                    for p in &verdict.problems {
                        add(&ul, text_el("li", "", p));
                    }
                }
            }
        }
        self.stepper.update(&run.record());
        self.draw(None);
        self.show_loop();
        // The step an address asked for, or the one the reader is on.
        if let Some(step) = self.wanted_step.take().or(self.stepper.step()) {
            self.step_to(step);
        }
    }

    fn set_state(&self, state: State, message: &str) {
        attr(&self.status, "data-state", state.as_str());
        attr(&self.section, "data-state", state.as_str());
        self.status.set_text_content(Some(message));
    }

    /// Redraws the timeline, for instance once the section is shown or the
    /// window changed width.
    pub fn redraw(&self) {
        self.draw(self.running_for());
    }

    /// Tutorial seconds since the current run started, while it runs.
    fn running_for(&self) -> Option<f64> {
        self.run
            .borrow()
            .as_ref()
            .filter(|r| r.outcome().is_none())
            .map(|r| r.clock().elapsed())
    }

    /// Redraws the timeline of a run in progress (called every frame), if
    /// the lesson is shown: a hidden one is redrawn when it is shown, and
    /// drawing it meanwhile would only take time from the runs.
    pub fn tick(&self) {
        if self.section.has_attribute("hidden") {
            return;
        }
        if let Some(now) = self.running_for() {
            if let Some(run) = self.run.borrow().as_ref() {
                self.stepper.update(&run.record());
            }
            self.draw(Some(now));
        }
    }

    fn draw(&self, now: Option<f64>) {
        let run = self.run.borrow().clone();
        let spans = run.as_ref().map(|r| r.spans()).unwrap_or_default();
        // The lines are only for the marks' words, drawn once the run ended.
        let lines = match (&run, now) {
            (Some(r), None) => r.lines(),
            _ => Vec::new(),
        };
        let record = run.as_ref().map(|r| r.record());
        let expected = self.expected.borrow();
        let width = f64::from(self.timeline.client_width());
        self.timeline.set_inner_html(&timeline::svg(
            width,
            &Picture {
                expected: &expected.spans,
                spans: &spans,
                record: record.as_deref(),
                lines: &lines,
                now,
                // The time of the step shown, if the reader is stepping.
                cursor: self
                    .stepper
                    .event()
                    .and_then(|i| record.as_deref()?.events.get(i))
                    .map(|e| e.at.0),
                total: expected.total,
                timed: expected.timed,
                speed: run.as_ref().map_or(1.0, |r| r.clock().speed().factor()),
            },
        ));
        drop(record);
        if let Some(progress) = &self.progress {
            let bars = html! {
                @for e in &expected.spans {
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
            progress.set_inner_html(&bars.into_string());
        }
    }
}
