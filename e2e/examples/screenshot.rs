//! Opens the tour in a headless browser, waits until it has started, and
//! saves a PNG screenshot: the other half of lesson 17's Playwright script.
//!
//! ```sh
//! cargo run -p tour-e2e --example screenshot                  # tour.png
//! cargo run -p tour-e2e --example screenshot -- shot.png http://localhost:8000/#gather --firefox
//! cargo run -p tour-e2e --example screenshot -- shot.png http://localhost:8000/#gather \
//!     --run 5 --show .timeline
//! ```
//!
//! `--run SPEED` runs the lesson the address names at that speed and waits
//! for it to end (`--python` runs its Python instead of its Rust); `--show SELECTOR` scrolls that part of the shown lesson
//! to the top before the picture is taken; `--size 390x844` sets the
//! window's size (a phone's, here); `--static` takes the picture as soon
//! as the page has loaded, without waiting for the module (what a reader
//! sees first, or without JavaScript; a `file://` address works too);
//! `--step N` steps the run to its step `N` (from 1) after `--run`;
//! `--dark` tells the page the reader prefers a dark scheme;
//! `--edit 'OLD=>NEW'` opens the lesson's Python in the editor and
//! replaces the first OLD with NEW there before `--run`.
//!
//! Without an address it serves `www/` itself (build it first with
//! `scripts/build.sh`). It uses chromedriver (or geckodriver) if one is
//! running on its usual port, and starts one otherwise.

use std::process::ExitCode;

use serde_json::Value;
use tokio::time::Duration;
use tour_e2e::{tour, Browser, Result, Scheme, Session, Site};

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
    let (mut run, mut show, mut size, mut plain) = (None, None, None, Vec::new());
    let mut step = None;
    let mut still = false;
    let mut python = false;
    let mut edit = None;
    let mut scheme = Scheme::Light;
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--run" => run = args.next(),
            "--show" => show = args.next(),
            "--size" => size = args.next(),
            "--step" => step = args.next(),
            "--static" => still = true,
            "--python" => python = true,
            "--edit" => edit = args.next(),
            "--dark" => scheme = Scheme::Dark,
            _ => plain.push(arg),
        }
    }
    let mut plain = plain.into_iter();
    let path = plain.next().unwrap_or_else(|| "tour.png".into());
    let site = Site::given_or_served(plain.next()).await?;
    let lesson = site.url.split_once('#').map(|(_, id)| id.to_string());
    let session = if scheme == Scheme::Dark {
        Session::open_own_in(browser, scheme).await?
    } else {
        Session::open(browser).await?
    };
    let png = async {
        if let Some(size) = &size {
            let (w, h) = size
                .split_once('x')
                .and_then(|(w, h)| Some((w.parse().ok()?, h.parse().ok()?)))
                .ok_or_else(|| format!("--size takes WIDTHxHEIGHT, not {size}"))?;
            session.set_window_size(w, h).await?;
        }
        if still {
            session.goto(&site.url).await?;
        } else {
            tour::open(&session, &site.url).await?;
        }
        // "Your own program" opens its editor when shown.
        let own = lesson.as_deref() == Some(async_tour::lessons::OWN.id);
        if own && !still {
            tour::editor_ready(&session, async_tour::lessons::OWN.id).await?;
        }
        if let (Some(edit), Some(lesson)) = (&edit, &lesson) {
            let (old, new) = edit
                .split_once("=>")
                .ok_or_else(|| format!("--edit takes 'OLD=>NEW', not {edit}"))?;
            if !own {
                tour::edit(&session, lesson).await?;
            }
            let code = tour::editor_code(&session, lesson).await?;
            session
                .execute(
                    "const host = document.querySelector(`section#${arguments[0]} .editor-host`);
                     self.tourEditor.find(host).setDoc(arguments[1]);",
                    vec![Value::from(lesson.as_str()), Value::from(code.replacen(old, new, 1))],
                )
                .await?;
        }
        if let (Some(speed), Some(lesson)) = (&run, &lesson) {
            tour::set_speed(&session, speed).await?;
            if python {
                tour::run_python(&session, lesson).await?;
            } else {
                tour::run(&session, lesson).await?;
            }
            tour::settle(&session, lesson, Duration::from_secs(120)).await?;
        }
        if let Some(step) = &step {
            session
                .execute(
                    "const r = document.querySelector('section[data-lesson]:not([hidden]) .step-range');
                     r.value = arguments[0];
                     r.dispatchEvent(new Event('input', { bubbles: true }));",
                    vec![Value::from(step.as_str())],
                )
                .await?;
        }
        if let Some(selector) = &show {
            session
                .execute(
                    "const s = document.querySelector('section[data-lesson]:not([hidden]) ' + arguments[0]);
                     if (s) { s.scrollIntoView({ block: 'start' }); scrollBy(0, -80); }",
                    vec![Value::from(selector.as_str())],
                )
                .await?;
        }
        if let Ok(file) = std::env::var("SAVE_TIMELINE") {
            let svg = session
                .execute(
                    "const s = document.querySelector('section[data-lesson]:not([hidden]) .timeline-box');
                     return s ? s.innerHTML : '';",
                    vec![],
                )
                .await?;
            let _ = std::fs::write(file, svg.as_str().unwrap_or_default());
        }
        Ok::<_, tour_e2e::Error>(session.screenshot().await?)
    }
    .await;
    session.close().await?;
    std::fs::write(&path, png?).map_err(|e| format!("cannot write {path}: {e}"))?;
    Ok(path)
}
