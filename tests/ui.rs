//! The page's controls in a real browser: the page as the build renders it
//! is put in the test page and taken over by the module, and the tests
//! press its buttons and read what it shows.
#![cfg(target_arch = "wasm32")]

mod common;

use std::rc::Rc;

use async_tour::rt;
use async_tour::site;
use async_tour::ui::{self, App};
use common::wait_ms;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement, HtmlTextAreaElement};

wasm_bindgen_test_configure!(run_in_browser);

/// The tour, mounted in a fresh element, at test speed.
struct Page {
    app: Rc<App>,
}

impl Page {
    /// The page as the build renders it, taken over by the module.
    fn mount() -> Page {
        let doc = ui::dom::document();
        let holder = doc.create_element("div").expect("create a div");
        holder.set_inner_html(&site::tour().into_string());
        doc.body()
            .expect("the test page has a body")
            .append_child(&holder)
            .expect("append");
        let root = holder
            .first_element_child()
            .expect("the tour is one element");
        let page = Page {
            app: ui::mount(&root).expect("the rendered tour mounts"),
        };
        page.set_input(".speed input", "20");
        page
    }

    fn find(&self, selector: &str) -> Element {
        self.app
            .root()
            .query_selector(selector)
            .expect("a valid selector")
            .unwrap_or_else(|| panic!("nothing on the page matches `{selector}`"))
    }

    fn click(&self, selector: &str) {
        self.find(selector)
            .dyn_into::<HtmlElement>()
            .expect("clickable elements are HTML elements")
            .click();
    }

    /// Types `value` into the `<input>` or `<textarea>` at `selector`.
    fn set_input(&self, selector: &str, value: &str) {
        let input = self.find(selector);
        match input.dyn_ref::<HtmlInputElement>() {
            Some(i) => i.set_value(value),
            None => input
                .dyn_ref::<HtmlTextAreaElement>()
                .expect("an input or a textarea")
                .set_value(value),
        }
        // The page listens on the form and the header, so let it bubble.
        let init = web_sys::EventInit::new();
        init.set_bubbles(true);
        let event =
            web_sys::Event::new_with_event_init_dict("input", &init).expect("an input event");
        input.dispatch_event(&event).expect("dispatch");
    }

    fn status(&self, lesson: &str) -> String {
        self.find(&format!("#{lesson} .status"))
            .text_content()
            .unwrap_or_default()
    }

    fn state(&self, lesson: &str) -> String {
        self.find(&format!("#{lesson} .status"))
            .get_attribute("data-state")
            .unwrap_or_default()
    }

    fn output(&self, lesson: &str) -> Vec<String> {
        let list = self
            .app
            .root()
            .query_selector_all(&format!("#{lesson} .output samp"))
            .expect("a valid selector");
        (0..list.length())
            .filter_map(|i| list.item(i))
            .map(|n| n.text_content().unwrap_or_default())
            .collect()
    }

    /// Waits until `lesson`'s status leaves "running", at most `ms`.
    async fn settle(&self, lesson: &str, ms: u32) -> String {
        let mut waited = 0;
        while self.state(lesson) == "running" && waited < ms {
            wait_ms(10).await;
            waited += 10;
        }
        self.state(lesson)
    }

    /// Waits for `lesson`'s run to end, at most `ms`, and asserts it
    /// matched; if not, says what the page said was wrong, and what it
    /// printed when.
    async fn assert_matches(&self, lesson: &str, ms: u32) {
        let state = self.settle(lesson, ms).await;
        if state != "matched" {
            let status = self.find(&format!("#{lesson} .status")).text_content();
            let lines = self
                .app
                .view(lesson)
                .and_then(|v| v.current_run())
                .map(|r| r.lines())
                .unwrap_or_default();
            panic!("{lesson} is {state}, not matched: {status:?}\nprinted: {lines:#?}");
        }
    }

    /// Waits for `lesson`'s run to end by itself (matched or not), at most
    /// `ms`. For tests of what a run shows rather than of its timing: at
    /// test speed a cold page can make a timer late past the check's
    /// allowance, and that is not what they test.
    async fn assert_finishes(&self, lesson: &str, ms: u32) {
        let state = self.settle(lesson, ms).await;
        assert!(
            state == "matched" || state == "differed",
            "{lesson} did not finish by itself: {state}"
        );
    }

