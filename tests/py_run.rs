//! The tour's Python interpreter, judged by CPython on the host: the
//! programs of `tests/python/` that do not wait on an event loop must
//! print what CPython prints, and fail (if they fail) with CPython's last
//! line. The ones that wait are judged in the browser.
#![cfg(not(target_arch = "wasm32"))]

use std::path::Path;
use std::process::Command;

use async_tour::py::run_sync;

/// The programs that run without an event loop.
const SYNC: &[&str] = &[
    "classes",
    "containers",
    "control_flow",
    "exceptions",
    "functions",
    "generators",
    "numbers",
    "strings",
    "with_statement",
    "mistake_recursion",
    "random_seeded",
];

fn cpython(file: &Path) -> (String, String) {
    let out = Command::new("python3")
        .arg(file)
        .output()
        .expect("python3 runs (CPython judges the tour's Python)");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn last_line(s: &str) -> &str {
    s.trim_end().lines().last().unwrap_or("")
}

#[test]
fn programs_print_what_cpython_prints() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/python");
    let mut failures = Vec::new();
    for name in SYNC {
        let file = dir.join(format!("{name}.py"));
        let source = std::fs::read_to_string(&file).expect("a readable program");
        let (stdout, stderr) = cpython(&file);
        let ours = run_sync(&source, &format!("{name}.py"));
        if ours.stdout != stdout || last_line(&ours.stderr) != last_line(&stderr) {
            let at = ours
                .stdout
                .lines()
                .zip(stdout.lines())
                .position(|(a, b)| a != b)
                .unwrap_or(ours.stdout.lines().count().min(stdout.lines().count()));
            failures.push(format!(
                "{name}.py, from line {} of its output:\n  ours:    {:?}\n  CPython: {:?}\n  our error: {}\n  CPython's: {}",
                at + 1,
                ours.stdout.lines().nth(at).unwrap_or(""),
                stdout.lines().nth(at).unwrap_or(""),
                last_line(&ours.stderr),
                last_line(&stderr)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The programs that need the event loop: judged in the browser
/// (`tests/py_corpus.rs`) against what CPython printed here.
pub const ASYNC: &[&str] = &[
    "gather_results",
    "task_names",
    "wait_for",
    "as_completed",
    "event_lock",
    "semaphore",
    "queue",
    "task_group",
    "async_generators",
    "cancel",
    "loop_api",
    "mistake_uncaught",
    "mistake_not_awaitable",
    "mistake_name_error",
    "mistake_never_awaited",
    "mistake_task_exception",
    "mistake_nested_run",
    "httpx_client",
];

/// Lessons' listings whose order the browser tests compare with CPython's
/// (their numbers measure the machine), and the start of your own program
/// (which has no expected output of its own).
pub const LESSONS: &[&str] = &["event_loop", "requests", "your_own"];

/// Where lesson 15's listing fetches from (its `BASE`): the tests put the
/// address of a server of `www/` in its place, as the page puts its own.
pub const LISTING_BASE: &str = async_tour::lessons::requests::PYTHON_BASE;

/// `scripts/serve.py` serving `www/` on a free port, for CPython's run of
/// lesson 15; stopped when dropped.
struct Served(std::process::Child, String);

impl Served {
    fn www(root: &Path) -> Served {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let child = Command::new("python3")
            .arg(root.join("scripts/serve.py"))
            .args(["--port", &port.to_string()])
            .arg(root.join("www"))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("python3 runs scripts/serve.py");
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        Served(child, format!("http://127.0.0.1:{port}/"))
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Runs each program of [`ASYNC`] and [`SYNC`] (and [`LESSONS`]) with CPython through the fidelity
/// harness (its sleeps 20 times shorter, `perf_counter` 20 times faster,
/// each line with its time) and writes what it printed to
/// `target/py-expected/NAME.tsv`, and the last line of its standard
/// error to `NAME.err`, for the browser tests to compare with. The test
/// script runs this before the browser tests.
#[test]
fn cpython_writes_what_the_browser_tests_expect() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out_dir = root.join("target/py-expected");
    std::fs::create_dir_all(&out_dir).expect("a folder under target/");
    let corpus = ASYNC.iter().chain(SYNC).map(|name| (name, "tests/python"));
    let lessons = LESSONS.iter().map(|name| (name, "src/lessons/text"));
    let served = Served::www(root);
    let scratch = out_dir.join("listings");
    std::fs::create_dir_all(&scratch).expect("a folder under target/");
    for (name, dir) in corpus.chain(lessons) {
        let source = std::fs::read_to_string(root.join(format!("{dir}/{name}.py")))
            .expect("the program's source");
        let file = scratch.join(format!("{name}.py"));
        std::fs::write(&file, source.replace(LISTING_BASE, &served.1))
            .expect("write the program to run");
        // CPython's timers fire late when the shared machine is busy, and
        // the browser tests hold the tour to "never earlier than CPython":
        // so each line's time is the earliest of three runs (a stall
        // delays one run's lines, rarely all three), when the three
        // printed the same lines; else the least held run (the earliest
        // end) is the one to compare with.
        let runs: Vec<(String, String)> = (0..3)
            .map(|_| {
                let out = Command::new("python3")
                    .arg(root.join("tests/fidelity_harness.py"))
                    .arg(&file)
                    .env("TOUR_TIME_SCALE", "0.05")
                    .output()
                    .expect("python3 runs the fidelity harness");
                (
                    String::from_utf8_lossy(&out.stdout).into_owned(),
                    String::from_utf8_lossy(&out.stderr).into_owned(),
                )
            })
            .collect();
        let (stdout, stderr) = earliest_of(&runs);
        assert!(
            stdout.lines().count() > 0 || !stderr.is_empty(),
            "{name}.py printed nothing under CPython"
        );
        // The exception a failing program ends with (CPython's last
        // "Name: message" line), or nothing.
        let error = stderr
            .lines()
            .rev()
            .find(|l| {
                let head = l.split(':').next().unwrap_or("");
                !head.is_empty()
                    && !head.contains(' ')
                    && (head.ends_with("Error") || head.ends_with("Warning"))
            })
            .unwrap_or("");
        if dir == "src/lessons/text" {
            let lesson = async_tour::lessons::find(&name.replace('_', "-"))
                .expect("a lesson's listing is named after its lesson");
            // Your own program's start has nothing else to match.
            if lesson.has_rust() {
                assert_python_output(lesson, &stdout);
            }
        }
        std::fs::write(out_dir.join(format!("{name}.tsv")), &stdout)
            .expect("write the expected output");
        std::fs::write(out_dir.join(format!("{name}.err")), error)
            .expect("write the expected error");
    }
}

/// What the page expects of `lesson`'s Python (its `python_output`, or
/// else its Rust's output) is what CPython printed, `stdout` (the
/// harness's `SECONDS<TAB>TEXT` lines): the same lines in the same order.
fn assert_python_output(lesson: &async_tour::lessons::Lesson, stdout: &str) {
    let lines: Vec<async_tour::rt::Line> = stdout
        .lines()
        .filter_map(|l| l.split_once('\t'))
        .filter(|(at, _)| *at != "END")
        .map(|(at, text)| async_tour::rt::Line {
            at: at.parse().unwrap_or_default(),
            text: text.to_string(),
        })
        .collect();
    let expected = lesson.python_output.unwrap_or(lesson.expected)(&lesson.defaults());
    let speed = async_tour::rt::Speed::new(20.0).expect("in range");
    let problems = expected.check_lines(&lines, speed);
    assert!(
        problems.is_empty(),
        "{}'s Python printed under CPython what the page does not expect of it: \
         {problems:?}\nCPython printed: {lines:#?}",
        lesson.id
    );
}

/// When the fidelity harness says a run ended (its `END` line).
fn end_time(stdout: &str) -> f64 {
    stdout
        .lines()
        .find_map(|l| l.strip_prefix("END\t"))
        .and_then(|t| t.trim().parse().ok())
        .unwrap_or(f64::INFINITY)
}

/// Of several harness runs of one program (`SECONDS<TAB>TEXT` lines, then
/// `END<TAB>SECONDS`): each line at its earliest time, if every run
/// printed the same lines; else the run that ended first.
fn earliest_of(runs: &[(String, String)]) -> (String, String) {
    // (time, Some(text)) for a printed line, (time, None) for the end.
    let split = |out: &str| -> Vec<(f64, Option<String>)> {
        out.lines()
            .filter_map(|l| l.split_once('\t'))
            .map(|(t, text)| match t {
                "END" => (text.parse().unwrap_or(f64::MAX), None),
                t => (t.parse().unwrap_or(f64::MAX), Some(text.to_string())),
            })
            .collect()
    };
    let parsed: Vec<Vec<(f64, Option<String>)>> = runs.iter().map(|(out, _)| split(out)).collect();
    let same = parsed
        .windows(2)
        .all(|w| w[0].len() == w[1].len() && w[0].iter().zip(&w[1]).all(|(a, b)| a.1 == b.1));
    let first_end = runs
        .iter()
        .min_by(|(a, _), (b, _)| end_time(a).total_cmp(&end_time(b)))
        .expect("at least one run");
    if !same || parsed[0].is_empty() {
        return first_end.clone();
    }
    let stdout = (0..parsed[0].len())
        .map(|i| {
            let at = parsed.iter().map(|p| p[i].0).fold(f64::MAX, f64::min);
            match &parsed[0][i].1 {
                None => format!("END\t{at:.4}\n"),
                Some(text) => format!("{at:.4}\t{text}\n"),
            }
        })
        .collect();
    (stdout, first_end.1.clone())
}
