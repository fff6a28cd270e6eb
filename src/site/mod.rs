//! The page, rendered at build time: every lesson's text, both listings
//! highlighted, the fields with their defaults, the expected output for
//! them, and the chapter list, so the tour reads completely before (and
//! without) its WebAssembly. `src/bin/render.rs` writes it to
//! `www/index.html`; the module then finds these elements and wires them
//! ([`ui::mount`](crate::ui::mount)).
//!
//! All of it is [maud] templates, which escape by construction. Nothing
//! here runs in the page, so none of it (nor the text it renders) is in
//! the tour's wasm.

use maud::{html, Markup, DOCTYPE};

use crate::lessons;
use crate::ui::{header, notice, toc};

pub mod callouts;
pub mod highlight;
mod lesson;
pub use lesson::needs_served;
pub mod markdown;
pub mod one_file;

/// The page's Content-Security-Policy: scripts only from its own origin,
/// and WebAssembly compiled from them; no inline script and no `eval`.
/// Inline styles are allowed (the page sets widths while running), and
/// so are requests and frames to any site: lessons 15 and 17 fetch and
/// load the addresses the reader types. Workers start from a `blob:`
/// script that imports the module. `render` writes the same policy into
/// `_headers`, which `scripts/serve.py` sends.
pub const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
     style-src 'self' 'unsafe-inline'; img-src 'self' data:; worker-src 'self' blob:; \
     connect-src *; frame-src *; object-src 'none'; base-uri 'none'; form-action 'none'";

/// The whole page, `www/index.html`.
pub fn page() -> String {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                (head_meta(CSP))
                link rel="stylesheet" href="style.css";
                link rel="modulepreload" href="pkg/async_tour.js";
                link rel="preload" href="pkg/async_tour_bg.wasm" as="fetch" type="application/wasm" crossorigin;
                script type="module" src="main.js" {}
            }
            body { (tour()) }
        }
    }
    .into_string()
}

/// What every form of the page has first in its head: the character set,
/// the viewport, the policy `csp`, the description, the title and the icon.
fn head_meta(csp: &str) -> Markup {
    html! {
        meta charset="utf-8";
        meta name="viewport" content="width=device-width, initial-scale=1";
        meta http-equiv="Content-Security-Policy" content=(csp);
        meta name="description" content="Learn Python's async/await by running the classic asyncio examples as Rust futures on your browser's own event loop.";
        meta name="color-scheme" content="light dark";
        title { "async-tour: Python's asyncio, as Rust futures in your browser" }
        link rel="icon" href="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E%3Ccircle cx='8' cy='8' r='6' fill='%23d9480f'/%3E%3C/svg%3E";
    }
}

/// The one-file tour's name; the build puts it beside the served page.
pub const ONE_FILE: &str = "async-tour.html";

/// Where the page will live, which changes what some lessons say.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shell {
    /// Served over HTTP with `www/` around it: `www/index.html`.
    Served,
    /// One file, opened from disk ([`one_file`]): lessons that fetch or
    /// frame files beside the page say they need a served page.
    OneFile,
}

/// The tour itself, the `#tour` element: what [`ui::mount`](crate::ui::mount)
/// takes over. The browser tests mount this.
pub fn tour() -> Markup {
    tour_in(Shell::Served)
}

/// The tour as rendered for `shell`.
fn tour_in(shell: Shell) -> Markup {
    html! {
        div #tour .tour {
            (header::markup())
            noscript {
                p .load-error {
                    "Every lesson reads without JavaScript, but Run needs it: the lessons are Rust compiled to WebAssembly. Enable JavaScript and reload to run them."
                }
            }
            div .layout {
                (toc::markup((shell == Shell::Served).then_some(ONE_FILE)))
                main .lessons {
                    (notice::markup())
                    @for l in lessons::listed() { (lesson::section(l, shell)) }
                }
            }
        }
    }
}
