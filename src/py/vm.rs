//! The interpreter: frames on a stack of its own, and the loop that runs
//! their instructions.
//!
//! A call of a Python function pushes a frame and the loop goes on with
//! it, so Python's recursion is not Rust's, and a chain of frames can
//! stop where it is (a generator's `yield`) and be resumed later from the
//! very same frames. Only the interpreter's own functions calling back
//! into Python (`sorted(key=...)`, `__repr__`, `__init__`) run a nested
//! loop.

use std::cell::RefCell;
use std::rc::Rc;

use super::ast::{BinOp, CmpOp, Name, Span, UnaryOp};
use super::code::{Code, CodeKind, Const, Op, Program};
use super::value::*;

/// How long one poll may hold the page's thread without awaiting, by
/// default: a program that runs longer is stopped. Blocking below it is
/// real, as lesson 11 shows (`time.sleep(1)` holds the thread a second).
pub const POLL_LIMIT_MS: f64 = 3000.0;

thread_local! {
    static POLL_LIMIT: std::cell::Cell<f64> = const { std::cell::Cell::new(POLL_LIMIT_MS) };
}

/// The limit on one poll now, in milliseconds.
pub fn poll_limit_ms() -> f64 {
    POLL_LIMIT.with(std::cell::Cell::get)
}

/// Sets the limit on one poll (the tests make it short).
pub fn set_poll_limit_ms(ms: f64) {
    POLL_LIMIT.with(|l| l.set(ms));
}

/// Milliseconds of a monotonic clock: the page's `performance.now()`.
fn clock_ms() -> f64 {
    #[cfg(target_arch = "wasm32")]
    {
        crate::rt::now_ms().0
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        thread_local! {
            static START: std::time::Instant = std::time::Instant::now();
        }
        START.with(|s| s.elapsed().as_secs_f64() * 1000.0)
    }
}

/// How deep Python calls may go (CPython's default recursion limit).
pub const MAX_DEPTH: usize = 1000;
/// How deep the interpreter's own functions may call back into Python:
/// each such call is a Rust call too, and the browser's stack is small.
const MAX_NESTED: usize = 150;

/// How a run of frames stopped.
pub enum Exit {
    /// The first frame returned this.
    Return(Value),
    /// A generator's frame yielded this.
    Yield(Value),
}

/// The interpreter's state for one program.
pub struct Vm {
    /// The builtin classes.
    pub types: super::builtins::Types,
    /// Where `print` writes.
    pub out: Box<dyn FnMut(&str)>,
    /// Where warnings and tracebacks go (standard error).
    pub err: Box<dyn FnMut(&str)>,
    /// This interpreter, for the tasks it spawns.
    pub handle: std::rc::Weak<RefCell<Vm>>,
    /// The task running now.
    pub current_task: Option<Rc<FutureObj>>,
    /// How many tasks were made (`Task-3`).
    pub tasks_made: usize,
    /// Set by `asyncio.run`: the module waits on this.
    pub block_on: Option<Rc<FutureObj>>,
    /// Raised where the frames resume next.
    pub throw: Option<Value>,
    /// After `loop.close()`.
    pub loop_closed: bool,
    /// The tasks made so far (for `asyncio.run` to cancel the rest).
    pub tasks: Vec<std::rc::Weak<FutureObj>>,
    /// `random`'s generator once the program seeds it (CPython's); until
    /// then `random` draws from the run's.
    pub random: Option<Box<super::mt::Mt>>,
    /// The tasks handed to the loop (the others are `asyncio.run`'s).
    pub spawned: Vec<std::rc::Weak<FutureObj>>,
    /// Python calls in progress.
    pub depth: usize,
    nested: usize,
    /// When the poll running now must end, in ms of [`clock_ms`]
    /// (infinite outside a run's polls).
    pub poll_deadline: f64,
    /// Loop turns and calls, counted to check the clock now and then.
    ticks: u32,
    /// Returned frames, for the next calls.
    pool: RefCell<Frames>,
    /// Modules imported so far.
    pub modules: Vec<(Name, Value)>,
}

type R<T> = Result<T, Value>;

impl Vm {
    /// An interpreter, printing through `out`, warning through `err`.
    pub fn new(out: Box<dyn FnMut(&str)>, err: Box<dyn FnMut(&str)>) -> Vm {
        Vm {
            types: super::builtins::Types::new(),
            out,
            err,
            handle: std::rc::Weak::new(),
            current_task: None,
            tasks_made: 0,
            block_on: None,
            throw: None,
            loop_closed: false,
            tasks: Vec::new(),
            random: None,
            spawned: Vec::new(),
            depth: 0,
            nested: 0,
            modules: Vec::new(),
            pool: RefCell::new(Vec::new()),
            poll_deadline: f64::INFINITY,
            ticks: 0,
        }
    }

    /// Keeps a finished frame's vectors for the next call.
    fn recycle(&self, mut frame: Box<Frame>) {
        let mut pool = self.pool.borrow_mut();
        if pool.len() < 64 && frame.locals.capacity() <= 64 && frame.stack.capacity() <= 64 {
            // What it holds goes now; its code and module wait for the
            // next call to replace them.
            frame.locals.clear();
            frame.stack.clear();
            frame.cells.clear();
            frame.blocks.clear();
            frame.handling.clear();
            frame.class = None;
            frame.agen = None;
            pool.push(frame);
        }
    }

    /// The frame that runs a program's module code, and its namespace.
    pub fn module_frame(&self, program: &Program) -> (Box<Frame>, Rc<Namespace>) {
        let ns = Namespace::new(program.globals.clone());
        (self.frame(program.code.clone(), ns.clone(), &[]), ns)
    }

    /// Runs a program's module code to its end.
    pub fn run_module(&mut self, program: &Program) -> R<Value> {
        let (frame, _) = self.module_frame(program);
        let mut frames = vec![frame];
        match self.run(&mut frames, 0)? {
            Exit::Return(v) | Exit::Yield(v) => Ok(v),
        }
    }

    /// A fresh frame for `code` in module `globals`, closing over `free`.
    pub fn frame(
        &self,
        code: Rc<Code>,
        globals: Rc<Namespace>,
        free: &[Rc<RefCell<Option<Value>>>],
    ) -> Box<Frame> {
        // A returned frame, reused: a call allocates nothing then.
        let pooled = self.pool.borrow_mut().pop();
        let mut frame = pooled.unwrap_or_else(|| {
            Box::new(Frame {
                locals: Vec::new(),
                stack: Vec::new(),
                ip: 0,
                cells: Vec::new(),
                blocks: Vec::new(),
                handling: Vec::new(),
                class: None,
                agen: None,
                code: code.clone(),
                globals: globals.clone(),
            })
        });
        frame.locals.resize(code.locals.len(), None);
        if !code.cells.is_empty() {
            let fresh = code.cells.iter().map(|_| Rc::new(RefCell::new(None)));
            frame.cells.extend(fresh);
        }
        if !free.is_empty() {
            frame.cells.extend_from_slice(free);
        }
        frame.ip = 0;
        frame.code = code;
        frame.globals = globals;
        frame
    }

    // --- Errors -----------------------------------------------------------

    /// A new exception of the builtin class `name` with one message.
    pub fn error(&self, name: &str, msg: impl Into<String>) -> Value {
        let class = self.types.exception(name);
        new_exception(class, vec![Value::str(msg)])
    }

    /// `TypeError` with its message.
    pub fn type_error(&self, msg: impl Into<String>) -> Value {
        self.error("TypeError", msg)
    }

    /// Adds where `frame` is to an exception's traceback.
    fn add_traceback(&self, exc: &Value, frame: &Frame) {
        if let Value::Instance(i) = exc {
            if let Some(state) = &i.exc {
                let ip = frame.ip.saturating_sub(1);
                state
                    .borrow_mut()
                    .traceback
                    .push((frame.code.clone(), frame.code.span_at(ip)));
            }
        }
    }

    // --- The loop ---------------------------------------------------------

    /// Runs the frames from `base` up until the frame at `base` returns
    /// (or yields).
    pub fn run(&mut self, frames: &mut Frames, base: usize) -> R<Exit> {
        self.nested += 1;
        if self.nested > MAX_NESTED {
            self.nested -= 1;
            return Err(self.error("RecursionError", "maximum recursion depth exceeded"));
        }
        self.depth += frames.len() - base;
        let result = self.run_inner(frames, base);
        self.nested -= 1;
        result
    }

