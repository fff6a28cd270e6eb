//! The lesson's Python as the reader's own: Edit turns the listing into a
//! code editor (CodeMirror 6, `editor/editor.js`, bundled at build time
//! into `www/editor.js` and loaded the first time a reader edits), Reset
//! brings the lesson's code back, the edits survive a reload
//! (`localStorage`, one entry per lesson), and Copy link gives an address
//! that carries the code (`#gather/code/…`, deflated), which opens the
//! lesson with that code in the editor.
//!
//! The listing the build rendered stays in the page under the editor,
//! hidden: reading without JavaScript, the first paint and stepping
//! through the lesson's own code are as before. Once the editor is open,
//! the lesson view runs its code, the stepper marks its lines, and a
//! syntax error is marked in it at its line and column.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use maud::{html, Markup};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Element, HtmlButtonElement};

use super::dom::{attr, document, find, find_as, window};
use crate::lessons::{experiments, Lesson};

/// Where the editor's bundle is, beside the page.
const BUNDLE: &str = "editor.js";

/// What the editor says once an experiment's edit is in.
const TRIED: &str = "The experiment's lines are marked: press Run the Python (Ctrl-Enter in the \
                     editor) and look for what it says.";

/// The longest code link's packed code, in characters: longer addresses
/// are cut by some of the places readers paste them.
pub const LINK_LIMIT: usize = 8000;

#[wasm_bindgen]
extern "C" {
    /// An editor open in a listing (`editor/editor.js`'s `Handle`).
    pub type Handle;

    #[wasm_bindgen(catch, js_namespace = tourEditor, js_name = open)]
    fn open_in(host: &Element, doc: &str, label: &str) -> Result<Handle, JsValue>;
    #[wasm_bindgen(js_namespace = tourEditor)]
    fn pack(text: &str) -> js_sys::Promise;
    #[wasm_bindgen(js_namespace = tourEditor)]
    fn unpack(packed: &str) -> js_sys::Promise;
    #[wasm_bindgen(js_namespace = tourEditor)]
    fn copy(text: &str) -> js_sys::Promise;
    #[wasm_bindgen(js_namespace = tourEditor, js_name = find)]
    fn find_in(host: &Element) -> Option<Handle>;

    #[wasm_bindgen(method)]
    fn listen(this: &Handle, handlers: &JsValue);
    #[wasm_bindgen(method)]
    fn doc(this: &Handle) -> String;
    #[wasm_bindgen(method, js_name = setDoc)]
    fn set_doc(this: &Handle, text: &str, marked: &JsValue);
    #[wasm_bindgen(method, js_name = markSteps)]
    fn mark_steps(this: &Handle, marks: &JsValue);
    #[wasm_bindgen(method, js_name = markError)]
    fn mark_error(this: &Handle, line: u32, column: u32, message: &str);
    #[wasm_bindgen(method, js_name = clearError)]
    fn clear_error(this: &Handle);
    #[wasm_bindgen(method, js_name = goTo)]
    fn go_to(this: &Handle, line: u32);
    #[wasm_bindgen(method)]
    fn focus(this: &Handle);
}

/// The Python figure's caption, as the build renders it: the language and
/// the two buttons, enabled by the module.
pub fn caption() -> Markup {
    html! {
        figcaption {
            span { "Python" }
            span .code-tools {
                span .edited hidden { "edited" }
                button .edit type="button" disabled
                    aria-label="Edit the Python" { "Edit" }
                button .copy-link type="button" hidden
                    aria-label="Copy link: this lesson with this code" { "Copy link" }
                button .reset type="button" hidden
                    aria-label="Reset the Python to the lesson's code" { "Reset" }
            }
        }
    }
}

/// The element the editor opens in, after the static listing.
pub fn host() -> Markup {
    html! {
        div .editor-host hidden {}
        p .editor-msg role="alert" hidden {}
    }
}

/// A mark for a step: a line (from 1) where tasks wait, their names, and
/// whether it is the line of the task the step concerns.
pub struct StepMark {
    /// The line, from 1.
    pub line: u32,
    /// The tasks waiting there.
    pub who: String,
    /// Whether the step concerns one of them.
    pub current: bool,
}

