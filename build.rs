//! Cuts each lesson's listing out of its source file at build time, so the
//! page shows exactly the code that is compiled, and the module carries
//! only that part of each file (not the whole file a second time).
//!
//! A lesson file marks its listing with `// ANCHOR: listing` and
//! `// ANCHOR_END: listing`; the part between goes to
//! `$OUT_DIR/listings/<file>.rs`, which the lesson includes.

use std::fs;
use std::path::Path;

const START: &str = "// ANCHOR: listing\n";
const END: &str = "// ANCHOR_END: listing";

fn main() {
    let lessons = Path::new("src/lessons");
    println!("cargo:rerun-if-changed={}", lessons.display());
    let out = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("listings");
    fs::create_dir_all(&out).expect("create $OUT_DIR/listings");
    for entry in fs::read_dir(lessons).expect("src/lessons exists") {
        let path = entry.expect("a readable entry").path();
        if path.extension().and_then(|e| e.to_str()) != Some("rs") {
            continue;
        }
        println!("cargo:rerun-if-changed={}", path.display());
        let source = fs::read_to_string(&path).expect("a lesson file is UTF-8");
        let Some(from) = source.find(START).map(|i| i + START.len()) else {
            continue; // not a lesson: mod.rs, expected.rs
        };
        let to = source[from..]
            .find(END)
            .map(|i| from + i)
            .unwrap_or_else(|| panic!("{} opens a listing but never closes it", path.display()));
        let name = path.file_name().expect("a file name");
        fs::write(out.join(name), source[from..to].trim_end()).expect("write the listing");
    }
}
