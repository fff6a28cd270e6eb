//! asyncio on the tour's runtime: a Python task is a task of [`rt`],
//! and what it awaits at the bottom (a sleep, a future) is a future of
//! [`rt`], so every poll, wait and wake is in the run's record.
//!
//! The native part is what needs the loop: futures, tasks and their
//! drivers, `sleep`, `run`, `call_soon`, `call_later`. The rest of
//! asyncio (`gather`, `wait_for`, `Event`, `Queue`...) is Python, in
//! `asyncio.py`, written over these, as CPython's is.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::{Rc, Weak};
use std::task::{Context, Poll};

use crate::rt;

use super::ast::Name;
use super::value::*;
use super::vm::{new_exception, Exit, Vm};

type R<T> = Result<T, Value>;

/// The Python half of asyncio.
pub const PRELUDE: &str = include_str!("asyncio.py");

/// Marks `fut` done and wakes what waits on it; its Python callbacks are
/// called soon, each on a turn of the loop of its own (as `call_soon`).
pub fn finish(vm: &Vm, fut: &Rc<FutureObj>, state: FutureState) {
    if fut.done() {
        return;
    }
    *fut.state.borrow_mut() = state;
    // Callbacks first: CPython calls a future's callbacks in the order they
    // were added, and a task that awaits it added its own last.
    let callbacks = std::mem::take(&mut *fut.callbacks.borrow_mut());
    for cb in callbacks {
        call_soon(vm, cb, vec![Value::Future(fut.clone())]);
    }
    for w in fut.wakers.borrow_mut().drain(..) {
        w.wake();
    }
    let parents = std::mem::take(&mut *fut.parents.borrow_mut());
    for parent in parents.iter().filter_map(Weak::upgrade) {
        child_done(vm, &parent, fut);
    }
}

/// A gather's child is done: the gather fails with the first failure
/// (unless `return_exceptions`), or is done when its last child is. Each
/// child tells its gathers once, so a gather of n children costs O(n).
fn child_done(vm: &Vm, gather: &Rc<FutureObj>, child: &Rc<FutureObj>) {
    let FutureKind::Gather(children, return_exceptions, remaining) = &gather.kind else {
        return;
    };
    let failure = match &*child.state.borrow() {
        FutureState::Failed(e) => Some(e.clone()),
        FutureState::Cancelled => Some(vm.error_no_args("CancelledError")),
        _ => None,
    };
    if gather.done() {
        child.retrieved.set(true);
        return;
    }
    if let (Some(e), false) = (failure, *return_exceptions) {
        child.retrieved.set(true);
        finish(vm, gather, FutureState::Failed(e));
        return;
    }
    remaining.set(remaining.get().saturating_sub(1));
    if remaining.get() > 0 {
        return;
    }
    let mut results = Vec::with_capacity(children.len());
    for c in children {
        results.push(match &*c.state.borrow() {
            FutureState::Done(v) => v.clone(),
            FutureState::Failed(e) => {
                c.retrieved.set(true);
                e.clone()
            }
            _ => vm.error_no_args("CancelledError"),
        });
    }
    finish(vm, gather, FutureState::Done(Value::list(results)));
}

/// Calls `f(*args)` on a later turn of the loop.
pub fn call_soon(vm: &Vm, f: Value, args: Vec<Value>) {
    let handle = vm.handle.clone();
    drop(rt::spawn(async move {
        callback(handle, f, args);
    }));
}

/// Calls `f(*args)` after `secs` tutorial seconds.
pub fn call_later(vm: &Vm, secs: f64, f: Value, args: Vec<Value>) {
    let handle = vm.handle.clone();
    drop(rt::spawn(async move {
        rt::sleep(secs).await;
        callback(handle, f, args);
    }));
}