    /// The run `lesson`'s view keeps: the one going, or the last.
    fn run_of(&self, lesson: &str) -> rt::Run {
        self.app
            .view(lesson)
            .and_then(|v| v.current_run())
            .expect("the view keeps its run")
    }

    fn hidden(&self, lesson: &str) -> bool {
        self.find(&format!("section#{lesson}"))
            .has_attribute("hidden")
    }
}

impl Drop for Page {
    fn drop(&mut self) {
        self.app.unmount();
        // A step's address would run its lesson on the next mount.
        if let Ok(history) = ui::dom::window().history() {
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some("#"));
        }
        if let Some(holder) = self.app.root().parent_element() {
            holder.remove();
        }
    }
}

async fn go_to(hash: &str) {
    ui::dom::window()
        .location()
        .set_hash(hash)
        .expect("set the hash");
    // hashchange is delivered as a task of its own.
    wait_ms(30).await;
}

/// In the tour's own module, which leaves the interpreter out, Run the
/// Python asks the page for the module that has it (`www/main.js` loads
/// it): the lesson's section sends the event with its id, and says it is
/// loading, with nothing to press meanwhile.
#[cfg(not(feature = "python"))]
#[wasm_bindgen_test]
async fn run_the_python_asks_the_page_for_the_interpreter() {
    use std::cell::RefCell;
    use wasm_bindgen::closure::Closure;
    let page = Page::mount();
    go_to("#gather").await;
    let asked = Rc::new(RefCell::new(Vec::new()));
    let heard = asked.clone();
    let listener =
        Closure::<dyn FnMut(web_sys::CustomEvent)>::new(move |e: web_sys::CustomEvent| {
            heard.borrow_mut().push(e.detail().as_string())
        });
    let root = page.app.root().clone();
    root.add_event_listener_with_callback(
        ui::lesson_view::WANTS_PYTHON,
        listener.as_ref().unchecked_ref(),
    )
    .expect("listen");
    page.click("#gather button.run-python");
    root.remove_event_listener_with_callback(
        ui::lesson_view::WANTS_PYTHON,
        listener.as_ref().unchecked_ref(),
    )
    .expect("stop listening");
    assert_eq!(*asked.borrow(), [Some("gather".to_string())]);
    assert_eq!(page.state("gather"), "running");
    let status = page.status("gather");
    assert!(
        status.starts_with("Loading the tour's Python interpreter"),
        "{status}"
    );
    for button in ["run", "run-python", "stop"] {
        let b: web_sys::HtmlButtonElement = page
            .find(&format!("#gather button.{button}"))
            .dyn_into()
            .expect("a button");
        assert!(
            b.disabled(),
            "{button} is disabled while the interpreter loads"
        );
    }
}

/// Edit asks for the editor's bundle (`editor.js`, beside the page); here
/// the page's base is a folder that has none, so the listing says the
/// editor did not load, stays as it was, runs as shown, and Edit can be
/// pressed again.
#[wasm_bindgen_test]
async fn an_editor_that_cannot_load_says_so_and_the_listing_stays() {
    let page = Page::mount();
    go_to("#gather").await;
    // A base of its own, for the script's address (other tests may have
    // set one, to `www/`, where a build leaves the bundle).
    let document = ui::dom::document();
    let base = document
        .query_selector("base")
        .ok()
        .flatten()
        .unwrap_or_else(|| {
            let base = document.create_element("base").expect("a <base>");
            ui::dom::document()
                .document_element()
                .expect("a root")
                .append_child(&base)
                .expect("add it");
            base
        });
    let before = base.get_attribute("href");
    base.set_attribute("href", "/no-editor-here/")
        .expect("set href");
    page.click("#gather button.edit");
    let message = page.find("#gather .editor-msg");
    assert_eq!(
        message.text_content().as_deref(),
        Some("Loading the editor…")
    );
    let mut waited = 0;
    while message
        .text_content()
        .is_some_and(|t| t.starts_with("Loading"))
        && waited < 5000
    {
        wait_ms(50).await;
        waited += 50;
    }
    match &before {
        Some(href) => base.set_attribute("href", href).expect("restore href"),
        None => base.remove(),
    }
    let said = message.text_content().unwrap_or_default();
    assert!(
        said.starts_with("The editor did not load (editor.js ")
            && said.ends_with("The listing runs as it is shown."),
        "{said}"
    );
    assert!(!message.has_attribute("hidden"));
    assert!(!page
        .find("#gather .code.python pre")
        .has_attribute("hidden"));
    assert!(page.find("#gather .editor-host").has_attribute("hidden"));
    let edit: web_sys::HtmlButtonElement = page
        .find("#gather button.edit")
        .dyn_into()
        .expect("a button");
    assert!(!edit.disabled(), "Edit can be pressed again");
}

