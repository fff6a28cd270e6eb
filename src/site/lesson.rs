//! One lesson's section of the page: its text and listings, and the parts
//! of the page's interactive side ([`ui`](crate::ui)), each of which
//! renders its own markup and finds it again when the module takes the
//! section over ([`LessonView`](crate::ui::LessonView)).

use maud::{html, Markup};

use super::highlight::{highlight_lines, Lang};
use super::markdown::{Inline, Markdown};
use super::Shell;
use crate::lessons::{self, Lesson, ParamKind, View};
use crate::ui::{
    controls, expected_panel, heartbeat, listings, loop_panel, output_panel, stage, stepper,
    timeline_panel,
};

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
    let expected = lesson
        .has_rust()
        .then(|| (lesson.expected)(&lesson.defaults()));
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
                (heartbeat::note())
            }
            @if lesson.view == View::Models { (comparison()) }
            (listings::markup(
                highlight_lines(source.python, Lang::Python),
                lesson.has_rust().then(|| highlight_lines(source.listing, Lang::Rust)),
            ))
            (try_this(lesson))
            (controls::markup(lesson))
            div .results {
                (output_panel::markup())
                (expected_panel::markup(expected.as_ref()))
            }
            @if lesson.view == View::Page { (stage::markup()) }
            (timeline_panel::markup(lesson))
            (stepper::markup(id))
            (loop_panel::markup(id))
        }
    }
}

/// "Try this": the lesson's experiments, each with a button the module
/// enables, which makes its edit in the editor
/// ([`CodeEditor::try_edit`](crate::ui::code_editor::CodeEditor::try_edit)).
fn try_this(lesson: &Lesson) -> Markup {
    let tries = lesson.experiments();
    html! {
        @if !tries.is_empty() {
            section .try-this aria-labelledby={ (lesson.id) "-try" } {
                h2 id={ (lesson.id) "-try" } { "Try this" }
                ol {
                    @for e in &tries {
                        li {
                            button .try type="button" disabled data-from=(e.from) data-to=(e.to) {
                                (e.title)
                            }
                            p { (Inline(&e.look)) }
                        }
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
