//! A lesson's controls: its fields, the message that says what is wrong
//! with them, Run and Stop, and the status line. Reading the values the
//! reader typed happens here.

use maud::{html, Markup};
use wasm_bindgen::JsValue;
use web_sys::{Element, HtmlButtonElement};

use super::dom::{attr, find, find_as};
use super::fields::{self, Field};
use super::status;
use crate::lessons::{Args, Lesson, ParamError, ParamKind, Value};

/// The controls as the build renders them, holding `lesson`'s defaults.
pub fn markup(lesson: &Lesson) -> Markup {
    html! {
        form .controls novalidate autocomplete="off" {
            @if !lesson.params.is_empty() {
                div .params { @for p in lesson.params { (fields::markup(p)) } }
            }
            p .param-msg role="alert" {}
            div .actions {
                // Enabled by the module once it has wired them.
                @if lesson.has_rust() {
                    button .run .primary type="submit" disabled { "Run" }
                }
                // The Python listing, on the tour's interpreter: the
                // served page loads it when first pressed. (The reader's
                // own program has only this one.)
                button .run-python .primary[!lesson.has_rust()] type="button" disabled { "Run the Python" }
                button .stop type="button" disabled { "Stop" }
                (status::markup())
            }
        }
    }
}

/// The controls of one lesson's section.
pub struct Controls {
    lesson: &'static Lesson,
    form: Element,
    fields: Vec<Field>,
    message: Element,
    /// Run, for a lesson with Rust.
    run: Option<HtmlButtonElement>,
    run_python: HtmlButtonElement,
    stop: HtmlButtonElement,
}

impl Controls {
    /// Takes over the controls [`markup`] rendered in `section`.
    pub fn attach(lesson: &'static Lesson, section: &Element) -> Result<Controls, JsValue> {
        // Found from the section, whose id names the lesson in a message
        // about a part that is missing.
        let fields = lesson
            .params
            .iter()
            .map(|p| Field::find(section, p))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Controls {
            lesson,
            form: find(section, "form.controls")?,
            message: find(section, ".param-msg")?,
            run: lesson
                .has_rust()
                .then(|| find_as(section, "button.run"))
                .transpose()?,
            run_python: find_as(section, "button.run-python")?,
            stop: find_as(section, "button.stop")?,
            fields,
        })
    }

    /// The form: it submits on Run (or Enter), and tells of every change.
    pub fn form(&self) -> &Element {
        &self.form
    }

    /// The Run the Python button.
    pub fn python_button(&self) -> &Element {
        &self.run_python
    }

    /// The Stop button.
    pub fn stop_button(&self) -> &Element {
        &self.stop
    }

    /// Enables Run while no run is going, Stop while one is.
    pub fn running(&self, running: bool) {
        if let Some(run) = &self.run {
            run.set_disabled(running);
        }
        self.run_python.set_disabled(running);
        self.stop.set_disabled(!running);
    }

    /// Disables all three while the page fetches what a run needs (the
    /// interpreter's module): nothing is running yet to stop.
    pub fn waiting(&self) {
        self.running(true);
        self.stop.set_disabled(true);
    }

    /// The values in the fields, checked against their limits.
    pub fn read(&self) -> Result<Args, ParamError> {
        let values: Vec<Value> = self.fields.iter().map(Field::value).collect();
        self.lesson.args(&values)
    }

    /// Says what is wrong with the values, and marks the field at fault;
    /// or, for `Ok`, clears what was said.
    pub fn say(&self, checked: &Result<Args, ParamError>) {
        match checked {
            Ok(_) => {
                self.message.set_text_content(None);
                for f in &self.fields {
                    let _ = f.element().remove_attribute("aria-invalid");
                }
            }
            Err(err) => {
                self.message.set_text_content(Some(&format!("{err}.")));
                for (f, p) in self.fields.iter().zip(self.lesson.params) {
                    if p.key == err.param.key {
                        attr(f.element(), "aria-invalid", "true");
                    }
                }
            }
        }
    }

    /// On a page opened from a file (the one-file tour), the first address
    /// among `args` that is a file too: `demo/hello.txt` there means a file
    /// on disk, which such a page may not fetch or frame.
    pub fn file_address(&self, args: &Args) -> Option<String> {
        let location = web_sys::window()?.location();
        if location.protocol().ok()? != "file:" {
            return None;
        }
        let base = location.href().ok()?;
        self.lesson
            .params
            .iter()
            .filter(|p| matches!(p.kind, ParamKind::Lines { .. }))
            .flat_map(|p| args.lines(p.key))
            .find(|address| {
                web_sys::Url::new_with_base(address, &base)
                    .is_ok_and(|url| url.protocol() == "file:")
            })
    }
}
