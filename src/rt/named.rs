//! Naming a future: `task(1, 3.0).named("task 1")`.
//!
//! A named future gets a lane of its own on the timeline and in the record
//! of the loop, for as long as it runs (the spirit of `tracing`'s
//! `fut.instrument(span)`: the name is live exactly while the future is).
//! The futures inside one `join!` are polled inside one task; naming them
//! is what lets the record show each one's polls, waits and wakes.
//!
//! A named future handed straight to [`spawn`](super::spawn) names the
//! task itself, like Python's `create_task(coro, name="task 1")`.

use std::future::{Future, IntoFuture};
use std::panic::Location;
use std::pin::Pin;
use std::task::{Context, Poll};

use super::poll::{self, PollRecorder};
use super::run::{self, span, Run, Span};
use super::trace::{ActorKind, Site, What, Why};

/// Gives any future a name; see [the module](self).
pub trait Name: IntoFuture + Sized {
    /// This future, named `label` on the timeline and in the record.
    #[track_caller]
    fn named<'a>(self, label: impl Into<String>) -> Named<'a, Self::Output>
    where
        Self::IntoFuture: 'a,
    {
        Named {
            inner: Box::pin(self.into_future()),
            lane: Lane::NotYet(label.into(), Site::Rust(Location::caller())),
        }
    }
}

impl<F: IntoFuture> Name for F {}

/// The future [`Name::named`] returns. It holds its future boxed, as a
/// `dyn Future`, so that its code is compiled once per output type rather
/// than once per future.
#[must_use = "futures do nothing unless you `.await` them"]
pub struct Named<'a, T> {
    inner: Pin<Box<dyn Future<Output = T> + 'a>>,
    lane: Lane,
}

enum Lane {
    /// Not polled yet: only its label, and where it was named.
    NotYet(String, Site),
    /// Its own actor in the record, and its bar.
    Own { recorder: PollRecorder, _bar: Span },
    /// Only a bar: it is its task's root future (the task carries its
    /// name), or the run keeps no record.
    Bar { _bar: Span },
    /// It finished; its bar ended then.
    Finished,
}

impl Lane {
    /// The lane of a named future first polled now, which lies at `addr`
    /// with `size` bytes, and was named at `site`.
    fn open(label: String, site: Site, addr: usize, size: usize) -> Lane {
        let bar = span(label.clone());
        match (Run::current(), poll::root_task(addr, size)) {
            (Some(run), Some(task)) => {
                run.rename(task, label);
                Lane::Bar { _bar: bar }
            }
            (Some(run), None) => {
                match run.new_actor(Some(label), ActorKind::Future, poll::polling(), Some(site)) {
                    Some(actor) => Lane::Own {
                        recorder: PollRecorder::new(run, actor),
                        _bar: bar,
                    },
                    None => Lane::Bar { _bar: bar },
                }
            }
            (None, _) => Lane::Bar { _bar: bar },
        }
    }
}

impl<T> Future for Named<'_, T> {
    type Output = T;

    #[track_caller]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        let this = self.get_mut();
        if let Lane::NotYet(label, site) = &mut this.lane {
            let (label, site) = (std::mem::take(label), *site);
            let me = this as *const Self as usize;
            this.lane = Lane::open(label, site, me, std::mem::size_of::<Self>());
        }
        let inner = &mut this.inner;
        let from = Some(Site::Rust(Location::caller()));
        let result = match &mut this.lane {
            Lane::Own { recorder, .. } => recorder.poll(cx, from, |cx| inner.as_mut().poll(cx)),
            _ => inner.as_mut().poll(cx),
        };
        if result.is_ready() {
            // The bar ends now, not when the wrapper is dropped.
            this.lane = Lane::Finished;
        }
        result
    }
}

impl<T> Drop for Named<'_, T> {
    fn drop(&mut self) {
        if let Lane::Own { recorder, .. } = &self.lane {
            let why = run::cancelling().unwrap_or(Why::Dropped);
            recorder.run.note(What::Cancelled {
                actor: recorder.actor,
                why,
            });
        }
    }
}
