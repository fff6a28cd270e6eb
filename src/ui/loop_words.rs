//! The record of the loop in plain words: "task 1 polled → Pending: waits
//! on sleep 3 s", with Python's way of saying it beside (polling a future
//! is resuming a coroutine; a waker waking a task is a callback scheduled
//! with `call_soon`).
//!
//! Both "What the loop did" and the timeline's marks read their words
//! here, so the page says one thing one way.

use std::fmt::Write;

use crate::rt::trace::{ActorId, ActorKind, Cause, Polled, Record, Site, Wait, What, Why};
use crate::rt::{Fixed, Line, Millis, Seconds};

/// An event in words.
pub struct Said {
    /// What happened, as the Rust runtime sees it.
    pub rust: String,
    /// The same in Python's words, where they differ.
    pub python: Option<String>,
}

/// How long a poll must hold the thread to be worth saying: a frame.
pub const LONG_POLL_MS: f64 = 16.0;
/// How late a timer must fire to be worth saying: more than a frame (the
/// page's own drawing can hold a timer back that long).
pub const LATE_MS: f64 = 16.0;

/// How to write times: tutorial seconds, or milliseconds for lessons that
/// take milliseconds.
#[derive(Clone, Copy)]
pub struct Times {
    /// The run's speed (tutorial seconds per real second).
    pub speed: f64,
    /// Whether to write milliseconds.
    pub in_ms: bool,
}

impl Times {
    /// How a run at `speed` is written: in tutorial seconds when the
    /// lesson is `timed` (paced), in milliseconds when its times are the
    /// machine's own. The list and the timeline's marks both ask here, so
    /// an event reads the same in both.
    pub fn new(speed: f64, timed: bool) -> Times {
        Times {
            speed,
            in_ms: !timed,
        }
    }

    /// A moment of the run.
    pub fn at(self, at: Seconds) -> String {
        if self.in_ms {
            format!("{:.1} ms", Fixed(at.0 * 1000.0))
        } else {
            format!("{at:.2} s")
        }
    }

    /// A short span of real milliseconds, always in ms: the loop's own
    /// delays are fractions of a millisecond.
    pub fn real_fine(self, ms: Millis) -> String {
        format!("{ms:.2} ms")
    }

    /// A span of real milliseconds, in the run's units.
    pub fn real(self, ms: Millis) -> String {
        if self.in_ms {
            format!("{ms:.1} ms")
        } else {
            format!("{:.2} s", Fixed(ms.0 / 1000.0 * self.speed))
        }
    }
}

/// What waiting on `on` is called: `sleep 3 s`.
pub fn wait_name(r: &Record, on: &Wait) -> String {
    match on {
        Wait::Sleep { secs, .. } => format!("sleep {} s", Fixed(*secs)),
        Wait::Timer { ms, .. } => format!("setTimeout {} ms", Fixed(*ms)),
        Wait::Tick { .. } => "the next tick".into(),
        Wait::Yield => "its message to itself (yield_now)".into(),
        Wait::Frame => "the next animation frame".into(),
        Wait::Promise => "a promise".into(),
        Wait::Fetch(url) => format!("the reply from {url}"),
        Wait::Message => "a message on its port".into(),
        Wait::Job(job) => format!("the worker's {job}"),
        Wait::Load(url) => format!("the load of {url}"),
        Wait::Task(a) => format!("{} to finish", r.label(*a)),
        Wait::Other(what) => (*what).into(),
    }
}

/// What Python awaits for the same wait.
fn python_wait(r: &Record, on: &Wait) -> String {
    match on {
        Wait::Sleep { secs, .. } => format!("await asyncio.sleep({})", Fixed(*secs)),
        Wait::Timer { ms, .. } => format!("a loop.call_later({}) callback", Fixed(ms / 1000.0)),
        Wait::Tick { .. } => "await asyncio.sleep(…) for the next tick".into(),
        Wait::Yield => "await asyncio.sleep(0)".into(),
        Wait::Frame => "a browser frame (asyncio has none)".into(),
        Wait::Promise => "await a future".into(),
        Wait::Fetch(_) => "await client.get(url)".into(),
        Wait::Message => "await reader.read()".into(),
        Wait::Job(_) => "await loop.run_in_executor(…)".into(),
        Wait::Load(_) => "await page.goto(url)".into(),
        Wait::Task(a) => format!("await {}", r.label(*a)),
        // What the tour's Python waits on (py::asyncio), in its words.
        Wait::Other(
            what @ ("asyncio.gather(…)" | "asyncio.wait(…)" | "a task" | "a future" | "anext(…)"),
        ) => {
            format!("await {what}")
        }
        Wait::Other(_) => "an awaitable's __await__".into(),
    }
}

