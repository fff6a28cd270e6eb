//! Fidelity: every lesson's Python listing, run by CPython, prints what the
//! Rust lesson expects, in the expected order, at the expected times.
//!
//! The harness (`fidelity_harness.py`) runs each listing unchanged with its
//! sleeps scaled down 20 times, so the whole check takes a couple of
//! seconds. Lesson 11's random waits are the seed's draws, fed to Python's
//! `random.randint` in the order the tasks call it.
#![cfg(not(target_arch = "wasm32"))]

use std::path::Path;
use std::process::Command;

use async_tour::lessons::{self, blocking, Args, Chapter, Lesson, Param, Value};
use async_tour::rt::{Line, Speed};

const SPEED: f64 = 20.0;

struct PythonRun {
    lines: Vec<Line>,
    total: f64,
}

fn run_python(lesson: &Lesson, draws: Option<Vec<u32>>) -> PythonRun {
    let dir = std::env::temp_dir().join(format!("async-tour-fidelity-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("make a temporary folder");
    let listing = dir.join(format!("{}.py", lesson.id));
    std::fs::write(&listing, lesson.source().python).expect("write the listing");
    let harness = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fidelity_harness.py");
    let mut cmd = Command::new("python3");
    cmd.arg(&harness)
        .arg(&listing)
        .env("TOUR_TIME_SCALE", (1.0 / SPEED).to_string())
        .env("PYTHONWARNINGS", "error");
    if let Some(d) = draws {
        let list: Vec<String> = d.iter().map(u32::to_string).collect();
        cmd.env("TOUR_DRAWS", list.join(","));
    }
    let out = cmd.output().expect("python3 is installed");
    assert!(
        out.status.success(),
        "lesson {}'s Python failed:\n{}",
        lesson.id,
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).expect("Python prints UTF-8");
    let mut lines = Vec::new();
    let mut total = None;
    for row in stdout.lines() {
        let (at, text) = row
            .split_once('\t')
            .expect("the harness prints TIME<TAB>TEXT");
        if at == "END" {
            total = Some(text.parse().expect("END carries the total"));
        } else {
            lines.push(Line {
                at: at.parse().expect("a time in seconds"),
                text: text.to_string(),
            });
        }
    }
    PythonRun {
        lines,
        total: total.expect("the harness reports the end"),
    }
}

/// Runs `lesson`'s Python with `args` and checks it against the lesson's
/// expected lines and total. Lesson 11's Python gets the seed's draws.
fn assert_faithful(lesson: &Lesson, args: &Args) {
    let draws = (lesson.id == blocking::LESSON.id)
        .then(|| blocking::draws(lesson.seed(args), args.count("rounds"), args.count("most")));
    let expected = lesson.python_output.unwrap_or(lesson.expected)(args);
    let py = run_python(lesson, draws);
    let speed = Speed::new(SPEED).expect("in range");
    let problems = expected.check_lines(&py.lines, speed);
    assert!(
        problems.is_empty(),
        "lesson {} ({}): CPython's output differs from the Rust lesson's expected output: {problems:?}\nPython printed: {:#?}",
        lesson.number,
        lesson.id,
        py.lines
    );
    assert!(
        expected.check_total(py.total, speed).is_none(),
        "lesson {}: Python took {:.2}s, the lesson expects {:.2}s",
        lesson.number,
        py.total,
        expected.total
    );
}

#[test]
fn python_listings_print_what_the_lessons_expect() {
    for lesson in lessons::ALL {
        if lesson.chapter == Chapter::Models {
            // Chapter 5 puts asyncio's model beside the browser's: the two
            // sides measure different machinery and print their own
            // numbers. Their Python is run in `models_python_runs`.
            continue;
        }
        if needs_the_network(lesson) {
            continue;
        }
        assert_faithful(lesson, &lesson.defaults());
    }
}

/// Lessons whose Python needs a package from PyPI and a server or browser
/// (httpx, Playwright): the host tests only check that they parse
/// (`catalog.rs`); the browser tests check what the Rust prints.
fn needs_the_network(lesson: &Lesson) -> bool {
    ["import httpx", "from playwright"]
        .iter()
        .any(|import| lesson.source().python.contains(import))
}

#[test]
fn models_python_runs() {
    for lesson in lessons::ALL.iter().filter(|l| l.chapter == Chapter::Models) {
        let py = run_python(lesson, None);
        assert!(
            py.lines.len() >= 3,
            "lesson {}'s Python printed {:?}",
            lesson.number,
            py.lines
        );
    }
}

#[test]
fn random_waits_match_python_for_other_seeds_too() {
    let lesson = &blocking::LESSON;
    for seed in [0.0, 5.0, 77.0] {
        let mut values: Vec<Value> = lesson.params.iter().map(Param::default_value).collect();
        *values.last_mut().expect("the seed is the last parameter") = Value::Number(seed);
        let args = lesson.args(&values).expect("defaults with another seed");
        assert_faithful(lesson, &args);
    }
}
