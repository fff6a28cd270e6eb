//! Small helpers over `web-sys`, so the rest of the UI reads as what it
//! builds rather than how.

use wasm_bindgen::prelude::*;
use web_sys::{Document, Element, Window};

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

/// Escapes text for use inside HTML.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Renders lesson prose: paragraphs split by blank lines, `code` in
/// backticks, *emphasis* in stars. Everything else is escaped.
pub fn prose(src: &str) -> String {
    let mut html = String::new();
    for para in src.split("\n\n") {
        html.push_str("<p>");
        let mut in_code = false;
        for (i, part) in para.split('`').enumerate() {
            if i > 0 {
                html.push_str(if in_code { "</code>" } else { "<code>" });
                in_code = !in_code;
            }
            if in_code {
                html.push_str(&escape(part));
            } else {
                for (j, bit) in part.split('*').enumerate() {
                    if j > 0 {
                        html.push_str(if j % 2 == 1 { "<em>" } else { "</em>" });
                    }
                    html.push_str(&escape(bit));
                }
                if part.matches('*').count() % 2 == 1 {
                    html.push_str("</em>");
                }
            }
        }
        if in_code {
            html.push_str("</code>");
        }
        html.push_str("</p>");
    }
    html
}

/// An event listener that is removed when dropped (the RAII shape of
/// gloo-events, in a few lines).
#[must_use = "the listener is removed as soon as it is dropped"]
pub struct Listener {
    target: web_sys::EventTarget,
    event: &'static str,
    closure: Closure<dyn FnMut(web_sys::Event)>,
}

impl Listener {
    /// Listens for `event` on `target` until dropped.
    pub fn new(
        target: &web_sys::EventTarget,
        event: &'static str,
        f: impl FnMut(web_sys::Event) + 'static,
    ) -> Listener {
        let closure = Closure::<dyn FnMut(web_sys::Event)>::new(f);
        target
            .add_event_listener_with_callback(event, closure.as_ref().unchecked_ref())
            .expect("adding an event listener succeeds");
        Listener {
            target: target.clone(),
            event,
            closure,
        }
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        let _ = self
            .target
            .remove_event_listener_with_callback(self.event, self.closure.as_ref().unchecked_ref());
    }
}

/// Formats tutorial seconds for the page: `3.00s`.
pub fn secs(t: f64) -> String {
    format!("{t:.2}s")
}
