//! HTTP requests with the browser's `fetch`, the counterpart of
//! `await client.get(url)` in httpx.
//!
//! [`get`] resolves the URL against the page, starts a `fetch` with an
//! `AbortController`, and races it against a timeout. The request is
//! cancelled for real, not just forgotten: when its future is dropped
//! (Stop, or a `select` that went the other way) or the timeout passes,
//! the controller aborts it, and the browser closes the connection.
//!
//! A failure says why ([`FetchError`]). The browser reports a refused
//! connection and a CORS refusal the same way, so after such a failure
//! [`get`] asks again in `no-cors` mode: if the server answers that, it was
//! CORS.

use std::cell::Cell;
use std::fmt;
use std::future::Future;

use futures::future::{select, Either};
use futures::FutureExt;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, RequestCache, RequestInit, RequestMode, Response, Url};

use super::fixed::Fixed;
use super::poll::{Leaf, Sited};
use super::sleep::deadline;
use super::trace::Wait;
use super::{error_message, field};

#[wasm_bindgen]
extern "C" {
    /// The global `fetch`, on a page or a worker alike.
    #[wasm_bindgen(js_name = fetch)]
    fn fetch_with(input: &str, init: &RequestInit) -> js_sys::Promise;
}

thread_local! {
    static ABORTED: Cell<u32> = const { Cell::new(0) };
}

/// How many requests the browser has reported aborted (their `fetch`
/// promise rejected with `AbortError`): timed out, or their future was
/// dropped.
/// Tests read it to see that Stop cancels requests in flight.
pub fn aborted_requests() -> u32 {
    ABORTED.with(Cell::get)
}

/// An answer from the server, whatever its status.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reply {
    /// The full URL that was requested.
    pub url: String,
    /// The HTTP status code (200, 404, ...).
    pub status: u16,
    /// The body, decoded as text (UTF-8, invalid bytes replaced).
    pub body: String,
}

impl Reply {
    /// The standard phrase for the status ("Not Found"), or "".
    pub fn reason(&self) -> &'static str {
        reason(self.status)
    }
}

/// Why a request got no answer.
#[derive(Clone, Debug, PartialEq)]
pub enum FetchError {
    /// The text is not a URL, even relative to the page.
    NotAUrl(String),
    /// A URL this page cannot fetch (`ftp:`, `file:`, `javascript:` ...).
    Scheme(String),
    /// No answer in time; the request was aborted.
    TimedOut(f64),
    /// The server answered, but does not let this page read the answer.
    Cors,
    /// No answer: offline, no such host, the connection refused or reset.
    Network(String),
    /// The server answered, but the body could not be read.
    Body(String),
}

impl fmt::Display for FetchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FetchError::NotAUrl(text) => write!(f, "not a URL: {text:?}"),
            FetchError::Scheme(scheme) => {
                write!(f, "only http: and https: URLs can be fetched, not {scheme}")
            }
            FetchError::TimedOut(secs) => write!(f, "timed out after {} s; aborted", Fixed(*secs)),
            FetchError::Cors => f.write_str(
                "blocked by CORS: the server answered, but its reply has no \
                 Access-Control-Allow-Origin header for this page",
            ),
            FetchError::Network(detail) => write!(
                f,
                "network error: no answer (offline, no such host, or the connection was refused): {detail}"
            ),
            FetchError::Body(detail) => write!(f, "the body could not be read: {detail}"),
        }
    }
}

impl std::error::Error for FetchError {}

/// Aborts its controller when dropped, unless the request settled.
struct AbortOnDrop {
    controller: AbortController,
    settled: bool,
}

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        if !self.settled {
            self.controller.abort();
        }
    }
}

/// The page's address (or the worker's), which relative URLs start from.
fn base() -> String {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.base_uri().ok().flatten())
        .or_else(|| {
            field(&js_sys::global(), "location")
                .and_then(|l| field(&l, "href"))
                .and_then(|h| h.as_string())
        })
        .unwrap_or_default()
}