/// What the actor polled at event `i` waits on after that `Pending` poll,
/// in a few words: its own waits, or else the named futures inside it
/// that are still pending.
pub fn waits_label(r: &Record, i: usize) -> String {
    let (waits, children) = waits_in_poll(r, i);
    label_waits(r, &waits, &children)
}

fn label_waits(r: &Record, waits: &[&Wait], children: &[ActorId]) -> String {
    if !waits.is_empty() {
        // Several waits may be a join (all of them) or a select (the first):
        // the record cannot tell, so it lists them.
        let all: Vec<String> = waits.iter().map(|w| wait_name(r, w)).collect();
        all.join(", ")
    } else if !children.is_empty() {
        let all: Vec<&str> = children.iter().map(|c| r.label(*c)).collect();
        all.join(", ")
    } else {
        "something it did not name".into()
    }
}

/// What the actor polled at event `i` said it waits on in that poll, and
/// the named futures inside it that were left pending.
fn waits_in_poll(r: &Record, i: usize) -> (Vec<&Wait>, Vec<ActorId>) {
    let a = r.events.get(i).and_then(|e| e.what.actor());
    let waits = r.waits_in_poll(i).map(|(_, on)| on).collect();
    let children = a.map_or_else(Vec::new, |a| {
        r.pending_children(i, a)
            .into_iter()
            .filter_map(|c| r.events[c].what.actor())
            .collect()
    });
    (waits, children)
}

/// The wake that led to the poll at event `i` (the latest wake of its
/// actor since its previous poll), and the real ms from it to the poll:
/// the time the task spent in the loop's queue.
pub fn queued(r: &Record, i: usize) -> Option<(usize, Millis)> {
    let e = r.events.get(i)?;
    let What::Poll { actor, .. } = e.what else {
        return None;
    };
    for (j, before) in r.events[..i].iter().enumerate().rev() {
        match before.what {
            What::Woke { actor: a, .. } if a == actor => return Some((j, e.real - before.real)),
            What::Poll { actor: a, .. } if a == actor => return None,
            _ => {}
        }
    }
    None
}

/// How late a wake with this cause came after its timer was due, in real
/// ms, if it was a timer.
pub fn lateness(r: &Record, i: usize) -> Option<Millis> {
    let e = r.events.get(i)?;
    let What::Woke { by, .. } = e.what else {
        return None;
    };
    Some(e.real - r.wait_of(by)?.due()?)
}

/// The actor whose long poll was running at `real` ms, if one was: it held
/// the thread, so nothing else could run then.
fn holder(r: &Record, real: Millis) -> Option<ActorId> {
    r.events.iter().find_map(|e| match e.what {
        What::Poll { actor, took, .. }
            if took >= LONG_POLL_MS && e.real <= real && real <= e.real + took =>
        {
            Some(actor)
        }
        _ => None,
    })
}

