//! One lesson on the page: its text, the two listings, the inputs, Run and
//! Stop, the live output beside the expected output, and the timeline.

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlButtonElement, HtmlInputElement, HtmlTextAreaElement};

use super::dom::{add, attr, el, escape, prose, secs, text_el, Listener};
use super::heartbeat::Heartbeat;
use super::highlight::{highlight, Lang};
use super::loop_panel::LoopPanel;
use super::timeline::{self, Picture};
use crate::lessons::{Args, Expected, Kind, Lesson, Param, ParamError, Value, View};
use crate::rt::{Event, Outcome, Run, Speed, SpeedError};

/// What the line under the timeline says until a mark is pointed at.
const MARK_HINT: &str = "Point at or focus a mark (Tab) to read what the loop did there.";

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
    progress: Option<Element>,
    /// Where the lesson shows the page it loads (View::Page).
    stage: Option<Element>,
    speed: SpeedSource,
    run: RefCell<Option<Run>>,
    expected: RefCell<Expected>,
    listeners: RefCell<Vec<Listener>>,
}

impl LessonView {
    /// Builds the lesson's section inside `parent`.
    pub fn build(
        lesson: &'static Lesson,
        parent: &Element,
        nav_link: Element,
        speed: SpeedSource,
        heartbeat: &Heartbeat,
    ) -> Rc<LessonView> {
        let section = add(parent, el("section", "lesson"));
        attr(&section, "id", lesson.id);
        attr(&section, "data-lesson", lesson.id);
        attr(&section, "aria-labelledby", &format!("{}-title", lesson.id));

        let head = add(&section, el("header", "lesson-head"));
        add(
            &head,
            text_el(
                "p",
                "chapter",
                &format!(
                    "Chapter {} · {}",
                    lesson.chapter.number(),
                    lesson.chapter.title()
                ),
            ),
        );
        let heading = add(
            &head,
            text_el("h1", "", &format!("{}. {}", lesson.number, lesson.title)),
        );
        attr(&heading, "id", &format!("{}-title", lesson.id));
        attr(&heading, "tabindex", "-1");

        let explain = add(&section, el("div", "explain"));
        explain.set_inner_html(&prose(lesson.explanation));
        if matches!(lesson.view, View::Blocking | View::Models) {
            let aside = add(&section, el("aside", "blocking-note"));
            add(
                &aside,
                text_el(
                    "p",
                    "",
                    "Keep an eye on this heartbeat while the lesson runs. It moves once per drawn frame, \
                     so it stops dead whenever the page's thread is blocked.",
                ),
            );
            heartbeat.attach(&aside);
        }

        if lesson.view == View::Models {
            comparison_table(&section);
        }

        let pair = add(&section, el("div", "code-pair"));
        code_figure(&pair, "Python", "python", lesson.python, Lang::Python);
        code_figure(
            &pair,
            "Rust: the code that runs",
            "rust",
            lesson.listing,
            Lang::Rust,
        );

        let controls = add(&section, el("form", "controls"));
        attr(&controls, "novalidate", "");
        let mut inputs = Vec::new();
        if !lesson.params.is_empty() {
            let fields = add(&controls, el("div", "params"));
            for p in lesson.params {
                let label = add(&fields, el("label", "param"));
                add(&label, text_el("span", "", p.label));
                inputs.push(Field::build(&label, p));
            }
        }
        let param_msg = add(&controls, el("p", "param-msg"));
        attr(&param_msg, "role", "alert");
        let actions = add(&controls, el("div", "actions"));
        let run_button = button(&actions, "Run", "run primary");
        attr(&run_button, "type", "submit");
        let stop_button = button(&actions, "Stop", "stop");
        attr(&stop_button, "type", "button");
        stop_button.set_disabled(true);
        let status = add(&actions, el("div", "status"));
        attr(&status, "role", "status");
        attr(&status, "aria-live", "polite");

        let results = add(&section, el("div", "results"));
        let out_panel = add(&results, el("div", "panel output"));
        add(&out_panel, text_el("h2", "", "Output"));
        let output = add(&out_panel, el("ol", "lines"));
        attr(
            &output,
            "aria-label",
            "Output of the run, with the time of each line",
        );
        let exp_panel = add(&results, el("div", "panel expected"));
        add(&exp_panel, text_el("h2", "", "Expected"));
        let expected_list = add(&exp_panel, el("ol", "lines"));
        let expected_total = add(&exp_panel, el("p", "total"));

        let stage = (lesson.view == View::Page).then(|| {
            let fig = add(&section, el("figure", "panel stage"));
            add(
                &fig,
                text_el(
                    "figcaption",
                    "",
                    "The loaded page, shrunk to a third: this page's stand-in for a screenshot",
                ),
            );
            let stage = add(&fig, el("div", "stage-box"));
            add(
                &stage,
                text_el("p", "stage-empty", "Press Run to load the page here."),
            );
            stage
        });

        let tl_panel = add(&section, el("div", "panel timeline"));
        add(&tl_panel, text_el("h2", "", "Timeline"));
        let progress =
            (lesson.view == View::Progress).then(|| add(&tl_panel, el("div", "progress")));
        let timeline = add(&tl_panel, el("div", "timeline-box"));
        let mark_say = add(&tl_panel, text_el("p", "mark-say", MARK_HINT));
        attr(&mark_say, "aria-live", "polite");
        add(
            &tl_panel,
            text_el(
                "p",
                "legend",
                "A lane per task or named future. Dark marks: polled, and for how long. Dashed: \
                 waiting, on what it says. Dots: woken. Outlines: when each should run. Bars end \
                 to end ran one after another; side by side, concurrently.",
            ),
        );
        let loop_panel = LoopPanel::build(&section, lesson.id);

        let view = Rc::new(LessonView {
            lesson,
            section,
            heading,
            nav_link,
            inputs,
            param_msg,
            run_button,
            stop_button,
            status,
            output,
            expected_list,
            expected_total,
            timeline,
            mark_say,
            loop_panel,
            progress,
            stage,
            speed,
            run: RefCell::new(None),
            expected: RefCell::new(Expected::new()),
            listeners: RefCell::default(),
        });
        view.wire(&controls);
        view.set_state(
            State::Idle,
            "Press Run to run the Rust on your browser's event loop.",
        );
        view.refresh_expected();
        view
    }