fn callback(handle: Weak<RefCell<Vm>>, f: Value, args: Vec<Value>) {
    let Some(vm) = handle.upgrade() else { return };
    let Ok(mut vm) = vm.try_borrow_mut() else {
        return;
    };
    if let Err(e) = vm.in_poll(|vm| vm.call(f, args, Vec::new())) {
        let tb = vm.format_traceback(&e);
        vm.warn(&format!("Exception in callback\n{tb}"));
    }
}

/// Waits until a future is done.
struct Wait(Rc<FutureObj>);

impl Future for Wait {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.0.done() {
            return Poll::Ready(());
        }
        self.0.wake_when_done(cx.waker());
        // What the record says it waits on (the loop's words read these).
        rt::waiting_on(match self.0.kind {
            FutureKind::Gather(..) => "asyncio.gather(…)",
            FutureKind::First(..) => "asyncio.wait(…)",
            FutureKind::Task { .. } => "a task",
            FutureKind::Anext(_) => "anext(…)",
            FutureKind::Plain | FutureKind::Sleep(..) => "a future",
        });
        Poll::Pending
    }
}

/// Waits on a sleep's timer, unless it is cancelled first.
struct SleepWait {
    timer: Pin<Box<rt::Sleep>>,
    fut: Rc<FutureObj>,
    handle: Weak<RefCell<Vm>>,
}

impl Future for SleepWait {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.fut.done() {
            return Poll::Ready(());
        }
        if self.timer.as_mut().poll(cx).is_ready() {
            self.fut.forget_waker(cx.waker());
            let result = match &self.fut.kind {
                FutureKind::Sleep(_, r) => r.clone(),
                _ => Value::None,
            };
            if let Some(vm) = self.handle.upgrade() {
                if let Ok(vm) = vm.try_borrow() {
                    finish(&vm, &self.fut, FutureState::Done(result));
                }
            }
            return Poll::Ready(());
        }
        self.fut.wake_when_done(cx.waker());
        Poll::Pending
    }
}

/// Drives a Python task: runs its frames until they wait, waits, and
/// runs them again, until the coroutine returns or raises.
pub struct Driver {
    vm: Weak<RefCell<Vm>>,
    task: Rc<FutureObj>,
    waiting: Option<Pin<Box<dyn Future<Output = ()>>>>,
    /// The program's line that awaits it, for the record.
    site: Option<rt::trace::Site>,
}

impl Driver {
    /// A driver for `task`.
    pub fn new(vm: Weak<RefCell<Vm>>, task: Rc<FutureObj>) -> Driver {
        Driver {
            vm,
            task,
            waiting: None,
            site: None,
        }
    }
}

impl Future for Driver {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        loop {
            let site = self.site;
            if let Some(w) = self.waiting.as_mut() {
                let poll = match site {
                    Some(site) => rt::poll::at_site(site, || w.as_mut().poll(cx)),
                    None => w.as_mut().poll(cx),
                };
                if poll.is_pending() {
                    return Poll::Pending;
                }
                self.waiting = None;
            }
            let Some(vm) = self.vm.upgrade() else {
                return Poll::Ready(());
            };
            let FutureKind::Task {
                frames,
                waiting,
                started,
                ..
            } = &self.task.kind
            else {
                return Poll::Ready(());
            };
            if self.task.done() {
                return Poll::Ready(());
            }
            let mut vm = vm.borrow_mut();
            let mut stack = std::mem::take(&mut *frames.borrow_mut());
            let first = !started.replace(true);
            if self.task.cancel_requested.get() && first {
                // Cancelled before its first step: it never runs.
                drop(stack);
                finish(&vm, &self.task, FutureState::Cancelled);
                return Poll::Ready(());
            }
            if !first {
                if let Some(top) = stack.last_mut() {
                    top.stack.push(Value::None);
                }
            }
            let outer = vm.current_task.replace(self.task.clone());
            let result = vm.in_poll(|vm| vm.run(&mut stack, 0));
            vm.current_task = outer;
            *waiting.borrow_mut() = None;
            match result {
                Ok(Exit::Return(v)) => {
                    finish(&vm, &self.task, FutureState::Done(v));
                    return Poll::Ready(());
                }
                Err(e) => {
                    let state = if vm.is_cancelled_error(&e) {
                        FutureState::Cancelled
                    } else {
                        FutureState::Failed(e)
                    };
                    finish(&vm, &self.task, state);
                    return Poll::Ready(());
                }
                Ok(Exit::Yield(on)) => {
                    let site = awaited_at(&stack).map(rt::trace::Site::Python);
                    vm.depth -= stack.len();
                    *frames.borrow_mut() = stack;
                    *waiting.borrow_mut() = Some(on.clone());
                    self.site = site;
                    self.waiting = Some(match on {
                        Value::Future(f) => wait_on(&self.vm, f),
                        // A bare `yield`: a turn of the loop.
                        _ => Box::pin(rt::yield_now()),
                    });
                }
            }
        }
    }
}