/// The Python listing of one lesson, and its editor once opened.
pub struct CodeEditor {
    lesson: &'static Lesson,
    pre: Element,
    host: Element,
    message: Element,
    edit: HtmlButtonElement,
    reset: HtmlButtonElement,
    copy_link: HtmlButtonElement,
    edited_tag: Element,
    run_python: HtmlButtonElement,
    /// The lesson's code, as the build rendered it.
    original: Rc<str>,
    handle: RefCell<Option<Handle>>,
    /// Whether the editor is on its way (loading, opening).
    opening: Cell<bool>,
    /// What to do once the editor has opened.
    then: RefCell<Option<Then>>,
    /// The editor's calls back into this module, kept while it lives.
    handlers: RefCell<Option<Handlers>>,
}

/// What a reader asked of an editor still loading.
enum Then {
    /// Put the cursor on this line.
    GoTo(u32),
    /// Put in this code, marking these lines (an experiment).
    Replace(String, [u32; 2]),
    /// Put in this code (a code link's).
    Code(String),
}

struct Handlers {
    _change: Closure<dyn FnMut(String)>,
    _run: Closure<dyn FnMut()>,
}

impl CodeEditor {
    /// Takes over the Python figure in `section`, and the editor another
    /// module of the tour opened here before this one took the page over.
    /// The reader's kept edits are looked for when the lesson is first
    /// shown ([`restore`](Self::restore)), not here, for every lesson at
    /// start-up.
    pub fn attach(lesson: &'static Lesson, section: &Element) -> Result<Rc<CodeEditor>, JsValue> {
        let figure = find(section, ".code.python")?;
        let code = find(&figure, "pre code")?;
        let mut original = code.text_content().unwrap_or_default();
        if !original.ends_with('\n') {
            original.push('\n');
        }
        let editor = Rc::new(CodeEditor {
            lesson,
            pre: find(&figure, "pre")?,
            host: find(&figure, ".editor-host")?,
            message: find(&figure, ".editor-msg")?,
            edit: find_as(&figure, "button.edit")?,
            reset: find_as(&figure, "button.reset")?,
            copy_link: find_as(&figure, "button.copy-link")?,
            edited_tag: find(&figure, ".edited")?,
            run_python: find_as(section, "button.run-python")?,
            original: original.into(),
            handle: RefCell::new(None),
            opening: Cell::new(false),
            then: RefCell::new(None),
            handlers: RefCell::new(None),
        });
        editor.edit.set_disabled(false);
        if loaded() {
            if let Some(handle) = find_in(&editor.host) {
                editor.adopt(handle);
            }
        }
        Ok(editor)
    }

    /// Opens the editor (loading it) with the edits the reader left in
    /// this lesson on an earlier visit, if there are any and it is not
    /// open yet; or, with `always`, with the lesson's code all the same.
    pub fn restore(self: &Rc<Self>, always: bool) {
        if self.handle.borrow().is_some() {
            return;
        }
        let kept = saved(self.lesson).filter(|s| !self.is_lessons(s));
        if kept.is_some() || always {
            self.open(kept, false);
        }
    }

    /// The Edit, Reset and Copy link buttons, for the lesson view to
    /// listen to.
    pub fn buttons(&self) -> [Element; 3] {
        [
            self.edit.clone().into(),
            self.reset.clone().into(),
            self.copy_link.clone().into(),
        ]
    }

    /// The static listing, whose click opens the editor.
    pub fn listing(&self) -> &Element {
        &self.pre
    }

    /// The code to run: the editor's, once open, or the lesson's.
    pub fn source(&self) -> String {
        match self.handle.borrow().as_ref() {
            Some(h) => h.doc(),
            None => self.original.to_string(),
        }
    }

    /// Whether the code differs from the lesson's.
    pub fn is_edited(&self) -> bool {
        self.handle
            .borrow()
            .as_ref()
            .is_some_and(|h| !self.is_lessons(&h.doc()))
    }

    /// Whether `code` is the lesson's own.
    pub fn is_lessons(&self, code: &str) -> bool {
        *code == *self.original
    }

