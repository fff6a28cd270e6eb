//! Renders the tour's page into a folder: `cargo run --bin render -- www`.
//!
//! Writes `index.html` (see `async_tour::site`) and `_headers`, the
//! headers a static host should send with it (the Content-Security-Policy;
//! several hosts read this file, and so does `scripts/serve.py`). Both
//! are build output: written by `scripts/build.sh`, never committed.

use std::path::PathBuf;
use std::process::ExitCode;

use async_tour::site;

fn main() -> ExitCode {
    let folder = std::env::args_os()
        .nth(1)
        .map_or_else(|| PathBuf::from("www"), PathBuf::from);
    let page = site::page();
    // The tour's page, by both its addresses; the benchmark pages are
    // left alone.
    let headers = ["/", "/index.html"]
        .map(|path| format!("{path}\n  Content-Security-Policy: {}\n", site::CSP))
        .concat();
    for (name, text) in [("index.html", &page), ("_headers", &headers)] {
        let path = folder.join(name);
        if let Err(e) = std::fs::write(&path, text) {
            eprintln!("could not write {}: {e}", path.display());
            return ExitCode::FAILURE;
        }
    }
    println!(
        "page: {} ({} bytes)",
        folder.join("index.html").display(),
        page.len()
    );
    ExitCode::SUCCESS
}
