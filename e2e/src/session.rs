//! A browser session: classic WebDriver through fantoccini for what a user
//! does (open, click, type, screenshot), and a WebDriver BiDi socket beside
//! it for what a user would see in the developer tools: console errors,
//! uncaught exceptions, and requests that failed or got an error status.
//!
//! BiDi is the one way to hear those in both Chromium and Firefox from the
//! first moment of a page load; a script injected after the load would miss
//! anything the module did while starting.
//!
//! WebKit's driver offers no BiDi. There the session installs a hook in
//! each page it opens ([`Session::goto`]): it hears uncaught errors,
//! rejected promises, `console.error` and fetches answered 400 or worse,
//! from the end of the load on, and the session collects them before
//! leaving the page. What the module did while starting is still seen by
//! the suite: the page shows its own start-up errors (`.load-error`,
//! `.panic`), and [`tour::open`](crate::tour::open) fails on them.

use std::ops::Deref;
use std::sync::{Arc, Mutex};

use fantoccini::{Client, ClientBuilder};
use futures_util::{SinkExt, StreamExt};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{json, Value};
use tokio::task::JoinHandle;
use tokio_tungstenite::tungstenite::Message;

use crate::driver::{Browser, Driver, Scheme};
use crate::Result;

/// Something went wrong in the page, as the browser reported it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// `console` (a `console.error`), `javascript` (an uncaught error),
    /// `http` (a reply of 400 or more) or `network` (no reply at all).
    pub kind: String,
    /// The message or the status.
    pub text: String,
    /// The request's address, or the script's, when known.
    pub url: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {} ({})", self.kind, self.text, self.url)
    }
}

/// A headless browser under WebDriver, with its problems recorded.
/// Dereferences to the fantoccini [`Client`].
pub struct Session {
    client: Client,
    browser: Browser,
    problems: Arc<Mutex<Vec<Problem>>>,
    /// The BiDi listener; `None` where the page hook hears instead.
    listener: Option<JoinHandle<()>>,
    // Dropped last: stopping a driver this session started ends its browser.
    _driver: Driver,
}

impl Session {
    /// Opens `browser`, through a driver already running on its usual port
    /// or one started for it.
    pub async fn open(browser: Browser) -> Result<Session> {
        let driver = Driver::find_or_start(browser).await?;
        Session::with(browser, Scheme::Light, driver).await
    }

    /// Opens `browser` through a driver of its own, shared with no one.
    pub async fn open_own(browser: Browser) -> Result<Session> {
        Session::open_own_in(browser, Scheme::Light).await
    }

    /// [`Session::open_own`], with pages told the reader prefers `scheme`.
    pub async fn open_own_in(browser: Browser, scheme: Scheme) -> Result<Session> {
        Session::with(browser, scheme, Driver::start(browser).await?).await
    }

    async fn with(browser: Browser, scheme: Scheme, driver: Driver) -> Result<Session> {
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(browser.capabilities(scheme))
            .connect(driver.url())
            .await
            .map_err(|e| format!("{} would not start a session: {e}", browser.name()))?;
        let problems = Arc::default();
        let listener = if browser.has_bidi() {
            let socket = client
                .capabilities()
                .and_then(|caps| caps.get("webSocketUrl"))
                .and_then(Value::as_str)
                .ok_or_else(|| format!("{} offered no WebDriver BiDi socket", browser.name()))?
                .to_owned();
            Some(listen(&socket, Arc::clone(&problems)).await?)
        } else {
            // Said once per session, so a reader of the test output knows
            // what this browser's checks hear and what they cannot.
            println!(
                "{}: its WebDriver offers no BiDi; console errors, uncaught errors and failed \
                 fetches are heard by a hook installed in each page after it loads (start-up \
                 errors show on the page itself)",
                browser.name()
            );
            // It takes no window size among its capabilities.
            client.set_window_size(1280, 900).await?;
            None
        };
        Ok(Session {
            client,
            browser,
            problems,
            listener,
            _driver: driver,
        })
    }

    /// Opens `url`, as [`Client::goto`] does; where there is no BiDi,
    /// first collects what the hook heard on the page being left, then
    /// installs the hook in the new one.
    pub async fn goto(&self, url: &str) -> Result<()> {
        if self.listener.is_none() {
            self.collect_heard().await;
        }
        self.client.goto(url).await?;
        if self.listener.is_none() {
            self.client.execute(HOOK, vec![]).await?;
        }
        Ok(())
    }

    /// Moves what the page hook heard into the session's problems.
    async fn collect_heard(&self) {
        let Ok(heard) = self
            .client
            .execute(
                "const heard = window.__tourHeard || []; window.__tourHeard = []; return heard;",
                vec![],
            )
            .await
        else {
            return; // no page yet, or one without the hook
        };
        let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
        let found = heard.as_array().into_iter().flatten().map(|p| Problem {
            kind: text(&p["kind"]),
            text: text(&p["text"]),
            url: text(&p["url"]),
        });
        self.problems
            .lock()
            .expect("nothing panics holding the lock")
            .extend(found);
    }

    /// Which browser this is.
    pub fn browser(&self) -> Browser {
        self.browser
    }

    /// Every problem reported since the session opened.
    pub async fn problems(&self) -> Vec<Problem> {
        if self.listener.is_none() {
            self.collect_heard().await;
        }
        self.problems
            .lock()
            .expect("the listener never panics holding the lock")
            .clone()
    }

