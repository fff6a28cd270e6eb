//! The tree the parser builds: Python's statements and expressions, each
//! with the [`Span`] of its source, so an error or a traceback can point
//! at the very text.
//!
//! It follows the shape of CPython's own `ast` module (the host tests
//! compare the two), with a few things settled at parse time: adjacent
//! string literals are joined, an f-string's `{x=}` becomes the text `x=`
//! and the field, and annotations are read and dropped.

use std::rc::Rc;

/// A stretch of the source, in bytes: `start..end`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Span {
    /// The first byte.
    pub start: u32,
    /// One past the last byte.
    pub end: u32,
}

impl Span {
    /// The span from the start of `self` to the end of `other`.
    pub fn to(self, other: Span) -> Span {
        Span {
            start: self.start,
            end: other.end.max(self.start),
        }
    }
}

/// An identifier, shared by every place that names it.
pub type Name = Rc<str>;

/// A whole file.
#[derive(Debug)]
pub struct Module {
    /// Its statements, in order.
    pub body: Vec<Stmt>,
}

/// A statement and where it is.
#[derive(Debug)]
pub struct Stmt {
    /// Where it is: a compound statement spans its whole block.
    pub span: Span,
    /// What it is.
    pub kind: StmtKind,
}

/// The statements.
#[derive(Debug)]
pub enum StmtKind {
    /// An expression whose value is dropped (`print(x)`).
    Expr(Expr),
    /// `a = b = value`: every target, left to right.
    Assign(Vec<Expr>, Expr),
    /// `target op= value`.
    AugAssign(Expr, BinOp, Expr),
    /// `def` and `async def`.
    Def(Rc<Function>),
    /// `class Name(Base): ...`.
    Class(Rc<Class>),
    /// `return` and its value.
    Return(Option<Expr>),
    /// `del a, b[0]`.
    Delete(Vec<Expr>),
    /// `pass`.
    Pass,
    /// `break`.
    Break,
    /// `continue`.
    Continue,
    /// `if`, with `elif` as an `if` alone in its `else`.
    If(Expr, Vec<Stmt>, Vec<Stmt>),
    /// `while test: body else: orelse`.
    While(Expr, Vec<Stmt>, Vec<Stmt>),
    /// `for` and `async for`.
    For(Box<For>),
    /// `with` and `async with`.
    With(Box<With>),
    /// `try` with its handlers, `else` and `finally`.
    Try(Box<Try>),
    /// `raise`, `raise exc`, `raise exc from cause`.
    Raise(Option<Expr>, Option<Expr>),
    /// `assert test, message`.
    Assert(Expr, Option<Expr>),
    /// `import a.b as c, d`.
    Import(Vec<Alias>),
    /// `from module import names` (`level` dots before the module).
    ImportFrom {
        /// The module's dotted name, if any.
        module: Option<Name>,
        /// What is imported; a single `*` for `import *`.
        names: Vec<Alias>,
        /// How many dots lead the module's name.
        level: u32,
    },
    /// `global a, b`.
    Global(Vec<Name>),
    /// `nonlocal a, b`.
    Nonlocal(Vec<Name>),
}

/// `def name(params): body`.
#[derive(Debug)]
pub struct Function {
    /// Its name (`<lambda>` for a lambda).
    pub name: Name,
    /// What it takes.
    pub params: Params,
    /// Its statements; a lambda's is a single `return`.
    pub body: Vec<Stmt>,
    /// `async def`.
    pub is_async: bool,
    /// `@decorator` lines, top first.
    pub decorators: Vec<Expr>,
    /// Where its `def` line is, for tracebacks.
    pub span: Span,
}

/// A function's parameters, in CPython's four groups.
#[derive(Debug, Default)]
pub struct Params {
    /// Positional parameters, those before `/` included.
    pub positional: Vec<Param>,
    /// How many of `positional` come before a `/`.
    pub positional_only: usize,
    /// `*args`.
    pub star: Option<Name>,
    /// Keyword-only parameters, after `*` or `*args`.
    pub keyword_only: Vec<Param>,
    /// `**kwargs`.
    pub double_star: Option<Name>,
}

