//! Connections between the page and a server on a worker, the closest a
//! page gets to TCP: it cannot listen on a port.
//!
//! Each [`Connection`] is one end of a `MessageChannel`: bytes written at
//! one end are read, in order, at the other, in chunks of at most
//! [`CHUNK`] bytes like a socket's, and closing one end ends the other's
//! reads. The page's [`Server`] starts a worker job and hands it a
//! [`PortListener`]; each [`Server::connect`] sends the listener a fresh port.
//!
//! The server prints on its worker, and its lines reach the page by
//! another channel than its replies. So that a reply never shows before
//! the line the server printed first, each chunk carries the count of
//! lines printed before it, and the page reads it once they have arrived.

use std::cell::Cell;
use std::fmt;
use std::future::Future;
use std::rc::Rc;

use futures::channel::mpsc;
use futures::StreamExt;
use wasm_bindgen::prelude::*;
use web_sys::{MessageChannel, MessageEvent, MessagePort};

use super::field;
use super::poll::{Leaf, Sited};
use super::trace::Wait;
use super::worker::{printed_so_far, Job, Relay, Worker, WorkerError};

/// The most bytes one message carries; longer writes are split, as a
/// socket splits a long write into segments.
pub const CHUNK: usize = 64 * 1024;

fn channel() -> Result<MessageChannel, WorkerError> {
    MessageChannel::new().map_err(|_| WorkerError("the browser refused a MessageChannel".into()))
}

/// Sends whatever arrives on `port` into a stream, until the port closes.
fn receive(
    port: &MessagePort,
) -> (
    mpsc::UnboundedReceiver<MessageEvent>,
    Closure<dyn FnMut(MessageEvent)>,
) {
    let (tx, rx) = mpsc::unbounded();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let _ = tx.unbounded_send(event);
    });
    port.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    (rx, on_message)
}

/// One end of a connection: write bytes, read what the other end wrote.
/// Dropping it hangs up, as closing a socket does.
pub struct Connection {
    port: MessagePort,
    inbox: mpsc::UnboundedReceiver<MessageEvent>,
    /// Bytes read past the end of the last line ([`Connection::read_line`]).
    buffer: Vec<u8>,
    open: Cell<bool>,
    /// On the page, the server's printed lines: data it sent after
    /// printing waits for those lines, so the output reads in order.
    relay: Option<Rc<Relay>>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
}

impl Connection {
    fn over(port: MessagePort, relay: Option<Rc<Relay>>) -> Connection {
        let (inbox, on_message) = receive(&port);
        Connection {
            port,
            inbox,
            buffer: Vec::new(),
            open: Cell::new(true),
            relay,
            _on_message: on_message,
        }
    }

    /// Sends `data` to the other end, in chunks of at most [`CHUNK`].
    /// Writing nothing sends nothing, as with `transport.write(b"")`;
    /// writing after [`close`](Connection::close) is ignored.
    pub fn write(&self, data: &[u8]) {
        if !self.open.get() {
            return;
        }
        let after = printed_so_far() as f64;
        for chunk in data.chunks(CHUNK) {
            let bytes = js_sys::Uint8Array::from(chunk);
            let message = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&message, &"bytes".into(), &bytes);
            let _ = js_sys::Reflect::set(&message, &"after".into(), &after.into());
            // Hand the buffer over instead of copying it.
            let transfer = js_sys::Array::of1(&bytes.buffer());
            let _ = self
                .port
                .post_message_with_transferable(&message, &transfer);
        }
    }

    /// The next chunk the other end wrote, or `None` once it hung up.
    #[track_caller]
    pub fn read(&mut self) -> impl Future<Output = Option<Vec<u8>>> + '_ {
        Sited::new(async move {
            if !self.buffer.is_empty() {
                return Some(std::mem::take(&mut self.buffer));
            }
            self.next_chunk().await
        })
    }

    async fn next_chunk(&mut self) -> Option<Vec<u8>> {
        loop {
            let event = Leaf {
                on: Wait::Message,
                future: self.inbox.next(),
            }
            .await?;
            let data = event.data();
            if data.is_null() {
                return None; // the other end hung up
            }
            let Some(bytes) =
                field(&data, "bytes").and_then(|b| b.dyn_into::<js_sys::Uint8Array>().ok())
            else {
                continue; // not ours
            };
            let after = field(&data, "after")
                .and_then(|a| a.as_f64())
                .unwrap_or(0.0) as u64;
            if let Some(relay) = &self.relay {
                relay.reached(after).await;
            }
            return Some(bytes.to_vec());
        }
    }

    /// The next line the other end wrote, with its `\n`; at a hang-up,
    /// what is left of an unfinished line (or `None` if nothing is).
    #[track_caller]
    pub fn read_line(&mut self) -> impl Future<Output = Option<Vec<u8>>> + '_ {
        Sited::new(async move {
            // Only new bytes are searched, so a long line costs its length once.
            let mut searched = 0;
            loop {
                if let Some(at) = self.buffer[searched..].iter().position(|&b| b == b'\n') {
                    let rest = self.buffer.split_off(searched + at + 1);
                    return Some(std::mem::replace(&mut self.buffer, rest));
                }
                searched = self.buffer.len();
                match self.next_chunk().await {
                    Some(chunk) => self.buffer.extend_from_slice(&chunk),
                    None if self.buffer.is_empty() => return None,
                    None => return Some(std::mem::take(&mut self.buffer)),
                }
            }
        })
    }

    /// Hangs up: the other end's reads end once they reach this point.
    pub fn close(&self) {
        if self.open.replace(false) {
            let _ = self.port.post_message(&JsValue::NULL);
            self.port.close();
        }
    }
}

