//! Another page, loaded in a frame: the in-page counterpart of
//! Playwright's `page.goto(url)` and `page.title()`.
//!
//! [`Page::new`] puts an `<iframe>` on the run's stage (the lesson's
//! thumbnail box). [`Page::goto`] points it at a URL and awaits its `load`
//! event as a future; dropping that future (Stop) sends the frame to
//! `about:blank`, which ends the loading. [`Page::title`] reads the loaded
//! document's title, which the browser allows only for a page of the
//! same origin.

use std::fmt;
use std::future::Future;

use futures::channel::oneshot;
use futures::future::{select, Either};
use wasm_bindgen::prelude::*;
use web_sys::{Document, Element, HtmlIFrameElement};

use super::fixed::Fixed;
use super::http::{resolve, FetchError};
use super::poll::{Leaf, Sited};
use super::run::Run;
use super::sleep::deadline;
use super::trace::Wait;

/// Why a page could not be loaded or read.
#[derive(Clone, Debug, PartialEq)]
pub enum PageError {
    /// Not a URL, or not an http(s) one.
    Url(FetchError),
    /// No `load` event in time.
    TimedOut(f64),
    /// The frame shows another origin's document, which this page may not
    /// read (the same-origin policy).
    CrossOrigin(String),
    /// The browser would not make a frame.
    NoFrame,
}

impl fmt::Display for PageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PageError::Url(e) => e.fmt(f),
            PageError::TimedOut(secs) => write!(
                f,
                "no load event after {} s; stopped (a page of another origin may refuse \
                 to be framed, or this page's cross-origin isolation may keep it out)",
                Fixed(*secs)
            ),
            PageError::CrossOrigin(origin) => write!(
                f,
                "the title can't be read: {origin} is another origin, and the same-origin \
                 policy keeps its document from this page (the frame shows it, but its \
                 title, text and DOM are off limits; a WebDriver client outside the page \
                 has no such limit)"
            ),
            PageError::NoFrame => f.write_str("the browser would not make a frame"),
        }
    }
}

impl std::error::Error for PageError {}

/// A frame on the run's stage: one "tab" of the page's own browser.
pub struct Page {
    frame: HtmlIFrameElement,
}

fn document() -> Option<Document> {
    web_sys::window()?.document()
}

/// The current run's stage, or the document's body outside one.
fn stage() -> Option<Element> {
    Run::current()
        .and_then(|run| run.stage())
        .or_else(|| document()?.body().map(Element::from))
}

impl Page {
    /// `browser.new_page()`: an empty frame on the stage, replacing the
    /// one a previous run left there.
    pub fn new() -> Result<Page, PageError> {
        let stage = stage().ok_or(PageError::NoFrame)?;
        if let Ok(Some(old)) = stage.query_selector(":scope > iframe.tour-page") {
            old.remove();
        }
        let frame: HtmlIFrameElement = document()
            .ok_or(PageError::NoFrame)?
            .create_element("iframe")
            .map_err(|_| PageError::NoFrame)?
            .dyn_into()
            .map_err(|_| PageError::NoFrame)?;
        frame.set_class_name("tour-page");
        frame.set_title("The page the lesson loaded");
        // Sandboxed: the page's scripts do not run, and it may not navigate
        // this page or open pop-ups; its document stays readable when it
        // is of this origin.
        let _ = frame.set_attribute("sandbox", "allow-same-origin");
        let _ = frame.set_attribute("tabindex", "-1");
        stage.append_child(&frame).map_err(|_| PageError::NoFrame)?;
        Ok(Page { frame })
    }

    /// `page.goto(url)`: loads `url` (relative to this page) and waits
    /// for the frame's `load` event, at most `timeout` seconds. Gives the
    /// full URL.
    #[track_caller]
    pub fn goto<'a>(
        &'a self,
        url: &'a str,
        timeout: f64,
    ) -> impl Future<Output = Result<String, PageError>> + 'a {
        Sited::new(async move {
            let url = resolve(url).map_err(PageError::Url)?;
            let (tx, rx) = oneshot::channel::<()>();
            let mut tx = Some(tx);
            let on_load = Closure::<dyn FnMut()>::new(move || {
                if let Some(tx) = tx.take() {
                    let _ = tx.send(());
                }
            });
            self.frame
                .set_onload(Some(on_load.as_ref().unchecked_ref()));
            let mut loading = Loading {
                frame: &self.frame,
                done: false,
            };
            self.frame.set_src(&url);
            let loaded = matches!(
                select(
                    Leaf {
                        on: Wait::Load(url.as_str().into()),
                        future: rx,
                    },
                    deadline(timeout)
                )
                .await,
                Either::Left((Ok(()), _))
            );
            self.frame.set_onload(None);
            drop(on_load);
            if !loaded {
                return Err(PageError::TimedOut(timeout)); // `loading` stops it
            }
            loading.done = true;
            Ok(url)
        })
    }

    /// `page.title()`: the loaded document's title, if this page may read
    /// it.
    pub fn title(&self) -> Result<String, PageError> {
        match self.frame.content_document() {
            Some(doc) => Ok(doc.title()),
            None => Err(PageError::CrossOrigin(origin_of(&self.frame.src()))),
        }
    }
}

fn origin_of(url: &str) -> String {
    web_sys::Url::new(url)
        .map(|u| u.origin())
        .unwrap_or_else(|_| url.to_string())
}

/// Stops a load that did not finish: dropped (Stop) or timed out.
struct Loading<'a> {
    frame: &'a HtmlIFrameElement,
    done: bool,
}

impl Drop for Loading<'_> {
    fn drop(&mut self) {
        if !self.done {
            self.frame.set_onload(None);
            self.frame.set_src("about:blank");
        }
    }
}
