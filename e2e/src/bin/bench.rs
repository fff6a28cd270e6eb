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
    python_against_cpython(&result);
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

/// The Python cases against CPython on this machine: the same programs
/// (`www/bench-py/`), each printing the milliseconds its work took; the
/// median of five runs.
fn python_against_cpython(result: &serde_json::Value) {
    let Some(cases) = result["cases"].as_array() else {
        return;
    };
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../www/bench-py");
    let mut rows = Vec::new();
    for (id, file, target) in [
        ("py-fib", "fib.py", 5.0),
        ("py-squares", "squares.py", 5.0),
        ("py-gather", "gather.py", 3.0),
    ] {
        let Some(ours) = cases
            .iter()
            .find(|c| c["id"] == id)
            .and_then(|c| c["rust"].as_f64())
        else {
            continue;
        };
        let mut runs: Vec<f64> = (0..5)
            .filter_map(|_| {
                let out = std::process::Command::new("python3")
                    .arg(dir.join(file))
                    .output()
                    .ok()?;
                String::from_utf8_lossy(&out.stdout)
                    .trim()
                    .lines()
                    .last()?
                    .parse()
                    .ok()
            })
            .collect();
        if runs.is_empty() {
            eprintln!("bench: python3 did not run {file}");
            continue;
        }
        runs.sort_by(f64::total_cmp);
        let cpython = runs[runs.len() / 2];
        let ratio = ours / cpython;
        let verdict = if ratio <= target { "met" } else { "missed" };
        rows.push(format!(
            "| {file} | {ours:.1} ms | {cpython:.1} ms | {ratio:.2}× | ≤ {target}×: **{verdict}** |"
        ));
    }
    if !rows.is_empty() {
        println!("| Python | the tour's interpreter | CPython | ÷ CPython | target |");
        println!("| --- | --- | --- | --- | --- |");
        for r in rows {
            println!("{r}");
        }
        println!();
    }
}
