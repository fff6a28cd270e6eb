//! Compiled code: the instructions of one function (or class body, or
//! the module), and what they refer to. The interpreter runs these, not
//! the tree, so its hot path is one `match` on a small instruction.

use std::rc::Rc;

use super::ast::{BinOp, CmpOp, Name, Span, UnaryOp};

/// One instruction of the stack machine. Jumps are instruction indices.
#[derive(Clone, Copy, Debug, PartialEq)]
#[allow(missing_docs)]
pub enum Op {
    /// Pushes `consts[i]`.
    Const(u32),
    LoadFast(u32),
    StoreFast(u32),
    DeleteFast(u32),
    /// A cell: the code's own (`cellvars`) then those it closes over.
    LoadDeref(u32),
    StoreDeref(u32),
    /// A module-level name, by its slot.
    LoadGlobal(u32),
    StoreGlobal(u32),
    DeleteGlobal(u32),
    /// A name in a class body: the class's namespace, then the module.
    LoadName(u32),
    StoreName(u32),
    LoadAttr(u32),
    StoreAttr(u32),
    DeleteAttr(u32),
    Subscr,
    StoreSubscr,
    DeleteSubscr,
    Binary(BinOp),
    Inplace(BinOp),
    Unary(UnaryOp),
    Compare(CmpOp),
    /// `Compare` when a `PopJumpIfFalse` to the target follows it (the
    /// test of an `if` or a `while`): two small ints are compared and
    /// jumped on at once, skipping that instruction; anything else is
    /// compared as `Compare` and left to it.
    CompareJump(CmpOp, u32),
    Pop,
    Dup,
    DupTwo,
    Rot2,
    Rot3,
    Jump(u32),
    PopJumpIfFalse(u32),
    PopJumpIfTrue(u32),
    JumpIfFalseOrPop(u32),
    JumpIfTrueOrPop(u32),
    BuildList(u32),
    BuildTuple(u32),
    BuildSet(u32),
    /// Pops `n` key-value pairs.
    BuildDict(u32),
    /// Pops 2 or 3 bounds.
    BuildSlice(u32),
    /// Appends the top to the list `n` below it (comprehensions).
    ListAppend(u32),
    SetAdd(u32),
    /// Sets key (second) to value (top) in the dict `n` below them.
    DictSet(u32),
    /// Extends the list below with the iterable on top (`[*a, *b]`).
    ListExtend,
    SetUpdate,
    /// Merges the mapping on top into the dict below (`{**a}`).
    DictUpdate,
    ListToTuple,
    /// Joins `n` strings (an f-string).
    BuildString(u32),
    /// Formats the top (or the value under its spec): a conversion
    /// (`0`, `r`, `s`, `a`) and whether a spec is on top.
    Format(u8, bool),
    Unpack(u32),
    /// `a, *b, c = ...`: before and after the star.
    UnpackEx(u16, u16),
    GetIter,
    /// Pushes the next item, or pops the iterator and jumps.
    ForIter(u32),
    /// Calls with `n` positional arguments.
    Call(u32),
    /// Calls with `n` arguments, the last of them keywords whose names
    /// are `consts[i]`.
    CallKw(u16, u16),
    /// Calls with a tuple of arguments, and a dict of keywords if set.
    CallEx(bool),
    /// Makes a function of `consts[i]` (a code object), popping its
    /// defaults.
    MakeFunction(u32),
    /// Runs a class body `consts[i]` with `n` bases below.
    BuildClass(u32, u32),
    Return,
    Yield,
    /// Awaits the awaitable second with the value sent on top (`await`,
    /// `yield from`); runs again each time the frame resumes, until the
    /// awaitable is done.
    Await,
    /// Makes the awaitable for the top's `await` (or `yield from`'s
    /// iterator).
    GetAwaitable,
    GetYieldFromIter,
    GetAIter,
    /// Pushes `anext(top)`'s awaitable, keeping the iterator.
    GetANext,
    /// Ends an `async for` on `StopAsyncIteration` (the handler's exit).
    EndAsyncFor,
    /// Pushes a block that catches exceptions at `handler`.
    SetupExcept(u32),
    /// Pushes a block whose handler runs `finally` on an exception.
    SetupFinally(u32),
    PopBlock,
    /// Ends an `except` (or `finally`) handler.
    PopExcept,
    /// `raise` (0), `raise e` (1), `raise e from c` (2).
    Raise(u32),
    /// Raises the exception on top again, with its traceback.
    Reraise,
    /// Pops a class and an exception: whether the exception is an
    /// instance of it.
    MatchExc,
    /// `with`: pops the manager, pushes its `__exit__`, calls its
    /// `__enter__`, and sets a block that handles at `handler`.
    SetupWith(u32),
    /// `async with`: pushes `__aexit__` and `__aenter__()`'s awaitable.
    BeforeAsyncWith,
    /// Calls `__exit__(None, None, None)`, the function on top; pushes
    /// its result.
    WithExitNormal,
    /// In a with's handler: `__exit__` second and the exception on top;
    /// pushes `__exit__(type, exc, tb)`'s result above them.
    WithExitExc,
    /// After `WithExitExc` (and its await): if the result is true, drops
    /// the exception and jumps; else raises it again.
    WithResolve(u32),
    /// `import name`: pushes the module.
    Import(u32),
    /// `from module import name`: pushes the name, keeping the module.
    ImportFrom(u32),
    /// `super()` in a method.
    Super,
    /// `assert`'s failure: raises AssertionError (with the message on
    /// top if set).
    AssertFail(bool),
    Nop,
}

