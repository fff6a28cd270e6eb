//! Python's values: what a variable can hold. Each is 16 bytes: a number
//! in place, or one reference-counted pointer to the object.
//!
//! Builtin types (`int`, `list`, `ValueError`) are [`Class`]es like the
//! reader's own, so `type(x)`, `isinstance` and subclassing an exception
//! need nothing special. Equality and hashing here are the native ones,
//! enough for dict keys; `==` on instances with `__eq__` goes through the
//! interpreter.

use std::cell::{Cell, RefCell};
use std::fmt::Write as _;
use std::rc::Rc;

use super::ast::Name;
use super::code::Code;

/// A Python value.
#[derive(Clone)]
pub enum Value {
    /// `None`.
    None,
    /// `True`, `False`.
    Bool(bool),
    /// An `int` (64 bits; overflow raises `OverflowError`).
    Int(i64),
    /// A `float`.
    Float(f64),
    /// A `str`.
    Str(Rc<String>),
    /// A `bytes`.
    Bytes(Rc<Vec<u8>>),
    /// A `tuple`.
    Tuple(Rc<Vec<Value>>),
    /// A `list`.
    List(Rc<RefCell<Vec<Value>>>),
    /// A `dict`.
    Dict(Rc<RefCell<Dict>>),
    /// A `set`: a dict whose values are `None`.
    Set(Rc<RefCell<Dict>>),
    /// A `range(start, stop, step)`.
    Range(Rc<[i64; 3]>),
    /// A `slice(start, stop, step)`.
    Slice(Rc<[Value; 3]>),
    /// A function written in Python.
    Function(Rc<Function>),
    /// A function of the interpreter's own (`print`, `len`).
    Builtin(&'static Builtin),
    /// A method bound to its object: `(self, function)`.
    Method(Rc<(Value, Value)>),
    /// A class, builtin or the reader's.
    Class(Rc<Class>),
    /// An instance of a class of the reader's, or an exception.
    Instance(Rc<Instance>),
    /// An iterator of the interpreter's own (over a list, a range...).
    Iter(Rc<RefCell<Iter>>),
    /// A generator, coroutine or async generator.
    Gen(Rc<RefCell<Gen>>),
    /// An imported module.
    Module(Rc<Module>),
    /// An asyncio `Future` or `Task`, or what an await waits on.
    Future(Rc<FutureObj>),
}

impl std::fmt::Debug for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Value::None => write!(f, "None"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Int(i) => write!(f, "{i}"),
            Value::Float(x) => write!(f, "{x}"),
            Value::Str(s) => write!(f, "{s:?}"),
            _ => write!(f, "<object>"),
        }
    }
}

impl Value {
    /// A `str` value.
    pub fn str(s: impl Into<String>) -> Value {
        Value::Str(Rc::new(s.into()))
    }

    /// A `tuple` value.
    pub fn tuple(items: Vec<Value>) -> Value {
        Value::Tuple(Rc::new(items))
    }

    /// A `list` value.
    pub fn list(items: Vec<Value>) -> Value {
        Value::List(Rc::new(RefCell::new(items)))
    }

    /// Whether two values are the same object (`is`).
    pub fn is(&self, other: &Value) -> bool {
        use Value::*;
        match (self, other) {
            (None, None) => true,
            (Bool(a), Bool(b)) => a == b,
            (Int(a), Int(b)) => a == b,
            (Float(a), Float(b)) => a.to_bits() == b.to_bits(),
            (Builtin(a), Builtin(b)) => std::ptr::eq(*a, *b),
            _ => match (self.address(), other.address()) {
                (Some(a), Some(b)) => a == b,
                _ => false,
            },
        }
    }

