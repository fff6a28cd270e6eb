//! The record of the loop in a real browser: the shape of what lessons
//! record where they are deterministic, and the rules every record keeps.
#![cfg(target_arch = "wasm32")]

mod common;

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use async_tour::lessons;
use async_tour::rt::trace::{ActorId, ActorKind, Polled, Record, Wait, What, Why};
use async_tour::rt::{self, Name, Run, Speed};
use common::{play, wait_ms, SPEED};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn actor(record: &Record, label: &str) -> ActorId {
    record
        .find(label)
        .unwrap_or_else(|| panic!("no actor called {label} in {:#?}", record.actors))
}

/// The wait that a wake of `a` says fired, for each wake of `a`.
fn fired_waits(record: &Record, a: ActorId) -> Vec<Wait> {
    record
        .events
        .iter()
        .filter_map(|e| match e.what {
            What::Woke { actor, by } if actor == a => record.wait_of(by).cloned(),
            _ => None,
        })
        .collect()
}

#[wasm_bindgen_test]
async fn gather_polls_its_join_once_at_the_start_and_once_per_timer() {
    let played = play(&lessons::gather::LESSON).await;
    let record = played.run.record();
    let main = actor(&record, "main");
    assert_eq!(
        record.polls(main).count(),
        4,
        "a poll at 0 s, then one per timer (1, 2, 3 s)"
    );
    for (label, secs) in [("task 1", 3.0), ("task 2", 2.0), ("task 3", 1.0)] {
        let a = actor(&record, label);
        assert_eq!(record.actors[a as usize].kind, ActorKind::Future);
        let polls: Vec<_> = record.polls(a).collect();
        let (first, last) = (polls[0], polls[polls.len() - 1]);
        assert!(
            matches!(first.1, Polled::Pending { held: true }),
            "{label} first waits: {first:?}"
        );
        assert_eq!(last.1, Polled::Ready, "{label} ends Ready");
        let waits: Vec<_> = record.waits_in_poll(first.0).map(|(_, on)| on).collect();
        assert!(
            matches!(waits[0], Wait::Sleep { secs: s, .. } if *s == secs),
            "{label} waits on one sleep of {secs} s: {waits:?}"
        );
        let fired = fired_waits(&record, a);
        assert_eq!(fired.len(), 1, "{label} is woken once, by its own timer");
        assert!(matches!(fired[0], Wait::Sleep { secs: s, .. } if s == secs));
        // Between the first and the last, the join polled it without a wake.
        assert!(polls[1..polls.len() - 1].iter().all(|p| !p.2), "{polls:?}");
        assert!(last.2, "its Ready poll came after its wake");
    }
}

#[wasm_bindgen_test]
async fn sequential_children_never_overlap() {
    let played = play(&lessons::sequential::LESSON).await;
    let record = played.run.record();
    let life = |label| {
        let a = actor(&record, label);
        let first = record.polls(a).next().expect("polled").0;
        let done = record
            .events
            .iter()
            .position(|e| e.what == What::Done(a))
            .expect("done");
        (first, done)
    };
    let (t1, t2, t3) = (life("task 1"), life("task 2"), life("task 3"));
    assert!(t1.1 < t2.0 && t2.1 < t3.0, "{t1:?} {t2:?} {t3:?}");
}

#[wasm_bindgen_test]
async fn cancel_is_recorded_with_its_reason() {
    let played = play(&lessons::create_task::LESSON).await;
    let record = played.run.record();
    let sleeper = actor(&record, "sleeper");
    assert_eq!(
        record.actors[sleeper as usize].kind,
        ActorKind::Task,
        "a named spawn names the task"
    );
    assert!(record.events.iter().any(|e| e.what
        == What::Cancelled {
            actor: sleeper,
            why: Why::Cancel
        }));
}

#[wasm_bindgen_test]
async fn the_task_main_leaves_is_cancelled_when_main_ends() {
    let played = play(&lessons::blocking::LESSON).await;
    let record = played.run.record();
    let ticker = actor(&record, "ticker");
    let last = record.events.last().expect("events");
    assert_eq!(
        last.what,
        What::Cancelled {
            actor: ticker,
            why: Why::EndOfMain
        },
        "the ticker is cancelled when main ends, and that is the last event"
    );
}