/// One parameter and its default.
#[derive(Debug)]
pub struct Param {
    /// Its name.
    pub name: Name,
    /// Its default value, evaluated when the `def` runs.
    pub default: Option<Expr>,
    /// Where its name is.
    pub span: Span,
}

/// `class name(bases): body`.
#[derive(Debug)]
pub struct Class {
    /// Its name.
    pub name: Name,
    /// Its base classes.
    pub bases: Vec<Expr>,
    /// `metaclass=` and other keywords.
    pub keywords: Vec<Keyword>,
    /// Its statements.
    pub body: Vec<Stmt>,
    /// `@decorator` lines, top first.
    pub decorators: Vec<Expr>,
}

/// `for target in iter: body else: orelse`.
#[derive(Debug)]
pub struct For {
    /// What each item is assigned to.
    pub target: Expr,
    /// What is iterated.
    pub iter: Expr,
    /// The loop's statements.
    pub body: Vec<Stmt>,
    /// Run when the loop ends without `break`.
    pub orelse: Vec<Stmt>,
    /// `async for`.
    pub is_async: bool,
}

/// `with a as x, b: body`.
#[derive(Debug)]
pub struct With {
    /// The context managers and their targets.
    pub items: Vec<(Expr, Option<Expr>)>,
    /// The statements inside.
    pub body: Vec<Stmt>,
    /// `async with`.
    pub is_async: bool,
}

/// `try: body except ...: ... else: ... finally: ...`.
#[derive(Debug)]
pub struct Try {
    /// The statements tried.
    pub body: Vec<Stmt>,
    /// The `except` clauses, in order.
    pub handlers: Vec<Handler>,
    /// Run when the body raised nothing.
    pub orelse: Vec<Stmt>,
    /// Run whatever happened.
    pub finalbody: Vec<Stmt>,
}

/// `except Type as name: body`.
#[derive(Debug)]
pub struct Handler {
    /// The type (or tuple of types) caught; none catches everything.
    pub kind: Option<Expr>,
    /// The name the exception is bound to.
    pub name: Option<Name>,
    /// The handler's statements.
    pub body: Vec<Stmt>,
    /// Where the `except` line is.
    pub span: Span,
}

/// `module.path as name` in an import.
#[derive(Debug)]
pub struct Alias {
    /// The dotted name imported (`*` for everything).
    pub name: Name,
    /// What it is bound to, if not its own name.
    pub asname: Option<Name>,
    /// Where it is.
    pub span: Span,
}

/// An expression and where it is.
#[derive(Debug)]
pub struct Expr {
    /// Where it is.
    pub span: Span,
    /// What it is.
    pub kind: ExprKind,
}

/// The expressions.
#[derive(Debug)]
pub enum ExprKind {
    /// A variable.
    Name(Name),
    /// A literal.
    Const(Const),
    /// An f-string: its literal parts and its fields.
    FString(Vec<FPart>),
    /// `value.attr`.
    Attribute(Box<Expr>, Name),
    /// `value[index]`.
    Subscript(Box<Expr>, Box<Expr>),
    /// `lower:upper:step`, only inside a subscript.
    Slice(Option<Box<Expr>>, Option<Box<Expr>>, Option<Box<Expr>>),
    /// `func(args)`.
    Call(Box<Expr>, Vec<Arg>),
    /// `left op right`.
    Binary(Box<Expr>, BinOp, Box<Expr>),
    /// `op operand`.
    Unary(UnaryOp, Box<Expr>),
    /// `a and b and c`, or `a or b`.
    Bool(BoolOp, Vec<Expr>),
    /// `a < b <= c`: the first operand and each comparison after it.
    Compare(Box<Expr>, Vec<(CmpOp, Expr)>),
    /// `body if test else orelse`: test, body, orelse.
    IfExp(Box<Expr>, Box<Expr>, Box<Expr>),
    /// `lambda params: body`.
    Lambda(Rc<Function>),
    /// `[a, b]`.
    List(Vec<Expr>),
    /// `(a, b)` or `a, b`.
    Tuple(Vec<Expr>),
    /// `{a, b}`.
    Set(Vec<Expr>),
    /// `{k: v, **other}`: a key of `None` is a `**` entry.
    Dict(Vec<(Option<Expr>, Expr)>),
    /// `*value`, in a call, a display or an assignment target.
    Starred(Box<Expr>),
    /// `[elt for ...]`, `{elt for ...}`, `(elt for ...)`.
    Comp(CompKind, Box<Expr>, Vec<Comprehension>),
    /// `{key: value for ...}`.
    DictComp(Box<Expr>, Box<Expr>, Vec<Comprehension>),
    /// `await value`.
    Await(Box<Expr>),
    /// `yield` and its value.
    Yield(Option<Box<Expr>>),
    /// `yield from value`.
    YieldFrom(Box<Expr>),
    /// `name := value`.
    Walrus(Name, Box<Expr>),
}

