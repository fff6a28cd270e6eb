//! WebDriver servers: chromedriver for Chromium, geckodriver for Firefox,
//! WebKitWebDriver (Debian's `webkit2gtk-driver`) for WebKit.
//!
//! [`Driver::find_or_start`] uses one already listening on its usual port
//! (9515, 4444 or 4445) and otherwise starts one; [`Driver::start`] always starts
//! its own on a free port, so tests never share a browser by accident.

use std::path::PathBuf;
use std::process::Stdio;

use serde_json::{json, Map, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::process::{Child, Command};
use tokio::time::{sleep, timeout, Duration, Instant};

use crate::Result;

/// A browser the tour is tested in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Browser {
    /// Chromium (Debian's `chromium`), through chromedriver.
    Chrome,
    /// Firefox (ESR), through geckodriver.
    Firefox,
    /// WebKitGTK's MiniBrowser, through WebKitWebDriver. It has no
    /// headless mode that works here, so its driver runs under Xvfb
    /// (`xvfb-run`) when there is no display; and it offers no WebDriver
    /// BiDi, so its [`Session`](crate::Session) hears problems through a
    /// hook in the page instead.
    WebKit,
}

impl Browser {
    /// All three, in the order the suite runs them.
    pub const ALL: [Browser; 3] = [Browser::Chrome, Browser::Firefox, Browser::WebKit];

    /// `chrome`, `chromium`, `firefox` or `webkit`, as typed on a command
    /// line.
    pub fn from_name(name: &str) -> Option<Browser> {
        match name.to_ascii_lowercase().as_str() {
            "chrome" | "chromium" => Some(Browser::Chrome),
            "firefox" | "firefox-esr" => Some(Browser::Firefox),
            "webkit" | "minibrowser" => Some(Browser::WebKit),
            _ => None,
        }
    }

    /// Whether its driver offers WebDriver BiDi (the console and network
    /// events a [`Session`](crate::Session) listens to).
    pub fn has_bidi(self) -> bool {
        self != Browser::WebKit
    }

    /// Reads `--firefox`, `--webkit` or `--chrome` from the program's arguments
    /// (Chrome when neither is given), and gives back the other arguments.
    pub fn from_args() -> (Browser, Vec<String>) {
        let mut browser = Browser::Chrome;
        let mut rest = Vec::new();
        for arg in std::env::args().skip(1) {
            match arg.strip_prefix("--").and_then(Browser::from_name) {
                Some(b) => browser = b,
                None => rest.push(arg),
            }
        }
        (browser, rest)
    }

    /// Its name, for messages.
    pub fn name(self) -> &'static str {
        match self {
            Browser::Chrome => "Chromium",
            Browser::Firefox => "Firefox",
            Browser::WebKit => "WebKit",
        }
    }

    fn driver_program(self) -> &'static str {
        match self {
            Browser::Chrome => "chromedriver",
            Browser::Firefox => "geckodriver",
            Browser::WebKit => "WebKitWebDriver",
        }
    }

    fn usual_port(self) -> u16 {
        match self {
            Browser::Chrome => 9515,
            Browser::Firefox => 4444,
            Browser::WebKit => 4445,
        }
    }

    /// The session's capabilities: headless, a 1280 × 900 window, no
    /// traffic to the browser maker's servers (this machine has no
    /// internet), a WebDriver BiDi socket for console and network events,
    /// and pages told the reader prefers `scheme`. WebKit gets neither a
    /// BiDi socket nor a colour scheme (MiniBrowser takes no such option;
    /// the suite checks the dark scheme in the other two).
    pub fn capabilities(self, scheme: Scheme) -> Map<String, Value> {
        let caps = match self {
            Browser::Chrome => {
                let mut options = json!({
                    "args": [
                        "--headless=new",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-dev-shm-usage",
                        "--disable-quic",
                        "--no-first-run",
                        "--disable-background-networking",
                        "--disable-component-update",
                        "--disable-sync",
                        "--window-size=1280,900",
                    ]
                });
                if scheme == Scheme::Dark {
                    options["args"]
                        .as_array_mut()
                        .expect("args is a list")
                        .push(json!("--force-dark-mode"));
                }
                if let Some(binary) = first_on_path(&["chromium", "chromium-browser"]) {
                    options["binary"] = json!(binary);
                }
                json!({
                    "browserName": "chrome",
                    "webSocketUrl": true,
                    "goog:chromeOptions": options,
                })
            }
            Browser::Firefox => {
                let mut options = json!({
                    "args": ["-headless", "--width=1280", "--height=900"],
                    "prefs": {
                        "app.update.enabled": false,
                        "browser.shell.checkDefaultBrowser": false,
                        "datareporting.policy.dataSubmissionEnabled": false,
                        "toolkit.telemetry.enabled": false,
                    }
                });
                // 0 is dark, 1 light.
                options["prefs"]["layout.css.prefers-color-scheme.content-override"] =
                    json!(if scheme == Scheme::Dark { 0 } else { 1 });
                if let Some(binary) = first_on_path(&["firefox", "firefox-esr"]) {
                    options["binary"] = json!(binary);
                }
                json!({
                    "browserName": "firefox",
                    "webSocketUrl": true,
                    "moz:firefoxOptions": options,
                })
            }
            Browser::WebKit => json!({
                "browserName": "MiniBrowser",
                "webkitgtk:browserOptions": {
                    "binary": MINIBROWSER,
                    "args": ["--automation"],
                },
            }),
        };
        match caps {
            Value::Object(map) => map,
            _ => unreachable!("capabilities are written as an object above"),
        }
    }
}

