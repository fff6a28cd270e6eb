//! The Python runner page (`www/py.html`) from outside: hand it a
//! program, wait for its end, and read back what it printed. The command
//! `scripts/py.sh` (`src/bin/py.rs`) is built on it.

use fantoccini::Client;
use serde_json::{json, Value};
use tokio::time::{sleep, Duration, Instant};

use crate::Result;

/// What a program did on the tour's interpreter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ran {
    /// Its standard output.
    pub stdout: String,
    /// Its standard error: warnings, then a traceback if it failed.
    pub stderr: String,
    /// Whether it ended with an uncaught exception or did not compile.
    pub failed: bool,
    /// With `record`: what the loop did, a line an event.
    pub record: Option<String>,
}

/// How a program is run.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Times real time (1: as CPython would take).
    pub speed: f64,
    /// Whether to tell what the loop did.
    pub record: bool,
    /// How long to wait for its end.
    pub limit: Duration,
}

/// Opens `page_url` (the runner page), runs `source` there as `filename`
/// and gives what it did.
pub async fn run(
    client: &Client,
    page_url: &str,
    source: &str,
    filename: &str,
    options: Options,
) -> Result<Ran> {
    client.goto(page_url).await?;
    let started = Instant::now();
    // Wait for the module, then start the run; its result lands in
    // `window.pyResult` (the page never holds a WebDriver call open).
    loop {
        let ready = client
            .execute("return window.pyReady || null;", vec![])
            .await?;
        match ready {
            Value::Bool(true) => break,
            Value::String(why) => return Err(format!("the runner page {why}").into()),
            _ if started.elapsed() > Duration::from_secs(30) => {
                return Err("the runner page did not load its module in 30 s".into())
            }
            _ => sleep(Duration::from_millis(50)).await,
        }
    }
    client
        .execute(
            "const [source, name, speed, record] = arguments;
             window.pyResult = null;
             window.pyRun(source, name, speed, record).then(
               (r) => { window.pyResult = { ok: true, ...r }; },
               (e) => { window.pyResult = { ok: false, error: String(e) }; });",
            vec![
                json!(source),
                json!(filename),
                json!(options.speed),
                json!(options.record),
            ],
        )
        .await?;
    loop {
        let r = client.execute("return window.pyResult;", vec![]).await?;
        if r.is_object() {
            if r["ok"] != Value::Bool(true) {
                return Err(format!("the runner page failed: {}", r["error"]).into());
            }
            let text = |key: &str| r[key].as_str().unwrap_or_default().to_owned();
            return Ok(Ran {
                stdout: text("stdout"),
                stderr: text("stderr"),
                failed: r["failed"] == Value::Bool(true),
                record: r["record"].as_str().map(str::to_owned),
            });
        }
        if started.elapsed() > options.limit {
            return Err(format!("the program ran over {} s", options.limit.as_secs()).into());
        }
        sleep(Duration::from_millis(50)).await;
    }
}
