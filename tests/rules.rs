//! The rules [`Record::problems`] checks, on records written by hand: each
//! rule can fail, so a record that passes them means something.

use async_tour::rt::trace::{Actor, ActorKind, Cause, Entry, Polled, Record, Wait, What, Why};
use async_tour::rt::{Millis, Seconds};

fn record(kinds: &[ActorKind], events: Vec<What>) -> Record {
    let mut r = Record::default();
    for (i, &kind) in kinds.iter().enumerate() {
        r.actors.push(Actor {
            label: format!("a{i}"),
            kind,
            // A named future is polled by the first actor (a `join!`).
            parent: (kind == ActorKind::Future).then_some(0),
            site: None,
        });
    }
    r.events = events
        .into_iter()
        .enumerate()
        .map(|(i, what)| Entry {
            at: Seconds(i as f64),
            real: Millis(i as f64),
            what,
        })
        .collect();
    r
}

fn poll(actor: u32, polled: Polled, woken: bool, end: u32) -> What {
    What::Poll {
        actor,
        took: Millis(0.0),
        polled,
        woken,
        end,
        from: None,
    }
}

const HELD: Polled = Polled::Pending { held: true };

#[test]
fn a_clean_record_has_no_problems() {
    let r = record(
        &[ActorKind::Main],
        vec![
            What::Spawned(0),
            poll(0, HELD, true, 2),
            What::Woke {
                actor: 0,
                by: async_tour::rt::trace::Cause::Callback,
            },
            poll(0, Polled::Ready, true, 4),
            What::Done(0),
        ],
    );
    assert_eq!(r.problems(), Vec::<String>::new());
}

#[test]
fn a_task_polled_without_a_wake_is_a_spurious_poll() {
    let r = record(
        &[ActorKind::Task],
        vec![poll(0, HELD, true, 1), poll(0, Polled::Ready, false, 2)],
    );
    assert!(
        r.problems()[0].contains("without being woken"),
        "{:?}",
        r.problems()
    );
}

#[test]
fn a_named_future_polled_with_its_join_is_not_spurious() {
    let r = record(
        &[ActorKind::Future],
        vec![poll(0, HELD, true, 1), poll(0, Polled::Ready, false, 2)],
    );
    assert!(r.problems().is_empty(), "{:?}", r.problems());
}

#[test]
fn pending_with_nobody_holding_the_waker_is_a_lost_wake_up() {
    let r = record(
        &[ActorKind::Task],
        vec![
            poll(0, Polled::Pending { held: false }, true, 1),
            What::Cancelled {
                actor: 0,
                why: Why::EndOfMain,
            },
        ],
    );
    assert!(
        r.problems()[0].starts_with("lost wake-up"),
        "{:?}",
        r.problems()
    );
}

#[test]
fn two_tasks_polled_at_once_overlap() {
    let r = record(
        &[ActorKind::Task, ActorKind::Task],
        vec![
            poll(0, Polled::Ready, true, 2),
            poll(1, Polled::Ready, true, 2),
        ],
    );
    assert!(r.problems()[0].contains("overlaps"), "{:?}", r.problems());
}

#[test]
fn a_pending_task_never_woken_in_an_ended_run_was_left_hanging() {
    let mut r = record(&[ActorKind::Task], vec![poll(0, HELD, true, 1)]);
    assert!(r.problems().is_empty(), "a run still going may yet wake it");
    r.closed = true;
    assert!(
        r.problems()[0].contains("never woken"),
        "{:?}",
        r.problems()
    );
}

/// `main` joins a named future `t` that sleeps until 350 ms; the thread
/// is busy past that (a line printed at 400 ms, before the timer fired),
/// then `t` and `main` finish. Event `i` happened at `i * 100` ms.
fn joined_sleep() -> Record {
    let mut r = record(
        &[ActorKind::Main, ActorKind::Future],
        vec![
            What::Spawned(0),
            poll(0, HELD, true, 4),
            poll(1, HELD, true, 4),
            What::Waits {
                actor: 1,
                on: Wait::Sleep {
                    secs: 0.35,
                    due: Millis(350.0),
                },
                site: None,
            },
            What::Printed(0),
            What::Woke {
                actor: 1,
                by: Cause::Fired(3),
            },
            What::Woke {
                actor: 0,
                by: Cause::Child(1),
            },
            poll(0, Polled::Ready, true, 10),
            poll(1, Polled::Ready, true, 9),
            What::Done(1),
            What::Done(0),
        ],
    );
    for e in &mut r.events {
        e.real = Millis(e.real.0 * 100.0);
    }
    r
}

fn states(r: &Record, k: usize) -> Vec<&'static str> {
    r.at(k).actors.iter().map(|a| a.state.as_str()).collect()
}

#[test]
fn replay_gives_each_actor_its_state_at_each_event() {
    let r = joined_sleep();
    let expected: [&[&str]; 11] = [
        &["ready"],
        &["running"],
        // `t` polled: it waits; `main` is still polling it.
        &["running", "waiting"],
        &["running", "waiting"],
        &["waiting", "waiting"],
        &["waiting", "ready"],
        &["ready", "ready"],
        &["running", "ready"],
        &["running", "running"],
        &["running", "done"],
        &["done", "done"],
    ];
    for (k, want) in expected.iter().enumerate() {
        assert_eq!(states(&r, k), *want, "at event {k}");
    }
    // Past the end is the end.
    assert_eq!(states(&r, 99), ["done", "done"]);
}

#[test]
fn replay_says_what_is_in_flight_and_how_late() {
    let r = joined_sleep();
    // At `t`'s poll, over with nothing but its wait inside, the wait is
    // in flight already: `t` is shown waiting on it.
    assert_eq!(r.at(2).in_flight.len(), 1);
    assert_eq!(r.at(2).in_flight[0].event, 3);
    // At 300 ms the timer (due at 350) is set and not late.
    let before = r.at(3);
    assert_eq!(before.in_flight.len(), 1);
    assert_eq!(before.in_flight[0].overdue, None);
    // At 400 ms it is 50 ms overdue, and `main` waits through `t`.
    let busy = r.at(4);
    assert_eq!(busy.in_flight.len(), 1);
    assert_eq!(busy.in_flight[0].event, 3);
    assert_eq!(busy.in_flight[0].overdue, Some(Millis(50.0)));
    assert_eq!(busy.printed, 1);
    let main = busy.actor(0).expect("main is there");
    assert_eq!((main.waits.len(), main.children.as_slice()), (0, &[2][..]));
    assert_eq!(busy.actor(1).map(|t| t.waits.as_slice()), Some(&[3][..]));
    // Once it fired, nothing is in flight.
    assert!(r.at(5).in_flight.is_empty());
}
