//! Every lesson, run in a real browser at test speed: the lines it prints,
//! their order, and its elapsed time as a ratio of the expected time.
#![cfg(target_arch = "wasm32")]

mod common;

use async_tour::lessons::{self, blocking};
use common::{args, assert_lasted, play, play_with};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn approx(a: f64, b: f64, within: f64) -> bool {
    (a - b).abs() <= within
}

#[wasm_bindgen_test]
async fn lazy_future_runs_nothing_until_awaited() {
    let p = play(&lessons::lazy::LESSON).await;
    assert_eq!(
        p.texts(),
        [
            "created mul(5, 5): nothing has run yet",
            "mul(5, 5) is running",
            "25"
        ]
    );
    assert!(p.elapsed < 0.5, "nothing waits in lesson 1: {}", p.elapsed);
    p.assert_matched();
}

#[wasm_bindgen_test]
async fn sequential_awaits_print_7_13() {
    let p = play(&lessons::asyncio_run::LESSON).await;
    assert_eq!(p.texts(), ["7 13"]);
    p.assert_matched();
}

#[wasm_bindgen_test]
async fn world_comes_two_seconds_after_hello() {
    let p = play(&lessons::hello_world::LESSON).await;
    assert_eq!(p.texts(), ["Hello", "World"]);
    let t = p.times();
    assert_lasted("the pause between Hello and World", t[1] - t[0], 2.0);
    p.assert_took(2.0);
    p.assert_matched();
}

#[wasm_bindgen_test]
async fn hello_world_follows_a_changed_pause() {
    let lesson = &lessons::hello_world::LESSON;
    let p = play_with(lesson, args(lesson, &[5.0])).await;
    assert_eq!(p.texts(), ["Hello", "World"]);
    p.assert_took(5.0);
    p.assert_matched();
}

#[wasm_bindgen_test]
async fn awaited_calculation_returns_10_after_a_second() {
    let p = play(&lessons::returning_value::LESSON).await;
    assert_eq!(p.texts(), ["10"]);
    p.assert_took(1.0);
    p.assert_matched();
}

#[wasm_bindgen_test]
async fn sequential_sleeps_add_up_to_six_seconds() {
    let p = play(&lessons::sequential::LESSON).await;
    let texts = p.texts();
    assert_eq!(
        texts[..3],
        ["task 1 finished", "task 2 finished", "task 3 finished"]
    );
    assert!(
        texts[3].starts_with("Total time elapsed: 6."),
        "{}",
        texts[3]
    );
    let t = p.times();
    assert!(
        approx(t[0], 3.0, 0.4) && approx(t[1], 5.0, 0.5) && approx(t[2], 6.0, 0.6),
        "{t:?}"
    );
    p.assert_took(6.0);
    // Bars end to end: each task starts when the one before it ends.
    let spans = p.run.spans();
    assert!(spans[1].start >= spans[0].end.expect("task 1 ended") - 0.05);
    assert!(spans[2].start >= spans[1].end.expect("task 2 ended") - 0.05);
    p.assert_matched();
}

#[wasm_bindgen_test]
async fn gather_finishes_shortest_first_in_the_longest_time() {
    let p = play(&lessons::gather::LESSON).await;
    let texts = p.texts();
    assert_eq!(
        texts[..3],
        ["task 3 finished", "task 2 finished", "task 1 finished"]
    );
    assert!(
        texts[3].starts_with("Total time elapsed: 3."),
        "{}",
        texts[3]
    );
    p.assert_took(3.0);
    // Bars side by side: all three start together.
    assert!(p.run.spans().iter().all(|s| s.start < 0.1));
    p.assert_matched();
}

#[wasm_bindgen_test]
async fn gather_with_equal_waits_keeps_start_order() {
    let lesson = &lessons::gather::LESSON;
    let p = play_with(lesson, args(lesson, &[2.0, 2.0, 2.0])).await;
    assert_eq!(
        p.texts()[..3],
        ["task 1 finished", "task 2 finished", "task 3 finished"]
    );
    p.assert_took(2.0);
    p.assert_matched();
}