/// The line of the program's own `await` that a task's frames wait at:
/// the innermost frame of the program's file (not the tour's asyncio.py
/// or httpx.py, whose code the program awaits through).
fn awaited_at(frames: &[Box<Frame>]) -> Option<u32> {
    let frame = frames
        .iter()
        .rev()
        .find(|f| !matches!(&*f.code.file.name, "asyncio.py" | "httpx.py"))?;
    let span = frame.code.span_at(frame.ip.saturating_sub(1));
    Some(super::syntax::line_col(&frame.code.file.text, span.start).line)
}

impl Vm {
    /// Whether `e` is asyncio's `CancelledError`.
    pub fn is_cancelled_error(&self, e: &Value) -> bool {
        self.class_of(e)
            .is_subclass(&self.types.exception("CancelledError"))
    }

    /// A new task for coroutine `coro`, spawned on the loop (its first
    /// step on the next turn, as CPython's `create_task`).
    pub fn create_task(&mut self, coro: Value, name: Option<String>) -> R<Rc<FutureObj>> {
        let task = self.task_of(coro, name)?;
        self.spawned.push(Rc::downgrade(&task));
        // In the record under its Python name, as the program sees it.
        let name = Some(task.name.borrow().to_string());
        drop(rt::spawn_named(
            name,
            Driver::new(self.handle.clone(), task.clone()),
        ));
        Ok(task)
    }

    /// A task for `coro`, not yet handed to the loop.
    pub fn task_of(&mut self, coro: Value, name: Option<String>) -> R<Rc<FutureObj>> {
        let Value::Gen(g) = &coro else {
            let r = self.repr(&coro)?;
            return Err(self.type_error(format!("a coroutine was expected, got {r}")));
        };
        let frame = {
            let mut g = g.borrow_mut();
            if g.kind != GenKind::Coroutine {
                drop(g);
                let r = self.repr(&coro)?;
                return Err(self.type_error(format!("a coroutine was expected, got {r}")));
            }
            if g.state != GenState::Created {
                return Err(self.error("RuntimeError", "cannot reuse already awaited coroutine"));
            }
            g.started.set(true);
            g.state = GenState::Closed;
            g.frame.take()
        };
        self.tasks_made += 1;
        let name = name.unwrap_or_else(|| format!("Task-{}", self.tasks_made));
        let coro = frame.as_ref().map(|f| f.code.clone());
        let task = FutureObj::new(
            FutureKind::Task {
                coro,
                frames: RefCell::new(frame.map(|f| vec![f]).unwrap_or_default()),
                waiting: RefCell::new(None),
                started: std::cell::Cell::new(false),
            },
            &name,
        );
        self.tasks.push(Rc::downgrade(&task));
        Ok(task)
    }

