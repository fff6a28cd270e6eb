//! A run's record read back at one of its events: where every actor stood
//! at that moment, which waits were still in flight, and how much had
//! printed. This is what stepping through a run shows.
//!
//! Nothing is run again: a [`Moment`] is worked out from the record alone,
//! by going through its events up to the one asked for.
//!
//! A poll is one event that lasts: it is written when it begins, and the
//! events of the futures it polls come after it. At any event inside it
//! (a `join!` polling its futures, a line printed) the polled actor is
//! [`ActorState::Running`]; after it, it waits, or (woken while it ran) is
//! ready again. What it waits on is said with the poll, so a poll with
//! nothing else inside it is, at its own event, already over: "polled →
//! Pending" shows the actor waiting.

use super::clock::{Millis, Seconds};
use super::trace::{ActorId, ActorKind, Cause, Polled, Record, Wait, What, Why};

/// Where an actor stands at a moment.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ActorState {
    /// Spawned or woken, and in the loop's ready queue; for a named
    /// future, woken and polled when its task next runs.
    Ready,
    /// Being polled.
    Running,
    /// Suspended, waiting on what its latest poll said.
    Waiting,
    /// Finished.
    Done,
    /// Dropped before it finished.
    Cancelled(Why),
}

impl ActorState {
    /// A word for the state, for styles and tests.
    pub fn as_str(self) -> &'static str {
        match self {
            ActorState::Ready => "ready",
            ActorState::Running => "running",
            ActorState::Waiting => "waiting",
            ActorState::Done => "done",
            ActorState::Cancelled(_) => "cancelled",
        }
    }
}

/// One actor at a moment.
#[derive(Clone, Debug, PartialEq)]
pub struct ActorAt {
    /// Who.
    pub actor: ActorId,
    /// Where it stands.
    pub state: ActorState,
    /// Since when (tutorial seconds into the run).
    pub since: Seconds,
    /// Its latest poll, by index in the record: the one running, or the
    /// one it is suspended after.
    pub poll: Option<usize>,
    /// The waits that poll said it suspends on, by index in the record
    /// (the `Waits` events).
    pub waits: Vec<usize>,
    /// The named futures it polled in that poll that stayed pending, by
    /// the index of their poll: what it waits on when it has no waits of
    /// its own (a `join!`).
    pub children: Vec<usize>,
}

/// A wait still in flight at a moment.
#[derive(Clone, Debug, PartialEq)]
pub struct InFlight {
    /// Its `Waits` event, by index in the record.
    pub event: usize,
    /// Who waits.
    pub actor: ActorId,
    /// How far past due a timer is at this moment, in real milliseconds
    /// (a timer fires late, never early: past due and not fired means
    /// the thread was busy).
    pub overdue: Option<Millis>,
}

/// Everything at one event of a record.
#[derive(Clone, Debug, PartialEq)]
pub struct Moment {
    /// The event, by index in the record.
    pub event: usize,
    /// Every actor that had appeared by then, in order.
    pub actors: Vec<ActorAt>,
    /// Timers and other waits not yet come.
    pub in_flight: Vec<InFlight>,
    /// How many lines had printed, this event's included.
    pub printed: usize,
}

impl Moment {
    /// Actor `a` at this moment, if it had appeared.
    pub fn actor(&self, a: ActorId) -> Option<&ActorAt> {
        self.actors.iter().find(|x| x.actor == a)
    }
}