/// A literal value.
#[derive(Debug, Clone, PartialEq)]
pub enum Const {
    /// `None`.
    None,
    /// `True` and `False`.
    Bool(bool),
    /// An integer that fits 64 bits.
    Int(i64),
    /// A float.
    Float(f64),
    /// A string, its escapes decoded.
    Str(Rc<str>),
    /// A bytes literal.
    Bytes(Rc<[u8]>),
    /// `...`.
    Ellipsis,
}

/// A part of an f-string.
#[derive(Debug)]
pub enum FPart {
    /// Text, its escapes decoded.
    Text(Rc<str>),
    /// `{value!conversion:spec}`.
    Field {
        /// The expression inside the braces.
        value: Expr,
        /// `r`, `s` or `a` after a `!`.
        conversion: Option<char>,
        /// What follows the `:`, itself an f-string.
        spec: Vec<FPart>,
    },
}

/// A call's argument.
#[derive(Debug)]
pub enum Arg {
    /// `value`.
    Positional(Expr),
    /// `*value`.
    Star(Expr),
    /// `name=value`.
    Keyword(Keyword),
    /// `**value`.
    DoubleStar(Expr),
}

/// `name=value` in a call or a class's bases.
#[derive(Debug)]
pub struct Keyword {
    /// The parameter's name.
    pub name: Name,
    /// Its value.
    pub value: Expr,
}

/// `for target in iter if cond` in a comprehension.
#[derive(Debug)]
pub struct Comprehension {
    /// What each item is assigned to.
    pub target: Expr,
    /// What is iterated.
    pub iter: Expr,
    /// The `if` filters.
    pub ifs: Vec<Expr>,
    /// `async for`.
    pub is_async: bool,
}

/// Which brackets a comprehension has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompKind {
    /// `[...]`.
    List,
    /// `{...}`.
    Set,
    /// `(...)`: a generator.
    Generator,
}

/// The binary operators, also the augmented ones (`+=`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    MatMul,
    Div,
    FloorDiv,
    Mod,
    Pow,
    LShift,
    RShift,
    BitOr,
    BitXor,
    BitAnd,
}

impl BinOp {
    /// How Python writes it.
    pub fn symbol(self) -> &'static str {
        use BinOp::*;
        match self {
            Add => "+",
            Sub => "-",
            Mul => "*",
            MatMul => "@",
            Div => "/",
            FloorDiv => "//",
            Mod => "%",
            Pow => "**",
            LShift => "<<",
            RShift => ">>",
            BitOr => "|",
            BitXor => "^",
            BitAnd => "&",
        }
    }
}

/// `not`, `-`, `+`, `~`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum UnaryOp {
    Not,
    Neg,
    Pos,
    Invert,
}

/// `and`, `or`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum BoolOp {
    And,
    Or,
}

/// The comparisons.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum CmpOp {
    Eq,
    NotEq,
    Lt,
    LtE,
    Gt,
    GtE,
    Is,
    IsNot,
    In,
    NotIn,
}