#[wasm_bindgen_test]
async fn stop_is_recorded_and_nothing_comes_after_it() {
    let lesson = &lessons::gather::LESSON;
    let (run, _ended) = lesson.start(lesson.defaults(), Speed::new(SPEED).expect("in range"));
    while run.lines().is_empty() {
        wait_ms(5).await;
    }
    run.stop();
    let count = run.record().events.len();
    {
        let record = run.record();
        for label in ["main", "task 1", "task 2"] {
            let a = actor(&record, label);
            assert!(
                record.events.iter().any(|e| e.what
                    == What::Cancelled {
                        actor: a,
                        why: Why::Stop
                    }),
                "{label} cancelled by Stop"
            );
        }
        assert!(record.problems().is_empty(), "{:#?}", record.problems());
    }
    wait_ms(200).await; // past every timer the run had set
    assert_eq!(
        run.record().events.len(),
        count,
        "nothing recorded after Stop"
    );
}

#[wasm_bindgen_test]
async fn blocking_makes_a_due_tick_fire_a_blocked_second_late() {
    let lesson = &lessons::blocking::LESSON;
    let played = play(lesson).await;
    let record = played.run.record();
    let block_ms = lesson.defaults().get("block") * 1000.0 / SPEED;

    // main's poll that calls blocking_sleep holds the thread for it all.
    let main = actor(&record, "main");
    let longest = record
        .events
        .iter()
        .filter_map(|e| match e.what {
            What::Poll { actor, took, .. } if actor == main => Some(took.0),
            _ => None,
        })
        .fold(0.0, f64::max);
    common::assert_lasted("main's blocking poll", longest, block_ms);

    // The ticker's sleep came due while the thread was held: its callback
    // could only run once the blocked second was over, and the poll
    // followed at once. (It sleeps a tenth of the block at a time, so one
    // of its timers comes due within a tenth of the block's start.)
    let ticker = actor(&record, "ticker");
    let late = record
        .events
        .iter()
        .enumerate()
        .filter_map(|(i, e)| match e.what {
            What::Woke { actor, by } if actor == ticker => {
                let due = record.wait_of(by)?.due()?;
                let poll = record.events[i..]
                    .iter()
                    .find(|p| matches!(p.what, What::Poll { actor, .. } if actor == ticker))?;
                Some(((e.real - due).0, (poll.real - e.real).0))
            }
            _ => None,
        })
        .fold((0.0, 0.0), |a, b| if b.0 > a.0 { b } else { a });
    let ratio = late.0 / block_ms;
    assert!(
        (0.85..=1.25).contains(&ratio),
        "the latest tick was {:.1} ms late, the block {block_ms} ms (ratio {ratio:.2})",
        late.0
    );
    assert!(
        late.1 < 0.25 * block_ms,
        "the poll came {:.1} ms after the late wake",
        late.1
    );
}

#[wasm_bindgen_test]
async fn microtask_wakes_are_polled_before_timer_wakes() {
    let played = play(&lessons::event_loop::LESSON).await;
    let record = played.run.record();
    // The poll that each spawned task finishes in, and what woke it.
    let finish = |label| {
        let a = actor(&record, label);
        let (i, _, _) = record
            .polls(a)
            .find(|p| p.1 == Polled::Ready)
            .expect("it finished");
        let woke = record.events[..i].iter().rev().find_map(|e| match e.what {
            What::Woke { actor, by } if actor == a => Some(by),
            _ => None,
        });
        (i, woke.and_then(|w| record.wait_of(w)).cloned())
    };
    let (local, promise) = (finish("local"), finish("promise"));
    let (timer, message, frame) = (finish("timer"), finish("message"), finish("frame"));
    assert_eq!(local.1, None, "spawn_local's first poll needs no wake");
    assert_eq!(promise.1, Some(Wait::Promise));
    assert!(matches!(timer.1, Some(Wait::Timer { ms, .. }) if ms == 0.0));
    assert_eq!(message.1, Some(Wait::Yield));
    assert_eq!(frame.1, Some(Wait::Frame));
    for macrotask in [timer.0, message.0, frame.0] {
        assert!(
            local.0 < macrotask && promise.0 < macrotask,
            "microtasks first"
        );
    }
}

/// A future that answers `Pending` once without keeping its waker: a
/// lost wake-up.
struct Forgetful(bool);