    /// The address of the object, for identity and the default hash.
    pub fn address(&self) -> Option<usize> {
        use Value::*;
        Some(match self {
            Str(r) => Rc::as_ptr(r) as usize,
            Bytes(r) => Rc::as_ptr(r) as usize,
            Tuple(r) => Rc::as_ptr(r) as usize,
            List(r) => Rc::as_ptr(r) as usize,
            Dict(r) | Set(r) => Rc::as_ptr(r) as usize,
            Range(r) => Rc::as_ptr(r) as usize,
            Slice(r) => Rc::as_ptr(r) as usize,
            Function(r) => Rc::as_ptr(r) as usize,
            Builtin(b) => *b as *const _ as usize,
            Method(r) => Rc::as_ptr(r) as usize,
            Class(r) => Rc::as_ptr(r) as usize,
            Instance(r) => Rc::as_ptr(r) as usize,
            Iter(r) => Rc::as_ptr(r) as usize,
            Gen(r) => Rc::as_ptr(r) as usize,
            Module(r) => Rc::as_ptr(r) as usize,
            Future(r) => Rc::as_ptr(r) as usize,
            None | Bool(_) | Int(_) | Float(_) => return Option::None,
        })
    }
}

/// A function written in Python: its code, and what it closes over.
pub struct Function {
    /// Its compiled body.
    pub code: Rc<Code>,
    /// The defaults of its positional parameters, last ones first filled.
    pub defaults: Vec<Value>,
    /// The defaults of its keyword-only parameters, by position.
    pub kw_defaults: Vec<Option<Value>>,
    /// The cells of the variables it closes over.
    pub closure: Vec<Rc<RefCell<Option<Value>>>>,
    /// The module it was defined in.
    pub globals: Rc<Namespace>,
}

/// A function of the interpreter's own.
pub struct Builtin {
    /// Its name, as `print` or `list.append`.
    pub name: &'static str,
    /// What it does: the interpreter, the positional arguments (a bound
    /// method's object first), and the keyword ones.
    pub call: BuiltinFn,
}

/// The Rust behind a [`Builtin`].
pub type BuiltinFn = fn(&mut super::vm::Vm, Vec<Value>, Vec<(Name, Value)>) -> Result<Value, Value>;

/// A class: its name, its bases, and its namespace.
pub struct Class {
    /// `__name__`.
    pub name: Name,
    /// Its direct bases (none for `object`).
    pub bases: Vec<Rc<Class>>,
    /// Its method resolution order after itself.
    pub mro: Vec<Rc<Class>>,
    /// Its attributes and methods.
    pub dict: Attrs,
    /// What a builtin class is, for `isinstance` and calls (`int("4")`).
    pub kind: ClassKind,
}

/// The builtin classes the interpreter knows by their Rust behaviour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum ClassKind {
    /// A class of the reader's (or `object`).
    Plain,
    /// `BaseException` and every exception class.
    Exception,
    NoneType,
    Bool,
    Int,
    Float,
    Str,
    Bytes,
    Tuple,
    List,
    Dict,
    Set,
    Range,
    Slice,
    Function,
    BuiltinFunction,
    Method,
    Type,
    Iterator,
    Generator,
    Coroutine,
    AsyncGenerator,
    Module,
    Code,
    Future,
}

impl Class {
    /// Looks a name up in the class and its bases, in MRO order.
    pub fn lookup(self: &Rc<Class>, name: &str) -> Option<Value> {
        std::iter::once(self)
            .chain(self.mro.iter())
            .find_map(|c| c.dict.get(name))
    }

    /// Whether this class is `other` or derives from it.
    pub fn is_subclass(self: &Rc<Class>, other: &Rc<Class>) -> bool {
        Rc::ptr_eq(self, other) || self.mro.iter().any(|c| Rc::ptr_eq(c, other))
    }
}

/// An instance of a class: its attributes, and for an exception, the
/// exception's own state.
pub struct Instance {
    /// Its class.
    pub class: Rc<Class>,
    /// Its attributes, in the order they were set.
    pub dict: Attrs,
    /// An exception's arguments, traceback, cause and context.
    pub exc: Option<RefCell<ExcState>>,
}

