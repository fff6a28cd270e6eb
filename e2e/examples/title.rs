//! Opens the tour in a headless browser and prints its title: the Rust
//! counterpart of lesson 17's Playwright script, driving a real browser
//! from outside over WebDriver.
//!
//! ```sh
//! cargo run -p tour-e2e --example title                 # serves www/ itself
//! cargo run -p tour-e2e --example title -- http://localhost:8000/ --firefox
//! ```
//!
//! It uses chromedriver (or geckodriver, with `--firefox`) if one is
//! running on its usual port, and starts one otherwise.

use std::process::ExitCode;

use tour_e2e::{Browser, Result, Session, Site};

#[tokio::main]
async fn main() -> ExitCode {
    match title().await {
        Ok(title) => {
            println!("{title}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("title: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn title() -> Result<String> {
    let (browser, args) = Browser::from_args();
    let site = Site::given_or_served(args.into_iter().next()).await?;
    let session = Session::open(browser).await?;
    let title = async {
        session.goto(&site.url).await?;
        Ok::<_, tour_e2e::Error>(session.title().await?)
    }
    .await;
    session.close().await?;
    title
}