impl Future for Forgetful {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<()> {
        if self.0 {
            Poll::Ready(())
        } else {
            self.0 = true;
            Poll::Pending // and the waker is dropped: nobody will wake it
        }
    }
}

#[wasm_bindgen_test]
async fn a_future_that_drops_its_waker_is_caught() {
    let (tx, rx) = futures::channel::oneshot::channel();
    let tx = std::cell::RefCell::new(Some(tx));
    let run = Run::start(
        Speed::REAL_TIME,
        0,
        move |run, event| {
            if let rt::Event::Ended(_) = event {
                if let Some(tx) = tx.borrow_mut().take() {
                    let _ = tx.send(run.record().problems());
                }
            }
        },
        async {
            let _stuck = rt::spawn(Forgetful(false).named("forgetful"));
            rt::sleep(0.05).await;
        },
    );
    let problems = rx.await.expect("the run ends");
    assert!(
        problems
            .iter()
            .any(|p| p.starts_with("lost wake-up: forgetful")),
        "{problems:#?}"
    );
    drop(run);
}

#[wasm_bindgen_test]
async fn a_full_record_stops_and_counts_what_it_left_out() {
    let run = Run::start_quiet_recording(Speed::REAL_TIME, 0, 20, async {
        for _ in 0..10 {
            rt::yield_now().await;
        }
    });
    while run.outcome().is_none() {
        wait_ms(5).await;
    }
    let record = run.record();
    assert_eq!(record.events.len(), 20);
    assert!(record.cut > 0, "the events past 20 are counted");
    assert!(matches!(record.events[1].what, What::Poll { .. }));
}

/// The bytes of this module's memory, which only ever grows.
fn wasm_memory_bytes() -> f64 {
    let memory = wasm_bindgen::memory();
    let buffer = js_sys::Reflect::get(&memory, &"buffer".into()).expect("memory.buffer");
    js_sys::Reflect::get(&buffer, &"byteLength".into())
        .ok()
        .and_then(|n| n.as_f64())
        .expect("buffer.byteLength")
}

/// The JS heap in use after a full collection, where the browser tells
/// (Chromium, whose test runs expose `gc()`: see webdriver.json).
fn js_heap_bytes() -> Option<f64> {
    let gc = js_sys::Reflect::get(&js_sys::global(), &"gc".into()).ok()?;
    gc.dyn_ref::<js_sys::Function>()?
        .call0(&JsValue::UNDEFINED)
        .ok()?;
    let performance = js_sys::Reflect::get(&js_sys::global(), &"performance".into()).ok()?;
    let memory = js_sys::Reflect::get(&performance, &"memory".into()).ok()?;
    js_sys::Reflect::get(&memory, &"usedJSHeapSize".into())
        .ok()?
        .as_f64()
}

#[wasm_bindgen_test]
async fn a_thousand_runs_free_every_run_and_keep_memory_flat() {
    let lesson = &lessons::gather::LESSON;
    let speed = Speed::new(100.0).expect("in range");
    let soak = |runs: u32| async move {
        for _ in 0..runs {
            let args = common::args(lesson, &[0.03, 0.02, 0.01]);
            let (run, ended) = lesson.start(args, speed);
            ended.await.expect("a run always ends");
            assert!(!run.record().events.is_empty());
        }
    };
    soak(100).await; // warm up: the allocator and the page reach their size
    let (memory, heap) = (wasm_memory_bytes(), js_heap_bytes());
    soak(900).await;
    assert_eq!(rt::run::runs_alive(), 0, "every ended run was dropped");
    assert_eq!(
        wasm_memory_bytes(),
        memory,
        "900 more runs, records and all, grew the module's memory"
    );
    // Chromium's heap figure moves in steps of its own (buckets and
    // timers' bookkeeping); a leak of a closure or a promise per run would
    // show as 900 of them.
    if let (Some(before), Some(after)) = (heap, js_heap_bytes()) {
        web_sys::console::log_1(
            &format!(
                "JS heap after a collection: {:.3} MB after 100 runs, {:.3} MB after 1,000",
                before / 1e6,
                after / 1e6
            )
            .into(),
        );
        assert!(
            after - before < 100_000.0,
            "the JS heap grew {:.0} bytes over 900 runs",
            after - before
        );
    }
}