    fn run_inner(&mut self, frames: &mut Frames, base: usize) -> R<Exit> {
        loop {
            let (exc, mut add) = match self.step(frames, base) {
                Ok(None) => continue,
                Ok(Some(exit)) => return Ok(exit),
                Err(Raised::New(exc)) => (exc, true),
                Err(Raised::Again(exc)) => (exc, false),
            };
            // Unwind to the innermost block that catches, in this frame or
            // the ones below it; each frame it leaves is in its traceback.
            loop {
                let frame = frames.last_mut().expect("a frame is running");
                if add {
                    self.add_traceback(&exc, frame);
                }
                if let Some(at) = frame.blocks.iter().rposition(|b| !b.handling) {
                    // Leave the handlers running inside the catching block.
                    while frame.blocks.len() > at + 1 {
                        if frame.blocks.pop().is_some_and(|b| b.handling) {
                            frame.handling.pop();
                        }
                    }
                    let b = frame.blocks.pop().expect("the block was found");
                    frame.stack.truncate(b.depth as usize);
                    frame.blocks.push(Block {
                        handling: true,
                        ..b
                    });
                    set_context(&exc, frame.handling.last());
                    frame.handling.push(exc.clone());
                    frame.stack.push(exc);
                    frame.ip = b.handler as usize;
                    break;
                }
                if let Some(done) = frames.pop() {
                    if let Some(agen) = &done.agen {
                        agen.borrow_mut().state = GenState::Closed;
                    }
                    self.recycle(done);
                }
                self.depth -= 1;
                if frames.len() <= base {
                    return Err(exc);
                }
                add = true;
            }
        }
    }

