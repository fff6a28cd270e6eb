//! Runs a Python file on the tour's interpreter in a real headless
//! browser and prints what it printed, as `python3 FILE.py` would:
//! standard output, then warnings and a traceback on standard error, and
//! exit status 1 on an uncaught exception.
//!
//! ```sh
//! scripts/py.sh FILE.py [--record] [--speed N] [--firefox | --webkit]
//! ```
//!
//! `--record` also prints what the loop did, in words (on standard error,
//! after the program's own output); `--speed N` runs it N times faster.

use std::io::Write;
use std::process::ExitCode;

use tokio::time::Duration;
use tour_e2e::py::{self, Options};
use tour_e2e::{Browser, Server, Session};

const USAGE: &str = "usage: scripts/py.sh FILE.py [--record] [--speed N] [--firefox | --webkit]";

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(code) => code,
        Err(e) => {
            eprintln!("py: {e}");
            ExitCode::from(2)
        }
    }
}

async fn run() -> tour_e2e::Result<ExitCode> {
    let (browser, args) = Browser::from_args();
    let mut file = None;
    let mut options = Options {
        speed: 1.0,
        record: false,
        limit: Duration::from_secs(600),
    };
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--record" => options.record = true,
            "--speed" => {
                let n = args.next().ok_or(USAGE)?;
                options.speed = n
                    .parse()
                    .map_err(|_| format!("--speed {n}: not a number"))?;
            }
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(ExitCode::SUCCESS);
            }
            _ if arg.starts_with('-') => return Err(format!("{arg}?\n{USAGE}").into()),
            _ if file.is_none() => file = Some(arg),
            _ => return Err(USAGE.into()),
        }
    }
    let path = file.ok_or(USAGE)?;
    let source = std::fs::read_to_string(&path).map_err(|e| format!("cannot read {path}: {e}"))?;
    // Tracebacks name the file as CPython names a script: by its
    // absolute path.
    let name = std::path::absolute(&path).map_or(path.clone(), |p| p.display().to_string());
    let server = Server::www().await?;
    let session = Session::open(browser).await?;
    let ran = py::run(&session, &server.url("py.html"), &source, &name, options).await;
    let problems = session.unexpected_problems(&[]).await;
    session.close().await?;
    let ran = ran?;
    print!("{}", ran.stdout);
    std::io::stdout().flush()?;
    eprint!("{}", ran.stderr);
    if let Some(record) = &ran.record {
        eprintln!("\nWhat the loop did ({}):\n{record}", browser.name());
    }
    for p in &problems {
        eprintln!("py: the page reported: {p}");
    }
    Ok(if ran.failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