#[wasm_bindgen_test]
async fn run_shows_live_output_and_the_match_mark() {
    let page = Page::mount();
    go_to("#gather").await;
    page.click("#gather button.run");
    assert_eq!(page.state("gather"), "running");
    assert!(page.output("gather").is_empty());
    page.assert_matches("gather", 2000).await;
    let out = page.output("gather");
    assert_eq!(
        out[..3],
        ["task 3 finished", "task 2 finished", "task 1 finished"]
    );
    assert_eq!(
        page.app
            .root()
            .query_selector_all("#gather .output li.ok")
            .expect("selector")
            .length(),
        4
    );
    let status = page.status("gather");
    assert!(status.contains("matches the expected output"), "{status}");
    // The timeline drew a bar per task.
    let bars = page
        .app
        .root()
        .query_selector_all("#gather .timeline rect.bar")
        .expect("selector");
    assert_eq!(bars.length(), 3);
}

#[wasm_bindgen_test]
async fn stop_ends_the_run_and_nothing_prints_after() {
    let page = Page::mount();
    go_to("#sequential").await;
    page.click("#sequential button.run");
    wait_ms(200).await; // at 20x, task 1 (3 s) is done and task 2 sleeps
    page.click("#sequential button.stop");
    assert_eq!(page.state("sequential"), "stopped");
    let lines = page.output("sequential");
    assert_eq!(lines, ["task 1 finished"]);
    let run = page
        .app
        .view("sequential")
        .and_then(|v| v.current_run())
        .expect("a run");
    assert_eq!(run.pending_timers(), 0);
    wait_ms(400).await;
    assert_eq!(page.output("sequential"), lines, "no line after Stop");
    // Run again starts clean.
    page.click("#sequential button.run");
    assert!(page.output("sequential").is_empty());
    page.assert_matches("sequential", 2000).await;
}

#[wasm_bindgen_test]
async fn pressing_run_twice_starts_one_run() {
    let page = Page::mount();
    go_to("#two-tasks").await;
    page.click("#two-tasks button.run");
    page.click("#two-tasks button.run");
    page.click("#two-tasks form button.run");
    page.assert_matches("two-tasks", 2000).await;
    assert_eq!(
        page.output("two-tasks"),
        ["Task 1 completed", "Task 2 completed"]
    );
    // Stop on a finished run is harmless.
    page.click("#two-tasks button.stop");
    assert_eq!(page.state("two-tasks"), "matched");
}

#[wasm_bindgen_test]
async fn several_lessons_run_at_once() {
    let page = Page::mount();
    go_to("#gather").await;
    page.click("#gather button.run");
    go_to("#downloads").await;
    page.click("#downloads button.run");
    assert_eq!(page.state("gather"), "running");
    for lesson in ["downloads", "gather"] {
        let state = page.settle(lesson, 2000).await;
        let status = page.find(&format!("#{lesson} .status")).text_content();
        assert_eq!(state, "matched", "{lesson}: {status:?}");
    }
}

#[wasm_bindgen_test]
async fn deep_link_opens_its_lesson_and_unknown_ones_say_so() {
    let page = Page::mount();
    go_to("#downloads").await;
    assert!(!page.hidden("downloads"));
    assert!(page.hidden("gather"));
    let current = page.find(".toc a[aria-current=page]");
    assert_eq!(current.get_attribute("href").as_deref(), Some("#downloads"));

    go_to("#no-such-lesson").await;
    assert!(!page.hidden("lazy"), "the first lesson stands in");
    let notice = page.find(".notice");
    assert!(!notice.has_attribute("hidden"));
    assert!(notice
        .text_content()
        .unwrap_or_default()
        .contains("no-such-lesson"));
}

