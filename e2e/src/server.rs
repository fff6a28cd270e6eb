//! The tour as a reader gets it: `scripts/serve.py` serving the release
//! build in `www/` on a free local port, with the same headers (cross-origin
//! isolation) and the same `/hold?ms=N` replies as `scripts/serve.sh`.

use std::process::Stdio;

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
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

    /// Fetches `path` as a plain HTTP client would, no browser and no
    /// script involved, sending `headers` (`Accept-Encoding: gzip`).
    pub async fn get(&self, path: &str, headers: &[&str]) -> Result<Reply> {
        let host = self
            .base
            .trim_start_matches("http://")
            .trim_end_matches('/');
        let mut stream = tokio::net::TcpStream::connect(host).await?;
        let mut request = format!("GET /{path} HTTP/1.0\r\nHost: {host}\r\n");
        for h in headers {
            request.push_str(&format!("{h}\r\n"));
        }
        request.push_str("\r\n");
        stream.write_all(request.as_bytes()).await?;
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).await?;
        let split = raw
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .ok_or("the reply has no end of headers")?;
        Ok(Reply {
            head: String::from_utf8_lossy(&raw[..split]).into_owned(),
            body: raw[split + 4..].to_vec(),
        })
    }
}

/// A reply to [`Server::get`].
pub struct Reply {
    /// The status line and the headers.
    pub head: String,
    /// The body, as sent (compressed if the reply says so).
    pub body: Vec<u8>,
}

impl Reply {
    /// The value of header `name` (any case), if sent.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().find_map(|l| {
            let (n, v) = l.split_once(':')?;
            n.trim().eq_ignore_ascii_case(name).then_some(v.trim())
        })
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
