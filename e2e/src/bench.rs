//! The benchmark page (`www/bench.html`) from outside: open it in a mode
//! that starts it, and wait for the result it leaves in
//! `window.benchResult`.

use fantoccini::Client;
use serde_json::Value;
use tokio::time::{sleep, Duration, Instant};

use crate::Result;

/// Opens `url` (a `bench.html?auto` or `?quick` address, which starts the
/// cases), says each new progress line on stderr, and gives the result
/// once the page is done, at most `limit` later.
pub async fn run(client: &Client, url: &str, limit: Duration) -> Result<Value> {
    client.goto(url).await?;
    let started = Instant::now();
    let mut said = String::new();
    loop {
        let seen = client
            .execute(
                "return [window.benchResult || null,
                         document.querySelector('#progress').textContent];",
                vec![],
            )
            .await?;
        if let Some(result) = seen[0].as_object() {
            if result.get("done") == Some(&Value::Bool(true)) {
                return Ok(seen[0].clone());
            }
            return Err(format!("the benchmarks failed: {}", seen[0]["error"]).into());
        }
        let progress = seen[1].as_str().unwrap_or_default();
        if progress != said {
            eprintln!("{progress}");
            said = progress.to_owned();
        }
        if started.elapsed() > limit {
            return Err(format!("the benchmarks took over {} s", limit.as_secs()).into());
        }
        sleep(Duration::from_millis(250)).await;
    }
}
