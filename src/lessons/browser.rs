//! Lesson 17: another page, loaded in a frame and read.

use super::{Args, Chapter, Expected, Lesson, Param, View};
// ANCHOR: listing
use crate::rt::page::Page;
use crate::rt::*;
use crate::say;

/// What the Run button starts.
pub async fn main(args: Args) {
    let url = &args.lines("url")[0];
    // `browser.new_page()`: a frame in the thumbnail box.
    let page = match Page::new() {
        Ok(page) => page,
        Err(e) => return say!("no page: {e}"),
    };
    // `await page.goto(url)`: the frame's `load` event, as a future.
    let (start, bar) = (now_ms(), span("page.goto"));
    let loaded = page.goto(url, args.get("timeout")).await;
    drop(bar);
    match loaded {
        Ok(_) => say!("loaded {url} in {:.0} ms", now_ms() - start),
        Err(e) => return say!("{url}: {e}"),
    }
    // `await page.title()`; the thumbnail stands in for the screenshot.
    match page.title() {
        Ok(title) => say!("{title}"),
        Err(e) => say!("{e}"),
    }
}
// ANCHOR_END: listing

/// The page shipped beside the tour for this lesson, and its title.
pub const DEMO: (&str, &str) = ("demo/page.html", "A page to read from Rust");

/// The lesson as the page and the tests see it.
pub static LESSON: Lesson = Lesson {
    id: "browser",
    number: 17,
    chapter: Chapter::RealIo,
    title: "Driving a browser",
    params: &[
        Param::lines("url", "page URL", DEMO.0, 1),
        Param::secs_from("timeout", "timeout (s)", 10.0, 0.1, 60.0),
    ],
    view: View::Page,
    paced: false,
    run: |args| Box::pin(main(args)),
    expected: |args| {
        let url = &args.lines("url")[0];
        let e = Expected::new().measured_line(0.0, format!("loaded {url} in "));
        let e = if *url == DEMO.0 {
            e.line(0.0, DEMO.1)
        } else {
            e.measured_line(0.0, "") // another page's title, or why it can't be read
        };
        e.untimed()
    },
    python_output: None,
};