/// A constant of compiled code.
#[derive(Debug, Clone)]
pub enum Const {
    /// `None`.
    None,
    /// `True`, `False`.
    Bool(bool),
    /// An int.
    Int(i64),
    /// A float.
    Float(f64),
    /// A str.
    Str(Rc<String>),
    /// A bytes.
    Bytes(Rc<Vec<u8>>),
    /// The keyword names of a call.
    Names(Rc<Vec<Name>>),
    /// A function's, a class body's or a comprehension's code.
    Code(Rc<Code>),
}

/// What kind of code this is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum CodeKind {
    Module,
    Class,
    Function,
    Generator,
    Coroutine,
    AsyncGenerator,
}

/// One compiled unit: a function, a class body, a comprehension or the
/// module.
#[derive(Debug)]
pub struct Code {
    /// The function's name (`<module>`, `<listcomp>`, `<lambda>`).
    pub name: Name,
    /// What it is.
    pub kind: CodeKind,
    /// Its instructions.
    pub ops: Vec<Op>,
    /// The source each instruction came from, for tracebacks.
    pub spans: Vec<Span>,
    /// The constants `Const` pushes, and nested code.
    pub consts: Vec<Const>,
    /// Attribute, module and class-body names.
    pub names: Vec<Name>,
    /// Its local variables: its parameters first.
    pub locals: Vec<Name>,
    /// Its own cells, each a local that an inner function closes over
    /// (`cell_of[i]` is that local's index, if it is one).
    pub cells: Vec<Name>,
    /// Which local each cell starts from (a parameter), if any.
    pub cell_of: Vec<Option<u32>>,
    /// The cells it closes over: their index among its maker's cells.
    pub free: Vec<(Name, u32)>,
    /// Its parameters.
    pub params: ParamSpec,
    /// How many positional defaults `MakeFunction` pops.
    pub defaults: u32,
    /// Which keyword-only parameters have defaults (popped after).
    pub kw_defaults: Vec<bool>,
    /// The line of its `def`, for tracebacks.
    pub first_line: u32,
    /// The file it came from, for tracebacks.
    pub file: Rc<SourceFile>,
}

/// A program's source and its file name.
#[derive(Debug)]
pub struct SourceFile {
    /// The name tracebacks give it (`gather.py`).
    pub name: Rc<str>,
    /// Its text.
    pub text: Rc<str>,
}

/// A function's parameters, as the call binds them.
#[derive(Debug, Default, Clone)]
pub struct ParamSpec {
    /// How many positional parameters (the first locals).
    pub positional: u32,
    /// How many of them only by position.
    pub positional_only: u32,
    /// How many keyword-only parameters (after the positional ones).
    pub keyword_only: u32,
    /// Whether `*args` follows (the next local).
    pub star: bool,
    /// Whether `**kwargs` follows (the local after that).
    pub double_star: bool,
}

impl Code {
    /// The span of the instruction at `ip`.
    pub fn span_at(&self, ip: usize) -> Span {
        self.spans.get(ip).copied().unwrap_or_default()
    }
}

/// Shared names of the whole program: each module-level name's slot.
#[derive(Debug, Default)]
pub struct Globals {
    /// The names, by slot.
    pub names: Vec<Name>,
}

impl Globals {
    /// The slot of `name`, made if new.
    pub fn slot(&mut self, name: &Name) -> u32 {
        match self.names.iter().position(|n| n == name) {
            Some(i) => i as u32,
            None => {
                self.names.push(name.clone());
                (self.names.len() - 1) as u32
            }
        }
    }
}

/// A compiled program: its module code and its globals' names.
pub struct Program {
    /// The module's code.
    pub code: Rc<Code>,
    /// The names of its globals, by slot.
    pub globals: Vec<Name>,
}