#[wasm_bindgen_test]
async fn create_task_gives_100_and_cancels_the_sleeper() {
    let p = play(&lessons::create_task::LESSON).await;
    assert_eq!(
        p.texts(),
        [
            "task: pending",
            "100",
            "task: done",
            "sleeper: pending",
            "sleeper: cancelled"
        ]
    );
    p.assert_took(1.0);
    let spans = p.run.spans();
    let sleeper = spans
        .iter()
        .find(|s| s.label == "sleeper")
        .expect("the sleeper has a bar");
    assert!(sleeper.cancelled, "the sleeper's bar is marked cancelled");
    assert_eq!(
        p.run.pending_timers(),
        0,
        "the cancelled sleeper's timer was cleared"
    );
    p.assert_matched();
}

#[wasm_bindgen_test]
async fn create_task_sleeper_finishing_first_is_done_not_cancelled() {
    let lesson = &lessons::create_task::LESSON;
    let p = play_with(lesson, args(lesson, &[1.0, 2.0])).await;
    assert_eq!(p.texts()[3..], ["sleeper: done"]);
    p.assert_took(2.0);
    p.assert_matched();
}

#[wasm_bindgen_test]
async fn spawned_tasks_run_concurrently_in_three_seconds() {
    let p = play(&lessons::tasks::LESSON).await;
    assert_eq!(
        p.texts()[..3],
        ["task 3 finished", "task 2 finished", "task 1 finished"]
    );
    p.assert_took(3.0);
    p.assert_matched();
}

#[wasm_bindgen_test]
async fn two_tasks_take_as_long_as_the_longer() {
    let p = play(&lessons::two_tasks::LESSON).await;
    assert_eq!(p.texts(), ["Task 1 completed", "Task 2 completed"]);
    p.assert_took(2.0);
    p.assert_matched();
}

#[wasm_bindgen_test]
async fn two_tasks_swap_when_task_1_is_longer() {
    let lesson = &lessons::two_tasks::LESSON;
    let p = play_with(lesson, args(lesson, &[3.0, 1.0])).await;
    assert_eq!(p.texts(), ["Task 2 completed", "Task 1 completed"]);
    p.assert_took(3.0);
    p.assert_matched();
}

#[wasm_bindgen_test]
async fn downloads_start_together_and_end_together() {
    let p = play(&lessons::downloads::LESSON).await;
    assert_eq!(
        p.texts(),
        [
            "Downloading file1",
            "Downloading file2",
            "Downloading file3",
            "file1 downloaded",
            "file2 downloaded",
            "file3 downloaded"
        ]
    );
    let t = p.times();
    assert!(t[..3].iter().all(|&x| x < 0.1), "{t:?}");
    assert!(t[3..].iter().all(|&x| approx(x, 2.0, 0.5)), "{t:?}");
    p.assert_took(2.0);
    p.assert_matched();
}

#[wasm_bindgen_test]
async fn eight_downloads_still_take_two_seconds() {
    let lesson = &lessons::downloads::LESSON;
    let p = play_with(lesson, args(lesson, &[8.0, 2.0])).await;
    assert_eq!(p.texts().len(), 16);
    assert_eq!(p.texts()[15], "file8 downloaded");
    p.assert_took(2.0);
    p.assert_matched();
}

#[wasm_bindgen_test]
async fn random_waits_follow_the_seed_and_blocking_adds_its_seconds() {
    let lesson = &lessons::blocking::LESSON;
    let a = lesson.defaults();
    let draws = blocking::draws(2024, 2, 3);
    let p = play_with(lesson, a).await;
    let texts = p.texts();
    assert_eq!(texts.len(), 3 + 1 + 3 + 1 + 1);
    assert_eq!(texts[3], "-".repeat(20));
    assert_eq!(texts[7], "-".repeat(20));
    for round in [&texts[0..3], &texts[4..7]] {
        let mut ids: Vec<&str> = round.iter().map(String::as_str).collect();
        ids.sort_unstable();
        assert_eq!(
            ids,
            ["task 1 finished", "task 2 finished", "task 3 finished"]
        );
    }
    let longest = |r: &[u32]| f64::from(*r.iter().max().expect("three draws"));
    let total = longest(&draws[0..3]) + longest(&draws[3..6]) + 2.0;
    assert!(texts[8].starts_with("Total time elapsed: "), "{}", texts[8]);
    p.assert_took(total);
    p.assert_matched();
}

#[wasm_bindgen_test]
async fn every_seed_gives_a_matching_run() {
    let lesson = &lessons::blocking::LESSON;
    for seed in [1.0, 99.0, 31337.0] {
        let p = play_with(lesson, args(lesson, &[1.0, 2.0, 0.5, seed])).await;
        p.assert_matched();
    }
}