#[wasm_bindgen_test]
async fn changed_values_change_the_expected_output() {
    let page = Page::mount();
    go_to("#downloads").await;
    page.set_input("#downloads input[name=files]", "5");
    let expected = page
        .app
        .root()
        .query_selector_all("#downloads .expected li")
        .expect("selector");
    assert_eq!(expected.length(), 10);
    page.click("#downloads button.run");
    page.assert_matches("downloads", 2000).await;
    assert_eq!(page.output("downloads").len(), 10);
    let rows = page
        .app
        .root()
        .query_selector_all("#downloads .progress-row")
        .expect("selector");
    assert_eq!(rows.length(), 5, "a progress bar per file");
}

#[wasm_bindgen_test]
async fn bad_speed_is_refused_with_a_visible_message() {
    let page = Page::mount();
    go_to("#gather").await;
    page.set_input(".speed input", "500");
    let msg = page.find(".speed-msg").text_content().unwrap_or_default();
    assert!(msg.contains("0.1× to 100×"), "{msg}");
    page.click("#gather button.run");
    assert_eq!(page.state("gather"), "refused");
    let status = page.status("gather");
    assert!(status.contains("500×"), "{status}");
    assert!(page.output("gather").is_empty());
    assert_eq!(rt::live_timers(), 0, "nothing was started");

    page.set_input(".speed input", "twenty");
    page.click("#gather button.run");
    assert_eq!(page.state("gather"), "refused");

    page.set_input(".speed input", "20");
    assert!(page
        .find(".speed-msg")
        .text_content()
        .unwrap_or_default()
        .is_empty());
    page.click("#gather button.run");
    page.assert_matches("gather", 2000).await;
}

#[wasm_bindgen_test]
async fn bad_parameter_is_refused_and_named() {
    let page = Page::mount();
    go_to("#hello-world").await;
    page.set_input("#hello-world input[name=pause]", "-3");
    let msg = page
        .find("#hello-world .param-msg")
        .text_content()
        .unwrap_or_default();
    assert!(
        msg.contains("Pause (s) must be a number from 0 to 10"),
        "{msg}"
    );
    page.click("#hello-world button.run");
    assert_eq!(page.state("hello-world"), "refused");
    page.set_input("#hello-world input[name=pause]", "");
    page.click("#hello-world button.run");
    assert_eq!(page.state("hello-world"), "refused");
    page.set_input("#hello-world input[name=pause]", "1");
    page.click("#hello-world button.run");
    page.assert_matches("hello-world", 2000).await;
}

#[wasm_bindgen_test]
async fn models_lesson_refuses_a_bad_n_then_runs_and_shows_its_table() {
    let page = Page::mount();
    go_to("#models").await;
    let rows = page
        .app
        .root()
        .query_selector_all("#models table.models tbody tr")
        .expect("a valid selector")
        .length();
    assert_eq!(rows, 3, "async, threads, processes");
    page.set_input("#models input[name=n]", "50000000");
    let msg = page
        .find("#models .param-msg")
        .text_content()
        .unwrap_or_default();
    assert!(msg.contains("from 1000 to 10000000"), "{msg}");
    page.click("#models button.run");
    assert_eq!(page.state("models"), "refused");
    assert!(page.output("models").is_empty());

    page.set_input("#models input[name=n]", "100000");
    page.click("#models button.run");
    assert_eq!(page.settle("models", 10_000).await, "matched");
    let out = page.output("models");
    assert_eq!(out.len(), 3, "{out:?}");
    assert!(
        out[2].starts_with("worker: 9592 primes below 100000"),
        "{out:?}"
    );
    let status = page.status("models");
    assert!(status.contains("on this machine"), "{status}");
}

#[wasm_bindgen_test]
async fn event_loop_lesson_marks_the_group_that_may_come_either_way() {
    let page = Page::mount();
    go_to("#event-loop").await;
    let either = page
        .app
        .root()
        .query_selector_all("#event-loop .expected li.either")
        .expect("a valid selector")
        .length();
    assert_eq!(either, 3, "message, timer and frame share a group");
    page.click("#event-loop button.run");
    page.assert_matches("event-loop", 5000).await;
    assert_eq!(
        page.output("event-loop")[..2],
        [
            "main: schedule five things, then wait",
            "main: back to the loop"
        ]
    );
}

