//! What several lessons share: the three waits of `task(1, 3)`,
//! `task(2, 2)` and `task(3, 1)`, and the output of tasks that run
//! concurrently.

use super::{Expected, Param};

/// The waits of `task(1, 3)`, `task(2, 2)` and `task(3, 1)`, shared by the
/// lessons that run those three tasks.
pub(super) const TASK_WAITS: [Param; 3] = [
    Param::secs("t1", "task 1 sleeps (s)", 3.0, 10.0),
    Param::secs("t2", "task 2 sleeps (s)", 2.0, 10.0),
    Param::secs("t3", "task 3 sleeps (s)", 1.0, 10.0),
];

/// The output of `task(id, secs)` lessons run concurrently: each prints
/// `task {id} finished` after its own wait, shortest first (ties in start
/// order), and the whole takes as long as the longest.
pub(super) fn concurrent_tasks(waits: &[f64]) -> Expected {
    let total = waits.iter().copied().fold(0.0, f64::max);
    let mut e = Expected::new();
    for i in finish_order(waits) {
        e = e.line(waits[i], format!("task {} finished", i + 1));
    }
    for (i, &w) in waits.iter().enumerate() {
        e = e.span(format!("task {}", i + 1), 0.0, w);
    }
    e.total_line(total).total(total)
}

/// The order in which tasks started together finish: shortest wait first,
/// ties in start order (as both asyncio and the browser fire timers).
///
/// An insertion sort: lessons have at most eight tasks, and it keeps the
/// standard library's sort machinery out of the module.
pub(super) fn finish_order(waits: &[f64]) -> Vec<usize> {
    let mut order: Vec<usize> = Vec::with_capacity(waits.len());
    for i in 0..waits.len() {
        let at = order
            .iter()
            .position(|&j| waits[j] > waits[i])
            .unwrap_or(order.len());
        order.insert(at, i);
    }
    order
}
