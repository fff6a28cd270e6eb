//! Chapter 3, the language of async, run in a real browser at test speed:
//! `async for`, `async with` and `await`.
#![cfg(target_arch = "wasm32")]

mod common;

use async_tour::lessons;
use async_tour::rt::SpanRecord;
use common::{args, assert_lasted, play, play_with};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn bar<'a>(spans: &'a [SpanRecord], label: &str) -> &'a SpanRecord {
    spans
        .iter()
        .find(|s| s.label == label)
        .unwrap_or_else(|| panic!("no bar called {label}: {spans:?}"))
}

fn end(s: &SpanRecord) -> f64 {
    s.end.expect("the bar closed")
}

#[wasm_bindgen_test]
async fn async_for_takes_items_one_after_another_and_gather_takes_them_at_once() {
    let p = play(&lessons::async_for::LESSON).await;
    let texts = p.texts();
    assert_eq!(
        texts[..5],
        [
            "tick 1",
            "tick 2",
            "tick 3",
            "collected [1, 2, 3]",
            "gathered [1, 2, 3]"
        ]
    );
    assert!(
        texts[5].starts_with("Total time elapsed: 7."),
        "{}",
        texts[5]
    );
    let spans = p.run.spans();
    // The hand-written stream: each item starts when the one before ended.
    for n in 1..3 {
        let (a, b) = (
            bar(&spans, &format!("tick {n}")),
            bar(&spans, &format!("tick {}", n + 1)),
        );
        assert!(
            b.start >= end(a) - 0.05,
            "tick {} overlapped: {a:?} {b:?}",
            n + 1
        );
    }
    // The comprehension over IntervalStream takes three delays too.
    let collect = bar(&spans, "collect");
    assert_lasted("collect", end(collect) - collect.start, 3.0);
    // The gathered items run side by side: one delay for all three.
    let items: Vec<&SpanRecord> = (1..=3).map(|n| bar(&spans, &format!("item {n}"))).collect();
    let first = items.iter().map(|s| s.start).fold(f64::INFINITY, f64::min);
    let last = items.iter().map(|s| end(s)).fold(0.0, f64::max);
    assert_lasted("the gathered items", last - first, 1.0);
    p.assert_took(7.0);
    p.assert_matched();
}

#[wasm_bindgen_test]
async fn async_for_follows_the_delay_and_count() {
    let lesson = &lessons::async_for::LESSON;
    let p = play_with(lesson, args(lesson, &[0.5, 5.0])).await;
    let texts = p.texts();
    assert_eq!(texts[4], "tick 5");
    assert_eq!(texts[5], "collected [1, 2, 3, 4, 5]");
    assert_eq!(texts[6], "gathered [1, 2, 3, 4, 5]");
    p.assert_took(5.5);
    p.assert_matched();
}

#[wasm_bindgen_test]
async fn async_with_awaits_the_close_on_ok_and_err_but_a_cancel_can_only_drop() {
    let p = play(&lessons::async_with::LESSON).await;
    let texts = p.texts();
    assert_eq!(
        texts[..13],
        [
            "opening db",
            "query on db",
            "closing db",
            "db closed",
            "opening cache",
            "query on cache",
            "closing cache",
            "cache closed",
            "error: bad row",
            "opening log",
            "query on log",
            "log dropped unclosed: socket freed, no goodbye",
            "log task: cancelled",
        ]
    );
    assert!(texts[13].starts_with("Total time elapsed: 5."), "{texts:?}");
    let spans = p.run.spans();
    let log = bar(&spans, "log");
    assert!(log.cancelled, "the log bar ends cancelled: {log:?}");
    assert!(!bar(&spans, "cache").cancelled);
    p.assert_took(5.0);
    p.assert_matched();
}

#[wasm_bindgen_test]
async fn stop_mid_body_runs_drop_at_once_and_no_close() {
    use async_tour::rt::{Run, Speed};
    let lesson = &lessons::async_with::LESSON;
    let speed = Speed::new(common::SPEED).expect("in range");
    let run = Run::start_quiet(speed, 0, (lesson.run)(lesson.defaults()));
    // 0.5 s to open, then the query: stop at 1 s, mid-body (50 ms real).
    common::wait_ms(50).await;
    assert_eq!(
        run.lines().last().map(|l| l.text.clone()).as_deref(),
        Some("query on db")
    );
    run.stop();
    let texts: Vec<String> = run.lines().into_iter().map(|l| l.text).collect();
    assert_eq!(
        texts,
        [
            "opening db",
            "query on db",
            "db dropped unclosed: socket freed, no goodbye"
        ]
    );
    assert_eq!(run.pending_timers(), 0);
    common::wait_ms(150).await;
    assert_eq!(run.lines().len(), 3, "nothing prints after Stop");
}

#[wasm_bindgen_test]
async fn a_hand_written_future_is_polled_twice_and_only_once_awaited() {
    // A 3 s timer (150 ms real at test speed), long enough that a few
    // late milliseconds stay well inside the ratio.
    let lesson = &lessons::r#await::LESSON;
    let p = play_with(lesson, args(lesson, &[3.0, 42.0])).await;
    let texts = p.texts();
    assert_eq!(
        texts[..5],
        [
            "made a Timer: nothing runs until it is awaited",
            "after a sleep it had been polled 0 times",
            "poll 1: timer set, pending",
            "poll 2: woken by the timer, ready(42)",
            "await gave 42 after 2 polls",
        ]
    );
    // The wake-up came one timer later than the first poll.
    let t = p.times();
    assert_lasted("the wait for the wake-up", t[3] - t[2], 3.0);
    p.assert_took(6.0);
    p.assert_matched();
}

#[wasm_bindgen_test]
async fn the_hand_written_timer_follows_its_values() {
    let lesson = &lessons::r#await::LESSON;
    let p = play_with(lesson, args(lesson, &[2.0, 7.0])).await;
    assert_eq!(p.texts()[3], "poll 2: woken by the timer, ready(7)");
    assert_eq!(p.texts()[4], "await gave 7 after 2 polls");
    p.assert_took(4.0);
    p.assert_matched();
}
