//! The page's interactive part, in plain `web-sys`.
//!
//! The page itself is rendered at build time ([`site`](crate::site)) from
//! the parts here: each part renders its own markup (maud) and, once the
//! module is loaded, finds its own elements in the page, so each class
//! name is written in one place. [`mount`] takes the page over: the
//! [`header`] (the speed field and the heartbeat), the [`toc`], the
//! [`notice`], and one [`LessonView`] per entry of the list (each lesson,
//! and the reader's own program), then shows the lesson
//! the [`address`] names (`#gather`). A lesson's view is the controller
//! of its parts: the [`controls`] and [`status`] line, the
//! [`output_panel`] and [`expected_panel`], the [`timeline_panel`] (the
//! [`timeline`] picture, and [`progress`] bars), the [`stage`], the
//! [`listings`], the [`stepper`] and the [`loop_panel`], whose words come from
//! [`loop_words`]. What Run runs is a [`program`]. Several lessons can run
//! at once; moving between them leaves their runs going.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use web_sys::Element;

pub mod address;
pub mod code_editor;
pub mod controls;
pub mod dom;
pub mod expected_panel;
pub mod fields;
pub mod header;
pub mod heartbeat;
pub mod lesson_view;
pub mod listings;
pub mod loop_panel;
pub mod loop_words;
pub mod notice;
pub mod output_panel;
pub mod program;
pub mod progress;
pub mod stage;
pub mod status;
pub mod stepper;
pub mod timeline;
pub mod timeline_panel;
pub mod toc;

use crate::lessons;
use dom::{document, find, listen, window, EventListener};
use header::Header;
use heartbeat::Heartbeat;
pub use lesson_view::LessonView;
use notice::Notice;
pub use status::LessonState;
use toc::Toc;

/// The mounted tour.
pub struct App {
    root: Element,
    views: Vec<Rc<LessonView>>,
    toc: Toc,
    notice: Notice,
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

/// Unmounts every tour [`mount_by_id`] took over.
pub fn unmount_all() {
    let apps = MOUNTED.with(|m| m.borrow().clone());
    for app in apps {
        app.unmount();
    }
}

/// Takes over the tour that [`site::tour`](crate::site::tour) rendered
/// inside `root`: wires the speed field, the heartbeats and every lesson,
/// and shows the lesson the address names. Dropping the returned app
/// (after [`App::unmount`]) removes its listeners.
pub fn mount(root: &Element) -> Result<Rc<App>, JsValue> {
    let header = Rc::new(Header::attach(root)?);
    let heartbeat = Heartbeat::start();
    heartbeat.attach(header.heartbeat())?;
    let toc = Toc::attach(root)?;

    let read_speed: lesson_view::SpeedSource = {
        let header = header.clone();
        Rc::new(move || header.speed())
    };
    let views = lessons::listed()
        .map(|lesson| {
            let section = find(root, &format!("section[data-lesson=\"{}\"]", lesson.id))?;
            let link = toc.link(lesson.id)?;
            LessonView::attach(lesson, section, link, read_speed.clone(), &heartbeat)
        })
        .collect::<Result<Vec<_>, JsValue>>()?;

    let app = Rc::new(App {
        root: root.clone(),
        views,
        toc,
        notice: Notice::attach(root)?,
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
    *app.listeners.borrow_mut() = vec![
        listen(&app, &window(), "hashchange", |app, _| {
            app.show_from_address(true)
        }),
        listen(&header, header.speed_field(), "input", |header, _| {
            header.check_speed()
        }),
        listen(&app, &window(), "resize", |app, _| {
            for v in app
                .views
                .iter()
                .filter(|v| !v.section().has_attribute("hidden"))
            {
                v.redraw();
            }
        }),
    ];
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
    /// (`#gather/step/7`, `#gather/python/step/7`) runs its lesson's Rust
    /// or Python and lands on that step.
    pub fn show_from_address(&self, focus: bool) {
        // A code link (`#gather/code/…`) opens its lesson with its code in
        // the editor.
        let hash = window().location().hash().unwrap_or_default();
        if let Some((id, packed)) = address::code(&hash) {
            if let Some(v) = self.view(id) {
                self.notice.say(None);
                self.show(id, focus);
                v.open_code(packed);
                return;
            }
        }
        let (id, step) = address::current();
        let known = lessons::find(&id).is_some();
        if !id.is_empty() && !known {
            self.notice.say(Some(&format!(
                "There is no lesson called “{id}”; here is the first one. Pick another from the list."
            )));
        } else {
            self.notice.say(None);
        }
        let shown = if known { &id } else { lessons::ALL[0].id };
        self.show(shown, focus);
        if let (true, Some(step), Some(v)) = (known, step, self.view(&id)) {
            v.open_step(step);
        }
    }

    /// Shows lesson `id` and hides the others.
    pub fn show(&self, id: &str, focus: bool) {
        for v in &self.views {
            let section = v.section();
            if v.lesson().id == id {
                let _ = section.remove_attribute("hidden");
            } else {
                let _ = section.set_attribute("hidden", "");
            }
        }
        self.toc.mark_current(id);
        if let Some(v) = self.view(id) {
            v.shown();
            if focus {
                v.focus();
            }
            let l = v.lesson();
            document().set_title(&format!("{}. {} · async-tour", l.number, l.title));
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