    /// `task.cancel()`: asks the task to raise `CancelledError` where it
    /// waits; whether it could.
    pub fn cancel(&mut self, fut: &Rc<FutureObj>) -> bool {
        if fut.done() {
            return false;
        }
        match &fut.kind {
            FutureKind::Task { waiting, .. } => {
                fut.cancel_requested.set(true);
                let on = waiting.borrow().clone();
                match on {
                    Some(Value::Future(inner)) => {
                        self.cancel(&inner);
                    }
                    _ => {
                        for w in fut.wakers.borrow_mut().drain(..) {
                            w.wake();
                        }
                    }
                }
                true
            }
            FutureKind::Gather(children, ..) => {
                for c in children.clone() {
                    self.cancel(&c);
                }
                finish(self, fut, FutureState::Cancelled);
                true
            }
            _ => {
                finish(self, fut, FutureState::Cancelled);
                true
            }
        }
    }

    /// The result of a done future, as `await` and `.result()` give it.
    pub fn future_result(&mut self, f: &Rc<FutureObj>) -> R<Value> {
        let state = f.state.borrow().clone();
        match state {
            FutureState::Done(v) => Ok(v),
            FutureState::Failed(e) => {
                f.retrieved.set(true);
                Err(e)
            }
            FutureState::Cancelled => Err(self.error_no_args("CancelledError")),
            FutureState::Pending => Err(self.error("InvalidStateError", "Result is not set.")),
        }
    }

    /// An exception of class `name` with no arguments.
    pub fn error_no_args(&self, name: &str) -> Value {
        new_exception(self.types.exception(name), Vec::new())
    }

    /// Writes a warning where CPython writes it: standard error.
    pub fn warn(&mut self, text: &str) {
        (self.err)(text);
    }
}

/// The names `asyncio` has natively (the rest is `asyncio.py`).
pub fn native(vm: &Vm, name: &str) -> Option<Value> {
    let _ = vm;
    NATIVES
        .iter()
        .find(|b| b.name.strip_prefix("asyncio.") == Some(name))
        .map(Value::Builtin)
}

macro_rules! natives {
    ($($name:literal => $f:ident,)*) => {
        static NATIVES: &[Builtin] = &[$(Builtin { name: $name, call: $f },)*];
    };
}

natives! {
    "asyncio._sleep" => sleep,
    "asyncio.anext" => anext,
    "asyncio._create_task" => create_task,
    "asyncio.current_task" => current_task,
    "asyncio._run" => run,
    "asyncio._future" => new_future,
    "asyncio._call_soon" => call_soon_builtin,
    "asyncio._call_later" => call_later_builtin,
    "asyncio._time" => loop_time,
    "asyncio._running" => running,
    "asyncio.gather" => gather,
    "asyncio._first" => first,
    "asyncio._all_tasks" => all_tasks,
}

type Args = Vec<Value>;
type Kwargs = Vec<(Name, Value)>;

fn kwarg(kwargs: &Kwargs, name: &str) -> Option<Value> {
    kwargs
        .iter()
        .find(|(k, _)| &**k == name)
        .map(|(_, v)| v.clone())
}

fn secs_of(vm: &Vm, v: Option<&Value>) -> R<f64> {
    match v {
        Some(Value::Int(i)) => Ok(*i as f64),
        Some(Value::Float(x)) => Ok(*x),
        Some(Value::Bool(b)) => Ok(*b as i64 as f64),
        None => Ok(0.0),
        Some(other) => {
            let t = vm.type_name(other);
            Err(vm.type_error(format!(
                "'<=' not supported between instances of '{t}' and 'int'"
            )))
        }
    }
}

fn sleep(vm: &mut Vm, args: Args, kwargs: Kwargs) -> R<Value> {
    let secs = secs_of(vm, args.first())?;
    let result = args
        .get(1)
        .cloned()
        .or_else(|| kwarg(&kwargs, "result"))
        .unwrap_or(Value::None);
    Ok(Value::Future(FutureObj::new(
        FutureKind::Sleep(secs, result),
        "sleep",
    )))
}