/// Where Debian's `webkit2gtk-driver` puts the browser it drives.
const MINIBROWSER: &str = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser";

/// The colour scheme a session's pages are told the reader prefers
/// (`prefers-color-scheme`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scheme {
    /// Light, the default.
    Light,
    /// Dark.
    Dark,
}

/// The first of `names` found on `PATH`, as a full path.
fn first_on_path(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    names.iter().find_map(|name| {
        std::env::split_paths(&path)
            .map(|dir| dir.join(name))
            .find(|candidate| candidate.is_file())
    })
}

/// A WebDriver server: one that was already running, or one this process
/// started (stopped again when dropped, with the browsers it launched).
pub struct Driver {
    url: String,
    child: Option<Child>,
}

impl Driver {
    /// The driver for `browser` on its usual port if one is running and
    /// free for a session; otherwise a new one on a free port.
    pub async fn find_or_start(browser: Browser) -> Result<Driver> {
        let port = browser.usual_port();
        if ready(port).await {
            return Ok(Driver {
                url: format!("http://127.0.0.1:{port}"),
                child: None,
            });
        }
        Driver::start(browser).await
    }

    /// Starts a driver for `browser` of its own, on a free port.
    pub async fn start(browser: Browser) -> Result<Driver> {
        let port = free_port().await?;
        let program = browser.driver_program();
        let needs_display = browser == Browser::WebKit && std::env::var_os("DISPLAY").is_none();
        let mut command = if needs_display {
            // A virtual display of its own for MiniBrowser's window.
            let mut xvfb = Command::new("xvfb-run");
            xvfb.args(["-a", "-s", "-screen 0 1600x1200x24", program]);
            xvfb
        } else {
            Command::new(program)
        };
        if browser == Browser::WebKit {
            // With no GPU, WebKitGTK's Skia draws through Mesa's software
            // GL, whose threads took both cores from the page here: a
            // lesson's timers came late in 7 of 32 runs at 20x. Skia's own
            // CPU rendering, on one painting thread, leaves the page its
            // core (1 of 32 to 4 of 40).
            command
                .env("WEBKIT_SKIA_ENABLE_CPU_RENDERING", "1")
                .env("WEBKIT_SKIA_CPU_PAINTING_THREADS", "1");
        }
        match browser {
            Browser::Chrome | Browser::WebKit => command.arg(format!("--port={port}")),
            Browser::Firefox => command.args(["--port", &port.to_string()]),
        };
        let child = command
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            // Its own process group, so that dropping the driver can stop
            // the browser it launched too.
            .process_group(0)
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| {
                let program = if needs_display { "xvfb-run" } else { program };
                format!("cannot start {program} ({e}); install it with scripts/setup.sh --browsers")
            })?;
        let driver = Driver {
            url: format!("http://127.0.0.1:{port}"),
            child: Some(child),
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        while !ready(port).await {
            if Instant::now() > deadline {
                return Err(format!("{program} did not get ready on port {port} in 20 s").into());
            }
            sleep(Duration::from_millis(50)).await;
        }
        Ok(driver)
    }

    /// The driver's address, for [`fantoccini::ClientBuilder::connect`].
    pub fn url(&self) -> &str {
        &self.url
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        if let Some(pid) = self.child.as_ref().and_then(Child::id) {
            // Ends the driver and any browser left in its group; the
            // session was normally closed before this.
            let _ = std::process::Command::new("kill")
                .args(["-TERM", "--", &format!("-{pid}")])
                .status();
        }
    }
}

async fn free_port() -> Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    Ok(listener.local_addr()?.port())
}

/// Whether a WebDriver server on `port` answers `/status` with
/// `"ready": true` (geckodriver says false while it has a session).
async fn ready(port: u16) -> bool {
    let ask = async {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).await.ok()?;
        let request =
            format!("GET /status HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n");
        stream.write_all(request.as_bytes()).await.ok()?;
        // chromedriver keeps the connection open: read until the JSON
        // body is whole, not until the end of the stream.
        let mut reply = Vec::new();
        let mut chunk = [0u8; 4096];
        loop {
            let n = stream.read(&mut chunk).await.ok()?;
            if n == 0 {
                return None;
            }
            reply.extend_from_slice(&chunk[..n]);
            let text = String::from_utf8_lossy(&reply);
            let (Some(start), Some(end)) = (text.find('{'), text.rfind('}')) else {
                continue;
            };
            if let Ok(status) = serde_json::from_str::<Value>(&text[start..=end]) {
                return status["value"]["ready"].as_bool();
            }
        }
    };
    matches!(timeout(Duration::from_secs(2), ask).await, Ok(Some(true)))
}
