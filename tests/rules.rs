//! The rules [`Record::problems`] checks, on records written by hand: each
//! rule can fail, so a record that passes them means something.

use async_tour::rt::trace::{Actor, Entry, Kind, Polled, Record, What, Why};

fn record(kinds: &[Kind], events: Vec<What>) -> Record {
    let mut r = Record::default();
    for (i, &kind) in kinds.iter().enumerate() {
        r.actors.push(Actor {
            label: format!("a{i}"),
            kind,
            parent: None,
        });
    }
    r.events = events
        .into_iter()
        .enumerate()
        .map(|(i, what)| Entry {
            at: i as f64,
            real: i as f64,
            what,
        })
        .collect();
    r
}

fn poll(actor: u32, polled: Polled, woken: bool, end: u32) -> What {
    What::Poll {
        actor,
        took: 0.0,
        polled,
        woken,
        end,
    }
}

const HELD: Polled = Polled::Pending { held: true };

#[test]
fn a_clean_record_has_no_problems() {
    let r = record(
        &[Kind::Main],
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
        &[Kind::Task],
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
        &[Kind::Future],
        vec![poll(0, HELD, true, 1), poll(0, Polled::Ready, false, 2)],
    );
    assert!(r.problems().is_empty(), "{:?}", r.problems());
}

#[test]
fn pending_with_nobody_holding_the_waker_is_a_lost_wake_up() {
    let r = record(
        &[Kind::Task],
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
        &[Kind::Task, Kind::Task],
        vec![
            poll(0, Polled::Ready, true, 2),
            poll(1, Polled::Ready, true, 2),
        ],
    );
    assert!(r.problems()[0].contains("overlaps"), "{:?}", r.problems());
}

#[test]
fn a_pending_task_never_woken_in_an_ended_run_was_left_hanging() {
    let mut r = record(&[Kind::Task], vec![poll(0, HELD, true, 1)]);
    assert!(r.problems().is_empty(), "a run still going may yet wake it");
    r.closed = true;
    assert!(
        r.problems()[0].contains("never woken"),
        "{:?}",
        r.problems()
    );
}
