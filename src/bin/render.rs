//! Renders the tour's page.
//!
//! - `cargo run --bin render -- www` writes `www/index.html` (see
//!   `async_tour::site`) and `www/_headers`, the headers a static host
//!   should send with it (the Content-Security-Policy; several hosts read
//!   this file, and so does `scripts/serve.py`).
//! - `cargo run --bin render -- --one-file dist/async-tour.html` packs the
//!   built page (`www/style.css`, the tour with the Python interpreter,
//!   `www/py-pkg`, and the editor, `www/editor.js`) into one file that runs from disk
//!   (`async_tour::site::one_file`).
//!
//! All of it is build output: written by `scripts/build.sh`, never
//! committed.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use async_tour::site;

fn main() -> ExitCode {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let done = match args.as_slice() {
        [flag, out] if flag.as_os_str() == "--one-file" => one_file(Path::new("www"), out),
        [] => page(Path::new("www")),
        [folder] => page(folder),
        _ => Err("usage: render [FOLDER] | render --one-file OUT.html".into()),
    };
    match done {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("render: {e}");
            ExitCode::FAILURE
        }
    }
}

/// `index.html` and `_headers` into `folder`.
fn page(folder: &Path) -> Result<(), String> {
    let page = site::page();
    // The tour's page, by both its addresses; the benchmark pages are
    // left alone.
    let headers = ["/", "/index.html"]
        .map(|path| format!("{path}\n  Content-Security-Policy: {}\n", site::CSP))
        .concat();
    write(&folder.join("index.html"), page.as_bytes())?;
    write(&folder.join("_headers"), headers.as_bytes())?;
    println!(
        "page: {} ({} bytes)",
        folder.join("index.html").display(),
        page.len()
    );
    Ok(())
}

/// The one-file tour, from the build in `www`.
fn one_file(www: &Path, out: &Path) -> Result<(), String> {
    let read = |path: &str| {
        let path = www.join(path);
        std::fs::read(&path).map_err(|e| {
            format!(
                "cannot read {} ({e}); build the page first (scripts/build.sh)",
                path.display()
            )
        })
    };
    let text = |path: &str| {
        read(path).and_then(|b| String::from_utf8(b).map_err(|e| format!("{path}: {e}")))
    };
    let parts = site::one_file::Parts {
        style: &text("style.css")?,
        // The tour with the Python interpreter: a page opened from a file
        // cannot fetch it later, as the served page does.
        glue: &text("py-pkg/async_tour.js")?,
        wasm: &read("py-pkg/async_tour_bg.wasm")?,
        editor: &text("editor.js")?,
    };
    let page = site::one_file::page(&parts)?;
    if let Some(folder) = out.parent() {
        std::fs::create_dir_all(folder).map_err(|e| format!("{}: {e}", folder.display()))?;
    }
    write(out, page.as_bytes())?;
    println!("one file: {} ({} bytes)", out.display(), page.len());
    Ok(())
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), String> {
    std::fs::write(path, bytes).map_err(|e| format!("could not write {}: {e}", path.display()))
}
