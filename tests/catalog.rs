//! The lesson data itself: what the page and the other tests rely on.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::HashSet;

use async_tour::lessons::{self, Chapter, Param, ParamKind, Value, MAX_LINE};

#[test]
fn lessons_keep_their_numbers_in_chapter_order() {
    let numbers: Vec<u8> = lessons::ALL.iter().map(|l| l.number).collect();
    assert_eq!(numbers[..11], (1..=11).collect::<Vec<u8>>());
    assert!(
        numbers.windows(2).all(|w| w[0] < w[1]),
        "numbers go up: {numbers:?}"
    );
    let chapters: Vec<Chapter> = lessons::ALL.iter().map(|l| l.chapter).collect();
    assert!(chapters.windows(2).all(|w| w[0].number() <= w[1].number()));
}

#[test]
fn ids_are_unique_and_safe_in_an_address() {
    let mut seen = HashSet::new();
    for l in lessons::ALL {
        assert!(seen.insert(l.id), "two lessons are called {}", l.id);
        assert!(
            l.id.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'),
            "#{} is not a clean fragment",
            l.id
        );
        assert_eq!(lessons::find(l.id).map(|f| f.number), Some(l.number));
    }
    assert!(lessons::find("nope").is_none());
}

#[test]
fn each_lesson_lives_in_the_files_named_after_its_id() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/lessons");
    for l in lessons::ALL {
        let name = l.file();
        let code = std::fs::read_to_string(dir.join(format!("{name}.rs")))
            .unwrap_or_else(|e| panic!("lesson {} has no {name}.rs: {e}", l.id));
        assert!(
            code.contains(&format!("id: \"{}\",", l.id)),
            "{name}.rs declares another lesson"
        );
        let text = |ext: &str| {
            std::fs::read_to_string(dir.join(format!("text/{name}.{ext}")))
                .unwrap_or_else(|e| panic!("lesson {} has no text/{name}.{ext}: {e}", l.id))
        };
        assert_eq!(text("md"), l.source().explanation, "{}'s explanation", l.id);
        assert_eq!(text("py"), l.source().python, "{}'s Python", l.id);
    }
}

#[test]
fn shown_listing_is_the_compiled_code_between_the_anchors() {
    for l in lessons::ALL {
        let listing = l.source().listing;
        let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("src/lessons")
            .join(format!("{}.rs", l.file()));
        let source = std::fs::read_to_string(&file).expect("readable");
        assert!(
            source.contains(listing),
            "{}'s listing is not in {}",
            l.id,
            file.display()
        );
        assert!(
            listing.contains("async fn"),
            "{}'s listing shows no async fn",
            l.id
        );
        assert!(
            !listing.contains("ANCHOR"),
            "{}'s listing kept a marker",
            l.id
        );
        assert!(
            !listing.contains("LESSON"),
            "{}'s listing runs into the lesson data",
            l.id
        );
    }
}

#[test]
fn defaults_are_valid_and_out_of_range_values_are_refused_by_name() {
    for l in lessons::ALL {
        let defaults: Vec<Value> = l.params.iter().map(Param::default_value).collect();
        assert!(
            l.args(&defaults).is_ok(),
            "{}'s defaults are out of range",
            l.id
        );
        for (i, p) in l.params.iter().enumerate() {
            let bads: Vec<Value> = match p.kind {
                ParamKind::Number { min, max, .. } => vec![
                    Value::Number(min - 1.0),
                    Value::Number(max + 1.0),
                    Value::Number(f64::NAN),
                ],
                ParamKind::Lines { max, .. } => vec![
                    Value::from(" \n \n"),
                    Value::Text("https://example.com/\n".repeat(max + 1)),
                    Value::Text("x".repeat(MAX_LINE + 1)),
                ],
            };
            for bad in bads {
                let mut values = defaults.clone();
                values[i] = bad;
                let err = l.args(&values).expect_err("out of range");
                assert_eq!(err.param.key, p.key);
                assert!(err.to_string().contains(p.label), "{err}");
            }
        }
    }
}

#[test]
fn expected_output_follows_the_values() {
    let gather = &lessons::gather::LESSON;
    let e = (gather.expected)(&gather.args(&[1.0, 5.0, 2.0]).expect("in range"));
    let texts: Vec<String> = e.lines.iter().map(|l| l.text.to_string()).collect();
    assert_eq!(
        texts,
        [
            "task 1 finished",
            "task 3 finished",
            "task 2 finished",
            "Total time elapsed: 5.00 seconds"
        ]
    );
    assert_eq!(e.total, 5.0);
    let seq = &lessons::sequential::LESSON;
    assert_eq!(
        (seq.expected)(&seq.args(&[1.0, 5.0, 2.0]).expect("in range")).total,
        8.0
    );
}

#[test]
fn every_python_listing_compiles() {
    for l in lessons::ALL {
        let out = std::process::Command::new("python3")
            .args(["-c", "import ast, sys; ast.parse(sys.stdin.read())"])
            .stdin(std::process::Stdio::piped())
            .spawn()
            .and_then(|mut child| {
                use std::io::Write;
                child
                    .stdin
                    .take()
                    .expect("piped stdin")
                    .write_all(l.source().python.as_bytes())?;
                child.wait()
            })
            .expect("python3 runs");
        assert!(out.success(), "{}'s Python does not parse", l.id);
    }
}

