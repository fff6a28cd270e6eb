//! One lesson on the page, once the module has taken it over: the
//! controller of its parts. It wires their events, starts and stops the
//! run ([`LessonView::start`], [`LessonView::stop`]), hears what the run
//! prints and how it ends, and steps through its record. Each part renders
//! its own markup at build time and finds its own elements: the
//! [`controls`](super::controls) and [`status`](super::status) line, the
//! [`output`](super::output_panel) and [`expected`](super::expected_panel)
//! panels, the [`timeline`](super::timeline_panel), the
//! [`stage`](super::stage), the [`stepper`](super::stepper) and
//! [`loop_panel`](super::loop_panel). The lesson's text and listings are
//! rendered at build time ([`site`](crate::site)) and never touched here.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::{JsCast, JsValue};
use web_sys::Element;

use super::address;
use super::address::Step;
use super::code_editor::CodeEditor;
use super::controls::Controls;
use super::dom::{event_within, find, find_all, listen, EventListener};
use super::expected_panel::ExpectedPanel;
use super::heartbeat::{self, Heartbeat};
use super::loop_panel::LoopPanel;
use super::loop_words::Times;
use super::output_panel::OutputPanel;
use super::program::{Language, Program};
use super::stage;
use super::status::StatusLine;
use super::stepper::Stepper;
use super::timeline_panel::TimelinePanel;
use super::toc;
#[cfg(feature = "python")]
use crate::lessons::requests::PYTHON_BASE;
use crate::lessons::{Expected, Lesson, View};
use crate::rt::{Event, Outcome, Run, Speed, SpeedError};

/// The event a lesson's section sends when the reader asks for its Python
/// and this module has no interpreter; its `detail` is the lesson's id.
pub const WANTS_PYTHON: &str = "tour:wants-python";

/// Reads the page's speed control.
pub type SpeedSource = Rc<dyn Fn() -> Result<Speed, SpeedError>>;

/// A lesson's section of the page.
pub struct LessonView {
    lesson: &'static Lesson,
    section: Element,
    heading: Element,
    nav_link: Element,
    controls: Controls,
    status: StatusLine,
    output: OutputPanel,
    expected_panel: ExpectedPanel,
    timeline: TimelinePanel,
    loop_panel: LoopPanel,
    stepper: Stepper,
    /// The Python listing, and its editor once the reader edits.
    editor: Rc<CodeEditor>,
    /// Whether the current or last run is held to an expected output (the
    /// reader's own code is not).
    judged: Cell<bool>,
    /// Where the lesson shows the page it loads (View::Page).
    stage: Option<Element>,
    /// A step the address asked for (`#gather/step/7`, from 1), shown
    /// once the run it started has ended.
    wanted_step: Cell<Option<usize>>,
    speed: SpeedSource,
    run: RefCell<Option<Run>>,
    /// The language of the current or last run's program.
    language: Cell<Language>,
    /// What the current or last run wrote to standard error (a Python
    /// program's warnings and traceback), and whether it failed.
    stderr: RefCell<Option<Rc<RefCell<String>>>>,
    failed: RefCell<Rc<Cell<bool>>>,
    /// Whether the run is the Python's while the fields hold other values
    /// than the listing's (the status says they did not apply).
    as_written: Cell<bool>,
    expected: RefCell<Expected>,
    listeners: RefCell<Vec<EventListener>>,
}

impl LessonView {
    /// Takes over the lesson's `section`, rendered at build time
    /// ([`site`](crate::site)): has each part find its elements, wires
    /// them, and enables Run.
    pub fn attach(
        lesson: &'static Lesson,
        section: Element,
        nav_link: Element,
        speed: SpeedSource,
        heartbeat: &Heartbeat,
    ) -> Result<Rc<LessonView>, JsValue> {
        let s = &section;
        if let Some(note) = heartbeat::in_note(s) {
            heartbeat.attach(&note)?;
        }
        let editor = CodeEditor::attach(lesson, s)?;
        let view = Rc::new(LessonView {
            lesson,
            heading: find(s, "h1")?,
            nav_link,
            controls: Controls::attach(lesson, s)?,
            status: StatusLine::attach(s)?,
            output: OutputPanel::attach(lesson, s)?,
            expected_panel: ExpectedPanel::attach(lesson, s)?,
            timeline: TimelinePanel::attach(lesson, s)?,
            loop_panel: LoopPanel::attach(s)?,
            stepper: Stepper::attach(lesson, s, Rc::clone(&editor))?,
            editor,
            judged: Cell::new(true),
            stage: (lesson.view == View::Page)
                .then(|| stage::find_in(s))
                .transpose()?,
            wanted_step: Cell::new(None),
            speed,
            run: RefCell::new(None),
            language: Cell::new(Language::Rust),
            stderr: RefCell::default(),
            failed: RefCell::default(),
            as_written: Cell::new(false),
            expected: RefCell::new(Expected::new()),
            listeners: RefCell::default(),
            section,
        });
        view.wire();
        // A page another module ran lessons on (this one took it over to
        // run Python) keeps their output: a section that is not idle. This
        // view has none of their runs, so it starts them afresh.
        let idle = super::status::LessonState::Idle.as_str();
        if view
            .section
            .get_attribute("data-state")
            .is_some_and(|state| state != idle)
        {
            view.output.clear();
            view.stepper.forget();
            view.loop_panel.clear(super::loop_panel::UNRUN);
        }
        view.status.idle(lesson.has_rust());
        // The page shows the expected output for the defaults already;
        // render it again only if the fields hold other values (a browser
        // that restored them).
        match view.controls.read() {
            Ok(args) if args == lesson.defaults() => {
                *view.expected.borrow_mut() = (lesson.expected)(&args);
            }
            _ => view.refresh_expected(),
        }
        view.controls.running(false);
        Ok(view)
    }