#[wasm_bindgen_test]
async fn fetched_markup_shows_as_text_and_an_empty_url_list_is_refused() {
    common::serve_www_as_page_base();
    let page = Page::mount();
    go_to("#requests").await;
    let urls = "#requests textarea[name=urls]";
    page.set_input(urls, "  \n  \n");
    let msg = page
        .find("#requests .param-msg")
        .text_content()
        .unwrap_or_default();
    assert!(
        msg.contains("URLs, one per line: enter at least one"),
        "{msg}"
    );
    page.click("#requests button.run");
    assert_eq!(page.state("requests"), "refused");

    page.set_input(urls, "demo/page.html\n\ndemo/missing.txt\n");
    page.click("#requests button.run");
    assert_eq!(page.settle("requests", 10_000).await, "matched");
    let out = page.output("requests");
    assert!(
        out[1].starts_with(
            "demo/page.html → 200 OK · 1090 bytes · <!doctype html> <html lang=\"en\">"
        ),
        "{out:?}"
    );
    assert!(
        out[2].starts_with("demo/missing.txt → 404 Not Found · "),
        "{out:?}"
    );
    // The page's markup is characters in the output, not elements.
    assert!(page
        .app
        .root()
        .query_selector("#requests .output samp *")
        .expect("a valid selector")
        .is_none());
}

#[wasm_bindgen_test]
async fn the_browser_lesson_shows_the_page_it_loaded_and_its_title() {
    common::serve_www_as_page_base();
    let page = Page::mount();
    go_to("#browser").await;
    page.click("#browser button.run");
    assert_eq!(page.settle("browser", 10_000).await, "matched");
    assert_eq!(page.output("browser")[1], "A page to read from Rust");
    let frame = page.find("#browser .stage-box iframe.tour-page");
    assert!(
        frame
            .get_attribute("src")
            .unwrap_or_default()
            .ends_with("/demo/page.html"),
        "the thumbnail shows the loaded page"
    );
}

/// How many elements under the tour match `selector`.
fn count(page: &Page, selector: &str) -> u32 {
    page.app
        .root()
        .query_selector_all(selector)
        .expect("a valid selector")
        .length()
}

#[wasm_bindgen_test]
async fn after_a_run_the_loop_list_says_the_record_in_words() {
    use async_tour::ui::loop_words::{describe, notable, Times};
    let page = Page::mount();
    go_to("#gather").await;
    page.click("#gather button.run");
    assert_eq!(
        count(&page, "#gather .loop-list li"),
        0,
        "nothing before the end"
    );
    page.assert_finishes("gather", 2000).await;
    let run = page.run_of("gather");
    let record = run.record();
    let lines = run.lines();
    let times = Times::new(20.0, true);
    // By default: the events that matter, each in the record's words.
    let keep = notable(&record);
    let rows = page
        .app
        .root()
        .query_selector_all("#gather .loop-list li")
        .expect("selector");
    let wanted: Vec<usize> = (0..record.events.len())
        .filter(|&i| keep[i] && !record.events[i].what.is_wait())
        .collect();
    assert_eq!(rows.length() as usize, wanted.len());
    for (n, &i) in wanted.iter().enumerate() {
        let row: Element = rows
            .item(n as u32)
            .and_then(|r| r.dyn_into().ok())
            .expect("a row");
        let say = row
            .query_selector(".say")
            .ok()
            .flatten()
            .and_then(|s| s.text_content())
            .unwrap_or_default();
        let words = describe(&record, i, &lines, times).expect("words");
        assert_eq!(say, words.rust, "row {n} says event {i}");
    }
    let all = said_events(&record).len();
    assert!(
        wanted.len() < all,
        "the join's re-polls are left to the full list"
    );
    drop(record);
    page.click("#gather .loop-toggle");
    assert_eq!(count(&page, "#gather .loop-list li") as usize, all);
}