    /// Runs instructions of the top frame until a frame is pushed or
    /// popped, or an exception is raised.
    fn step(&mut self, frames: &mut Frames, base: usize) -> Result<Option<Exit>, Raised> {
        if let Some(exc) = self.throw.take() {
            return Err(Raised::New(exc));
        }
        let has_caller = frames.len() > base + 1;
        let frame = frames.last_mut().expect("a frame is running");
        let code = frame.code.clone();
        // Slices, not vectors: indexing a slice needs no call.
        let (ops, consts): (&[Op], &[Const]) = (&code.ops, &code.consts);
        loop {
            let op = ops[frame.ip];
            frame.ip += 1;
            match op {
                Op::Const(i) => frame.stack.push(match &consts[i as usize] {
                    Const::None => Value::None,
                    Const::Bool(b) => Value::Bool(*b),
                    Const::Int(i) => Value::Int(*i),
                    Const::Float(x) => Value::Float(*x),
                    Const::Str(s) => Value::Str(s.clone()),
                    Const::Bytes(b) => Value::Bytes(b.clone()),
                    Const::Names(_) | Const::Code(_) => {
                        unreachable!("only pushed by calls and makers")
                    }
                }),
                Op::LoadFast(i) => match &frame.locals.as_slice()[i as usize] {
                    Some(v) => frame.stack.push(v.clone()),
                    None => {
                        let name = &code.locals[i as usize];
                        return Err(Raised::New(self.error(
                            "UnboundLocalError",
                            format!("cannot access local variable '{name}' where it is not associated with a value"),
                        )));
                    }
                },
                Op::StoreFast(i) => {
                    let v = pop(frame);
                    frame.locals.as_mut_slice()[i as usize] = Some(v);
                }
                Op::DeleteFast(i) => frame.locals[i as usize] = None,
                Op::LoadDeref(i) => {
                    let v = frame.cells[i as usize].borrow().clone();
                    match v {
                        Some(v) => frame.stack.push(v),
                        None => {
                            let name = cell_name(&code, i as usize);
                            return Err(Raised::New(self.error(
                                "NameError",
                                format!("cannot access free variable '{name}' where it is not associated with a value in enclosing scope"),
                            )));
                        }
                    }
                }
                Op::StoreDeref(i) => {
                    let v = pop(frame);
                    *frame.cells[i as usize].borrow_mut() = Some(v);
                }
                Op::LoadGlobal(slot) => {
                    let found = frame.globals.values.borrow()[slot as usize].clone();
                    let v = match found {
                        Some(v) => v,
                        None => {
                            let name = frame.globals.names.borrow()[slot as usize].clone();
                            self.builtin_or_name_error(&name).map_err(Raised::New)?
                        }
                    };
                    frame.stack.push(v);
                }
                Op::StoreGlobal(slot) => {
                    let v = pop(frame);
                    frame.globals.values.borrow_mut()[slot as usize] = Some(v);
                }
                Op::DeleteGlobal(slot) => frame.globals.values.borrow_mut()[slot as usize] = None,
                Op::LoadName(i) => {
                    let name = &code.names[i as usize];
                    let found = frame.class.as_ref().and_then(|(ns, _)| ns.get(name));
                    let v = match found.or_else(|| frame.globals.get(name)) {
                        Some(v) => v,
                        None => self.builtin_or_name_error(name).map_err(Raised::New)?,
                    };
                    frame.stack.push(v);
                }
                Op::StoreName(i) => {
                    let v = pop(frame);
                    let name = code.names[i as usize].clone();
                    if let Some((ns, _)) = &frame.class {
                        ns.set(name, v);
                    }
                }
                Op::LoadAttr(i) => {
                    let obj = pop(frame);
                    let v = self
                        .getattr(&obj, &code.names[i as usize])
                        .map_err(Raised::New)?;
                    frame.stack.push(v);
                }
                Op::StoreAttr(i) => {
                    let obj = pop(frame);
                    let v = pop(frame);
                    self.setattr(&obj, code.names[i as usize].clone(), v)
                        .map_err(Raised::New)?;
                }
                Op::DeleteAttr(i) => {
                    let obj = pop(frame);
                    let name = &code.names[i as usize];
                    let removed = match &obj {
                        Value::Instance(inst) => inst.dict.remove(name),
                        _ => false,
                    };
                    if !removed {
                        return Err(Raised::New(self.error("AttributeError", name.to_string())));
                    }
                }
                Op::Subscr => {
                    let index = pop(frame);
                    let obj = pop(frame);
                    let v = self.getitem(&obj, &index).map_err(Raised::New)?;
                    frame.stack.push(v);
                }
                Op::StoreSubscr => {
                    let index = pop(frame);
                    let obj = pop(frame);
                    let v = pop(frame);
                    self.setitem(&obj, index, v).map_err(Raised::New)?;
                }
                Op::DeleteSubscr => {
                    let index = pop(frame);
                    let obj = pop(frame);
                    self.delitem(&obj, &index).map_err(Raised::New)?;
                }
                Op::Binary(op) | Op::Inplace(op) => {
                    // Small ints: the hot path of arithmetic, in place on
                    // the stack, without a call.
                    if let [.., Value::Int(x), Value::Int(y)] = frame.stack.as_mut_slice() {
                        let r = match op {
                            BinOp::Add => x.checked_add(*y),
                            BinOp::Sub => x.checked_sub(*y),
                            BinOp::Mul => x.checked_mul(*y),
                            _ => None,
                        };
                        if let Some(r) = r {
                            *x = r;
                            frame.stack.pop();
                            continue;
                        }
                    }
                    let b = pop(frame);
                    let a = pop(frame);
                    let v = self.binary(op, &a, &b, matches!(ops[frame.ip - 1], Op::Inplace(_)));
                    frame.stack.push(v.map_err(Raised::New)?);
                }
                Op::Unary(op) => {
                    let a = pop(frame);
                    let v = self.unary(op, &a).map_err(Raised::New)?;
                    frame.stack.push(v);
                }
                Op::CompareJump(op, to) => {
                    if let [.., Value::Int(x), Value::Int(y)] = frame.stack.as_slice() {
                        if let Some(r) = compare_ints(op, *x, *y) {
                            let len = frame.stack.len();
                            frame.stack.truncate(len - 2);
                            frame.ip = if r { frame.ip + 1 } else { to as usize };
                            continue;
                        }
                    }
                    let b = pop(frame);
                    let a = pop(frame);
                    let v = self.compare(op, &a, &b).map_err(Raised::New)?;
                    frame.stack.push(v);
                }
                Op::Compare(op) => {
                    if let [.., a, Value::Int(y)] = frame.stack.as_mut_slice() {
                        let r = match *a {
                            Value::Int(x) => compare_ints(op, x, *y),
                            _ => None,
                        };
                        if let Some(r) = r {
                            *a = Value::Bool(r);
                            frame.stack.pop();
                            continue;
                        }
                    }
                    let b = pop(frame);
                    let a = pop(frame);
                    let v = self.compare(op, &a, &b).map_err(Raised::New)?;
                    frame.stack.push(v);
                }
                Op::Pop => {
                    let v = frame.stack.pop();
                    if matches!(v, Some(Value::Gen(_))) {
                        // Dropped now: a coroutine never awaited says so
                        // at this line, as CPython's does.
                        drop(v);
                        self.flush_warnings(Some(frame));
                    }
                }
                Op::Dup => {
                    let v = top(frame).clone();
                    frame.stack.push(v);
                }
                Op::DupTwo => {
                    let n = frame.stack.len();
                    let (a, b) = (frame.stack[n - 2].clone(), frame.stack[n - 1].clone());
                    frame.stack.push(a);
                    frame.stack.push(b);
                }
                Op::Rot2 => {
                    let n = frame.stack.len();
                    frame.stack.swap(n - 1, n - 2);
                }
                Op::Rot3 => {
                    let v = pop(frame);
                    let n = frame.stack.len();
                    frame.stack.insert(n - 2, v);
                }
                Op::Jump(to) => {
                    if (to as usize) < frame.ip {
                        // A loop's way back: where a loop that never awaits
                        // is caught.
                        self.tick().map_err(Raised::New)?;
                    }
                    frame.ip = to as usize;
                }
                Op::PopJumpIfFalse(to) => {
                    let v = pop(frame);
                    let truth = match v {
                        Value::Bool(b) => b,
                        v => self.truthy(&v).map_err(Raised::New)?,
                    };
                    if !truth {
                        frame.ip = to as usize;
                    }
                }
                Op::PopJumpIfTrue(to) => {
                    let v = pop(frame);
                    if self.truthy(&v).map_err(Raised::New)? {
                        frame.ip = to as usize;
                    }
                }
                Op::JumpIfFalseOrPop(to) => {
                    if !self.truthy(top(frame)).map_err(Raised::New)? {
                        frame.ip = to as usize;
                    } else {
                        frame.stack.pop();
                    }
                }
                Op::JumpIfTrueOrPop(to) => {
                    if self.truthy(top(frame)).map_err(Raised::New)? {
                        frame.ip = to as usize;
                    } else {
                        frame.stack.pop();
                    }
                }
                Op::BuildList(n) => {
                    let items = split(frame, n);
                    frame.stack.push(Value::list(items));
                }
                Op::BuildTuple(n) => {
                    let items = split(frame, n);
                    frame.stack.push(Value::tuple(items));
                }
                Op::BuildSet(n) => {
                    let items = split(frame, n);
                    let mut set = Dict::new();
                    for item in items {
                        set.insert(item, Value::None)
                            .map_err(|t| Raised::New(self.unhashable(t)))?;
                    }
                    frame.stack.push(Value::Set(Rc::new(RefCell::new(set))));
                }
                Op::BuildDict(n) => {
                    let items = split(frame, n * 2);
                    let mut dict = Dict::new();
                    let mut it = items.into_iter();
                    while let (Some(k), Some(v)) = (it.next(), it.next()) {
                        dict.insert(k, v)
                            .map_err(|t| Raised::New(self.unhashable(t)))?;
                    }
                    frame.stack.push(Value::Dict(Rc::new(RefCell::new(dict))));
                }
                Op::BuildSlice(n) => {
                    let step = if n == 3 { pop(frame) } else { Value::None };
                    let upper = pop(frame);
                    let lower = pop(frame);
                    frame
                        .stack
                        .push(Value::Slice(Rc::new([lower, upper, step])));
                }
                Op::ListAppend(d) => {
                    let v = pop(frame);
                    let at = frame.stack.len() - d as usize;
                    if let Value::List(l) = &frame.stack[at] {
                        l.borrow_mut().push(v);
                    }
                }
                Op::SetAdd(d) => {
                    let v = pop(frame);
                    let at = frame.stack.len() - d as usize;
                    if let Value::Set(s) = &frame.stack[at] {
                        s.borrow_mut()
                            .insert(v, Value::None)
                            .map_err(|t| Raised::New(self.unhashable(t)))?;
                    }
                }
                Op::DictSet(d) => {
                    let v = pop(frame);
                    let k = pop(frame);
                    let at = frame.stack.len() - d as usize;
                    if let Value::Dict(m) = &frame.stack[at] {
                        m.borrow_mut()
                            .insert(k, v)
                            .map_err(|t| Raised::New(self.unhashable(t)))?;
                    }
                }
                Op::ListExtend => {
                    let v = pop(frame);
                    let items = self.collect(&v).map_err(Raised::New)?;
                    if let Some(Value::List(l)) = frame.stack.last() {
                        l.borrow_mut().extend(items);
                    }
                }
                Op::SetUpdate => {
                    let v = pop(frame);
                    let items = self.collect(&v).map_err(Raised::New)?;
                    if let Some(Value::Set(s)) = frame.stack.last() {
                        for item in items {
                            s.borrow_mut()
                                .insert(item, Value::None)
                                .map_err(|t| Raised::New(self.unhashable(t)))?;
                        }
                    }
                }
                Op::DictUpdate => {
                    let v = pop(frame);
                    let Value::Dict(src) = &v else {
                        let t = self.type_name(&v);
                        return Err(Raised::New(
                            self.type_error(format!("'{t}' object is not a mapping")),
                        ));
                    };
                    let entries: Vec<(Value, Value)> = src
                        .borrow()
                        .items()
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect();
                    if let Some(Value::Dict(d)) = frame.stack.last() {
                        for (k, v) in entries {
                            d.borrow_mut()
                                .insert(k, v)
                                .map_err(|t| Raised::New(self.unhashable(t)))?;
                        }
                    }
                }
                Op::ListToTuple => {
                    if let Some(Value::List(l)) = frame.stack.pop() {
                        let items = std::mem::take(&mut *l.borrow_mut());
                        frame.stack.push(Value::tuple(items));
                    }
                }
                Op::BuildString(n) => {
                    let parts = split(frame, n);
                    let mut s = String::new();
                    for p in parts {
                        if let Value::Str(p) = p {
                            s.push_str(&p);
                        }
                    }
                    frame.stack.push(Value::str(s));
                }
                Op::Format(conv, has_spec) => {
                    let spec = if has_spec { Some(pop(frame)) } else { None };
                    let v = pop(frame);
                    let s = self
                        .format_field(&v, conv, spec.as_ref())
                        .map_err(Raised::New)?;
                    frame.stack.push(Value::str(s));
                }
                Op::Unpack(n) => {
                    let v = pop(frame);
                    let items = self.collect(&v).map_err(Raised::New)?;
                    if items.len() != n as usize {
                        let msg = if items.len() > n as usize {
                            format!("too many values to unpack (expected {n})")
                        } else {
                            format!(
                                "not enough values to unpack (expected {n}, got {})",
                                items.len()
                            )
                        };
                        return Err(Raised::New(self.error("ValueError", msg)));
                    }
                    frame.stack.extend(items.into_iter().rev());
                }
                Op::UnpackEx(before, after) => {
                    let v = pop(frame);
                    let mut items = self.collect(&v).map_err(Raised::New)?;
                    let (before, after) = (before as usize, after as usize);
                    if items.len() < before + after {
                        let msg = format!(
                            "not enough values to unpack (expected at least {}, got {})",
                            before + after,
                            items.len()
                        );
                        return Err(Raised::New(self.error("ValueError", msg)));
                    }
                    let tail = items.split_off(items.len() - after);
                    let middle = items.split_off(before);
                    for v in tail.into_iter().rev() {
                        frame.stack.push(v);
                    }
                    frame.stack.push(Value::list(middle));
                    for v in items.into_iter().rev() {
                        frame.stack.push(v);
                    }
                }
                Op::GetIter => {
                    let v = pop(frame);
                    let it = self.iter(&v).map_err(Raised::New)?;
                    frame.stack.push(it);
                }
                Op::ForIter(to) => {
                    let it = top(frame).clone();
                    match self.next(&it).map_err(Raised::New)? {
                        Some(v) => frame.stack.push(v),
                        None => {
                            frame.stack.pop();
                            frame.ip = to as usize;
                        }
                    }
                }
                Op::Call(n) => {
                    // The common call: a plain function given exactly its
                    // positional parameters, bound straight from the stack.
                    let at = frame.stack.len() - n as usize;
                    if let Value::Function(f) = &frame.stack[at - 1] {
                        let p = &f.code.params;
                        if f.code.kind == CodeKind::Function
                            && p.positional == n
                            && !p.star
                            && !p.double_star
                            && p.keyword_only == 0
                            && f.code.cells.is_empty()
                        {
                            let mut callee =
                                self.frame(f.code.clone(), f.globals.clone(), &f.closure);
                            let locals = callee.locals.as_mut_slice();
                            for slot in locals[..n as usize].iter_mut().rev() {
                                *slot = Some(pop(frame));
                            }
                            frame.stack.pop();
                            return self.push_frame(frames, callee).map(|_| None);
                        }
                    }
                    let args = split(frame, n);
                    let func = pop(frame);
                    return self.call_op(frames, func, args, Vec::new());
                }
                Op::CallKw(n, names) => {
                    let mut args = split(frame, n as u32);
                    let func = pop(frame);
                    let Const::Names(names) = &code.consts[names as usize] else {
                        unreachable!("CallKw's names are a constant")
                    };
                    let kw_values = args.split_off(args.len() - names.len());
                    let kwargs = names.iter().cloned().zip(kw_values).collect();
                    return self.call_op(frames, func, args, kwargs);
                }
                Op::CallEx(has_kw) => {
                    let kwargs = if has_kw {
                        match pop(frame) {
                            Value::Dict(d) => {
                                let mut out = Vec::new();
                                for (k, v) in d.borrow().items() {
                                    match k {
                                        Value::Str(s) => {
                                            out.push((Name::from(s.as_str()), v.clone()))
                                        }
                                        _ => {
                                            return Err(Raised::New(
                                                self.type_error("keywords must be strings"),
                                            ))
                                        }
                                    }
                                }
                                out
                            }
                            _ => Vec::new(),
                        }
                    } else {
                        Vec::new()
                    };
                    let args = match pop(frame) {
                        Value::Tuple(t) => t.to_vec(),
                        _ => Vec::new(),
                    };
                    let func = pop(frame);
                    return self.call_op(frames, func, args, kwargs);
                }
                Op::MakeFunction(i) => {
                    let Const::Code(c) = &code.consts[i as usize] else {
                        unreachable!("MakeFunction makes a code constant")
                    };
                    let kw: Vec<Option<Value>> = {
                        let n = c.kw_defaults.iter().filter(|d| **d).count();
                        let mut vals = split(frame, n as u32).into_iter();
                        c.kw_defaults
                            .iter()
                            .map(|&has| if has { vals.next() } else { None })
                            .collect()
                    };
                    let defaults = split(frame, c.defaults);
                    let closure = c
                        .free
                        .iter()
                        .map(|(_, at)| frame.cells[*at as usize].clone())
                        .collect();
                    frame.stack.push(Value::Function(Rc::new(Function {
                        code: c.clone(),
                        defaults,
                        kw_defaults: kw,
                        closure,
                        globals: frame.globals.clone(),
                    })));
                }
                Op::BuildClass(i, n) => {
                    let Const::Code(c) = &code.consts[i as usize] else {
                        unreachable!("BuildClass runs a code constant")
                    };
                    let bases = split(frame, n);
                    let mut classes = Vec::new();
                    for b in bases {
                        match b {
                            Value::Class(c) => classes.push(c),
                            other => {
                                let t = self.type_name(&other);
                                return Err(Raised::New(self.type_error(format!(
                                    "the tour's Python can only derive from classes, not '{t}'"
                                ))));
                            }
                        }
                    }
                    let closure: Vec<_> = c
                        .free
                        .iter()
                        .map(|(_, at)| frame.cells[*at as usize].clone())
                        .collect();
                    let mut body = self.frame(c.clone(), frame.globals.clone(), &closure);
                    body.class = Some((Rc::new(Attrs::default()), classes));
                    return self.push_frame(frames, body).map(|_| None);
                }
                Op::Return => {
                    let v = pop(frame);
                    return Ok(self.return_from(frames, base, v));
                }
                Op::Yield => {
                    let v = pop(frame);
                    if let Some(agen) = frame.agen.take() {
                        // An async generator's value: the result of the
                        // `anext` its caller awaits, below on this stack.
                        if has_caller {
                            let done = frames.pop().expect("the generator's frame");
                            self.depth -= 1;
                            let mut g = agen.borrow_mut();
                            g.frame = Some(done);
                            g.state = GenState::Suspended;
                            frames.last_mut().expect("its caller").stack.push(v);
                            return Ok(None);
                        }
                        frame.agen = Some(agen);
                    }
                    return Ok(Some(Exit::Yield(v)));
                }
                Op::GetYieldFromIter => {
                    let v = pop(frame);
                    let it = match v {
                        Value::Future(_) | Value::Gen(_) => v,
                        v => self.iter(&v).map_err(Raised::New)?,
                    };
                    frame.stack.push(it);
                    frame.stack.push(Value::None);
                }
                Op::GetAwaitable => {
                    let v = pop(frame);
                    let aw = self.awaitable(v).map_err(Raised::New)?;
                    let frame = frames.last_mut().expect("a frame is running");
                    frame.stack.push(aw);
                    frame.stack.push(Value::None);
                    return Ok(None);
                }
                Op::Await => return self.await_op(frames, code.kind),
                Op::GetAIter => {
                    let v = pop(frame);
                    let it = match &v {
                        Value::Gen(g) if g.borrow().kind == GenKind::AsyncGenerator => v,
                        Value::Instance(i) if i.class.lookup("__aiter__").is_some() => {
                            let f = self.getattr(&v, "__aiter__").map_err(Raised::New)?;
                            self.call(f, Vec::new(), Vec::new()).map_err(Raised::New)?
                        }
                        other => {
                            let t = self.type_name(other);
                            return Err(Raised::New(self.type_error(format!(
                                "'async for' requires an object with __aiter__ method, got {t}"
                            ))));
                        }
                    };
                    frames
                        .last_mut()
                        .expect("a frame is running")
                        .stack
                        .push(it);
                    return Ok(None);
                }
                Op::GetANext => {
                    let it = top(frame).clone();
                    let aw = match &it {
                        Value::Gen(g) if g.borrow().kind == GenKind::AsyncGenerator => {
                            Value::Future(FutureObj::new(FutureKind::Anext(g.clone()), "anext"))
                        }
                        _ => {
                            let f = self.getattr(&it, "__anext__").map_err(Raised::New)?;
                            let r = self.call(f, Vec::new(), Vec::new()).map_err(Raised::New)?;
                            self.awaitable(r).map_err(Raised::New)?
                        }
                    };
                    let frame = frames.last_mut().expect("a frame is running");
                    frame.stack.push(aw);
                    frame.stack.push(Value::None);
                    return Ok(None);
                }
                Op::EndAsyncFor => {
                    let exc = pop(frame);
                    frame.blocks.pop();
                    frame.handling.pop();
                    let stop = self.types.exception("StopAsyncIteration");
                    if self.class_of(&exc).is_subclass(&stop) {
                        frames.last_mut().expect("a frame is running").stack.pop();
                        return Ok(None);
                    }
                    return Err(Raised::Again(exc));
                }
                Op::SetupExcept(h) | Op::SetupFinally(h) => frame.blocks.push(Block {
                    handler: h,
                    depth: frame.stack.len() as u32,
                    handling: false,
                }),
                Op::PopBlock => {
                    frame.blocks.pop();
                }
                Op::PopExcept => {
                    frame.blocks.pop();
                    frame.handling.pop();
                }
                Op::Raise(n) => {
                    let exc = match n {
                        0 => match frame.handling.last() {
                            Some(e) => return Err(Raised::Again(e.clone())),
                            None => self.error("RuntimeError", "No active exception to reraise"),
                        },
                        1 => {
                            let e = pop(frame);
                            self.make_exception(e).map_err(Raised::New)?
                        }
                        _ => {
                            let cause = pop(frame);
                            let e = pop(frame);
                            let e = self.make_exception(e).map_err(Raised::New)?;
                            let cause = match cause {
                                Value::None => None,
                                c => Some(self.make_exception(c).map_err(Raised::New)?),
                            };
                            if let Value::Instance(i) = &e {
                                if let Some(state) = &i.exc {
                                    let mut state = state.borrow_mut();
                                    state.suppress_context = true;
                                    state.cause = cause;
                                }
                            }
                            e
                        }
                    };
                    return Err(Raised::New(exc));
                }
                Op::Reraise => {
                    let exc = pop(frame);
                    frame.blocks.pop();
                    frame.handling.pop();
                    return Err(Raised::Again(exc));
                }
                Op::MatchExc => {
                    let class = pop(frame);
                    let exc = pop(frame);
                    let matched = self.exception_matches(&exc, &class).map_err(Raised::New)?;
                    frame.stack.push(Value::Bool(matched));
                }
                Op::SetupWith(h) => {
                    let mgr = pop(frame);
                    let exit = self.getattr(&mgr, "__exit__").map_err(Raised::New)?;
                    let enter = self.getattr(&mgr, "__enter__").map_err(Raised::New)?;
                    frame.stack.push(exit);
                    let depth = frame.stack.len() as u32;
                    let entered = self
                        .call(enter, Vec::new(), Vec::new())
                        .map_err(Raised::New)?;
                    let frame = frames.last_mut().expect("a frame is running");
                    frame.blocks.push(Block {
                        handler: h,
                        depth,
                        handling: false,
                    });
                    frame.stack.push(entered);
                    return Ok(None);
                }
                Op::BeforeAsyncWith => {
                    let mgr = pop(frame);
                    let exit = self.getattr(&mgr, "__aexit__").map_err(Raised::New)?;
                    let enter = self.getattr(&mgr, "__aenter__").map_err(Raised::New)?;
                    let entered = self
                        .call(enter, Vec::new(), Vec::new())
                        .map_err(Raised::New)?;
                    let aw = self.awaitable(entered).map_err(Raised::New)?;
                    let frame = frames.last_mut().expect("a frame is running");
                    frame.stack.push(exit);
                    frame.stack.push(aw);
                    frame.stack.push(Value::None);
                    return Ok(None);
                }
                Op::WithExitNormal => {
                    let exit = pop(frame);
                    let v = self
                        .call(
                            exit,
                            vec![Value::None, Value::None, Value::None],
                            Vec::new(),
                        )
                        .map_err(Raised::New)?;
                    frames.last_mut().expect("a frame is running").stack.push(v);
                    return Ok(None);
                }
                Op::WithExitExc => {
                    let exc = top(frame).clone();
                    let exit = frame.stack[frame.stack.len() - 2].clone();
                    let class = self.class_of(&exc);
                    let v = self
                        .call(
                            exit,
                            vec![Value::Class(class), exc, Value::None],
                            Vec::new(),
                        )
                        .map_err(Raised::New)?;
                    frames.last_mut().expect("a frame is running").stack.push(v);
                    return Ok(None);
                }
                Op::WithResolve(to) => {
                    let result = pop(frame);
                    let exc = pop(frame);
                    frame.stack.pop();
                    frame.blocks.pop();
                    frame.handling.pop();
                    if self.truthy(&result).map_err(Raised::New)? {
                        frames.last_mut().expect("a frame is running").ip = to as usize;
                        return Ok(None);
                    }
                    return Err(Raised::Again(exc));
                }
                Op::Import(i) => {
                    let m = self.import(&code.names[i as usize]).map_err(Raised::New)?;
                    frames.last_mut().expect("a frame is running").stack.push(m);
                    return Ok(None);
                }
                Op::ImportFrom(i) => {
                    let m = top(frame).clone();
                    let name = &code.names[i as usize];
                    let v = self.getattr(&m, name).map_err(|_| {
                        let module = match &m {
                            Value::Module(m) => m.name.to_string(),
                            _ => String::new(),
                        };
                        Raised::New(self.error(
                            "ImportError",
                            format!("cannot import name '{name}' from '{module}'"),
                        ))
                    })?;
                    frame.stack.push(v);
                }
                Op::Super => {
                    let obj = pop(frame);
                    let class = pop(frame);
                    let v = self.make_super(class, obj).map_err(Raised::New)?;
                    frame.stack.push(v);
                }
                Op::AssertFail(has_msg) => {
                    let args = if has_msg {
                        vec![pop(frame)]
                    } else {
                        Vec::new()
                    };
                    let class = self.types.exception("AssertionError");
                    return Err(Raised::New(new_exception(class, args)));
                }
                Op::Nop => {}
            }
        }
    }

