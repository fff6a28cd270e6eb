//! One lesson's section of the page, with the class names the module
//! looks for when it takes the section over ([`LessonView`]).
//!
//! [`LessonView`]: crate::ui::LessonView

use maud::{html, Markup};

use super::highlight::{highlight_lines, Lang};
use super::markdown::{Inline, Markdown};
use super::Shell;
use crate::lessons::{self, Lesson, Param, ParamKind, View};
use crate::ui::lesson_view::MARK_HINT;
use crate::ui::{expected_panel, heartbeat, loop_panel, stepper};

/// The status line until the module has wired the lesson (it then says
/// [`IDLE`](crate::ui::lesson_view::IDLE)).
const LOADING: &str = "Run starts once the tour's WebAssembly has loaded.";

/// Why `lesson` needs a served page, when it does: it takes addresses
/// (a [`ParamKind::Lines`] field), and its defaults are files served beside
/// the page, which a page opened from a file may not fetch or frame.
pub fn needs_served(lesson: &Lesson) -> Option<&'static str> {
    let addresses = lesson
        .params
        .iter()
        .any(|p| matches!(p.kind, ParamKind::Lines { .. }));
    match (addresses, lesson.view) {
        (false, _) => None,
        (true, View::Page) => Some(
            "It loads a page into a frame and reads the page's title, which a page may do only \
             for pages from its own site, and a page opened from a file has no site. Its default \
             page is a file the tour's server serves beside it.",
        ),
        (true, _) => Some(
            "It fetches its addresses over HTTP, and its defaults (demo/…) are files the tour's \
             server serves beside the page: a page opened from a file may not fetch files, so Run \
             refuses them here. Full http(s) addresses of sites that let other pages read them \
             (CORS) still work.",
        ),
    }
}

/// The section of `lesson`, showing its defaults, as it reads in `shell`.
pub fn section(lesson: &Lesson, shell: Shell) -> Markup {
    let id = lesson.id;
    let source = lesson.source();
    let expected = (lesson.expected)(&lesson.defaults());
    html! {
        section .lesson id=(id) data-lesson=(id) aria-labelledby={ (id) "-title" } {
            header .lesson-head {
                p .chapter { "Chapter " (lesson.chapter.number()) " · " (lesson.chapter.title()) }
                h1 id={ (id) "-title" } tabindex="-1" { (lesson.number) ". " (lesson.title) }
            }
            // First, so a reader of the one file knows before reading on.
            @if shell == Shell::OneFile {
                @if let Some(why) = needs_served(lesson) {
                    aside .served-note aria-label="Needs a served page" {
                        p { strong { "Opened from a file, this lesson cannot run as written. " } (why) }
                        p {
                            "To run it, serve the tour: from a clone of the project, "
                            code { "scripts/serve.sh" } " serves it on " code { "http://localhost:8000/" } "."
                        }
                    }
                }
            }
            div .explain { (Markdown(source.explanation)) }
            @if matches!(lesson.view, View::Blocking | View::Models) {
                aside .blocking-note {
                    p { "Keep an eye on this heartbeat while the lesson runs. It moves once per drawn frame, \
                         so it stops dead whenever the page's thread is blocked." }
                    (heartbeat::markup())
                }
            }
            @if lesson.view == View::Models { (comparison()) }
            div .code-pair {
                (code("Python", "python", source.python, Lang::Python))
                (code("Rust: the code that runs", "rust", source.listing, Lang::Rust))
            }
            form .controls novalidate autocomplete="off" {
                @if !lesson.params.is_empty() {
                    div .params { @for p in lesson.params { (field(p)) } }
                }
                p .param-msg role="alert" {}
                div .actions {
                    // Enabled by the module once it has wired them.
                    button .run .primary type="submit" disabled { "Run" }
                    button .stop type="button" disabled { "Stop" }
                    div .status role="status" aria-live="polite" data-state="idle" { (LOADING) }
                }
            }
            div .results {
                div .panel .output {
                    h2 { "Output" }
                    ol .lines aria-label="Output of the run, with the time of each line" {}
                }
                div .panel .expected {
                    h2 { "Expected" }
                    ol .lines { (expected_panel::lines(&expected)) }
                    p .total { (expected_panel::summary(&expected)) }
                }
            }
            @if lesson.view == View::Page {
                figure .panel .stage {
                    figcaption { "The loaded page, shrunk to a third: this page's stand-in for a screenshot" }
                    div .stage-box { p .stage-empty { "Press Run to load the page here." } }
                }
            }
            div .panel .timeline {
                h2 { "Timeline" }
                @if lesson.view == View::Progress { div .progress {} }
                div .timeline-box {}
                p .mark-say aria-live="polite" { (MARK_HINT) }
                p .legend {
                    "A lane per task or named future. Dark marks: polled, and for how long. Dashed: \
                     waiting, on what it says. Dots: woken. Outlines: when each should run. Bars end \
                     to end ran one after another; side by side, concurrently."
                }
            }
            (stepper::markup(id))
            (loop_panel::markup(id))
        }
    }
}

/// A listing with its caption.
fn code(caption: &str, class: &str, src: &str, lang: Lang) -> Markup {
    html! {
        figure class={ "code " (class) } {
            figcaption { (caption) }
            pre tabindex="0" { code { (highlight_lines(src, lang)) } }
        }
    }
}

/// The field for one [`Param`], holding its default.
fn field(p: &Param) -> Markup {
    let wide = matches!(p.kind, ParamKind::Lines { .. });
    html! {
        label .param .wide[wide] {
            span { (p.label) }
            @match p.kind {
                ParamKind::Number { default, min, max, whole } => {
                    input type="number" name=(p.key) value=(default) min=(min) max=(max)
                        step=(if whole { "1" } else { "any" })
                        inputmode=(if whole { "numeric" } else { "decimal" });
                }
                ParamKind::Lines { default, max: 1 } => {
                    input type="text" name=(p.key) value=(default) spellcheck="false" autocomplete="off";
                }
                ParamKind::Lines { default, .. } => {
                    textarea name=(p.key) rows=(default.lines().count().max(3) + 1) spellcheck="false" {
                        (default)
                    }
                }
            }
        }
    }
}

/// Python's three models beside what a browser page has (lesson 18).
fn comparison() -> Markup {
    html! {
        table .models {
            caption { "Python's models, and what a browser page has instead" }
            thead { tr { th scope="col" { "Model" } th scope="col" { "Python" } th scope="col" { "In the browser" } } }
            tbody {
                @for [model, python, browser] in &lessons::models::COMPARISON {
                    tr { th scope="row" { (model) } td { (Inline(python)) } td { (Inline(browser)) } }
                }
            }
        }
    }
}