#[wasm_bindgen_test]
async fn the_timeline_marks_every_poll_and_wake_and_says_them_when_pointed_at() {
    use async_tour::rt::trace::{Cause, What};
    let page = Page::mount();
    go_to("#gather").await;
    page.click("#gather button.run");
    page.assert_finishes("gather", 2000).await;
    let run = page.run_of("gather");
    let (polls, wakes) = {
        let record = run.record();
        let polls = record
            .events
            .iter()
            .filter(|e| matches!(e.what, What::Poll { .. }))
            .count();
        let wakes = record
            .events
            .iter()
            .filter(|e| matches!(e.what, What::Woke { by, .. } if !matches!(by, Cause::Child(_))))
            .count();
        (polls as u32, wakes as u32)
    };
    assert_eq!(count(&page, "#gather .timeline rect.poll"), polls);
    assert_eq!(count(&page, "#gather .timeline circle.wake"), wakes);
    assert_eq!(wakes, 3, "one wake per timer");
    // Every mark says its event; the routine ones (a join re-polling a
    // child that was not woken) stay out of the Tab order.
    let said = count(&page, "#gather .timeline [data-say]");
    let tabbed = count(&page, "#gather .timeline [data-say][tabindex='0']");
    assert_eq!(said, polls + wakes);
    assert_eq!(
        count(&page, "#gather .timeline circle.wake[tabindex='0']"),
        3
    );
    assert!(tabbed < said, "{tabbed} of {said} marks in the Tab order");
    let mark = page.find("#gather .timeline circle.wake");
    let said = mark
        .get_attribute("data-say")
        .expect("a mark says its event");
    assert!(said.contains("sleep 3 s fired: task 1 woken"), "{said}");
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let event = web_sys::Event::new_with_event_init_dict("pointerover", &init).expect("event");
    mark.dispatch_event(&event).expect("dispatch");
    let caption = page
        .find("#gather .mark-say")
        .text_content()
        .unwrap_or_default();
    assert_eq!(caption, said);
}

#[wasm_bindgen_test]
fn run_is_enabled_only_once_the_module_has_wired_it() {
    let doc = ui::dom::document();
    let holder = doc.create_element("div").expect("create a div");
    holder.set_inner_html(&site::tour().into_string());
    let run = holder
        .query_selector("#gather button.run")
        .expect("a valid selector")
        .expect("the rendered page has gather's Run");
    assert!(run.has_attribute("disabled"), "Run works before the module");
    doc.body()
        .expect("a body")
        .append_child(&holder)
        .expect("append");
    let root = holder.first_element_child().expect("the tour");
    let app = ui::mount(&root).expect("the rendered tour mounts");
    assert!(
        !run.has_attribute("disabled"),
        "the module left Run disabled"
    );
    assert!(root.class_list().contains("live"));
    app.unmount();
    holder.remove();
}

#[wasm_bindgen_test]
fn a_page_from_another_build_is_refused_with_a_message_not_a_panic() {
    let doc = ui::dom::document();
    let holder = doc.create_element("div").expect("create a div");
    holder.set_inner_html(&site::tour().into_string());
    holder
        .query_selector("#gather button.stop")
        .expect("a valid selector")
        .expect("the rendered page has gather's Stop")
        .remove();
    let root = holder.first_element_child().expect("the tour");
    let err = ui::mount(&root)
        .err()
        .expect("a page without Stop is refused");
    let message = err.as_string().unwrap_or_default();
    assert!(
        message.contains("button.stop") && message.contains("#gather"),
        "{message}"
    );
}

/// The events the loop's list says, and so the steps: all but the waits.
fn said_events(record: &rt::trace::Record) -> Vec<usize> {
    (0..record.events.len())
        .filter(|&i| !record.events[i].what.is_wait())
        .collect()
}

/// Each actor's name and state in `lesson`'s step panel.
fn step_states(page: &Page, lesson: &str) -> Vec<(String, String)> {
    let rows = page
        .app
        .root()
        .query_selector_all(&format!("#{lesson} .step-actors tbody tr"))
        .expect("a valid selector");
    (0..rows.length())
        .filter_map(|i| rows.item(i)?.dyn_into::<Element>().ok())
        .map(|r| {
            let who = r.get_attribute("data-actor").unwrap_or_default();
            (who, r.get_attribute("data-state").unwrap_or_default())
        })
        .collect()
}

/// The text of the listing lines at `selector` (`.ln.at`, `[aria-current]`).
fn line_texts(page: &Page, lesson: &str, code: &str, selector: &str) -> Vec<String> {
    let lines = page
        .app
        .root()
        .query_selector_all(&format!("#{lesson} .code.{code} {selector}"))
        .expect("a valid selector");
    (0..lines.length())
        .filter_map(|i| lines.item(i)?.text_content())
        .collect()
}