/// Attributes by name, in the order they were set: a class's, an
/// instance's, and a class body's namespace while it runs. (Few, so a
/// list searched in order.)
#[derive(Default)]
pub struct Attrs(RefCell<Vec<(Name, Value)>>);

impl Attrs {
    /// Attributes with these values.
    pub fn new(items: Vec<(Name, Value)>) -> Attrs {
        Attrs(RefCell::new(items))
    }

    /// The value of `name`.
    pub fn get(&self, name: &str) -> Option<Value> {
        self.0
            .borrow()
            .iter()
            .find(|(n, _)| &**n == name)
            .map(|(_, v)| v.clone())
    }

    /// Sets `name`; a new one goes last.
    pub fn set(&self, name: Name, value: Value) {
        let mut items = self.0.borrow_mut();
        match items.iter_mut().find(|(n, _)| *n == name) {
            Some(slot) => slot.1 = value,
            None => items.push((name, value)),
        }
    }

    /// Takes `name` out; whether it was there.
    pub fn remove(&self, name: &str) -> bool {
        let mut items = self.0.borrow_mut();
        let before = items.len();
        items.retain(|(n, _)| &**n != name);
        items.len() != before
    }

    /// A copy of all of them, in order.
    pub fn items(&self) -> Vec<(Name, Value)> {
        self.0.borrow().clone()
    }
}

/// What an exception carries besides its attributes.
#[derive(Default)]
pub struct ExcState {
    /// `args`.
    pub args: Vec<Value>,
    /// Where it went through, innermost first: each frame's code and the
    /// span of what was running.
    pub traceback: Vec<(Rc<Code>, super::ast::Span)>,
    /// `raise ... from cause`.
    pub cause: Option<Value>,
    /// The exception being handled when this one was raised.
    pub context: Option<Value>,
    /// `raise ... from None`.
    pub suppress_context: bool,
}

/// An iterator of the interpreter's own.
pub enum Iter {
    /// Over a list (its length read at each step, as CPython does).
    List(Rc<RefCell<Vec<Value>>>, usize),
    /// Over a tuple's items.
    Tuple(Rc<Vec<Value>>, usize),
    /// Over a string's characters, by byte position.
    Str(Rc<String>, usize),
    /// Over a range: the next value, the step, and where it stops.
    Range(i64, i64, i64),
    /// Over a dict's keys, values or items (0, 1, 2), by entry position.
    Dict(Rc<RefCell<Dict>>, usize, u8),
    /// Over values already made (`reversed`, `zip`, `enumerate`...).
    Values(std::vec::IntoIter<Value>),
    /// `enumerate(inner, start)`.
    Enumerate(Value, i64),
    /// `zip(*inners)`.
    Zip(Vec<Value>),
    /// `map(function, *inners)`.
    Map(Value, Vec<Value>),
    /// `filter(function, inner)`.
    Filter(Value, Value),
    /// A callable called until it returns the sentinel: `iter(f, stop)`.
    Bytes(Rc<Vec<u8>>, usize),
}

/// A generator, a coroutine or an async generator: a saved frame.
pub struct Gen {
    /// Which it is.
    pub kind: GenKind,
    /// Its frame, while it is not running.
    pub frame: Option<Box<Frame>>,
    /// Where it is.
    pub state: GenState,
    /// Its function's name, for its repr and warnings.
    pub name: Name,
    /// Whether anything ever awaited or iterated it (for "coroutine ...
    /// was never awaited").
    pub started: Cell<bool>,
}

impl Drop for Gen {
    fn drop(&mut self) {
        if self.kind == GenKind::Coroutine && !self.started.get() {
            NEVER_AWAITED.with(|n| n.borrow_mut().push(self.name.clone()));
        }
    }
}

/// A future let go of with an exception nobody looked at: what
/// CPython's `Task exception was never retrieved` says of it.
pub struct Unretrieved {
    /// `Task` or `Future`.
    pub kind: &'static str,
    /// The future's repr, without its exception.
    pub what: String,
    /// Its exception.
    pub exc: Value,
}

