//! Renders the tour's page: `cargo run --bin render -- www/index.html`.
//!
//! The page is build output (see `async_tour::site`), so it is written
//! here by `scripts/build.sh` and never committed.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let out = std::env::args_os()
        .nth(1)
        .map_or_else(|| PathBuf::from("www/index.html"), PathBuf::from);
    let page = async_tour::site::page();
    match std::fs::write(&out, &page) {
        Ok(()) => {
            println!("page: {} ({} bytes)", out.display(), page.len());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("could not write {}: {e}", out.display());
            ExitCode::FAILURE
        }
    }
}