impl Drop for Connection {
    fn drop(&mut self) {
        self.close();
    }
}

impl fmt::Debug for Connection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Connection")
            .field("open", &self.open.get())
            .finish_non_exhaustive()
    }
}

/// The server's side: new connections, as they arrive.
pub struct PortListener {
    port_number: u16,
    incoming: mpsc::UnboundedReceiver<MessageEvent>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
}

impl PortListener {
    /// The listener a [`Server`] sent to its worker job as `input`.
    pub fn from_job(input: &JsValue) -> Option<PortListener> {
        let port: MessagePort = field(input, "listen")?.dyn_into().ok()?;
        let port_number = field(input, "port")?.as_f64()? as u16;
        let (incoming, on_message) = receive(&port);
        Some(PortListener {
            port_number,
            incoming,
            _on_message: on_message,
        })
    }

    /// The port number the server was started with (there is no real
    /// port: it names the server, as in the tutorial's output).
    pub fn port(&self) -> u16 {
        self.port_number
    }

    /// The next connection, or `None` once the page is gone.
    #[track_caller]
    pub fn accept(&mut self) -> impl Future<Output = Option<Connection>> + '_ {
        Sited::new(async move {
            loop {
                let event = self.incoming.next().await?;
                if let Ok(port) = event.ports().get(0).dyn_into::<MessagePort>() {
                    return Some(Connection::over(port, None));
                }
            }
        })
    }
}

/// A server running as job `job` on a worker of its own. Dropping it (or
/// [`Server::stop`]) terminates the worker: the server and every
/// connection to it end at once.
pub struct Server {
    listen: MessagePort,
    worker: Worker,
}

impl Server {
    /// Starts a worker and, on it, job `job` with a [`PortListener`] for
    /// `port`. Resolves once the worker's copy of the module is ready.
    #[track_caller]
    pub fn start(job: &Job, port: u16) -> impl Future<Output = Result<Server, WorkerError>> + '_ {
        Sited::new(async move {
            let worker = Worker::start().await?;
            let channel = channel()?;
            let input = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&input, &"listen".into(), &channel.port2());
            let _ = js_sys::Reflect::set(&input, &"port".into(), &port.into());
            // The job runs until the worker ends; its answer is not awaited.
            drop(worker.post(job, &input, &[channel.port2().into()]));
            Ok(Server {
                listen: channel.port1(),
                worker,
            })
        })
    }

    /// Opens a connection to the server.
    pub fn connect(&self) -> Result<Connection, WorkerError> {
        let channel = channel()?;
        let transfer = js_sys::Array::of1(&channel.port2());
        self.listen
            .post_message_with_transferable(&JsValue::UNDEFINED, &transfer)
            .map_err(|_| WorkerError("the server's port is closed".into()))?;
        Ok(Connection::over(channel.port1(), Some(self.worker.relay())))
    }

    /// Stops the server: its worker is terminated.
    pub fn stop(self) {}
}