thread_local! {
    /// Coroutines dropped before anything awaited them, for CPython's
    /// `RuntimeWarning: coroutine '...' was never awaited`.
    pub static NEVER_AWAITED: RefCell<Vec<Name>> = const { RefCell::new(Vec::new()) };
    /// Futures dropped with an exception never retrieved.
    pub static NEVER_RETRIEVED: RefCell<Vec<Unretrieved>> = const { RefCell::new(Vec::new()) };
}

impl Drop for FutureObj {
    fn drop(&mut self) {
        let FutureState::Failed(exc) = &*self.state.borrow() else {
            return;
        };
        if self.retrieved.get() || !matches!(self.kind, FutureKind::Task { .. } | FutureKind::Plain)
        {
            return;
        }
        let kind = match self.kind {
            FutureKind::Task { .. } => "Task",
            _ => "Future",
        };
        let what = self.describe("finished");
        let exc = exc.clone();
        NEVER_RETRIEVED.with(|n| n.borrow_mut().push(Unretrieved { kind, what, exc }));
    }
}

/// An asyncio future: a task, a plain future, or a sleep.
pub struct FutureObj {
    /// Where it is.
    pub state: RefCell<FutureState>,
    /// What it is.
    pub kind: FutureKind,
    /// Python callables to call (with it) when it is done.
    pub callbacks: RefCell<Vec<Value>>,
    /// Rust futures waiting on it.
    pub wakers: RefCell<Vec<std::task::Waker>>,
    /// A task's name (`Task-2`).
    pub name: RefCell<Name>,
    /// Whether its exception was looked at (else CPython says so).
    pub retrieved: Cell<bool>,
    /// A task asked to cancel: it raises `CancelledError` where it waits.
    pub cancel_requested: Cell<bool>,
    /// The gathers waiting on it, told when it is done.
    pub parents: RefCell<Vec<std::rc::Weak<FutureObj>>>,
}

/// Where a future is.
#[derive(Clone)]
pub enum FutureState {
    /// Not done.
    Pending,
    /// Done, with a result.
    Done(Value),
    /// Done, with an exception.
    Failed(Value),
    /// Cancelled.
    Cancelled,
}

/// What a future is.
pub enum FutureKind {
    /// `loop.create_future()`.
    Plain,
    /// A task: the frames of its coroutine, and what it waits on.
    Task {
        /// Its coroutine's frames while it waits (none while it runs).
        frames: RefCell<Frames>,
        /// What it waits on, so `cancel` can reach it.
        waiting: RefCell<Option<Value>>,
        /// Whether its coroutine has started.
        started: Cell<bool>,
        /// Its coroutine's code, for its repr (`coro=<work() done, ...>`).
        coro: Option<Rc<Code>>,
    },
    /// `asyncio.sleep(secs, result)`: done when its timer fires.
    Sleep(f64, Value),
    /// What `anext(agen)` awaits: the async generator's next step.
    Anext(Rc<RefCell<Gen>>),
    /// `asyncio.gather(...)`: its children, `return_exceptions`, and how
    /// many children are not done yet.
    Gather(Vec<Rc<FutureObj>>, bool, Cell<usize>),
    /// Done when one of these is, or after the timeout (seconds).
    First(Vec<Rc<FutureObj>>, Option<f64>),
}

impl FutureObj {
    /// Wakes `waker`'s task when this future is done: once, however often
    /// a spurious poll asks again.
    pub fn wake_when_done(&self, waker: &std::task::Waker) {
        let mut wakers = self.wakers.borrow_mut();
        if !wakers.iter().any(|w| w.will_wake(waker)) {
            wakers.push(waker.clone());
        }
    }

    /// Forgets `waker`: its task is finishing this future itself (a sleep
    /// whose timer fired), so the record shows no wake of the task by
    /// itself.
    pub fn forget_waker(&self, waker: &std::task::Waker) {
        self.wakers.borrow_mut().retain(|w| !w.will_wake(waker));
    }