/// `anext(agen)`, and `agen.__anext__()`: what awaiting its next step is.
pub fn anext(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    match args.first() {
        Some(Value::Gen(g)) if g.borrow().kind == GenKind::AsyncGenerator => Ok(Value::Future(
            FutureObj::new(FutureKind::Anext(g.clone()), "anext"),
        )),
        Some(v @ Value::Instance(_)) => {
            let f = vm.getattr(v, "__anext__")?;
            vm.call(f, Vec::new(), Vec::new())
        }
        Some(other) => {
            let t = vm.type_name(other);
            Err(vm.type_error(format!("'{t}' object is not an async iterator")))
        }
        None => Err(vm.type_error("anext expected at least 1 argument, got 0")),
    }
}

fn create_task(vm: &mut Vm, args: Args, kwargs: Kwargs) -> R<Value> {
    let coro = args.first().cloned().unwrap_or(Value::None);
    let name = match kwarg(&kwargs, "name") {
        Some(Value::None) | None => None,
        Some(v) => Some(vm.str(&v)?),
    };
    if vm.loop_closed {
        return Err(vm.error("RuntimeError", "no running event loop"));
    }
    Ok(Value::Future(vm.create_task(coro, name)?))
}

fn current_task(vm: &mut Vm, _: Args, _: Kwargs) -> R<Value> {
    Ok(vm.current_task.clone().map_or(Value::None, Value::Future))
}

fn running(vm: &mut Vm, _: Args, _: Kwargs) -> R<Value> {
    Ok(Value::Bool(vm.current_task.is_some()))
}

/// `_run(awaitable)`: runs it to its end, the module waiting (a task for a
/// coroutine, driven by the module's own driver).
fn run(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    let what = args.first().cloned().unwrap_or(Value::None);
    let fut = match what {
        Value::Future(f) => f,
        coro => vm.task_of(coro, None)?,
    };
    vm.block_on = Some(fut);
    Ok(Value::None)
}

fn new_future(_: &mut Vm, _: Args, _: Kwargs) -> R<Value> {
    Ok(Value::Future(FutureObj::new(FutureKind::Plain, "future")))
}

fn call_soon_builtin(vm: &mut Vm, mut args: Args, _: Kwargs) -> R<Value> {
    if args.is_empty() {
        return Err(vm.type_error("call_soon() missing its callback"));
    }
    let f = args.remove(0);
    call_soon(vm, f, args);
    Ok(Value::None)
}

fn call_later_builtin(vm: &mut Vm, mut args: Args, _: Kwargs) -> R<Value> {
    if args.len() < 2 {
        return Err(vm.type_error("call_later() missing its delay or callback"));
    }
    let secs = secs_of(vm, args.first())?;
    args.remove(0);
    let f = args.remove(0);
    call_later(vm, secs, f, args);
    Ok(Value::None)
}

fn loop_time(_: &mut Vm, _: Args, _: Kwargs) -> R<Value> {
    Ok(Value::Float(rt::now().0))
}

fn this_future(vm: &Vm, args: &[Value]) -> R<Rc<FutureObj>> {
    match args.first() {
        Some(Value::Future(f)) => Ok(f.clone()),
        _ => Err(vm.type_error("a Future method needs a Future")),
    }
}

macro_rules! future_methods {
    ($($name:literal => $f:ident,)*) => {
        /// The methods of `Future` and `Task`.
        pub static FUTURE_METHODS: &[Builtin] = &[$(Builtin { name: $name, call: $f },)*];
    };
}

future_methods! {
    "Future.done" => fut_done,
    "Future.result" => fut_result,
    "Future.exception" => fut_exception,
    "Future.cancel" => fut_cancel,
    "Future.cancelled" => fut_cancelled,
    "Future.add_done_callback" => fut_add_done_callback,
    "Future.remove_done_callback" => fut_remove_done_callback,
    "Future.set_result" => fut_set_result,
    "Future.set_exception" => fut_set_exception,
    "Future.get_name" => fut_get_name,
    "Future.set_name" => fut_set_name,
}