    /// Opens the editor (loading it the first time) with `code`, or the
    /// lesson's; with `focus`, puts the cursor in it.
    pub fn open(self: &Rc<Self>, code: Option<String>, focus: bool) {
        if let Some(h) = self.handle.borrow().as_ref() {
            if let Some(code) = code {
                h.set_doc(&code, &JsValue::UNDEFINED);
            }
            if focus {
                h.focus();
            }
            return;
        }
        if self.opening.replace(true) {
            // Already on its way: the code goes in once it is open.
            if let Some(code) = code {
                *self.then.borrow_mut() = Some(Then::Code(code));
            }
            return;
        }
        self.edit.set_disabled(true);
        self.say("Loading the editor…");
        // User-timing marks, for the tests' report and the developer
        // tools: from the reader's Edit to a working editor.
        mark("tour:editor-asked");
        // Held weakly: a module that took the page over meanwhile has its
        // own view of this listing, and this one is gone.
        let weak = Rc::downgrade(self);
        wasm_bindgen_futures::spawn_local(async move {
            let loaded = load().await;
            let Some(this) = weak.upgrade() else { return };
            this.opening.set(false);
            match loaded {
                Ok(()) => {
                    let handle = match find_in(&this.host) {
                        Some(handle) => Ok(handle),
                        None => {
                            let code = code.unwrap_or_else(|| this.original.to_string());
                            let label = format!("Python code of “{}”, editable", this.lesson.title);
                            open_in(&this.host, &code, &label)
                        }
                    };
                    let handle = match handle {
                        Ok(handle) => handle,
                        Err(e) => return this.failed(&e),
                    };
                    this.say("");
                    this.adopt(handle);
                    if let Some(h) = this.handle.borrow().as_ref() {
                        match this.then.take() {
                            Some(Then::GoTo(line)) => h.go_to(line),
                            Some(Then::Replace(code, lines)) => {
                                h.set_doc(&code, &lines_value(lines));
                                h.focus();
                                this.say(TRIED);
                            }
                            Some(Then::Code(code)) => h.set_doc(&code, &JsValue::UNDEFINED),
                            None if focus => h.focus(),
                            None => {}
                        }
                    }
                    mark("tour:editor-ready");
                }
                Err(e) => this.failed(&e),
            }
        });
    }

    /// Says the editor could not open, for `e`; the listing stays, and
    /// Edit may be pressed again.
    fn failed(&self, e: &JsValue) {
        self.edit.set_disabled(false);
        let why = e
            .dyn_ref::<js_sys::Error>()
            .map(|e| String::from(e.message()))
            .or_else(|| e.as_string())
            .unwrap_or_else(|| "no reason given".into());
        self.say(&format!(
            "The editor did not load ({why}). The listing runs as it is shown."
        ));
    }

