//! Runs the benchmark page (`www/bench.html`) in headless Chromium, cross-
//! origin isolated, and prints its table (Markdown, as in the README) and
//! its numbers as JSON.
//!
//! ```sh
//! scripts/bench.sh                       # builds the release page first
//! cargo run -p tour-e2e --bin bench -- [--json FILE] [--quick] [--case spawn,chain] [--firefox]
//! ```

use std::process::ExitCode;

use tokio::time::Duration;
use tour_e2e::{Browser, Result, Server, Session};

#[tokio::main]
async fn main() -> ExitCode {
    match bench().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bench: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn bench() -> Result<()> {
    let (browser, args) = Browser::from_args();
    let quick = args.iter().any(|a| a == "--quick");
    let value_of = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .map(|i| {
                args.get(i + 1)
                    .cloned()
                    .ok_or(format!("{flag} needs a value"))
            })
            .transpose()
    };
    let json_path = value_of("--json")?;
    let mut query = if quick { "quick" } else { "auto" }.to_owned();
    if let Some(cases) = value_of("--case")? {
        query += &format!("&case={cases}");
    }

    let server = Server::www().await?;
    let session = Session::open(browser).await?;
    let url = server.url(&format!("bench.html?{query}"));
    let result = tour_e2e::bench::run(&session, &url, Duration::from_secs(600)).await;
    let problems = session.unexpected_problems(&[]).await;
    session.close().await?;
    let result = result?;

    if let Some(table) = result["markdown"].as_str() {
        println!("{table}\n");
    }
    println!(
        "{}, cross-origin isolated: {}, performance.now() step: {:.1} µs",
        result["userAgent"].as_str().unwrap_or("?"),
        result["crossOriginIsolated"],
        result["timerStepMicros"].as_f64().unwrap_or(f64::NAN),
    );
    let json = serde_json::to_string_pretty(&result)?;
    match json_path {
        Some(path) => {
            std::fs::write(&path, format!("{json}\n"))
                .map_err(|e| format!("cannot write {path}: {e}"))?;
            println!("JSON written to {path}");
        }
        None => println!("{json}"),
    }
    for p in &problems {
        eprintln!("the page reported: {p}");
    }
    if !problems.is_empty() {
        return Err("the benchmark page reported problems".into());
    }
    Ok(())
}