    /// A call from an instruction: a Python function's frame is pushed,
    /// anything else is called here.
    fn call_op(
        &mut self,
        frames: &mut Frames,
        func: Value,
        args: Vec<Value>,
        kwargs: Vec<(Name, Value)>,
    ) -> Result<Option<Exit>, Raised> {
        let (func, args) = match func {
            Value::Method(m) if matches!(m.1, Value::Function(_)) => {
                let mut all = Vec::with_capacity(args.len() + 1);
                all.push(m.0.clone());
                all.extend(args);
                (m.1.clone(), all)
            }
            f => (f, args),
        };
        if let Value::Function(f) = &func {
            if f.code.kind == CodeKind::Function {
                let frame = self.bind(f, args, kwargs).map_err(Raised::New)?;
                return self.push_frame(frames, frame).map(|_| None);
            }
        }
        let v = self.call(func, args, kwargs).map_err(Raised::New)?;
        if let Some(fut) = self.block_on.take() {
            // `asyncio.run`: the frames wait for it, and get its result.
            return Ok(Some(Exit::Yield(Value::Future(fut))));
        }
        frames.last_mut().expect("a frame is running").stack.push(v);
        Ok(None)
    }

    /// What `await v` waits on: a coroutine, a future, or the iterator
    /// an object's `__await__` gives.
    pub fn awaitable(&mut self, v: Value) -> R<Value> {
        match &v {
            Value::Future(_) => Ok(v),
            Value::Gen(g) if g.borrow().kind == GenKind::Coroutine => Ok(v),
            Value::Instance(i) if i.class.lookup("__await__").is_some() => {
                let f = self.getattr(&v, "__await__")?;
                let it = self.call(f, Vec::new(), Vec::new())?;
                match &it {
                    Value::Gen(g) if g.borrow().kind == GenKind::Generator => Ok(it),
                    other => {
                        let t = self.type_name(other);
                        Err(self
                            .type_error(format!("__await__() returned non-iterator of type '{t}'")))
                    }
                }
            }
            other => {
                let t = self.type_name(other);
                Err(self.type_error(format!("object {t} can't be used in 'await' expression")))
            }
        }
    }