    /// Takes `handle` as this listing's editor: shows it, hides the static
    /// listing, and hears its changes.
    fn adopt(&self, handle: Handle) {
        let lesson = self.lesson;
        let original = Rc::clone(&self.original);
        let (reset, tag) = (self.reset.clone(), self.edited_tag.clone());
        let message = self.message.clone();
        let change = Closure::<dyn FnMut(String)>::new(move |code: String| {
            // What the editor said is of the code before this change.
            message.set_text_content(None);
            show(&message, false);
            let edited = *code != *original;
            show(&reset, edited);
            show(&tag, edited);
            save(lesson, edited.then_some(code.as_str()));
        });
        let run_python = self.run_python.clone();
        let run = Closure::<dyn FnMut()>::new(move || {
            if !run_python.disabled() {
                run_python.click();
            }
        });
        let handlers = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&handlers, &"change".into(), change.as_ref());
        let _ = js_sys::Reflect::set(&handlers, &"run".into(), run.as_ref());
        handle.listen(&handlers);
        let doc = handle.doc();
        let edited = !self.is_lessons(&doc);
        save(self.lesson, edited.then_some(doc.as_str()));
        show(&self.reset, edited);
        show(&self.edited_tag, edited);
        show(&self.host, true);
        show(&self.pre, false);
        show(&self.copy_link, true);
        self.edit.set_hidden(true);
        *self.handlers.borrow_mut() = Some(Handlers {
            _change: change,
            _run: run,
        });
        *self.handle.borrow_mut() = Some(handle);
    }

    /// Brings the lesson's code back into the editor (an undoable change).
    pub fn reset(&self) {
        if let Some(h) = self.handle.borrow().as_ref() {
            h.set_doc(&self.original, &JsValue::UNDEFINED);
            h.focus();
        }
        save(self.lesson, None);
    }

    /// Makes experiment `e`'s edit to the lesson's code in the editor
    /// (opening it), its lines marked.
    pub fn try_edit(self: &Rc<Self>, from: &str, to: &str) {
        let Some((code, lines)) = experiments::replace(&self.original, from, to) else {
            return self.say("This experiment does not fit the lesson's code.");
        };
        if let Some(h) = self.handle.borrow().as_ref() {
            h.set_doc(&code, &lines_value(lines));
            h.focus();
            return self.say(TRIED);
        }
        *self.then.borrow_mut() = Some(Then::Replace(code, lines));
        self.open(None, true);
    }

    /// Marks where tasks wait at a step, in the editor if it is open
    /// (the static listing is marked by the stepper itself).
    pub fn mark_steps(&self, marks: &[StepMark]) {
        let handle = self.handle.borrow();
        let Some(h) = handle.as_ref() else {
            return;
        };
        let list = js_sys::Array::new();
        for m in marks {
            let o = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&o, &"line".into(), &m.line.into());
            let _ = js_sys::Reflect::set(&o, &"who".into(), &m.who.as_str().into());
            let _ = js_sys::Reflect::set(&o, &"current".into(), &m.current.into());
            list.push(&o);
        }
        h.mark_steps(&list);
    }

    /// Marks a syntax error at `line` and `column` (from 1) with
    /// `message`, if the editor is open.
    pub fn mark_error(&self, line: u32, column: u32, message: &str) {
        if let Some(h) = self.handle.borrow().as_ref() {
            h.mark_error(line, column, message);
        }
    }

    /// Clears a syntax error's mark.
    pub fn clear_error(&self) {
        if let Some(h) = self.handle.borrow().as_ref() {
            h.clear_error();
        }
    }

    /// Moves the cursor to `line` (from 1), opening the editor if needed.
    pub fn go_to(self: &Rc<Self>, line: u32) {
        if let Some(h) = self.handle.borrow().as_ref() {
            return h.go_to(line);
        }
        *self.then.borrow_mut() = Some(Then::GoTo(line));
        self.open(None, true);
    }

    /// Copies an address that opens this lesson with the editor's code
    /// (and puts it in the address bar, where it can be copied by hand),
    /// or says why not.
    pub fn copy_link(self: &Rc<Self>) {
        let Some(code) = self.handle.borrow().as_ref().map(Handle::doc) else {
            return;
        };
        let weak = Rc::downgrade(self);
        let id = self.lesson.id;
        wasm_bindgen_futures::spawn_local(async move {
            let packed = JsFuture::from(pack(&code)).await;
            let Some(this) = weak.upgrade() else { return };
            let packed = match packed.map(|p| p.as_string()) {
                Ok(Some(p)) => p,
                Ok(None) | Err(_) => {
                    return this.say("This browser cannot pack code into a link.");
                }
            };
            if packed.len() > LINK_LIMIT {
                return this.say(&format!(
                    "This code is too long for a link: {} characters packed, and a link holds \
                     {LINK_LIMIT}. Your edits are kept in this browser all the same.",
                    packed.len()
                ));
            }
            let hash = super::address::of_code(id, &packed);
            super::address::replace(&hash);
            let url = window().location().href().unwrap_or(hash);
            match JsFuture::from(copy(&url)).await {
                Ok(_) => this.say(&format!(
                    "Link copied ({} characters): it opens this lesson with this code.",
                    url.len()
                )),
                Err(_) => this.say(
                    "The link is in the address bar: copy it from there (this browser did not \
                     let the page copy it).",
                ),
            }
        });
    }

    /// Opens the editor with the code a link carries (`packed`, as
    /// [`copy_link`](Self::copy_link) wrote it), or says why it cannot.
    pub fn open_packed(self: &Rc<Self>, packed: String) {
        self.say("Loading the editor…");
        let weak = Rc::downgrade(self);
        wasm_bindgen_futures::spawn_local(async move {
            let loaded = load().await;
            let Some(this) = weak.upgrade() else { return };
            if let Err(e) = loaded {
                return this.failed(&e);
            }
            let code = JsFuture::from(unpack(&packed)).await;
            match code.map(|c| c.as_string()) {
                Ok(Some(code)) => {
                    this.say("");
                    this.open(Some(code), false);
                    // The code is the reader's now, kept like their edits:
                    // the address goes back to the lesson's, so that a
                    // reload shows their later edits, not the link's.
                    super::address::show(this.lesson.id, None);
                }
                _ => this.say(
                    "This link's code could not be read (the link may have been cut short): the \
                     lesson's own code is shown.",
                ),
            }
        });
    }

    fn say(&self, text: &str) {
        self.message.set_text_content(Some(text));
        show(&self.message, !text.is_empty());
    }
}

