//! Lesson 10: simulated downloads overlap their waiting.

use super::{Args, Chapter, Expected, Lesson, Param, View};
// ANCHOR: listing
use crate::rt::*;
use crate::say;
use futures::future::join_all;

async fn download_file(name: String, secs: f64) {
    say!("Downloading {name}");
    sleep(secs).await; // stands in for the network <1>
    say!("{name} downloaded");
}

/// What the Run button starts.
pub async fn main(args: Args) {
    let secs = args.get("secs");
    let files = (1..=args.count("files")).map(|i| format!("file{i}"));
    let downloads = files.map(|name| download_file(name.clone(), secs).named(name)); // <2>
    join_all(downloads).await;
}
// ANCHOR_END: listing

/// The lesson as the page and the tests see it.
pub static LESSON: Lesson = Lesson {
    id: "downloads",
    number: 10,
    chapter: Chapter::Concurrency,
    title: "Simulated downloads",
    params: &[
        Param::count("files", "files", 3.0, 1.0, 8.0),
        Param::secs("secs", "each download takes (s)", 2.0, 10.0),
    ],
    view: View::Progress,
    paced: true,
    run: |args| Box::pin(main(args)),
    expected: |args| {
        let (n, secs) = (args.count("files"), args.get("secs"));
        let names: Vec<String> = (1..=n).map(|i| format!("file{i}")).collect();
        let mut e = Expected::new();
        for name in &names {
            e = e.line(0.0, format!("Downloading {name}"));
        }
        for name in &names {
            e = e
                .line(secs, format!("{name} downloaded"))
                .span(name.clone(), 0.0, secs);
        }
        e.total(secs)
    },
    python_output: None,
};
