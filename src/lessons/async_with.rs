//! Lesson 13: `async with` is an async open, a body, and an awaited close.

use super::{Args, Chapter, Expected, Lesson, Param, View};
// ANCHOR: listing
use crate::rt::*;
use crate::say;

/// A connection that must be closed, with a goodbye, when done.
struct Connection {
    name: &'static str,
    closed: bool,
}

impl Connection {
    /// `__aenter__`: opening takes a while.
    async fn open(name: &'static str, secs: f64) -> Connection {
        say!("opening {name}");
        sleep(secs).await;
        Connection {
            name,
            closed: false,
        }
    }

    /// `__aexit__`: so does closing, which sends the goodbye.
    async fn close(mut self, secs: f64) {
        say!("closing {}", self.name);
        sleep(secs).await;
        self.closed = true;
        say!("{} closed", self.name);
    }
}

impl Drop for Connection {
    // Rust has no async Drop: this cannot await the goodbye, only free
    // what needs no waiting.
    fn drop(&mut self) {
        if !self.closed {
            say!("{} dropped unclosed: socket freed, no goodbye", self.name);
        }
    }
}

/// `async with Connection(name) as conn: body`. The close is awaited
/// whether the body returns `Ok` or `Err`.
async fn with_connection<T>(
    name: &'static str,
    secs: f64,
    body: impl AsyncFnOnce(&Connection) -> Result<T, String>,
) -> Result<T, String> {
    let _span = span(name);
    let conn = Connection::open(name, secs).await;
    let result = body(&conn).await;
    conn.close(secs).await;
    result
}

async fn query(name: &'static str, args: &Args, fail: bool) -> Result<(), String> {
    let (secs, query) = (args.get("open"), args.get("query"));
    with_connection(name, secs, async |conn| {
        say!("query on {}", conn.name);
        sleep(query).await;
        if fail {
            return Err("bad row".to_string());
        }
        Ok(())
    })
    .await
}

/// What the Run button starts.
pub async fn main(args: Args) {
    let start = now();
    let _ = query("db", &args, false).await;
    if let Err(e) = query("cache", &args, true).await {
        say!("error: {e}");
    }

    let task = spawn({
        let args = args.clone();
        async move { query("log", &args, false).await }
    });
    sleep(args.get("open") + args.get("query") / 2.0).await; // halfway through
    task.cancel(); // drops the future: the close can never be awaited
    say!("log task: {}", task.status());
    say!("Total time elapsed: {:.2} seconds", now() - start);
}
// ANCHOR_END: listing

/// The lesson as the page and the tests see it.
pub static LESSON: Lesson = Lesson {
    id: "async-with",
    number: 13,
    chapter: Chapter::Language,
    title: "async with",
    params: &[
        Param::secs("open", "open and close take (s)", 0.5, 2.0),
        Param::secs_from("query", "a query takes (s)", 1.0, 0.2, 3.0),
    ],
    view: View::Timeline,
    paced: true,
    run: |args| Box::pin(main(args)),
    expected: |args| expected(args, Cleanup::Dropped),
    python_output: Some(|args| expected(args, Cleanup::Awaited)),
};

/// How the cancelled `log` connection ends.
#[derive(Clone, Copy, PartialEq)]
enum Cleanup {
    /// Rust: dropped, its `Drop` runs at once.
    Dropped,
    /// Python: `__aexit__` still awaits the goodbye.
    Awaited,
}

fn expected(args: &Args, cleanup: Cleanup) -> Expected {
    let (o, q) = (args.get("open"), args.get("query"));
    let one = o + q + o;
    let mut e = Expected::new();
    e = e
        .line(0.0, "opening db")
        .line(o, "query on db")
        .line(o + q, "closing db")
        .line(one, "db closed")
        .span("db", 0.0, one);
    e = e
        .line(one, "opening cache")
        .line(one + o, "query on cache")
        .line(one + o + q, "closing cache")
        .line(2.0 * one, "cache closed")
        .line(2.0 * one, "error: bad row")
        .span("cache", one, 2.0 * one);
    let cancel = 2.0 * one + o + q / 2.0;
    e = e
        .line(2.0 * one, "opening log")
        .line(2.0 * one + o, "query on log");
    let end = match cleanup {
        Cleanup::Dropped => {
            e = e.line(cancel, "log dropped unclosed: socket freed, no goodbye");
            cancel
        }
        Cleanup::Awaited => {
            e = e.line(cancel, "closing log").line(cancel + o, "log closed");
            cancel + o
        }
    };
    e.span("log", 2.0 * one, cancel)
        .line(end, "log task: cancelled")
        .total_line(end)
        .total(end)
}