impl Record {
    /// The record at event `k` (clamped to the last event).
    pub fn at(&self, k: usize) -> Moment {
        let k = k.min(self.events.len().saturating_sub(1));
        let mut actors: Vec<Option<ActorAt>> = vec![None; self.actors.len()];
        let mut fired = vec![false; self.events.len()];
        let mut printed = 0;
        for (i, e) in self.events.iter().enumerate().take(k + 1) {
            match e.what {
                What::Spawned(a) => set_state(&mut actors, a, ActorState::Ready, e.at),
                What::Poll {
                    actor, end, polled, ..
                } => {
                    // Over once nothing it polls is still to come as a
                    // step: its own waits are said with it.
                    let end = (end as usize).min(self.events.len());
                    let over = polled != Polled::Running
                        && (end <= k || self.events[i + 1..end].iter().all(|x| x.what.is_wait()));
                    let state = match polled {
                        Polled::Pending { .. } if over => ActorState::Waiting,
                        // Done comes as its own event, just after.
                        _ => ActorState::Running,
                    };
                    set_state(&mut actors, actor, state, e.at);
                    if let Some(Some(x)) = actors.get_mut(actor as usize) {
                        x.since = e.at;
                        x.poll = Some(i);
                        x.waits = self.waits_in_poll(i).map(|(w, _)| w).collect();
                        x.children = self.pending_children(i, actor);
                    }
                }
                What::Woke { actor, by } => {
                    if let Cause::Fired(w) = by {
                        if let Some(f) = fired.get_mut(w as usize) {
                            *f = true;
                        }
                    }
                    let waiting = actors
                        .get(actor as usize)
                        .and_then(Option::as_ref)
                        .is_some_and(|x| x.state == ActorState::Waiting);
                    if waiting {
                        set_state(&mut actors, actor, ActorState::Ready, e.at);
                    }
                }
                What::Done(a) => set_state(&mut actors, a, ActorState::Done, e.at),
                What::Cancelled { actor, why } => {
                    set_state(&mut actors, actor, ActorState::Cancelled(why), e.at)
                }
                What::Printed(n) => printed = n as usize + 1,
                What::Waits { .. } => {}
            }
        }
        let real = self.events.get(k).map_or(Millis(0.0), |e| e.real);
        let actors: Vec<ActorAt> = actors.into_iter().flatten().collect();
        let actors_over: Vec<ActorId> = actors
            .iter()
            .filter(|x| matches!(x.state, ActorState::Waiting | ActorState::Ready))
            .map(|x| x.actor)
            .collect();
        let in_flight = actors
            .iter()
            .filter(|x| {
                matches!(
                    x.state,
                    ActorState::Waiting | ActorState::Ready | ActorState::Running
                )
            })
            .flat_map(|x| x.waits.iter().map(move |&w| (x.actor, w)))
            // A running actor's waits count once said; a poll that is
            // over (at its own event) has said them all.
            .filter(|&(actor, w)| {
                let said = w <= k || actors_over.contains(&actor);
                said && !fired[w]
            })
            .map(|(actor, w)| InFlight {
                event: w,
                actor,
                overdue: self
                    .wait(w)
                    .and_then(Wait::due)
                    .map(|d| real - d)
                    .filter(|&late| late > 0.0),
            })
            .collect();
        Moment {
            event: k,
            actors,
            in_flight,
            printed,
        }
    }

    /// The polls, inside the poll at event `i` of `parent`, of the named
    /// futures `parent` polls itself that answered `Pending`: their index.
    pub fn pending_children(&self, i: usize, parent: ActorId) -> Vec<usize> {
        self.during(i)
            .iter()
            .enumerate()
            .filter(|(_, e)| match e.what {
                What::Poll { actor, polled, .. } => {
                    matches!(polled, Polled::Pending { .. })
                        && self.actors.get(actor as usize).is_some_and(|a| {
                            a.kind == ActorKind::Future && a.parent == Some(parent)
                        })
                }
                _ => false,
            })
            .map(|(k, _)| i + 1 + k)
            .collect()
    }
}

/// Puts actor `a` in `state` at `at` (tutorial seconds), making its entry
/// if it is new; `since` moves only when the state changes.
fn set_state(actors: &mut [Option<ActorAt>], a: ActorId, state: ActorState, at: Seconds) {
    let Some(slot) = actors.get_mut(a as usize) else {
        return;
    };
    let x = slot.get_or_insert_with(|| ActorAt {
        actor: a,
        state,
        since: at,
        poll: None,
        waits: Vec::new(),
        children: Vec::new(),
    });
    if x.state != state {
        x.since = at;
    }
    x.state = state;
}
