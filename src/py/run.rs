//! Running a whole program: parse, compile, run, and report as CPython
//! would (what it printed, then a traceback if it failed).

use std::cell::RefCell;
use std::rc::Rc;

use super::syntax::{line_col, line_text, SyntaxError};
use super::value::Value;
use super::vm::Vm;

/// What a program did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Finished {
    /// What it printed.
    pub stdout: String,
    /// Its traceback (CPython's standard error), if it failed.
    pub stderr: String,
    /// Whether it failed.
    pub failed: bool,
}

/// How CPython reports a source it cannot compile.
pub fn syntax_report(source: &str, filename: &str, e: &SyntaxError) -> String {
    let at = line_col(source, e.span.start);
    let text = line_text(source, at.line);
    let trimmed = text.trim_start();
    let indent = text.chars().count() - trimmed.chars().count();
    let caret = (at.col as usize).saturating_sub(indent + 1);
    format!(
        "  File \"{filename}\", line {}\n    {}\n    {}^\n{e}\n",
        at.line,
        trimmed.trim_end(),
        " ".repeat(caret)
    )
}

/// Runs a program that does not wait on the event loop, to its end.
pub fn run_sync(source: &str, filename: &str) -> Finished {
    let program = match super::code::Program::new(source, filename) {
        Ok(program) => program,
        Err(e) => {
            return Finished {
                stdout: String::new(),
                stderr: syntax_report(source, filename, &e),
                failed: true,
            }
        }
    };
    let out = Rc::new(RefCell::new(String::new()));
    let sink = out.clone();
    let errors = Rc::new(RefCell::new(String::new()));
    let err_sink = errors.clone();
    let mut vm = Vm::new(
        Box::new(move |s| sink.borrow_mut().push_str(s)),
        Box::new(move |s| err_sink.borrow_mut().push_str(s)),
    );
    let result = vm.run_module(&program);
    vm.flush_warnings(None);
    let mut stderr = errors.borrow().clone();
    if let Err(exc) = &result {
        stderr.push_str(&vm.format_traceback(exc));
    }
    let stdout = out.borrow().clone();
    Finished {
        stdout,
        stderr,
        failed: result.is_err(),
    }
}

/// A program started on the tour's runtime: its [`rt::Run`] (lines,
/// times, the record, Stop) and what it wrote to standard error.
pub struct Started {
    /// The run: its printed lines and its record.
    pub run: crate::rt::Run,
    /// Its warnings and traceback, as CPython writes them to stderr.
    pub stderr: Rc<RefCell<String>>,
    /// Whether it ended with an uncaught exception (CPython's exit
    /// status 1), once the run has ended.
    pub failed: Rc<std::cell::Cell<bool>>,
}

/// Starts a program on the browser's event loop at `speed`, drawing
/// `random.randint` from `seed`; each line it prints is a line of the
/// run. A source that does not compile is refused before anything runs.
pub fn start(
    source: &str,
    filename: &str,
    speed: crate::rt::Speed,
    seed: u64,
    listener: impl Fn(&crate::rt::Run, crate::rt::Event) + 'static,
) -> Result<Started, SyntaxError> {
    let program = super::code::Program::new(source, filename)?;
    let stderr = Rc::new(RefCell::new(String::new()));
    let err_sink = stderr.clone();
    let mut line = String::new();
    let vm = Rc::new(RefCell::new(Vm::new(
        Box::new(move |s| {
            line.push_str(s);
            while let Some(at) = line.find('\n') {
                let text: String = line.drain(..=at).collect();
                crate::rt::run::print(format_args!("{}", &text[..text.len() - 1]));
            }
        }),
        Box::new(move |s| err_sink.borrow_mut().push_str(s)),
    )));
    vm.borrow_mut().handle = Rc::downgrade(&vm);
    let failed = Rc::new(std::cell::Cell::new(false));
    let main = drive_module(vm, program, failed.clone());
    let run = crate::rt::Run::start(speed, seed, listener, main);
    Ok(Started {
        run,
        stderr,
        failed,
    })
}

/// The run's main: the module's code, which waits (on `asyncio.run`'s
/// task, driven right here, so it is the run's main task) when it must.
async fn drive_module(
    vm: Rc<RefCell<Vm>>,
    program: super::code::Program,
    failed: Rc<std::cell::Cell<bool>>,
) {
    use super::value::FutureKind;
    use super::vm::Exit;
    let (frame, globals) = vm.borrow().module_frame(&program);
    let mut frames = vec![frame];
    loop {
        let result = vm.borrow_mut().in_poll(|vm| vm.run(&mut frames, 0));
        match result {
            Ok(Exit::Yield(Value::Future(f))) => {
                vm.borrow_mut().depth -= frames.len();
                let weak = Rc::downgrade(&vm);
                let fresh = matches!(&f.kind, FutureKind::Task { started, .. } if !started.get());
                let spawned = vm
                    .borrow()
                    .spawned
                    .iter()
                    .any(|t| t.as_ptr() == Rc::as_ptr(&f));
                if fresh && !spawned {
                    super::asyncio::Driver::new(weak, f.clone()).await;
                } else {
                    while !f.done() {
                        super::asyncio::wait_on(&weak, f.clone()).await;
                    }
                }
                let mut vm = vm.borrow_mut();
                match vm.future_result(&f) {
                    Ok(v) => {
                        if let Some(top) = frames.last_mut() {
                            top.stack.push(v);
                        }
                    }
                    Err(e) => vm.throw = Some(e),
                }
            }
            Ok(_) => break,
            Err(e) => {
                failed.set(true);
                let mut vm = vm.borrow_mut();
                vm.flush_warnings(None);
                let tb = vm.format_traceback(&e);
                vm.warn(&tb);
                vm.clear_module(&globals);
                return;
            }
        }
    }
    let mut vm = vm.borrow_mut();
    vm.flush_warnings(None);
    vm.clear_module(&globals);
}
