//! Tasks: futures handed to the browser's event loop, with a handle that
//! gives the result, tells the status and can cancel.
//!
//! This is what Python's `asyncio.create_task` gives. The difference worth
//! knowing: a Python coroutine object does nothing until awaited *or*
//! wrapped in a task, and a task starts on the loop's next turn. A Rust
//! future likewise does nothing until polled; [`spawn`] has the browser
//! poll it on its next microtask, so it starts without being awaited.

use std::cell::{Cell, RefCell};
use std::fmt;
use std::future::Future;
use std::panic::Location;
use std::pin::Pin;
use std::rc::{Rc, Weak};
use std::task::{Context, Poll, Waker};

use futures::future::LocalBoxFuture;
use futures::FutureExt;

use super::clock::Speed;
use super::poll::{self, PollRecorder};
use super::run::{self, AnyTask, OnEvent, Run, RunState};
use super::trace::{self, ActorId, ActorKind, Site, Wait, What, Why};

/// Where a task is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Not finished: waiting to be polled, or waiting on something.
    Pending,
    /// Finished with a result.
    Done,
    /// Cancelled before it finished; its future was dropped.
    Cancelled,
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Status::Pending => "pending",
            Status::Done => "done",
            Status::Cancelled => "cancelled",
        })
    }
}

/// The error of awaiting a cancelled task (Python's `CancelledError`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cancelled;

impl fmt::Display for Cancelled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the task was cancelled")
    }
}

impl std::error::Error for Cancelled {}

enum Slot<T> {
    Pending,
    Done(Option<T>),
    Cancelled,
}

struct Shared<T> {
    future: RefCell<Option<LocalBoxFuture<'static, T>>>,
    slot: RefCell<Slot<T>>,
    /// Set when `cancel` is called from inside the task's own poll.
    cancel_asked: Cell<bool>,
    /// The handle's waker: whoever awaits the result.
    waiter: Cell<Option<Waker>>,
    /// The driver's waker, so that a cancelled task leaves the loop at once.
    driver: Cell<Option<Waker>>,
    /// Its run and its actor there, when the run keeps a record.
    traced: Option<(Weak<RunState>, ActorId)>,
}

impl<T> Shared<T> {
    fn status(&self) -> Status {
        match *self.slot.borrow() {
            Slot::Pending => Status::Pending,
            Slot::Done(_) => Status::Done,
            Slot::Cancelled => Status::Cancelled,
        }
    }

    fn settle(&self, slot: Slot<T>) {
        *self.slot.borrow_mut() = slot;
        if let Some(w) = self.waiter.take() {
            w.wake();
        }
        if let Some(w) = self.driver.take() {
            w.wake();
        }
    }

    fn cancel(&self, why: Why) {
        if self.status() != Status::Pending {
            return;
        }
        let Ok(mut future) = self.future.try_borrow_mut() else {
            // The task is cancelling itself from inside its own poll; the
            // driver drops the future as soon as that poll returns.
            self.cancel_asked.set(true);
            return;
        };
        if let Some((run, actor)) = &self.traced {
            if let Some(run) = run.upgrade() {
                Run(run).note(What::Cancelled { actor: *actor, why });
            }
        }
        let future = future.take();
        run::cancel_with(why, || drop(future));
        self.settle(Slot::Cancelled);
    }
}

impl<T> AnyTask for Shared<T> {
    fn cancel(&self, why: Why) {
        Shared::cancel(self, why)
    }
    fn is_pending(&self) -> bool {
        self.status() == Status::Pending
    }
}

/// What `spawn_local` polls: the task's future, with its run current.
struct Driver<T> {
    shared: Rc<Shared<T>>,
    run: Option<Run>,
    /// Its side of the run's record, if the run keeps one.
    traced: Option<PollRecorder>,
    /// Not polled yet.
    first: bool,
    /// The run's `main`: when it is done, the run is finished.
    main: bool,
}