fn lines_value([first, last]: [u32; 2]) -> JsValue {
    js_sys::Array::of2(&first.into(), &last.into()).into()
}

fn mark(name: &str) {
    if let Some(p) = window().performance() {
        let _ = p.mark(name);
    }
}

fn show(e: &Element, shown: bool) {
    if shown {
        let _ = e.remove_attribute("hidden");
    } else {
        attr(e, "hidden", "");
    }
}

/// Whether the editor's bundle has run (the one-file tour carries it).
fn loaded() -> bool {
    js_sys::Reflect::has(&js_sys::global(), &"tourEditor".into()).unwrap_or(false)
}

thread_local! {
    /// The bundle's loading, once asked for, shared by every lesson.
    static LOADING: RefCell<Option<js_sys::Promise>> = const { RefCell::new(None) };
}

/// Loads the editor's bundle, once: a classic script from the page's own
/// origin, which the Content-Security-Policy allows.
async fn load() -> Result<(), JsValue> {
    if loaded() {
        return Ok(());
    }
    let promise = LOADING.with(|l| {
        l.borrow_mut()
            .get_or_insert_with(|| {
                js_sys::Promise::new(&mut |resolve, reject| {
                    let script = match document().create_element("script") {
                        Ok(s) => s,
                        Err(e) => {
                            let _ = reject.call1(&JsValue::NULL, &e);
                            return;
                        }
                    };
                    attr(&script, "src", BUNDLE);
                    let done = Closure::once_into_js(move || {
                        let _ = resolve.call0(&JsValue::NULL);
                    });
                    let failed = Closure::once_into_js(move || {
                        let _ = reject.call1(
                            &JsValue::NULL,
                            &js_sys::Error::new(&format!("{BUNDLE} could not be fetched")),
                        );
                    });
                    let _ = script.add_event_listener_with_callback("load", done.unchecked_ref());
                    let _ =
                        script.add_event_listener_with_callback("error", failed.unchecked_ref());
                    if let Some(root) = document().document_element() {
                        let _ = root.append_child(&script);
                    }
                })
            })
            .clone()
    });
    let loaded_now = JsFuture::from(promise).await.and_then(|_| {
        // A server that answers every address (a page of its own, say)
        // loads a script that defines nothing.
        if loaded() {
            Ok(JsValue::UNDEFINED)
        } else {
            Err(js_sys::Error::new(&format!("{BUNDLE} did not define the editor")).into())
        }
    });
    if loaded_now.is_err() {
        // Let a later Edit try again.
        LOADING.with(|l| l.borrow_mut().take());
    }
    loaded_now.map(|_| ())
}

/// Where a lesson's edits are kept.
fn key(lesson: &Lesson) -> String {
    format!("async-tour:python:{}", lesson.id)
}

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

/// The reader's code for `lesson`, kept from an earlier visit.
fn saved(lesson: &Lesson) -> Option<String> {
    storage()?.get_item(&key(lesson)).ok().flatten()
}

/// Keeps `code` as the reader's for `lesson`, or forgets it. (A browser
/// that refuses storage keeps the edits for this visit only.)
fn save(lesson: &Lesson, code: Option<&str>) {
    if let Some(s) = storage() {
        let _ = match code {
            Some(code) => s.set_item(&key(lesson), code),
            None => s.remove_item(&key(lesson)),
        };
    }
}