    fn wire(self: &Rc<Self>) {
        let form = self.controls.form();
        let [back, next, range] = self.stepper.controls();
        let [edit, reset, copy_link] = self.editor.buttons();
        let mut listeners = vec![
            listen(self, form, "submit", |v, e| {
                e.prevent_default();
                v.start();
            }),
            listen(self, self.controls.python_button(), "click", |v, _| {
                v.start_python()
            }),
            listen(self, self.controls.stop_button(), "click", |v, _| v.stop()),
            listen(self, form, "input", |v, _| v.refresh_expected()),
            listen(self, self.loop_panel.toggle(), "click", |v, _| {
                v.loop_panel.flip();
                v.show_loop();
            }),
            listen(self, &edit, "click", |v, _| v.editor.open(None, true)),
            listen(self, &reset, "click", |v, _| v.editor.reset()),
            listen(self, &copy_link, "click", |v, _| v.editor.copy_link()),
            // A click on the listing (not a selection) edits it there.
            listen(self, self.editor.listing(), "click", |v, _| {
                let selecting = web_sys::window()
                    .and_then(|w| w.get_selection().ok().flatten())
                    .is_some_and(|s| !s.is_collapsed());
                if !selecting {
                    v.editor.open(None, true);
                }
            }),
            // A traceback's `line N`: the editor's cursor goes there.
            listen(self, self.output.stderr(), "click", |v, e| {
                let line = event_within(e, "button.tb-line")
                    .and_then(|b| b.get_attribute("data-line"))
                    .and_then(|n| n.parse().ok());
                if let Some(line) = line {
                    v.editor.go_to(line);
                }
            }),
            listen(self, &back, "click", |v, _| v.step_by("back")),
            listen(self, &next, "click", |v, _| v.step_by("next")),
            listen(self, &range, "input", |v, _| v.step_to(v.stepper.slider())),
        ];
        // ← → Home End anywhere on the bar; the slider's own handling is
        // replaced, so every browser steps the same way.
        if let Some(bar) = range.parent_element() {
            listeners.push(listen(self, &bar, "keydown", |v, e| {
                let key = e
                    .dyn_ref::<web_sys::KeyboardEvent>()
                    .map(web_sys::KeyboardEvent::key);
                if let Some(step) = key.and_then(|key| v.stepper.wanted(&key)) {
                    e.prevent_default();
                    v.step_to(step);
                }
            }));
        }
        if let Ok(tries) = find(&self.section, ".try-this") {
            for b in find_all(&tries, "button.try") {
                let _ = b.remove_attribute("disabled");
            }
            // An experiment: its edit, in the editor.
            listeners.push(listen(self, &tries, "click", |v, e| {
                if let Some(b) = event_within(e, "button.try") {
                    let from = b.get_attribute("data-from").unwrap_or_default();
                    let to = b.get_attribute("data-to").unwrap_or_default();
                    v.editor.try_edit(&from, &to);
                }
            }));
        }
        *self.listeners.borrow_mut() = listeners;
    }

