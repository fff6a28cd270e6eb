//! Workers: this same wasm module, started again on a Web Worker, with its
//! own memory and its own event loop. The browser's counterpart of
//! Python's process pool.
//!
//! [`Worker::start`] builds a small module script that imports this
//! module's JavaScript glue (found through `import.meta.url`), hands it
//! the compiled `WebAssembly.Module`, and waits until it says it is ready.
//! [`Worker::call`] posts one job and awaits the answer; the worker side
//! is [`worker_job`], which runs plain Rust.

use std::cell::{Cell, RefCell};
use std::fmt;
use std::rc::Rc;

use futures::channel::oneshot;
use wasm_bindgen::prelude::*;
use web_sys::{Blob, BlobPropertyBag, Event, MessageEvent, Url, WorkerOptions, WorkerType};

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
    let detail = e
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "no details".into());
    WorkerError(format!("{what}: {detail}"))
}

type Reply = oneshot::Sender<Result<JsValue, WorkerError>>;

/// A worker running this module. Dropping it terminates the worker.
pub struct Worker {
    inner: web_sys::Worker,
    reply: Rc<RefCell<Option<Reply>>>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(Event)>,
}

/// The script the worker runs: import the glue, start the module that the
/// page sends, then answer each job with [`worker_job`].
fn bootstrap(glue: &str) -> String {
    format!(
        r#"import init, {{ worker_job }} from {glue:?};
let ready = null;
self.onmessage = async (event) => {{
  const data = event.data;
  if (data && data.tourModule) {{
    ready = init({{ module_or_path: data.tourModule }});
    try {{ await ready; self.postMessage({{ tourReady: true }}); }}
    catch (e) {{ self.postMessage({{ tourError: String(e) }}); }}
    return;
  }}
  await ready;
  self.postMessage({{ tourAnswer: worker_job(data) }});
}};
"#
    )
}

fn field(data: &JsValue, name: &str) -> Option<JsValue> {
    js_sys::Reflect::get(data, &JsValue::from_str(name))
        .ok()
        .filter(|v| !v.is_undefined())
}

impl Worker {
    /// Starts a worker and waits until its copy of the module is ready.
    pub async fn start() -> Result<Worker, WorkerError> {
        let glue = if BLOCKED.with(Cell::get) {
            "blocked:module-workers".to_string()
        } else {
            IMPORT_META.with(ImportMeta::url)
        };
        let parts = js_sys::Array::of1(&JsValue::from_str(&bootstrap(&glue)));
        let props = BlobPropertyBag::new();
        props.set_type("text/javascript");
        let blob = Blob::new_with_str_sequence_and_options(&parts, &props)
            .map_err(|e| js_error("could not build the worker script", &e))?;
        let url = Url::create_object_url_with_blob(&blob)
            .map_err(|e| js_error("could not build the worker script", &e))?;
        let options = WorkerOptions::new();
        options.set_type(WorkerType::Module);
        let inner = web_sys::Worker::new_with_options(&url, &options);
        let _ = Url::revoke_object_url(&url);
        let inner = inner.map_err(|e| js_error("the browser refused a module worker", &e))?;

        let reply: Rc<RefCell<Option<Reply>>> = Rc::default();
        let answer = reply.clone();
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let data = event.data();
            let result = if let Some(error) = field(&data, "tourError") {
                Err(WorkerError(format!(
                    "the worker could not start the module: {}",
                    error.as_string().unwrap_or_default()
                )))
            } else if let Some(value) = field(&data, "tourAnswer") {
                Ok(value)
            } else if field(&data, "tourReady").is_some() {
                Ok(JsValue::TRUE)
            } else {
                return; // not ours (a test runner's console relay)
            };
            if let Some(tx) = answer.borrow_mut().take() {
                let _ = tx.send(result);
            }
        });
        let failed = reply.clone();
        let on_error = Closure::<dyn FnMut(Event)>::new(move |event: Event| {
            event.prevent_default();
            // A script error is an `ErrorEvent` with a message; a script
            // that failed to load is a plain `Event`.
            let message = field(&event, "message")
                .and_then(|m| m.as_string())
                .filter(|m| !m.is_empty())
                .unwrap_or_else(|| "its script failed to load".to_string());
            if let Some(tx) = failed.borrow_mut().take() {
                let _ = tx.send(Err(WorkerError(format!(
                    "the worker could not start: {message}"
                ))));
            }
        });
        inner.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        inner.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        let worker = Worker {
            inner,
            reply,
            _on_message: on_message,
            _on_error: on_error,
        };
        let hello = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&hello, &"tourModule".into(), &wasm_bindgen::module());
        worker.send(&hello).await?;
        Ok(worker)
    }

    async fn send(&self, message: &JsValue) -> Result<JsValue, WorkerError> {
        let (tx, rx) = oneshot::channel();
        *self.reply.borrow_mut() = Some(tx);
        self.inner
            .post_message(message)
            .map_err(|e| js_error("could not post to the worker", &e))?;
        rx.await
            .unwrap_or_else(|_| Err(WorkerError("the worker went away".into())))
    }

    /// Counts the primes below `n` on the worker.
    pub async fn count_primes(&self, n: u32) -> Result<u32, WorkerError> {
        let job = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&job, &"primesBelow".into(), &n.into());
        let answer = self.send(&job).await?;
        answer
            .as_f64()
            .map(|c| c as u32)
            .ok_or_else(|| WorkerError("the worker gave no count".into()))
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        self.inner.terminate();
    }
}

/// The worker side: runs one job the page posted. Called by the worker's
/// script, never on the page.
#[wasm_bindgen]
pub fn worker_job(job: JsValue) -> JsValue {
    match field(&job, "primesBelow").and_then(|n| n.as_f64()) {
        Some(n) => JsValue::from(count_primes(n as u32)),
        None => JsValue::UNDEFINED,
    }
}

/// Whether `n` is prime, by trial division: deliberately plain CPU work.
pub fn is_prime(n: u32) -> bool {
    if n < 4 {
        return n >= 2;
    }
    if n % 2 == 0 {
        return false;
    }
    let mut d = 3;
    while d * d <= n {
        if n % d == 0 {
            return false;
        }
        d += 2;
    }
    true
}

/// The number of primes below `n`, in one go.
pub fn count_primes(n: u32) -> u32 {
    (0..n).filter(|&k| is_prime(k)).count() as u32
}