    /// A new pending future.
    pub fn new(kind: FutureKind, name: &str) -> Rc<FutureObj> {
        Rc::new(FutureObj {
            state: RefCell::new(FutureState::Pending),
            kind,
            callbacks: RefCell::new(Vec::new()),
            wakers: RefCell::new(Vec::new()),
            name: RefCell::new(name.into()),
            retrieved: Cell::new(false),
            cancel_requested: Cell::new(false),
            parents: RefCell::new(Vec::new()),
        })
    }

    /// Whether it is done (or cancelled).
    pub fn done(&self) -> bool {
        !matches!(*self.state.borrow(), FutureState::Pending)
    }

    /// Its repr up to its exception, in `state`: `<Task finished
    /// name='Task-2' coro=<work() done, defined at f.py:4>`, or
    /// `<Future finished`.
    pub fn describe(&self, state: &str) -> String {
        match &self.kind {
            FutureKind::Task { coro, .. } => {
                let mut s = format!("<Task {state} name='{}'", self.name.borrow());
                if let Some(code) = coro {
                    let _ = write!(
                        s,
                        " coro=<{}() done, defined at {}:{}>",
                        code.name, code.file.name, code.first_line
                    );
                }
                s
            }
            _ => format!("<Future {state}"),
        }
    }
}

/// Which kind of saved frame a [`Gen`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum GenKind {
    Generator,
    Coroutine,
    AsyncGenerator,
}

/// Where a generator is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum GenState {
    Created,
    Suspended,
    Running,
    Closed,
}

/// A module: its name and its namespace.
pub struct Module {
    /// Its name.
    pub name: Name,
    /// Its variables, which are its attributes.
    pub ns: Rc<Namespace>,
}

/// A module's variables: slots the compiler numbered, by name.
#[derive(Default)]
pub struct Namespace {
    /// The names, by slot.
    pub names: RefCell<Vec<Name>>,
    /// The values, by slot (`None`: not bound).
    pub values: RefCell<Vec<Option<Value>>>,
}

impl Namespace {
    /// A namespace with these slots, none bound.
    pub fn new(names: Vec<Name>) -> Rc<Namespace> {
        let values = vec![None; names.len()];
        Rc::new(Namespace {
            names: RefCell::new(names),
            values: RefCell::new(values),
        })
    }

    /// The value named `name`.
    pub fn get(&self, name: &str) -> Option<Value> {
        let at = self.names.borrow().iter().position(|n| &**n == name)?;
        self.values.borrow()[at].clone()
    }

    /// Binds `name` (a new slot if it has none).
    pub fn set(&self, name: &str, v: Value) {
        let at = self.names.borrow().iter().position(|n| &**n == name);
        match at {
            Some(at) => self.values.borrow_mut()[at] = Some(v),
            None => {
                self.names.borrow_mut().push(name.into());
                self.values.borrow_mut().push(Some(v));
            }
        }
    }
}

/// An ordered dict, as CPython's: entries in insertion order, and an
/// open-addressed index of them by hash.
#[derive(Default, Clone)]
pub struct Dict {
    entries: Vec<Option<(Value, Value)>>,
    /// Entry position + 1 for each slot; 0 is empty, `u32::MAX` deleted.
    slots: Vec<u32>,
    len: usize,
}

/// A hash, as CPython computes it for the builtin types (so `1`, `1.0`
/// and `True` are the same key).
pub fn hash(v: &Value) -> Result<u64, &'static str> {
    Ok(match v {
        Value::None => 0x_5eed,
        Value::Bool(b) => *b as u64,
        Value::Int(i) => *i as u64,
        Value::Float(x) if x.fract() == 0.0 && x.abs() < 9.2e18 => *x as i64 as u64,
        Value::Float(x) => x.to_bits().wrapping_mul(0x9e37_79b9_7f4a_7c15),
        Value::Str(s) => fnv(s.as_bytes()),
        Value::Bytes(b) => fnv(b),
        Value::Tuple(items) => {
            let mut h: u64 = 0x345678;
            for item in items.iter() {
                h = (h ^ hash(item)?).wrapping_mul(1_000_003);
            }
            h
        }
        Value::List(_) => return Err("list"),
        Value::Dict(_) => return Err("dict"),
        Value::Set(_) => return Err("set"),
        Value::Slice(_) => return Err("slice"),
        other => other.address().unwrap_or(0) as u64 >> 3,
    })
}

fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ b as u64).wrapping_mul(0x100_0000_01b3)
    })
}

/// Native equality: numbers across types, strings, tuples by their items,
/// everything else by identity. Enough for dict keys and `in`.
pub fn equal(a: &Value, b: &Value) -> bool {
    use Value::*;
    match (a, b) {
        (None, None) => true,
        (Bool(_) | Int(_), Bool(_) | Int(_)) => as_int(a) == as_int(b),
        (Float(x), Float(y)) => x == y,
        (Float(x), Bool(_) | Int(_)) | (Bool(_) | Int(_), Float(x)) => {
            let i = as_int(a).or(as_int(b)).unwrap_or(0);
            *x == i as f64 && (*x as i64 == i)
        }
        (Str(x), Str(y)) => x == y,
        (Bytes(x), Bytes(y)) => x == y,
        (Tuple(x), Tuple(y)) => {
            x.len() == y.len() && x.iter().zip(y.iter()).all(|(p, q)| equal(p, q))
        }
        (List(x), List(y)) => {
            Rc::ptr_eq(x, y) || {
                let (x, y) = (x.borrow(), y.borrow());
                x.len() == y.len() && x.iter().zip(y.iter()).all(|(p, q)| equal(p, q))
            }
        }
        (Range(x), Range(y)) => x == y,
        _ => a.is(b),
    }
}

/// The integer a `bool` or `int` is.
pub fn as_int(v: &Value) -> Option<i64> {
    match v {
        Value::Bool(b) => Some(*b as i64),
        Value::Int(i) => Some(*i),
        _ => None,
    }
}

impl Dict {
    /// A dict of no entries.
    pub fn new() -> Dict {
        Dict::default()
    }

    /// How many entries it has.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether it has none.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The slot of `key`, or of where it would go.
    fn find(&self, key: &Value, h: u64) -> (usize, Option<usize>) {
        let mask = self.slots.len() - 1;
        let mut i = (h as usize) & mask;
        let mut free = None;
        loop {
            match self.slots[i] {
                0 => return (free.unwrap_or(i), None),
                u32::MAX => {
                    free.get_or_insert(i);
                }
                e => {
                    let at = e as usize - 1;
                    if let Some((k, _)) = &self.entries[at] {
                        if equal(k, key) {
                            return (i, Some(at));
                        }
                    }
                }
            }
            i = (i + 1) & mask;
        }
    }

