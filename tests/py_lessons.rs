//! The lessons' Python, unchanged, on the tour's interpreter in a real
//! browser: each prints what the lesson's expected output says (the
//! lines, their order, their times as a ratio of the expected times),
//! the same check the Rust runs pass.
#![cfg(target_arch = "wasm32")]

mod common;

use async_tour::lessons::{self, Lesson, Verdict};
use async_tour::py;
use async_tour::rt::trace::{Cause, Site, What};
use async_tour::rt::{until_ended, Outcome, Run, Speed};
use common::{assert_record_keeps_the_rules, SPEED};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

struct Ran {
    run: Run,
    stderr: String,
    verdict: Verdict,
}

/// Runs `lesson`'s Python listing at test speed to its end; if it
/// differs, once more at a quarter of the speed, as `common::play_at`
/// does (a stall of the shared machine weighs a quarter as much there).
async fn run_python(lesson: &'static Lesson) -> Ran {
    let what = format!("{}'s Python", lesson.id);
    let run = |t| run_python_at(lesson, t);
    common::at_test_speed(&what, SPEED, run, |r: &Ran| {
        (lesson.paced && !r.verdict.matched()).then(|| format!("{:?}", r.verdict.problems))
    })
    .await
}

async fn run_python_at(lesson: &'static Lesson, times: f64) -> Ran {
    common::warm_python().await;
    let speed = if lesson.paced {
        Speed::new(times).expect("the test speed is in range")
    } else {
        Speed::REAL_TIME
    };
    let args = lesson.defaults();
    py::warm_up().expect("the tour's asyncio.py compiles");
    let (listener, ended) = until_ended();
    let started = py::start(
        lesson.source().python,
        &format!("{}.py", lesson.file()),
        speed,
        lesson.seed(&args),
        listener,
    )
    .unwrap_or_else(|e| panic!("{}'s Python compiles: {e}", lesson.id));
    let outcome = ended.await.expect("a run always ends");
    let Outcome::Finished { elapsed } = outcome else {
        panic!("the run was stopped, but nobody stopped it");
    };
    let run = started.run;
    // Where the lesson's Python prints something else than its Rust on
    // purpose (lesson 13), that is what it must print.
    let expected = lesson.python_output.unwrap_or(lesson.expected);
    let mut verdict = expected(&args).check(&run.lines(), &run.spans(), elapsed, speed);
    // The timeline bars are the Rust listings' own (`span("task 1")`); a
    // Python run's picture comes from its record instead.
    verdict
        .problems
        .retain(|p| !p.starts_with("no timeline bar for"));
    assert_record_keeps_the_rules(&run);
    assert_waits_at_awaits(lesson, &run);
    assert_no_task_wakes_itself(lesson, &run);
    let stderr = started.stderr.borrow().clone();
    Ran {
        run,
        stderr,
        verdict,
    }
}

/// Every wait of the record that a Python task made carries the line of
/// the listing that awaits: a line with `await` (or `async for`, `async
/// with`, or an `__await__`'s `yield`) on it. A lesson that sleeps has
/// such waits.
fn assert_waits_at_awaits(lesson: &'static Lesson, run: &Run) {
    let source = lesson.source().python;
    let record = run.record();
    let lines: Vec<u32> = record
        .events
        .iter()
        .filter_map(|e| match e.what {
            What::Waits {
                site: Some(Site::Python(line)),
                ..
            } => Some(line),
            _ => None,
        })
        .collect();
    assert!(
        !lines.is_empty() || !source.contains("asyncio.sleep("),
        "{}: no wait carries a Python line",
        lesson.id
    );
    for line in lines {
        let text = source.lines().nth(line as usize - 1).unwrap_or_default();
        assert!(
            text.contains("await") || text.contains("async ") || text.contains("yield"),
            "{}: a wait at line {line}, which does not await: {text:?}",
            lesson.id
        );
    }
}

