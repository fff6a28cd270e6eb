//! The tour's `httpx` (`httpx.py`, a small part of httpx's async API) and
//! its natives: `_fetch`, a request as a future of the loop (the run's
//! record shows it as a task that waits on the browser's `fetch`), and
//! `_json`, JSON text to Python values.

use std::rc::Rc;

use super::ast::Name;
use super::asyncio::finish;
use super::value::*;
use super::vm::Vm;
use crate::rt;

type R<T> = Result<T, Value>;
type Args = Vec<Value>;
type Kwargs = Vec<(Name, Value)>;

/// The Python half of the tour's httpx.
pub const PRELUDE: &str = include_str!("httpx.py");

/// The natives `httpx.py` is run with.
pub static NATIVES: &[Builtin] = &[
    Builtin {
        name: "httpx._fetch",
        call: fetch,
    },
    Builtin {
        name: "httpx._json",
        call: json,
    },
];

/// `_fetch(url, timeout)`: a future of `(kind, status, text, reason)`,
/// `kind` being "ok", "timeout" or "error" (then `text` says why).
fn fetch(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    let (Some(Value::Str(url)), timeout) = (args.first(), args.get(1)) else {
        return Err(vm.type_error("the URL must be a str"));
    };
    let timeout = match timeout {
        Some(Value::Int(i)) => *i as f64,
        Some(Value::Float(x)) => *x,
        _ => 5.0,
    };
    let url = url.to_string();
    let fut = FutureObj::new(FutureKind::Plain, "fetch");
    let (done, handle) = (fut.clone(), vm.handle.clone());
    let label = format!("GET {url}");
    let request = async move {
        let reply = rt::http::get(&url, timeout).await;
        let Some(vm) = handle.upgrade() else { return };
        let Ok(vm) = vm.try_borrow() else { return };
        let result = |kind: &str, status: i64, text: String, reason: &str| {
            Value::tuple(vec![
                Value::str(kind),
                Value::Int(status),
                Value::str(text),
                Value::str(reason),
            ])
        };
        let value = match reply {
            Ok(r) => result("ok", i64::from(r.status), r.body.clone(), r.reason()),
            Err(e @ rt::http::FetchError::TimedOut(_)) => result("timeout", 0, e.to_string(), ""),
            Err(e) => result("error", 0, e.to_string(), ""),
        };
        finish(&vm, &done, FutureState::Done(value));
    };
    drop(rt::spawn(rt::Name::named(request, label)));
    Ok(Value::Future(fut))
}

/// `_json(text)`: JSON to dicts, lists, strs, ints, floats, bools and
/// None; a mistake raises ValueError with where it is, as `json` does.
fn json(vm: &mut Vm, args: Args, _: Kwargs) -> R<Value> {
    let Some(Value::Str(text)) = args.first() else {
        return Err(vm.type_error("the JSON must be a str"));
    };
    let mut p = Json {
        s: text.as_bytes(),
        at: 0,
    };
    let v = p.value(0).and_then(|v| {
        p.space();
        if p.at < p.s.len() {
            Err("Extra data")
        } else {
            Ok(v)
        }
    });
    v.map_err(|why| {
        let before = text.get(..p.at).unwrap_or(text);
        let line = before.matches('\n').count() + 1;
        let col = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
        vm.error(
            "ValueError",
            format!("{why}: line {line} column {col} (char {})", p.at),
        )
    })
}

struct Json<'a> {
    s: &'a [u8],
    at: usize,
}

impl Json<'_> {
    fn space(&mut self) {
        while self.s.get(self.at).is_some_and(u8::is_ascii_whitespace) {
            self.at += 1;
        }
    }

    fn eat(&mut self, word: &str) -> bool {
        let found = self.s[self.at..].starts_with(word.as_bytes());
        if found {
            self.at += word.len();
        }
        found
    }

    fn value(&mut self, depth: usize) -> Result<Value, &'static str> {
        if depth > 100 {
            return Err("Nested too deeply");
        }
        self.space();
        match self.s.get(self.at) {
            Some(b'{') => {
                self.at += 1;
                let mut dict = Dict::new();
                self.space();
                if self.eat("}") {
                    return Ok(Value::Dict(Rc::new(std::cell::RefCell::new(dict))));
                }
                loop {
                    self.space();
                    let key = self.string()?;
                    self.space();
                    if !self.eat(":") {
                        return Err("Expecting ':' delimiter");
                    }
                    let v = self.value(depth + 1)?;
                    let _ = dict.insert(key, v);
                    self.space();
                    if self.eat("}") {
                        return Ok(Value::Dict(Rc::new(std::cell::RefCell::new(dict))));
                    }
                    if !self.eat(",") {
                        return Err("Expecting ',' delimiter");
                    }
                }
            }
            Some(b'[') => {
                self.at += 1;
                let mut items = Vec::new();
                self.space();
                if self.eat("]") {
                    return Ok(Value::list(items));
                }
                loop {
                    items.push(self.value(depth + 1)?);
                    self.space();
                    if self.eat("]") {
                        return Ok(Value::list(items));
                    }
                    if !self.eat(",") {
                        return Err("Expecting ',' delimiter");
                    }
                }
            }
            Some(b'"') => self.string(),
            Some(b't') if self.eat("true") => Ok(Value::Bool(true)),
            Some(b'f') if self.eat("false") => Ok(Value::Bool(false)),
            Some(b'n') if self.eat("null") => Ok(Value::None),
            Some(c) if *c == b'-' || c.is_ascii_digit() => self.number(),
            _ => Err("Expecting value"),
        }
    }

    fn number(&mut self) -> Result<Value, &'static str> {
        let start = self.at;
        let mut float = false;
        while let Some(&c) = self.s.get(self.at) {
            match c {
                b'0'..=b'9' | b'-' | b'+' => {}
                b'.' | b'e' | b'E' => float = true,
                _ => break,
            }
            self.at += 1;
        }
        let text = std::str::from_utf8(&self.s[start..self.at]).map_err(|_| "Expecting value")?;
        if float {
            super::decimal::parse(text)
                .map(Value::Float)
                .ok_or("Expecting value")
        } else {
            text.parse().map(Value::Int).map_err(|_| "Expecting value")
        }
    }

    fn string(&mut self) -> Result<Value, &'static str> {
        if !self.eat("\"") {
            return Err("Expecting property name enclosed in double quotes");
        }
        let mut out = String::new();
        loop {
            let rest = std::str::from_utf8(&self.s[self.at..]).map_err(|_| "Invalid text")?;
            let mut chars = rest.chars();
            let c = chars.next().ok_or("Unterminated string starting at")?;
            self.at += c.len_utf8();
            match c {
                '"' => return Ok(Value::str(out)),
                '\\' => {
                    let e = self.s.get(self.at).copied().ok_or("Invalid \\escape")?;
                    self.at += 1;
                    out.push(match e {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            let hex = self
                                .s
                                .get(self.at..self.at + 4)
                                .ok_or("Invalid \\uXXXX escape")?;
                            self.at += 4;
                            let hex =
                                std::str::from_utf8(hex).map_err(|_| "Invalid \\uXXXX escape")?;
                            let code = u32::from_str_radix(hex, 16)
                                .map_err(|_| "Invalid \\uXXXX escape")?;
                            char::from_u32(code).unwrap_or('\u{fffd}')
                        }
                        _ => return Err("Invalid \\escape"),
                    });
                }
                c if (c as u32) < 0x20 => return Err("Invalid control character at"),
                c => out.push(c),
            }
        }
    }
}
