//! The corpus programs, on the tour's interpreter
//! in a real browser, against what CPython printed for them on the host
//! (`tests/py_run.rs` writes it to `target/py-expected/`, before the
//! browser tests run): the same lines in the same order, each at about the
//! same (scaled) time, and the same exception at the end if it fails.
#![cfg(target_arch = "wasm32")]

mod common;

use async_tour::py;
use async_tour::rt::{self, Speed};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// The corpus sleeps tenths of seconds: at 5x those are 20 ms timers,
/// which Firefox fires on time (at 20x, 5 ms ones come late there).
const CORPUS_SPEED: f64 = 5.0;

/// Fetches a file of the crate's folder (the test runner serves it).
async fn file(path: &str) -> String {
    let reply = rt::http::get(path, 10.0)
        .await
        .unwrap_or_else(|e| panic!("fetch {path}: {e}"));
    assert_eq!(
        reply.status, 200,
        "{path} is missing: run `cargo test --test py_run` first (scripts/test.sh does)"
    );
    reply.body
}

/// The numbers in a line, and the line with them taken out.
fn numbers(line: &str) -> (String, Vec<f64>) {
    let mut shape = String::new();
    let mut found = Vec::new();
    let mut number = String::new();
    for c in line.chars().chain(std::iter::once(' ')) {
        if c.is_ascii_digit() || (c == '.' && !number.is_empty()) {
            number.push(c);
        } else {
            if !number.is_empty() {
                found.push(number.trim_end_matches('.').parse().unwrap_or(0.0));
                shape.push('#');
                number.clear();
            }
            shape.push(c);
        }
    }
    (shape, found)
}

/// Whether two printed lines agree: the same text, but for numbers (the
/// times a program prints of itself) within 0.15 of each other.
fn same_line(ours: &str, cpython: &str) -> bool {
    let ((a, x), (b, y)) = (numbers(ours), numbers(cpython));
    a == b && x.iter().zip(&y).all(|(p, q)| (p - q).abs() <= 0.15 + 1e-9)
}

/// Runs `tests/python/NAME.py` (or `DIR/NAME.py`, a lesson's listing)
/// and compares it with CPython's run, as `how` says.
async fn judge(path: &str, how: How) {
    let timed = how == How::Timed;
    py::warm_up().expect("asyncio.py compiles");
    common::warm_python().await;
    let (dir, name) = path.rsplit_once('/').unwrap_or(("tests/python", path));
    // Lesson 15's listing fetches from its `BASE`; the page puts its own
    // address there (here, the test server's folder of demo files).
    let base = web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .map(|origin| format!("{origin}/www/"))
        .expect("tests run on a page");
    let source = file(&format!("/{dir}/{name}.py"))
        .await
        .replace(async_tour::lessons::requests::PYTHON_BASE, &base);
    let expected = file(&format!("/target/py-expected/{name}.tsv")).await;
    let expected_error = file(&format!("/target/py-expected/{name}.err")).await;
    let speed = if dir.starts_with("src/lessons") {
        // Lessons' listings run at 1x, as a reader runs them (lesson 15's
        // requests get their whole five seconds).
        Speed::REAL_TIME
    } else {
        Speed::new(CORPUS_SPEED).expect("the test speed is in range")
    };
    let run_once = || async {
        let (listener, ended) = rt::until_ended();
        let started = py::start(&source, &format!("{name}.py"), speed, 0, listener)
            .unwrap_or_else(|e| panic!("{name}.py compiles: {e}"));
        ended.await.expect("a run always ends");
        started
    };
    let mut started = run_once().await;
    // As in `tests/real_io.rs`: now and then, one of several requests
    // gathered at once gets no answer from the test runner's own file
    // server. A program CPython ran without an error, whose request timed
    // out here, runs once more, said in the output; that run is judged.
    if expected_error.trim().is_empty() && started.stderr.borrow().contains("timed out") {
        web_sys::console::log_1(
            &format!("{name}.py: a request timed out, so it runs again").into(),
        );
        started = run_once().await;
    }
    let lines = started.run.lines();
    let stderr = started.stderr.borrow().clone();
    let cpython: Vec<(f64, &str)> = expected
        .lines()
        .filter_map(|l| l.split_once('\t'))
        .filter(|(t, _)| *t != "END")
        .map(|(t, text)| (t.parse().unwrap_or(0.0), text))
        .collect();
    let report = || {
        format!(
            "{name}.py\n ours:\n{}\n CPython:\n{}\n our stderr:\n{stderr}",
            lines
                .iter()
                .map(|l| format!("  {:.3} {}", l.at, l.text))
                .collect::<Vec<_>>()
                .join("\n"),
            cpython
                .iter()
                .map(|(t, l)| format!("  {t:.3} {l}"))
                .collect::<Vec<_>>()
                .join("\n")
        )
    };
    assert_eq!(lines.len(), cpython.len(), "{}", report());
    for (ours, (at, text)) in lines.iter().zip(&cpython) {
        let same = match how {
            How::Machine => numbers(&ours.text).0 == numbers(text).0,
            How::Timed | How::Untimed => same_line(&ours.text, text),
            How::Exact => ours.text == *text,
        };
        assert!(same, "{}", report());
        // As the lessons' tests: never early, and late by at most a
        // quarter (plus 0.15 s: a debug build at 20x shows each turn of
        // the loop, which CPython takes in microseconds).
        assert!(
            !timed || (ours.at >= at - 0.1 && ours.at <= at * 1.25 + 0.15),
            "{}: “{}” came at {:.3} s, CPython's at {:.3} s\n{}",
            name,
            ours.text,
            ours.at,
            at,
            report()
        );
    }
    let expected_error = expected_error.trim();
    if expected_error.is_empty() {
        assert!(stderr.is_empty(), "{}", report());
    } else {
        assert!(
            stderr.lines().any(|l| l.trim() == expected_error),
            "{name}.py should end with “{expected_error}”\n{}",
            report()
        );
    }
}

