//! The tour as a reader gets it: `scripts/serve.py` serving the release
//! build in `www/` on a free local port, with the same headers (cross-origin
//! isolation) and the same `/hold?ms=N` replies as `scripts/serve.sh`.

use std::process::Stdio;

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};
use tokio::time::{timeout, Duration};

use crate::{repo_root, Result};

/// A running `scripts/serve.py`. Dropping it stops the server.
pub struct Server {
    base: String,
    _child: Child,
}

impl Server {
    /// Serves `www/` on a free port of 127.0.0.1. Fails with a hint when
    /// the release page has not been built.
    pub async fn www() -> Result<Server> {
        let root = repo_root();
        let wasm = root.join("www/pkg/async_tour_bg.wasm");
        if !wasm.exists() {
            return Err(format!(
                "{} is missing: build the page first (scripts/build.sh)",
                wasm.display()
            )
            .into());
        }
        let mut child = Command::new("python3")
            .arg(root.join("scripts/serve.py"))
            .args(["--port", "0", "--bind", "127.0.0.1"])
            .arg(root.join("www"))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| format!("cannot start python3 scripts/serve.py: {e}"))?;
        let stdout = child.stdout.take().expect("stdout was piped");
        let mut lines = BufReader::new(stdout).lines();
        // serve.py's first line names the port it got:
        // "Serving the tour on http://localhost:PORT/ (Ctrl-C stops)".
        let first = timeout(Duration::from_secs(10), lines.next_line())
            .await
            .map_err(|_| "scripts/serve.py said nothing for 10 s")??
            .ok_or("scripts/serve.py exited before serving")?;
        let port: u16 = first
            .split("localhost:")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .and_then(|p| p.parse().ok())
            .ok_or_else(|| format!("no port in serve.py's first line: {first:?}"))?;
        Ok(Server {
            base: format!("http://127.0.0.1:{port}/"),
            _child: child,
        })
    }

    /// The address of `www/`, ending in `/`.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// The address of `path` (no leading `/`) under `www/`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

/// The page a command opens: the address it was given, or `www/` served
/// by a [`Server`] of its own for as long as this lives.
pub struct Site {
    /// The address to open.
    pub url: String,
    _server: Option<Server>,
}

impl Site {
    /// `url` if there is one; otherwise `www/` served here.
    pub async fn given_or_served(url: Option<String>) -> Result<Site> {
        Ok(match url {
            Some(url) => Site { url, _server: None },
            None => {
                let server = Server::www().await?;
                Site {
                    url: server.base().to_owned(),
                    _server: Some(server),
                }
            }
        })
    }
}