fn fut_done(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    Ok(Value::Bool(this_future(vm, &args)?.done()))
}

fn fut_result(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    let f = this_future(vm, &args)?;
    vm.future_result(&f)
}

fn fut_exception(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    let f = this_future(vm, &args)?;
    let state = f.state.borrow().clone();
    match state {
        FutureState::Done(_) => Ok(Value::None),
        FutureState::Failed(e) => {
            f.retrieved.set(true);
            Ok(e)
        }
        FutureState::Cancelled => Err(vm.error_no_args("CancelledError")),
        FutureState::Pending => Err(vm.error("InvalidStateError", "Exception is not set.")),
    }
}

fn fut_cancel(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    let f = this_future(vm, &args)?;
    Ok(Value::Bool(vm.cancel(&f)))
}

fn fut_cancelled(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    let f = this_future(vm, &args)?;
    let cancelled = matches!(*f.state.borrow(), FutureState::Cancelled);
    Ok(Value::Bool(cancelled))
}

fn fut_add_done_callback(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    let f = this_future(vm, &args)?;
    let cb = args.get(1).cloned().unwrap_or(Value::None);
    if f.done() {
        call_soon(vm, cb, vec![Value::Future(f)]);
    } else {
        f.callbacks.borrow_mut().push(cb);
    }
    Ok(Value::None)
}

fn fut_remove_done_callback(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    let f = this_future(vm, &args)?;
    let cb = args.get(1).cloned().unwrap_or(Value::None);
    let before = f.callbacks.borrow().len();
    f.callbacks.borrow_mut().retain(|c| !c.is(&cb));
    let after = f.callbacks.borrow().len();
    Ok(Value::Int((before - after) as i64))
}

fn fut_set_result(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    let f = this_future(vm, &args)?;
    if f.done() {
        return Err(vm.error("InvalidStateError", "invalid state"));
    }
    finish(
        vm,
        &f,
        FutureState::Done(args.get(1).cloned().unwrap_or(Value::None)),
    );
    Ok(Value::None)
}

fn fut_set_exception(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    let f = this_future(vm, &args)?;
    if f.done() {
        return Err(vm.error("InvalidStateError", "invalid state"));
    }
    let e = match args.get(1).cloned().unwrap_or(Value::None) {
        Value::Class(c) if c.kind == ClassKind::Exception => new_exception(c, Vec::new()),
        e => e,
    };
    finish(vm, &f, FutureState::Failed(e));
    Ok(Value::None)
}

fn fut_get_name(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    let f = this_future(vm, &args)?;
    let name = f.name.borrow().clone();
    Ok(Value::str(&*name))
}

fn fut_set_name(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    let f = this_future(vm, &args)?;
    let name = vm.str(&args.get(1).cloned().unwrap_or(Value::None))?;
    *f.name.borrow_mut() = name.as_str().into();
    Ok(Value::None)
}

/// Waits until one of some futures is done, or a time has passed.
struct FirstWait {
    fut: Rc<FutureObj>,
    timer: Option<Pin<Box<rt::Sleep>>>,
    vm: Weak<RefCell<Vm>>,
}

impl Future for FirstWait {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.fut.done() {
            return Poll::Ready(());
        }
        let fut = self.fut.clone();
        let FutureKind::First(children, _) = &fut.kind else {
            return Poll::Ready(());
        };
        let any = children.iter().any(|c| c.done());
        let timed_out = match self.timer.as_mut() {
            Some(t) => t.as_mut().poll(cx).is_ready(),
            None => false,
        };
        if any || timed_out || children.is_empty() {
            // The children still running will not need to wake this task.
            for c in children.iter().chain([&self.fut]) {
                c.forget_waker(cx.waker());
            }
            if let Some(vm) = self.vm.upgrade() {
                if let Ok(vm) = vm.try_borrow() {
                    finish(&vm, &self.fut, FutureState::Done(Value::Bool(any)));
                }
            }
            return Poll::Ready(());
        }
        for c in children.iter().chain([&self.fut]) {
            c.wake_when_done(cx.waker());
        }
        Poll::Pending
    }
}

