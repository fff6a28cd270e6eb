//! Chapter 5, choosing a model, in a real browser: the event loop's
//! queues, and one CPU-bound job run three ways.
#![cfg(target_arch = "wasm32")]

mod common;

use async_tour::lessons;
use async_tour::rt::Line;
use common::play;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// The milliseconds a line like `what ran at +1.2 ms` reports.
fn ran_at(lines: &[Line], what: &str) -> f64 {
    let prefix = format!("{what} ran at +");
    let line = lines
        .iter()
        .find_map(|l| l.text.strip_prefix(prefix.as_str()))
        .unwrap_or_else(|| panic!("no line for {what}: {lines:?}"));
    let ms = line.strip_suffix(" ms").expect("ends in ms");
    lessons::parse_decimal(ms).expect("a number of ms")
}

#[wasm_bindgen_test]
async fn microtasks_run_before_macrotasks_and_nested_timers_are_clamped() {
    let p = play(&lessons::event_loop::LESSON).await;
    let lines = p.run.lines();
    let texts = p.texts();
    assert_eq!(
        texts[..2],
        [
            "main: schedule five things, then wait",
            "main: back to the loop"
        ]
    );
    assert!(texts[2].starts_with("spawn_local ran"), "{texts:?}");
    assert!(texts[3].starts_with("resolved promise ran"), "{texts:?}");
    let micro = ran_at(&lines, "resolved promise");
    for macro_task in ["MessageChannel message", "setTimeout(0)", "animation frame"] {
        assert!(
            ran_at(&lines, macro_task) >= micro,
            "{macro_task} ran before a microtask"
        );
    }
    // Ten chained zero-delay timers cost at least the clamp on the last
    // few; ten messages cost far less.
    let timers = &texts[7];
    let gaps: Vec<f64> = timers
        .split_once(": ")
        .expect("the gaps follow a colon")
        .1
        .split(", ")
        .map(|g| lessons::parse_decimal(g).expect("a gap in ms"))
        .collect();
    assert_eq!(gaps.len(), 10);
    assert!(
        gaps[6..].iter().all(|&g| g >= 3.5),
        "the nested timers were not held to 4 ms: {gaps:?}"
    );
    let total = |line: &str, prefix: &str| {
        let rest = line.strip_prefix(prefix).expect("the line's start");
        let ms = rest.split(" ms").next().expect("a number of ms");
        lessons::parse_decimal(ms).expect("ms")
    };
    let timers_ms = total(timers, "10 setTimeout(0) in a row took ");
    let yields_ms = total(&texts[8], "10 MessageChannel yields in a row took ");
    assert!(
        yields_ms < timers_ms / 2.0,
        "yielding by message ({yields_ms} ms) should beat nested timers ({timers_ms} ms)"
    );
    p.assert_matched();
}

#[wasm_bindgen_test]
async fn a_worker_runs_this_same_module_and_answers() {
    use async_tour::lessons::models::{count_primes, COUNT_PRIMES};
    use async_tour::rt::worker::{Job, Worker};
    use futures::future::{join, select, Either};
    let started = select(Box::pin(Worker::start()), Box::pin(common::wait_ms(5000))).await;
    let worker = match started {
        Either::Left((w, _)) => w.expect("a module worker starts"),
        Either::Right(_) => panic!("the worker did not start within 5 s"),
    };
    let count = |n: u32| {
        let answer = worker.post(&COUNT_PRIMES, &n.into(), &[]);
        async move { answer.await.map(|c| c.as_f64()) }
    };
    // Two jobs at once: each answer goes to its own call.
    let (small, large) = join(count(1000), count(100_000)).await;
    assert_eq!(small, Ok(Some(168.0)));
    assert_eq!(large, Ok(Some(f64::from(count_primes(100_000)))));
    assert_eq!(count_primes(100_000), 9592);
    // A job the module does not list among the lessons' jobs.
    static NOT_SERVED: Job = Job::new("not served", |input| input);
    let unknown = worker.call(&NOT_SERVED, &0.into()).await;
    assert_eq!(
        unknown,
        Err(async_tour::rt::WorkerError(
            "the job failed on the worker: this module serves no job named \"not served\"".into()
        ))
    );
}

#[wasm_bindgen_test]
async fn a_worker_that_cannot_start_says_why() {
    use async_tour::rt::worker::{simulate_blocked, Worker};
    simulate_blocked(true);
    let started = Worker::start().await;
    simulate_blocked(false);
    let err = started.err().expect("a blocked worker does not start");
    assert!(err.0.contains("worker"), "{err}");
}

/// The three counts a run of lesson 18 printed, and the longest frame gap
/// of each way, in ms.
fn ways(texts: &[String]) -> Vec<(String, u32, f64)> {
    texts
        .iter()
        .map(|t| {
            let (way, rest) = t.split_once(": ").expect("way: ...");
            let count = rest.split(' ').next().and_then(|c| c.parse().ok());
            let gap = rest
                .rsplit_once("longest frame gap ")
                .and_then(|(_, g)| g.strip_suffix(" ms"))
                .and_then(lessons::parse_decimal);
            match (count, gap) {
                (Some(c), Some(g)) => (way.to_string(), c, g),
                _ => panic!("not a report: {t}"),
            }
        })
        .collect()
}

#[wasm_bindgen_test]
async fn one_job_three_ways_same_count_and_only_one_go_freezes_the_page() {
    let lesson = &lessons::models::LESSON;
    let p = common::play_with(lesson, common::args(lesson, &[1_000_000.0])).await;
    p.assert_matched();
    let ways = ways(&p.texts());
    let names: Vec<&str> = ways.iter().map(|w| w.0.as_str()).collect();
    assert_eq!(names, ["one go", "chunked", "worker"]);
    assert!(ways.iter().all(|w| w.1 == 78_498), "{ways:?}");
    let (one_go, chunked, worker) = (ways[0].2, ways[1].2, ways[2].2);
    // In one go, the page waits for the whole job; chunked and on the
    // worker, it keeps drawing. Ratios, not absolute times.
    assert!(
        chunked * 2.0 < one_go,
        "chunking did not keep frames coming: {ways:?}"
    );
    assert!(
        worker * 2.0 < one_go,
        "the worker did not keep frames coming: {ways:?}"
    );
}

#[wasm_bindgen_test]
async fn a_blocked_worker_is_reported_and_the_other_ways_still_run() {
    use async_tour::rt::worker::simulate_blocked;
    let lesson = &lessons::models::LESSON;
    simulate_blocked(true);
    let p = common::play_with(lesson, common::args(lesson, &[20_000.0])).await;
    simulate_blocked(false);
    let texts = p.texts();
    assert_eq!(texts.len(), 3, "{texts:?}");
    assert!(
        texts[0].starts_with("one go: 2262 primes below 20000 in "),
        "{texts:?}"
    );
    assert!(
        texts[1].starts_with("chunked: 2262 primes below 20000 in "),
        "{texts:?}"
    );
    assert!(
        texts[2].starts_with("worker: the worker could not start"),
        "{texts:?}"
    );
    assert!(!p.verdict.matched(), "a missing worker is not a match");
}

#[wasm_bindgen_test]
fn out_of_range_n_is_refused_with_its_range() {
    let lesson = &lessons::models::LESSON;
    for bad in [0.0, 999.0, 10_000_001.0, 2.5, f64::NAN] {
        let err = lesson.args(&[bad]).expect_err("out of range");
        let msg = err.to_string();
        assert!(msg.contains("1000") && msg.contains("10000000"), "{msg}");
    }
}
