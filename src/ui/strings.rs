//! Words the page says in two places: rendered into the page at build
//! time, and said again by the module while it runs.

/// The status line before the module has wired the lesson.
pub const LOADING: &str = "Run starts once the tour's WebAssembly has loaded.";

/// The status line of a lesson ready to run.
pub const IDLE: &str = "Press Run to run the Rust on your browser's event loop.";

/// What the line under the timeline says until a mark is pointed at.
pub const MARK_HINT: &str = "Point at or focus a mark (Tab) to read what the loop did there.";

/// What "What the loop did" says before the first run.
pub const LOOP_IDLE: &str = "Press Run: the loop's work shows here when the run ends.";
