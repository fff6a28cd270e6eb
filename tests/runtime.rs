//! The runtime in a real browser: tasks, cancellation, Stop, spans, the
//! clock's speed and what blocking does.
#![cfg(target_arch = "wasm32")]

mod common;

use std::cell::Cell;
use std::rc::Rc;

use async_tour::lessons;
use async_tour::rt::{self, clock::now_ms, Cancelled, Outcome, Run, Speed, Status};
use common::{assert_lasted, wait_ms, SPEED};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn task_handle_gives_its_result_and_reports_done() {
    let mut task = rt::spawn(async { 6 * 7 });
    assert_eq!(task.status(), Status::Pending, "spawned, not polled yet");
    assert_eq!((&mut task).await, Ok(42));
    assert_eq!(task.status(), Status::Done);
    assert!(task.is_done());
}

#[wasm_bindgen_test]
async fn spawned_task_starts_without_being_awaited() {
    let ran = Rc::new(Cell::new(false));
    let flag = ran.clone();
    let _task = rt::spawn(async move { flag.set(true) });
    assert!(!ran.get(), "spawn does not poll synchronously");
    wait_ms(0).await;
    assert!(ran.get(), "the event loop polled it without an await");
}

#[wasm_bindgen_test]
async fn unspawned_future_never_runs() {
    let ran = Rc::new(Cell::new(false));
    let flag = ran.clone();
    let fut = async move { flag.set(true) };
    wait_ms(10).await;
    assert!(!ran.get(), "a future that nobody polls does nothing");
    fut.await;
    assert!(ran.get());
}

#[wasm_bindgen_test]
async fn cancel_drops_the_future_and_clears_its_timer() {
    let before = rt::live_timers();
    let mut task = rt::spawn(rt::sleep(30.0));
    wait_ms(0).await;
    assert_eq!(rt::live_timers(), before + 1);
    task.cancel();
    assert_eq!(task.status(), Status::Cancelled);
    assert_eq!(
        rt::live_timers(),
        before,
        "dropping the sleep cleared its timer"
    );
    assert_eq!((&mut task).await, Err(Cancelled));
}

#[wasm_bindgen_test]
async fn cancelling_a_finished_task_changes_nothing() {
    let mut task = rt::spawn(async { "done" });
    assert_eq!((&mut task).await, Ok("done"));
    task.cancel();
    assert_eq!(task.status(), Status::Done);
}

#[wasm_bindgen_test]
async fn awaiting_a_task_that_gets_cancelled_wakes_with_cancelled() {
    let mut task = rt::spawn(rt::sleep(30.0));
    let canceller = task.canceller();
    let _later = rt::spawn(async move {
        rt::sleep(0.01).await;
        canceller.cancel();
    });
    assert_eq!((&mut task).await, Err(Cancelled));
    assert_eq!(task.status(), Status::Cancelled);
}

#[wasm_bindgen_test]
async fn stop_clears_every_timer_and_nothing_prints_after() {
    let speed = Speed::new(SPEED).expect("test speed is in range");
    let lesson = &lessons::sequential::LESSON;
    let run = Run::start_quiet(speed, 0, (lesson.run)(lesson.defaults()));
    // Task 1 has finished (3 s = 150 ms), task 2 is sleeping.
    wait_ms(200).await;
    assert_eq!(run.lines().len(), 1, "{:?}", run.lines());
    assert_eq!(run.pending_timers(), 1);
    run.stop();
    assert_eq!(
        run.pending_timers(),
        0,
        "Stop dropped the sleeping future at once"
    );
    assert!(matches!(run.outcome(), Some(Outcome::Stopped { .. })));
    // Wait past the lesson's whole length: nothing more may appear.
    wait_ms(400).await;
    assert_eq!(run.lines().len(), 1, "a line came after Stop");
    let spans = run.spans();
    assert!(spans[1].cancelled, "task 2's bar is marked cancelled");
    assert_eq!(spans.len(), 2, "task 3 never started");
}

