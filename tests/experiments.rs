//! "Try this": every lesson's experiments, judged by CPython on the host.
//! Each edited program runs under CPython (with the fidelity harness, at
//! 20x), and every promise its sentence makes (its checks) must hold
//! there. The edited programs and what CPython printed are written to
//! `target/py-expected/` for the browser test (`tests/py_corpus.rs`) to
//! hold the tour's interpreter to.
#![cfg(not(target_arch = "wasm32"))]

use std::path::Path;
use std::process::Command;

use async_tour::lessons::{self, experiments::Experiment, Lesson};

/// Lessons 1 to 14 and 19 offer one to three experiments; the others
/// (the network, a browser, processes) none.
#[test]
fn the_lessons_that_run_on_the_page_offer_experiments() {
    for lesson in lessons::ALL {
        let n = lesson.experiments().len();
        let offers = lesson.number <= 14 || lesson.number == 19;
        if offers {
            assert!((1..=3).contains(&n), "{} has {n} experiments", lesson.id);
        } else {
            assert_eq!(n, 0, "{} needs what a page lacks", lesson.id);
        }
    }
}

/// Where the browser test finds experiment `i` (from 0) of `lesson`.
pub fn name(lesson: &Lesson, i: usize) -> String {
    format!("{}_try{}", lesson.file(), i + 1)
}

#[test]
fn every_experiment_keeps_its_promises_under_cpython() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = root.join("target/py-expected");
    let programs = out.join("experiments");
    std::fs::create_dir_all(&programs).expect("a folder under target/");
    let mut broken = Vec::new();
    let mut count = 0;
    for lesson in lessons::ALL {
        for (i, e) in lesson.experiments().iter().enumerate() {
            count += 1;
            let name = name(lesson, i);
            let edited = e
                .apply(lesson.source().python)
                .expect("the edit fits (Lesson::experiments checked)");
            let file = programs.join(format!("{name}.py"));
            std::fs::write(&file, &edited).expect("write the edited program");
            let (stdout, stderr) = cpython(root, &file);
            if let Err(why) = keeps(e, &stdout, &stderr) {
                broken.push(format!("{} “{}”: {why}", lesson.id, e.title));
            }
            // The exception or warning it ends with, whole, as in
            // `sys:1: RuntimeWarning: coroutine 'mul' was never awaited`
            // (the hint to enable tracemalloc is the harness's: CPython
            // run plainly gives none there).
            let error = stderr
                .lines()
                .rev()
                .find(|l| {
                    !l.contains("tracemalloc")
                        && (l.contains("Error: ")
                            || l.contains("Warning: ")
                            || l.ends_with("Error"))
                })
                .unwrap_or("");
            std::fs::write(out.join(format!("{name}.tsv")), &stdout).expect("write");
            std::fs::write(out.join(format!("{name}.err")), error).expect("write");
        }
    }
    assert!(count >= 15, "only {count} experiments");
    assert!(broken.is_empty(), "{}", broken.join("\n"));
}

/// CPython's run of `file` under the fidelity harness at 20x:
/// `SECONDS<TAB>TEXT` lines and `END<TAB>SECONDS`, and standard error.
fn cpython(root: &Path, file: &Path) -> (String, String) {
    let out = Command::new("python3")
        .arg(root.join("tests/fidelity_harness.py"))
        .arg(file)
        .env("TOUR_TIME_SCALE", "0.05")
        .output()
        .expect("python3 runs the fidelity harness");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Whether CPython's run bears out every check of `e`.
fn keeps(e: &Experiment, stdout: &str, stderr: &str) -> Result<(), String> {
    let mut lines = Vec::new();
    let mut end = f64::NAN;
    for (at, text) in stdout.lines().filter_map(|l| l.split_once('\t')) {
        match at {
            "END" => end = text.trim().parse().unwrap_or(f64::NAN),
            _ => lines.push(text),
        }
    }
    e.checks
        .iter()
        .try_for_each(|c| c.holds(&lines, stderr, end))
}

/// A promise CPython does not bear out fails: the checks are not
/// decoration.
#[test]
fn a_broken_promise_is_caught() {
    let lesson = lessons::find("gather").expect("gather");
    let mut e = lesson.experiments()[0].clone();
    e.checks = vec![lessons::experiments::Check::Takes(3.0)];
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let file = std::env::temp_dir().join("async_tour_broken_promise.py");
    std::fs::write(&file, e.apply(lesson.source().python).expect("fits")).expect("write");
    let (stdout, stderr) = cpython(root, &file);
    assert!(
        keeps(&e, &stdout, &stderr).is_err(),
        "one by one takes 6 s, not 3"
    );
}