    fn wire(self: &Rc<Self>, controls: &Element) {
        let mut listeners = self.listeners.borrow_mut();
        let weak = Rc::downgrade(self);
        listeners.push(Listener::new(controls, "submit", {
            let weak = weak.clone();
            move |e| {
                e.prevent_default();
                if let Some(v) = weak.upgrade() {
                    v.start();
                }
            }
        }));
        listeners.push(Listener::new(&self.stop_button, "click", {
            let weak = weak.clone();
            move |_| {
                if let Some(v) = weak.upgrade() {
                    v.stop();
                }
            }
        }));
        listeners.push(Listener::new(controls, "input", {
            let weak = weak.clone();
            move |_| {
                if let Some(v) = weak.upgrade() {
                    v.refresh_expected();
                }
            }
        }));
        listeners.push(Listener::new(self.loop_panel.toggle(), "click", {
            let weak = weak.clone();
            move |_| {
                if let Some(v) = weak.upgrade() {
                    v.loop_panel.flip();
                    v.show_loop();
                }
            }
        }));
        // A mark's words show under the timeline when it is pointed at,
        // tapped or focused.
        for event in ["pointerover", "focusin", "click"] {
            let weak = weak.clone();
            listeners.push(Listener::new(&self.timeline, event, move |e| {
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
        }
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
        let mut html = String::new();
        for (i, line) in e.lines.iter().enumerate() {
            let shares = |j: Option<usize>| {
                j.and_then(|j| e.lines.get(j))
                    .is_some_and(|l| l.group == line.group)
            };
            let either = shares(i.checked_sub(1)) || shares(Some(i + 1));
            let when = if e.timed {
                format!("≈{}", secs(line.at))
            } else {
                String::new()
            };
            html.push_str(&format!(
                "<li{}><time>{}</time><samp>{}</samp></li>",
                if either { " class=\"either\"" } else { "" },
                escape(&when),
                escape(&line.text.to_string())
            ));
        }
        self.expected_list.set_inner_html(&html);
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
        self.expected_total.set_text_content(Some(&format!(
            "{} line{plural} {order}; {when}.",
            e.lines.len(),
        )));
    }

    fn is_running(&self) -> bool {
        self.run
            .borrow()
            .as_ref()
            .is_some_and(|r| r.outcome().is_none())
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
        let expected = (self.lesson.expected)(&args);
        self.show_expected(&expected);
        *self.expected.borrow_mut() = expected;
        self.output.set_inner_html("");
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
        self.draw(Some(0.0));
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
        self.draw(None);
        self.show_loop();
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
                total: expected.total,
                timed: expected.timed,
                speed: run.as_ref().map_or(1.0, |r| r.clock().speed().factor()),
            },
        ));
        drop(record);
        if let Some(progress) = &self.progress {
            let mut html = String::new();
            for e in &expected.spans {
                let got = spans.iter().find(|s| s.label == e.label);
                let length = (e.end - e.start).max(f64::EPSILON);
                let fraction = match got {
                    Some(s) if s.end.is_some() => 1.0,
                    Some(s) => ((now.unwrap_or(s.start) - s.start) / length).clamp(0.0, 0.99),
                    None => 0.0,
                };
                html.push_str(&format!(
                    "<div class=\"progress-row\"><span class=\"name\">{}</span>\
                     <span class=\"bar-track\"><span class=\"bar-fill\" style=\"width:{:.1}%\"></span></span>\
                     <span class=\"pct\">{:.0}%</span></div>",
                    escape(&e.label),
                    fraction * 100.0,
                    fraction * 100.0
                ));
            }
            progress.set_inner_html(&html);
        }
    }
}