    /// The lesson shown here.
    pub fn lesson(&self) -> &'static Lesson {
        self.lesson
    }

    /// Runs the lesson's Python, as the page shows it (the listing, or
    /// the reader's code in the editor), on the tour's interpreter. A
    /// listing that fetches from a local server (`BASE`) fetches from this
    /// page's own.
    #[cfg(feature = "python")]
    pub fn start_python(self: &Rc<Self>) {
        let mut source = self.editor.source();
        // The reader's own program is never held to an expected output.
        let judged = self.lesson.has_rust() && self.editor.is_lessons(&source);
        if !source.ends_with('\n') {
            source.push('\n');
        }
        let here = web_sys::window().and_then(|w| w.location().href().ok());
        let base = here
            .and_then(|h| web_sys::Url::new_with_base(".", &h).ok())
            .map(|u| u.href());
        if let Some(base) = base.filter(|_| source.contains(PYTHON_BASE)) {
            if base.starts_with("file:") {
                return self.status.refused(
                    "this Python fetches files from the page's server, and a page opened \
                     from a file has none. Serve the tour to run it (see the note at the top \
                     of the lesson)",
                );
            }
            source = source.replace(PYTHON_BASE, &base);
        }
        self.start_program(Program::Python {
            lesson: self.lesson,
            source: source.into(),
            judged,
        });
    }

    /// Without the interpreter in this module: asks the page for the
    /// module that has it (`www/main.js` loads it, hands the page over
    /// to it and presses Run the Python again).
    #[cfg(not(feature = "python"))]
    pub fn start_python(self: &Rc<Self>) {
        if self.is_running() {
            return;
        }
        self.status.set(
            super::status::LessonState::Running,
            "Loading the tour's Python interpreter (the first time only)…",
        );
        self.controls.waiting();
        let init = web_sys::CustomEventInit::new();
        init.set_bubbles(true);
        init.set_detail(&self.lesson.id.into());
        if let Ok(event) = web_sys::CustomEvent::new_with_event_init_dict(WANTS_PYTHON, &init) {
            let _ = self.section.dispatch_event(&event);
        }
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

    fn is_running(&self) -> bool {
        self.run
            .borrow()
            .as_ref()
            .is_some_and(|r| r.outcome().is_none())
    }

    /// Recomputes the expected output from the fields, or says what is
    /// wrong with them.
    fn refresh_expected(&self) {
        let checked = self.controls.read();
        self.controls.say(&checked);
        if let (Ok(args), false) = (checked, self.is_running()) {
            let e = (self.lesson.expected)(&args);
            self.expected_panel.show(&e);
            *self.expected.borrow_mut() = e;
            self.draw(None);
        }
    }

    /// Runs the lesson's Rust with the values on the page (the reader's
    /// own program, which has none: its Python).
    pub fn start(self: &Rc<Self>) {
        if !self.lesson.has_rust() {
            return self.start_python();
        }
        self.start_program(Program::Rust(self.lesson));
    }

    /// Runs `program` with the values on the page (a Python program has
    /// its own). Does nothing while a run is going; refuses bad input with
    /// a message.
    fn start_program(self: &Rc<Self>, program: Program) {
        if self.is_running() {
            return;
        }
        self.as_written.set(false);
        let speed = match (self.speed)() {
            _ if !self.lesson.paced => Speed::REAL_TIME,
            Ok(s) => s,
            Err(e) => return self.status.refused(e),
        };
        let args = match (&program, self.controls.read()) {
            (Program::Rust(_), Ok(a)) => a,
            (Program::Rust(_), Err(e)) => return self.status.refused(e),
            #[cfg(feature = "python")]
            (Program::Python { .. }, read) => {
                let defaults = self.lesson.defaults();
                self.as_written.set(read.ok().as_ref() != Some(&defaults));
                defaults
            }
        };
        if let Some(address) = self.controls.file_address(&args) {
            // A framed page of another site keeps its title to itself, so
            // only a fetching lesson can take a full address instead.
            let or_else = match self.lesson.view {
                View::Page => "",
                _ => ", or give a full http(s) address",
            };
            return self.status.refused(format_args!(
                "{address} is a file beside this page, and a page opened from a file may not \
                 fetch or frame files. Serve the tour to run this lesson (see the note at the \
                 top of the lesson){or_else}"
            ));
        }
        let expected = program.expected(&args);
        self.judged.set(expected.is_some());
        match &expected {
            Some(e) => self.expected_panel.show(e),
            None => self.expected_panel.unjudged(),
        }
        *self.expected.borrow_mut() = expected.unwrap_or_default();
        self.editor.clear_error();
        self.output.clear();
        self.stepper.reset();
        if self.wanted_step.get().is_none() {
            address::show(self.lesson.id, None);
        }
        self.language.set(program.language());
        self.status
            .running(program.language(), self.lesson.paced.then_some(speed));
        self.note_as_written();
        self.loop_panel
            .clear("Recording every poll and wake: the list shows here when the run ends.");
        self.timeline.hint();
        self.controls.running(true);
        toc::mark_running(&self.nav_link, true);

        // The last run's picture goes, and the page is laid out for the
        // new one, before the clock starts: that layout is the page's work,
        // not the lesson's (in WebKit painting in software it took tens of
        // milliseconds, which the first timers lost).
        *self.run.borrow_mut() = None;
        self.draw(Some(0.0));

        let weak = Rc::downgrade(self);
        let started = program.start(args, speed, move |run, event| {
            if let Some(v) = weak.upgrade() {
                v.on_event(run, event);
            }
        });
        let started = match started {
            Ok(started) => started,
            Err(error) => {
                // A Python source that does not compile: CPython's report,
                // where a terminal would show it, and the mark in the
                // editor where the reader typed it.
                self.controls.running(false);
                toc::mark_running(&self.nav_link, false);
                self.output.error(&error.report);
                if error.line > 0 {
                    self.editor
                        .mark_error(error.line, error.column, &error.message);
                }
                return self.status.refused(format_args!(
                    "the {} has an error on line {}: {}",
                    program.language().name(),
                    error.line,
                    error.message
                ));
            }
        };
        let run = started.run;
        if let Some(stage) = &self.stage {
            run.set_stage(stage.clone());
        }
        *self.stderr.borrow_mut() = started.stderr;
        *self.failed.borrow_mut() = started.failed;
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
                    // Printed after the step shown: it shows when the
                    // reader steps to it.
                    self.output.push(line, self.stepper.step().is_some());
                }
            }
            Event::Span(_) => {}
            Event::Ended(outcome) => self.ended(run, outcome),
        }
    }

    fn ended(&self, run: &Run, outcome: Outcome) {
        self.controls.running(false);
        toc::mark_running(&self.nav_link, false);
        let stderr = self.stderr.borrow().as_ref().map(|e| e.borrow().clone());
        self.output.error(stderr.as_deref().unwrap_or_default());
        match outcome {
            Outcome::Stopped { elapsed } => self.status.stopped(elapsed),
            Outcome::Finished { .. } if self.failed.borrow().get() => {
                let stderr = stderr.unwrap_or_default();
                self.status
                    .raised(stderr.lines().last().unwrap_or_default());
            }
            Outcome::Finished { elapsed } if !self.judged.get() => {
                self.status.ran(run.lines().len(), elapsed);
            }
            Outcome::Finished { elapsed } => {
                let lines = run.lines();
                let expected = self.expected.borrow();
                let verdict = expected.check(&lines, &run.spans(), elapsed, run.clock().speed());
                self.output.mark(&verdict.line_ok);
                let total = expected.timed.then_some(expected.total);
                self.status
                    .finished(self.language.get(), &verdict, lines.len(), elapsed, total);
            }
        }
        self.note_as_written();
        self.stepper.update(&run.record());
        self.draw(None);
        self.show_loop();
        // The step an address asked for, or the one the reader is on.
        if let Some(step) = self.wanted_step.take().or(self.stepper.step()) {
            self.step_to(step);
        }
    }

    /// Says, of a Python run while the fields hold other values, that they
    /// set the Rust's values: the Python runs as its listing is written.
    fn note_as_written(&self) {
        if self.as_written.get() {
            self.status.note(
                "The Python runs as written, with the tutorial's values: the fields above set the Rust's.",
            );
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
    /// cursor, the loop's row and the listings' lines, and puts the step
    /// in the address. Runs nothing.
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
        self.output.show_first(shown.printed);
        self.loop_panel.mark(Some(shown.event));
        self.draw(self.running_for());
        let python = self.language.get() == Language::Python;
        let step = self.stepper.step().map(|s| Step { n: s + 1, python });
        address::show(self.lesson.id, step);
    }

    /// Opens the editor with the code a code link carries.
    pub fn open_code(&self, packed: &str) {
        self.editor.open_packed(packed.to_string());
    }

    /// Runs the lesson (its Rust, or its Python for a Python step) and,
    /// once it has ended, shows `step`: what opening a step's address
    /// does.
    pub fn open_step(self: &Rc<Self>, step: Step) {
        self.stop();
        self.wanted_step.set(Some(step.n.saturating_sub(1)));
        if self.is_running() {
            return; // it ends at once; `ended` takes the step from there
        }
        if step.python {
            self.start_python();
        } else {
            self.start();
        }
    }

    /// Once the section is shown: redraws the timeline, and opens the
    /// editor (loading it the first time) with the edits the reader kept
    /// here, or for the reader's own program in any case.
    pub fn shown(self: &Rc<Self>) {
        self.redraw();
        self.editor.restore(!self.lesson.has_rust());
    }

    /// Redraws the timeline, for instance once the section is shown or the
    /// window changed width.
    pub fn redraw(&self) {
        self.draw(self.running_for());
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

    /// Tutorial seconds since the current run started, while it runs.
    fn running_for(&self) -> Option<f64> {
        self.run
            .borrow()
            .as_ref()
            .filter(|r| r.outcome().is_none())
            .map(|r| r.clock().elapsed())
    }

    fn draw(&self, now: Option<f64>) {
        let run = self.run.borrow().clone();
        self.timeline.draw(
            run.as_ref(),
            &self.expected.borrow(),
            now,
            self.stepper.event(),
        );
    }
}