#[wasm_bindgen_test]
async fn stepping_through_gather_shows_what_the_record_implies_and_where_each_task_waits() {
    use async_tour::rt::trace::What;
    let page = Page::mount();
    go_to("#gather").await;
    page.click("#gather button.run");
    page.assert_finishes("gather", 2000).await;
    let view = page.app.view("gather").expect("gather's view");
    let run = page.run_of("gather");
    let steps = said_events(&run.record());
    assert_eq!(view.steps(), steps.len(), "a step per event the list says");
    let tasks = ["task 1", "task 2", "task 3"];
    let mut seen: Vec<Vec<String>> = Vec::new();
    let mut sleep_lines_checked = 0;
    for (step, &event) in steps.iter().enumerate() {
        view.step_to(step);
        let shown = step_states(&page, "gather");
        // The panel shows every actor in the state the record implies.
        let record = run.record();
        let moment = record.at(event);
        let implied: Vec<(String, String)> = moment
            .actors
            .iter()
            .map(|a| {
                (
                    record.label(a.actor).to_string(),
                    a.state.as_str().to_string(),
                )
            })
            .collect();
        assert_eq!(shown, implied, "step {step}");
        let of_tasks: Vec<String> = tasks
            .iter()
            .map(|t| {
                shown
                    .iter()
                    .find(|(who, _)| who == t)
                    .map_or("-".to_string(), |(_, s)| s.clone())
            })
            .collect();
        if seen.last() != Some(&of_tasks) {
            seen.push(of_tasks);
        }
        // A poll that answered Pending on a sleep: the line it stopped at
        // is the one that awaits `sleep`, in Rust and (paired) in Python.
        if let What::Poll { actor, polled, .. } = record.events[event].what {
            let on_sleep = record
                .waits_in_poll(event)
                .any(|(_, on)| matches!(on, async_tour::rt::trace::Wait::Sleep { .. }));
            if matches!(polled, rt::trace::Polled::Pending { .. }) && on_sleep {
                let current = line_texts(&page, "gather", "rust", "[aria-current='step']");
                assert_eq!(current.len(), 1, "step {step}: one line is the step's");
                assert!(
                    current[0].contains("sleep(secs).await"),
                    "step {step}: {} waits at {:?}",
                    record.label(actor),
                    current[0]
                );
                let python = line_texts(&page, "gather", "python", ".ln.current");
                assert!(
                    python.len() == 1 && python[0].contains("await asyncio.sleep(n)"),
                    "step {step}: the paired Python line is {python:?}"
                );
                sleep_lines_checked += 1;
            }
        }
        let printed = page.output("gather").len();
        let visible = count(&page, "#gather .output li:not([hidden])") as usize;
        assert_eq!(
            visible, moment.printed,
            "step {step}: only what was printed"
        );
        assert!(printed >= visible);
        assert_eq!(
            count(&page, "#gather .timeline line.cursor"),
            1,
            "the timeline has its cursor"
        );
    }
    assert!(
        sleep_lines_checked >= 3,
        "each task's sleep was stepped on ({sleep_lines_checked})"
    );
    // Three waiting, then they finish shortest first (3, 2, 1 s).
    let wanted: [[&str; 3]; 4] = [
        ["waiting", "waiting", "waiting"],
        ["waiting", "waiting", "done"],
        ["waiting", "done", "done"],
        ["done", "done", "done"],
    ];
    let mut at = 0;
    for states in &seen {
        if at < wanted.len() && *states == wanted[at] {
            at += 1;
        }
    }
    assert_eq!(at, wanted.len(), "the states in order: {seen:?}");
    // While waiting, main's line is the join's.
    view.step_to(steps.len() / 2);
    let who: Vec<String> = line_texts(&page, "gather", "rust", ".ln.at");
    assert!(
        who.iter().any(|l| l.contains(".named(\"task")),
        "main waits in the join: {who:?}"
    );
}