    /// The problems whose address or text contains none of `expected`:
    /// those nobody meant to happen.
    pub async fn unexpected_problems(&self, expected: &[&str]) -> Vec<Problem> {
        self.problems()
            .await
            .into_iter()
            .filter(|p| {
                !expected
                    .iter()
                    .any(|e| p.url.contains(e) || p.text.contains(e))
            })
            .collect()
    }

    /// Ends the session and closes the browser.
    pub async fn close(self) -> Result<()> {
        if let Some(listener) = &self.listener {
            listener.abort();
        }
        self.client.close().await?;
        Ok(())
    }
}

impl Deref for Session {
    type Target = Client;

    fn deref(&self) -> &Client {
        &self.client
    }
}

/// The page hook where there is no BiDi: what it hears goes into
/// `window.__tourHeard`, as `{kind, text, url}` like a [`Problem`].
const HOOK: &str = r#"
if (!window.__tourHeard) {
  const heard = (window.__tourHeard = []);
  const note = (kind, text, url) => heard.push({ kind, text: String(text), url: url || location.href });
  addEventListener('error', (e) => note('javascript', e.message, e.filename));
  addEventListener('unhandledrejection', (e) => note('javascript', e.reason));
  const error = console.error;
  console.error = function (...args) { note('console', args.join(' ')); return error.apply(this, args); };
  const fetch = window.fetch;
  window.fetch = function (...args) {
    const url = String(args[0] && args[0].url ? args[0].url : args[0]);
    return fetch.apply(this, args).then(
      (r) => { if (r.status >= 400) note('http', `status ${r.status}`, r.url || url); return r; },
      (e) => { note('network', e, url); throw e; },
    );
  };
}
"#;

/// The BiDi events the session listens to.
const EVENTS: [&str; 3] = [
    "log.entryAdded",
    "network.responseCompleted",
    "network.fetchError",
];

/// Connects to the session's BiDi socket, subscribes to [`EVENTS`] (and
/// waits until the browser agreed), then records problems in the
/// background.
async fn listen(socket: &str, problems: Arc<Mutex<Vec<Problem>>>) -> Result<JoinHandle<()>> {
    let (mut ws, _) = tokio_tungstenite::connect_async(socket)
        .await
        .map_err(|e| format!("cannot connect to the BiDi socket {socket}: {e}"))?;
    let subscribe = json!({
        "id": 1,
        "method": "session.subscribe",
        "params": { "events": EVENTS },
    });
    ws.send(Message::text(subscribe.to_string())).await?;
    loop {
        let Some(message) = ws.next().await else {
            return Err("the BiDi socket closed before the subscription was answered".into());
        };
        let Message::Text(text) = message? else {
            continue;
        };
        let reply: Value = serde_json::from_str(&text)?;
        if reply["id"] == 1 {
            if reply["type"] == "error" {
                return Err(format!("BiDi refused the subscription: {reply}").into());
            }
            break;
        }
    }
    Ok(tokio::spawn(async move {
        while let Some(Ok(message)) = ws.next().await {
            let Message::Text(text) = message else {
                continue;
            };
            let Ok(event) = serde_json::from_str::<Value>(&text) else {
                continue;
            };
            if let Some(problem) = problem_in(&event) {
                problems
                    .lock()
                    .expect("nothing panics holding the lock")
                    .push(problem);
            }
        }
    }))
}

/// The problem a BiDi event reports, if it reports one.
fn problem_in(event: &Value) -> Option<Problem> {
    let params = &event["params"];
    let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
    match event["method"].as_str()? {
        "log.entryAdded" if params["level"] == "error" => Some(Problem {
            kind: text(&params["type"]),
            text: text(&params["text"]),
            url: text(&params["stackTrace"]["callFrames"][0]["url"]),
        }),
        "network.responseCompleted" => {
            let status = params["response"]["status"].as_u64()?;
            (status >= 400).then(|| Problem {
                kind: "http".into(),
                text: format!("status {status}"),
                url: text(&params["request"]["url"]),
            })
        }
        "network.fetchError" => Some(Problem {
            kind: "network".into(),
            text: text(&params["errorText"]),
            url: text(&params["request"]["url"]),
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_problems_from_bidi_events() {
        let error = json!({"type": "event", "method": "log.entryAdded", "params": {
            "level": "error", "type": "javascript", "text": "Error: boom",
            "stackTrace": {"callFrames": [{"url": "http://x/main.js"}]}}});
        let warning = json!({"type": "event", "method": "log.entryAdded", "params": {
            "level": "warn", "type": "console", "text": "careful"}});
        let missing = json!({"type": "event", "method": "network.responseCompleted", "params": {
            "request": {"url": "http://x/demo/missing.txt"}, "response": {"status": 404}}});
        let fine = json!({"type": "event", "method": "network.responseCompleted", "params": {
            "request": {"url": "http://x/"}, "response": {"status": 200}}});
        let refused = json!({"type": "event", "method": "network.fetchError", "params": {
            "request": {"url": "http://y/"}, "errorText": "net::ERR_CONNECTION_REFUSED"}});
        assert_eq!(
            problem_in(&error).map(|p| p.to_string()),
            Some("javascript: Error: boom (http://x/main.js)".into())
        );
        assert_eq!(problem_in(&warning), None);
        assert_eq!(problem_in(&fine), None);
        assert_eq!(
            problem_in(&missing).map(|p| p.text),
            Some("status 404".into())
        );
        assert_eq!(problem_in(&refused).map(|p| p.kind), Some("network".into()));
    }
}
