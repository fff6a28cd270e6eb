//! Cuts each lesson's listing out of its source file at build time, so the
//! page shows exactly the code that is compiled, and the module carries
//! only that part of each file (not the whole file a second time).
//!
//! A lesson file marks its listing with `// ANCHOR: listing` and
//! `// ANCHOR_END: listing`; the part between goes to
//! `$OUT_DIR/listings/<file>.rs`, which the lesson includes. A file with
//! text beside it and no listing (`your_own.rs`, the reader's own
//! program) has an empty one.
//!
//! It also writes `$OUT_DIR/listings/sources.rs`: every lesson's text
//! (`text/<file>.md` and `.py`) and listing, by file name, so the list of
//! lessons is written only once, in `lessons/mod.rs`; and
//! `$OUT_DIR/listings/lines.rs`: where each listing starts in its file,
//! so that a place `#[track_caller]` reports (a file and a line) maps to a
//! line of the listing. It checks that the callouts pairing Python lines
//! with Rust lines (`// <1>`, `# <1>`) pair up.

use std::fmt::Write;
use std::fs;
use std::path::Path;

#[path = "src/site/callouts.rs"]
mod callouts;

const START: &str = "// ANCHOR: listing\n";
const END: &str = "// ANCHOR_END: listing";

fn main() {
    // Absolute: the generated table includes the text files from $OUT_DIR.
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let lessons = Path::new(&manifest).join("src/lessons");
    println!("cargo:rerun-if-changed={}", lessons.display());
    let out = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("listings");
    fs::create_dir_all(&out).expect("create $OUT_DIR/listings");
    let mut table = String::from(
        "/// Each lesson file's listing: (file, its first line in the file, its\n\
         /// number of lines).\npub(crate) static LISTING_LINES: &[(&str, u32, u32)] = &[\n",
    );
    let mut sources = String::from(
        "/// Every lesson's text, by file name.\nstatic SOURCES: &[(&str, Source)] = &[\n",
    );
    let mut entries: Vec<_> = fs::read_dir(&lessons)
        .expect("src/lessons exists")
        .map(|e| e.expect("a readable entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.extension().and_then(|e| e.to_str()) != Some("rs") {
            continue;
        }
        println!("cargo:rerun-if-changed={}", path.display());
        let source = fs::read_to_string(&path).expect("a lesson file is UTF-8");
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("a UTF-8 name");
        let has_text = lessons.join("text").join(format!("{stem}.md")).is_file();
        let listing = match source.find(START).map(|i| i + START.len()) {
            Some(from) => {
                let to = source[from..]
                    .find(END)
                    .map(|i| from + i)
                    .unwrap_or_else(|| {
                        panic!("{} opens a listing but never closes it", path.display())
                    });
                let listing = source[from..to].trim_end();
                let first = source[..from].lines().count() + 1;
                let _ = writeln!(
                    table,
                    "    ({stem:?}, {first}, {}),",
                    listing.lines().count()
                );
                listing
            }
            // The reader's own program: text, and no Rust.
            None if has_text => "",
            None => continue, // not a lesson: mod.rs, expected.rs
        };
        fs::write(out.join(format!("{stem}.rs")), listing).expect("write the listing");
        let [explanation, python] = ["md", "py"].map(|ext| {
            let path = lessons.join("text").join(format!("{stem}.{ext}"));
            assert!(
                path.is_file(),
                "lessons/{stem}.rs has no text/{stem}.{ext} beside it"
            );
            path
        });
        // Its experiments ("Try this"), if it has any.
        let experiments = lessons.join("text").join(format!("{stem}.try"));
        let experiments = if experiments.is_file() {
            format!("include_str!({:?})", experiments.display().to_string())
        } else {
            "\"\"".to_string()
        };
        let _ = writeln!(
            sources,
            "    ({stem:?}, Source {{\n        explanation: include_str!({:?}),\n        \
             python: include_str!({:?}),\n        \
             listing: include_str!(concat!(env!(\"OUT_DIR\"), \"/listings/{stem}.rs\")),\n        \
             experiments: {experiments},\n    }}),",
            explanation.display().to_string(),
            python.display().to_string(),
        );
        let python = fs::read_to_string(&python).expect("a lesson's Python is UTF-8");
        let problems = callouts::unpaired(listing, &python);
        assert!(
            problems.is_empty(),
            "the callouts of {} and text/{stem}.py do not pair up: {}",
            path.display(),
            problems.join("; ")
        );
    }
    table.push_str("];\n");
    sources.push_str("];\n");
    fs::write(out.join("sources.rs"), sources).expect("write sources.rs");
    fs::write(out.join("lines.rs"), table).expect("write lines.rs");
}