/// Event `i` of the record in words, or `None` for events folded into
/// others (what a poll waits on is said with the poll).
pub fn describe(r: &Record, i: usize, lines: &[Line], t: Times) -> Option<Said> {
    let e = r.events.get(i)?;
    let name = |a: ActorId| r.label(a).to_string();
    let said = |rust: String, python: Option<String>| Some(Said { rust, python });
    match &e.what {
        What::Spawned(a) => match r.actors.get(*a as usize)?.kind {
            ActorKind::Main => said(
                "main handed to the loop (spawn_local): it is polled on the next microtask".into(),
                Some("asyncio.run(main()) starts a loop and schedules main".into()),
            ),
            _ => said(
                format!(
                    "{} spawned: handed to the loop, to be polled soon",
                    name(*a)
                ),
                Some(format!("asyncio.create_task schedules {}", name(*a))),
            ),
        },
        &What::Poll {
            actor,
            took,
            polled,
            woken,
            ..
        } => {
            let first = r.polls(actor).next().map(|p| p.0) == Some(i);
            let how = if first {
                "polled for the first time"
            } else if woken {
                "polled"
            } else {
                "polled with the future that holds it (not woken itself)"
            };
            let mut rust = format!("{} {how}", name(actor));
            let mut python = if first {
                format!("the coroutine {} starts", name(actor))
            } else {
                format!("the loop resumes {}", name(actor))
            };
            match polled {
                Polled::Ready => {
                    rust.push_str(" → Ready");
                    python.push_str(", and it returns");
                }
                Polled::Pending { .. } => {
                    let (waits, children) = waits_in_poll(r, i);
                    let _ = write!(
                        rust,
                        " → Pending: waits on {}",
                        label_waits(r, &waits, &children)
                    );
                    let tasks = waits.iter().filter(|w| matches!(w, Wait::Task(_))).count();
                    let at = match (waits.first(), children.as_slice()) {
                        (Some(_), _) if tasks > 1 => "await asyncio.gather(…)".into(),
                        (Some(on), _) => python_wait(r, on),
                        (None, [one]) => format!("await {}", name(*one)),
                        (None, [_, _, ..]) => "await asyncio.gather(…)".into(),
                        (None, []) => "an await".into(),
                    };
                    let _ = write!(python, "; it suspends at {at}");
                    // A Python program's await says its line.
                    let line = r
                        .waits_in_poll(i)
                        .find_map(|(k, _)| match r.events[k].what {
                            What::Waits {
                                site: Some(Site::Python(line)),
                                ..
                            } => Some(line),
                            _ => None,
                        });
                    if let Some(line) = line {
                        let _ = write!(python, " on line {line}");
                    }
                }
                Polled::Running => rust.push_str(" (running)"),
            }
            if let Some((_, gap)) = queued(r, i).filter(|_| woken) {
                let _ = write!(rust, " ({} after its wake)", t.real_fine(gap));
            }
            if took >= LONG_POLL_MS {
                let _ = write!(
                    rust,
                    ". The poll held the thread {}: nothing else could run",
                    t.real(took)
                );
            }
            said(rust, Some(python))
        }
        What::Waits { .. } => None,
        &What::Woke { actor, by } => {
            let rust = match by {
                Cause::Fired(_) => {
                    let on = r.wait_of(by)?;
                    let what = match on {
                        Wait::Sleep { secs, .. } => {
                            format!("the timer of sleep {} s fired", Fixed(*secs))
                        }
                        Wait::Timer { ms, .. } => format!("setTimeout {} ms fired", Fixed(*ms)),
                        Wait::Tick { .. } => "the interval ticked".into(),
                        Wait::Yield => "its message arrived".into(),
                        Wait::Frame => "an animation frame came".into(),
                        Wait::Promise => "the promise settled (a microtask)".into(),
                        Wait::Fetch(url) => format!("the reply from {url} came"),
                        Wait::Message => "a message came on its port".into(),
                        Wait::Job(job) => format!("the worker answered {job}"),
                        Wait::Load(url) => format!("{url} loaded"),
                        Wait::Task(a) => format!("{} finished", name(*a)),
                        Wait::Other(what) => format!("{what} fired"),
                    };
                    let mut s = format!("{what}: {} woken", name(actor));
                    if let Some(late) = lateness(r, i).filter(|l| *l >= LATE_MS) {
                        let _ = write!(s, ", {} after it came due", t.real(late));
                        match holder(r, e.real - late) {
                            Some(h) => {
                                let _ = write!(s, ": {}'s poll was holding the thread", name(h));
                            }
                            None => s.push_str(": the loop could not run its callback sooner"),
                        }
                    }
                    s
                }
                Cause::Child(c) => format!(
                    "{} woken: {}, which it polls, was woken",
                    name(actor),
                    name(c)
                ),
                Cause::By(b) if b == actor => format!("{} woke itself", name(actor)),
                Cause::By(b) => format!("{} woken by {}", name(actor), name(b)),
                Cause::Callback => format!("{} woken by a browser callback", name(actor)),
            };
            said(
                rust,
                Some(format!("call_soon schedules {}'s next step", name(actor))),
            )
        }
        What::Done(a) => match r.actors.get(*a as usize)?.kind {
            ActorKind::Main => said(
                "main returned: the run is over".into(),
                Some("asyncio.run(main()) returns".into()),
            ),
            _ => said(format!("{} done", name(*a)), None),
        },
        What::Cancelled { actor, why } => said(
            format!("{} cancelled: {why}", name(*actor)),
            Some(
                match why {
                    Why::Stop => "like Ctrl-C: asyncio.run cancels every task",
                    Why::Cancel => "task.cancel() throws CancelledError into it",
                    Why::EndOfMain => "asyncio.run cancels the tasks main left",
                    Why::Dropped => "no Python counterpart: a dropped future just never runs again",
                }
                .into(),
            ),
        ),
        What::Printed(n) => said(
            format!(
                "printed “{}”",
                lines.get(*n as usize).map_or("", |l| l.text.as_str())
            ),
            None,
        ),
    }
}