/// Python's three models beside what a browser page has (lesson 18).
fn comparison_table(parent: &Element) {
    let mut html = String::from(
        "<caption>Python's models, and what a browser page has instead</caption>\
         <thead><tr><th scope=\"col\">Model</th><th scope=\"col\">Python</th>\
         <th scope=\"col\">In the browser</th></tr></thead><tbody>",
    );
    for [model, python, browser] in &crate::lessons::models::COMPARISON {
        html.push_str(&format!(
            "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td></tr>",
            escape(model),
            prose_inline(python),
            prose_inline(browser)
        ));
    }
    html.push_str("</tbody>");
    let table = add(parent, el("table", "models"));
    table.set_inner_html(&html);
}

/// One paragraph of [`prose`], without the `<p>`.
fn prose_inline(text: &str) -> String {
    let html = prose(text);
    html.strip_prefix("<p>")
        .and_then(|h| h.strip_suffix("</p>"))
        .unwrap_or(&html)
        .to_string()
}

/// An input for one [`Param`]: a number box, or a text box for lines.
enum Field {
    Number(HtmlInputElement),
    Line(HtmlInputElement),
    Lines(HtmlTextAreaElement),
}

impl Field {
    fn build(label: &Element, p: &Param) -> Field {
        match p.kind {
            Kind::Number {
                default,
                min,
                max,
                whole,
            } => {
                let input = input(label);
                input.set_type("number");
                input.set_min(&min.to_string());
                input.set_max(&max.to_string());
                input.set_step(if whole { "1" } else { "any" });
                input.set_value(&default.to_string());
                attr(
                    &input,
                    "inputmode",
                    if whole { "numeric" } else { "decimal" },
                );
                input.set_name(p.key);
                Field::Number(input)
            }
            Kind::Lines { default, max: 1 } => {
                let input = input(label);
                input.set_type("text");
                input.set_value(default);
                input.set_name(p.key);
                attr(&input, "spellcheck", "false");
                attr(&input, "autocomplete", "off");
                let _ = label.class_list().add_1("wide");
                Field::Line(input)
            }
            Kind::Lines { default, .. } => {
                let area: HtmlTextAreaElement = add(label, el("textarea", ""))
                    .dyn_into()
                    .expect("a <textarea> element is an HtmlTextAreaElement");
                area.set_value(default);
                area.set_name(p.key);
                area.set_rows(default.lines().count().max(3) as u32 + 1);
                attr(&area, "spellcheck", "false");
                let _ = label.class_list().add_1("wide");
                Field::Lines(area)
            }
        }
    }

    fn value(&self) -> Value {
        match self {
            // The browser parses the number: NaN when empty or not one.
            Field::Number(i) => Value::Number(i.value_as_number()),
            Field::Line(i) => Value::Text(i.value()),
            Field::Lines(a) => Value::Text(a.value()),
        }
    }

    fn element(&self) -> &Element {
        match self {
            Field::Number(i) | Field::Line(i) => i,
            Field::Lines(a) => a,
        }
    }
}

fn input(label: &Element) -> HtmlInputElement {
    add(label, el("input", ""))
        .dyn_into()
        .expect("an <input> element is an HtmlInputElement")
}

fn code_figure(parent: &Element, caption: &str, class: &str, src: &str, lang: Lang) {
    let fig = add(parent, el("figure", &format!("code {class}")));
    add(&fig, text_el("figcaption", "", caption));
    let pre = add(&fig, el("pre", ""));
    attr(&pre, "tabindex", "0");
    let code = add(&pre, el("code", ""));
    code.set_inner_html(&highlight(src, lang));
}

fn button(parent: &Element, label: &str, class: &str) -> HtmlButtonElement {
    add(parent, text_el("button", class, label))
        .dyn_into()
        .expect("a <button> element is an HtmlButtonElement")
}
