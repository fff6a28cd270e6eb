//! Lesson 15: many HTTP requests, one after another and then gathered.

use super::{Args, Chapter, Expected, Lesson, Param, View};
// ANCHOR: listing
use crate::rt::http::{get, FetchError, Reply};
use crate::rt::*;
use crate::say;
use futures::future::join_all;

/// `client.get(url)`, under its own timeline bar. Dropping this future
/// (Stop) aborts the request through its `AbortController`.
async fn get_async(bar: String, url: &str, timeout: f64) -> Result<Reply, FetchError> {
    let _bar = span(bar);
    get(url, timeout).await
}

/// One row of the report: the status, or why there is none. The body's
/// start is shown as text: a page's markup prints as characters, never
/// as HTML.
fn row(url: &str, result: Result<Reply, FetchError>) -> String {
    match result {
        Ok(reply) => {
            let text = reply.body.split_whitespace().collect::<Vec<_>>().join(" ");
            let mut start: String = text.chars().take(40).collect();
            if text.is_empty() {
                start = "(no body)".into();
            } else if text.chars().count() > 40 {
                start.push('…');
            }
            let (status, reason, size) = (reply.status, reply.reason(), reply.body.len());
            format!("{url} → {status} {reason} · {size} bytes · {start}")
        }
        Err(e) => format!("{url} → ✗ {e}"),
    }
}

/// What the Run button starts.
pub async fn main(args: Args) {
    let urls = args.lines("urls");
    let timeout = args.get("timeout");

    // One after another: each request waits for the one before.
    let start = now_ms();
    for (i, url) in urls.iter().enumerate() {
        let _ = get_async(format!("{} one by one", i + 1), url, timeout).await;
    }
    let alone = now_ms() - start;
    say!("one by one: {} requests in {alone:.0} ms", urls.len());

    // Gathered: all in flight at once; results in the order asked.
    let start = now_ms();
    let requests = urls.iter().enumerate();
    let replies =
        join_all(requests.map(|(i, url)| get_async(format!("{} gathered", i + 1), url, timeout)))
            .await;
    let together = now_ms() - start;
    for (url, reply) in urls.iter().zip(replies) {
        say!("{}", row(url, reply));
    }
    say!("gathered: {} requests in {together:.0} ms", urls.len());
}
// ANCHOR_END: listing

/// The server the lesson's Python fetches from, its `BASE`, as written
/// for CPython (the tour served on the reader's machine). Run on the page,
/// the listing fetches from the page's own address instead.
pub const PYTHON_BASE: &str = "http://localhost:8000/";

/// The files shipped in `www/demo/` for this lesson, and the status each
/// gives: the default list, which works offline once the page has loaded.
pub const DEMO: [(&str, u16); 5] = [
    ("demo/hello.txt", 200),
    ("demo/tasks.json", 200),
    ("demo/page.html", 200),
    ("demo/loop.txt", 200),
    ("demo/missing.txt", 404),
];

/// The default list: [`DEMO`], one per line.
const DEFAULT_URLS: &str = "\
demo/hello.txt
demo/tasks.json
demo/page.html
demo/loop.txt
demo/missing.txt";

/// The lesson as the page and the tests see it.
pub static LESSON: Lesson = Lesson {
    id: "requests",
    number: 15,
    chapter: Chapter::RealIo,
    title: "Many HTTP requests",
    params: &[
        Param::lines("urls", "URLs, one per line", DEFAULT_URLS, 24),
        Param::secs_from("timeout", "timeout per request (s)", 5.0, 0.05, 60.0),
    ],
    view: View::Timeline,
    paced: false,
    run: |args| Box::pin(main(args)),
    expected: |args| {
        let urls = args.lines("urls");
        let mut e =
            Expected::new().measured_line(0.0, format!("one by one: {} requests in ", urls.len()));
        for url in &urls {
            e = match DEMO.iter().find(|(path, _)| path == url) {
                Some(&(_, status)) => e.measured_line(
                    0.0,
                    format!("{url} → {status} {}", crate::rt::http::reason(status)),
                ),
                // Another site's answer can't be known in advance.
                None => e.measured_line(0.0, format!("{url} → ")),
            };
        }
        e.measured_line(0.0, format!("gathered: {} requests in ", urls.len()))
            .untimed()
    },
    // The Python gathers the default list and prints each status
    // (`tests/py_run.rs` holds this to what CPython prints).
    python_output: Some(|args| {
        let mut e = Expected::new();
        for url in args.lines("urls") {
            e = match DEMO.iter().find(|(path, _)| *path == url) {
                Some(&(_, status)) => e.line(0.0, format!("{url} {status}")),
                None => e.measured_line(0.0, format!("{url} ")),
            };
        }
        e.untimed()
    }),
};