/// How a program is judged against CPython.
#[derive(Clone, Copy, PartialEq, Eq)]
enum How {
    /// Its lines, the numbers it prints (within 0.15) and their times.
    Timed,
    /// Its lines and numbers, not their times (where CPython's own
    /// warning machinery takes long enough to show at test speed).
    Untimed,
    /// A program whose numbers measure the machine (CPython's loop and
    /// the browser's differ there): its lines and their order, the
    /// numbers left out.
    Machine,
    /// A program that does not wait: its lines exactly as CPython's
    /// (every digit of every float, every case of every letter).
    Exact,
}

/// Every lesson's experiments ("Try this"), as `tests/experiments.rs`
/// edited them and CPython ran them. Lesson 11's is left out: its tasks
/// sleep random times, which CPython draws otherwise than the tour (its
/// promise is checked under CPython there, and on the page by the e2e
/// suite).
#[wasm_bindgen_test]
async fn every_experiment_as_cpython() {
    for lesson in async_tour::lessons::ALL {
        if lesson.id == "blocking" {
            continue;
        }
        let how = match lesson.id {
            "event-loop" => How::Machine,
            // CPython's warning machinery takes its time at test speed.
            "lazy" => How::Untimed,
            _ => How::Timed,
        };
        for i in 0..lesson.experiments().len() {
            let name = format!("{}_try{}", lesson.file(), i + 1);
            judge(&format!("target/py-expected/experiments/{name}"), how).await;
        }
    }
}

macro_rules! judged {
    ($($test:ident: $name:literal $(, $how:ident)?;)*) => {$(
        #[wasm_bindgen_test]
        async fn $test() {
            #[allow(unused_variables)]
            let how = How::Timed;
            $(let how = How::$how;)?
            judge($name, how).await;
        }
    )*};
}

judged! {
    gather_results_as_cpython: "gather_results";
    task_names_as_cpython: "task_names";
    wait_for_as_cpython: "wait_for";
    as_completed_as_cpython: "as_completed";
    event_lock_as_cpython: "event_lock";
    semaphore_as_cpython: "semaphore";
    queue_as_cpython: "queue";
    task_group_as_cpython: "task_group";
    async_generators_as_cpython: "async_generators";
    cancel_as_cpython: "cancel";
    loop_api_as_cpython: "loop_api";
    mistake_uncaught_as_cpython: "mistake_uncaught";
    mistake_not_awaitable_as_cpython: "mistake_not_awaitable";
    mistake_name_error_as_cpython: "mistake_name_error";
    mistake_never_awaited_as_cpython: "mistake_never_awaited", Untimed;
    mistake_task_exception_as_cpython: "mistake_task_exception";
    mistake_nested_run_as_cpython: "mistake_nested_run";
    httpx_client_as_cpython: "httpx_client", Untimed;
    event_loop_lesson_in_cpythons_order: "src/lessons/text/event_loop", Machine;
    requests_lesson_fetches_as_cpython: "src/lessons/text/requests", Untimed;
    your_own_programs_start_as_cpython: "src/lessons/text/your_own";
    // The programs that never wait: on the host they use core's floats and
    // Unicode tables; here, the browser's (see `py::decimal`, `py::unicode`).
    classes_as_cpython: "classes", Exact;
    containers_as_cpython: "containers", Exact;
    control_flow_as_cpython: "control_flow", Exact;
    exceptions_as_cpython: "exceptions", Exact;
    functions_as_cpython: "functions", Exact;
    generators_as_cpython: "generators", Exact;
    numbers_as_cpython: "numbers", Exact;
    strings_as_cpython: "strings", Exact;
    with_statement_as_cpython: "with_statement", Exact;
    mistake_recursion_as_cpython: "mistake_recursion", Exact;
    random_seeded_as_cpython: "random_seeded", Exact;
}
