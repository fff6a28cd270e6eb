//! Workers: this same wasm module, started again on a Web Worker, with its
//! own memory and its own event loop. The browser's counterpart of
//! Python's process pool.
//!
//! [`Worker::start`] builds a small classic script that loads this
//! module's JavaScript glue, hands it the compiled `WebAssembly.Module`,
//! and waits until it says it is ready. A served page's glue is imported
//! from its address (`import.meta.url`); the one-file tour carries its
//! glue as a classic script in the page ([`CARRIED_GLUE`]), and its
//! workers start with that text in them, since a page opened from a file
//! may neither start module workers (Chromium) nor let a worker import
//! anything (WebKit).
//! [`Worker::call`] posts a [`Job`] and awaits its answer; several jobs may
//! run at once. On the worker, the module's exported `worker_job` finds
//! the job by its name and runs it ([`serve`]); the crate root wires that
//! export to the jobs the lessons define, so this module names none.
//!
//! What the worker prints with [`say!`](crate::say) comes back to the page
//! and is printed by the run that started the worker, like a child
//! process's output in a terminal.

use std::cell::{Cell, RefCell};
use std::fmt;
use std::future::Future;
use std::rc::Rc;
use std::task::{Poll, Waker};

use futures::channel::oneshot;
use futures::future::LocalBoxFuture;
use wasm_bindgen::prelude::*;
use web_sys::{Blob, BlobPropertyBag, DedicatedWorkerGlobalScope, Event, MessageEvent, Url};

use super::poll::{Leaf, Sited};
use super::run::{self, Run};
use super::trace::Wait;
use super::{error_message, field};

#[wasm_bindgen]
extern "C" {
    type ImportMeta;

    #[wasm_bindgen(thread_local_v2, js_namespace = import, js_name = meta)]
    static IMPORT_META: ImportMeta;

    #[wasm_bindgen(method, getter)]
    fn url(this: &ImportMeta) -> String;
}

thread_local! {
    static BLOCKED: Cell<bool> = const { Cell::new(false) };
    /// On a worker: the lines it has sent to the page so far.
    static PRINTED: Cell<u64> = const { Cell::new(0) };
}

/// On a worker, how many lines it has printed (sent to the page) so far;
/// 0 on the page. Messages a worker sends can carry it, so that the page
/// handles them only after those lines ([`Relay::reached`]).
pub(crate) fn printed_so_far() -> u64 {
    PRINTED.with(Cell::get)
}

/// The page's count of the lines a worker printed. Lines and other
/// messages from a worker travel on different channels, and the browser
/// may deliver them in either order; waiting for the count keeps a
/// server's reply from overtaking what it printed first.
#[derive(Default)]
pub(crate) struct Relay {
    arrived: Cell<u64>,
    waiting: RefCell<Vec<Waker>>,
}

impl Relay {
    fn arrive(&self) {
        self.arrived.set(self.arrived.get() + 1);
        for waker in self.waiting.take() {
            waker.wake();
        }
    }

    /// Resolves once `n` lines have arrived.
    pub(crate) async fn reached(&self, n: u64) {
        std::future::poll_fn(|cx| {
            if self.arrived.get() >= n {
                Poll::Ready(())
            } else {
                self.waiting.borrow_mut().push(cx.waker().clone());
                Poll::Pending
            }
        })
        .await;
    }
}

/// Makes the next workers fail to start, as in a browser that blocks
/// module workers: tests use it to check that the page says so.
pub fn simulate_blocked(blocked: bool) {
    BLOCKED.with(|b| b.set(blocked));
}

/// Why a worker could not start or answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkerError(pub String);

impl fmt::Display for WorkerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for WorkerError {}

fn js_error(what: &str, e: &JsValue) -> WorkerError {
    WorkerError(format!("{what}: {}", error_message(e)))
}

type Reply = oneshot::Sender<Result<JsValue, WorkerError>>;

/// Replies awaited from the worker, by job id (0 is the start-up).
#[derive(Default)]
struct AwaitedReplies {
    next: Cell<u32>,
    replies: RefCell<Vec<(u32, Reply)>>,
}

impl AwaitedReplies {
    fn wait(&self) -> (u32, oneshot::Receiver<Result<JsValue, WorkerError>>) {
        let id = self.next.get();
        self.next.set(id + 1);
        let (tx, rx) = oneshot::channel();
        self.replies.borrow_mut().push((id, tx));
        (id, rx)
    }

    fn answer(&self, id: Option<u32>, result: Result<JsValue, WorkerError>) {
        let mut replies = self.replies.borrow_mut();
        // An answer without an id (a failed start) goes to every waiter.
        let taken: Vec<Reply> = match id {
            Some(id) => replies
                .iter()
                .position(|(i, _)| *i == id)
                .map(|at| vec![replies.remove(at).1])
                .unwrap_or_default(),
            None => replies.drain(..).map(|(_, tx)| tx).collect(),
        };
        drop(replies);
        for tx in taken {
            let _ = tx.send(result.clone());
        }
    }
}