#[wasm_bindgen_test]
async fn a_step_inside_the_blocked_second_shows_the_timer_overdue_and_the_ticker_unpolled() {
    use async_tour::rt::trace::What;
    let page = Page::mount();
    go_to("#blocking").await;
    page.set_input("#blocking input[name=rounds]", "1");
    page.click("#blocking button.run");
    page.assert_finishes("blocking", 4000).await;
    let view = page.app.view("blocking").expect("the view");
    let run = page.run_of("blocking");
    // The line of dashes is printed inside main's poll, at the end of the
    // blocked second: find its step.
    let dashes = run
        .lines()
        .iter()
        .position(|l| l.text.starts_with("----"))
        .expect("the dashes were printed");
    let step = {
        let record = run.record();
        said_events(&record)
            .into_iter()
            .position(|i| record.events[i].what == What::Printed(dashes as u32))
            .expect("the print is a step")
    };
    view.step_to(step);
    let states = step_states(&page, "blocking");
    let state_of = |who: &str| {
        states
            .iter()
            .find(|(w, _)| w == who)
            .map(|(_, s)| s.clone())
    };
    assert_eq!(state_of("main").as_deref(), Some("running"), "{states:?}");
    assert_eq!(
        state_of("ticker").as_deref(),
        Some("waiting"),
        "not polled since its timer came due: {states:?}"
    );
    let overdue = page
        .find("#blocking .step-flight li.overdue")
        .text_content()
        .unwrap_or_default();
    assert!(
        overdue.contains("sleep 0.1 s for ticker") && overdue.contains("overdue by"),
        "{overdue}"
    );
    // The ticker's line is its sleep.
    let lines = line_texts(&page, "blocking", "rust", ".ln.at[data-who='ticker']");
    assert!(
        lines.len() == 1 && lines[0].contains("sleep(0.1).await"),
        "{lines:?}"
    );
}

/// Presses `key` on `target`, as the keyboard would (the event bubbles).
fn press(target: &Element, key: &str) {
    let init = web_sys::KeyboardEventInit::new();
    init.set_key(key);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let event = web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init)
        .expect("a keydown event");
    target.dispatch_event(&event).expect("dispatch");
}

#[wasm_bindgen_test]
async fn arrows_home_and_end_step_and_the_buttons_follow() {
    let page = Page::mount();
    go_to("#gather").await;
    page.click("#gather button.run");
    page.assert_finishes("gather", 2000).await;
    let view = page.app.view("gather").expect("the view");
    let n = view.steps();
    let at = || {
        page.find("#gather .step-at")
            .text_content()
            .unwrap_or_default()
    };
    let range = page.find("#gather .step-range");
    press(&range, "End");
    assert!(at().starts_with(&format!("Step {n} of {n}")), "{}", at());
    assert!(page
        .find("#gather .step-next")
        .dyn_into::<web_sys::HtmlButtonElement>()
        .expect("a button")
        .disabled());
    press(&range, "ArrowLeft");
    assert!(at().starts_with(&format!("Step {} of", n - 1)), "{}", at());
    press(&range, "Home");
    assert!(at().starts_with("Step 1 of"), "{}", at());
    press(&range, "ArrowRight");
    assert!(at().starts_with("Step 2 of"), "{}", at());
    page.click("#gather .step-next");
    assert!(at().starts_with("Step 3 of"), "{}", at());
    page.click("#gather .step-back");
    assert!(at().starts_with("Step 2 of"), "{}", at());
    assert_eq!(
        ui::dom::window().location().hash().ok().as_deref(),
        Some("#gather/step/2"),
        "the address names the step"
    );
    // A new run leaves stepping, and its address.
    page.click("#gather button.run");
    page.assert_finishes("gather", 2000).await;
    assert_eq!(count(&page, "#gather .code .ln.at"), 0);
    assert_eq!(
        ui::dom::window().location().hash().ok().as_deref(),
        Some("#gather")
    );
}

#[wasm_bindgen_test]
async fn a_step_address_runs_its_lesson_and_lands_on_the_step() {
    let page = Page::mount();
    go_to("#two-tasks/step/4").await;
    assert_eq!(page.state("two-tasks"), "running", "opening it runs it");
    page.assert_finishes("two-tasks", 2000).await;
    wait_ms(20).await;
    let at = page
        .find("#two-tasks .step-at")
        .text_content()
        .unwrap_or_default();
    assert!(at.starts_with("Step 4 of"), "{at}");
    assert!(!page.find("#two-tasks").has_attribute("hidden"));
    assert!(!step_states(&page, "two-tasks").is_empty());
}
