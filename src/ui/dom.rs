//! Small helpers over `web-sys`, so the rest of the UI reads as what it
//! builds rather than how.

use std::rc::{Rc, Weak};

use wasm_bindgen::prelude::*;
use web_sys::{Document, Element, Window};

use crate::rt::Fixed;

/// The page's `window`.
pub fn window() -> Window {
    web_sys::window().expect("no global `window` exists")
}

/// The page's `document`.
pub fn document() -> Document {
    window()
        .document()
        .expect("should have a document on window")
}

/// A new element `<tag class="class">`.
pub fn el(tag: &str, class: &str) -> Element {
    let e = document()
        .create_element(tag)
        .expect("tag names used by the UI are valid");
    if !class.is_empty() {
        e.set_class_name(class);
    }
    e
}

/// A new element holding `text` (as text, never as HTML).
pub fn text_el(tag: &str, class: &str, text: &str) -> Element {
    let e = el(tag, class);
    e.set_text_content(Some(text));
    e
}

/// Appends `child` to `parent`, returning `child`.
pub fn add(parent: &Element, child: Element) -> Element {
    parent
        .append_child(&child)
        .expect("appending a new element to an element succeeds");
    child
}

/// Sets an attribute the UI controls.
pub fn attr(e: &Element, name: &str, value: &str) {
    e.set_attribute(name, value)
        .expect("attribute names used by the UI are valid");
}

/// The element inside `parent` that `selector` names: the page rendered
/// at build time must hold it, or the module and the page are from
/// different builds, which is an error the page shows.
pub fn find(parent: &Element, selector: &str) -> Result<Element, JsValue> {
    parent
        .query_selector(selector)
        .ok()
        .flatten()
        .ok_or_else(|| missing(parent, selector))
}

/// [`find`], as the element type `T` (an `<input>`, a `<button>`).
pub fn find_as<T: JsCast>(parent: &Element, selector: &str) -> Result<T, JsValue> {
    find(parent, selector)?
        .dyn_into()
        .map_err(|_| missing(parent, selector))
}

/// Every element inside `parent` that `selector` names.
pub fn find_all(parent: &Element, selector: &str) -> Vec<Element> {
    let Ok(list) = parent.query_selector_all(selector) else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i).and_then(|n| n.dyn_into().ok()))
        .collect()
}

fn missing(parent: &Element, selector: &str) -> JsValue {
    let within = parent.id();
    JsValue::from_str(&format!(
        "the page has no `{selector}` inside `#{within}`: it is from another build than its \
         WebAssembly; rebuild with scripts/build.sh"
    ))
}

/// An event listener that is removed when dropped (the RAII shape of
/// gloo-events, in a few lines).
#[must_use = "the listener is removed as soon as it is dropped"]
pub struct EventListener {
    target: web_sys::EventTarget,
    event: &'static str,
    closure: Closure<dyn FnMut(web_sys::Event)>,
}

impl EventListener {
    /// Listens for `event` on `target` until dropped.
    pub fn new(
        target: &web_sys::EventTarget,
        event: &'static str,
        f: impl FnMut(web_sys::Event) + 'static,
    ) -> EventListener {
        let closure = Closure::<dyn FnMut(web_sys::Event)>::new(f);
        target
            .add_event_listener_with_callback(event, closure.as_ref().unchecked_ref())
            .expect("adding an event listener succeeds");
        EventListener {
            target: target.clone(),
            event,
            closure,
        }
    }
}

/// Listens for `event` on `target` and calls `f` with `owner` (a view, the
/// app), while the owner lives: the listener holds it weakly, so it keeps
/// nothing alive, and an event after the owner is gone does nothing.
pub fn listen<T: 'static>(
    owner: &Rc<T>,
    target: &web_sys::EventTarget,
    event: &'static str,
    f: impl Fn(&Rc<T>, &web_sys::Event) + 'static,
) -> EventListener {
    let owner: Weak<T> = Rc::downgrade(owner);
    EventListener::new(target, event, move |e| {
        if let Some(owner) = owner.upgrade() {
            f(&owner, &e);
        }
    })
}

impl Drop for EventListener {
    fn drop(&mut self) {
        let _ = self
            .target
            .remove_event_listener_with_callback(self.event, self.closure.as_ref().unchecked_ref());
    }
}

/// The element matching `selector` that `e` happened on or inside: which
/// mark, button or line of a part's many the reader pointed at or pressed
/// (one listener on the part serves them all).
pub fn event_within(e: &web_sys::Event, selector: &str) -> Option<Element> {
    e.target()?
        .dyn_into::<Element>()
        .ok()?
        .closest(selector)
        .ok()
        .flatten()
}

/// Formats tutorial seconds for the page: `3.00s`.
pub fn secs(t: f64) -> String {
    format!("{:.2}s", Fixed(t))
}

/// Scrolls `scroller` (an element that scrolls) so that `item` inside it
/// shows, a third of the way down, if it does not show already. The page
/// itself does not move, as `scrollIntoView` would make it.
pub fn scroll_within(scroller: &Element, item: &Element) {
    let outer = scroller.get_bounding_client_rect();
    let inner = item.get_bounding_client_rect();
    if inner.top() >= outer.top() && inner.bottom() <= outer.bottom() {
        return;
    }
    let top = inner.top() - outer.top() + f64::from(scroller.scroll_top());
    let height = f64::from(scroller.client_height());
    scroller.set_scroll_top((top - height / 3.0).max(0.0) as i32);
}