/// A worker running this module. Dropping it terminates the worker, and
/// with it every job still running there.
pub struct Worker {
    inner: web_sys::Worker,
    pending: Rc<AwaitedReplies>,
    relay: Rc<Relay>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(Event)>,
}

/// The id of the script element in which the one-file tour carries the
/// JavaScript glue as a classic script that sets `self.asyncTour` to the
/// glue's exports (`default` is its `init`). The served page has none.
pub const CARRIED_GLUE: &str = "tour-glue";

/// Where a worker gets the JavaScript glue.
enum Glue {
    /// Imported from this address (the served page's `pkg/async_tour.js`).
    At(String),
    /// This text, run before the bootstrap: it sets `self.asyncTour`.
    Carried(String),
}

/// The worker's bootstrap ([`Glue::script`]).
const BOOTSTRAP: &str = include_str!("worker.js");

impl Glue {
    fn of_this_page() -> Glue {
        if BLOCKED.with(Cell::get) {
            return Glue::At("blocked:module-workers".into());
        }
        let carried = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(CARRIED_GLUE))
            .and_then(|script| script.text_content());
        match carried {
            Some(text) => Glue::Carried(text),
            None => Glue::At(IMPORT_META.with(ImportMeta::url)),
        }
    }

    /// The worker's whole script: the glue if carried, then the
    /// bootstrap, which loads the glue (unless carried), starts the
    /// module that the page sends, then runs each job with `worker_job`
    /// and posts its answer.
    fn script(&self) -> js_sys::Array {
        let import_line;
        let first = match self {
            Glue::At(url) => {
                import_line = format!("self.tourGlueUrl = {url:?};");
                import_line.as_str()
            }
            Glue::Carried(glue) => glue.as_str(),
        };
        [first, BOOTSTRAP]
            .into_iter()
            .map(JsValue::from_str)
            .collect()
    }
}

/// On a worker, sends a printed line to the page (or, failing that, to
/// the worker's console).
fn print_to_page(text: &str) {
    let message = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&message, &"tourSay".into(), &text.into());
    let sent = js_sys::global()
        .dyn_into::<DedicatedWorkerGlobalScope>()
        .is_ok_and(|scope| scope.post_message(&message).is_ok());
    if sent {
        PRINTED.with(|p| p.set(p.get() + 1));
    } else {
        run::console_log(text);
    }
}

/// Work that a [`Worker`] runs: its name, which the page posts, and the
/// function the worker's copy of the module calls with the input.
pub struct Job {
    name: &'static str,
    work: Work,
}

enum Work {
    Blocking(fn(JsValue) -> JsValue),
    Async(fn(JsValue) -> LocalBoxFuture<'static, JsValue>),
}

impl Job {
    /// A job that computes its answer in one go (holding the worker's
    /// thread, which is what a worker is for).
    pub const fn new(name: &'static str, work: fn(JsValue) -> JsValue) -> Job {
        Job {
            name,
            work: Work::Blocking(work),
        }
    }

    /// A job that is a future: it may await, as a server awaits clients.
    pub const fn new_async(
        name: &'static str,
        work: fn(JsValue) -> LocalBoxFuture<'static, JsValue>,
    ) -> Job {
        Job {
            name,
            work: Work::Async(work),
        }
    }

    /// What the job is called.
    pub fn name(&self) -> &'static str {
        self.name
    }
}

impl fmt::Debug for Job {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Job").field("name", &self.name).finish()
    }
}

/// On a worker: runs the job of `jobs` named `name` with `input`. What it
/// prints outside a run goes to the page. The crate's exported
/// `worker_job` calls this, with the lessons' jobs.
pub async fn serve(jobs: &[&Job], name: &str, input: JsValue) -> Result<JsValue, JsValue> {
    run::print_outside_runs_with(print_to_page);
    match jobs
        .iter()
        .find(|job| job.name == name)
        .map(|job| &job.work)
    {
        Some(Work::Blocking(work)) => Ok(work(input)),
        Some(Work::Async(work)) => Ok(work(input).await),
        None => Err(format!("this module serves no job named {name:?}").into()),
    }
}

