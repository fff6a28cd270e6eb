//! Measures the tour's start-up in a headless browser: loads the page
//! several times (warm: the first load fills the cache and is left out)
//! and prints the median of each of these, in milliseconds after
//! navigation began: the page's last byte (`responseEnd`), the page parsed
//! (`domInteractive`), and the page's own marks `tour:wasm-ready` (the
//! module compiled and instantiated) and `tour:runnable` (every lesson
//! wired, Run enabled); and the time between the last two.
//!
//! ```sh
//! cargo run --release -p tour-e2e --example startup                 # serves www/ itself
//! cargo run --release -p tour-e2e --example startup -- http://localhost:8000/ --firefox
//! ```
//!
//! `--loads N` sets how many loads are measured (9 by default).

use std::process::ExitCode;

use tour_e2e::{tour, Browser, Result, Session, Site};

#[tokio::main]
async fn main() -> ExitCode {
    match startup().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("startup: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn startup() -> Result<()> {
    let (browser, args) = Browser::from_args();
    let mut loads = 9;
    let mut plain = Vec::new();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--loads" => {
                loads = args
                    .next()
                    .and_then(|n| n.parse().ok())
                    .ok_or("--loads takes a number")?;
            }
            _ => plain.push(arg),
        }
    }
    let site = Site::given_or_served(plain.into_iter().next()).await?;
    let session = Session::open(browser).await?;
    let measured = async {
        let mut marks: Vec<[f64; 4]> = Vec::new();
        for i in 0..=loads {
            session.goto("about:blank").await?;
            tour::open(&session, &site.url).await?;
            let got = session
                .execute(
                    "const at = (n) => performance.getEntriesByName(n)[0]?.startTime ?? NaN;
                     const nav = performance.getEntriesByType('navigation')[0];
                     return [nav.responseEnd, nav.domInteractive,
                             at('tour:wasm-ready'), at('tour:runnable')];",
                    vec![],
                )
                .await?;
            let at = |k: usize| got[k].as_f64().unwrap_or(f64::NAN);
            if i > 0 {
                marks.push([at(0), at(1), at(2), at(3)]);
            }
        }
        Ok::<_, tour_e2e::Error>(marks)
    }
    .await;
    session.close().await?;
    let marks = measured?;
    let median = |f: &dyn Fn(&[f64; 4]) -> f64| {
        let mut v: Vec<f64> = marks.iter().map(f).collect();
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    println!(
        "{}: median of {loads} warm loads, ms after navigation: page received {:.0}, parsed {:.0}, \
         module ready {:.0}, runnable {:.0} ({:.0} from ready to runnable)",
        browser.name(),
        median(&|m| m[0]),
        median(&|m| m[1]),
        median(&|m| m[2]),
        median(&|m| m[3]),
        median(&|m| m[3] - m[2]),
    );
    Ok(())
}