impl<T> Driver<T> {
    /// Polls the task's future once, with the run current. When it is
    /// ready, the task is done, and whoever awaits it is woken.
    fn step(&self, cx: &mut Context<'_>, root: Option<(usize, usize, ActorId)>) -> Poll<()> {
        let shared = &self.shared;
        let polled = {
            let mut future = shared.future.borrow_mut();
            let Some(fut) = future.as_mut() else {
                return Poll::Ready(());
            };
            Run::enter(self.run.as_ref(), || match root {
                Some(root) => poll::as_root(root, || fut.poll_unpin(cx)),
                None => fut.poll_unpin(cx),
            })
        };
        match polled {
            Poll::Ready(value) => {
                let done = shared.future.borrow_mut().take();
                drop(done);
                shared.settle(Slot::Done(Some(value)));
                Poll::Ready(())
            }
            Poll::Pending => Poll::Pending,
        }
    }
}

impl<T> Future for Driver<T> {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = self.get_mut();
        if this.shared.status() != Status::Pending {
            return Poll::Ready(()); // cancelled: leave the loop
        }
        let root = std::mem::take(&mut this.first)
            .then(|| this.root())
            .flatten();
        let polled = match this.traced.take() {
            Some(mut traced) => {
                let polled = traced.poll(cx, None, |cx| this.step(cx, root));
                this.traced = Some(traced);
                polled
            }
            None => this.step(cx, root),
        };
        match polled {
            Poll::Ready(()) => {
                if this.main {
                    if let Some(run) = &this.run {
                        Run::enter(Some(run), || run.finish());
                    }
                }
                Poll::Ready(())
            }
            Poll::Pending if this.shared.cancel_asked.get() => {
                this.shared.cancel(Why::Cancel);
                Poll::Ready(())
            }
            Poll::Pending => {
                this.shared.driver.set(Some(cx.waker().clone()));
                Poll::Pending
            }
        }
    }
}

impl<T> Driver<T> {
    /// Where the root future lies, and its size, for a named future to
    /// know it is the whole task ([`Named`](super::Named)).
    fn root(&self) -> Option<(usize, usize, ActorId)> {
        let actor = self.traced.as_ref()?.actor;
        let future = self.shared.future.borrow();
        let fut: &dyn Future<Output = T> = &**future.as_ref()?;
        Some((
            fut as *const dyn Future<Output = T> as *const () as usize,
            std::mem::size_of_val(fut),
            actor,
        ))
    }
}

/// A handle to a spawned future.
///
/// Await it (`(&mut task).await` keeps the handle) for `Ok(result)` or
/// `Err(Cancelled)`. Dropping the handle does not stop the task; the run
/// does, when it ends, as `asyncio.run` cancels what is left.
#[must_use = "a task runs without its handle, but then nobody can read its result or cancel it"]
pub struct Task<T> {
    shared: Rc<Shared<T>>,
}

impl<T: 'static> Task<T> {
    /// Pending, done or cancelled.
    pub fn status(&self) -> Status {
        self.shared.status()
    }

    /// True once it finished or was cancelled (Python's `task.done()`).
    pub fn is_done(&self) -> bool {
        self.status() != Status::Pending
    }

    /// Cancels the task: its future is dropped now, which clears its timers.
    /// Cancelling a finished task does nothing.
    pub fn cancel(&self) {
        self.shared.cancel(Why::Cancel);
    }

    /// A cloneable handle that can only cancel the task, for handing to
    /// another future (Python's `loop.call_later(1, task.cancel)`).
    pub fn canceller(&self) -> Canceller {
        Canceller(self.erase())
    }

    pub(crate) fn erase(&self) -> Rc<dyn AnyTask> {
        self.shared.clone()
    }
}

/// Cancels one task; see [`Task::canceller`].
#[derive(Clone)]
pub struct Canceller(Rc<dyn AnyTask>);

impl Canceller {
    /// Cancels the task, as [`Task::cancel`] does.
    pub fn cancel(&self) {
        self.0.cancel(Why::Cancel);
    }
}

impl fmt::Debug for Canceller {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Canceller")
            .field("pending", &self.0.is_pending())
            .finish()
    }
}

impl<T> Future for Task<T> {
    type Output = Result<T, Cancelled>;

    #[track_caller]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut slot = self.shared.slot.borrow_mut();
        match &mut *slot {
            Slot::Pending => {
                self.shared.waiter.set(Some(cx.waker().clone()));
                if let Some((_, actor)) = &self.shared.traced {
                    poll::waiting(Wait::Task(*actor), Site::Rust(Location::caller()));
                }
                Poll::Pending
            }
            Slot::Done(value) => Poll::Ready(Ok(value.take().expect(
                "a task's result is taken once: do not await a task again after it gave its result",
            ))),
            Slot::Cancelled => Poll::Ready(Err(Cancelled)),
        }
    }
}

