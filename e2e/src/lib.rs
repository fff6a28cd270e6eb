//! # tour-e2e
//!
//! Drives the served tour in real browsers from outside, over WebDriver:
//! the Rust counterpart of the Playwright script in lesson 17. It runs on
//! the host, on tokio, never in the page.
//!
//! Read it in this order:
//!
//! 1. [`server`]: `scripts/serve.py` serving `www/` on a free local port.
//! 2. [`driver`]: chromedriver or geckodriver, used when one is running,
//!    started otherwise, and the headless browser's capabilities.
//! 3. [`session`]: a WebDriver session (fantoccini) that also listens over
//!    WebDriver BiDi for console errors and failed requests.
//! 4. [`tour`]: reading and pressing the tour page: its lessons, Run, Stop
//!    and the match mark.
//!
//! [`bench`] opens the benchmark page and waits for its result; [`py`]
//! runs a Python file on the runner page (`scripts/py.sh`).
//!
//! The examples (`title`, `screenshot`), the end-to-end suite
//! (`tests/tour.rs`) and the benchmark command (`src/bin/bench.rs`) are
//! built on these four.

pub mod axe;
pub mod bench;
pub mod driver;
pub mod py;
pub mod server;
pub mod session;
pub mod tour;

pub use driver::{Browser, Scheme};
pub use server::{Server, Site};
pub use session::{Problem, Session};

/// Errors from this crate: what went wrong, in words for a terminal.
pub type Error = Box<dyn std::error::Error + Send + Sync>;

/// A result with [`Error`].
pub type Result<T> = std::result::Result<T, Error>;

/// The repository's root folder (where `www/` and `scripts/` are).
pub fn repo_root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("e2e/ sits inside the repository")
        .to_path_buf()
}
