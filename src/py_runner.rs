//! The Rust side of `www/py.html`, the page `scripts/py.sh` drives: runs
//! one Python file on the tour's interpreter, on this browser's event
//! loop, and gives back what `python3 FILE.py` would show (standard
//! output, standard error, whether it failed) and, if asked, what the loop
//! did, in words. Built with the `python` feature (`www/py-pkg`, the
//! module the page loads for Run the Python); the tour's own module
//! leaves it out.

use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;

use crate::rt::{self, Speed};

/// Runs `source` (named `filename` in tracebacks) at `speed` times real
/// time to its end. The result has `stdout`, `stderr`, `failed` (an
/// uncaught exception or a syntax error: CPython's exit status 1) and,
/// with `record`, `record`: the run's record told a line an event.
#[wasm_bindgen]
pub async fn run_python(
    source: String,
    filename: String,
    speed: f64,
    record: bool,
) -> Result<JsValue, JsValue> {
    let speed = Speed::new(speed).map_err(|e| JsValue::from_str(&e.to_string()))?;
    crate::py::warm_up().map_err(|e| JsValue::from_str(&e))?;
    let (listener, ended) = rt::until_ended();
    let result = Object::new();
    let set = |key: &str, value: JsValue| Reflect::set(&result, &key.into(), &value).map(|_| ());
    let started = match crate::py::start(&source, &filename, speed, 0, listener) {
        Ok(started) => started,
        Err(e) => {
            set("stdout", "".into())?;
            set(
                "stderr",
                crate::py::run::syntax_report(&source, &filename, &e).into(),
            )?;
            set("failed", true.into())?;
            return Ok(result.into());
        }
    };
    ended
        .await
        .map_err(|_| JsValue::from_str("the run did not finish"))?;
    let stdout: String = started
        .run
        .lines()
        .iter()
        .map(|l| format!("{}\n", l.text))
        .collect();
    set("stdout", stdout.into())?;
    set("stderr", started.stderr.borrow().as_str().into())?;
    set("failed", started.failed.get().into())?;
    if record {
        let told = crate::ui::loop_words::told(&started.run, true);
        set("record", told.join("\n").into())?;
    }
    Ok(result.into())
}
