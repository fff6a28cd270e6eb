//! The page, built with plain `web-sys` from the lesson data.
//!
//! [`mount`] builds the header (speed and heartbeat), the lesson list
//! grouped by chapter, and one [`LessonView`] per lesson, then shows the
//! lesson the address names (`#gather`). A lesson's view draws its run's
//! record on the [`timeline`] and lists it in words in the
//! [`loop_panel`], both with the words of [`loop_words`]. Several lessons can run at once;
//! moving between them leaves their runs going.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use web_sys::{Element, HtmlInputElement};

pub mod dom;
pub mod heartbeat;
pub mod highlight;
pub mod lesson_view;
pub mod loop_panel;
pub mod loop_words;
pub mod timeline;

use crate::lessons::{self, Chapter};
use crate::rt::Speed;
use dom::{add, attr, document, el, text_el, window, Listener};
use heartbeat::Heartbeat;
pub use lesson_view::{LessonView, State};

/// The mounted tour.
pub struct App {
    root: Element,
    views: Vec<Rc<LessonView>>,
    notice: Element,
    heartbeat: Rc<Heartbeat>,
    listeners: RefCell<Vec<Listener>>,
}

thread_local! {
    static MOUNTED: RefCell<Vec<Rc<App>>> = const { RefCell::new(Vec::new()) };
}

/// Mounts the tour in the element with id `root_id` and keeps it for the
/// life of the page.
pub fn mount_by_id(root_id: &str) -> Result<(), JsValue> {
    install_panic_hook();
    let root = document().get_element_by_id(root_id).ok_or_else(|| {
        JsValue::from_str(&format!(
            "no element with id `{root_id}` to mount the tour in"
        ))
    })?;
    let app = mount(&root);
    MOUNTED.with(|m| m.borrow_mut().push(app));
    Ok(())
}

/// Builds the tour inside `root`, replacing what was there, and shows the
/// lesson the address names. Dropping the returned app (after
/// [`App::unmount`]) removes its listeners.
pub fn mount(root: &Element) -> Rc<App> {
    root.set_inner_html("");
    let _ = root.class_list().add_1("tour");

    let top = add(root, el("header", "top"));
    let brand = add(&top, el("div", "brand"));
    add(&brand, text_el("a", "name", "async-tour"))
        .set_attribute("href", "#")
        .ok();
    add(
        &brand,
        text_el(
            "span",
            "tagline",
            "Python's asyncio, as Rust futures on your browser's event loop",
        ),
    );
    let tools = add(&top, el("div", "tools"));
    let speed_label = add(&tools, el("label", "speed"));
    add(&speed_label, text_el("span", "", "Speed"));
    let speed_input: HtmlInputElement = add(&speed_label, el("input", ""))
        .dyn_into()
        .expect("an <input> element is an HtmlInputElement");
    speed_input.set_type("number");
    speed_input.set_value("1");
    speed_input.set_min(&Speed::MIN.to_string());
    speed_input.set_max(&Speed::MAX.to_string());
    speed_input.set_step("any");
    attr(&speed_input, "list", "speeds");
    attr(&speed_input, "aria-describedby", "speed-msg");
    add(&speed_label, text_el("span", "", "×"));
    let datalist = add(&speed_label, el("datalist", ""));
    attr(&datalist, "id", "speeds");
    for s in Speed::OFFERED {
        let o = add(&datalist, el("option", ""));
        attr(&o, "value", &s.to_string());
    }
    let speed_msg = add(&tools, el("span", "speed-msg"));
    attr(&speed_msg, "id", "speed-msg");
    attr(&speed_msg, "role", "alert");
    let heartbeat = Heartbeat::start();
    heartbeat.attach(&tools);

    let layout = add(root, el("div", "layout"));
    let nav = add(&layout, el("nav", "toc"));
    attr(&nav, "aria-label", "Lessons");
    let main = add(&layout, el("main", "lessons"));
    let notice = add(&main, el("p", "notice"));
    attr(&notice, "role", "alert");
    notice.set_attribute("hidden", "").ok();

    let read_speed: lesson_view::SpeedSource = {
        let input = speed_input.clone();
        Rc::new(move || Speed::new(input.value_as_number()))
    };

    let mut views = Vec::new();
    for chapter in Chapter::ALL {
        add(
            &nav,
            text_el(
                "h2",
                "",
                &format!("{} · {}", chapter.number(), chapter.title()),
            ),
        );
        let list = add(&nav, el("ol", ""));
        for lesson in lessons::ALL.iter().filter(|l| l.chapter == chapter) {
            let li = add(&list, el("li", ""));
            let a = add(&li, el("a", ""));
            attr(&a, "href", &format!("#{}", lesson.id));
            add(&a, text_el("span", "num", &lesson.number.to_string()));
            add(&a, text_el("span", "title", lesson.title));
            views.push(LessonView::build(
                lesson,
                &main,
                a,
                read_speed.clone(),
                &heartbeat,
            ));
        }
    }
    let guide = add(&nav, el("details", "guide"));
    add(&guide, text_el("summary", "", "How to read a lesson"));
    add(
        &guide,
        text_el(
            "p",
            "",
            "Press Run: the Rust beside the Python runs for real on this page's event loop. \
             Output lists each printed line with the time it came. Expected is what the Python \
             prints, with the same numbers. The timeline draws each task as a bar over time. \
             Change a number and press Run again; the expected output follows.",
        ),
    );

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
        .push(Listener::new(&window(), "hashchange", move |_| {
            if let Some(app) = weak.upgrade() {
                app.show_from_address(true);
            }
        }));
    app.listeners
        .borrow_mut()
        .push(Listener::new(&speed_input, "input", {
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
        .push(Listener::new(&window(), "resize", move |_| {
            if let Some(app) = weak.upgrade() {
                for v in &app.views {
                    if !v.section().has_attribute("hidden") {
                        v.redraw();
                    }
                }
            }
        }));
    app.show_from_address(false);
    app
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
    /// one, with a notice, when it names no lesson.
    pub fn show_from_address(&self, focus: bool) {
        let hash = window().location().hash().unwrap_or_default();
        let id = hash.trim_start_matches('#');
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
        for a in self
            .root
            .query_selector_all(".toc a")
            .into_iter()
            .flat_map(node_list)
        {
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

    /// Stops every run, removes the page's listeners and empties the root.
    pub fn unmount(&self) {
        for v in &self.views {
            v.stop();
        }
        self.listeners.borrow_mut().clear();
        self.heartbeat.on_frame(|| {});
        self.root.set_inner_html("");
        MOUNTED.with(|m| {
            m.borrow_mut()
                .retain(|a| !std::ptr::eq(Rc::as_ptr(a), self as *const App))
        });
    }
}

fn node_list(list: web_sys::NodeList) -> impl Iterator<Item = Element> {
    (0..list.length()).filter_map(move |i| list.item(i).and_then(|n| n.dyn_into().ok()))
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