/// What a task (or the module) waits on for `f`, a future not done.
pub fn wait_on(vm: &Weak<RefCell<Vm>>, f: Rc<FutureObj>) -> Pin<Box<dyn Future<Output = ()>>> {
    match &f.kind {
        FutureKind::Sleep(secs, _) if *secs <= 0.0 => {
            let vm = vm.clone();
            Box::pin(async move {
                rt::yield_now().await;
                if let Some(vm) = vm.upgrade() {
                    if let Ok(vm) = vm.try_borrow() {
                        let result = match &f.kind {
                            FutureKind::Sleep(_, r) => r.clone(),
                            _ => Value::None,
                        };
                        finish(&vm, &f, FutureState::Done(result));
                    }
                }
            })
        }
        FutureKind::Sleep(secs, _) => Box::pin(SleepWait {
            timer: Box::pin(rt::sleep(*secs)),
            fut: f.clone(),
            handle: vm.clone(),
        }),
        FutureKind::First(_, timeout) => Box::pin(FirstWait {
            timer: timeout.map(|t| Box::pin(rt::sleep(t))),
            fut: f.clone(),
            vm: vm.clone(),
        }),
        _ => Box::pin(Wait(f)),
    }
}

fn children_of(vm: &mut Vm, items: Vec<Value>) -> R<Vec<Rc<FutureObj>>> {
    let mut children: Vec<Rc<FutureObj>> = Vec::with_capacity(items.len());
    for a in items {
        match a {
            Value::Future(f) => children.push(f),
            coro @ Value::Gen(_) => {
                // The same coroutine twice is one task, as in CPython.
                children.push(vm.create_task(coro, None)?);
            }
            other => {
                let t = vm.type_name(&other);
                return Err(vm.type_error(format!(
                    "An asyncio.Future, a coroutine or an awaitable is required, not {t}"
                )));
            }
        }
    }
    Ok(children)
}

fn gather(vm: &mut Vm, args: Args, kwargs: Kwargs) -> R<Value> {
    let return_exceptions = match kwarg(&kwargs, "return_exceptions") {
        Some(v) => vm.truthy(&v)?,
        None => false,
    };
    let children = children_of(vm, args)?;
    let gather = FutureObj::new(
        FutureKind::Gather(
            children.clone(),
            return_exceptions,
            std::cell::Cell::new(children.len()),
        ),
        "gather",
    );
    if children.is_empty() {
        finish(vm, &gather, FutureState::Done(Value::list(Vec::new())));
    }
    for c in &children {
        if c.done() {
            child_done(vm, &gather, c);
        } else {
            c.parents.borrow_mut().push(Rc::downgrade(&gather));
        }
    }
    Ok(Value::Future(gather))
}

/// `_first(futures, timeout)`: done when one of them is, or after
/// `timeout` seconds; its result says whether one was.
fn first(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    let items = vm.collect(&args.first().cloned().unwrap_or(Value::None))?;
    let children = children_of(vm, items)?;
    let timeout = match args.get(1) {
        None | Some(Value::None) => None,
        v => Some(secs_of(vm, v)?),
    };
    Ok(Value::Future(FutureObj::new(
        FutureKind::First(children, timeout),
        "wait",
    )))
}

fn all_tasks(vm: &mut Vm, _: Args, _: Kwargs) -> R<Value> {
    vm.tasks.retain(|t| t.strong_count() > 0);
    let me = vm.current_task.clone();
    let tasks = vm
        .tasks
        .iter()
        .filter_map(Weak::upgrade)
        .filter(|t| !t.done() && !me.as_ref().is_some_and(|m| Rc::ptr_eq(m, t)))
        .map(Value::Future)
        .collect();
    Ok(Value::list(tasks))
}
