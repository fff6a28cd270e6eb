//! Opens the tour in a headless browser, waits until it has started, and
//! saves a PNG screenshot: the other half of lesson 17's Playwright script.
//!
//! ```sh
//! cargo run -p tour-e2e --example screenshot                  # tour.png
//! cargo run -p tour-e2e --example screenshot -- shot.png http://localhost:8000/#gather --firefox
//! ```
//!
//! Without an address it serves `www/` itself (build it first with
//! `scripts/build.sh`). It uses chromedriver (or geckodriver) if one is
//! running on its usual port, and starts one otherwise.

use std::process::ExitCode;

use tour_e2e::{tour, Browser, Result, Session, Site};

#[tokio::main]
async fn main() -> ExitCode {
    match screenshot().await {
        Ok(path) => {
            println!("saved {path}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("screenshot: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn screenshot() -> Result<String> {
    let (browser, args) = Browser::from_args();
    let mut args = args.into_iter();
    let path = args.next().unwrap_or_else(|| "tour.png".into());
    let site = Site::given_or_served(args.next()).await?;
    let session = Session::open(browser).await?;
    let png = async {
        tour::open(&session, &site.url).await?;
        Ok::<_, tour_e2e::Error>(session.screenshot().await?)
    }
    .await;
    session.close().await?;
    std::fs::write(&path, png?).map_err(|e| format!("cannot write {path}: {e}"))?;
    Ok(path)
}