impl Worker {
    /// Starts a worker and waits until its copy of the module is ready.
    #[track_caller]
    pub fn start() -> impl Future<Output = Result<Worker, WorkerError>> {
        Sited::new(async move {
            let parts = Glue::of_this_page().script();
            let props = BlobPropertyBag::new();
            props.set_type("text/javascript");
            let blob = Blob::new_with_str_sequence_and_options(&parts, &props)
                .map_err(|e| js_error("could not build the worker script", &e))?;
            let url = Url::create_object_url_with_blob(&blob)
                .map_err(|e| js_error("could not build the worker script", &e))?;
            // A classic worker: a page opened from a file may not start
            // module workers; the glue is imported, or carried, above.
            let inner = web_sys::Worker::new(&url);
            let _ = Url::revoke_object_url(&url);
            let inner = inner.map_err(|e| js_error("the browser refused a worker", &e))?;

            let pending: Rc<AwaitedReplies> = Rc::default();
            let answer = pending.clone();
            // The worker's prints go to the run that started it.
            let run = Run::current();
            let relay: Rc<Relay> = Rc::default();
            let arrived = relay.clone();
            let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
                let data = event.data();
                let id = field(&data, "id")
                    .and_then(|id| id.as_f64())
                    .map(|id| id as u32);
                let result = if let Some(text) = field(&data, "tourSay") {
                    if let Some(run) = &run {
                        run.print(text.as_string().unwrap_or_default());
                    }
                    arrived.arrive();
                    return;
                } else if let Some(error) = field(&data, "tourError") {
                    Err(WorkerError(format!(
                        "the worker could not start the module: {}",
                        error.as_string().unwrap_or_default()
                    )))
                } else if let Some(error) = field(&data, "tourFailed") {
                    Err(WorkerError(format!(
                        "the job failed on the worker: {}",
                        error.as_string().unwrap_or_default()
                    )))
                } else if js_sys::Reflect::has(&data, &"tourAnswer".into()).unwrap_or(false) {
                    // An answer may be `undefined`: present, but empty.
                    Ok(field(&data, "tourAnswer").unwrap_or(JsValue::UNDEFINED))
                } else if field(&data, "tourReady").is_some() {
                    Ok(JsValue::TRUE)
                } else {
                    return; // not ours (a test runner's console relay)
                };
                answer.answer(id, result);
            });
            let failed = pending.clone();
            let on_error = Closure::<dyn FnMut(Event)>::new(move |event: Event| {
                event.prevent_default();
                // A script error is an `ErrorEvent` with a message; a script
                // that failed to load is a plain `Event`.
                let message = field(&event, "message")
                    .and_then(|m| m.as_string())
                    .filter(|m| !m.is_empty())
                    .unwrap_or_else(|| "its script failed to load".to_string());
                failed.answer(
                    None,
                    Err(WorkerError(format!(
                        "the worker could not start: {message}"
                    ))),
                );
            });
            inner.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
            inner.set_onerror(Some(on_error.as_ref().unchecked_ref()));
            let worker = Worker {
                inner,
                pending,
                relay,
                _on_message: on_message,
                _on_error: on_error,
            };
            let (_, ready) = worker.pending.wait();
            let hello = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&hello, &"tourModule".into(), &wasm_bindgen::module());
            worker
                .inner
                .post_message(&hello)
                .map_err(|e| js_error("could not post to the worker", &e))?;
            answer_of(ready, Wait::Other("the worker to start")).await?;
            Ok(worker)
        })
    }

    /// Posts `job` with `input` (handing over the `transfer` objects,
    /// such as a `MessagePort`) at once, and gives a future of its answer.
    /// The job runs until it answers, even if that future is dropped;
    /// dropping the worker ends it.
    pub fn post(
        &self,
        job: &Job,
        input: &JsValue,
        transfer: &[JsValue],
    ) -> impl std::future::Future<Output = Result<JsValue, WorkerError>> + 'static {
        let (id, reply) = self.pending.wait();
        let message = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&message, &"tourJob".into(), &job.name.into());
        let _ = js_sys::Reflect::set(&message, &"id".into(), &id.into());
        let _ = js_sys::Reflect::set(&message, &"input".into(), input);
        let transfer: js_sys::Array = transfer.iter().collect();
        let posted = self
            .inner
            .post_message_with_transfer(&message, &transfer)
            .map_err(|e| js_error("could not post to the worker", &e));
        let on = Wait::Job(job.name.into());
        async move {
            posted?;
            answer_of(reply, on).await
        }
    }

    /// The count of lines this worker has printed on the page.
    pub(crate) fn relay(&self) -> Rc<Relay> {
        self.relay.clone()
    }

    /// Runs `job` on the worker and awaits its answer.
    #[track_caller]
    pub fn call<'a>(
        &'a self,
        job: &'a Job,
        input: &'a JsValue,
    ) -> impl Future<Output = Result<JsValue, WorkerError>> + 'a {
        Sited::new(async move { self.post(job, input, &[]).await })
    }
}

async fn answer_of(
    reply: oneshot::Receiver<Result<JsValue, WorkerError>>,
    on: Wait,
) -> Result<JsValue, WorkerError> {
    Leaf { on, future: reply }
        .await
        .unwrap_or_else(|_| Err(WorkerError("the worker went away".into())))
}

impl Drop for Worker {
    fn drop(&mut self) {
        self.inner.terminate();
    }
}