    /// `await`: the awaitable second on the stack, the value sent on top.
    /// A coroutine's frame goes on this stack; a future not done yet is
    /// yielded to the task's driver, and this instruction runs again when
    /// the task resumes.
    fn await_op(&mut self, frames: &mut Frames, kind: CodeKind) -> Result<Option<Exit>, Raised> {
        let frame = frames.last_mut().expect("a frame is running");
        let sent = pop(frame);
        let aw = top(frame).clone();
        match &aw {
            Value::Future(f) => {
                if let FutureKind::Anext(agen) = &f.kind {
                    frame.stack.pop();
                    let step = {
                        let mut g = agen.borrow_mut();
                        if g.state == GenState::Running {
                            drop(g);
                            return Err(Raised::New(self.error(
                                "RuntimeError",
                                "anext(): asynchronous generator is already running",
                            )));
                        }
                        g.started.set(true);
                        g.state = GenState::Running;
                        g.frame.take()
                    };
                    let Some(mut step) = step else {
                        agen.borrow_mut().state = GenState::Closed;
                        return Err(Raised::New(self.error_no_args("StopAsyncIteration")));
                    };
                    if step.ip > 0 {
                        step.stack.push(Value::None);
                    }
                    step.agen = Some(agen.clone());
                    return self.push_frame(frames, step).map(|_| None);
                }
                if f.done() {
                    frame.stack.pop();
                    let v = self.future_result(f).map_err(Raised::New)?;
                    frames.last_mut().expect("a frame is running").stack.push(v);
                    return Ok(None);
                }
                frame.ip -= 1;
                Ok(Some(Exit::Yield(aw)))
            }
            Value::Gen(g)
                if kind == CodeKind::Generator && g.borrow().kind == GenKind::Generator =>
            {
                // `yield from` a generator, in a generator run by `next`.
                let step = self.resume(g, sent).map_err(Raised::New)?;
                let frame = frames.last_mut().expect("a frame is running");
                match step {
                    Ok(v) => {
                        frame.ip -= 1;
                        Ok(Some(Exit::Yield(v)))
                    }
                    Err(ret) => {
                        frame.stack.pop();
                        frame.stack.push(ret);
                        Ok(None)
                    }
                }
            }
            Value::Gen(g) => {
                // A coroutine (or `__await__`'s generator): its frame runs
                // on this stack, and returns its value to this one.
                frame.stack.pop();
                let step = {
                    let mut g = g.borrow_mut();
                    if g.state != GenState::Created {
                        drop(g);
                        return Err(Raised::New(
                            self.error("RuntimeError", "cannot reuse already awaited coroutine"),
                        ));
                    }
                    g.started.set(true);
                    g.state = GenState::Closed;
                    g.frame.take()
                };
                match step {
                    Some(step) => self.push_frame(frames, step).map(|_| None),
                    None => Err(Raised::New(
                        self.error("RuntimeError", "cannot reuse already awaited coroutine"),
                    )),
                }
            }
            it => {
                // `yield from` a plain iterator.
                let it = it.clone();
                let _ = sent;
                match self.next(&it).map_err(Raised::New)? {
                    Some(v) => {
                        let frame = frames.last_mut().expect("a frame is running");
                        frame.ip -= 1;
                        Ok(Some(Exit::Yield(v)))
                    }
                    None => {
                        let frame = frames.last_mut().expect("a frame is running");
                        frame.stack.pop();
                        frame.stack.push(Value::None);
                        Ok(None)
                    }
                }
            }
        }
    }

