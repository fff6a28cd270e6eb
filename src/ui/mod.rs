//! The page's interactive part, in plain `web-sys`.
//!
//! The page itself is rendered at build time ([`site`](crate::site)).
//! [`mount`] takes it over: the speed field, the heartbeat, and one
//! [`LessonView`] per lesson, then shows the lesson the address names
//! (`#gather`). A lesson's view draws its run's
//! record on the [`timeline`] and lists it in words in the
//! [`loop_panel`], both with the words of [`loop_words`]. Several lessons can run at once;
//! moving between them leaves their runs going.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use web_sys::{Element, HtmlInputElement};

pub mod dom;
pub mod expected_panel;
pub mod fields;
pub mod heartbeat;
pub mod lesson_view;
pub mod loop_panel;
pub mod loop_words;
pub mod stepper;
pub mod timeline;

use crate::lessons;
use crate::rt::Speed;
use dom::{attr, document, find, find_all, find_as, window, EventListener};
use heartbeat::Heartbeat;
pub use lesson_view::{LessonView, State};

/// The mounted tour.
pub struct App {
    root: Element,
    views: Vec<Rc<LessonView>>,
    notice: Element,
    heartbeat: Rc<Heartbeat>,
    listeners: RefCell<Vec<EventListener>>,
}

thread_local! {
    static MOUNTED: RefCell<Vec<Rc<App>>> = const { RefCell::new(Vec::new()) };
}

/// Takes over the tour rendered in the element with id `root_id` and
/// keeps it for the life of the page.
pub fn mount_by_id(root_id: &str) -> Result<(), JsValue> {
    install_panic_hook();
    let root = document().get_element_by_id(root_id).ok_or_else(|| {
        JsValue::from_str(&format!("no element with id `{root_id}` holds the tour"))
    })?;
    let app = mount(&root)?;
    MOUNTED.with(|m| m.borrow_mut().push(app));
    Ok(())
}

/// Takes over the tour that [`site::tour`](crate::site::tour) rendered
/// inside `root`: wires the speed field, the heartbeats and every lesson,
/// and shows the lesson the address names. Dropping the returned app
/// (after [`App::unmount`]) removes its listeners.
pub fn mount(root: &Element) -> Result<Rc<App>, JsValue> {
    let speed_input: HtmlInputElement = find_as(root, ".speed input")?;
    let speed_msg = find(root, ".speed-msg")?;
    let heartbeat = Heartbeat::start();
    heartbeat.attach(&find(root, ".top .heartbeat")?)?;
    let notice = find(root, ".notice")?;

    let read_speed: lesson_view::SpeedSource = {
        let input = speed_input.clone();
        Rc::new(move || Speed::new(input.value_as_number()))
    };
    let views = lessons::ALL
        .iter()
        .map(|&lesson| {
            let section = find(root, &format!("section[data-lesson=\"{}\"]", lesson.id))?;
            let link = find(root, &format!(".toc a[href=\"#{}\"]", lesson.id))?;
            LessonView::attach(lesson, section, link, read_speed.clone(), &heartbeat)
        })
        .collect::<Result<Vec<_>, JsValue>>()?;

    let app = Rc::new(App {
        root: root.clone(),
        views,
        notice,
        heartbeat,
        listeners: RefCell::default(),
    });

    let weak = Rc::downgrade(&app);
    app.heartbeat.on_frame(move || {
        if let Some(app) = weak.upgrade() {
            for v in &app.views {
                v.tick();
            }
        }
    });
    let weak = Rc::downgrade(&app);
    app.listeners
        .borrow_mut()
        .push(EventListener::new(&window(), "hashchange", move |_| {
            if let Some(app) = weak.upgrade() {
                app.show_from_address(true);
            }
        }));
    app.listeners
        .borrow_mut()
        .push(EventListener::new(&speed_input, "input", {
            let input = speed_input.clone();
            move |_| match Speed::new(input.value_as_number()) {
                Ok(_) => {
                    speed_msg.set_text_content(None);
                    let _ = input.remove_attribute("aria-invalid");
                }
                Err(e) => {
                    speed_msg.set_text_content(Some(&format!(
                        "{e}; runs are refused until it is fixed."
                    )));
                    attr(&input, "aria-invalid", "true");
                }
            }
        }));
    let weak = Rc::downgrade(&app);
    app.listeners
        .borrow_mut()
        .push(EventListener::new(&window(), "resize", move |_| {
            if let Some(app) = weak.upgrade() {
                for v in &app.views {
                    if !v.section().has_attribute("hidden") {
                        v.redraw();
                    }
                }
            }
        }));
    app.show_from_address(false);
    // From here the module says which lesson shows (see style.css).
    let _ = root.class_list().add_1("live");
    Ok(app)
}