/// Resolves `url` against the page: `demo/hello.txt` becomes a full URL.
pub fn resolve(url: &str) -> Result<String, FetchError> {
    let parsed =
        Url::new_with_base(url, &base()).map_err(|_| FetchError::NotAUrl(url.to_string()))?;
    match parsed.protocol().as_str() {
        "http:" | "https:" => Ok(parsed.href()),
        other => Err(FetchError::Scheme(other.to_string())),
    }
}

/// Starts a `fetch` that this controller can abort, and notes it when the
/// browser reports it aborted because it was dropped.
fn start_fetch(url: &str, mode: RequestMode, controller: &AbortController) -> Leaf<JsFuture> {
    let init = RequestInit::new();
    init.set_signal(Some(&controller.signal()));
    init.set_mode(mode);
    // Every run asks the server again, so the timeline shows real requests.
    init.set_cache(RequestCache::NoStore);
    let promise = fetch_with(url, &init);
    let watched = JsFuture::from(promise.clone());
    wasm_bindgen_futures::spawn_local(async move {
        if let Err(e) = watched.await {
            if field(&e, "name").and_then(|n| n.as_string()).as_deref() == Some("AbortError") {
                ABORTED.with(|a| a.set(a.get() + 1));
            }
        }
    });
    Leaf {
        on: Wait::Fetch(url.into()),
        future: JsFuture::from(promise),
    }
}

/// GETs `url` (relative to the page, or absolute), giving up after
/// `timeout` real seconds. Reads the whole body as text.
#[track_caller]
pub fn get(url: &str, timeout: f64) -> impl Future<Output = Result<Reply, FetchError>> + '_ {
    Sited::new(async move {
        let url = resolve(url)?;
        let controller = AbortController::new().map_err(|e| {
            FetchError::Network(format!("no AbortController: {}", error_message(&e)))
        })?;
        let mut guard = AbortOnDrop {
            controller,
            settled: false,
        };
        let request = fetch_and_read(&url, &guard.controller).boxed_local();
        let result = match select(request, deadline(timeout)).await {
            Either::Left((result, _)) => result,
            // Dropping `guard` below aborts the request.
            Either::Right(((), _)) => return Err(FetchError::TimedOut(timeout)),
        };
        guard.settled = true;
        result
    })
}

async fn fetch_and_read(url: &str, controller: &AbortController) -> Result<Reply, FetchError> {
    let response = match start_fetch(url, RequestMode::Cors, controller).await {
        Ok(response) => response,
        Err(e) => return Err(diagnose(url, &e, controller).await),
    };
    let response: Response = response
        .dyn_into()
        .map_err(|_| FetchError::Body("fetch gave something that is not a Response".into()))?;
    let status = response.status();
    let text = response
        .text()
        .map_err(|e| FetchError::Body(error_message(&e)))?;
    let body = Leaf {
        on: Wait::Fetch(url.into()),
        future: JsFuture::from(text),
    }
    .await
    .map_err(|e| FetchError::Body(error_message(&e)))?;
    Ok(Reply {
        url: url.to_string(),
        status,
        body: body.as_string().unwrap_or_default(),
    })
}

/// Tells a CORS refusal from a network error: the browser gives both as a
/// `TypeError`, but only a server that answers passes a `no-cors` request.
async fn diagnose(url: &str, e: &JsValue, controller: &AbortController) -> FetchError {
    let detail = error_message(e);
    match start_fetch(url, RequestMode::NoCors, controller).await {
        Ok(_) => FetchError::Cors,
        Err(_) => FetchError::Network(detail),
    }
}

/// The standard reason phrase for an HTTP status, or "" (HTTP/2 sends
/// none, so `Response.statusText` is often empty).
pub fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        301 => "Moved Permanently",
        302 => "Found",
        304 => "Not Modified",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        410 => "Gone",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "",
    }
}