    /// What CPython does as it exits: the module's names are cleared, so
    /// what only they held goes, and a coroutine never awaited says so
    /// (as `sys:1`).
    pub fn clear_module(&mut self, globals: &Namespace) {
        let held: Vec<Option<Value>> = globals
            .values
            .borrow_mut()
            .iter_mut()
            .map(Option::take)
            .collect();
        drop(held);
        self.flush_warnings(None);
    }

    /// Writes "coroutine ... was never awaited" for the coroutines just
    /// dropped, at the line `frame` is on (or at the end, as `sys:1`).
    pub fn flush_warnings(&mut self, frame: Option<&Frame>) {
        let lost = NEVER_RETRIEVED.with(|n| std::mem::take(&mut *n.borrow_mut()));
        for Unretrieved { kind, what, exc } in lost {
            let repr = self.repr(&exc).unwrap_or_else(|_| "...".into());
            let mut text =
                format!("{kind} exception was never retrieved\nfuture: {what} exception={repr}>\n");
            text.push_str(&self.format_traceback(&exc));
            (self.err)(&text);
        }
        let names = NEVER_AWAITED.with(|n| std::mem::take(&mut *n.borrow_mut()));
        for name in names {
            let text = match frame {
                Some(f) => {
                    let span = f.code.span_at(f.ip.saturating_sub(1));
                    let line = super::syntax::line_col(&f.code.file.text, span.start).line;
                    let source = super::syntax::line_text(&f.code.file.text, line)
                        .trim()
                        .to_string();
                    format!(
                        "{}:{line}: RuntimeWarning: coroutine '{name}' was never awaited\n  {source}\nRuntimeWarning: Enable tracemalloc to get the object allocation traceback\n",
                        f.code.file.name
                    )
                }
                None => format!("sys:1: RuntimeWarning: coroutine '{name}' was never awaited\n"),
            };
            (self.err)(&text);
        }
    }

    /// Counts a loop's turn or a call; now and then, checks the memory
    /// the page holds (a MemoryError past its cap) and the time this poll
    /// has taken: a program that holds the page's thread past
    /// [`POLL_LIMIT_MS`] without awaiting is stopped, as Ctrl-C would.
    fn tick(&mut self) -> R<()> {
        self.ticks = self.ticks.wrapping_add(1);
        if self.ticks % 1024 != 0 {
            return Ok(());
        }
        self.hold(0)?;
        if self.poll_deadline.is_finite() && clock_ms() > self.poll_deadline {
            let secs = crate::rt::Fixed(poll_limit_ms() / 1000.0);
            return Err(self.error(
                "KeyboardInterrupt",
                format!(
                    "the tour stopped this program: it ran {secs:.1} s without awaiting anything. \
                     On a real event loop nothing else could have run meanwhile: no other task, \
                     no timer, not even the page. An `await asyncio.sleep(0)` in the loop lets them run."
                ),
            ));
        }
        Ok(())
    }

    /// The MemoryError of a program that would hold more than
    /// [`rt::memory::CAP`](crate::rt::memory::CAP).
    pub fn memory_error(&self) -> Value {
        self.error(
            "MemoryError",
            format!(
                "the tour stops a program at {} MB, so that the page keeps working",
                crate::rt::memory::CAP >> 20
            ),
        )
    }

    /// Runs `work` as one poll of the loop: the Python it runs may hold
    /// the thread for [`poll_limit_ms`], and no longer.
    pub fn in_poll<T>(&mut self, work: impl FnOnce(&mut Vm) -> T) -> T {
        self.poll_deadline = clock_ms() + poll_limit_ms();
        let result = work(self);
        self.poll_deadline = f64::INFINITY;
        result
    }

    /// A MemoryError, unless the page can hold `bytes` more without
    /// passing [`rt::memory::CAP`](crate::rt::memory::CAP).
    pub fn hold(&self, bytes: usize) -> R<()> {
        if crate::rt::memory::over_cap(bytes) {
            return Err(self.memory_error());
        }
        Ok(())
    }

    fn push_frame(&mut self, frames: &mut Frames, frame: Box<Frame>) -> Result<(), Raised> {
        self.tick().map_err(Raised::New)?;
        if self.depth >= MAX_DEPTH {
            return Err(Raised::New(
                self.error("RecursionError", "maximum recursion depth exceeded"),
            ));
        }
        self.depth += 1;
        frames.push(frame);
        Ok(())
    }

    /// Pops the top frame with its value: to the frame below, or out of
    /// the run if it was the run's first.
    fn return_from(&mut self, frames: &mut Frames, base: usize, v: Value) -> Option<Exit> {
        let mut done = frames.pop().expect("a frame returns");
        self.depth -= 1;
        if let Some(agen) = done.agen.take() {
            // An async generator ran off its end: its `anext` raises
            // StopAsyncIteration in the frame that awaits it.
            agen.borrow_mut().state = GenState::Closed;
            if frames.len() > base {
                self.throw = Some(self.error_no_args("StopAsyncIteration"));
                return None;
            }
        }
        let v = match done.class.take() {
            Some((ns, bases)) => self.make_class(&done, ns, bases),
            None => v,
        };
        self.recycle(done);
        if frames.len() <= base {
            return Some(Exit::Return(v));
        }
        frames.last_mut().expect("a caller frame").stack.push(v);
        None
    }

    /// The class a class body made: its namespace, its bases, and the
    /// `__class__` cell its methods' `super()` reads.
    fn make_class(&mut self, body: &Frame, ns: Rc<Attrs>, bases: Vec<Rc<Class>>) -> Value {
        let bases = if bases.is_empty() {
            vec![self.types.object.clone()]
        } else {
            bases
        };
        let mut mro: Vec<Rc<Class>> = Vec::new();
        for b in &bases {
            for c in std::iter::once(b).chain(b.mro.iter()) {
                if !mro.iter().any(|m| Rc::ptr_eq(m, c)) {
                    mro.push(c.clone());
                }
            }
        }
        // `object` last.
        if let Some(i) = mro.iter().position(|c| Rc::ptr_eq(c, &self.types.object)) {
            let object = mro.remove(i);
            mro.push(object);
        }
        let kind = if mro.iter().any(|c| c.kind == ClassKind::Exception) {
            ClassKind::Exception
        } else {
            ClassKind::Plain
        };
        let class = Rc::new(Class {
            name: body.code.name.clone(),
            bases,
            mro,
            dict: Attrs::new(ns.items()),
            kind,
        });
        if let Some(i) = body.code.cells.iter().position(|c| &**c == "__class__") {
            *body.cells[i].borrow_mut() = Some(Value::Class(class.clone()));
        }
        Value::Class(class)
    }