/// No task wakes itself: a sleep that ends is its timer's wake, a
/// cancelled one's timer is cleared without a wake, and a turn given to
/// the loop (`asyncio.sleep(0)`) is a message the task sent itself.
fn assert_no_task_wakes_itself(lesson: &'static Lesson, run: &Run) {
    let record = run.record();
    let own = record
        .events
        .iter()
        .filter(|e| matches!(e.what, What::Woke { actor, by: Cause::By(by) } if by == actor))
        .count();
    assert_eq!(own, 0, "{}: a task woke itself {own} times", lesson.id);
}

fn assert_matches(lesson: &'static Lesson, ran: &Ran) {
    assert!(
        ran.verdict.matched() && ran.stderr.is_empty(),
        "{}'s Python differed from the expected output: {:?}\nlines: {:#?}\nstderr: {}",
        lesson.id,
        ran.verdict.problems,
        ran.run
            .lines()
            .iter()
            .map(|l| format!("+{:.3} s {}", l.at, l.text))
            .collect::<Vec<_>>(),
        ran.stderr
    );
}

macro_rules! python_matches {
    ($($test:ident: $lesson:path,)*) => {$(
        #[wasm_bindgen_test]
        async fn $test() {
            let lesson = &$lesson;
            let ran = run_python(lesson).await;
            assert_matches(lesson, &ran);
        }
    )*};
}

python_matches! {
    lazy_python_matches: lessons::lazy::LESSON,
    asyncio_run_python_matches: lessons::asyncio_run::LESSON,
    hello_world_python_matches: lessons::hello_world::LESSON,
    returning_value_python_matches: lessons::returning_value::LESSON,
    sequential_python_matches: lessons::sequential::LESSON,
    gather_python_matches: lessons::gather::LESSON,
    create_task_python_matches: lessons::create_task::LESSON,
    tasks_python_matches: lessons::tasks::LESSON,
    two_tasks_python_matches: lessons::two_tasks::LESSON,
    downloads_python_matches: lessons::downloads::LESSON,
    blocking_python_matches: lessons::blocking::LESSON,
    async_for_python_matches: lessons::async_for::LESSON,
    async_with_python_matches: lessons::async_with::LESSON,
    await_python_matches: lessons::r#await::LESSON,
}

/// Lessons 16 to 18 need what a page cannot have: sockets, a browser to
/// launch, threads and processes. Their Python, run unchanged, fails at
/// once with the thing it needs named, and the line of the listing that
/// asked for it.
#[wasm_bindgen_test]
async fn lessons_16_to_18_say_what_they_need_and_where() {
    common::warm_python().await;
    py::warm_up().expect("the tour's asyncio.py compiles");
    for (lesson, needs, error) in [
        (
            &lessons::echo_server::LESSON,
            "asyncio.Protocol",
            "NotImplementedError",
        ),
        (
            &lessons::browser::LESSON,
            "playwright",
            "ModuleNotFoundError",
        ),
        (
            &lessons::models::LESSON,
            "concurrent.futures",
            "ModuleNotFoundError",
        ),
    ] {
        let source = lesson.source().python;
        let line = source
            .lines()
            .position(|l| !l.trim_start().starts_with('#') && l.contains(needs))
            .map(|i| i + 1)
            .expect("the listing names what it needs");
        let (listener, ended) = until_ended();
        let file = format!("{}.py", lesson.file());
        let started = py::start(source, &file, Speed::REAL_TIME, 0, listener)
            .unwrap_or_else(|e| panic!("{}'s Python compiles: {e}", lesson.id));
        ended.await.expect("a run always ends");
        let stderr = started.stderr.borrow().clone();
        let last = stderr.lines().last().unwrap_or_default();
        assert!(
            started.failed.get()
                && last.starts_with(&format!("{error}: "))
                && last.contains(needs)
                && stderr.contains(&format!("File \"{file}\", line {line}, in <module>")),
            "{}: expected {error} naming {needs} at line {line}, got:\n{stderr}",
            lesson.id
        );
        assert!(
            started.run.lines().is_empty(),
            "{} printed before failing",
            lesson.id
        );
    }
}