#[test]
fn the_request_lesson_demo_files_ship_beside_the_page() {
    let www = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("www");
    for (path, status) in lessons::requests::DEMO {
        let exists = www.join(path).is_file();
        assert_eq!(exists, status == 200, "{path} should give {status}");
    }
    // The default list is the demo files, in order.
    let requests = &lessons::requests::LESSON;
    let paths: Vec<&str> = lessons::requests::DEMO.iter().map(|(p, _)| *p).collect();
    assert_eq!(requests.defaults().lines("urls"), paths);
    let sw = std::fs::read_to_string(www.join("sw.js")).expect("www/sw.js");
    for (path, status) in lessons::requests::DEMO {
        if status == 200 {
            assert!(sw.contains(path), "sw.js keeps {path} for offline use");
        }
    }
}

/// `src/rt` reads bottom-up: each module uses only the modules declared
/// before it in `rt/mod.rs`, and none uses the lessons or the page.
#[test]
fn the_runtime_reads_bottom_up() {
    reads_bottom_up(
        "rt",
        10,
        &["crate::py", "crate::lessons", "crate::ui", "crate::site"],
        &[],
    );
}

/// `src/py`, the tour's Python, reads bottom-up too, and stands between
/// the runtime and the lessons: it may use `rt`, never the lessons or the
/// page. One layer is several files: the interpreter (one `Vm`, whose
/// methods are spread by topic), which the values refer to only as what a
/// builtin function is handed.
#[test]
fn the_python_reads_bottom_up() {
    reads_bottom_up(
        "py",
        4,
        &["crate::lessons", "crate::ui", "crate::site"],
        &[
            "value", "vm", "ops", "format", "builtins", "asyncio", "modules",
        ],
    );
}

/// Checks the modules of `src/<folder>` use only those declared before
/// them in its `mod.rs` (those of `layer` may also use each other), and
/// nothing of `outside`.
fn reads_bottom_up(folder: &str, at_least: usize, outside: &[&str], layer: &[&str]) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("src")
        .join(folder);
    let read =
        |name: &str| std::fs::read_to_string(dir.join(name)).expect("a src folder is readable");
    let order: Vec<String> = read("mod.rs")
        .lines()
        .filter_map(|l| l.strip_prefix("pub mod ")?.strip_suffix(';'))
        .map(str::to_string)
        .collect();
    assert!(
        order.len() >= at_least,
        "{folder}/mod.rs declares its modules: {order:?}"
    );
    for (at, module) in order.iter().enumerate() {
        let code = read(&format!("{module}.rs"));
        // Code only: doc comments may point anywhere.
        let code: String = code
            .lines()
            .filter(|l| !l.trim_start().starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n");
        for (other_at, other) in order.iter().enumerate() {
            let used = [
                format!("super::{other}"),
                format!("super::{{{other}"),
                format!("crate::{folder}::{other}"),
            ]
            .iter()
            .any(|path| {
                code.match_indices(path.as_str()).any(|(i, _)| {
                    !code[i + path.len()..].starts_with(|c: char| c.is_alphanumeric() || c == '_')
                })
            });
            let same_layer = layer.contains(&module.as_str()) && layer.contains(&other.as_str());
            assert!(
                !used || other_at < at || same_layer,
                "{folder}::{module} uses {folder}::{other}, which comes after it in {folder}/mod.rs"
            );
        }
        for outside in outside {
            assert!(!code.contains(outside), "{folder}::{module} uses {outside}");
        }
    }
}

/// Every file of `src/` but the lessons themselves is on the README's map
/// ("What is here"), under its folder, so a newcomer finds each one there.
#[test]
fn every_source_file_is_on_the_readme_map() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README.md");
    let map = readme
        .split("## What is here")
        .nth(1)
        .and_then(|rest| rest.split("```").nth(1))
        .expect("the README has a map in a code block under \"What is here\"");
    // The lines of the map under `src/<folder>/`, up to the next folder.
    let under = |folder: &str| -> String {
        let start = format!("src/{folder}/");
        map.lines()
            .skip_while(|l| !l.starts_with(&start))
            .skip(1)
            .take_while(|l| l.starts_with(' '))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let lesson_files: HashSet<String> = lessons::ALL
        .iter()
        .map(|l| format!("{}.rs", l.file()))
        .collect();
    for folder in ["rt", "py", "lessons", "ui", "site"] {
        let listed = under(folder);
        let dir = root.join("src").join(folder);
        for entry in std::fs::read_dir(&dir).expect("a src folder") {
            let path = entry.expect("an entry").path();
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .expect("a name")
                .to_string();
            if path.is_dir() || lesson_files.contains(&name) {
                continue;
            }
            assert!(
                listed.lines().any(|l| l.trim_start().starts_with(&name)),
                "src/{folder}/{name} is not on the README's map"
            );
        }
    }
    for file in [
        "src/lib.rs",
        "src/bin/render.rs",
        "src/bench.rs",
        "build.rs",
    ] {
        assert!(map.contains(file), "{file} is not on the README's map");
    }
}