    /// The value of `key`.
    pub fn get(&self, key: &Value) -> Result<Option<Value>, &'static str> {
        if self.len == 0 {
            hash(key)?;
            return Ok(None);
        }
        let (_, at) = self.find(key, hash(key)?);
        Ok(at.and_then(|at| self.entries[at].as_ref().map(|(_, v)| v.clone())))
    }

    /// Sets `key` to `value`; a new key goes last.
    pub fn insert(&mut self, key: Value, value: Value) -> Result<(), &'static str> {
        let h = hash(&key)?;
        if (self.entries.len() + 1) * 3 >= self.slots.len() * 2 {
            self.grow();
        }
        let (slot, at) = self.find(&key, h);
        match at {
            Some(at) => {
                if let Some(entry) = &mut self.entries[at] {
                    entry.1 = value;
                }
            }
            None => {
                self.entries.push(Some((key, value)));
                self.slots[slot] = self.entries.len() as u32;
                self.len += 1;
            }
        }
        Ok(())
    }

    /// Takes `key` out, with its value.
    pub fn remove(&mut self, key: &Value) -> Result<Option<Value>, &'static str> {
        let h = hash(key)?;
        if self.len == 0 {
            return Ok(None);
        }
        let (slot, at) = self.find(key, h);
        Ok(at.and_then(|at| {
            self.slots[slot] = u32::MAX;
            self.len -= 1;
            self.entries[at].take().map(|(_, v)| v)
        }))
    }

    fn grow(&mut self) {
        let live: Vec<(Value, Value)> = self.entries.drain(..).flatten().collect();
        let size = (live.len() * 3).max(8).next_power_of_two();
        self.slots = vec![0; size];
        self.len = 0;
        for (k, v) in live {
            let h = hash(&k).expect("a key in a dict was hashable");
            let (slot, _) = self.find(&k, h);
            self.entries.push(Some((k, v)));
            self.slots[slot] = self.entries.len() as u32;
            self.len += 1;
        }
    }

    /// The entry at position `at` of the entries (deleted ones are
    /// skipped by the caller), for iterators.
    pub fn entry(&self, at: usize) -> Option<Option<(Value, Value)>> {
        self.entries.get(at).cloned()
    }

    /// The entries, in order.
    pub fn items(&self) -> impl Iterator<Item = (&Value, &Value)> {
        self.entries.iter().flatten().map(|(k, v)| (k, v))
    }

    /// The first entry, taken out (`popitem` takes the last).
    pub fn pop_last(&mut self) -> Option<(Value, Value)> {
        let (k, _) = self.entries.iter().rev().flatten().next()?.clone();
        let v = self.remove(&k).ok().flatten()?;
        Some((k, v))
    }
}

/// Writes `s` as Python's `repr` of a str writes it.
pub fn repr_str(s: &str, out: &mut String) {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push(quote);
}

/// Writes `b` as Python's `repr` of bytes writes it.
pub fn repr_bytes(b: &[u8], out: &mut String) {
    let quote = if b.contains(&b'\'') && !b.contains(&b'"') {
        '"'
    } else {
        '\''
    };
    out.push('b');
    out.push(quote);
    for &c in b {
        match c {
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            c if c as char == quote => {
                out.push('\\');
                out.push(c as char);
            }
            0x20..=0x7e => out.push(c as char),
            c => {
                let _ = write!(out, "\\x{c:02x}");
            }
        }
    }
    out.push(quote);
}

/// A stack of frames, the running one last. Frames are boxed so that a
/// call moves a pointer, not the frame, and a returned frame is kept
/// whole (with its vectors) for the next call.
pub type Frames = Vec<Box<Frame>>;

/// A running (or saved) function: its instructions, where it is, its
/// values and variables, and its blocks.
pub struct Frame {
    /// Its code.
    pub code: Rc<Code>,
    /// Its module's variables.
    pub globals: Rc<Namespace>,
    /// The next instruction.
    pub ip: usize,
    /// Its value stack.
    pub stack: Vec<Value>,
    /// Its local variables (`None`: not bound yet).
    pub locals: Vec<Option<Value>>,
    /// Its cells, then those it closes over.
    pub cells: Vec<Rc<RefCell<Option<Value>>>>,
    /// Its `try` and `with` blocks, innermost last.
    pub blocks: Vec<Block>,
    /// The exceptions its `except` and `finally` bodies are handling.
    pub handling: Vec<Value>,
    /// A class body's namespace and its bases.
    pub class: Option<ClassBody>,
    /// The async generator this frame is the step of, while it runs.
    pub agen: Option<Rc<RefCell<Gen>>>,
}

/// A class body's namespace, and the bases of the class it makes.
pub type ClassBody = (Rc<Attrs>, Vec<Rc<Class>>);

/// A `try` or `with` block of a frame.
#[derive(Clone, Copy, Debug)]
pub struct Block {
    /// Where its handler starts.
    pub handler: u32,
    /// The stack's height when it was set.
    pub depth: u32,
    /// Whether its handler is running (then it ends with `PopExcept`).
    pub handling: bool,
}