#[wasm_bindgen_test]
async fn stop_also_cancels_spawned_tasks() {
    let speed = Speed::new(SPEED).expect("test speed is in range");
    let lesson = &lessons::tasks::LESSON;
    let before = rt::live_timers();
    let run = Run::start_quiet(speed, 0, (lesson.run)(lesson.defaults()));
    wait_ms(30).await;
    assert_eq!(run.pending_timers(), 3);
    run.stop();
    assert_eq!(run.pending_timers(), 0);
    assert_eq!(rt::live_timers(), before);
    wait_ms(250).await;
    assert!(run.lines().is_empty(), "{:?}", run.lines());
}

#[wasm_bindgen_test]
async fn stopping_twice_or_after_the_end_does_nothing() {
    let speed = Speed::new(SPEED).expect("test speed is in range");
    let run = Run::start_quiet(speed, 0, async { async_tour::say!("hi") });
    wait_ms(20).await;
    let outcome = run.outcome();
    assert!(matches!(outcome, Some(Outcome::Finished { .. })));
    run.stop();
    run.stop();
    assert_eq!(run.outcome(), outcome);
}

#[wasm_bindgen_test]
async fn end_of_main_cancels_leftover_tasks_like_asyncio_run() {
    let speed = Speed::new(SPEED).expect("test speed is in range");
    let run = Run::start_quiet(speed, 0, async {
        let _forgotten = rt::spawn(async {
            rt::sleep(1.0).await;
            async_tour::say!("too late");
        });
        rt::sleep(0.1).await;
    });
    wait_ms(150).await;
    assert!(matches!(run.outcome(), Some(Outcome::Finished { .. })));
    assert!(run.lines().is_empty(), "{:?}", run.lines());
    assert_eq!(run.pending_timers(), 0);
}

#[wasm_bindgen_test]
async fn speed_scales_tutorial_seconds_to_real_time() {
    // At 2x, so that a stall of the shared machine (tens of ms) is a
    // small share of the half second measured.
    let speed = Speed::new(2.0).expect("2x is in range");
    let start = now_ms();
    let run = Run::start_quiet(speed, 0, async {
        rt::sleep(1.0).await;
    });
    while run.outcome().is_none() {
        wait_ms(5).await;
    }
    let real = (now_ms() - start).0;
    // One tutorial second at 2x is 500 real milliseconds.
    assert!((0.97..=1.25).contains(&(real / 500.0)), "took {real:.1} ms");
    let Some(Outcome::Finished { elapsed }) = run.outcome() else {
        panic!("the run finished");
    };
    assert_lasted("the reported run", elapsed, 1.0);
}

#[wasm_bindgen_test]
async fn blocking_sleep_holds_back_every_timer() {
    let fired_at = Rc::new(Cell::new(0.0));
    let f = fired_at.clone();
    let start = now_ms();
    let _timer = rt::spawn(async move {
        rt::sleep(0.0).await;
        f.set(now_ms().0);
    });
    rt::blocking_sleep(0.15); // 150 ms at 1x, outside any run
    wait_ms(20).await;
    let delay = fired_at.get() - start.0;
    assert!(
        delay >= 150.0,
        "a zero-delay timer fired during the block, after {delay:.1} ms"
    );
}

#[wasm_bindgen_test]
fn speed_outside_the_range_is_refused_with_the_range() {
    for bad in [0.0, 0.05, 101.0, f64::NAN, f64::INFINITY, -1.0] {
        let err = Speed::new(bad).expect_err("out of range");
        let message = err.to_string();
        assert!(message.contains("0.1× to 100×"), "{message}");
    }
    assert!(Speed::new(0.1).is_ok() && Speed::new(100.0).is_ok());
}

#[wasm_bindgen_test]
async fn spans_record_first_poll_to_completion() {
    let speed = Speed::new(SPEED).expect("test speed is in range");
    let run = Run::start_quiet(speed, 0, async {
        let later = async {
            let _span = rt::span("later");
            rt::sleep(1.0).await;
        };
        rt::sleep(1.0).await;
        later.await;
    });
    wait_ms(150).await;
    let spans = run.spans();
    assert_eq!(spans.len(), 1);
    let s = &spans[0];
    // The bar starts when first polled, after the first second.
    assert_lasted("the wait before the first poll", s.start, 1.0);
    let end = s.end.expect("closed");
    assert!((1.9..=2.5).contains(&end), "{end}");
    assert!(!s.cancelled);
}