/// The events "What the loop did" lists (waits are said with their
/// polls): all of them, or only those [`notable`] keeps. Gives how many
/// there are in all, and the ones chosen.
pub fn listed(r: &Record, all: bool) -> (usize, Vec<usize>) {
    let keep = notable(r);
    let said: Vec<usize> = (0..r.events.len())
        .filter(|&i| !r.events[i].what.is_wait())
        .collect();
    let count = said.len();
    (
        count,
        said.into_iter().filter(|&i| all || keep[i]).collect(),
    )
}

/// The record of `run` in words, a line an event, for a terminal
/// (`scripts/py.sh --record`): its time, what happened, and the same in
/// Python's words where they differ.
pub fn told(run: &crate::rt::Run, timed: bool) -> Vec<String> {
    let record = run.record();
    let lines = run.lines();
    let times = Times::new(run.clock().speed().factor(), timed);
    let (_, shown) = listed(&record, false);
    shown
        .into_iter()
        .filter_map(|i| {
            let words = describe(&record, i, &lines, times)?;
            let mut line = format!("{:>9}  {}", times.at(record.events[i].at), words.rust);
            if let Some(py) = words.python {
                let _ = write!(line, " (Python: {py})");
            }
            Some(line)
        })
        .collect()
}

/// Which events matter for the lesson: shown by default, the rest one
/// click away. Folded events never; a join polling a child that was not
/// woken, and the routine beats of a repeating timer (after its first
/// two, unless late), are there only in the full list.
pub fn notable(r: &Record) -> Vec<bool> {
    let mut wakes = vec![0u32; r.actors.len()];
    for e in &r.events {
        if let What::Woke { actor, .. } = e.what {
            if let Some(n) = wakes.get_mut(actor as usize) {
                *n += 1;
            }
        }
    }
    let mut seen = vec![0u32; r.actors.len()];
    let mut last_wake_notable = vec![true; r.actors.len()];
    let mut out = Vec::with_capacity(r.events.len());
    for (i, e) in r.events.iter().enumerate() {
        let keep = match e.what {
            What::Waits { .. } => false,
            What::Woke { actor, by } => {
                let a = actor as usize;
                seen[a] += 1;
                let routine = wakes[a] > 6 && seen[a] > 2 && seen[a] < wakes[a];
                let late = lateness(r, i).is_some_and(|l| l >= LATE_MS);
                // A wake passed up from a child is said with the child's;
                // the poll it leads to still shows.
                last_wake_notable[a] = !routine || late;
                last_wake_notable[a] && !matches!(by, Cause::Child(_))
            }
            What::Poll {
                actor,
                polled,
                woken,
                took,
                ..
            } => {
                let a = actor as usize;
                let long = took >= LONG_POLL_MS;
                match polled {
                    Polled::Ready => true,
                    Polled::Pending { .. } if !woken => long,
                    _ => seen[a] == 0 || long || last_wake_notable[a],
                }
            }
            _ => true,
        };
        out.push(keep);
    }
    out
}
