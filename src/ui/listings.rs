//! A lesson's two listings, side by side: the Python original and the
//! Rust that runs (the reader's own program has the Python alone). The build highlights them
//! ([`site::highlight`](crate::site::highlight)); while the reader steps
//! through a run, the [`stepper`](super::stepper) marks their lines.

use maud::{html, Markup};
use wasm_bindgen::JsValue;
use web_sys::Element;

use super::code_editor;
use super::dom::find;

/// The pair as the build renders it, from the two listings highlighted
/// (or the Python alone, with no Rust).
pub fn markup(python: Markup, rust: Option<Markup>) -> Markup {
    html! {
        div .code-pair {
            // The reader may edit the Python: the build's listing, and the
            // editor that takes it over (`code_editor`).
            figure .code .python {
                (code_editor::caption())
                pre tabindex="0" { code { (python) } }
                (code_editor::host())
            }
            @if let Some(rust) = rust {
                figure .code .rust {
                    figcaption { "Rust: the code that runs" }
                    pre tabindex="0" { code { (rust) } }
                }
            }
        }
    }
}

/// The listings of one lesson's section: each `<code>`, whose lines are
/// `.ln` spans.
pub struct Listings {
    /// The Rust, if the section has Rust.
    pub rust: Option<Element>,
    /// The Python.
    pub python: Element,
}

impl Listings {
    /// Finds the listings [`markup`] rendered in `section`.
    pub fn attach(section: &Element) -> Result<Listings, JsValue> {
        Ok(Listings {
            rust: section.query_selector(".code.rust code")?,
            python: find(section, ".code.python code")?,
        })
    }

    /// Both listings (the Python alone where there is no Rust).
    pub fn each(&self) -> impl Iterator<Item = &Element> {
        self.rust.iter().chain([&self.python])
    }
}
