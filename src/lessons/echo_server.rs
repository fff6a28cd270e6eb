//! Lesson 16: an echo server on a worker, and clients on the page.

use super::{Args, Chapter, Expected, Lesson, Param, View};
use wasm_bindgen::JsValue;
// ANCHOR: listing
use crate::rt::net::{Connection, PortListener, Server};
use crate::rt::*;
use crate::say;
use futures::future::join_all;
use futures::FutureExt;
use std::future::Future;

// The server: on a worker, with its own thread and event loop.

/// How the server shows a line: short ones as text, long ones by size.
fn show(line: &[u8]) -> String {
    match line.len() {
        0 => "(empty line)".to_string(),
        1..=60 => String::from_utf8_lossy(line).into_owned(),
        n => format!("{n} bytes: {}…", String::from_utf8_lossy(&line[..20])),
    }
}

/// One connection, as an `asyncio.Protocol` sees it: made, data
/// received (in chunks, so it collects whole lines), lost.
async fn serve_client(mut conn: Connection, peer: String) {
    say!("connection from {peer}"); // connection_made
    let mut line = Vec::new();
    while let Some(data) = conn.read().await {
        // data_received: a chunk holds part of a line, or several lines.
        for piece in data.split_inclusive(|&b| b == b'\n') {
            line.extend_from_slice(piece);
            if line.ends_with(b"\n") {
                say!("received: {}", show(&line[..line.len() - 1]));
                conn.write(&line); // the echo the tutorial forgot
                line.clear();
            }
        }
    }
    match line.len() {
        0 => say!("connection lost: {peer}"), // connection_lost
        n => say!("connection lost: {peer}, mid-message ({n} bytes dropped)"),
    }
}

/// `loop.create_server(...)` and `serve_forever()`.
pub async fn serve(mut listener: PortListener) {
    say!("starting server on port {}", listener.port());
    let mut count = 0;
    while let Some(conn) = listener.accept().await {
        count += 1;
        // Each connection is a task of its own; dropping the handle does
        // not cancel it, as in asyncio.
        drop(spawn(serve_client(conn, format!("client {count}"))));
    }
}

// The clients: on the page, where the tutorial used `nc`.

/// Sends one line and checks what comes back.
async fn round_trip(conn: &mut Connection, n: usize, line: &[u8]) {
    conn.write(line);
    let back = conn.read_line().await.unwrap_or_default();
    match back.len() {
        _ if back != line => say!("client {n} got back something else!"),
        1 => say!("client {n} got back an empty line"),
        2..=61 => say!("client {n} got back: {}", show(&back[..back.len() - 1])),
        len => say!("client {n} got back {} bytes, unchanged", len - 1),
    }
}

/// A client that stays a while: says hello, waits until the odd ones are
/// done (not just a while: a large message takes as long as it takes),
/// says bye and hangs up.
async fn chatty(server: &Server, n: usize, odd_ones_done: impl Future<Output = ()>) {
    sleep(0.5 * (n - 1) as f64).await;
    let _bar = span(format!("client {n}"));
    let Ok(mut conn) = server.connect() else {
        return;
    };
    round_trip(&mut conn, n, format!("hello from client {n}\n").as_bytes()).await;
    odd_ones_done.await;
    sleep(0.5 * n as f64).await;
    round_trip(&mut conn, n, format!("bye from client {n}\n").as_bytes()).await;
}

/// What the Run button starts.
pub async fn main(args: Args) {
    let (clients, size) = (
        args.count("clients") as usize,
        args.count("kb") as usize * 1024,
    );
    let server = match Server::start(&ECHO_SERVER, 8001).await {
        Ok(server) => server, // `serve` runs on its worker
        Err(e) => {
            say!("the server could not start: {e}");
            return;
        }
    };
    let odd_ones = async {
        let first = clients + 1; // then three clients with odd messages
        sleep(0.5 * clients as f64).await;
        if let Ok(mut conn) = server.connect() {
            let _bar = span(format!("client {first}"));
            round_trip(&mut conn, first, b"\n").await;
        }
        sleep(0.5).await;
        if let Ok(mut conn) = server.connect() {
            let _bar = span(format!("client {}", first + 1));
            let mut big = b"0123456789".repeat(size / 10 + 1);
            big.truncate(size);
            big.push(b'\n');
            round_trip(&mut conn, first + 1, &big).await;
        }
        sleep(0.5).await;
        if let Ok(conn) = server.connect() {
            let _bar = span(format!("client {}", first + 2));
            conn.write(b"half a mess"); // and hangs up mid-message
        }
    }
    // Shared, so each chatty client can await its end too: Python's
    // `asyncio.Event`, set when the odd ones are done.
    .shared();
    let chats = join_all((1..=clients).map(|n| chatty(&server, n, odd_ones.clone())));
    futures::join!(chats, odd_ones);
    sleep(0.5).await;
    server.stop();
    say!("server stopped");
}
// ANCHOR_END: listing

/// What `Server::start(&ECHO_SERVER, port)` runs on the worker.
pub static ECHO_SERVER: Job = Job::new_async("echo server", |input| serve_job(input).boxed_local());

async fn serve_job(input: JsValue) -> JsValue {
    match PortListener::from_job(&input) {
        Some(listener) => serve(listener).await,
        None => say!("the echo server was started without a listener"),
    }
    JsValue::UNDEFINED
}

/// What a run prints, in order, for `clients` chatty clients
/// and a large message of `size` bytes.
fn script(clients: usize, size: usize) -> Vec<String> {
    let mut lines = vec!["starting server on port 8001".to_string()];
    let chat = |lines: &mut Vec<String>, n: usize, what: &str| {
        lines.push(format!("received: {what} from client {n}"));
        lines.push(format!("client {n} got back: {what} from client {n}"));
    };
    for n in 1..=clients {
        lines.push(format!("connection from client {n}"));
        chat(&mut lines, n, "hello");
    }
    let first = clients + 1;
    lines.extend([
        format!("connection from client {first}"),
        "received: (empty line)".to_string(),
        format!("client {first} got back an empty line"),
        format!("connection lost: client {first}"),
        format!("connection from client {}", first + 1),
        // The server shows a long line by its size and first 20 bytes.
        format!("received: {size} bytes: 01234567890123456789…"),
        format!("client {} got back {size} bytes, unchanged", first + 1),
        format!("connection lost: client {}", first + 1),
        format!("connection from client {}", first + 2),
        format!(
            "connection lost: client {}, mid-message (11 bytes dropped)",
            first + 2
        ),
    ]);
    for n in 1..=clients {
        chat(&mut lines, n, "bye");
        lines.push(format!("connection lost: client {n}"));
    }
    lines.push("server stopped".to_string());
    lines
}

/// The lesson as the page and the tests see it.
pub static LESSON: Lesson = Lesson {
    id: "echo-server",
    number: 16,
    chapter: Chapter::RealIo,
    title: "Echo server",
    params: &[
        Param::count("clients", "clients staying connected", 3.0, 1.0, 6.0),
        Param::count("kb", "large message (KiB)", 1024.0, 1.0, 2048.0),
    ],
    view: View::Timeline,
    paced: true,
    run: |args| Box::pin(main(args)),
    expected: |args| {
        let lines = script(
            args.count("clients") as usize,
            args.count("kb") as usize * 1024,
        );
        let mut e = Expected::new();
        for line in lines {
            e = e.line(0.0, line);
        }
        e.untimed()
    },
    python_output: None,
};