    fn builtin_or_name_error(&self, name: &str) -> R<Value> {
        match super::builtins::builtin(self, name) {
            Some(v) => Ok(v),
            None => Err(self.error("NameError", format!("name '{name}' is not defined"))),
        }
    }

    // --- Calls ------------------------------------------------------------

    /// Calls any callable and runs it to its end (a nested loop for a
    /// Python function).
    pub fn call(&mut self, func: Value, args: Vec<Value>, kwargs: Vec<(Name, Value)>) -> R<Value> {
        match func {
            Value::Function(f) => {
                let frame = self.bind(&f, args, kwargs)?;
                match f.code.kind {
                    CodeKind::Function => {
                        if self.depth >= MAX_DEPTH {
                            return Err(
                                self.error("RecursionError", "maximum recursion depth exceeded")
                            );
                        }
                        let mut frames = vec![frame];
                        match self.run(&mut frames, 0)? {
                            Exit::Return(v) | Exit::Yield(v) => Ok(v),
                        }
                    }
                    kind => Ok(Value::Gen(Rc::new(RefCell::new(Gen {
                        kind: match kind {
                            CodeKind::Coroutine => GenKind::Coroutine,
                            CodeKind::AsyncGenerator => GenKind::AsyncGenerator,
                            _ => GenKind::Generator,
                        },
                        frame: Some(frame),
                        state: GenState::Created,
                        name: f.code.name.clone(),
                        started: std::cell::Cell::new(false),
                    })))),
                }
            }
            Value::Builtin(b) => (b.call)(self, args, kwargs),
            Value::Method(m) => {
                let mut all = Vec::with_capacity(args.len() + 1);
                all.push(m.0.clone());
                all.extend(args);
                self.call(m.1.clone(), all, kwargs)
            }
            Value::Class(c) => self.instantiate(&c, args, kwargs),
            Value::Instance(ref i) => match i.class.lookup("__call__") {
                Some(call) => {
                    let mut all = vec![func.clone()];
                    all.extend(args);
                    self.call(call, all, kwargs)
                }
                None => Err(self.type_error(format!("'{}' object is not callable", i.class.name))),
            },
            other => {
                let t = self.type_name(&other);
                Err(self.type_error(format!("'{t}' object is not callable")))
            }
        }
    }

    /// Makes an instance: builtin classes convert (`int("4")`), the
    /// reader's call `__init__`.
    fn instantiate(
        &mut self,
        class: &Rc<Class>,
        args: Vec<Value>,
        kwargs: Vec<(Name, Value)>,
    ) -> R<Value> {
        if class.kind != ClassKind::Plain && class.kind != ClassKind::Exception {
            return super::builtins::convert(self, class, args, kwargs);
        }
        let is_exc = class.kind == ClassKind::Exception;
        let inst = Value::Instance(Rc::new(Instance {
            class: class.clone(),
            dict: Attrs::default(),
            exc: if is_exc {
                Some(RefCell::new(ExcState {
                    args: args.clone(),
                    ..ExcState::default()
                }))
            } else {
                None
            },
        }));
        match class.lookup("__init__") {
            Some(init @ Value::Function(_)) => {
                let mut all = vec![inst.clone()];
                all.extend(args);
                let r = self.call(init, all, kwargs)?;
                if !matches!(r, Value::None) {
                    let t = self.type_name(&r);
                    return Err(
                        self.type_error(format!("__init__() should return None, not '{t}'"))
                    );
                }
            }
            Some(init) => {
                let mut all = vec![inst.clone()];
                all.extend(args);
                self.call(init, all, kwargs)?;
            }
            None if !is_exc && (!args.is_empty() || !kwargs.is_empty()) => {
                return Err(self.type_error(format!("{}() takes no arguments", class.name)));
            }
            None => {}
        }
        Ok(inst)
    }

    /// A frame for a call of `f`, its arguments bound to its parameters
    /// with CPython's checks and messages.
    pub fn bind(
        &mut self,
        f: &Rc<Function>,
        mut args: Vec<Value>,
        kwargs: Vec<(Name, Value)>,
    ) -> R<Box<Frame>> {
        let code = &f.code;
        let p = &code.params;
        let mut frame = self.frame(code.clone(), f.globals.clone(), &f.closure);
        let npos = p.positional as usize;
        let name = &code.name;
        let extra = if args.len() > npos {
            if !p.star {
                let given = args.len();
                let takes = if f.defaults.is_empty() {
                    format!(
                        "{npos} positional argument{}",
                        if npos == 1 { "" } else { "s" }
                    )
                } else {
                    let min = npos - f.defaults.len();
                    format!("from {min} to {npos} positional arguments")
                };
                let were = if given == 1 { "was" } else { "were" };
                return Err(
                    self.type_error(format!("{name}() takes {takes} but {given} {were} given"))
                );
            }
            args.split_off(npos)
        } else {
            Vec::new()
        };
        for (i, a) in args.into_iter().enumerate() {
            frame.locals[i] = Some(a);
        }
        let nkw = p.keyword_only as usize;
        let mut dstar = Dict::new();
        for (k, v) in kwargs {
            let at = code.locals[..npos + nkw]
                .iter()
                .position(|l| *l == k)
                .filter(|&i| i >= p.positional_only as usize);
            match at {
                Some(i) => {
                    if frame.locals[i].is_some() {
                        return Err(self.type_error(format!(
                            "{name}() got multiple values for argument '{k}'"
                        )));
                    }
                    frame.locals[i] = Some(v);
                }
                None if p.double_star => {
                    let _ = dstar.insert(Value::str(&*k), v);
                }
                None => {
                    return Err(self
                        .type_error(format!("{name}() got an unexpected keyword argument '{k}'")));
                }
            }
        }
        // Defaults, then what is still missing.
        let first_default = npos - f.defaults.len();
        for (i, d) in f.defaults.iter().enumerate() {
            let slot = &mut frame.locals[first_default + i];
            if slot.is_none() {
                *slot = Some(d.clone());
            }
        }
        let missing: Vec<&Name> = (0..npos)
            .filter(|&i| frame.locals[i].is_none())
            .map(|i| &code.locals[i])
            .collect();
        if !missing.is_empty() {
            return Err(self.type_error(format!(
                "{name}() missing {} required positional argument{}: {}",
                missing.len(),
                if missing.len() == 1 { "" } else { "s" },
                and_list(&missing)
            )));
        }
        for (i, d) in f.kw_defaults.iter().enumerate() {
            let slot = &mut frame.locals[npos + i];
            if slot.is_none() {
                *slot = d.clone();
            }
        }
        let missing: Vec<&Name> = (npos..npos + nkw)
            .filter(|&i| frame.locals[i].is_none())
            .map(|i| &code.locals[i])
            .collect();
        if !missing.is_empty() {
            return Err(self.type_error(format!(
                "{name}() missing {} required keyword-only argument{}: {}",
                missing.len(),
                if missing.len() == 1 { "" } else { "s" },
                and_list(&missing)
            )));
        }
        let mut next = npos + nkw;
        if p.star {
            frame.locals[next] = Some(Value::tuple(extra));
            next += 1;
        }
        if p.double_star {
            frame.locals[next] = Some(Value::Dict(Rc::new(RefCell::new(dstar))));
        }
        for (cell, local) in code.cell_of.iter().enumerate() {
            if let Some(l) = local {
                *frame.cells[cell].borrow_mut() = frame.locals[*l as usize].clone();
            }
        }
        Ok(frame)
    }