impl App {
    /// The view of lesson `id`.
    pub fn view(&self, id: &str) -> Option<Rc<LessonView>> {
        self.views.iter().find(|v| v.lesson().id == id).cloned()
    }

    /// The element the tour is mounted in.
    pub fn root(&self) -> &Element {
        &self.root
    }

    /// Shows the lesson named by the address's `#fragment`, or the first
    /// one, with a notice, when it names no lesson. An address of a step
    /// (`#gather/step/7`) runs its lesson and lands on that step.
    pub fn show_from_address(&self, focus: bool) {
        let hash = window().location().hash().unwrap_or_default();
        let (id, step) = parse_address(&hash);
        let known = lessons::find(id).is_some();
        if !id.is_empty() && !known {
            self.notice.set_text_content(Some(&format!(
                "There is no lesson called “{id}”; here is the first one. Pick another from the list."
            )));
            let _ = self.notice.remove_attribute("hidden");
        } else {
            let _ = self.notice.set_attribute("hidden", "");
        }
        let shown = if known { id } else { lessons::ALL[0].id };
        self.show(shown, focus);
        if let (true, Some(step), Some(v)) = (known, step, self.view(id)) {
            v.open_step(step);
        }
    }

    /// Shows lesson `id` and hides the others.
    pub fn show(&self, id: &str, focus: bool) {
        for v in &self.views {
            let here = v.lesson().id == id;
            let section = v.section();
            if here {
                let _ = section.remove_attribute("hidden");
            } else {
                let _ = section.set_attribute("hidden", "");
            }
        }
        for a in find_all(&self.root, ".toc a") {
            let here = a.get_attribute("href").as_deref() == Some(&format!("#{id}"));
            if here {
                attr(&a, "aria-current", "page");
            } else {
                let _ = a.remove_attribute("aria-current");
            }
        }
        if let Some(v) = self.view(id) {
            v.redraw();
            if focus {
                v.focus();
            }
            if let Some(l) = lessons::find(id) {
                document().set_title(&format!("{}. {} · async-tour", l.number, l.title));
            }
        }
    }

    /// Stops every run and removes the page's listeners.
    pub fn unmount(&self) {
        for v in &self.views {
            v.stop();
        }
        self.listeners.borrow_mut().clear();
        self.heartbeat.on_frame(|| {});
        let _ = self.root.class_list().remove_1("live");
        MOUNTED.with(|m| {
            m.borrow_mut()
                .retain(|a| !std::ptr::eq(Rc::as_ptr(a), self as *const App))
        });
    }
}

/// The lesson id and step (from 1) an address names: `#gather` or
/// `#gather/step/7`. A step that is not a number is left out.
pub fn parse_address(hash: &str) -> (&str, Option<usize>) {
    let hash = hash.strip_prefix('#').unwrap_or(hash);
    let Some((id, rest)) = hash.split_once('/') else {
        return (hash, None);
    };
    match rest.split_once('/') {
        Some(("step", n)) => (id, n.parse().ok().filter(|&n| n > 0)),
        _ => (hash, None),
    }
}

/// Shows a panic on the page, not only in the console: the module cannot
/// go on after one, so say so and offer a reload.
fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let message = info.to_string();
        web_sys::console::error_1(&message.clone().into());
        let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        let Some(body) = doc.body() else { return };
        if let Ok(banner) = doc.create_element("div") {
            banner.set_class_name("panic");
            let _ = banner.set_attribute("role", "alert");
            banner.set_text_content(Some(&format!(
                "Something went wrong inside the tour and it has stopped: {message}. Reload the page to start again."
            )));
            let _ = body.prepend_with_node_1(&banner);
        }
    }));
}
