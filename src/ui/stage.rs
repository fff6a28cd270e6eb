//! The stage: where lesson 17 ([`View::Page`](crate::lessons::View::Page))
//! shows the page it loads, in a frame shrunk to a third.

use maud::{html, Markup};
use wasm_bindgen::JsValue;
use web_sys::Element;

use super::dom::find;

/// The stage as the build renders it: empty until a run loads a page.
pub fn markup() -> Markup {
    html! {
        figure .panel .stage {
            figcaption { "The loaded page, shrunk to a third: this page's stand-in for a screenshot" }
            div .stage-box { p .stage-empty { "Press Run to load the page here." } }
        }
    }
}

/// The element a run loads its page into ([`Run::set_stage`](crate::rt::Run::set_stage)).
pub fn find_in(section: &Element) -> Result<Element, JsValue> {
    find(section, ".stage-box")
}
