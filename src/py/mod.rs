//! The tour's Python: a small interpreter for the asyncio part of the
//! language, whose coroutines will be futures on [`crate::rt`], so what
//! the tour records for its Rust lessons it records for Python too.
//!
//! It is built in slices. Here so far, in reading order:
//!
//! 1. **Where** ([`ast::Span`], [`syntax`]): byte spans, their lines and
//!    columns, and the errors a source can get before it runs: CPython's
//!    `SyntaxError`, `IndentationError` and `TabError` with CPython's
//!    words, and the tour's refusal of what it leaves out.
//! 2. **Tokens** ([`lexer`]): names, numbers, strings, operators, and the
//!    indentation that shapes blocks.
//! 3. **The tree** ([`ast`]) and **the parser** ([`parser`]): statements
//!    and expressions, as CPython's `ast` module has them (the host tests
//!    compare the two on every program of `tests/python/`).
//! 4. **Compiling** ([`symtable`], [`code`], [`compile`]): each function
//!    to instructions of a stack machine, its names placed as CPython
//!    places them.
//! 5. **Running** ([`value`], [`vm`], [`ops`], [`format`], [`builtins`],
//!    [`run`]): a frame per call on a stack of the interpreter's own, so
//!    a generator is a saved frame and Python's recursion is not Rust's.
//!    The host tests compare what programs print with what CPython
//!    prints.
//! 6. **asyncio on rt** ([`asyncio`], [`modules`], [`mt`]): a Python task is a
//!    task of [`crate::rt`] whose future runs the task's frames until they
//!    await something not ready; the bottom of every await (a sleep, a
//!    future, a gather) is a future of `rt`, so the run's record has
//!    every poll, wait and wake. [`start`] runs a program as a
//!    [`Run`](crate::rt::Run): the lessons' Python passes the lessons'
//!    checks in the browser.
//!
//! ```
//! let module = async_tour::py::parse("print('hi')\n").expect("valid Python");
//! assert_eq!(module.body.len(), 1);
//! let err = async_tour::py::parse("if x\n    pass\n").expect_err("no colon");
//! assert_eq!(err.to_string(), "SyntaxError: expected ':'");
//! let run = async_tour::py::run_sync("print(sum(x * x for x in range(4)))\n", "t.py");
//! assert_eq!(run.stdout, "14\n");
//! ```

// In reading order, bottom-up (`rustfmt.toml` keeps rustfmt from sorting
// them).
pub mod ast;
pub mod syntax;
pub mod unicode;
pub mod decimal;
pub mod lexer;
pub mod parser;
pub mod symtable;
pub mod code;
pub mod compile;
pub mod mt;
pub mod value;
pub mod vm;
pub mod ops;
pub mod format;
pub mod builtins;
pub mod asyncio;
pub mod http;
pub mod modules;
pub mod run;

pub use modules::warm_up;
pub use parser::parse;
pub use run::{run_sync, start, Finished, Started};
pub use syntax::SyntaxError;
pub use vm::{set_poll_limit_ms, POLL_LIMIT_MS};