impl<T> fmt::Debug for Task<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Task")
            .field("status", &self.shared.status())
            .finish()
    }
}

/// Hands `future` to the browser's event loop and returns its [`Task`].
///
/// Inside a run the task belongs to the run: Stop cancels it, and so does
/// the end of the lesson.
pub fn spawn<F>(future: F) -> Task<F::Output>
where
    F: Future + 'static,
    F::Output: 'static,
{
    spawn_named(None, future)
}

/// Like [`spawn`], with the task's name in the record, if `label` gives
/// one (a Python task's own, `Task-2` or the name the program gave it);
/// without, it is `Task-N`.
pub fn spawn_named<F>(label: Option<String>, future: F) -> Task<F::Output>
where
    F: Future + 'static,
    F::Output: 'static,
{
    let run = Run::current();
    let task = spawn_in(run.clone(), ActorKind::Task, label, future);
    if let Some(run) = run {
        run.adopt(task.erase());
    }
    task
}

/// Spawns `future` for `run` (if any) as its `main` or as a task (named
/// `label`, or `Task-N`).
pub(crate) fn spawn_in<F>(
    run: Option<Run>,
    kind: ActorKind,
    label: Option<String>,
    future: F,
) -> Task<F::Output>
where
    F: Future + 'static,
    F::Output: 'static,
{
    let traced = recorded_task(run.as_ref(), kind, label);
    let shared = Rc::new(Shared {
        future: RefCell::new(Some(future.boxed_local())),
        slot: RefCell::new(Slot::Pending),
        cancel_asked: Cell::new(false),
        waiter: Cell::new(None),
        driver: Cell::new(None),
        traced: traced.as_ref().map(|t| (Rc::downgrade(&t.run.0), t.actor)),
    });
    wasm_bindgen_futures::spawn_local(Driver {
        shared: shared.clone(),
        run,
        traced,
        first: true,
        main: kind == ActorKind::Main,
    });
    Task { shared }
}

/// A new task's side of its run's record, if the run keeps one.
fn recorded_task(
    run: Option<&Run>,
    kind: ActorKind,
    label: Option<String>,
) -> Option<PollRecorder> {
    let run = run?;
    let label = label.or_else(|| (kind == ActorKind::Main).then(|| "main".to_string()));
    let actor = run.new_actor(label, kind, poll::polling(), None)?;
    Some(PollRecorder::new(run.clone(), actor))
}

/// Starting a run: its `main` is its first task, as `asyncio.run(main())`
/// makes `main` the loop's first task.
impl Run {
    /// Starts `main` on the browser's event loop at `speed`, with `seed`
    /// for [`randint`](super::randint). `listener` hears of every line, span
    /// and the end, as they happen.
    pub fn start<F>(
        speed: Speed,
        seed: u64,
        listener: impl Fn(&Run, run::Event) + 'static,
        main: F,
    ) -> Run
    where
        F: Future<Output = ()> + 'static,
    {
        Self::launch(speed, seed, Some(Box::new(listener)), trace::LIMIT, main)
    }

    /// Like [`Run::start`], without a listener: read the run when it ends.
    pub fn start_quiet<F>(speed: Speed, seed: u64, main: F) -> Run
    where
        F: Future<Output = ()> + 'static,
    {
        Self::launch(speed, seed, None, trace::LIMIT, main)
    }

    /// Like [`Run::start_quiet`], keeping at most `limit` events in its
    /// record (0 keeps none): the benchmark page measures what the record
    /// costs.
    pub fn start_quiet_recording<F>(speed: Speed, seed: u64, limit: usize, main: F) -> Run
    where
        F: Future<Output = ()> + 'static,
    {
        Self::launch(speed, seed, None, limit, main)
    }

    fn launch<F>(speed: Speed, seed: u64, listener: Option<OnEvent>, limit: usize, main: F) -> Run
    where
        F: Future<Output = ()> + 'static,
    {
        let run = Run::new(speed, seed, listener, limit);
        // Its task finishes the run when `main` is done.
        let handle: Task<()> = spawn_in(Some(run.clone()), ActorKind::Main, None, main);
        run.set_main(handle.erase());
        run
    }
}