    /// Resumes a generator with `sent`: the value it yields next, or
    /// `None` when it returns (with its return value).
    pub fn resume(&mut self, gen: &Rc<RefCell<Gen>>, sent: Value) -> R<Result<Value, Value>> {
        let frame = {
            let mut g = gen.borrow_mut();
            g.started.set(true);
            match g.state {
                GenState::Running => {
                    return Err(self.error("ValueError", "generator already executing"))
                }
                GenState::Closed => return Ok(Err(Value::None)),
                GenState::Created if !matches!(sent, Value::None) => {
                    return Err(
                        self.type_error("can't send non-None value to a just-started generator")
                    )
                }
                _ => {}
            }
            g.state = GenState::Running;
            g.frame.take()
        };
        let Some(mut frame) = frame else {
            return Ok(Err(Value::None));
        };
        if frame.ip > 0 {
            frame.stack.push(sent);
        }
        let mut frames = vec![frame];
        let result = self.run(&mut frames, 0);
        let mut g = gen.borrow_mut();
        match result {
            Ok(Exit::Yield(v)) => {
                g.frame = frames.pop();
                self.depth -= 1;
                g.state = GenState::Suspended;
                Ok(Ok(v))
            }
            Ok(Exit::Return(v)) => {
                g.state = GenState::Closed;
                Ok(Err(v))
            }
            Err(e) => {
                g.state = GenState::Closed;
                Err(e)
            }
        }
    }

    /// `import name`: the modules the tour has.
    pub fn import(&mut self, name: &str) -> R<Value> {
        if let Some((_, m)) = self.modules.iter().find(|(n, _)| &**n == name) {
            return Ok(m.clone());
        }
        let module = match super::modules::make(self, name)? {
            Some(m) => m,
            None => {
                return Err(self.error("ModuleNotFoundError", format!("No module named '{name}'")))
            }
        };
        self.modules.push((name.into(), module.clone()));
        Ok(module)
    }

    // --- Exceptions -------------------------------------------------------

    /// What `raise x` raises: an instance as it is, a class instantiated.
    fn make_exception(&mut self, v: Value) -> R<Value> {
        match &v {
            Value::Instance(i) if i.exc.is_some() => Ok(v),
            Value::Class(c) if c.kind == ClassKind::Exception => {
                self.instantiate(c, Vec::new(), Vec::new())
            }
            _ => Err(self.type_error("exceptions must derive from BaseException")),
        }
    }

    fn exception_matches(&mut self, exc: &Value, class: &Value) -> R<bool> {
        let exc_class = self.class_of(exc);
        match class {
            Value::Class(c) if c.kind == ClassKind::Exception => Ok(exc_class.is_subclass(c)),
            Value::Tuple(items) => {
                for item in items.iter() {
                    if self.exception_matches(exc, item)? {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
            _ => Err(self.type_error(
                "catching classes that do not inherit from BaseException is not allowed",
            )),
        }
    }

    /// `super()`: the next class after `class` in `obj`'s MRO, bound to
    /// `obj`.
    fn make_super(&mut self, class: Value, obj: Value) -> R<Value> {
        let Value::Class(class) = class else {
            return Err(self.error("RuntimeError", "super(): __class__ cell not found"));
        };
        let obj_class = self.class_of(&obj);
        let chain: Vec<Rc<Class>> = std::iter::once(obj_class.clone())
            .chain(obj_class.mro.iter().cloned())
            .collect();
        let after: Vec<Rc<Class>> = chain
            .iter()
            .skip_while(|c| !Rc::ptr_eq(c, &class))
            .skip(1)
            .cloned()
            .collect();
        Ok(super::builtins::super_object(self, obj, after))
    }

    /// Writes `exc`'s traceback as CPython does, to a string.
    pub fn format_traceback(&mut self, exc: &Value) -> String {
        let mut out = String::new();
        self.format_exception(exc, &mut out, 0);
        out
    }

    fn format_exception(&mut self, exc: &Value, out: &mut String, depth: usize) {
        let Value::Instance(inst) = exc else { return };
        let Some(state) = &inst.exc else { return };
        let (cause, context, suppress, tb) = {
            let s = state.borrow();
            (
                s.cause.clone(),
                s.context.clone(),
                s.suppress_context,
                s.traceback.clone(),
            )
        };
        if depth < 10 {
            if let Some(cause) = &cause {
                self.format_exception(cause, out, depth + 1);
                out.push_str(
                    "\nThe above exception was the direct cause of the following exception:\n\n",
                );
            } else if let (Some(context), false) = (&context, suppress) {
                self.format_exception(context, out, depth + 1);
                out.push_str(
                    "\nDuring handling of the above exception, another exception occurred:\n\n",
                );
            }
        }
        if !tb.is_empty() {
            out.push_str("Traceback (most recent call last):\n");
            for (code, span) in tb.iter().rev() {
                let lc = super::syntax::line_col(&code.file.text, span.start);
                let name = if code.kind == CodeKind::Module {
                    "<module>"
                } else {
                    &code.name
                };
                out.push_str(&format!(
                    "  File \"{}\", line {}, in {}\n",
                    code.file.name, lc.line, name
                ));
                let text = super::syntax::line_text(&code.file.text, lc.line).trim();
                if !text.is_empty() {
                    out.push_str(&format!("    {text}\n"));
                }
            }
        }
        out.push_str(&self.exception_line(exc));
        out.push('\n');
    }

    /// `ValueError: bad`: the last line of a traceback.
    pub fn exception_line(&mut self, exc: &Value) -> String {
        let class = self.class_of(exc);
        let msg = self.str(exc).unwrap_or_default();
        if msg.is_empty() {
            class.name.to_string()
        } else {
            format!("{}: {msg}", class.name)
        }
    }
}

/// An exception on its way out of an instruction: new (its traceback
/// gets this frame) or raised again (it has it already).
enum Raised {
    New(Value),
    Again(Value),
}

/// A new exception instance of `class` with `args`.
pub fn new_exception(class: Rc<Class>, args: Vec<Value>) -> Value {
    Value::Instance(Rc::new(Instance {
        class,
        dict: Attrs::default(),
        exc: Some(RefCell::new(ExcState {
            args,
            ..ExcState::default()
        })),
    }))
}

/// Sets an exception's context to the one being handled, unless that is
/// the exception itself.
fn set_context(exc: &Value, handling: Option<&Value>) {
    let (Value::Instance(i), Some(ctx)) = (exc, handling) else {
        return;
    };
    if exc.is(ctx) {
        return;
    }
    if let Some(state) = &i.exc {
        let mut s = state.borrow_mut();
        if s.context.is_none() {
            s.context = Some(ctx.clone());
        }
    }
}

/// A comparison of two small ints, the hot path of `Compare` and
/// `CompareJump`; `None` for the operators that are not an order or an
/// equality (`is`, `in`), which take the general path.
#[inline(always)]
fn compare_ints(op: CmpOp, x: i64, y: i64) -> Option<bool> {
    Some(match op {
        CmpOp::Lt => x < y,
        CmpOp::LtE => x <= y,
        CmpOp::Gt => x > y,
        CmpOp::GtE => x >= y,
        CmpOp::Eq => x == y,
        CmpOp::NotEq => x != y,
        _ => return None,
    })
}

#[inline(always)]
fn pop(frame: &mut Frame) -> Value {
    frame
        .stack
        .pop()
        .expect("the compiler keeps the stack balanced")
}

fn top(frame: &Frame) -> &Value {
    frame
        .stack
        .last()
        .expect("the compiler keeps the stack balanced")
}

fn split(frame: &mut Frame, n: u32) -> Vec<Value> {
    let at = frame.stack.len() - n as usize;
    frame.stack.split_off(at)
}

fn cell_name(code: &Code, i: usize) -> Name {
    code.cells
        .get(i)
        .cloned()
        .or_else(|| code.free.get(i - code.cells.len()).map(|(n, _)| n.clone()))
        .unwrap_or_else(|| "?".into())
}

/// `'a', 'b' and 'c'`, as CPython lists missing arguments.
fn and_list(names: &[&Name]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("'{n}'")).collect();
    match quoted.len() {
        0 => String::new(),
        1 => quoted[0].clone(),
        2 => format!("{} and {}", quoted[0], quoted[1]),
        n => format!("{}, and {}", quoted[..n - 1].join(", "), quoted[n - 1]),
    }
}

#[allow(dead_code)]
fn unused(_: Span, _: BinOp, _: CmpOp, _: UnaryOp) {}
