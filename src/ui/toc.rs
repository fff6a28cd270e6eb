//! The list of lessons, by chapter, beside the lessons: a link to each,
//! marked while its lesson runs and when it is the one shown.

use maud::{html, Markup};
use wasm_bindgen::JsValue;
use web_sys::Element;

use super::dom::{attr, find, find_all};
use crate::lessons::{self, Chapter};

/// The list as the build renders it; `download` is the one-file tour's
/// address, when the page offers it.
pub fn markup(download: Option<&str>) -> Markup {
    html! {
        nav .toc aria-label="Lessons" {
            @for chapter in Chapter::ALL {
                h2 { (chapter.number()) " · " (chapter.title()) }
                ol {
                    @for l in lessons::listed().filter(|l| l.chapter == chapter) {
                        li {
                            a href={ "#" (l.id) } {
                                span .num { (l.number) }
                                span .title { (l.title) }
                            }
                        }
                    }
                }
            }
            details .guide {
                summary { "How to read a lesson" }
                p {
                    "Press Run: the Rust beside the Python runs for real on this page's event loop. \
                     Output lists each printed line with the time it came. Expected is what the Python \
                     prints, with the same numbers. The timeline draws each task as a bar over time. \
                     Change a number and press Run again; the expected output follows."
                }
            }
            @if let Some(file) = download {
                p .keep {
                    a href=(file) download { "Download the tour" }
                    " as one file that runs offline, from disk."
                }
            }
        }
    }
}

/// The list, taken over.
pub struct Toc {
    nav: Element,
}

impl Toc {
    /// Takes over the list [`markup`] rendered inside `root`.
    pub fn attach(root: &Element) -> Result<Toc, JsValue> {
        Ok(Toc {
            nav: find(root, ".toc")?,
        })
    }

    /// The link to lesson `id`.
    pub fn link(&self, id: &str) -> Result<Element, JsValue> {
        find(&self.nav, &format!("a[href=\"#{id}\"]"))
    }

    /// Marks the link to lesson `id` as the page shown.
    pub fn mark_current(&self, id: &str) {
        let href = format!("#{id}");
        for a in find_all(&self.nav, "a") {
            if a.get_attribute("href").as_deref() == Some(href.as_str()) {
                attr(&a, "aria-current", "page");
            } else {
                let _ = a.remove_attribute("aria-current");
            }
        }
    }
}

/// Marks `link` (from [`Toc::link`]) while its lesson runs.
pub fn mark_running(link: &Element, running: bool) {
    let _ = link.class_list().toggle_with_force("running", running);
}
