//! The notice above the lessons: what the page says when the address
//! names no lesson.

use maud::{html, Markup};
use wasm_bindgen::JsValue;
use web_sys::Element;

use super::dom::find;

/// The notice as the build renders it: hidden.
pub fn markup() -> Markup {
    html! { p .notice role="alert" hidden {} }
}

/// The notice, taken over.
pub struct Notice(Element);

impl Notice {
    /// Takes over the notice [`markup`] rendered inside `root`.
    pub fn attach(root: &Element) -> Result<Notice, JsValue> {
        find(root, ".notice").map(Notice)
    }

    /// Shows `text`, or hides the notice for `None`.
    pub fn say(&self, text: Option<&str>) {
        self.0.set_text_content(text);
        if text.is_some() {
            let _ = self.0.remove_attribute("hidden");
        } else {
            let _ = self.0.set_attribute("hidden", "");
        }
    }
}
